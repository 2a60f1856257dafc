"""What people use: the municipal report for policymakers (``report.py``) and the trainers'
dashboard (``dashboard/``). Both hold no model rules: they compose configs, run the model through
``sim.api`` and draw with ``sim.plots``; their words come from ``sim.texts``.
"""
