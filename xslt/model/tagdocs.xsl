<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "tagdocs": an example of TEI markup (egXML) is code: its markup shown as written,
  in a code block (m:block style="code", the markup as text).  Its words are the example's,
  not the edition's: nothing inside is read as TEI.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:eg="http://www.tei-c.org/ns/Examples"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei eg">

  <xsl:template match="eg:egXML">
    <m:block tei="egXML" style="code">
      <xsl:call-template name="id-attr"/>
      <xsl:apply-templates mode="eg"/>
    </m:block>
  </xsl:template>

  <xsl:template match="*" mode="eg">
    <xsl:value-of select="concat('&lt;', local-name())"/>
    <xsl:for-each select="@*">
      <xsl:value-of select="concat(' ', name(), '=&quot;', ., '&quot;')"/>
    </xsl:for-each>
    <xsl:choose>
      <xsl:when test="node()">
        <xsl:text>&gt;</xsl:text>
        <xsl:apply-templates mode="eg"/>
        <xsl:value-of select="concat('&lt;/', local-name(), '&gt;')"/>
      </xsl:when>
      <xsl:otherwise><xsl:text>/&gt;</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="text()" mode="eg"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="comment()" mode="eg"><xsl:value-of select="concat('&lt;!--', ., '--&gt;')"/></xsl:template>
  <xsl:template match="processing-instruction()" mode="eg"/>
</xsl:stylesheet>
