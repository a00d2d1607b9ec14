"""Passwords, sessions and accounts: who is asking, and who they may become."""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError

from core import clock
from core.errors import BadInput, Conflict, Forbidden, Unauthenticated
from models import Account, Agency, Area, Session
from models.enums import AreaLevel, Role
from plumbing import outbox
from services import permissions
from services.text import required_text

HANDLE = re.compile(r"^[a-z0-9_]{3,32}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher()
# Verified against when the handle is unknown, so a wrong handle costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
# The outbox topic of a change to what an account's tokens sign in as (a session ended, its role, area, agency or
# password changed): every server drops what it remembers of them (app/sessions.py). Payload: account_id.
ACCOUNT_CHANGED = "account"
_account_listeners: list[Callable[[int], None]] = []


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def handle_key(handle: str) -> str:
    """The one spelling of a handle that everything compares: "@Budi " is "budi"."""
    return handle.strip().lower().lstrip("@")


def normalise_handle(handle: str) -> str:
    """A handle fit for a new account."""
    handle = handle_key(handle)
    if not HANDLE.match(handle):
        raise BadInput("A handle is 3 to 32 letters, digits or underscores.")
    return handle


def _check_profile(display_name: str, password: str, email: str | None, phone: str | None) -> None:
    required_text(display_name, "A display name", 100)
    if len(password) < MIN_PASSWORD or len(password) > 256:
        raise BadInput(f"A password is {MIN_PASSWORD} to 256 characters.")
    if email is not None and (len(email) > 254 or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email)):
        raise BadInput("That email address does not look right.")
    if phone is not None and not re.match(r"^\+?[0-9 ()-]{6,20}$", phone):
        raise BadInput("That phone number does not look right.")


async def _insert_account(
    handle: str,
    display_name: str,
    password: str,
    role: Role,
    email: str | None,
    phone: str | None,
    area: Area | None = None,
    agency: Agency | None = None,
) -> Account:
    handle = normalise_handle(handle)
    _check_profile(display_name, password, email, phone)
    if await Account.filter(handle=handle).exists():
        raise Conflict(f"The handle @{handle} is taken.")
    try:
        return await Account.create(
            handle=handle,
            display_name=display_name.strip(),
            role=role,
            email=email,
            phone=phone,
            area=area,
            agency=agency,
            password_hash=hash_password(password),
        )
    except IntegrityError as exc:  # two registrations raced for the handle
        raise Conflict(f"The handle @{handle} is taken.") from exc


async def register(
    handle: str, display_name: str, password: str, email: str | None, phone: str | None, ttl: timedelta
) -> tuple[str, Account]:
    account = await _insert_account(handle, display_name, password, Role.CITIZEN, email, phone)
    return await open_session(account, ttl), account


async def create_account(
    actor: Account | None,
    *,
    handle: str,
    display_name: str,
    password: str,
    role: Role,
    area: Area | None = None,
    agency: Agency | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Account:
    """ADMIN anywhere, a CITY_ADMIN in their city (the command line passes actor=None: it runs with the
    operator's rights)."""
    if actor is not None:
        await _check_creator(actor, role, area, agency)
    if role == Role.CITY_ADMIN and (area is None or area.level != AreaLevel.CITY):
        raise BadInput("A CITY_ADMIN account needs its city's area.")
    if role in (Role.OFFICER, Role.AREA_HEAD, Role.RT_RW, Role.VERIFIER) and area is None and agency is None:
        if role != Role.OFFICER:
            raise BadInput(f"A {role.value} account needs an area.")
        raise BadInput("An OFFICER account needs an area or an agency.")
    if role == Role.AGENCY_HEAD and agency is None:
        raise BadInput("An AGENCY_HEAD account needs an agency.")
    return await _insert_account(handle, display_name, password, role, email, phone, area, agency)


async def _check_creator(actor: Account, role: Role, area: Area | None, agency: Agency | None) -> None:
    if actor.role == Role.ADMIN:
        return
    if actor.role != Role.CITY_ADMIN:
        raise Forbidden("Only an admin creates accounts.")
    if role in (Role.ADMIN, Role.CITY_ADMIN):
        raise Forbidden("Only an admin creates admin accounts.")
    agency_area = await Area.get_or_none(id=agency.area_id) if agency is not None and agency.area_id else None
    places = [place.path for place in (area, agency_area) if place is not None]
    if (agency is not None and agency_area is None) or not all(permissions.administers(actor, p) for p in places):
        raise Forbidden("A city admin creates accounts of their own city only.")
    if role != Role.CITIZEN and not places:
        raise BadInput(f"A {role.value} account created by a city admin needs an area or agency of the city.")


HOME_LEVELS = frozenset({AreaLevel.VILLAGE, AreaLevel.RW, AreaLevel.RT})


async def set_home_area(account: Account | None, area_id: int) -> Account:
    """Where a resident lives (a kelurahan, or an RW or RT inside one): polls of the areas around it are
    theirs to answer. Officials' and RT/RW heads' areas are where they serve, set by an admin."""
    if account is None:
        raise Unauthenticated()
    if account.role != Role.CITIZEN:
        raise Forbidden("Only a resident sets a home area; an official's area is set by an admin.")
    area = await Area.get_or_none(id=area_id)
    if area is None or area.level not in HOME_LEVELS:
        raise BadInput("A home area is a kelurahan, or an RW or RT inside one.")
    async with changing_account(account.id):
        await Account.filter(id=account.id).update(area_id=area.id)
    account.area = area  # after the commit: other requests may hold this very object (app/sessions.py)
    return account


def on_account_changed(listener: Callable[[int], None]) -> Callable[[], None]:
    """Tell this process of each committed changing_account at once (others hear of it through the outbox event);
    returns the unregistration."""
    _account_listeners.append(listener)
    return lambda: _account_listeners.remove(listener)


@contextlib.asynccontextmanager
async def changing_account(account_id: int) -> AsyncIterator[None]:
    """The transaction of a change to what the account's tokens sign in as: ending a session, or its role, area,
    agency, password or standing. Every such change goes through here, so that no server keeps signing in the
    account as it was."""
    async with outbox.transaction():
        yield
        await outbox.record(ACCOUNT_CHANGED, account_id=account_id)
    for listener in list(_account_listeners):
        listener(account_id)


async def open_session(account: Account, ttl: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    await Session.create(token_hash=token_hash(token), account=account, expires_at=clock.now() + ttl)
    return token


async def login(handle: str, password: str, ttl: timedelta) -> tuple[str, Account]:
    account = await Account.get_or_none(handle=handle_key(handle))
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        account = None
    if account is None:
        raise Unauthenticated("Wrong handle or password.")
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        await account.save(update_fields=["password_hash"])
    return await open_session(account, ttl), account


async def logout(token: str) -> bool:
    session = await Session.get_or_none(token_hash=token_hash(token)).only("id", "account_id")
    if session is None:
        return False
    async with changing_account(session.account_id):
        return await Session.filter(id=session.id).delete() > 0


@dataclass(frozen=True)
class SignedIn:
    account: Account  # with its area (permissions compare area paths)
    expires_at: datetime  # the session's: whoever keeps the account for a while keeps it no longer


async def signed_in(hashed_token: str) -> SignedIn | None:
    """Who the token of this hash (token_hash) signs in, or None when it is unknown or expired. One query; the
    transports ask through app/sessions.py, which remembers the answer a few seconds."""
    session = await Session.get_or_none(token_hash=hashed_token).select_related("account__area")
    if session is None:
        return None
    if session.expires_at <= clock.now():
        await session.delete()
        return None
    return SignedIn(session.account, session.expires_at)


def may_see_contact(viewer: Account | None, account: Account) -> bool:
    """Email and phone: the account itself and ADMIN, nobody else."""
    return viewer is not None and (viewer.id == account.id or viewer.role == Role.ADMIN)
