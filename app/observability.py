"""Request ids, structured logs and Prometheus metrics: what an operator reads when things go wrong."""

from __future__ import annotations

import contextvars
import logging
import time
import uuid
from collections.abc import Callable

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plumbing.broker import Broker, Receiver, Resync

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the request id of the request that logged it."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
            "pid": record.process,  # which of serve's worker processes
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


def configure_logging(production: bool) -> None:
    handler = logging.StreamHandler()
    if production:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        handler.addFilter(_with_request_id)
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


def _with_request_id(record: logging.LogRecord) -> bool:
    record.request_id = request_id.get()
    return True


class Metrics:
    def __init__(self) -> None:
        self.requests: dict[tuple[str, int], int] = {}
        self.latency_buckets = [0] * len(BUCKETS)
        self.latency_sum = 0.0
        self.latency_count = 0

    def observe(self, path: str, status: int, seconds: float) -> None:
        key = (path, status)
        self.requests[key] = self.requests.get(key, 0) + 1
        self.latency_sum += seconds
        self.latency_count += 1
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.latency_buckets[i] += 1

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        lines = ["# HELP warga_http_requests_total HTTP requests by path and status.",
                 "# TYPE warga_http_requests_total counter"]
        lines += [f'warga_http_requests_total{{path="{p}",status="{s}"}} {n}' for (p, s), n in
                  sorted(self.requests.items())]
        errors = sum(n for (_, s), n in self.requests.items() if s >= 500)
        lines += ["# HELP warga_http_errors_total HTTP responses with a 5xx status.",
                  "# TYPE warga_http_errors_total counter", f"warga_http_errors_total {errors}",
                  "# HELP warga_http_request_seconds HTTP request latency.",
                  "# TYPE warga_http_request_seconds histogram"]
        lines += [f'warga_http_request_seconds_bucket{{le="{b}"}} {n}' for b, n in zip(BUCKETS, self.latency_buckets,
                                                                                      strict=True)]
        lines += [f'warga_http_request_seconds_bucket{{le="+Inf"}} {self.latency_count}',
                  f"warga_http_request_seconds_sum {self.latency_sum:.6f}",
                  f"warga_http_request_seconds_count {self.latency_count}"]
        for name, (help_text, value) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value}"]
        return "\n".join(lines) + "\n"


class CountedBroker:
    """The broker as this process's outbox relay sees it, counting what it published: with several workers each
    relay takes a share of the events (warga_events_relayed_total)."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.published = 0

    async def start(self, receive: Receiver, resync: Resync) -> None:
        await self.broker.start(receive, resync)

    async def publish(self, message: bytes) -> None:
        await self.broker.publish(message)
        self.published += 1

    async def stop(self) -> None:
        await self.broker.stop()


class RequestContext:
    """ASGI middleware: a request id (kept from X-Request-ID or made), echoed back, logged, measured."""

    def __init__(self, app: ASGIApp, metrics: Metrics, route_of: Callable[[str], str]) -> None:
        self.app = app
        self.metrics = metrics
        self.route_of = route_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http":
                self.metrics.observe(self.route_of(scope["path"]), status, time.perf_counter() - started)
            request_id.reset(token)
