"""Full-text search: PostgreSQL's Indonesian configuration, or an FTS5 table on SQLite."""

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES = """
CREATE INDEX report_fts_idx ON report USING GIN (to_tsvector('indonesian', body));
"""

# The FTS5 table indexes search_text (the body's Indonesian stems) and follows the report table.
SQLITE = """
CREATE VIRTUAL TABLE report_fts USING fts5(search_text, content='report', content_rowid='id');
CREATE TRIGGER report_fts_insert AFTER INSERT ON report BEGIN
    INSERT INTO report_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER report_fts_delete AFTER DELETE ON report BEGIN
    INSERT INTO report_fts(report_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER report_fts_update AFTER UPDATE OF search_text ON report BEGIN
    INSERT INTO report_fts(report_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO report_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO report_fts(report_fts) VALUES ('rebuild');
"""

DROP = {
    "postgres": "DROP INDEX IF EXISTS report_fts_idx;",
    "sqlite": "DROP TABLE IF EXISTS report_fts; DROP TRIGGER IF EXISTS report_fts_insert; "
    "DROP TRIGGER IF EXISTS report_fts_delete; DROP TRIGGER IF EXISTS report_fts_update;",
}


async def forward(apps, schema_editor):
    script = {"postgres": POSTGRES, "sqlite": SQLITE}.get(schema_editor.DIALECT)
    if script:
        await schema_editor.client.execute_script(script)


async def backward(apps, schema_editor):
    script = DROP.get(schema_editor.DIALECT)
    if script:
        await schema_editor.client.execute_script(script)


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    operations = [ops.RunPython(forward, backward)]
