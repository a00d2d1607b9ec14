"""Who may do what: decided here only, and denied unless a rule allows it."""

from __future__ import annotations

from enum import StrEnum

from tortoise.expressions import Q

from models import Account, Report
from models.enums import EventKind, ReportKind, Role

OFFICIAL_ROLES = frozenset({Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD, Role.CITY_ADMIN, Role.ADMIN})
# Who acts on some reports (may_act): the officials, and a kelurahan's verifier, whose one act is verifying.
ACTORS = OFFICIAL_ROLES | {Role.VERIFIER}
# Disposisi is a head's decision (PRODUCT.md: area heads forward); field officers act on reports.
FORWARDERS = frozenset({Role.AREA_HEAD, Role.AGENCY_HEAD, Role.CITY_ADMIN, Role.ADMIN})
# Who moderates reports (may_moderate): hides them, keeps them shown, reads their flags.
MODERATORS = frozenset({Role.AREA_HEAD, Role.CITY_ADMIN, Role.ADMIN})
# Moderation's own timeline events: shown to those who may act on the report or moderate it, never the public.
MODERATION_EVENTS = frozenset({EventKind.HIDDEN, EventKind.UNHIDDEN, EventKind.KEPT})


class Action(StrEnum):
    ACKNOWLEDGE = "ACKNOWLEDGE"
    FORWARD = "FORWARD"
    FOLLOW_UP = "FOLLOW_UP"
    REOPEN = "REOPEN"
    RATE = "RATE"
    CLOSE = "CLOSE"
    REJECT = "REJECT"
    VERIFY = "VERIFY"
    HIDE = "HIDE"
    UNHIDE = "UNHIDE"
    KEEP = "KEEP"  # decide a report's open flags, keeping it shown


def _area_path(account: Account) -> str | None:
    area = account.area if account.area_id else None
    return area.path if area is not None else None


def administers(actor: Account | None, area_path: str) -> bool:
    """ADMIN everywhere; a CITY_ADMIN inside their city (their area is the city's)."""
    if actor is None:
        return False
    if actor.role == Role.ADMIN:
        return True
    path = _area_path(actor)
    return actor.role == Role.CITY_ADMIN and path is not None and area_path.startswith(path)


def may_act(viewer: Account | None, report: Report) -> bool:
    """An authorised official on a handled report: the admins in their reach; officer, area or agency head in
    their area or agency (an agency serves only inside its own area: services/routing.agency_for). And a verifier
    on the DUTY reports of their kelurahan: verifying is how they act (allowed() keeps the status machine's moves
    for officials)."""
    if viewer is None or viewer.role not in ACTORS or not report.handled:
        return False
    if viewer.role == Role.VERIFIER:
        return report.kind == ReportKind.DUTY and _in_area(viewer, report)
    if viewer.role in (Role.ADMIN, Role.CITY_ADMIN):
        return administers(viewer, report.area_path)
    in_agency = viewer.agency_id is not None and viewer.agency_id == report.agency_id
    return _in_area(viewer, report) or in_agency


def actionable_q(viewer: Account) -> Q | None:
    """may_act as a filter on report rows: the reports the viewer may act on (None: none at all)."""
    if viewer.role not in ACTORS:
        return None
    if viewer.role == Role.ADMIN:
        return Q(handled=True)
    path = _area_path(viewer)
    if viewer.role == Role.VERIFIER:
        return Q(area_path__startswith=path, kind=ReportKind.DUTY, handled=True) if path is not None else None
    reach = [Q(area_path__startswith=path)] if path is not None else []
    if viewer.agency_id is not None and viewer.role != Role.CITY_ADMIN:
        reach.append(Q(agency_id=viewer.agency_id))
    return Q(Q(*reach, join_type="OR"), Q(handled=True)) if reach else None


def _in_area(account: Account, report: Report) -> bool:
    path = _area_path(account)
    return path is not None and report.area_path.startswith(path)


def may_moderate(viewer: Account | None, report: Report) -> bool:
    """Hide, unhide, keep and read the flags of a report, handled or not: the admins in their reach, and an area
    head inside their area."""
    return administers(viewer, report.area_path) or (
        viewer is not None and viewer.role == Role.AREA_HEAD and _in_area(viewer, report))


def moderated_q(viewer: Account) -> Q | None:
    """may_moderate as a filter on report rows (None: none at all)."""
    if viewer.role == Role.ADMIN:
        return Q()
    path = _area_path(viewer)
    return Q(area_path__startswith=path) if viewer.role in MODERATORS and path is not None else None


def allowed(action: Action, actor: Account | None, report: Report) -> bool:
    """The one table of who may do what to a report; anything not listed is refused."""
    if actor is None:
        return False
    own = actor.id == report.author_id
    works = actor.role in OFFICIAL_ROLES and may_act(actor, report)  # the status machine's moves are officials'
    if action == Action.REOPEN:
        return own
    if action == Action.RATE:  # an official does not rate a fix their own office answers for
        return own and not works
    if action == Action.CLOSE:
        return own or works
    if action == Action.VERIFY:
        return actor.role == Role.VERIFIER and may_act(actor, report)
    if action in (Action.HIDE, Action.UNHIDE, Action.KEEP):  # moderation: handled or not
        return may_moderate(actor, report)
    if action == Action.FORWARD:
        return actor.role in FORWARDERS and works
    if action in (Action.ACKNOWLEDGE, Action.FOLLOW_UP, Action.REJECT):
        return works
    return False


def sees_anonymous_author(viewer: Account | None) -> bool:
    return viewer is not None and viewer.role == Role.ADMIN  # not a CITY_ADMIN: anonymity is kept in the city


def visible_q(viewer: Account | None) -> Q:
    """The reports a viewer may read: everything not hidden, plus hidden ones they may act on."""
    public = Q(hidden=False)
    if viewer is None or viewer.role not in ACTORS:
        return public
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role == Role.VERIFIER:  # as may_see: the DUTY reports they verify, hidden or not
        reach = actionable_q(viewer)
        return public if reach is None else Q(public, reach, join_type="OR")
    extra = []  # as may_see: who may act (on handled reports only), and who moderates (a CITY_ADMIN's area is the city)
    path = _area_path(viewer)
    if path is not None:
        in_area = Q(area_path__startswith=path)
        extra.append(in_area if viewer.role in (Role.AREA_HEAD, Role.CITY_ADMIN) else Q(in_area, handled=True))
    if viewer.agency_id is not None:  # only handled reports have an agency
        extra.append(Q(agency_id=viewer.agency_id))
    return Q(public, *extra, join_type="OR")


def _moderates(viewer: Account | None, report: Report) -> bool:
    return may_act(viewer, report) or may_moderate(viewer, report)


def may_see(viewer: Account | None, report: Report) -> bool:
    return not report.hidden or _moderates(viewer, report)


def may_see_event(viewer: Account | None, report: Report, kind: str) -> bool:
    """Moderation events (HIDDEN, UNHIDDEN, KEPT) are for officials only."""
    return kind not in MODERATION_EVENTS or _moderates(viewer, report)


# Who watches an area's public opinion (trending topics, category surges): its officials, and the admin.
WATCHERS = frozenset({Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD, Role.VERIFIER})


def may_watch(viewer: Account | None, area_path: str | None) -> bool:
    """Trending topics and surges of the area with this path (None: every area): ADMIN anywhere; an officer,
    area head, agency head or verifier whose own area contains it."""
    if viewer is None:
        return False
    if viewer.role == Role.ADMIN:
        return True
    path = _area_path(viewer)
    inside = area_path is not None and path is not None and area_path.startswith(path)
    return (viewer.role in WATCHERS or viewer.role == Role.CITY_ADMIN) and inside
