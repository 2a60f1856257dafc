"""Inform, then involve: the campaign, word of mouth, and what residents know of the process."""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms import information
from sim.model.mechanisms.numbers import clip
from sim.model.processes.base import Process, Result
from sim.model.processes.cycle import Phase


class Information(Process):
    """News of the process reaches residents through the campaign and their ties.

    In the inform and participate phases the campaign runs at the design's intensity (scaled
    down by a fearful administration, up by the inspirator); between the cycles of a
    permanent design the continuous factor keeps the process visible. Those reached become
    aware and lose part of their fear of complexity; in the inform phase the inspirator also
    raises their efficacy (a signal). Owns: ``population.awareness`` and the fear of
    complexity lowered by information (``population.fear``, together with the signals).
    """

    sections = ("design", "citizens", "administration")

    results = (
        Result("awareness_citizens", "share", "Residents' mean awareness of the participation process.",
               lambda m: float(m.population.awareness.mean()), summary="final"),
    )

    def step(self, phase: Phase) -> None:
        """One month of information; books the inspirator's hours."""
        m, d, a, c = self.model, self.design, self.administration, self.citizens
        pop = m.population
        fear_cx = m.administration.agg("fear_complexity", np.mean)
        willingness = 1.0 - a.campaign_fear_damping * fear_cx  # a fearful administration scales campaigns down
        campaign, hours = 0.0, 0.0
        if d.active and phase in (Phase.inform, Phase.participate):
            intensity = d.inform_intensity if phase is Phase.inform else d.participate_intensity * d.inform_intensity
            campaign = clip(intensity * willingness + a.inspirator_reach * a.role_inspirator, 0.0, 1.0)
            hours = a.role_inspirator * a.inspiring_hours * pop.size / 1000.0
        elif d.active and d.permanent and phase is Phase.idle:
            # the continuous factor keeps the process visible between cycles
            campaign = a.continuity_visibility * a.role_continuity
        anyone = bool(m.participation.taking_part.any())
        letters = d.personal_invitation and phase is Phase.participate and m.cycles.first_month_of(phase)
        if campaign == 0 and not anyone and not letters and not (d.active and phase is Phase.inform):
            # news reaches nobody (no campaign, no letter, nobody's ties take part): awareness only fades,
            # as the general rule below has it for a reach of 0
            pop.awareness = information.fade_awareness(pop.awareness, c.awareness_decay)
        else:
            self._reach(campaign, anyone, bool(letters), phase)
        m.staff.spend("informing", hours)

    def _reach(self, campaign: float, anyone: bool, letters: bool, phase: Phase) -> None:
        """News reaches residents through the campaign (``campaign``: its monthly intensity), the ties who take part
        (``anyone``: whether anybody does) and, this month, a letter to every eligible resident (``letters``)."""
        m, d, a, c = self.model, self.design, self.administration, self.citizens
        pop = m.population
        peer = m.participation.peer_share()  # word of mouth: the share of one's ties taking part
        reached = information.reach_probability(campaign, c.information_reach, peer, c.word_of_mouth)
        if letters:
            # a letter (with a voting code) to every eligible resident, read by a share of them
            reached = np.where(m.eligible, 1.0 - (1.0 - reached) * (1.0 - c.letter_reach), reached)
        pop.awareness = information.update_awareness(pop.awareness, reached, c.awareness_decay)
        if campaign > 0 or anyone:
            # Informing about the process and the budget lowers fear of complexity.
            pop.fear = information.reduce_fear(pop.fear, reached, c.fear_information_effect)
        if d.active and phase is Phase.inform:
            m.signals.send(m.signals.inspiration(reached, a.role_inspirator))

    def fade(self, kept: float) -> None:
        """Residents keep only the share ``kept`` of what they knew of the process (after an election)."""
        self.model.population.awareness *= kept
