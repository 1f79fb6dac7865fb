"""Reading a document: PDF pages, text, find, thumbnails, outline."""
