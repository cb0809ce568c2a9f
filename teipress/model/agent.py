"""A person or organisation with a role in the edition: author, editor, translator, funder."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agent:
    """A person or organisation with a role in the edition."""

    name: str  # as written: "Gary Goldberg", "teipress editorial team"
    kind: str = "person"  # "person" | "org"
    given: str = ""
    family: str = ""
    role: str = ""  # DataCite contributorType, e.g. "Translator" ("" for creators)
    resp: str = ""  # the TEI resp text, e.g. "Translation from the Russian"
    orcid: str = ""  # bare ORCID iD, e.g. "0000-0002-1825-0097"

    @property
    def inverted(self) -> str:
        """'Family, Given' as DataCite and Zenodo want it; organisations as written."""
        if self.kind == "person" and self.family and self.given:
            return f"{self.family}, {self.given}"
        return self.name
