"""Plans: a document's selections worked out once, then reused for every request that sends it.

For each object type a selection lands on, an `ObjectPlan` lists its fields in answer order; a `FieldPlan`
knows how to get the field's value (read an attribute, call the Strawberry resolver function itself, or
Strawberry's full resolver where there are arguments or field extensions) and how to complete it
(execution.completion). graphql-core works all of this out again for every field of every object of every
request; a plan does it once per document, operation and the values of the variables its @include/@skip
read (the only inputs that change which fields are collected)."""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSkipDirective,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)
from graphql.execution.collect_fields import FieldDetails, GroupedFieldSet, collect_subfields
from graphql.pyutils import Path
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from execution import fields
from execution.completion import Completer, completer, needs_path

if TYPE_CHECKING:
    from execution.executor import CompiledExecutor

DEFINITION = "strawberry-definition"  # where Strawberry keeps a GraphQL field's StrawberryField
INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(slots=True, eq=False)
class ObjectPlan:
    type: GraphQLObjectType
    fields: list[FieldPlan]


@dataclass(slots=True, eq=False)
class FieldPlan:
    key: str  # the response name (an alias or the field's name)
    name: str  # the field's name in the schema
    parent: GraphQLObjectType
    definition: GraphQLField
    details: list[FieldDetails]
    nodes: list[FieldNode]
    complete: Completer
    # (executor, this plan, the source, the parent's path) -> the completed value or an awaitable of it.
    execute: Callable[[CompiledExecutor, FieldPlan, Any, Path | None], Any]
    # (executor, this plan, the source, the parent's path) -> the resolved value.
    resolve: Callable[[CompiledExecutor, FieldPlan, Any, Path | None], Any] = fields.strawberry
    attribute: str = ""
    strawberry: StrawberryField | None = None
    function: Callable[..., Any] | None = None
    self_argument: bool = False
    source_keywords: tuple[str, ...] = ()
    info_keyword: str | None = None
    children: dict[GraphQLObjectType, ObjectPlan] = field(default_factory=dict)

    def child(self, run: CompiledExecutor, type_: GraphQLObjectType) -> ObjectPlan:
        """The plan of this field's selection on an object of the given type, made on first use."""
        plan = self.children.get(type_)
        if plan is None:
            grouped = collect_subfields(run.schema, run.fragments, run.variable_values, run.operation, type_,
                                        self.details, run.hide_suggestions).grouped_field_set
            plan = self.children[type_] = object_plan(run, type_, grouped)
        return plan


def object_plan(run: CompiledExecutor, type_: GraphQLObjectType, grouped: GroupedFieldSet) -> ObjectPlan:
    return ObjectPlan(type_, [_field_plan(run, type_, key, list(details)) for key, details in grouped.items()])


def _field_plan(run: CompiledExecutor, parent: GraphQLObjectType, key: str, details: list[FieldDetails]) -> FieldPlan:
    name = details[0].node.name.value
    definition = run.schema.get_field(parent, name)
    assert definition is not None  # the document validated
    plan = FieldPlan(key, name, parent, definition, details, [d.node for d in details], completer(definition.type),
                     fields.standard)
    if name in INTROSPECTION:  # __schema and __type: graphql-core's own execution
        return plan
    strawberry_field = definition.extensions.get(DEFINITION)
    simple = isinstance(strawberry_field, StrawberryField) and not strawberry_field.extensions and not definition.args
    if name == "__typename":
        plan.resolve = fields.typename
    elif not simple or not isinstance(strawberry_field, StrawberryField):  # the second test is for mypy
        plan.resolve = fields.strawberry
    elif getattr(definition.resolve, "_is_default", False):
        plan.resolve, plan.attribute = fields.attribute, strawberry_field.python_name
    elif strawberry_field.base_resolver is not None and _without_handlers(definition.resolve) and \
            run.schema._strawberry_schema.config.info_class is Info:  # type: ignore[attr-defined]
        resolver = strawberry_field.base_resolver
        plan.resolve, plan.strawberry = fields.direct, strawberry_field
        plan.function = cast(Callable[..., Any], resolver.wrapped_func)
        plan.self_argument = resolver.self_parameter is not None
        plan.source_keywords = tuple(p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p)
        plan.info_keyword = resolver.info_parameter.name if resolver.info_parameter else None
    else:
        plan.resolve = fields.strawberry
    plan.execute = fields.leaf if plan.resolve is not fields.strawberry and not needs_path(definition.type) else \
        fields.general
    return plan


def _without_handlers(resolve: Any) -> bool:
    """Strawberry's resolver adds nothing but its exception handlers to a plain call of the function: true when
    it has none. Should Strawberry's resolver change shape, false, and the field keeps Strawberry's resolver."""
    names = getattr(getattr(resolve, "__code__", None), "co_freevars", ())
    return "field_exception_handlers" in names and \
        not resolve.__closure__[names.index("field_exception_handlers")].cell_contents


class DirectiveVariables(Visitor):
    """The variables an operation's @include and @skip read."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
        if node.name.value in ("include", GraphQLSkipDirective.name):
            self.names.update(a.value.name.value for a in node.arguments or () if isinstance(a.value, VariableNode))


@dataclass(slots=True, eq=False)
class Entry:
    operation: OperationDefinitionNode  # held, so that its id is not reused while the entry lives
    variables: tuple[str, ...]
    roots: dict[tuple[Any, ...], ObjectPlan] = field(default_factory=dict)


class Plans:
    """The plans of the documents seen lately, bounded like the parser's cache (which keeps each document's
    nodes the same objects from one request to the next)."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self.entries: collections.OrderedDict[int, Entry] = collections.OrderedDict()

    def root(self, run: CompiledExecutor, type_: GraphQLObjectType, grouped: GroupedFieldSet) -> ObjectPlan:
        operation = run.operation
        entry = self.entries.get(id(operation))
        if entry is None or entry.operation is not operation:
            finder = DirectiveVariables()
            visit(operation, finder)
            for fragment in run.fragment_definitions.values():
                visit(fragment, finder)
            entry = self.entries[id(operation)] = Entry(operation, tuple(sorted(finder.names)))
            if len(self.entries) > self.maxsize:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(id(operation))
        coerced = run.variable_values.coerced
        key = tuple(coerced.get(name) for name in entry.variables)
        plan = entry.roots.get(key)
        if plan is None:
            plan = entry.roots[key] = object_plan(run, type_, grouped)
        return plan
