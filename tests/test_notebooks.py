"""The notebooks (notebooks/) run top to bottom, and each .ipynb is in step with its .py pair.

Each notebook is kept as a jupytext pair: ``<name>.py`` (percent format, the readable one in
diffs) beside ``<name>.ipynb``. After editing one, sync the other with
``.venv/bin/jupytext --sync notebooks/<name>.py``.

The notebooks are executed with nbclient in a fresh kernel whose working directory is
``notebooks/``, as a reader would run them; a cell that raises fails the test. The
researcher's notebook runs on the demo experiment it makes in a temporary folder when no
gathered results are given. Each executed notebook's figures are written to
``outputs/screenshots/notebooks/<name>_<lang>_fig<k>.png`` (``DASHBOARD_SCREENSHOTS`` moves the root),
so that they can be looked at in both languages.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

from sim import texts
from sim.experiments import answers

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PAIRS = sorted(p.stem for p in NOTEBOOKS.glob("*.py"))
#: Seconds one notebook may take (they take well under a minute each on 2 cores).
TIMEOUT = 600


def test_every_notebook_is_a_pair() -> None:
    assert PAIRS, "no notebooks found"
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == PAIRS


@pytest.mark.parametrize("name", PAIRS)
def test_pair_in_sync(name: str) -> None:
    """The .ipynb has the same cells as the .py (run `jupytext --sync` after an edit)."""
    py = jupytext.read(NOTEBOOKS / f"{name}.py")
    nb = jupytext.read(NOTEBOOKS / f"{name}.ipynb")

    def cells(notebook) -> list[tuple[str, str]]:
        return [(c.cell_type, c.source.strip()) for c in notebook.cells]

    assert cells(py) == cells(nb), f"notebooks/{name}.ipynb and .py differ: run `jupytext --sync notebooks/{name}.py`"


#: Notebooks whose every text, table and figure follows one ``LANG`` setting (sim/locales): each runs in
#: every language, and shows the first line of these phrases (its title first) in that language only.
BILINGUAL = {"compare_designs": ("nb_cd_intro", "verdict_no_clear_difference"),
             "geel": ("nb_geel_intro", "verdict_no_clear_difference", "nb_geel_token"),
             "kampenhout": ("nb_kh_intro", "verdict_no_clear_difference", "nb_kh_learning"),
             "antwerp_district": ("nb_ad_intro", "verdict_no_clear_difference", "nb_ad_honestly"),
             "experiment_results": ("nb_er_intro", "nb_er_conditions", "nb_er_summary")}
#: Code names that must never reach what a notebook shows: the design presets and the outcomes.
CODE_NAMES = (*[p.stem for p in (ROOT / "configs" / "design").glob("*.yaml") if "_" in p.stem],
              "trust_citizens", "efficacy_citizens", "legitimacy_input", "legitimacy_throughput",
              "legitimacy_output", "service_quality", "total_cost_eur", "staff_hours")


def _set_language(nb: nbformat.NotebookNode, lang: str) -> None:
    """Set ``LANG`` as papermill does: a cell after the one tagged "parameters"."""
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(f"LANG = {lang!r}"))


def _shown(nb: nbformat.NotebookNode) -> str:
    """Everything the executed notebook shows as text: printed lines, tables, markdown written by code."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for kind in ("text/plain", "text/html", "text/markdown"):
                parts.append(out.get("data", {}).get(kind, ""))
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


#: Where the executed notebooks' figures are written, to be looked at (the screenshots' root of the browser tests).
FIGURES = Path(os.environ.get("DASHBOARD_SCREENSHOTS", ROOT / "outputs" / "screenshots")) / "notebooks"


def _keep_figures(nb: nbformat.NotebookNode, stem: str) -> None:
    """Write every figure the executed notebook shows as ``<FIGURES>/<stem>_fig<k>.png`` (older ones removed)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    for old in FIGURES.glob(f"{stem}_fig*.png"):
        old.unlink()
    pngs = [o["data"]["image/png"] for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    for k, data in enumerate(pngs, start=1):
        (FIGURES / f"{stem}_fig{k:02d}.png").write_bytes(base64.b64decode(data))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lang"), [(n, lang) for n in PAIRS
                                            for lang in (("en", "nl") if n in BILINGUAL else ("en",))])
def test_notebook_runs(name: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the kernel finds the package even without the editable install that `make setup` makes
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    if name in BILINGUAL:
        _set_language(nb, lang)
    client = nbclient.NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    _keep_figures(nb, f"{name}_{lang}")
    if name in BILINGUAL:
        shown = _shown(nb)
        assert [c for c in CODE_NAMES if c in shown] == []
        other = "nl" if lang == "en" else "en"

        def first_line(key: str, language: str) -> str:
            return texts.phrase(key, language).splitlines()[0].lstrip("# ")

        for key in BILINGUAL[name]:
            assert first_line(key, lang) in shown, key
        for key in (*BILINGUAL[name], "sec_summary", "nb_cd_thresholds"):
            words = first_line(key, other)
            assert words not in shown or words == first_line(key, lang), (key, words)
        if lang == "nl":  # Dutch numbers in the tables: decimal commas (a point only between thousands: 1.554)
            assert re.search(r"\d,\d+ \[", shown) and not re.search(r"(?<![\d.])\d+\.\d{1,2} \[", shown)


#: The trainers' notebooks, one per case of the seed report.
TRAINERS = ("geel", "kampenhout", "antwerp_district")


@pytest.mark.parametrize("name", TRAINERS)
def test_trainers_notebooks_run_at_real_scale_and_scale_nothing_by_hand(name: str) -> None:
    """Every resident is simulated by default, nothing is multiplied or divided by the scale,
    no budget is shrunk with it, and the notebook says so plainly when a reader scales down."""
    source = (NOTEBOOKS / f"{name}.py").read_text()
    assert re.search(r"^POPULATION_SCALE = 1\.0\b", source, re.M), "the default must be every resident"
    assert not re.search(r"[*/]\s*POPULATION_SCALE\b(?!\))|\bPOPULATION_SCALE\s*[*/]", source.replace(
        "round(residents * POPULATION_SCALE)", "")), "counts or budgets scaled by hand"
    assert "citizens_budget_eur=" not in source, "a budget overridden with the scale"
    assert "answers.scale_words(" in source and answers.scale_words(name, 1000, 0.5, 1, 0).startswith(
        "SCALED DOWN"), "a scaled-down run must say so"


@pytest.mark.parametrize("name", TRAINERS)
def test_trainers_notebooks_use_replicates(name: str) -> None:
    """No figure or table of a trainers' notebook rests on one run: it runs replicates (sim.replicate_runs,
    sim.compare), and every direct sim.run is a replicate."""
    source = (NOTEBOOKS / f"{name}.py").read_text()
    lines = source.splitlines()
    assert any("sim.replicate_runs(" in line or "sim.compare(" in line for line in lines) or any(
        "sim.run(" in line for line in lines), "the notebook runs nothing"
    for line in [line for line in lines if "sim.run(" in line]:
        assert "replicate=" in line, f"a single run in notebooks/{name}.py: {line.strip()}"
