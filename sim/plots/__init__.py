"""The figures, shared by the command line's outputs, notebooks, the report and experiments.

- ``style.py``: what every figure shares: one colour per design, number formats (decimal commas
  in Dutch), words from ``sim.texts``, the title line, phase and election markers, legends that
  never cover the data, 95 % t-intervals, ``save`` (PNG and SVG);
- ``run.py``: the figures of one run (or of replicates of one condition): turnout, trust,
  legitimacy, service quality, fears, proposals, who takes part, neighbourhoods, the network;
- ``compare.py``: the figures that compare conditions: designs side by side, trade-offs,
  responses to a parameter, sensitivity indices, gains per neighbourhood.

Every figure is a function of tidy tables (or of a model) that returns a matplotlib Figure.
The names below are the public ones of the three modules, so that ``sim.plots.turnout(ts)``
reads as it always has. The dashboard's live charts are in ``sim.apps.dashboard.live_chart``.
"""

from sim.plots.compare import (
    conditions,
    conditions_over_time,
    design_comparison,
    interval_table,
    neighbourhood_gains,
    response,
    sensitivity,
    timeline,
    tradeoff,
)
from sim.plots.run import (
    composition,
    fears,
    legitimacy,
    neighbourhood_frame,
    neighbourhoods,
    network,
    network_sample,
    outcomes_panel,
    proposals,
    service_quality,
    standard_figures,
    trust,
    turnout,
)
from sim.plots.style import (
    BOOTSTRAP_RESAMPLES,
    COSTS,
    DESIGN_COLORS,
    DESIGNS,
    KEY_OUTCOMES,
    MARKER_COLORS,
    OTHER_COLORS,
    PERCENT,
    PERCEPTIONS,
    DecimalComma,
    NumberFormatter,
    bootstrap_interval,
    column_name,
    context,
    election_months,
    label,
    legend_below,
    legend_right,
    mark_phases,
    palette,
    save,
    t_interval,
)

__all__ = [
    "BOOTSTRAP_RESAMPLES", "COSTS", "DESIGNS", "DESIGN_COLORS", "KEY_OUTCOMES", "MARKER_COLORS", "OTHER_COLORS",
    "PERCENT", "PERCEPTIONS",
    "DecimalComma", "NumberFormatter", "bootstrap_interval", "column_name",
    "composition", "conditions", "conditions_over_time", "context", "design_comparison", "election_months", "fears",
    "interval_table", "label", "legend_below", "legend_right", "legitimacy", "mark_phases", "neighbourhood_frame",
    "neighbourhood_gains", "neighbourhoods", "network", "network_sample", "outcomes_panel", "palette", "proposals",
    "response", "save", "sensitivity", "service_quality", "standard_figures", "t_interval", "timeline", "tradeoff",
    "trust", "turnout",
]
