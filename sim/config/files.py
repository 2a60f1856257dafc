"""Reading YAML files that users write or bring from elsewhere: bounded, without aliases, never resolved.

A municipality's description (:mod:`sim.config.municipality`) and an experiment file from
another package (``--config-dir``, ``hydra.searchpath``) are read here before anything uses
them, so that a file cannot

* grow without bound: a file holds at most :data:`MAX_BYTES`, and YAML aliases (``*name``) are
  refused, so nested aliases (a "billion laughs", 1.7 KB that expand to gigabytes) stop at the
  first alias, in milliseconds;
* nest without bound: a value holds at most :data:`MAX_DEPTH` levels of lists and mappings (a
  municipality's description needs 2, the package's deepest preset 6), counted as the file is read,
  so that ``[[[[...]]]]`` 1,000 deep (2 KB) is one line, not a RecursionError of 3,000 lines;
* say one thing twice: a key given twice in a mapping (two neighbourhoods of one name) is refused,
  where YAML would keep the last silently;
* read the environment or run anything: the loader builds only plain values (PyYAML's safe
  loader), and :func:`resolver_calls` finds the OmegaConf resolvers (``${oc.env:TOKEN}``) a text
  would call, for the caller to refuse.

Every problem is a :class:`FileError` (a ConfigError) naming the file and, where there is one,
the line; its ``code`` and ``details`` let a caller say it in the user's language.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sim.config.keys import ConfigError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "FileError", "load_yaml", "resolver_calls", "strings"]

#: The largest file read (a municipality's description is about 1 KB, an experiment file 2 KB).
MAX_BYTES = 1_000_000
#: The most levels of lists and mappings a file may nest, the file itself being the first: far above what any
#: file needs (a municipality's description 2, the package's deepest preset, config.yaml, 6), far below what
#: PyYAML's composer, which calls itself for every level, can take (about 490 levels under Python's default
#: recursion limit).
MAX_DEPTH = 20

#: The one implicit type a file read ``as_text`` keeps: an empty value, ``~`` or ``null`` is None.
_NULL = "tag:yaml.org,2002:null"


class FileError(ConfigError):
    """A file that is not a plain YAML mapping of at most :data:`MAX_BYTES`.

    ``code`` is one of ``missing``, ``not_file``, ``too_large``, ``unreadable``, ``utf32``, ``utf16``, ``not_text``,
    ``nul``, ``not_yaml``, ``alias``, ``too_deep``, ``duplicate_key``, ``not_mapping``; ``details`` holds ``line``
    (1-based, where known), ``key``, ``depth`` or ``reason``.
    """

    def __init__(self, path: str | Path, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.path = str(path)
        self.code = code
        self.details = details


class _Refused(yaml.YAMLError):
    def __init__(self, code: str, line: int, **details: Any) -> None:
        super().__init__(code)
        self.code, self.line, self.details = code, line, details


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses aliases, nesting deeper than :data:`MAX_DEPTH` and keys given twice."""

    depth = 0  # the lists and mappings open where the composer is

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("alias", event.start_mark.line + 1, name=event.anchor)
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            # counted before the composer goes down a level (it calls itself for each), so a deep file stops here
            # after MAX_DEPTH calls, far from Python's recursion limit
            if self.depth >= MAX_DEPTH:
                raise _Refused("too_deep", self.peek_event().start_mark.line + 1, depth=MAX_DEPTH)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                twice = key in seen
            except TypeError:  # a list or mapping as a key: let PyYAML say so
                break
            if twice:
                raise _Refused("duplicate_key", key_node.start_mark.line + 1, key=key)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _TextLoader(_Loader):
    """The same, with every unquoted value but null kept as the text written: numbers (``0,32``, ``30.000.000``,
    ``1.500``), for the caller to read by the key's type and the writer's habits, and the words and dates YAML 1.1
    would turn into something else (a neighbourhood named ``On`` or ``No`` became True and False, ``2024-01-01`` a
    date)."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == _NULL]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()}


def _utf32(data: bytes) -> bool:
    """Whether ``data`` looks like text saved in UTF-32: a UTF-32 byte order mark (FF FE 00 00, 00 00 FE FF), or
    first 256 bytes whose groups of four hold a NUL in the same three places, as text in Latin letters has."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return True
    head = data[:256]
    groups = len(head) // 4
    zeros = sorted(head[k:4 * groups:4].count(0) for k in range(4))
    return groups >= 2 and zeros[0] < groups and all(z == groups for z in zeros[1:])


def _utf16(data: bytes) -> bool:
    """Whether ``data`` looks like text saved in UTF-16 (as Windows saves 'Unicode' or 'UTF-16 LE' text, and
    PowerShell 5's ``>``): it starts with a UTF-16 byte order mark (FF FE, FE FF), or its first 256 bytes hold a NUL
    in at least every other pair of one parity and none in the other, as text in Latin letters has in UTF-16.
    A text in UTF-32 (:func:`_utf32`) is asked about first: its mark starts as UTF-16's little-endian one."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:256]
    pairs = len(head) // 2
    zeros = sorted((head[0:2 * pairs:2].count(0), head[1:2 * pairs:2].count(0)))
    return pairs >= 2 and zeros[0] == 0 and 2 * zeros[1] >= pairs


def load_yaml(path: str | Path, *, as_text: bool = False, what: str = "file") -> Any:
    """The content of the YAML file ``path``: plain values only, no aliases, no key twice, at most
    :data:`MAX_BYTES`, at most :data:`MAX_DEPTH` levels deep; ``as_text`` keeps every unquoted value but null
    as the text written (numbers, ``yes``/``no``/``on``/``off``, dates).

    Raises :class:`FileError` naming ``what`` (``"municipality file"``) and the file.
    """
    p = Path(path)
    name = f"{what} {str(path)!r}"
    if not p.exists():
        raise FileError(path, "missing", f"{name} does not exist")
    if not p.is_file():
        raise FileError(path, "not_file", f"{name} is not a file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise FileError(path, "too_large", f"{name} holds {size:,} bytes; allowed: at most {MAX_BYTES:,}",
                        size=size)
    try:  # at most what is allowed, and one byte more: a file that says it is small may not be (/proc)
        with open(p, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:  # /proc/self/mem, a file that vanished, a permission
        raise FileError(path, "unreadable", f"{name} cannot be read ({exc.strerror or exc}); allowed: a file you can "
                        "read", reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_BYTES:
        raise FileError(path, "too_large", f"{name} holds more than {MAX_BYTES:,} bytes; allowed: at most "
                        f"{MAX_BYTES:,}", size=len(data))
    if _utf32(data):
        raise FileError(path, "utf32", f"{name} looks like a text in UTF-32, not UTF-8; allowed: a text file in UTF-8 "
                        "(save it again with the encoding UTF-8)")
    if _utf16(data):
        raise FileError(path, "utf16", f"{name} looks like a text in UTF-16 (as Windows saves 'Unicode' or 'UTF-16 "
                        "LE'), not UTF-8; allowed: a text file in UTF-8 (save it again with the encoding UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(path, "not_text", f"{name} is not a text file (byte {exc.start} is not UTF-8); "
                        "allowed: a text file in UTF-8", byte=exc.start) from None
    if "\x00" in text:
        at = text.index("\x00")  # where an editor shows it: line and column from 1
        row, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        raise FileError(path, "nul", f"{name} is not a text file (it holds a NUL character, on line {row}, column "
                        f"{column}); allowed: a text file in UTF-8", line=row, column=column)
    try:
        return yaml.load(text, Loader=_TextLoader if as_text else _Loader)
    except _Refused as exc:
        if exc.code == "alias":
            raise FileError(path, "alias", f"{name}, line {exc.line}: an alias (*{exc.details['name']}) repeats "
                            "another part of the file; allowed: every value written out, without & and *",
                            line=exc.line, **exc.details) from None
        if exc.code == "too_deep":
            raise FileError(path, "too_deep", f"{name}, line {exc.line}: lists and mappings nest more than {MAX_DEPTH} "
                            f"levels deep; allowed: at most {MAX_DEPTH}", line=exc.line, **exc.details) from None
        raise FileError(path, "duplicate_key", f"{name}, line {exc.line}: {exc.details['key']!r} is given twice; "
                        "allowed: each key once", line=exc.line, **exc.details) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = str(getattr(exc, "problem", None) or exc).strip()
        where = f", line {line}" if line else ""
        raise FileError(path, "not_yaml", f"{name}{where} is not valid YAML ({reason}); allowed: key: value lines "
                        "as in examples/municipality.yaml", line=line, reason=reason) from None


def strings(node: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every text in a loaded YAML value, keys included, as (dotted place, text)."""
    out: list[tuple[str, str]] = []
    if isinstance(node, str):
        out.append((prefix, node))
    elif isinstance(node, dict):
        for k, v in node.items():
            place = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(k, str):
                out.append((place, k))
            out.extend(strings(v, place))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(strings(v, f"{prefix}[{i}]"))
    return out


#: A call of a resolver in a value: ``${oc.env:HOME}``, ``${now:%Y}`` (a reference to a key, ``${a.b}``, has no colon).
_RESOLVER = re.compile(r"\$\{\s*([\w.\-]+)\s*:")


def resolver_calls(text: str) -> list[str]:
    """The OmegaConf resolvers a text would call (``["oc.env"]`` for ``"Town ${oc.env:HOME}"``); empty for
    plain values and references to keys (``${scenario.initial_trust}``)."""
    return _RESOLVER.findall(text) if "${" in text else []
