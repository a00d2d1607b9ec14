"""API keys for registered apps (Open311 clients): issued and revoked from the command line."""

from __future__ import annotations

import hashlib
import re
import secrets

from core import clock
from core.errors import Conflict
from models import Account, ApiKey
from models.enums import Role
from services import auth
from services.text import required_text


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _handle_for(name: str) -> str:
    slug = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
    return f"app_{slug}"[:32]


async def issue(name: str) -> str:
    """Registers an app and returns its key; only the key's hash is stored, so it is shown once."""
    name = required_text(name, "An app's name", 100)
    if await ApiKey.exists(name=name):
        raise Conflict(f"An app named {name!r} is already registered.")
    handle = _handle_for(name)
    # The app posts as its own account; nobody signs in with it, so its password is random.
    account = await Account.get_or_none(handle=handle) or await auth.create_account(
        None, handle=handle, display_name=name, password=secrets.token_urlsafe(24), role=Role.CITIZEN
    )
    key = "w311_" + secrets.token_urlsafe(32)
    await ApiKey.create(name=name, key_hash=_hash(key), account=account)
    return key


async def revoke(name: str) -> bool:
    return await ApiKey.filter(name=name.strip(), revoked_at=None).update(revoked_at=clock.now()) > 0


async def app_account(key: str) -> Account | None:
    """The account an unrevoked key posts as, or None."""
    found = await ApiKey.get_or_none(key_hash=_hash(key), revoked_at=None).select_related("account")
    return found.account if found else None
