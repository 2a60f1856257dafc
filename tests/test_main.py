"""The one command line (sim/__main__.py): every command reads key=value in Hydra's override grammar,
lists its keys with --help, and answers a wrong key or value with one line and exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sim.__main__ import COMMANDS, Command, Key, UsageError, command, main
from sim.validation.patterns import PATTERNS
from tests.helpers import REPO

#: The first two patterns of the catalogue, as the error lists the allowed ones.
FIRST_PATTERNS = ", ".join(p.id for p in PATTERNS[:2])


def test_the_entry_point_is_the_command_line() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"coproduction-sim": "sim.__main__:main"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_lists_its_keys(name: str, capsys) -> None:
    assert command([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m sim {name} [key=value ...]")
    for key in COMMANDS[name].keys:
        assert f"  {key.name}=<" in out and key.help in out


@pytest.mark.parametrize(("argv", "message"), [
    (["collect"], "error: dir= is missing; allowed: a path"),
    (["collect", "dir=x", "figure=false"], "error: figure=false: figure is not a key of collect (did you mean "
                                           "figures?); allowed: dir, fig"),
    (["collect", "dir=x", "figures=maybe"], "error: figures=maybe is not allowed; allowed: true or false"),
    (["collect", "x"], "error: x is not key=value; allowed: dir, figures"),
    (["validate", "jobs=0"], "error: jobs=0 is not allowed; allowed: a whole number from 1 to 1024"),
    (["validate", "replicates=2.5"], "error: replicates=2.5 is not allowed; allowed: a whole number from 2 to 10000"),
    (["validate", "replicates=100000000"], "error: replicates=100000000 is not allowed; allowed: a whole number from 2 "
                                           "to 10000"),
    (["validate", "jobs=1,2"], "error: jobs=1,2 is several values; allowed: a whole number from 1 to 1024"),
    (["validate", "patterns=T1,X9"],
     f"error: patterns=T1,X9: 'X9' is not allowed; allowed: a list of {FIRST_PATTERNS}"),
    (["validate", "structure=[habit,nope]"], "error: structure=[habit,nope]: 'nope' is not allowed"),
    (["validate", "quick=[true"], "error: quick=[true does not parse"),
    # an accent or a ~ needs quotes, as the main command says (it said 'LexerNoViableAltException: out=...')
    (["report", "out=/tmp/é.html"], "error: out=/tmp/é.html does not parse (a character Hydra's grammar takes only "
                                    "in quotes, such as a letter with an accent: key='value'); allowed: key=value"),
    (["params", "check=yes"], "error: check=yes is not allowed; allowed: true or false"),
])
def test_a_wrong_argument_is_one_line_and_status_2(argv: list[str], message: str, capsys) -> None:
    assert command(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_lists_and_quotes_follow_hydras_grammar() -> None:
    key = Key("designs", list, [], "designs", choices=lambda: ("none", "participatory_budget", "panel"))
    cmd = Command("x", "", (key, Key("out", Path, None, "a file")), lambda v, e, line: 0)
    for arg in ("designs=none,panel", "designs=[none,panel]"):
        assert cmd.parse([arg])[0]["designs"] == ["none", "panel"]
    assert cmd.parse(["designs=none"])[0]["designs"] == ["none"]
    assert cmd.parse(["out='my report.html'"])[0]["out"] == Path("my report.html")
    with pytest.raises(UsageError, match="designs=none,x: 'x' is not allowed"):
        cmd.parse(["designs=none,x"])


def test_a_subcommand_exits_with_its_status(capsys, tmp_path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["params", "check=true", f"out={tmp_path / 'missing.md'}"])
    assert stop.value.code == 1
    assert "is out of date" in capsys.readouterr().err


def test_python_m_sim_answers_help_with_the_commands() -> None:
    proc = subprocess.run([sys.executable, "-m", "sim", "--help"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0
    assert "python -m sim report|validate|collect|params --help" in proc.stdout


def test_the_library_logs_and_only_the_command_line_prints() -> None:
    """print() appears only in sim/__main__.py, whose output is the command's; the rest of sim logs."""
    import ast

    printing = []
    for path in (REPO / "sim").rglob("*.py"):
        if path.name == "__main__.py" and path.parent.name == "sim":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                printing.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not printing, printing


def _no_work(*args, **kwargs):  # pragma: no cover - called only if out= was checked after the work
    raise AssertionError("the command started its work before out= was checked")


@pytest.fixture
def afile(tmp_path: Path) -> Path:
    path = tmp_path / "afile"
    path.write_text("x")
    return path


@pytest.mark.parametrize(("out", "message"), [
    ("{afile}", "error: out={afile}: {afile} is not a folder; allowed: a folder you can write to"),
    ("{afile}/sub", "error: out={afile}/sub: {afile} is not a folder; allowed: a folder you can write to"),
    ("/proc/nope", "error: out=/proc/nope: nothing can be written in /proc (No such file or directory); allowed: a "
                   "folder you can write to"),
    ("{tmp}/" + "a" * 300, "error: out={tmp}/" + "a" * 300 + ": the name aaaaaaaaaaaaaaaaaaaaaaaa…"),
    ("{tmp}/v", "error: out={tmp}/v: {tmp}/v/report.md is not a file; allowed: a folder you can write to"),
])
@pytest.mark.parametrize("structure", [False, True])
def test_validate_checks_out_before_any_run(out: str, message: str, structure: bool, afile: Path, tmp_path: Path,
                                             capsys, monkeypatch) -> None:
    """out= a file, a path under a file, a folder nothing can be written in: one line naming out=, exit 2, before
    the first run (tracebacks, or a bare "error: [Errno 2] ..." after the runs)."""
    from sim.validation import run

    for name in ("validate", "validate_structures", "run_patterns"):
        monkeypatch.setattr(run, name, _no_work)
    if out.endswith("/v"):  # a folder where a file of the report goes
        (tmp_path / "v" / "structures" / "habit" / "report.md" if structure else tmp_path / "v" / "report.md").mkdir(
            parents=True)
        message = message.replace("/v/report.md", "/v/structures/habit/report.md" if structure else "/v/report.md")
    out, message = (t.format(afile=afile, tmp=tmp_path) for t in (out, message))
    argv = ["validate", "patterns=T1", "quick=true", "ballots=false", f"out={out}"]
    assert command([*argv, "structure=habit"] if structure else argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


@pytest.mark.parametrize(("argv", "message"), [
    (["out={tmp}"], "error: out={tmp}: {tmp} is not a file; allowed: a file path you can write to "
                    "(docs/parameters.md), not a folder"),
    (["out={afile}/x.md"], "error: out={afile}/x.md: {afile} is not a folder; allowed: a file path"),
    (["out=/proc/nope/x.md"], "error: out=/proc/nope/x.md: nothing can be written in /proc (No such file or "
                              "directory); allowed: a file path"),
    (["check=true", "out={tmp}"], "error: out={tmp}: {tmp} is not a file; allowed: a file path (docs/parameters.md), "
                                  "not a folder"),
    (["check=true", "out={afile}/x.md"], "error: out={afile}/x.md: {afile} is not a folder; allowed: a file path"),
])
def test_params_checks_out_first(argv: list[str], message: str, afile: Path, tmp_path: Path, capsys,
                                 monkeypatch) -> None:
    """params out= a folder, a path under a file, a folder nothing can be written in: one line naming out=, exit 2
    (IsADirectoryError, FileExistsError tracebacks, or a bare "error: [Errno 2] ..." before)."""
    from sim.config import params_doc

    for name in ("write", "up_to_date", "render"):
        monkeypatch.setattr(params_doc, name, _no_work)
    assert command(["params", *(a.format(afile=afile, tmp=tmp_path) for a in argv)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message.format(afile=afile, tmp=tmp_path)) and err.count("\n") == 1, err


@pytest.mark.parametrize("target", ["preset", "schema", "link"])
def test_params_never_writes_over_what_it_reads(target: str, tmp_path: Path, capsys, monkeypatch) -> None:
    """params out= a preset file, the schema's module or a link to a preset: one line, exit 2, the file unchanged
    (params wrote docs/parameters.md's text over its own sources)."""
    from sim.config import params_doc
    from sim.config.compose import CONFIG_DIR

    monkeypatch.setattr(params_doc, "write", _no_work)
    source = {"preset": CONFIG_DIR / "design" / "none.yaml", "schema": Path(params_doc.__file__).parent / "schema.py",
              "link": CONFIG_DIR / "scenario" / "geel.yaml"}[target]
    out = source
    if target == "link":
        out = tmp_path / "parameters.md"
        out.symlink_to(source)
    before = source.read_bytes()
    assert command(["params", f"out={out}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: out={out}: {out} is in ") and "which the command reads; allowed: a file path you " \
        "can write to (docs/parameters.md), not a folder, outside the package" in err and err.count("\n") == 1, err
    assert source.read_bytes() == before


def test_a_hard_link_to_a_source_is_the_source(tmp_path: Path) -> None:
    """check_not_within finds a file of the folders under another name (a hard link), and lets other files be."""
    from sim import writable
    from sim.config.keys import ConfigError

    sources = tmp_path / "package"
    sources.mkdir()
    (sources / "schema.py").write_text("x = 1\n")
    os.link(sources / "schema.py", tmp_path / "out.md")
    with pytest.raises(ConfigError, match=r"out=o: .*out.md is .*schema.py, which the command reads; allowed: a"):
        writable.check_not_within(tmp_path / "out.md", [sources], "out=o", "a file")
    (tmp_path / "other.md").write_text("y\n")
    writable.check_not_within(tmp_path / "other.md", [sources], "out=o", "a file")
    writable.check_not_within(tmp_path / "new.md", [sources], "out=o", "a file")


@pytest.mark.parametrize(("argv", "says"), [
    (["report", "municipality=m.yaml"], "interrupted: no half-written file is kept as finished; start it again to run "
                                        "it from the beginning\n"),
    (["-m", "seed=0,1"], "interrupted: no half-written file is kept as finished; a sweep started again with the same "
                         "command goes on from its finished runs; a single run starts from the beginning\n"),
])
def test_ctrl_c_says_what_starting_again_does(argv: list[str], says: str, capsys, monkeypatch) -> None:
    """Ctrl-C on the report or validate said that the command would go on from its finished runs, which only a
    sweep does."""
    import sim.__main__ as cli

    def interrupted(args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", interrupted)
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 130 and capsys.readouterr().err == "\n" + says


def test_sigterm_says_stopped_exits_143_and_main_leaves_the_handler_as_it_found_it(capsys, monkeypatch) -> None:
    """SIGTERM in main() takes Ctrl-C's path with its own word and status; after main() the handler is the one
    before (main called in a process that has its own, as here)."""
    import signal

    import sim.__main__ as cli

    def terminated(args: object) -> None:
        assert signal.getsignal(signal.SIGTERM) is not before
        signal.raise_signal(signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(cli, "_main", terminated)
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "municipality=m.yaml"])
    assert stop.value.code == 143
    assert capsys.readouterr().err == ("\nstopped (SIGTERM): no half-written file is kept as finished; start it again "
                                       "to run it from the beginning\n")
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize(("argv", "message"), [
    (["collect", "dir=a", "dir=b"], "error: dir=b: dir is given twice; allowed: each key once\n"),
    (["report", "municipality=m.yaml", "seed=1", "seed=2"], "error: seed=2: seed is given twice; allowed: each key "
                                                            "once\n"),
    (["report", "municipality=m.yaml", "out="], "error: out= is not allowed; allowed: "),
    (["report", "municipality=m.yaml", "posterior="], "error: posterior= is not allowed; allowed: "),
])
def test_a_key_given_twice_or_a_path_left_empty_is_one_line(argv: list[str], message: str, capsys) -> None:
    """A key given twice kept the last one without a word; an empty out= wrote the default file, an empty
    posterior= read the working folder ('.')."""
    assert command(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


@pytest.mark.parametrize(("argv", "message"), [
    (["validate", "jobz=2"], "error: jobz=2: jobz is not a key of validate (did you mean jobs?); allowed: replicates, "
                             "quick, patterns, jobs, out, strict, ballots, structure\n"),
    (["collect", "dri=x"], "error: dri=x: dri is not a key of collect (did you mean dir?); allowed: dir, figures\n"),
    (["params", "chek=true"], "error: chek=true: chek is not a key of params (did you mean check?); allowed: check, "
                              "out\n"),
])
def test_a_misspelt_key_of_a_command_gets_the_close_one(argv: list[str], message: str, capsys) -> None:
    """`validate jobz=2` listed the keys without the one meant (the schema's keys alone got "did you mean")."""
    assert command(argv) == 2
    assert capsys.readouterr().err == message


def test_a_misspelt_command_gets_the_close_one(capsys) -> None:
    """`python -m sim reprot scenario=geel` said "'reprot' is not an override"."""
    with pytest.raises(SystemExit) as stop:
        main(["reprot", "scenario=geel"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == (
        "error: 'reprot' is not a command or an override (did you mean report?); allowed: a command (report, "
        "validate, collect, dashboard, classroom, params) or key=value in Hydra's override grammar (a,b or [a,b]; "
        "range(0,10,2); choice(a,b); quotes for spaces)\n")
