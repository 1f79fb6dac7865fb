"""Typed records every wing shares: documents, pages, marks, tags, colours."""
