"""The web server behind `soundtrack serve`: textual-serve's `Server`, made
safe to leave running on a laptop.

textual-serve answers any page that reaches it, and a WebSocket is not
bound by the browser's same-origin rules, so as shipped any web site the
user visits could open a session on the loopback server and read or change
their progress (a cross-site WebSocket, or a DNS name rebound to
127.0.0.1). Here every request must name this server as its Host (a
loopback name when bound to loopback), and a session's WebSocket must come
from a page of this server (its Origin). Stopping the server ends every
session first, so no app process outlives it.

Only `Server`'s public hooks are overridden (the route handlers and the
startup, shutdown and logging hooks its docstrings offer to subclasses).
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import socket
import sys

from aiohttp import web
from textual_serve.server import Server

# How long a session may take to quit once the server stops; a healthy one
# quits at once, so this only bounds a stuck one.
SESSION_QUIT_SECONDS = 5.0


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1,
    localhost); a name that resolves elsewhere, or a wildcard, is not."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """`host` as it goes into a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class SessionServer(Server):
    """One app process per browser tab, on `host`:`port`, titled `title`."""

    def __init__(self, command: str, *, host: str, port: int, title: str) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.page_title = title
        self.loopback_only = is_loopback(host)
        self.sessions: set[asyncio.Task[object]] = set()

    # -- which requests are answered ------------------------------------------

    def check_host(self, request: web.Request) -> None:
        """A loopback server answers only pages opened by a loopback name: a
        page of another site whose name was rebound to 127.0.0.1 carries
        that site's name."""
        if self.loopback_only and not is_loopback(request.url.host or ""):
            raise web.HTTPForbidden(text="soundtrack: open this page as localhost or 127.0.0.1\n")

    def check_origin(self, request: web.Request) -> None:
        """A browser always says which page opens a WebSocket: only this
        server's own page may start a session. (A client without an Origin
        is not a browser page; it could reach the app through its own means
        anyway.)"""
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"{request.scheme}://{request.host}".lower():
            raise web.HTTPForbidden(text="soundtrack: sessions start from this server's own page\n")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with the show's title in the tab, and every URL in it
        as the browser named this server: when bound to 0.0.0.0 the address
        the server listens on is not one the browser can open."""
        self.check_host(request)
        self.public_url = f"{request.scheme}://{request.host}"
        response: web.StreamResponse = await super().handle_index(request)
        if isinstance(response, web.Response) and response.text is not None:
            title = f"<title>{html.escape(self.page_title)}</title>"
            response.text = response.text.replace("<head>", f"<head>\n    {title}", 1)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self.check_host(request)
        self.check_origin(request)
        task = asyncio.current_task()
        if task is not None:
            self.sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self.sessions.discard(task)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        self.check_host(request)
        return await super().handle_download(request)

    # -- start and stop -----------------------------------------------------------

    def serve(self, debug: bool = False) -> None:
        """Serve until stopped. The address is tried first: aiohttp binds
        only after the startup hook has said where the server listens, and
        a port in use must not follow a line saying it is served."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
            probe.bind((self.host.strip("[]"), self.port))
        super().serve(debug)

    def initialize_logging(self) -> None:
        """Warnings only: textual-serve's banner and aiohttp's line per
        request would bury the one line that matters."""
        logging.basicConfig(level=logging.WARNING, format="soundtrack serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        where = f"http://{url_host(self.host)}:{self.port}"
        sys.stdout.write(f"soundtrack: serving {self.page_title} at {where} (Ctrl+C stops)\n")
        sys.stdout.flush()

    async def on_shutdown(self, app: web.Application) -> None:
        """End every session before the server goes: cancelled, a session
        tells its app to quit and waits for the process to end. Without this
        aiohttp would wait a minute for open WebSockets before cancelling
        them."""
        running = set(self.sessions)
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running, timeout=SESSION_QUIT_SECONDS)
