"""sim/model/pages.py: huge pages off while a model is built, numpy's setting restored after."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import pages


@pytest.mark.parametrize("setting", [True, False])
def test_small_pages_switches_huge_pages_off_and_restores_numpys_setting(setting):
    switch = pages._SET_HUGEPAGE
    assert switch is not None  # the locked numpy has it
    original = switch(setting)
    try:
        with pages.small_pages():
            assert switch(False) is False  # off inside the block
            np.ones(1 << 20)  # arrays are made as usual
        assert switch(setting) is setting  # restored on leaving
        with pytest.raises(RuntimeError), pages.small_pages():
            raise RuntimeError("a failed build")
        assert switch(setting) is setting  # restored after an error too
    finally:
        switch(original)
