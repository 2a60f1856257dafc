"""The Python API (sim/api.py) meets arguments nobody checked: each wrong one is a TypeError or a
ConfigError (a ValueError) naming the argument, the value and what is allowed, before any run."""

from __future__ import annotations

import pytest

import sim
from sim.config.keys import ConfigError


def _no_run(*args, **kwargs):  # pragma: no cover - called only if a check let a wrong argument through
    raise AssertionError("a run started although an argument was wrong")


@pytest.fixture(autouse=True)
def _never_run(monkeypatch) -> None:
    """Every case must stop before its first run."""
    import sim.api

    monkeypatch.setattr(sim.api, "run_config", _no_run)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"designs": []}, ConfigError, "designs=[] is empty; allowed: a list of one or more design names"),
    ({"replicates": 0}, ConfigError, "replicates=0 is too small; allowed: a whole number >= 1"),
    ({"replicates": -3}, ConfigError, "replicates=-3 is too small; allowed: a whole number >= 1"),
    ({"replicates": 2.5}, TypeError, "replicates=2.5 (float) is not a whole number; allowed: a whole number >= 1"),
    ({"replicates": "2"}, TypeError, "replicates='2' (str) is not a whole number"),
    ({"replicates": None}, TypeError, "replicates=None (NoneType) is not a whole number"),
    ({"replicates": True}, TypeError, "replicates=True (bool) is not a whole number"),
    ({"overrides": "a=b"}, TypeError, "overrides='a=b' is a single text; allowed: a list of texts 'key=value', "
                                      "e.g. ['a=b']"),
    ({"designs": "none"}, TypeError, "designs='none' is a single text; allowed: a list of design names"),
    ({"overrides": [1, 2]}, TypeError, "overrides[0]=1 (int) is not a text; allowed: a text 'key=value'"),
    ({"overrides": ["citizens.fear_mean"]}, ConfigError, "overrides[0]='citizens.fear_mean' is not key=value"),
    ({"scenario": 5}, TypeError, "scenario=5 (int) is not a text; allowed: a preset name"),
    ({"n_jobs": 0}, ConfigError, "n_jobs=0 is too small; allowed: a whole number >= 1"),
    ({"measure": 5}, TypeError, "measure=5 (int) is not a function"),
    ({"designs": ["none", "none"]}, ConfigError, "designs=['none', 'none'] names 'none' twice; allowed: each "
                                                 "design once"),
    ({"designs": ["none", 3]}, TypeError, "designs[1]=3 (int) is not a text"),
    ({"designs": 5}, TypeError, "designs=5 (int) is not a list; allowed: a list of design names"),
    ({"overrides": {"a": "b"}}, TypeError, "overrides={'a': 'b'} (dict) is not a list; allowed: a list of texts "
                                           "'key=value'"),
    ({"designs": ["nope"]}, ConfigError, "design='nope' is not a preset; allowed: one of citizens_panel"),
    ({"designs": ["../../../../tmp/evil"]}, ConfigError, "design='../../../../tmp/evil' is not a preset name"),
    ({"draws": -1}, ConfigError, "draws=-1 is too small; allowed: a whole number >= 0"),
    ({"posterior": 3, "draws": 2}, TypeError, "posterior=3 (int) is not a path"),
    ({"seed": "0"}, TypeError, "seed='0' (str) is not a whole number"),
])
def test_compare_names_the_wrong_argument(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        sim.compare(**kwargs)
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: sim.run(overrides="citizens.fear_mean=0.6"), TypeError, "overrides='citizens.fear_mean=0.6' is a single"),
    (lambda: sim.run(scenario=["geel"]), TypeError, "scenario=['geel'] (list) is not a text"),
    (lambda: sim.run(design="../scenario/geel"), ConfigError, "design='../scenario/geel' is not a preset name"),
    (lambda: sim.run(seed=1.5), TypeError, "seed=1.5 (float) is not a whole number"),
    (lambda: sim.replicate_runs("geel", "none", replicates=0), ConfigError, "replicates=0 is too small"),
    (lambda: sim.replicate_runs("geel", "none", replicates="3"), TypeError, "replicates='3' (str)"),
    (lambda: sim.replicate_runs("geel", "none", 2, each={"x": 5}), TypeError, "each={'x': 5} is not a mapping"),
])
def test_run_and_replicate_runs_name_the_wrong_argument(call, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message), str(info.value)
