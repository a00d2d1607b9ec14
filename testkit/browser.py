"""What the page's browser tests share: Debian's Chromium (driven by Playwright, never a downloaded browser),
the flags this machine's closed network needs, and where screenshots go (the ignored test-artifacts/)."""

from __future__ import annotations

import shutil

from playwright.async_api import ViewportSize

from testkit.paths import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Background services would hang on lookups without these.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = ViewportSize(width=390, height=844)  # the phone
DESKTOP = ViewportSize(width=1280, height=800)
