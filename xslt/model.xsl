<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI P5 → teipress behaviour model (namespace urn:teipress:model).

  What each TEI element MEANS for a reader is decided here, once; every output
  (xslt/html.xsl, teipress/typst/) renders the same small closed set of
  behaviours.  The vocabulary is documented in xslt/MODEL.md.

  Input: one TEI document.  Pointers (@ref, @who, @resp, @target …) are resolved
  by Python (teipress/model/behaviour.py), which hands in a registry document through the
  extension function tpf:registry() (model/param.xsl); without it (e.g. xsltproc) names simply
  stay unlinked.  Text is copied as text: nothing from TEI ever becomes markup.

  One file per TEI module, as in the TEI Stylesheets (xslt/model/): adding support for an
  element is one template in its module's file.  Parameters: model/param.xsl.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:m="urn:teipress:model"
    exclude-result-prefixes="tei">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:include href="model/param.xsl"/>         <!-- parameters and global variables -->
  <xsl:include href="model/common.xsl"/>
  <xsl:include href="model/rend.xsl"/>          <!-- the rend vocabulary: @rend, @rendition, @style → @looks -->        <!-- ids, labels, pointer targets, URL rule, plain text -->
  <xsl:include href="model/textstructure.xsl"/> <!-- the document, text, front/body/back, divisions -->
  <xsl:include href="model/core.xsl"/>          <!-- paragraphs, verse, notes, choice, quotations, links, lists, fallback -->
  <xsl:include href="model/namesdates.xsl"/>    <!-- names, list entries, dates -->
  <xsl:include href="model/transcr.xsl"/>       <!-- supplied, space, transcription phrases -->
  <xsl:include href="model/drama.xsl"/>         <!-- speeches, speakers, stage directions -->
  <xsl:include href="model/msdescription.xsl"/> <!-- manuscript descriptions as labelled fields -->
  <xsl:include href="model/figures.xsl"/>       <!-- tables, figures, images -->
  <xsl:include href="model/linking.xsl"/>       <!-- ab, anchors, segments -->
  <xsl:include href="model/analysis.xsl"/>      <!-- w, c, pc -->
  <xsl:include href="model/tagdocs.xsl"/>       <!-- egXML: markup examples as code -->
  <xsl:include href="model/textcrit.xsl"/>      <!-- the apparatus (fallback) -->
  <xsl:include href="model-header.xsl"/>        <!-- teiHeader → m:metadata -->
</xsl:stylesheet>
