"""The few places where SQL differs between PostgreSQL and SQLite ask here."""

from tortoise import connections


def is_postgres() -> bool:
    return str(connections.get("default").capabilities.dialect) == "postgres"


def floor_sql(expression: str) -> str:
    """floor() of a non-negative expression (PostgreSQL's CAST rounds, SQLite's truncates)."""
    return f"FLOOR({expression})" if is_postgres() else f"CAST({expression} AS INTEGER)"
