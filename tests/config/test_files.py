"""Reading YAML files that users write or bring (sim.config.files): how deep a file may nest.

PyYAML's composer calls itself for every level of lists and mappings: a 2 KB file nested 1,000 deep ended in a
RecursionError of 3,000 lines, from a municipality file (``python -m sim report``) as from an experiment file
(``python -m sim +experiment=...``). The depth is counted as the file is read and refused at MAX_DEPTH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.config.files import MAX_DEPTH, FileError, load_yaml
from tests.helpers import REPO


def _nested(levels: int) -> str:
    """A list ``levels`` deep under one key: the file itself is one more level."""
    return "[" * levels + "0.5" + "]" * levels


@pytest.mark.parametrize("as_text", [False, True])
def test_a_file_may_nest_max_depth_levels_and_no_more(tmp_path: Path, as_text: bool) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(f"name: x\nwomen_share: {_nested(MAX_DEPTH - 1)}\n")
    assert load_yaml(path, as_text=as_text)["name"] == "x"
    for levels in (MAX_DEPTH, 1_000, 5_000):
        path.write_text(f"name: x\nwomen_share: {_nested(levels)}\n")
        with pytest.raises(FileError) as info:
            load_yaml(path, as_text=as_text, what="municipality file")
        assert info.value.code == "too_deep" and info.value.details == {"line": 2, "depth": MAX_DEPTH}
        assert str(info.value) == (f"municipality file '{path}', line 2: lists and mappings nest more than "
                                   f"{MAX_DEPTH} levels deep; allowed: at most {MAX_DEPTH}")


def test_nested_mappings_count_as_levels(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("".join(f"{'  ' * i}k{i}:\n" for i in range(30)) + "  " * 30 + "v: 1\n")
    with pytest.raises(FileError, match=f"line {MAX_DEPTH + 1}: lists and mappings nest more than {MAX_DEPTH}"):
        load_yaml(path)


def test_a_deep_experiment_file_is_one_line(tmp_path: Path) -> None:
    """``outcomes:`` nested 1,000 deep in an experiment file from elsewhere: one line, exit status 2, nothing
    written (the check before Hydra reads the file with load_yaml)."""
    folder = tmp_path / "configs" / "experiment"
    folder.mkdir(parents=True)
    path = folder / "deep.yaml"
    path.write_text(f"# @package _global_\nexperiment:\n  name: d\n  outcomes: {_nested(1_000)}\n")
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run([sys.executable, "-m", "sim", "--config-dir", str(tmp_path / "configs"), "+experiment=deep",
                           "run.steps=2"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr == (f"error: experiment file '{path}', line 4: lists and mappings nest more than {MAX_DEPTH} "
                           f"levels deep; allowed: at most {MAX_DEPTH}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["configs"]


@pytest.mark.parametrize("bom", ["\ufeff", ""], ids=["bom", "no_bom"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_file_saved_as_utf16_or_utf32_is_named_so(tmp_path: Path, bom: str, encoding: str) -> None:
    """An experiment file saved as UTF-16 was 'not a text file (byte 0 is not UTF-8)', or 'holds a NUL character';
    one saved as UTF-32 was called UTF-16 (its byte order mark starts as UTF-16's) or said to hold a NUL."""
    path = tmp_path / "wide.yaml"
    path.write_bytes((bom + "# @package _global_\nexperiment:\n  name: \u00e9t\u00e9\n").encode(encoding))
    with pytest.raises(FileError) as info:
        load_yaml(path, what="experiment file")
    if encoding.startswith("utf-32"):
        assert info.value.code == "utf32"
        assert str(info.value) == (f"experiment file '{path}' looks like a text in UTF-32, not UTF-8; allowed: a text "
                                   "file in UTF-8 (save it again with the encoding UTF-8)")
        return
    assert info.value.code == "utf16"
    assert str(info.value) == (f"experiment file '{path}' looks like a text in UTF-16 (as Windows saves 'Unicode' "
                               "or 'UTF-16 LE'), not UTF-8; allowed: a text file in UTF-8 (save it again with the "
                               "encoding UTF-8)")
