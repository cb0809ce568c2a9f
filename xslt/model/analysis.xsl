<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "analysis" (simple analytic mechanisms): words, characters and punctuation are
  phrases; interpretations are statements about the text, not reading text: omitted.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:w | tei:c | tei:pc">
    <xsl:call-template name="generic"/>
  </xsl:template>

  <xsl:template match="tei:interp | tei:interpGrp"/>
</xsl:stylesheet>
