<?xml version="1.0" encoding="UTF-8"?>
<!-- Phrases: names, dates, foreign words, quotations, links, generic inlines. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="urn:teipress:model"
    xmlns:tpf="urn:teipress:functions"
    exclude-result-prefixes="m tpf">

  <!-- A name links to its register entry; the short description shows on hover and focus
       (data-tip, CSS) and is announced through the side panel's description (aria-describedby). -->
  <xsl:template match="m:name[@ref]">
    <xsl:variable name="first" select="substring-before(concat(@ref, ' '), ' ')"/>
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$nested = 'true' or not(ancestor::m:text)"><xsl:call-template name="unlinked-name"/></xsl:when>
      <xsl:otherwise>
        <a class="tp-name tp-{@kind}" id="{@id}" data-tip="{@desc}" aria-describedby="tp-desc-{$first}">
          <xsl:attribute name="href">
            <xsl:call-template name="register-href">
              <xsl:with-param name="kind" select="@kind"/>
              <xsl:with-param name="anchor" select="$first"/>
            </xsl:call-template>
          </xsl:attribute>
          <xsl:call-template name="lang"/>
          <xsl:apply-templates/>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A name pointing to an entry of a list in the document itself (FRUS's List of Persons):
       the link goes to that entry, on whichever page holds it; the entry's text on hover and focus. -->
  <xsl:template match="m:name[@target][@doc]">
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:variable name="here"><xsl:call-template name="page-of"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$nested = 'true' or not(ancestor::m:text)"><xsl:call-template name="unlinked-name"/></xsl:when>
      <xsl:otherwise>
        <a class="tp-name tp-{@kind}" id="{@id}" data-tip="{@desc}" aria-describedby="tp-desc-{@doc}.{@target}">
          <xsl:attribute name="href">
            <xsl:if test="$here != $page"><xsl:value-of select="concat($root, $here)"/></xsl:if>
            <xsl:value-of select="concat('#', @target)"/>
          </xsl:attribute>
          <xsl:call-template name="lang"/>
          <xsl:apply-templates/>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A name without a link (unresolved, or an entry of a list in the document): a span; an
       abbreviation of the document's list inside a linked name (KWP in "KWP CC"): <abbr> with its
       expansion, as links cannot nest. -->
  <xsl:template name="unlinked-term">
    <abbr class="tp-name tp-term" title="{@desc}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </abbr>
  </xsl:template>

  <xsl:template match="m:name" name="unlinked-name">
    <xsl:choose>
      <xsl:when test="@kind = 'term' and @desc and ancestor::m:text"><xsl:call-template name="unlinked-term"/></xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:attribute name="class">tp-name<xsl:if test="@kind"> tp-<xsl:value-of select="@kind"/></xsl:if></xsl:attribute>
          <xsl:if test="@id and ancestor::m:text"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
          <xsl:call-template name="lang"/>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The page (path from the site root) that holds element @target of document @doc: a split
       document (edition.toml split) has one per division (tpf:page, teipress/outputs/html.py); without
       that function, the document's own page. -->
  <xsl:template name="page-of">
    <xsl:choose>
      <xsl:when test="function-available('tpf:page')"><xsl:value-of select="tpf:page(string(@doc), string(@target))"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('documents/', @doc, '.html')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- <time> only where there is a machine-readable date: a span has none in HTML. -->
  <xsl:template match="m:date">
    <xsl:variable name="exact" select="@precision = 'day' or @precision = 'month' or @precision = 'year'"/>
    <xsl:element name="{substring('timespan', 1 + 4 * not($exact), 4)}">
      <xsl:attribute name="class">tp-date</xsl:attribute>
      <xsl:if test="@id and ancestor::m:text"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="$exact"><xsl:attribute name="datetime"><xsl:value-of select="@value"/></xsl:attribute></xsl:if>
      <xsl:if test="@cert"><xsl:attribute name="data-cert"><xsl:value-of select="@cert"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="m:foreign">
    <i class="tp-foreign">
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </i>
  </xsl:template>

  <!-- <q> makes the browser supply the quotation marks the editors removed from the text. -->
  <xsl:template match="m:quote">
    <xsl:choose>
      <xsl:when test="@marks = 'add'">
        <q class="tp-quote"><xsl:call-template name="lang"/><xsl:apply-templates/></q>
      </xsl:when>
      <xsl:otherwise>
        <span class="tp-quote tp-{@tei}"><xsl:call-template name="lang"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A ptr or empty ref shows its target as text: the class says so (tests and styles know). -->
  <xsl:template match="m:link[@shows = 'target']">
    <span class="tp-shows-target"><xsl:call-template name="link"/></span>
  </xsl:template>

  <xsl:template match="m:link" name="link">
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:variable name="scheme"><xsl:call-template name="url-scheme"><xsl:with-param name="url" select="@href"/></xsl:call-template></xsl:variable>
    <xsl:choose>
      <xsl:when test="$nested = 'true'">
        <span class="tp-link"><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:when test="@scope = 'external' and $scheme != ''">
        <a class="tp-ext" href="{@href}" rel="noopener noreferrer"><xsl:call-template name="lang"/><xsl:apply-templates/></a>
      </xsl:when>
      <xsl:when test="@scope = 'register'">
        <a class="tp-link">
          <xsl:attribute name="href">
            <xsl:call-template name="register-href">
              <xsl:with-param name="kind" select="@kind"/>
              <xsl:with-param name="anchor" select="@ref"/>
            </xsl:call-template>
          </xsl:attribute>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:when test="@scope = 'edition'">
        <!-- The page holding the target: a split document (edition.toml split) has one per division. -->
        <xsl:variable name="here"><xsl:call-template name="page-of"/></xsl:variable>
        <a class="tp-link">
          <xsl:attribute name="href">
            <xsl:if test="$here != $page"><xsl:value-of select="concat($root, $here)"/></xsl:if>
            <xsl:if test="@target"><xsl:value-of select="concat('#', @target)"/></xsl:if>
            <xsl:if test="$here = $page and not(@target)">#</xsl:if>
          </xsl:attribute>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="tp-link tp-dropped"><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="m:anchor">
    <span class="tp-anchor" id="{@id}"></span>
  </xsl:template>

  <xsl:template match="m:line-break[@break = 'no']"/>
  <xsl:template match="m:line-break"><xsl:text> </xsl:text></xsl:template>
  <!-- ... except in a letter's parts the source's line breaks are kept: a closer's lines stay lines. -->
  <xsl:template match="m:line-break[not(@break = 'no')][ancestor::m:block[contains(' opener closer dateline salute signed postscript address ', concat(' ', @style, ' '))]]">
    <br/>
  </xsl:template>

  <!-- A formula: MathML, which browsers typeset, rebuilt from the model's checked tree (only
       MathML's presentation elements and attributes; the model chose them). -->
  <xsl:template match="m:math">
    <math xmlns="http://www.w3.org/1998/Math/MathML" display="{@display}">
      <xsl:apply-templates select="m:mml"/>
    </math>
  </xsl:template>
  <xsl:template match="m:mml">
    <xsl:variable name="el">
      <xsl:choose>
        <xsl:when test="contains(' mrow mi mn mo mtext ms mspace msub msup msubsup munder mover munderover mfrac msqrt mroot mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror mmultiscripts mprescripts none ', concat(' ', @el, ' '))"><xsl:value-of select="@el"/></xsl:when>
        <!-- <mfenced> is not in MathML Core: its fences and separators as operators in a row -->
        <xsl:otherwise>mrow</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$el}" namespace="http://www.w3.org/1998/Math/MathML">
      <xsl:for-each select="@mathvariant | @stretchy | @fence | @separator | @lspace | @rspace | @linethickness | @accent | @accentunder | @notation | @columnspan | @rowspan | @width | @displaystyle | @scriptlevel | @largeop | @movablelimits">
        <xsl:attribute name="{local-name()}"><xsl:value-of select="."/></xsl:attribute>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="@el = 'mfenced'">
          <xsl:variable name="separators" select="translate(concat(@separators, substring(',', 1, number(not(@separators)))), ' ', '')"/>
          <mo xmlns="http://www.w3.org/1998/Math/MathML" fence="true"><xsl:value-of select="concat(@open, substring('(', 1, number(not(@open))))"/></mo>
          <xsl:for-each select="m:mml">
            <xsl:if test="position() &gt; 1 and $separators != ''">
              <mo xmlns="http://www.w3.org/1998/Math/MathML" separator="true"><xsl:value-of select="substring($separators, (position() - 2) mod string-length($separators) + 1, 1)"/></mo>
            </xsl:if>
            <xsl:apply-templates select="."/>
          </xsl:for-each>
          <mo xmlns="http://www.w3.org/1998/Math/MathML" fence="true"><xsl:value-of select="concat(@close, substring(')', 1, number(not(@close))))"/></mo>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!-- Generic phrases: the HTML element that says what the model's @style says, else what @rend
       asks for, else a span; the TEI name is only a class (a hook for the style sheet). -->
  <!-- Forme work (a running head, catchword, the source's page number): a small grey label
       beside the text, not words of the sentence. -->
  <xsl:template match="m:inline[@style = 'forme-work']">
    <span class="tp-fw">
      <xsl:if test="@type"><xsl:attribute name="data-type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- A numbered milestone: its brackets are text, as in the PDF, so that the label never runs
       into the word beside it when the text is copied, searched or read aloud ("[line 2a_1]Tam"). -->
  <xsl:template match="m:inline[@style = 'milestone']">
    <span class="tp-milestone">
      <xsl:call-template name="lang"/>
      <xsl:text>[</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="m:inline">
    <xsl:variable name="rend" select="concat(' ', @rend, ' ')"/>
    <xsl:variable name="el">
      <xsl:choose>
        <!-- a phrase holding whole lines (a surplus or secl of verse lines): a div, not a span -->
        <xsl:when test="m:line | m:paragraph | m:block">div</xsl:when>
        <xsl:when test="@style = 'emphasis'">em</xsl:when>
        <xsl:when test="@style = 'title'">cite</xsl:when>
        <xsl:when test="@style = 'deletion'">del</xsl:when>
        <xsl:when test="@style = 'addition'">ins</xsl:when>
        <xsl:when test="contains($rend, ' sup') or contains($rend, 'superscript')">sup</xsl:when>
        <xsl:when test="contains($rend, ' sub ') or contains($rend, 'subscript')">sub</xsl:when>
        <xsl:when test="contains($rend, 'italic') or contains($rend, ' i ')">i</xsl:when>
        <xsl:when test="contains($rend, 'bold') or contains($rend, ' b ')">b</xsl:when>
        <xsl:otherwise>span</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$el}">
      <xsl:attribute name="class">tp-<xsl:value-of select="translate(@tei, ' ', '')"/></xsl:attribute>
      <xsl:if test="@rend"><xsl:attribute name="data-rend"><xsl:value-of select="@rend"/></xsl:attribute></xsl:if>
      <xsl:if test="@looks"><xsl:attribute name="data-looks"><xsl:value-of select="@looks"/></xsl:attribute></xsl:if>
      <xsl:if test="@in-word"><xsl:attribute name="data-in-word">true</xsl:attribute></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
