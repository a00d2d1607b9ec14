"""The performance score and ranking (services/stats.py), as README's "Performance score" states them:

    fix = followUpRate x (1 - reopenRate); speed = 1 / (1 + medianFollowUpHours / 24);
    score = 0.7 x fix + 0.3 x speed x followUpRate. Equal scores share a rank.

tests/test_stats.py checks the whole `performance` answer over a month of random outcomes, over HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.settings import Settings
from models import Area
from models.enums import PerformanceUnit, Role
from services.stats import PerformanceRow, _ranked, performance, score
from testkit import rows


def row(follow_up_rate: float, reopen_rate: float = 0.0, hours: float | None = None, received: int = 10,
        response_minutes: float | None = None) -> PerformanceRow:
    return PerformanceRow(area_id=None, agency_id=None, received=received,
                          followed_up=round(received * follow_up_rate), follow_up_rate=follow_up_rate,
                          median_response_minutes=response_minutes, median_follow_up_hours=hours,
                          reopen_rate=reopen_rate, overdue=0)


SCORES = [
    # (why, followUpRate, reopenRate, medianFollowUpHours, score worked out by hand)
    ("everything fixed at once, nothing reopened", 1.0, 0.0, 0.0, 0.7 + 0.3),
    ("everything fixed within a day", 1.0, 0.0, 24.0, 0.7 + 0.3 * 0.5),
    ("everything fixed in three days", 1.0, 0.0, 72.0, 0.7 + 0.3 * 0.25),
    ("every fix reopened: the fix is taken back", 1.0, 1.0, 0.0, 0.3),
    ("half fixed, half of that reopened, in two days", 0.5, 0.5, 48.0, 0.7 * 0.25 + 0.3 * (1 / 3) * 0.5),
    ("80% fixed, a quarter reopened, in half a day", 0.8, 0.25, 12.0, 0.7 * 0.6 + 0.3 * (2 / 3) * 0.8),
    ("nothing followed up (rejected or closed fast without a proof photo)", 0.0, 0.0, None, 0.0),
    ("followed up but no median time: speed counts nothing", 1.0, 0.0, None, 0.7),
]


@pytest.mark.parametrize(("why", "rate", "reopened", "hours", "expected"), SCORES, ids=[s[0] for s in SCORES])
def test_the_score(why: str, rate: float, reopened: float, hours: float | None, expected: float) -> None:
    assert score(row(rate, reopened, hours)) == pytest.approx(expected, abs=1e-12), why


def test_what_the_score_rewards() -> None:
    assert score(row(1.0, 0.0, 2.0)) > score(row(1.0, 0.0, 20.0))  # faster fixes
    assert score(row(0.9, 0.0, 24.0)) > score(row(0.9, 0.3, 24.0))  # fixes that stay fixed
    assert score(row(0.9, 0.0, 200.0)) > score(row(0.5, 0.0, 0.0))  # fixing counts most
    # How fast officials first answered is not in the score, nor how many reports came in.
    assert score(row(0.5, 0.1, 30.0, response_minutes=5)) == score(row(0.5, 0.1, 30.0, response_minutes=5000))
    assert score(row(0.5, 0.1, 30.0, received=2)) == score(row(0.5, 0.1, 30.0, received=2000))


RANKS = [
    # (why, scores in input order, ranks in rank order)
    ("all different", [0.2, 0.9, 0.5], [1, 2, 3]),
    ("a tie in the middle", [0.9, 0.5, 0.5, 0.1], [1, 2, 2, 4]),
    ("a tie at the top", [0.5, 0.9, 0.9], [1, 1, 3]),
    ("a tie at the bottom", [0.0, 0.7, 0.0], [1, 2, 2]),
    ("everyone tied", [0.0, 0.0, 0.0], [1, 1, 1]),
    ("one alone", [0.4], [1]),
    ("nobody", [], []),
    ("equal but for floating-point noise", [0.3, 0.1 + 0.2, 0.05], [1, 1, 3]),
]


@pytest.mark.parametrize(("why", "scores", "ranks"), RANKS, ids=[r[0] for r in RANKS])
def test_equal_scores_share_a_rank(why: str, scores: list[float], ranks: list[int]) -> None:
    # A score s comes from followUpRate s / 0.7 with no reopen and no speed.
    ranked = _ranked([row(s / 0.7) for s in scores])
    assert [r.rank for r in ranked] == ranks, why
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)  # best first
    assert all(r.score == pytest.approx(score(r), abs=1e-9) for r in ranked)


async def test_performance_ranks_equal_kelurahan_alike(database: Settings) -> None:
    """Matraman's six kelurahan over a month long past (no other test writes there): one fixes everything fast,
    two fix half as well alike and share rank 2, and the three without reports share rank 4."""
    start = datetime(2019, 6, 1, tzinfo=UTC)
    author = await rows.account(Role.CITIZEN)
    # (kelurahan, hours to the follow-up or None): Kayu Manis fixes both in 12 hours; Pal Meriam and Kebon
    # Manggis each fix one of two in 24 hours.
    outcomes = [("1003", 12), ("1003", 12), ("1004", 24), ("1004", None), ("1005", 24), ("1005", None)]
    for number, (village_code, hours) in enumerate(outcomes):
        village = await rows.area(f"{rows.MATRAMAN}.{village_code}")
        created = start + timedelta(days=1, hours=number)
        fixed = created + timedelta(hours=hours) if hours is not None else None
        await rows.report(author, village, created_at=created, first_response_at=fixed, first_follow_up_at=fixed,
                          last_follow_up_at=fixed, due_at=created + timedelta(hours=72))
    matraman = await rows.area(rows.MATRAMAN)
    ranked = await performance(PerformanceUnit.VILLAGE, start, start + timedelta(days=30), matraman.id)
    codes = {area.id: area.code.rsplit(".", 1)[1] for area in await Area.filter(path__startswith=matraman.path)}
    table = {codes[r.area_id]: (r.received, r.followed_up, r.score, r.rank) for r in ranked if r.area_id is not None}
    half = 0.7 * 0.5 + 0.3 * 0.5 * 0.5  # half followed up, none reopened, in a day
    assert table == {
        "1003": (2, 2, pytest.approx(0.7 + 0.3 * (1 / 1.5)), 1),
        "1004": (2, 1, pytest.approx(half), 2),
        "1005": (2, 1, pytest.approx(half), 2),
        "1001": (0, 0, 0.0, 4),
        "1002": (0, 0, 0.0, 4),
        "1006": (0, 0, 0.0, 4),
    }
    assert [r.rank for r in ranked] == [1, 2, 2, 4, 4, 4]
