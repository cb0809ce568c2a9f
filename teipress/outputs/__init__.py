"""Outputs written from the Edition model, never from TEI: the metadata records (records.py)."""
