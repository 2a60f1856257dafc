"""The join address of a room and its QR code, made here (segno: pure Python, no network).

The address participants type or scan is ``<public url>/join?code=<CODE>``. The public URL is what
``classroom.serve`` found as the machine's address on the classroom network (``CLASSROOM_PUBLIC_URL``);
without it, the host the trainer's own browser used (which may be ``localhost``: the trainer page
then warns that phones cannot reach it).
"""

from __future__ import annotations

import io
import ipaddress
import os
from urllib.parse import urlsplit

import segno

PUBLIC_URL_ENV = "CLASSROOM_PUBLIC_URL"


def base_url(browser_host: str | None) -> str:
    """The address participants reach the server at, without a trailing slash."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if configured:
        return configured
    return f"http://{browser_host or 'localhost:8765'}"


def join_url(base: str, code: str) -> str:
    """The address that opens the join page with the code filled in."""
    return f"{base}/join?code={code}"


def is_local_only(url: str) -> bool:
    """Whether ``url`` points at this computer only (localhost, 127.x, ::1), out of reach of phones."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (it scales with its box; a quiet zone of 2 modules)."""
    return segno.make(url, error="m").svg_inline(border=2, dark="#000", light="#fff", omitsize=True)


def png(url: str, scale: int = 16) -> bytes:
    """The QR code of ``url`` as a PNG image (for printing or a slide)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()
