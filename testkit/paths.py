"""Where the repository and the shared folder beside it (contract, boundary data) are."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout; WARGA_SHARED_DIR points elsewhere when CI clones somewhere else.
SHARED = Path(os.environ.get("WARGA_SHARED_DIR", ROOT.parent / "shared"))
GEOJSON = SHARED / "data" / "jakarta-timur-kelurahan.geojson"
CONTRACT_CHECK = SHARED / "contract" / "check.py"
