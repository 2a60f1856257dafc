"""Replay every approval and choose-1 pabulib round in a folder and tabulate the agreement.

Usage::

    nice -n 19 .venv/bin/python scripts/pabulib_agreement.py DIR [--out docs] [--limit N]

DIR is searched recursively for ``*.pb`` files (pabulib files are not part of this repository:
get them from the public ``pabulib/pabulib_files`` repository or pabulib.org). For each approval
or choose-1 file the script runs :func:`sim.validation.pabulib.replay_election` with the file's official
rule (where supported) and with plain greedy, and :func:`sim.validation.pabulib.statistics_of`. It writes

* ``<out>/pabulib_agreement.md`` -- agreement by official rule and ballot statistics by country;
* ``<out>/data/pabulib_agreement_by_rule.csv`` -- the agreement table;
* ``<out>/data/pabulib_ballot_statistics.csv`` -- the statistics table by country;
* ``<out>/data/pabulib_replay_instances.csv`` -- one row per file (our computed figures only);
* ``<out>/data/pabulib_neighbourhood_weight.csv`` -- the own-area weight of the model's ballot
  fitted on each of :data:`sim.validation.real_ballots.OWN_AREA_FILES` found in DIR (not rewritten with
  ``--from-csv``, which has no files to fit on).

The section "Ballot parameters" of the page gives the estimates of ``citizens.approval_fill``
and ``citizens.ballot_neighbourhood_weight`` (:mod:`sim.validation.real_ballots`). Only summary figures
computed here are written; no pabulib data is copied.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from sim.model.mechanisms.budgeting import method_of_equal_shares
from sim.validation.pabulib import (
    RULES,
    Election,
    UnsupportedElection,
    load,
    replay_election,
    statistics_of,
    vote_type_of,
)
from sim.validation.real_ballots import (
    FILL_SUBSET,
    OWN_AREA_FILES,
    estimate_approval_fill,
    fill_estimates,
    neighbourhood_weight,
)

SUPPORTED = {*RULES, "equalshares/add1-comparison"}


def pabutools_greedy(path: Path) -> set[str]:
    """Project ids pabutools' own greedy (``greedy_utilitarian_welfare`` with ``Cost_Sat``) funds."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare

    instance, profile = parse_pabulib(str(path))
    return {p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)}


def add1_unit_step(election: Election, default: tuple[str, ...]) -> bool | None:
    """Whether add1 with the official 1-unit step selects ``default`` (None: no end within the cap)."""
    try:
        e = election
        mask = method_of_equal_shares(e.costs, e.ballots, e.budget, "add1", voter_budget_increment=1)
    except RuntimeError:
        return None
    return {i for i, s in zip(election.project_ids, mask, strict=True) if s} == set(default)


def instance_rows(
    root: Path, limit: int | None, with_pabutools: bool, shard: tuple[int, int] = (0, 1)
) -> list[dict[str, object]]:
    """One dict per approval / choose-1 file: replay with the official rule and plain greedy, statistics.

    ``shard=(i, k)`` keeps every k-th file starting with the i-th, so that k processes can share
    the work (their CSVs are merged with ``--from-csv``).
    """
    paths = sorted(p for p in root.rglob("*.pb") if vote_type_of(p) in ("approval", "choose-1"))
    if limit is not None:
        paths = paths[:limit]
    paths = paths[shard[0] :: shard[1]]
    rows: list[dict[str, object]] = []
    start = time.perf_counter()
    for k, path in enumerate(paths, 1):
        try:
            election = load(path)
        except (ValueError, UnsupportedElection) as err:
            rows.append({"file": path.name, "error": str(err)})
            continue
        row: dict[str, object] = {
            "file": path.name,
            "country": election.meta.get("country", ""),
            "vote_type": election.meta.get("vote_type", ""),
            "official_rule": election.meta.get("rule", ""),
            "has_selected": election.selected_column is not None,
        }
        greedy = replay_election(election, rule="greedy")
        row.update(greedy_exact=greedy.exact, greedy_jaccard=greedy.jaccard, n_special=len(greedy.special))
        if with_pabutools:
            row["pabutools_greedy_equal"] = pabutools_greedy(path) == set(greedy.selected)
        if row["official_rule"] in SUPPORTED:
            t0 = time.process_time()
            result = replay_election(election)
            row.update(
                replayed_rule=result.rule,
                exact=result.exact,
                jaccard=result.jaccard,
                threshold=result.threshold,
                only_ours=" ".join(result.only_ours),
                only_official=" ".join(result.only_official),
                rule_cpu_s=round(time.process_time() - t0, 3),
            )
            if result.rule == "equalshares/add1":
                row["add1_unit_step_same"] = add1_unit_step(election, result.selected)
        stats = asdict(statistics_of(election))
        row.update({key: v for key, v in stats.items() if key not in ("path", "country", "vote_type")})
        rows.append(row)
        if k % 100 == 0:
            print(f"{k}/{len(paths)} files, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return rows


def agreement_by_rule(df: pd.DataFrame) -> pd.DataFrame:
    """Per official rule and ballot type: instances, with a selection, exact matches, mean Jaccard.

    For the file's own rule (where supported) and for plain greedy on the same files.
    """
    out = []
    for (rule, vote_type), g in df.groupby(["official_rule", "vote_type"], sort=False):
        with_sel = g[g["has_selected"].astype(bool)]
        supported = rule in SUPPORTED
        out.append(
            {
                "official_rule": rule,
                "vote_type": vote_type,
                "instances": len(g),
                "with_selection": len(with_sel),
                "replayed": "yes" if supported else "not supported",
                "exact": int(with_sel["exact"].eq(True).sum()) if supported else None,
                "mean_jaccard": float(with_sel["jaccard"].mean()) if supported and len(with_sel) else None,
                "plain_greedy_exact": int(with_sel["greedy_exact"].eq(True).sum()),
                "plain_greedy_mean_jaccard": float(with_sel["greedy_jaccard"].mean()) if len(with_sel) else None,
            }
        )
    table = pd.DataFrame(out).sort_values("instances", ascending=False, ignore_index=True)
    return table.astype({"exact": "Int64"})


def statistics_by_country(df: pd.DataFrame) -> pd.DataFrame:
    """Per country (and overall): medians of the ballot statistics over instances."""
    columns = {
        "mean_approvals": "median_approvals_per_ballot",
        "approval_share_of_max": "median_share_of_max",
        "vote_gini": "median_vote_gini",
        "vote_hhi": "median_vote_hhi",
        "top10_vote_share": "median_top10_vote_share",
        "funded_project_share": "median_funded_project_share",
        "funded_budget_share": "median_funded_budget_share",
        "own_area_vote_share": "median_own_area_vote_share",
        "own_area_win_share": "median_own_area_win_share",
    }
    groups = [(country, g) for country, g in df.groupby("country")] + [("all", df)]
    out = []
    for country, g in groups:
        row: dict[str, object] = {"country": country, "instances": len(g), "voters": int(g["n_voters"].sum())}
        for col, name in columns.items():
            values = pd.to_numeric(g[col], errors="coerce").dropna()
            row[name] = float(values.median()) if len(values) else np.nan
        row["instances_with_areas"] = int(g["area_field"].notna().sum())
        out.append(row)
    return pd.DataFrame(out)


def to_markdown(table: pd.DataFrame, digits: int = 3) -> str:
    """A GitHub table without the tabulate dependency."""
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(table[c]) else "---" for c in table.columns) + "|"

    def cell(v: object) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float):
            return f"{v:.{digits}f}"
        return str(v)

    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *body])


INTRO = """# Replaying real participatory-budgeting rounds (pabulib)

Generated by `scripts/pabulib_agreement.py DIR` (do not edit by hand): how often the project's
own rules (`sim/model/mechanisms/budgeting.py`, run through `sim/validation/pabulib.py`) reproduce what real
cities funded, and what real ballots look like.

## Source and licence

Data: **pabulib**, the participatory budgeting library (http://pabulib.org), read from a snapshot
of the public GitHub repository `pabulib/pabulib_files` (commit `88cfaba`, "sync: pb files
updated 2026-04-11"). The snapshot lacks its files of 4 MiB and more (Kraków 2023 and 2025,
Warszawa 2020-2025, Wrocław 2016: 9 files), so 1,746 of its 1,755 `.pb` files were read.

What terms apply, as far as we could find: the data repository has no licence file and its README
states no terms; pabulib.org's About page calls pabulib "an open PArticipatory BUdgeting LIBrary"
and its Citation Policy "kindly ask[s]" users of the data to cite P. Faliszewski, J. Flis,
D. Peters, G. Pierczyński, P. Skowron, D. Stolicki, S. Szufa, N. Talmon, "Participatory
Budgeting: Data, Tools, and Analysis", IJCAI 2023 (https://www.ijcai.org/proceedings/2023/0297.pdf);
the MIT licence of the site's own code (`pabulib/pabulib_front`) covers its software, not the
files. Some files name their providers in a META `acknowledgments` entry. pabutools (GPL-3.0)
ships no pabulib file in its sdist, and its repository's tests use a two-project file made up for
the test, not a real round. With no licence stated, we treat the files as usable for research
with attribution, and keep in this repository only figures computed here (`docs/data/`) and the
twelve files the tests need, unchanged and with their attribution (below). The tests that replay
real rounds read them from two places:

* **The package registry**: the PyPI package `pabumeasures` 0.2.2 (MIT, Michał
  Dobranowski and Jakub Wiśniewski) distributes nine pabulib rounds in its source archive;
  `scripts/test_data.sh` (`make test-data`, which `make test` runs) downloads that archive, checks
  its SHA-256 and unpacks the rounds into `.venv/share/pabulib-pabumeasures/`. The tests replay
  Warsaw's 2024 district budgets of Bemowo, Mokotów, Praga-Południe and Ursynów (greedy: the
  official selections exactly), compare the method of equal shares with pabutools' on Świecie
  2023 (equal shares; the file gives no selection) and replay Wieliczka's 2023 green budget
  (equal shares with the comparison step, which is not implemented: 29 of 32 projects shared).
* **A curated set of twelve rounds** (listed in `tests/validation/test_pabulib.py`: greedy, greedy with a
  threshold, greedy without skipping, choose-1, equal shares in the Netherlands and Poland, a
  forint round, a Swiss round, Wrocław 2015 with areas, an ordinal round), shipped with the tests
  in `tests/data/pabulib/`: unchanged copies, with a README that gives the citation pabulib asks
  for and each file's acknowledgment. They are shipped so that a fresh clone's `make test`
  replays real rounds of every rule and ballot kind without a download from pabulib; they are not
  covered by the project's GPL licence.

## How a round is replayed

* Ballots are counted from each file's VOTES section (the PROJECTS `votes` column equals the number
  of times the VOTES section names the project in every file of the snapshot, which `load` checks,
  so that a file cut short is refused). Choose-1 ballots are single approvals. Cumulative,
  ordinal and scoring ballots are not replayed (`UnsupportedElection`).
* `greedy`: `greedy_approval` (fund by votes, skip what does not fit). Ties go to the project id
  that sorts first as a string; the official tie-breaking is not recorded in the files.
* `greedy-threshold`: the threshold is the META key `min_project_score_threshold`, an absolute
  number of votes (present in all 350 approval files with this rule: 50 in 314 of them, 30 in
  57, otherwise file-specific, e.g. Warszawa 2018's 10 % of the district's valid votes, already
  converted to a count; Łódź 2024's comment: "regulations mandating a minimum of 50 votes").
  A project needs at least that many votes (`votes >= threshold`) to be funded.
* `greedy-no-skip`: stop at the first project, by votes, that does not fit. 260 of these files
  also give `min_project_score_threshold`; it is applied too.
* `equalshares/add1`: Method of Equal Shares (cost utilities) with the add1 completion and the
  default step (see the add1 section). `equalshares/add1-comparison` (Wieliczka 2023, Green
  Budget) is replayed the same way: the comparison step of equalshares.net is not implemented.
* Other rules (`greedy-custom`, `greedy-exclusive`, `unknown`) are not replayed; for them the
  table shows only how plain greedy compares.
* The official selection is `selected == 1`. Values 2 and 3 mark projects funded outside the
  rule's own budget (Gdynia: turnout-award projects paid from city funds; Poznań: a project of
  which 80 % fitted, paid from a reserve, or projects paid from funds moved from other
  districts): they are left out of the official selection and reported apart
  (`ReplayResult.special`). Files without a `selected` column have no official selection and
  count only in `instances`.
* Agreement: `exact` = same set of projects; Jaccard = |both| / |either|, averaged over the
  files with a selection.
"""


def add1_section(path: Path) -> str:
    """Markdown summary of scripts/add1_increment_check.py's CSV (empty if it was not run)."""
    if not path.exists():
        return ""
    df = pd.read_csv(path)
    eq = df[df["rule"].astype(str).str.startswith("equalshares")]
    ended = df[df["unit_ended"]]
    lines = [
        "## add1 step",
        "",
        "The official add1 completion raises each voter's budget by one currency unit per rerun of MES. "
        "With costs in forint that needs hundreds of thousands of reruns (Budapest 2022, Józsefváros: "
        "235,769 HUF per voter). The default step is `max(1, 0.1 % of budget / voters)`: the unit step "
        "wherever the per-voter share is at most 1,000 units, and a step bounded in number (reaching k "
        "times the initial share takes at most 1,000 (k - 1) reruns) in any currency. "
        f"Measured with `scripts/add1_increment_check.py` (`docs/data/{path.name}`), unit step capped at "
        "20,000 reruns:",
        "",
        f"* Equal-shares rounds: {len(eq)}; the default step reproduces the official selection on "
        f"{int(eq['default_equals_official'].eq(True).sum())}, the unit step on "
        f"{int(eq['unit_equals_official'].eq(True).sum())}; the two steps agree on "
        f"{int(eq['same_as_unit'].eq(True).sum())} of {int(eq['unit_ended'].sum())} where the unit step ended.",
        f"* All approval / choose-1 rounds with a per-voter share above 1,000 units (where the steps differ) "
        f"plus the above: {len(df)} files; the unit step ended within the cap on {len(ended)}, and there "
        f"the default step selected the same projects on {int(ended['same_as_unit'].eq(True).sum())}. "
        f"The default step ended on {int(df['default_ended'].sum())} of {len(df)}.",
        f"* CPU time, median over these files: default {df['default_cpu_s'].median():.2f} s, unit step "
        f"{df['unit_cpu_s'].median():.2f} s; maximum default {df['default_cpu_s'].max():.1f} s, "
        f"unit {df['unit_cpu_s'].max():.1f} s.",
    ]
    missed = eq[eq["default_equals_official"].eq(False)]
    if len(missed):
        lines.append(
            "* Equal-shares rounds not reproduced (by either step): "
            + ", ".join(f"{r.file} (`{r.rule}`)" for r in missed.itertuples())
            + "; see the per-instance table for the projects on each side."
        )
    slow = df[~df["unit_ended"]]
    if len(slow):
        lines.append(
            "* Unit step not ending within the cap: "
            + ", ".join(f"{r.file} ({r.per_voter_share:,.0f} per voter)" for r in slow.itertuples())
            + "."
        )
    return "\n".join(lines) + "\n"


def neighbourhood_weights(root: Path) -> pd.DataFrame:
    """The own-area weight fitted on each of OWN_AREA_FILES found under ``root`` (one row per file)."""
    rows = []
    for name in OWN_AREA_FILES:
        found = sorted(root.rglob(name))
        if not found:
            print(f"not found under {root}: {name}", file=sys.stderr)
            continue
        fit = neighbourhood_weight(load(found[0]))
        rows.append({"file": name, **asdict(fit)})
    return pd.DataFrame(rows)


def ballot_parameter_section(df: pd.DataFrame, weights_path: Path) -> str:
    """Markdown: how citizens.approval_fill and citizens.ballot_neighbourhood_weight were estimated."""
    fills = fill_estimates(df)
    by_country = fills.groupby("country")["fill"].agg(
        rounds="size", q25=lambda x: x.quantile(0.25), median="median", q75=lambda x: x.quantile(0.75)
    ).reset_index()
    k3 = fills[fills["k"] == 3]["fill"]
    lines = [
        "## Ballot parameters",
        "",
        "Two parameters of the model's ballot (`sim/model/mechanisms/ballots.py`, docs/model.md 7.7) are "
        "estimated from these rounds (`sim/validation/real_ballots.py`).",
        "",
        "**`citizens.approval_fill`.** The model's voter gives 1 + Binomial(k - 1, fill) approvals of the "
        "k = min(approvals allowed, candidates) she may give, so (mean approvals - 1) / (k - 1) estimates "
        f"fill for one round. Rounds used: {FILL_SUBSET} ({len(fills)} rounds; choose-1 rounds say nothing "
        "about fill, and rounds that require several approvals, like most Amsterdam rounds with 3 of 5, "
        f"force them). The estimate is the median over these rounds, **{estimate_approval_fill(df):.2f}** "
        f"(interquartile range {fills['fill'].quantile(0.25):.2f} to {fills['fill'].quantile(0.75):.2f}); "
        f"over the {k3.size} rounds that allow 3 approvals, as Geel does, the median is {k3.median():.2f}. "
        "By country:",
        "",
        to_markdown(by_country),
        "",
    ]
    if weights_path.exists():
        w = pd.read_csv(weights_path)
        lines += [
            "**`citizens.ballot_neighbourhood_weight`.** The model's ballot utility is w [own neighbourhood] "
            "+ general-interest fit + standard Gumbel noise. On choose-1 rounds whose voters and projects "
            "carry an area, `sim.validation.real_ballots.neighbourhood_weight` fits the conditional logit "
            "u = alpha_p + w [project in the voter's area] + Gumbel by maximum likelihood, with a fixed effect "
            "per project "
            "(absorbing how attractive a project is to everyone), on the voters whose area is recorded. "
            "Rounds used: the three Wrocław 2015 district budgets, the only ones in which voters of every "
            "area chose among local projects of every area with an area recorded for the voter that is not "
            "the area of her vote (`one_area_projects`: share of projects with at least 10 such votes whose "
            "voters all name one area). In Wrocław's local rounds of 2019-2021 every project's voters name "
            "one and the same area (`one_area_projects` 1: the voter's area is read from her vote; a fit on "
            "2019 would give 1.13), and in its city-wide rounds a project's area is where a city-wide project "
            "is located (`sim.validation.real_ballots.OWN_AREA_FILES`). Area names are compared after writing out "
            "abbreviations (`sim.validation.pabulib.area_name`). The estimate is the median over the rounds, "
            f"**{w['weight'].median():.2f}**:",
            "",
            to_markdown(w, digits=3),
            "",
        ]
    return "\n".join(lines) + "\n"


def write_outputs(df: pd.DataFrame, n_errors: int, out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the CSV tables and docs/pabulib_agreement.md from the per-instance table ``df``."""
    by_rule = agreement_by_rule(df)
    by_country = statistics_by_country(df)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    by_rule.to_csv(data / "pabulib_agreement_by_rule.csv", index=False)
    by_country.to_csv(data / "pabulib_ballot_statistics.csv", index=False)
    df.to_csv(data / "pabulib_replay_instances.csv", index=False)
    checks = []
    if "pabutools_greedy_equal" in df:
        done = df["pabutools_greedy_equal"].notna()
        checks.append(
            f"The project's `greedy_approval` selects the same projects as pabutools' greedy "
            f"(`greedy_utilitarian_welfare`, `Cost_Sat`) on {int(df['pabutools_greedy_equal'].eq(True).sum())} "
            f"of {int(done.sum())} approval and choose-1 instances."
        )
    text = (
        INTRO
        + f"\n## Agreement by official rule\n\n{len(df)} approval and choose-1 instances read"
        + (f" ({n_errors} could not be read)" if n_errors else "")
        + ". `exact` and `mean_jaccard`: the file's own rule; `plain_greedy_*`: plain greedy on the same file.\n\n"
        + to_markdown(by_rule)
        + "\n\n"
        + "".join(c + "\n\n" for c in checks)
        + "## Ballot statistics by country\n\n"
        "Medians over instances of: approvals per ballot; the same as a share of the allowed maximum "
        "(META `max_length`, 1 for choose-1, where given); Gini and HHI of the projects' vote counts; "
        "share of votes of the top 10 % of projects; share of projects and of the budget funded "
        "(`selected == 1`); where voters and projects carry a district or neighbourhood, the share of a "
        "project's votes from its own area and the share of projects whose own area gives them the "
        "most votes (voters naming several areas count for each; citywide projects, whose area no voter "
        "names, are left out). `voters` is the total number of ballots.\n\n"
        + to_markdown(by_country)
        + "\n\n"
        + ballot_parameter_section(df, data / "pabulib_neighbourhood_weight.csv")
        + "\n"
        + add1_section(data / "add1_increment_check.csv")
    )
    (out / "pabulib_agreement.md").write_text(text, encoding="utf-8")
    return by_rule, by_country


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, nargs="?", help="folder searched recursively for pabulib .pb files")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="where to write (default: docs)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (for a quick look)")
    parser.add_argument("--pabutools", action="store_true", help="also compare greedy with pabutools' (slower)")
    parser.add_argument(
        "--from-csv", type=Path, nargs="+", default=None, help="rebuild the tables from per-instance CSVs, not DIR"
    )
    parser.add_argument("--shard", default="0/1", help="I/K: only every K-th file from the I-th (default 0/1)")
    args = parser.parse_args(argv)
    try:
        shard = tuple(int(x) for x in args.shard.split("/"))
        if len(shard) != 2 or not 0 <= shard[0] < shard[1]:
            raise ValueError
    except ValueError:
        parser.error(f"--shard={args.shard!r} must be I/K with 0 <= I < K")
    if args.from_csv is not None:
        for path in args.from_csv:
            if not path.is_file():
                parser.error(f"--from-csv={str(path)!r} is not a file")
        df, n_errors = pd.concat([pd.read_csv(p) for p in args.from_csv], ignore_index=True), 0
        df = df.sort_values("file", ignore_index=True)
    else:
        if args.dir is None or not args.dir.is_dir():
            parser.error(f"DIR={str(args.dir)!r} is not a folder")
        df = pd.DataFrame(instance_rows(args.dir, args.limit, args.pabutools, shard))  # type: ignore[arg-type]
        errors = df[df["error"].notna()] if "error" in df else df.iloc[:0]
        for _, e in errors.iterrows():
            print(f"not read: {e['file']}: {e['error']}", file=sys.stderr)
        df = df[df["error"].isna()].drop(columns="error") if "error" in df else df
        n_errors = len(errors)
        weights = neighbourhood_weights(args.dir)
        if len(weights):
            (args.out / "data").mkdir(parents=True, exist_ok=True)
            weights.to_csv(args.out / "data" / "pabulib_neighbourhood_weight.csv", index=False)
    by_rule, by_country = write_outputs(df, n_errors, args.out)
    print(to_markdown(by_rule))
    print()
    print(to_markdown(by_country))
    return 0


if __name__ == "__main__":
    sys.exit(main())
