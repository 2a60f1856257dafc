"""The classroom's game: the real model, month by month, paused where people decide.

``ModelGame`` runs a :class:`~sim.model.model.CoproductionModel` of one municipality and design
preset. The model consults ``model.choices`` (sim/model/choices.py) at every decision point; here
that decider hands the moment to the room as a :class:`~sim.apps.classroom.engine.Pause` and waits
for the room's answer. The model's month runs in a worker thread of the game, so that it can stop
*inside* a month (a screening needs the month's proposals; the council's vote, the screening's
outcome) and go on with the answer; the worker runs only while ``advance`` waits for it, so the
room reads the game's state only between its months.

Every pause offers the model's own choice (``model``: what the preset and the model's agents would
do) and the kind's other options (sim.model.choices.OPTIONS), each with a line that says its
consequence. The ghost runs are the same municipality and seed without a decider (``preset``: the
model plays every role, as the preset says; by the model's definition of its own choices, this is
also the run with the model's own choices) and without participation (``none``: design ``none``).
"""

from __future__ import annotations

import copy
import functools
import logging
import queue
import threading
from collections.abc import Mapping
from typing import Any

import pandas as pd

from sim.apps.classroom import saved, texts
from sim.apps.classroom.engine import Option, Pause
from sim.apps.events import month_events, screened_in
from sim.config.compose import compose_config, preset_values
from sim.config.schema import MIN_RESIDENTS, Config, Selection, simulated_residents, smallest_scale
from sim.model import choices as points
from sim.model.choices import MODEL, Moment
from sim.model.mechanisms import elections
from sim.model.model import RESULTS, CoproductionModel

log = logging.getLogger(__name__)

#: The municipalities and design presets a room can play (designs with a participation process).
SCENARIOS = ("kampenhout", "geel", "generic", "antwerp_district")
PRESETS = ("participatory_budget", "ideas_platform", "citizens_panel", "consultation", "tokenistic_consultation",
           "spatial_codesign", "coproduction")
#: The room's elections come this many months before its end (so that every room has one).
ELECTION_BEFORE_END = 2
#: Months after a decision over which the timeline reports what it moved.
EFFECT_MONTHS = 6
#: What the timeline reports as moved by a decision (columns of ``series``).
MOVED = ("turnout", "trust", "legitimacy", "projects_delivered", "staff_hours", "left_out")
#: The model's results the series keeps, by the name the rooms use.
FROM_MODEL = {"turnout": "turnout_eligible", "trust": "trust_citizens", "legitimacy": "legitimacy",
              "legitimacy_input": "legitimacy_input", "legitimacy_throughput": "legitimacy_throughput",
              "legitimacy_output": "legitimacy_output", "efficacy": "efficacy_citizens",
              "projects_delivered": "proposals_implemented", "projects_adopted": "proposals_adopted",
              "proposals": "proposals_submitted", "reopened": "decisions_reopened", "late": "projects_late",
              "staff_hours": "staff_hours", "project_money": "budget_spent", "cycle": "cycle"}
_MEASURE = {r.name: r.measure for r in RESULTS}
SERIES_COLUMNS = ("month", *FROM_MODEL, "took_part", "left_out")
#: The roles a room can seat: the administration's four roles, the council's majority and opposition, the
#: groups of residents.
ROLES = ("inspirator", "continuity", "guardian", "realism", "council_majority", "council_opposition",
         *(f"residents_{g}" for g in points.RESIDENT_GROUPS))


class _Closed(Exception):
    """The game was closed while its worker waited for an answer."""


@functools.cache
def _config(scenario: str, preset: str, seed: int, horizon: int, scale: float) -> Config:
    """The composed config (composing takes a few tenths of a second; every game copies it: choices
    write a cycle's levers into its design). The room's term ends as a council's term does: with the
    elections, :data:`ELECTION_BEFORE_END` months before its last month (the ghosts share it)."""
    election = max(0, horizon - ELECTION_BEFORE_END)
    return compose_config(scenario, preset, seed, [f"run.steps={horizon}", f"run.population_scale={scale}",
                                                   "run.record_groups=false",
                                                   f"scenario.next_election_month={election}"])


def measure(model: CoproductionModel) -> dict[str, float]:
    """One row of the series: the month just completed (0 before the first) and the room's measures.

    ``took_part`` is the share of eligible residents who ever took part; ``left_out`` the gap, in
    shares, between the most and the least educated in that share (who is left out).
    """
    if model.month < 0:  # before the first month: the survey is taken as the month's end takes it (no draw)
        model.perceptions.step()
    row: dict[str, float] = {"month": model.month + 1}
    for name, column in FROM_MODEL.items():
        row[name] = float(_MEASURE[column](model))
    pop, eligible = model.population, model.eligible
    ever = pop.ever_participated & eligible
    rates = [float(ever[pop.education == e].sum()) / max(1, int((eligible & (pop.education == e)).sum()))
             for e in range(3)]
    row["took_part"] = float(ever.sum()) / max(1, model.n_eligible)
    row["left_out"] = max(rates) - min(rates)
    return row


class ModelGame:
    """A municipality played by a room (implements :class:`sim.apps.classroom.engine.Game`)."""

    def __init__(self, scenario: str, preset: str, seed: int, horizon: int, scale: float = 1.0) -> None:
        if scenario not in SCENARIOS or preset not in PRESETS:
            raise ValueError(f"unknown municipality {scenario!r} or design {preset!r}; allowed: "
                             f"{', '.join(SCENARIOS)}; {', '.join(PRESETS)}")
        self.scenario, self.preset, self.seed, self._horizon = scenario, preset, int(seed), int(horizon)
        self.scale = float(scale)
        self._config = copy.deepcopy(_config(scenario, preset, self.seed, self._horizon, self.scale))
        self._preset_levers = {k: getattr(self._config.design, k) for k in ("promise_inflation", "inform_first",
                                                                             "selection")}
        self._model = CoproductionModel(self._config)
        self._model.choices.decider = self._ask
        self._rows = [measure(self._model)]
        self._decisions: list[dict[str, Any]] = []
        self._events: list[dict[str, Any]] = []
        self._pending: Pause | None = None
        self._answer: str | None = None
        self._done = False
        self._closed = threading.Event()
        self._to_worker: queue.Queue[str | None] = queue.Queue()
        self._from_worker: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._ghosts: dict[str, pd.DataFrame] = {}
        self._ghost_thread = threading.Thread(target=self._run_ghosts, name=f"ghosts-{scenario}", daemon=True)
        self._ghost_thread.start()

    # ------------------------------------------------------------------ the interface

    def roles(self) -> tuple[str, ...]:
        """The administration's four roles, the council's majority and opposition, the groups of residents."""
        return ROLES

    def advance(self) -> Pause | None:
        """Run months until the next decision point (returned) or the horizon (None); a pending pause is
        returned again."""
        if self._pending is not None:
            return self._pending
        if self._done or self._closed.is_set():
            return None
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name=f"game-{self.scenario}", daemon=True)
            self._worker.start()
        elif self._answer is not None:
            self._to_worker.put(self._answer)
            self._answer = None
        kind, value = self._from_worker.get()
        if kind == "pause":
            self._pending = value
            return value
        if kind == "error":
            self._done = True
            raise RuntimeError("the model stopped") from value
        self._done = True
        return None

    def decide(self, option_key: str) -> None:
        """Take the pending pause's choice (the model goes on with it at the next ``advance``)."""
        pause = self._pending
        if pause is None:
            raise RuntimeError("no pending decision")
        option = pause.option(option_key)  # KeyError for an unknown option
        self._decisions.append({"month": pause.month, "kind": pause.kind, "role": pause.role, "option": option_key,
                                "default": pause.default, "label": option.label,
                                "default_label": pause.option(pause.default).label, "question": pause.question})
        self._pending, self._answer = None, option_key

    def month(self) -> int:
        """Months completed."""
        return len(self._rows) - 1

    def horizon(self) -> int:
        """Months the game runs."""
        return self._horizon

    def series(self) -> pd.DataFrame:
        """One row per month, from month 0 (the start) to the months completed."""
        return pd.DataFrame(self._rows, columns=list(SERIES_COLUMNS))

    def events(self) -> list[dict[str, Any]]:
        """What happened, month by month: kind and words in every language."""
        return list(self._events)

    def timeline(self) -> list[dict[str, Any]]:
        """Each decision and what moved in the months after it (at most ``EFFECT_MONTHS``), against the
        model alone (the ``preset`` ghost) once that is known: the change of the room's lead over it."""
        series = self.series().set_index("month")
        ghost = self._ghosts.get("preset")
        base = ghost.set_index("month") if ghost is not None else None
        out = []
        for d in self._decisions:
            start = min(d["month"] - 1, self.month())  # the row before the month of the decision
            end = min(start + EFFECT_MONTHS, self.month())
            moved: dict[str, float] = {}
            if end > start:
                for k in MOVED:
                    change = float(series.at[end, k] - series.at[start, k])
                    if base is not None:
                        change -= float(base.at[end, k] - base.at[start, k])
                    moved[k] = change
            out.append({**d, "moved": moved, "moved_months": max(0, end - start),
                        "against": "preset" if base is not None else ""})
        return out

    def ghosts_ready(self) -> bool:
        """Whether both ghost runs are done (``ghost`` then answers at once)."""
        return not self._ghost_thread.is_alive()

    def ghost(self, which: str) -> pd.DataFrame:
        """The same municipality and seed to the horizon: the model alone under the preset (``"preset"``) or
        without participation (``"none"``); waits for the ghost runs if they are not done."""
        if which not in ("preset", "none"):
            raise ValueError(f"unknown ghost {which!r}; allowed: preset, none")
        self._ghost_thread.join()
        return self._ghosts[which]

    def close(self) -> None:
        """Stop the worker and the ghost runs; the model is let go."""
        self._closed.set()
        self._pending = None
        if self._worker is not None and self._worker.is_alive():
            self._to_worker.put(None)
            self._worker.join(timeout=5)
        self._ghost_thread.join(timeout=30)
        self._model = None  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        """Enough to rebuild this game exactly (the decisions are replayed)."""
        return {"engine": "model", "scenario": self.scenario, "preset": self.preset, "seed": self.seed,
                "horizon": self._horizon, "scale": self.scale, "month": self.month(),
                "decisions": [{k: d[k] for k in ("month", "kind", "role", "option")} for d in self._decisions]}

    @staticmethod
    def check_json(data: Any) -> None:
        """What only this engine knows of a saved game (``to_json``; its other fields: sim.apps.classroom.saved):
        the engine, a municipality and design a room can play, a share of residents the model takes (finite, and
        enough for the municipality's fewest residents: ``sim.config.schema.smallest_scale``). SavedError naming the
        field."""
        game = saved.fields(data, "game", saved.GAME_FIELDS, saved.GAME_OPTIONAL)
        if "engine" in game:
            saved.text(game, "engine", "game", ("model",))
        saved.text(game, "scenario", "game", SCENARIOS)
        saved.text(game, "preset", "game", PRESETS)
        if "scale" in game:
            scale = saved.number(game, "scale", "game", 1e-4, 1.0)
            population = int(preset_values("scenario", game["scenario"])["population"])
            if simulated_residents(population, scale) < MIN_RESIDENTS:  # the model's ConfigError, a traceback
                raise saved.refuse("game.scale", game["scale"], "scale", least=max(1e-4, smallest_scale(population)),
                                   most=1.0, scenario=game["scenario"], residents=MIN_RESIDENTS)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelGame:
        """The game ``to_json`` described, at the same point (a pending pause pending again); SavedError for a
        field not allowed (``check_json``, checked before the game is built) or a decision the game does not ask
        (its decisions are replayed)."""
        cls.check_json(data)
        game = cls(str(data["scenario"]), str(data["preset"]), int(data["seed"]), int(data["horizon"]),
                   float(data.get("scale", 1.0)))
        for i, d in enumerate(data["decisions"]):
            pause = game.advance()
            if pause is None or (pause.month, pause.kind, pause.role) != (int(d["month"]), d["kind"], d["role"]):
                game.close()
                raise saved.SavedError("replay", "replay_allowed", index=i + 1, month=d["month"], kind=d["kind"])
            if d["option"] not in [o.key for o in pause.options]:
                game.close()
                raise saved.refuse(f"game.decisions[{i}].option", d["option"], "one_of",
                                   choices=", ".join(o.key for o in pause.options))
            game.decide(str(d["option"]))
        if game.month() < int(data["month"]):
            game.advance()
        return game

    # ------------------------------------------------------------------ the worker

    def _run(self) -> None:
        """The model's months, in the worker thread; pauses come through ``_ask``."""
        try:
            while self._model.month + 1 < self._horizon and not self._closed.is_set():
                before = self._rows[-1]
                self._model.step()
                self._rows.append(measure(self._model))
                self._month_events(before, self._rows[-1])
            self._from_worker.put(("done", None))
        except _Closed:
            return
        except Exception as exc:  # the room logs it and shows the game as ended
            log.exception("the game's model failed")
            self._from_worker.put(("error", exc))

    def _ask(self, moment: Moment) -> str | None:
        """The decider the model consults (in the worker): hand the moment to the room, wait for its answer."""
        self._from_worker.put(("pause", self._pause(moment)))
        answer = self._to_worker.get()
        if answer is None:
            raise _Closed
        return answer

    def _run_ghosts(self) -> None:
        """The ghost runs (in their own thread): the preset without a decider, and without participation."""
        for which, design in (("preset", self.preset), ("none", "none")):
            config = copy.deepcopy(_config(self.scenario, design, self.seed, self._horizon, self.scale))
            model = CoproductionModel(config)
            rows = [measure(model)]
            while model.month + 1 < self._horizon and not self._closed.is_set():
                model.step()
                rows.append(measure(model))
            self._ghosts[which] = pd.DataFrame(rows, columns=list(SERIES_COLUMNS))

    # ------------------------------------------------------------------ pauses and events

    def _pause(self, moment: Moment) -> Pause:
        """The room's pause for a decision point: the question and 2-4 options with their consequences."""
        kind = moment.kind
        keys = [MODEL, *points.OPTIONS[kind]]
        levers = self._preset_levers
        drop = {"promise": "honest" if levers["promise_inflation"] == 0 else "",
                "inform_first": "inform" if levers["inform_first"] else "start_now",
                "design": "outreach" if levers["selection"] is Selection.lot else ""}.get(kind, "")
        keys = [k for k in keys if k != drop]
        group = moment.role.removeprefix("residents_")
        fields = {k: texts.number(v, "nl") for k, v in moment.context.items()}
        fields_en = {k: texts.number(v, "en") for k, v in moment.context.items()}
        question = {"nl": texts.t(f"engine.questions.{kind}", "nl", group=texts.group_name(group, "nl"), **fields),
                    "en": texts.t(f"engine.questions.{kind}", "en", group=texts.group_name(group, "en"),
                                  **fields_en)}
        options = tuple(Option(k, texts.both(f"engine.options.{kind}.{k}.label"),
                               texts.both(f"engine.options.{kind}.{k}.why")) for k in keys)
        # the month in which it happens, counted from 1 as the pages count months (the model counts from 0)
        return Pause(kind=kind, role=moment.role, month=moment.month + 1, question=question, options=options,
                     default=MODEL)

    def _month_events(self, before: Mapping[str, float], after: Mapping[str, float]) -> None:
        """The month's event line (sim.apps.events: one rule for the dashboard and the rooms)."""
        m = self._model
        s, c = self._config.scenario, self._config.council
        election = elections.is_election(m.month, s.next_election_month, c.term_months)
        for kind, n in month_events({col: before[name] for name, col in FROM_MODEL.items()},
                                    {col: after[name] for name, col in FROM_MODEL.items()}, election,
                                    screened_in(m)):
            self._event(int(after["month"]), kind, n=n)

    def _event(self, month: int, kind: str, **fields: Any) -> None:
        self._events.append({"month": month, "kind": kind, "text": texts.both(f"engine.events.{kind}", **fields)})


__all__ = ["EFFECT_MONTHS", "MOVED", "PRESETS", "SCENARIOS", "SERIES_COLUMNS", "ModelGame", "measure"]
