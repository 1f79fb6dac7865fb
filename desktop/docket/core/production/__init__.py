"""Productions (issue 18): numbered, stamped copies of a case's documents, handed on."""
