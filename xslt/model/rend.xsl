<?xml version="1.0" encoding="UTF-8"?>
<!--
  The rend vocabulary: what a TEI element's @rend, @rendition (an id of tagsDecl/rendition,
  whose CSS is read, or a DTA rendition id such as #aq, #g, #i without one) and @style ask to
  look like, as a few looks every output knows (m:*/@looks, documented in docs/elements.md):

    italic  bold  sup  sub  smallcaps  underline  strike  spaced  latintype  capitals  mono  plain

  Layout values (center, right, indent …) have no look.  A value outside the vocabulary goes
  to @unknown-rend: the outputs show it in a neutral visible style and Python warns once.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <!-- One value → its look, '' (a layout value, no look) or 'other'. -->
  <xsl:template name="rend-look">
    <xsl:param name="v"/>
    <xsl:variable name="t" select="concat(' ', translate($v, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), ' ')"/>
    <xsl:choose>
      <xsl:when test="contains(' italic italics i it em emph slanted cursive oblique ', $t)">italic</xsl:when>
      <xsl:when test="contains(' bold b strong bf heavy fett ', $t)">bold</xsl:when>
      <xsl:when test="contains(' sup superscript super sup-script raised ', $t)">sup</xsl:when>
      <xsl:when test="contains(' sub subscript lowered ', $t)">sub</xsl:when>
      <xsl:when test="contains(' smallcaps sc smcap small-caps small_caps k kapitaelchen ', $t)">smallcaps</xsl:when>
      <xsl:when test="contains(' underline underlined u ul uu doubleunderline double-underline wavyunderline ', $t)">underline</xsl:when>
      <xsl:when test="contains(' strikethrough strike s line-through strikedoublethrough overstrike ', $t)">strike</xsl:when>
      <xsl:when test="contains(' spaced spaced-out spaced_out letterspace letter-spaced g gesperrt expanded ', $t)">spaced</xsl:when>
      <xsl:when test="contains(' latintype antiqua aq latin roman-type ', $t)">latintype</xsl:when>
      <xsl:when test="contains(' capitals caps allcaps all-caps uppercase upper versalien ', $t)">capitals</xsl:when>
      <xsl:when test="contains(' typewriter mono monospace tt code fixed ', $t)">mono</xsl:when>
      <xsl:when test="contains(' plain normal normalweight roman upright none fr fraktur gothic ', $t)">plain</xsl:when>
      <xsl:when test="contains(' center centre centered c right r left l indent et noindent in inline block display hang hanging justify initcaps initial larger smaller large small ', $t)"/>
      <xsl:otherwise>other</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- CSS (a rendition's text or @style) → looks, space-separated. -->
  <xsl:template name="css-looks">
    <xsl:param name="css"/>
    <xsl:variable name="c" select="translate($css, concat('ABCDEFGHIJKLMNOPQRSTUVWXYZ', ' &#9;&#10;&#13;'), 'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:if test="contains($c, 'font-style:italic') or contains($c, 'font-style:oblique')"> italic</xsl:if>
    <xsl:if test="contains($c, 'font-weight:bold') or contains($c, 'font-weight:700') or contains($c, 'font-weight:800') or contains($c, 'font-weight:900')"> bold</xsl:if>
    <xsl:if test="contains($c, 'vertical-align:super')"> sup</xsl:if>
    <xsl:if test="contains($c, 'vertical-align:sub')"> sub</xsl:if>
    <xsl:if test="contains($c, 'font-variant:small-caps')"> smallcaps</xsl:if>
    <xsl:if test="contains($c, 'underline')"> underline</xsl:if>
    <xsl:if test="contains($c, 'line-through')"> strike</xsl:if>
    <xsl:if test="contains($c, 'letter-spacing')"> spaced</xsl:if>
    <xsl:if test="contains($c, 'text-transform:uppercase')"> capitals</xsl:if>
    <xsl:if test="contains($c, 'monospace')"> mono</xsl:if>
  </xsl:template>

  <!-- Walk the values: mode 'looks' prints the looks, mode 'unknown' the values without one. -->
  <xsl:template name="rend-walk">
    <xsl:param name="values"/>
    <xsl:param name="mode"/>
    <xsl:param name="ctx"/>
    <xsl:variable name="all" select="normalize-space($values)"/>
    <xsl:if test="$all != ''">
      <xsl:variable name="v" select="substring-before(concat($all, ' '), ' ')"/>
      <xsl:choose>
        <xsl:when test="starts-with($v, '#')">
          <xsl:variable name="id" select="substring($v, 2)"/>
          <xsl:variable name="r" select="$ctx/ancestor::tei:TEI[1]/tei:teiHeader//tei:tagsDecl/tei:rendition[@xml:id = $id][1]"/>
          <xsl:choose>
            <xsl:when test="$r and not($r/@scope = 'before' or $r/@scope = 'after')">
              <xsl:if test="$mode = 'looks'"><xsl:call-template name="css-looks"><xsl:with-param name="css" select="$r"/></xsl:call-template></xsl:if>
            </xsl:when>
            <xsl:when test="$r"/>
            <xsl:otherwise>
              <xsl:call-template name="rend-one"><xsl:with-param name="v" select="$id"/><xsl:with-param name="mode" select="$mode"/></xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="rend-one"><xsl:with-param name="v" select="$v"/><xsl:with-param name="mode" select="$mode"/></xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="rend-walk">
        <xsl:with-param name="values" select="substring-after($all, ' ')"/>
        <xsl:with-param name="mode" select="$mode"/>
        <xsl:with-param name="ctx" select="$ctx"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="rend-one">
    <xsl:param name="v"/>
    <xsl:param name="mode"/>
    <xsl:variable name="look"><xsl:call-template name="rend-look"><xsl:with-param name="v" select="$v"/></xsl:call-template></xsl:variable>
    <xsl:choose>
      <xsl:when test="$mode = 'looks' and $look != ''"><xsl:value-of select="concat(' ', $look)"/></xsl:when>
      <xsl:when test="$mode = 'unknown' and $look = 'other'"><xsl:value-of select="concat(' ', $v)"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- @looks and @unknown-rend of the current element (called by common). -->
  <xsl:template name="looks">
    <xsl:variable name="values" select="concat(@rend, ' ', @rendition)"/>
    <xsl:variable name="looks">
      <xsl:call-template name="rend-walk"><xsl:with-param name="values" select="$values"/><xsl:with-param name="mode" select="'looks'"/><xsl:with-param name="ctx" select="."/></xsl:call-template>
      <xsl:if test="@style"><xsl:call-template name="css-looks"><xsl:with-param name="css" select="@style"/></xsl:call-template></xsl:if>
      <!-- a bare hi is highlighted: italic, as printers mark a highlighted word -->
      <xsl:if test="self::tei:hi and not(@rend or @rendition or @style)"> italic</xsl:if>
    </xsl:variable>
    <xsl:if test="normalize-space($looks) != ''">
      <xsl:attribute name="looks"><xsl:value-of select="normalize-space($looks)"/></xsl:attribute>
    </xsl:if>
    <xsl:variable name="unknown">
      <xsl:call-template name="rend-walk"><xsl:with-param name="values" select="@rend"/><xsl:with-param name="mode" select="'unknown'"/><xsl:with-param name="ctx" select="."/></xsl:call-template>
    </xsl:variable>
    <xsl:if test="normalize-space($unknown) != ''">
      <xsl:attribute name="unknown-rend"><xsl:value-of select="normalize-space($unknown)"/></xsl:attribute>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
