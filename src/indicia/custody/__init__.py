"""Custody: the hash-chained event log, its verification and its export."""
