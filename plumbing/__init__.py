"""Plumbing with no rules in it: SQL dialects, keyset pages, text search, the outbox and its relay, the
broker, rate limits."""
