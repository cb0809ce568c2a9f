"""The outputs (HTML, PDF, search, deposit records): each reads the EditionModel only, never
the TEI, nor another output's files."""
