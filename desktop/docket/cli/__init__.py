"""Docket's command line: works on a case without a display."""
