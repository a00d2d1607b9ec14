"""What every resolver gets: the viewer, per-request DataLoaders and the app's resources."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry

from app import sessions
from app.resources import Resources
from models import Account
from resolvers.loaders import Loaders


@dataclass
class Context:
    resources: Resources
    viewer: Account | None
    token: str | None
    loaders: Loaders = field(init=False)
    # Starlette's request and response (or WebSocket), for the rare resolver that needs them.
    request: object = None
    response: object = None
    # Set once the document validated: "query", "mutation" or "subscription".
    operation_type: str | None = None
    # The operation's top-level field names ("*" for a fragment there): which mutations ran.
    root_fields: frozenset[str] = frozenset()
    succeeded: bool = False
    # Set when a field failed because the database went away (schema.errors.ErrorCodes): HTTP answers 503.
    database_down: bool = False

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.viewer)

    @property
    def ip(self) -> str | None:
        client = getattr(self.request, "client", None)
        return client.host if client else None

    async def limit(self, action: str, account_key: int | str | None = None) -> None:
        """Count this action against the viewer (or the given key) and the client's address."""
        key = account_key if account_key is not None else (self.viewer.id if self.viewer else None)
        await self.resources.limiter.check(action, key, self.ip)

    def refresh(self) -> None:
        """Drop what the DataLoaders cached (a live subscription renders one event after another)."""
        self.loaders = Loaders(self.viewer)

    def sign_in(self, account: Account, token: str) -> None:
        """The rest of this response is seen by the account that just signed in."""
        self.viewer, self.token = account, token
        self.loaders = Loaders(account)


Info = strawberry.Info[Context, None]


def bearer_token(authorization: object) -> str | None:
    """The token of an `Authorization: Bearer <token>` value: an HTTP header, or the `authorization` entry
    of graphql-transport-ws's connection_init payload."""
    if isinstance(authorization, str) and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


async def viewer_of(token: str | None) -> Account | None:
    """The account a token signs in, with its area (permissions compare area paths). Remembered a few seconds
    (app/sessions.py), so the same object may serve the account's requests meanwhile."""
    if not token:
        return None
    return await sessions.cache.viewer(token)
