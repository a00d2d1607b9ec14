"""What a field plan does at run time: get the value (`typename`, `attribute`, `direct`, `strawberry`) and
execute the field (`leaf`, `general`, `standard`), with graphql-core's error handling: a field error is
located at the field's path and, for a non-null field, propagates to the parent.

Whatever completes a value returns the value or a coroutine (graphql-core's methods do the same), so
completed values are told apart by `type(...) is CoroutineType`; a resolver's value may be any awaitable
(a DataLoader's future) and goes through `is_awaitable`."""

from __future__ import annotations

from types import CoroutineType
from typing import TYPE_CHECKING, Any

from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

if TYPE_CHECKING:
    from execution.executor import CompiledExecutor
    from execution.plans import FieldPlan


def typename(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> str:
    return plan.parent.name


def attribute(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> Any:
    """A field without a resolver: Strawberry's default resolver is this `getattr`."""
    return getattr(source, plan.attribute)


def direct(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> Any:
    """The resolver function itself, given what Strawberry would give it (the field takes no arguments); its
    `info` makes graphql-core's only if the resolver asks for more than the context."""
    keywords = dict.fromkeys(plan.source_keywords, source)
    if plan.info_keyword is not None:
        keywords[plan.info_keyword] = run.lazy_info(plan, parent)
    assert plan.function is not None
    return plan.function(source, **keywords) if plan.self_argument else plan.function(**keywords)


def strawberry(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> Any:
    """Strawberry's resolver, called as graphql-core calls it: arguments, field extensions, exception handlers."""
    first = plan.details[0]
    args = get_argument_values(plan.definition, first.node, run.variable_values, first.fragment_variable_values,
                               run.hide_suggestions) if plan.definition.args or first.node.arguments else {}
    info = run.info(plan, Path(parent, plan.key, plan.parent.name))
    return (plan.definition.resolve or run.field_resolver)(source, info, **args)


def leaf(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> Any:
    """A leaf, whose completion needs no path: one is made only for an error or an awaitable."""
    try:
        result = plan.resolve(run, plan, source, parent)
        if run.is_awaitable(result):
            path = Path(parent, plan.key, plan.parent.name)
            return run.complete_awaitable_value(plan.definition.type, plan.details, run.info(plan, path), path,
                                                result, None)
        return plan.complete(run, plan, None, result)  # type: ignore[arg-type]
    except Exception as raw_error:
        run.handle_field_error(raw_error, plan.definition.type, plan.details, Path(parent, plan.key, plan.parent.name))
        return None


def general(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> Any:
    path = Path(parent, plan.key, plan.parent.name)
    try:
        result = plan.resolve(run, plan, source, parent)
        if run.is_awaitable(result):
            return _completed_later(run, plan, path, result)
        completed = plan.complete(run, plan, path, result)
        if type(completed) is CoroutineType:
            return _settled(run, plan, path, completed)
        return completed
    except Exception as raw_error:
        run.handle_field_error(raw_error, plan.definition.type, plan.details, path)
        return None


def standard(run: CompiledExecutor, plan: FieldPlan, source: Any, parent: Path | None) -> Any:
    """graphql-core's execution of the field and everything below it (introspection)."""
    run.counts["standard_fields"] += 1
    return run.execute_field(plan.parent, source, plan.details, Path(parent, plan.key, plan.parent.name), None)


async def _completed_later(run: CompiledExecutor, plan: FieldPlan, path: Path, result: Any) -> Any:
    try:
        completed = plan.complete(run, plan, path, await result)
        if type(completed) is CoroutineType:
            completed = await completed
    except Exception as raw_error:
        run.handle_field_error(raw_error, plan.definition.type, plan.details, path)
        completed = None
    return completed


async def _settled(run: CompiledExecutor, plan: FieldPlan, path: Path, completed: Any) -> Any:
    try:
        return await completed
    except Exception as raw_error:
        run.handle_field_error(raw_error, plan.definition.type, plan.details, path)
        return None
