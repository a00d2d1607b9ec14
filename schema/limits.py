"""What a hostile client cannot make the server do: limits on depth, aliases, tokens and cost.

The same rules guard HTTP (as schema extensions) and WebSocket (subscriptions/websocket.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, ValidationCache

MAX_DEPTH = 10
MAX_ALIASES = 20
MAX_TOKENS = 2000
MAX_COST = 10_000
# Fields that return a page: they cost their `first` (or its default) times their selection.
PAGED = {"feed": 20, "homeFeed": 20, "workQueue": 20, "flaggedReports": 20, "reports": 20, "comments": 20,
         "notifications": 20, "polls": 20, "readings": 50, "mentionSuggestions": 8}
MAX_PAGE = 100
# Every selection written, duplicates included, through fragments: graphql-core's check that fields can merge is
# quadratic in the copies of one field (900 copies cost 60 ms of validation), so such documents are refused first.
MAX_SELECTIONS = 600


class CostLimit(ValidationRule):
    """Every field costs 1, multiplied by the page sizes of the connections above it."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        cost = self._cost(node.selection_set, 1, frozenset())
        if cost > MAX_COST:
            self.report_error(GraphQLError(f"The query costs {cost}; at most {MAX_COST} is allowed.", node))

    def _cost(self, selections: SelectionSetNode, multiplier: int, fragments: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += multiplier
                if selection.selection_set is not None:
                    factor = self._page(selection)
                    total += self._cost(selection.selection_set, multiplier * factor, fragments)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, multiplier, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in fragments:  # cycles are refused by another rule
                    total += self._cost(fragment.selection_set, multiplier, fragments | {name})
            if total > MAX_COST:
                break
        return total

    @staticmethod
    def _page(field: FieldNode) -> int:
        default = PAGED.get(field.name.value)
        first = next((a.value for a in field.arguments or () if a.name.value == "first"), None)
        if first is None:
            return default or 1
        if isinstance(first, IntValueNode):
            return max(1, min(int(first.value), MAX_PAGE))
        return MAX_PAGE  # a variable: assume the largest page


NUL_REFUSED = "Text may not contain the NUL character (U+0000)."


def has_nul(value: Any) -> bool:
    """PostgreSQL cannot store U+0000 in text: found anywhere in the variables, the request is refused."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


class NoNulCharacters(ValidationRule):
    """The same refusal for string literals written in the document ("\u0000")."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_REFUSED, node, extensions={"code": "BAD_USER_INPUT"}))


def validation_rules(production: bool) -> list[type[ASTValidationRule]]:
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
        CostLimit,
        NoNulCharacters,
    ]
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def too_many_selections(document: DocumentNode) -> GraphQLError | None:
    """Counted in one pass (a fragment once, however often it is spread), before the validation rules run."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counted: dict[str, int] = {}

    def count(selections: SelectionSetNode | None, seen: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                total += 1 + count(selection.selection_set, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode) and (name := selection.name.value) not in seen:
                if name not in counted and name in fragments:  # unknown or cyclic spreads: the rules' to refuse
                    counted[name] = count(fragments[name].selection_set, seen | {name})
                total += counted.get(name, 0)
            if total > MAX_SELECTIONS:
                break
        return total

    total = sum(count(d.selection_set, frozenset()) for d in document.definitions
                if isinstance(d, OperationDefinitionNode))
    if total <= MAX_SELECTIONS:
        return None
    return GraphQLError(f"The document selects {total:,} fields or more; at most {MAX_SELECTIONS} are allowed.",
                        extensions={"code": "BAD_USER_INPUT"})


class GuardedValidation(ValidationCache):
    """Strawberry's cached validation, after a cheap count of the document's selections: too many, and the rules
    (whose cost that count would blow up) never run."""

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        if document is not None and (error := too_many_selections(document)) is not None:
            self.execution_context.pre_execution_errors = [error]  # Strawberry then skips the rules
            yield
            return
        yield from super().on_validate()
