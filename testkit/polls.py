"""What the tests of polls share: accounts old enough to vote, and a tidy end."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from models import Account, Area, Poll
from models.enums import Role
from services import auth
from testkit import rows

OLD_ENOUGH = timedelta(days=2)


async def age(account: Account, by: timedelta = OLD_ENOUGH) -> Account:
    """Backdates the account's creation (accounts younger than a day may not vote)."""
    account.created_at = clock.now() - by
    await Account.filter(id=account.id).update(created_at=account.created_at)
    return account


async def quick_resident(area_code: str, role: Role = Role.CITIZEN) -> tuple[str, Account]:
    """An account old enough to vote and a token for it, without hashing a password (crowds of voters)."""
    account = await age(await rows.account(role, await Area.get(code=area_code)))
    return await auth.open_session(account, timedelta(hours=1)), account


async def retire_unannounced() -> None:
    """Closes the polls a test left waiting for their opening, so that the server's duty does not notify
    residents about them while later tests (that move the clock) watch their notifications."""
    now = clock.now()
    await Poll.filter(opening_notified_at__isnull=True).update(opening_notified_at=now, closed_at=now,
                                                              closing_announced_at=now)
