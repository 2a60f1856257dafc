"""The month's event line, shared by the dashboard and the classroom: a round opens, proposals submitted,
screened (how many passed, how many were screened out), adopted, delivered, late, a decision reopened, the
election.

One rule for both apps: an event is a change between two months of the model's own time series
(the columns of ``sim.model.model.RESULTS``), so the line says what the charts show; how many proposals
passed the screening is the round's record (``CycleRecord.screened_in``, a column of the results' table of
rounds), read in the month of its decision (``screened_in``). Its words are ``classroom.engine.events.<kind>`` in
sim/locales (``{n}``: how many).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.model.mechanisms import elections
from sim.model.model import CoproductionModel

#: Counted events: (kind, the model's cumulative column), in the order the line lists them.
COUNTED = (("proposals_submitted", "proposals_submitted"), ("adopted", "proposals_adopted"),
           ("delivered", "proposals_implemented"), ("late", "projects_late"), ("reopened", "decisions_reopened"))
#: Every kind of event, in the order a month lists them: the screening's two counts (passed, screened out)
#: come after the proposals submitted and before those adopted.
KINDS = ("round_opens", "proposals_submitted", "screened", "screened_out",
         *(kind for kind, _ in COUNTED[1:]), "election")
#: The columns ``month_events`` reads.
COLUMNS = ("cycle", *(column for _, column in COUNTED))


def month_events(before: Mapping[str, Any], after: Mapping[str, Any], election: bool,
                 screened_in: int | None = None) -> list[tuple[str, int]]:
    """What happened between two months (``before``, ``after``: the model's columns, see ``COLUMNS``):
    ``(kind, n)`` in ``KINDS`` order.

    ``screened_in``: the proposals that passed the screening this month (:func:`screened_in`), None in a month
    without a decision. A month with a decision gives two events: ``screened`` with the proposals that passed
    and ``screened_out`` with the rest of the month's proposals (0 when all passed).
    """
    counted = {kind: round(float(after[column]) - float(before[column])) for kind, column in COUNTED}
    found: dict[str, int] = {kind: n for kind, n in counted.items() if n > 0}
    if after["cycle"] > before["cycle"]:
        found["round_opens"] = int(after["cycle"])
    if screened_in is not None:
        found["screened"] = screened_in
        found["screened_out"] = max(0, counted["proposals_submitted"] - screened_in)
    if election:
        found["election"] = 0
    return [(kind, found[kind]) for kind in KINDS if kind in found]


def screened_in(model: CoproductionModel) -> int | None:
    """The proposals that passed the screening in the month the model just ran (its round's record,
    ``CycleRecord.screened_in``); None in a month without a decision."""
    record = model.cycles.current
    if record is None or str(model.cycles.phase.value) != "decide" or not record.extra.get("decided"):
        return None
    return int(record.screened_in)


def latest_events(model: CoproductionModel) -> list[tuple[str, int]]:
    """What happened in the month the model just ran (from its DataCollector's last two rows)."""
    recorded = model.datacollector.model_vars
    if not recorded.get("cycle"):
        return []
    after = {c: recorded[c][-1] for c in COLUMNS}
    before = {c: recorded[c][-2] for c in COLUMNS} if len(recorded["cycle"]) > 1 else dict.fromkeys(COLUMNS, 0)
    s, c = model.config.scenario, model.config.council
    return month_events(before, after, elections.is_election(model.month, s.next_election_month, c.term_months),
                        screened_in(model))


__all__ = ["COLUMNS", "COUNTED", "KINDS", "latest_events", "month_events", "screened_in"]
