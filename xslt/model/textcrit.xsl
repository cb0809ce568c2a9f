<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "textcrit" (critical apparatus): app, lem and rdg keep every reading's text
  through the fallback (core.xsl); a witness's detail is a statement about a reading: omitted.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:witDetail"/>
</xsl:stylesheet>
