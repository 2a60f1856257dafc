"""The processes of one month, each a small class that owns its state and its step.

``CoproductionModel.step`` (sim/model/model.py) calls them in the order of docs/model.md 3.2:
elections, the participation cycle's calendar, information, participation, co-production, the
decision, projects (reopening and implementation), services, and legitimacy. Each process is
built from the config sections it names in ``sections``, writes only the state it owns (listed
in its docstring), moves residents' trust and efficacy only through ``model.signals``
(sim/model/signals.py) and spends staff time only through ``model.staff``
(sim/model/processes/staff.py). A process reads other processes' state but never calls their
steps: it returns what happened, and ``model.step`` passes it on.
"""

from sim.model.processes.base import Process

__all__ = ["Process"]
