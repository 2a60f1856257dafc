"""The LAN server's guard: the pages, their websocket and static files pass; Solara's diagnostics do not."""

import asyncio

import pytest

from sim.apps.classroom import qr, serve


@pytest.mark.parametrize("path", ["/", "/trainer", "/join", "/jupyter/api/kernels/abc/channels",
                                  "/_solara/cdn/requirejs@2.3.6/require.js", "/static/assets/favicon.png",
                                  "/jupyter/nbextensions/jupyter-vue/nodeps.js"])
def test_pages_and_assets_pass(path):
    assert serve.allowed(path)


@pytest.mark.parametrize("path", ["/resourcez", "/readyz", "/_solara/api/evict/abc", "/_solara/auth/login",
                                  "/trainer/../resourcez", "/docs", "/anything"])
def test_everything_else_is_not_found(path):
    assert not serve.allowed(path)


def test_guard_answers_404_without_calling_the_app():
    sent, called = [], []

    async def app(scope, receive, send):
        called.append(scope["path"])

    async def send(message):
        sent.append(message)

    async def receive():
        return {}

    guarded = serve.guard(app)
    asyncio.run(guarded({"type": "http", "path": "/resourcez"}, receive, send))
    asyncio.run(guarded({"type": "http", "path": "/join"}, receive, send))
    assert sent[0]["status"] == 404 and called == ["/join"]


def test_join_address_and_qr(monkeypatch):
    monkeypatch.setenv(qr.PUBLIC_URL_ENV, "http://192.168.1.20:8765/")
    url = qr.join_url(qr.base_url("localhost:8765"), "K7QMA")
    assert url == "http://192.168.1.20:8765/join?code=K7QMA" and not qr.is_local_only(url)
    assert qr.is_local_only("http://127.0.0.1:8765/join") and qr.is_local_only("http://localhost:1/")
    assert qr.svg(url).startswith("<svg") and qr.png(url)[:8] == b"\x89PNG\r\n\x1a\n"
