"""Case archives: writing, checking and restoring them."""
