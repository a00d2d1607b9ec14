"""The exported GraphQL schema meets the API contract in ../shared/contract: the base, plus the parts of
resolved issues. No allowlist: every violation fails. Only a fresh clone without the shared folder skips
(WARGA_SHARED_DIR points elsewhere)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testkit.paths import CONTRACT_CHECK, ROOT

# Contract parts (beside the base, ../shared/contract/PART.graphql) whose issues are resolved; add one as it lands.
RESOLVED_PARTS: list[str] = ["polls", "accountability", "cities", "assets", "app"]


def test_exported_schema_meets_the_contract(tmp_path: Path) -> None:
    if not CONTRACT_CHECK.exists():
        pytest.skip(f"no API contract at {CONTRACT_CHECK} (the shared folder is absent; set WARGA_SHARED_DIR)")
    sdl = tmp_path / "schema.graphql"
    sdl.write_text(subprocess.run([sys.executable, "server.py", "export-schema"], cwd=ROOT, capture_output=True,
                                  text=True, check=True).stdout)
    check = subprocess.run([sys.executable, str(CONTRACT_CHECK), str(sdl), *RESOLVED_PARTS], capture_output=True,
                           text=True)
    parts = " + ".join(["base", *RESOLVED_PARTS])
    assert check.returncode == 0, f"the schema breaks the contract ({parts}):\n{check.stdout}{check.stderr}"
