<?xml version="1.0" encoding="UTF-8"?>
<!--
  Behaviour model (xslt/MODEL.md) → HTML fragments of one document page.

  Output: <parts> holding <part name="text">, <part name="notes">, <part name="toc"> and one
  <part name="field" field="…"> per metadata field; teipress/outputs/html.py serialises each part as HTML
  and the Jinja2 page shells place them.  Never disable-output-escaping: text stays text.
  One template per behaviour; behaviour families live in xslt/html/*.xsl.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="urn:teipress:model"
    xmlns:tpf="urn:teipress:functions"
    exclude-result-prefixes="m tpf">

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <!-- Relative path from this page to the site root, e.g. '../'. -->
  <xsl:param name="root" select="''"/>
  <!-- This page's path from the site root, e.g. 'documents/nkidp-114978.html'. -->
  <xsl:param name="page" select="''"/>

  <xsl:include href="html/structure.xsl"/>
  <xsl:include href="html/phrases.xsl"/>
  <xsl:include href="html/apparatus.xsl"/>
  <xsl:include href="html/metadata.xsl"/>
  <!-- The model's one URL rule ("url-scheme"): a link leaves the site only if the model would
       have let it (the HTML checks again, in case the model came from elsewhere). -->
  <xsl:include href="model/common.xsl"/>

  <xsl:template match="/m:document">
    <parts>
      <part name="text"><xsl:apply-templates select="m:text/node()"/></part>
      <part name="notes">
        <xsl:if test="m:text/descendant::m:note[not(@placement = 'margin' or @placement = 'inline')]">
          <ol class="tp-notes">
            <xsl:apply-templates select="m:text/descendant::m:note[not(@placement = 'margin' or @placement = 'inline')]" mode="footnote"/>
          </ol>
        </xsl:if>
      </part>
      <part name="toc">
        <xsl:if test="m:text/descendant::m:block[@division = 'true']">
          <ol>
            <xsl:apply-templates select="m:text/descendant::m:block[@division = 'true'][not(ancestor::m:block[@division = 'true'])]" mode="toc"/>
          </ol>
        </xsl:if>
      </part>
      <xsl:call-template name="apparatus-parts"/>  <!-- html/apparatus.xsl: the critical apparatus, the witnesses -->
      <xsl:apply-templates select="m:metadata/*[not(self::m:witnesses)]" mode="field"/>
    </parts>
  </xsl:template>

  <!-- Where a register entry is, relative to this page; the register pages are named once, in
       teipress/model/paths.py (tpf:register-page, given by teipress/outputs/html.py). -->
  <xsl:template name="register-href">
    <xsl:param name="kind"/>
    <xsl:param name="anchor"/>
    <xsl:value-of select="concat($root, tpf:register-page(string($kind)), '#', $anchor)"/>
  </xsl:template>

  <!-- Is this element inside something that is already a link (no nested <a>)? -->
  <xsl:template name="in-link">
    <xsl:value-of select="boolean(ancestor::m:name[@ref or @target] or ancestor::m:link[@href or @ref or @doc])"/>
  </xsl:template>

  <xsl:template name="lang">
    <xsl:if test="@lang"><xsl:attribute name="lang"><xsl:value-of select="@lang"/></xsl:attribute></xsl:if>
  </xsl:template>
</xsl:stylesheet>
