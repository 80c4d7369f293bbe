"""Analyze: the stages that read stored originals (extraction and the text layer, for now)."""
