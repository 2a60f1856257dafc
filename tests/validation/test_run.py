"""The validation report: its rules (targets, intervals, counts) and a quick run of its subset."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.__main__ import command
from sim.validation import patterns, report
from sim.validation import run as validation_run


def test_range_holds_on_the_mean_and_direction_on_the_whole_interval():
    assert patterns.Target.range(0.1, 0.2).holds(0.15, 0.0, 0.3)        # interval may leave the range
    assert not patterns.Target.range(0.1, 0.2).holds(0.25, 0.15, 0.35)
    assert patterns.Target.above(0.0).holds(0.5, 0.01, 0.9)
    assert not patterns.Target.above(0.0).holds(0.5, -0.01, 0.9)        # mean above, interval touches 0
    assert patterns.Target.below(1.0).holds(0.5, 0.2, 0.99)
    assert not patterns.Target.below(1.0).holds(0.5, 0.2, 1.0)
    assert not patterns.Target.range(0.0, 1.0).holds(math.nan, math.nan, math.nan)


def test_interval_is_the_t_interval_of_the_mean():
    mean, low, high = validation_run.interval(np.array([1.0, 2.0, 3.0]))
    # sd 1, n 3, t(0.975, 2) = 4.303: half width 4.303 / sqrt(3) = 2.484
    assert mean == 2.0
    assert high - mean == pytest.approx(2.4842, abs=1e-4) and mean - low == pytest.approx(2.4842, abs=1e-4)
    assert all(math.isnan(x) for x in validation_run.interval(np.array([1.0, math.nan])))


def test_patterns_are_many_from_many_sources_with_unique_ids():
    """Three tiers (issue 17, point 7): calibration patterns informed a value; at least 15 validation
    patterns from at least 10 sources, none of which set a parameter, can fail; verification checks,
    guaranteed by the functional form, name why and the unit test that checks them, and are no pattern."""
    ids = [p.id for p in patterns.PATTERNS]
    assert len(ids) == len(set(ids))
    assert {p.use for p in patterns.PATTERNS} == {"calibration", "validation"}
    validation = [p for p in patterns.PATTERNS if p.use == "validation"]
    assert len(validation) >= 15 and len({p.source for p in validation}) >= 10
    assert all(p.observed is None for p in validation)  # a validation pattern informed no value
    assert {p.area for p in validation} >= {"turnout", "who takes part", "ballots", "funding and delivery",
                                            "co-production"}
    checks = [c.id for c in patterns.VERIFICATION]
    assert len(checks) == len(set(checks)) and not set(checks) & set(ids)
    model_tests = (Path(__file__).resolve().parents[1] / "model" / "test_patterns.py").read_text()
    for c in patterns.VERIFICATION:
        assert c.guaranteed and f"def {c.test}(" in model_tests, c.id
    assert any(p.quick for p in patterns.PATTERNS)


def test_a_failing_measure_is_reported_not_raised(monkeypatch):
    bad = patterns.Pattern("X1", "turnout", "a pattern whose measure needs a column nobody makes", "nobody",
                           "validation", {"x": patterns.Condition("kampenhout", "none", ("run.population_scale=0.02",
                                                                                         "run.steps=3"))},
                           lambda runs: patterns.summary(runs["x"], "no_such_key"), patterns.Target.above(0.0))
    monkeypatch.setattr(patterns, "PATTERNS", (*patterns.PATTERNS, bad))
    table, reps = validation_run.run_patterns([bad], replicates=2)
    assert table.loc[0, "status"] == "not measured" and "no_such_key" in table.loc[0, "note"]
    assert reps["value"].isna().all()


@pytest.mark.slow
def test_quick_report_runs_and_agrees_with_its_replicates(tmp_path):
    assert command(["validate", "quick=true", f"out={tmp_path}"]) == 0
    text = (tmp_path / "report.md").read_text()
    reps = pd.read_csv(tmp_path / "replicates.csv")
    quick = [p for p in patterns.PATTERNS if p.quick]
    assert sorted(reps["id"].unique()) == sorted(p.id for p in quick)
    assert (reps.groupby("id").size() == 3).all()
    for p in quick:
        assert f"| {p.id} |" in text
    assert (tmp_path / "patterns.png").stat().st_size > 10_000


@pytest.mark.parametrize(("argv", "message"), [
    (["patterns=D1,W3"], "error: patterns=D1,W3 with quick=true: none of D1, W3 is a quick pattern; allowed: the "
                         "quick patterns (T1, P1, S1, F2, V11), or quick=false\n"),
    (["patterns=D1", "ballots=false"], "error: patterns=D1 with quick=true: D1 is not a quick pattern; allowed: the "
                                       "quick patterns"),
    (["patterns=T1,D1,W3"], "error: patterns=T1,D1,W3 with quick=true: D1, W3 are not quick patterns; allowed: "),
])
def test_quick_with_patterns_that_are_not_quick_is_one_line_before_any_run(tmp_path, capsys, monkeypatch, argv,
                                                                           message):
    """quick=true patterns=D1,W3 logged "0 patterns x 3 replicates", ran the ballots, then failed with numpy's
    "Number of rows must be a positive integer, not 0" (exit 1); a quick pattern beside them was run alone."""
    def no_runs(*args, **kwargs):  # pragma: no cover - called only if the check came after the runs
        raise AssertionError("the validation ran before its options were checked")

    monkeypatch.setattr(validation_run, "validate", no_runs)
    assert command(["validate", "quick=true", *argv, f"out={tmp_path / 'val'}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err
    assert not (tmp_path / "val").exists()


def test_quick_honours_replicates_given(monkeypatch, tmp_path):
    """quick=true replicates=50 ran 3 replicates, saying nothing; now it runs 50 (3 when replicates= is not given)."""
    chosen = validation_run.choose(["T1"], quick=True, replicates=50)
    assert [p.id for p in chosen[0]] == ["T1"] and chosen[1:] == (50, 0.2)
    assert validation_run.choose(["T1"], quick=True)[1] == 3
    assert validation_run.choose(["D1"], quick=False, replicates=4)[1:] == (4, None)
    # 10 given is 10 (it was taken for the default, and quick ran 3); not given: 10, or 3 with quick
    assert validation_run.choose(["T1"], quick=True, replicates=10)[1] == 10
    assert validation_run.choose(["D1"])[1] == 10
    seen = {}

    def ran(chosen, replicates, **kwargs):
        seen["replicates"] = replicates
        raise SystemExit(0)

    monkeypatch.setattr(validation_run, "validate", ran)
    with pytest.raises(SystemExit):
        command(["validate", "quick=true", "replicates=50", f"out={tmp_path}"])
    assert seen == {"replicates": 50}


#: Where a link to the victim's folder stands in the validation report's way: in place of out=, of out/structures,
#: of out/structures/habit (the folders it writes into), and of a figure it writes (patterns.png).
LINKED = {"structures": "val/structures", "structure": "val/structures/habit", "figure": "val/patterns.png"}


@pytest.mark.parametrize("where", LINKED)
def test_the_report_never_writes_through_a_link(tmp_path, caplog, where):
    """The validation report wrote its figures with atomic_savefig, not through the check of sim.plots.save: a link in
    place of out/structures or out/structures/habit (folders the report makes) was followed, and the victim folder's
    patterns.png, report.md and tables replaced, rc 0. Now the link is removed (never what it points to), with a
    warning, and the report written into a real folder there (sim.io.plain_folder, as every figure writer does)."""
    victim = tmp_path / "victim"
    victim.mkdir()
    for name in report.FILES:
        (victim / name).write_text("precious")
    link = tmp_path / LINKED[where]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim / "patterns.png" if where == "figure" else victim)
    out = tmp_path / "val"
    structure = ["structure=habit"] if where.startswith("structure") else ["ballots=false"]
    with caplog.at_level("WARNING"):
        assert command(["validate", "patterns=T1", "quick=true", "replicates=2", f"out={out}", *structure]) == 0
    assert sorted(os.listdir(victim)) == sorted(report.FILES)
    assert all((victim / name).read_text() == "precious" for name in report.FILES)
    folder = out / "structures" / "habit" if structure == ["structure=habit"] else out
    for path in (out, folder, folder / "patterns.png"):
        assert not path.is_symlink(), path
    assert (folder / "patterns.png").stat().st_size > 10_000 and (folder / "report.md").read_text().startswith("#")
    if where != "figure":  # a figure's link is replaced by the figure, as any file written through a temporary name
        assert any(f"{link} is a link, not a folder" in r.getMessage() for r in caplog.records)


def test_a_link_the_user_typed_as_out_is_followed(tmp_path):
    """out= is the folder the user named: a link she typed (results -> a larger disk) is hers to follow, as any
    path she types; only the folders the report makes inside it are never links."""
    target = tmp_path / "disk" / "results"
    target.mkdir(parents=True)
    out = tmp_path / "results"
    out.symlink_to(target)
    assert command(["validate", "patterns=T1", "quick=true", "replicates=2", f"out={out}", "ballots=false"]) == 0
    assert out.is_symlink() and (target / "report.md").read_text().startswith("#")


def test_committed_report_lists_every_pattern():
    """The full report is regenerated and committed; a pattern added without regenerating it fails here."""
    text = (report.DEFAULT_OUT / "report.md").read_text()
    missing = [p.id for p in patterns.PATTERNS if f"| {p.id} |" not in text]
    assert not missing, f"docs/validation/report.md is stale: regenerate with `make validate` ({missing})"


def test_ballot_section_on_a_small_setting(tmp_path):
    """The section 'Ballots against real elections' on two replicates at a tenth of the population:
    every decided cycle with a vote of Geel's and District Antwerpen's budgets, its statistics shares,
    a table row per statistic and budget, the figure, and the report carrying the section."""
    from sim.validation.real_ballots import STATISTICS

    cycles = validation_run.ballot_comparison(replicates=2, scale=0.1)
    assert set(cycles["model"]) == set(patterns.BALLOT_CONDITIONS)
    assert cycles.groupby("model")["seed"].nunique().eq(2).all()
    names = [s.name for s in STATISTICS]
    values = cycles[names].to_numpy(dtype=float)
    assert np.nanmin(values) >= 0.0 and np.nanmax(values) <= 1.0
    assert (cycles["ballots"] > 0).all() and (cycles["n_projects"] > 0).all()
    section = report.write_ballots(cycles, tmp_path)
    assert section.startswith("## Ballots against real elections")
    rows = [line for line in section.splitlines()
            if line.startswith("| ") and ("| calibration |" in line or "| validation |" in line)]
    assert len(rows) == len(STATISTICS) * len(patterns.BALLOT_CONDITIONS)
    assert (tmp_path / "ballots.png").stat().st_size > 10_000
    assert len(pd.read_csv(tmp_path / "ballots.csv")) == len(cycles)
    table = pd.DataFrame([{"id": "T1", "area": "turnout", "pattern": "p", "source": "s", "use": "calibration",
                           "target": "0 to 1", "unit": "share", "mean": 0.5, "low": 0.4, "high": 0.6,
                           "replicates": 2, "status": "holds", "note": ""}])
    text = report.markdown(table, replicates=2, scale=0.1, command="python -m sim validate", ballots=section)
    assert text.rstrip().endswith(section.rstrip()) and "| T1 |" in text
