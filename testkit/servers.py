"""A real uvicorn server in the tests' own event loop, on a free loopback port."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from core.settings import Settings
from server import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningServer:
    """Serves create_app(settings) until the block ends. Its lifespan opens Tortoise itself
    (RegisterTortoise), on the database the settings name."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.port}"
        self.app = create_app(settings)  # tests reach its state: app.state.resources, app.state.hub
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=settings.port, log_level="warning", lifespan="on",
                           timeout_graceful_shutdown=2, proxy_headers=False)  # as `serve`: app/proxies.py decides
        )
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RunningServer:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        assert self.task is not None
        await self.task
