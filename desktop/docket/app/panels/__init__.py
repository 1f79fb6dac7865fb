"""The docked panels: library, search and marks."""
