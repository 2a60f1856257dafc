"""Performance benchmark of coproduction-sim: wall time, citizen-steps per second, peak memory.

Run it with ``make bench`` (or ``.venv/bin/python benchmarks/bench_model.py``); see
benchmarks/README.md for what it measures and how to read the output. It is a script, not a
timed test: it prints a table with PASS/FAIL against the targets and writes
``benchmarks/results/bench_model.json`` and ``benchmarks/results/bench_model.md``.

Each case runs in a fresh child process (``--child CASE``) that does only that case, so the
child's peak resident set size (``ru_maxrss``) is the peak of that case alone (plus the
interpreter and imports, reported separately as the baseline). Per repeat the child times
exactly the public code path: ``sim.compose_config`` (timed on its own, outside the run
timer) and then ``sim.run_config`` (model construction, 72 steps, tidy results).

For comparison the script also runs a small idiomatic per-agent Mesa model (``ToyModel``): one
``mesa.Agent`` per citizen with its own ``step()``, scheduled by ``agents.shuffle_do``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import FixedAgent, Network

ROOT = Path(__file__).resolve().parent.parent
COMPARED = ("kampenhout", "geel")  # cases whose throughput is compared with the toy
#: Throughput against the per-agent toy that a case must reach (wall-time ratio, same run).
RATIO_TARGETS = {"geel": 30.0}
RESULTS = Path(__file__).resolve().parent / "results"
DESIGN = "participatory_budget"
STEPS = 72
MARK = "@@BENCH@@ "  # prefix of the child's one JSON line on stdout
GB = 1e9  # targets are in decimal gigabytes (2 GB = 1907 MiB): the stricter reading


@dataclass(frozen=True)
class Case:
    """One benchmark case: a scenario at 1:1 (or with overrides), run for 72 steps."""

    name: str
    scenario: str
    overrides: tuple[str, ...]
    repeats: int  # default repeats; --repeats overrides, --quick lowers
    quick_repeats: int
    target_s: float | None = None
    target_mem_bytes: float | None = None


CASES = {
    c.name: c for c in (
        Case("kampenhout", "kampenhout", (), 5, 3),
        Case("geel", "geel", (), 5, 3, target_s=1.0),
        Case("antwerp_district", "antwerp_district", (), 3, 1,
             target_s=1.5, target_mem_bytes=2 * GB),
        Case("one_million", "generic",
             ("scenario.population=1000000", "scenario.citizens_budget_eur=7100000"), 2, 1,
             target_s=5.0, target_mem_bytes=1.5 * GB),  # issue 18: under 5 s on a quiet machine
    )
}


# --------------------------------------------------------------------------- memory helpers

def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def mib(nbytes: float) -> float:
    return nbytes / 2**20


# --------------------------------------------------------------------------- the toy model

# Parameters of the toy rule (of the same kind as sim.model.mechanisms.participation and .trust).
BASE, W_TRUST, W_FEAR, W_PEER = -3.0, 1.5, 2.0, 3.0
CAMPAIGN, WORD_OF_MOUTH, AWARENESS_DECAY = 0.05, 0.3, 0.05
TRUST_GAIN, TRUST_LOSS, FEAR_RELIEF = 0.10, 0.25, 0.05


class ToyCitizen(FixedAgent):
    """A resident as an ordinary Mesa agent: own state, own rule, neighbours via its cell."""

    def __init__(self, model: ToyModel, cell, fear: float, trust: float, awareness: float) -> None:
        super().__init__(model)
        self.cell = cell
        self.fear = fear
        self.trust = trust
        self.awareness = awareness
        self.participating = False

    def step(self) -> None:
        """Hear of the process, decide to take part (logistic), learn from the outcome."""
        ties = taking_part = 0
        for other in self.cell.neighborhood.agents:
            ties += 1
            taking_part += other.participating
        peer = taking_part / ties if ties else 0.0
        reached = CAMPAIGN + (1.0 - CAMPAIGN) * WORD_OF_MOUTH * peer
        self.awareness += reached * (1.0 - self.awareness) - AWARENESS_DECAY * self.awareness
        utility = BASE + W_TRUST * self.trust - W_FEAR * self.fear + W_PEER * peer
        p = self.awareness / (1.0 + math.exp(-utility))
        self.participating = self.model.random.random() < p
        if self.participating:
            # experienced responsiveness minus expectation; trust is lost faster than gained
            signal = self.model.responsiveness - self.model.random.random()
            if signal >= 0:
                self.trust += TRUST_GAIN * signal * (1.0 - self.trust)
            else:
                self.trust += TRUST_LOSS * signal * self.trust
            self.fear -= FEAR_RELIEF * self.fear


class ToyModel(mesa.Model):
    """Per-agent reference: n ToyCitizens on a Watts-Strogatz network of mean degree ~10."""

    def __init__(self, n: int, mean_degree: int = 10, rewire: float = 0.1, rng: int = 0) -> None:
        super().__init__(rng=rng)
        self.responsiveness = 0.5
        graph = nx.watts_strogatz_graph(n, mean_degree, rewire, seed=int(self.rng.integers(2**31)))
        self.network = Network(graph, random=self.random, layout=None)
        ToyCitizen.create_agents(
            self, n, cell=list(self.network.all_cells),
            fear=self.rng.beta(2, 3, n).tolist(), trust=self.rng.beta(2, 4, n).tolist(),
            awareness=self.rng.beta(1, 9, n).tolist())
        self.datacollector = mesa.DataCollector(
            model_reporters={"turnout": lambda m: m.agents.agg("participating", sum) / n})

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.datacollector.collect(self)


# --------------------------------------------------------------------------- children

def _import_sim():
    sys.path.insert(0, str(ROOT))  # benchmark the working tree, installed or not
    import sim
    import sim.model.model

    return sim


def child_case(case: Case, repeats: int, seed: int, breakdown: bool) -> dict:
    """Run one case ``repeats`` times in this (fresh) process; return the measurements."""
    sim = _import_sim()
    baseline = peak_rss_bytes()
    compose_s, run_s, cpu_s, population = [], [], [], None
    for r in range(repeats):
        t0 = time.perf_counter()
        cfg = sim.compose_config(case.scenario, DESIGN, seed, list(case.overrides))
        t1 = time.perf_counter()
        c1 = time.process_time()
        res = sim.run_config(cfg)
        c2 = time.process_time()
        t2 = time.perf_counter()
        compose_s.append(t1 - t0)
        run_s.append(t2 - t1)
        cpu_s.append(c2 - c1)
        population = int(res.summary["population"])
        steps = len(res.timeseries)
        if steps != STEPS:
            raise SystemExit(f"{case.name}: ran {steps} steps, expected {STEPS}")
        print(f"  {case.name} repeat {r + 1}/{repeats}: run_config {t2 - t1:.2f} s",
              file=sys.stderr)
        del res, cfg
        gc.collect()
    peak = peak_rss_bytes()
    out = {"population": population, "compose_s": compose_s, "run_s": run_s, "cpu_s": cpu_s,
           "baseline_rss_bytes": baseline, "peak_rss_bytes": peak}
    if breakdown:
        try:
            out["breakdown_s"] = _breakdown(sim, case, seed)
        except Exception as exc:  # the split uses model internals that others may change
            print(f"  {case.name}: breakdown skipped ({exc!r})", file=sys.stderr)
    return out


def _breakdown(sim, case: Case, seed: int) -> dict:
    """One extra, separately timed run split into the three parts of ``sim.run_config``
    (same calls, in the same order); it is not part of the medians."""
    from sim import results
    from sim.model.model import CoproductionModel

    start = time.perf_counter()
    cfg = sim.compose_config(case.scenario, DESIGN, seed, list(case.overrides))
    t0 = time.perf_counter()
    model = CoproductionModel(cfg)
    t1 = time.perf_counter()
    model.run_for(cfg.run.steps)
    t2 = time.perf_counter()
    ts = results.timeseries(model)
    results.summary(model, ts), results.groups(model), results.projects(model), results.cycles(model)
    t3 = time.perf_counter()
    return {"compose": t0 - start, "build": t1 - t0, "steps": t2 - t1, "results": t3 - t2}


def child_toy(n: int, steps: int, repeats: int, seed: int) -> dict:
    """Build and run the per-agent toy ``repeats`` times; time set-up and steps apart."""
    baseline = peak_rss_bytes()
    build_s, steps_s, cpu_s = [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        model = ToyModel(n, rng=seed)
        t1 = time.perf_counter()
        c1 = time.process_time()
        model.run_for(steps)
        c2 = time.process_time()
        t2 = time.perf_counter()
        build_s.append(t1 - t0)
        steps_s.append(t2 - t1)
        cpu_s.append(c2 - c1)
        print(f"  toy: build {t1 - t0:.2f} s, {steps} steps {t2 - t1:.2f} s", file=sys.stderr)
        del model
        gc.collect()
    return {"population": n, "steps": steps, "build_s": build_s, "steps_s": steps_s, "cpu_s": cpu_s,
            "baseline_rss_bytes": baseline, "peak_rss_bytes": peak_rss_bytes()}


def run_child(args: list[str], warnings_as_errors: bool = False) -> dict:
    """Run this script as a child process with ``args``; return its JSON answer."""
    flags = ["-W", "error"] if warnings_as_errors else [f"-W{w}" for w in sys.warnoptions]
    proc = subprocess.run([sys.executable, *flags, str(Path(__file__).resolve()), *args],
                          stdout=subprocess.PIPE, text=True, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"child {' '.join(args)} failed (exit {proc.returncode})\n{proc.stdout}")
    return json.loads(lines[-1][len(MARK):])


# --------------------------------------------------------------------------- report

def machine_info() -> dict:
    cpu = platform.processor()
    mem = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "memory_gib": round(mem / 2**30, 1) if mem else None,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "mesa": mesa.__version__, "numpy": np.__version__}


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine makes timings noisy."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def source_digest() -> str:
    """Short hash of sim/ and configs/, to tell which model code a result file measured."""
    h = hashlib.sha256()
    for p in sorted([*ROOT.glob("sim/**/*.py"), *ROOT.glob("configs/**/*.yaml")]):
        h.update(p.relative_to(ROOT).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def summarise_case(case: Case, raw: dict) -> dict:
    run_med = statistics.median(raw["run_s"])
    peak = raw["peak_rss_bytes"]
    time_ok = None if case.target_s is None else run_med <= case.target_s
    mem_ok = None if case.target_mem_bytes is None else peak < case.target_mem_bytes
    checks = [x for x in (time_ok, mem_ok) if x is not None]
    row = {
        "case": case.name, "scenario": case.scenario, "design": DESIGN,
        "overrides": list(case.overrides), "population": raw["population"], "steps": STEPS,
        "repeats": len(raw["run_s"]), "run_s": raw["run_s"], "run_median_s": run_med,
        "cpu_s": raw["cpu_s"], "cpu_median_s": statistics.median(raw["cpu_s"]),
        "compose_median_s": statistics.median(raw["compose_s"]),
        "citizen_steps_per_s": raw["population"] * STEPS / run_med,
        "citizen_steps_per_cpu_s": raw["population"] * STEPS / statistics.median(raw["cpu_s"]),
        "baseline_rss_mib": mib(raw["baseline_rss_bytes"]), "peak_rss_mib": mib(peak),
        "model_rss_mib": mib(peak - raw["baseline_rss_bytes"]),
        "target_s": case.target_s,
        "target_peak_mib": mib(case.target_mem_bytes) if case.target_mem_bytes else None,
        "time_pass": time_ok, "memory_pass": mem_ok,
        "status": ("PASS" if all(checks) else "FAIL") if checks else "n/a",
    }
    if "breakdown_s" in raw:
        row["breakdown_s"] = raw["breakdown_s"]
        steps_s = raw["breakdown_s"]["steps"]
        row["citizen_steps_per_s_steps_only"] = raw["population"] * STEPS / steps_s
    return row


def summarise_toy(raw: dict) -> dict:
    steps_med = statistics.median(raw["steps_s"])
    build_med = statistics.median(raw["build_s"])
    n, k = raw["population"], raw["steps"]
    return {"population": n, "steps": k, "repeats": len(raw["steps_s"]),
            "build_s": raw["build_s"], "steps_s": raw["steps_s"], "build_median_s": build_med,
            "steps_median_s": steps_med,
            "cpu_s": raw["cpu_s"], "cpu_median_s": statistics.median(raw["cpu_s"]),
            "citizen_steps_per_s": n * k / steps_med,
            "citizen_steps_per_cpu_s": n * k / statistics.median(raw["cpu_s"]),
            # the toy's set-up amortised over a 72-step run (its steps extrapolated linearly)
            "citizen_steps_per_s_with_setup_over_72":
                n * STEPS / (build_med + steps_med * STEPS / k),
            "baseline_rss_mib": mib(raw["baseline_rss_bytes"]),
            "peak_rss_mib": mib(raw["peak_rss_bytes"])}


def target_text(row: dict) -> str:
    parts = []
    if row["target_s"] is not None:
        parts.append(f"<= {row['target_s']:g} s")
    if row["target_peak_mib"] is not None:
        parts.append(f"< {row['target_peak_mib'] * 2**20 / GB:g} GB")
    return ", ".join(parts) or "-"


def fmt_rate(x: float) -> str:
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.0f} k"


def tables(report: dict) -> str:
    """The Markdown tables of a report (also printed to the terminal)."""
    lines = [
        "| case | residents | repeats | compose (s) | run_config median (s) | min-max (s) "
        "| CPU median (s) | citizen-steps/s | baseline RSS (MiB) | peak RSS (MiB) | target "
        "| result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in report["cases"]:
        lines.append(
            f"| {r['case']} | {r['population']:,} | {r['repeats']} | {r['compose_median_s']:.2f} "
            f"| {r['run_median_s']:.2f} | {min(r['run_s']):.2f}-{max(r['run_s']):.2f} "
            f"| {r['cpu_median_s']:.2f} | {fmt_rate(r['citizen_steps_per_s'])} "
            f"| {r['baseline_rss_mib']:.0f} | {r['peak_rss_mib']:.0f} | {target_text(r)} "
            f"| {r['status']} |")
    bd = [r for r in report["cases"] if "breakdown_s" in r]
    if bd:
        lines += ["", "Where the time goes (one extra run per case, split as in sim.run_config):",
                  "", "| case | build model (s) | 72 steps (s) | results (s) "
                  "| citizen-steps/s, steps only |",
                  "|---|---:|---:|---:|---:|"]
        for r in bd:
            b = r["breakdown_s"]
            lines.append(f"| {r['case']} | {b['build']:.2f} | {b['steps']:.2f} "
                         f"| {b['results']:.3f} "
                         f"| {fmt_rate(r['citizen_steps_per_s_steps_only'])} |")
    toy = report.get("toy")
    if toy:
        lines += ["", "Vectorised model vs. an idiomatic per-agent Mesa model "
                  "(same run of the script; medians):", "",
                  "| implementation | residents | steps | citizen-steps/s (wall) | ratio "
                  "| citizen-steps per CPU-s | ratio (CPU) |",
                  "|---|---:|---:|---:|---:|---:|---:|",
                  f"| per-agent Mesa toy, steps only (set-up {toy['build_median_s']:.2f} s "
                  f"not counted) | {toy['population']:,} | {toy['steps']} "
                  f"| {fmt_rate(toy['citizen_steps_per_s'])} | 1 "
                  f"| {fmt_rate(toy['citizen_steps_per_cpu_s'])} | 1 |"]
        for name, ratio in report.get("ratios", {}).items():
            r = next(c for c in report["cases"] if c["case"] == name)
            lines.append(f"| coproduction-sim {name}, whole run_config (set-up, steps, results) "
                         f"| {r['population']:,} | {STEPS} | {fmt_rate(r['citizen_steps_per_s'])} "
                         f"| {ratio['wall']:.1f}x | {fmt_rate(r['citizen_steps_per_cpu_s'])} "
                         f"| {ratio['cpu']:.1f}x |")
        lines += ["", f"With its set-up ({toy['build_median_s']:.2f} s: graph, cells, agents) "
                  "amortised over a 72-step run, the toy would do "
                  f"{fmt_rate(toy['citizen_steps_per_s_with_setup_over_72'])} citizen-steps/s."]
    return "\n".join(lines)


def verdict(report: dict) -> str:
    """One line: PASS/FAIL per case with a target, and per throughput ratio with a target."""
    parts = [f"{r['case']} {r['status']}" for r in report["cases"] if r["status"] != "n/a"]
    failed = [r["case"] for r in report["cases"] if r["status"] == "FAIL"]
    for name, target in RATIO_TARGETS.items():
        ratio = report.get("ratios", {}).get(name)
        if ratio is not None:
            ok = ratio["wall"] >= target
            parts.append(f"{name} vs toy {ratio['wall']:.1f}x (>= {target:g}x) {'PASS' if ok else 'FAIL'}")
            failed += [] if ok else [f"{name} vs toy"]
    if not parts:
        return "Targets: no case with a target was run."
    return (f"Targets: {'; '.join(parts)}. "
            + ("All targets met." if not failed else f"FAILED: {', '.join(failed)}."))


def write_results(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_model.json").write_text(json.dumps(report, indent=2) + "\n")
    m = report["machine"]
    head = [
        "# coproduction-sim benchmark results",
        "",
        f"Date: {report['date']}. Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; "
        f"{m['os']}; Python {m['python']}, Mesa {m['mesa']}, numpy {m['numpy']}. "
        f"Model source digest (sim/, configs/): `{report['source_digest']}`. "
        f"Design `{DESIGN}`, seed {report['seed']}, {STEPS} steps including set-up. "
        f"Load average (1/5/15 min) before: {report['load_average_before']}, "
        f"after: {report.get('load_average_after')}.",
        "",
        "Generated by `benchmarks/bench_model.py`; see benchmarks/README.md for how to read it. "
        "Timings are noisy: compare medians and ratios, not single runs.",
        "",
    ]
    if report.get("source_changed_during_run"):
        head += ["**Warning: sim/ or configs/ changed while this ran; the cases may have "
                 "measured different code.**", ""]
    (out / "bench_model.md").write_text("\n".join(head) + "\n" + tables(report) + "\n\n"
                                        + verdict(report) + "\n")


# --------------------------------------------------------------------------- profile

def profile_case(case: Case, seed: int, top: int) -> None:
    """Profile one run_config of ``case`` with cProfile; print the top functions."""
    import cProfile
    import pstats

    sim = _import_sim()
    cfg = sim.compose_config(case.scenario, DESIGN, seed, list(case.overrides))
    prof = cProfile.Profile()
    prof.enable()
    sim.run_config(cfg)
    prof.disable()
    stats = pstats.Stats(prof).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES),
                    help="cases to run (default: all)")
    ap.add_argument("--repeats", type=int, help="repeats of every case (default: 5/5/3/2)")
    ap.add_argument("--quick", action="store_true",
                    help="fewer repeats (3/3/1/1), no breakdown run, 2 toy repeats")
    ap.add_argument("--no-breakdown", action="store_true",
                    help="skip the extra run that splits build / steps / results")
    ap.add_argument("--no-toy", action="store_true", help="skip the per-agent comparison")
    ap.add_argument("--toy-population", type=int, default=12_528, help="default: Kampenhout")
    ap.add_argument("--toy-steps", type=int, default=12)
    ap.add_argument("--toy-repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=RESULTS, help="folder for the result files")
    ap.add_argument("--no-write", action="store_true", help="print only; write no result files")
    ap.add_argument("--profile", choices=list(CASES), help="cProfile one run of a case and exit")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:  # internal: one measurement in a fresh process
        if args.child == "toy":
            out = child_toy(args.toy_population, args.toy_steps, args.toy_repeats, args.seed)
        else:
            out = child_case(CASES[args.child], args.repeats or 1, args.seed, not args.no_breakdown)
        print(MARK + json.dumps(out), flush=True)
        return 0
    if args.profile:
        profile_case(CASES[args.profile], args.seed, 30)
        return 0

    report: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    "machine": machine_info(), "source_digest": source_digest(),
                    "seed": args.seed, "design": DESIGN, "steps": STEPS,
                    "load_average_before": load_average(), "cases": []}
    # The toy runs right after the cases it is compared with, so that both see about the
    # same load on the machine.
    plan = list(args.cases)
    if not args.no_toy:
        small = [i for i, name in enumerate(plan) if name in COMPARED]
        plan.insert(small[-1] + 1 if small else len(plan), "toy")
    for name in plan:
        if name == "toy":
            toy_repeats = 2 if args.quick else args.toy_repeats
            print(f"per-agent toy: {args.toy_population:,} agents x {args.toy_steps} steps, "
                  f"{toy_repeats} repeat(s), with -W error ...", file=sys.stderr)
            raw = run_child(["--child", "toy", "--toy-population", str(args.toy_population),
                             "--toy-steps", str(args.toy_steps), "--toy-repeats",
                             str(toy_repeats), "--seed", str(args.seed)],
                            warnings_as_errors=True)
            report["toy"] = summarise_toy(raw)
            continue
        case = CASES[name]
        repeats = args.repeats or (case.quick_repeats if args.quick else case.repeats)
        print(f"{name}: {repeats} repeat(s) in a fresh process ...", file=sys.stderr)
        child_args = ["--child", name, "--repeats", str(repeats), "--seed", str(args.seed)]
        if args.quick or args.no_breakdown:
            child_args.append("--no-breakdown")
        report["cases"].append(summarise_case(case, run_child(child_args)))
    if "toy" in report:
        toy = report["toy"]
        report["ratios"] = {
            r["case"]: {"wall": r["citizen_steps_per_s"] / toy["citizen_steps_per_s"],
                        "cpu": r["citizen_steps_per_cpu_s"] / toy["citizen_steps_per_cpu_s"]}
            for r in report["cases"] if r["case"] in COMPARED}

    report["load_average_after"] = load_average()
    if source_digest() != report["source_digest"]:
        report["source_changed_during_run"] = True
        print("WARNING: sim/ or configs/ changed while the benchmark ran; re-run it.",
              file=sys.stderr)
    m = report["machine"]
    print(f"\n{report['date']} - {m['cpu']}, {m['cores']} cores - design {DESIGN}, "
          f"{STEPS} steps incl. set-up, seed {args.seed}\n")
    print(tables(report))
    print("\n" + verdict(report))
    failed = [r["case"] for r in report["cases"] if r["status"] == "FAIL"]
    if not args.no_write:
        write_results(report, args.out)
        print(f"Wrote {args.out / 'bench_model.json'} and {args.out / 'bench_model.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
