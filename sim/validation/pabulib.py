"""Replay real participatory-budgeting rounds from pabulib ``.pb`` files and describe their ballots.

The model's allocation rules (:mod:`sim.model.mechanisms.budgeting`) are only as credible as their
agreement with what cities actually funded, and the model's synthetic ballots only as credible as
their resemblance to real ones. Pabulib (http://pabulib.org, the public ``pabulib/pabulib_files``
repository) publishes the ballots, costs, budget, official rule and official selection of more
than 1,700 rounds. This module

* :func:`replay` -- reruns the project's implementation of a file's official rule on its ballots
  and compares the result with the official selection (:class:`ReplayResult`);
* :func:`ballot_statistics` -- summarises the ballots: approvals per ballot, how concentrated the
  votes are over projects, what share of projects and budget was funded and, where voters and
  projects carry an area, how often a project's votes come from its own area
  (:class:`BallotStatistics`).

Files are read with ``pabutools.election.parse_pabulib`` (imported lazily, as in
:mod:`sim.model.mechanisms.budgeting`), so importing this module stays cheap.

Rules
-----
``greedy``
    :func:`~sim.model.mechanisms.budgeting.greedy_approval` (skip projects that do not fit).
``greedy-threshold``
    The same with ``threshold=`` the META key ``min_project_score_threshold`` (an absolute vote
    count: a project needs at least that many votes; 0 when the key is missing).
``greedy-no-skip``
    ``skip=False``: stop at the first project that does not fit. Most such files also give
    ``min_project_score_threshold``, which is applied too.
``equalshares/add1`` (and ``equalshares/add1-comparison``)
    :func:`~sim.model.mechanisms.budgeting.method_of_equal_shares` with the ``"add1"`` completion and
    its default increment. The "comparison" step of equalshares.net (keep the greedy outcome if
    voters prefer it) is not implemented; such files are replayed as ``equalshares/add1``.

Any other rule (``greedy-custom``, ``greedy-exclusive``, ``unknown``, ...) raises
:class:`UnsupportedElection` unless ``rule=`` names one of the above. Ballots must be
``approval`` or ``choose-1`` (one approval per ballot); ``cumulative``, ``ordinal`` and
``scoring`` ballots raise :class:`UnsupportedElection`.

Votes are counted from the VOTES section; the PROJECTS ``votes`` column, where a file gives it, must
agree with that count (:func:`scan`), as it does in every file read so far. Ties go to the project id
that sorts first as a string (see :func:`~sim.model.mechanisms.budgeting.from_pabutools`).

Special selections
------------------
In the PROJECTS ``selected`` column 1 means funded by the rule and 0 not funded. Some cities mark
projects funded outside the rule's own budget with 2 or 3 (Gdynia: turnout-award projects paid
from city funds; Poznań: a project of which 80 % fitted, paid from a reserve, or projects paid
from funds moved from other districts). The official selection compared here is ``selected == 1``
only; projects marked 2 or 3 are listed in :attr:`ReplayResult.special` and count as not selected
by the rule. Files without a ``selected`` column have no official selection
(:attr:`ReplayResult.official` is ``None``).
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from sim.model.mechanisms.budgeting import from_pabutools, greedy_approval, method_of_equal_shares

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "AREA_KEYS",
    "RULES",
    "SUPPORTED_VOTE_TYPES",
    "BallotStatistics",
    "ReplayResult",
    "UnsupportedElection",
    "area_name",
    "area_set",
    "ballot_statistics",
    "gini",
    "load",
    "replay",
    "replay_election",
    "statistics_of",
    "vote_concentration",
    "vote_type_of",
]

RULES: Final[tuple[str, ...]] = ("greedy", "greedy-threshold", "greedy-no-skip", "equalshares/add1")
"""Rules :func:`replay` can run (``rule=`` or a file's META ``rule``)."""

_RULE_ALIASES: Final[dict[str, str]] = {"equalshares/add1-comparison": "equalshares/add1"}

SUPPORTED_VOTE_TYPES: Final[tuple[str, ...]] = ("approval", "choose-1")
"""Ballot types this module reads (choose-1 ballots are single approvals)."""

AREA_KEYS: Final[tuple[str, ...]] = ("district", "neighborhood")
"""Project and voter fields that name an area (checked in this order)."""

META_KEYS: Final[tuple[str, ...]] = ("country", "unit", "instance", "rule", "budget", "num_votes")
"""META entries copied into :attr:`ReplayResult.meta`."""


class UnsupportedElection(ValueError):
    """A pabulib file whose ballot type or rule this module cannot replay."""


@dataclass(frozen=True)
class Election:
    """A pabulib file as arrays: what :func:`replay` and :func:`ballot_statistics` work on.

    ``project_ids`` are in ``from_pabutools`` order (string order); ``selected_column`` holds the
    PROJECTS ``selected`` values (``None`` where the file has no such column), ``project_area`` and
    ``voter_area`` the area of each project / voter (``None`` where not given).
    """

    path: Path
    meta: dict[str, str]
    costs: np.ndarray
    ballots: sp.csr_matrix
    budget: float
    project_ids: list[str]
    selected_column: np.ndarray | None
    project_area: list[str | None]
    voter_area: list[str | None]
    area_field: str | None = None
    """``"<project key>/<voter key>"`` of the area fields used, e.g. ``"district/district"``."""


@dataclass(frozen=True)
class ReplayResult:
    """Outcome of :func:`replay`: the rule's selection, the official one and how far they agree."""

    path: Path
    rule: str
    """The rule that was run (the file's ``rule`` unless overridden)."""
    selected: tuple[str, ...]
    """Project ids funded by the project's implementation, in file (string) order."""
    official: tuple[str, ...] | None
    """Project ids with ``selected == 1`` (``None``: the file has no ``selected`` column)."""
    special: tuple[str, ...]
    """Project ids with ``selected`` 2 or 3 (funded outside the rule; not in ``official``)."""
    threshold: float
    """Minimum vote count applied (0 for rules without one)."""
    meta: dict[str, str] = field(default_factory=dict)
    """The file's country, unit, instance, rule, budget and num_votes (as written)."""
    notes: tuple[str, ...] = ()
    """Anything the replay could not reproduce exactly (e.g. a comparison step left out)."""

    @property
    def exact(self) -> bool | None:
        """Whether the selection equals the official one (``None`` without an official one)."""
        if self.official is None:
            return None
        return set(self.selected) == set(self.official)

    @property
    def jaccard(self) -> float | None:
        """``|ours & official| / |ours | official|`` (1.0 when both are empty; ``None`` if no official)."""
        if self.official is None:
            return None
        ours, theirs = set(self.selected), set(self.official)
        union = ours | theirs
        return 1.0 if not union else len(ours & theirs) / len(union)

    @property
    def only_ours(self) -> tuple[str, ...]:
        """Projects the replay funds that were not officially funded by the rule."""
        theirs = set(self.official or ())
        return tuple(p for p in self.selected if p not in theirs)

    @property
    def only_official(self) -> tuple[str, ...]:
        """Projects officially funded by the rule that the replay does not fund."""
        ours = set(self.selected)
        return tuple(p for p in (self.official or ()) if p not in ours)


@dataclass(frozen=True)
class BallotStatistics:
    """Summary of a file's ballots (see :func:`ballot_statistics` for the definitions)."""

    path: Path
    country: str
    vote_type: str
    n_voters: int
    n_projects: int
    mean_approvals: float
    min_length: int | None
    """META ``min_length``: the fewest approvals a ballot must hold (``None`` where not given)."""
    max_length: int | None
    approval_share_of_max: float | None
    vote_gini: float
    vote_hhi: float
    top10_vote_share: float
    funded_project_share: float | None
    funded_budget_share: float | None
    area_field: str | None
    own_area_vote_share: float | None
    own_area_win_share: float | None


def _check_path(path: str | Path) -> Path:
    """``path`` as a Path, raising ``TypeError`` (not a str or path), ``FileNotFoundError`` or ``ValueError`` (a
    folder, not a .pb file) naming it when unusable."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path={path!r} is a {type(path).__name__}; expected a str or pathlib.Path of a pabulib .pb "
                        "file")
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"path={str(path)!r}: no such file (expected a pabulib .pb file)")
    if not p.is_file():
        raise ValueError(f"path={str(path)!r} is not a file (expected a pabulib .pb file)")
    if p.suffix.lower() != ".pb":
        raise ValueError(f"path={str(path)!r} does not end in .pb (expected a pabulib .pb file)")
    return p


def _area_key(metas: list[dict[str, Any]]) -> str | None:
    """The first of :data:`AREA_KEYS` that any of ``metas`` (project or ballot meta) carries."""
    for key in AREA_KEYS:
        if any(key in m for m in metas):
            return key
    return None


def _area(values: dict[str, Any]) -> str | None:
    """The first of :data:`AREA_KEYS` present in a project's or ballot's meta, as a string."""
    for key in AREA_KEYS:
        value = values.get(key)
        if value not in (None, "", "None"):
            return str(value).strip()
    return None


#: Values of the PROJECTS ``selected`` column: 0 not funded, 1 funded by the rule, 2 and 3 funded outside it.
SELECTED_VALUES: Final[tuple[int, ...]] = (0, 1, 2, 3)
#: Sections of a pabulib file, in their order.
SECTIONS: Final[tuple[str, ...]] = ("meta", "projects", "votes")
#: The column that names each row of a section, once in the file (pabutools keeps the last of two rows of one id),
#: and what a row is.
ID_COLUMNS: Final[dict[str, tuple[str, str]]] = {"projects": ("project_id", "project"), "votes": ("voter_id", "voter")}
#: META keys of the fewest and the most approvals a ballot may hold: whole numbers from 1, the fewest at most the most.
LENGTH_KEYS: Final[tuple[str, str]] = ("min_length", "max_length")
#: The C0 control characters but tab (line breaks end a row): no file of pabulib holds one, and pabutools read them
#: into names and ids (a NUL in a project's name); U+000B, U+000C and U+001C-U+001E end a line to str.splitlines.
CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Line breaks of a file: str.splitlines' (which pabutools uses) but the C0 controls of :data:`CONTROL`, so that
#: :func:`scan` sees those in the field where they stand.
_LINE_BREAK: Final = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def _amount(text: str) -> float | None:
    """A pabulib number (``1000``, ``1000.5``, ``1000,5``) as a float; None if it is not one (Python's own forms
    that no pabulib file writes are not numbers here: ``1_000``, digits of other scripts such as ``١٠٠٠``)."""
    text = text.strip()
    if "_" in text or not text.isascii():
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _csv_rows(reader: Any, where: str) -> Iterator[list[str]]:
    """The rows of a ``csv.reader``; a row the reader refuses (a field over its 131,072-character limit) becomes a
    ValueError naming the file and the line, as the other checks of :func:`scan`."""
    try:
        yield from reader
    except csv.Error as err:
        raise ValueError(f"{where}, line {reader.line_num}: {err}; expected a pabulib .pb file") from None


def _lines(text: str) -> list[str]:
    """``text.splitlines()``, but a :data:`CONTROL` character stays inside its line."""
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def _no_control(where: str, line: int, row: list[str], subject: str, names: Sequence[str] | None = None) -> None:
    """A ValueError naming the line and the field when a cell of ``row`` holds a :data:`CONTROL` character: the
    message shows ``subject``, the cell's name in ``names`` (a header) with ``=``, and the cell's text."""
    for i, cell in enumerate(row):
        if CONTROL.search(cell):
            name = f"{names[i]}=" if names is not None else ""
            raise ValueError(f"{where}, line {line}: {subject}{name}{cell!r}; allowed: text without control "
                             "characters other than tab")


def scan(path: str | Path) -> dict[str, int]:
    """Check a pabulib file's structure before it is parsed; the numbers of projects and votes read.

    A file from elsewhere may be cut short, damaged or wrong, and pabutools reads what it finds: a
    file cut at a line boundary loaded as an election of 3 voters instead of 7, or of none. This
    reads the file as pabutools does (``;``-separated, quotes allowed, blank lines skipped) and
    raises ``ValueError`` naming the file and the line for

    * a path that is not a file (a folder: ``TypeError`` for what is not a path at all, as :func:`load`);
    * a file that is not UTF-8 text, or misses a section (META, PROJECTS, VOTES in that order);
    * a PROJECTS or VOTES row whose columns differ in number from its section's header;
    * something given twice: a META key (pabutools keeps the last: ``budget;100000`` then ``budget;1``
      ran with a budget of 1), a column of a header, a PROJECTS ``project_id``, a VOTES ``voter_id``;
    * a META ``num_projects`` or ``num_votes`` that differs from the rows read: the file was cut or
      damaged (the check that pabulib's own checker, the PyPI package pabulib-checker, makes);
    * a PROJECTS ``votes`` (the project's vote count) that is not a whole number >= 0, or that differs
      from the number of times the VOTES section names the project. The two agree in every file read:
      the 1,746 files of the pabulib_files repository that docs/pabulib_agreement.md reads (every ballot
      kind) and the 9 rounds that pabumeasures 0.2.2 distributes, Warszawa 2024 among them. So a file
      cut at a line boundary is found where it gives no ``num_votes`` (it loaded 17 of 84 voters); a
      file without ``num_votes`` and without a ``votes`` column cut so is not (docs/doors.md);
    * a ``budget`` (META) that is not a finite number > 0 (``0``, ``1e400``), a ``cost`` (PROJECTS) that is not a
      finite number >= 0;
    * a META ``min_length`` or ``max_length`` (:data:`LENGTH_KEYS`) that is not a whole number >= 1 (``-4``), or a
      ``min_length`` above the ``max_length``. pabulib's checker (the PyPI package pabulib-checker) takes budget as
      a number and the lengths as whole numbers, and none of the 1,746 files of pabulib_files (every ballot kind)
      has a budget of 0 or less, a length below 1 or not whole, or a minimum above its maximum;
    * a C0 control character but tab in any field (:data:`CONTROL`: a NUL in a project's name), named by its line
      and field;
    * a ``selected`` value other than a whole number in :data:`SELECTED_VALUES` (or empty).
    """
    p = _check_path(path)
    where = f"path={str(path)!r}"
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{where}: not a text file in UTF-8 (byte {err.start}); expected a pabulib .pb file") from None
    controls = CONTROL.search(text) is not None  # no real file holds one: their cells are looked at only if one is
    reader = csv.reader(_lines(text) if controls else text.splitlines(), delimiter=";")
    rows = _csv_rows(reader, where)
    section, header, seen = "", [], list[str]()
    meta: dict[str, tuple[str, int]] = {}
    counts = {"projects": 0, "votes": 0}
    rows_of: dict[str, dict[str, int]] = {"projects": {}, "votes": {}}  # section -> id -> its line
    stated: dict[str, tuple[str, int, int]] = {}  # project id -> (votes as written, as a number, line)
    named: Counter[str] = Counter()  # project id -> times the VOTES section names it
    for row in rows:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if first in SECTIONS:
            if first in seen or (seen and SECTIONS.index(first) < SECTIONS.index(seen[-1])):
                raise ValueError(f"{where}, line {line}: the section {first.upper()} comes again or out of order; "
                                 "expected META, PROJECTS, VOTES once each")
            section = first
            seen.append(first)
            header = next(rows, [])
            if controls:
                _no_control(where, reader.line_num, header, f"the {first.upper()} header names the column ")
            header = [h.strip() for h in header]
            if not any(header):
                raise ValueError(f"{where}, line {line}: the section {first.upper()} has no header row")
            twice = next((h for i, h in enumerate(header) if h in header[:i]), None)
            if twice is not None:
                raise ValueError(f"{where}, line {reader.line_num}: the {first.upper()} header names the column "
                                 f"{twice!r} twice; expected each column once")
            continue
        if not section:
            raise ValueError(f"{where}, line {line}: a row before the META section; expected a pabulib .pb file")
        if section == "meta":
            if len(row) < 2:
                raise ValueError(f"{where}, line {line}: the META row {row[0]!r} has no value; expected key;value")
            key = row[0].strip()
            if controls:
                _no_control(where, line, row, "", ["key"] + [key] * (len(row) - 1))
            if key in meta:
                raise ValueError(f"{where}, line {line}: META {key} is given twice (first on line {meta[key][1]}); "
                                 "allowed: each key once")
            meta[key] = (row[1].strip(), line)
            continue
        if len(row) != len(header):
            raise ValueError(f"{where}, line {line}: the {section.upper()} row has {len(row)} columns but its header "
                             f"has {len(header)} ({';'.join(header)}); the file is damaged or cut")
        counts[section] += 1
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        column, what = ID_COLUMNS[section]
        ident = cells.get(column)
        if controls:
            _no_control(where, line, row, f"{what} {cells.get(column, '?')!r} has ", header)
        if ident is not None:
            if ident in rows_of[section]:
                raise ValueError(f"{where}, line {line}: {column} {ident!r} is given twice (first on line "
                                 f"{rows_of[section][ident]}); allowed: each {what} once")
            rows_of[section][ident] = line
        if section == "projects":
            _check_project(where, line, cells, stated)
        else:
            named.update(pid for pid in (v.strip() for v in cells.get("vote", "").split(",")) if pid)
    missing = [s.upper() for s in SECTIONS if s not in seen]
    if missing:
        raise ValueError(f"{where}: no {' and no '.join(missing)} section; the file is cut short or not a pabulib "
                         "file")
    if "budget" in meta:
        raw, line = meta["budget"]
        value = _amount(raw)
        if value is None or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{where}, line {line}: budget={raw!r}; allowed: a finite number > 0")
    for key in (k for k in LENGTH_KEYS if k in meta):
        raw, line = meta[key]
        if not re.fullmatch(r"[0-9]+", raw) or int(raw) < 1:
            raise ValueError(f"{where}, line {line}: {key}={raw!r}; allowed: a whole number >= 1")
    if all(key in meta for key in LENGTH_KEYS) and int(meta["min_length"][0]) > int(meta["max_length"][0]):
        (raw, line), (most, where_most) = meta["min_length"], meta["max_length"]
        raise ValueError(f"{where}, line {line}: min_length={raw!r}; allowed: a whole number from 1 to max_length "
                         f"({most}, line {where_most})")
    for key, section in (("num_projects", "projects"), ("num_votes", "votes")):
        if key not in meta or meta[key][0] in ("", "None"):
            continue
        raw, line = meta[key]
        value = _amount(raw)
        if value is None or value != counts[section]:
            raise ValueError(f"{where}, line {line}: META {key}={raw} but the {section.upper()} section holds "
                             f"{counts[section]} rows; the file is cut short or damaged")
    for pid, (raw, votes, line) in stated.items():
        if named[pid] != votes:
            raise ValueError(f"{where}, line {line}: project {pid!r} has votes={raw} but the VOTES section names it "
                             f"{named[pid]} times; the file is cut short or damaged")
    return counts


def _check_project(where: str, line: int, cells: dict[str, str], stated: dict[str, tuple[str, int, int]]) -> None:
    """Check a PROJECTS row's ``cost``, ``selected`` and ``votes`` (see :func:`scan`); keep its votes in ``stated``."""
    pid = cells.get("project_id", "?")
    cost = cells.get("cost")
    if cost is not None and cost.lower() != "none":
        value = _amount(cost)
        if value is None or not math.isfinite(value) or value < 0:
            raise ValueError(f"{where}, line {line}: project {pid!r} has cost={cost!r}; allowed: a finite number >= 0")
    selected = cells.get("selected")
    if selected not in (None, "") and selected.lower() != "none":
        value = _amount(selected)
        if value is None or not value.is_integer() or int(value) not in SELECTED_VALUES:
            raise ValueError(f"{where}, line {line}: project {pid!r} has selected={selected!r}; allowed: one of "
                             f"{', '.join(map(str, SELECTED_VALUES))}")
    votes = cells.get("votes")
    if votes not in (None, "") and votes.lower() != "none":
        value = _amount(votes)
        if value is None or not value.is_integer() or value < 0:
            raise ValueError(f"{where}, line {line}: project {pid!r} has votes={votes!r}; allowed: a whole number >= 0")
        stated[pid] = (votes, int(value), line)


def vote_type_of(path: str | Path) -> str:
    """The META ``vote_type`` of a pabulib file, read from its head (cheap: no full parse; "" when absent)."""
    with Path(path).open(encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if line.startswith("vote_type;"):
                return line.split(";", 1)[1].strip()
            if line.strip().upper() == "PROJECTS":
                break
    return ""


def load(path: str | Path) -> Election:
    """Read a pabulib file into an :class:`Election` (approval and choose-1 ballots only).

    Raises ``FileNotFoundError`` / ``ValueError`` naming ``path`` for a missing or non-.pb path,
    ``ValueError`` naming the file and line for a damaged or cut file (:func:`scan`) and for a
    file pabutools cannot parse, and :class:`UnsupportedElection` for other ballot types. Nothing
    in the file is resolved or run: its values are read as texts and numbers.
    """
    from pabutools.election import parse_pabulib

    p = _check_path(path)
    scan(p)
    try:
        instance, profile = parse_pabulib(str(p))
    except Exception as err:  # pabutools raises KeyError/IndexError/... on malformed files
        raise ValueError(f"path={str(path)!r}: not a readable pabulib file ({type(err).__name__}: {err})") from err
    meta = {str(k): str(v) for k, v in instance.meta.items()}
    vote_type = meta.get("vote_type", "")
    if vote_type not in SUPPORTED_VOTE_TYPES:
        raise UnsupportedElection(
            f"path={str(path)!r}: vote_type={vote_type!r} is not supported; "
            f"only {', '.join(SUPPORTED_VOTE_TYPES)} ballots can be replayed"
        )
    costs, ballots, budget, names = from_pabutools(instance, profile)
    by_name = {proj.name: proj for proj in instance}
    project_meta = [instance.project_meta.get(by_name[n], {}) for n in names]
    selected_column = None
    if any("selected" in pm for pm in project_meta):
        selected_column = np.array([int(float(pm.get("selected", 0) or 0)) for pm in project_meta])
    ballot_meta = [b.meta for b in profile for _ in range(profile.multiplicity(b))]
    keys = (_area_key(project_meta), _area_key(ballot_meta))
    return Election(
        path=p,
        meta=meta,
        costs=costs,
        ballots=ballots,
        budget=budget,
        project_ids=names,
        selected_column=selected_column,
        project_area=[_area(pm) for pm in project_meta],
        voter_area=[_area(bm) for bm in ballot_meta],
        area_field=f"{keys[0]}/{keys[1]}" if keys[0] and keys[1] else None,
    )


def _threshold(meta: dict[str, str], path: Path) -> float:
    """The META ``min_project_score_threshold`` as a number (0 when absent)."""
    raw = meta.get("min_project_score_threshold")
    if raw in (None, "", "None"):
        return 0.0
    try:
        return float(str(raw).replace(",", "."))
    except ValueError as err:
        raise ValueError(f"path={str(path)!r}: min_project_score_threshold={raw!r} is not a number") from err


def run_rule(election: Election, rule: str) -> tuple[np.ndarray, float]:
    """Selection mask of ``rule`` (one of :data:`RULES`) on ``election`` and the threshold used."""
    counts = np.asarray(election.ballots.sum(axis=0), dtype=np.float64).ravel()
    if rule == "greedy":
        return greedy_approval(election.costs, counts, election.budget), 0.0
    if rule in ("greedy-threshold", "greedy-no-skip"):
        threshold = _threshold(election.meta, election.path)
        skip = rule == "greedy-threshold"
        return greedy_approval(election.costs, counts, election.budget, threshold=threshold, skip=skip), threshold
    if rule == "equalshares/add1":
        return method_of_equal_shares(election.costs, election.ballots, election.budget, "add1"), 0.0
    _check_rule(rule)
    raise AssertionError(f"rule {rule!r} is in RULES but has no implementation")


def replay(path: str | Path, rule: str | None = None) -> ReplayResult:
    """Run the file's official rule (or ``rule``) on its ballots and compare with the official result.

    Parameters
    ----------
    path
        A pabulib ``.pb`` file with ``approval`` or ``choose-1`` ballots.
    rule
        One of :data:`RULES` to run instead of the file's META ``rule`` (``None``: the file's).

    Raises
    ------
    FileNotFoundError, ValueError
        ``path`` does not exist, is not a ``.pb`` file, or cannot be parsed.
    UnsupportedElection
        The ballots are not approval / choose-1, or the rule is not one of :data:`RULES`.
    """
    _check_rule(rule)
    return replay_election(load(path), rule)


def _check_rule(rule: str | None) -> None:
    """Raise :class:`UnsupportedElection` unless ``rule`` is ``None`` or one of :data:`RULES`."""
    if rule is not None and rule not in RULES:
        raise UnsupportedElection(f"rule={rule!r} is not supported; supported rules: {', '.join(RULES)}")


def replay_election(election: Election, rule: str | None = None) -> ReplayResult:
    """:func:`replay` on an already loaded :class:`Election` (to parse a file only once)."""
    _check_rule(rule)
    path = election.path
    official_rule = election.meta.get("rule", "")
    chosen = rule if rule is not None else _RULE_ALIASES.get(official_rule, official_rule)
    notes: list[str] = []
    if rule is None and official_rule in _RULE_ALIASES:
        notes.append(f"official rule {official_rule!r} replayed as {chosen!r} (comparison step not implemented)")
    if chosen not in RULES:
        raise UnsupportedElection(
            f"path={str(path)!r}: rule={official_rule!r} is not supported; supported rules: {', '.join(RULES)} "
            "(pass rule= to replay another one)"
        )
    chosen_mask, threshold = run_rule(election, chosen)
    ids = election.project_ids
    official = special = None
    if election.selected_column is not None:
        official = tuple(i for i, s in zip(ids, election.selected_column, strict=True) if s == 1)
        special = tuple(i for i, s in zip(ids, election.selected_column, strict=True) if s in (2, 3))
    return ReplayResult(
        path=election.path,
        rule=chosen,
        selected=tuple(i for i, s in zip(ids, chosen_mask, strict=True) if s),
        official=official,
        special=special or (),
        threshold=threshold,
        meta={k: election.meta.get(k, "") for k in META_KEYS},
        notes=tuple(notes),
    )


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative ``values`` (0: all equal; ``(n-1)/n``: one takes all).

    Uses the sorted-values formula ``sum((2i - n - 1) x_(i)) / (n sum x)``, i = 1..n; 0.0 for an
    empty or all-zero array.
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = x.size, float(x.sum())
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(((2 * ranks - n - 1) * x).sum() / (n * total))


def vote_concentration(counts: np.ndarray) -> tuple[float, float, float]:
    """``(Gini, HHI, top-10 % share)`` of the projects' vote counts.

    HHI is the sum of squared vote shares; the top-10 % share is the share of all votes that
    went to the ``ceil(10 %)`` most-voted projects (at least one). The same definitions serve the
    real ballots (:func:`statistics_of`) and the model's (:mod:`sim.validation.real_ballots`), so that the
    two are compared on equal terms. All three are 0.0 for no projects or no votes.
    """
    x = np.asarray(counts, dtype=np.float64)
    m, total = x.size, float(x.sum())
    if m == 0 or total == 0:
        return 0.0, 0.0, 0.0
    shares = x / total
    top = max(1, math.ceil(0.1 * m))
    return gini(x), float((shares**2).sum()), float(np.sort(shares)[::-1][:top].sum())


def _meta_int(meta: dict[str, str], key: str) -> int | None:
    """A META entry as an integer (``None`` where absent or empty)."""
    raw = meta.get(key)
    return int(float(raw)) if raw not in (None, "", "None") else None


def ballot_statistics(path: str | Path) -> BallotStatistics:
    """Describe the ballots of a pabulib file (approval or choose-1).

    * ``mean_approvals``: approvals per ballot; ``approval_share_of_max`` divides it by the META
      ``max_length`` (the most approvals a ballot may hold) where that is given.
    * ``vote_gini``, ``vote_hhi``: Gini coefficient and Herfindahl-Hirschman index (sum of squared
      vote shares) of the projects' vote counts; ``top10_vote_share``: share of all votes that
      went to the top 10 % of projects (at least one project).
    * ``funded_project_share``, ``funded_budget_share``: share of projects with ``selected == 1``
      and their total cost over the budget (``None`` without a ``selected`` column).
    * Where projects and voters carry an area (:data:`AREA_KEYS`): ``own_area_vote_share`` is the
      share of the approvals, by voters with a known area for projects with one, that come from
      the project's own area; ``own_area_win_share`` the share of such projects for which the
      project's own area gives it more approvals than any other area does ("its own area wins";
      ties count as not winning). Voters or projects naming several areas (comma-separated)
      count as from each; projects whose area no voter names (citywide ones) are left out.
      ``None`` where the file has no area for voters or projects.
    """
    return statistics_of(load(path))


def statistics_of(election: Election) -> BallotStatistics:
    """:func:`ballot_statistics` of an already loaded :class:`Election`."""
    ballots = election.ballots.tocsr()
    n_voters, m = ballots.shape
    counts = np.asarray(ballots.sum(axis=0), dtype=np.float64).ravel()
    lengths = np.diff(ballots.indptr)
    mean_approvals = float(lengths.mean()) if n_voters else 0.0
    max_length = _meta_int(election.meta, "max_length")
    min_length = _meta_int(election.meta, "min_length")
    if election.meta.get("vote_type") == "choose-1":
        max_length = min_length = 1
    share_of_max = mean_approvals / max_length if max_length else None
    vote_gini, vote_hhi, top10 = vote_concentration(counts)
    funded_projects = funded_budget = None
    if election.selected_column is not None and m:
        funded = election.selected_column == 1
        funded_projects = float(funded.mean())
        funded_budget = float(election.costs[funded].sum() / election.budget) if election.budget else None
    own_share, own_win, area_field = _own_area(election, ballots)
    return BallotStatistics(
        path=election.path,
        country=election.meta.get("country", ""),
        vote_type=election.meta.get("vote_type", ""),
        n_voters=n_voters,
        n_projects=m,
        mean_approvals=mean_approvals,
        min_length=min_length,
        max_length=max_length,
        approval_share_of_max=share_of_max,
        vote_gini=vote_gini,
        vote_hhi=vote_hhi,
        top10_vote_share=top10,
        funded_project_share=funded_projects,
        funded_budget_share=funded_budget,
        area_field=area_field,
        own_area_vote_share=own_share,
        own_area_win_share=own_win,
    )


AREA_ABBREVIATIONS: Final[dict[str, str]] = {"Płn.": "Północne", "Płd.": "Południowe"}
"""Abbreviations written out before areas are compared (Wrocław 2015 abbreviates "north" and
"south" in its projects' areas, not in its voters')."""


def area_name(name: str) -> str:
    """An area name as compared: spaces around hyphens dropped, runs of spaces made one, the
    :data:`AREA_ABBREVIATIONS` written out (Wrocław 2015 writes "Osobowice - Rędzin" for its
    projects and "Osobowice-Rędzin" for its voters, "Gądów-Popowice Płd." and "Gądów-Popowice
    Południowe")."""
    name = re.sub(r"\s*-\s*", "-", " ".join(name.split()))
    return " ".join(AREA_ABBREVIATIONS.get(word, word) for word in name.split(" "))


def area_set(value: str | None) -> frozenset[str]:
    """An area field as a set of :func:`area_name`: some files list several areas, comma-separated
    (e.g. Wrocław's voters)."""
    if value is None:
        return frozenset()
    return frozenset(area_name(part) for part in value.split(",") if part.strip())


def _own_area(election: Election, ballots: sp.csr_matrix) -> tuple[float | None, float | None, str | None]:
    """``(own_area_vote_share, own_area_win_share, area key)`` of :func:`ballot_statistics`.

    A voter may name several areas and a project may carry several (comma-separated): an approval
    is "from the project's own area" when the two sets meet, and a voter counts for each of their
    areas in the per-area vote counts. Projects whose area no voter names (e.g. Wrocław's
    "Ogólnomiejskie", citywide) are left out, as are voters without an area.
    """
    import scipy.sparse as sp

    voter_sets = [area_set(a) for a in election.voter_area]
    project_sets = [area_set(a) for a in election.project_area]
    universe = sorted(set().union(*voter_sets)) if voter_sets else []
    if not universe or not any(project_sets):
        return None, None, None
    code = {a: i for i, a in enumerate(universe)}
    rows = [v for v, areas in enumerate(voter_sets) for _ in areas]
    cols = [code[a] for areas in voter_sets for a in sorted(areas)]
    member = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(voter_sets), len(universe)))
    csc = ballots.tocsc().astype(np.float64)
    votes = np.asarray((csc.T @ member).todense())  # votes[p, a]: approvals of p by voters of area a
    known = np.asarray(member.sum(axis=1)).ravel() > 0
    own_total = all_total = 0.0
    wins: list[bool] = []
    for p, areas in enumerate(project_sets):
        idx = [code[a] for a in areas if a in code]
        column = csc[:, [p]]
        supporters = column.indices[column.data > 0]
        total = float(known[supporters].sum())
        if not idx or total == 0:
            continue
        in_area = np.asarray(member[:, idx].sum(axis=1)).ravel() > 0
        own_total += float(in_area[supporters].sum())
        all_total += total
        others = np.delete(votes[p], idx)
        wins.append(bool(votes[p, idx].max() > (others.max() if others.size else -1.0)))
    if not wins:
        return None, None, election.area_field
    return own_total / all_total, float(np.mean(wins)), election.area_field
