"""People's decisions at the model's decision points: ``model.choices``.

The model decides everything itself from its config: the design's levers, the administration's
screening, the council's vote, the election's consequences. A classroom (sim/apps/classroom) lets
people take some of those decisions: the administration's four roles, the council's majority and
opposition, groups of residents. The processes consult ``model.choices`` at each such moment
(:data:`POINTS`); without a decider every answer is the model's own (:data:`MODEL`), and the
model then does exactly what it does without this object (the golden runs pin that).

A decider is a function of a :class:`Moment` that returns an option's key, or ``None`` for the
model's own choice. Each kind's options and what each does:

- ``design`` (the inspirator, at a cycle's opening): ``outreach`` invites under-represented
  residents in person (a targeted open call, outreach 0.6); ``simpler`` makes taking part easier
  (complexity -0.15, facilitation +0.2); the levers hold for that cycle, the next opening starts
  from the preset again.
- ``inform_first`` (the continuous factor, at the opening): ``inform`` runs the information
  phase first, ``start_now`` skips it.
- ``promise`` (the preacher of realism, at the opening): ``honest`` promises what can be done
  (promise inflation 0); ``big`` promises much more (inflation 1.0).
- ``screening`` (the guardian of the framework, in the decision month): ``strict`` screens
  proposals with half again the risk aversion and a higher general-interest bar; ``lenient``
  with half the risk aversion and a lower bar.
- ``council_vote`` (the council's majority): ``adopt_all`` follows every advice that reaches it,
  ``adopt_half`` adopts about half of what its members would, ``adopt_none`` none.
- ``feedback`` (the continuous factor, in the decision month): ``personal`` tells every
  participant fully what became of her input (feedback 1), ``none`` tells nobody.
- ``reopen_request`` (the council's opposition, when a request to reopen decisions comes up):
  ``withdraw`` lets the decisions stand.
- ``election`` (each group of residents, in an election month of an active design): ``carry_on``
  votes for a council that carries on with participation (continuity 1), ``change`` for one that
  starts over (continuity 0); the groups' votes count by their residents, a group that keeps
  :data:`MODEL` votes as the administration's continuity role says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.config.schema import DesignConfig, Selection

#: The answer that leaves a decision to the model (what its config and agents say).
MODEL = "model"
#: Every decision point: its kind -> the role that owns it (``residents`` stands for each group of residents).
POINTS: Mapping[str, str] = {
    "design": "inspirator", "inform_first": "continuity", "promise": "realism", "screening": "guardian",
    "council_vote": "council_majority", "feedback": "continuity", "reopen_request": "council_opposition",
    "election": "residents",
}
#: The options of each kind besides the model's own.
OPTIONS: Mapping[str, tuple[str, ...]] = {
    "design": ("outreach", "simpler"), "inform_first": ("inform", "start_now"), "promise": ("honest", "big"),
    "screening": ("strict", "lenient"), "council_vote": ("adopt_all", "adopt_half", "adopt_none"),
    "feedback": ("personal", "none"), "reopen_request": ("withdraw",), "election": ("carry_on", "change"),
}
#: Groups of residents who decide as a role: residents by their highest diploma (who is left out
#: differs most by it), the index into ``population.education``.
RESIDENT_GROUPS: tuple[str, ...] = ("low", "middle", "high")
#: The design's levers a cycle's decisions set; each opening restores them to the preset first.
ROUND_LEVERS: tuple[str, ...] = ("selection", "outreach", "complexity", "facilitation", "inform_first")


@dataclass(frozen=True)
class Moment:
    """A decision point as it comes up: its kind, the role that owns it, the month, and what the
    decider may want to know (``context``: e.g. proposals submitted, decisions a reopening would undo)."""

    kind: str
    role: str
    month: int
    context: Mapping[str, float] = field(default_factory=dict)


Decider = Callable[[Moment], str | None]


@dataclass
class Choices:
    """The decisions people take in the model's place; consulted by the processes (module docstring).

    ``decider`` answers each :class:`Moment` (None: the model decides everything). ``taken`` lists
    every moment asked and its answer, in order. ``preset`` holds the design's round levers as the
    config set them (:meth:`open_round` restores them).
    """

    decider: Decider | None = None
    taken: list[tuple[Moment, str]] = field(default_factory=list)
    preset: dict[str, Any] = field(default_factory=dict)

    def ask(self, kind: str, role: str, month: int, **context: float) -> str:
        """The answer to a decision point: the decider's option, or :data:`MODEL`."""
        if self.decider is None:
            return MODEL
        moment = Moment(kind, role, month, context)
        answer = self.decider(moment) or MODEL
        if answer != MODEL and answer not in OPTIONS[kind]:
            raise ValueError(f"{kind}: unknown option {answer!r}; allowed: {MODEL}, {', '.join(OPTIONS[kind])}")
        self.taken.append((moment, answer))
        return answer

    def open_round(self, design: DesignConfig, month: int, cycle: int) -> None:
        """A cycle opens: the preset's round levers, then the inspirator's design and the continuous
        factor's information first for this cycle (written into ``design``, which every process reads)."""
        if not self.preset:
            self.preset = {name: getattr(design, name) for name in ROUND_LEVERS}
        for name, value in self.preset.items():
            setattr(design, name, value)
        if self.decider is None:
            return
        choice = self.ask("design", POINTS["design"], month, cycle=cycle)
        if choice == "outreach" and design.selection is not Selection.lot:
            design.selection, design.outreach = Selection.targeted, max(design.outreach, 0.6)
        elif choice == "simpler":
            design.complexity = max(0.0, design.complexity - 0.15)
            design.facilitation = min(1.0, design.facilitation + 0.2)
        inform = self.ask("inform_first", POINTS["inform_first"], month, cycle=cycle)
        if inform != MODEL:
            design.inform_first = inform == "inform"

    def promise_inflation(self, preset: float, month: int) -> float:
        """Promise inflation for the cycle's announcement: the preset's unless the realism role decides."""
        answer = self.ask("promise", POINTS["promise"], month, preset=preset)
        return {"honest": 0.0, "big": 1.0}.get(answer, preset)

    def screening(self, risk_aversion: float, general_interest_bar: float, month: int,
                  submitted: int) -> tuple[float, float]:
        """The screening's risk aversion and general-interest bar: the config's unless the guardian decides."""
        answer = self.ask("screening", POINTS["screening"], month, submitted=submitted)
        if answer == "strict":
            return risk_aversion * 1.5, min(1.0, general_interest_bar + 0.15)
        if answer == "lenient":
            return risk_aversion * 0.5, max(0.0, general_interest_bar - 0.15)
        return risk_aversion, general_interest_bar

    def council_vote(self, advice: np.ndarray, candidates: np.ndarray, binding: float, month: int,
                     rng: np.random.Generator) -> np.ndarray:
        """The council's vote on the advice that reaches it (masks over the cycle's proposals; ``candidates``
        those that reach it): its members' own unless the majority decides. ``adopt_half`` keeps each passed
        advice with probability one half (a draw only then). No candidate, or every decision binding (the
        council votes on nothing as advice): no question."""
        if not candidates.any() or binding >= 1.0:
            return advice
        answer = self.ask("council_vote", POINTS["council_vote"], month, candidates=int(candidates.sum()),
                          supported=int((advice & candidates).sum()))
        if answer == "adopt_all":
            return np.ones_like(advice)
        if answer == "adopt_none":
            return np.zeros_like(advice)
        if answer == "adopt_half":
            return advice & (rng.random(advice.size) < 0.5)
        return advice

    def feedback(self, strength: float, level: float, month: int) -> tuple[float, float]:
        """How strongly participants hear back and the design's feedback level (for reporting hours):
        the design's unless the continuous factor decides."""
        answer = self.ask("feedback", POINTS["feedback"], month, strength=strength)
        if answer == "personal":
            return 1.0, 1.0
        if answer == "none":
            return 0.0, 0.0
        return strength, level

    def reopen(self, hit: np.ndarray, month: int) -> np.ndarray:
        """Which drawn requests to reopen go ahead (a mask): all unless the opposition withdraws them."""
        if not hit.any():
            return hit
        answer = self.ask("reopen_request", POINTS["reopen_request"], month, requests=int(hit.sum()))
        return np.zeros_like(hit) if answer == "withdraw" else hit

    def election_continuity(self, continuity: float, residents: np.ndarray, month: int) -> float:
        """The continuity an election carries: the role's unless groups of residents vote.

        ``residents`` counts the residents of each group (:data:`RESIDENT_GROUPS`); each group's vote
        counts by them: ``carry_on`` 1, ``change`` 0, the model's own the role's ``continuity``.
        """
        if self.decider is None:
            return continuity
        votes = [self.ask("election", f"residents_{g}", month) for g in RESIDENT_GROUPS]
        value = {"carry_on": 1.0, "change": 0.0}
        weights = np.asarray(residents, dtype=float)
        return float(np.dot([value.get(v, continuity) for v in votes], weights) / max(weights.sum(), 1.0))
