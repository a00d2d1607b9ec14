"""Routes for the web app: `/`, its modules under /static/ (compressed), Leaflet under /vendor/leaflet/, and what
makes it installable: the manifest and the service worker (at the root, so that its scope is the whole app)."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from core.settings import Settings

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
LEAFLET = WEB.parents[0] / "node_modules" / "leaflet" / "dist"
# Scripts and styles only from here; images from anywhere (tiles, an S3 bucket or a CDN).
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; "
          "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"content-security-policy": POLICY, "x-content-type-options": "nosniff"}
# Leaflet's files the map needs (the app shell keeps them for offline use).
LEAFLET_FILES = ("leaflet-src.esm.js", "leaflet.css", "images/marker-icon.png", "images/marker-shadow.png")


def shell() -> tuple[list[str], str]:
    """The URLs the service worker keeps for offline use, and a version that changes with any of their bytes."""
    files = {f"/static/{p.relative_to(STATIC).as_posix()}": p for p in sorted(STATIC.rglob("*")) if p.is_file()}
    files.update({f"/vendor/leaflet/{name}": LEAFLET / name for name in LEAFLET_FILES if (LEAFLET / name).exists()})
    digest = hashlib.sha256()
    for url, path in files.items():
        digest.update(url.encode() + path.read_bytes())
    return ["/", *files], digest.hexdigest()[:16]


def compressed(app: ASGIApp) -> ASGIApp:
    # A cheap phone on 3G: the modules and styles shrink to a quarter.
    return GZipMiddleware(app, minimum_size=1024)


def routes(settings: Settings) -> list[BaseRoute]:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{tiles}}", html.escape(settings.map_tile_url, quote=True))
    page = page.replace("{{attribution}}", html.escape(settings.map_attribution, quote=True))
    urls, version = shell()
    worker = (WEB / "sw.js").read_text(encoding="utf-8")
    worker = worker.replace('const SHELL = [];', f"const SHELL = {json.dumps(urls)};")
    worker = worker.replace('const VERSION = "dev";', f'const VERSION = "{version}";')
    manifest = (WEB / "manifest.webmanifest").read_bytes()

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers=HEADERS)

    async def service_worker(request: Request) -> Response:
        # Always asked of the server, so that a new version of the app reaches phones at their next visit.
        return Response(worker, media_type="text/javascript", headers={**HEADERS, "cache-control": "no-cache"})

    async def web_manifest(request: Request) -> Response:
        return Response(manifest, media_type="application/manifest+json")

    return [
        Route("/", index),
        Route("/sw.js", service_worker),
        Route("/manifest.webmanifest", web_manifest),
        Mount("/static", compressed(StaticFiles(directory=STATIC)), name="static"),
        # Installed by `make run` / `make test` (npm ci); without it the app still lists reports.
        Mount("/vendor/leaflet", compressed(StaticFiles(directory=LEAFLET, check_dir=False)), name="leaflet"),
    ]
