"""The library panel."""
