"""The LAN server's guard: the pages, their websocket and static files pass; Solara's diagnostics do not."""

import asyncio
import os
import urllib.error
import urllib.request

import pytest

from sim.__main__ import command
from sim.apps.classroom import qr, serve
from tests.apps.classroom.browser_support import serve as serve_classroom
from tests.helpers import busy_port, free_port


@pytest.mark.parametrize("path", ["/", "/trainer", "/join", "/jupyter/api/kernels/abc/channels",
                                  "/_solara/cdn/requirejs@2.3.6/require.js", "/static/assets/favicon.png",
                                  "/jupyter/nbextensions/jupyter-vue/nodeps.js"])
def test_pages_and_assets_pass(path, tmp_path):
    (tmp_path / "requirejs@2.3.6").mkdir()
    (tmp_path / "requirejs@2.3.6" / "require.js").write_text("var requirejs;")
    assert serve.allowed(path, tmp_path)


@pytest.mark.parametrize("path", ["/resourcez", "/readyz", "/_solara/api/evict/abc", "/_solara/auth/login",
                                  "/trainer/../resourcez", "/docs", "/anything", "/_solara/cdn/requirejs@2.3.6",
                                  "/_solara/cdn/requirejs@2.3.6/r.js"])
def test_everything_else_is_not_found(path, tmp_path):
    (tmp_path / "requirejs@2.3.6").mkdir()
    assert not serve.allowed(path, tmp_path)


def _through_guard(*scopes):
    """The HTTP requests ``scopes`` through the classroom's guard: the statuses it answered and the scopes that
    reached the app."""
    sent, called = [], []

    async def app(scope, receive, send):
        called.append(scope)

    async def send(message):
        sent.append(message)

    async def receive():
        return {}

    guarded = serve.guard(app)
    for scope in scopes:
        asyncio.run(guarded({"type": "http", **scope}, receive, send))
    return [m["status"] for m in sent if "status" in m], called


def test_guard_answers_404_without_calling_the_app():
    statuses, called = _through_guard({"path": "/resourcez"}, {"path": "/join"})
    assert statuses == [404] and [c["path"] for c in called] == ["/join"]


def test_guard_answers_400_to_a_close_without_a_page_id_without_calling_the_app():
    """The dashboard's guard (sim.apps.serve.close_refused): Solara's handler of a closing page's call failed on a
    call without a page id (``session_id``): a 500 and a traceback in the trainer's terminal."""
    close = "/_solara/api/close/abc"
    statuses, called = _through_guard(*({"path": close, "query_string": q}
                                        for q in (b"", b"session_id=", b"session_id=" + b"a" * 101)),
                                      {"path": close, "query_string": b"session_id=p1"})
    assert statuses == [400] * 3 and [c["query_string"] for c in called] == [b"session_id=p1"]


@pytest.mark.slow
def test_a_close_without_a_page_id_is_400_and_no_traceback_in_the_classroom(tmp_path):
    """python -m sim classroom (the dashboard's server and guard, sim.apps.serve): a closing page's call without a
    page id is a 400 and the server's log holds no traceback (a 500 and some 40 lines of traceback a call)."""
    log = tmp_path / "server.log"
    with serve_classroom(log, CLASSROOM_SCALE="0.02") as server:
        for query in ("", "?session_id="):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(f"{server.url}/_solara/api/close/abc{query}",
                                                              data=b"", method="POST"), timeout=30)
            refused.value.close()  # an HTTPError holds the response's socket
            assert refused.value.code == 400, query
        request = urllib.request.Request(f"{server.url}/_solara/api/close/abc?session_id=p1", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:  # Solara's: a session it does not hold
            assert answer.status == 200
    assert "Traceback" not in log.read_text() and "KeyError" not in log.read_text(), log.read_text()[-3000:]


def test_join_address_and_qr(monkeypatch):
    monkeypatch.setenv(qr.PUBLIC_URL_ENV, "http://192.168.1.20:8765/")
    url = qr.join_url(qr.base_url("localhost:8765"), "K7QMA")
    assert url == "http://192.168.1.20:8765/join?code=K7QMA" and not qr.is_local_only(url)
    assert qr.is_local_only("http://127.0.0.1:8765/join") and qr.is_local_only("http://localhost:1/")
    assert qr.svg(url).startswith("<svg") and qr.png(url)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_classroom_serves_with_the_dashboards_settings_and_lan_address(monkeypatch):
    """One rule for both servers (sim.apps.serve): Solara's settings for a class, where the environment has not set
    them, and the LAN address (the loopback address when this machine is on no network)."""
    from sim.apps import serve as shared

    for key in ("SOLARA_KERNEL_CULL_TIMEOUT", "SOLARA_KERNEL_MAX_PER_SESSION", "SOLARA_TELEMETRY_MIXPANEL_ENABLE",
                "SOLARA_KERNEL_MAX_COUNT", "SOLARA_MODE", "SOLARA_SESSION_SAME_SITE", "SOLARA_APP",
                qr.PUBLIC_URL_ENV):  # set first: monkeypatch then restores what configure writes
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setenv("SOLARA_KERNEL_CULL_TIMEOUT", "5m")  # the environment's own setting stays
    assert serve.configure("127.0.0.1", 8765, None, "2m", 4) == "http://127.0.0.1:8765"
    settings = shared.solara_settings("2m", per_session=4)
    assert settings == {"SOLARA_KERNEL_CULL_TIMEOUT": "2m", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
                        "SOLARA_KERNEL_MAX_PER_SESSION": "4"}
    assert {k: os.environ[k] for k in settings} == {**settings, "SOLARA_KERNEL_CULL_TIMEOUT": "5m"}
    assert "SOLARA_KERNEL_MAX_COUNT" not in os.environ
    assert shared.environment("2m", 0, base={})["SOLARA_KERNEL_CULL_TIMEOUT"] == settings["SOLARA_KERNEL_CULL_TIMEOUT"]
    monkeypatch.setattr(shared, "lan_address", lambda: "192.168.1.20")
    assert serve.lan_address() == "192.168.1.20"
    monkeypatch.setattr(shared, "lan_address", lambda: None)
    assert serve.lan_address() == "127.0.0.1"


def _never_served(*args, **kwargs):  # pragma: no cover - called only if a wrong option got through
    raise AssertionError("the classroom started although an option was wrong")


@pytest.mark.parametrize(("argv", "message"), [
    # each printed "Classroom at http://..." and then a traceback (33 and 114 lines), exit status 1
    (["cull=abc"], "error: cull=abc is not allowed; allowed: a duration such as 60s, 5m or 1h"),
    (["cull=0s"], "error: cull=0s is not allowed; allowed: a duration such as 60s, 5m or 1h"),
    (["host=not..a..host"], "error: host=not..a..host cannot be served (not a host name); allowed: an address of "
                            "this computer: 127.0.0.1 (this computer only), its address on the classroom's network, "
                            "or lan=true"),
    (["host=192.0.2.1"], "error: host=192.0.2.1 cannot be served (Cannot assign requested address); allowed: an "
                         "address of this computer"),
    (["host="], "error: host= cannot be served (an empty address would serve every address of this computer)"),
    (["port=70000"], "error: port=70000 is not allowed; allowed: a whole number from 1 to 65535"),
    (["pages=0"], "error: pages=0 is not allowed; allowed: a whole number >= 1"),
])
def test_a_wrong_option_is_one_line_before_anything_is_announced(argv, message, monkeypatch, capsys):
    monkeypatch.setattr(serve, "run", _never_served)
    port = [] if any(a.startswith("port=") for a in argv) else [f"port={free_port()}"]  # a key is given once
    assert command(["classroom", *port, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""


def test_a_cull_longer_than_a_day_is_one_line_and_nothing_is_set(monkeypatch, capsys):
    """cull=1e400s was infinite: a closed page's state was never dropped."""
    from sim.apps import serve as shared

    for key in ("SOLARA_KERNEL_CULL_TIMEOUT", "SOLARA_KERNEL_MAX_PER_SESSION", "SOLARA_TELEMETRY_MIXPANEL_ENABLE",
                "SOLARA_MODE", "SOLARA_SESSION_SAME_SITE", "SOLARA_APP", qr.PUBLIC_URL_ENV):  # restored afterwards
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setattr(shared, "run_guarded", _never_served)
    assert command(["classroom", f"port={free_port()}", "cull=1e400s"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("error: cull=1e400s is not allowed; allowed: a duration such as 60s, 5m or 1h, more than 0 "
                            "and at most 24h\n") and captured.out == ""
    assert "SOLARA_APP" not in os.environ and "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ


def test_a_port_in_use_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(serve, "run", _never_served)
    with busy_port() as port:
        assert command(["classroom", f"port={port}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: port={port} cannot be opened on 127.0.0.1 (Address already in use)"), err


def test_the_classroom_starts_when_its_options_are_right(monkeypatch):
    started = []
    monkeypatch.setattr(serve, "run", lambda **kw: started.append(kw) or 0)
    port = free_port()
    assert command(["classroom", f"port={port}", "cull=90s", "pages=2"]) == 0
    assert started == [{"lan": False, "host": "127.0.0.1", "port": port, "cull": "90s", "max_per_session": 2}]
