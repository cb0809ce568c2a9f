<?xml version="1.0" encoding="UTF-8"?>
<!--
  teiHeader → m:metadata: the facts a reader needs about a document (title,
  responsibility, source, licence, summary, editorial principles), each field's
  content in the same inline behaviours as the text.  Included by model.xsl.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="tei exsl">

  <xsl:template match="tei:teiHeader" mode="metadata">
    <xsl:variable name="fd" select="tei:fileDesc"/>
    <m:metadata>
      <xsl:for-each select="$fd/tei:titleStmt/tei:title">
        <m:title>
          <xsl:attribute name="type"><xsl:choose><xsl:when test="@type"><xsl:value-of select="@type"/></xsl:when><xsl:otherwise>main</xsl:otherwise></xsl:choose></xsl:attribute>
          <!-- which title is the document's is decided in Python (edition.toml title_order,
               teipress.model.header): it needs the level as written and whether a type was -->
          <xsl:if test="@level"><xsl:attribute name="level"><xsl:value-of select="@level"/></xsl:attribute></xsl:if>
          <xsl:if test="not(@type)"><xsl:attribute name="untyped">true</xsl:attribute></xsl:if>
          <!-- a title for machines (an ISO date to sort by): never shown, never the title -->
          <xsl:if test="contains($machine-title-types, concat(' ', @type, ' ')) or @when-iso">
            <xsl:attribute name="machine">true</xsl:attribute>
          </xsl:if>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:title>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:titleStmt/tei:author">
        <m:author><xsl:call-template name="field-text"/></m:author>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:titleStmt/tei:editor">
        <m:resp role="Editor">
          <xsl:choose>
            <xsl:when test="count(tei:persName | tei:orgName | tei:name) &gt; 1">
              <xsl:call-template name="names-joined"><xsl:with-param name="names" select="tei:persName | tei:orgName | tei:name"/></xsl:call-template>
            </xsl:when>
            <xsl:otherwise><xsl:call-template name="field-text"/></xsl:otherwise>
          </xsl:choose>
        </m:resp>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt">
        <m:resp role="{normalize-space(tei:resp)}">
          <xsl:call-template name="names-joined"><xsl:with-param name="names" select="tei:persName | tei:orgName | tei:name"/></xsl:call-template>
        </m:resp>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:titleStmt/tei:funder | $fd/tei:titleStmt/tei:sponsor">
        <m:funder>
          <xsl:choose>
            <!-- a funder's names, not its postal address -->
            <xsl:when test="tei:persName | tei:orgName | tei:name">
              <xsl:call-template name="names-joined"><xsl:with-param name="names" select="tei:persName | tei:orgName | tei:name"/></xsl:call-template>
            </xsl:when>
            <xsl:otherwise><xsl:call-template name="field-text"/></xsl:otherwise>
          </xsl:choose>
        </m:funder>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:editionStmt/tei:edition">
        <m:edition n="{@n}"><xsl:apply-templates/></m:edition>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:publicationStmt">
        <xsl:for-each select="tei:publisher | tei:distributor | tei:authority">
          <m:publisher tei="{local-name()}"><xsl:call-template name="field-text"/></m:publisher>
        </xsl:for-each>
        <xsl:for-each select="tei:pubPlace"><m:pub-place><xsl:apply-templates/></m:pub-place></xsl:for-each>
        <xsl:for-each select="tei:date"><m:pub-date when="{@when}"><xsl:value-of select="normalize-space(.)"/></m:pub-date></xsl:for-each>
        <xsl:for-each select="tei:idno"><m:idno type="{@type}"><xsl:value-of select="normalize-space(.)"/></m:idno></xsl:for-each>
        <xsl:for-each select="tei:availability/tei:licence">
          <m:licence>
            <xsl:if test="normalize-space(@target)"><xsl:attribute name="target"><xsl:value-of select="normalize-space(@target)"/></xsl:attribute></xsl:if>
            <!-- rights per part: a licence pointing (@corresp) to a description of sourceDesc
                 states the rights of that source as reproduced here, not the edition's -->
            <xsl:variable name="part" select="ancestor::tei:fileDesc/tei:sourceDesc//*[@xml:id and concat('#', @xml:id) = normalize-space(current()/@corresp)]"/>
            <xsl:if test="$part">
              <xsl:attribute name="source"><xsl:value-of select="$part/@xml:id"/></xsl:attribute>
              <xsl:attribute name="source-type"><xsl:value-of select="$part/@type"/></xsl:attribute>
            </xsl:if>
            <xsl:variable name="web"><xsl:call-template name="web-url"><xsl:with-param name="url" select="@target"/></xsl:call-template></xsl:variable>
            <xsl:if test="$web != ''"><xsl:attribute name="href"><xsl:value-of select="$web"/></xsl:attribute></xsl:if>
            <xsl:call-template name="field-blocks"/>
          </m:licence>
        </xsl:for-each>
        <xsl:for-each select="tei:availability[*[not(self::tei:licence)] or not(*)]">
          <m:availability tei="availability">
            <xsl:for-each select="*[not(self::tei:licence)]"><xsl:apply-templates select="."/></xsl:for-each>
            <xsl:if test="not(*)"><m:paragraph><xsl:apply-templates/></m:paragraph></xsl:if>
          </m:availability>
        </xsl:for-each>
        <xsl:for-each select="tei:p"><m:availability tei="p"><m:paragraph><xsl:apply-templates/></m:paragraph></m:availability></xsl:for-each>
      </xsl:for-each>
      <xsl:apply-templates select="$fd/tei:sourceDesc" mode="metadata"/>
      <xsl:for-each select="tei:profileDesc">
        <xsl:for-each select="tei:abstract">
          <m:abstract>
            <!-- whose summary: the editors' (@resp) or a source's, as that source gives it (@source) -->
            <xsl:if test="@source"><xsl:attribute name="source">true</xsl:attribute></xsl:if>
            <xsl:call-template name="resp"/>
            <xsl:call-template name="field-blocks"/>
          </m:abstract>
        </xsl:for-each>
        <xsl:for-each select="tei:creation"><m:creation><xsl:call-template name="field-blocks"/></m:creation></xsl:for-each>
        <xsl:for-each select="tei:langUsage/tei:language">
          <m:language ident="{@ident}"><xsl:value-of select="normalize-space(.)"/></m:language>
        </xsl:for-each>
        <xsl:for-each select="tei:textClass/tei:keywords/tei:term | tei:textClass/tei:keywords/tei:list/tei:item">
          <m:keyword><xsl:value-of select="normalize-space(.)"/></m:keyword>
        </xsl:for-each>
        <xsl:for-each select="tei:correspDesc/tei:correspAction">
          <m:correspondence type="{@type}">
            <xsl:for-each select="*">
              <xsl:if test="position() &gt; 1"><xsl:text>, </xsl:text></xsl:if>
              <xsl:apply-templates select="."/>
            </xsl:for-each>
          </m:correspondence>
        </xsl:for-each>
        <xsl:for-each select="tei:particDesc//tei:person | tei:particDesc//tei:personGrp">
          <m:participant>
            <xsl:if test="@xml:id"><xsl:attribute name="key"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
            <xsl:value-of select="normalize-space(tei:persName[1] | tei:name[1])"/>
            <xsl:if test="not(tei:persName | tei:name)"><xsl:value-of select="normalize-space(.)"/></xsl:if>
          </m:participant>
        </xsl:for-each>
      </xsl:for-each>
      <xsl:apply-templates select="tei:encodingDesc" mode="metadata"/>
      <xsl:for-each select="tei:revisionDesc//tei:change">
        <m:change when="{@when}">
          <xsl:if test="@who">
            <xsl:attribute name="who"><xsl:call-template name="labels"><xsl:with-param name="pointers" select="@who"/></xsl:call-template></xsl:attribute>
          </xsl:if>
          <xsl:call-template name="field-text"/>
        </m:change>
      </xsl:for-each>
      <!-- Structured facts for Python (teipress/model/header.py); the HTML renders none of them. -->
      <xsl:apply-templates select="$fd/tei:titleStmt/*" mode="agent"/>
      <xsl:apply-templates select="$fd/tei:sourceDesc//tei:bibl[not(parent::tei:bibl)]
                                   | $fd/tei:sourceDesc//tei:biblStruct[not(parent::tei:bibl)]" mode="bibl"/>
      <xsl:for-each select=".//tei:email[normalize-space()]">
        <m:email><xsl:value-of select="normalize-space(.)"/></m:email>
      </xsl:for-each>
      <xsl:apply-templates select="tei:profileDesc/tei:correspDesc" mode="letter"/>
    </m:metadata>
  </xsl:template>

  <!-- == a letter's sending and receipt, as facts (teipress/model/correspondence.py) ==
       Attributes are as written; what they mean (who is sender, which ref is "previous") is
       decided once, in Python.  Names are linked like names in the text (m:name with @ref when
       a register entry answers to @ref or @key). -->
  <xsl:template match="tei:correspDesc" mode="letter">
    <m:letter>
      <xsl:for-each select="tei:correspAction">
        <m:letter-action type="{@type}">
          <xsl:for-each select=".//tei:persName[not(ancestor::tei:persName or ancestor::tei:orgName)]
                                | .//tei:orgName[not(ancestor::tei:persName or ancestor::tei:orgName)]
                                | .//tei:name[not(ancestor::tei:persName or ancestor::tei:orgName or ancestor::tei:placeName)]
                                | tei:rs[@type = 'person' or @type = 'org']">
            <m:letter-party>
              <xsl:attribute name="kind">
                <xsl:choose>
                  <xsl:when test="self::tei:orgName or @type = 'org' or @type = 'organisation' or @type = 'organization'">org</xsl:when>
                  <xsl:otherwise>person</xsl:otherwise>
                </xsl:choose>
              </xsl:attribute>
              <xsl:copy-of select="@type | @ref | @key"/>
              <xsl:apply-templates select="."/>
            </m:letter-party>
          </xsl:for-each>
          <xsl:for-each select=".//tei:placeName[not(ancestor::tei:placeName)] | .//tei:settlement[not(ancestor::tei:placeName)]
                                | tei:rs[@type = 'place']">
            <m:letter-place><xsl:copy-of select="@ref | @key"/><xsl:apply-templates select="."/></m:letter-place>
          </xsl:for-each>
          <xsl:for-each select=".//tei:date">
            <m:letter-date>
              <xsl:copy-of select="@when | @from | @to | @cert | @n"/>
              <xsl:if test="@notBefore"><xsl:attribute name="not-before"><xsl:value-of select="@notBefore"/></xsl:attribute></xsl:if>
              <xsl:if test="@notAfter"><xsl:attribute name="not-after"><xsl:value-of select="@notAfter"/></xsl:attribute></xsl:if>
              <xsl:call-template name="joined"><xsl:with-param name="parts" select="."/></xsl:call-template>
            </m:letter-date>
          </xsl:for-each>
        </m:letter-action>
      </xsl:for-each>
      <xsl:for-each select="tei:correspContext/tei:ref | tei:correspContext/tei:ptr">
        <m:letter-context>
          <xsl:copy-of select="@type | @subtype | @target"/>
          <xsl:call-template name="joined"><xsl:with-param name="parts" select="."/></xsl:call-template>
        </m:letter-context>
      </xsl:for-each>
    </m:letter>
  </xsl:template>

  <!-- Several names in one field: comma-separated, or semicolon-separated when a name is
       written inverted ("Müller, Martin Anton; Susen, Gerd-Hermann"), so two never read as one. -->
  <xsl:template name="names-joined">
    <xsl:param name="names"/>
    <xsl:variable name="sep">
      <xsl:choose><xsl:when test="$names[contains(., ',')]">; </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose>
    </xsl:variable>
    <xsl:for-each select="$names">
      <xsl:if test="position() &gt; 1"><xsl:value-of select="$sep"/></xsl:if>
      <xsl:value-of select="normalize-space(.)"/>
    </xsl:for-each>
  </xsl:template>

  <!-- == agents: one m:agent per name of the titleStmt (and of a source's authors) == -->
  <xsl:template match="*" mode="agent"/>

  <!-- Several names in one element are several agents (<editor><name>A</name><name>B</name>),
       except names in another language or of another type: forms of the first name. -->
  <xsl:template match="tei:author | tei:editor | tei:funder | tei:sponsor" mode="agent">
    <xsl:variable name="all" select="tei:persName | tei:orgName | tei:name"/>
    <xsl:variable name="names" select="$all[1] | $all[position() &gt; 1][not(@xml:lang or @type)]"/>
    <xsl:choose>
      <xsl:when test="$names">
        <xsl:for-each select="$names">
          <xsl:call-template name="agent">
            <xsl:with-param name="role" select="local-name(..)"/>
            <xsl:with-param name="resp" select="../@role"/>
            <xsl:with-param name="holder" select=".."/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="agent">
          <xsl:with-param name="role" select="local-name()"/>
          <xsl:with-param name="resp" select="@role"/>
          <xsl:with-param name="holder" select="."/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:respStmt" mode="agent">
    <xsl:variable name="resp">
      <xsl:for-each select="tei:resp">
        <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
        <xsl:variable name="r"><xsl:apply-templates mode="plain"/></xsl:variable>
        <xsl:value-of select="normalize-space($r)"/>
        <!-- a resp that is only a note (DTA): the note is the statement -->
        <xsl:if test="not(normalize-space($r))"><xsl:value-of select="normalize-space(.)"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:for-each select="tei:persName | tei:orgName | tei:name">
      <xsl:call-template name="agent">
        <xsl:with-param name="role">resp</xsl:with-param>
        <xsl:with-param name="resp" select="$resp"/>
        <xsl:with-param name="holder" select="."/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- The context node is the name (persName, orgName, name) or, without one, the element
       naming the agent itself (<author>A. Person</author>); $holder is that element. -->
  <xsl:template name="agent">
    <xsl:param name="role"/>
    <xsl:param name="resp"/>
    <xsl:param name="holder"/>
    <m:agent role="{$role}">
      <xsl:if test="normalize-space($resp)"><xsl:attribute name="resp"><xsl:value-of select="normalize-space($resp)"/></xsl:attribute></xsl:if>
      <xsl:attribute name="kind">
        <xsl:choose>
          <xsl:when test="self::tei:orgName or self::tei:name[@type = 'org' or @type = 'organisation' or @type = 'organization']">org</xsl:when>
          <xsl:when test="$holder[self::tei:funder or self::tei:sponsor] and not(self::tei:persName)">org</xsl:when>
          <xsl:otherwise>person</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:if test=".//tei:forename | .//tei:surname">
        <xsl:attribute name="given"><xsl:call-template name="joined"><xsl:with-param name="parts" select=".//tei:forename"/></xsl:call-template></xsl:attribute>
        <xsl:attribute name="family"><xsl:call-template name="joined"><xsl:with-param name="parts" select=".//tei:surname"/></xsl:call-template></xsl:attribute>
      </xsl:if>
      <xsl:variable name="orcid" select="(tei:idno | $holder/tei:idno)[translate(@type, 'ORCID', 'orcid') = 'orcid'][1]"/>
      <xsl:if test="$orcid"><xsl:attribute name="orcid"><xsl:value-of select="normalize-space($orcid)"/></xsl:attribute></xsl:if>
      <xsl:variable name="ref">
        <xsl:value-of select="@ref"/>
        <xsl:if test="count($holder | .) = 2"><xsl:value-of select="concat(' ', $holder/@ref)"/></xsl:if>
      </xsl:variable>
      <xsl:if test="normalize-space($ref)"><xsl:attribute name="ref"><xsl:value-of select="normalize-space($ref)"/></xsl:attribute></xsl:if>
      <!-- the xml:ids this agent answers to (a source's author may point to one); an author's
           own xml:id goes with its first name -->
      <xsl:variable name="ids">
        <xsl:if test="count($holder | .) = 2 and not(preceding-sibling::*[self::tei:persName or self::tei:orgName or self::tei:name])">
          <xsl:value-of select="$holder/@xml:id"/><xsl:text> </xsl:text>
        </xsl:if>
        <xsl:for-each select="descendant-or-self::*/@xml:id"><xsl:value-of select="."/><xsl:text> </xsl:text></xsl:for-each>
      </xsl:variable>
      <xsl:if test="normalize-space($ids)"><xsl:attribute name="ids"><xsl:value-of select="normalize-space($ids)"/></xsl:attribute></xsl:if>
      <xsl:apply-templates select="node()[not(self::tei:idno or self::tei:email or self::tei:affiliation or self::tei:address)]"/>
    </m:agent>
  </xsl:template>

  <!-- Plain texts of some elements, space-separated. -->
  <xsl:template name="joined">
    <xsl:param name="parts"/>
    <xsl:variable name="all">
      <xsl:for-each select="$parts"><xsl:text> </xsl:text><xsl:apply-templates mode="plain"/></xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="normalize-space($all)"/>
  </xsl:template>

  <!-- == bibliographic descriptions of the sources, as fields == -->
  <xsl:template match="tei:bibl | tei:biblStruct" mode="bibl">
    <xsl:variable name="parts" select=". | tei:analytic | tei:monogr | tei:series | tei:monogr/tei:imprint"/>
    <m:bibl tei="{local-name()}"><xsl:copy-of select="@type"/><xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:for-each select="$parts/tei:title">
        <m:title>
          <xsl:copy-of select="@type | @level"/>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:title>
      </xsl:for-each>
      <xsl:apply-templates select="$parts/tei:author | $parts/tei:editor | $parts/tei:funder | $parts/tei:sponsor" mode="agent"/>
      <xsl:for-each select="$parts/tei:textLang[@mainLang]"><m:text-lang main="{@mainLang}"/></xsl:for-each>
      <xsl:for-each select="$parts/tei:publisher"><m:publisher><xsl:apply-templates/></m:publisher></xsl:for-each>
      <xsl:for-each select="$parts/tei:pubPlace"><m:pub-place><xsl:apply-templates/></m:pub-place></xsl:for-each>
      <xsl:for-each select="$parts/tei:date">
        <m:pub-date>
          <xsl:copy-of select="@when | @from | @to"/>
          <xsl:if test="@notBefore"><xsl:attribute name="not-before"><xsl:value-of select="@notBefore"/></xsl:attribute></xsl:if>
          <xsl:if test="@notAfter"><xsl:attribute name="not-after"><xsl:value-of select="@notAfter"/></xsl:attribute></xsl:if>
          <xsl:call-template name="joined"><xsl:with-param name="parts" select="."/></xsl:call-template>
        </m:pub-date>
      </xsl:for-each>
      <xsl:for-each select="$parts/tei:idno"><m:idno type="{@type}"><xsl:value-of select="normalize-space(.)"/></m:idno></xsl:for-each>
      <xsl:for-each select="$parts/tei:ref | $parts/tei:ptr">
        <xsl:variable name="web"><xsl:call-template name="web-url"><xsl:with-param name="url" select="normalize-space(@target)"/></xsl:call-template></xsl:variable>
        <xsl:if test="$web != ''"><m:url href="{$web}"/></xsl:if>
      </xsl:for-each>
      <xsl:for-each select="$parts/tei:citedRange">
        <m:range><xsl:copy-of select="@unit | @from | @to"/><xsl:value-of select="normalize-space(.)"/></m:range>
      </xsl:for-each>
      <!-- the whole description as written; nested descriptions and notes are fields of their own,
           and a pointer without words (ptr, empty ref) is only its m:url -->
      <m:citation>
        <xsl:apply-templates select="node()[not(self::tei:bibl or self::tei:note or self::tei:ptr or self::tei:ref[not(node())]
                                     or self::tei:funder or self::tei:sponsor or self::tei:textLang)]"/>
      </m:citation>
    </m:bibl>
  </xsl:template>

  <!-- *url* itself when it is an http(s) address by the model's one URL rule (url-scheme in
       model/common.xsl: any case, no white space or quotes), else nothing. -->
  <xsl:template name="web-url">
    <xsl:param name="url"/>
    <xsl:variable name="scheme"><xsl:call-template name="url-scheme"><xsl:with-param name="url" select="$url"/></xsl:call-template></xsl:variable>
    <xsl:if test="$scheme = 'http' or $scheme = 'https'"><xsl:value-of select="$url"/></xsl:if>
  </xsl:template>

  <!-- A field whose content is phrases. -->
  <xsl:template name="field-text">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A field whose content may be paragraphs or phrases. -->
  <xsl:template name="field-blocks">
    <xsl:choose>
      <xsl:when test="tei:p | tei:ab | tei:list | tei:table">
        <xsl:apply-templates select="*"/>
      </xsl:when>
      <xsl:otherwise><m:paragraph><xsl:apply-templates/></m:paragraph></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- == sources == -->
  <xsl:template match="tei:sourceDesc" mode="metadata">
    <xsl:apply-templates select="*" mode="source"/>
  </xsl:template>

  <xsl:template match="tei:listBibl" mode="source">
    <xsl:apply-templates select="*" mode="source"/>
  </xsl:template>

  <xsl:template match="tei:bibl | tei:biblStruct | tei:biblFull | tei:msDesc | tei:recordHist" mode="source">
    <!-- the first http(s) address among its pointers (one URL rule: web-url, url-scheme) -->
    <xsl:variable name="webs">
      <xsl:for-each select=".//tei:ref/@target | .//tei:ptr/@target">
        <xsl:variable name="web"><xsl:call-template name="web-url"><xsl:with-param name="url" select="."/></xsl:call-template></xsl:variable>
        <xsl:if test="$web != ''"><xsl:value-of select="concat($web, ' ')"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="url" select="substring-before($webs, ' ')"/>
    <m:source type="{@type}">
      <xsl:if test="not(@type)"><xsl:attribute name="type">bibl</xsl:attribute></xsl:if>
      <xsl:if test="$url"><xsl:attribute name="url"><xsl:value-of select="$url"/></xsl:attribute></xsl:if>
      <xsl:for-each select="tei:idno[1] | tei:msIdentifier/tei:idno[1]">
        <xsl:attribute name="idno"><xsl:value-of select="normalize-space(.)"/></xsl:attribute>
        <xsl:attribute name="idno-type"><xsl:value-of select="@type"/></xsl:attribute>
      </xsl:for-each>
      <xsl:for-each select="tei:date[1]">
        <xsl:attribute name="when"><xsl:value-of select="@when"/></xsl:attribute>
      </xsl:for-each>
      <!-- the citation proper; nested bibls, notes and responsibility become fields of their own -->
      <xsl:apply-templates select="node()[not(self::tei:bibl or self::tei:note or self::tei:respStmt
                                   or self::tei:funder or self::tei:sponsor or self::tei:textLang)]"/>
    </m:source>
    <xsl:apply-templates select="tei:bibl | tei:note | tei:respStmt" mode="source"/>
  </xsl:template>

  <xsl:template match="tei:bibl[@type = 'citation']" mode="source">
    <m:citation><xsl:apply-templates/></m:citation>
  </xsl:template>

  <xsl:template match="tei:note" mode="source">
    <m:source-note type="{@type}"><xsl:apply-templates/></m:source-note>
  </xsl:template>

  <xsl:template match="tei:respStmt" mode="source">
    <m:resp role="{normalize-space(tei:resp)}" scope="source">
      <xsl:for-each select="tei:persName | tei:orgName | tei:name">
        <xsl:if test="position() &gt; 1"><xsl:text>, </xsl:text></xsl:if>
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:for-each>
    </m:resp>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="source">
    <m:source type="text"><xsl:apply-templates/></m:source>
  </xsl:template>

  <xsl:template match="*" mode="source">
    <m:source type="{local-name()}"><xsl:value-of select="normalize-space(.)"/></m:source>
  </xsl:template>

  <!-- == principles == -->
  <xsl:template match="tei:encodingDesc" mode="metadata">
    <xsl:if test="*[not(self::tei:tagsDecl or self::tei:schemaSpec or self::tei:schemaRef or self::tei:appInfo
                     or self::tei:listPrefixDef or self::tei:charDecl or self::tei:styleDefDecl or self::tei:refsDecl)]">
      <!-- Each heading once: the page and the PDF head the whole "Editorial principles", so a
           section named so is "General principles"; sections that share a heading (two
           taxonomies described alike) are one section, their contents in order. -->
      <xsl:variable name="sections-rtf"><xsl:apply-templates select="*" mode="principle"/></xsl:variable>
      <xsl:variable name="sections" select="exsl:node-set($sections-rtf)/m:section"/>
      <m:principles>
        <xsl:for-each select="$sections">
          <xsl:variable name="heading"><xsl:call-template name="principle-heading"/></xsl:variable>
          <xsl:variable name="earlier">
            <xsl:for-each select="preceding-sibling::m:section">
              <xsl:variable name="h"><xsl:call-template name="principle-heading"/></xsl:variable>
              <xsl:if test="$h = $heading">x</xsl:if>
            </xsl:for-each>
          </xsl:variable>
          <xsl:if test="$earlier = ''">
            <m:section label="{$heading}">
              <xsl:copy-of select="@name | @key"/>
              <xsl:for-each select=". | following-sibling::m:section">
                <xsl:variable name="h"><xsl:call-template name="principle-heading"/></xsl:variable>
                <xsl:if test="$h = $heading"><xsl:copy-of select="node()"/></xsl:if>
              </xsl:for-each>
            </m:section>
          </xsl:if>
        </xsl:for-each>
      </m:principles>
    </xsl:if>
  </xsl:template>

  <!-- A section's heading as printed: white space normalised, and never the page's own heading. -->
  <xsl:template name="principle-heading">
    <xsl:variable name="label" select="normalize-space(@label)"/>
    <xsl:choose>
      <xsl:when test="translate($label, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = 'editorial principles'
                      or $label = ''">General principles</xsl:when>
      <xsl:otherwise><xsl:value-of select="$label"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:editorialDecl" mode="principle">
    <xsl:if test="tei:p | tei:ab">
      <m:section name="editorialDecl" label="General principles"><xsl:apply-templates select="tei:p | tei:ab"/></m:section>
    </xsl:if>
    <xsl:apply-templates select="*[not(self::tei:p or self::tei:ab)]" mode="principle"/>
  </xsl:template>

  <xsl:template match="tei:classDecl" mode="principle">
    <xsl:apply-templates select="tei:taxonomy" mode="principle"/>
  </xsl:template>

  <xsl:template match="tei:taxonomy" mode="principle">
    <m:section name="taxonomy" key="{@xml:id}">
      <xsl:attribute name="label">
        <xsl:choose>
          <xsl:when test="tei:desc | tei:bibl"><xsl:value-of select="normalize-space((tei:desc | tei:bibl)[1])"/></xsl:when>
          <xsl:when test="@xml:id"><xsl:value-of select="concat('Categories: ', translate(@xml:id, '-', ' '))"/></xsl:when>
          <xsl:otherwise>Categories</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <m:list tei="taxonomy" ordered="false">
        <xsl:for-each select=".//tei:category">
          <m:item id="{@xml:id}">
            <m:label><xsl:value-of select="@xml:id"/></m:label>
            <xsl:apply-templates select="tei:catDesc/node() | tei:gloss/node()"/>
          </m:item>
        </xsl:for-each>
      </m:list>
    </m:section>
  </xsl:template>

  <xsl:template match="tei:tagsDecl | tei:schemaSpec | tei:schemaRef | tei:appInfo | tei:listPrefixDef | tei:charDecl
                       | tei:styleDefDecl | tei:refsDecl | tei:variantEncoding" mode="principle"/>

  <xsl:template match="*" mode="principle">
    <m:section name="{local-name()}">
      <xsl:attribute name="label">
        <xsl:choose>
          <xsl:when test="self::tei:projectDesc">About the project</xsl:when>
          <xsl:when test="self::tei:samplingDecl">Selection</xsl:when>
          <xsl:when test="self::tei:correction">Correction</xsl:when>
          <xsl:when test="self::tei:normalization">Normalisation</xsl:when>
          <xsl:when test="self::tei:quotation">Quotation marks</xsl:when>
          <xsl:when test="self::tei:hyphenation">Hyphenation</xsl:when>
          <xsl:when test="self::tei:segmentation">Divisions of the text</xsl:when>
          <xsl:when test="self::tei:interpretation">Identification and annotation</xsl:when>
          <xsl:when test="self::tei:stdVals">Dates and other values</xsl:when>
          <xsl:when test="self::tei:punctuation">Punctuation</xsl:when>
          <xsl:otherwise><xsl:value-of select="local-name()"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:call-template name="field-blocks"/>
    </m:section>
  </xsl:template>
</xsl:stylesheet>
