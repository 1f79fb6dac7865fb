"""Docket: an offline case-file reader and annotator."""

__version__ = "0.1.0"
APP_ID = "org.docket.Docket"
APP_NAME = "Docket"
