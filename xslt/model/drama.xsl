<?xml version="1.0" encoding="UTF-8"?>
<!--
  Performance texts: speeches (sp, with the speaker resolved from @who), speakers and stage
  directions.  TEI defines sp, speaker and stage in the core module; they are here because an
  editor of a play looks for them in "drama".  The cast list (module drama): castList, castGroup,
  castItem laid out as a printed cast list; role, roleDesc and actor phrases with a style each.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:sp">
    <m:speech>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:if test="@who">
        <xsl:call-template name="targets"><xsl:with-param name="pointers" select="@who"/></xsl:call-template>
      </xsl:if>
      <xsl:apply-templates/>
    </m:speech>
  </xsl:template>

  <xsl:template match="tei:speaker">
    <m:speaker>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:speaker>
  </xsl:template>

  <!-- A stage direction inside a line or paragraph is a phrase, elsewhere a block. -->
  <xsl:template match="tei:stage">
    <xsl:choose>
      <xsl:when test="parent::tei:p or parent::tei:l or parent::tei:ab or parent::tei:speaker">
        <m:inline tei="stage" style="stage"><xsl:call-template name="common"/><xsl:apply-templates/></m:inline>
      </xsl:when>
      <xsl:otherwise>
        <m:block tei="stage" style="stage">
          <xsl:call-template name="id-attr"/>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- == the cast list == -->
  <xsl:template match="tei:castList">
    <xsl:call-template name="laid-out"><xsl:with-param name="style">cast-list</xsl:with-param></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:castGroup">
    <xsl:call-template name="laid-out"><xsl:with-param name="style">cast-group</xsl:with-param></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:castItem">
    <xsl:call-template name="laid-out"><xsl:with-param name="style">cast-item</xsl:with-param></xsl:call-template>
  </xsl:template>
  <!-- A castGroup's own roleDesc describes all its members: printed beside them (a brace). -->
  <xsl:template match="tei:castGroup/tei:roleDesc | tei:castGroup/tei:head">
    <m:block tei="{local-name()}" style="cast-group-desc">
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>
  <xsl:template match="tei:role | tei:roleDesc | tei:actor">
    <m:inline tei="{local-name()}" style="{normalize-space(substring('role     role-descactor    ', 1 + 9 * (number(boolean(self::tei:roleDesc)) + 2 * number(boolean(self::tei:actor))), 9))}">
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:inline>
  </xsl:template>
</xsl:stylesheet>
