"""Routes for the public page: `/`, its modules under /static/, and Leaflet under /vendor/leaflet/."""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from core.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
LEAFLET = Path(__file__).resolve().parents[1] / "node_modules" / "leaflet" / "dist"
# Scripts and styles only from here; images from anywhere (tiles, an S3 bucket or a CDN).
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; "
          "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def routes(settings: Settings) -> list[BaseRoute]:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{tiles}}", html.escape(settings.map_tile_url, quote=True))
    page = page.replace("{{attribution}}", html.escape(settings.map_attribution, quote=True))

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers={"content-security-policy": POLICY, "x-content-type-options": "nosniff"})

    return [
        Route("/", index),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        # Installed by `make run` / `make test` (npm ci); without it the page still lists reports.
        Mount("/vendor/leaflet", StaticFiles(directory=LEAFLET, check_dir=False), name="leaflet"),
    ]
