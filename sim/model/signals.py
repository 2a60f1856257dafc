"""What moves residents' perceptions and fear: one concept, one function that applies it.

Every process that tells residents something about how their government responds (being asked,
a decision on their input, a delivered, late or dropped project, a reopened decision, a progress
report, better or worse services, what they hear from their ties or read in the local news, an
inspiring campaign) sends a :class:`Signal`: who receives it, how good or bad the news is
(``strength`` in [-1, 1]), which survey items it moves (``items``, from
``sim.model.mechanisms.perceptions.ITEMS``) and by how much at full strength (``gain`` for good
news, ``loss`` for bad, in standard deviations of the latent attitude: effect sizes, see
docs/model.md 7.3), whether it moves the fear of wasted effort, and how much of it the receivers'
ties hear. :meth:`SignalBoard.send` applies it and records how much each kind moved the share of
residents who agree with each item in each month (``SignalBoard.history``), so that a user can
see where a change of trust came from.

The kinds, the items each moves and the size each uses are listed in one place: the
constructors of :class:`SignalBoard`, which read the ``perceptions`` and ``citizens`` sections
of the config.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from sim.config.schema import CitizensConfig, PerceptionsConfig
from sim.model.mechanisms import fears, perceptions
from sim.model.network import tied_mean
from sim.model.population import Population

#: Item groups that the kinds move (rows of ``Population.perception``).
OUTCOME_ITEMS = ("trust", "efficacy", "input", "throughput")  # what became of one's input
PUBLIC_ITEMS = ("trust", "input", "throughput")  # what the public learns of a decision on residents' input
DELIVERY_ITEMS = ("trust", "output")  # a project delivered, late or dropped
REOPEN_ITEMS = ("trust", "throughput")  # a decision taken with residents undone


class SignalKind(enum.Enum):
    """The kinds of news that move residents' perceptions."""

    asked = "asked"  # being asked for one's input: taking part
    heard = "heard"  # a decision on participants' input, judged in the design's own terms
    ignored = "ignored"  # a cycle dropped before its decision (input asked for and met with silence)
    fair_process = "fair_process"  # a process that supported and answered its participants, or shared fairly
    public = "public"  # what residents who did not take part read of a decision in the local news
    delivered = "delivered"  # a project its supporters backed is delivered
    late = "late"  # a project becomes late
    abandoned = "abandoned"  # an adopted project is dropped without being carried out
    reopened = "reopened"  # a decision taken with residents is undone by the council
    progress = "progress"  # the continuous factor reports what earlier cycles delivered and broke
    services = "services"  # services in one's neighbourhood got better or worse
    word_of_mouth = "word_of_mouth"  # what residents hear of others' experience through their ties
    inspiration = "inspiration"  # the inspirator shows what is possible


@dataclass(frozen=True)
class Signal:
    """One piece of news for a set of residents.

    ``who`` holds resident indices (``None``: every resident); ``strength`` is one value or one per
    receiver, in [-1, 1] (negative: bad news). ``items`` are the survey items it moves, ``gain`` and
    ``loss`` the shift of their latent attitude (standard deviations) for the best and the worst news
    of the kind (``perceptions.shift``). ``fear`` is the rate at which it moves the fear of wasted
    effort (0: not at all); ``spill`` scales the strength the receivers' ties hear (0: nobody else
    hears). ``by_neighbourhood``: ``strength`` holds one value per neighbourhood, the news every
    resident of that neighbourhood receives (``who`` is then ``None``).
    """

    kind: SignalKind
    who: np.ndarray | None
    strength: np.ndarray | float
    items: tuple[str, ...]
    gain: float
    loss: float
    fear: float = 0.0
    spill: float = 0.0
    by_neighbourhood: bool = False

    def __post_init__(self) -> None:
        if self.by_neighbourhood and (self.who is not None or self.fear or self.spill):
            raise ValueError("a signal by neighbourhood goes to every resident (who=None), without fear or spill")
        if not self.items:
            raise ValueError("a signal moves at least one survey item")
        unknown = set(self.items) - set(perceptions.ITEMS)
        if unknown:
            raise ValueError(f"items {sorted(unknown)}: allowed {perceptions.ITEMS}")


@dataclass
class SignalBoard:
    """Sends signals to the population and keeps, per month, how much each kind moved each item.

    ``history`` maps a month to {kind name: {item: change of the share of residents who agree}},
    summed over that month's signals of the kind ("memory" is the pull back to where residents
    started). With ``record=False`` (the light path of :func:`sim.api.run_config`) it stays empty:
    counting who agrees before and after every signal only explains the month (the dashboard's
    "why trust moved") and moves nobody, so the signals' effects are the same without it. On that path
    the residents' attitudes move only on the items their rules read (``Population.moved``): a signal
    moves those of its items, and one of none of them (services, a fair process) and no fear is not sent.
    """

    population: Population
    network: sp.csr_matrix
    degree: np.ndarray
    citizens: CitizensConfig
    sizes: PerceptionsConfig
    month: int = 0
    record: bool = True
    history: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)
    _bounds: tuple | None = field(default=None, init=False, repr=False)  # (codes, k, bounds)
    _scratch: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False, repr=False)  # _spill's

    # ------------------------------------------------------------------ the kinds

    def asked(self, who: np.ndarray, feedback: float) -> Signal:
        """Residents who take part are asked for their input: their sense of voice rises, more where
        feedback is promised (Hager et al. 2022: +0.05 sd without, +0.12 sd with promised feedback)."""
        s = self.sizes
        gain = s.asked + (s.asked_with_feedback - s.asked) * feedback
        return Signal(SignalKind.asked, who, 1.0, ("efficacy", "input"), gain, 0.0)

    def response(self, kind: SignalKind, who: np.ndarray, strength: np.ndarray) -> Signal:
        """Participants' own experience of a decision on their input (or of its absence): all four
        process items move, the fear of wasted effort with them, and their ties hear of it."""
        s = self.sizes
        return Signal(kind, who, strength, OUTCOME_ITEMS, s.outcome, s.outcome * s.negativity,
                      fear=self.citizens.fear_learning, spill=1.0)

    def fair_process(self, who: np.ndarray, fairness: float, gain: float) -> Signal:
        """Participants find the process fair as far as it was (``fairness`` in [0, 1]), winners and
        losers alike (Werner & Marien 2022: higher fairness perceptions for a participatory process in
        12 of 12 experiments, even with unfavourable outcomes); ``gain`` is the effect of a fully fair
        process (perceptions.fair_process, or perceptions.equal_shares for the allocation rule)."""
        return Signal(SignalKind.fair_process, who, fairness, ("throughput",), gain, 0.0)

    def public(self, who: np.ndarray, judged: float) -> Signal:
        """Residents who did not take part and read of a decision on residents' input in the local news
        (``who``, drawn by the deciding process) take in the group's judgement ``judged``: van Dijk &
        Lefevere (2023): the general public's support rises when a panel's advice is adopted and falls
        when it is not; Ardanaz et al. (2023): news of a participatory budget moves trust marginally."""
        s = self.sizes
        return Signal(SignalKind.public, who, judged, PUBLIC_ITEMS, s.public, s.public * s.negativity)

    def project(self, kind: SignalKind, who: np.ndarray, strength: float, spill: float = 1.0) -> Signal:
        """A project's supporters hear it was delivered (strength > 0), became late or was dropped
        (strength < 0; citizens.late_signal, abandon_signal); bad news raises their fear of wasted
        effort, and their ties hear of it."""
        s = self.sizes
        fear = self.citizens.fear_learning if strength < 0 else 0.0
        return Signal(kind, who, np.full(who.size, strength, dtype=np.float32), DELIVERY_ITEMS, s.delivery,
                      s.delivery * s.negativity, fear=fear, spill=spill)

    def reopened(self, who: np.ndarray) -> Signal:
        """A decision taken with residents is undone: its supporters read it as input ignored after the
        fact (citizens.reopen_signal), and their ties hear a weaker echo (citizens.reopen_spill)."""
        s, c = self.sizes, self.citizens
        return Signal(SignalKind.reopened, who, np.full(who.size, c.reopen_signal, dtype=np.float32), REOPEN_ITEMS,
                      s.outcome, s.outcome * s.negativity, fear=c.fear_learning, spill=c.reopen_spill)

    def progress(self, who: np.ndarray, kept: int, broken: int) -> Signal:
        """The continuous factor reports what earlier cycles delivered: each resident it reaches weighs the
        promises kept against those broken with the weights of good and bad news, so no constant decides
        where the report turns from good to bad."""
        s = self.sizes
        strength = (kept - broken) / max(kept + broken, 1)
        return Signal(SignalKind.progress, who, strength, DELIVERY_ITEMS, s.public, s.public * s.negativity)

    def services(self, change: np.ndarray) -> Signal:
        """Residents notice better or worse services in their neighbourhood (``change`` per neighbourhood,
        in quality units; perceptions.services is the shift per unit). A gradual change of one's
        surroundings is not news: better and worse weigh the same (the negativity the evidence shows
        concerns information about performance and experiences with an agency, Kampen et al. 2006;
        James 2011), so that services that only fluctuate around their level leave perceptions there."""
        s = self.sizes
        return Signal(SignalKind.services, None, change, ("output",), s.services, s.services, by_neighbourhood=True)

    def inspiration(self, reached: np.ndarray, strength: float) -> Signal:
        """The inspirator shows what is possible to those her campaign reaches (``reached``: each resident's
        chance of being reached this month, the expected shift)."""
        return Signal(SignalKind.inspiration, None, reached * np.float32(strength), ("efficacy",),
                      self.sizes.inspiration, 0.0)

    # ------------------------------------------------------------------ applying them

    def send(self, signal: Signal) -> None:
        """Apply a signal to its receivers, then let their ties hear of it."""
        pop, who = self.population, signal.who
        if who is not None and who.size == 0:
            return
        moved: dict[str, float] = {}
        # the light path moves only the items residents' rules read (Population.moved): news of other items
        # moves nobody's attitude there, and neither does its echo (the same items, no fear)
        items = [item for item in signal.items if item in pop.moved]
        if not items and not signal.fear:
            return
        strength, blocks = signal.strength, None
        if signal.by_neighbourhood:
            per_neighbourhood = np.asarray(signal.strength)
            blocks = self._neighbourhood_bounds(per_neighbourhood.size)
            # residents stored by neighbourhood: one shift per neighbourhood, added block by block
            # (the same sums as with one value per resident); otherwise one value per resident
            strength = (per_neighbourhood.astype(np.float32) if blocks is not None
                        else self._by_neighbourhood(per_neighbourhood))
        delta = perceptions.shift(strength, signal.gain, signal.loss) if items else None
        if delta is not None and np.any(delta):
            for item in items:
                row = pop.perception[perceptions.INDEX[item]]
                values = row if who is None else row[who]  # every resident's view of the row, or a copy
                before = np.count_nonzero(values > 0) if self.record else 0
                if blocks is not None:  # one shift per neighbourhood, only for signals to everyone
                    for k in range(delta.size):
                        values[blocks[k]:blocks[k + 1]] += delta[k]
                else:
                    values += delta
                if who is not None:
                    row[who] = values
                if self.record:
                    moved[item] = (np.count_nonzero(values > 0) - before) / pop.size
        if signal.fear:
            taken = pop.fear if who is None else pop.fear[who]
            updated = fears.citizens_wasted_effort(taken, np.asarray(signal.strength), signal.fear)
            if who is None:
                pop.fear = updated
            else:
                pop.fear[who] = updated
        if self.record:
            self._record(signal.kind.value, moved)
        if signal.spill and who is not None and items:
            self._spill(signal, who)

    def _by_neighbourhood(self, per_neighbourhood: np.ndarray) -> np.ndarray:
        """One value per resident from one per neighbourhood (residents are stored by neighbourhood:
        each block gets its value without an index array the size of the population)."""
        bounds = self._neighbourhood_bounds(per_neighbourhood.size)
        if bounds is None:
            return per_neighbourhood[self.population.neighbourhood].astype(np.float32)
        return np.repeat(per_neighbourhood.astype(np.float32), np.diff(bounds))

    def _neighbourhood_bounds(self, k: int) -> np.ndarray | None:
        """Where each of ``k`` neighbourhoods' residents start (and the last ends), or None if the
        residents are not stored by neighbourhood."""
        nb = self.population.neighbourhood
        if self._bounds is None or self._bounds[0] is not nb or self._bounds[1] != k:
            by_neighbourhood = not bool(np.any(nb[1:] < nb[:-1]))
            self._bounds = (nb, k, np.searchsorted(nb, np.arange(k + 1)) if by_neighbourhood else None)
        return self._bounds[2]

    def forget(self) -> None:
        """Memory fades: perceptions drift back toward where each resident started
        (perceptions.memory_half_life_months) and the fear of wasted effort toward her initial fear
        (citizens.fear_memory); recorded as "memory"."""
        pop = self.population
        # row by row: count_nonzero along an axis sums a boolean matrix, three times slower
        before = [np.count_nonzero(row > 0) for row in pop.perception] if self.record else []
        if len(pop.moved) == len(perceptions.ITEMS):
            perceptions.relax(pop.perception, pop.perception_initial, self.sizes_rate)
        else:  # the light path: only the rows residents' rules read
            for item in pop.moved:
                k = perceptions.INDEX[item]
                perceptions.relax(pop.perception[k], pop.perception_initial[k], self.sizes_rate)
        pop.fear = fears.remember(pop.fear, pop.fear_initial, self.citizens.fear_memory)
        if not self.record:
            return
        after = [np.count_nonzero(row > 0) for row in pop.perception]
        self._record("memory", {item: float(a - b) / max(pop.size, 1)
                                for item, a, b in zip(perceptions.ITEMS, after, before, strict=True)})

    @property
    def sizes_rate(self) -> float:
        """The monthly rate at which perceptions return toward where residents started."""
        return perceptions.monthly_rate(self.sizes.memory_half_life_months)

    def _spill(self, signal: Signal, who: np.ndarray) -> None:
        """The receivers' ties hear a weaker echo (perceptions.word_of_mouth) of what happened to them."""
        share = self.sizes.word_of_mouth * signal.spill
        if share == 0:
            return
        n = self.population.size
        # the receivers' values and who they are, in arrays kept zero between spills (a spill touches
        # a few hundred residents of a million: filling and clearing them costs less than new ones)
        if self._scratch is None or self._scratch[0].size != n:
            self._scratch = (np.zeros(n, dtype=np.float32), np.zeros(n, dtype=bool))
        values, receivers = self._scratch
        values[who] = signal.strength
        rows, mean = tied_mean(self.network, self.degree, who, values)
        values[who] = 0.0
        heard = mean * np.float32(share)
        # those who hear nothing stay as they are, and the receivers hear no echo of their own news
        receivers[who] = True
        hears = (heard != 0) & ~receivers[rows]
        receivers[who] = False
        self.send(Signal(SignalKind.word_of_mouth, rows[hears], heard[hears], signal.items, signal.gain,
                         signal.loss))

    def _record(self, kind: str, moved: dict[str, float]) -> None:
        month = self.history.setdefault(self.month, {})
        total = month.setdefault(kind, dict.fromkeys(perceptions.ITEMS, 0.0))
        for item, value in moved.items():
            total[item] += value
