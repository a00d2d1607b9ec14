"""Indexes for the web app's reads: the work queue (services/work_queue.py) and @mention suggestions
(services/mentions.py).

report_queue_idx and report_queue_due_idx are partial: they hold only the reports still open. The first is in the
queue's order (created_at, id) and holds every column the queue's reach and its usual filters read, so the database
picks a page's ids from the index alone however many open reports it passes (a kelurahan with few overdue reports
in a city with many); the second finds those not yet due. Tortoise's Index has no WHERE, so they are written here;
both databases take the same statements, and SQLite uses such an index only for a query that states its predicate
word for word (the queue does).

account_area_idx and account_agency_idx (declared on Account) find who answers for a place. On PostgreSQL the
handle and the upper-cased display name are also indexed with pattern operator classes, so that a prefix (LIKE
'bud%', as Tortoise writes startswith and istartswith) is a range scan in any collation; SQLite's LIKE, which ignores
case, uses no index.

SQLite alters a column by copying the table without its indexes (0009 and 0011 put theirs back): a later migration
that alters report or account must create these again.
"""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

OPEN = "status IN ('WAITING', 'IN_PROGRESS', 'REOPENED')"
QUEUE = f"""
CREATE INDEX IF NOT EXISTS report_queue_idx
    ON report (created_at, id, due_at, area_path, agency_id, category_id, status, handled, kind) WHERE {OPEN};
CREATE INDEX IF NOT EXISTS report_queue_due_idx ON report (due_at) WHERE {OPEN};
"""
PREFIXES = """
CREATE INDEX IF NOT EXISTS account_handle_prefix_idx ON account (handle varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS account_name_prefix_idx ON account (UPPER(CAST(display_name AS VARCHAR)) text_pattern_ops);
"""


async def create(apps, schema_editor):
    await schema_editor.client.execute_script(QUEUE)
    if schema_editor.DIALECT == "postgres":
        await schema_editor.client.execute_script(PREFIXES)


async def drop(apps, schema_editor):
    await schema_editor.client.execute_script(
        "DROP INDEX IF EXISTS report_queue_idx; DROP INDEX IF EXISTS report_queue_due_idx; "
        "DROP INDEX IF EXISTS account_handle_prefix_idx; DROP INDEX IF EXISTS account_name_prefix_idx;")


class Migration(migrations.Migration):
    dependencies = [("models", "0011_assets")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="Account",
            index=Index(fields=["area_id", "role"], name="account_area_idx"),
        ),
        ops.AddIndex(
            model_name="Account",
            index=Index(fields=["agency_id", "role"], name="account_agency_idx"),
        ),
        ops.RunPython(create, drop),
    ]
