"""The Edition model: everything the outputs show, computed once from the TEI.

``behaviour`` turns one TEI document into the behaviour vocabulary of
xslt/MODEL.md; the other modules of this package derive the edition's facts
(header, paths, registers, mentions, citations) from those models.
"""
from .behaviour import (  # noqa: F401  (the behaviour layer's public names)
    FN_NS, LIST_ENTRY_KINDS, M, MODEL_NS, POINTER_ATTRS, XSLT_DIR, Names, behaviour,
    dump, list_entry_desc, list_entry_kind, registry, stylesheet, warnings,
)
from .edition_model import Document, EditionModel, ModelError  # noqa: F401,E402
