"""Extract: turn each stored original into pages of text (text layer, main text, or OCR)."""
