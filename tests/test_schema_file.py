"""The committed schema.graphql is what `python server.py export-schema` prints, so API changes show in review."""

from __future__ import annotations

import difflib
import subprocess
import sys

from testkit.paths import ROOT

SCHEMA = ROOT / "schema.graphql"
REFRESH = ".venv/bin/python server.py export-schema > schema.graphql"


def test_committed_schema_is_the_exported_one() -> None:
    exported = subprocess.run([sys.executable, "server.py", "export-schema"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout
    committed = SCHEMA.read_text() if SCHEMA.exists() else ""
    diff = "".join(difflib.unified_diff(committed.splitlines(keepends=True), exported.splitlines(keepends=True),
                                        "schema.graphql (committed)", "server.py export-schema"))
    assert not diff, f"schema.graphql is stale: refresh it with `{REFRESH}` and commit it\n{diff}"
