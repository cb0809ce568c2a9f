<?xml version="1.0" encoding="UTF-8"?>
<!--
  What every module of the model needs, each rule once: stable ids, the common attributes,
  pointer labels and targets, taxonomy labels, capitalising a label, the one test of a URL that
  may leave the edition, and the plain reading text (mode "plain").

  Only named templates and mode "plain" here, never a template in the default mode: the HTML
  renderer (xslt/html.xsl) includes this file for the URL rule, and nothing in it may match
  the model's own elements there.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

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
          <xsl:call-template name="ordinal"/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An element's place among its siblings of the same local name (1, 2, …).  xsl:number
       counts the siblings of the same namespace and name in C; the XPath count() built a
       node-set of every preceding sibling and compared names as strings, for every id.  The
       two differ only where a sibling of another namespace has the same local name, so the
       count is kept in documents holding elements of another namespace (an egXML, MathML).
       ($foreign-elements, param.xsl.) -->
  <xsl:template name="ordinal">
    <xsl:choose>
      <xsl:when test="not($foreign-elements)"><xsl:number/></xsl:when>
      <xsl:otherwise><xsl:value-of select="count(preceding-sibling::*[local-name() = local-name(current())]) + 1"/></xsl:otherwise>
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
    <xsl:if test="@rend | @rendition | @style | self::tei:hi"><xsl:call-template name="looks"/></xsl:if>  <!-- rend.xsl -->
  </xsl:template>

  <!-- == labels == -->
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

  <!-- Who is responsible (@resp, with its label) and how certain (@cert). -->
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

  <!-- "excerpt" → "Excerpt": a label made from a TEI value starts with a capital (ASCII letters;
       a value in another script is left as it is). -->
  <xsl:template name="capitalise">
    <xsl:param name="text"/>
    <xsl:value-of select="concat(translate(substring($text, 1, 1), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), substring($text, 2))"/>
  </xsl:template>

  <!-- A type as words: "writingSession" → "writing session", "letter_part" → "letter part"
       (a machine's camelCase or underscores read as the words they are; the first letter kept). -->
  <xsl:template name="type-words">
    <xsl:param name="text"/>
    <xsl:param name="start" select="true()"/>
    <xsl:if test="$text != ''">
      <xsl:variable name="c" select="substring($text, 1, 1)"/>
      <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
      <xsl:choose>
        <xsl:when test="$c = '_'"><xsl:text> </xsl:text></xsl:when>
        <xsl:when test="not($start) and contains($upper, $c)">
          <xsl:value-of select="concat(' ', translate($c, $upper, 'abcdefghijklmnopqrstuvwxyz'))"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$c"/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="type-words">
        <xsl:with-param name="text" select="substring($text, 2)"/>
        <xsl:with-param name="start" select="false()"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- == pointer targets == -->
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

  <!-- == URL safety == -->
  <!-- The one rule for a URL that may leave the edition (a link, a remote image, a licence):
       it starts with http://, https:// or mailto: (the scheme in any case: URL schemes are
       case-insensitive) and holds no white space, quotation mark, angle bracket or backslash
       (nothing that could end an attribute or a URL, or that a browser would rewrite).
       Gives the scheme in lower case ('http', 'https', 'mailto'), or '' when the URL may not
       leave; the caller decides which schemes it accepts (an image: only http and https). -->
  <xsl:template name="url-scheme">
    <xsl:param name="url"/>
    <xsl:variable name="start" select="translate(substring($url, 1, 8), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:if test="translate($url, ' &#9;&#10;&#13;&quot;&lt;&gt;\', '') = $url">
      <xsl:choose>
        <xsl:when test="starts-with($start, 'https://')">https</xsl:when>
        <xsl:when test="starts-with($start, 'http://')">http</xsl:when>
        <xsl:when test="starts-with($start, 'mailto:')">mailto</xsl:when>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- == plain text == -->
  <!-- The reading text of an element, corrected reading, without notes (for labels). -->
  <xsl:template match="*" mode="plain"><xsl:apply-templates mode="plain"/></xsl:template>
  <xsl:template match="tei:note | tei:sic | tei:orig | tei:abbr | tei:figDesc" mode="plain"/>
  <xsl:template match="tei:choice[not(tei:corr | tei:reg | tei:expan)]/*[position() &gt; 1]" mode="plain"/>
  <xsl:template match="tei:gap" mode="plain">[…]</xsl:template>
  <xsl:template match="text()" mode="plain"><xsl:value-of select="translate(., '&#10;&#9;&#13;', '   ')"/></xsl:template>

  <!-- == laid-out blocks == -->
  <!-- An element with a layout of its own (a letter's closer, a cast list, a manuscript
       description's field): m:block with @style = $style (and @label, if given) where blocks
       stand; inside a phrase (a salute in a paragraph) it is the generic phrase. -->
  <xsl:template name="laid-out">
    <xsl:param name="style"/>
    <xsl:param name="label" select="''"/>
    <xsl:choose>
      <xsl:when test="ancestor::tei:p or ancestor::tei:ab or ancestor::tei:head or ancestor::tei:l or ancestor::tei:speaker
                      or ancestor::tei:label or ancestor::tei:cell or ancestor::tei:item or ancestor::tei:note
                      or ancestor::tei:teiHeader or parent::tei:quote or parent::tei:q">
        <xsl:call-template name="generic"/>
      </xsl:when>
      <xsl:otherwise>
        <m:block tei="{local-name()}" style="{$style}">
          <xsl:call-template name="id-attr"/>
          <xsl:if test="@type"><xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
          <xsl:if test="$label != ''"><xsl:attribute name="label"><xsl:value-of select="$label"/></xsl:attribute></xsl:if>
          <xsl:call-template name="common"/>
          <xsl:apply-templates/>
        </m:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
