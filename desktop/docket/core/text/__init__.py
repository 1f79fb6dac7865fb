"""One set of text rules for find, quotes and anchoring."""
