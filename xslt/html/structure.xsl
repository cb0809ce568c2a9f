<?xml version="1.0" encoding="UTF-8"?>
<!-- Blocks: divisions, headings, paragraphs, verse, speeches, lists, tables, figures. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="urn:teipress:model"
    xmlns:tpf="urn:teipress:functions"
    exclude-result-prefixes="m tpf">

  <xsl:template name="permalink">
    <a class="tp-permalink" href="#{@id}" data-pagefind-ignore="">
      <span class="tp-vh">Permalink to this passage</span>
      <span aria-hidden="true">¶</span>
    </a>
  </xsl:template>

  <xsl:template match="m:block[@division = 'true']">
    <xsl:variable name="supplied"><xsl:call-template name="supplied-heading-text"/></xsl:variable>
    <xsl:element name="{substring('sectiondiv', 1 + 7 * (not(m:heading[@level]) and $supplied = ''), 7)}">
      <xsl:attribute name="class">tp-div</xsl:attribute>
      <xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute>
      <xsl:if test="@type"><xsl:attribute name="data-type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:choose>
        <xsl:when test="$supplied != ''">
          <!-- A dated division the source prints without a heading is headed by its date, as in
               the PDF's contents and bookmarks, marked as the editors'; the notes that open it
               (the editors' note dating it) are marked in that heading, never on a line alone,
               so its first turn or paragraph stands where a headed division's does. -->
          <xsl:variable name="lead" select="m:note[not(preceding-sibling::*[not(self::m:note or self::m:page-break)])]"/>
          <xsl:apply-templates select="m:page-break[not(preceding-sibling::*[not(self::m:note or self::m:page-break)])]"/>
          <h2 class="tp-head tp-head-supplied" id="{@id}-supplied-head">
            <span class="tp-vh">Date supplied by the editors: </span>
            <xsl:value-of select="$supplied"/>
            <xsl:apply-templates select="$lead"/>
          </h2>
          <xsl:apply-templates select="node()[not(self::m:page-break or self::m:note)
                                       or preceding-sibling::*[not(self::m:note or self::m:page-break)]]"/>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!-- The date a top-level division without a heading is headed by (tpf:division-date: one
       rule with the PDF), or nothing. -->
  <xsl:template name="supplied-heading-text">
    <xsl:if test="@level = 1 and not(m:heading) and not(@page) and ancestor::m:text">
      <xsl:value-of select="tpf:division-date(string(ancestor::m:document/@id), string(@id))"/>
    </xsl:if>
  </xsl:template>

  <!-- A division with a page of its own (edition.toml split), on its document's contents page:
       an entry with its head and date, linking to that page (teipress/split.py). -->
  <xsl:template match="m:block[@division = 'true'][@page]" priority="2">
    <p class="tp-part" id="{@id}">
      <a href="{$root}{@page}"><xsl:value-of select="@label"/></a>
      <xsl:if test="@date-label">
        <xsl:text> </xsl:text><span class="tp-docdate"><xsl:value-of select="@date-label"/></span>
      </xsl:if>
    </p>
  </xsl:template>

  <!-- Code (a TEI markup example): its text as written, white space kept. -->
  <xsl:template match="m:block[@style = 'code']">
    <pre class="tp-block tp-{@tei}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <code><xsl:value-of select="."/></code>
    </pre>
  </xsl:template>

  <xsl:template match="m:block">
    <div class="tp-block tp-{@tei}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="@rend"><xsl:attribute name="data-rend"><xsl:value-of select="@rend"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <!-- Division headings: h1 is the document's title, so a level-1 division head is h2. -->
  <xsl:template match="m:heading[@level]">
    <xsl:variable name="n">
      <xsl:choose>
        <xsl:when test="@level &gt; 4">6</xsl:when>
        <xsl:otherwise><xsl:value-of select="@level + 1"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="h{$n}">
      <xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute>
      <xsl:attribute name="class">tp-head</xsl:attribute>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="m:heading">
    <p class="tp-head tp-head-{@of}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </p>
  </xsl:template>

  <xsl:template match="m:paragraph">
    <!-- A paragraph that holds blocks (a list inside a TEI p; not counting those of its notes)
         cannot be an HTML <p>: a div. -->
    <xsl:variable name="blocks" select="boolean((descendant::m:paragraph | descendant::m:block | descendant::m:list | descendant::m:table
                                  | descendant::m:figure | descendant::m:line | descendant::m:speech | descendant::m:quote[@block])[not(ancestor::m:note)])"/>
    <xsl:element name="{substring('divp', 1 + 3 * not($blocks), 3 - 2 * not($blocks))}">
      <xsl:attribute name="class">tp-p</xsl:attribute>
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
      <xsl:if test="@id and ancestor::m:text"><xsl:call-template name="permalink"/></xsl:if>
    </xsl:element>
  </xsl:template>

  <xsl:template match="m:line">
    <div class="tp-l">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="@part"><xsl:attribute name="data-part"><xsl:value-of select="@part"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <!-- every fifth line numbered, and every line a critical apparatus entry is keyed to -->
      <xsl:if test="@n and (@n mod 5 = 0 or descendant::m:app[not(ancestor::m:note)])">
        <span class="tp-lnum" data-pagefind-ignore=""><xsl:value-of select="@n"/></span>
      </xsl:if>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="m:speech">
    <div class="tp-sp" id="{@id}">
      <xsl:if test="@ref"><xsl:attribute name="data-who"><xsl:value-of select="@ref"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="m:speaker">
    <p class="tp-speaker"><xsl:call-template name="lang"/><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="m:list">
    <div class="tp-list tp-{@tei}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates select="m:heading"/>
      <xsl:if test="m:item">
        <xsl:element name="{substring('olul', 1 + 2 * (@ordered != 'true'), 2)}">
          <xsl:apply-templates select="m:item"/>
        </xsl:element>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="m:item">
    <li>
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <xsl:template match="m:label">
    <span class="tp-label"><xsl:apply-templates/></span><xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="m:table">
    <div class="tp-table">
      <table>
        <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
        <xsl:call-template name="lang"/>
        <xsl:for-each select="m:heading[1]">
          <caption><xsl:apply-templates/></caption>
        </xsl:for-each>
        <tbody>
          <xsl:for-each select="m:row">
            <tr>
              <xsl:for-each select="m:cell">
                <xsl:element name="{substring('thtd', 1 + 2 * (@role != 'label' or not(@role)), 2)}">
                  <xsl:if test="@cols"><xsl:attribute name="colspan"><xsl:value-of select="@cols"/></xsl:attribute></xsl:if>
                  <xsl:if test="@rows"><xsl:attribute name="rowspan"><xsl:value-of select="@rows"/></xsl:attribute></xsl:if>
                  <xsl:apply-templates/>
                </xsl:element>
              </xsl:for-each>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <xsl:template match="m:figure">
    <figure class="tp-figure">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:apply-templates select="m:graphic"/>
      <!-- the description of a shown image is words of the text too: printed small under it (the
           screen reader has it as the alt text already) -->
      <xsl:for-each select="m:graphic[@src and not(@missing) and @alt != '']">
        <p class="tp-figdesc" aria-hidden="true"><xsl:value-of select="@alt"/></p>
      </xsl:for-each>
      <xsl:if test="*[not(self::m:graphic)]">
        <figcaption><xsl:apply-templates select="*[not(self::m:graphic)]"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!-- Images are embedded only from the site's own copy of the sources (tei/). -->
  <xsl:template match="m:graphic[@src]">
    <img src="{$root}tei/{@src}" alt="{@alt}" loading="lazy">
      <!-- a size as the TEI gives it: a number of pixels as an attribute, a length as a style -->
      <xsl:for-each select="@width | @height">
        <xsl:choose>
          <xsl:when test="translate(., '0123456789.', '') = '' or translate(., '0123456789.', '') = 'px'">
            <xsl:attribute name="{local-name()}"><xsl:value-of select="round(number(translate(., 'px', '')))"/></xsl:attribute>
          </xsl:when>
        </xsl:choose>
      </xsl:for-each>
      <xsl:if test="(@width and translate(@width, '0123456789.', '') != '' and translate(@width, '0123456789.', '') != 'px')
                    or (@height and translate(@height, '0123456789.', '') != '' and translate(@height, '0123456789.', '') != 'px')">
        <xsl:attribute name="style">
          <xsl:for-each select="@width | @height">
            <xsl:if test="translate(., '0123456789.', '') != '' and translate(., '0123456789.', '') != 'px'">
              <xsl:value-of select="concat(local-name(), ': ', ., '; ')"/>
            </xsl:if>
          </xsl:for-each>
        </xsl:attribute>
      </xsl:if>
    </img>
  </xsl:template>
  <!-- An image the edition lacks (or cannot show): its description in its place. -->
  <xsl:template match="m:graphic[@src][@missing]" priority="1">
    <span class="tp-dropped tp-image-missing">[image <xsl:value-of select="@src"/> not shown<xsl:if test="@alt != ''">: <xsl:value-of select="@alt"/></xsl:if>]</span>
  </xsl:template>
  <xsl:template match="m:graphic[@href]">
    <xsl:variable name="scheme"><xsl:call-template name="url-scheme"><xsl:with-param name="url" select="@href"/></xsl:call-template></xsl:variable>
    <xsl:choose>
      <xsl:when test="$scheme = 'http' or $scheme = 'https'">
        <a class="tp-ext" href="{@href}" rel="noopener noreferrer">Image (external): <xsl:value-of select="@href"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="graphic-dropped"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="m:graphic" name="graphic-dropped">
    <span class="tp-dropped">[image not shown<xsl:if test="@alt != ''">: <xsl:value-of select="@alt"/></xsl:if>]</span>
  </xsl:template>

  <xsl:template match="m:quote[@block]">
    <blockquote class="tp-quote">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </blockquote>
  </xsl:template>

  <!-- == blocks with a layout of their own ==
       A letter's parts, a cast list, a manuscript description's fields (the model's @style):
       the style is the class (teipress.css lays them out); the labels are the model's. -->
  <xsl:template match="m:block[contains(' opener closer dateline salute signed postscript address address-line cast-list cast-group cast-item cast-group-desc ms-desc field ', concat(' ', @style, ' '))]" priority="1">
    <div class="tp-block tp-{@tei} tp-{@style}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="@rend"><xsl:attribute name="data-rend"><xsl:value-of select="@rend"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:choose>
        <xsl:when test="@style = 'field'">
          <span class="tp-field-label"><xsl:value-of select="@label"/></span>
          <div class="tp-field-value"><xsl:apply-templates/></div>
        </xsl:when>
        <!-- the members on the left of a brace, their shared description on its right -->
        <xsl:when test="@style = 'cast-group' and m:block[@style = 'cast-group-desc']">
          <div class="tp-cast-members"><xsl:apply-templates select="node()[not(self::m:block[@style = 'cast-group-desc'])]"/></div>
          <div class="tp-cast-shared"><xsl:apply-templates select="m:block[@style = 'cast-group-desc']"/></div>
        </xsl:when>
        <xsl:when test="@label != ''">
          <span class="tp-supplied-label" data-pagefind-ignore=""><xsl:value-of select="@label"/></span>
          <div class="tp-labelled"><xsl:apply-templates/></div>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <!-- == table of contents == -->
  <xsl:template match="m:block" mode="toc">
    <li>
      <xsl:variable name="supplied"><xsl:call-template name="supplied-heading-text"/></xsl:variable>
      <a href="#{@id}">
        <xsl:choose>
          <xsl:when test="$supplied != ''"><xsl:value-of select="$supplied"/></xsl:when>
          <!-- a head that runs into its text ("… Published for the first time]:") lists without
               the colon, as the PDF's contents and bookmarks do -->
          <xsl:otherwise>
            <xsl:variable name="label" select="normalize-space(@label)"/>
            <xsl:choose>
              <xsl:when test="substring($label, string-length($label)) = ':'">
                <xsl:value-of select="normalize-space(substring($label, 1, string-length($label) - 1))"/>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="@label"/></xsl:otherwise>
            </xsl:choose>
          </xsl:otherwise>
        </xsl:choose>
      </a>
      <xsl:variable name="sub" select="descendant::m:block[@division = 'true'][generate-id(ancestor::m:block[@division = 'true'][1]) = generate-id(current())]"/>
      <xsl:if test="$sub and @level &lt; 3">
        <ol><xsl:apply-templates select="$sub" mode="toc"/></ol>
      </xsl:if>
    </li>
  </xsl:template>
</xsl:stylesheet>
