"""Collect: intake of files and folders into a case, with provenance."""
