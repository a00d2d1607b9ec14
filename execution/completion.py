"""Completers: a field's return type turned once into the function that completes its values.

graphql-core decides at every value whether the type is non-null, a list, a leaf, abstract or an object
(`Executor.complete_value`); a completer has decided it when the plan was built, and otherwise does what
graphql-core does, in the same order, with the same errors: answers and errors stay byte-identical
(tests/test_compiled.py compares them)."""

from __future__ import annotations

from collections.abc import Callable
from types import CoroutineType
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLAbstractType,
    GraphQLError,
    GraphQLLeafType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution.executor import invalid_return_type_error
from graphql.pyutils import Path, Undefined, gather_with_cancel, inspect, is_iterable

if TYPE_CHECKING:
    from execution.executor import CompiledExecutor
    from execution.plans import FieldPlan

# (executor, the field's plan, the value's path, the resolved value) -> the completed value, or an awaitable of it.
Completer = Callable[["CompiledExecutor", "FieldPlan", Path, Any], Any]


def completer(type_: GraphQLOutputType) -> Completer:
    if is_non_null_type(type_):
        return _non_null(completer(type_.of_type))
    if is_list_type(type_):
        return _nullable(_list(type_, completer(type_.of_type)))
    if is_leaf_type(type_):
        return _leaf(type_)
    if is_abstract_type(type_):
        return _nullable(_abstract(type_))
    assert isinstance(type_, GraphQLObjectType)
    return _nullable(_object(type_))


def needs_path(type_: GraphQLOutputType) -> bool:
    """Whether completing the type can use the value's path (a leaf's completion never does)."""
    return not is_leaf_type(type_.of_type if is_non_null_type(type_) else type_)


def _non_null(inner: Completer) -> Completer:
    def complete(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any) -> Any:
        if isinstance(result, Exception):
            raise result
        completed = inner(run, field, path, result)
        if completed is None:
            raise TypeError(f"Cannot return null for non-nullable field {field.parent}.{field.name}.")
        return completed

    return complete


def _nullable(present: Completer) -> Completer:
    """What `complete_value` does first for every type it reaches without NonNull: a returned exception is raised,
    null stays null; `present` completes the rest."""

    def complete(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any) -> Any:
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            return None
        return present(run, field, path, result)

    return complete


def _leaf(type_: GraphQLLeafType) -> Completer:
    """The same first steps written in: a page completes a few hundred leaves, and a call each is measurable."""
    coerce = type_.coerce_output_value

    def complete(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any) -> Any:
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            return None
        coerced = coerce(result)
        if coerced is Undefined or coerced is None:
            raise TypeError(f"Expected `{inspect(type_)}.coerce_output_value({inspect(result)})` to return "
                            f"non-nullable value, returned: {inspect(coerced)}")
        return coerced

    return complete


def _list(type_: GraphQLList[Any], item: Completer) -> Completer:
    item_type = type_.of_type

    def complete(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any) -> Any:
        if run.is_async_iterable(result):  # never on a read of ours: graphql-core's own way
            return run.complete_list_value(type_, field.details, run.info(field, path), path, result, None)
        if not is_iterable(result):
            raise GraphQLError(f"Expected Iterable, but did not find one for field '{field.parent}.{field.name}'.")
        is_awaitable = run.is_awaitable
        completed: list[Any] = []
        waiting: list[int] = []
        try:
            for index, value in enumerate(result):
                item_path = path.add_key(index, None)
                if is_awaitable(value):
                    completed.append(run.complete_awaitable_list_item_value(
                        value, item_type, field.details, run.info(field, path), item_path, None))
                    waiting.append(index)
                    continue
                try:
                    done = item(run, field, item_path, value)
                    if type(done) is CoroutineType:
                        completed.append(_settled(run, field, item_type, item_path, done))
                        waiting.append(index)
                    else:
                        completed.append(done)
                except Exception as raw_error:
                    run.handle_field_error(raw_error, item_type, field.details, item_path)
                    completed.append(None)
        except Exception:
            if waiting:
                run.settle_in_background([completed[i] for i in waiting])
            raise
        return _gathered(completed, waiting) if waiting else completed

    return complete


async def _settled(run: CompiledExecutor, field: FieldPlan, type_: GraphQLOutputType, path: Path, done: Any) -> Any:
    try:
        return await done
    except Exception as raw_error:
        run.handle_field_error(raw_error, type_, field.details, path)
        return None


async def _gathered(completed: list[Any], waiting: list[int]) -> list[Any]:
    if len(waiting) == 1:
        completed[waiting[0]] = await completed[waiting[0]]
    else:
        for index, value in zip(waiting, await gather_with_cancel(*(completed[i] for i in waiting)), strict=True):
            completed[index] = value
    return completed


def _object(type_: GraphQLObjectType) -> Completer:
    def complete(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any) -> Any:
        return _object_value(run, field, path, result, type_)

    return complete


def _object_value(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any, type_: GraphQLObjectType) -> Any:
    if type_.is_type_of:
        is_type_of = type_.is_type_of(result, run.info(field, path))
        if run.is_awaitable(is_type_of):
            return _checked_later(run, field, path, result, type_, is_type_of)
        if not is_type_of:
            raise invalid_return_type_error(type_, result, field.details)
    return run.execute_plan(field.child(run, type_), result, path)


async def _checked_later(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any, type_: GraphQLObjectType,
                         is_type_of: Any) -> Any:
    if not await is_type_of:
        raise invalid_return_type_error(type_, result, field.details)
    completed = run.execute_plan(field.child(run, type_), result, path)
    return await completed if type(completed) is CoroutineType else completed


def _abstract(type_: GraphQLAbstractType) -> Completer:
    def complete(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any) -> Any:
        info = run.info(field, path)
        runtime_type = (type_.resolve_type or run.type_resolver)(result, info, type_)
        if run.is_awaitable(runtime_type):
            return _resolved_later(run, field, path, result, type_, runtime_type)
        object_type = run.ensure_valid_runtime_type(runtime_type, type_, field.details, info, result)
        return _object_value(run, field, path, result, object_type)

    return complete


async def _resolved_later(run: CompiledExecutor, field: FieldPlan, path: Path, result: Any,
                          type_: GraphQLAbstractType, runtime_type: Any) -> Any:
    object_type = run.ensure_valid_runtime_type(await runtime_type, type_, field.details, run.info(field, path), result)
    completed = _object_value(run, field, path, result, object_type)
    return await completed if type(completed) is CoroutineType else completed
