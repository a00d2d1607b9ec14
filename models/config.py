"""The Tortoise configuration, built from settings."""

from typing import Any

MODEL_MODULES = ["models.accounts", "models.areas", "models.reports", "models.social", "models.outbox", "models.apps",
                 "models.polls", "models.opinion", "models.ratings", "models.assets"]


def tortoise_config(database_url: str, pool_max: int = 10) -> dict[str, Any]:
    if database_url.startswith(("postgres://", "asyncpg://")) and "maxsize=" not in database_url:
        # The asyncpg pool defaults to 5 connections; size it from settings.
        database_url += ("&" if "?" in database_url else "?") + f"minsize=1&maxsize={pool_max}"
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "migrations": "models.migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _cli_config() -> dict[str, Any]:
    from core.settings import get_settings

    settings = get_settings()
    return tortoise_config(settings.database_url, settings.db_pool_max)


# Read by the `tortoise` command line (makemigrations); the server builds its own.
TORTOISE_ORM = _cli_config()
