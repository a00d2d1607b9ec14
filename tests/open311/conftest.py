"""The Open311 tests' client (testkit/open311.py) as a fixture."""

from __future__ import annotations

import pytest

from testkit.client import Api
from testkit.open311 import GeoReport


@pytest.fixture
def georeport(api: Api) -> GeoReport:
    return GeoReport(api)
