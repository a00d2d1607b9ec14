"""Who may do what (services/permissions.py), as a table written out again from README's rules: every role
x action x where the report is (inside the actor's area, routed to the actor's agency, both, neither, in another
city) x whose it is x its kind x whether its city is a partner (handled), and the cases at the edges of an
area's subtree. tests/test_permissions.py sends the same matrix over HTTP (tests/test_cities.py its city
dimension); this one asks the rule itself, in memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from core.settings import Settings
from models import Account, Agency, Area, Report
from models.enums import AreaLevel, ReportKind, Role
from services.permissions import Action, allowed, may_see
from testkit import rows

A = Action
# Acting on a report of one's area or agency: what an authorised official does.
WORK = frozenset({A.ACKNOWLEDGE, A.FOLLOW_UP, A.REJECT, A.CLOSE})
MODERATION = frozenset({A.HIDE, A.UNHIDE, A.KEEP})
EVERYTHING_BUT_THE_REPORTERS = frozenset(A) - {A.REOPEN, A.RATE, A.VERIFY}
NOTHING: frozenset[Action] = frozenset()

# What a role may do to a handled report that is not its own, by where the report is (a CITY_ADMIN's area is
# the city, every other official's a kelurahan of it):
#               inside its area            routed to its agency         neither       in another city
TABLE: dict[Role, tuple[frozenset[Action], frozenset[Action], frozenset[Action], frozenset[Action]]] = {
    Role.CITIZEN: (NOTHING, NOTHING, NOTHING, NOTHING),
    Role.RT_RW: (NOTHING, NOTHING, NOTHING, NOTHING),
    Role.VERIFIER: (frozenset({A.VERIFY}), NOTHING, NOTHING, NOTHING),  # DUTY reports only (below)
    Role.OFFICER: (WORK, WORK, NOTHING, NOTHING),
    Role.AREA_HEAD: (WORK | {A.FORWARD} | MODERATION, WORK | {A.FORWARD}, NOTHING, NOTHING),
    Role.AGENCY_HEAD: (WORK | {A.FORWARD}, WORK | {A.FORWARD}, NOTHING, NOTHING),
    Role.CITY_ADMIN: (EVERYTHING_BUT_THE_REPORTERS,) * 3 + (NOTHING,),
    Role.ADMIN: (EVERYTHING_BUT_THE_REPORTERS,) * 4,
}
# The reporter's own report: reopen it, rate the fix, or close (accept) it.
OWNERS = frozenset({A.REOPEN, A.RATE, A.CLOSE})
PLACES = ("inside", "agency", "both", "neither", "another city")


def expected(role: Role, place: str, own: bool, kind: ReportKind, handled: bool) -> frozenset[Action]:
    inside, agency, neither, other_city = TABLE[role]
    answer = {"inside": inside, "agency": agency, "both": inside | agency, "neither": neither,
              "another city": other_city}[place]
    if kind != ReportKind.DUTY:
        answer -= {A.VERIFY}
    if not handled:  # outside partner cities nobody answers for a report; moderators still moderate
        answer &= MODERATION
    if not own:
        return answer
    # Officials who may act on their own report do not rate the fix (their office answers for it).
    return answer | (OWNERS - {A.RATE} if A.FOLLOW_UP in answer else OWNERS)


@dataclass(frozen=True)
class World:
    city: Area  # their city (Jakarta Timur)
    village: Area  # the actors' kelurahan (Pisangan Baru)
    elsewhere: Area  # a kelurahan of another district (Ceger)
    other_city: Area  # a kelurahan of Kota Bogor (Sempur)
    agency: Agency  # the actors' agency
    other_agency: Agency


@pytest.fixture
async def world(database: Settings) -> World:
    return World(await rows.area("31.75"), await rows.area(rows.PISANGAN_BARU), await rows.area(rows.CEGER),
                 await rows.area("32.71.03.1006"), await rows.agency("SUDIN_PE_JT"), await rows.agency("DLH"))


_ids: Iterator[int] = itertools.count(10**8)


def person(role: Role, area: Area | None = None, agency: Agency | None = None) -> Account:
    """In memory, with its area loaded as the server's viewer has it."""
    made = Account(id=next(_ids), handle=f"p{role.value.lower()}", display_name="Uji", role=role,
                   area_id=area.id if area else None, agency_id=agency.id if agency else None, password_hash="-")
    if area is not None:
        made.area = area
    return made


def report(author: Account, area: Area, agency: Agency, kind: ReportKind = ReportKind.CITIZEN,
           hidden: bool = False, handled: bool = True) -> Report:
    return Report(id=next(_ids), kind=kind, body="Uji", category_id=1, lat=-6.2, lng=106.87, area_id=area.id,
                  area_path=area.path, agency_id=agency.id, author_id=author.id, hidden=hidden, handled=handled)


CELLS = list(itertools.product(Role, PLACES, (False, True), ReportKind, (True, False)))


@pytest.mark.parametrize(("role", "place", "own", "kind", "handled"), CELLS,
                         ids=[f"{r.value}-{p}-{'own' if o else 'other'}-{k.value}-{'handled' if h else 'unhandled'}"
                              for r, p, o, k, h in CELLS])
async def test_the_table(world: World, role: Role, place: str, own: bool, kind: ReportKind, handled: bool) -> None:
    # Every actor has both an area and an agency, so that only the rules can refuse them.
    actor = person(role, world.city if role == Role.CITY_ADMIN else world.village, world.agency)
    author = actor if own else person(Role.CITIZEN)
    where = {"inside": world.village, "both": world.village, "another city": world.other_city}.get(
        place, world.elsewhere)
    routed = world.agency if place in ("agency", "both") else world.other_agency
    subject = report(author, where, routed, kind, handled=handled)
    granted = {action for action in Action if allowed(action, actor, subject)}
    assert granted == expected(role, place, own, kind, handled)


async def test_signed_out_may_do_nothing(world: World) -> None:
    subject = report(person(Role.CITIZEN), world.village, world.agency)
    assert not any(allowed(action, None, subject) for action in Action)


async def test_an_official_with_neither_area_nor_agency_may_do_nothing(world: World) -> None:
    subject = report(person(Role.CITIZEN), world.village, world.agency)
    for role in (Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD, Role.VERIFIER):
        assert {action for action in Action if allowed(action, person(role), subject)} == set(), role


@dataclass(frozen=True)
class Edge:
    why: str
    role: Role
    actor_area: str  # a code, or "/path/" for an area that exists only in memory
    report_area: str
    action: Action
    allowed: bool
    kind: ReportKind = ReportKind.CITIZEN


EDGES = [
    Edge("the camat acts on a report of a kelurahan in the district", Role.AREA_HEAD, rows.MATRAMAN,
         rows.PISANGAN_BARU, A.ACKNOWLEDGE, True),
    Edge("the camat forwards it", Role.AREA_HEAD, rows.MATRAMAN, rows.PISANGAN_BARU, A.FORWARD, True),
    Edge("the camat hides it", Role.AREA_HEAD, rows.MATRAMAN, rows.PISANGAN_BARU, A.HIDE, True),
    Edge("the camat has no say in another district", Role.AREA_HEAD, rows.MATRAMAN, rows.CEGER, A.ACKNOWLEDGE,
         False),
    Edge("a lurah has no say in the next kelurahan", Role.AREA_HEAD, rows.PISANGAN_BARU, rows.KAYU_MANIS, A.HIDE,
         False),
    Edge("an official of an RT does not act on the whole kelurahan", Role.OFFICER, rows.RT001, rows.PISANGAN_BARU,
         A.ACKNOWLEDGE, False),
    Edge("an official of the kelurahan acts on a report of its RT", Role.OFFICER, rows.PISANGAN_BARU, rows.RT001,
         A.FOLLOW_UP, True),
    Edge("an officer may not forward", Role.OFFICER, rows.PISANGAN_BARU, rows.PISANGAN_BARU, A.FORWARD, False),
    Edge("an officer may not hide", Role.OFFICER, rows.PISANGAN_BARU, rows.PISANGAN_BARU, A.HIDE, False),
    Edge("the verifier of the kelurahan verifies a DUTY report of its RT", Role.VERIFIER, rows.PISANGAN_BARU,
         rows.RT001, A.VERIFY, True, ReportKind.DUTY),
    Edge("a verifier does not verify citizens' reports", Role.VERIFIER, rows.PISANGAN_BARU, rows.PISANGAN_BARU,
         A.VERIFY, False),
    Edge("a verifier does not verify another kelurahan's DUTY reports", Role.VERIFIER, rows.PISANGAN_BARU,
         rows.KAYU_MANIS, A.VERIFY, False, ReportKind.DUTY),
    Edge("a verifier does nothing else", Role.VERIFIER, rows.PISANGAN_BARU, rows.PISANGAN_BARU, A.ACKNOWLEDGE,
         False, ReportKind.DUTY),
    Edge("the admin does not verify", Role.ADMIN, rows.PISANGAN_BARU, rows.PISANGAN_BARU, A.VERIFY, False,
         ReportKind.DUTY),
    # Paths are ids between slashes: area 2 is no prefix of area 20.
    Edge("area /7/2/ is not area /7/20/", Role.AREA_HEAD, "/7/2/", "/7/20/", A.ACKNOWLEDGE, False),
    Edge("area /7/2/ contains /7/2/30/", Role.AREA_HEAD, "/7/2/", "/7/2/30/", A.ACKNOWLEDGE, True),
]


async def place(code_or_path: str) -> Area:
    if code_or_path.startswith("/"):
        number = int(code_or_path.strip("/").rsplit("/", 1)[-1])
        return Area(id=10**7 + number, code=f"X{number}", name="Khayalan", level=AreaLevel.VILLAGE, path=code_or_path)
    return await rows.area(code_or_path)


@pytest.mark.parametrize("edge", EDGES, ids=[e.why for e in EDGES])
async def test_the_edges_of_an_area(world: World, edge: Edge) -> None:
    actor = person(edge.role, await place(edge.actor_area))  # no agency: only the area decides
    subject = report(person(Role.RT_RW), await place(edge.report_area), world.other_agency, edge.kind)
    assert allowed(edge.action, actor, subject) is edge.allowed


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("kind", list(ReportKind))
async def test_a_hidden_report_is_seen_by_those_who_may_act_on_it(world: World, role: Role, kind: ReportKind) -> None:
    """Officials of its area, the admins, and the kelurahan's verifier for a DUTY report (theirs to verify)."""
    actor = person(role, world.village)
    for where in (world.village, world.elsewhere):
        hidden = report(person(Role.CITIZEN), where, world.other_agency, kind, hidden=True)
        acts = role == Role.ADMIN or (role in (Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD, Role.CITY_ADMIN)
                                      and where == world.village) or (
            role == Role.VERIFIER and kind == ReportKind.DUTY and where == world.village)
        assert may_see(actor, hidden) is acts
        assert may_see(actor, report(person(Role.CITIZEN), where, world.other_agency)) is True
    assert may_see(None, report(person(Role.CITIZEN), world.village, world.agency, hidden=True)) is False
