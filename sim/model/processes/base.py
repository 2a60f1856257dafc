"""The base class of the model's processes, and the declaration of a result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from sim.config.schema import (
    AdministrationConfig,
    CitizensConfig,
    CouncilConfig,
    DesignConfig,
    PerceptionsConfig,
    ProductionConfig,
    ProposalsConfig,
    RunConfig,
    ScenarioConfig,
)

if TYPE_CHECKING:  # the model imports the processes: only the type checker imports it here
    from sim.model.model import CoproductionModel


@dataclass(frozen=True)
class Result:
    """One result of the model: a column of the time series, declared once by the part that measures it.

    ``name`` is the column's name; the words users read for it (its label with the unit, and an
    explanation) are in every language's file, ``sim/locales/<lang>.yaml`` under ``columns``, keyed by
    this name. ``unit`` and ``doc`` (what it measures, one English sentence) say what the number is.
    ``measure`` gives this month's value from the model. ``summary`` says what the run's summary
    keeps of it: ``"final"`` its value in the last month, ``"total"`` its value in the last month as
    a total over the run (counts and hours that only grow), ``""`` nothing (the summary measures
    turnout, representativeness and the general-interest share per cycle instead).

    The time series is every declared result, in the order of ``sim.model.model.RESULTS``; the
    summary's final states and totals follow from ``summary`` (sim/results.py).
    """

    name: str
    unit: str
    doc: str
    measure: Callable[[CoproductionModel], Any]
    summary: Literal["final", "total", ""] = ""


class Process:
    """A part of the month: built from its config sections, owns its state, steps it.

    ``sections`` names the config sections the process reads; each is available as an
    attribute of the same name (``self.design``, ``self.citizens``, ...). ``results`` declares the
    time-series columns the process measures (:class:`Result`).
    """

    sections: ClassVar[tuple[str, ...]] = ()
    results: ClassVar[tuple[Result, ...]] = ()

    # The config sections a process may read, typed; only those it names in ``sections`` are set.
    scenario: ScenarioConfig
    design: DesignConfig
    citizens: CitizensConfig
    administration: AdministrationConfig
    council: CouncilConfig
    proposals: ProposalsConfig
    production: ProductionConfig
    perceptions: PerceptionsConfig
    run: RunConfig

    def __init__(self, model: CoproductionModel) -> None:
        self.model = model
        for name in self.sections:
            setattr(self, name, getattr(model.config, name))
