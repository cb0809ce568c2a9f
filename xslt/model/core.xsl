<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "core" (elements available in every TEI document): head, p, verse (lg, l), notes,
  page and line breaks, omissions (gap), the two readings of a choice, foreign words,
  quotations, links (ref, ptr), lists, the common phrases (hi, emph, title, del, add …), and the
  fallback that keeps the text of every element without a rule of its own.
  (sp, speaker and stage are core elements too; they are in drama.xsl, where one looks for them.
  date and time are in namesdates.xsl, with the names: the chronology reads both.)
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <!-- == headings, paragraphs, verse == -->
  <xsl:template match="tei:head" name="heading">
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

  <!-- A paragraph (also linking's ab, which calls this template). -->
  <xsl:template match="tei:p" name="paragraph">
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
      <!-- a part of a verse line shared between speakers (initial, medial, final): indented -->
      <xsl:if test="@part = 'I' or @part = 'M' or @part = 'F'">
        <xsl:attribute name="part"><xsl:value-of select="@part"/></xsl:attribute>
      </xsl:if>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:line>
  </xsl:template>

  <!-- == notes == -->
  <!-- A note's number: its place among the notes in the text of its TEI document, counted
       once for the whole document ($note-numbers in param.xsl, looked up by key).  xsl:number level="any"
       scanned all preceding nodes for every note: quadratic, minutes for 20,000 notes. -->
  <xsl:key name="note-number" match="m:note-number" use="@note"/>
  <xsl:template name="note-number">
    <xsl:variable name="note" select="generate-id()"/>
    <xsl:for-each select="$note-numbers"><xsl:value-of select="key('note-number', $note)/@n"/></xsl:for-each>
  </xsl:template>

  <!-- Where the source prints a note (TEI @place, first word): "margin" beside the text,
       "inline" in the line itself, "end" after the text, "foot" (the default: foot, bottom,
       top, overleaf …) as a footnote.  A note holding paragraphs, lists or verse is a footnote
       wherever the source put it: blocks cannot stand in a margin or a line. -->
  <xsl:template name="note-placement">
    <xsl:variable name="place" select="translate(substring-before(concat(normalize-space(@place), ' '), ' '),
                                       'ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 'abcdefghijklmnopqrstuvwxyz-')"/>
    <xsl:choose>
      <xsl:when test="not(self::tei:note) or tei:p or tei:ab or tei:list or tei:table or tei:lg or tei:l
                      or tei:quote[tei:p | tei:lg] or tei:div or tei:figure or ancestor::tei:note">foot</xsl:when>
      <xsl:when test="$place = ''">foot</xsl:when>
      <xsl:when test="contains(' margin margin-left margin-right marginleft marginright margin-outer margin-inner margin-top margin-bottom marginouter margininner left right opposite ', concat(' ', $place, ' '))">margin</xsl:when>
      <xsl:when test="contains(' inline inspace interlinear above below supralinear sublinear ', concat(' ', $place, ' '))">inline</xsl:when>
      <xsl:when test="$place = 'end' or $place = 'endnote'">end</xsl:when>
      <xsl:otherwise>foot</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note">
    <m:note>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="common"/>
      <xsl:attribute name="n"><xsl:call-template name="note-number"/></xsl:attribute>
      <xsl:if test="@n"><xsl:attribute name="label"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:attribute name="type">
        <xsl:choose><xsl:when test="@type"><xsl:value-of select="@type"/></xsl:when><xsl:otherwise>note</xsl:otherwise></xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="type-label">
        <xsl:variable name="cat"><xsl:call-template name="category-label"><xsl:with-param name="id" select="@type"/></xsl:call-template></xsl:variable>
        <xsl:choose>
          <xsl:when test="$cat != ''"><xsl:value-of select="$cat"/></xsl:when>
          <xsl:when test="@type">
            <xsl:call-template name="capitalise"><xsl:with-param name="text" select="@type"/></xsl:call-template>
            <xsl:text> note</xsl:text>
          </xsl:when>
          <xsl:otherwise>Note</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:attribute name="published">
        <xsl:value-of select="contains($published-note-types, concat(' ', @type, ' ')) and @type != ''"/>
      </xsl:attribute>
      <xsl:if test="@place"><xsl:attribute name="place"><xsl:value-of select="@place"/></xsl:attribute></xsl:if>
      <xsl:attribute name="placement"><xsl:call-template name="note-placement"/></xsl:attribute>
      <xsl:if test="@target"><xsl:attribute name="target"><xsl:value-of select="@target"/></xsl:attribute></xsl:if>
      <xsl:call-template name="resp"/>
      <xsl:apply-templates/>
    </m:note>
  </xsl:template>

  <!-- == breaks == -->
  <!-- A page break inside a word (pb break="no": "εὐαγγε<pb break="no"/>λίου"): the word is
       printed whole and the page's mark follows it, after the punctuation ending the word (the
       text after the break emits it, below), so that neither output splits the word. -->
  <xsl:template match="tei:pb[@break = 'no'][following-sibling::node()[1]/self::node()[self::text()][normalize-space()]]"/>

  <xsl:template match="tei:pb" name="page-break">
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

  <!-- A word broken across lines or pages (lb or pb break="no") is one word: the white space the
       encoder put beside the break (an indented new line) is dropped on both sides.  Every text
       node comes here and the test is made inside: as a pattern's predicate libxslt evaluated
       it counting the node's siblings every time (long runs of siblings cost their square). -->
  <xsl:template match="text()">
    <xsl:choose>
      <xsl:when test="following-sibling::node()[1]/self::node()[self::tei:lb[@break = 'no'] or self::tei:pb[@break = 'no']]
                      or preceding-sibling::node()[1]/self::node()[self::tei:lb[@break = 'no'] or self::tei:pb[@break = 'no']]">
        <xsl:call-template name="broken-word"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="broken-word">
    <xsl:variable name="t" select="."/>
    <xsl:variable name="lead" select="boolean(preceding-sibling::node()[1]/self::node()[self::tei:lb[@break = 'no'] or self::tei:pb[@break = 'no']])"/>
    <xsl:variable name="trail" select="boolean(following-sibling::node()[1]/self::node()[self::tei:lb[@break = 'no'] or self::tei:pb[@break = 'no']])"/>
    <xsl:choose>
      <xsl:when test="normalize-space($t) = ''"/>
      <xsl:otherwise>
        <xsl:variable name="from" select="substring-before($t, substring(normalize-space($t), 1, 1))"/>
        <xsl:variable name="rest">
          <xsl:choose>
            <xsl:when test="$lead"><xsl:value-of select="substring($t, string-length($from) + 1)"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="text">
          <xsl:choose>
            <xsl:when test="$trail"><xsl:call-template name="trim-end"><xsl:with-param name="s" select="$rest"/></xsl:call-template></xsl:when>
            <xsl:otherwise><xsl:value-of select="$rest"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <!-- after a page break inside a word: the rest of the word, then the page's mark -->
          <xsl:when test="preceding-sibling::node()[1]/self::node()[self::tei:pb[@break = 'no']]">
            <xsl:variable name="word" select="substring-before(concat(translate($text, '&#9;&#10;&#13;', '   '), ' '), ' ')"/>
            <xsl:value-of select="$word"/>
            <xsl:for-each select="preceding-sibling::node()[1]"><xsl:call-template name="page-break"/></xsl:for-each>
            <xsl:value-of select="substring($text, string-length($word) + 1)"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="trim-end">
    <xsl:param name="s"/>
    <xsl:variable name="last" select="substring($s, string-length($s))"/>
    <xsl:choose>
      <xsl:when test="$s != '' and normalize-space($last) = ''">
        <xsl:call-template name="trim-end"><xsl:with-param name="s" select="substring($s, 1, string-length($s) - 1)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone[not(normalize-space(@n))]"/>

  <!-- A numbered milestone (a section, a verse, a folio of another edition …) is a reference
       point a reader cites: shown where it stands as a small marker "unit n" (the outputs
       bracket it). -->
  <xsl:template match="tei:milestone[normalize-space(@n)]">
    <m:inline tei="milestone" style="milestone">
      <xsl:if test="@unit"><xsl:attribute name="unit"><xsl:value-of select="@unit"/></xsl:attribute></xsl:if>
      <xsl:value-of select="normalize-space(concat(translate(@unit, '_', ' '), ' ', @n))"/>
    </m:inline>
  </xsl:template>

  <!-- == the editors' interventions == -->
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

  <!-- Both readings of every choice; which one a reader sees is the output's business. -->
  <xsl:template match="tei:choice">
    <m:alternate>
      <xsl:call-template name="id-attr"/>
      <xsl:variable name="pub" select="(tei:sic | tei:orig | tei:abbr)[1]"/>
      <xsl:variable name="cor" select="(tei:corr | tei:reg | tei:expan)[1]"/>
      <xsl:variable name="p" select="$pub | *[not($pub)][1]"/>
      <xsl:variable name="c" select="$cor | *[not($cor)][count(. | $p) = 2][1]"/>
      <xsl:for-each select="$p">
        <m:reading role="published" tei="{local-name()}">
          <!-- what the source's reading is: an error, an original spelling, an abbreviation, or
               (a choice without sic, orig or abbr) one of equal alternatives -->
          <xsl:attribute name="kind">
            <xsl:choose>
              <xsl:when test="self::tei:sic">error</xsl:when>
              <xsl:when test="self::tei:orig">original</xsl:when>
              <xsl:when test="self::tei:abbr">abbreviation</xsl:when>
              <xsl:otherwise>alternative</xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
          <xsl:call-template name="resp"/><xsl:apply-templates/>
        </m:reading>
      </xsl:for-each>
      <xsl:for-each select="$c">
        <m:reading role="corrected" tei="{local-name()}"><xsl:call-template name="resp"/><xsl:apply-templates/></m:reading>
      </xsl:for-each>
      <xsl:if test="not($c)">
        <m:reading role="corrected" tei="{local-name($p)}"><xsl:apply-templates select="$p/node()"/></m:reading>
      </xsl:if>
      <!-- a third reading and more (a second expansion, a correction beside a regularisation,
           more equal alternatives): further readings of the text, after the first -->
      <xsl:for-each select="*[count(. | $p) != count($p)][count(. | $c) != count($c)]">
        <m:reading role="corrected" tei="{local-name()}" more="true"><xsl:call-template name="resp"/><xsl:apply-templates/></m:reading>
      </xsl:for-each>
    </m:alternate>
  </xsl:template>

  <!-- == languages and quotations == -->
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
      <!-- the text already has its quotation marks (first and last character): none added -->
      <xsl:variable name="said" select="normalize-space(.)"/>
      <xsl:variable name="marks-chars">"'“”„‟‚‘’‛«»‹›「」『』</xsl:variable>
      <xsl:if test="$said != '' and contains($marks-chars, substring($said, 1, 1))
                    and contains($marks-chars, substring($said, string-length($said)))">
        <xsl:attribute name="marks">none</xsl:attribute>
      </xsl:if>
      <xsl:call-template name="common"/>
      <xsl:apply-templates/>
    </m:quote>
  </xsl:template>

  <!-- A quotation and its source are two things: a space between them where the encoder wrote
       none ("<quote>…</quote><bibl>…</bibl>" would print "…”Hom. Il.") -->
  <xsl:template match="tei:cit">
    <m:block tei="cit"><xsl:call-template name="id-attr"/><xsl:call-template name="common"/>
      <xsl:for-each select="node()">
        <xsl:if test="self::* and preceding-sibling::node()[1]/self::node()[self::*]"><xsl:text> </xsl:text></xsl:if>
        <xsl:apply-templates select="."/>
      </xsl:for-each>
    </m:block>
  </xsl:template>

  <!-- == links == -->
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="target" select="normalize-space(concat(@target, @url))"/>
    <xsl:variable name="scheme"><xsl:call-template name="url-scheme"><xsl:with-param name="url" select="$target"/></xsl:call-template></xsl:variable>
    <xsl:variable name="hit" select="$registry/m:pointer[@key = $target][1]"/>
    <m:link tei="{local-name()}">
      <xsl:call-template name="common"/>
      <xsl:choose>
        <!-- only http(s) and mailto leave the edition; nothing else becomes an href -->
        <xsl:when test="$scheme != ''">
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
        <!-- A pointer without words of its own: a web address is shown as itself; a place in the
             edition by its name (a register entry), else an arrow; a target that leads nowhere shows nothing (the
             editor is warned) rather than a raw id glued to the word before. -->
        <xsl:when test="(self::tei:ptr or not(node())) and $scheme != ''">
          <xsl:attribute name="shows">target</xsl:attribute>
          <xsl:value-of select="$target"/>
        </xsl:when>
        <xsl:when test="(self::tei:ptr or not(node())) and ($hit/@anchor or $hit/@doc)">
          <xsl:attribute name="shows">label</xsl:attribute>
          <xsl:choose>
            <xsl:when test="$hit/@name"><xsl:value-of select="$hit/@name"/></xsl:when>  <!-- a register entry's name -->
            <xsl:otherwise>→</xsl:otherwise>
          </xsl:choose>
        </xsl:when>
        <xsl:when test="self::tei:ptr or not(node())">
          <xsl:attribute name="shows">nothing</xsl:attribute>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </m:link>
  </xsl:template>

  <!-- == lists == -->
  <!-- A list, a list of bibliographic items (and namesdates' listPerson … , which call this). -->
  <xsl:template match="tei:list | tei:listBibl" name="list">
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
              <xsl:apply-templates select="following-sibling::*[1]/self::*[self::tei:item]/node()"/>
            </m:item>
          </xsl:when>
          <xsl:when test="self::tei:item and preceding-sibling::*[1]/self::*[self::tei:label]"/>
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

  <!-- == phrases == -->
  <xsl:template match="tei:hi | tei:emph | tei:title | tei:term | tei:gloss | tei:unclear | tei:del | tei:add
                       | tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan
                       | tei:rs | tei:name | tei:num | tei:measure | tei:bibl
                       | tei:author | tei:editor | tei:publisher | tei:pubPlace | tei:idno | tei:biblScope | tei:citedRange
                       | tei:label | tei:time">
    <xsl:call-template name="generic"/>
  </xsl:template>

  <!-- Index entries carry no reading text. -->
  <xsl:template match="tei:index"/>

  <xsl:template match="comment() | processing-instruction()"/>

  <!-- == fallback == -->
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
          <!-- by local name: a TEI example (egXML) writes the same elements in its own namespace -->
          <xsl:attribute name="style">
            <xsl:choose>
              <xsl:when test="local-name() = 'emph'">emphasis</xsl:when>
              <xsl:when test="local-name() = 'title'">title</xsl:when>
              <xsl:when test="local-name() = 'del'">deletion</xsl:when>
              <xsl:when test="local-name() = 'add'">addition</xsl:when>
            </xsl:choose>
          </xsl:attribute>
          <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
          <!-- an addition, deletion or unclear reading of letters inside a word
               ("schwier<add>i</add>ge"): the outputs mark it without breaking the word -->
          <xsl:if test="local-name() = 'add' or local-name() = 'del' or local-name() = 'unclear'">
            <xsl:variable name="prev" select="preceding-sibling::node()[1]/self::node()[self::text()]"/>
            <xsl:variable name="next" select="following-sibling::node()[1]/self::node()[self::text()]"/>
            <xsl:variable name="stops" select="' &#9;&#10;&#13;.,;:!?()[]{}-–—/&quot;“”„‘’«»'"/>
            <xsl:if test="($prev and not(contains($stops, substring($prev, string-length($prev)))))
                          or ($next and not(contains($stops, substring($next, 1, 1))))">
              <xsl:attribute name="in-word">true</xsl:attribute>
            </xsl:if>
          </xsl:if>
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
</xsl:stylesheet>
