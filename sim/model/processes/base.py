"""The base class of the model's processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class Process:
    """A part of the month: built from its config sections, owns its state, steps it.

    ``sections`` names the config sections the process reads; each is available as an
    attribute of the same name (``self.design``, ``self.citizens``, ...). ``reporters``
    returns the time-series columns the process measures, as DataCollector model reporters.
    """

    sections: ClassVar[tuple[str, ...]] = ()

    def __init__(self, model: Any) -> None:
        # model: the sim.model.model.CoproductionModel (typed loosely, so that this package does not
        # import sim.model.model, which imports it)
        self.model = model
        for name in self.sections:
            setattr(self, name, getattr(model.config, name))

    def reporters(self) -> dict[str, Callable[[Any], Any]]:
        """Time-series columns measured by this process: name -> function of the model."""
        return {}
