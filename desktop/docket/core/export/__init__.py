"""Marks out: reports, spreadsheets, annotated PDFs, W3C annotations."""
