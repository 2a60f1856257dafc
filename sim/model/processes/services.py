"""Delivered service quality per neighbourhood: regular services, projects, co-production."""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms import priorities, production
from sim.model.processes.base import Process, Result


class Services(Process):
    """Quality of local public goods per neighbourhood, month by month (Ostrom 1996).

    Quality decays and regular services maintain it; a delivered project adds quality in
    proportion to its cost per resident of its neighbourhood, its professional input (the
    administration's expertise) combined with the residents' share of the work as
    complements; ongoing co-production adds what ``model.coproduction`` produced. Regular
    maintenance is set so that, with the project money spent on the council's own priorities,
    each neighbourhood keeps its initial quality on average (``priorities.maintenance``): without
    participation, services stay as residents know them today. Residents notice the change in
    their neighbourhood (a signal).
    Owns: ``quality`` and ``maintenance`` (per neighbourhood), ``neighbourhood_population``.
    """

    results = (
        Result("service_quality", "index 0-1", "Delivered service quality, the population-weighted mean over "
               "the neighbourhoods.", lambda m: m.services.measure(), summary="final"),
        Result("service_quality_equity", "index 0-1", "Equity of service quality over the neighbourhoods "
               "(1 - Gini).", lambda m: production.equity(m.services.quality, m.services.neighbourhood_population),
               summary="final"),
    )

    neighbourhood_population: np.ndarray  # residents per neighbourhood
    quality: np.ndarray  # per neighbourhood, in [0, 1]
    maintenance: np.ndarray  # quality regular services add per month, per neighbourhood


    sections = ("scenario", "production")

    def __init__(self, model) -> None:
        super().__init__(model)
        s = self.scenario
        k = len(s.neighbourhoods)
        self.neighbourhood_population = np.bincount(model.population.neighbourhood, minlength=k)
        spread = model.rng.normal(0.0, s.service_quality_spread, k)
        self.quality = np.clip(s.service_quality_initial + spread, 0.0, 1.0)
        self.maintenance = priorities.maintenance(self.quality, self.production.decay,
                                                  model.budget.project_quality_per_month())

    def step(self, deliveries: list, coproduced: np.ndarray | None) -> None:
        """Update quality with this month's deliveries and co-production; residents notice the change."""
        m, prod = self.model, self.production
        added = np.zeros(len(self.quality))
        if deliveries:
            # professional input of this month's deliveries: the administration's expertise
            professional = np.array([m.administration.agg("expertise", np.mean)])
            for p in deliveries:
                # Professional input (expertise) and citizens' share of the work combine.
                quality = production.coproduced_output(professional, np.array([p.coproduced]),
                                                       prod.complementarity)[0]
                added[p.neighbourhood] += (prod.project_quality * quality * p.cost
                                           / max(self.neighbourhood_population[p.neighbourhood], 1))
        if coproduced is not None:
            added += coproduced
        before = self.quality
        self.quality = production.update_quality(self.quality, prod.decay, self.maintenance, added)
        # Residents notice better or worse services in their neighbourhood.
        m.signals.send(m.signals.services(self.quality - before))

    def measure(self) -> float:
        """Population-weighted mean quality over the neighbourhoods."""
        return float(np.average(self.quality, weights=np.maximum(self.neighbourhood_population, 1)))
