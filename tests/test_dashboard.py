"""The trainers' dashboard (sim/dashboard.py), headless with Solara's test helpers.

The page renders, a step redraws the figures, a slider changes the model after Reset, a
preset change rebuilds the page, and the default page simulates every resident of
Kampenhout. How long a step and its redraw take is measured by benchmarks/bench_dashboard.py.
The real-browser test is tests/test_dashboard_browser.py.
"""

from __future__ import annotations

import pytest

solara = pytest.importorskip("solara")
ipywidgets = pytest.importorskip("ipywidgets")
vw = pytest.importorskip("ipyvuetify")

from sim import dashboard  # noqa: E402  (after the skips: the dashboard needs the ui extra)
from sim.config import Authority  # noqa: E402

pytestmark = pytest.mark.xdist_group("dashboard")  # one worker: the page's state is per process


@pytest.fixture
def page():
    """The rendered page (in an AppLayout, as the server does) and its render context."""
    dashboard.scenario_choice.set(dashboard.DEFAULT_SCENARIO)
    dashboard.design_choice.set(dashboard.DEFAULT_DESIGN)
    dashboard.model_state.set(None)

    @solara.component
    def App():
        with solara.AppLayout():
            dashboard.Page()

    _box, rc = solara.render(App(), handle_error=False)
    yield rc
    rc.close()


def _button(rc, label: str):
    return rc.find(vw.Btn, children=[label]).widget


def _slider(rc, label: str):
    return rc.find(vw.Slider, label=label).widget


def _status(rc) -> str:
    """The text of the status view."""
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets
                    if "Changed from the preset" in w.unsafe_innerHTML or "Preset values" in w.unsafe_innerHTML)


def _images(rc) -> list[bytes]:
    return [w.value for w in rc.find(ipywidgets.Image).widgets]


def test_model_keywords_map_to_config_keys() -> None:
    model = dashboard.DashboardModel(municipality="generic", design="consultation", seed=3,
                                     population_scale=0.05, steps=24, design_feedback=0.9,
                                     design_authority="involve", design_inform_first=True,
                                     citizens_fear_mean=0.8, council_commitment=0.2)
    cfg = model.config
    assert (cfg.scenario.name, cfg.design.name, cfg.seed) == ("generic", "consultation", 3)
    assert cfg.design.feedback == 0.9 and cfg.design.authority is Authority.involve and cfg.design.inform_first
    assert cfg.citizens.fear_mean == 0.8 and cfg.council.commitment == 0.2
    assert model.population.size == round(cfg.scenario.population * 0.05)
    # None keeps the preset's value
    assert dashboard.DashboardModel(municipality="generic", design="tokenistic_consultation",
                                    population_scale=0.05, design_responsiveness=None).config.design.responsiveness \
        == dashboard.sim.compose_config("generic", "tokenistic_consultation").design.responsiveness
    with pytest.raises(TypeError, match="unknown keyword"):
        dashboard.DashboardModel(population_scale=0.05, desing_feedback=0.1)


def test_model_stops_at_the_horizon() -> None:
    model = dashboard.DashboardModel(municipality="generic", population_scale=0.05, steps=12)
    while model.running:
        model.step()
    assert model.month + 1 == 12


def test_model_params_match_the_model_and_the_presets() -> None:
    from mesa.visualization.solara_viz import _check_model_params

    # every design in one municipality, every municipality with one design
    presets = {(dashboard.DEFAULT_SCENARIO, d) for d in dashboard.DESIGNS}
    presets |= {(s, dashboard.DEFAULT_DESIGN) for s in dashboard.SCENARIOS}
    for scenario, design in sorted(presets):
        params = dashboard.model_params(scenario, design)
        model = dashboard.DashboardModel(**{**dashboard.initial_kwargs(params), "population_scale": 0.01})
        _check_model_params(model, params)  # raises on a key that is not an __init__ keyword
        preset = dashboard.sim.compose_config(scenario, design)
        for name, lever in dashboard.LEVERS.items():
            if lever.key == "design.panel_size" and preset.design.panel_size == 0:
                continue  # shown at 40 for a design without a panel; used only with lot
            want, got = dashboard._value(preset, lever.key), dashboard._value(model.config, lever.key)
            if isinstance(want, float):
                assert got == pytest.approx(want, abs=1e-3), (scenario, design, name)
            else:
                assert got == want, (scenario, design, name)


def test_page_renders_and_steps(page) -> None:
    rc = page
    model = dashboard.model_state.value
    assert model is not None and model.config.scenario.name == "kampenhout"
    assert rc.find(vw.Btn, children=["Step"]) and rc.find(vw.Btn, children=["Reset"])
    before = _images(rc)
    _button(rc, "Step").click()
    _button(rc, "Step").click()
    assert model.month == 1
    assert "Month <b>2</b> of 72" in _status(rc)
    after = _images(rc)
    assert len(after) == 6  # turnout, trust, legitimacy, quality, network, neighbourhoods
    assert after != before


def test_slider_changes_the_model(page) -> None:
    rc = page
    assert dashboard.model_state.value.config.citizens.fear_mean == pytest.approx(0.4)
    _slider(rc, "Citizens: fear").v_model = 0.8
    _slider(rc, "Responsiveness").v_model = 0.2
    _button(rc, "Reset").click()
    model = dashboard.model_state.value
    assert model.config.citizens.fear_mean == pytest.approx(0.8)
    assert model.config.design.responsiveness == pytest.approx(0.2)
    assert model.month == -1
    _button(rc, "Step").click()
    assert model.month == 0
    assert "Citizens: fear 0.4 → 0.8" in _status(rc)
    assert "Responsiveness 0.9 → 0.2" in _status(rc)


def test_choosing_a_preset_rebuilds_the_page(page) -> None:
    rc = page
    dashboard.design_choice.set("tokenistic_consultation")
    model = dashboard.model_state.value
    assert model.config.design.name == "tokenistic_consultation"
    # the sliders now start at the new preset's values
    assert _slider(rc, "Responsiveness").v_model == pytest.approx(model.config.design.responsiveness)
    _button(rc, "Step").click()
    assert model.month == 0


def test_the_page_simulates_every_resident_of_kampenhout(page) -> None:
    """The default page runs Kampenhout at 1:1; how long a step and its redraw take is measured
    by benchmarks/bench_dashboard.py (a benchmark, not a test: timings depend on the machine's load)."""
    rc = page
    step = _button(rc, "Step")
    for _ in range(3):
        step.click()
    model = dashboard.model_state.value
    assert model.population.size == 12528
    assert model.month == 2 and "Month <b>3</b> of 72" in _status(rc)
