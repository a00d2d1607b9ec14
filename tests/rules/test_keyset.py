"""Keyset cursors (plumbing/keyset.py): exact round trips, forged cursors refused as BAD_USER_INPUT, and
pages that neither skip nor repeat rows whose timestamps are equal."""

from __future__ import annotations

import base64
import string
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.errors import BadInput
from core.settings import Settings
from models import Report
from plumbing.keyset import MAX_PAGE, decode_cursor, encode_cursor, keyset_page, page_size
from testkit import rows

MOMENTS = [
    datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC),
    datetime(2026, 11, 23, 17, 0, tzinfo=ZoneInfo("Asia/Jakarta")),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
]
PKS = [1, 2**31 - 1, 10**15]


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("pk", PKS)
def test_a_cursor_decodes_to_exactly_what_it_encodes(moment: datetime, pk: int) -> None:
    cursor = encode_cursor(moment, pk)
    assert set(cursor) <= set(string.ascii_letters + string.digits + "-_=")  # safe in a URL as it is
    created_at, decoded_pk = decode_cursor(cursor)
    assert (created_at, decoded_pk) == (moment, pk)  # the same instant
    assert created_at.utcoffset() == (timedelta() if moment.tzinfo else None)  # spelled in UTC, as rows are


BAD_CURSORS = {
    "not base64 at all": "not base64!",
    "not UTF-8": base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
    "no id": b64("2026-11-23T10:00:00+00:00"),
    "an id that is no number": b64("2026-11-23T10:00:00+00:00|abc"),
    "two ids": b64("2026-11-23T10:00:00+00:00|5|6"),
    "no time": b64("|5"),
    "a word for a time": b64("yesterday|5"),
    "Strawberry's offset cursor": b64("arrayconnection:5"),
}


@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
def test_a_forged_cursor_is_bad_input(cursor: str) -> None:
    with pytest.raises(BadInput):
        decode_cursor(cursor)


@pytest.mark.parametrize(("first", "size"), [(None, 20), (0, 0), (1, 1), (MAX_PAGE, MAX_PAGE),
                                               (MAX_PAGE + 1, MAX_PAGE), (10**9, MAX_PAGE)])
def test_page_size(first: int | None, size: int) -> None:
    assert page_size(first) == size


def test_a_negative_page_size_is_bad_input() -> None:
    with pytest.raises(BadInput):
        page_size(-1)


async def walk(query_author: int, first: int) -> tuple[list[int], list[tuple[bool, bool]]]:
    """Every page of the author's reports: the ids in order, and (has_previous, has_next) of each page."""
    ids: list[int] = []
    flags: list[tuple[bool, bool]] = []
    after = None
    while True:
        page = await keyset_page(Report.filter(author_id=query_author), first, after)
        ids += [r.id for r in page.rows]
        flags.append((page.has_previous, page.has_next))
        if not page.has_next:
            return ids, flags
        after = page.cursor(page.rows[-1])


@pytest.mark.parametrize("first", [1, 2, 3, 4, 7, 8, 20])
async def test_pages_with_equal_timestamps_skip_and_repeat_nothing(database: Settings, first: int) -> None:
    author = await rows.account()
    village = await rows.area(rows.PISANGAN_BARU)
    moment = datetime(2020, 3, 2, 3, 0, 0, 250000, tzinfo=UTC)  # long past: other tests' newest reports stay newest
    # Five reports in the same microsecond, one a second later and one a second earlier: 7 in all.
    older = await rows.report(author, village, created_at=moment - timedelta(seconds=1))
    same = [await rows.report(author, village, created_at=moment) for _ in range(5)]
    newer = await rows.report(author, village, created_at=moment + timedelta(seconds=1))
    expected = [newer.id, *sorted((r.id for r in same), reverse=True), older.id]  # newest first, then by id

    ids, flags = await walk(author.id, first)
    assert ids == expected
    pages = -(-len(expected) // first)  # a full last page says there is no next one
    assert len(flags) == pages
    assert flags == [(number > 0, number < pages - 1) for number in range(pages)]


async def test_a_cursor_in_another_time_zone_means_the_same_instant(database: Settings) -> None:
    author = await rows.account()
    village = await rows.area(rows.PISANGAN_BARU)
    moment = datetime(2020, 3, 2, 3, 0, tzinfo=UTC)
    made = [await rows.report(author, village, created_at=moment + timedelta(minutes=m)) for m in range(4)]
    query = Report.filter(author_id=author.id)
    pivot = made[2]
    in_utc = encode_cursor(moment + timedelta(minutes=2), pivot.id)
    in_jakarta = encode_cursor((moment + timedelta(minutes=2)).astimezone(ZoneInfo("Asia/Jakarta")), pivot.id)
    for cursor in (in_utc, in_jakarta):
        page = await keyset_page(query, 10, cursor)
        assert [r.id for r in page.rows] == [made[1].id, made[0].id]
