"""The assembled schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import strawberry
from graphql import DocumentNode, FieldNode, OperationDefinitionNode
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, SchemaExtension

from execution.executor import CompiledExecutor, StandardExecutor
from schema.assets import Asset
from schema.comments import Comment
from schema.errors import ErrorCodes
from schema.limits import MAX_TOKENS, GuardedValidation, validation_rules
from schema.mutation import Mutation
from schema.places import Agency, Area
from schema.polls import Poll
from schema.query import Query
from schema.reports import Report
from schema.social import Notification
from schema.subscription import Subscription


class RecordOperation(SchemaExtension):
    """Tells the HTTP view what ran: a mutation empties the response cache, a query may fill it."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if hasattr(context, "operation_type"):
            context.operation_type = self.execution_context.operation_type.value
            context.root_fields = _root_fields(self.execution_context.graphql_document,
                                               self.execution_context.operation_name)
        yield


def _root_fields(document: DocumentNode | None, name: str | None) -> frozenset[str]:
    operations = [d for d in (document.definitions if document else ()) if isinstance(d, OperationDefinitionNode)
                  and (name is None or (d.name is not None and d.name.value == name))]
    if len(operations) != 1:
        return frozenset({"*"})
    return frozenset(s.name.value if isinstance(s, FieldNode) else "*" for s in operations[0].selection_set.selections)


def build_schema(production: bool = False, compiled: bool = True) -> strawberry.Schema:
    """Production adds: no introspection, no "Did you mean" suggestions in errors. `compiled=False` executes
    every document with graphql-core's executor alone (what the compiled path is compared with)."""
    rules = validation_rules(production)
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: ErrorCodes(hide_suggestions=production),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(rules),
        lambda: ParserCache(maxsize=512),
        lambda: GuardedValidation(maxsize=512),
        RecordOperation,
    ]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Area, Agency, Report, Comment, Notification, Poll, Asset],
        extensions=extensions,
        execution_context_class=CompiledExecutor if compiled else StandardExecutor,
    )
