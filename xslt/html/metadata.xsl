<?xml version="1.0" encoding="UTF-8"?>
<!-- Metadata fields as HTML fragments: html.py places them in the page shells. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="m">

  <xsl:template match="m:metadata/*" mode="field">
    <part name="field" field="{local-name()}">
      <xsl:copy-of select="@*"/>
      <xsl:apply-templates/>
    </part>
  </xsl:template>

  <!-- Structured header facts for Python (teipress/model/header.py): not fields of the page. -->
  <xsl:template match="m:agent | m:bibl | m:email | m:letter" mode="field" priority="1"/>

  <xsl:template match="m:principles" mode="field" priority="1">
    <part name="field" field="principles">
      <xsl:for-each select="m:section">
        <section class="tp-principle" id="principle-{@name}{@key}">
          <h2><xsl:value-of select="@label"/></h2>
          <xsl:apply-templates/>
        </section>
      </xsl:for-each>
    </part>
  </xsl:template>
</xsl:stylesheet>
