"""Co-production of an ongoing service by the residents who take part, matched by professionals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.mechanisms import production
from sim.model.processes.base import Process, Result
from sim.model.processes.cycle import Phase

if TYPE_CHECKING:  # the model imports the processes
    from sim.model.model import CoproductionModel


class Coproduction(Process):
    """Residents co-produce their neighbourhood's service, a decision of its own.

    Every eligible resident who knows of the process (awareness) co-produces in a month with
    the probability of ``production.coproduction_probability`` (self-efficacy, gender, age, poor
    local services, taking part in the cycle); the expected hours, ``design.citizen_effort_hours *
    design.coproduction`` per co-producer, are summed per neighbourhood. Professionals match
    one staff hour per ``administration.volunteer_hours_per_staff_hour`` volunteer hours as far
    as ``administration.coproduction_capacity_share`` of the month's hours allows, and the two
    inputs combine as complements (Ostrom 1996). Co-producers work in the participate phase
    and, while a cycle runs and someone takes part, in its other months (not while
    participation pauses after an election).
    Owns: ``citizen_hours`` (volunteer hours over the run).
    """

    sections = ("design", "production", "administration", "citizens")

    results = (
        Result("citizen_hours", "hours", "Residents' hours of co-production so far.",
               lambda m: m.coproduction.citizen_hours, summary="total"),
    )

    citizen_hours: float  # volunteer hours over the run

    def __init__(self, model: CoproductionModel) -> None:
        super().__init__(model)
        self.citizen_hours = 0.0

    def active(self) -> bool:
        """Whether residents co-produce an ongoing service in this design."""
        d = self.design
        return d.coproduction > 0 and d.citizen_effort_hours > 0

    def step(self, phase: Phase) -> np.ndarray | None:
        """This month's co-production; returns the quality it adds per neighbourhood (or None)."""
        m, d = self.model, self.design
        if not self.active():
            return None
        if phase is not Phase.participate and not (d.active and m.participation.taking_part.any()
                                                     and phase is not Phase.paused):
            return None
        a, prod = self.administration, self.production
        pop = m.population
        k = len(m.services.quality)
        c = self.citizens
        need = 1.0 - m.services.quality[pop.neighbourhood]
        p = production.coproduction_probability(
            pop.conviction("efficacy"), pop.age >= 65, need, m.participation.taking_part,
            base=c.coproduction_base, w_efficacy=c.coproduction_weight_efficacy, w_older=c.coproduction_weight_older,
            w_need=c.coproduction_weight_need, w_engaged=c.coproduction_weight_engaged,
            woman=pop.woman, w_woman=c.coproduction_weight_women)
        # expected co-producers: aware, eligible residents times their probability
        weight = np.where(m.eligible, pop.awareness * p, 0.0)
        citizen = (np.bincount(pop.neighbourhood, weights=weight, minlength=k)
                   * d.citizen_effort_hours * d.coproduction)
        # Professionals match citizen effort (by default one staff hour supports four volunteer
        # hours) as far as free capacity allows: the complement of Ostrom (1996).
        wanted = citizen / a.volunteer_hours_per_staff_hour
        capacity = m.staff.capacity() * a.coproduction_capacity_share
        total = wanted.sum()
        professional = wanted if total <= capacity else wanted * (capacity / total)
        per_res = np.maximum(m.services.neighbourhood_population, 1)
        out = production.coproduced_output(professional / per_res, citizen / per_res, prod.complementarity)
        self.citizen_hours += float(citizen.sum())
        m.staff.spend("coproduction", float(professional.sum()))
        return prod.coproduction_quality * out
