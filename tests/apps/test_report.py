"""The municipal report (sim.apps.report): what it holds, in both languages, offline in chromium, and its errors."""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
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
from sim.config.keys import ConfigError
from sim.experiments import answers
from tests import test_posterior
from tests.helpers import REPO, repo_env
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


def test_an_earlier_reports_pdf_is_not_left_beside_a_new_report(study: report.Study, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """A report written without pdf=true where one was printed before left the old report's PDF beside the new
    HTML (Kampenhout's print beside Geel's report: the fourth tester's case); so would a print that fails. The
    earlier PDF is removed before the new report is written; a link in its place is removed, not followed."""
    out = tmp_path / "k.html"
    old = tmp_path / "k.pdf"
    old.write_bytes(b"%PDF-1.4 an earlier report")
    report.write(study, out, "en")
    assert out.exists() and not old.exists()
    old.write_bytes(b"%PDF-1.4 an earlier report")

    def broken(html: Path, pdf: Path) -> Path:
        raise RuntimeError("chromium died")

    monkeypatch.setattr(report, "print_pdf", broken)
    with pytest.raises(RuntimeError, match="chromium died"):
        report.write(study, out, "en", pdf=True)
    assert not old.exists()
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"%PDF-1.4 someone else's")
    old.symlink_to(kept)
    report.write(study, out, "en")
    assert not old.is_symlink() and kept.read_bytes() == b"%PDF-1.4 someone else's"


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


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_a_value_the_user_set_is_labelled_as_set_by_the_user(lang: str) -> None:
    """The inputs table labels an overridden number as set by the user, with the override as its source: it showed
    "residents 20,000 - published - Statbel" and "trust 90 % - proxy - Gemeente-Stadsmonitor"."""
    st = report.study("kampenhout", designs=("none", "ideas_platform"), replicates=2, scale=0.05, jobs=1, lang=lang,
                      overrides=["scenario.population=20000", "scenario.initial_trust=0.9", "citizens.fear_mean=0.4"])
    rows = _input_rows(report.render(st, lang))
    for key, override in (("population", "scenario.population=20000"), ("initial_trust", "scenario.initial_trust=0.9")):
        cells = rows[texts.phrase("input_" + key, lang)]
        assert cells[1:] == [texts.phrase("status_set_by_user", lang),
                             texts.phrase("input_from_override", lang, overrides=override)], cells
    assert st.set_by_user == ["population", "initial_trust"]
    # the others keep the preset's status and source
    plain = _input_rows(report.render(report.Study(**{**st.__dict__, "set_by_user": []}), lang))
    changed = {texts.phrase("input_" + key, lang) for key in st.set_by_user}
    assert {k: v for k, v in rows.items() if k not in changed} == {k: v for k, v in plain.items() if k not in changed}
    assert plain[texts.phrase("input_population", lang)][1] == texts.phrase("status_published", lang)


def test_a_value_left_as_the_preset_keeps_its_source(study: report.Study) -> None:
    rows = _input_rows(report.render(study, "en"))
    assert rows["residents"][1:] == ["published", "Statbel, 1 January 2024"]
    assert study.set_by_user == []


def _input_rows(page: str) -> dict[str, list[str]]:
    """The inputs table of a report: input -> [value, status, source] (text)."""
    table = page.split("<th>" + html.escape(texts.phrase("source_word", "en" if "<html lang='en'>" in page else "nl")))
    body = table[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body):
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        rows[cells[0]] = cells[1:]
    return rows


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
    (["scenario=kampenhout", "replicates=1"], "replicates=1 is not allowed; allowed: a whole number from 2 to 10000"),
    (["scenario=kampenhout", "replicates=many"],
     "replicates=many is not allowed; allowed: a whole number from 2 to 10000"),
    (["scenario=kampenhout", "threshold.happiness=1"], "threshold.happiness=1.0: happiness is not an outcome with a "
                                                       "threshold; allowed: threshold.<outcome> for an outcome of "
                                                       "turnout, "),
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
    (["scenario=kampenhout", "jobs=0"], "jobs=0 is not allowed; allowed: a whole number from 1 to 1024"),
    (["scenario=kampenhout", "out=/proc/nope/x.html"],
     "out=/proc/nope/x.html: nothing can be written in /proc"),
    # the keys allowed, then the other keys in words (it ended "..., posterior, draws, also")
    (["scenario=kampenhout", "colour=red"], "draws, threshold.<outcome> or a model override <section>.<key>\n"),
    (["scenario=kampenhout", "+design=coproduction"], "+design is not a key of report (did you mean designs?); "
                                                      "allowed: scenario, "),
    # what the report sets itself: design.name=x ran every design as 'x' and failed after the runs
    (["scenario=kampenhout", "design.name=x"], "design.name=x: the report sets design.name itself (each design is "
                                               "its preset, from designs=); allowed: overrides of other keys"),
    (["scenario=kampenhout", "design.feedback=0.5"], "design.feedback=0.5: the report sets design.feedback itself"),
    (["scenario=kampenhout", "run.population_scale=0.5"],
     "run.population_scale=0.5: the report sets run.population_scale itself (from scale=)"),
    # what the report does not use: experiment.replicates=7 did nothing and was listed as applied
    (["scenario=kampenhout", "experiment.replicates=7", "replicates=2"],
     "error: experiment.replicates=7: the report does not use experiment.* (it runs no experiment; replicates=, "
     "seed=, posterior= and draws= set its runs); allowed: overrides of other keys (citizens.*, scenario.*, "
     "administration.*, ...)"),
    (["scenario=kampenhout", "experiment.kind=abc"], "experiment.kind=abc: the report does not use experiment.*"),
    (["scenario=kampenhout", "hydra.run.dir=/tmp/x"], "error: hydra.run.dir=/tmp/x: the report does not use hydra.* "
                                                      "(it does not start Hydra; out= names what it writes); allowed: "
                                                      "overrides of other keys"),
    # a posterior that is not there, draws without a posterior: one line, before the info line of the runs
    (["scenario=kampenhout", "posterior=/nonexistent"], "posterior='/nonexistent': no posterior.parquet there"),
    (["scenario=kampenhout", "draws=3"], "draws=3 needs posterior=<an ABC calibration's folder>; allowed: draws=0 "
                                         "without a posterior"),
    # counts have a documented upper bound (sim.api.MAX_*): replicates=100000000 was a MemoryError
    (["scenario=kampenhout", "replicates=100000000"], "replicates=100000000 is not allowed; allowed: a whole number "
                                                      "from 2 to 10000"),
    (["scenario=kampenhout", "draws=10001"], "draws=10001 is not allowed; allowed: a whole number from 0 to 10000"),
    (["scenario=kampenhout", "jobs=1025"], "jobs=1025 is not allowed; allowed: a whole number from 1 to 1024"),
    (["scenario=kampenhout", "designs=none,consultation,ideas_platform,participatory_budget,coproduction,"
      "citizens_panel", "replicates=10000", "draws=2", "posterior=/nonexistent"],
     "6 designs x 2 draws x replicates=10000 are 120,000 runs; allowed: at most 100,000 runs"),
])
def test_bad_options_get_a_clear_error(argv: list[str], message: str, capsys, monkeypatch) -> None:
    """One line on stderr, ``error: <key>=<value> ...; allowed: ...`` or the library's own, exit status 2,
    before any run."""
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    assert command(["report", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1, err


def _no_runs(*args, **kwargs):  # pragma: no cover - called only if a check came after the runs
    raise AssertionError("the simulation ran before the options were checked")


def test_a_failed_check_logs_nothing_before_its_line(capsys, monkeypatch, caplog) -> None:
    """The line that starts the runs ("report: 2 designs x ...") comes after every check: a posterior that is not
    there printed it, then its error (two lines)."""
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    with caplog.at_level("INFO"):
        assert command(["report", "scenario=kampenhout", "posterior=/nonexistent", "replicates=2"]) == 2
    assert not [r for r in caplog.records if r.getMessage().startswith("report:")]


@pytest.mark.parametrize("case", ["weight_text", "parameter_text", "only_magic", "weight_nan", "weights_zero",
                                  "no_rows", "generation_nan", "unknown_column", "weights_negative"])
def test_a_damaged_posterior_is_one_line_before_any_run(tmp_path: Path, capsys, monkeypatch, case: str) -> None:
    """A posterior.parquet with texts for weights, only Parquet's magic bytes, NaN or no weights, ... (tracebacks,
    numpy's 'Probabilities contain NaN', an unknown key not naming the file): one line naming posterior=, the file,
    the column and the value, exit status 2, nothing written."""
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    content, message = test_posterior.DAMAGED[case]
    post = test_posterior.write(tmp_path / "abc" / "posterior.parquet", content)
    out = tmp_path / "r" / "r.html"
    assert command(["report", "scenario=kampenhout", "replicates=2", f"posterior={post}", f"out={out}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: posterior={str(post)!r}{message}") and err.count("\n") == 1, err
    assert not (tmp_path / "r").exists()


#: A name of ``n`` bytes.
def _long(n: int) -> str:
    return "a" * n


@pytest.mark.parametrize(("name", "message"), [
    # the HTML's name fits, its companion's with the temporary name does not: it failed after every run
    (_long(215) + ".html", "the name aaaaaaaaaaaaaaaaaaaaaaaa…aaaaaaaaaaa_runs.parquet is 228 bytes, 262 with the "
                           "temporary name it is written to first; allowed: a file (report.html) or a folder (dir/) "
                           "you can write to, with names of at most 221 bytes"),
    (_long(240) + ".html", "is 245 bytes, 279 with the temporary name it is written to first"),
    # longer than any name: a bare OSError (a traceback before), not naming out=
    (_long(300) + ".html", "is 305 bytes, 339 with the temporary name"),
    (_long(300) + "/r.html", "is 300 bytes; allowed: a file (report.html) or a folder (dir/) you can write to, with "
                             "names of at most 255 bytes"),
])
def test_every_file_of_the_report_must_have_a_name_that_fits(tmp_path: Path, capsys, monkeypatch, name: str,
                                                             message: str) -> None:
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    out = tmp_path / name
    assert command(["report", "scenario=kampenhout", "replicates=2", f"out={out}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: out={out}: ") and message in err and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []


def test_a_report_whose_companion_is_a_folder_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    (tmp_path / "k_verdicts.csv").mkdir()
    assert command(["report", "scenario=kampenhout", "replicates=2", f"out={tmp_path / 'k.html'}"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'k_verdicts.csv'} is not a file" in err and err.count("\n") == 1, err


@pytest.mark.parametrize(("out", "pdf", "message"), [
    # the HTML went to y.pdf, then chromium's print of that file replaced it (a 1-page PDF of the wrong thing)
    ("y.pdf", True, "the report would write its HTML and its PDF to the one file "),
    ("y.PDF", True, "the report would write its HTML and its PDF to the one file "),
    # HTML under a .pdf name
    ("y.pdf", False, " names a PDF, but out= is the HTML report"),
    ("Y.Pdf", False, " names a PDF, but out= is the HTML report"),
])
def test_out_may_not_name_a_pdf_nor_make_two_files_one(tmp_path: Path, capsys, monkeypatch, out: str, pdf: bool,
                                                       message: str) -> None:
    """Refused before any run (no browser needed: the check is of names), nothing written; the allowed names
    are said."""
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    target = tmp_path / "x" / out
    with pytest.raises(ConfigError) as caught:
        report.check_writable(target, str(target), pdf=pdf)
    assert str(caught.value).startswith(f"out={target}") and message in str(caught.value)
    assert str(caught.value).endswith("allowed: an HTML file (report.html; with pdf=true the PDF goes beside it, "
                                      "report.pdf) or a folder (dir/) you can write to")
    if pdf:
        require_chromium()  # the command line asks for the browser before it checks out=
    assert command(["report", "scenario=kampenhout", "replicates=2", f"out={target}", f"pdf={str(pdf).lower()}"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {caught.value}\n", err
    assert list(tmp_path.iterdir()) == []
    report.check_writable(tmp_path / "x" / "y.html", pdf=pdf)  # the HTML, and y.pdf beside it: allowed


@pytest.mark.parametrize("how", ["same", "relative", "link", "hard_link", "companion", "posterior", "posterior_dir"])
def test_the_report_never_writes_over_its_inputs(tmp_path: Path, capsys, monkeypatch, how: str) -> None:
    """out= (or a file beside it) that is the municipality file or the posterior, by any name, is refused: the
    report wrote itself over mine.yaml."""
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.yaml"
    mine.write_text(EXAMPLE.read_text())
    post = tmp_path / "calibration"
    post.mkdir()
    pd.DataFrame({"generation": [1], "weight": [1.0], "citizens.base_propensity": [-7.0]}).to_parquet(
        post / "posterior.parquet")
    argv = ["report", "municipality=mine.yaml", "replicates=2"]
    if how == "same":
        argv.append(f"out={mine}")
    elif how == "relative":
        argv.append("out=./sub/../mine.yaml")
        (tmp_path / "sub").mkdir()
    elif how == "link":
        (tmp_path / "link.yaml").symlink_to(mine)
        argv[1], argv = "municipality=link.yaml", [*argv, "out=mine.yaml"]
    elif how == "hard_link":
        os.link(mine, tmp_path / "r.html")
        argv.append("out=r.html")
    elif how == "companion":  # the report r.html writes r_runs.parquet beside it
        os.link(mine, tmp_path / "r_runs.parquet")
        argv.append("out=r.html")
    elif how == "posterior":
        argv += [f"posterior={post / 'posterior.parquet'}", f"out={post / 'posterior.parquet'}"]
    else:
        argv += [f"posterior={post}", f"out={post / 'posterior.parquet'}"]
    before = mine.read_bytes()
    assert command(argv) == 2
    err = capsys.readouterr().err
    assert "over its own input" in err and err.count("\n") == 1, err
    assert mine.read_bytes() == before


def test_a_report_that_fails_before_writing_leaves_no_folder(study: report.Study, tmp_path: Path) -> None:
    """The verdicts and the page are made before the report's folder: a failure there leaves none behind (an empty
    outputs/report was left)."""
    broken = report.Study(**{**study.__dict__, "baseline": "not_compared"})
    with pytest.raises(ValueError, match="no runs of the baseline"):
        report.write(broken, tmp_path / "sub" / "r.html", "en")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("lang", "message"), [
    ("nl", "gemeentebestand '{file}': initial_trust=hoog is geen getal; toegestaan: een aandeel van 0,01 tot 0,99"),
    ("en", "municipality file '{file}': initial_trust=hoog is not a number; allowed: a share from 0.01 to 0.99"),
])
def test_a_bad_municipality_file_is_refused_in_the_reports_language(tmp_path: Path, capsys, monkeypatch, lang: str,
                                                                      message: str) -> None:
    path = tmp_path / "mijn gemeente.yaml"
    path.write_text(EXAMPLE.read_text().replace("initial_trust: 0.32", "initial_trust: hoog"))
    monkeypatch.setattr(report, "run_comparison", _no_runs)
    assert command(["report", f"municipality={path}", f"lang={lang}", f"out={tmp_path / 'r.html'}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: " + message.format(file=path)) and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mijn gemeente.yaml"]


def test_an_environment_variable_never_reaches_the_report(tmp_path: Path, capsys, monkeypatch) -> None:
    """``name: "Town ${oc.env:TOKEN}"`` in a municipality file is refused; the token is nowhere."""
    monkeypatch.setenv("SIM_TEST_TOKEN", "tok-1618033988")
    path = tmp_path / "m.yaml"
    path.write_text(EXAMPLE.read_text().replace("name: Voorbeeldgemeente", 'name: "Town ${oc.env:SIM_TEST_TOKEN}"'))
    monkeypatch.setattr(report, "run_comparison", _no_runs)
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
    # and the report's lock, hidden (its note of who holds it is removed with it released)
    assert sorted(p.name for p in out.iterdir()) == [
        f".report.{hashlib.sha256(b'kampenhout_en.html').hexdigest()[:16]}.lock", "kampenhout_en.html",
        "kampenhout_en_runs.parquet", "kampenhout_en_verdicts.csv"]


def test_a_second_report_on_the_same_out_is_refused_before_its_runs(tmp_path: Path) -> None:
    """Two `python -m sim report ... out=r.html` started at once were not locked: both ran every design and wrote
    the same files (each whole, the last one won). The test process holds the report's lock, as a first report at
    work does: a second one on the same out= stops before its runs with one line naming the report, its holder and
    what to do, exit status 1 (as a second sweep on a folder); one on another file of the folder is not held up."""
    out = tmp_path / "r.html"
    out.write_text("the first report's")
    argv = [sys.executable, "-m", "sim", "report", "scenario=kampenhout", "lang=en", "replicates=2", "scale=0.05",
            "jobs=1", "designs=none,consultation"]
    with report.held(out):
        second = subprocess.run([*argv, f"out={out}"], cwd=ROOT, env=repo_env(), capture_output=True, text=True,
                                timeout=300)
        other = subprocess.run([*argv, f"out={tmp_path / 'R2.html'}"], cwd=ROOT, env=repo_env(), capture_output=True,
                               text=True, timeout=300)
    assert second.returncode == 1 and second.stderr.count("\n") == 1, second.stderr
    assert second.stderr.startswith(f"error: the report {out} is in use by another report (pid {os.getpid()} on "), \
        second.stderr
    assert second.stderr.endswith("; wait until it ends, or choose another out=\n"), second.stderr
    assert out.read_text() == "the first report's" and second.stdout == ""
    assert other.returncode == 0 and other.stdout.strip() == str(tmp_path / "R2.html"), other.stderr
    visible = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert visible == ["R2.html", "R2_runs.parquet", "R2_verdicts.csv", "r.html"]


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


def test_the_reports_pdf_may_not_be_a_link_to_its_html(tmp_path: Path) -> None:
    """a.pdf a link to a.html: out=a.html pdf=true passed the check of names, and chromium's print would have
    been written through the link over the HTML (a reviewer's case)."""
    (tmp_path / "a.html").write_text("<html></html>")
    (tmp_path / "a.pdf").symlink_to(tmp_path / "a.html")
    with pytest.raises(ConfigError, match=r"the report would write its HTML and its PDF to the one file .*a.pdf"):
        report.check_writable(tmp_path / "a.html", pdf=True)


@pytest.mark.parametrize(("argv", "message"), [
    (["scenarioo=geel"], "error: scenarioo=geel: scenarioo is not a key of report (did you mean scenario?); allowed: "
                         "scenario, municipality, lang, designs, baseline, replicates, seed, scale, jobs, out, pdf, "
                         "posterior, draws, threshold.<outcome> or a model override <section>.<key>\n"),
    (["scenario=geell"], "error: scenario=geell is not allowed (did you mean geel?); allowed: one of "
                         "antwerp_district, geel, generic, kampenhout\n"),
    (["scenario=geel", "designs=none,participatory_budge"],
     "error: designs=none,participatory_budge: 'participatory_budge' is not allowed (did you mean "
     "participatory_budget?); allowed: a list of citizens_panel, consultation, coproduction, ideas_platform, none, "
     "participatory_budget, spatial_codesign, tokenistic_consultation\n"),
    (["scenario=geel", "threshold.turnot=1"],
     "error: threshold.turnot=1.0: turnot is not an outcome with a threshold (did you mean turnout?); allowed: "
     "threshold.<outcome> for an outcome of " + ", ".join(answers.THRESHOLDS) + "\n"),
])
def test_a_misspelt_key_or_name_of_the_report_gets_the_close_one(argv: list[str], message: str, capsys) -> None:
    """A misspelt key, preset or outcome of the report listed what is allowed without the one meant (the schema's
    keys alone got "did you mean")."""
    assert command(["report", *argv]) == 2
    assert capsys.readouterr().err == message
