"""Review coverage: which pages of which documents someone has actually read."""
