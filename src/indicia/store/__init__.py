"""Storage: the SQL schema and its migrations, the dialect layer, and the blob store."""
