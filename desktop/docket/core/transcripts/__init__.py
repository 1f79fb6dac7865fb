"""Deposition and hearing transcripts: numbered lines recognised, each page's line map."""
