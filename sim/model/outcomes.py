"""Measures of who takes part: composition by group and a representativeness index."""

from __future__ import annotations

import numpy as np

from sim.model.population import AGE_GROUPS, EDUCATION_LEVELS, Population

#: The group dimensions reported, in order: name -> (attribute, labels or None for scenario names).
DIMENSIONS = ("education", "age", "neighbourhood", "online_access", "gender", "migration", "income")


def group_codes(pop: Population) -> dict[str, np.ndarray]:
    """Integer group code of every resident, per dimension (small integers: one byte per resident,
    two for the neighbourhood; 7 x 8 MB less than int64 at a million residents)."""
    return {
        "education": pop.education.astype(np.int8),
        "age": pop.age_group.astype(np.int8),
        "neighbourhood": pop.neighbourhood.astype(np.int16),
        "online_access": pop.online.astype(np.int8),
        "gender": pop.woman.astype(np.int8),
        "migration": pop.migration.astype(np.int8),
        "income": pop.low_income.astype(np.int8),
    }


def group_labels(neighbourhoods: list[str]) -> dict[str, tuple[str, ...]]:
    """Labels of the groups, per dimension."""
    return {
        "education": EDUCATION_LEVELS,
        "age": AGE_GROUPS,
        "neighbourhood": tuple(neighbourhoods),
        "online_access": ("offline", "online"),
        "gender": ("men", "women"),
        "migration": ("no migration background", "migration background"),
        "income": ("not low income", "low income"),
    }


#: The ordinal groups of each dimension in their natural order (education by level, age by age);
#: neighbourhoods are in the scenario's order.
GROUP_ORDER: dict[str, tuple[str, ...]] = {k: v for k, v in group_labels([]).items() if k != "neighbourhood"}


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

    Averaged over education, age, neighbourhood, online access, gender, migration background
    and income. 1 means participants
    mirror the eligible population on every dimension; 0 when nobody takes part.
    """
    if not participants.any():
        return 0.0
    tvd = [total_variation(composition(c, participants, n_groups[d]), composition(c, eligible, n_groups[d]))
           for d, c in codes.items()]
    return float(1.0 - np.mean(tvd))


class Composition:
    """Who takes part, by group, against the eligible population (counts computed once).

    The eligible population's composition does not change during a run, so it is counted
    once; a month's participants are counted per group from their codes alone.
    """

    def __init__(self, pop: Population, n_neighbourhoods: int, eligible: np.ndarray) -> None:
        self.codes = group_codes(pop)
        self.n_groups = {"education": len(EDUCATION_LEVELS), "age": len(AGE_GROUPS),
                         "neighbourhood": n_neighbourhoods, "online_access": 2, "gender": 2, "migration": 2,
                         "income": 2}
        self.eligible = {d: composition(c, eligible, self.n_groups[d]) for d, c in self.codes.items()}
        self.population = np.concatenate([np.bincount(c, minlength=self.n_groups[d])
                                          for d, c in self.codes.items()])
        self._last: tuple[np.ndarray, list[np.ndarray]] | None = None  # participants and their counts

    def representativeness(self, participants: np.ndarray) -> float:
        """1 - mean total variation distance between participants and the eligible (see ``representativeness``)."""
        parts = self._participants_by_group(participants)
        if parts[0].sum() == 0:
            return 0.0
        tvd = [total_variation(p, self.eligible[d]) for d, p in zip(self.codes, parts, strict=True)]
        return float(1.0 - np.mean(tvd))

    def counts(self, participants: np.ndarray) -> np.ndarray:
        """2 x groups array: residents and participants per group, dimension after dimension."""
        return np.stack([self.population, np.concatenate(self._participants_by_group(participants))])

    def _participants_by_group(self, participants: np.ndarray) -> list[np.ndarray]:
        """Participants per group, dimension after dimension. A month asks for the same
        participants twice (representativeness, then the group record): the last answer is kept
        while the participants stay the same."""
        if self._last is not None and np.array_equal(self._last[0], participants):
            return self._last[1]
        idx = np.flatnonzero(participants)
        parts = [np.bincount(c[idx], minlength=self.n_groups[d]) for d, c in self.codes.items()]
        self._last = (participants.copy(), parts)
        return parts
