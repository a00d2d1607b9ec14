"""Trending topics (services/trends.py, services/words.py) against an independent count.

A generated two months of a made-up city's reports and comments go through the real write path (create_report,
add_comment, hiding and unhiding), at dates long past; the expected answer is a plain Counter over the same
texts, with the same stemmer and stop words, written out here from the rules: a term is a run of 3–40 letters
outside @mentions and links, neither it nor its stem a stop word, grouped by stem; a text counts once per term,
under the form it wrote most; CITIZEN reports that are not hidden count, with their comments.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import snowballstemmer

from core import clock
from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from core.settings import Settings
from media.storage import LocalStorage
from models import Account, Area, OutboxEvent, Report, TermUse
from models.enums import ReportKind, Role
from services import moderation, social, trends, workflow
from services.permissions import may_watch
from services.photos import PhotoPolicy
from services.reports import NewReport, create_report
from services.words import STOP_WORDS, terms
from testkit import rows
from testkit.opinion import Writer, made_up_city

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2017, 3, 1, tzinfo=JAKARTA)  # long past: no other test writes then
END = datetime(2017, 4, 1, tzinfo=JAKARTA)
BEFORE = START - (END - START)  # the 31 days before
STEMMER = snowballstemmer.stemmer("indonesian")


def at(moment: datetime) -> None:
    clock.reset()
    clock.advance((moment - datetime.now(UTC)).total_seconds())


# ---- the independent count ------------------------------------------------------------------------------

def words_of(text: str) -> dict[str, str]:
    """stem -> the form this text wrote most (the first of equals), by the rules in the module's docstring."""
    text = re.sub(r"(?<![\w@])@[A-Za-z0-9_]+", " ", text)
    text = re.sub(r"\b(?:https?://|www\.)\S+", " ", text, flags=re.IGNORECASE)
    seen: dict[str, list[str]] = {}
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if len(word) < 3 or len(word) > 40 or word in STOP_WORDS:
            continue
        root = STEMMER.stemWord(word)
        if root in STOP_WORDS or len(root) < 3:
            continue
        seen.setdefault(root, []).append(word)
    chosen = {}
    for root, forms in seen.items():
        counts = Counter(forms)
        best = max(counts.values())
        chosen[root] = next(f for f in forms if counts[f] == best)
    return chosen


def stems_of(text: str) -> set[str]:
    """What a report's stored search text holds: every \\w word, stemmed."""
    return {STEMMER.stemWord(w) for w in re.findall(r"\w+", text.lower())}


@dataclass
class Doc:
    text: str
    at: datetime
    village: int
    report: int  # the report it is or belongs to
    is_report: bool
    kind: ReportKind = ReportKind.CITIZEN


@dataclass
class Month:
    city: Area
    villages: list[Area]
    docs: list[Doc] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)
    admin: Account | None = None


def expected(month: Month, villages: set[int], first: int, start: datetime = START, end: datetime = END
             ) -> list[dict[str, object]]:
    """The answer for a period from midnight to midnight in Jakarta."""
    before_start = start - (end - start)
    counted = [d for d in month.docs if d.kind == ReportKind.CITIZEN and d.report not in month.hidden
               and d.village in villages]
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    texts = 0
    for doc in counted:
        texts += start <= doc.at < end
        for root, form in words_of(doc.text).items():
            if start <= doc.at < end:
                now[root] += 1
                forms[root, form] += 1
            elif before_start <= doc.at < start:
                before[root] += 1
    floor = max(3, -(-texts // 2000))  # at least 3 texts, and one in 2,000 of the period's
    rising = sorted((t for t in now if now[t] >= floor and now[t] > before[t]),
                    key=lambda t: (-(now[t] + 1) / (before[t] + 1), -now[t], t))[:first]
    reports = sorted((d for d in counted if d.is_report and start <= d.at < end), key=lambda d: d.at, reverse=True)
    answer = []
    for term in rising:
        label = min((f for (t, f) in forms if t == term), key=lambda f: (-forms[term, f], f))
        samples = [d.report for d in reports if term in stems_of(d.text)][:3]
        answer.append({"term": term, "label": label, "count": now[term], "previous_count": before[term],
                       "growth": (now[term] + 1) / (before[term] + 1), "samples": samples})
    return answer


def answered(topics: list[trends.TrendingTopic]) -> list[dict[str, object]]:
    return [{"term": t.term, "label": t.label, "count": t.count, "previous_count": t.previous_count,
             "growth": t.growth, "samples": [r.id for r in t.sample_reports]} for t in topics]


# ---- the generated month -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
async def month(database: Settings, tmp_path_factory: pytest.TempPathFactory) -> Month:
    city, villages = await made_up_city(villages=2)
    made = Month(city, villages)
    rng = random.Random(19)
    residents = [await rows.account() for _ in range(6)]
    made.admin = await rows.account(Role.ADMIN)
    rt = await Area.get(code=f"{city.code}.01.1001.RW01.RT001")
    rt_head = await rows.account(Role.RT_RW, rt)
    writer = Writer(rng, places=150, mentions=[r.handle for r in residents])
    storage = LocalStorage(tmp_path_factory.mktemp("opinion-media"), "/media/")
    policy = PhotoPolicy(10_000_000, 40_000_000, 4, ZoneInfo("Asia/Jakarta"))
    newest_event = await OutboxEvent.all().order_by("-id").first()
    # Flood (topic 2) and mosquitoes (16) run hot in the month, roads (0) cooled down.
    heat = {"before": {0: 3.0}, "now": {2: 4.0, 16: 5.0}}
    span = (END - BEFORE) + timedelta(days=6)
    made_reports: list[tuple[Report, Doc]] = []
    try:
        for number in range(150):
            moment = BEFORE - timedelta(days=3) + timedelta(seconds=rng.randrange(int(span.total_seconds())))
            duty = number % 15 == 14  # the RT head's rounds, in the RT's kelurahan: never counted
            village = villages[0] if duty else rng.choice(villages)
            author = rt_head if duty else rng.choice(residents)
            text = writer.text(heat["now" if moment >= START else "before"])
            at(moment)
            report, _ = await create_report(
                author,
                NewReport(body=text, category_code="SAMPAH", lat=village.centroid_lat or 0,
                          lng=village.centroid_lng or 0, photos=[], min_photos=0,
                          kind=ReportKind.DUTY if duty else ReportKind.CITIZEN),
                storage, policy, 5000)
            doc = Doc(text, report.created_at, report.area_id or 0, report.id, True, report.kind)
            made.docs.append(doc)
            made_reports.append((report, doc))
            for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
                when = moment + timedelta(hours=rng.uniform(0.1, 80))
                at(when)
                reply = writer.text(heat["now" if when >= START else "before"])
                comment = await social.add_comment(rng.choice(residents), report, reply)
                made.docs.append(Doc(reply, comment.created_at, doc.village, report.id, False, report.kind))
        at(END + timedelta(days=10))
        hidden = [r for r, d in made_reports if d.kind == ReportKind.CITIZEN and rng.random() < 0.15]
        for report in hidden:
            await moderation.set_hidden(made.admin, report.id, True, "Uji moderasi")
        # Comments on a hidden report do not count while it is hidden, and do once it is back.
        for report in hidden[:4]:
            comment = await social.add_comment(residents[0], report, "Banjir banjir lagi di sini kebanjiran")
            made.docs.append(Doc(comment.body, comment.created_at, report.area_id or 0, report.id, False))
        for report in hidden[::3]:
            await moderation.set_hidden(made.admin, report.id, False, None)
        made.hidden = {r.id for r in hidden} - {r.id for r in hidden[::3]}
        # Forwarded to the other kelurahan (disposisi): a report's words and its comments' move with it.
        moving = [r for r, d in made_reports if d.kind == ReportKind.CITIZEN and d.village == villages[0].id][:5]
        for report in moving:
            await workflow.forward(made.admin, report.id, None, villages[1].id, "Salah wilayah")
        for doc in made.docs:
            if doc.report in {r.id for r in moving}:
                doc.village = villages[1].id
    finally:
        clock.reset()
        # Announced to nobody: a server started later must not relay these as new (seed-demo does the same).
        await OutboxEvent.filter(id__gt=newest_event.id if newest_event else 0, published_at=None).update(
            published_at=clock.now())
    return made


async def test_a_month_of_a_city_matches_the_independent_count(month: Month) -> None:
    want = expected(month, {v.id for v in month.villages}, 50)
    got = answered(await trends.trending_topics(month.admin, month.city.id, START, END, 50))
    assert got == want
    # The heated topics rose; the cooled one did not.
    assert {"banjir", "nyamuk"} <= {t["term"] for t in got}
    assert "jalan" not in {t["term"] for t in got}
    assert any(t["samples"] for t in got)


async def test_samples_beyond_the_newest_reports_come_from_the_full_text_index(
    month: Month, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trends, "SAMPLE_POOL", 4)
    got = answered(await trends.trending_topics(month.admin, month.city.id, START, END, 50))
    assert got == expected(month, {v.id for v in month.villages}, 50)


async def test_any_run_of_days_matches_too(month: Month) -> None:
    """Periods of 1 to 40 days starting on any weekday: whole weeks come from week rows, the rest from days."""
    rng = random.Random(7)
    villages = {v.id for v in month.villages}
    for _ in range(12):
        start = START + timedelta(days=rng.randrange(-20, 25))
        end = start + timedelta(days=rng.randrange(1, 41))
        got = answered(await trends.trending_topics(month.admin, month.city.id, start, end, 50))
        assert got == expected(month, villages, 50, start, end), (start, end)


def test_a_period_is_read_as_weeks_and_days() -> None:
    d = date.fromisoformat
    # 2017-03-01 was a Wednesday: Wed-Sun as days, then 3 whole weeks from Monday the 6th, then the 27th-31st.
    assert trends.spans(d("2017-03-01"), d("2017-04-01")) == [
        (1, d("2017-03-01"), d("2017-03-06")), (7, d("2017-03-06"), d("2017-03-27")),
        (1, d("2017-03-27"), d("2017-04-01"))]
    assert trends.spans(d("2017-03-06"), d("2017-03-20")) == [(7, d("2017-03-06"), d("2017-03-20"))]
    assert trends.spans(d("2017-03-07"), d("2017-03-13")) == [(1, d("2017-03-07"), d("2017-03-13"))]
    assert trends.spans(d("2017-03-06"), d("2017-03-12")) == [(1, d("2017-03-06"), d("2017-03-12"))]
    assert trends.spans(d("2017-03-05"), d("2017-03-14")) == [
        (1, d("2017-03-05"), d("2017-03-06")), (7, d("2017-03-06"), d("2017-03-13")),
        (1, d("2017-03-13"), d("2017-03-14"))]


async def test_each_area_counts_its_own_kelurahan(month: Month) -> None:
    district = await Area.get(id=month.villages[0].parent_id)
    assert answered(await trends.trending_topics(month.admin, district.id, START, END, 50)) == \
        expected(month, {v.id for v in month.villages}, 50)
    for village in month.villages:
        got = answered(await trends.trending_topics(month.admin, village.id, START, END, 50))
        assert got == expected(month, {village.id}, 50)
    assert answered(await trends.trending_topics(month.admin, month.city.id, START, END, 3)) == \
        expected(month, {v.id for v in month.villages}, 3)
    rt = await Area.get(code=f"{month.city.code}.01.1001.RW01.RT001")
    assert await trends.trending_topics(month.admin, rt.id, START, END) == []  # reports are routed to kelurahan


async def test_a_recount_from_the_stored_texts_changes_nothing(month: Month) -> None:
    area_ids = [month.city.id, month.villages[0].parent_id, *(v.id for v in month.villages)]

    async def counts() -> Counter[tuple[object, ...]]:
        found = await TermUse.filter(area_id__in=area_ids).values_list("area_id", "days", "day", "term", "form",
                                                                       "count")
        return Counter({tuple(r[:5]): r[5] for r in found if r[5]})

    before = await counts()
    assert before
    await trends.rebuild(batch=97)
    assert await counts() == before


def test_what_counts_as_a_term() -> None:
    # Grouped by stem, shown by the form written (the stemmer takes "sekolah" for "seko" + the particle -lah).
    assert terms("Jalanan di depan sekolah rusak, jalan berlubang!") == {
        "jalan": "jalanan", "depan": "depan", "seko": "sekolah", "rusak": "rusak", "lubang": "berlubang"}
    # Stop words and shorthand, @mentions, links, numbers and short words are no terms.
    assert terms("@budi_2 yg udah dgn RT 05 no 12 https://x.example/jalan www.y.example ok") == {}
    # The form written most, the first of equals.
    assert terms("jalannya jalanan jalanan") == {"jalan": "jalanan"}
    assert terms("jalannya jalanan") == {"jalan": "jalannya"}
    # Digits split words.
    assert terms("covid19 di kampung") == {"covid": "covid", "kampung": "kampung"}
    assert terms("a" * 41) == {}


def test_how_many_texts_make_a_trend() -> None:
    assert [trends.least_count(n) for n in (0, 10, 6000, 6001, 300_000)] == [3, 3, 3, 4, 150]


def test_the_period_is_the_days_it_touches() -> None:
    p = trends.period(START, END)
    assert (p.previous, p.first, p.end) == (BEFORE.date(), START.date(), END.date())
    # Mid-day bounds take their whole day; the days before are as many.
    p = trends.period(datetime(2017, 3, 1, 15, tzinfo=JAKARTA), datetime(2017, 3, 3, 9, tzinfo=JAKARTA))
    assert (str(p.previous), str(p.first), str(p.end)) == ("2017-02-26", "2017-03-01", "2017-03-04")
    # Days are Jakarta's: 2017-03-01 20:00 UTC is already the 2nd there; a naive time is UTC.
    p = trends.period(datetime(2017, 3, 1, 20), datetime(2017, 3, 1, 21))
    assert (str(p.first), str(p.end)) == ("2017-03-02", "2017-03-03")
    with pytest.raises(BadInput):
        trends.period(END, START)
    with pytest.raises(BadInput):
        trends.period(START, START + timedelta(days=367))


WATCH = [
    # (role, where the account's area is, may it watch the kelurahan?)
    (Role.ADMIN, None, True),
    (Role.AREA_HEAD, "village", True), (Role.AREA_HEAD, "district", True), (Role.AREA_HEAD, "other", False),
    (Role.OFFICER, "village", True), (Role.AGENCY_HEAD, "district", True), (Role.VERIFIER, "village", True),
    (Role.OFFICER, "rt", False),  # an official of an RT inside it does not watch the whole kelurahan
    (Role.CITIZEN, "village", False), (Role.RT_RW, "village", False), (Role.AREA_HEAD, None, False),
]


@pytest.mark.parametrize(("role", "where", "may"), WATCH, ids=[f"{r.value}-{w}" for r, w, _ in WATCH])
async def test_who_watches_an_area(month: Month, role: Role, where: str | None, may: bool) -> None:
    village = month.villages[0]
    areas = {"village": village, "district": await Area.get(id=village.parent_id),
             "other": month.villages[1], "rt": await Area.get(code=f"{month.city.code}.01.1001.RW01.RT001"),
             None: None}
    viewer = await rows.account(role, areas[where])
    assert may_watch(viewer, village.path) is may
    if may:
        assert await trends.trending_topics(viewer, village.id, START, END) is not None
    else:
        with pytest.raises(Forbidden):
            await trends.trending_topics(viewer, village.id, START, END)
    # Only the admin watches every area at once; an official without areaId watches their own.
    assert may_watch(viewer, None) is (role == Role.ADMIN)


async def test_refusals(month: Month) -> None:
    with pytest.raises(Unauthenticated):
        await trends.trending_topics(None, month.city.id, START, END)
    with pytest.raises(NotFound):
        await trends.trending_topics(month.admin, 2**31 - 1, START, END)
    for first in (0, 51):
        with pytest.raises(BadInput):
            await trends.trending_topics(month.admin, month.city.id, START, END, first)
    lurah = await rows.account(Role.AREA_HEAD, month.villages[0])
    own = answered(await trends.trending_topics(lurah, None, START, END, 50))
    assert own == expected(month, {month.villages[0].id}, 50)


def test_stop_words_are_lower_case_words() -> None:
    assert all(w.isalpha() and w == w.lower() for w in STOP_WORDS)
