"""The Chronology panel: the case's facts in date order."""
