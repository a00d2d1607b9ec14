"""The executor the schema runs queries and live events with: graphql-core's, with the selection sets of
queries and subscription events executed from compiled plans (execution.plans).

Everything around execution is untouched: parsing, validation, variables and the schema's extensions
are Strawberry's and graphql-core's; a mutation (whose fields run one after another, and are few) runs on
graphql-core's executor. Introspection fields run there too, field by field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from types import CoroutineType
from typing import Any

from graphql import GraphQLObjectType, GraphQLResolveInfo
from graphql.execution.collect_fields import DeferUsage, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from execution.plans import FieldPlan, ObjectPlan, Plans
from resolvers.awaitable import is_awaitable

# Executions by path, for /metrics: "compiled" and "standard" documents, and "standard_fields" run by
# graphql-core inside a compiled one.
COUNTS: Counter[str] = Counter()
PLANS = Plans()


class StandardExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with `resolvers.awaitable.is_awaitable` (Strawberry passes its own)."""

    counts = COUNTS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable

    def execute_collected_root_fields(self, root_type: GraphQLObjectType, root_value: Any,
                                      grouped_field_set: GroupedFieldSet, serially: bool,
                                      new_defer_usages: Sequence[DeferUsage]) -> AwaitableOrValue[dict[str, Any]]:
        self.counts["standard"] += 1
        return super().execute_collected_root_fields(root_type, root_value, grouped_field_set, serially,
                                                     new_defer_usages)


class CompiledExecutor(StandardExecutor):
    def execute_collected_root_fields(self, root_type: GraphQLObjectType, root_value: Any,
                                      grouped_field_set: GroupedFieldSet, serially: bool,
                                      new_defer_usages: Sequence[DeferUsage]) -> AwaitableOrValue[dict[str, Any]]:
        if serially or new_defer_usages or self.abort_signal is not None or any(
                d.fragment_variable_values for details in grouped_field_set.values() for d in details) or (
                self.middleware_manager is not None and self.middleware_manager.middlewares):
            return super().execute_collected_root_fields(root_type, root_value, grouped_field_set, serially,
                                                         new_defer_usages)
        self.counts["compiled"] += 1
        return self.execute_plan(PLANS.root(self, root_type, grouped_field_set), root_value, None)

    def execute_plan(self, plan: ObjectPlan, source: Any, path: Path | None) -> AwaitableOrValue[dict[str, Any]]:
        """The object's fields in answer order, their awaitables awaited together (as `execute_fields` does)."""
        results: dict[str, Any] = {}
        waiting: list[str] = []
        try:
            for field in plan.fields:
                result = results[field.key] = field.execute(self, field, source, path)
                if type(result) is CoroutineType:
                    waiting.append(field.key)
        except Exception:
            if waiting:
                self.settle_in_background([results[key] for key in waiting])
            raise
        return _gathered(results, waiting) if waiting else results

    def info(self, plan: FieldPlan, path: Path) -> GraphQLResolveInfo:
        return self.build_resolve_info(plan.definition, plan.nodes, plan.parent, path)

    def lazy_info(self, plan: FieldPlan, parent: Path | None) -> Info[Any, Any]:
        return LazyInfo(self, plan, parent)


class LazyInfo(Info[Any, Any]):
    """Strawberry's `Info` whose graphql-core half (and the field's path) is made only when a resolver reads
    more than `context`: most read nothing else, and a page has a few hundred of them."""

    def __init__(self, run: CompiledExecutor, plan: FieldPlan, parent: Path | None) -> None:
        assert plan.strawberry is not None
        self._run, self._plan, self._parent, self._field = run, plan, parent, plan.strawberry

    @property
    def context(self) -> Any:
        return self._run.context_value

    @cached_property
    def _raw_info(self) -> GraphQLResolveInfo:  # type: ignore[override]
        plan = self._plan
        return self._run.info(plan, Path(self._parent, plan.key, plan.parent.name))


async def _gathered(results: dict[str, Any], waiting: list[str]) -> dict[str, Any]:
    if len(waiting) == 1:
        results[waiting[0]] = await results[waiting[0]]
    else:
        results.update(zip(waiting, await gather_with_cancel(*(results[key] for key in waiting)), strict=True))
    return results
