"""Executing GraphQL reads from compiled plans (docs/compiled.md)."""
