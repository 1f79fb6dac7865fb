"""Widgets and helpers without domain knowledge."""
