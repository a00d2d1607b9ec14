"""@mentions: handles in text that name real accounts."""

from __future__ import annotations

import re

from models import Account
from services.auth import handle_key

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,32})\b")


def handles_in(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text):
        seen.setdefault(handle_key(match.group(1)))
    return list(seen)


async def mentioned_accounts(text: str) -> list[Account]:
    """Accounts that the text @mentions; unknown handles stay plain text."""
    handles = handles_in(text)
    if not handles:
        return []
    return await Account.filter(handle__in=handles)
