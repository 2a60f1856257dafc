"""The Python API (sim/api.py) meets arguments nobody checked: each wrong one is a TypeError or a
ConfigError (a ValueError) naming the argument, the value and what is allowed, before any run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
import sim.api
from sim.config.keys import ConfigError

#: The real run, for the tests that must run one (every other stops before its first run).
REAL_RUN = sim.api.run_config
TINY = ["run.population_scale=0.05", "run.steps=6"]


def _no_run(*args, **kwargs):  # pragma: no cover - called only if a check let a wrong argument through
    raise AssertionError("a run started although an argument was wrong")


@pytest.fixture(autouse=True)
def _never_run(monkeypatch) -> None:
    """Every case must stop before its first run."""
    import sim.api

    monkeypatch.setattr(sim.api, "run_config", _no_run)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"designs": []}, ConfigError, "designs=[] is empty; allowed: a list of one or more design names"),
    ({"replicates": 0}, ConfigError, "replicates=0 is too small; allowed: a whole number from 1 to 10,000"),
    ({"replicates": -3}, ConfigError, "replicates=-3 is too small; allowed: a whole number from 1 to 10,000"),
    ({"replicates": 2.5}, TypeError, "replicates=2.5 (float) is not a whole number; allowed: a whole number from 1 "
                                     "to 10,000"),
    ({"replicates": "2"}, TypeError, "replicates='2' (str) is not a whole number"),
    ({"replicates": None}, TypeError, "replicates=None (NoneType) is not a whole number"),
    ({"replicates": True}, TypeError, "replicates=True (bool) is not a whole number"),
    ({"overrides": "a=b"}, TypeError, "overrides='a=b' is a single text; allowed: a list of texts 'key=value', "
                                      "e.g. ['a=b']"),
    ({"designs": "none"}, TypeError, "designs='none' is a single text; allowed: a list of design names"),
    ({"overrides": [1, 2]}, TypeError, "overrides[0]=1 (int) is not a text; allowed: a text 'key=value'"),
    ({"overrides": ["citizens.fear_mean"]}, ConfigError, "overrides[0]='citizens.fear_mean' is not key=value"),
    ({"scenario": 5}, TypeError, "scenario=5 (int) is not a text; allowed: a preset name"),
    ({"n_jobs": 0}, ConfigError, "n_jobs=0 is too small; allowed: a whole number from 1 to 1,024"),
    ({"measure": 5}, TypeError, "measure=5 (int) is not a function"),
    ({"designs": ["none", "none"]}, ConfigError, "designs=['none', 'none'] names 'none' twice; allowed: each "
                                                 "design once"),
    ({"designs": ["none", 3]}, TypeError, "designs[1]=3 (int) is not a text"),
    ({"designs": 5}, TypeError, "designs=5 (int) is not a list; allowed: a list of design names"),
    ({"overrides": {"a": "b"}}, TypeError, "overrides={'a': 'b'} (dict) is not a list; allowed: a list of texts "
                                           "'key=value'"),
    ({"designs": ["nope"]}, ConfigError, "design='nope' is not a preset (did you mean none?); allowed: one of "
                                         "citizens_panel"),
    ({"designs": ["../../../../tmp/evil"]}, ConfigError, "design='../../../../tmp/evil' is not a preset name"),
    ({"draws": -1}, ConfigError, "draws=-1 is too small; allowed: a whole number from 0 to 10,000"),
    ({"posterior": 3, "draws": 2}, TypeError, "posterior=3 (int) is not a path"),
    ({"seed": "0"}, TypeError, "seed='0' (str) is not a whole number"),
    # any integral type is a whole number (numpy's too), but a bool and a float are not, numpy's neither
    ({"replicates": np.float64(2.0)}, TypeError, "replicates=np.float64(2.0) (float64) is not a whole number"),
    ({"replicates": np.bool_(True)}, TypeError, "replicates=np.True_ (bool) is not a whole number"),
    ({"n_jobs": np.float32(1)}, TypeError, "n_jobs=np.float32(1.0) (float32) is not a whole number"),
    # counts have an upper bound (sim.api.MAX_*): 100000000 replicates was a MemoryError after minutes
    ({"replicates": 100_000_000}, ConfigError, "replicates=100000000 is too large; allowed: a whole number from 1 "
                                               "to 10,000"),
    ({"replicates": np.int64(10_001)}, ConfigError, "replicates=10001 is too large"),
    ({"draws": 10_001, "posterior": "p"}, ConfigError, "draws=10001 is too large; allowed: a whole number from 0 to "
                                                       "10,000"),
    ({"n_jobs": 1_025}, ConfigError, "n_jobs=1025 is too large; allowed: a whole number from 1 to 1,024"),
    ({"replicates": 10_000, "draws": 6, "posterior": "p"}, ConfigError,
     "2 designs x 6 draws x replicates=10000 are 120,000 runs; allowed: at most 100,000 runs in one comparison"),
    # an override of what compare sets from its own arguments was ignored (seed, replicate, design) or relabelled
    # every row (design.name=x: every row design='x')
    ({"overrides": [*TINY, "design.name=x"]}, ConfigError, "overrides[2]='design.name=x' sets design.name, which "
                                                           "compare sets from its argument designs; allowed: the "
                                                           "argument designs"),
    ({"overrides": ["design=coproduction"]}, ConfigError, "overrides[0]='design=coproduction' sets design, which "
                                                          "compare sets from its argument designs"),
    ({"overrides": ["seed=7"]}, ConfigError, "overrides[0]='seed=7' sets seed, which compare sets from its argument "
                                             "seed"),
    ({"overrides": ["+seed=7"]}, ConfigError, "overrides[0]='+seed=7' sets seed"),
    ({"overrides": ["replicate=7"]}, ConfigError, "overrides[0]='replicate=7' sets replicate, which compare sets "
                                                  "from its argument replicates"),
    # a frame posterior is checked as a posterior.parquet is; a value that is no path is shown on one line (a
    # frame's several lines were the whole message)
    ({"posterior": pd.DataFrame({"weight": [1.0], "citizens.novelty_decay": [50.0]}), "draws": 2}, ConfigError,
     "posterior=<DataFrame, 1 row>: the column 'citizens.novelty_decay' holds 50.0 in row 1; allowed: float in "
     "[0, 1]"),
    ({"posterior": pd.DataFrame({"weight": [1.0]})}, ConfigError, "posterior=<DataFrame, 1 row>, draws=0: a posterior "
                                                                  "comparison needs both"),
    ({"posterior": np.zeros((3, 3)), "draws": 2}, TypeError, "posterior=array([[0., 0...[0., 0., 0.]]) (ndarray) is "
                                                             "not a path; allowed: None, an ABC calibration's folder"),
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
    (lambda: sim.replicate_runs("geel", "none", 2, variant=[1, 2]), TypeError,
     "variant=[1, 2] (list) is not a single value; allowed: one text, number or True/False, the same in every row"),
    (lambda: sim.replicate_runs("geel", "none", 2, variant=pd.Series([1])), TypeError,
     "variant=0 1 dtype: int64 (Series) is not a single value"),
    (lambda: sim.replicate_runs("geel", "none", 2, each={"summary": len}), ConfigError,
     "each={'summary': ...} names a table replicate_runs returns itself; allowed: other names than summary, "
     "timeseries, groups"),
    (lambda: sim.replicate_runs("geel", "none", 2, overrides=["seed=7"]), ConfigError,
     "overrides[0]='seed=7' sets seed, which replicate_runs sets from its argument seed"),
    (lambda: sim.replicate_runs("geel", "none", 2, overrides=["design.name=x"]), ConfigError,
     "overrides[0]='design.name=x' sets design.name, which replicate_runs sets from its argument design"),
    (lambda: sim.replicate_runs("geel", "none", 10_001), ConfigError, "replicates=10001 is too large"),
    (lambda: sim.run("geel", seed=3, overrides=["seed=7"]), ConfigError,
     "overrides[0]='seed=7' sets seed, which run sets from its argument seed"),
    (lambda: sim.run("geel", "none", overrides=["design=consultation"]), ConfigError,
     "overrides[0]='design=consultation' sets design, which run sets from its argument design"),
])
def test_run_and_replicate_runs_name_the_wrong_argument(call, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message), str(info.value)


@pytest.mark.parametrize(("columns", "message"), [
    ({"turnout": 0.5}, "turnout=0.5 names a column replicate_runs fills itself (in summary, timeseries); allowed: "
                       "columns of other names, such as variant='...'"),
    ({"variant": "v", "replicate": 7}, "replicate=7 names a column replicate_runs fills itself (in summary, "
                                       "timeseries, groups)"),
    ({"population": 10}, "population=10 names a column replicate_runs fills itself (in summary, groups)"),
    ({"root_seed": 1}, "root_seed=1 names a column replicate_runs fills itself (in summary)"),
    ({"step": 3}, "step=3 names a column replicate_runs fills itself (in timeseries, groups)"),
    ({"group": "x"}, "group='x' names a column replicate_runs fills itself (in groups)"),
    ({"legitimacy": pd.DataFrame({"a": [1, 2]})}, "legitimacy=a 0 1 1 2 names a column replicate_runs fills itself "
                                                  "(in summary, timeseries)"),
])
def test_replicate_runs_refuses_a_column_it_fills(columns: dict, message: str) -> None:
    """An extra column of replicate_runs with the name of one of its tables' columns replaced that column in every
    row (turnout=0.5: every run's turnout 0.5; replicate=7: every replicate 7): refused before any run."""
    with pytest.raises(ConfigError) as info:
        sim.replicate_runs("kampenhout", "participatory_budget", 2, 0, TINY, **columns)
    assert str(info.value) == message or str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)


def test_the_columns_replicate_runs_refuses_are_its_tables(monkeypatch) -> None:
    """The columns replicate_runs knows before any run (sim.api._filled_columns) are those of its tables."""
    monkeypatch.setattr(sim.api, "run_config", REAL_RUN)
    out = sim.replicate_runs("kampenhout", "participatory_budget", 1, 0, TINY, variant="v")
    for table, names in sim.api._filled_columns().items():
        assert set(out[table].columns) == names | {"variant"}, table


@pytest.mark.parametrize(("args", "error", "message"), [
    ((None, 2), TypeError, "root_seed=None (NoneType) is not a whole number; allowed: a whole number from 0 to "
                           "4,294,967,295"),
    ((-1, 2), ConfigError, "root_seed=-1 is too small; allowed: a whole number from 0 to 4,294,967,295"),
    ((2**32, 2), ConfigError, "root_seed=4294967296 is too large; allowed: a whole number from 0 to 4,294,967,295"),
    (("7", 2), TypeError, "root_seed='7' (str) is not a whole number"),
    ((1.5, 2), TypeError, "root_seed=1.5 (float) is not a whole number"),
    ((True, 2), TypeError, "root_seed=True (bool) is not a whole number"),
    ((0, "3"), TypeError, "replicates='3' (str) is not a whole number; allowed: a whole number from 0 to 10,000"),
    ((0, -2), ConfigError, "replicates=-2 is too small; allowed: a whole number from 0 to 10,000"),
    ((0, 2.0), TypeError, "replicates=2.0 (float) is not a whole number"),
    ((0, 10_001), ConfigError, "replicates=10001 is too large; allowed: a whole number from 0 to 10,000"),
])
def test_replicate_seeds_names_the_wrong_argument(args: tuple, error: type, message: str) -> None:
    """replicate_seeds checks a seed and a count as the rest of the API does (root_seed=None gave random seeds that
    changed with every call, -1 numpy's ValueError, '7' a bare TypeError, replicates=-2 an empty list)."""
    with pytest.raises(error) as info:
        sim.replicate_seeds(*args)
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)


def test_replicate_seeds_take_numpy_integers() -> None:
    assert sim.replicate_seeds(np.int64(7), np.uint32(3)) == sim.replicate_seeds(7, 3)
    assert sim.replicate_seeds(2**32 - 1, 0) == []


class _Started(Exception):
    """Raised by the first run: every check passed."""


def _first_run(monkeypatch) -> list:
    """The configs of the runs started (the first run stops the call with _Started)."""
    ran: list = []

    def start(config, **kwargs):
        ran.append(config)
        raise _Started

    monkeypatch.setattr(sim.api, "run_config", start)
    return ran


@pytest.mark.parametrize("ints", [(np.int64(2), np.int64(3), np.int64(1)), (np.int32(2), np.uint64(3), np.int32(1)),
                                  (np.uint64(2), np.int32(3), np.uint64(1))])
def test_numpy_integers_are_whole_numbers(monkeypatch, ints: tuple) -> None:
    """np.int64, np.int32 and np.uint64 (a notebook's arange or a frame's column) are whole numbers: compare runs
    what plain ints run (they were refused as 'not a whole number')."""
    ran = _first_run(monkeypatch)
    with pytest.raises(_Started):
        sim.compare("kampenhout", ["none", "ideas_platform"], replicates=2, seed=3, overrides=TINY)
    replicates, seed, n_jobs = ints
    with pytest.raises(_Started):
        sim.compare("kampenhout", ["none", "ideas_platform"], replicates=replicates, seed=seed, overrides=TINY,
                    n_jobs=n_jobs)
    assert ran[1] == ran[0] and type(ran[1].seed) is int


def test_run_and_replicate_runs_take_numpy_integers(monkeypatch) -> None:
    ran = _first_run(monkeypatch)
    with pytest.raises(_Started):
        sim.run("kampenhout", "none", seed=np.int64(3), overrides=TINY)
    assert ran[-1].seed == 3
    with pytest.raises(_Started):
        sim.replicate_runs("kampenhout", "none", np.int64(2), seed=np.uint64(4), overrides=TINY)
    assert ran[-1].seed == 4 and ran[-1].replicate == 0


@pytest.mark.parametrize(("measure", "message"), [
    (lambda r: None, "returned None (NoneType); allowed: a dict of extra columns, {name (a text): value}"),
    (lambda r: 0.5, "returned 0.5 (float); allowed: a dict of extra columns"),
    (lambda r: [1, 2], "returned [1, 2] (list); allowed: a dict of extra columns"),
    (lambda r: {1: 2.0}, "returned {1: 2.0}, whose key 1 is not a text; allowed: a dict of extra columns"),
])
def test_a_measure_that_returns_no_columns_is_named_at_the_first_run(monkeypatch, measure, message: str) -> None:
    """What measure returns is checked at the first run: a TypeError naming measure and what it returned (it was
    a bare "'NoneType' object is not iterable")."""
    ran = []
    monkeypatch.setattr(sim.api, "run_config", lambda config, **kw: ran.append(config) or REAL_RUN(config, **kw))
    with pytest.raises(TypeError) as info:
        sim.compare("kampenhout", ["none"], replicates=3, overrides=TINY, measure=measure)
    assert str(info.value).startswith("measure=") and message in str(info.value), str(info.value)
    assert "\n" not in str(info.value) and len(ran) == 1


def test_a_measure_that_returns_a_dict_adds_its_columns(monkeypatch) -> None:
    monkeypatch.setattr(sim.api, "run_config", REAL_RUN)
    runs = sim.compare("kampenhout", ["none"], replicates=1, overrides=TINY, measure=_extra)
    assert isinstance(runs, pd.DataFrame) and runs["extra"].tolist() == ["x"]


def _extra(result) -> dict:
    return {"extra": "x"}


def test_the_command_lines_bounds_are_the_apis() -> None:
    """The report's keys allow what sim.compare allows (the same documented bounds)."""
    from sim.__main__ import COMMANDS

    keys = {k.name: k for k in COMMANDS["report"].keys}
    assert keys["replicates"].most == sim.api.MAX_REPLICATES and keys["draws"].most == sim.api.MAX_DRAWS
    assert keys["jobs"].most == sim.api.MAX_JOBS


def test_replicate_runs_without_a_design_takes_one_from_the_overrides(monkeypatch) -> None:
    """With design=None the overrides may choose the design (as before the own keys were refused); no run is made."""
    import sim.api as api

    seen = []

    def stop(config, **kwargs):
        seen.append(config.design.name)
        raise RuntimeError("stop")

    monkeypatch.setattr(api, "run_config", stop)
    with pytest.raises(RuntimeError, match="stop"):
        sim.replicate_runs("geel", None, 1, 0, ["design=coproduction", "run.steps=3"])
    assert seen == ["coproduction"]


def test_compare_takes_a_posterior_frame(monkeypatch) -> None:
    """A frame (load_posterior's, or a posterior.parquet's particles) is a posterior compare draws from, after the
    checks a file meets (it was a TypeError holding the whole frame)."""
    ran = _first_run(monkeypatch)
    frame = pd.DataFrame({"citizens.novelty_decay": [0.25, 0.75], "weight": [1.0, 0.0]})
    with pytest.raises(_Started):
        sim.compare("kampenhout", ["none"], replicates=1, overrides=TINY, posterior=frame, draws=2)
    assert ran[0].citizens.novelty_decay == 0.25
    # seed=None: the config's seed (0) draws the parameter sets, as it seeds the runs (it was int(None)'s TypeError)
    with pytest.raises(_Started):
        sim.compare("kampenhout", ["none"], replicates=1, seed=None, overrides=TINY, posterior=frame, draws=2)
    assert ran[1] == ran[0]


def test_an_override_of_a_drawn_key_names_the_override(tmp_path) -> None:
    """compare(overrides=[..., 'citizens.novelty_decay=0.5'], posterior=...) said only "citizens.novelty_decay is
    drawn from the posterior; do not override it" (no overrides[i], no allowed:)."""
    path = tmp_path / "posterior.parquet"
    pd.DataFrame({"generation": [0], "weight": [1.0], "citizens.novelty_decay": [0.4]}).to_parquet(path)
    with pytest.raises(ConfigError) as caught:
        sim.compare("kampenhout", ["none"], replicates=1, overrides=[*TINY, "citizens.novelty_decay=0.5"],
                    posterior=path, draws=1)
    assert str(caught.value) == ("overrides[2]='citizens.novelty_decay=0.5': citizens.novelty_decay is drawn from the "
                                 "posterior; allowed: overrides of the keys it does not draw (without posterior=, any "
                                 "key)")
