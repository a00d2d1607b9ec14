"""The hub: every live subscription of this process, grouped so that a crowd costs one execution.

Subscriptions with the same document, variables and viewer form a group. For each event the
hub asks services.live whether it concerns the group (once per distinct interest), executes
the group's selection set once, serializes it once, and hands the same bytes to every socket.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import DocumentNode, ExecutionResult, FieldNode
from graphql.execution import Executor, execute_subscription_event
from graphql.execution.values import get_argument_values
from strawberry import Schema
from strawberry.types.arguments import convert_arguments

from app.resources import Resources
from core.errors import BadInput
from models import Account, OutboxEvent
from models.enums import AssetKind
from plumbing.outbox import database_lost
from resolvers.context import Context
from resolvers.ids import pk_of
from schema.errors import coded
from schema.inputs import ReportFilter
from services import live

log = logging.getLogger("warga.hub")
SEEN = 50_000  # event ids remembered for deduplication
LOOKBACK = 500  # ids re-read on resync: transactions may commit out of id order
OWED = 10_000  # events some groups still await after the database went away under their delivery
ATTEMPTS = 5  # deliveries of an owed event that fail for want of the database before it is given up
Send = Callable[[bytes], None]
# The Subscription root's fields, in the services' terms.
STREAMS = {
    "reportAdded": live.Stream.NEW_REPORTS,
    "reportChanged": live.Stream.REPORT_TIMELINE,
    "feedUpdated": live.Stream.FEED,
    "notificationReceived": live.Stream.NOTIFICATIONS,
    "notificationAdded": live.Stream.NOTIFICATIONS,  # the same stream under the web app's name
    "homeFeedUpdated": live.Stream.HOME_FEED,
    "pollUpdated": live.Stream.POLL,
    "assetChanged": live.Stream.ASSETS,
}


@dataclass(eq=False)
class Group:
    interest: live.Interest
    executor: Executor
    context: Context
    subscribers: dict[tuple[int, str], Send] = field(default_factory=dict)

    async def render(self, value: object) -> bytes:
        """The `next` payload for this value: executed and serialized once for the whole group."""
        self.context.refresh()  # fresh DataLoaders: this event's data, not the last one's
        result = execute_subscription_event(self.executor.build_per_event_executor(value))
        if not isinstance(result, ExecutionResult):
            result = await result
        body: dict[str, Any] = {"data": result.data}
        for error in result.errors or ():
            if error.original_error is not None and database_lost(error.original_error):
                raise error.original_error  # owed, not sent broken (Hub.dispatch)
        if result.errors:
            body["errors"] = [coded(e).formatted for e in result.errors]
        return orjson.dumps(body)


@dataclass(eq=False)
class Owed:
    """An event that these groups have not had: reading for them failed because the database went away."""

    event: live.Event
    groups: set[Group]
    attempts: int


class Hub:
    def __init__(self, schema: Schema, resources: Resources) -> None:
        self.schema = schema
        self.resources = resources
        self.groups: dict[tuple[Any, ...], Group] = {}
        self.by_subscriber: dict[tuple[int, str], Group] = {}
        self.seen: collections.OrderedDict[int, None] = collections.OrderedDict()
        self.owed: collections.OrderedDict[int, Owed] = collections.OrderedDict()
        self.high_water = 0
        self.delivered = 0
        self.lag_seconds = 0.0

    # Subscribing -------------------------------------------------------------------------

    def join(
        self,
        connection: int,
        op_id: str,
        document: DocumentNode,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        viewer: Account | None,
        send: Send,
    ) -> None:
        key = (query, operation_name, orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS),
               viewer.id if viewer else None)
        group = self.groups.get(key)
        if group is None:
            group = self._group(document, variables, operation_name, viewer)
            self.groups[key] = group
        group.subscribers[(connection, op_id)] = send
        self.by_subscriber[(connection, op_id)] = group

    def _group(
        self, document: DocumentNode, variables: dict[str, Any] | None, operation_name: str | None,
        viewer: Account | None,
    ) -> Group:
        context = Context(resources=self.resources, viewer=viewer, token=None)
        # The schema's own executor: the compiled plans, built once for the group and reused for every event.
        executor = self.schema.execution_context_class.build(
            self.schema._schema, document, context_value=context, raw_variable_values=variables,
            operation_name=operation_name)
        if isinstance(executor, list):
            raise BadInput("; ".join(e.message for e in executor))
        node = executor.operation.selection_set.selections[0]
        if not isinstance(node, FieldNode):
            raise BadInput("Select the subscription's field itself, not through a fragment.")
        name = node.name.value
        subscription = self.schema._schema.subscription_type
        strawberry_field = self.schema.get_field_for_type(name, subscription.name) if subscription else None
        if subscription is None or strawberry_field is None or name not in STREAMS:
            raise BadInput(f"Unknown subscription {name}.")
        # The arguments as a resolver would receive them over HTTP: Strawberry's own conversion turns
        # `filter` into a ReportFilter, whose feed_filter() is the one every transport uses.
        args = convert_arguments(
            get_argument_values(subscription.fields[name], node, executor.variable_values),
            strawberry_field.arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )
        report_filter: ReportFilter | None = args.get("filter")
        report_id: str | None = args.get("report_id")
        poll_id: str | None = args.get("poll_id")
        area_id: str | None = args.get("area_id")
        kinds: list[AssetKind] | None = args.get("kinds")
        interest = live.Interest(
            stream=STREAMS[name],
            viewer=viewer,
            filter=report_filter.feed_filter() if report_filter is not None else None,
            report_id=pk_of(report_id, "Report") if report_id is not None else None,
            poll_id=pk_of(poll_id, "Poll") if poll_id is not None else None,
            asset_kinds=frozenset(kinds) if kinds else None,
            area_id=pk_of(area_id, "Area") if area_id is not None else None,
        )
        interest.check()
        return Group(interest, executor, context)

    def leave(self, connection: int, op_id: str) -> None:
        group = self.by_subscriber.pop((connection, op_id), None)
        if group is None:
            return
        group.subscribers.pop((connection, op_id), None)
        if not group.subscribers:
            self.groups = {k: g for k, g in self.groups.items() if g is not group}

    @property
    def subscriptions(self) -> int:
        return len(self.by_subscriber)

    # Events ------------------------------------------------------------------------------

    async def receive(self, message: bytes) -> None:
        raw = orjson.loads(message)
        self.lag_seconds = max(0.0, time.time() - raw.get("at", time.time()))
        await self.dispatch(live.Event(raw["id"], raw["topic"], raw["payload"]))

    async def resync(self) -> None:
        """After a broker reconnect: replay what may have been published while we were away."""
        rows = await OutboxEvent.filter(id__gt=max(0, self.high_water - LOOKBACK)).order_by("id")
        for row in rows:
            await self.dispatch(live.Event(row.id, row.topic, row.payload))

    async def start_from_now(self) -> None:
        latest = await OutboxEvent.all().order_by("-id").first()
        self.high_water = latest.id if latest else 0

    async def dispatch(self, event: live.Event) -> None:
        """Hand the event to every group it concerns, each exactly once.

        An id is seen (and a copy of it dropped) only once every group has had its chance. When the database
        goes away in the middle (a restart cuts the connections), the groups not yet served are owed the
        event instead: the relay publishes it again, because the transaction that marks it published failed
        with the same connection, and once a delivery succeeds the hub also settles what it still owes (with
        Redis, another process's relay may have marked the event published before this process read for it).
        """
        if not await self._deliver(event):
            return
        for owed in list(self.owed.values()):  # the database answers again
            if owed.event.id != event.id and not await self._deliver(owed.event):
                return

    async def _deliver(self, event: live.Event) -> bool:
        """Deliver to the groups that have not had the event; False when the database went away meanwhile."""
        if event.id in self.seen:
            return True
        owed = self.owed.pop(event.id, None)
        self.high_water = max(self.high_water, event.id)
        groups = list(self.groups.values())
        if owed is not None:  # only those that missed it, and are still here
            groups = [g for g in groups if g in owed.groups]
        matches: dict[tuple[Any, ...], object | None] = {}
        for position, group in enumerate(groups):
            try:
                key = group.interest.key
                if key not in matches:
                    matches[key] = await live.match(group.interest, event)
                value = matches[key]
                if value is None:
                    continue
                body = await group.render(value)
            except Exception as exc:
                if database_lost(exc):  # the rest would fail alike: they are owed the event
                    self._owe(event, groups[position:], owed.attempts + 1 if owed else 1, exc)
                    return False
                log.exception("delivering event %s failed", event.id)  # one bad group must not starve the others
                continue
            for (_, op_id), send in list(group.subscribers.items()):
                send(b'{"id":' + orjson.dumps(op_id) + b',"type":"next","payload":' + body + b"}")
                self.delivered += 1
        self._remember(event.id)
        return True

    def _owe(self, event: live.Event, groups: list[Group], attempts: int, exc: BaseException) -> None:
        if attempts > ATTEMPTS:
            log.error("event %s not delivered to %d live groups after %d attempts (%s)", event.id, len(groups),
                      attempts - 1, exc)
            self._remember(event.id)
            return
        if not self.owed:  # once per outage, not once per event
            log.warning("the database went away while delivering event %s (%s); its live groups will have it "
                        "once it is back", event.id, exc)
        self.owed[event.id] = Owed(event, set(groups), attempts)
        if len(self.owed) > OWED:
            dropped, _ = self.owed.popitem(last=False)
            log.error("event %s not delivered to some live groups: too many events owed", dropped)

    def _remember(self, event_id: int) -> None:
        self.seen[event_id] = None
        if len(self.seen) > SEEN:
            self.seen.popitem(last=False)
