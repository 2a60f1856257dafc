"""Measures of who takes part: composition by group and a representativeness index."""

from __future__ import annotations

import numpy as np

from sim.population import AGE_GROUPS, EDUCATION_LEVELS, Population

#: The group dimensions reported, in order: name -> (attribute, labels or None for scenario names).
DIMENSIONS = ("education", "age", "neighbourhood", "online_access")


def group_codes(pop: Population) -> dict[str, np.ndarray]:
    """Integer group code of every resident, per dimension."""
    return {
        "education": pop.education.astype(np.int64),
        "age": pop.age_group.astype(np.int64),
        "neighbourhood": pop.neighbourhood.astype(np.int64),
        "online_access": pop.online.astype(np.int64),
    }


def group_labels(neighbourhoods: list[str]) -> dict[str, tuple[str, ...]]:
    """Labels of the groups, per dimension."""
    return {
        "education": EDUCATION_LEVELS,
        "age": AGE_GROUPS,
        "neighbourhood": tuple(neighbourhoods),
        "online_access": ("offline", "online"),
    }


def composition(codes: np.ndarray, mask: np.ndarray, n_groups: int) -> np.ndarray:
    """Counts per group among residents where ``mask`` holds."""
    return np.bincount(codes[mask], minlength=n_groups)


def total_variation(p_counts: np.ndarray, q_counts: np.ndarray) -> float:
    """Total variation distance between two count vectors' distributions (0 = identical, 1 = disjoint)."""
    if p_counts.sum() == 0 or q_counts.sum() == 0:
        return 1.0
    return 0.5 * float(np.abs(p_counts / p_counts.sum() - q_counts / q_counts.sum()).sum())


def representativeness(codes: dict[str, np.ndarray], participants: np.ndarray, eligible: np.ndarray,
                       n_groups: dict[str, int]) -> float:
    """1 - mean total variation distance between participants and the eligible population.

    Averaged over education, age, neighbourhood and online access. 1 means participants
    mirror the eligible population on every dimension; 0 when nobody takes part.
    """
    if not participants.any():
        return 0.0
    tvd = [total_variation(composition(c, participants, n_groups[d]), composition(c, eligible, n_groups[d]))
           for d, c in codes.items()]
    return float(1.0 - np.mean(tvd))
