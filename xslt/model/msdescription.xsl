<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "msdescription": a manuscript description (msDesc) in the text is a block of
  labelled fields (style="field", @label), as a catalogue prints it: the identifier's parts
  (country … idno) one field each, then contents, physical description, history, additional
  information and the parts, each a field holding its own text.  (An msDesc in the sourceDesc
  is read by model-header.xsl.)
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <!-- A block even inside a paragraph (where TEI allows it, among bibliographic references). -->
  <xsl:template match="tei:msDesc | tei:msPart | tei:msFrag">
    <m:block tei="{local-name()}" style="ms-desc">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <!-- The identifier is no field of its own: its parts are. -->
  <xsl:template match="tei:msDesc/tei:msIdentifier | tei:msPart/tei:msIdentifier | tei:msFrag/tei:msIdentifier" priority="1">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Its head is a heading (core.xsl), not a field.  (Said by a template of higher priority,
       not by a predicate such as msDesc/*[not(self::tei:head)]: libxslt tests a predicate on
       '*' for every element, counting its siblings each time, which made long runs of
       siblings cost their square; see textstructure.xsl.) -->
  <xsl:template match="tei:msDesc/tei:head | tei:msPart/tei:head | tei:msFrag/tei:head" priority="0.6">
    <xsl:call-template name="heading"/>
  </xsl:template>

  <xsl:template match="tei:msIdentifier/* | tei:msDesc/* | tei:msPart/* | tei:msFrag/*">
    <m:block tei="{local-name()}" style="field">
      <xsl:call-template name="common"/>
      <xsl:attribute name="label"><xsl:call-template name="ms-field-label"/></xsl:attribute>
      <xsl:apply-templates/>
    </m:block>
    <!-- a space between fields, so that their plain text (a source's citation) does not run together -->
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:msDesc/tei:msPart | tei:msDesc/tei:msFrag" priority="1">
    <m:block tei="{local-name()}" style="ms-desc">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <!-- An empty field (a DTA header's <physDesc/>) is not printed: a label without a value.
       Told by a key, not by a pattern's predicate on '*' (which libxslt tests on every element,
       counting its siblings each time: long runs of siblings cost their square). -->
  <xsl:key name="ms-empty-field" match="tei:msIdentifier/* | tei:msDesc/* | tei:msPart/* | tei:msFrag/*"
           use="string(not(normalize-space()) and not(.//tei:graphic))"/>
  <xsl:template match="key('ms-empty-field', 'true')" priority="0.75"/>

  <!-- The field's label: the name a catalogue gives it. -->
  <xsl:template name="ms-field-label">
    <xsl:variable name="n" select="local-name()"/>
    <xsl:choose>
      <xsl:when test="$n = 'country'">Country</xsl:when>
      <xsl:when test="$n = 'region'">Region</xsl:when>
      <xsl:when test="$n = 'settlement'">Place</xsl:when>
      <xsl:when test="$n = 'institution'">Institution</xsl:when>
      <xsl:when test="$n = 'repository'">Repository</xsl:when>
      <xsl:when test="$n = 'collection'">Collection</xsl:when>
      <xsl:when test="$n = 'idno'">Shelfmark</xsl:when>
      <xsl:when test="$n = 'altIdentifier'">Other shelfmark</xsl:when>
      <xsl:when test="$n = 'msName'">Name</xsl:when>
      <xsl:when test="$n = 'objectName'">Name</xsl:when>
      <xsl:when test="$n = 'msContents'">Contents</xsl:when>
      <xsl:when test="$n = 'physDesc'">Physical description</xsl:when>
      <xsl:when test="$n = 'history'">History</xsl:when>
      <xsl:when test="$n = 'additional'">Additional information</xsl:when>
      <xsl:when test="$n = 'p'">Description</xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="capitalise"><xsl:with-param name="text" select="$n"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
