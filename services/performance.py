"""Performance rankings: each unit's record over a period, its score and its rank, as SQL aggregates.

The workflow keeps first_response_at, first_follow_up_at, reopen_count, escalation_level and reject_reason on
each report, so every figure is an aggregate over report rows (with each report's current rating and whether
any proof contradicted it); medians use window functions, which both PostgreSQL and SQLite have. Python
weighs the aggregates into the score (README, "Performance score") and ranks the units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any

from core import clock
from core.errors import BadInput, NotFound
from models import Agency, Area, City
from models.areas import path_ids
from models.enums import EXCUSED_REJECTIONS, AreaLevel, PerformanceUnit
from plumbing.dialect import is_postgres, moment_param, sql_rows

SLA_REFERENCE_HOURS = 24.0
# The weight of a fix that stayed fixed, by the reporter's stars (None: not rated).
RATING_WEIGHT: dict[int | None, float] = {None: 0.75, 5: 1.0, 4: 1.0, 3: 0.5, 2: 0.0, 1: 0.0}
W_FIX, W_SPEED, W_ESCALATION, W_PROOF = 0.7, 0.3, 0.2, 0.3
# A unit rejects "much more than its peers" at twice their median rate, with at least this many rejections.
OUTLIER_REJECTIONS = 3


@dataclass
class ScoreParts:
    fix: float = 0.0
    speed: float = 0.0
    escalation_cost: float = 0.0
    proof_cost: float = 0.0


@dataclass
class PerformanceRow:
    area_id: int | None
    agency_id: int | None
    # The unit's city: units are ranked among those of their own city only.
    city_id: int | None = None
    received: int = 0
    excused: int = 0
    rejected: int = 0
    followed_up: int = 0
    reopened: int = 0
    overdue: int = 0
    rated_count: int = 0
    average_rating: float | None = None
    escalated: int = 0
    inconsistent_proofs: int = 0
    median_response_minutes: float | None = None
    median_follow_up_hours: float | None = None
    # Fixes that stayed fixed with a consistent proof, by the stars of their rating (None: not rated).
    kept_fixes: dict[int | None, int] = field(default_factory=dict)
    # Over the kept fixes (followed up, no inconsistent proof, never reopened): the sum of 1 / (1 + hours to the
    # first follow-up / 24). A quick fix that residents reopen earns no speed either.
    speed_sum: float = 0.0
    score_parts: ScoreParts = field(default_factory=ScoreParts)
    score: float = 0.0
    ranked: bool = False
    rank: int = 0
    rejects_more_than_peers: bool = False

    @property
    def counted(self) -> int:
        """The reports the unit answers for: all received but those rejected as not its job or spam."""
        return self.received - self.excused

    @property
    def follow_up_rate(self) -> float:
        return self.followed_up / self.counted if self.counted else 0.0

    @property
    def reopen_rate(self) -> float:
        return self.reopened / self.followed_up if self.followed_up else 0.0

    @property
    def reject_rate(self) -> float:
        return self.rejected / self.received if self.received else 0.0


def parts_of(row: PerformanceRow) -> ScoreParts:
    if not row.counted:
        return ScoreParts()
    kept = sum(RATING_WEIGHT[stars] * n for stars, n in row.kept_fixes.items())
    return ScoreParts(
        fix=kept / row.counted,
        speed=row.speed_sum / row.counted,
        escalation_cost=row.escalated / row.counted,
        proof_cost=row.inconsistent_proofs / row.counted,
    )


def score(parts: ScoreParts) -> float:
    raw = W_FIX * parts.fix + W_SPEED * parts.speed - W_ESCALATION * parts.escalation_cost - W_PROOF * parts.proof_cost
    return min(1.0, max(0.0, raw))


def rank_by_city(rows: list[PerformanceRow], minimum: int) -> list[PerformanceRow]:
    """Each city's units ranked among themselves (a kelurahan of Bogor is never ranked against one of Jakarta),
    city after city."""
    cities: dict[int | None, list[PerformanceRow]] = {}
    for row in rows:
        cities.setdefault(row.city_id, []).append(row)
    return [ranked for group in cities.values() for ranked in rank(group, minimum)]


def rank(rows: list[PerformanceRow], minimum: int) -> list[PerformanceRow]:
    """Units with at least `minimum` counted reports first, best first, equal scores sharing a rank (1, 1, 3);
    then the others, unranked (rank 0), by score."""
    for row in rows:
        row.score_parts = parts_of(row)
        row.score = round(score(row.score_parts), 9)
        row.ranked = row.counted >= minimum
    rows.sort(key=lambda r: (not r.ranked, -r.score, -r.counted))
    for position, row in enumerate(rows):
        tied = position > 0 and rows[position - 1].ranked and rows[position - 1].score == row.score
        row.rank = 0 if not row.ranked else rows[position - 1].rank if tied else position + 1
    active = [r.reject_rate for r in rows if r.received]
    peers = median(active) if active else 0.0
    for row in rows:
        row.rejects_more_than_peers = row.rejected >= OUTLIER_REJECTIONS and row.reject_rate > 2 * peers
    return rows


def _seconds(later: str, earlier: str) -> str:
    if is_postgres():
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _median(cte: str, value: str, where: str) -> str:
    return f"""{cte}
    SELECT unit_id, AVG(v) AS median FROM (
      SELECT unit_id, v, ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY v) AS rn,
             COUNT(*) OVER (PARTITION BY unit_id) AS n
      FROM (SELECT unit_id, {value} AS v FROM rows WHERE counted = 1 AND {where}) AS x
    ) AS y WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY unit_id"""


def _tally(r: dict[str, Any], key: str) -> int:
    return int(r.get(key) or 0)


def _number(r: dict[str, Any], key: str) -> float | None:
    return float(r[key]) if r.get(key) is not None else None


async def performance(
    unit: PerformanceUnit, start: datetime, end: datetime, area_id: int | None, minimum: int
) -> list[PerformanceRow]:
    if end <= start:
        raise BadInput("to must be after from.")
    prefix = "/"
    if area_id is not None:
        area = await Area.get_or_none(id=area_id)
        if area is None:
            raise NotFound("No such area.")
        prefix = area.path
    if unit == PerformanceUnit.AGENCY:
        units: list[Agency] | list[Area] = (
            await (Agency.filter(area__path__startswith=prefix) if area_id else Agency.all()).select_related("area")
        )
        unit_sql = (
            "SELECT a.id AS unit_id FROM agency a LEFT JOIN area p ON p.id = a.area_id "
            "WHERE CAST(? AS TEXT) = '/' OR p.path LIKE CAST(? AS TEXT) || '%'"
        )
        source, mapping, window = "units JOIN report r ON r.agency_id = units.unit_id", "", []
    else:
        units = await Area.filter(level=AreaLevel(unit.value), path__startswith=prefix)
        unit_sql = f"SELECT id AS unit_id, path AS unit_path FROM area WHERE level = '{unit.value}' " \
                   "AND (CAST(? AS TEXT) = '/' OR path LIKE CAST(? AS TEXT) || '%')"
        # Prefix-matching every report against every unit is a nested loop (65 x 100,000 LIKEs, three
        # times): match the few distinct area paths instead, then join the reports on equality.
        mapping = """paths AS (SELECT DISTINCT area_path FROM report
          WHERE kind = 'CITIZEN' AND created_at >= ? AND created_at < ?),
        by_path AS (SELECT units.unit_id, paths.area_path FROM units
          JOIN paths ON paths.area_path LIKE units.unit_path || '%'),"""
        source = "by_path AS units JOIN report r ON r.area_path = units.area_path"
        window = [moment_param(start), moment_param(end)]
    excused = ", ".join(f"'{reason.value}'" for reason in EXCUSED_REJECTIONS)
    # Each report's follow-up facts, aggregated once for the period's reports and hash-joined (a subquery per
    # report row cost twice the rest of the query): its latest follow-up (whose rating is the report's) and
    # whether any proof contradicted it.
    cte = f"""WITH units AS ({unit_sql}), {mapping}
    facts AS (
      SELECT f.report_id, MAX(f.id) AS latest,
        MAX(CASE WHEN f.proof_consistent = FALSE THEN 1 ELSE 0 END) AS inconsistent
      FROM follow_up f JOIN report p ON p.id = f.report_id
      WHERE p.kind = 'CITIZEN' AND p.created_at >= ? AND p.created_at < ?
      GROUP BY f.report_id
    ),
    rows AS (
      SELECT units.unit_id, r.created_at, r.due_at, r.first_response_at, r.first_follow_up_at, r.reopen_count,
        r.escalation_level,
        CASE WHEN r.status = 'REJECTED' THEN 1 ELSE 0 END AS rejected,
        CASE WHEN r.status = 'REJECTED' AND r.reject_reason IN ({excused}) THEN 0 ELSE 1 END AS counted,
        fr.stars, COALESCE(fx.inconsistent, 0) AS inconsistent
      FROM {source}
      LEFT JOIN facts fx ON fx.report_id = r.id LEFT JOIN fix_rating fr ON fr.follow_up_id = fx.latest
      WHERE r.kind = 'CITIZEN' AND r.handled = TRUE AND r.created_at >= ? AND r.created_at < ?
    )"""
    period = [moment_param(start), moment_param(end)]
    base = [prefix, prefix, *window, *period, *period]
    real = "counted = 1 AND first_follow_up_at IS NOT NULL AND inconsistent = 0"
    hours = f"{_seconds('first_follow_up_at', 'created_at')} / 3600.0"
    kept = f"{real} AND reopen_count = 0"
    medians = {  # name: (value, which rows)
        "response_median": (f"{_seconds('first_response_at', 'created_at')} / 60.0", "first_response_at IS NOT NULL"),
        "follow_up_median": (hours, "first_follow_up_at IS NOT NULL"),
    }
    # PostgreSQL has the median as an aggregate: one pass over the rows; SQLite takes one more per median.
    in_pass = "".join(
        f", percentile_cont(0.5) WITHIN GROUP (ORDER BY {value}) FILTER (WHERE counted = 1 AND {where}) AS {name}"
        for name, (value, where) in medians.items()) if is_postgres() else ""
    kept_by_stars = ", ".join(
        f"SUM(CASE WHEN {kept} AND stars {'IS NULL' if stars is None else f'= {stars}'} THEN 1 ELSE 0 END) "
        f"AS kept_{stars or 0}" for stars in RATING_WEIGHT)
    counts = await sql_rows(
        f"""{cte}
        SELECT unit_id, COUNT(*) AS received, SUM(1 - counted) AS excused, SUM(rejected) AS rejected,
          SUM(CASE WHEN counted = 1 AND first_follow_up_at IS NOT NULL THEN 1 ELSE 0 END) AS followed_up,
          SUM(CASE WHEN counted = 1 AND first_follow_up_at IS NOT NULL AND reopen_count > 0 THEN 1 ELSE 0 END)
            AS reopened,
          SUM(CASE WHEN counted = 1 AND due_at < ? AND (first_follow_up_at IS NULL OR first_follow_up_at > due_at)
              THEN 1 ELSE 0 END) AS overdue,
          SUM(CASE WHEN counted = 1 AND stars IS NOT NULL THEN 1 ELSE 0 END) AS rated,
          AVG(CASE WHEN counted = 1 THEN stars END) AS average_rating,
          SUM(CASE WHEN counted = 1 AND escalation_level > 0 THEN 1 ELSE 0 END) AS escalated,
          SUM(CASE WHEN counted = 1 AND inconsistent = 1 THEN 1 ELSE 0 END) AS inconsistent,
          SUM(CASE WHEN {kept} THEN 1.0 / (1.0 + {hours} / {SLA_REFERENCE_HOURS}) ELSE 0 END) AS speed_sum,
          {kept_by_stars}{in_pass}
        FROM rows GROUP BY unit_id""",
        [*base, moment_param(clock.now())],
    )
    by_unit = {r["unit_id"]: r for r in counts}
    if not in_pass:
        for name, (value, where) in medians.items():
            for r in await sql_rows(_median(cte, value, where), base):
                by_unit[r["unit_id"]][name] = r["median"]
    city_of = await _cities_of(units)
    result = []
    for u in units:
        c = by_unit.get(u.id, {})
        is_agency = unit == PerformanceUnit.AGENCY
        result.append(PerformanceRow(
            area_id=None if is_agency else u.id,
            agency_id=u.id if is_agency else None,
            city_id=city_of.get(u.id),
            received=_tally(c, "received"),
            excused=_tally(c, "excused"),
            rejected=_tally(c, "rejected"),
            followed_up=_tally(c, "followed_up"),
            reopened=_tally(c, "reopened"),
            overdue=_tally(c, "overdue"),
            rated_count=_tally(c, "rated"),
            average_rating=_number(c, "average_rating"),
            escalated=_tally(c, "escalated"),
            inconsistent_proofs=_tally(c, "inconsistent"),
            median_response_minutes=_number(c, "response_median"),
            median_follow_up_hours=_number(c, "follow_up_median"),
            kept_fixes={stars: _tally(c, f"kept_{stars or 0}") for stars in RATING_WEIGHT},
            speed_sum=float(c.get("speed_sum") or 0.0),
        ))
    return rank_by_city(result, minimum)


async def _cities_of(units: list[Agency] | list[Area]) -> dict[int, int]:
    """Each unit's city, by id: the city whose area is above (or is) the unit's area (the agency's area)."""
    city_by_area = dict(await City.all().values_list("area_id", "id"))
    paths: dict[int, str] = {}
    for u in units:
        if isinstance(u, Area):
            paths[u.id] = u.path
        elif u.area is not None:  # fetched with the agencies
            paths[u.id] = u.area.path
    found = {}
    for unit_id, path in paths.items():
        ids = [city_by_area[a] for a in path_ids(path) if a in city_by_area]
        if ids:
            found[unit_id] = ids[0]
    return found
