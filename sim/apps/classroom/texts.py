"""Every word the rooms show, from the project's translation files (``sim/locales/<lang>.yaml``, section
``classroom:``; municipalities and designs are named as everywhere else, ``names:``).

``t("projector.month", "nl", month=3, horizon=24)`` looks up a dotted key and fills its fields;
``both("engine.kinds.design")`` gives ``{"nl": ..., "en": ...}``, the form in which a game's texts
travel (``classroom.engine``). Numbers are written as the language writes them (``number``,
``percent``). A key missing in one language is an error (``tests/test_texts.py`` checks that both
files have the same keys), never a silent fallback to the other language.
"""

from __future__ import annotations

from typing import Any

from sim import texts as project_texts
from sim.apps.classroom.engine import LANGUAGES, RESIDENTS_PREFIX

DEFAULT_LANG = "nl"


def catalogue(lang: str) -> dict[str, Any]:
    """The classroom's section of ``lang``'s translation file."""
    if lang not in LANGUAGES:
        raise KeyError(f"no translations for {lang!r}; languages: {LANGUAGES}")
    return project_texts.catalogue(lang)["classroom"]


def name(kind: str, key: str, lang: str) -> str:
    """A municipality (``scenario``) or design's name as the whole project writes it."""
    return project_texts.name(kind, key, lang)


def lookup(key: str, lang: str) -> Any:
    """The value (a string, a list or a mapping) at the dotted ``key`` of ``lang``'s file."""
    node: Any = catalogue(lang)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"missing translation {key!r} ({lang})")
        node = node[part]
    return node


def t(key: str, lang: str, **fields: Any) -> str:
    """The text at ``key`` in ``lang``, with ``{fields}`` filled in."""
    text = lookup(key, lang)
    if not isinstance(text, str):
        raise TypeError(f"translation {key!r} is not a text but {type(text).__name__}")
    return text.format(**fields) if fields else text


def both(key: str, **fields: Any) -> dict[str, str]:
    """The text at ``key`` in every language: ``{"nl": ..., "en": ...}``."""
    return {lang: t(key, lang, **fields) for lang in LANGUAGES}


def number(x: float, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """``x`` as ``lang`` writes it: ``1.234,5`` in Dutch, ``1,234.5`` in English."""
    text = f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.replace("-", "−")


def percent(share: float, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """A share (0..1) as a percentage: ``45 %`` (nl) or ``45%`` (en); ``signed`` for changes in points."""
    value = number(100 * share, lang, decimals, signed)
    return t("units.points" if signed else "units.percent", lang, value=value)


def group_name(group: str, lang: str) -> str:
    """The words for a group of residents (``low``, ``middle``, ``high``: by their highest diploma)."""
    return t(f"groups.{group}", lang) if group in lookup("groups", lang) else ""


def role_name(role: str, lang: str) -> str:
    """The words for a role (a group of residents: ``residents_<group>``)."""
    if role.startswith(RESIDENTS_PREFIX):
        return t("roles.residents", lang, group=group_name(role.removeprefix(RESIDENTS_PREFIX), lang))
    return t(f"roles.{role}", lang)


def keys(node: Any, prefix: str = "") -> set[str]:
    """Every dotted key of a parsed translation file (for the tests)."""
    if not isinstance(node, dict):
        return {prefix}
    out: set[str] = set()
    for k, v in node.items():
        out |= keys(v, f"{prefix}.{k}" if prefix else str(k))
    return out
