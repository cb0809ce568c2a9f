<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "linking" (linking, segmentation, alignment): anonymous blocks (ab, a paragraph),
  anchors (link targets) and segments (phrases).  Links between places, alternations, spans and
  timelines are statements about the text, not reading text: omitted.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:ab">
    <xsl:call-template name="paragraph"/>
  </xsl:template>

  <xsl:template match="tei:anchor">
    <m:anchor><xsl:call-template name="id-attr"/></m:anchor>
  </xsl:template>

  <xsl:template match="tei:seg">
    <xsl:call-template name="generic"/>
  </xsl:template>

  <xsl:template match="tei:link | tei:linkGrp | tei:join | tei:alt | tei:altGrp
                       | tei:timeline | tei:span | tei:spanGrp | tei:standOff"/>
</xsl:stylesheet>
