"""GeoReport v2 endpoints under /open311/v2/: every path ends in .json or .xml."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.exceptions import ValidationError

from app.resources import Resources
from core.errors import VALUE_REFUSED, DomainError, NotFound, RateLimited
from open311 import jurisdictions, mapping
from open311.formats import MEDIA_TYPES, errors, render
from services import apikeys

STATUS_OF = {"BAD_USER_INPUT": 400, "UNAUTHENTICATED": 403, "FORBIDDEN": 403, "NOT_FOUND": 404,
             "CONFLICT": 409, "RATE_LIMITED": 429}
Handler = Callable[[Request, Resources], Awaitable[Response]]
# When discovery's document or the service definitions last changed shape (the spec's cache flag).
CHANGESET = "2026-11-23T00:00:00Z"


def _absolute(request: Request, resources: Resources) -> Callable[[str], str]:
    """Stored files' URLs made absolute: Open311 clients live on other hosts."""
    base = str(request.base_url).rstrip("/")

    def url(name: str) -> str:
        stored = resources.storage.url(name)
        return base + stored if stored.startswith("/") else stored

    return url


def _endpoint(handler: Handler, resources: Resources) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in MEDIA_TYPES:
            return errors("json", 404, "Ask for .json or .xml.")
        try:
            return await handler(request, resources)
        except RateLimited as exc:
            return errors(fmt, 429, exc.message, {"retry-after": str(exc.extensions["retryAfter"])})
        except DomainError as exc:
            return errors(fmt, STATUS_OF.get(exc.code, 400), exc.message)
        except ValidationError:  # the ORM refused a value for its column, e.g. an over-long service_code
            return errors(fmt, 400, VALUE_REFUSED)

    return endpoint


async def discovery(request: Request, resources: Resources) -> Response:
    base = str(request.base_url).rstrip("/") + "/open311/v2/"
    cities = await jurisdictions.listed()
    document: dict[str, Any] = {
        "changeset": CHANGESET,
        "contact": jurisdictions.contact(cities),
        "key_service": "Ask the city's admin: server.py create-api-key --name APP",
        "endpoints": [{
            "specification": mapping.SPECIFICATION,
            "url": base,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    if jurisdictions.wants_extensions(request.query_params):  # the spec's discovery has no field for them
        document["jurisdictions"] = cities
    return render(request.path_params["fmt"], "discovery", document)


async def service_list(request: Request, resources: Resources) -> Response:
    city = await jurisdictions.resolve(request.query_params)
    return render(request.path_params["fmt"], "services", await mapping.service_list(city))


async def service_definition(request: Request, resources: Resources) -> Response:
    city = await jurisdictions.resolve(request.query_params)
    definition = await mapping.service_definition(request.path_params["code"], city)
    return render(request.path_params["fmt"], "service_definition", definition)


async def requests(request: Request, resources: Resources) -> Response:
    fmt = request.path_params["fmt"]
    if request.method == "POST":
        return await _post(request, resources, fmt)
    query = await mapping.parse_query(request.query_params)
    return render(fmt, "service_requests", await mapping.find_requests(query, _absolute(request, resources)))


async def _post(request: Request, resources: Resources, fmt: str) -> Response:
    async with request.form(max_files=0, max_fields=50) as form:
        params: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    app = await apikeys.app_account(params.get("api_key") or "")
    if app is None:
        return errors(fmt, 403, "api_key is missing, unknown or revoked.")
    client = request.client.host if request.client else None
    await resources.limiter.check("open311", app.id, client)
    created = await mapping.post_request(
        app, params, resources.storage, resources.photo_policy, resources.settings.max_centroid_distance_m
    )
    return render(fmt, "service_requests", [created], status=201)


async def single_request(request: Request, resources: Resources) -> Response:
    raw = request.path_params["id"]
    if not raw.isdigit() or int(raw) >= 2**31:
        raise NotFound(f"No request with the id {raw!r}.")
    scope = await mapping.scope(request.query_params)
    record = await mapping.get_request(int(raw), scope, _absolute(request, resources))
    return render(request.path_params["fmt"], "service_requests", [record])


def routes(resources: Resources) -> list[Route]:
    table: list[tuple[str, Handler, list[str]]] = [
        ("/open311/v2/discovery.{fmt}", discovery, ["GET"]),
        ("/open311/v2/services.{fmt}", service_list, ["GET"]),
        ("/open311/v2/services/{code}.{fmt}", service_definition, ["GET"]),
        ("/open311/v2/requests.{fmt}", requests, ["GET", "POST"]),
        ("/open311/v2/requests/{id}.{fmt}", single_request, ["GET"]),
    ]
    return [Route(path, _endpoint(handler, resources), methods=methods) for path, handler, methods in table]
