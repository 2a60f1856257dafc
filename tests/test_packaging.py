"""The package as users install it: ``pip install .`` (a wheel, not editable), then ``python -m sim``.

An installed package has no repository around it, so it must carry its Hydra presets
(``sim/configs`` in the wheel, see pyproject.toml) and find them from any working directory.
The wheel is built from a copy of the sources, so the test leaves no build folder in the
repository, and installed with ``--no-deps`` into a folder of its own: the dependencies come
from this environment, the ``sim`` package from the wheel.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
#: What a wheel is built from (pyproject.toml's packages and package data, and its readme).
SOURCES = ("pyproject.toml", "README.md", "sim", "configs", "experiments")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The folder into which the wheel built from this checkout is installed (``--target``)."""
    tmp = tmp_path_factory.mktemp("packaging")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():  # links (sim/configs, configs/experiment) stay links, as in a checkout
            shutil.copytree(path, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    wheels = tmp / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(src)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    assert "project.license" not in build.stdout + build.stderr, "setuptools warns about the licence"
    (wheel,) = wheels.glob("coproduction_sim-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # glob.glob follows links (configs/experiment), as building the wheel does; Path.glob does not
    presets = sorted(glob.glob("**/*.yaml", root_dir=REPO / "configs", recursive=True))
    assert "config.yaml" in presets and any(p.startswith("experiment/") for p in presets)
    missing = [p for p in presets if f"sim/configs/{p}" not in names]
    assert not missing, f"presets missing from the wheel: {missing}"
    assert {"sim/locales/en.yaml", "sim/locales/nl.yaml"} <= names, "the translations are missing from the wheel"
    target = tmp / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target),
                              str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    return target


def _run(args: list[str], target: Path, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python args`` in ``cwd`` with the installed package first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("HYDRA_FULL_ERROR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_the_installed_package_runs_from_any_directory_with_its_own_presets(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = "import json, sim, sim.config.compose as c; print(json.dumps([sim.__file__, str(c.CONFIG_DIR)]))"
    where = _run(["-c", code],
                 installed, work)
    module, config_dir = (Path(p) for p in json.loads(where.stdout))
    assert module.is_relative_to(installed) and not module.is_relative_to(REPO), module
    assert config_dir.is_relative_to(installed) and (config_dir / "config.yaml").is_file()
    out = tmp_path / "run"
    # -v: the interpreter reports the file of every module it imports, so the run itself shows
    # that its sim is the installed one and not this checkout's (the editable install)
    run = _run(["-v", "-m", "sim", "run.steps=2", "run.population_scale=0.01", f"hydra.run.dir={out}"],
               installed, work)
    assert str(installed / "sim" / "__main__.py") in run.stderr
    assert str(REPO / "sim") not in run.stderr
    for name in ("config.yaml", "timeseries.parquet", "summary.parquet", "summary.json", "groups.parquet"):
        assert (out / name).is_file(), name
    assert json.loads((out / "summary.json").read_text())["steps"] == 2
    assert len(pd.read_parquet(out / "timeseries.parquet")) == 2


def test_the_installed_package_runs_a_ready_experiment(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    out = tmp_path / "sweep"
    _run(["-m", "sim", "-m", "+experiment=design_comparison", "scenario=kampenhout", "design=none,consultation",
          "experiment.replicates=2", "experiment.figures=false", "run.steps=2", "run.population_scale=0.01",
          "hydra/launcher=basic", f"hydra.sweep.dir={out}"], installed, work)
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 4 and set(runs["design"]) == {"none", "consultation"}
    assert json.loads((out / "experiment.json").read_text())["name"] == "design_comparison"


def test_the_installed_command_runs_its_subcommands(installed, tmp_path):
    """The wheel installs the entry point ``coproduction-sim``; it answers as ``python -m sim`` does."""
    script = installed / "bin" / "coproduction-sim"
    assert script.exists()
    env = {k: v for k, v in os.environ.items() if k not in ("HYDRA_FULL_ERROR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(installed)
    helped = subprocess.run([sys.executable, str(script), "collect", "--help"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0 and "dir=<a path>" in helped.stdout, helped.stderr[-3000:]
    wrong = subprocess.run([sys.executable, str(script), "collect", "folder=x"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and wrong.stderr.startswith("error: folder=x"), wrong.stderr[-3000:]
