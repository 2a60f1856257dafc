"""The month's event line, shared by the dashboard and the classroom: a round opens, proposals submitted,
screened, adopted, delivered, late, a decision reopened, the election.

One rule for both apps: an event is a change between two months of the model's own time series
(the columns of ``sim.model.model.RESULTS``), so the line says what the charts show. Its words are
``classroom.engine.events.<kind>`` in sim/locales (``{n}``: how many).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.model.mechanisms import elections
from sim.model.model import CoproductionModel

#: Counted events: (kind, the model's cumulative column), in the order the line lists them.
COUNTED = (("proposals_submitted", "proposals_submitted"), ("adopted", "proposals_adopted"),
           ("delivered", "proposals_implemented"), ("late", "projects_late"), ("reopened", "decisions_reopened"))
#: Every kind of event, in the order a month lists them.
KINDS = ("round_opens", "screened", *(kind for kind, _ in COUNTED), "election")
#: The columns ``month_events`` reads.
COLUMNS = ("cycle", "phase", *(column for _, column in COUNTED))


def month_events(before: Mapping[str, Any], after: Mapping[str, Any], election: bool) -> list[tuple[str, int]]:
    """What happened between two months (``before``, ``after``: the model's columns, see ``COLUMNS``; a missing
    ``phase`` gives no screening event): ``(kind, n)`` in ``KINDS`` order."""
    out: list[tuple[str, int]] = []
    if after["cycle"] > before["cycle"]:
        out.append(("round_opens", int(after["cycle"])))
    if "phase" in after and str(after["phase"]) == "decide" and str(before.get("phase")) != "decide":
        out.append(("screened", 0))
    for kind, column in COUNTED:
        n = round(float(after[column]) - float(before[column]))
        if n > 0:
            out.append((kind, n))
    if election:
        out.append(("election", 0))
    return out


def latest_events(model: CoproductionModel) -> list[tuple[str, int]]:
    """What happened in the month the model just ran (from its DataCollector's last two rows)."""
    recorded = model.datacollector.model_vars
    if not recorded.get("cycle"):
        return []
    after = {c: recorded[c][-1] for c in COLUMNS}
    before = ({c: recorded[c][-2] for c in COLUMNS} if len(recorded["cycle"]) > 1
              else {**dict.fromkeys(COLUMNS, 0), "phase": "idle"})
    s, c = model.config.scenario, model.config.council
    return month_events(before, after, elections.is_election(model.month, s.next_election_month, c.term_months))


__all__ = ["COLUMNS", "COUNTED", "KINDS", "latest_events", "month_events"]
