"""The municipal report (sim.apps.report): what it holds, in both languages, offline in chromium, and its errors."""

from __future__ import annotations

import datetime as _dt
import functools
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from playwright import sync_api

from sim import plots as sim_plots
from sim import texts
from sim.__main__ import command
from sim.apps import report
from sim.experiments import answers
from tests.helpers import REPO
from tests.resources import require_chromium

ROOT = REPO
EXAMPLE = ROOT / "examples" / "municipality.yaml"
SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", ROOT / "outputs" / "screenshots"))
DESIGNS = ("none", "tokenistic_consultation", "participatory_budget")


@pytest.fixture(scope="module")
def study() -> report.Study:
    return report.study("kampenhout", designs=DESIGNS, replicates=2, scale=0.2, jobs=1)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_the_report_holds_every_section_in_its_language(study: report.Study, lang: str) -> None:
    page = report.render(study, lang)
    for key in ("sec_summary", "sec_costs", "sec_who", "sec_tradeoffs", "sec_limits", "sec_annex"):
        # printed, a part (the details, the assumptions and limits, the annex) starts a page: its heading is a 'part'
        part = " class='part'" if key in ("sec_limits", "sec_annex") else ""
        assert re.search(rf"<h2{part}>\d\. {re.escape(html.escape(texts.phrase(key, lang)))}</h2>", page), key
    assert texts.phrase("sec_headline", lang, baseline=texts.name("design", "none", lang)) in page
    for design in DESIGNS:
        assert texts.name("design", design, lang) in page
    for word in ("verdict_not_comparable",):
        assert texts.phrase(word, lang) in page
    assert f"<html lang='{lang}'>" in page
    # the scaled-down runs say so
    assert html.escape(texts.phrase("summary_scaled", lang, share="20")) in page
    # no code names of designs in the text users read (the technical annex, for the participation officer, lists them)
    read = page.split(html.escape(texts.phrase("sec_annex", lang)))[0]
    assert "tokenistic_consultation" not in read and "participatory_budget" not in read


def test_the_report_is_self_contained(study: report.Study) -> None:
    page = report.render(study, "nl")
    assert re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page) is None
    assert "<script" not in page and "<link" not in page
    assert page.count('src="data:image/png;base64,') == 3  # the outcomes and two trade-offs


def test_the_headline_follows_the_verdicts(study: report.Study) -> None:
    table = answers.verdicts(study.runs, "none", answers.OUTCOMES, study.thresholds)
    page = report.render(study, "en")
    # every verdict word appears as often as the verdicts say, in the coloured headline table
    for verdict, color in report._VERDICT_COLORS.items():
        assert page.count(f"background:{color}") >= (table["verdict"] == verdict).sum()
    # the thresholds used are shown: 0.02 of an index, half a point of turnout, 2 points of residents
    assert "0.02" in page and "0.50" in page and "2.00" in page
    assert (table.loc[table["outcome"].isin(sim_plots.PERCEPTIONS), "threshold"] == 2.0).all()


def test_perceptions_are_shares_of_residents_in_percent(study: report.Study) -> None:
    """The outcomes table gives the shares of residents who agree with each item in percent, named by their
    items in plain words; the headline's differences are in percentage points; the project money every
    design has is stated."""
    page = html.unescape(report.render(study, "en"))
    runs = study.runs
    for design in DESIGNS:
        share = 100 * runs.loc[runs["design"] == design, "trust_citizens"].mean()
        assert texts.number(share, "en", 1) in page
    table = answers.verdicts(study.runs, "none", ["legitimacy_input"], study.thresholds)
    budget = table[table["design"] == "participatory_budget"].iloc[0]
    pb, none = (runs.loc[runs["design"] == d].set_index("replicate")["legitimacy_input"]
                for d in ("participatory_budget", "none"))
    assert budget["difference"] == pytest.approx(100 * (pb - none).mean())
    assert texts.label("legitimacy_input", "en") == "residents who feel involved (%)"
    assert texts.label("legitimacy_input", "en") in page and "input legitimacy (" not in page
    assert texts.phrase("input_project_budget_eur", "en") in page
    assert f"EUR {texts.number(study.config.scenario.project_budget_eur, 'en')}" in page


def test_a_threshold_changes_the_verdicts(study: report.Study) -> None:
    loose = report.Study(**{**study.__dict__, "thresholds": {**study.thresholds, "legitimacy": 0.0}})
    strict = report.Study(**{**study.__dict__, "thresholds": {**study.thresholds, "legitimacy": 10.0}})
    v_loose = answers.verdicts(loose.runs, "none", ["legitimacy"], loose.thresholds)
    v_strict = answers.verdicts(strict.runs, "none", ["legitimacy"], strict.thresholds)
    assert (v_strict["verdict"] == "no clear difference").all()
    assert (v_strict["reason"] == "below_threshold").all()
    assert not v_loose["reason"].eq("below_threshold").any()


def test_the_command_writes_the_report_and_its_tables(tmp_path: Path, capsys) -> None:
    out = tmp_path / "k.html"
    assert command(["report", "scenario=kampenhout", "lang=en", "replicates=2", "scale=0.1", "jobs=1",
                    "designs=none,participatory_budget", f"out={out}", "threshold.trust_citizens=0.05"]) == 0
    assert capsys.readouterr().out.strip() == str(out) and out.read_text().startswith("<!DOCTYPE html>")
    runs = pd.read_parquet(tmp_path / "k_runs.parquet")
    assert set(runs["design"]) == {"none", "participatory_budget"} and len(runs) == 4
    verdicts = pd.read_csv(tmp_path / "k_verdicts.csv")
    assert verdicts.loc[verdicts["outcome"] == "trust_citizens", "threshold"].iloc[0] == 0.05


def test_a_full_disk_leaves_no_truncated_report(study: report.Study, small_disk) -> None:
    """Every file is written to a temporary name and renamed: a report that does not fit is absent."""
    folder = small_disk(64)
    out = folder / "k.html"
    with pytest.raises(OSError, match="No space left on device"):
        report.write(study, out, "en")
    assert not out.exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    html_size = len(report.render(study, "en").encode())
    assert html_size > 64 * 1024  # what was tested: the HTML alone would not have fit


def test_a_report_for_my_own_municipality(tmp_path: Path) -> None:
    out = tmp_path / "mine.html"
    assert command(["report", f"municipality={EXAMPLE}", "replicates=2", "scale=0.1", "jobs=1",
                    "designs=none,participatory_budget", f"out={out}"]) == 0
    page = out.read_text()
    assert "Voorbeeldgemeente" in page and "Centrum" in page
    date = _dt.date.fromtimestamp(EXAMPLE.stat().st_mtime).isoformat()
    assert html.escape(texts.phrase("report_own", "nl", file=EXAMPLE.name, date=date)) in page


@pytest.mark.parametrize(("argv", "message"), [
    (["scenario=kampenhout", "colour=red"], "colour is not a key of report; allowed: scenario, municipality"),
    (["scenario=kampenhout", "lang=fr"], "lang=fr is not allowed; allowed: one of nl, en"),
    (["scenario=kampenhout", "replicates=1"], "replicates=1 is not allowed; allowed: a whole number >= 2"),
    (["scenario=kampenhout", "replicates=many"], "replicates=many is not allowed; allowed: a whole number >= 2"),
    (["scenario=kampenhout", "threshold.happiness=1"], "threshold.happiness is not an outcome"),
    (["scenario=kampenhout", "threshold.trust_citizens=a lot"], "is not a number"),
    (["scenario=kampenhout", "threshold.trust_citizens=-1"],
     "threshold.trust_citizens=-1.0: allowed a finite number >= 0"),
    (["scenario=kampenhout", "posterior=/nowhere", "draws=-2"], "draws=-2 is not allowed; allowed: a whole number"),
    (["scenario=kampenhout", "designs=none,participatory_budget", "baseline=consultation"], "baseline="),
    (["scenario=kampenhout", f"municipality={EXAMPLE}"], "either scenario"),
    (["municipality=/nowhere.yaml"], "gemeentebestand '/nowhere.yaml' bestaat niet"),
    (["scenario=kampenhout", "design.feedback=7"], "design.feedback"),
    (["kampenhout"], "is not key=value"),
    (["scenario=kampenhout", "designs=none,none"], "designs=none,none names none twice; allowed: each once"),
    (["scenario=kampenhout", "designs="], "designs= is empty; allowed: a list of citizens_panel"),
    (["scenario=kampenhout", "jobs=0"], "jobs=0 is not allowed; allowed: a whole number >= 1"),
    (["scenario=kampenhout", "out=/proc/nope/x.html"],
     "out=/proc/nope/x.html: nothing can be written in /proc"),
])
def test_bad_options_get_a_clear_error(argv: list[str], message: str, capsys, monkeypatch) -> None:
    """One line on stderr, ``error: <key>=<value> ...; allowed: ...`` or the library's own, exit status 2,
    before any run."""
    monkeypatch.setattr(report, "compare", _no_runs)
    assert command(["report", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1, err


def _no_runs(*args, **kwargs):  # pragma: no cover - called only if a check came after the runs
    raise AssertionError("the simulation ran before the options were checked")


@pytest.mark.parametrize(("lang", "message"), [
    ("nl", "gemeentebestand '{file}': initial_trust=hoog is geen getal; toegestaan: een aandeel van 0,01 tot 0,99"),
    ("en", "municipality file '{file}': initial_trust=hoog is not a number; allowed: a share from 0.01 to 0.99"),
])
def test_a_bad_municipality_file_is_refused_in_the_reports_language(tmp_path: Path, capsys, monkeypatch, lang: str,
                                                                      message: str) -> None:
    path = tmp_path / "mijn gemeente.yaml"
    path.write_text(EXAMPLE.read_text().replace("initial_trust: 0.32", "initial_trust: hoog"))
    monkeypatch.setattr(report, "compare", _no_runs)
    assert command(["report", f"municipality={path}", f"lang={lang}", f"out={tmp_path / 'r.html'}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: " + message.format(file=path)) and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mijn gemeente.yaml"]


def test_an_environment_variable_never_reaches_the_report(tmp_path: Path, capsys, monkeypatch) -> None:
    """``name: "Town ${oc.env:TOKEN}"`` in a municipality file is refused; the token is nowhere."""
    monkeypatch.setenv("SIM_TEST_TOKEN", "tok-1618033988")
    path = tmp_path / "m.yaml"
    path.write_text(EXAMPLE.read_text().replace("name: Voorbeeldgemeente", 'name: "Town ${oc.env:SIM_TEST_TOKEN}"'))
    monkeypatch.setattr(report, "compare", _no_runs)
    assert command(["report", f"municipality={path}", "lang=en", f"out={tmp_path}/"]) == 2
    err = capsys.readouterr().err
    assert "holds ${, which would be read as an interpolation" in err and "tok-1618033988" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["m.yaml"]


@pytest.mark.parametrize(("out", "expected"), [
    ("dir/", "dir/Sint-Jan_s_Dorp_nl.html"),
    ("dir/sub/", "dir/sub/Sint-Jan_s_Dorp_nl.html"),
    ("r.html", "r.html"),
    (None, "outputs/report/Sint-Jan_s_Dorp_nl.html"),
])
def test_the_reports_file_is_named_safely(tmp_path: Path, monkeypatch, out: str | None, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert report.output_path(out, "Sint-Jan's Dorp", "nl") == Path(expected)
    (tmp_path / "folder").mkdir()
    assert report.output_path("folder", "../../x", "en") == Path("folder") / "______x_en.html"


def test_a_folder_as_out_receives_the_report(tmp_path: Path, capsys) -> None:
    """``out=dir/`` writes dir/<municipality>_<lang>.html (it wrote a file named dir)."""
    out = tmp_path / "reports"
    assert command(["report", "scenario=kampenhout", "lang=en", "replicates=2", "scale=0.05", "jobs=1",
                    "designs=none,consultation", f"out={out}/"]) == 0
    assert capsys.readouterr().out.strip() == str(out / "kampenhout_en.html")
    assert sorted(p.name for p in out.iterdir()) == ["kampenhout_en.html", "kampenhout_en_runs.parquet",
                                                     "kampenhout_en_verdicts.csv"]


def test_the_command_line_prints_the_error_not_a_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "sim", "report", "scenario=kampenhout", "lang=fr"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: lang=fr") and "Traceback" not in proc.stderr


def _files_only(route, asked: list[str]) -> None:
    """Playwright route handler: record every request, serve files, refuse the network."""
    asked.append(route.request.url)
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


@pytest.mark.slow
def test_the_report_opens_offline_in_chromium(study: report.Study, tmp_path: Path) -> None:
    """Chromium renders the file with every request outside the file refused; screenshots are saved."""
    chromium = require_chromium()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in texts.LANGUAGES:
        path = report.write(study, tmp_path / f"report_{lang}.html", lang)
        asked: list[str] = []
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.route("**/*", functools.partial(_files_only, asked=asked))
                page.goto(path.as_uri())
                assert page.title() == texts.phrase("report_title", lang, municipality="Kampenhout")
                widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
                assert len(widths) == 3 and all(w > 100 for w in widths)
                page.screenshot(path=str(SHOTS / f"report_{lang}_1280x720.png"))
                page.set_viewport_size({"width": 1920, "height": 1080})
                page.screenshot(path=str(SHOTS / f"report_{lang}_full.png"), full_page=True)
            finally:
                browser.close()
        assert [u for u in asked if not u.startswith("file://")] == []


def test_a_report_under_the_calibrations_uncertainty(tmp_path: Path) -> None:
    """With a posterior, verdicts pair runs on (draw, replicate) and a section says which hold."""
    post = tmp_path / "posterior.parquet"
    pd.DataFrame({"generation": [1, 1], "particle": [0, 1], "weight": [0.5, 0.5], "distance": [1.0, 1.0],
                  "citizens.base_propensity": [-6.5, -7.5], "stat.T1": [0.0, 0.0]}).to_parquet(post)
    st = report.study("kampenhout", designs=("none", "participatory_budget"), replicates=2, scale=0.1, jobs=1,
                      posterior=post, draws=2)
    assert len(st.runs) == 2 * 2 * 2 and set(st.runs["draw"]) == {0, 1}
    table = answers.verdicts(st.runs, "none", ["legitimacy"])
    assert table["n"].iloc[0] == 4  # every (draw, replicate) pair
    for lang in texts.LANGUAGES:
        page = report.render(st, lang)
        assert f"<h3>{html.escape(texts.phrase('sec_robust', lang))}</h3>" in page
        assert html.escape(texts.phrase('two_checks', lang)) in page  # one sentence says the two checks differ
        assert any(texts.phrase(k, lang) in page for k in ("robust_better", "robust_worse", "robust_uncertain"))
    plain = report.render(report.Study(**{**st.__dict__, "posterior": None}), "en")
    assert html.escape(texts.phrase("sec_robust", "en")) not in plain
