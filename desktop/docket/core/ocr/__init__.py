"""OCR: pages without a usable text layer read by Tesseract, offline.

The original file is never changed. What OCR reads is kept in the case
(`ocr_pages`: words, boxes, confidence, and Tesseract's invisible text layer
for the page); the *rendition* — the original's pages with those layers laid
over them, or an image's pages as PDF — is derived from it, rebuilt when
missing, and is what the reader, geometry and annotated copies open.
"""
