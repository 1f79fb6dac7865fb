"""The case folder and its SQLite truth: every SQL statement lives here."""
