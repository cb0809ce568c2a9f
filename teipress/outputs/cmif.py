"""Build stage `cmif`: the edition's letters in the Correspondence Metadata Interchange Format.

CMIF (TEI Correspondence SIG; the format correspSearch harvests) is a TEI file with one
``correspDesc`` per letter: sender and recipient (``persName``/``orgName`` with an authority
URI in ``@ref`` where the register knows one), places and ISO dates of sending and receipt,
``@ref`` the letter's page and ``@source`` the ``bibl`` of the edition.  It is written to
``html/cmif.xml`` so that it is published, and harvested, with the site; only for an edition
with letters (documents with ``correspDesc``).  Everything comes from the EditionModel
(teipress.model.correspondence); the bytes depend only on the sources and SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import uuid

from lxml import etree

from ..commands import cache as cache_mod, output
from ..commands.build import BuildContext
from ..model import paths
from . import key_memo
from ..xmlparse import TEI_NS, XML_ID

T = "{%s}" % TEI_NS
# correspSearch takes CC0 or CC BY 4.0 files only.
CC0 = ("https://creativecommons.org/publicdomain/zero/1.0/", "This file is licensed under the terms of the "
       "Creative Commons License CC0 1.0 (Public Domain Dedication)")
CC_BY = ("https://creativecommons.org/licenses/by/4.0/", "This file is licensed under the terms of the "
         "Creative Commons License CC-BY 4.0")
UNKNOWN = "Unknown"  # the CMIF's word for a sender or addressee nobody knows


def _el(parent, tag: str, text: str = "", **attrs) -> etree._Element:
    el = etree.SubElement(parent, T + tag, {k.rstrip("_"): v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def address(em, path: str) -> str:
    """A file of the site as the CMIF names it: absolute under base_url, else relative to the
    CMIF file (which lies at the site's root)."""
    return (em.base_url or "") + path


def bibl_id(em) -> str:
    """The edition's bibl/@xml:id: a UUID (as the CMIF recommends) made from the edition's
    address or id, so every build gives the same one; an xml:id may not start with a digit."""
    return "cmif-" + str(uuid.uuid5(uuid.NAMESPACE_URL, em.base_url or f"teipress:{em.metadata.id}"))


def _date(parent, when) -> None:
    """An ISO-dated date, or nothing (the CMIF forbids a date without a dating attribute)."""
    if when is None or not when.value:
        return
    _el(parent, "date", when=when.when, notBefore=when.not_before, notAfter=when.not_after,
        from_=when.from_, to=when.to, cert=when.cert if when.cert in ("low", "medium", "high") else "")


def _action(parent, kind: str, names, places, when) -> None:
    action = _el(parent, "correspAction", type=kind)
    for n in names:
        _el(action, "orgName" if n.kind == "org" else "persName", n.name, ref=n.authority[0] if n.authority else "")
    if not names:
        _el(action, "persName", UNKNOWN)
    for p in places[:1]:  # one place per action in the CMIF
        _el(action, "placeName", p.name, ref=p.authority[0] if p.authority else "")
    _date(action, when)


def licence(em) -> tuple[str, str]:
    """CC0 when the edition itself is CC0, else CC BY 4.0 (the metadata of letters are facts;
    correspSearch accepts no other licence)."""
    return CC0 if em.metadata.licence.spdx == "CC0-1.0" else CC_BY


def document(em) -> etree._ElementTree:
    """The CMIF file of the edition's letters (em.letters, in date order)."""
    md = em.metadata
    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    file_desc = _el(_el(root, "teiHeader"), "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", f"{md.title}: letters (Correspondence Metadata Interchange Format)")
    editors = [a.name for a in md.contributors if a.role == "Editor"] or [a.name for a in md.creators]
    for i, name in enumerate(editors or [md.publisher or md.title]):
        editor = _el(title_stmt, "editor", name)
        if i == 0 and md.contacts:
            _el(editor, "email", md.contacts[0])
    pub = _el(file_desc, "publicationStmt")
    publisher = _el(pub, "publisher")
    if em.base_url:
        _el(publisher, "ref", md.publisher or md.title, target=em.base_url)
    else:
        publisher.text = md.publisher or md.title
    if em.base_url:
        _el(pub, "idno", address(em, paths.CMIF_FILE), type="url")
    _el(pub, "date", when=em.build_time.strftime("%Y-%m-%dT%H:%M:%SZ"))
    target, statement = licence(em)
    _el(_el(pub, "availability"), "licence", statement, target=target)
    bibl = _el(_el(file_desc, "sourceDesc"), "bibl", md.citation(em.build_date), type="online")
    bibl.set(XML_ID, bibl_id(em))
    if em.base_url:
        bibl.text += " "
        _el(bibl, "ref", em.base_url, target=em.base_url)

    profile = _el(root[0], "profileDesc")
    for doc in em.letters:
        letter = doc.correspondence
        desc = _el(profile, "correspDesc", ref=address(em, doc.path), source="#" + bibl.get(XML_ID))
        _action(desc, "sent", letter.senders, letter.sent_places, letter.sent)
        _action(desc, "received", letter.recipients, letter.received_places, letter.received)
    _el(_el(_el(root, "text"), "body"), "p")
    etree.indent(root, space="  ")
    return etree.ElementTree(root)


def serialise(em) -> bytes:
    return etree.tostring(document(em), encoding="UTF-8", xml_declaration=True) + b"\n"


def build(ctx: BuildContext) -> None:
    em = ctx.model
    if not em.letters:
        return
    if not em.base_url:
        ctx.log("  note: cmif.xml names the letters by relative links; set base_url in edition.toml "
                "so that correspSearch can harvest it")
    out = ctx.out / "html" / paths.CMIF_FILE
    key = None
    if ctx.cache is not None:  # (the model's resolution is all cmif.xml is made of: key_memo)
        memo = key_memo.Memo(ctx.cache, KIND)
        inputs = key_memo.inputs(KIND, em.resolution_no_context) if em.resolution_no_context else None
        key = memo.get(inputs) or cmif_key(em)
        memo.put(inputs, key)
        memo.save()
    data = ctx.cache.get(KIND, key) if key else None
    if data is None:
        data = serialise(em)
        if key:
            ctx.cache.put(KIND, key, data)
    output.put(out, data, ctx.out, ctx.before)


KIND = "cmif"


def cmif_key(em) -> str:
    """The key an incremental build keeps cmif.xml under: everything document() reads, the
    edition's metadata, address and build time, and each letter's page and facts (its names with
    their authority URIs, places and dates: page_cache.letter_digest, worked out once a build for
    the letter's page), so that one letter changed does not write out 5,000 again."""
    from . import page_cache

    return cache_mod.digest(KIND, cache_mod.tool_fingerprint(), repr(em.metadata), em.base_url,
                            em.build_time.isoformat(), em.build_date,
                            [(d.path, page_cache.letter_digest(d.correspondence)) for d in em.letters])
