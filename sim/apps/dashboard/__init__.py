"""The trainers' dashboard: a live municipality for a room of civil servants, in Dutch or English.

- ``app.py``: the page (``Page``, ``Layout``: ``solara run sim.apps.dashboard.app``), its tabs and controls;
- ``state.py``: the page's reactive state, building the run, stepping and the play loop;
- ``levers.py``: the inputs (sliders, switches, choices), the lessons' presets and ``DashboardModel``;
- ``views.py``: the views of the tabs (live charts, who takes part, network, numbers, help);
- ``compare.py``: two designs side by side and the matched comparison of their participants;
- ``live_chart.py``: the charts that are built once and updated in place every month.
"""
