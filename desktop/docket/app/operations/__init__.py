"""One method per user action, run on the case's writer."""
