"""Checking TEI sources: the project's XSD (schema.py), the edition's integrity rules
(rules.py), and the compiler-style report they both write into (diagnostics.py)."""
