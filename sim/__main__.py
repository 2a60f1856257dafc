"""The one command line: ``coproduction-sim`` (installed) or ``python -m sim``, always ``key=value``.

::

    python -m sim [key=value ...]                  one run (or, with -m, a sweep): Hydra's overrides
    python -m sim report [key=value ...]           the municipal report (one HTML file)
    python -m sim validate [key=value ...]         the validation report (docs/validation/)
    python -m sim collect dir=<sweep folder>       rebuild a sweep's tables and figures
    python -m sim params [check=true]              (re)write docs/parameters.md, or check it
    python -m sim dashboard [lan=true]             serve the trainers' dashboard (this computer, or a classroom)

Examples::

    python -m sim scenario=geel design=participatory_budget seed=3
    python -m sim -m +experiment=design_comparison
    python -m sim report scenario=geel lang=en
    python -m sim validate jobs=2

A run's folder (``hydra.run.dir``, by default ``outputs/runs/<scenario>/<design>/...``) receives
config.yaml, timeseries.parquet, summary.parquet, summary.json, groups.parquet, projects.parquet,
cycles.parquet and figures/. Every command reads its arguments in Hydra's override grammar
(``key=value``, lists as ``a,b`` or ``[a,b]``, quotes for spaces); ``<command> --help`` lists its
keys. A wrong key or value stops before anything is written, with one line
``error: <key>=<value> ...; allowed: ...`` and exit status 2.

This module is the command-line layer: it parses, sets up logging, calls the library and prints
the command's own output (a run's summary, the report's path, counts). The library logs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from sim.config import params_doc
from sim.config.compose import CONFIG_DIR, mapping, preset_names, to_config
from sim.config.keys import ConfigError, check_override_length, did_you_mean
from sim.config.schema import IN_PROCESS_KINDS, ExperimentKind, register_configs
from sim.experiments import prevalidate
from sim.experiments.launcher import catch_dead_workers
from sim.experiments.sweep import experiment_kind, plain_run, run_job
from sim.io import atomic_write_text
from sim.workers import Terminated, die_with_parent, mark_launcher, stop_on_sigterm

log = logging.getLogger(__name__)


# =========================================================================== key=value, for every command

class UsageError(ValueError):
    """A command's argument is not one of its keys, or not a value the key allows."""


@dataclasses.dataclass(frozen=True)
class Key:
    """A ``key=value`` a command accepts: its type, default and what it does.

    ``kind`` is str, int, float, bool, Path or list (of str: ``a,b`` or ``[a,b]``); ``choices`` gives
    the allowed values (of each item of a list) when called; ``least`` and ``most`` are the smallest and the
    largest number allowed.
    """

    name: str
    kind: type
    default: Any
    help: str
    choices: Callable[[], Sequence[str]] | None = None
    least: float | None = None
    most: float | None = None
    required: bool = False
    words: str | None = None  # what the key allows, where its kind does not say it
    path: bool = False  # a text that names a file or folder (as a Path key does): never empty

    def allowed(self) -> str:
        """What the key allows, in words (for ``--help`` and errors)."""
        if self.words is not None:
            return self.words
        if self.choices is not None:
            words = ", ".join(self.choices())
            return f"{'a list of ' if self.kind is list else 'one of '}{words}"
        base = {str: "a text", Path: "a path", bool: "true or false", list: "a list (a,b or [a,b])",
                int: "a whole number", float: "a number"}[self.kind]
        if self.least is not None and self.most is not None:
            return f"{base} from {self.least:g} to {self.most:g}"
        return f"{base} >= {self.least:g}" if self.least is not None else base

    def convert(self, raw: str, value: Any, sweep: list[str] | None) -> Any:
        """The value of ``raw`` (parsed by Hydra's grammar as ``value``, or a sweep ``a,b``) as this key's kind."""
        if self.kind is list:
            items = sweep if sweep is not None else value if isinstance(value, list) else [value]
            out = [str(v) for v in items if v is not None and str(v) != ""]
            if not out:
                raise UsageError(f"{self.name}={raw} is empty; allowed: {self.allowed()}")
            bad = [v for v in out if self.choices is not None and v not in self.choices()]
            if bad:
                hint = did_you_mean(bad[0], self.choices()) if self.choices is not None else ""
                raise UsageError(f"{self.name}={raw}: {bad[0]!r} is not allowed{hint}; allowed: {self.allowed()}")
            twice = [v for i, v in enumerate(out) if v in out[:i]]
            if twice:
                raise UsageError(f"{self.name}={raw} names {twice[0]} twice; allowed: each once, from "
                                 f"{self.allowed().removeprefix('a list of ')}")
            return out
        if sweep is not None or isinstance(value, list | dict):
            raise UsageError(f"{self.name}={raw} is several values; allowed: {self.allowed()}")
        if self.kind is bool:
            ok = isinstance(value, bool)
        elif self.kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        else:
            # an empty path (out=, dir=, posterior=) names nothing; an empty text key says its own reason below
            ok, value = value is not None and not (str(value) == "" and (self.kind is Path or self.path)), str(value)
        if ok and self.least is not None and value < self.least:
            ok = False
        if ok and self.most is not None and value > self.most:
            ok = False
        if ok and self.choices is not None and value not in self.choices():
            ok = False
        if not ok:
            hint = did_you_mean(value, self.choices()) if self.choices is not None else ""
            raise UsageError(f"{self.name}={raw} is not allowed{hint}; allowed: {self.allowed()}")
        return Path(value) if self.kind is Path else value


@dataclasses.dataclass(frozen=True)
class Command:
    """A subcommand: its keys, and what it does with their values (``run(values, extra, line)``, ``line`` the
    command as typed, for the files it writes: the exit status).

    ``extra`` describes the other ``key=value`` the command passes on as they are (a model override,
    a threshold), accepted when ``accepts(key)``; each goes to ``run`` as (key, value as typed, raw text).
    ``extra_keys`` names those keys in a few words, for the error that lists the keys allowed.
    """

    name: str
    summary: str
    keys: tuple[Key, ...]
    run: Callable[[dict[str, Any], list[tuple[str, Any, str]], str], int]
    extra: str = ""
    accepts: Callable[[str], bool] = lambda key: False
    extra_keys: str = ""

    def help(self) -> str:
        lines = [f"usage: python -m sim {self.name} [key=value ...]   (coproduction-sim {self.name} ...)", "",
                 self.summary, "", "keys:"]
        for k in self.keys:
            shown = (str(k.default).lower() if isinstance(k.default, bool) else ",".join(k.default)
                     if isinstance(k.default, list) else k.default)
            default = "required" if k.required else f"default {shown if shown not in (None, '') else '-'}"
            lines.append(f"  {k.name}=<{k.allowed()}>   ({default})")
            lines.append(f"      {k.help}")
        if self.extra:
            lines += ["", self.extra]
        return "\n".join(lines)

    def parse(self, argv: Sequence[str]) -> tuple[dict[str, Any], list[tuple[str, Any, str]]]:
        """The keys' values (defaults for the others) and the extra arguments; UsageError for a wrong one."""
        keys = {k.name: k for k in self.keys}
        values = {k.name: k.default for k in self.keys}
        extra = []
        parser = OverridesParser.create()
        given: set[str] = set()
        for arg in argv:
            check_override_length(arg)
            name, _, raw = arg.partition("=")
            if not _:
                raise UsageError(f"{arg} is not key=value; allowed: {', '.join(keys)}")
            if name in keys and name in given:  # the last one silently won
                raise UsageError(f"{arg}: {name} is given twice; allowed: each key once")
            given.add(name)
            try:
                (override,) = parser.parse_overrides([arg])
            except HydraException as exc:  # as the main command says it: quotes for an accent, a space, a ~
                raise UsageError(f"{arg} does not parse ({prevalidate.parse_problem(exc)}); allowed: "
                                 f"{prevalidate.GRAMMAR}") from None
            sweep = list(override.sweep_string_iterator()) if override.is_sweep_override() else None
            value = None if sweep is not None else override.value()
            if name in keys:
                values[name] = keys[name].convert(raw, value, sweep)
            elif self.accepts(name):
                extra.append((name, value, raw))
            else:
                more = f", {self.extra_keys}" if self.extra_keys else ""
                raise UsageError(f"{arg}: {name} is not a key of {self.name}{did_you_mean(name, keys)}; allowed: "
                                 f"{', '.join(keys)}{more}")
        missing = [k.name for k in self.keys if k.required and values[k.name] is None]
        if missing:
            key = keys[missing[0]]
            raise UsageError(f"{key.name}= is missing; allowed: {key.allowed()}")
        return values, extra


# =========================================================================== one run, or a sweep (Hydra)

@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def hydra_run(cfg: DictConfig) -> None:
    """Run one configuration, or one job of a sweep or experiment, into Hydra's output folder."""
    die_with_parent()  # a job in a local worker process ends with its launcher (sim.workers)
    hc = HydraConfig.get()
    folder = Path(hc.runtime.output_dir)
    if OmegaConf.select(cfg, "experiment.scheduler", default=""):  # Hydra recorded the command line: no password
        from sim.experiments.abc_settings import redact_records

        records = [folder / hc.output_subdir / f"{n}.yaml" for n in ("config", "hydra", "overrides")] \
            if hc.output_subdir else []
        if hc.mode == RunMode.MULTIRUN:
            records.append(Path(hc.sweep.dir) / "multirun.yaml")
        redact_records(records, cfg.experiment.scheduler)

    kind = experiment_kind(cfg)
    if hc.mode == RunMode.MULTIRUN:  # a job: its runs record their own failures (sim.experiments.sweep)
        _experiment_job(cfg, folder, list(hc.overrides.task), kind)
        return
    # lazy: the callbacks' module loads filelock
    from sim.experiments.callbacks import lock_folder, unlock_folder

    # two runs started in one folder (the same hydra.run.dir, or the default's name in the same second) mixed their
    # files under one status: the second is refused, the first's results stay whole
    lock = lock_folder(folder, "choose another hydra.run.dir, or wait until it ends", what="run")
    try:
        _single(cfg, folder, hc, kind)
    finally:
        unlock_folder(folder, lock)


def _single(cfg: DictConfig, folder: Path, hc: Any, kind: ExperimentKind) -> None:
    """One run, or an experiment run in this process (draws of a posterior, a calibration), into ``folder``."""
    try:
        if not plain_run(cfg):  # an experiment (posterior draws too: each draw's replicates, gathered)
            _experiment_job(cfg, folder, list(hc.overrides.task), kind)
            return
        # lazy: Mesa and pandas are never loaded by the process that launches a sweep
        from sim.api import run_config

        config = to_config(cfg)
        result = run_config(config)
        result.save(folder)
    except OSError as exc:  # a full disk, a folder that cannot be written: one line, not Hydra's traceback
        log.debug("the command failed", exc_info=True)
        raise CommandFailed(f"error: {type(exc).__name__}: {exc}; the results in {folder} are incomplete") from None
    except ConfigError as exc:  # bad input only the work itself could find (a calibration's runs too small to measure)
        log.debug("the command failed", exc_info=True)
        raise CommandFailed(f"error: {exc}; the results in {folder} are incomplete") from None
    _print_summary(result.summary, folder)


class CommandFailed(SystemExit):
    """Stops a command with a one-line message on stderr and exit status 1 (Hydra passes a SystemExit on,
    where it would print any other exception with its traceback)."""


def _calibration_line(result: dict) -> str:
    return (f"calibration of {list(result['parameters'])}: {result['parameters']} "
            f"(fitted {result['fitted']} against targets {result['targets']}; loss {result['loss']:.4g})")


def _abc_line(result: dict) -> str:
    post = ", ".join(f"{k} {v['mean']:.3g} [{v['q2.5']:.3g}, {v['q97.5']:.3g}]" for k, v in result["posterior"].items())
    ess = result.get("effective_sample_sizes")  # absent from an abc.json written before it was kept
    worth = (f" (effective sample size {ess[-1]:.0f} of {result.get('population', '?')})"
             if isinstance(ess, list) and ess and isinstance(ess[-1], int | float) else "")
    return (f"ABC-SMC: {result['evaluations']} evaluations in {result['seconds']} s, {result['generations_run']} "
            f"generations, last epsilon {result['epsilons'][-1]:.3g}{worth}; posterior mean [95 %]: {post}")


def _discovery_line(result: dict) -> str:
    box = result["box"]
    found = (f"box with coverage {box['coverage']:.0%}, density {box['density']:.0%} on "
             + ", ".join(f"{r['parameter']} in [{r['low']:.3g}, {r['high']:.3g}]" for r in box["limits"])
             if box and box["limits"] else result.get("note", "no restricting box"))
    return f"scenario discovery: {result['question']} {result['cases']} of {result['samples']} points; {found}"


#: Experiments that run in this process instead of a sweep of runs: (module, function, headline).
_IN_PROCESS = {
    ExperimentKind.calibration: ("sim.experiments.calibration", "calibrate", _calibration_line),
    ExperimentKind.abc: ("sim.experiments.abc", "run_experiment", _abc_line),
    ExperimentKind.discovery: ("sim.experiments.discovery", "run_experiment", _discovery_line),
}
assert set(_IN_PROCESS) == IN_PROCESS_KINDS


def _experiment_job(cfg: DictConfig, folder: Path, task_overrides: list[str], kind: ExperimentKind) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    info = {**mapping(cfg.experiment), "kind": kind.name, "seed": int(cfg.seed)}
    if info.get("scheduler"):  # a Redis password is never written into a result (redis://:***@host:port)
        from sim.experiments.abc_settings import shown_scheduler

        info["scheduler"] = shown_scheduler(info["scheduler"])
    multirun = HydraConfig.get().mode == RunMode.MULTIRUN
    root = Path(HydraConfig.get().sweep.dir) if multirun else folder
    # lazy: the callbacks' module loads filelock
    from sim.experiments.callbacks import check_results_folder

    # checked again here, the folder locked, and by each job of a sweep that chooses its experiment (+experiment=a,b)
    check_results_folder(root, cfg, "hydra.sweep.dir" if multirun else "hydra.run.dir", CommandFailed)
    root.mkdir(parents=True, exist_ok=True)
    if kind in IN_PROCESS_KINDS:
        module, function, headline = _IN_PROCESS[kind]
        # imported by name, when run: an in-process experiment's module loads pandas, the launcher does not
        result = getattr(importlib.import_module(module), function)(cfg, folder)
        # written once its results are: a calibration stopped part-way leaves the last one's settings beside it
        atomic_write_text(root / "experiment.json", json.dumps(info, indent=2, default=str))
        print(f"{headline(result)}; results in {folder}")
        return
    atomic_write_text(root / "experiment.json", json.dumps(info, indent=2, default=str))
    counts = run_job(cfg, root / "runs", task_overrides)
    if not multirun:
        # lazy: pandas and pyarrow, only for an experiment run without a sweep
        from sim.experiments.collect import collect

        collect(folder, figures=bool(cfg.experiment.figures))
    log.info("job %s: %d runs done, %d skipped (finished before), %d failed",
             folder.name, counts["ok"], counts["skipped"], counts["failed"])


def _print_summary(s, folder: Path) -> None:
    print(f"{s['scenario']} / {s['design']} / seed {s['seed']}: {s['population']:,} residents, "
          f"{s['steps']} months, {s['cycles']} cycles")
    print(f"  turnout per cycle      {100 * s['turnout']:.2f} % of residents "
          f"({100 * s['turnout_eligible']:.2f} % of eligible), representativeness {s['representativeness']:.2f}")
    print(f"  proposals              {s['proposals_submitted']} submitted, {s['proposals_adopted']} adopted, "
          f"{s['proposals_implemented']} implemented, {s['decisions_reopened']} reopened")
    print(f"  residents who agree    trust {100 * s['trust_citizens']:.1f} %   "
          f"can influence {100 * s['efficacy_citizens']:.1f} %   (fear {s['fear_citizens']:.3f})")
    print(f"  legitimacy             {100 * s['legitimacy']:.1f} % (involved {100 * s['legitimacy_input']:.1f} %, "
          f"fair and open {100 * s['legitimacy_throughput']:.1f} %, satisfied {100 * s['legitimacy_output']:.1f} %)")
    print(f"  project money spent    EUR {s['budget_spent']:,.0f} (residents decided on EUR "
          f"{s['budget_residents']:,.0f}, the council on EUR {s['budget_council']:,.0f})")
    print(f"  service quality        {s['service_quality']:.3f}   equity {s['service_quality_equity']:.3f}")
    print(f"  results in             {folder}")


def _run_command(argv: list[str]) -> None:
    """``python -m sim [key=value ...]``: check the overrides first (sim.experiments.prevalidate), so bad input
    writes nothing and answers with one line; then Hydra."""
    register_configs()
    first = argv[0] if argv else ""
    if first and "=" not in first and not first.startswith(("-", "~", "+")) and did_you_mean(first, COMMANDS):
        # a misspelt command (reprot) was "'reprot' is not an override"
        print(f"error: {first!r} is not a command or an override{did_you_mean(first, COMMANDS)}; allowed: a command "
              f"({', '.join(COMMANDS)}) or {prevalidate.GRAMMAR}", file=sys.stderr)
        sys.exit(2)
    try:
        prevalidate.check(argv)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if "Could not load 'hydra/launcher/" in str(exc):
            print("hint: that launcher's Hydra plugin is not installed: install the extra it needs "
                  "(experiments, ray or slurm; see experiments/README.md) or choose hydra/launcher=basic",
                  file=sys.stderr)
        sys.exit(2)
    mark_launcher()  # before Hydra starts any worker: they watch this process (sim.workers)
    catch_dead_workers()  # a local worker that dies alone ends the sweep with one line (sim.experiments.launcher)
    hydra_run()
    # The process ends here: freeze the heap so that the interpreter's final garbage
    # collections skip it (the OS frees the memory); this saves ~0.3 s per command.
    gc.freeze()


# =========================================================================== the subcommands

def _report(values: dict[str, Any], extra: list[tuple[str, Any, str]], line: str) -> int:
    # lazy: the model, pandas and matplotlib load only for the command that needs them
    from sim.apps import report
    from sim.plots import DESIGNS

    thresholds, overrides = {}, []
    for key, value, raw in extra:
        if key.startswith("threshold."):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UsageError(f"{key}={raw} is not a number; allowed: a number >= 0")
            thresholds[key.split(".", 1)[1]] = float(value)
        else:
            overrides.append(f"{key}={raw}")
    lang = values["lang"]
    municipality = values["municipality"]
    scenario = values["scenario"] if municipality is None else (values["scenario"] or None)
    outs: list[Path] = []
    holding = contextlib.ExitStack()

    def place(name: str) -> None:
        """Where the report goes, checked once the municipality's name is known, and held for this report (a second
        one on the same out= stops here, one line, exit status 1), before any run."""
        out = report.output_path(values["out"], name, lang)
        inputs = [(k, values[k]) for k in ("municipality", "posterior") if values[k] is not None]
        report.check_writable(out, values["out"], inputs, pdf=values["pdf"])
        holding.enter_context(report.held(out))
        outs.append(out)

    if values["pdf"]:
        report.chromium()  # before the runs: a missing browser is one line, not a lost half hour
    with holding:  # released once the report is written, or failed
        study = report.study(scenario=scenario or (None if municipality else "geel"), municipality_file=municipality,
                             designs=values["designs"] or list(DESIGNS), baseline=values["baseline"],
                             replicates=values["replicates"], seed=values["seed"], scale=values["scale"],
                             jobs=values["jobs"], thresholds=thresholds, overrides=overrides,
                             posterior=values["posterior"], draws=values["draws"], lang=lang, before_runs=place)
        print(report.write(study, outs[0], lang, command=line, pdf=values["pdf"]))
    return 0


def _validate(values: dict[str, Any], extra: list[tuple[str, Any, str]], line: str) -> int:
    # lazy: the model, pandas and matplotlib load only for the command that needs them
    from sim.validation import report, run

    patterns, replicates, scale = run.choose(values["patterns"], values["quick"], values["replicates"])
    out = values["out"] or report.DEFAULT_OUT
    _validate_out(out, values, report)
    command = line
    if values["structure"]:
        tables = run.validate_structures(values["structure"], patterns, replicates, scale=scale,
                                         jobs=values["jobs"], out=out, command=command)
        for name, table in tables.items():
            print(f"{name}: " + ", ".join(f"{use} {held} of {n}" for use, (held, n) in report.counts(table).items()))
        ok = all((t["status"] == "holds").all() for t in tables.values())
    else:
        table, path = run.validate(patterns, replicates, scale=scale, jobs=values["jobs"], out=out,
                                   ballots=values["ballots"], command=command)
        for use, (held, n) in report.counts(table).items():
            print(f"{use}: {held} of {n} hold")
        print(f"wrote {path}")
        ok = bool((table["status"] == "holds").all())
    return 0 if ok or not values["strict"] else 1


def _validate_out(out: Path, values: dict[str, Any], report: Any) -> None:
    """The folder ``out=`` takes every file validate writes (``report``: sim.validation.report, whose
    ``FILES`` and ``BALLOT_FILES`` they are; checked before any run): ConfigError naming it."""
    from sim import writable  # lazy, as every command's own modules

    shown = f"out={values['out'] if values['out'] is not None else ''}"
    files = list(report.FILES)
    allowed = f"a folder you can write to (it receives {', '.join(files[:-1])} and {files[-1]})"
    if not values["structure"]:
        ballots = list(report.BALLOT_FILES) if values["ballots"] else []
        writable.check_folder(out, shown, allowed, files + ballots)
        return
    names = [n for n in _structure_names() if n != "all"] if values["structure"] == ["all"] else values["structure"]
    writable.check_folder(out / "structures", shown, allowed, ["README.md"])
    for name in names:
        writable.check_folder(out / "structures" / name, shown, allowed, files)


def _collect(values: dict[str, Any], extra: list[tuple[str, Any, str]], line: str) -> int:
    # lazy: pandas and pyarrow load only for the command that needs them
    from sim.experiments.callbacks import lock_folder, unlock_folder
    from sim.experiments.collect import DamagedExperiment, check_sweep_folder, collect

    folder = values["dir"]
    try:
        info = check_sweep_folder(folder)  # FileNotFoundError: not a sweep's folder, a wrong argument (exit status 2)
    except DamagedExperiment as exc:  # a damaged file, as a damaged run: exit status 1
        print(f"error: {exc}", file=sys.stderr)
        return 1
    # a sweep at work on the folder gathers its runs when done: one line, exit 1
    lock = lock_folder(Path(folder), "wait until it ends: it gathers its runs itself")
    try:
        out = collect(folder, figures=values["figures"], info=info)
    except FileNotFoundError:  # no such sweep folder: a wrong argument (exit status 2)
        raise
    except OSError as exc:  # e.g. a full disk: the tables are missing or stale
        print(f"error: gathering {folder} failed ({exc}); its tables are missing or stale", file=sys.stderr)
        return 1
    finally:
        unlock_folder(Path(folder), lock)
    damaged = out["damaged"]
    print(f"{folder}: {len(out['runs'])} runs gathered, {len(out['failures'])} failed"
          + (f", {len(damaged)} damaged (not gathered)" if len(damaged) else ""))
    if len(damaged):  # each is named in a log line above
        print(f"error: {len(damaged)} damaged runs (listed in {Path(folder) / 'damaged.csv'}); start the sweep "
              "again on this folder to redo them", file=sys.stderr)
        return 1
    return 0


def _params(values: dict[str, Any], extra: list[tuple[str, Any, str]], line: str) -> int:
    from sim import writable  # lazy, as every command's own modules

    path = values["out"] or params_doc.OUTPUT
    shown = f"out={values['out'] if values['out'] is not None else ''}"
    if values["check"]:
        writable.check_readable(path, shown, "a file path (docs/parameters.md), not a folder")
    else:
        allowed = "a file path you can write to (docs/parameters.md), not a folder, outside the package"
        writable.check_file(path, shown, allowed)
        # the schema and the presets it renders are read from the package: never written over
        writable.check_not_within(path, [Path(params_doc.__file__).parents[1], CONFIG_DIR], shown, allowed)
    if values["check"]:
        if not params_doc.up_to_date(path):
            print(f"{path} is out of date; run `python -m sim params` to regenerate it.", file=sys.stderr)
            return 1
        print(f"{path} is up to date.")
        return 0
    print(f"wrote {params_doc.write(path)}")
    return 0


def _dashboard(values: dict[str, Any], extra: list[tuple[str, Any, str]], line: str) -> int:
    from sim.apps import serve  # lazy: the launcher loads only for the command that serves the dashboard

    host = serve.LOCALHOST
    if values["lan"]:
        found = serve.lan_address()
        if found is None:
            raise UsageError("lan=true but this computer is on no network; allowed: lan=true once it is connected "
                             "to the classroom's network (wifi or cable), or lan=false for this computer only")
        host = found
    _check_server(values, host)
    sessions = None if values["sessions"] < 0 else values["sessions"]
    return serve.serve(values["port"], host, values["cull"], sessions)


def _classroom(values: dict[str, Any], extra: list[tuple[str, Any, str]], line: str) -> int:
    from sim.apps.classroom import serve  # lazy: Solara and the server load only for the command that serves them

    lan = values["lan"]
    _check_server(values, serve.lan_address() if lan else values["host"], "lan" if lan else "host")
    return serve.run(lan=values["lan"], host=values["host"], port=values["port"], cull=values["cull"],
                     max_per_session=values["pages"])


def _check_server(values: dict[str, Any], host: str, key: str = "lan") -> None:
    """A server's options (the dashboard's and the classroom's), before it announces anything: ``cull`` is a
    duration Solara reads, and ``host`` (from the option ``key``) with ``port`` can be bound (a probe socket is
    bound and closed). UsageError naming the option."""
    from sim.apps import serve  # lazy: Solara loads only for the commands that serve it

    serve.check_cull(values["cull"])  # ConfigError: one line, exit 2
    port = values["port"]
    problem = serve.bind_error(host, port)
    if problem is None:
        return
    why = problem.strerror or str(problem)
    if problem.errno in (errno.EADDRINUSE, errno.EACCES):
        raise UsageError(f"port={port} cannot be opened on {host} ({why}); allowed: a free port you may open "
                         "(from 1024 to 65535 without administrator rights)")
    shown = f"host={host}" if key == "host" else f"lan={str(values['lan']).lower()} (address {host})"
    raise UsageError(f"{shown} cannot be served ({why}); allowed: an address of this computer: 127.0.0.1 (this "
                     "computer only), its address on the classroom's network, or lan=true")


def _pattern_ids() -> list[str]:
    # lazy: the catalogue (pandas) loads only to check or list pattern ids
    from sim.validation.patterns import PATTERNS

    return [p.id for p in PATTERNS]


def _structure_names() -> list[str]:
    return [*preset_names("structure"), "all"]


def _designs() -> list[str]:
    return preset_names("design")


COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("report", "Simulate every design on the same residents and write a municipality's report: one "
            "self-contained HTML file, with <name>_runs.parquet and <name>_verdicts.csv beside it.", (
                Key("scenario", str, "", "a scenario preset (geel if neither scenario nor municipality is given)",
                    choices=lambda: preset_names("scenario")),
                Key("municipality", Path, None, "a municipality described in a file (examples/municipality.yaml)"),
                Key("lang", str, "nl", "the report's language", choices=lambda: ("nl", "en")),
                Key("designs", list, [], "the designs compared (default: every preset, from none to co-production)",
                    choices=_designs),
                Key("baseline", str, "none", "the design the others are judged against", choices=_designs),
                Key("replicates", int, 10, "runs per design, on the same residents (at most sim.api.MAX_REPLICATES)",
                    least=2, most=10_000),
                Key("seed", int, 0, "the root seed of the replicates", least=0),
                Key("scale", float, 1.0, "run.population_scale: the share of residents simulated"),
                Key("jobs", int, 2, "parallel processes (at most sim.api.MAX_JOBS)", least=1, most=1_024),
                Key("out", str, None, "the HTML file, or a folder (dir/) that receives <municipality>_<lang>.html "
                    "(default outputs/report/<municipality>_<lang>.html); checked before the runs",
                    words="a file (report.html) or a folder (dir/) you can write to", path=True),
                Key("pdf", bool, False, "also print the report on A4 as <name>.pdf beside the HTML (needs chromium)"),
                Key("posterior", Path, None, "an ABC calibration's folder: verdicts under its uncertainty"),
                Key("draws", int, 0, "parameter sets drawn from the posterior (10 when a posterior is given; at "
                    "most sim.api.MAX_DRAWS)", least=0, most=10_000),
            ), _report,
            extra="Also: threshold.<outcome>=<number> (a threshold of what matters, sim.experiments.answers."
                  "THRESHOLDS) and any model override section.key=value (docs/parameters.md), for every design, "
                  "but of what the report sets itself (design.*, run.population_scale: use designs= and scale=). "
                  "A report is at most sim.api.MAX_RUNS runs (designs x draws x replicates).",
            accepts=lambda key: "." in key,
            extra_keys="threshold.<outcome> or a model override <section>.<key>"),
    Command("validate", "Run the model on the published patterns over replicate seeds and write the "
            "validation report (report.md, patterns.png, patterns.csv, replicates.csv, ballots).", (
                Key("replicates", int, None, "replicate seeds per pattern (default: 10, or 3 with quick=true)",
                    least=2, most=10_000),
                Key("quick", bool, False, "only the patterns marked quick, at a fifth of the population (3 "
                    "replicates unless replicates= says otherwise)"),
                Key("patterns", list, [], "only these patterns (ids; default: all)", choices=_pattern_ids),
                Key("jobs", int, 1, "worker processes", least=1, most=1_024),
                Key("out", Path, None, "the output folder (default docs/validation); checked before the runs",
                    words="a folder you can write to"),
                Key("strict", bool, False, "exit with 1 if any pattern is missed or not measured"),
                Key("ballots", bool, True, "the section 'Ballots against real elections' (its runs and ballots.png)"),
                Key("structure", list, [], "run under these structure presets (configs/structure/; all: every "
                    "one), each into <out>/structures/<name>/", choices=_structure_names),
            ), _validate),
    Command("collect", "Gather a sweep folder's runs into tidy tables (runs, timeseries, projects, cycles, "
            "failures, summary_table) and figures.", (
                Key("dir", Path, None, "the sweep folder (hydra.sweep.dir)", required=True),
                Key("figures", bool, True, "draw the experiment's figures"),
            ), _collect),
    Command("dashboard", "Serve the trainers' dashboard (sim/apps/dashboard/): on this computer, or with lan=true to "
            "a classroom on its network (sim/apps/serve.py says what that exposes). Closed sessions release their "
            "memory after cull.", (
                Key("port", int, 8765, "the port", least=1, most=65535),
                Key("lan", bool, False, "serve this computer's address on its local network (a classroom) instead "
                    "of 127.0.0.1 only"),
                Key("cull", str, "60s", "how long a closed page's session is kept for a reconnect "
                    "(SOLARA_KERNEL_CULL_TIMEOUT)", words="a duration such as 60s, 5m or 1h, at most 24h"),
                Key("sessions", int, -1, "sessions that may run at once (SOLARA_KERNEL_MAX_COUNT); -1: 40 with "
                    "lan=true, no cap on localhost; 0: no cap", least=-1),
            ), _dashboard),
    Command("classroom", "Serve the classroom: a trainer opens a room at /trainer, participants join at /join "
            "with its code (docs/classroom_nl.md).", (
                Key("lan", bool, False, "serve the classroom's network: bind this computer's address on it"),
                Key("host", str, "127.0.0.1", "the address to bind without lan (127.0.0.1: this computer only)",
                    words="an address of this computer"),
                Key("port", int, 8765, "the port", least=1, most=65535),
                Key("cull", str, "2m", "how long a page's state outlives a lost connection (e.g. 90s, 2m)",
                    words="a duration such as 60s, 5m or 1h, at most 24h"),
                Key("pages", int, 4, "open pages per browser at most", least=1),
            ), _classroom),
    Command("params", "Write docs/parameters.md from the schema and the presets, or check that it is up to date.", (
                Key("check", bool, False, "do not write; exit 1 if the file differs from the schema and presets"),
                Key("out", Path, None, "the file to write or check (default docs/parameters.md); checked first",
                    words="a file path"),
            ), _params),
)}


#: The commands that serve until stopped: SIGTERM stops their web server (uvicorn's or Solara's handler), as before.
SERVERS = frozenset({"dashboard", "classroom"})


def command(argv: Sequence[str]) -> int:
    """Run the subcommand ``argv`` names first (``["report", "scenario=geel"]``); its exit status."""
    return _subcommand(COMMANDS[argv[0]], argv[1:])


def _subcommand(command: Command, argv: Sequence[str]) -> int:
    """Run a subcommand; its exit status (2 for a wrong argument, with one line on stderr)."""
    if any(a in ("-h", "--help") for a in argv):
        print(command.help())
        return 0
    try:
        values, extra = command.parse(argv)
        return command.run(values, extra, " ".join(["python -m sim", command.name, *argv]))
    except (UsageError, ConfigError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a folder that cannot be written: one line (the traceback when debugging)
        log.debug("%s failed", command.name, exc_info=True)
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _setup_logging() -> None:
    """The command line shows the library's INFO messages on stderr (Hydra configures its own for runs)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``coproduction-sim`` and ``python -m sim``: a subcommand, or a run (or sweep) with Hydra.

    Ctrl-C stops it with one line and exit status 130; SIGTERM (``kill``, SLURM at a job's time limit) the same
    way, with ``stopped (SIGTERM)`` in place of ``interrupted`` and exit status 143. Both are 128 + the signal's
    number (SIGINT 2, SIGTERM 15), the status a shell, SLURM and scripts read as "ended by that signal"; the
    process exits with it rather than dying of the signal so that the clean-up after the exception runs (a
    sweep's workers die with it, sim.workers). The servers (dashboard, classroom) keep SIGTERM as it was: their
    web servers stop on it themselves."""
    args = list(sys.argv[1:] if argv is None else argv)
    restore = stop_on_sigterm() if not (args and args[0] in SERVERS) else (lambda: None)
    try:
        _main(argv)
    except KeyboardInterrupt as exc:
        again = ("start it again to run it from the beginning" if args and args[0] in COMMANDS else
                 "a sweep started again with the same command goes on from its finished runs; a single run starts "
                 "from the beginning")
        what, status = ("stopped (SIGTERM)", 143) if isinstance(exc, Terminated) else ("interrupted", 130)
        # on a line of its own, after a progress bar's last line
        print(f"\n{what}: no half-written file is kept as finished; {again}", file=sys.stderr)
        sys.exit(status)
    finally:
        restore()


def _main(argv: Sequence[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        _setup_logging()
        status = _subcommand(COMMANDS[args[0]], args[1:])
        sys.exit(status)
    if argv is not None:
        sys.argv = [sys.argv[0], *args]
    _run_command(args)


if __name__ == "__main__":
    main()
