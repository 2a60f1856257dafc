"""Many runs: sweeps and what is made of them.

- ``sweep.py``: one job of a Hydra sweep, its runs fault tolerant and resumable;
- ``callbacks.py``: the sweep's progress bar and, at its end, ``collect.py``: the tidy tables and
  figures of a sweep folder;
- ``sensitivity.py`` (Morris, Sobol), ``calibration.py`` (Optuna), ``abc.py`` (ABC-SMC with
  pyabc), ``discovery.py`` (scenario discovery, PRIM): experiments over parameters;
- ``uncertainty.py``: designs compared over a calibration's posterior draws;
- ``structures.py``: the structural alternatives of the model's rules;
- ``answers.py``: verdicts, costs and who is left out, for policymakers.
"""
