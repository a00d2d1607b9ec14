"""Accounts old enough to vote, for tests that drive a server in another process (which core.clock cannot
reach): `python -m testkit.aging DATABASE_URL HANDLE…` backdates those accounts as testkit.polls.age does
in-process. The server reads an account's age from the database on every request."""

from __future__ import annotations

import asyncio
import sys

from tortoise import Tortoise

from models import Account
from models.config import tortoise_config
from testkit.paths import ROOT
from testkit.polls import age


async def backdate(database_url: str, handles: list[str]) -> int:
    await Tortoise.init(config=tortoise_config(database_url, 1))
    try:
        accounts = await Account.filter(handle__in=handles)
        for account in accounts:
            await age(account)
        return len(accounts)
    finally:
        await Tortoise.close_connections()


async def backdate_accounts(database_url: str, *handles: str) -> None:
    """backdate() in a child process, so that the caller's own Tortoise state stays untouched."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "testkit.aging", database_url, *handles, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()[-2000:]
    assert out.decode().strip() == str(len(handles)), f"backdated {out.decode().strip()} of {handles}"


if __name__ == "__main__":
    url, *names = sys.argv[1:]
    print(asyncio.run(backdate(url, names)))
