"""Search: bilingual full-text search over passages, the same on SQLite and PostgreSQL."""
