"""Docket's window: Qt widgets over the core. Never writes SQL or opens Whoosh itself."""
