<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI P5 → teipress behaviour model (namespace urn:teipress:model).

  What each TEI element MEANS for a reader is decided here, once; every output
  (xslt/html.xsl, teipress/typst/) renders the same small closed set of
  behaviours.  The vocabulary is documented in xslt/MODEL.md.

  Input: one TEI document.  Pointers (@ref, @who, @resp, @target …) are resolved
  by Python (teipress/model.py), which hands in a registry document through the
  extension function tpf:registry(); without it (e.g. xsltproc) names simply stay
  unlinked.  Text is copied as text: nothing from TEI ever becomes markup.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    xmlns:tpf="urn:teipress:functions"
    exclude-result-prefixes="tei tpf">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <!-- supplied/@reason values whose text is printed in the source (part of the text "as published"). -->
  <xsl:param name="published-supplied-reasons" select="' clarification '"/>
  <!-- note/@type values printed in the source; other notes are additions of the editors. -->
  <xsl:param name="published-note-types" select="' translator author authorial original '"/>

  <xsl:variable name="registry" select="tpf:registry()/self::m:registry"/>
  <xsl:variable name="doc-id">
    <xsl:choose>
      <xsl:when test="$registry/@doc"><xsl:value-of select="$registry/@doc"/></xsl:when>
      <xsl:when test="/tei:TEI/@xml:id"><xsl:value-of select="/tei:TEI/@xml:id"/></xsl:when>
      <xsl:otherwise>document</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="header" select="/tei:TEI/tei:teiHeader"/>
  <!-- Quotation marks are in the text only when the editors say so. -->
  <xsl:variable name="quote-marks">
    <xsl:choose>
      <xsl:when test="$header/tei:encodingDesc/tei:editorialDecl/tei:quotation/@marks = 'all'">keep</xsl:when>
      <xsl:otherwise>add</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- == document == -->
  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI"/>
  </xsl:template>

  <xsl:template match="/*[not(self::tei:TEI)]" priority="-1">
    <m:document id="{$doc-id}">
      <m:text><xsl:apply-templates/></m:text>
    </m:document>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <m:document id="{$doc-id}" lang="{@xml:lang}" file="{$registry/@file}">
      <xsl:apply-templates select="tei:teiHeader" mode="metadata"/>
      <m:text>
        <xsl:for-each select="tei:text | tei:facsimile/following-sibling::tei:text">
          <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
        </xsl:for-each>
        <xsl:apply-templates select="tei:text/node() | tei:standOff"/>
      </m:text>
    </m:document>
  </xsl:template>

  <!-- Text whose TEI element is omitted on purpose (the header is read in mode metadata). -->
  <xsl:template match="tei:teiHeader | tei:facsimile | tei:sourceDoc"/>

  <!-- == ids == -->
  <!-- Stable id: the xml:id, else the nearest ancestor's xml:id followed by a path of
       element names and ordinals among same-named siblings (e.g. p-001.persName2).
       Depends only on the document's structure, so it never changes between builds. -->
  <xsl:template name="id">
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="anc" select="ancestor::*[@xml:id][not(self::tei:TEI)][1]"/>
        <xsl:variable name="depth">
          <xsl:choose>
            <xsl:when test="$anc"><xsl:value-of select="count($anc/ancestor::*) + 1"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="count(ancestor::tei:text[last()]/ancestor::*) + 1"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$anc"><xsl:value-of select="$anc/@xml:id"/></xsl:when>
          <xsl:when test="ancestor-or-self::tei:teiHeader">h</xsl:when>
          <xsl:otherwise>t</xsl:otherwise>
        </xsl:choose>
        <xsl:for-each select="ancestor-or-self::*[count(ancestor::*) &gt;= $depth]">
          <xsl:text>.</xsl:text>
          <xsl:value-of select="local-name()"/>
          <xsl:value-of select="count(preceding-sibling::*[local-name() = local-name(current())]) + 1"/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Header fields are not citable spots of the text: no ids there. -->
  <xsl:template name="id-attr">
    <xsl:if test="not(ancestor::tei:teiHeader)">
      <xsl:attribute name="id"><xsl:call-template name="id"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- Attributes every behaviour carries when the TEI has them. -->
  <xsl:template name="common">
    <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
    <xsl:if test="@rend | @rendition">
      <xsl:attribute name="rend"><xsl:value-of select="normalize-space(concat(@rend, ' ', @rendition))"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="tei-attr">
    <xsl:attribute name="tei"><xsl:value-of select="local-name()"/></xsl:attribute>
    <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
  </xsl:template>

  <!-- The label of a pointer (e.g. @resp="#goldberg" → "Gary Goldberg"), resolved by Python. -->
  <xsl:template name="labels">
    <xsl:param name="pointers"/>
    <xsl:param name="sep" select="', '"/>
    <xsl:variable name="first" select="substring-before(concat(normalize-space($pointers), ' '), ' ')"/>
    <xsl:if test="$first != ''">
      <xsl:variable name="hit" select="$registry/m:pointer[@key = $first][1]"/>
      <xsl:choose>
        <xsl:when test="$hit/@label"><xsl:value-of select="$hit/@label"/></xsl:when>
        <xsl:when test="$hit/@name"><xsl:value-of select="$hit/@name"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$first"/></xsl:otherwise>
      </xsl:choose>
      <xsl:variable name="rest" select="substring-after(normalize-space($pointers), ' ')"/>
      <xsl:if test="$rest != ''">
        <xsl:value-of select="$sep"/>
        <xsl:call-template name="labels">
          <xsl:with-param name="pointers" select="$rest"/>
          <xsl:with-param name="sep" select="$sep"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <xsl:template name="resp">
    <xsl:if test="@resp">
      <xsl:attribute name="resp"><xsl:value-of select="@resp"/></xsl:attribute>
      <xsl:attribute name="resp-label">
        <xsl:call-template name="labels"><xsl:with-param name="pointers" select="@resp"/></xsl:call-template>
      </xsl:attribute>
    </xsl:if>
    <xsl:if test="@cert"><xsl:attribute name="cert"><xsl:value-of select="@cert"/></xsl:attribute></xsl:if>
  </xsl:template>

  <!-- The catDesc of a taxonomy category with this xml:id, up to its first colon. -->
  <xsl:template name="category-label">
    <xsl:param name="id"/>
    <xsl:variable name="cat" select="$header//tei:category[@xml:id = $id][1]"/>
    <xsl:variable name="desc" select="normalize-space($cat/tei:catDesc | $cat/tei:gloss)"/>
    <xsl:choose>
      <xsl:when test="contains($desc, ':')"><xsl:value-of select="substring-before($desc, ':')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$desc"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="category-desc">
    <xsl:param name="id"/>
    <xsl:variable name="cat" select="$header//tei:category[@xml:id = $id][1]"/>
    <xsl:value-of select="normalize-space($cat/tei:catDesc | $cat/tei:gloss)"/>
  </xsl:template>

  <!-- == structure == -->
  <xsl:template match="tei:front | tei:body | tei:back | tei:group">
    <m:block tei="{local-name()}">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <xsl:template match="tei:text//tei:text">
    <m:block tei="text">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <!-- A division: what the table of contents, registers and chronology call a section. -->
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7">
    <m:block division="true" tei="{local-name()}"
             level="{count(ancestor::*[self::tei:div or starts-with(local-name(), 'div')][ancestor::tei:text]) + 1}">
      <xsl:call-template name="id-attr"/>
      <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:if test="@n"><xsl:attribute name="n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:attribute name="label">
        <xsl:choose>
          <xsl:when test="tei:head">
            <xsl:variable name="h"><xsl:apply-templates select="tei:head[1]" mode="plain"/></xsl:variable>
            <xsl:value-of select="normalize-space($h)"/>
          </xsl:when>
          <xsl:when test="@n"><xsl:value-of select="@n"/></xsl:when>
          <!-- "excerpt" → "Excerpt 4": a label in a list of contents starts with a capital -->
          <xsl:when test="@type"><xsl:value-of select="concat(translate(substring(@type, 1, 1), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), substring(@type, 2), ' ', count(preceding-sibling::*[local-name() = local-name(current())]) + 1)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('Section ', count(preceding-sibling::*[local-name() = local-name(current())]) + 1)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <xsl:template match="tei:head">
    <m:heading>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:choose>
        <xsl:when test="parent::tei:div or parent::*[starts-with(local-name(), 'div')]">
          <xsl:attribute name="level">
            <xsl:value-of select="count(ancestor::*[self::tei:div or starts-with(local-name(), 'div')][ancestor::tei:text])"/>
          </xsl:attribute>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="of"><xsl:value-of select="local-name(..)"/></xsl:attribute>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates/>
    </m:heading>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab">
    <m:paragraph tei="{local-name()}">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:if test="@n"><xsl:attribute name="n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </m:paragraph>
  </xsl:template>

  <!-- Verse: a group of lines and the line (a paragraph-like unit with its own permalink). -->
  <xsl:template match="tei:lg">
    <m:block tei="lg">
      <xsl:call-template name="id-attr"/>
      <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:block>
  </xsl:template>

  <xsl:template match="tei:l">
    <m:line>
      <xsl:call-template name="id-attr"/>
      <xsl:if test="@n"><xsl:attribute name="n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:line>
  </xsl:template>

  <!-- == drama == -->
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

  <xsl:template match="tei:stage">
    <xsl:choose>
      <xsl:when test="parent::tei:p or parent::tei:l or parent::tei:ab or parent::tei:speaker">
        <m:inline tei="stage"><xsl:call-template name="common"/><xsl:apply-templates/></m:inline>
      </xsl:when>
      <xsl:otherwise>
        <m:block tei="stage">
          <xsl:call-template name="id-attr"/>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- == names and dates == -->
  <!-- The register entries a pointer list resolves to: @kind, @ref (register anchors),
       @label (normalised names) and @desc (short descriptions).  Without a register entry, an
       entry of a list in the document itself (FRUS's List of Persons / Abbreviations,
       teipress.model.list_entry_kind): @kind, @doc and @target (its xml:id), @label, @desc. -->
  <xsl:template name="targets">
    <xsl:param name="pointers"/>
    <xsl:param name="key"/>
    <xsl:variable name="pointed" select="$registry/m:pointer[@anchor or @list][contains(concat(' ', normalize-space($pointers), ' '), concat(' ', @key, ' '))]"/>
    <!-- No register entry by pointer: the entry the name's @key names, if any (MODEL.md, "Names by @key"). -->
    <xsl:variable name="all" select="$pointed | $registry/m:keyed[not($pointed[@anchor])][@key = normalize-space($key)]"/>
    <xsl:variable name="hits" select="$all[@anchor] | $all[@list][not($all[@anchor])][1]"/>
    <xsl:if test="$hits">
      <xsl:attribute name="kind"><xsl:value-of select="$hits[1]/@kind"/></xsl:attribute>
      <xsl:choose>
        <xsl:when test="$hits[1]/@anchor">
          <xsl:attribute name="ref">
            <xsl:for-each select="$hits"><xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if><xsl:value-of select="@anchor"/></xsl:for-each>
          </xsl:attribute>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="doc"><xsl:value-of select="$hits/@doc"/></xsl:attribute>
          <xsl:attribute name="target"><xsl:value-of select="$hits/@target"/></xsl:attribute>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:attribute name="label">
        <xsl:for-each select="$hits"><xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if><xsl:value-of select="@name"/></xsl:for-each>
      </xsl:attribute>
      <xsl:attribute name="desc">
        <xsl:for-each select="$hits">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="@name"/>
          <xsl:if test="@dates != ''"><xsl:value-of select="concat(' (', @dates, ')')"/></xsl:if>
          <xsl:if test="@desc != ''"><xsl:value-of select="concat(': ', @desc)"/></xsl:if>
          <xsl:if test="@desc = '' or not(@desc)"><xsl:text>.</xsl:text></xsl:if>
        </xsl:for-each>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

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
      <xsl:apply-templates/>
    </m:date>
  </xsl:template>

  <!-- == notes == -->
  <xsl:template match="tei:note">
    <m:note>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:attribute name="n"><xsl:number level="any" count="tei:note[ancestor::tei:text]" from="tei:TEI"/></xsl:attribute>
      <xsl:if test="@n"><xsl:attribute name="label"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:attribute name="type">
        <xsl:choose><xsl:when test="@type"><xsl:value-of select="@type"/></xsl:when><xsl:otherwise>note</xsl:otherwise></xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="type-label">
        <xsl:variable name="cat"><xsl:call-template name="category-label"><xsl:with-param name="id" select="@type"/></xsl:call-template></xsl:variable>
        <xsl:choose>
          <xsl:when test="$cat != ''"><xsl:value-of select="$cat"/></xsl:when>
          <xsl:when test="@type"><xsl:value-of select="concat(translate(substring(@type, 1, 1), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), substring(@type, 2), ' note')"/></xsl:when>
          <xsl:otherwise>Note</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="published">
        <xsl:value-of select="contains($published-note-types, concat(' ', @type, ' ')) and @type != ''"/>
      </xsl:attribute>
      <xsl:if test="@place"><xsl:attribute name="place"><xsl:value-of select="@place"/></xsl:attribute></xsl:if>
      <xsl:if test="@target"><xsl:attribute name="target"><xsl:value-of select="@target"/></xsl:attribute></xsl:if>
      <xsl:call-template name="resp"/>
      <xsl:apply-templates/>
    </m:note>
  </xsl:template>

  <!-- == transcription == -->
  <xsl:template match="tei:pb">
    <m:page-break>
      <xsl:call-template name="id-attr"/>
      <xsl:if test="@n"><xsl:attribute name="n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:if test="@ed"><xsl:attribute name="ed"><xsl:value-of select="@ed"/></xsl:attribute></xsl:if>
    </m:page-break>
  </xsl:template>

  <xsl:template match="tei:lb">
    <m:line-break>
      <xsl:if test="@break = 'no'"><xsl:attribute name="break">no</xsl:attribute></xsl:if>
    </m:line-break>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone"/>

  <xsl:template match="tei:gap">
    <m:gap>
      <xsl:call-template name="id-attr"/>
      <xsl:if test="@reason">
        <xsl:attribute name="reason"><xsl:value-of select="@reason"/></xsl:attribute>
      </xsl:if>
      <xsl:attribute name="reason-label">
        <xsl:variable name="cat"><xsl:call-template name="category-desc"><xsl:with-param name="id" select="@reason"/></xsl:call-template></xsl:variable>
        <xsl:choose>
          <xsl:when test="$cat != ''"><xsl:value-of select="$cat"/></xsl:when>
          <xsl:when test="@reason"><xsl:value-of select="concat('Omitted (', @reason, ')')"/></xsl:when>
          <xsl:otherwise>Omitted</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@quantity"><xsl:value-of select="concat(' — ', @quantity, ' ', @unit)"/></xsl:if>
      </xsl:attribute>
      <xsl:call-template name="resp"/>
      <xsl:apply-templates select="tei:desc"/>
    </m:gap>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <m:supplied>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:if test="@reason"><xsl:attribute name="reason"><xsl:value-of select="@reason"/></xsl:attribute></xsl:if>
      <xsl:attribute name="reason-label">
        <xsl:variable name="cat"><xsl:call-template name="category-desc"><xsl:with-param name="id" select="@reason"/></xsl:call-template></xsl:variable>
        <xsl:choose>
          <xsl:when test="$cat != ''"><xsl:value-of select="$cat"/></xsl:when>
          <xsl:otherwise>Supplied by the editors<xsl:if test="@reason"> (<xsl:value-of select="@reason"/>)</xsl:if></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="published">
        <xsl:value-of select="contains($published-supplied-reasons, concat(' ', @reason, ' ')) and @reason != ''"/>
      </xsl:attribute>
      <xsl:call-template name="resp"/>
      <xsl:apply-templates/>
    </m:supplied>
  </xsl:template>

  <!-- Both readings of every choice; which one a reader sees is the output's business. -->
  <xsl:template match="tei:choice">
    <m:alternate>
      <xsl:call-template name="id-attr"/>
      <xsl:variable name="pub" select="(tei:sic | tei:orig | tei:abbr)[1]"/>
      <xsl:variable name="cor" select="(tei:corr | tei:reg | tei:expan)[1]"/>
      <xsl:variable name="p" select="$pub | *[not($pub)][1]"/>
      <xsl:variable name="c" select="$cor | *[not($cor)][count(. | $p) = 2][1]"/>
      <xsl:for-each select="$p">
        <m:reading role="published" tei="{local-name()}"><xsl:call-template name="resp"/><xsl:apply-templates/></m:reading>
      </xsl:for-each>
      <xsl:for-each select="$c">
        <m:reading role="corrected" tei="{local-name()}"><xsl:call-template name="resp"/><xsl:apply-templates/></m:reading>
      </xsl:for-each>
      <xsl:if test="not($c)">
        <m:reading role="corrected" tei="{local-name($p)}"><xsl:apply-templates select="$p/node()"/></m:reading>
      </xsl:if>
    </m:alternate>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:term[@xml:lang] | tei:distinct[@xml:lang]" name="foreign">
    <m:foreign tei="{local-name()}">
      <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      <xsl:if test="@rend"><xsl:attribute name="rend"><xsl:value-of select="@rend"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </m:foreign>
  </xsl:template>

  <!-- Quotations: the marks are supplied by the output unless the text keeps them. -->
  <xsl:template match="tei:quote | tei:q | tei:said | tei:soCalled | tei:mentioned">
    <m:quote tei="{local-name()}" marks="{$quote-marks}">
      <xsl:if test="tei:p | tei:lg | tei:l | tei:list | tei:table | tei:sp">
        <xsl:attribute name="block">true</xsl:attribute>
        <xsl:call-template name="id-attr"/>
      </xsl:if>
      <xsl:if test="self::tei:mentioned"><xsl:attribute name="marks">none</xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:quote>
  </xsl:template>

  <xsl:template match="tei:cit">
    <m:block tei="cit"><xsl:call-template name="id-attr"/><xsl:call-template name="common"/><xsl:apply-templates/></m:block>
  </xsl:template>

  <!-- == links == -->
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="target" select="normalize-space(concat(@target, @url))"/>
    <xsl:variable name="lower" select="translate($target, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:variable name="hit" select="$registry/m:pointer[@key = $target][1]"/>
    <m:link tei="{local-name()}">
      <xsl:call-template name="common"/>
      <xsl:choose>
        <!-- only http(s) and mailto leave the edition; nothing else becomes an href -->
        <xsl:when test="(starts-with($lower, 'http://') or starts-with($lower, 'https://') or starts-with($lower, 'mailto:'))
                        and not(contains($target, ' ')) and not(contains($target, '&quot;')) and not(contains($target, '&lt;'))">
          <xsl:attribute name="href"><xsl:value-of select="$target"/></xsl:attribute>
          <xsl:attribute name="scope">external</xsl:attribute>
        </xsl:when>
        <xsl:when test="$hit/@anchor">
          <xsl:attribute name="scope">register</xsl:attribute>
          <xsl:attribute name="kind"><xsl:value-of select="$hit/@kind"/></xsl:attribute>
          <xsl:attribute name="ref"><xsl:value-of select="$hit/@anchor"/></xsl:attribute>
        </xsl:when>
        <xsl:when test="$hit/@doc">
          <xsl:attribute name="scope">edition</xsl:attribute>
          <xsl:attribute name="doc"><xsl:value-of select="$hit/@doc"/></xsl:attribute>
          <xsl:if test="$hit/@target"><xsl:attribute name="target"><xsl:value-of select="$hit/@target"/></xsl:attribute></xsl:if>
        </xsl:when>
        <xsl:when test="$target != ''">
          <xsl:attribute name="scope">dropped</xsl:attribute>
          <xsl:attribute name="target"><xsl:value-of select="$target"/></xsl:attribute>
        </xsl:when>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="self::tei:ptr or not(node())">
          <xsl:attribute name="shows">target</xsl:attribute>
          <xsl:value-of select="$target"/>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </m:link>
  </xsl:template>

  <xsl:template match="tei:anchor">
    <m:anchor><xsl:call-template name="id-attr"/></m:anchor>
  </xsl:template>

  <!-- == lists, tables, figures == -->
  <xsl:template match="tei:list | tei:listBibl | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent">
    <m:list tei="{local-name()}">
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:attribute name="ordered">
        <xsl:value-of select="@type = 'ordered' or @type = 'numbered' or contains(@rend, 'numbered') or contains(@rend, 'ordered')"/>
      </xsl:attribute>
      <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:apply-templates select="tei:head"/>
      <xsl:for-each select="*[not(self::tei:head)]">
        <xsl:choose>
          <xsl:when test="self::tei:label">
            <m:item><xsl:call-template name="id-attr"/><m:label><xsl:apply-templates/></m:label>
              <xsl:apply-templates select="following-sibling::*[1][self::tei:item]/node()"/>
            </m:item>
          </xsl:when>
          <xsl:when test="self::tei:item and preceding-sibling::*[1][self::tei:label]"/>
          <xsl:otherwise>
            <!-- Anything else between items (a pb, a note) is wrapped; the id stays on it, not twice. -->
            <m:item><xsl:if test="self::tei:item"><xsl:call-template name="id-attr"/><xsl:call-template name="common"/></xsl:if>
              <xsl:choose>
                <xsl:when test="self::tei:item"><xsl:apply-templates/></xsl:when>
                <xsl:otherwise><xsl:apply-templates select="."/></xsl:otherwise>
              </xsl:choose>
            </m:item>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </m:list>
  </xsl:template>

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
      <xsl:for-each select="tei:graphic | tei:media">
        <xsl:variable name="url" select="normalize-space(@url)"/>
        <xsl:variable name="lower" select="translate($url, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
        <m:graphic>
          <xsl:choose>
            <!-- only a file inside the edition is embedded; a remote image becomes a link -->
            <xsl:when test="$url != '' and not(contains($url, ':')) and not(contains($url, '..')) and not(starts-with($url, '/'))
                            and not(contains($url, '\')) and not(contains($url, '&quot;'))">
              <xsl:attribute name="src"><xsl:value-of select="$url"/></xsl:attribute>
            </xsl:when>
            <xsl:when test="starts-with($lower, 'http://') or starts-with($lower, 'https://')">
              <xsl:attribute name="href"><xsl:value-of select="$url"/></xsl:attribute>
            </xsl:when>
            <xsl:otherwise><xsl:attribute name="dropped"><xsl:value-of select="$url"/></xsl:attribute></xsl:otherwise>
          </xsl:choose>
          <xsl:attribute name="alt"><xsl:value-of select="normalize-space(../tei:figDesc | tei:desc)"/></xsl:attribute>
        </m:graphic>
      </xsl:for-each>
      <xsl:apply-templates select="tei:head"/>
      <xsl:apply-templates select="*[not(self::tei:graphic or self::tei:media or self::tei:head or self::tei:figDesc)]"/>
    </m:figure>
  </xsl:template>

  <xsl:template match="tei:graphic">
    <m:figure><xsl:call-template name="id-attr"/><xsl:apply-templates select="." mode="graphic"/></m:figure>
  </xsl:template>
  <xsl:template match="tei:graphic" mode="graphic">
    <m:graphic dropped="{@url}" alt=""/>
  </xsl:template>

  <!-- == inline phrases == -->
  <xsl:template match="tei:hi | tei:emph | tei:title | tei:term | tei:gloss | tei:unclear | tei:del | tei:add
                       | tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan | tei:seg | tei:w | tei:c | tei:pc
                       | tei:persName | tei:placeName | tei:orgName | tei:rs | tei:name | tei:roleName | tei:forename
                       | tei:surname | tei:genName | tei:addName | tei:nameLink | tei:num | tei:measure | tei:bibl
                       | tei:author | tei:editor | tei:publisher | tei:pubPlace | tei:idno | tei:biblScope | tei:citedRange
                       | tei:affiliation | tei:geogName | tei:country | tei:settlement | tei:region | tei:bloc | tei:district
                       | tei:label | tei:fw | tei:damage | tei:restore | tei:surplus | tei:secl | tei:mod | tei:subst | tei:handShift
                       | tei:signed | tei:salute | tei:time">
    <xsl:call-template name="generic"/>
  </xsl:template>

  <xsl:template match="tei:space">
    <m:inline tei="space"><xsl:text> </xsl:text></m:inline>
  </xsl:template>

  <!-- Interpretive and metadata-only elements in the text carry no reading text. -->
  <xsl:template match="tei:figDesc | tei:interp | tei:interpGrp | tei:link | tei:linkGrp | tei:join | tei:alt | tei:altGrp
                       | tei:timeline | tei:span | tei:spanGrp | tei:index | tei:standOff | tei:witDetail"/>

  <xsl:template match="comment() | processing-instruction()"/>

  <!-- == fallbacks == -->
  <!-- Anything else keeps its text: a block where blocks stand, an inline inside phrases. -->
  <xsl:template match="*" name="generic">
    <xsl:choose>
      <xsl:when test="ancestor::tei:p or ancestor::tei:ab or ancestor::tei:head or ancestor::tei:l or ancestor::tei:speaker
                      or ancestor::tei:label or ancestor::tei:cell or ancestor::tei:item or ancestor::tei:note
                      or ancestor::tei:teiHeader or parent::tei:quote or parent::tei:q
                      or (not(*) and (preceding-sibling::text()[normalize-space()] or following-sibling::text()[normalize-space()]))
                      or self::tei:hi or self::tei:emph or self::tei:title or self::tei:persName or self::tei:placeName
                      or self::tei:orgName or self::tei:rs or self::tei:name or self::tei:seg or self::tei:w or self::tei:c
                      or self::tei:pc or self::tei:del or self::tei:add or self::tei:unclear or self::tei:num">
        <m:inline tei="{local-name()}">
          <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:inline>
      </xsl:when>
      <xsl:otherwise>
        <m:block tei="{local-name()}">
          <xsl:call-template name="id-attr"/>
          <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- == plain text == -->
  <!-- The reading text of an element, corrected reading, without notes (for labels). -->
  <xsl:template match="*" mode="plain"><xsl:apply-templates mode="plain"/></xsl:template>
  <xsl:template match="tei:note | tei:sic | tei:orig | tei:abbr | tei:figDesc" mode="plain"/>
  <xsl:template match="tei:choice[not(tei:corr | tei:reg | tei:expan)]/*[position() &gt; 1]" mode="plain"/>
  <xsl:template match="tei:gap" mode="plain">[…]</xsl:template>
  <xsl:template match="text()" mode="plain"><xsl:value-of select="translate(., '&#10;&#9;&#13;', '   ')"/></xsl:template>

  <!-- == header == -->
  <xsl:include href="model-header.xsl"/>

</xsl:stylesheet>
