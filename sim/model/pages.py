"""Small memory pages while a large model is built.

numpy asks the kernel for transparent huge pages (madvise) for every array of 4 MB and more. Building a
model of a million residents fills a few hundred such arrays once each (the population's traits, the
network's ties and their sorting), and on the virtual machines this project is benchmarked on the kernel
takes far longer to hand out and zero huge pages than small ones: kernel time of building the one-million
model 0.9 s with huge pages against 0.3 s without (benchmarks/results/speed_profile.md). The months, which
reuse their arrays, show no difference, so huge pages are switched off only while the model is built and
numpy's setting is restored afterwards. Nothing computed depends on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

#: numpy's switch (numpy >= 1.20; not public API, so its absence only leaves numpy's setting alone)
_SET_HUGEPAGE = getattr(getattr(np, "_core", None), "multiarray", None)
_SET_HUGEPAGE = getattr(_SET_HUGEPAGE, "_set_madvise_hugepage", None)


@contextmanager
def small_pages() -> Iterator[None]:
    """Within the block, numpy does not ask for huge pages; its previous setting is restored after it."""
    if _SET_HUGEPAGE is None:
        yield
        return
    previous = _SET_HUGEPAGE(False)
    try:
        yield
    finally:
        _SET_HUGEPAGE(previous)
