"""README's Configuration table names every setting (core.settings.Settings) and nothing else."""

from __future__ import annotations

import re

from core.settings import Settings
from testkit.paths import ROOT


def _table_variables() -> set[str]:
    """The WARGA_* names in the first column of the table under README's `## Configuration`."""
    section = ROOT.joinpath("README.md").read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return {name for row in rows for name in re.findall(r"`(WARGA_\w+)`", row.split("|")[1])}


def test_readme_configuration_table_matches_the_settings() -> None:
    settings = {f"WARGA_{field.upper()}" for field in Settings.model_fields}
    documented = _table_variables()
    missing, unknown = sorted(settings - documented), sorted(documented - settings)
    assert not missing, f"README's Configuration table lacks: {', '.join(missing)}"
    assert not unknown, f"README's Configuration table names settings that do not exist: {', '.join(unknown)}"


def test_every_setting_is_read_by_the_application() -> None:
    """A setting nothing reads is a promise the server does not keep (WARGA_SECRET_KEY was documented, never read)."""
    packages = ["server.py", "app", "cli", "core", "demo", "graphql_http", "media", "models", "open311", "plumbing",
                "resolvers", "schema", "services", "subscriptions", "web"]
    sources = "\n".join(
        path.read_text()
        for name in packages
        for path in ([ROOT / name] if name.endswith(".py") else sorted((ROOT / name).rglob("*.py")))
        if path != ROOT / "core" / "settings.py"
    )
    unread = sorted(field for field in Settings.model_fields if not re.search(rf"\.{field}\b", sources))
    assert not unread, f"Settings nothing reads: {', '.join(unread)}"
