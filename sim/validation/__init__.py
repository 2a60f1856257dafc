"""Real data and validation: the model held to published patterns and to real ballots.

- ``patterns.py``: the catalogue of patterns (what, source, target, calibration or validation);
- ``run.py``: evaluating them over replicate seeds, and the model's ballots;
- ``report.py``: writing ``docs/validation/`` (report, figures, tables);
- ``pabulib.py``: real participatory-budgeting rounds (pabulib files) read and replayed;
- ``real_ballots.py``: the ballot parameters estimated from them, and the model's ballots beside them.
"""
