<?xml version="1.0" encoding="UTF-8"?>
<!--
  The model's global parameters and variables: everything that tunes what a TEI element means
  for one edition is here, and nowhere else.  teipress runs the model with the defaults; a
  parameter can be set when the stylesheet is run (lxml: transform(doc, name="' a b '");
  xsltproc: its stringparam option).  List-valued parameters are space-separated with a space
  at each end (' a b '), so that contains($list, concat(' ', $value, ' ')) finds whole words.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    xmlns:tpf="urn:teipress:functions"
    xmlns:exsl="http://exslt.org/common"
    extension-element-prefixes="exsl"
    exclude-result-prefixes="tei tpf">

  <!-- published-supplied-reasons: the supplied/@reason values whose text is printed in the
       source (an author's or translator's own bracketed clarification), so it belongs to the
       reading "as published"; any other supplied text is the editors' restoration.
       Values: category ids of the edition's supplied-reasons taxonomy, space-separated.
       Default: ' clarification '.  Read by transcr.xsl (m:supplied/@published). -->
  <xsl:param name="published-supplied-reasons" select="' clarification '"/>

  <!-- published-note-types: the note/@type values printed in the source; notes of any other
       type (or none) are additions of the editors.
       Values: note types, space-separated.  Default: ' translator author authorial original '.
       Read by core.xsl (m:note/@published). -->
  <xsl:param name="published-note-types" select="' translator author authorial original '"/>

  <!-- machine-title-types: titleStmt/title/@type values of titles written for machines (a
       sorting key, an ISO date), never shown nor taken for the document's title; a title with
       @when-iso is one too.  Values: title types, space-separated.
       Default: ' iso-date iso sort sortkey sort-key date-iso machine '.
       Read by model-header.xsl (m:title/@machine). -->
  <xsl:param name="machine-title-types" select="' iso-date iso sort sortkey sort-key date-iso machine '"/>

  <!-- registry: every pointer of this document resolved across the edition's files, handed in by
       Python through the extension function tpf:registry() (teipress.model.registry): m:pointer
       (key, label, name; anchor/kind for a register entry; doc/target for a place in the
       edition; list for an in-document list entry) and m:keyed (names by @key).
       Without the function (xsltproc) the registry is empty: names stay unlinked, no text is
       lost.  (registry-copy: a copy, because XSLT 1.0 cannot call a function only where it
       exists inside one expression; the copy costs no measurable time.) -->
  <xsl:variable name="registry-copy">
    <xsl:if test="function-available('tpf:registry')"><xsl:copy-of select="tpf:registry()/self::m:registry"/></xsl:if>
  </xsl:variable>
  <xsl:variable name="registry" select="exsl:node-set($registry-copy)/m:registry"/>

  <!-- doc-id: the document id used for file names and m:document/@id.
       Values: the registry's @doc (teipress.model.paths.document_ids), else TEI/@xml:id, else 'document'. -->
  <xsl:variable name="doc-id">
    <xsl:choose>
      <xsl:when test="$registry/@doc"><xsl:value-of select="$registry/@doc"/></xsl:when>
      <xsl:when test="/tei:TEI/@xml:id"><xsl:value-of select="/tei:TEI/@xml:id"/></xsl:when>
      <xsl:otherwise>document</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- header: the document's teiHeader, where the taxonomies (note types, gap and supplied
       reasons) and the editorial declarations that tune the model are read. -->
  <xsl:variable name="header" select="/tei:TEI/tei:teiHeader"/>

  <!-- quote-marks: whether quotation marks are in the text (m:quote/@marks).
       Values: 'keep' when the editors declare <quotation marks="all"/> (the text keeps its
       marks), else 'add' (the marks were removed: the output supplies them).  Default: 'add'.
       (tei:mentioned is always 'none', in core.xsl.) -->
  <xsl:variable name="quote-marks">
    <xsl:choose>
      <xsl:when test="$header/tei:encodingDesc/tei:editorialDecl/tei:quotation/@marks = 'all'">keep</xsl:when>
      <xsl:otherwise>add</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- note-numbers-rtf, note-numbers: every note in the text of each TEI document with its
       number (m:note-number/@note = generate-id() of the note, @n), in one pass over the
       document, so that numbering is linear in the number of notes (core.xsl, template
       note-number, looks a note up by key).  Not a parameter: computed from the document. -->
  <xsl:variable name="note-numbers-rtf">
    <xsl:for-each select="//tei:TEI">
      <xsl:variable name="tei" select="generate-id()"/>
      <!-- a note inside an app is part of its apparatus entry (textcrit.xsl), not a footnote -->
      <xsl:variable name="placed-rtf">
        <xsl:for-each select=".//tei:text//tei:note[not(parent::tei:app)][generate-id(ancestor::tei:TEI[1]) = $tei]">
          <m:note-number note="{generate-id()}">
            <xsl:attribute name="placement"><xsl:call-template name="note-placement"/></xsl:attribute>
          </m:note-number>
        </xsl:for-each>
      </xsl:variable>
      <!-- a note printed in the margin or in the line is not a footnote and takes no number -->
      <xsl:for-each select="exsl:node-set($placed-rtf)/m:note-number[@placement = 'foot' or @placement = 'end']">
        <m:note-number note="{@note}" n="{position()}"/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="note-numbers" select="exsl:node-set($note-numbers-rtf)"/>
  <!-- mml-elements, mml-attributes: the MathML presentation elements and attributes a formula
       keeps in the model (figures.xsl); any other element becomes a row of its content, any
       other attribute is dropped.  Not parameters: MathML's own vocabulary. -->
  <xsl:variable name="mml-elements" select="' mrow mi mn mo mtext ms mspace msub msup msubsup munder mover munderover mfrac msqrt mroot mfenced mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror mmultiscripts mprescripts none '"/>
  <xsl:variable name="mml-attributes" select="' mathvariant stretchy fence separator separators lspace rspace linethickness accent accentunder open close notation columnalign rowalign columnspan rowspan width displaystyle scriptlevel largeop movablelimits '"/>


  <!-- foreign-elements: whether the document holds an element outside the TEI namespace (an
       egXML's, MathML's); ids count siblings by local name the slow way only then (common.xsl,
       template ordinal).  Not a key of such elements: a key's match pattern with a predicate
       is tested counting each element's siblings, the square of a long run of siblings (see
       textstructure.xsl).  Not a parameter: computed from the document. -->
  <xsl:variable name="foreign-elements" select="boolean(//*[not(self::tei:*)])"/>

  <!-- line-numbers-rtf, line-numbers: every verse line (l) in the text of each TEI document,
       readings left out, with its place among them (m:line-number/@l = generate-id(), @n), in
       one pass: the number an apparatus entry is keyed by when the line has no @n (textcrit.xsl,
       template line-no, looks it up by key; counting the lines before each would be quadratic).
       Not a parameter: computed from the document. -->
  <xsl:variable name="line-numbers-rtf">
    <xsl:for-each select="//tei:TEI">
      <xsl:variable name="tei" select="generate-id()"/>
      <xsl:for-each select=".//tei:text//tei:l[not(ancestor::tei:rdg)][generate-id(ancestor::tei:TEI[1]) = $tei]">
        <m:line-number l="{generate-id()}" n="{position()}"/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="line-numbers" select="exsl:node-set($line-numbers-rtf)"/>
</xsl:stylesheet>
