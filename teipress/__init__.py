"""teipress: hand-encoded TEI P5 to validated, static, archival scholarly editions."""
__version__ = "0.1.0"
