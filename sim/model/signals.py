"""What moves residents' trust, efficacy and fear: one concept, one function that applies it.

Every process that tells residents something about how responsive their government is
(a decision on their input, a delivered or late project, a reopened decision, a progress
report, better or worse services, what they hear from their ties, an inspiring campaign)
sends a :class:`Signal`: who receives it, how strong it is (in [-1, 1]; positive means
"better than expected"), which of trust, efficacy and fear it moves and at what rates, the
fairness premium of the process that produced it, and how much of it the receivers' ties
hear. :meth:`SignalBoard.send` applies it, with the asymmetric update of
``sim.model.mechanisms.trust`` (trust is lost faster than it is gained: Slovic 1993), and records
how much each kind moved mean trust and efficacy in each month (``SignalBoard.history``), so
that a user can see where a change of trust came from.

The kinds are listed in :class:`SignalKind`; the rates each kind uses come from the
``citizens`` section of the config (docs/model.md 7.3) and are set in one place, the
constructors of :class:`SignalBoard`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

from sim.config.schema import CitizensConfig
from sim.model.mechanisms import fears, trust
from sim.model.network import tied_mean
from sim.model.population import Population


class SignalKind(enum.Enum):
    """The kinds of news that move residents' trust and efficacy."""

    heard = "heard"  # a decision on participants' input, judged against the promise
    ignored = "ignored"  # a cycle abandoned before its decision (input asked for and dropped)
    delivered = "delivered"  # a project its supporters backed is delivered
    late = "late"  # a project becomes late
    reopened = "reopened"  # a decision taken with residents is undone
    abandoned = "abandoned"  # an adopted project is dropped without being carried out
    progress = "progress"  # the continuous factor reports what earlier cycles delivered
    services = "services"  # services in one's neighbourhood got better or worse
    word_of_mouth = "word_of_mouth"  # what residents hear of others' experience through their ties
    public = "public"  # what residents who did not take part learn of a decision from local news
    inspiration = "inspiration"  # the inspirator shows what is possible (efficacy only)


@dataclass(frozen=True)
class Signal:
    """One piece of news for a set of residents.

    ``who`` holds resident indices (``None``: every resident); ``strength`` is one value or
    one per receiver. ``trust`` and ``efficacy`` are the (gain, loss) rates of the asymmetric
    update (``None``: that state is not moved); ``fear`` is the rate at which the signal moves
    the fear of wasted effort (0: not at all); ``fairness`` is the procedural fairness in
    [0, 1] that earns the process premium on top of the trust update (``None``: no premium);
    ``spill`` scales the strength that the receivers' ties hear (0: nobody else hears).
    ``by_neighbourhood``: ``strength`` holds one value per neighbourhood, the news every resident
    of that neighbourhood receives (``who`` is then ``None``).
    """

    kind: SignalKind
    who: np.ndarray | None
    strength: np.ndarray | float
    trust: tuple[float, float] | None = None
    efficacy: tuple[float, float] | None = None
    fear: float = 0.0
    fairness: float | None = None
    spill: float = 0.0
    by_neighbourhood: bool = False

    def __post_init__(self) -> None:
        if self.by_neighbourhood and (self.who is not None or self.fear or self.spill):
            raise ValueError("a signal by neighbourhood goes to every resident (who=None), without fear or spill")


@dataclass
class SignalBoard:
    """Sends signals to the population and keeps, per month, how much each kind moved.

    ``history`` maps a month to {kind name: (change of mean trust, change of mean efficacy)}
    over all residents, summed over that month's signals of the kind.
    """

    population: Population
    network: object  # scipy.sparse CSR adjacency
    degree: np.ndarray
    citizens: CitizensConfig
    month: int = 0
    history: dict[int, dict[str, list[float]]] = field(default_factory=dict)
    _bounds: tuple | None = field(default=None, init=False, repr=False)  # (codes, k, bounds)

    # ------------------------------------------------------------------ the kinds

    def standard(self, kind: SignalKind, who: np.ndarray | None, strength: np.ndarray | float,
                 spill: float = 0.0) -> Signal:
        """A signal that moves trust and efficacy at the ordinary rates (delivery, lateness, ...)."""
        c = self.citizens
        rates = (c.trust_gain, c.trust_loss)
        return Signal(kind, who, strength, trust=rates, efficacy=rates, spill=spill)

    def response(self, kind: SignalKind, who: np.ndarray, strength: np.ndarray, fairness: float) -> Signal:
        """Participants' own experience of a decision (or of its absence): trust with the fairness
        premium, efficacy learning faster (citizens.efficacy_learning_factor), fear of wasted
        effort, and their ties hear of it."""
        c = self.citizens
        k = c.efficacy_learning_factor
        return Signal(kind, who, strength, trust=(c.trust_gain, c.trust_loss),
                      efficacy=(c.trust_gain * k, c.trust_loss * k), fear=c.trust_loss, fairness=fairness, spill=1.0)

    def public(self, participants: np.ndarray, judged: float) -> Signal:
        """Residents who did not take part learn of a decision on citizens' input through the public
        channel (local news, the municipal magazine, the project sites): the group's judgement
        ``judged`` (already scaled by the channel's reach), weakened like every indirect signal
        (citizens.trust_spillover). van Dijk & Lefevere (2023): the general public's support rises
        when a panel's advice is adopted and falls when it is not."""
        # sent to everyone with strength 0 for the participants (a zero signal changes nothing):
        # one pass over the arrays instead of gathering and scattering all other residents
        strength = np.full(self.population.size, judged * self.citizens.trust_spillover)
        strength[participants] = 0.0
        return self.standard(SignalKind.public, None, strength)

    def services(self, change: np.ndarray) -> Signal:
        """Residents notice better or worse services in their neighbourhood (trust only); ``change``
        is the change of quality per neighbourhood."""
        c = self.citizens
        gain = c.quality_trust_effect
        return Signal(SignalKind.services, None, change,
                      trust=(gain, gain * c.trust_loss / max(c.trust_gain, 1e-9)), by_neighbourhood=True)

    def inspiration(self, reached: np.ndarray, rate: float) -> Signal:
        """The inspirator raises the efficacy of those her campaign reaches (efficacy only)."""
        return Signal(SignalKind.inspiration, None, reached, efficacy=(rate, 0.0))

    # ------------------------------------------------------------------ applying them

    def send(self, signal: Signal) -> None:
        """Apply a signal to its receivers, then let their ties hear of it."""
        pop = self.population
        who = signal.who
        moved = [0.0, 0.0]
        if signal.trust is not None:
            gain, loss = signal.trust
            old = _take(pop.trust, who)
            level = self._update(old, signal, gain, loss)
            if signal.fairness is not None:
                level = trust.process_premium(level, signal.fairness, self.citizens.process_premium)
            moved[0] = float(level.sum() - old.sum())
            _put(pop, "trust", who, level)
        if signal.efficacy is not None:
            gain, loss = signal.efficacy
            old = _take(pop.efficacy, who)
            level = self._update(old, signal, gain, loss)
            moved[1] = float(level.sum() - old.sum())
            _put(pop, "efficacy", who, level)
        if signal.fear:
            _put(pop, "fear", who, fears.citizens_wasted_effort(_take(pop.fear, who), signal.strength, signal.fear))
        self._record(signal.kind, moved)
        if signal.spill and who is not None:
            self._spill(who, signal.strength * signal.spill if signal.spill != 1.0 else signal.strength)

    def _update(self, level: np.ndarray, signal: Signal, gain: float, loss: float) -> np.ndarray:
        """The asymmetric update of ``level`` by the signal's strength."""
        if not signal.by_neighbourhood:
            return trust.asymmetric_update(level, signal.strength, gain, loss)
        # Residents are stored by neighbourhood (sim.model.population.synthesize): each neighbourhood's
        # block of residents is updated with its one value (the same arithmetic, resident by
        # resident, as with the value spread over everyone, without spreading it).
        per_neighbourhood = signal.strength
        assert isinstance(per_neighbourhood, np.ndarray), "a neighbourhood signal has one value per neighbourhood"
        bounds = self._neighbourhood_bounds(len(per_neighbourhood))
        if bounds is None:
            return trust.asymmetric_update(level, per_neighbourhood[self.population.neighbourhood], gain, loss)
        return np.concatenate([trust.asymmetric_update(level[lo:hi], value, gain, loss)
                               for lo, hi, value in zip(bounds[:-1], bounds[1:], per_neighbourhood, strict=True)])

    def _neighbourhood_bounds(self, k: int) -> np.ndarray | None:
        """Where each of ``k`` neighbourhoods' residents start (and the last ends), or None if the
        residents are not stored by neighbourhood."""
        nb = self.population.neighbourhood
        if self._bounds is None or self._bounds[0] is not nb or self._bounds[1] != k:
            by_neighbourhood = not bool(np.any(nb[1:] < nb[:-1]))
            self._bounds = (nb, k, np.searchsorted(nb, np.arange(k + 1)) if by_neighbourhood else None)
        return self._bounds[2]

    def forget(self, rate: float) -> None:
        """Memory fades: trust and efficacy drift back toward their initial levels (recorded as "memory")."""
        pop = self.population
        moved = [float(pop.trust.sum()), float(pop.efficacy.sum())]
        pop.trust = trust.revert(pop.trust, pop.trust_initial, rate)
        pop.efficacy = trust.revert(pop.efficacy, pop.efficacy_initial, rate)
        n = max(pop.size, 1)
        month = self.history.setdefault(self.month, {})
        month["memory"] = [(float(pop.trust.sum()) - moved[0]) / n, (float(pop.efficacy.sum()) - moved[1]) / n]

    def _spill(self, who: np.ndarray, strength: np.ndarray | float) -> None:
        """The receivers' ties hear a weaker echo (citizens.trust_spillover) of what happened to them."""
        c = self.citizens
        if who.size == 0 or c.trust_spillover == 0:
            return
        n = self.population.size
        values = np.zeros(n, dtype=np.float32)
        values[who] = strength
        rows, mean = tied_mean(self.network, self.degree, who, values)
        heard = mean * c.trust_spillover
        # those who hear nothing stay as they are, and the receivers hear no echo of their own news
        receivers = np.zeros(n, dtype=bool)
        receivers[who] = True
        hears = (heard != 0) & ~receivers[rows]
        self.send(self.standard(SignalKind.word_of_mouth, rows[hears], heard[hears]))

    def _record(self, kind: SignalKind, moved: list[float]) -> None:
        n = max(self.population.size, 1)
        month = self.history.setdefault(self.month, {})
        total = month.setdefault(kind.value, [0.0, 0.0])
        total[0] += moved[0] / n
        total[1] += moved[1] / n


def _take(values: np.ndarray, who: np.ndarray | None) -> np.ndarray:
    return values if who is None else values[who]


def _put(pop: Population, name: str, who: np.ndarray | None, new: np.ndarray) -> None:
    if who is None:
        setattr(pop, name, new)
    else:
        getattr(pop, name)[who] = new
