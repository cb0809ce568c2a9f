<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "textstructure" (the document and its divisions): TEI, text, front, body, back,
  group, div and div1–div7; the parts of a letter (opener, closer, dateline, salute, signed,
  postscript, address).  trailer, byline, docTitle … keep their text through the fallback (core.xsl).  The teiHeader is read in mode
  metadata (model-header.xsl).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <!-- == document == -->
  <xsl:template match="/">
    <!-- any root: a file that is no TEI (a teiCorpus without TEI in it) still gives a document -->
    <xsl:apply-templates select="*" mode="root"/>
  </xsl:template>

  <!-- Which root is which is told in mode "root", not by a pattern such as /*[not(self::tei:TEI)]:
       libxslt tests a pattern's predicate on every element, counting the element's siblings
       each time, so long runs of siblings (paragraphs, lines) cost their square. -->
  <xsl:template match="tei:TEI" mode="root"><xsl:apply-templates select="."/></xsl:template>

  <!-- Another root (a teiCorpus holding no TEI): a document with the root's own header. -->
  <xsl:template match="*" mode="root">
    <m:document id="{$doc-id}" lang="{@xml:lang}" file="{$registry/@file}">
      <xsl:apply-templates select="tei:teiHeader" mode="metadata"/>
      <m:text><xsl:apply-templates select="node()[not(self::tei:teiHeader)]"/></m:text>
    </m:document>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <m:document id="{$doc-id}" lang="{@xml:lang}" file="{$registry/@file}">
      <xsl:apply-templates select="tei:teiHeader" mode="metadata"/>
      <m:text>
        <xsl:for-each select="tei:text | tei:facsimile/following-sibling::tei:text">
          <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
        </xsl:for-each>
        <xsl:apply-templates select="tei:text/node() | tei:standOff"/>
      </m:text>
    </m:document>
  </xsl:template>

  <!-- The header is read in mode metadata, not as text. -->
  <xsl:template match="tei:teiHeader"/>

  <!-- == structure == -->
  <!-- Containers of the text's parts: a block with no look of its own (style="container"). -->
  <xsl:template match="tei:front | tei:body | tei:back | tei:group">
    <m:block tei="{local-name()}" style="container">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <xsl:template match="tei:text//tei:text">
    <m:block tei="text" style="container">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <!-- A division: what the table of contents, registers and chronology call a section. -->
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7">
    <m:block division="true" tei="{local-name()}"
             level="{count(ancestor::*[self::tei:div or starts-with(local-name(), 'div')][ancestor::tei:text]) + 1}">
      <xsl:call-template name="id-attr"/>
      <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:if test="@n"><xsl:attribute name="n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:attribute name="label">
        <xsl:choose>
          <xsl:when test="tei:head">
            <xsl:variable name="h"><xsl:apply-templates select="tei:head[1]" mode="plain"/></xsl:variable>
            <xsl:value-of select="normalize-space($h)"/>
          </xsl:when>
          <!-- "excerpt" → "Excerpt 4", a letter's div type="writingSession" n="1" → "Writing
               session 1" (not a bare "1"): a label in a list of contents starts with a capital -->
          <xsl:when test="@type">
            <xsl:variable name="words"><xsl:call-template name="type-words"><xsl:with-param name="text" select="@type"/></xsl:call-template></xsl:variable>
            <xsl:call-template name="capitalise"><xsl:with-param name="text" select="$words"/></xsl:call-template>
            <xsl:choose>
              <xsl:when test="@n"><xsl:value-of select="concat(' ', @n)"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="concat(' ', count(preceding-sibling::*[local-name() = local-name(current())]) + 1)"/></xsl:otherwise>
            </xsl:choose>
          </xsl:when>
          <xsl:when test="@n"><xsl:value-of select="@n"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('Section ', count(preceding-sibling::*[local-name() = local-name(current())]) + 1)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <!-- == letters == -->
  <!-- The parts of a letter, each laid out as a letter prints it (style = the part: opener,
       closer, dateline, salute, signed, postscript, address, address-line); inside a phrase
       (a salute in a paragraph) a phrase as before. -->
  <xsl:template match="tei:opener | tei:closer | tei:dateline | tei:salute | tei:signed | tei:address">
    <xsl:call-template name="laid-out"><xsl:with-param name="style" select="local-name()"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:addrLine">
    <xsl:call-template name="laid-out"><xsl:with-param name="style">address-line</xsl:with-param></xsl:call-template>
  </xsl:template>
  <!-- A postscript is labelled "P.S." by the edition unless its text already says so. -->
  <xsl:template match="tei:postscript">
    <xsl:variable name="start" select="translate(substring(normalize-space(.), 1, 4), 'ps. ', 'PS')"/>
    <xsl:call-template name="laid-out">
      <xsl:with-param name="style">postscript</xsl:with-param>
      <xsl:with-param name="label">
        <xsl:if test="not(starts-with($start, 'PS') or starts-with($start, 'PPS') or starts-with($start, 'NS')
                      or starts-with(normalize-space(.), 'Nachschrift') or starts-with(normalize-space(.), 'Postscript'))">P.S.</xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
