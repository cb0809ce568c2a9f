"""The outputs: each reads the EditionModel only, never the TEI or another output\x27s files."""
