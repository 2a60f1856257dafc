"""The notebooks (notebooks/) run top to bottom, and each .ipynb is in step with its .py pair.

Each notebook is kept as a jupytext pair: ``<name>.py`` (percent format, the readable one in
diffs) beside ``<name>.ipynb``. After editing one, sync the other with
``.venv/bin/jupytext --sync notebooks/<name>.py``.

The notebooks are executed with nbclient in a fresh kernel whose working directory is
``notebooks/``, as a reader would run them; a cell that raises fails the test. The
researcher's notebook runs on the demo experiment it makes in a temporary folder when no
gathered results are given.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
jupytext = pytest.importorskip("jupytext")

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


@pytest.mark.slow
@pytest.mark.parametrize("name", PAIRS)
def test_notebook_runs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the kernel finds the package even without the editable install that `make setup` makes
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
