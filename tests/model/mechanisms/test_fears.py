"""Tests of sim/model/mechanisms/fears.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import fears
from tests.helpers import arr


class TestFears:
    def test_learn_failure(self):
        # 3 successes, 1 failure: evidence 0.25; 0.4 + 0.1 * (4 / 5) * (0.25 - 0.4) = 0.388
        assert fears.learn_failure(0.4, 3, 1, 0.1) == pytest.approx(0.388)
        # more than 5 outcomes weigh as 5: 0.4 + 0.1 * 1 * (1 - 0.4) = 0.46
        assert fears.learn_failure(0.4, 0, 10, 0.1) == pytest.approx(0.46)
        # nothing happened: unchanged
        assert fears.learn_failure(0.4, 0, 0, 0.1) == 0.4

    def test_self_interest_evidence(self):
        # 0.5 * (1 - 0.8) + 0.5 * (1 - 0.6) = 0.3
        assert fears.self_interest_evidence(0.8, 0.6) == pytest.approx(0.3)
        assert fears.self_interest_evidence(1.0, 1.0) == 0.0
        assert fears.self_interest_evidence(0.0, 0.0) == 1.0

    def test_learn_toward_and_by_doing(self):
        assert fears.learn_toward(0.5, 1.0, 0.1) == pytest.approx(0.55)  # 0.5 + 0.1 * 0.5
        assert fears.learn_toward(0.5, 0.0, 0.1) == pytest.approx(0.45)
        assert fears.learn_by_doing(0.4, 0.1) == pytest.approx(0.38)  # 0.4 * (1 - 0.05)

    def test_citizens_wasted_effort(self):
        # ignored (-1): 0.5 + 0.2 * 1 * 0.5 = 0.6 ; heard (+1): 0.5 - 0.2 * 1 * 0.5 = 0.4
        out = fears.citizens_wasted_effort(arr(0.5, 0.5, 0.5), arr(-1, 1, 0), 0.2)
        assert_allclose(out, [0.6, 0.4, 0.5])
