"""Serving the dashboard (sim/apps/serve.py, python -m sim dashboard, make dashboard): localhost unless asked,
a documented LAN mode for a classroom, and closed sessions that release their memory."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from sim.__main__ import command
from sim.apps import serve
from tests.apps.dashboard import support
from tests.apps.dashboard.support import CHROMIUM, kernels, launch
from tests.helpers import REPO, busy_port, free_port


def test_localhost_and_a_short_cull_by_default() -> None:
    argv = serve.command(8765)
    assert argv[argv.index("--host") + 1] == "127.0.0.1" and argv[1:3] == ["-m", "sim.apps.serve"]
    env = serve.environment(base={"SOLARA_KERNEL_MAX_COUNT": "3", "PATH": "/bin"})
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == serve.CULL_TIMEOUT == "60s"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False" and "SOLARA_KERNEL_MAX_COUNT" not in env


def test_the_lan_address_is_this_computers_address_on_its_network() -> None:
    """lan=true binds the address of the interface that routes outwards, never 0.0.0.0 or loopback."""
    address = serve.lan_address()
    if address is None:
        pytest.skip("this machine is on no network")
    ours = {a.address for entries in psutil.net_if_addrs().values() for a in entries if a.family.name == "AF_INET"}
    assert address in ours and not address.startswith("127.") and address != "0.0.0.0"
    argv = serve.command(8765, address)
    assert argv[argv.index("--host") + 1] == address
    assert serve.environment("2m", serve.LAN_SESSIONS, base={})["SOLARA_KERNEL_MAX_COUNT"] == "40"


def test_the_dashboard_is_served_behind_the_guard_on_a_lan_and_on_this_computer() -> None:
    """On a LAN the guard lets the page and its assets through only; on this computer only (it was ``solara run`` as
    it comes) every path but the CDN proxy's not cached: Solara's diagnostics too, which the tests read."""
    assert serve.command(8765, "192.168.1.20") == [sys.executable, "-m", "sim.apps.serve", "--host", "192.168.1.20",
                                                   "--port", "8765"]
    assert serve.command(8765) == [sys.executable, "-m", "sim.apps.serve", "--host", "127.0.0.1", "--port", "8765"]
    for path in ("/", "/resourcez", "/readyz", "/anything"):
        assert serve.allowed(path, None), path
    assert not serve.allowed("/_solara/cdn/requirejs@2.3.6/bin", None)


@pytest.mark.parametrize(("path", "passes"), [
    ("/", True), ("/favicon.ico", True), ("/jupyter/api/kernels/abc/channels", True), ("/static/main.js", True),
    ("/_solara/cdn/vue.js", False), ("/_solara/api/close/abc", True),
    ("/resourcez", False), ("/resourcez?verbose", False), ("/readyz", False), ("/_solara/auth/login", False),
    ("/_solara/api/evict/abc", False), ("/trainer", False), ("/join", False), ("/docs", False), ("/../etc", False),
])
def test_the_dashboards_guard_lets_its_page_and_assets_through_only(path: str, passes: bool) -> None:
    assert serve.allowed(path) is passes


def _cache(root: Path) -> Path:
    """A small offline cache of Solara's CDN: a package's folder with files and a folder of its own."""
    cache = root / "cdn"
    (cache / "requirejs@2.3.6" / "bin").mkdir(parents=True)
    (cache / "requirejs@2.3.6" / "require.js").write_text("var requirejs;")
    (cache / "requirejs@2.3.6" / "bin" / "r.js").write_text("// r.js")
    (cache / "solo@1.0.0").mkdir()
    (cache / "solo@1.0.0" / "__main.js").write_text("// solo")
    return cache


@pytest.mark.parametrize(("path", "passes"), [
    ("/_solara/cdn/requirejs@2.3.6/require.js", True), ("/_solara/cdn/requirejs@2.3.6/bin/r.js", True),
    ("/_solara/cdn/solo@1.0.0", True),  # Solara keeps a one-part path as <path>/__main.js
    # a folder of the cache: Solara's proxy deleted it (shutil.rmtree) and downloaded the path again
    ("/_solara/cdn/requirejs@2.3.6", False), ("/_solara/cdn/requirejs@2.3.6/bin", False),
    ("/_solara/cdn/requirejs@2.3.6/bin/", False), ("/_solara/cdn/", False), ("/_solara/cdn/.", False),
    ("/_solara/cdn/x/../requirejs@2.3.6/bin", False), ("/_solara/cdn/requirejs@2.3.6//require.js", False),
    ("/_solara/cdn/../cdn/requirejs@2.3.6/require.js", False), ("/_solara/cdn/requirejs@2.3.6\\require.js", False),
    # not cached: Solara's proxy downloaded it from the CDN and wrote it into the cache
    ("/_solara/cdn/left-pad@1.3.0/index.js", False), ("/_solara/cdn/" + "a" * 300 + "/b.js", False),
    ("/_solara/cdn/nul\0/b.js", False),
])
def test_of_solaras_cdn_proxy_only_a_cached_file_passes(path: str, passes: bool, tmp_path: Path) -> None:
    assert serve.allowed(path, cache=_cache(tmp_path)) is passes
    assert not serve.allowed(path)  # without a cache, nothing of the proxy


def _stub_cdn(requested: list[str]):
    """A CDN on this computer that notes every path asked of it (and answers each)."""
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"// stub\n\n")

        def log_message(self, *args) -> None:
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_request_to_solaras_cdn_proxy_reads_a_cached_file_and_never_deletes_fetches_or_writes(tmp_path: Path) \
        -> None:
    """The dashboard's server on this computer (as python -m sim dashboard starts it; LAN mode and the classroom
    share its guard) on an offline cache of its own and a CDN of its own: a cached file is served; a cached folder
    is 404 and stays (Solara deleted it); a path not cached is 404, the CDN is not asked and nothing is written
    (Solara downloaded it into the cache)."""
    import threading

    from tests.apps.dashboard.support import running

    cache = _cache(tmp_path)
    before = _files(cache)
    requested: list[str] = []
    cdn = _stub_cdn(requested)
    threading.Thread(target=cdn.serve_forever, daemon=True).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**serve.environment(), "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache), "SOLARA_ASSETS_PROXY": "true",
           "SOLARA_ASSETS_CDN": f"http://127.0.0.1:{cdn.server_address[1]}/npm/",
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    try:
        with running(serve.command(port), env, tmp_path / "server.log", url, 120):  # the launcher's, this computer
            with urllib.request.urlopen(url + "_solara/cdn/requirejs@2.3.6/require.js", timeout=30) as served:
                assert served.status == 200 and served.read() == b"var requirejs;"
            for path in ("requirejs@2.3.6/bin", "requirejs@2.3.6", "left-pad@1.3.0/index.js", "new@1.0.0"):
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(url + "_solara/cdn/" + path, timeout=30)
                refused.value.close()
                assert refused.value.code == 404, path
    finally:
        cdn.shutdown()
        cdn.server_close()
    assert requested == [] and _files(cache) == before


#: A page id as a browser's page sends it (a UUID).
PAGE = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.mark.parametrize(("query", "refused"), [
    (b"", True), (b"session_id=", True), (b"foo=1", True), (b"session_id=" + b"a" * 101, True),
    (b"session_id=" + PAGE.encode() + b"&session_id=", True),  # Solara reads the last
    (b"session_id=" + PAGE.encode(), False), (b"session_id=" + b"a" * 100, False),
    (b"session_id=&session_id=" + PAGE.encode(), False),
])
def test_a_closing_pages_call_without_a_page_id_is_refused(query: bytes, refused: bool) -> None:
    """Solara's handler of a closing page's call read its page id (``session_id``) without a default: a call
    without one was a 500 and a traceback in the trainer's terminal, at any visitor's request."""
    assert serve.close_refused("/_solara/api/close/abc", query) is refused
    assert not serve.close_refused("/", query) and not serve.close_refused("/jupyter/api/kernels/abc", query)


def test_a_closing_pages_call_naming_no_page_of_its_session_is_refused() -> None:
    """Of an open session (a page chooses its session's id: ``?kernelid=``) Solara looked the page up without a
    default: a KeyError, a 500 and a traceback. Of no open session, Solara answers 200 and does nothing."""
    sessions = {"k1": {PAGE}}
    assert not serve.close_refused("/_solara/api/close/k1", f"session_id={PAGE}".encode(), sessions.get)
    assert serve.close_refused("/_solara/api/close/k1", b"session_id=another", sessions.get)
    assert not serve.close_refused("/_solara/api/close/k2", b"session_id=another", sessions.get)


def _post(url: str) -> int:
    """The status of a POST of nothing to ``url``."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST"), timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        refused.close()  # an HTTPError holds the response's socket
        return int(refused.code)


@pytest.mark.slow
def test_a_close_without_a_page_id_is_400_and_no_traceback(tmp_path: Path) -> None:
    """python -m sim dashboard (the classroom's server runs the same guard: tests/apps/classroom/test_serve.py): a
    closing page's call without a page id, an empty or an overlong one is a 400 and the server's log holds no
    traceback (it was a 500 and some 40 lines of traceback a call); one with a page id still reaches Solara (of a
    session it does not hold, Solara answers 200)."""
    log = tmp_path / "server.log"
    with support.serve(log) as server:
        close = server.url + "_solara/api/close/abc"
        for query in ("", "?session_id=", "?other=1", "?session_id=" + "a" * 101):
            assert _post(close + query) == 400, query
        assert _post(f"{close}?session_id={PAGE}") == 200
        with urllib.request.urlopen(server.url, timeout=30) as page:  # the server still serves
            assert page.status == 200
    assert "Traceback" not in log.read_text() and "KeyError" not in log.read_text(), log.read_text()[-3000:]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (run scripts/ci_browser_setup.sh)")
def test_a_page_closes_its_session_and_a_close_naming_no_page_of_it_is_400(tmp_path: Path) -> None:
    """A page that is left closes its session at once (the browser's own call, with its page id, reaches Solara: the
    sessions are kept a day, so nothing else releases it); a call naming a page the session does not have is a
    400, and the session stays open (Solara's KeyError was a 500 and a traceback in the trainer's terminal)."""
    import uuid

    sync_api = pytest.importorskip("playwright.sync_api")
    log = tmp_path / "server.log"
    session = str(uuid.uuid4())
    with support.serve(log, "cull=24h") as server, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.goto(f"{server.url}?kernelid={session}", timeout=120_000)  # a page chooses its session's id
            page.wait_for_selector("button", timeout=120_000)
            for query in ("?session_id=another", "?session_id=", ""):
                assert _post(f"{server.url}_solara/api/close/{session}{query}") == 400, query
            assert kernels(server.url) == 1
            page.goto("about:blank")  # the page is left: it calls close with its page id
            deadline = time.monotonic() + 120  # only stops a hung server; no time is asserted
            while kernels(server.url) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert kernels(server.url) == 0
        finally:
            browser.close()
    assert "Traceback" not in log.read_text() and "KeyError" not in log.read_text(), log.read_text()[-3000:]


def test_lan_mode_without_a_network_is_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setattr(serve, "lan_address", lambda: None)
    assert command(["dashboard", "lan=true"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: lan=true but this computer is on no network; allowed: ") and err.count("\n") == 1


@pytest.mark.parametrize(("argv", "message"), [
    (["cull=abc"], "error: cull=abc is not allowed; allowed: a duration such as 60s, 5m or 1h"),
    (["cull=0s"], "error: cull=0s is not allowed"),
    (["port=70000"], "error: port=70000 is not allowed; allowed: a whole number from 1 to 65535"),
    (["lan=maybe"], "error: lan=maybe is not allowed; allowed: true or false"),
])
def test_a_wrong_setting_is_one_line(argv: list[str], message: str, capsys) -> None:
    assert command(["dashboard", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_make_dashboard_goes_through_the_launcher() -> None:
    out = subprocess.run(["make", "-n", "dashboard"], cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    assert ".venv/bin/python -m sim dashboard port=${PORT:-8765}" in out and "solara run" not in out
    lan = subprocess.run(["make", "-n", "dashboard", "LAN=true"], cwd=REPO, capture_output=True, text=True,
                         timeout=60).stdout
    assert "-m sim dashboard port=${PORT:-8765} lan=true" in lan


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (run scripts/ci_browser_setup.sh)")
def test_closed_sessions_are_released(tmp_path: Path) -> None:
    """The launcher's server runs with its cull setting, bound to localhost; three students open the page
    and close it: their sessions are released (Solara's default kept them for 24 h). Memory is reported,
    not asserted; no time is asserted (the wait only stops a hung server)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with support.serve(tmp_path / "server.log", "cull=2s") as server:
        solara = psutil.Process(server.pid)
        assert solara.environ()["SOLARA_KERNEL_CULL_TIMEOUT"] == "2s"
        listening = [c.laddr.ip for c in solara.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN]
        assert listening == ["127.0.0.1"], listening
        before = solara.memory_info().rss
        with sync_api.sync_playwright() as p:
            browser = launch(p)
            pages = [browser.new_page() for _ in range(3)]
            for page in pages:
                page.goto(server.url, timeout=120_000)
                page.wait_for_selector("button", timeout=120_000)
            opened = kernels(server.url)
            used = solara.memory_info().rss
            browser.close()
        deadline = time.monotonic() + 120
        while kernels(server.url) and time.monotonic() < deadline:
            time.sleep(1)
        after = solara.memory_info().rss
        assert opened >= 3 and kernels(server.url) == 0
        print(f"server RSS: {before / 2**20:.0f} MB before, {used / 2**20:.0f} MB with 3 sessions, "
              f"{after / 2**20:.0f} MB once they were released")


@pytest.mark.slow
def test_lan_mode_listens_on_the_lan_address_only(tmp_path: Path) -> None:
    """python -m sim dashboard lan=true: the server answers on the LAN address, listens on it alone (not on
    0.0.0.0, not on 127.0.0.1), caps the sessions and says where students go."""
    address = serve.lan_address()
    if address is None:
        pytest.skip("this machine is on no network")
    log = tmp_path / "server.log"
    with support.serve(log, "lan=true", host=address) as server:
        solara = psutil.Process(server.pid)
        listening = [c.laddr.ip for c in solara.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN]
        assert listening == [address], listening
        assert solara.environ()["SOLARA_KERNEL_MAX_COUNT"] == str(serve.LAN_SESSIONS)
        assert "sim.apps.serve" in solara.cmdline() and not solara.children()  # the launcher became the server
        # on the network: the page, nothing of Solara's diagnostics (the guard answers 404)
        with urllib.request.urlopen(server.url, timeout=30) as page:
            assert page.status == 200
        for path in ("resourcez", "resourcez?verbose", "readyz", "_solara/auth/login", "anything"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(server.url + path, timeout=30)
            refused.value.close()  # an HTTPError holds the response's socket
            assert refused.value.code == 404, path
    assert f"dashboard at {server.url.rstrip('/')}" in log.read_text()


def _never_served(*args, **kwargs):  # pragma: no cover - called only if a wrong option got through
    raise AssertionError("the server started although an option was wrong")


def test_a_port_in_use_is_one_line_before_the_server_starts(monkeypatch, capsys) -> None:
    """A port another program listens on is refused before the dashboard announces anything (its server failed
    after the launcher had printed where to go)."""
    monkeypatch.setattr(serve, "serve", _never_served)
    with busy_port() as port:
        assert command(["dashboard", f"port={port}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: port={port} cannot be opened on 127.0.0.1 (Address already in use); allowed: a "
                          "free port") and err.count("\n") == 1, err


@pytest.mark.parametrize("cull", ["1e400s", "inf", "25h", "1e10s", "2d"])
def test_a_cull_longer_than_a_day_is_one_line(cull: str, monkeypatch, capsys) -> None:
    """cull=1e400s was infinite ("kept 1e400s"): no closed session was ever released, whatever the memory cap."""
    monkeypatch.setattr(serve.os, "execve", _never_served)
    assert command(["dashboard", f"port={free_port()}", f"cull={cull}"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: cull={cull} is not allowed; allowed: a duration such as 60s, 5m or 1h, more than 0 and " \
                  "at most 24h\n", err


def test_a_cull_of_a_day_is_allowed() -> None:
    assert serve.check_cull("24h") == serve.check_cull("1d") == 86_400 and serve.check_cull("60s") == 60


def test_the_dashboard_starts_when_its_options_are_right(monkeypatch) -> None:
    started = []
    monkeypatch.setattr(serve, "serve", lambda *args: started.append(args) or 0)
    port = free_port()
    assert command(["dashboard", f"port={port}", "cull=5m"]) == 0
    assert started == [(port, "127.0.0.1", "5m", None)]
