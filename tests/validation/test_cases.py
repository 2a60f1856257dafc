"""The cross-case validation (sim.validation.cases): parsing the table, the leave-one-out fit on a
synthetic grid, intervals, the writers, and one real tiny run. No full grid here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.validation import cases as C

#: Columns of the table the parser reads (the rest of pb_cases.csv is notes and sources).
COLUMNS = ["case_id", "city", "country", "year", "edition", "residents", "eligible_age", "budget_eur",
           "online_only", "campaign_code", "campaign_code_quality", "personal_invitation", "projects_funded",
           "voters", "turnout_residents"]


def raw_row(**values: str) -> dict[str, str]:
    """A complete row of the table as strings, changed by ``values``."""
    row = {"case_id": "XX-TOWN", "city": "Town", "country": "XX", "year": "2022", "edition": "2",
           "residents": "30000", "eligible_age": "16", "budget_eur": "60000", "online_only": "N",
           "campaign_code": "1", "campaign_code_quality": "S", "personal_invitation": "N",
           "projects_funded": "6", "voters": "900", "turnout_residents": "0.0300"}
    row.update(values)
    return row


def parse(*rows: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return C.parse_cases(pd.DataFrame(list(rows), columns=COLUMNS))


# ------------------------------------------------------------------------------------ the table


@pytest.fixture(scope="module")
def table() -> tuple[pd.DataFrame, pd.DataFrame]:
    return C.parse_cases(C.load_table())


def test_real_table_gives_the_complete_rows(table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    cases, excluded = table
    # docs/evidence/pb_cases.md: 24 complete rows from 15 processes
    assert len(cases) == 24
    assert cases["case_id"].nunique() == 15
    assert cases["turnout"].between(0.001, 0.5).all()
    assert {"BE-DENDERMONDE", "PT-LISBOA", "FR-TOULOUSE", "ES-MADRID", "BE-DIEPENBEEK"} <= set(excluded["case_id"])
    assert not set(excluded["case_id"]) & {"BE-GEEL", "NL-AMS-WEST", "FI-HELSINKI"}
    paris = excluded[excluded["case_id"] == "FR-PARIS"]
    assert list(paris["year"]) == [2021] and "budget" in paris["reason"].iat[0]


def test_real_rows_map_to_the_expected_levers(table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    cases = table[0].set_index("row_id")
    weesp = cases.loc["NL-WEESP 2021"]
    assert weesp["invitation"] and not weesp["online"] and weesp["eligible_age"] == 12  # "N (phone)"
    assert not cases.loc["NL-AMS-CENTRUM 2020", "invitation"]  # "unclear (documented 2021-2022)"
    assert cases.loc["NL-AMS-CENTRUM 2021", "invitation"]
    aarau = cases.loc["CH-AARAU 2023"]
    assert aarau["online"] and aarau["eligible_age"] == 0 and aarau["age_none"]  # "none (...)": no minimum
    assert cases.loc["PL-SWIECIE 2023", "eligible_age"] == 16  # "16 (2015 rule)"
    assert cases.loc["FI-HELSINKI 2019", "online"]  # "Y (assisted)"
    assert not cases.loc["BE-EKEREN 2022", "online"]  # "unclear": hybrid
    lodz = cases.loc["PL-LODZ 2022"]
    assert lodz["edition"] == C.DEFAULT_EDITION and not lodz["edition_found"]


def test_geel_overrides(table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    geel = table[0].set_index("row_id").loc["BE-GEEL 2022"]
    assert C.case_overrides(geel, c1=0.6) == [
        "scenario.population=40781", "run.population_scale=0.980849", "scenario.min_participation_age=10",
        "scenario.citizens_budget_eur=100000.0", "scenario.project_budget_eur=100000.0",
        f"scenario.annual_budget_eur={40781 * C.ANNUAL_EUR_PER_RESIDENT}", "scenario.budget_cycle_months=12",
        f"scenario.next_election_month={C.NO_ELECTION}",
        f"design.start_month={C.START_MONTH}", "design.channel=hybrid", "design.personal_invitation=false",
        f"design.inform_intensity={C.C0!r}",  # campaign code 0: c1 has no effect
        "run.record_groups=false", "design.mean_project_cost_eur=14285.71"]
    assert C.run_overrides(["a=1"], -7.0, 1, 1) == ["a=1", "citizens.base_propensity=-7.0",
                                                    f"run.steps={C.START_MONTH + 13}", "replicate=1"]


def test_gent_and_west_overrides(table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    cases = table[0].set_index("row_id")
    gent = C.case_overrides(cases.loc["BE-GENT 2017"], c1=0.3)
    assert "design.channel=online" in gent and "run.population_scale=0.154967" in gent
    assert f"design.inform_intensity={round(C.C0 + 0.3, 6)!r}" in gent  # code 2: c0 + c1
    west = C.case_overrides(cases.loc["NL-AMS-WEST 2021"], c1=0.0)
    assert "design.personal_invitation=true" in west
    assert not any(o.startswith("design.mean_project_cost_eur") for o in west)  # projects funded NOT FOUND


def test_not_found_cells() -> None:
    cases, excluded = parse(
        raw_row(),
        raw_row(case_id="XX-NOTURNOUT", turnout_residents="NOT FOUND"),
        raw_row(case_id="XX-YOUTH", eligible_age="12-27 only"),
        raw_row(case_id="XX-NOCODE", campaign_code="NOT FOUND"),
        raw_row(case_id="XX-NOCHANNEL", online_only="NOT FOUND in detail"),
        raw_row(case_id="XX-OPEN", eligible_age="none (all residents)", edition="NOT FOUND",
                projects_funded="NOT FOUND", online_only="Y (assisted)", personal_invitation="Y"),
    )
    assert list(cases["case_id"]) == ["XX-TOWN", "XX-OPEN"]
    reasons = excluded.set_index("case_id")["reason"]
    assert "turnout" in reasons["XX-NOTURNOUT"]
    assert "minimum age" in reasons["XX-YOUTH"]
    assert "campaign" in reasons["XX-NOCODE"]
    assert "channels" in reasons["XX-NOCHANNEL"]
    open_ = cases.set_index("case_id").loc["XX-OPEN"]
    assert open_["eligible_age"] == 0 and open_["edition"] == C.DEFAULT_EDITION and not open_["edition_found"]
    assert open_["online"] and open_["invitation"]
    overrides = C.case_overrides(open_, c1=0.0)
    assert "scenario.min_participation_age=0" in overrides and "design.channel=online" in overrides
    assert not any(o.startswith("design.mean_project_cost_eur") for o in overrides)
    assert "run.population_scale=1.0" in overrides  # 30,000 residents: simulated one to one


@pytest.mark.parametrize(("text", "age"), [("10", 10), ("16 (2015 rule)", 16), ("none (minors too)", 0),
                                           ("NOT FOUND", None), ("12-27 only", None), ("", None)])
def test_parse_age(text: str, age: int | None) -> None:
    assert C.parse_age(text) == age


def test_intensity_and_scale() -> None:
    assert C.intensity(0, 0.6) == C.C0
    assert C.intensity(2, 0.6) == pytest.approx(C.C0 + 0.6)
    with pytest.raises(ValueError, match="outside"):
        C.intensity(2, 0.7)
    assert C.population_scale(2_000_000) * 2_000_000 == pytest.approx(C.MAX_SIMULATED)
    assert C.population_scale(12_000) == 1.0
    assert C.steps_for(3) == C.START_MONTH + 37


def test_grid_specs_share_runs() -> None:
    cases, _ = parse(raw_row(case_id="XX-A", year="2020", edition="1", campaign_code="0"),
                     raw_row(case_id="XX-A", year="2021", edition="2", campaign_code="0"),
                     raw_row(case_id="XX-B", campaign_code="2", residents="25000"))
    specs, index = C.grid_specs(cases, b_grid=(-8.0, -6.0), c1_grid=(0.0, 0.6), replicates=2)
    # XX-A: both rounds share one run to edition 2, the same for every c1 (code 0): 2 b x 2 replicates;
    # XX-B: 2 b x 2 c1 x 2 replicates
    assert len(specs) == 4 + 8
    assert len(index) == 3 * 2 * 2 * 2
    a = index[index["row_id"].str.startswith("XX-A")]
    assert a.groupby(["b", "replicate"])["key"].nunique().eq(1).all()
    assert {s.editions for s in specs} == {2}
    assert len({s.key for s in specs}) == len(specs)


# ------------------------------------------------------------------------------------ the fit

TRUE_B, TRUE_C1 = -6.5, 0.3


def fake_cases() -> pd.DataFrame:
    """Eight cases (some with several rounds) of a fake model whose log turnout is known."""
    rows = []
    specs = [("A", 0, 1), ("B", 1, 2), ("C", 2, 1), ("D", 0, 3), ("E", 2, 2), ("F", 1, 1), ("G", 2, 1), ("H", 0, 1)]
    for k, (case, code, n) in enumerate(specs):
        for t in range(n):
            rows.append({"row_id": f"{case} {2020 + t}", "case_id": case, "year": 2020 + t, "edition": t + 1,
                         "campaign_code": code, "offset": -0.4 + 0.1 * k + 0.05 * t})
    cases = pd.DataFrame(rows)
    cases["turnout"] = np.exp(fake_log_turnout(cases, TRUE_B, TRUE_C1))
    return cases


def fake_log_turnout(cases: pd.DataFrame, b: float, c1: float) -> np.ndarray:
    """The fake model: log turnout = offset + b + 0.8 c1 code (known, smooth in the parameters)."""
    return (cases["offset"] + b + 0.8 * c1 * cases["campaign_code"]).to_numpy(dtype=float)


def fake_grid(cases: pd.DataFrame, noise: float = 0.01) -> pd.DataFrame:
    """The fake model on the run grid, two replicates at +-noise (so the run-to-run spread is known)."""
    rows = []
    for b in C.B_GRID:
        for c1 in C.C1_GRID:
            value = fake_log_turnout(cases, b, c1)
            for rep, sign in ((0, 1.0), (1, -1.0)):
                rows += [{"row_id": r, "b": b, "c1": c1, "replicate": rep, "log_turnout": v + sign * noise}
                         for r, v in zip(cases["row_id"], value, strict=True)]
    return pd.DataFrame(rows)


def test_fit_recovers_the_parameters() -> None:
    cases = fake_cases()
    surface = C.build_surface(fake_grid(cases), list(cases["row_id"]))
    full = C.fit_all(surface, cases)
    assert full["b"] == pytest.approx(TRUE_B, abs=0.03)
    assert full["c1"] == pytest.approx(TRUE_C1, abs=0.015)
    assert np.abs(full["log_error"]).max() < 0.03
    # the run-to-run variance of one run: (+-0.01) -> sample variance 2e-4
    assert surface.var.mean() == pytest.approx(2e-4, rel=0.01)


def test_leave_one_out_predicts_the_held_out_case() -> None:
    cases = fake_cases()
    surface = C.build_surface(fake_grid(cases), list(cases["row_id"]))
    pred = C.leave_one_out(surface, cases, bootstrap=50, noise_draws=10)
    assert len(pred) == len(cases) and list(pred["row_id"]) == list(cases["row_id"])
    assert pred["b_fit"].sub(TRUE_B).abs().max() < 0.03
    assert pred["c1_fit"].sub(TRUE_C1).abs().max() < 0.015
    assert pred["log_error"].abs().max() < 0.03
    assert np.allclose(pred["predicted"], pred["observed"], rtol=0.03)
    assert pred["covered"].all()
    # the null model: mean log turnout of the other cases (each case once)
    first = pred[pred["case_id"] == "A"].iloc[0]
    logs = np.log(cases["turnout"])
    others = logs[cases["case_id"] != "A"].groupby(cases["case_id"]).mean()
    assert first["null"] == pytest.approx(math.exp(others.mean()))
    summary = C.summarise(pred)
    assert summary["cases"] == 8 and summary["coverage_cases"] == 1.0
    assert summary["mae_log"] < summary["mae_log_null"]


def test_case_weights_share_a_case_among_its_rounds() -> None:
    cases = fake_cases()
    w = C.case_weights(cases)
    assert w.sum() == pytest.approx(cases["case_id"].nunique())
    assert w[cases["case_id"].eq("D").to_numpy()] == pytest.approx([1 / 3] * 3)
    w2 = C.case_weights(cases, {"A": 2.0})
    assert w2.sum() == pytest.approx(2.0)


def test_intervals_never_give_negative_turnout() -> None:
    """Wildly uncertain, tiny turnouts: the interval stays positive and holds the prediction."""
    cases = fake_cases()
    grid = fake_grid(cases, noise=6.0)
    grid["log_turnout"] -= 12.0
    cases["turnout"] = np.exp(np.log(cases["turnout"]) - 12.0)
    surface = C.build_surface(grid, list(cases["row_id"]))
    pred = C.leave_one_out(surface, cases, bootstrap=40, noise_draws=10)
    for lo, hi in (("lo", "hi"), ("lo_misfit", "hi_misfit"), ("null_lo", "null_hi")):
        assert (pred[lo] > 0).all()
        assert (pred[lo] < pred[hi]).all()
    assert ((pred["lo"] <= pred["predicted"]) & (pred["predicted"] <= pred["hi"])).all()


def test_markdown_csv_and_figure(tmp_path) -> None:
    cases = fake_cases().assign(country="XX", edition_found=True, residents=20000, eligible_age=12,
                                budget_per_resident=2.0, online=lambda d: d["campaign_code"] == 2,
                                invitation=lambda d: d["campaign_code"] == 1, campaign_quality="S")
    cases["case_id"] = "XX-" + cases["case_id"]
    cases["row_id"] = "XX-" + cases["row_id"]
    surface = C.build_surface(fake_grid(fake_cases()).assign(row_id=lambda d: "XX-" + d["row_id"]),
                              list(cases["row_id"]))
    pred = C.leave_one_out(surface, cases, bootstrap=20, noise_draws=5)
    table = C.predictions_table(cases, pred)
    effects = pd.DataFrame([{"variant": v, "edition": e, "mean": 0.05, "min": 0.04, "max": 0.06, "ratio": 1.0}
                            for v in C.VARIANTS for e in (1, 4)])
    excluded = pd.DataFrame([{"case_id": "XX-GONE", "year": 2020, "reason": "residents NOT FOUND"}])
    path = C.write_outputs(table, excluded, C.summarise(pred), C.fit_all(surface, cases), effects,
                           {"command": "test", "seconds": 1.0}, tmp_path)
    text = path.read_text()
    assert "| XX-A 2020 |" in text and "XX-GONE 2020" in text and "null model" in text
    assert (tmp_path / "cases.png").stat().st_size > 0 and (tmp_path / "cases.svg").stat().st_size > 0
    back = pd.read_csv(tmp_path / "cases.csv")
    assert len(back) == len(cases) and {"observed", "predicted", "lo", "hi", "covered"} <= set(back.columns)


# ------------------------------------------------------------------------------------ one real run


def test_one_tiny_real_run(table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Geel 2022 at about 2,000 simulated residents: the model runs through the public API and measures
    the edition's turnout as participants over all simulated residents."""
    geel = table[0].set_index("row_id").loc["BE-GEEL 2022"]
    base = C.case_overrides(geel, c1=0.0, max_simulated=2_000)
    spec = C.RunSpec(tuple(C.run_overrides(base, -6.0, 1, 0)), 1)
    out = C.simulate(spec)
    assert out["key"] == spec.key
    assert out["population"] == round(40781 * C.population_scale(40781, 2_000))
    assert len(out["participants"]) == 1
    assert 0 < out["participants"][0] / out["population"] < 0.5
    index = pd.DataFrame([{"row_id": "BE-GEEL 2022", "b": -6.0, "c1": 0.0, "replicate": 0, "key": spec.key,
                           "edition": 1}])
    grid = C.grid_frame(index, pd.DataFrame([out]))
    assert grid["turnout"].iat[0] == pytest.approx(out["participants"][0] / out["population"])
