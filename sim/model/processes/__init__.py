"""The processes of one month, each a small class that owns its state and its step.

``CoproductionModel.step`` (sim/model/model.py) calls them in the order of docs/model.md 3.2:
the budget year, elections, the participation cycle's calendar, information, participation,
co-production, the decision, the council's own projects, projects (reopening and
implementation), services, memory, and the month's survey of perceptions. Each process is built
from the config sections it names in ``sections``, writes only the state it owns (listed in its
docstring), moves residents' perceptions and fear only through ``model.signals``
(sim/model/signals.py), spends staff time only through ``model.staff``
(sim/model/processes/staff.py) and project money only through ``model.budget``
(sim/model/processes/budget.py).
"""

from sim.model.processes.base import Process

__all__ = ["Process"]
