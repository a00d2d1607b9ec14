"""Where the repository, its boundary data and the shared folder beside it (the contract) are."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Jakarta Timur's 65 kelurahan with their real polygons (demo/data/SOURCES.md); seed_catalog loads them.
GEOJSON = ROOT / "demo" / "data" / "jakarta-timur-kelurahan.geojson"
# Only the contract check reads ../shared beside the checkout; WARGA_SHARED_DIR points elsewhere when CI
# clones somewhere else.
SHARED = Path(os.environ.get("WARGA_SHARED_DIR", ROOT.parent / "shared"))
CONTRACT_CHECK = SHARED / "contract" / "check.py"
