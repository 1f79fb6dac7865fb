"""Changes to marks and tags, their undo history, and marks read from PDFs."""
