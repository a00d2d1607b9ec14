"""Strawberry's ASGI view with our context, orjson, the GraphQL-over-HTTP media type, persisted
queries and the anonymous response cache."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

import asyncpg
import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from tortoise.exceptions import BaseORMException

from app.resources import Resources
from graphql_http.cache import ResponseCache
from graphql_http.persisted import PersistedQueries, RequestRefused
from resolvers.context import Context, bearer_token, viewer_of
from schema.errors import coded
from schema.limits import NUL_REFUSED, has_nul

log = logging.getLogger("warga.graphql")
GRAPHQL_RESPONSE = "application/graphql-response+json"
DATABASE_DOWN = (BaseORMException, OSError, asyncpg.PostgresError, asyncpg.InterfaceError)
# Mutations that change no report: a gauge's reading arrives every minute, and emptying the anonymous answers for
# each would leave none (bench/ingest.py). A change of an asset's state still empties them through its event.
QUIET = frozenset({"recordAssetReading"})
# Whether the client of the request being answered asked for the GraphQL-over-HTTP media type (set in `run`).
_wants_graphql_response: ContextVar[bool] = ContextVar("wants_graphql_response", default=False)


class WargaGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context, orjson, and the GraphQL-over-HTTP media type."""

    schema: Schema

    def __init__(self, schema: Schema, resources: Resources, persisted: PersistedQueries, cache: ResponseCache,
                 **kwargs: Any) -> None:
        self.production = resources.settings.env == "production"
        super().__init__(schema, multipart_uploads_enabled=True, **kwargs)
        self.resources, self.persisted, self.cache = resources, persisted, cache

    async def run(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(request, Request):  # a WebSocket
            return await super().run(request, *args, **kwargs)
        if request.method == "POST" and _needs_preflight_header(request):
            raise HTTPException(400, "A multipart or form POST must carry the header Apollo-Require-Preflight "
                                     "or X-Apollo-Operation-Name (CSRF protection).")
        # Clients that ask for the newer media type get its status codes (GraphQL over HTTP).
        wants = _wants_graphql_response.set(GRAPHQL_RESPONSE in request.headers.get("accept", ""))
        try:
            key = await self._cache_key(request)
            if key is not None and (hit := self.cache.get(key)) is not None:
                return self._json(request, hit, 200, {"x-warga-cache": "hit"})
            generation = self.cache.generation
            try:
                response = await super().run(request, *args, **kwargs)
            except RequestRefused as exc:
                return self._refused(request, exc.message, exc.code, exc.status, {"cache-control": "no-store"})
            except DATABASE_DOWN:
                # Before execution (signing the viewer in): say so in GraphQL's words, not a bare 500.
                log.exception("database unavailable")
                return self._unavailable(request)
            context: Context | None = getattr(request.state, "context", None)
            if context is not None and context.database_down:
                # During execution (the viewer came from the session cache): the same answer, so that a client
                # retries after the header's seconds rather than reading a partial page as the truth.
                return self._unavailable(request)
            if context is not None and context.operation_type == "mutation" and not context.root_fields <= QUIET:
                self.cache.invalidate()
            elif key is not None and context is not None and context.succeeded and response.status_code == 200:
                self.cache.put(key, generation, bytes(response.body))
            return response
        finally:
            _wants_graphql_response.reset(wants)
            await request.close()  # closes the spooled files of a multipart upload

    async def _cache_key(self, request: Request) -> bytes | None:
        """Only anonymous GETs and JSON POSTs are answered from the cache: their answer is everyone's. A client
        that sends `Cache-Control: no-cache` asks for a fresh answer (HTTP's meaning; bench/reads.py measures so)."""
        if "authorization" in request.headers or "no-cache" in request.headers.get("cache-control", ""):
            return None
        if request.method == "GET":
            body = b""
        elif request.headers.get("content-type", "").startswith("application/json"):
            body = await request.body()  # Starlette keeps it for Strawberry's own read
        else:
            return None
        return self.cache.key(request.method, request.url.query.encode(), body)

    def _unavailable(self, request: Request) -> Response:
        return self._refused(request, "The service is temporarily unavailable; try again shortly.",
                             "INTERNAL_SERVER_ERROR", 503, {"retry-after": "5"})

    def _refused(self, request: Request, message: str, code: str, status: int, headers: dict[str, str]) -> Response:
        body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
        return self._json(request, body, status, headers)

    def _json(self, request: Request, body: bytes, status: int, headers: dict[str, str]) -> Response:
        media_type = GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in request.headers.get("accept", "") else "application/json"
        return Response(body, status_code=status, media_type=media_type, headers=headers)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A persisted-query GET has no `query` either: it is an operation, not a visit to the IDE.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

    async def parse_http_body(self, request_adapter: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request_adapter)
        for item in data if isinstance(data, list) else [data]:
            if has_nul(item.variables):
                raise RequestRefused(NUL_REFUSED, "BAD_USER_INPUT", 400)
            item.query = await self.persisted.document(item.query, item.extensions)
        return data

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        token = bearer_token(request.headers.get("authorization"))
        viewer = await viewer_of(token)
        context = Context(resources=self.resources, viewer=viewer, token=token, request=request, response=response)
        if isinstance(request, Request):
            request.state.context = context
        return context

    async def execute_single(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(request, request_adapter, *args, **kwargs)
        except HTTPException as exc:
            if request_adapter.method == "GET" and isinstance(exc.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, "Mutations are sent with POST.") from exc  # GraphQL over HTTP
            raise

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        context: Context | None = getattr(request.state, "context", None)
        if context is not None:
            context.succeeded = not result.errors
        # Syntax errors never reach the schema's extensions: give them their code here.
        if result.errors:
            result.errors = [coded(e, self.production) for e in result.errors]
        answer = await super().process_result(request, result)
        executed = context is not None and context.operation_type is not None
        if _wants_graphql_response.get() and result.errors and not executed:
            # A request error (the document did not parse or validate): the newer media type says so by having
            # no `data` entry at all, and a 4xx status (GraphQL over HTTP).
            answer.pop("data", None)
        return answer

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if _wants_graphql_response.get():
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            if isinstance(response_data, dict) and "data" not in response_data and response_data.get("errors"):
                response.status_code = 400  # a request error: nothing was executed
        return response


SIMPLE_CONTENT_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded", "text/plain")
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name", "graphql-require-preflight")


def _needs_preflight_header(request: Request) -> bool:
    """A browser sends these content types cross-site without asking: demand a header it would ask about."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in SIMPLE_CONTENT_TYPES and not any(request.headers.get(h) for h in PREFLIGHT_HEADERS)
