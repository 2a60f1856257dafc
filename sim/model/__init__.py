"""One run: the Mesa model (``model.py``), its agents, the residents' arrays and network, the
signals that move trust, the processes of a month (``processes/``) and the pure arithmetic of
each mechanism (``mechanisms/``).

The package's own namespace stays empty, so that importing one pure mechanism
(``sim.model.mechanisms.trust``) does not load Mesa.
"""
