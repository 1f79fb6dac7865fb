"""The marks, mark browser and tag panels."""
