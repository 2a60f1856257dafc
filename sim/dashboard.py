"""The trainers' dashboard: a live Mesa SolaraViz page of one municipality and one design.

Start it with ``make dashboard`` (or ``.venv/bin/solara run sim/dashboard.py``) and open the
address it prints. Choose a municipality and a design; the sliders start at that preset's
values. Move the sliders for the design's levers, the fears and trust of citizens,
administration and council, press **Reset** to build the municipality with them, then
**▶** (play) or **Step**: turnout, trust, legitimacy and service quality are drawn month by
month, with a sample of the citizens' network (coloured by trust, participants marked) and a
view per neighbourhood. The figures come from ``sim.plots``, as in the notebooks and the
command line's outputs.

The page holds no model rules. ``DashboardModel`` only turns the sliders' keyword arguments
into Hydra overrides, composes the config with ``sim.compose_config`` (so every value is
range-checked by the schema) and builds a ``CoproductionModel`` from it; it stops at the
run's horizon.
"""

from __future__ import annotations

import enum
import inspect
import io
import typing
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import reacton.ipywidgets as rw
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

import sim
from sim import plots
from sim.api import CONFIG_DIR
from sim.config import Config, Selection, iter_params
from sim.model import CoproductionModel
from sim.results import groups, timeseries

SCENARIOS = tuple(sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml")))
DESIGNS = ("none", "consultation", "tokenistic_consultation", "ideas_platform", "participatory_budget",
           "spatial_codesign", "citizens_panel", "coproduction")
DESIGNS = tuple(d for d in DESIGNS if (CONFIG_DIR / "design" / f"{d}.yaml").exists()) + tuple(
    sorted(p.stem for p in (CONFIG_DIR / "design").glob("*.yaml") if p.stem not in DESIGNS))
DEFAULT_SCENARIO = "kampenhout"
DEFAULT_DESIGN = "participatory_budget"
#: Residents drawn in the network view.
NETWORK_SAMPLE = 300
#: Resolution of the dashboard's figures: lower than the files' 120 dpi, for a fast redraw.
DPI = 72


@dataclass(frozen=True)
class Lever:
    """A slider (or checkbox, or choice) of the dashboard and the config key it sets."""

    key: str
    label: str
    lo: float | None = None  # overrides the schema's range where the full range is unusable on a slider
    hi: float | None = None
    step: float | None = None


#: The dashboard's inputs: keyword of ``DashboardModel`` -> config key and label. The keyword is
#: the config key with "." replaced by "_".
LEVERS: dict[str, Lever] = {lv.key.replace(".", "_"): lv for lv in (
    # Slider labels stay short: a long label squeezes its slider in the sidebar.
    Lever("design.channel", "Design: channel (online, offline, hybrid)"),
    Lever("design.selection", "Design: who is invited (open call, targeted, by lot)"),
    Lever("design.authority", "Design: authority of participants (IAP2 spectrum)"),
    Lever("design.inform_first", "Inform first, then involve"),
    Lever("design.permanent", "Permanent role for participation"),
    Lever("design.inform_intensity", "Information"),
    Lever("design.complexity", "Complexity"),
    Lever("design.facilitation", "Facilitation"),
    Lever("design.outreach", "Outreach"),
    Lever("design.feedback", "Feedback"),
    Lever("design.responsiveness", "Responsiveness"),
    Lever("design.promise_inflation", "Over-promising", step=0.1),
    Lever("design.reopen_probability", "Reopening / year"),
    Lever("design.coproduction", "Co-production"),
    Lever("design.panel_size", "Panel size (lot)", lo=10, hi=200, step=5),
    Lever("citizens.fear_mean", "Citizens: fear"),
    Lever("citizens.trust_mean", "Citizens: trust"),
    Lever("citizens.efficacy_mean", "Citizens: efficacy"),
    Lever("citizens.general_interest_mean", "Citizens: gen. interest"),
    Lever("administration.trust_in_citizens", "Admin: trust"),
    Lever("administration.fear_complexity", "Admin: fear complex."),
    Lever("administration.fear_failure", "Admin: fear failure"),
    Lever("administration.fear_self_interest", "Admin: fear self-int."),
    Lever("administration.role_inspirator", "Role: inspirator"),
    Lever("administration.role_continuity", "Role: continuity"),
    Lever("administration.role_guardian", "Role: guardian"),
    Lever("administration.role_realism", "Role: realism"),
    Lever("council.trust_in_citizens", "Council: trust"),
    Lever("council.fear_self_interest", "Council: fear self-int."),
    Lever("council.fear_losing_control", "Council: fear control"),
    Lever("council.commitment", "Council: commitment"),
)}
#: Run settings (not levers of the municipality): keyword -> config key.
RUN_SETTINGS = {"population_scale": "run.population_scale", "steps": "run.steps"}

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
        keys = {**{k: lv.key for k, lv in LEVERS.items()}, **RUN_SETTINGS}
        overrides = [_override(keys[k], v) for k, v in levers.items() if v is not None]
        super().__init__(sim.compose_config(municipality, design, int(seed), overrides))
        self.municipality = municipality
        self.design = design

    def step(self) -> None:
        """One month; stop at the horizon."""
        super().step()
        if self.month + 1 >= self.config.run.steps:
            self.running = False


# SolaraViz checks model_params against ``inspect.signature(type(model).__init__)``: show it the
# exact keywords (instead of **levers), so a misspelt key fails there as it would anywhere else.
_P = inspect.Parameter
DashboardModel.__init__.__signature__ = inspect.Signature(
    [_P("self", _P.POSITIONAL_OR_KEYWORD),
     *[_P(name, _P.POSITIONAL_OR_KEYWORD, default=default)
       for name, default in (("municipality", DEFAULT_SCENARIO), ("design", DEFAULT_DESIGN), ("seed", 0))],
     *[_P(name, _P.KEYWORD_ONLY, default=None) for name in (*RUN_SETTINGS, *LEVERS)]])


def model_params(municipality: str, design: str) -> dict[str, Any]:
    """SolaraViz ``model_params`` for one preset: fixed preset names, inputs at the preset's values."""
    base = sim.compose_config(municipality, design)
    params: dict[str, Any] = {
        "municipality": municipality,
        "design": design,
        "seed": {"type": "SliderInt", "label": "Random seed", "value": 0,
                 "min": 0, "max": 99, "step": 1},
        "population_scale": {"type": "SliderFloat", "label": "Share simulated",
                             "value": 1.0, "min": 0.05, "max": 1.0, "step": 0.05},
        "steps": {"type": "SliderInt", "label": "Months", "value": base.run.steps,
                  "min": 12, "max": 144, "step": 12},
    }
    for name, lever in LEVERS.items():
        ftype = _field_type(lever.key)
        value = _value(base, lever.key)
        meta = _FIELDS[lever.key].metadata
        lo = lever.lo if lever.lo is not None else meta.get("lo")
        hi = lever.hi if lever.hi is not None else meta.get("hi")
        if isinstance(ftype, type) and issubclass(ftype, enum.Enum):
            params[name] = {"type": "Select", "label": lever.label, "value": value.name,
                            "values": [m.name for m in ftype]}
        elif ftype is bool:
            params[name] = {"type": "Checkbox", "label": lever.label, "value": bool(value)}
        elif ftype is int:
            value = min(max(int(value), lo), hi)
            params[name] = {"type": "SliderInt", "label": lever.label, "value": value, "min": int(lo),
                            "max": int(hi), "step": int(lever.step or 1)}
        else:
            params[name] = {"type": "SliderFloat", "label": lever.label, "value": round(float(value), 3),
                            "min": float(lo), "max": float(hi), "step": lever.step or 0.05}
    if "design_panel_size" in params and base.design.panel_size == 0:
        params["design_panel_size"]["value"] = 40  # the citizens_panel preset's size; used only with lot
    return params


def initial_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments SolaraViz passes on Reset before any slider moved."""
    return {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}


# --------------------------------------------------------------------------- views

def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()


@solara.component
def Figure(make, dependencies: list) -> None:
    """A matplotlib figure from ``make()``, redrawn when ``dependencies`` change."""
    png = solara.use_memo(lambda: _png(make()), dependencies)
    rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto"})


def _run_words(model: DashboardModel) -> dict[str, Any]:
    """The run's scenario, design and seed for the figures' titles (the dashboard's tables have no such columns)."""
    c = model.config
    return {"scenario": c.scenario.name, "design": c.design.name, "seed": c.seed}


def _line_view(draw, doc: str):
    """A component drawing one of sim.plots' time-series figures of the run so far."""

    @solara.component
    def View(model: DashboardModel) -> None:
        tick = update_counter.get()
        if model.month < 0:
            solara.Info("Press ▶ (play) or Step to start the first month.")
            return

        def make() -> plt.Figure:
            fig = draw(timeseries(model), election_month=model.config.scenario.next_election_month,
                       **_run_words(model))
            fig.axes[0].set_xlim(0, model.config.run.steps)  # the whole horizon: see how far the run is
            return fig

        Figure(make, [model, tick])

    View.__doc__ = doc
    return View


TurnoutView = _line_view(plots.turnout, "Turnout so far (sim.plots.turnout).")
TrustView = _line_view(plots.trust, "Trust and efficacy so far (sim.plots.trust).")
LegitimacyView = _line_view(plots.legitimacy, "Legitimacy and its three parts so far (sim.plots.legitimacy).")
QualityView = _line_view(plots.service_quality, "Delivered service quality so far (sim.plots.service_quality).")
FearsView = _line_view(plots.fears, "Fears of citizens, administration and council so far (sim.plots.fears).")


@solara.component
def NetworkView(model: DashboardModel) -> None:
    """A sample of the residents' network, coloured by trust, participants marked."""
    tick = update_counter.get()
    sample = solara.use_memo(lambda: plots.network_sample(model, NETWORK_SAMPLE), [model])
    Figure(lambda: plots.network(model, *sample), [model, tick])


@solara.component
def NeighbourhoodView(model: DashboardModel) -> None:
    """Service quality, trust and participation per neighbourhood."""
    tick = update_counter.get()
    Figure(lambda: plots.neighbourhoods(plots.neighbourhood_frame(model)), [model, tick])


def _show(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@solara.component
def StatusView(model: DashboardModel) -> None:
    """Where the municipality stands this month, in numbers."""
    update_counter.get()
    cfg = model.config
    head = (f"<b>{cfg.scenario.name}</b>, design <b>{cfg.design.name}</b>: "
            f"{model.population.size:,} of {cfg.scenario.population:,} residents simulated, "
            f"{_plural(len(model.administration), 'civil servant')} on participation, "
            f"{_plural(len(model.council), 'council member')}.")
    if not cfg.design.active:
        head += " This design runs no participation: its levers have no effect."
    preset = solara.use_memo(lambda: sim.compose_config(model.municipality, model.design),
                             [model.municipality, model.design])
    changed = [f"{lv.label.split(' (')[0]} {_show(_value(preset, lv.key))} → {_show(_value(cfg, lv.key))}"
               for lv in LEVERS.values() if _value(preset, lv.key) != _value(cfg, lv.key)
               and (lv.key != "design.panel_size" or cfg.design.selection is Selection.lot)]
    changed += [f"seed {cfg.seed}"] if cfg.seed != 0 else []
    changed += [f"{_show(cfg.run.population_scale * 100)} % of residents"] if cfg.run.population_scale != 1 else []
    head += (" <i>Changed from the preset:</i> " + "; ".join(changed) + ".") if changed else " Preset values."
    if model.month < 0:
        lines = ["Not started yet: press ▶ (play) or Step."]
    else:
        r = model.report()
        lines = [
            f"Month <b>{model.month + 1}</b> of {cfg.run.steps}, phase <b>{r['phase']}</b>"
            + (f", cycle {r['cycle']}" if r['cycle'] else ""),
            f"Taking part now: <b>{r['participants']:,}</b> ({100 * r['turnout']:.1f} % of residents); "
            f"ever took part: {100 * model.population.ever_participated.mean():.1f} %",
            f"Citizens: trust <b>{r['trust_citizens']:.2f}</b>, fear {r['fear_citizens']:.2f}, "
            f"efficacy {r['efficacy_citizens']:.2f}",
            f"Legitimacy <b>{r['legitimacy']:.2f}</b> (input {r['legitimacy_input']:.2f}, throughput "
            f"{r['legitimacy_throughput']:.2f}, output {r['legitimacy_output']:.2f})",
            f"Service quality <b>{r['service_quality']:.2f}</b> (equity {r['service_quality_equity']:.2f})",
            f"Proposals: {r['proposals_submitted']} submitted, {r['proposals_adopted']} adopted, "
            f"{r['proposals_implemented']} implemented, {r['decisions_reopened']} reopened",
        ]
    # plain HTML, not solara.Markdown: Markdown loads mermaid and KaTeX from the CDN, which an
    # offline dashboard does not have
    items = "".join(f"<li>{line}</li>" for line in lines)
    solara.HTML(tag="div", unsafe_innerHTML=f"<p>{head}</p><ul>{items}</ul>",
                style={"font-size": "15px", "line-height": "1.6"})


@solara.component
def CompositionView(model: DashboardModel) -> None:
    """Who takes part against the population, by education, age, neighbourhood, online access."""
    tick = update_counter.get()
    if model.month < 0:
        solara.Info("Press ▶ (play) or Step to start the first month.")
        return
    Figure(lambda: plots.composition(groups(model), timeseries(model), **_run_words(model)), [model, tick])


#: The views: page 0 (the first tab) shows the outcomes, the network and the neighbourhoods;
#: page 1 the fears and who takes part. Only the open tab is redrawn at each step.
COMPONENTS = [(StatusView, 0), (TurnoutView, 0), (TrustView, 0), (LegitimacyView, 0), (QualityView, 0),
              (NetworkView, 0), (NeighbourhoodView, 0), (FearsView, 1), (CompositionView, 1)]

# --------------------------------------------------------------------------- the page

#: One line per slider, from the schema's documentation of its config key.
SLIDER_HELP = "<ul>" + "".join(
    f"<li><b>{lv.label.split(' (')[0]}</b> (<code>{lv.key}</code>): "
    f"{_FIELDS[lv.key].metadata.get('doc') or inspect.getdoc(_field_type(lv.key))}</li>"
    for lv in LEVERS.values()) + "</ul>"

#: The chosen preset and the model on screen (per browser session: solara keeps reactive
#: variables per kernel).
scenario_choice = solara.reactive(DEFAULT_SCENARIO)
design_choice = solara.reactive(DEFAULT_DESIGN)
model_state: solara.Reactive[DashboardModel | None] = solara.reactive(None)


def build(municipality: str, design: str) -> tuple[DashboardModel, dict[str, Any]]:
    """The model and SolaraViz model_params of a preset, at the preset's values."""
    params = model_params(municipality, design)
    return DashboardModel(**initial_kwargs(params)), params


@solara.component
def Dashboard(municipality: str, design: str) -> None:
    """SolaraViz for one preset (the page mounts a new one when the preset changes)."""
    params = solara.use_memo(lambda: model_params(municipality, design), [municipality, design])
    if model_state.value is None or (model_state.value.municipality, model_state.value.design) != (
            municipality, design):
        model_state.value = DashboardModel(**initial_kwargs(params))
    SolaraViz(model_state, components=COMPONENTS, model_params=params, play_interval=50,
              name="Citizen participation: a live municipality")


@solara.component
def Page() -> None:
    """The dashboard: preset choice, then Mesa's SolaraViz with the views."""
    with solara.Sidebar():
        with solara.Card("Municipality and design"):
            solara.Select("Municipality (scenario)", values=list(SCENARIOS), value=scenario_choice)
            solara.Select("Participation design", values=list(DESIGNS), value=design_choice)
            solara.HTML(tag="p", unsafe_innerHTML="Choosing a preset rebuilds the page with its values. Move "
                        "the sliders below, press <b>Reset</b> to apply them, then <b>▶</b> to play.")
            with solara.Details("What the sliders mean"):
                solara.HTML(tag="div", unsafe_innerHTML=SLIDER_HELP, style={"font-size": "13px"})
    Dashboard(scenario_choice.value, design_choice.value).key(f"{scenario_choice.value}/{design_choice.value}")
