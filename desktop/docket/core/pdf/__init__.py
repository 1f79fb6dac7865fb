"""PDF reading and writing with QtPdf and pypdf; nothing about cases."""
