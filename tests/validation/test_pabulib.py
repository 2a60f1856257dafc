"""Tests for sim.validation.pabulib: replaying pabulib files and their ballot statistics.

Most tests write small synthetic .pb files (invented data). Tests on real pabulib rounds read the
curated set :data:`CURATED`, shipped with the tests in tests/data/pabulib/ (its README gives the
attribution and the terms), and the rounds that the PyPI package pabumeasures distributes, which
`make test-data` downloads (`make test` runs it); a missing round fails its test with that target,
never skips it (tests/resources.py). What the real-round tests check against is the official
selection in each file and the figures committed in docs/data/ (computed by
scripts/pabulib_agreement.py on the full set).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from pabutools.election import write_pabulib

from sim.model.mechanisms.budgeting import to_pabutools
from sim.validation.pabulib import (
    RULES,
    Election,
    UnsupportedElection,
    ballot_statistics,
    gini,
    load,
    replay,
    replay_election,
    scan,
    statistics_of,
)
from sim.validation.real_ballots import neighbourhood_weight
from tests.helpers import REPO
from tests.resources import missing

# --------------------------------------------------------------------------------------------
# Synthetic files
# --------------------------------------------------------------------------------------------

# Four projects in two districts, budget 60; seven voters (district, approvals):
#   v1 N: a, b   v2 N: a   v3 N: a, c   v4 S: c, d   v5 S: c   v6 N: d   v7 N: d
# Counts a 3, b 1, c 3, d 3. Greedy order (ties by id): a, c, d, b.
#   greedy:               a (10, left 50), c (30, left 20), d (40) skipped, b (20, left 0) -> a, b, c
#   greedy-threshold 2:   b (1 vote) is not eligible -> a, c
#   greedy-no-skip:       a, c, then d does not fit -> stop -> a, c
PROJECTS = [
    {"project_id": "a", "cost": 10, "district": "N"},
    {"project_id": "b", "cost": 20, "district": "N"},
    {"project_id": "c", "cost": 30, "district": "S"},
    {"project_id": "d", "cost": 40, "district": "S"},
]
VOTES = [
    ("v1", "N", "a,b"),
    ("v2", "N", "a"),
    ("v3", "N", "a,c"),
    ("v4", "S", "c,d"),
    ("v5", "S", "c"),
    ("v6", "N", "d"),
    ("v7", "N", "d"),
]


def write_pb(
    path: Path,
    *,
    rule: str,
    selected: dict[str, int] | None,
    budget: float = 60,
    vote_type: str = "approval",
    extra_meta: dict[str, str] | None = None,
    projects: list[dict[str, object]] | None = None,
    votes: list[tuple[str, str, str]] | None = None,
    points: bool = False,
) -> Path:
    """Write a small pabulib file by hand (META, PROJECTS, VOTES sections, ';'-separated)."""
    projects = PROJECTS if projects is None else projects
    votes = VOTES if votes is None else votes
    counts = {str(p["project_id"]): 0 for p in projects}
    for _, _, vote in votes:
        for pid in vote.split(","):
            counts[pid] += 1
    meta = {
        "description": "synthetic test election",
        "country": "Testland",
        "unit": "Testville",
        "instance": "2026",
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": str(budget),
        "vote_type": vote_type,
        "rule": rule,
        **(extra_meta or {}),
    }
    lines = ["META", "key;value", *(f"{k};{v}" for k, v in meta.items())]
    header = ["project_id", "cost", "votes", "district"] + (["selected"] if selected is not None else [])
    lines += ["PROJECTS", ";".join(header)]
    for p in projects:
        row = [str(p["project_id"]), str(p["cost"]), str(counts[str(p["project_id"])]), str(p.get("district", "None"))]
        if selected is not None:
            row.append(str(selected.get(str(p["project_id"]), 0)))
        lines.append(";".join(row))
    lines += ["VOTES", "voter_id;district;vote" + (";points" if points else "")]
    for voter, district, vote in votes:
        lines.append(f"{voter};{district};{vote}" + (";" + ",".join("1" for _ in vote.split(",")) if points else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Replay, every supported rule
# --------------------------------------------------------------------------------------------


def test_greedy_replay_matches_official(tmp_path: Path) -> None:
    path = write_pb(tmp_path / "g.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1})
    result = replay(path)
    assert result.rule == "greedy"
    assert result.selected == ("a", "b", "c")
    assert result.official == ("a", "b", "c")
    assert result.exact is True and result.jaccard == 1.0
    assert result.only_ours == () and result.only_official == ()
    assert result.meta == {
        "country": "Testland",
        "unit": "Testville",
        "instance": "2026",
        "rule": "greedy",
        "budget": "60",
        "num_votes": "7",
    }


def test_greedy_threshold_replay_and_agreement(tmp_path: Path) -> None:
    path = write_pb(
        tmp_path / "t.pb",
        rule="greedy-threshold",
        selected={"a": 1, "c": 1},
        extra_meta={"min_project_score_threshold": "2"},
    )
    result = replay(path)
    assert (result.rule, result.threshold, result.selected, result.exact) == ("greedy-threshold", 2.0, ("a", "c"), True)
    # Plain greedy also funds b: ours {a, b, c} against official {a, c}: Jaccard 2/3.
    plain = replay(path, rule="greedy")
    assert plain.selected == ("a", "b", "c")
    assert plain.exact is False
    assert plain.jaccard == pytest.approx(2 / 3)
    assert plain.only_ours == ("b",) and plain.only_official == ()


def test_greedy_no_skip_replay(tmp_path: Path) -> None:
    path = write_pb(tmp_path / "n.pb", rule="greedy-no-skip", selected={"a": 1, "c": 1})
    result = replay(path)
    assert result.selected == ("a", "c") and result.exact is True and result.threshold == 0.0
    # Against an official selection the rule does not give: one project only on each side.
    other = write_pb(tmp_path / "n2.pb", rule="greedy-no-skip", selected={"a": 1, "b": 1})
    result = replay(other)
    assert result.only_ours == ("c",) and result.only_official == ("b",)
    assert result.jaccard == pytest.approx(1 / 3)


def test_equal_shares_add1_replay(tmp_path: Path) -> None:
    # The election of test_budgeting.test_mes_cost_utilities_and_completions: MES with add1
    # funds p0, p1, p2 (plain MES would leave p1 out).
    projects = [{"project_id": "p0", "cost": 60}, {"project_id": "p1", "cost": 10}, {"project_id": "p2", "cost": 30}]
    votes = [(f"v{i}", "None", "p0,p1") for i in range(6)] + [("v6", "None", "p0")]
    votes += [(f"v{i}", "None", "p2") for i in range(7, 10)]
    path = write_pb(
        tmp_path / "mes.pb",
        rule="equalshares/add1",
        selected={"p0": 1, "p1": 1, "p2": 1},
        budget=100,
        projects=projects,
        votes=votes,
    )
    result = replay(path)
    assert result.rule == "equalshares/add1" and result.exact is True
    assert result.selected == ("p0", "p1", "p2")
    comparison = write_pb(
        tmp_path / "cmp.pb",
        rule="equalshares/add1-comparison",
        selected={"p0": 1},
        budget=100,
        projects=projects,
        votes=votes,
    )
    result = replay(comparison)
    assert result.rule == "equalshares/add1" and "comparison step not implemented" in result.notes[0]
    assert result.jaccard == pytest.approx(1 / 3)


def test_choose_1_ballots_are_single_approvals(tmp_path: Path) -> None:
    votes = [("v1", "N", "a"), ("v2", "N", "a"), ("v3", "S", "c"), ("v4", "S", "b")]
    # Counts a 2, b 1, c 1, d 0; greedy with budget 45: a (10), b (20; tie b/c by id), c (30) no.
    path = write_pb(
        tmp_path / "c1.pb", rule="greedy", selected={"a": 1, "b": 1}, budget=45, vote_type="choose-1", votes=votes
    )
    result = replay(path)
    assert result.selected == ("a", "b") and result.exact is True
    stats = ballot_statistics(path)
    assert stats.vote_type == "choose-1" and stats.mean_approvals == 1.0
    assert stats.max_length == 1 and stats.approval_share_of_max == 1.0


def test_special_selections_are_reported_not_compared(tmp_path: Path) -> None:
    # d marked 2 (funded outside the rule, e.g. a turnout award): not part of the official set.
    path = write_pb(tmp_path / "s.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1, "d": 2})
    result = replay(path)
    assert result.official == ("a", "b", "c") and result.special == ("d",)
    assert result.exact is True


def test_file_without_selected_column(tmp_path: Path) -> None:
    path = write_pb(tmp_path / "u.pb", rule="greedy", selected=None)
    result = replay(path)
    assert result.official is None and result.exact is None and result.jaccard is None
    assert result.selected == ("a", "b", "c")
    assert ballot_statistics(path).funded_project_share is None


def test_file_written_by_pabutools(tmp_path: Path) -> None:
    # Round trip through pabutools' own writer: greedy on costs 3, 4, 5 with 2, 3, 1 votes, budget 8.
    costs = np.array([3.0, 4.0, 5.0])
    ballots = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1], [1, 1, 0]]))
    instance, profile = to_pabutools(costs, ballots, 8)
    instance.meta["rule"] = "greedy"
    path = tmp_path / "written.pb"
    write_pabulib(instance, profile, str(path))
    # order p001 (3 votes, cost 4, left 4), p000 (2 votes, cost 3, left 1), p002 (5) skipped
    assert replay(path).selected == ("p000", "p001")


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vote_type", ["cumulative", "ordinal"])
def test_unsupported_vote_types(tmp_path: Path, vote_type: str) -> None:
    path = write_pb(
        tmp_path / "x.pb", rule="greedy", selected={"a": 1}, vote_type=vote_type, points=vote_type == "cumulative"
    )
    with pytest.raises(UnsupportedElection, match=f"vote_type='{vote_type}' is not supported; only approval, choose-1"):
        replay(path)
    with pytest.raises(UnsupportedElection, match="is not supported"):
        ballot_statistics(path)


def test_unsupported_rules(tmp_path: Path) -> None:
    path = write_pb(tmp_path / "x.pb", rule="greedy-custom", selected={"a": 1})
    with pytest.raises(UnsupportedElection, match=r"rule='greedy-custom' is not supported; supported rules: greedy, "):
        replay(path)
    assert replay(path, rule="greedy").selected == ("a", "b", "c")  # another rule can be asked for
    with pytest.raises(UnsupportedElection, match=r"rule='phragmen' is not supported"):
        replay(path, rule="phragmen")
    assert "equalshares/add1" in RULES


def test_bad_paths(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"path='.*missing\.pb': no such file"):
        replay(tmp_path / "missing.pb")
    with pytest.raises(ValueError, match="is not a file"):
        replay(tmp_path)
    other = tmp_path / "election.csv"
    other.write_text("META\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"does not end in \.pb"):
        replay(other)
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\ncountry;X\nPROJECTS\nproject_id;votes\na;3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no VOTES section; the file is cut short or not a pabulib file"):
        ballot_statistics(broken)
    broken.write_text("META\nkey;value\ncountry;X\nPROJECTS\nproject_id;votes\na;0\nVOTES\nvoter_id;vote\n1;b\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match="not a readable pabulib file"):
        ballot_statistics(broken)


def test_what_is_not_a_path_or_not_a_file_is_named(tmp_path: Path) -> None:
    """``load(None)`` raised a TypeError of pathlib's, ``scan(folder)`` an IsADirectoryError: each names ``path``."""
    for read in (load, scan, replay, ballot_statistics):
        with pytest.raises(TypeError, match=r"^path=None is a NoneType; expected a str or pathlib\.Path of a pabulib "):
            read(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^path=3 is a int"):
            read(3)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=rf"^path='{re.escape(str(tmp_path))}' is not a file"):
            read(tmp_path)
        with pytest.raises(FileNotFoundError, match="no such file"):
            read(str(tmp_path / "missing.pb"))


def test_bad_threshold_in_file(tmp_path: Path) -> None:
    path = write_pb(
        tmp_path / "t.pb",
        rule="greedy-threshold",
        selected={"a": 1},
        extra_meta={"min_project_score_threshold": "fifty"},
    )
    with pytest.raises(ValueError, match="min_project_score_threshold='fifty' is not a number"):
        replay(path)


# --------------------------------------------------------------------------------------------
# Files from elsewhere: cut, damaged or wrong
# --------------------------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(("keep", "message"), [
    (-4, r"line 8: META num_votes=7 but the VOTES section holds 3 rows; the file is cut short or damaged"),
    (-9, r"no VOTES section; the file is cut short or not a pabulib file"),
    (-8, r"line 18: the section VOTES has no header row"),
])
def test_a_file_cut_at_a_line_boundary_is_refused(tmp_path: Path, keep: int, message: str) -> None:
    """Cut after 3 of 7 voters, before VOTES, or inside PROJECTS: each loaded silently (and replayed as "exact")."""
    whole = write_pb(tmp_path / "whole.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1})
    assert replay(whole).exact
    cut = tmp_path / "cut.pb"
    cut.write_text("\n".join(_lines(whole)[:keep]) + "\n", encoding="utf-8")
    for read in (replay, ballot_statistics):
        with pytest.raises(ValueError, match=rf"path='{re.escape(str(cut))}'(, |: )" + message):
            read(cut)


def test_a_file_cut_without_num_votes_is_found_by_its_vote_counts(tmp_path: Path) -> None:
    """Without META num_votes, a file cut after 3 of 7 voters loaded silently (17 of 84 voters in a tester's
    Assen file); the PROJECTS votes column, which agrees with the VOTES section in every real file read, shows
    it. Without either, nothing can: the cut file loads what is left (the known limit in docs/doors.md)."""
    whole = write_pb(tmp_path / "whole.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1})
    lines = [line for line in _lines(whole) if not line.startswith("num_votes;")]
    cut = tmp_path / "cut.pb"
    cut.write_text("\n".join(lines[:-4]) + "\n", encoding="utf-8")
    assert scan(whole) == {"projects": 4, "votes": 7}
    for read in (replay, ballot_statistics):
        with pytest.raises(ValueError, match=rf"path='{re.escape(str(cut))}', line 15: project 'c' has votes=3 but "
                                             r"the VOTES section names it 1 times; the file is cut short or damaged"):
            read(cut)
    no_column = [";".join(c for i, c in enumerate(line.split(";")) if i != 2) if 12 <= n <= 16 else line
                 for n, line in enumerate(lines[:-4], start=1)]
    cut.write_text("\n".join(no_column) + "\n", encoding="utf-8")
    assert load(cut).ballots.shape[0] == 3


@pytest.mark.parametrize(("change", "message"), [
    # something given twice: pabutools kept the last (a budget of 1), or counted a voter's row twice
    (("budget;60", "budget;60\nbudget;1"), r"line 10: META budget is given twice \(first on line 9\); allowed: each "
                                          r"key once"),
    (("b;20;1;N;1", "a;20;1;N;1"), r"line 15: project_id 'a' is given twice \(first on line 14\); allowed: each "
                                   r"project once"),
    (("v2;N;a", "v1;N;a"), r"line 21: voter_id 'v1' is given twice \(first on line 20\); allowed: each voter once"),
    (("voter_id;district;vote", "voter_id;vote;vote"), r"line 19: the VOTES header names the column 'vote' twice"),
    # the PROJECTS votes column against the VOTES section
    (("a;10;3;N;1", "a;10;4;N;1"), r"line 14: project 'a' has votes=4 but the VOTES section names it 3 times; the "
                                   r"file is cut short or damaged"),
    (("v5;S;c", "v5;S;c,c"), r"line 16: project 'c' has votes=3 but the VOTES section names it 4 times"),
    (("a;10;3;N;1", "a;10;x;N;1"), r"line 14: project 'a' has votes='x'; allowed: a whole number >= 0"),
    (("c;30;3;S;1", "c;30;3;S"), r"line 16: the PROJECTS row has 4 columns but its header has 5 "
                                 r"\(project_id;cost;votes;district;selected\); the file is damaged or cut"),
    (("v4;S;c,d", "v4;c,d"), r"line 23: the VOTES row has 2 columns but its header has 3"),
    (("d;40;3;S;0", ""), r"line 7: META num_projects=4 but the PROJECTS section holds 3 rows; the file is cut "
                         r"short or damaged"),
    (("budget;60", "budget;1e400"), r"line 9: budget='1e400'; allowed: a finite number > 0"),
    (("budget;60", "budget;-60"), r"line 9: budget='-60'; allowed: a finite number > 0"),
    (("b;20;1;N;1", "b;-20;1;N;1"), r"line 15: project 'b' has cost='-20'; allowed: a finite number >= 0"),
    (("b;20;1;N;1", "b;nan;1;N;1"), r"line 15: project 'b' has cost='nan'; allowed: a finite number >= 0"),
    (("a;10;3;N;1", "a;10;3;N;abc"), r"line 14: project 'a' has selected='abc'; allowed: one of 0, 1, 2, 3"),
    (("a;10;3;N;1", "a;10;3;N;1.5"), r"line 14: project 'a' has selected='1.5'; allowed: one of 0, 1, 2, 3"),
])
def test_a_damaged_file_is_refused_naming_the_file_and_line(tmp_path: Path, change: tuple[str, str],
                                                          message: str) -> None:
    path = write_pb(tmp_path / "damaged.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1})
    old, new = change
    text = path.read_text(encoding="utf-8")
    assert f"\n{old}\n" in text
    path.write_text(text.replace(f"\n{old}\n", f"\n{new}\n"), encoding="utf-8")
    for read in (replay, ballot_statistics):
        with pytest.raises(ValueError, match=rf"path='{re.escape(str(path))}', " + message):
            read(path)


def test_binary_content_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.pb"
    path.write_bytes(b"META\nkey;value\n" + bytes(range(128, 256)))
    with pytest.raises(ValueError, match=rf"path='{re.escape(str(path))}': not a text file in UTF-8"):
        ballot_statistics(path)


def test_nothing_in_a_file_is_resolved(tmp_path: Path, monkeypatch) -> None:
    """A text such as ${oc.env:TOKEN} in a project's area stays that text (nothing is resolved or run)."""
    monkeypatch.setenv("SIM_TEST_TOKEN", "tok-1414213562")
    projects = [{**p, "district": "${oc.env:SIM_TEST_TOKEN}"} if p["project_id"] == "a" else p for p in PROJECTS]
    path = write_pb(tmp_path / "e.pb", rule="greedy", selected={"a": 1}, projects=projects,
                    extra_meta={"description": "${oc.env:SIM_TEST_TOKEN}"})
    election = load(path)
    assert election.project_area[0] == "${oc.env:SIM_TEST_TOKEN}"
    assert election.meta["description"] == "${oc.env:SIM_TEST_TOKEN}"
    assert "tok-1414213562" not in repr(election) + repr(replay(path))


# --------------------------------------------------------------------------------------------
# Ballot statistics
# --------------------------------------------------------------------------------------------


def test_ballot_statistics_hand_checked(tmp_path: Path) -> None:
    path = write_pb(tmp_path / "g.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1}, extra_meta={"max_length": "2"})
    s = ballot_statistics(path)
    assert (s.n_voters, s.n_projects, s.country) == (7, 4, "Testland")
    assert s.mean_approvals == pytest.approx(10 / 7)  # 10 approvals on 7 ballots
    assert s.approval_share_of_max == pytest.approx(10 / 14)
    # counts 3, 1, 3, 3: Gini sum((2i-n-1) x_(i)) / (n sum x) = (-3 - 3 + 3 + 9) / 40
    assert s.vote_gini == pytest.approx(6 / 40)
    assert s.vote_hhi == pytest.approx(0.09 * 3 + 0.01)
    assert s.top10_vote_share == pytest.approx(0.3)  # top 10 % of 4 projects = 1 project
    assert s.funded_project_share == 0.75
    assert s.funded_budget_share == pytest.approx(60 / 60)
    # Own area: a 3 of 3 (N), b 1 of 1 (N), c 2 of 3 (S), d 1 of 3 (S): 7 of 10 approvals;
    # the own area wins for a, b, c but not d (N gives it 2 against S's 1).
    assert s.area_field == "district/district"
    assert s.own_area_vote_share == pytest.approx(0.7)
    assert s.own_area_win_share == pytest.approx(0.75)


def test_own_area_with_several_areas_and_citywide_projects(tmp_path: Path) -> None:
    # a (N), b (S), c ("City": no voter names it, so left out). v1 names N and S.
    #   v1 N,S: a, b   v2 N: a, c   v3 S: b   v4 S: a
    # a: supporters v1, v2, v4; own area N: v1, v2 -> 2 of 3; per area N 2 (v1, v2), S 2 (v1, v4): a tie,
    #    so N does not win. b: v1, v3 both name S -> 2 of 2; S 2 against N 1: wins.
    # Own-area share (2 + 2) / (3 + 2) = 0.8; win share 1 of 2.
    projects = [
        {"project_id": "a", "cost": 1, "district": "N"},
        {"project_id": "b", "cost": 1, "district": "S"},
        {"project_id": "c", "cost": 1, "district": "City"},
    ]
    votes = [("v1", "N,S", "a,b"), ("v2", "N", "a,c"), ("v3", "S", "b"), ("v4", "S", "a")]
    s = ballot_statistics(write_pb(tmp_path / "w.pb", rule="greedy", selected=None, projects=projects, votes=votes))
    assert s.own_area_vote_share == pytest.approx(0.8)
    assert s.own_area_win_share == pytest.approx(0.5)


def test_ballot_statistics_without_areas(tmp_path: Path) -> None:
    projects = [{"project_id": p["project_id"], "cost": p["cost"]} for p in PROJECTS]
    votes = [(v, "None", vote) for v, _, vote in VOTES]
    s = ballot_statistics(write_pb(tmp_path / "g.pb", rule="greedy", selected=None, projects=projects, votes=votes))
    assert s.area_field is None and s.own_area_vote_share is None and s.own_area_win_share is None
    assert s.max_length is None and s.approval_share_of_max is None


def test_gini() -> None:
    assert gini(np.array([5.0, 5.0, 5.0])) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(3 / 4)
    assert gini(np.array([])) == 0.0


def test_load_keeps_areas_and_selection(tmp_path: Path) -> None:
    election = load(write_pb(tmp_path / "g.pb", rule="greedy", selected={"a": 1, "d": 3}))
    assert election.project_ids == ["a", "b", "c", "d"]
    assert election.project_area == ["N", "N", "S", "S"]
    assert election.voter_area[:4] == ["N", "N", "N", "S"]
    np.testing.assert_array_equal(election.selected_column, [1, 0, 0, 3])


# --------------------------------------------------------------------------------------------
# Real pabulib rounds: the curated set shipped in tests/data/pabulib/
# --------------------------------------------------------------------------------------------

#: The curated rounds and what each is for (tests/data/pabulib/README.md gives their attribution).
CURATED: dict[str, str] = {
    "Poland_Warszawa_2023_Wesola.pb": "greedy",
    "Poland_Lodz_2020_Nr_33.pb": "greedy-threshold (50 votes)",
    "Poland_Gdynia_2020_Orlowo__small.pb": "greedy-no-skip",
    "Poland_Gdynia_2021_Babie_Doly__large.pb": "greedy-no-skip with a turnout-award project",
    "Poland_Wroclaw_2018_Rejon_nr_2_250.pb": "choose-1",
    "Netherlands_Assen_2024.pb": "equalshares/add1",
    "Poland_Swiecie_2023.pb": "equalshares/add1",
    "Poland_Wieliczka_2023_Green_Budget.pb": "equalshares/add1-comparison (not reproduced)",
    "Hungary_Budapest_2022_VIII_Jozsefvaros.pb": "forint costs",
    "Switzerland_Zurich_SN.pb": "a Swiss round",
    "Poland_Wroclaw_2015_up_to_150.pb": "voters' and projects' areas",
    "US_Stanford_Dataset_PB_Chicago_35th_Ward_2021_vote_rankings.pb": "ordinal ballots",
}
CURATED_DIR = REPO / "tests" / "data" / "pabulib"
DOCS_DATA = REPO / "docs" / "data"


def real_file(name: str) -> Path:
    """Path of a curated round in tests/data/pabulib/."""
    path = CURATED_DIR / name
    assert path.is_file(), f"{path} is missing: the curated rounds are part of the repository"
    return path


def test_curated_rounds_are_shipped_with_their_attribution() -> None:
    """tests/data/pabulib/ holds exactly the curated rounds, and its README names each with the
    citation pabulib asks for."""
    assert sorted(p.name for p in CURATED_DIR.glob("*.pb")) == sorted(CURATED)
    readme = (CURATED_DIR / "README.md").read_text(encoding="utf-8")
    assert "Faliszewski" in readme and "IJCAI 2023" in readme
    assert [name for name in CURATED if f"| {name} |" not in readme] == []


@functools.cache
def real_election(name: str) -> Election:
    """A curated round, parsed once for all the tests that read it."""
    return load(real_file(name))


def committed_row(name: str) -> pd.Series:
    """The round's row of docs/data/pabulib_replay_instances.csv (the figures the docs report)."""
    table = pd.read_csv(DOCS_DATA / "pabulib_replay_instances.csv")
    return table.set_index("file").loc[name]


@pytest.mark.parametrize(
    ("name", "rule", "threshold", "plain_greedy_exact"),
    [
        ("Poland_Warszawa_2023_Wesola.pb", "greedy", 0.0, True),
        ("Poland_Lodz_2020_Nr_33.pb", "greedy-threshold", 50.0, False),
        ("Poland_Gdynia_2020_Orlowo__small.pb", "greedy-no-skip", 50.0, False),
        ("Poland_Wroclaw_2018_Rejon_nr_2_250.pb", "greedy-no-skip", 0.0, True),
        ("Netherlands_Assen_2024.pb", "equalshares/add1", 0.0, False),
        ("Poland_Swiecie_2023.pb", "equalshares/add1", 0.0, False),
    ],
)
def test_real_rounds_are_reproduced(name: str, rule: str, threshold: float, plain_greedy_exact: bool) -> None:
    """The file's own rule gives the official selection; where the rule is not plain greedy, plain
    greedy does not (so the variant matters on this round)."""
    election = real_election(name)
    result = replay_election(election)
    assert (result.rule, result.threshold) == (rule, threshold)
    assert result.exact is True, (result.only_ours, result.only_official)
    assert replay_election(election, rule="greedy").exact is plain_greedy_exact


def test_real_special_selection_is_separate() -> None:
    # Gdynia 2021 Babie Doły (large): one project funded as a turnout award (selected=2).
    result = replay_election(real_election("Poland_Gdynia_2021_Babie_Doly__large.pb"))
    assert result.rule == "greedy-no-skip" and len(result.special) == 1 and result.exact is True
    assert result.special[0] not in result.selected


def test_real_comparison_round_is_not_reproduced() -> None:
    """Wieliczka's Green Budget used equal shares with a comparison step (keep greedy's outcome if voters
    prefer it), which is not implemented: the replay differs as docs/pabulib_agreement.md reports."""
    name = "Poland_Wieliczka_2023_Green_Budget.pb"
    result = replay_election(real_election(name))
    assert result.rule == "equalshares/add1" and "comparison step not implemented" in result.notes[0]
    assert result.exact is False
    assert result.jaccard == pytest.approx(float(committed_row(name)["jaccard"]))


def test_real_forint_round_ends_with_the_default_add1_step() -> None:
    """Costs in forint (235,769 HUF per voter): the unit add1 step needs hundreds of thousands of MES
    reruns; the default step ends, and funds no more than the budget."""
    election = real_election("Hungary_Budapest_2022_VIII_Jozsefvaros.pb")
    result = replay_election(election, rule="equalshares/add1")
    chosen = np.isin(election.project_ids, result.selected)
    assert 0 < chosen.sum() and election.costs[chosen].sum() <= election.budget


@pytest.mark.parametrize("name", [n for n in CURATED if "vote_rankings" not in n])
def test_real_ballot_statistics_match_the_committed_figures(name: str) -> None:
    """The statistics of each curated round equal the figures docs/data/ reports for it."""
    stats = statistics_of(real_election(name))
    row = committed_row(name)
    assert (stats.n_voters, stats.n_projects) == (row["n_voters"], row["n_projects"])
    for key in ("mean_approvals", "approval_share_of_max", "vote_gini", "vote_hhi", "top10_vote_share",
                "funded_project_share", "own_area_vote_share", "own_area_win_share"):
        ours, committed = getattr(stats, key), row[key]
        if pd.isna(committed):
            assert ours is None, key
        else:
            assert ours == pytest.approx(float(committed), rel=1e-9), key


def test_real_own_area_statistics_and_neighbourhood_weight() -> None:
    """Wrocław 2015 (district budget, up to 150,000 PLN): about two thirds of the votes of voters
    with a recorded area go to a project of their own area; the fitted own-area weight is the one
    docs/data/pabulib_neighbourhood_weight.csv reports (and citizens.ballot_neighbourhood_weight's median)."""
    name = "Poland_Wroclaw_2015_up_to_150.pb"
    election = real_election(name)
    stats = statistics_of(election)
    assert stats.area_field == "neighborhood/district" and 0.6 < stats.own_area_vote_share < 0.75
    fit = neighbourhood_weight(election)
    committed = pd.read_csv(DOCS_DATA / "pabulib_neighbourhood_weight.csv").set_index("file").loc[name]
    assert fit.weight == pytest.approx(float(committed["weight"]), rel=1e-6)
    assert (fit.voters, fit.projects, fit.areas) == (committed["voters"], committed["projects"], committed["areas"])


def test_real_ordinal_file_is_refused() -> None:
    path = real_file("US_Stanford_Dataset_PB_Chicago_35th_Ward_2021_vote_rankings.pb")
    with pytest.raises(UnsupportedElection, match="vote_type='ordinal' is not supported"):
        replay(path)


# --------------------------------------------------------------------------------------------
# Real rounds from the package registry (make test-data, which make test runs)
# --------------------------------------------------------------------------------------------

#: Where scripts/test_data.sh unpacks the rounds that pabumeasures 0.2.2 (MIT, on PyPI) distributes.
REGISTRY_DIR = Path(os.environ.get("PABULIB_REGISTRY_DIR",
                                   REPO / ".venv" / "share" / "pabulib-pabumeasures"))


def registry_file(name: str) -> Path:
    path = REGISTRY_DIR / name
    if not path.is_file():
        missing(f"{name} is not in {REGISTRY_DIR}", "test-data")
    return path


@functools.cache
def registry_election(name: str) -> Election:
    return load(registry_file(name))


@pytest.mark.parametrize("name", ["poland_warszawa_2024_bemowo.pb", "poland_warszawa_2024_mokotow.pb",
                                  "poland_warszawa_2024_praga-poludnie.pb", "poland_warszawa_2024_ursynow.pb"])
def test_warsaw_2024_district_rounds_are_reproduced_by_greedy(name: str) -> None:
    """Warsaw's 2024 district budgets (greedy, 5,870-9,442 voters, 60-76 projects): the official selection."""
    result = replay_election(registry_election(name))
    assert result.rule == "greedy" and result.official is not None
    assert result.exact is True, (result.only_ours, result.only_official)


def test_swiecie_2023_equal_shares_matches_pabutools() -> None:
    """Świecie 2023 (equalshares/add1, 2,553 voters, 22 projects, no official selection in the file):
    the method of equal shares with cost utilities selects what pabutools' does, and the add1
    completion with the default step (scaled to the instance) what it gives with a step of 1 zloty."""
    from pabutools.election import Cost_Sat
    from pabutools.rules import method_of_equal_shares as pabu_mes

    from sim.model.mechanisms.budgeting import default_project_names, method_of_equal_shares

    e = registry_election("poland_swiecie_2023_.pb")
    instance, profile = to_pabutools(e.costs, e.ballots, e.budget)
    names = default_project_names(e.costs.size)
    reference = np.isin(names, [p.name for p in pabu_mes(instance, profile, sat_class=Cost_Sat)])
    np.testing.assert_array_equal(method_of_equal_shares(e.costs, e.ballots, e.budget, None), reference)
    unit = method_of_equal_shares(e.costs, e.ballots, e.budget, "add1", voter_budget_increment=1)
    np.testing.assert_array_equal(method_of_equal_shares(e.costs, e.ballots, e.budget, "add1"), unit)
    assert e.costs[unit].sum() <= e.budget and unit.sum() > reference.sum()


def test_wieliczka_2023_green_budget_differs_by_the_comparison_step() -> None:
    """Wieliczka's 2023 green budget was decided by equal shares with equalshares.net's comparison
    step, which the project does not implement: the replay keeps 29 of the 32 projects of either
    selection (Jaccard 0.906), as docs/pabulib_agreement.md reports for the pabulib copy."""
    result = replay_election(registry_election("poland_wieliczka_2023_green-budget.pb"))
    assert result.rule == "equalshares/add1" and result.exact is False
    assert result.jaccard == pytest.approx(29 / 32)


def test_a_field_over_the_csv_readers_limit_names_the_file_and_line(tmp_path):
    """A project name of 200,000 characters: scan raised csv's bare '_csv.Error: field larger than field limit'."""
    path = tmp_path / "big.pb"
    path.write_text("META\nkey;value\ndescription;x\nnum_projects;1\nnum_votes;1\nbudget;10\nvote_type;approval\n"
                    "PROJECTS\nproject_id;cost;name\n1;5;" + "x" * 200_000 + "\nVOTES\nvoter_id;vote\n1;1\n")
    with pytest.raises(ValueError, match=r"^path='.*big.pb', line 10: field larger than field limit \(131072\); "
                                         r"expected a pabulib .pb file$"):
        scan(path)


@pytest.mark.parametrize("budget", ["122_600_000", "١٠٠٠"])
def test_pythons_own_number_forms_are_not_pabulib_numbers(budget, tmp_path):
    """float() reads 1_000 and digits of other scripts; no pabulib file writes them, so they were read without a
    word (budget;122_600_000)."""
    path = tmp_path / "f.pb"
    path.write_text(f"META\nkey;value\nnum_projects;1\nnum_votes;1\nbudget;{budget}\nvote_type;approval\n"
                    "PROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^path='.*f.pb', line 5: budget='{budget}'; allowed: a finite number > 0$"):
        scan(path)


@pytest.mark.parametrize(("meta", "message"), [
    # pabutools read each: a budget of 0 funds nothing; a ballot of at most -4 approvals; pabulib's checker takes
    # budget as a number, min_length and max_length as whole numbers, and no file of pabulib_files breaks the rules
    ({"budget": "0"}, r"line 9: budget='0'; allowed: a finite number > 0"),
    ({"budget": "0,0"}, r"line 9: budget='0,0'; allowed: a finite number > 0"),
    ({"max_length": "-4"}, r"line 12: max_length='-4'; allowed: a whole number >= 1"),
    ({"min_length": "0"}, r"line 12: min_length='0'; allowed: a whole number >= 1"),
    ({"max_length": "2.5"}, r"line 12: max_length='2.5'; allowed: a whole number >= 1"),
    ({"max_length": "None"}, r"line 12: max_length='None'; allowed: a whole number >= 1"),
    ({"min_length": "3", "max_length": "2"}, r"line 12: min_length='3'; allowed: a whole number from 1 to "
                                             r"max_length \(2, line 13\)"),
], ids=["budget_0", "budget_0_comma", "max_length_negative", "min_length_0", "max_length_fraction",
        "max_length_none", "min_above_max"])
def test_a_budget_of_0_or_a_ballot_length_below_1_is_refused(tmp_path: Path, meta: dict[str, str],
                                                            message: str) -> None:
    extra = {k: v for k, v in meta.items() if k != "budget"}
    path = write_pb(tmp_path / "m.pb", rule="greedy", selected={"a": 1, "b": 1, "c": 1},
                    budget=meta.get("budget", 60), extra_meta=extra)
    for read in (scan, replay, ballot_statistics):
        with pytest.raises(ValueError, match=rf"^path='{re.escape(str(path))}', {message}$"):
            read(path)
    ok = write_pb(tmp_path / "ok.pb", rule="greedy", selected=None, extra_meta={"min_length": "2", "max_length": "2"})
    assert ballot_statistics(ok).max_length == 2


CONTROL_FILE = ("META\nkey;value\ndescription;{meta}\nnum_projects;1\nnum_votes;1\nbudget;10\nvote_type;approval\n"
                "PROJECTS\nproject_id;cost;name\n1;5;{name}\nVOTES\nvoter_id;vote\n{voter};1\n")


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "Park\x00bench"}, r"line 10: project '1' has name='Park\\x00bench'"),
    ({"name": "Park\x1b[31mbench"}, r"line 10: project '1' has name='Park\\x1b\[31mbench'"),
    # a line break to str.splitlines (pabutools read 'Park' and a project 'bench'), a white space to str.strip
    ({"name": "Park\x0bbench"}, r"line 10: project '1' has name='Park\\x0bbench'"),
    ({"name": "Parkbench\x1f"}, r"line 10: project '1' has name='Parkbench\\x1f'"),
    ({"meta": "a\x00b"}, r"line 3: description='a\\x00b'"),
    ({"voter": "v\x001"}, r"line 13: voter 'v\\x001' has voter_id='v\\x001'"),
], ids=["nul", "escape", "vertical_tab", "unit_separator", "meta_value", "voter_id"])
def test_a_control_character_in_a_field_is_refused_naming_the_line_and_field(tmp_path: Path, fields: dict[str, str],
                                                                              message: str) -> None:
    """A NUL in a project's name was read into the name; pabulib's files hold no C0 control character (a tab is
    allowed, as text)."""
    path = tmp_path / "c.pb"
    path.write_text(CONTROL_FILE.format(**{"meta": "x", "name": "Park", "voter": "1", **fields}), encoding="utf-8")
    for read in (scan, load):
        with pytest.raises(ValueError, match=rf"^path='{re.escape(str(path))}', {message}; allowed: text without "
                                             r"control characters other than tab$"):
            read(path)
    path.write_text(CONTROL_FILE.format(meta="x", name="Park\tbench", voter="1"), encoding="utf-8")
    assert scan(path) == {"projects": 1, "votes": 1}
    assert load(path).project_ids == ["1"]
