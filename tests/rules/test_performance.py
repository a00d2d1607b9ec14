"""The performance score and ranking (services/performance.py), as README's "Performance score" states them:

    fix = kept-fix weights / n; speed = sum of 1 / (1 + hours / 24) over real fixes / n;
    score = clamp(0.7 x fix + 0.3 x speed - 0.2 x escalated / n - 0.3 x inconsistent / n, 0, 1).

Units under the minimum are listed unranked after the ranked ones; equal scores share a rank.
tests/test_stats.py checks the whole `performance` answer over a month of random outcomes, over HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.settings import Settings
from models import Area, FixRating, FollowUp
from models.enums import PerformanceUnit, RejectReason, ReportStatus, Role
from services.performance import PerformanceRow, parts_of, performance, rank, score
from testkit import rows


def row(n: int = 10, kept: dict[int | None, int] | None = None, speed_sum: float = 0.0, escalated: int = 0,
        inconsistent: int = 0, excused: int = 0, rejected: int = 0) -> PerformanceRow:
    return PerformanceRow(area_id=None, agency_id=None, received=n + excused, excused=excused, rejected=rejected,
                          kept_fixes=kept or {}, speed_sum=speed_sum, escalated=escalated,
                          inconsistent_proofs=inconsistent)


SCORES = [
    # (why, row, score worked out by hand)
    ("ten kept fixes rated 5, each at once", row(kept={5: 10}, speed_sum=10.0), 0.7 + 0.3),
    ("ten unrated kept fixes, each in a day", row(kept={None: 10}, speed_sum=5.0), 0.7 * 0.75 + 0.3 * 0.5),
    ("ten fixes rated 3, each in three days", row(kept={3: 10}, speed_sum=2.5), 0.7 * 0.5 + 0.3 * 0.25),
    ("fixes rated 1 or 2 earn no fix credit, only speed", row(kept={1: 4, 2: 6}, speed_sum=10.0), 0.3),
    ("half fixed well in two days", row(kept={4: 5}, speed_sum=5 / 3), 0.7 * 0.5 + 0.3 * (5 / 3) / 10),
    ("nothing followed up (rejected or closed fast)", row(), 0.0),
    ("escalations cost", row(kept={5: 10}, speed_sum=10.0, escalated=5), 1.0 - 0.2 * 0.5),
    ("inconsistent proofs cost", row(kept={5: 8}, speed_sum=8.0, inconsistent=2), 0.7 * 0.8 + 0.3 * 0.8 - 0.3 * 0.2),
    ("never below 0", row(escalated=10, inconsistent=10), 0.0),
    ("excused rejections are left out of n", row(n=4, kept={5: 4}, speed_sum=4.0, excused=6, rejected=6), 1.0),
    ("nothing counted", row(n=0, excused=3, rejected=3), 0.0),
]


@pytest.mark.parametrize(("why", "unit", "expected"), SCORES, ids=[s[0] for s in SCORES])
def test_the_score(why: str, unit: PerformanceRow, expected: float) -> None:
    assert score(parts_of(unit)) == pytest.approx(expected, abs=1e-12), why


def test_what_the_score_rewards() -> None:
    def s(unit: PerformanceRow) -> float:
        return score(parts_of(unit))

    assert s(row(kept={5: 8}, speed_sum=6.0)) > s(row(kept={5: 8}, speed_sum=3.0))  # faster fixes
    assert s(row(kept={5: 8}, speed_sum=3.0)) > s(row(kept={None: 8}, speed_sum=3.0))  # fixes rated well
    assert s(row(kept={None: 8}, speed_sum=3.0)) > s(row(kept={2: 8}, speed_sum=3.0))  # over fixes rated badly
    assert s(row(kept={5: 9}, speed_sum=0.1)) > s(row(kept={5: 5}, speed_sum=5.0))  # fixing counts most
    assert s(row(kept={5: 8}, speed_sum=3.0)) > s(row(kept={5: 8}, speed_sum=3.0, escalated=1))
    assert s(row(kept={5: 8}, speed_sum=3.0)) > s(row(kept={5: 8}, speed_sum=3.0, inconsistent=1))
    # How many reports came in is not in the score, only what became of them.
    assert s(row(n=10, kept={4: 5}, speed_sum=2.0)) == s(row(n=1000, kept={4: 500}, speed_sum=200.0))


RANKS = [
    # (why, (kept fixes rated 5, counted reports) in input order, ranks in listing order)
    ("all different", [(2, 10), (9, 10), (5, 10)], [1, 2, 3]),
    ("a tie in the middle", [(9, 10), (5, 10), (5, 10), (1, 10)], [1, 2, 2, 4]),
    ("a tie at the top", [(5, 10), (9, 10), (9, 10)], [1, 1, 3]),
    ("everyone tied", [(0, 10), (0, 10), (0, 10)], [1, 1, 1]),
    ("nobody", [], []),
    ("equal but for floating-point noise", [(3, 10), (6, 20), (1, 20)], [1, 1, 3]),
    ("two lucky reports never top the chart", [(2, 2), (5, 10), (6, 20)], [1, 2, 0]),
    ("nobody has enough", [(2, 2), (5, 9)], [0, 0]),
]


@pytest.mark.parametrize(("why", "units", "ranks"), RANKS, ids=[r[0] for r in RANKS])
def test_ranks(why: str, units: list[tuple[int, int]], ranks: list[int]) -> None:
    ranked = rank([row(n=n, kept={5: kept}) for kept, n in units], minimum=10)
    assert [r.rank for r in ranked] == ranks, why
    listed = [r for r in ranked if r.ranked] + [r for r in ranked if not r.ranked]
    assert ranked == listed  # the ranked ones first
    for part in ([r for r in ranked if r.ranked], [r for r in ranked if not r.ranked]):
        assert [r.score for r in part] == sorted((r.score for r in part), reverse=True)  # best first


def test_a_unit_rejecting_much_more_than_its_peers_shows_it() -> None:
    units = [row(n=10, rejected=1), row(n=10, rejected=1), row(n=10, rejected=2), row(n=10, rejected=6)]
    assert [r.rejects_more_than_peers for r in rank(units, minimum=10)] == [False, False, False, True]


async def test_performance_counts_ratings_escalations_proofs_and_reasons(database: Settings) -> None:
    """Matraman's six kelurahan over a month long past (no other test writes there): Kayu Manis fixes two well
    in 12 hours; Pal Meriam fixes one of two in a day with a proof taken elsewhere, and the other escalated; Kebon
    Manggis fixes one in a day (rated 3) and had one rejected as not its job, which does not count."""
    start = datetime(2019, 6, 1, tzinfo=UTC)
    author = await rows.account(Role.CITIZEN)
    officer = await rows.account(Role.OFFICER)
    # (kelurahan, hours to the follow-up or None, stars, proof consistent, escalation level, reject reason)
    outcomes = [("1003", 12, 5, True, 0, None), ("1003", 12, 4, None, 0, None),
                ("1004", 24, None, False, 0, None), ("1004", None, None, None, 1, None),
                ("1005", 24, 3, True, 0, None), ("1005", None, None, None, 0, RejectReason.NOT_OUR_AUTHORITY)]
    for number, (village_code, hours, stars, consistent, level, reason) in enumerate(outcomes):
        village = await rows.area(f"{rows.MATRAMAN}.{village_code}")
        created = start + timedelta(days=1, hours=number)
        fixed = created + timedelta(hours=hours) if hours is not None else None
        status = ReportStatus.REJECTED if reason else ReportStatus.FOLLOWED_UP if fixed else ReportStatus.WAITING
        report = await rows.report(
            author, village, created_at=created, first_response_at=fixed, first_follow_up_at=fixed,
            last_follow_up_at=fixed, due_at=created + timedelta(hours=72), status=status, escalation_level=level,
            reject_reason=reason)
        if fixed is not None:
            fix = await FollowUp.create(report=report, officer=officer, note="Beres", proof_consistent=consistent,
                                        created_at=fixed)
            if stars is not None:
                await FixRating.create(report=report, follow_up=fix, stars=stars, created_at=fixed)
    matraman = await rows.area(rows.MATRAMAN)
    ranked = await performance(PerformanceUnit.VILLAGE, start, start + timedelta(days=30), matraman.id, minimum=1)
    codes = {area.id: area.code.rsplit(".", 1)[1] for area in await Area.filter(path__startswith=matraman.path)}
    table = {codes[r.area_id]: (r.received, r.excused, r.followed_up, r.rated_count, r.average_rating, r.escalated,
                                r.inconsistent_proofs, r.score, r.ranked, r.rank)
             for r in ranked if r.area_id is not None}
    a_day = 1 / (1 + 24 / 24)
    assert table == {
        "1003": (2, 0, 2, 2, 4.5, 0, 0, pytest.approx(0.7 + 0.3 * (1 / 1.5)), True, 1),
        "1005": (2, 1, 1, 1, 3.0, 0, 0, pytest.approx(0.7 * 0.5 + 0.3 * a_day), True, 2),
        "1004": (2, 0, 1, 0, None, 1, 1, pytest.approx(0.0), True, 3),  # 0 - 0.2 x 1/2 - 0.3 x 1/2, clamped
        "1001": (0, 0, 0, 0, None, 0, 0, 0.0, False, 0),
        "1002": (0, 0, 0, 0, None, 0, 0, 0.0, False, 0),
        "1006": (0, 0, 0, 0, None, 0, 0, 0.0, False, 0),
    }
    assert [r.rank for r in ranked] == [1, 2, 3, 0, 0, 0]
