<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "namesdates" (names, dates, people, places): names linked to their register entry
  or to an entry of a list in the document, entries of such lists, dates for the chronology,
  and the lists of persons, places, organisations and events.  rs and name (core) link like
  persName; date and time (core) are here because the chronology and the names go together
  (TEI Guidelines ch. 13).  How a pointer resolves: the "targets" template (common.xsl).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <!-- == names == -->
  <xsl:template match="tei:persName[@ref] | tei:placeName[@ref] | tei:orgName[@ref] | tei:rs[@ref] | tei:name[@ref]
                       | tei:persName[@key] | tei:rs[@key] | tei:name[@key] | tei:placeName[@key] | tei:orgName[@key]"
                priority="0.7" name="name">
    <xsl:variable name="pointers" select="concat(@ref, ' ', @key, ' ', @corresp, ' ', @target)"/>
    <m:name tei="{local-name()}">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:call-template name="targets">
        <xsl:with-param name="pointers" select="$pointers"/>
        <xsl:with-param name="key" select="@key[not(parent::tei:term or parent::tei:gloss)]"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </m:name>
  </xsl:template>

  <!-- @corresp on a name, @target/@ref/@corresp on a term or gloss: a name-link only when it
       points to an entry of an in-document list; otherwise the element keeps its usual behaviour. -->
  <xsl:template match="tei:persName[@corresp] | tei:placeName[@corresp] | tei:orgName[@corresp] | tei:rs[@corresp]
                       | tei:name[@corresp] | tei:term[@target or @ref or @corresp] | tei:gloss[@target or @ref or @corresp]"
                priority="0.6">
    <xsl:variable name="pointers" select="normalize-space(concat(@ref, ' ', @corresp, ' ', @target))"/>
    <xsl:choose>
      <xsl:when test="$registry/m:pointer[@list][contains(concat(' ', $pointers, ' '), concat(' ', @key, ' '))]">
        <xsl:call-template name="name"/>
      </xsl:when>
      <xsl:when test="self::tei:term[@xml:lang]"><xsl:call-template name="foreign"/></xsl:when>
      <xsl:when test="@xml:id and ancestor::tei:item"><xsl:call-template name="list-entry"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="generic"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An entry of a list in the document (a name or term with an xml:id in a list item): it keeps
       its id, so that name-links pointing to it land on it. -->
  <xsl:template match="tei:item//tei:persName[@xml:id] | tei:item//tei:placeName[@xml:id] | tei:item//tei:orgName[@xml:id]
                       | tei:item//tei:term[@xml:id] | tei:item//tei:rs[@xml:id] | tei:item//tei:name[@xml:id]"
                priority="0.55" name="list-entry">
    <m:name tei="{local-name()}">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:name>
  </xsl:template>

  <!-- Names without a pointer, and the parts of names and places: phrases. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:roleName | tei:forename
                       | tei:surname | tei:genName | tei:addName | tei:nameLink
                       | tei:affiliation | tei:geogName | tei:country | tei:settlement | tei:region | tei:bloc | tei:district">
    <xsl:call-template name="generic"/>
  </xsl:template>

  <!-- == dates == -->
  <xsl:template match="tei:date | tei:docDate[@when] | tei:time[@when]">
    <m:date>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:variable name="from" select="normalize-space(concat(@notBefore, @from))"/>
      <xsl:variable name="to" select="normalize-space(concat(@notAfter, @to))"/>
      <xsl:choose>
        <xsl:when test="@when">
          <xsl:attribute name="value"><xsl:value-of select="@when"/></xsl:attribute>
          <xsl:attribute name="sort"><xsl:value-of select="@when"/></xsl:attribute>
          <xsl:attribute name="precision">
            <xsl:choose>
              <xsl:when test="string-length(@when) &gt;= 10">day</xsl:when>
              <xsl:when test="string-length(@when) = 7">month</xsl:when>
              <xsl:otherwise>year</xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
        </xsl:when>
        <xsl:when test="$from != '' or $to != ''">
          <xsl:attribute name="value"><xsl:value-of select="concat($from, '/', $to)"/></xsl:attribute>
          <xsl:if test="$from != ''"><xsl:attribute name="from"><xsl:value-of select="$from"/></xsl:attribute></xsl:if>
          <xsl:if test="$to != ''"><xsl:attribute name="to"><xsl:value-of select="$to"/></xsl:attribute></xsl:if>
          <xsl:attribute name="sort"><xsl:value-of select="$from"/><xsl:if test="$from = ''"><xsl:value-of select="$to"/></xsl:if></xsl:attribute>
          <xsl:attribute name="precision">range</xsl:attribute>
        </xsl:when>
        <xsl:otherwise><xsl:attribute name="precision">none</xsl:attribute></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@cert"><xsl:attribute name="cert"><xsl:value-of select="@cert"/></xsl:attribute></xsl:if>
      <!-- A birth, death or floruit date describes a life, not the text: never in the chronology. -->
      <xsl:if test="ancestor::tei:birth or ancestor::tei:death or ancestor::tei:floruit">
        <xsl:attribute name="life">true</xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </m:date>
  </xsl:template>

  <!-- == lists of persons, places, organisations, events: lists (core.xsl) == -->
  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listNym">
    <xsl:call-template name="list"/>
  </xsl:template>

  <!-- Register lists an editor keeps beside the text, in the document's back (the Schnitzler
       letters carry listPerson, listPlace, listOrg and listBibl there): they feed the registers
       (teipress.model.registers), never the text, so their coordinates, authority URLs and life
       dates are neither printed, nor searched, nor taken for dates of the text.  A listBibl in
       back is one when it has no heading and stands beside other register lists or holds only
       entries with an xml:id (works pointed to); a bibliography with a heading is text. -->
  <xsl:template priority="2" match="tei:back//tei:listPerson | tei:back//tei:listPlace | tei:back//tei:listOrg
                       | tei:back//tei:listEvent | tei:back//tei:listNym
                       | tei:back/tei:listBibl[not(tei:head)][../tei:listPerson or ../tei:listPlace or ../tei:listOrg
                                                              or not(*[not(@xml:id)])]"/>

  <!-- A back made only of such lists leaves no empty block behind. -->
  <xsl:template priority="2" match="tei:back[not(text()[normalize-space()])][not(*[not(
      self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listEvent or self::tei:listNym
      or self::tei:listBibl[not(tei:head)][../tei:listPerson or ../tei:listPlace or ../tei:listOrg or not(*[not(@xml:id)])])])]"/>
</xsl:stylesheet>
