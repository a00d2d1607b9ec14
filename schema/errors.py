"""Errors as the contract wants them: a code in extensions, never Python's own words."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from tortoise.exceptions import ValidationError

from core.errors import VALUE_REFUSED, DomainError
from plumbing.outbox import database_lost
from resolvers.context import Context

log = logging.getLogger("warga.graphql")
INTERNAL = "INTERNAL_SERVER_ERROR"


SUGGESTION = re.compile(r" ?Did you mean .*\?$")


def coded(error: GraphQLError, hide_suggestions: bool = False) -> GraphQLError:
    """The error with a contract code; errors that already carry one pass unchanged."""
    if error.extensions and "code" in error.extensions:
        return error
    original = error.original_error
    extensions: dict[str, object] = {}
    if isinstance(original, DomainError):
        message, code = original.message, original.code
        extensions.update(original.extensions)
    elif original is None:
        # Syntax and validation errors: the message describes the client's document, not our code.
        message, code = error.message, "BAD_USER_INPUT"
    elif isinstance(original, ValidationError):
        # The ORM checks a value against its column (a code longer than any code) before asking the database.
        message, code = VALUE_REFUSED, "BAD_USER_INPUT"
    elif isinstance(original, GraphQLError) and original.original_error is None:
        message, code = original.message, "BAD_USER_INPUT"  # e.g. a variable that does not fit its type
    else:
        log.error("unexpected error at %s", error.path, exc_info=original)
        message, code = "Internal server error.", INTERNAL
    if hide_suggestions:
        message = SUGGESTION.sub("", message)
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
        extensions={"code": code, **extensions},
    )


class ErrorCodes(SchemaExtension):
    def __init__(self, hide_suggestions: bool = False) -> None:
        self.hide_suggestions = hide_suggestions

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            context = self.execution_context.context
            if isinstance(context, Context) and any(
                    e.original_error is not None and not isinstance(e.original_error, DomainError)
                    and database_lost(e.original_error) for e in result.errors):
                context.database_down = True
            result.errors = [coded(e, self.hide_suggestions) for e in result.errors]
