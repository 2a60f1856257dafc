"""Legitimacy in its three parts, measured at the end of each month (Scharpf 1999; Schmidt 2013)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.mechanisms import legitimacy
from sim.model.processes.base import Process, Result
from sim.model.processes.cycle import Phase

if TYPE_CHECKING:  # the model imports the processes
    from sim.model.model import CoproductionModel


class Legitimacy(Process):
    """Input, throughput and output legitimacy, and the council's acceptance of citizens' input.

    Input: citizens' efficacy, the reach of the process (turnout against
    ``legitimacy.turnout_reference``, remembered with ``legitimacy.memory``) and the
    representativeness of who takes part. Throughput: transparency (feedback heard, fading),
    stability (decisions not reopened, smoothed) and fairness (representativeness and
    facilitation once a process ran, plus a bonus for an equal-shares budget). Output: promises
    kept and service quality; a part without a record yet (no promise due, no decision open)
    counts ``legitimacy.without_record``. The weights of the parts are parameters. A poor
    throughput drags the other two down; overall is their geometric mean.
    Owns: ``reach``, ``feedback`` (the fading record of the last feedback), ``reopen_rate``
    (smoothed monthly share of open decisions reopened, per year) and the month's measures.
    """

    sections = ("design", "legitimacy")

    results = (
        Result("legitimacy", "index 0-1", "Legitimacy overall: the combination of its three parts.",
               lambda m: m.legitimacy.overall, summary="final"),
        Result("legitimacy_input", "index 0-1", "Input legitimacy: efficacy, reach and representativeness.",
               lambda m: m.legitimacy.input, summary="final"),
        Result("legitimacy_throughput", "index 0-1", "Throughput legitimacy: transparency, stability and fairness.",
               lambda m: m.legitimacy.throughput, summary="final"),
        Result("legitimacy_output", "index 0-1", "Output legitimacy: promises kept and service quality.",
               lambda m: m.legitimacy.output, summary="final"),
        Result("legitimacy_council", "index 0-1", "The council's acceptance of citizens' input.",
               lambda m: m.legitimacy.council_acceptance, summary="final"),
    )

    reach: float
    feedback: float  # the fading record of the last feedback
    reopen_rate: float  # smoothed monthly share of open decisions reopened, per year
    input: float
    throughput: float
    output: float
    overall: float
    council_acceptance: float

    def __init__(self, model: CoproductionModel) -> None:
        super().__init__(model)
        self.reach = 0.0
        self.feedback = 0.0
        self.reopen_rate = 0.0
        self.input = self.throughput = self.output = self.overall = self.council_acceptance = 0.0

    def observe_decision(self, participants: int, feedback: float) -> None:
        """A decision was taken with ``participants`` and reported back with strength ``feedback``."""
        self.reach = legitimacy.reach(participants / max(self.model.n_eligible, 1),
                                      self.legitimacy.turnout_reference)
        self.feedback = feedback

    def observe_reopening(self, share: float | None) -> None:
        """This month's share of open decisions reopened (None: no decision was open)."""
        mem = self.legitimacy.memory
        if share is None:
            self.reopen_rate *= 1.0 - mem
        else:
            self.reopen_rate = (1 - mem) * self.reopen_rate + mem * min(1.0, share * 12)

    def step(self, phase: Phase) -> None:
        """Measure the month's legitimacy."""
        m, d, lg = self.model, self.design, self.legitimacy
        part = m.participation
        taking_part = part.count()
        turnout_eligible = taking_part / max(m.n_eligible, 1)
        representativeness = part.observed_representativeness()
        efficacy = float(m.population.efficacy.mean())
        reach_now = legitimacy.reach(turnout_eligible, lg.turnout_reference) if taking_part else 0.0
        self.reach = max(reach_now, self.reach * (1 - lg.memory))
        inp = legitimacy.input_legitimacy(efficacy, self.reach, representativeness, lg.weight_efficacy)
        base = lg.transparency_baseline
        transparency = base + (1.0 - base) * self.feedback if d.active else base
        self.feedback *= 1 - lg.memory * lg.feedback_memory_share
        # no decision ever open: no record of stability (nothing is perfect by default)
        stability = 1.0 - self.reopen_rate if m.projects.rows else lg.without_record
        process_ran = d.active and (m.cycles.ran() or taking_part > 0)
        fairness = (legitimacy.process_fairness(representativeness, d.facilitation, lg.weight_representation,
                                                m.decision.equal_shares(), lg.equal_shares_fairness)
                    if process_ran else lg.fairness_without_process)
        thr = legitimacy.throughput_legitimacy(transparency, stability, fairness,
                                               (lg.weight_transparency, lg.weight_stability, lg.weight_fairness))
        kept = m.projects.promise_kept() if m.projects.due else lg.without_record
        out = legitimacy.output_legitimacy(kept, m.services.measure(), lg.weight_promise_kept)
        self.input, self.output, self.overall = legitimacy.combine(inp, thr, out, lg.process_spillover,
                                                                      lg.aggregation.name)
        self.throughput = thr
        council = m.council
        self.council_acceptance = float(np.clip(council.agg("trust_in_citizens", np.mean)
                                     * (1 - lg.council_fear_discount * council.agg("fear_self_interest", np.mean)),
                                     0, 1))
