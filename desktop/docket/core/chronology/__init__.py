"""The chronology: marks that carry a date are the case's facts (issue 17)."""
