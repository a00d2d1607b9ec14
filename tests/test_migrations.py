"""The models and models/migrations agree (columns and indexes), and migration 0002 (full-text search) steps
back cleanly.

Tortoise keeps global state and the suite's server runs in this process, so each step runs in a
subprocess (the migration API, as cli/commands.py uses it) against a scratch database of this
module's own: a temporary SQLite file, or a uniquely named PostgreSQL database dropped afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from testkit.databases import DATABASE, scratch_database
from testkit.paths import ROOT

# What `tortoise makemigrations` would write, printed instead of written (that command has no check mode).
# The autodetector compares the migration files with the models; it runs under each database's config all the same.
MAKEMIGRATIONS = """
import asyncio, sys
from tortoise.cli.cli import tortoise_cli_context
from tortoise.migrations.autodetector import MigrationAutodetector
from models.config import tortoise_config

async def main():
    config = tortoise_config(sys.argv[1])
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    for writer in writers:
        print(f"# would write {writer.app_label}.{writer.name}")
        print(writer.as_string())

asyncio.run(main())
"""

# Migrates to each (target, direction) in turn and prints the full-text objects that exist after each step.
STEPS = """
import asyncio, json, sys
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate
from models.config import tortoise_config

QUERY = {
    "sqlite": "SELECT name FROM sqlite_master WHERE name LIKE 'report_fts%'",
    "postgres": "SELECT indexname AS name FROM pg_indexes WHERE indexname LIKE 'report_fts%'",
}

async def main():
    config = tortoise_config(sys.argv[1])
    seen = []
    for target, direction in json.loads(sys.argv[2]):
        try:
            await migrate(config=config, target=target, direction=direction)
            client = connections.get("default")
            _, rows = await client.execute_query(QUERY[client.capabilities.dialect])
            seen.append(sorted(row["name"] for row in rows))
        finally:
            await Tortoise.close_connections()
    print(json.dumps(seen))

asyncio.run(main())
"""

# The indexes a database ends up with: by the migrations, or straight from the models (generate_schemas).
INDEXES = """
import asyncio, json, sys
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate
from models.config import tortoise_config

QUERY = {
    "sqlite": "SELECT tbl_name AS t, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    "postgres": "SELECT tablename AS t, indexname AS name FROM pg_indexes WHERE schemaname = 'public'",
}

async def main():
    config = tortoise_config(sys.argv[1])
    try:
        if sys.argv[2] == "migrate":
            await migrate(config=config)
        else:
            await Tortoise.init(config=config)
            await Tortoise.generate_schemas()
        client = connections.get("default")
        _, rows = await client.execute_query(QUERY[client.capabilities.dialect])
        print(json.dumps(sorted(f"{row['t']}.{row['name']}" for row in rows)))
    finally:
        await Tortoise.close_connections()

asyncio.run(main())
"""

FTS_OBJECTS = {
    "sqlite": {"report_fts", "report_fts_insert", "report_fts_delete", "report_fts_update"},
    "postgres": {"report_fts_idx"},
}


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
async def scratch(tmp_path: Path) -> AsyncIterator[str]:
    async with scratch_database(tmp_path) as url:
        yield url


def test_models_need_no_new_migration(scratch: str) -> None:
    generated = _run(MAKEMIGRATIONS, scratch)
    assert generated == "", f"the models differ from models/migrations; makemigrations would write:\n{generated}"


async def test_migrations_leave_every_index_the_models_declare(tmp_path: Path) -> None:
    """On SQLite Tortoise alters a column by copying its table without the indexes (0008 and 0009 put them
    back): a migrated database must have every index of one created from the models."""
    (tmp_path / "migrated").mkdir()
    (tmp_path / "declared").mkdir()
    async with scratch_database(tmp_path / "migrated") as migrated, scratch_database(tmp_path / "declared") as fresh:
        by_migrations = set(json.loads(_run(INDEXES, migrated, "migrate")))
        by_models = set(json.loads(_run(INDEXES, fresh, "generate")))
    # Full-text search (0002) and the migrations' own table exist only in a migrated database.
    missing = by_models - by_migrations
    assert not missing, f"indexes the models declare but the migrations lost or never made: {sorted(missing)}"


def test_full_text_search_migration_steps_back(scratch: str) -> None:
    steps = [("models.0002_full_text_search", "both"), ("models.0001_initial", "backward"), (None, "both")]
    after_0002, after_downgrade, after_latest = json.loads(_run(STEPS, scratch, json.dumps(steps)))
    expected = FTS_OBJECTS[DATABASE]
    assert expected <= set(after_0002)
    assert after_downgrade == []
    assert set(after_latest) == set(after_0002)
