"""The dashboard's inputs: the levers (sliders, switches, choices) and the model they build.

Each lever sets one config key (its words: ``texts.lever``); ``model_params`` turns a preset into
the inputs at the preset's values, ``model_kwargs`` turns moved inputs into the keywords of
``DashboardModel``, which composes the config with ``sim.config.compose.compose_config`` (so every
value is range-checked by the schema) and builds a ``CoproductionModel``. No Solara here: the
inputs can be tested and used without a page.
"""

from __future__ import annotations

import enum
import functools
import inspect
import typing
from dataclasses import dataclass
from typing import Any

from sim import texts
from sim.config.compose import compose_config, preset_names
from sim.config.keys import iter_params
from sim.config.schema import Config
from sim.model.model import CoproductionModel
from sim.plots.style import DESIGNS as DESIGN_ORDER

SCENARIOS = tuple(preset_names("scenario"))
#: The design presets, in the order of the figures (DESIGNS of sim.plots), then any other.
DESIGNS = tuple(d for d in DESIGN_ORDER if d in preset_names("design")) + tuple(
    d for d in preset_names("design") if d not in DESIGN_ORDER)
DEFAULT_SCENARIO = "kampenhout"
DEFAULT_DESIGN = "participatory_budget"
#: The language the page opens in: the seed's cases are Flemish municipalities.
DEFAULT_LANG = "nl"
#: The slider step of a float lever: every preset value lies on this grid (tests check it), so
#: that a slider shows the preset's value exactly and Reset reproduces the preset.
FLOAT_STEP = 0.01


@dataclass(frozen=True)
class Lever:
    """A slider (or checkbox, or choice) of the dashboard, the config key it sets and its group."""

    key: str
    group: str  # design, citizens, administration, council (the side bar's sections)
    lo: float | None = None  # overrides the schema's range where the full range is unusable on a slider
    hi: float | None = None
    step: float | None = None


#: The dashboard's inputs: keyword of ``DashboardModel`` -> lever. The keyword is the config key
#: with "." replaced by "_"; the names and help are ``texts.lever(key)``/``texts.lever_help(key)``.
LEVERS: dict[str, Lever] = {lv.key.replace(".", "_"): lv for lv in (
    Lever("design.channel", "design"),
    Lever("design.selection", "design"),
    Lever("design.authority", "design"),
    Lever("design.inform_first", "design"),
    Lever("design.permanent", "design"),
    Lever("design.inform_intensity", "design"),
    Lever("design.complexity", "design"),
    Lever("design.facilitation", "design"),
    Lever("design.outreach", "design"),
    Lever("design.feedback", "design"),
    Lever("design.responsiveness", "design"),
    Lever("design.promise_inflation", "design"),
    Lever("design.reopen_probability", "design"),
    Lever("design.coproduction", "design"),
    Lever("design.panel_size", "design", lo=10, hi=200, step=5),
    Lever("citizens.fear_mean", "citizens"),
    Lever("scenario.initial_trust", "citizens"),  # where residents start: shares who agree with the items
    Lever("scenario.initial_efficacy", "citizens"),
    Lever("citizens.general_interest_mean", "citizens"),
    Lever("administration.trust_in_citizens", "administration"),
    Lever("administration.fear_complexity", "administration"),
    Lever("administration.fear_failure", "administration"),
    Lever("administration.fear_self_interest", "administration"),
    Lever("administration.role_inspirator", "administration"),
    Lever("administration.role_continuity", "administration"),
    Lever("administration.role_guardian", "administration"),
    Lever("administration.role_realism", "administration"),
    Lever("council.trust_in_citizens", "council"),
    Lever("council.fear_self_interest", "council"),
    Lever("council.fear_losing_control", "council"),
    Lever("council.commitment", "council"),
)}
GROUPS = ("design", "citizens", "administration", "council")


@dataclass(frozen=True)
class Lesson:
    """A ready-made lesson of the training day: the preset it loads, its horizon, the change its guidance asks
    the trainer to make and what that change shows (its words are in sim/locales/, ``texts.lesson``).

    ``claim`` is what the lesson's text says the change does: ``(outcome, verdict, side)`` with a verdict of
    :func:`sim.experiments.answers.verdicts` ("better", "worse", "no clear difference") for the change against
    the preset (or the preset against the ``compare`` design, for a lesson without a change) over replicates,
    and the side of zero its 95 % interval lies on; tests/apps/dashboard/test_lessons.py checks every claim.
    """

    scenario: str
    design: str
    compare: str = ""  # the design shown side by side ("": none)
    scale: float = 1.0  # the share of residents simulated
    steps: int = 72  # the lesson's horizon (months)
    change: tuple[tuple[str, Any], ...] = ()  # (DashboardModel keyword, value) the guidance asks for
    #: (outcome, verdict of the change against the preset, "lower"/"higher": the 95 % interval's side of zero)
    claim: tuple[str, str, str] = ("", "", "")


#: The lessons: the training day's three cases, tokenism, each of the administration's four roles, the three
#: fears (of the residents, the administration and the council) and who is left out. Each claim is what the
#: lesson's words say its change does against its preset over replicates (tests/apps/dashboard/test_lessons.py).
LESSONS: dict[str, Lesson] = {
    "geel_roles": Lesson("geel", "ideas_platform", change=(("administration_role_inspirator", 0.0),),
                         claim=("turnout", "worse", "lower")),
    "kampenhout_fears": Lesson("kampenhout", "spatial_codesign",
                               change=(("administration_fear_complexity", 0.9), ("administration_fear_failure", 0.9),
                                       ("administration_fear_self_interest", 0.9)),
                               claim=("turnout", "no clear difference", "")),
    "antwerp_inform": Lesson("antwerp_district", "participatory_budget", scale=0.25,
                             change=(("design_inform_first", False),), claim=("turnout", "worse", "lower")),
    "tokenism": Lesson("geel", "tokenistic_consultation", compare="none",
                       claim=("trust_citizens", "no clear difference", "lower")),
    "role_inspirator": Lesson("geel", "ideas_platform", scale=0.25, change=(("administration_role_inspirator", 0.0),),
                              claim=("turnout", "worse", "lower")),
    "role_continuity": Lesson("geel", "ideas_platform", scale=0.25, steps=96,
                              change=(("administration_role_continuity", 0.0),),
                              claim=("turnout", "no clear difference", "lower")),
    "role_guardian": Lesson("kampenhout", "participatory_budget", scale=0.5,
                            change=(("design_reopen_probability", 0.5),),
                            claim=("legitimacy_throughput", "no clear difference", "")),
    "role_realism": Lesson("geel", "ideas_platform", scale=0.25, change=(("administration_role_realism", 0.0),),
                           claim=("turnout", "no clear difference", "")),
    "fear_citizens": Lesson("kampenhout", "participatory_budget", scale=0.5, change=(("citizens_fear_mean", 0.8),),
                            claim=("turnout", "worse", "lower")),
    "fear_administration": Lesson("kampenhout", "spatial_codesign", scale=0.5,
                                  change=(("administration_fear_complexity", 0.9),
                                          ("administration_fear_failure", 0.9),
                                          ("administration_fear_self_interest", 0.9)),
                                  claim=("turnout", "worse", "lower")),
    "fear_council": Lesson("kampenhout", "participatory_budget", scale=0.5,
                           change=(("design_authority", "collaborate"), ("council_fear_self_interest", 0.9),
                                   ("council_fear_losing_control", 0.9)),
                           claim=("legitimacy", "no clear difference", "")),
    "left_out": Lesson("geel", "participatory_budget", scale=0.25,
                       change=(("design_selection", "lot"), ("design_panel_size", 100)),
                       claim=("representativeness", "better", "higher")),
}
#: Run settings (not levers of the municipality): keyword -> config key.
RUN_SETTINGS = {"population_scale": "run.population_scale", "steps": "run.steps"}
#: Where a panel size is shown for a design without a panel (the citizens_panel preset's size).
PANEL_SIZE_SHOWN = 40

_FIELDS = dict(iter_params())


def _field_type(key: str) -> type:
    """The Python type of a config key (bool, int, float, str or an Enum)."""
    cls: Any = Config
    for part in key.split("."):
        cls = typing.get_type_hints(cls)[part]
    return cls


def _value(config: Config, key: str) -> Any:
    obj: Any = config
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _override(key: str, value: Any) -> str:
    """A Hydra override ``key=value`` for a slider's value."""
    if isinstance(value, enum.Enum):
        value = value.name
    elif isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, float):
        value = repr(round(value, 6))
    return f"{key}={value}"


def lever_overrides(levers: dict[str, Any]) -> list[str]:
    """The Hydra overrides of the dashboard's keywords (levers and run settings; ``None`` keeps the preset's
    value; ``municipality``, ``design`` and ``seed`` are not overrides and are left out)."""
    keys = {**{k: lv.key for k, lv in LEVERS.items()}, **RUN_SETTINGS}
    return [_override(keys[k], v) for k, v in levers.items() if v is not None and k in keys]


class DashboardModel(CoproductionModel):
    """A ``CoproductionModel`` built from a preset and the dashboard's keyword arguments.

    ``DashboardModel(municipality="geel", design="ideas_platform", seed=0, design_feedback=0.9)``
    composes the presets with the override ``design.feedback=0.9`` (every keyword of ``LEVERS``
    and ``RUN_SETTINGS`` maps to one config key; ``None`` keeps the preset's value) and builds
    the model. The model stops (``running = False``) at the horizon ``run.steps``.
    """

    def __init__(self, municipality: str = DEFAULT_SCENARIO, design: str = DEFAULT_DESIGN, seed: int = 0,
                 **levers: Any) -> None:
        unknown = set(levers) - set(LEVERS) - set(RUN_SETTINGS)
        if unknown:
            raise TypeError(f"DashboardModel got unknown keyword(s) {sorted(unknown)}; "
                            f"known: {sorted(LEVERS) + sorted(RUN_SETTINGS)}")
        super().__init__(compose_config(municipality, design, int(seed), lever_overrides(levers)))
        self.municipality = municipality
        self.design = design

    def step(self) -> None:
        """One month; stop at the horizon."""
        super().step()
        if self.month + 1 >= self.config.run.steps:
            self.running = False


# Show the exact keywords (instead of **levers) to tools that inspect the signature.
_P = inspect.Parameter
typing.cast(Any, DashboardModel.__init__).__signature__ = inspect.Signature(
    [_P("self", _P.POSITIONAL_OR_KEYWORD),
     *[_P(name, _P.POSITIONAL_OR_KEYWORD, default=default)
       for name, default in (("municipality", DEFAULT_SCENARIO), ("design", DEFAULT_DESIGN), ("seed", 0))],
     *[_P(name, _P.KEYWORD_ONLY, default=None) for name in (*RUN_SETTINGS, *LEVERS)]])


# --------------------------------------------------------------------------- inputs

@functools.lru_cache(maxsize=64)
def preset(municipality: str, design: str) -> Config:
    """The preset's config (seed 0), composed once: composing costs about half a second."""
    return compose_config(municipality, design)


def model_params(municipality: str, design: str, population_scale: float = 1.0) -> dict[str, Any]:
    """The inputs of one preset: keyword -> fixed value or an input spec at the preset's value.

    A spec is a dict with ``type`` (SliderFloat, SliderInt, Select, Checkbox), ``value`` (the
    preset's value, exactly: float sliders have step ``FLOAT_STEP`` and every preset value is
    on that grid), ``key`` (the config key) and the range or choices.
    """
    base = preset(municipality, design)
    params: dict[str, Any] = {
        "municipality": municipality,
        "design": design,
        "seed": {"type": "SliderInt", "key": "seed", "value": 0, "min": 0, "max": 99, "step": 1},
        "population_scale": {"type": "SliderFloat", "key": "run.population_scale", "value": population_scale,
                             "min": 0.05, "max": 1.0, "step": 0.05},
        "steps": {"type": "SliderInt", "key": "run.steps", "value": base.run.steps, "min": 12, "max": 144,
                  "step": 12},
    }
    for name, lever in LEVERS.items():
        ftype = _field_type(lever.key)
        value = _value(base, lever.key)
        meta = _FIELDS[lever.key].metadata
        lo = lever.lo if lever.lo is not None else meta.get("lo")
        hi = lever.hi if lever.hi is not None else meta.get("hi")
        spec: dict[str, Any] = {"key": lever.key, "group": lever.group}
        if isinstance(ftype, type) and issubclass(ftype, enum.Enum):
            spec |= {"type": "Select", "value": value.name, "values": [m.name for m in ftype]}
        elif ftype is bool:
            spec |= {"type": "Checkbox", "value": bool(value)}
        elif ftype is int:
            shown = PANEL_SIZE_SHOWN if (lever.key == "design.panel_size" and value == 0) else value
            spec |= {"type": "SliderInt", "value": min(max(int(shown), int(lo)), int(hi)), "min": int(lo),
                     "max": int(hi), "step": int(lever.step or 1)}
        else:
            spec |= {"type": "SliderFloat", "value": float(value), "min": float(lo), "max": float(hi),
                     "step": lever.step or FLOAT_STEP}
        params[name] = spec
    return params


def initial_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``DashboardModel`` at the inputs' values (before any slider moved)."""
    return {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}


def _same(a: Any, b: Any, step: float | None) -> bool:
    """Whether an input's value ``a`` equals ``b`` (floats within half a slider step)."""
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) < (step or FLOAT_STEP) / 2
    return a == b


def model_kwargs(params: dict[str, Any], values: dict[str, Any], design: str | None = None) -> dict[str, Any]:
    """The keywords of ``DashboardModel`` for the inputs' current ``values``.

    A lever at its preset value is passed as ``None`` (the preset's value, exactly, whatever
    float noise a slider adds); a moved one as its value. ``design`` builds the same
    municipality under another design (the side-by-side run): the residents, the administration
    and the council keep the moved values; the design's levers are that design's preset.
    """
    kw: dict[str, Any] = {"municipality": params["municipality"], "design": design or params["design"]}
    for name, spec in params.items():
        if not isinstance(spec, dict):
            continue
        value = values.get(name, spec["value"])
        if name in ("seed", "population_scale", "steps"):
            kw[name] = value
        elif design is not None and spec.get("group") == "design":
            kw[name] = None
        elif _same(value, spec["value"], spec.get("step")):
            kw[name] = None
        else:
            kw[name] = round(value, 6) if isinstance(value, float) else value
    return kw


def changes(params: dict[str, Any], values: dict[str, Any], against: dict[str, Any]) -> list[str]:
    """The keywords whose value in ``values`` differs from ``against`` (defaults: the preset)."""
    out = []
    for name, spec in params.items():
        if isinstance(spec, dict):
            a = values.get(name, spec["value"])
            b = against.get(name, spec["value"])
            if not _same(a, b, spec.get("step")):
                out.append(name)
    return out


def input_name(name: str, lang: str) -> str:
    """The words for an input (a lever or a run setting) in ``lang``."""
    spec_key = LEVERS[name].key if name in LEVERS else {"seed": "seed", **RUN_SETTINGS}[name]
    return texts.lever(spec_key, lang)


def show_value(key: str, value: Any, lang: str) -> str:
    """An input's value as the page shows it (choices in words, floats with two decimals as ``lang`` writes them)."""
    if isinstance(value, enum.Enum):
        value = value.name
    if isinstance(value, bool):
        return texts.dash("yes" if value else "no", lang)
    if isinstance(value, str):
        try:
            return texts.choice(key, value, lang)
        except KeyError:
            return value
    if isinstance(value, float):
        return texts.number(value, lang, 2)
    return str(value)
