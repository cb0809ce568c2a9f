<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "textcrit" (critical apparatus), basic: an app within a line or paragraph prints
  its lemma in the text and its readings, each with its sigla (@wit, @source), in an apparatus
  note ("Variants"), numbered with the notes (param.xsl, note-numbers); an omission reads
  "om.".  An app holding whole lines or paragraphs keeps every reading's text through the
  fallback (core.xsl).  A witness's detail is a statement about a reading: omitted.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">
  <xsl:template match="tei:witDetail"/>

  <xsl:template match="tei:app[tei:rdg | tei:rdgGrp][not(.//tei:l | .//tei:p | .//tei:lg | .//tei:div)]">
    <m:inline tei="app">
      <xsl:apply-templates select="tei:lem/node()"/>
      <m:note type="apparatus" type-label="Variants" published="false">
        <xsl:call-template name="id-attr"/>
        <xsl:attribute name="n"><xsl:call-template name="note-number"/></xsl:attribute>
        <xsl:for-each select="tei:lem[@wit or @source]">
          <xsl:call-template name="sigla"/><xsl:text>: </xsl:text>
        </xsl:for-each>
        <xsl:for-each select=".//tei:rdg">
          <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
          <m:inline tei="rdg">
            <xsl:choose>
              <xsl:when test="normalize-space(.) = ''">om.</xsl:when>
              <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
            </xsl:choose>
          </m:inline>
          <xsl:if test="@wit or @source"><xsl:text> </xsl:text><xsl:call-template name="sigla"/></xsl:if>
        </xsl:for-each>
        <xsl:for-each select="tei:note">
          <xsl:text>. </xsl:text><xsl:apply-templates/>
        </xsl:for-each>
      </m:note>
    </m:inline>
  </xsl:template>

  <!-- A reading's witnesses and sources by their ids, without the '#'. -->
  <xsl:template name="sigla">
    <m:inline tei="wit" style="emphasis">
      <xsl:value-of select="normalize-space(translate(concat(@wit, ' ', @source), '#', ''))"/>
    </m:inline>
  </xsl:template>
</xsl:stylesheet>
