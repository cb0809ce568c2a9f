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
        <a class="tp-noteref" href="#{@id}" id="tp-ref-{@id}" role="doc-noteref" data-note-type="{@type}" data-pagefind-ignore="">
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
</xsl:stylesheet>
