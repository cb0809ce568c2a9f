<?xml version="1.0" encoding="UTF-8"?>
<!-- The editors' apparatus: notes, page breaks, omissions, supplied text, the two readings. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="m">

  <xsl:template name="mark">
    <xsl:choose>
      <xsl:when test="@label"><xsl:value-of select="@label"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="@n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- In the text a note is a numbered link to its footnote; teipress.js turns it into a popover. -->
  <xsl:template match="m:note">
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="not(ancestor::m:text)">
        <span class="tp-inline-note"> (<xsl:apply-templates/>)</span>
      </xsl:when>
      <!-- a note the source prints beside the text or in the line: in its place, not a footnote -->
      <xsl:when test="@placement = 'margin'">
        <span class="tp-note-margin" id="{@id}" role="note" data-note-type="{@type}">
          <xsl:call-template name="lang"/>
          <span class="tp-vh"><xsl:value-of select="@type-label"/>, in the margin: </span>
          <xsl:apply-templates/>
        </span>
      </xsl:when>
      <!-- in brackets, as a printed translation gives its translator's notes -->
      <xsl:when test="@placement = 'inline'">
        <span class="tp-note-inline" id="{@id}" role="note" data-note-type="{@type}">
          <xsl:call-template name="lang"/>
          <xsl:text>[</xsl:text>
          <xsl:choose>
            <xsl:when test="@type != 'note'"><i class="tp-note-label"><xsl:value-of select="@type-label"/>:</i><xsl:text> </xsl:text></xsl:when>
            <xsl:otherwise><span class="tp-vh">Note: </span></xsl:otherwise>
          </xsl:choose>
          <xsl:apply-templates/>
          <xsl:text>]</xsl:text>
        </span>
      </xsl:when>
      <xsl:when test="$nested = 'true'">
        <sup class="tp-noteref-plain" data-pagefind-ignore=""><xsl:call-template name="mark"/></sup>
      </xsl:when>
      <xsl:otherwise>
        <a class="tp-noteref" href="#{@id}" id="tp-ref-{@id}" role="doc-noteref" data-note-type="{@type}" data-published="{@published = 'true'}" data-pagefind-ignore="">
          <span class="tp-vh"><xsl:value-of select="@type-label"/><xsl:text> </xsl:text></span>
          <sup><xsl:call-template name="mark"/></sup>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="m:note" mode="footnote">
    <li class="tp-note" id="{@id}" value="{@n}" data-note-type="{@type}">
      <xsl:call-template name="lang"/>
      <!-- the source's own mark (TEI @n) replaces the list's number, so list and text agree -->
      <xsl:if test="@label">
        <xsl:attribute name="data-label"><xsl:value-of select="@label"/></xsl:attribute>
        <span class="tp-note-mark"><xsl:value-of select="@label"/></span>
      </xsl:if>
      <p class="tp-note-meta">
        <xsl:value-of select="@type-label"/>
        <xsl:if test="@resp-label"><xsl:value-of select="concat(' (', @resp-label, ')')"/></xsl:if>
      </p>
      <div class="tp-note-body">
        <xsl:choose>
          <xsl:when test="m:paragraph | m:list | m:table | m:block"><xsl:apply-templates/></xsl:when>
          <xsl:otherwise><p><xsl:apply-templates/></p></xsl:otherwise>
        </xsl:choose>
      </div>
      <xsl:if test="not(ancestor::m:note) and not(ancestor::m:name[@ref] or ancestor::m:link[@href or @ref or @doc])">
        <a class="tp-backref" href="#tp-ref-{@id}" role="doc-backlink">
          <span aria-hidden="true">↩ </span>Back to text
        </a>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- An original page break: a linkable marker in the margin. -->
  <xsl:template match="m:page-break">
    <a class="tp-pb" id="{@id}" href="#{@id}" data-pagefind-ignore="">
      <xsl:choose>
        <!-- A range ("19-20") is several pages: "pp." and an en dash, as printed references are set. -->
        <xsl:when test="contains(@n, '-') or contains(@n, '–')">[pp. <xsl:value-of select="translate(@n, '-', '–')"/>]</xsl:when>
        <xsl:when test="@n">[p. <xsl:value-of select="@n"/>]</xsl:when>
        <xsl:otherwise>[page break]</xsl:otherwise>
      </xsl:choose>
    </a>
  </xsl:template>

  <!-- "[…]" with its reason on hover and focus (data-tip), and for screen readers in words. -->
  <xsl:template match="m:gap">
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:variable name="gap">
      <span class="tp-gap" data-tip="{@reason-label}">
        <xsl:if test="$nested = 'false'"><xsl:attribute name="tabindex">0</xsl:attribute></xsl:if>
        <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
        <!-- the editors' description of what is missing (TEI gap/desc), in italics after the mark -->
        <span aria-hidden="true">[…<xsl:if test="normalize-space(.) != ''"><xsl:text> </xsl:text><i><xsl:apply-templates/></i></xsl:if>]</span>
        <span class="tp-vh" data-pagefind-ignore="">[omission: <xsl:value-of select="@reason-label"/>
          <xsl:if test="normalize-space(.) != ''">: <xsl:value-of select="normalize-space(.)"/></xsl:if>]</span>
      </span>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="parent::m:text or parent::m:block or parent::m:speech">
        <p class="tp-gap-block"><xsl:copy-of select="$gap"/></p>
      </xsl:when>
      <xsl:otherwise><xsl:copy-of select="$gap"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Supplied text in brackets; an editors' restoration is absent from the reading "as published". -->
  <xsl:template match="m:supplied">
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <span class="tp-supplied" data-published="{@published}">
      <xsl:if test="$nested = 'false'"><xsl:attribute name="tabindex">0</xsl:attribute></xsl:if>
      <xsl:if test="@id and ancestor::m:text"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:attribute name="data-tip">
        <xsl:value-of select="@reason-label"/>
        <xsl:if test="@resp-label"><xsl:value-of select="concat(' (', @resp-label, ')')"/></xsl:if>
      </xsl:attribute>
      <xsl:call-template name="lang"/>
      <xsl:text>[</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <!-- Both readings are in the page; CSS shows one (corrected by default, also without JS). -->
  <xsl:template match="m:alternate">
    <span class="tp-alt">
      <xsl:if test="@id and ancestor::m:text"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:apply-templates select="m:reading"/>
    </span>
  </xsl:template>

  <xsl:template match="m:reading[@role = 'published']">
    <span class="tp-published" data-pagefind-ignore=""><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="m:reading[@role = 'corrected']">
    <xsl:variable name="source" select="normalize-space(../m:reading[@role = 'published'])"/>
    <!-- a further reading of the text (a choice of three): after the first, a slash between -->
    <xsl:if test="@more"><span class="tp-corrected"> / </span></xsl:if>
    <span class="tp-corrected">
      <xsl:if test="$source != normalize-space(.)">
        <xsl:attribute name="data-tip">
          <xsl:text>Corrected</xsl:text>
          <xsl:if test="@resp-label"><xsl:value-of select="concat(' by ', @resp-label)"/></xsl:if>
          <xsl:if test="@cert"><xsl:value-of select="concat(' (certainty: ', @cert, ')')"/></xsl:if>
          <xsl:value-of select="concat('; the source reads “', $source, '”')"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>
  <!-- == The critical apparatus (xslt/model/textcrit.xsl) ==
       The lemma is the running text, marked (tp-lemma, its id the app's); the apparatus is a
       list below the text (part "apparatus"), one entry per app keyed by line or paragraph,
       each linked to its lemma, sigla linked to the list of witnesses (part "witnesses").
       teipress.js adds the highlighting and the switch to one witness's text; without it
       everything here is plain HTML. -->
  <xsl:template match="m:app[@kind = 'inline']">
    <span class="tp-lemma" id="{@id}" data-app="{@id}">
      <xsl:for-each select="m:lemma"><xsl:call-template name="wit-data"/><xsl:call-template name="lang"/></xsl:for-each>
      <xsl:apply-templates select="m:lemma/node()"/>
      <xsl:if test="not(m:lemma/node())">
        <!-- an empty lemma (a word only some witnesses have): a caret where it would stand -->
        <xsl:attribute name="class">tp-lemma tp-lemma-empty</xsl:attribute>
        <span aria-hidden="true">‸</span>
      </xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="m:app[@kind = 'lines']">
    <div class="tp-lemma tp-lemma-lines" id="{@id}" data-app="{@id}">
      <xsl:for-each select="m:lemma"><xsl:call-template name="wit-data"/><xsl:call-template name="lang"/></xsl:for-each>
      <xsl:apply-templates select="m:lemma/node()"/>
    </div>
  </xsl:template>

  <!-- A location-referenced app has no place in the text: its entry points to the line. -->
  <xsl:template match="m:app[@kind = 'apparatus']"/>
  <xsl:template match="m:entry | m:siglum | m:witnesses"/>

  <xsl:template name="wit-data">
    <xsl:if test="@wit or @source">
      <xsl:attribute name="data-wit"><xsl:value-of select="normalize-space(concat(@wit, ' ', @source))"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="apparatus-parts">
    <part name="apparatus">
      <xsl:if test="m:text//m:app">
        <ol class="tp-apparatus">
          <xsl:apply-templates select="m:text//m:app" mode="apparatus"/>
        </ol>
      </xsl:if>
    </part>
    <part name="witnesses">
      <xsl:apply-templates select="m:metadata/m:witnesses" mode="conspectus"/>
    </part>
  </xsl:template>

  <xsl:template match="m:app" mode="apparatus">
    <xsl:variable name="lemma">
      <xsl:choose>
        <xsl:when test="@kind = 'apparatus'"><xsl:value-of select="@target"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="@id"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <li class="tp-app" id="tp-app-{@id}" data-lemma="{$lemma}" data-kind="{@kind}">
      <a class="tp-app-key" href="#{$lemma}">
        <span class="tp-vh"><xsl:value-of select="substring('LineParagraph', 1 + 4 * (@unit = 'paragraph'), 4 + 5 * (@unit = 'paragraph'))"/><xsl:text> </xsl:text></span>
        <xsl:value-of select="@at"/>
      </a>
      <xsl:text> </xsl:text>
      <xsl:if test="@kind = 'inline' or @kind = 'apparatus'">
        <!-- the lemma again, as printed apparatus repeat it (not the text: tp-app-lem) -->
        <span class="tp-app-lem" data-pagefind-ignore="">
          <xsl:call-template name="lang"/>
          <xsl:apply-templates select="m:lemma/node()" mode="plain-html"/>
        </span>
      </xsl:if>
      <xsl:apply-templates select="m:entry/m:siglum" mode="apparatus"/>
      <xsl:if test="m:lemma[node()] or m:entry/m:siglum or (m:lemma and @kind != 'inline')"><span class="tp-app-bracket">]</span></xsl:if>
      <xsl:for-each select="m:entry/m:variant | m:entry/m:app-note">
        <xsl:text> </xsl:text>
        <xsl:apply-templates select="." mode="apparatus"/>
        <xsl:if test="self::m:variant and following-sibling::*[self::m:variant or self::m:app-note][1][self::m:variant]">
          <span class="tp-app-sep">;</span>
        </xsl:if>
      </xsl:for-each>
    </li>
  </xsl:template>

  <xsl:template match="m:variant" mode="apparatus">
    <span class="tp-rdg">
      <xsl:call-template name="wit-data"/>
      <xsl:call-template name="lang"/>
      <xsl:if test="@type"><xsl:attribute name="data-type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <span class="tp-rdg-text">
        <xsl:choose>
          <xsl:when test="@om = 'true'"><span class="tp-rdg-om" title="omitted">om.</span></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="node()[not(self::m:siglum or self::m:app-note)]"/></xsl:otherwise>
        </xsl:choose>
      </span>
      <xsl:if test="@cert"><xsl:text> </xsl:text><span class="tp-rdg-cert" data-pagefind-ignore="">(<xsl:value-of select="@cert"/> certainty)</span></xsl:if>
      <xsl:apply-templates select="m:siglum" mode="apparatus"/>
      <xsl:for-each select="m:app-note"><xsl:text> </xsl:text><xsl:apply-templates select="." mode="apparatus"/></xsl:for-each>
    </span>
  </xsl:template>

  <xsl:template match="m:siglum" mode="apparatus">
    <xsl:text> </xsl:text>
    <xsl:choose>
      <!-- (a split document's page has no list of witnesses: no link there) -->
      <xsl:when test="@listed = 'true' and /m:document/m:metadata/m:witnesses">
        <a class="tp-siglum" href="#tp-wit-{@ref}" data-kind="{@kind}" data-pagefind-ignore=""><xsl:value-of select="."/></a>
      </xsl:when>
      <xsl:otherwise><span class="tp-siglum" data-pagefind-ignore=""><xsl:value-of select="."/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="m:app-note" mode="apparatus">
    <span class="tp-app-note"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- the lemma repeated in its entry: its words, without links, ids or notes -->
  <xsl:template match="m:note | m:entry" mode="plain-html"/>
  <xsl:template match="*" mode="plain-html"><xsl:apply-templates mode="plain-html"/></xsl:template>
  <xsl:template match="m:alternate" mode="plain-html"><xsl:apply-templates select="m:reading[@role = 'corrected']" mode="plain-html"/></xsl:template>
  <xsl:template match="m:app" mode="plain-html"><xsl:apply-templates select="m:lemma" mode="plain-html"/></xsl:template>

  <!-- The conspectus siglorum: every witness and source, with its siglum, a link target. -->
  <xsl:template match="m:witnesses | m:witness-group" mode="conspectus">
    <xsl:if test="self::m:witness-group and normalize-space(@label)"><h3><xsl:value-of select="@label"/></h3></xsl:if>
    <!-- in document order: a run of witnesses is one list, a group has its heading -->
    <xsl:for-each select="*">
      <xsl:choose>
        <xsl:when test="self::m:witness-group"><xsl:apply-templates select="." mode="conspectus"/></xsl:when>
        <xsl:when test="self::m:witness and not(preceding-sibling::*[1]/self::*[self::m:witness])">
          <dl class="tp-witnesses">
            <xsl:apply-templates select=". | following-sibling::m:witness[generate-id(preceding-sibling::*[not(self::m:witness)][1])
                                          = generate-id(current()/preceding-sibling::*[not(self::m:witness)][1])]" mode="conspectus"/>
          </dl>
        </xsl:when>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="m:witness" mode="conspectus">
    <dt id="tp-wit-{@ref}" class="tp-siglum-label"><xsl:value-of select="@siglum"/></dt>
    <dd><xsl:apply-templates/><xsl:if test="not(node())">—</xsl:if></dd>
  </xsl:template>
</xsl:stylesheet>
