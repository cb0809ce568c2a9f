<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "figures": tables and figures, with their images (graphic, media: core elements,
  here because they are what a figure shows).  figDesc becomes the image's @alt.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    xmlns:mml="http://www.w3.org/1998/Math/MathML"
    exclude-result-prefixes="tei mml">

  <!-- MathML (in a formula or anywhere): presentation MathML kept as a tree of m:mml nodes
       (@el = the MathML element), elements and attributes from a fixed list only, so that each
       output typesets it as mathematics (HTML: MathML; PDF: Typst math built node by node from
       text, never from markup).  @alt: its tokens in reading order, one space apart, for plain
       text (search, labels) and for the PDF's accessible text.  Content MathML and annotations
       are not presentation: a <semantics> shows its first child only.  The lists: $mml-elements,
       $mml-attributes (param.xsl). -->
  <xsl:template match="mml:math">
    <m:math>
      <xsl:attribute name="display">
        <xsl:choose>
          <xsl:when test="@display = 'block' or parent::tei:formula[contains(concat(' ', @rend, ' '), ' display ')]">block</xsl:when>
          <xsl:otherwise>inline</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="alt">
        <xsl:for-each select="(.//mml:mi | .//mml:mn | .//mml:mo | .//mml:mtext | .//mml:ms)[not(ancestor::mml:annotation-xml)]">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="normalize-space(.)"/>
        </xsl:for-each>
      </xsl:attribute>
      <xsl:apply-templates select="*" mode="mathml"/>
    </m:math>
  </xsl:template>

  <xsl:template match="mml:*" mode="mathml">
    <xsl:choose>
      <xsl:when test="self::mml:annotation or self::mml:annotation-xml"/>
      <xsl:when test="self::mml:semantics"><xsl:apply-templates select="*[1]" mode="mathml"/></xsl:when>
      <xsl:otherwise>
        <m:mml>
          <xsl:attribute name="el">
            <xsl:choose>
              <xsl:when test="contains($mml-elements, concat(' ', local-name(), ' '))"><xsl:value-of select="local-name()"/></xsl:when>
              <xsl:otherwise>mrow</xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
          <xsl:for-each select="@*[namespace-uri() = ''][contains($mml-attributes, concat(' ', local-name(), ' '))]">
            <xsl:attribute name="{local-name()}"><xsl:value-of select="."/></xsl:attribute>
          </xsl:for-each>
          <xsl:choose>
            <xsl:when test="self::mml:mi or self::mml:mn or self::mml:mo or self::mml:mtext or self::mml:ms">
              <xsl:value-of select="normalize-space(.)"/>
            </xsl:when>
            <xsl:otherwise><xsl:apply-templates select="*" mode="mathml"/></xsl:otherwise>
          </xsl:choose>
        </m:mml>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <!-- anything not MathML inside it (a TEI element by mistake): its text, as a token -->
  <xsl:template match="*" mode="mathml">
    <m:mml el="mtext"><xsl:value-of select="normalize-space(.)"/></m:mml>
  </xsl:template>

  <!-- The bytes of an embedded image or file are data, never text to print. -->
  <xsl:template match="tei:binaryObject"/>

  <xsl:template match="tei:table">
    <m:table>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates select="tei:head"/>
      <xsl:for-each select="tei:row">
        <m:row>
          <xsl:if test="@role = 'label'"><xsl:attribute name="role">label</xsl:attribute></xsl:if>
          <xsl:for-each select="tei:cell">
            <m:cell>
              <xsl:if test="@role = 'label' or ../@role = 'label'"><xsl:attribute name="role">label</xsl:attribute></xsl:if>
              <xsl:if test="number(@cols) &gt; 1"><xsl:attribute name="cols"><xsl:value-of select="number(@cols)"/></xsl:attribute></xsl:if>
              <xsl:if test="number(@rows) &gt; 1"><xsl:attribute name="rows"><xsl:value-of select="number(@rows)"/></xsl:attribute></xsl:if>
              <xsl:apply-templates/>
            </m:cell>
          </xsl:for-each>
        </m:row>
      </xsl:for-each>
    </m:table>
  </xsl:template>

  <xsl:template match="tei:figure">
    <m:figure>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates select="tei:graphic | tei:media" mode="graphic"/>
      <xsl:apply-templates select="tei:head"/>
      <!-- a figure without an image (a described illustration): its description is its text -->
      <xsl:if test="not(tei:graphic | tei:media)">
        <xsl:for-each select="tei:figDesc"><m:paragraph tei="figDesc"><xsl:apply-templates/></m:paragraph></xsl:for-each>
      </xsl:if>
      <xsl:apply-templates select="*[not(self::tei:graphic or self::tei:media or self::tei:head or self::tei:figDesc)]"/>
    </m:figure>
  </xsl:template>

  <!-- A graphic outside a figure: a figure of its own, showing it. -->
  <xsl:template match="tei:graphic">
    <m:figure><xsl:call-template name="id-attr"/><xsl:apply-templates select="." mode="graphic"/></m:figure>
  </xsl:template>

  <!-- An image: @src (a file inside the edition, embedded), @href (a remote one: a link, never
       fetched) or @dropped; @alt its description (figDesc, desc); @width/@height as written. -->
  <xsl:template match="tei:graphic | tei:media" mode="graphic">
    <xsl:variable name="url" select="normalize-space(@url)"/>
    <xsl:variable name="scheme"><xsl:call-template name="url-scheme"><xsl:with-param name="url" select="$url"/></xsl:call-template></xsl:variable>
    <m:graphic>
      <xsl:choose>
        <!-- only a file inside the edition is embedded; a remote image becomes a link -->
        <xsl:when test="$url != '' and not(contains($url, ':')) and not(contains($url, '..')) and not(starts-with($url, '/'))
                        and not(contains($url, '\')) and not(contains($url, '&quot;'))">
          <xsl:attribute name="src"><xsl:value-of select="$url"/></xsl:attribute>
        </xsl:when>
        <xsl:when test="$scheme = 'http' or $scheme = 'https'">
          <xsl:attribute name="href"><xsl:value-of select="$url"/></xsl:attribute>
        </xsl:when>
        <xsl:otherwise><xsl:attribute name="dropped"><xsl:value-of select="$url"/></xsl:attribute></xsl:otherwise>
      </xsl:choose>
      <!-- the image's own desc, else the figure's figDesc (on its first image only: said once) -->
      <xsl:attribute name="alt">
        <xsl:choose>
          <xsl:when test="normalize-space(tei:desc) != ''"><xsl:value-of select="normalize-space(tei:desc)"/></xsl:when>
          <xsl:when test="position() = 1 and parent::tei:figure"><xsl:value-of select="normalize-space(../tei:figDesc)"/></xsl:when>
        </xsl:choose>
      </xsl:attribute>
      <xsl:for-each select="@width | @height">
        <xsl:if test="translate(normalize-space(.), '0123456789.', '') = '' or translate(normalize-space(.), '0123456789.', '') = 'px'
                      or translate(normalize-space(.), '0123456789.', '') = 'cm' or translate(normalize-space(.), '0123456789.', '') = 'mm'
                      or translate(normalize-space(.), '0123456789.', '') = 'in' or translate(normalize-space(.), '0123456789.', '') = 'pt'
                      or translate(normalize-space(.), '0123456789.', '') = '%'">
          <xsl:attribute name="{local-name()}"><xsl:value-of select="normalize-space(.)"/></xsl:attribute>
        </xsl:if>
      </xsl:for-each>
    </m:graphic>
  </xsl:template>

  <!-- The description of a figure is its image's @alt, not text. -->
  <xsl:template match="tei:figDesc"/>
</xsl:stylesheet>
