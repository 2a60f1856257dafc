"""Speed where users wait (issue 18): the fixed cost of a run, the validation report and the ABC calibration.

A script, not a timed test. Three measurements, each from one invocation, medians and ratios:

- ``fixed``: in one fresh process, Kampenhout's participatory budget at full size, ``--repeats`` runs with a
  new seed each: the fixed cost (``sim.compose_config`` + building the model + gathering the tables) against
  the whole run (the same plus the 72 months). Target: the fixed cost at most a quarter of the run.
- ``validate``: the whole command ``python -m sim validate jobs=2 replicates=R out=<tmp>`` as a process.
- ``abc``: the whole command ``python -m sim +experiment=calibration_abc experiment.jobs=2
  experiment.abc_population=P experiment.abc_generations=G hydra.run.dir=<tmp>`` (the shipped experiment,
  fewer particles and generations: the same code path).

With ``--baseline-ref REF`` (a git ref, e.g. the branch before the speed-ups) the same commands also run on
that code, exported with ``git archive`` into a temporary folder, A (this checkout) and B (the baseline) in
turn, A B A B ..., so that both see the same load; the ratio B/A (the speed-up) is taken pair by pair and its
median reported. ``--bracket`` runs each pair as A B A and sets B against the mean of the two A runs around it:
this machine's speed drifts by up to a quarter from one hour to the next, and the ABC's A and B take 14 and
35-45 minutes, so a single A before B measures another hour's machine. Target: the validation report and
the ABC calibration each at least 3x faster.

The ABC pair evaluates the same particles on both sides (``--abc-sampler same``, the default): a baseline
without :mod:`sim.experiments.abc_sampler` gets this checkout's copy of it and runs through a small wrapper
(:data:`SAME_SAMPLER`) that gives its calibration that sampler, seeded as this checkout's is (by the top-level
``seed``), instead of pyabc's local one, which keeps whatever finishes first. The code under test (the model,
its composition, the ABC's evaluation of a particle) stays the baseline's. Both runs then evaluate the same
proposals and reach the same generations: each row records a digest of its posterior (generations,
parameters, distances) and the report says whether A's and B's agree. ``--abc-sampler own`` times each side
with its own sampler, as before 6 December 2026: pyabc's sampler drew 2,340-3,110 evaluations for the same
settings, so a pair compared runs of unequal luck.

Measurements of kinds not asked for (``--only``) are kept from the results file, with their dates.

    .venv/bin/python benchmarks/bench_speed.py                              # fixed cost only
    .venv/bin/python benchmarks/bench_speed.py --baseline-ref 61d7d0c       # and the A/B pairs (outcomes' tip)
    .venv/bin/python benchmarks/bench_speed.py --only validate --pairs 2 --baseline-ref 61d7d0c

The validation report is measured at the committed report's size (10 replicates at full size) by
default: with 2 replicates the start of the processes and the report's figures weigh more in both.

Writes ``results/bench_speed.{json,md}`` (``--no-write``: print only). Never fails on time: exit 0.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
MARK = "BENCH_SPEED_JSON "


# --------------------------------------------------------------------------- the fixed cost (child)

def child_fixed(repeats: int) -> dict:
    """Kampenhout's participatory budget at full size, ``repeats`` seeds: compose, build, months, tables."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_model import CASES, _breakdown

    import sim

    t = time.perf_counter()
    sim.compose_config("kampenhout", "participatory_budget", 0)
    first_compose = time.perf_counter() - t
    parts = [_breakdown(sim, CASES["kampenhout"], seed) for seed in range(1, repeats + 1)]
    names = {"compose": "compose", "build": "build", "steps": "steps", "results": "tables"}
    return {"first_compose_s": first_compose, **{f"{v}_s": [p[k] for p in parts] for k, v in names.items()}}


def summarise_fixed(raw: dict) -> dict:
    n = len(raw["compose_s"])
    fixed = [raw["compose_s"][i] + raw["build_s"][i] + raw["tables_s"][i] for i in range(n)]
    whole = [fixed[i] + raw["steps_s"][i] for i in range(n)]
    shares = [f / w for f, w in zip(fixed, whole, strict=True)]
    return {**raw, "fixed_median_s": statistics.median(fixed), "run_median_s": statistics.median(whole),
            "share_median": statistics.median(shares),
            **{f"{k}_median_s": statistics.median(raw[f"{k}_s"]) for k in ("compose", "build", "steps", "tables")},
            "target_share": 0.25, "pass": statistics.median(shares) <= 0.25}


def measure_fixed(tree: Path, repeats: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-fixed", str(repeats)],
                          cwd=tree, env=env, capture_output=True, text=True, check=True)
    line = next(x for x in proc.stdout.splitlines() if x.startswith(MARK))
    return summarise_fixed(json.loads(line[len(MARK):]))


# --------------------------------------------------------------------------- whole commands, A/B

def timed(cmd: list[str], tree: Path) -> dict:
    """Run ``cmd`` in ``tree`` (PYTHONPATH=tree) as a process: wall and CPU seconds (it and its children)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # validate exits 1 when a pattern is missed and strict; never here
        raise RuntimeError(f"{' '.join(cmd)} failed in {tree}:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu}


#: ``python -m sim`` in a baseline's tree with this checkout's deterministic ABC sampler (``--abc-sampler same``).
SAME_SAMPLER = '''"""Benchmark wrapper (benchmarks/bench_speed.py): this tree's ``python -m sim``, its ABC on the
deterministic sampler of the checkout it is compared with, so that both evaluate the same particles."""
import os
import runpy
import sys

import sim.experiments.abc as abc
from sim.experiments.abc_sampler import DeterministicSampler

_fit = abc.fit


def fit(*args, seed=0, **kwargs):
    abc._sampler = lambda jobs, scheduler, *rest: DeterministicSampler(seed, int(jobs) or os.cpu_count() or 1)
    return _fit(*args, seed=seed, **kwargs)


abc.fit = fit
sys.argv = ["sim", *sys.argv[1:]]
runpy.run_module("sim", run_name="__main__", alter_sys=True)
'''


def commands(kind: str, args: argparse.Namespace, scratch: Path, *, baseline: bool = False) -> list[str]:
    py = sys.executable
    if kind == "validate":
        return [py, "-m", "sim", "validate", "jobs=2", f"replicates={args.replicates}", f"out={scratch}"]
    start = [py, "bench_same_sampler.py"] if baseline and args.abc_sampler == "same" else [py, "-m", "sim"]
    return [*start, "+experiment=calibration_abc", "experiment.jobs=2",
            f"experiment.abc_population={args.abc_population}", f"experiment.abc_generations={args.abc_generations}",
            f"hydra.run.dir={scratch}"]


def pairs(kind: str, args: argparse.Namespace, a: Path, b: Path | None) -> dict:
    """``args.pairs`` runs of A (and B, in turn) of one command; medians and the pairwise ratios B/A.

    ``args.bracket``: each pair runs A, B and A again, and B is set against the mean of the two A runs around it,
    which stand as far before and after B's middle: a machine whose speed drifts evenly over the pair's hour
    slows (or speeds) both sides alike (bench_speed.md, notes)."""
    rows: dict[str, list[dict]] = {"A": [], "B": []}
    bracket = bool(getattr(args, "bracket", False)) and b is not None
    for i in range(args.pairs):
        for name, tree in (("A", a), ("B", b), ("A", a)) if bracket else (("A", a), ("B", b)):
            if tree is None:
                continue
            with tempfile.TemporaryDirectory(prefix=f"bench_{kind}_") as scratch:
                print(f"{kind}: pair {i + 1}/{args.pairs}, {name} ...", file=sys.stderr, flush=True)
                row = timed(commands(kind, args, Path(scratch), baseline=name == "B"), tree)
                if kind == "abc":  # the model evaluations, the final threshold and the particles it kept
                    saved = json.loads((Path(scratch) / "abc.json").read_text())
                    row |= {"evaluations": saved.get("evaluations"), "final_epsilon": saved["epsilons"][-1],
                            "posterior_digest": posterior_digest(Path(scratch) / "posterior.parquet")}
                rows[name].append(row)
    out: dict = {"command": " ".join(commands(kind, args, Path("<tmp>"))[1:]), "runs": rows}
    for name in ("A", "B"):
        if rows[name]:
            out[name] = {k: statistics.median(r[k] for r in rows[name]) for k in ("wall_s", "cpu_s")}
    if rows["B"]:
        per_pair = 2 if bracket else 1
        # each pair's A: its one run, or the mean of the two around B
        reference = [{k: statistics.fmean(r[k] for r in rows["A"][per_pair * i:per_pair * (i + 1)])
                      for k in ("wall_s", "cpu_s")} | {k: rows["A"][per_pair * i].get(k)
                                                       for k in ("evaluations", "posterior_digest")}
                     for i in range(len(rows["B"]))]
        if bracket:
            out["bracket"] = True
            out["A_around_B"] = reference
        ratios = [rb["wall_s"] / ra["wall_s"] for ra, rb in zip(reference, rows["B"], strict=True)]
        cpu = [rb["cpu_s"] / ra["cpu_s"] for ra, rb in zip(reference, rows["B"], strict=True)]
        out["speedup_wall"] = {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}
        out["speedup_cpu"] = {"median": statistics.median(cpu), "min": min(cpu), "max": max(cpu)}
        out["pass"] = out["speedup_wall"]["median"] >= 3.0
        if kind == "abc":  # the same particles on both sides (--abc-sampler same), or runs of unequal luck (own)
            out["sampler"] = args.abc_sampler
            digests = {r["posterior_digest"] for r in rows["A"] + rows["B"]}
            out["same_particles"] = len(digests) == 1
            # CPU seconds per model evaluation, pair by pair
            both = [(ra, rb) for ra, rb in zip(reference, rows["B"], strict=True)
                    if ra.get("evaluations") and rb.get("evaluations")]
            per = [(rb["cpu_s"] / rb["evaluations"]) / (ra["cpu_s"] / ra["evaluations"]) for ra, rb in both]
            if per:
                out["speedup_cpu_per_evaluation"] = {"median": statistics.median(per), "min": min(per), "max": max(per)}
    return out


def posterior_digest(path: Path) -> str:
    """SHA-256 of a calibration's particles: generation, parameters and distance, rounded to 1e-9 (columns
    every version writes; the weights and the patterns' statistics are left out)."""
    import hashlib

    import pandas as pd

    df = pd.read_parquet(path)
    keep = ["generation", *sorted(c for c in df.columns if "." in c and not c.startswith("stat.")), "distance"]
    return hashlib.sha256(df[keep].round(9).to_csv(index=False).encode()).hexdigest()


def export(ref: str) -> Path:
    """The code of git ref ``ref`` in a temporary folder (git archive), run with this checkout's .venv; with
    this checkout's deterministic ABC sampler where the ref has none, and :data:`SAME_SAMPLER` beside it."""
    folder = Path(tempfile.mkdtemp(prefix="bench_baseline_"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    sampler = folder / "sim" / "experiments" / "abc_sampler.py"
    if not sampler.exists():
        shutil.copyfile(ROOT / "sim" / "experiments" / "abc_sampler.py", sampler)
    (folder / "bench_same_sampler.py").write_text(SAME_SAMPLER)
    return folder


def kept(path: Path, only: list[str]) -> dict:
    """The measurements of the kinds not measured now (not in ``only``) from an earlier results file, each with
    the date, baseline and load it was measured with (a file of before 6 December 2026: the file's date)."""
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    out = {k: old[k] for k in ("fixed", "validate", "abc") if k not in only and isinstance(old.get(k), dict)}
    for section in out.values():
        section.setdefault("date", old.get("date"))
        section.setdefault("baseline_ref", old.get("baseline_ref"))
    out |= {k: old[k] for k in ("abc_earlier_pairs", "notes") if k in old}
    return out


# --------------------------------------------------------------------------- report

def _evaluations(runs: dict[str, list[dict]]) -> str:
    """The ABC runs' model evaluations and final thresholds, as a sentence."""
    def of(name: str, key: str, fmt: str) -> str:
        return ", ".join(format(x[key], fmt) if x.get(key) is not None else "?" for x in runs[name])

    names = [n for n in ("A", "B") if runs[n]]
    return ("Model evaluations: " + "; ".join(f"{n} {of(n, 'evaluations', 'd')}" for n in names)
            + ". Final thresholds: " + "; ".join(f"{n} {of(n, 'final_epsilon', '.2f')}" for n in names) + ".")


def _when(section: dict) -> list[str]:
    """A section's own date, baseline and load (sections kept from an earlier invocation keep theirs)."""
    load = section.get("load")
    return [f"Measured {section.get('date', '?')}; A = this checkout"
            + (f", B = `{section['baseline_ref']}`" if section.get("baseline_ref") else "")
            + (f"; load average before {load['before']}, after {load['after']}" if load else "") + ".", ""]


def markdown(report: dict) -> str:
    lines = ["# Speed where users wait (benchmarks/bench_speed.py)", "",
             f"Written {report['date']}; each section says when it was measured.", ""]
    f = report.get("fixed")
    if f:
        lines += ["## The fixed cost of a run (Kampenhout, participatory budget, full size, "
                  f"{len(f['A']['compose_s'])} seeds in one process; medians)", "", *_when(f),
                  "| code | compose (s) | build (s) | 72 months (s) | tables (s) | fixed (s) | run (s) "
                  "| fixed / run | first compose in the process (s) |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name in ("A", "B"):
            r = f.get(name)
            if r:
                lines.append(f"| {name} | {r['compose_median_s']:.3f} | {r['build_median_s']:.3f} "
                             f"| {r['steps_median_s']:.3f} | {r['tables_median_s']:.3f} | {r['fixed_median_s']:.3f} "
                             f"| {r['run_median_s']:.3f} | {r['share_median']:.2f} | {r['first_compose_s']:.2f} |")
        lines += ["", f"Target: fixed / run <= 0.25 for A: {'PASS' if f['A']['pass'] else 'FAIL'}.", ""]
    for kind, title in (("validate", "The validation report"), ("abc", "The ABC calibration")):
        r = report.get(kind)
        if not r:
            continue
        lines += [f"## {title}: `python {r['command']}`", "", *_when(r)]
        if kind == "abc" and "sampler" in r:
            lines += ["B evaluated the same particles as A (B's code on A's deterministic sampler; the posteriors "
                      + ("agree" if r["same_particles"] else "**differ**") + ")." if r["sampler"] == "same" else
                      "Each side ran its own sampler: the particles differ.", ""]
        lines += ["| code | wall median (s) | CPU median (s) |", "|---|---:|---:|"]
        for name in ("A", "B"):
            if name in r:
                lines.append(f"| {name} | {r[name]['wall_s']:.1f} | {r[name]['cpu_s']:.1f} |")
        if kind == "abc":
            lines += ["", _evaluations(r["runs"])]
        if "speedup_wall" in r:
            s, c = r["speedup_wall"], r["speedup_cpu"]
            if r.get("bracket"):
                lines += ["", "Each pair ran A, B and A again; B is set against the mean of the two A runs around "
                          "it (A: " + ", ".join(f"{x['wall_s']:.1f}" for x in r["runs"]["A"]) + " s wall)."]
            lines += ["", f"Speed-up B/A, pair by pair ({len(r['runs']['B'])} pairs): wall {s['median']:.2f}x "
                      f"[{s['min']:.2f}-{s['max']:.2f}], CPU {c['median']:.2f}x [{c['min']:.2f}-{c['max']:.2f}]. "
                      f"Target >= 3x: {'PASS' if r['pass'] else 'FAIL'}."]
            if "speedup_cpu_per_evaluation" in r:
                e = r["speedup_cpu_per_evaluation"]
                lines += ["", f"CPU per model evaluation: {e['median']:.2f}x [{e['min']:.2f}-{e['max']:.2f}]."]
        lines.append("")
    if report.get("notes"):  # written by hand into the JSON: how each measurement was made, what it means
        lines += ["## Notes", "", *(line for note in report["notes"] for line in (note, ""))]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", choices=("fixed", "validate", "abc"), default=["fixed", "validate", "abc"])
    ap.add_argument("--baseline-ref", help="a git ref to compare with (B); without it only A is measured")
    ap.add_argument("--repeats", type=int, default=15, help="seeds of the fixed-cost measurement")
    ap.add_argument("--pairs", type=int, default=3, help="A/B pairs of each whole command")
    ap.add_argument("--bracket", action="store_true",
                    help="each pair runs A, B, A: B against the mean of the two A runs around it")
    ap.add_argument("--replicates", type=int, default=10,
                    help="replicates of the validation report (least 2; 10: the committed report's)")
    ap.add_argument("--abc-population", type=int, default=20)
    ap.add_argument("--abc-generations", type=int, default=2)
    ap.add_argument("--abc-sampler", choices=("same", "own"), default="same",
                    help="same: B runs on this checkout's deterministic sampler, both evaluate the same particles; "
                         "own: each side's own sampler")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--child-fixed", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_fixed:
        print(MARK + json.dumps(child_fixed(args.child_fixed)), flush=True)
        return 0

    baseline = export(args.baseline_ref) if args.baseline_ref else None
    report: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load_before": os.getloadavg(),
                    "baseline_ref": args.baseline_ref, "settings": {k: v for k, v in vars(args).items()
                                                                    if k not in ("out", "child_fixed")}}
    earlier = kept(args.out / "bench_speed.json", args.only) if not args.no_write else {}
    def write() -> str:  # after every measurement, so that a long run stopped part-way keeps what it measured
        report["load_after"] = os.getloadavg()
        for kind in ("fixed", "validate", "abc"):
            if kind in args.only and kind in report:
                report[kind] |= {"date": report["date"], "baseline_ref": args.baseline_ref,
                                 "load": {"before": report["load_before"], "after": report["load_after"]}}
        report.update({k: v for k, v in earlier.items() if k not in report})
        text = markdown(report)
        if not args.no_write:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "bench_speed.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
            (args.out / "bench_speed.md").write_text(text + "\n")
        return text

    try:
        if "fixed" in args.only:
            report["fixed"] = {"A": measure_fixed(ROOT, args.repeats)}
            if baseline is not None:
                report["fixed"]["B"] = measure_fixed(baseline, args.repeats)
            write()
        for kind in ("validate", "abc"):
            if kind in args.only:
                report[kind] = pairs(kind, args, ROOT, baseline)
                write()
    finally:
        if baseline is not None:
            shutil.rmtree(baseline, ignore_errors=True)
    print(write())
    return 0


if __name__ == "__main__":
    sys.exit(main())
