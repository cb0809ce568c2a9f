<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI module "textcrit" (critical apparatus).  The lemma is the text; the readings are the
  apparatus.  Each app becomes one m:app (xslt/MODEL.md, "Critical apparatus"):

    m:app  id, at (the line or paragraph it is keyed by: "29", "8–11", "¶ 3"), unit (line,
           paragraph), kind (inline: inside a line or paragraph; lines: holding whole lines or
           paragraphs; apparatus: its text is elsewhere, where @from points: a location-
           referenced or double end-point app, whose lemma only repeats that text),
           target (location-referenced: the id of the element it comments)
      m:lemma     wit (ids)   the lemma: phrases (inline) or blocks (lines); the running text
      m:entry                 the apparatus entry, never running text:
        m:siglum*             the lemma's witnesses and sources
        m:variant wit type cause cert om="true" (empty reading)   one per rdg
          phrases, then m:siglum*, then m:app-note* (the notes whose @target is this reading)
        m:app-note            a note on the whole entry, where it stands
  m:siglum  ref (witness or source id), kind (witness, source): the siglum as text.
  Witnesses (listWit in the header) become m:witnesses in the metadata (the conspectus
  siglorum), with the sources that readings cite (@source → bibl).  A witness's detail is a
  statement about a reading: a note of the entry.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">
  <xsl:template match="tei:witDetail"/>

  <!-- Elements by xml:id (a siglum's witness, a note's reading, a location-referenced app's word). -->
  <xsl:key name="tc-id" match="*[@xml:id]" use="@xml:id"/>

  <!-- A paragraph or block holding only location-referenced apps (a collation beside the text)
       is no text: its apps alone, which the outputs anchor at the words they name. -->
  <xsl:template match="tei:ab[tei:app[@from]][not(text()[normalize-space()])][not(*[not(self::tei:app[@from])])]
                       | tei:p[tei:app[@from]][not(text()[normalize-space()])][not(*[not(self::tei:app[@from])])]">
    <xsl:apply-templates select="tei:app"/>
  </xsl:template>

  <!-- == the app == -->
  <xsl:template match="tei:app">
    <xsl:variable name="blocks" select="boolean(tei:lem//tei:l | tei:lem//tei:p | tei:lem//tei:lg | tei:lem//tei:div
                                                | tei:rdg//tei:l | tei:rdg//tei:p | tei:rdgGrp//tei:l)"/>
    <xsl:variable name="target" select="substring-after(normalize-space(concat(@from, ' ', @loc)), '#')"/>
    <xsl:variable name="from-id">
      <xsl:choose>
        <xsl:when test="contains($target, ' ')"><xsl:value-of select="substring-before($target, ' ')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$target"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="anchor" select="key('tc-id', $from-id)[1]"/>
    <m:app>
      <xsl:call-template name="id-attr"/>
      <xsl:attribute name="kind">
        <xsl:choose>
          <!-- location-referenced or double end-point (@from): the text is where @from points;
               a lemma here only repeats it -->
          <xsl:when test="$anchor">apparatus</xsl:when>
          <xsl:when test="$blocks or not(ancestor::tei:l or ancestor::tei:p or ancestor::tei:ab or ancestor::tei:head
                          or ancestor::tei:note or ancestor::tei:item or ancestor::tei:cell)">lines</xsl:when>
          <xsl:otherwise>inline</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:if test="$anchor">
        <!-- the line, paragraph or other block that holds the commented element: the outputs
             mark and key that (a word of it has no place of its own in the outputs) -->
        <xsl:attribute name="target">
          <xsl:for-each select="$anchor/ancestor-or-self::*[self::tei:l or self::tei:p or self::tei:ab or self::tei:head][1]">
            <xsl:call-template name="id"/>
          </xsl:for-each>
        </xsl:attribute>
      </xsl:if>
      <!-- readings between lines without a lemma (lines moved, added or left out by some
           witnesses) are keyed by the line before them: the print anchors them there -->
      <xsl:if test="not(tei:lem) and not($anchor) and $blocks">
        <xsl:for-each select="preceding::tei:l[ancestor::tei:text][not(ancestor::tei:rdg)][1]">
          <xsl:attribute name="target"><xsl:call-template name="id"/></xsl:attribute>
        </xsl:for-each>
      </xsl:if>
      <xsl:for-each select="($anchor | self::*[not($anchor)])[1]">
        <xsl:call-template name="app-key"/>
      </xsl:for-each>
      <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:for-each select="tei:lem">
        <m:lemma>
          <xsl:call-template name="tc-wit"/>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:lemma>
      </xsl:for-each>
      <m:entry>
        <xsl:for-each select="tei:lem">
          <xsl:call-template name="sigla"/>
          <xsl:call-template name="notes-on"/>
        </xsl:for-each>
        <xsl:apply-templates select="tei:rdg | tei:rdgGrp | tei:note | tei:lacunaStart | tei:lacunaEnd
                                     | tei:witStart | tei:witEnd | tei:wit | tei:witDetail" mode="entry"/>
      </m:entry>
    </m:app>
  </xsl:template>

  <!-- What an entry is keyed by: the line (its @n, else its place among the text's lines), the
       lines a lemma of whole lines spans ("8–11"), else the paragraph ("¶ 3"). -->
  <xsl:template name="app-key">
    <xsl:variable name="lines" select="tei:lem//tei:l"/>
    <xsl:variable name="line" select="ancestor-or-self::tei:l[1]"/>
    <xsl:variable name="para" select="ancestor-or-self::*[self::tei:p or self::tei:ab][1]"/>
    <xsl:choose>
      <xsl:when test="$lines">
        <xsl:attribute name="unit">line</xsl:attribute>
        <xsl:attribute name="at">
          <xsl:for-each select="$lines[1]"><xsl:call-template name="line-no"/></xsl:for-each>
          <xsl:if test="count($lines[not(ancestor::tei:rdg)]) &gt; 1">
            <xsl:text>–</xsl:text>
            <xsl:for-each select="$lines[not(ancestor::tei:rdg)][last()]"><xsl:call-template name="line-no"/></xsl:for-each>
          </xsl:if>
        </xsl:attribute>
      </xsl:when>
      <xsl:when test="$line">
        <xsl:attribute name="unit">line</xsl:attribute>
        <xsl:attribute name="at"><xsl:for-each select="$line"><xsl:call-template name="line-no"/></xsl:for-each></xsl:attribute>
      </xsl:when>
      <!-- a paragraph of prose (one holding verse lines keys its apps by the line before them) -->
      <xsl:when test="$para and ($para/text()[normalize-space()] or not($para//tei:l))">
        <xsl:attribute name="unit">paragraph</xsl:attribute>
        <xsl:attribute name="at">
          <xsl:text>¶ </xsl:text>
          <xsl:choose>
            <xsl:when test="$para/@n"><xsl:value-of select="$para/@n"/></xsl:when>
            <!-- its place among the paragraphs of the text (a block holding only apps is none) -->
            <xsl:otherwise><xsl:value-of select="count($para/preceding::*[self::tei:p or self::tei:ab][ancestor::tei:text]
                                                   [text()[normalize-space()] or *[not(self::tei:app)]]) + 1"/></xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
      </xsl:when>
      <xsl:otherwise>
        <!-- readings between lines (a transposition, a line only some witnesses have): after the
             line before (looked for only here: a scan back through the text) -->
        <xsl:variable name="before" select="preceding::tei:l[ancestor::tei:text][not(ancestor::tei:rdg)][1]"/>
        <xsl:choose>
          <xsl:when test="$before">
            <xsl:attribute name="unit">line</xsl:attribute>
            <xsl:attribute name="at"><xsl:for-each select="$before"><xsl:call-template name="line-no"/></xsl:for-each></xsl:attribute>
          </xsl:when>
          <xsl:otherwise>
            <xsl:attribute name="unit">paragraph</xsl:attribute>
            <xsl:attribute name="at">¶ 1</xsl:attribute>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- $line-numbers (param.xsl): the place of every line among its document's lines -->
  <xsl:key name="tc-line-no" match="m:line-number" use="@l"/>

  <!-- A line's number: its @n, else its place among the lines of the text. -->
  <xsl:template name="line-no">
    <xsl:choose>
      <xsl:when test="normalize-space(@n)"><xsl:value-of select="normalize-space(@n)"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="l" select="generate-id()"/>
        <xsl:for-each select="$line-numbers"><xsl:value-of select="key('tc-line-no', $l)/@n"/></xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- == the entry: readings, their sigla, notes == -->
  <xsl:template match="tei:rdgGrp" mode="entry">
    <xsl:apply-templates select="*" mode="entry"/>
  </xsl:template>

  <xsl:template match="tei:rdg" mode="entry">
    <m:variant>
      <xsl:call-template name="id-attr"/>
      <xsl:call-template name="tc-wit"/>
      <xsl:for-each select="(@type | ancestor::tei:rdgGrp/@type)[last()]">
        <xsl:attribute name="type"><xsl:value-of select="."/></xsl:attribute>
      </xsl:for-each>
      <xsl:if test="@cause"><xsl:attribute name="cause"><xsl:value-of select="@cause"/></xsl:attribute></xsl:if>
      <xsl:if test="@cert"><xsl:attribute name="cert"><xsl:value-of select="@cert"/></xsl:attribute></xsl:if>
      <xsl:call-template name="common"/>
      <xsl:choose>
        <!-- a reading that moves or removes lines (l copyOf): which lines -->
        <xsl:when test=".//tei:l[@copyOf] and not(normalize-space())">
          <xsl:text>ll. </xsl:text>
          <xsl:for-each select=".//tei:l[@copyOf]">
            <xsl:if test="position() = 1 or position() = last()">
              <xsl:if test="position() &gt; 1">–</xsl:if>
              <xsl:variable name="n" select="key('tc-id', substring-after(@copyOf, '#'))/@n"/>
              <xsl:choose>
                <xsl:when test="$n"><xsl:value-of select="$n"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="substring-after(@copyOf, '#')"/></xsl:otherwise>
              </xsl:choose>
            </xsl:if>
          </xsl:for-each>
          <xsl:if test=".//tei:secl"> secl.</xsl:if>
          <xsl:if test=".//tei:surplus"> del.</xsl:if>
        </xsl:when>
        <xsl:when test="not(normalize-space()) and not(.//tei:gap | .//tei:lacunaStart | .//tei:lacunaEnd | .//tei:witStart | .//tei:witEnd)">
          <xsl:attribute name="om">true</xsl:attribute>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="sigla"/>
      <xsl:call-template name="notes-on"/>
    </m:variant>
  </xsl:template>

  <!-- A note on one reading (its @target) follows that reading; any other note stands where it is. -->
  <xsl:template match="tei:note" mode="entry">
    <xsl:variable name="t" select="substring-after(normalize-space(@target), '#')"/>
    <xsl:if test="$t = '' or not(../tei:lem[@xml:id = $t] | ../tei:rdg[@xml:id = $t] | ../tei:rdgGrp/tei:rdg[@xml:id = $t])">
      <m:app-note><xsl:call-template name="id-attr"/><xsl:apply-templates/></m:app-note>
    </xsl:if>
  </xsl:template>

  <xsl:template name="notes-on">
    <xsl:variable name="id" select="concat('#', @xml:id)"/>
    <xsl:if test="@xml:id">
      <xsl:for-each select="ancestor::tei:app[1]/tei:note[normalize-space(@target) = $id]">
        <m:app-note><xsl:call-template name="id-attr"/><xsl:apply-templates/></m:app-note>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- Where a fragmentary witness breaks off or resumes (inside a reading or the app). -->
  <xsl:template match="tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd">
    <m:inline tei="{local-name()}" style="witness-mark">
      <xsl:call-template name="tc-wit"/>
      <xsl:choose>
        <xsl:when test="self::tei:lacunaStart">lacuna begins</xsl:when>
        <xsl:when test="self::tei:lacunaEnd">lacuna ends</xsl:when>
        <xsl:when test="self::tei:witStart">text begins</xsl:when>
        <xsl:otherwise>text ends</xsl:otherwise>
      </xsl:choose>
    </m:inline>
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd" mode="entry">
    <m:variant>
      <xsl:call-template name="tc-wit"/>
      <xsl:apply-templates select="."/>
      <xsl:call-template name="sigla"/>
    </m:variant>
  </xsl:template>
  <!-- what the editors say about a witness's reading: part of the entry -->
  <xsl:template match="tei:witDetail" mode="entry">
    <m:app-note><xsl:call-template name="tc-wit"/><xsl:apply-templates/></m:app-note>
  </xsl:template>
  <xsl:template match="tei:wit" mode="entry">
    <m:app-note><xsl:apply-templates/></m:app-note>
  </xsl:template>
  <xsl:template match="*" mode="entry"/>

  <!-- A reading's witnesses (ids, its group's if it has none of its own). -->
  <xsl:template name="tc-wit">
    <xsl:variable name="w" select="(@wit | ancestor::tei:rdgGrp[@wit][1]/@wit)[last()]"/>
    <xsl:variable name="s" select="(@source | ancestor::tei:rdgGrp[@source][1]/@source)[last()]"/>
    <xsl:if test="normalize-space($w)">
      <xsl:attribute name="wit"><xsl:call-template name="ids"><xsl:with-param name="pointers" select="$w"/></xsl:call-template></xsl:attribute>
    </xsl:if>
    <xsl:if test="normalize-space($s)">
      <xsl:attribute name="source"><xsl:call-template name="ids"><xsl:with-param name="pointers" select="$s"/></xsl:call-template></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- "#A file.xml#B C" → "A B C" -->
  <xsl:template name="ids">
    <xsl:param name="pointers"/>
    <xsl:variable name="p" select="normalize-space($pointers)"/>
    <xsl:if test="$p != ''">
      <xsl:variable name="first">
        <xsl:choose><xsl:when test="contains($p, ' ')"><xsl:value-of select="substring-before($p, ' ')"/></xsl:when><xsl:otherwise><xsl:value-of select="$p"/></xsl:otherwise></xsl:choose>
      </xsl:variable>
      <xsl:choose>
        <xsl:when test="contains($first, '#')"><xsl:value-of select="substring-after($first, '#')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$first"/></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="contains($p, ' ')">
        <xsl:text> </xsl:text>
        <xsl:call-template name="ids"><xsl:with-param name="pointers" select="substring-after($p, ' ')"/></xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- The sigla of a reading (its group's if it has none): its witnesses, then its sources. -->
  <xsl:template name="sigla">
    <xsl:variable name="ids"><xsl:call-template name="tc-wit-ids"/></xsl:variable>
    <xsl:call-template name="siglum-list"><xsl:with-param name="ids" select="normalize-space($ids)"/></xsl:call-template>
  </xsl:template>

  <xsl:template name="tc-wit-ids">
    <xsl:variable name="w" select="(@wit | ancestor::tei:rdgGrp[@wit][1]/@wit)[last()]"/>
    <xsl:variable name="s" select="(@source | ancestor::tei:rdgGrp[@source][1]/@source)[last()]"/>
    <xsl:call-template name="ids"><xsl:with-param name="pointers" select="$w"/></xsl:call-template>
    <xsl:text> </xsl:text>
    <xsl:call-template name="ids"><xsl:with-param name="pointers" select="$s"/></xsl:call-template>
  </xsl:template>

  <xsl:template name="siglum-list">
    <xsl:param name="ids"/>
    <xsl:if test="$ids != ''">
      <xsl:variable name="id">
        <xsl:choose><xsl:when test="contains($ids, ' ')"><xsl:value-of select="substring-before($ids, ' ')"/></xsl:when><xsl:otherwise><xsl:value-of select="$ids"/></xsl:otherwise></xsl:choose>
      </xsl:variable>
      <xsl:variable name="el" select="key('tc-id', $id)[1]"/>
      <m:siglum ref="{$id}">
        <xsl:attribute name="kind">
          <xsl:choose><xsl:when test="$el[self::tei:witness]">witness</xsl:when><xsl:otherwise>source</xsl:otherwise></xsl:choose>
        </xsl:attribute>
        <!-- in the conspectus (a witness of the header's listWit, a source the header describes) -->
        <xsl:if test="$el[ancestor::tei:teiHeader][self::tei:witness[ancestor::tei:listWit] or self::tei:bibl[not(ancestor::tei:bibl)]]
                      and /tei:TEI/tei:teiHeader//tei:sourceDesc/tei:listWit">
          <xsl:attribute name="listed">true</xsl:attribute>
        </xsl:if>
        <xsl:for-each select="$el[1]"><xsl:call-template name="siglum-text"/></xsl:for-each>
        <xsl:if test="not($el)"><xsl:value-of select="$id"/></xsl:if>
      </m:siglum>
      <xsl:call-template name="siglum-list"><xsl:with-param name="ids" select="substring-after($ids, ' ')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- A witness's siglum: its label, else its @n, else its xml:id; a source's: its @n, else its id. -->
  <xsl:template name="siglum-text">
    <xsl:choose>
      <xsl:when test="self::tei:witness and normalize-space(tei:label[1])"><xsl:value-of select="normalize-space(tei:label[1])"/></xsl:when>
      <xsl:when test="normalize-space(@n)"><xsl:value-of select="normalize-space(@n)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="@xml:id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- == the conspectus siglorum (header) == -->
  <!-- The list of witnesses in sourceDesc (read in mode source by model-header.xsl): every
       witness with its siglum and description, in its groups; then the sources the readings
       cite by @source. -->
  <xsl:template match="tei:listWit[not(ancestor::tei:listWit)]" mode="source">
    <m:witnesses>
      <xsl:apply-templates select="*" mode="conspectus"/>
      <xsl:variable name="readings" select="//tei:text//*[self::tei:lem or self::tei:rdg or self::tei:rdgGrp][@source]"/>
      <xsl:variable name="cited">
        <xsl:for-each select="/tei:TEI/tei:teiHeader//tei:bibl[@xml:id][not(ancestor::tei:bibl)]">
          <xsl:variable name="p" select="concat('#', @xml:id, ' ')"/>
          <xsl:if test="$readings[contains(concat(normalize-space(@source), ' '), $p)]">
            <xsl:apply-templates select="." mode="conspectus"/>
          </xsl:if>
        </xsl:for-each>
      </xsl:variable>
      <xsl:if test="string($cited) != ''">
        <m:witness-group label="Sources"><xsl:copy-of select="$cited"/></m:witness-group>
      </xsl:if>
    </m:witnesses>
  </xsl:template>

  <xsl:template match="tei:listWit" mode="conspectus">
    <m:witness-group label="{normalize-space(tei:head)}">
      <xsl:apply-templates select="*" mode="conspectus"/>
    </m:witness-group>
  </xsl:template>
  <xsl:template match="tei:head" mode="conspectus"/>

  <xsl:template match="tei:witness | tei:bibl" mode="conspectus">
    <m:witness ref="{@xml:id}">
      <xsl:attribute name="siglum"><xsl:call-template name="siglum-text"/></xsl:attribute>
      <xsl:apply-templates select="node()[not(self::tei:label[1] and not(preceding-sibling::tei:label))]"/>
    </m:witness>
  </xsl:template>
  <xsl:template match="*" mode="conspectus"/>
</xsl:stylesheet>
