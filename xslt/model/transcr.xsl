<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "transcr" (representation of primary sources): text supplied by the editors or
  printed in the source, spaces, and the phrases of a transcription (damage, restore, fw …).
  Facsimiles and source documents are images and zones, not reading text: omitted.
  (gap, del, add, unclear, sic/corr and pb/lb are core: core.xsl.)
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:facsimile | tei:sourceDoc"/>

  <!-- Supplied text: printed in the source when its reason is one of $published-supplied-reasons
       (param.xsl), else the editors' restoration. -->
  <xsl:template match="tei:supplied">
    <m:supplied>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:if test="@reason"><xsl:attribute name="reason"><xsl:value-of select="@reason"/></xsl:attribute></xsl:if>
      <xsl:attribute name="reason-label">
        <xsl:variable name="cat"><xsl:call-template name="category-desc"><xsl:with-param name="id" select="@reason"/></xsl:call-template></xsl:variable>
        <xsl:choose>
          <xsl:when test="$cat != ''"><xsl:value-of select="$cat"/></xsl:when>
          <xsl:otherwise>Supplied by the editors<xsl:if test="@reason"> (<xsl:value-of select="@reason"/>)</xsl:if></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="published">
        <xsl:value-of select="contains($published-supplied-reasons, concat(' ', @reason, ' ')) and @reason != ''"/>
      </xsl:attribute>
      <xsl:call-template name="resp"/>
      <xsl:apply-templates/>
    </m:supplied>
  </xsl:template>

  <xsl:template match="tei:space">
    <m:inline tei="space" style=""><xsl:text> </xsl:text></m:inline>
  </xsl:template>

  <!-- Forme work (running heads, catchwords, signatures, the source's page numbers): not part
       of the running text, a label beside it (style="forme-work"), wherever it stands. -->
  <xsl:template match="tei:fw">
    <m:inline tei="fw" style="forme-work">
      <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:inline>
  </xsl:template>

  <xsl:template match="tei:damage | tei:restore | tei:surplus | tei:secl | tei:mod | tei:subst | tei:handShift">
    <xsl:call-template name="generic"/>
  </xsl:template>
</xsl:stylesheet>
