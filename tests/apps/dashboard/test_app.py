"""The trainers' dashboard (sim/apps/dashboard/), headless with Solara's test helpers.

The page renders in Dutch (the default) and English, a step redraws the charts, a moved
slider is flagged until applied, a preset loads exactly (every scenario x design), a preset
change rebuilds the run, the side-by-side run has the same residents, the lessons load, and
the default page simulates every resident of Kampenhout. How long a step and its redraw take
is measured by benchmarks/bench_dashboard.py. The real-browser test is
tests/apps/dashboard/test_browser.py.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest
import solara

from sim import texts
from sim.apps import events
from sim.apps.classroom import texts as classroom_texts
from sim.apps.dashboard import app, compare, history, levers, live_chart, replicates, state, views
from sim.config.compose import compose_config
from sim.config.schema import Authority

pytestmark = pytest.mark.xdist_group("dashboard")  # one worker: the page's state is per process


def _reset_state() -> None:
    state.lang_choice.set(levers.DEFAULT_LANG)
    state.projector.set(False)
    state.scenario_choice.set(levers.DEFAULT_SCENARIO)
    state.design_choice.set(levers.DEFAULT_DESIGN)
    state.compare_choice.set("none")
    state.lesson_choice.set("")
    state.scale_choice.set(1.0)
    state.values_state.set({})
    state.applied_state.set({})
    state.model_state.set(None)
    state.twin_state.set(None)
    state.playing.set(False)
    state.tab_state.set(0)
    state.shown_state.set(-1)
    state.history_state.set([])
    state.events_state.set([])
    state.runs_made.set(0)
    state.auto_pause.set(True)
    state.speed.set(0.0)


@pytest.fixture
def page():
    """The rendered page (in an AppLayout, as the server does) and its render context."""
    _reset_state()

    @solara.component
    def App():
        with solara.AppLayout():
            app.Page()

    with contextlib.redirect_stdout(io.StringIO()):  # the app bar's widget reprs outside a kernel
        _box, rc = solara.render(App(), handle_error=False)
    yield rc
    rc.close()


def _button(rc, key: str, lang: str = "nl"):
    return rc.find(vw.Btn, children=[texts.dash(key, lang)]).widget


def _slider(rc, key: str, lang: str = "nl"):
    """The slider of a config key: its label starts with the lever's name and shows the value."""
    name = texts.lever(key, lang)
    hits = [w for w in rc.find(vw.Slider).widgets if str(w.label).startswith(name + ":")]
    assert len(hits) == 1, (key, [w.label for w in rc.find(vw.Slider).widgets])
    return hits[0]


def _html(rc) -> str:
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def _images(rc) -> list[bytes]:
    return [w.value for w in rc.find(ipywidgets.Image).widgets]


def test_model_keywords_map_to_config_keys() -> None:
    model = levers.DashboardModel(municipality="generic", design="consultation", seed=3,
                                     population_scale=0.05, steps=24, design_feedback=0.9,
                                     design_authority="involve", design_inform_first=True,
                                     citizens_fear_mean=0.8, council_commitment=0.2)
    cfg = model.config
    assert (cfg.scenario.name, cfg.design.name, cfg.seed) == ("generic", "consultation", 3)
    assert cfg.design.feedback == 0.9 and cfg.design.authority is Authority.involve and cfg.design.inform_first
    assert cfg.citizens.fear_mean == 0.8 and cfg.council.commitment == 0.2
    assert model.population.size == round(cfg.scenario.population * 0.05)
    with pytest.raises(TypeError, match="unknown keyword"):
        levers.DashboardModel(population_scale=0.05, desing_feedback=0.1)


def test_model_stops_at_the_horizon() -> None:
    model = levers.DashboardModel(municipality="generic", population_scale=0.05, steps=12)
    while model.running:
        model.step()
    assert model.month + 1 == 12


@pytest.mark.parametrize("scenario", levers.SCENARIOS)
def test_reset_reproduces_every_preset_exactly(scenario: str) -> None:
    """For every design: the inputs show the preset's values on their slider grid, and the model
    built from them (Reset without a change) has exactly the preset's config on every lever key."""
    for design in levers.DESIGNS:
        params = levers.model_params(scenario, design)
        preset = compose_config(scenario, design)
        kwargs = levers.model_kwargs(params, levers.initial_kwargs(params))
        model = levers.DashboardModel(**{**kwargs, "population_scale": 0.01})
        for name, lever in levers.LEVERS.items():
            spec = params[name]
            want, got = levers._value(preset, lever.key), levers._value(model.config, lever.key)
            assert got == want, (scenario, design, name, want, got)  # exactly, not approximately
            if spec["type"] == "SliderFloat":  # the slider can hold the preset's value
                steps = (spec["value"] - spec["min"]) / spec["step"]
                assert abs(steps - round(steps)) < 1e-6, (scenario, design, name, spec)
                assert spec["value"] == want
        assert levers.changes(params, levers.initial_kwargs(params), {}) == []
        # a value a slider sends back with float noise is still the preset
        noisy = {**levers.initial_kwargs(params),
                 "scenario_initial_trust": params["scenario_initial_trust"]["value"] + 1e-12}
        assert levers.model_kwargs(params, noisy)["scenario_initial_trust"] is None


def test_page_renders_in_dutch_and_steps(page) -> None:
    rc = page
    model = state.model_state.value
    assert model is not None and model.config.scenario.name == "kampenhout"
    tabs = [w.children[0] for w in rc.find(vw.Tab).widgets]
    assert tabs == [texts.dash(k, "nl") for k in state.TAB_KEYS] and "Page 0" not in tabs
    assert "Play Interval" not in _html(rc) and not rc.find(vw.Slider, label="Play Interval (ms)")
    _button(rc, "step").click()
    _button(rc, "step").click()
    assert model.month == 1
    assert "Maand <b>2</b> van 72" in _html(rc)
    images = _images(rc)
    assert len(images) == 2  # the overview's turnout and trust; the other tabs are drawn when opened
    _button(rc, "step").click()
    assert _images(rc) != images
    # every slider shows its value in its label
    for w in rc.find(vw.Slider).widgets:
        assert ": " in str(w.label), w.label


def test_language_switch(page) -> None:
    rc = page
    _button(rc, "step").click()
    state.lang_choice.set("en")
    assert "Month <b>1</b> of 72" in _html(rc)
    assert rc.find(vw.Btn, children=[texts.dash("step", "en")])
    # the share of Kampenhout's residents who trust the municipality at the start (its preset)
    assert _slider(rc, "scenario.initial_trust", "en").label == f"{texts.lever('scenario.initial_trust', 'en')}: 0.30"
    assert "participatory budget" in _html(rc) and "participatory_budget" not in _html(rc)


def test_slider_is_flagged_until_applied(page) -> None:
    rc = page
    assert state.model_state.value.config.citizens.fear_mean == pytest.approx(0.4)
    assert texts.dash("applied", "nl") in str([w.children for w in rc.find(vw.Alert).widgets])
    _slider(rc, "citizens.fear_mean").v_model = 0.8
    _slider(rc, "design.responsiveness").v_model = 0.2
    alerts = str([w.children for w in rc.find(vw.Alert).widgets])
    assert texts.dash("pending", "nl", n=2) in alerts
    assert state.model_state.value.config.citizens.fear_mean == pytest.approx(0.4)  # not yet
    assert _slider(rc, "citizens.fear_mean").label.endswith(": 0,80")  # Dutch: a decimal comma
    _button(rc, "apply").click()
    model = state.model_state.value
    assert model.config.citizens.fear_mean == pytest.approx(0.8)
    assert model.config.design.responsiveness == pytest.approx(0.2)
    assert model.month == -1
    _button(rc, "step").click()
    assert model.month == 0
    assert f"{texts.lever('citizens.fear_mean', 'nl')} 0,40 → 0,80" in _html(rc)
    _button(rc, "to_preset").click()
    assert texts.dash("preset_values", "nl") in _html(rc)


def test_apply_without_a_change_reports_no_change(page) -> None:
    rc = page
    _button(rc, "apply").click()
    _button(rc, "step").click()
    assert texts.dash("preset_values", "nl") in _html(rc)
    assert texts.dash("changed_from_preset", "nl") not in _html(rc)


def test_choosing_a_preset_rebuilds_the_run(page) -> None:
    rc = page
    state.load_preset("kampenhout", "tokenistic_consultation")
    model = state.model_state.value
    assert model.config.design.name == "tokenistic_consultation"
    assert _slider(rc, "design.responsiveness").v_model == pytest.approx(model.config.design.responsiveness)
    _button(rc, "step").click()
    assert model.month == 0


def test_side_by_side_runs_on_the_same_residents(page) -> None:
    rc = page
    model, twin = state.model_state.value, state.twin_state.value
    assert twin is not None and twin.design == "none" and model.design == "participatory_budget"
    assert compare.same_residents(model, twin)
    assert np.array_equal(model.population.perception, twin.population.perception)
    for _ in range(10):
        _button(rc, "step").click()
    assert twin.month == model.month == 9
    state.tab_state.set(state.TAB_KEYS.index("tab_compare"))
    html = _html(rc)
    assert texts.dash("compare_same", "nl", same=texts.dash("yes", "nl")) in html
    assert texts.dash("matched_title", "nl") in html
    m = compare.matched(model, twin)
    assert m is not None and m["n"] == int(model.population.ever_participated.sum())
    assert len(_images(rc)) == 1  # the matched chart


def test_the_comparison_judges_by_the_reports_verdict_rule() -> None:
    """The side-by-side table and the matched comparison say better, worse or no clear difference with
    sim.experiments.answers.verdicts, the report's rule: one run of each design has no interval, so a
    large difference is no clear difference (too few runs); the matched comparison pairs the residents
    who took part, in percentage points against the 2-point threshold."""
    import pandas as pd

    from sim.experiments import answers

    a = levers.DashboardModel("geel", "tokenistic_consultation", 0, population_scale=0.1, steps=36)
    b = levers.DashboardModel("geel", "none", 0, population_scale=0.1, steps=36)
    while a.running:
        a.step()
        b.step()
    html = compare.compare_html(a, b, "en")
    ra, rb = a.report(), b.report()
    for col in ("trust_citizens", "legitimacy_input", "service_quality"):
        runs = pd.DataFrame([{"design": "a", "replicate": 0, col: float(ra[col])},
                             {"design": "b", "replicate": 0, col: float(rb[col])}])
        want = answers.verdicts(runs, "b", [col]).iloc[0]
        assert want["verdict"] == "no clear difference" and want["reason"] in ("below_threshold", "too_few_runs")
        row = html[html.index(texts.label(col, "en")):].split("</tr>")[0]
        assert f"title='{texts.phrase('reason_' + want['reason'], 'en')}'>no clear difference<" in row, row
    ever = np.flatnonzero(a.population.ever_participated)
    assert ever.size > 0
    verdict = compare.matched_verdict(a, b)
    runs = pd.DataFrame({"design": ["a"] * ever.size + ["b"] * ever.size, "resident": np.r_[ever, ever],
                         "trust_citizens": np.r_[a.population.agrees("trust")[ever], b.population.agrees("trust")[ever]]
                         .astype(float)})
    want = answers.verdicts(runs, "b", ["trust_citizens"], pair="resident").iloc[0]
    assert verdict["difference"] == pytest.approx(want["difference"]) and verdict["n"] == ever.size
    assert verdict["threshold"] == 2.0
    word = texts.phrase(f"verdict_{want['verdict'].replace(' ', '_')}", "en")
    assert f"{word} ({texts.phrase('reason_' + want['reason'], 'en')})" in html
    # the dashboard keeps no verdict words of its own
    assert not {"lower", "higher", "equal"} & set(texts.dash_keys())


def test_every_tab_renders(page) -> None:
    rc = page
    for _ in range(3):
        _button(rc, "step").click()
    for lang in ("nl", "en"):
        state.lang_choice.set(lang)
        for i, key in enumerate(state.TAB_KEYS):
            state.tab_state.set(i)
            if key == "tab_help":
                html = _html(rc)
                for lever in levers.LEVERS.values():
                    assert texts.lever_help(lever.key, lang) in html
                assert texts.explain("legitimacy_throughput", lang) in html
                assert texts.explain("service_quality_equity", lang) in html
    state.projector.set(True)
    state.tab_state.set(0)
    assert len(_images(rc)) == 2


def test_lessons_load_their_preset(page) -> None:
    rc = page
    assert list(levers.LESSONS) == list(texts.lessons())
    for key, lesson in levers.LESSONS.items():
        state.load_lesson(key)
        model = state.model_state.value
        assert (model.municipality, model.design) == (lesson.scenario, lesson.design)
        assert model.config.run.population_scale == lesson.scale
        assert texts.lesson(key, "nl")["title"] in _html(rc)
        assert state.tab_state.value == state.TAB_KEYS.index("tab_lesson")
    assert {lesson.scenario for lesson in levers.LESSONS.values()} >= {"geel", "kampenhout", "antwerp_district"}


def test_what_moved_trust_comes_from_the_signal_history(page) -> None:
    """Why trust moved, since the start and in this round: each kind's change of the share who trust the
    municipality (SignalBoard.history[month][kind]["trust"]) in percentage points with one decimal, in bars on a
    fixed scale (a bar's length is its move against MOVED_FULL_SCALE_PT, not against the largest move)."""
    rc = page
    model = state.model_state.value
    while model.month < 12:
        _button(rc, "step").click()
    months = model.month + 1
    moves = live_chart.trust_moves(model.signals.history, model.month, months)
    want = {k: sum(model.signals.history.get(m, {}).get(k, {}).get("trust", 0.0) for m in range(months))
            for k in moves}
    assert moves == pytest.approx(want) and moves
    # another item is read on demand: the input item moves with being asked, trust does not
    assert "asked" not in moves or moves["asked"] == 0
    assert live_chart.trust_moves(model.signals.history, model.month, 12, item="input").get("asked", 0) > 0
    html = _html(rc)
    assert texts.dash("moved_since_start", "nl", month=months) in html
    total = 100 * sum(moves.values())
    assert views._pt(total, "nl") in html
    assert not re.search(r"\d,\d{3}", views.moved_html(model, "nl")), "no numbers with three or four decimals"
    shown = {k: 100 * v for k, v in moves.items() if abs(100 * v) >= views.MOVED_MIN_PT}
    if shown:
        kind, value = next(iter(shown.items()))
        assert texts.signal(kind, "nl") in html
        width = min(views.MOVED_BAR_PX, max(2, round(views.MOVED_BAR_PX * abs(value) / views.MOVED_FULL_SCALE_PT)))
        assert f"width:{width}px" in views.moved_html(model, "nl")
    # a fixed scale: a tiny move draws as a sliver, whatever the largest move is
    block = views._moved_block("t", {"public": -0.06, "memory": 0.01}, "en")
    assert "width:5px" in block and f"width:{views.MOVED_BAR_PX}px" not in block


def test_the_page_simulates_every_resident_of_kampenhout(page) -> None:
    """The default page runs Kampenhout at 1:1; how long a step and its redraw take is measured
    by benchmarks/bench_dashboard.py (a benchmark, not a test: timings depend on the machine's load)."""
    rc = page
    for _ in range(3):
        _button(rc, "step").click()
    model = state.model_state.value
    assert model.population.size == 12528
    assert model.month == 2 and "Maand <b>3</b> van 72" in _html(rc)


def test_the_play_loop_waits_until_the_page_has_shown_the_month() -> None:
    """wait_until_shown holds the play loop until the page reports the last redraw (tick) shown;
    it does not wait where no page reports (a headless render), nor once Pause is pressed."""
    _reset_state()
    assert state.wait_until_shown() is False  # no page has reported: the loop does not wait
    state.playing.set(True)
    try:
        state.tick.set(state.tick.value + 1)
        state.shown_state.set(state.tick.value - 1)  # the page shows the month before
        seen = []
        page = threading.Timer(0.2, lambda: (seen.append(state.shown_state.value),
                                              state.shown_state.set(state.tick.value)))
        page.start()
        assert state.wait_until_shown(timeout_s=600) is True
        # it returned because the page reported this month, not because it gave up
        assert seen == [state.tick.value - 1] and state.shown_state.value == state.tick.value
        page.join()
        # a page that stopped answering holds the run only up to the bound
        state.tick.set(state.tick.value + 1)
        assert state.wait_until_shown(timeout_s=0.05) is True
        assert state.shown_state.value < state.tick.value
        # Pause: no waiting at all
        state.playing.set(False)
        assert state.wait_until_shown(timeout_s=600) is True
    finally:
        state.playing.set(False)
        state.shown_state.set(-1)


def test_the_tab_reports_each_redraw_to_the_page(page) -> None:
    """The open tab carries the redraw the server sent (PageShown.drawn) after its charts; the
    page's report (PageShown.shown) is what the play loop waits for."""
    rc = page
    shown = rc.find(views.PageShown).widget
    before = shown.drawn
    _button(rc, "step").click()
    assert shown.drawn == state.tick.value > before
    shown.shown = shown.drawn  # as the browser does, once it has shown the month
    assert state.shown_state.value == state.tick.value


def test_dutch_numbers_use_dutch_separators(page) -> None:
    """In Dutch the page writes 12.528 (thousands) and 0,34 (decimals); in English 12,528 and 0.34."""
    rc = page
    _button(rc, "step").click()
    html = _html(rc)
    assert "12.528 van 12.528 inwoners" in html and "12,528" not in html
    assert "1 ambtenaar voor participatie" in html and "(a)r(en)" not in html
    trust = 100 * state.model_state.value.report()["trust_citizens"]  # a share of residents, in percent
    assert f"Inwoners met vertrouwen in het gemeentebestuur <b>{trust:.1f} %</b>".replace(".", ",") in html
    words = re.sub(r"<[^>]*>", " ", html)  # the text, without tags and their styles
    assert not re.search(r"\d\.(?!\d{3}(?!\d))\d", words), words  # a decimal point (not a thousands dot)
    state.lang_choice.set("en")
    html = _html(rc)
    assert "12,528 of 12,528 residents" in html and f"trust the municipality <b>{trust:.1f} %</b>" in html


def test_turnout_between_rounds_is_the_last_rounds(page) -> None:
    """Turnout belongs to a round: between rounds the status and the comparison show the last
    round's turnout (or that no round has had participants yet), never a zero or a zero difference."""
    rc = page
    state.tab_state.set(state.TAB_KEYS.index("tab_compare"))
    model, twin = state.model_state.value, state.twin_state.value
    _button(rc, "step").click()
    assert views.round_turnout_now(model)[0] == "none"
    assert views.round_turnout_now(twin)[0] == "inactive"  # no participation
    assert texts.dash("cell_no_round", "nl") in _html(rc) and texts.dash("cell_no_participation", "nl") in _html(rc)
    states = []
    while model.running and not ("running" in states and states[-1] == "last"):  # through a round, out of it
        _button(rc, "step").click()
        states.append(views.round_turnout_now(model)[0])
        if states[-1] == "running":
            assert str(model.report()["phase"]) in ("participate", "decide")
    where, n, pct = views.round_turnout_now(model)
    assert where == "last" and str(model.report()["phase"]) not in ("participate", "decide")
    assert n > 0 and pct > 0  # the last round's participants, not zero
    html = _html(rc)
    cell = texts.dash("cell_last_round", "nl", value=texts.number(pct, "nl", 1))
    turnout_row = html[html.index(texts.label("turnout", "nl")):].split("</tr>")[0]
    assert cell in turnout_row and "<td>\u2013</td>" in turnout_row  # no difference against no participation
    state.tab_state.set(0)
    assert texts.dash("between_rounds", "nl", n=texts.number(n, "nl"), pct=texts.number(pct, "nl", 1)) in _html(rc)


def test_help_explains_every_output_and_slider_with_high_or_low(page) -> None:
    """The help names every output, view and slider; each output and each numeric slider says what
    a high or low value means, each switch what on and off do, in both languages."""
    words = {"en": ("high", "low", "higher", "lower", "above", "below"),
             "nl": ("hoog", "laag", "hoger", "lager")}
    onoff = {"en": ("on:",), "nl": ("aan:",)}
    outputs = views.HELP_OUTPUTS
    for lang in texts.LANGUAGES:
        html = views.help_html(lang)
        for col in outputs:
            text = texts.explain(col, lang).lower()
            assert texts.explain(col, lang) in html and any(w in text.replace(":", " ").split() or
                                                            f"{w}:" in text for w in words[lang]), (lang, col)
        for key in views.HELP_VIEWS:
            assert texts.dash(key, lang) in html
        for name, spec in levers.model_params("kampenhout", "participatory_budget").items():
            if not isinstance(spec, dict):
                continue
            text = texts.lever_help(spec["key"], lang)
            assert text in html, (lang, name)
            if spec["type"] in ("SliderFloat", "SliderInt"):
                assert any(w in text.lower().replace(":", " ").replace(";", " ").split() for w in words[lang]), \
                    (lang, name, text)
            elif spec["type"] == "Checkbox":
                assert any(w in text.lower() for w in onoff[lang]), (lang, name, text)
            else:  # a choice: its help says what the choices mean, and each choice is shown in words
                assert all(texts.choice(spec["key"], member, lang) for member in spec["values"])


def test_every_run_stays_in_the_history_against_the_preset(page) -> None:
    """A run the trainer replaces stays: a row of the difference table (what was moved from the preset, its
    outcomes and their difference from the preset's run at the same month) and a grey line in the charts."""
    rc = page
    for _ in range(3):
        _button(rc, "step").click()
    state.values_state.set({**state.values_state.value, "administration_role_inspirator": 0.0})
    _button(rc, "apply").click()
    for _ in range(2):
        _button(rc, "step").click()
    (first,) = state.history_state.value
    assert first.changed == () and first.months == 3 and first.municipality == "kampenhout"
    state.tab_state.set(state.TAB_KEYS.index("tab_compare"))
    html = _html(rc)
    assert texts.dash("history_run", "nl", n=first.number) in html
    assert texts.dash("history_now", "nl", n=first.number + 1) in html
    assert texts.lever("administration.role_inspirator", "nl") in html
    assert html.count("class='dash-diff'") == len(history.TABLE_COLUMNS)  # the run on screen against run 1
    assert texts.dash("verdicts_mine", "nl", n=replicates.REPLICATES) in [
        str(w.children[0]) for w in rc.find(vw.Btn).widgets if w.children]
    state.tab_state.set(0)
    assert len(_images(rc)) == 2


def test_the_event_line_and_the_automatic_pause(page) -> None:
    """Playing stops by itself when a round opens, at the decision, a reopened decision and the election (the
    switch on), and the event line says what happened; with the switch off the run plays to its end."""
    rc = page
    model = state.model_state.value
    state.playing.set(True)
    state.play_loop()
    assert not state.playing.value and model.running
    last = [kind for month, kind, _ in state.events_state.value if month == model.month + 1]
    assert set(last) & set(state.PAUSE_AT), state.events_state.value
    html = _html(rc)
    assert texts.dash("events_label", "nl") in html
    _month, kind, n = state.events_state.value[-1]
    assert classroom_texts.t(f"engine.events.{kind}", "nl", n=n) in html
    small = levers.DashboardModel(municipality="generic", design="participatory_budget", population_scale=0.05,
                                  steps=30)
    state.model_state.set(small)
    state.twin_state.set(None)
    state.auto_pause.set(False)
    state.playing.set(True)
    state.play_loop()
    assert not small.running and small.month + 1 == 30
    kinds = {kind for _, kind, _ in state.events_state.value}
    assert {"round_opens", "screened", "proposals_submitted"} <= kinds, kinds


def test_month_events_follow_the_model_series() -> None:
    """The event rule (one for the dashboard and the rooms): counts are the months' increases; a month with a
    decision says how many proposals passed the screening and how many it screened out."""
    before = {"cycle": 1, "proposals_submitted": 3, "proposals_adopted": 0,
              "proposals_implemented": 0, "projects_late": 0, "decisions_reopened": 0}
    after = {**before, "proposals_submitted": 5, "proposals_adopted": 2}
    assert events.month_events(before, after, election=False, screened_in=2) == [
        ("proposals_submitted", 2), ("screened", 2), ("screened_out", 0), ("adopted", 2)]
    assert events.month_events(before, {**after, "proposals_submitted": 9}, election=False, screened_in=4) == [
        ("proposals_submitted", 6), ("screened", 4), ("screened_out", 2), ("adopted", 2)]
    assert events.month_events(before, after, election=False) == [("proposals_submitted", 2), ("adopted", 2)]
    assert events.month_events(after, {**after, "cycle": 2}, election=True) == [("round_opens", 2), ("election", 0)]


def test_the_event_line_counts_the_screening_from_the_rounds_record() -> None:
    """In the month of each decision the event line has the round's own counts (its record in the results'
    table of rounds): proposals submitted, through the screening and screened out; in Dutch and English."""
    model = levers.DashboardModel(municipality="generic", design="participatory_budget", population_scale=0.05,
                                  steps=30)
    line: list[tuple[int, str, int]] = []
    while model.running:
        model.step()
        line += [(model.month + 1, kind, n) for kind, n in events.latest_events(model)]
    decided = [r for r in [*model.cycles.closed, model.cycles.current] if r is not None and r.extra.get("decided")]
    assert decided, "no round was decided in 30 months"
    screened = [(month, n) for month, kind, n in line if kind == "screened"]
    out = {month: n for month, kind, n in line if kind == "screened_out"}
    submitted = {month: n for month, kind, n in line if kind == "proposals_submitted"}
    assert [n for _, n in screened] == [r.screened_in for r in decided]
    assert [submitted.get(month, 0) - n for month, n in screened] == [out[month] for month, _ in screened]
    assert [r.submitted for r in decided] == [submitted.get(month, 0) for month, _ in screened]
    for lang in texts.LANGUAGES:
        html = views.events_html(line, lang, months=len(line))
        for month, n in screened:
            assert classroom_texts.t("engine.events.screened", lang, n=n) in html
            assert classroom_texts.t("engine.events.screened_out", lang, n=out[month]) in html


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_the_replicate_verdicts_are_written_with_their_interval(lang: str) -> None:
    """Compare over replicates in words: each outcome's verdict (the report's words), its difference and its 95 %
    interval as the language writes numbers (percentage points with one decimal, an index's points with two, as
    the report writes them), and why; an outcome without a difference gets a dash."""
    import pandas as pd

    from sim.experiments import answers

    runs = pd.DataFrame([{"design": side, "replicate": r, "trust_citizens": base + 0.004 * r,
                          "legitimacy": 0.5 + (0.05 if side == "a" else 0.0) + 0.001 * r, "turnout": turnout,
                          "service_quality": 0.5 + (0.031 if side == "a" else 0.0) + 0.001 * r}
                         for side, base, turnout in (("a", 0.31, 0.05), ("b", 0.30, 0.0)) for r in range(5)])
    table = answers.verdicts(runs, "b", ["trust_citizens", "legitimacy", "turnout", "service_quality"])
    html = history.verdicts_html(table, "A", "B", lang)
    assert texts.dash("verdicts_intro", lang, n=replicates.REPLICATES, a="A", b="B") in html
    for _, row in table.iterrows():
        column = str(row["outcome"])
        cells = html[html.index(texts.label(column, lang)):].split("</tr>")[0]
        assert f"<b>{texts.phrase('verdict_' + str(row['verdict']).replace(' ', '_'), lang)}</b>" in cells
        assert texts.phrase(f"reason_{row['reason']}", lang) in cells
        if pd.isna(row["difference"]):
            assert "\u2013" in cells
        else:
            decimals = 2 if column == "service_quality" else 1  # an index's points, or percentage points
            interval = texts.dash("verdicts_interval", lang,
                                  diff=texts.number(float(row["difference"]), lang, decimals, signed=True),
                                  low=texts.number(float(row["ci_low"]), lang, decimals, signed=True),
                                  high=texts.number(float(row["ci_high"]), lang, decimals, signed=True))
            assert interval in cells, cells
    assert set(table["verdict"]) >= {"better", "no clear difference"}, table


def _drawn_boxes(ax, renderer) -> list:
    """Where a panel draws on the canvas: its axes, its title, its axis labels and its tick labels."""
    texts_drawn = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
    return [ax.get_window_extent(renderer), *(t.get_window_extent(renderer) for t in texts_drawn if t.get_text())]


@pytest.mark.parametrize("municipality", levers.SCENARIOS)
def test_who_takes_part_names_every_group_clear_of_the_others(municipality: str) -> None:
    """Who takes part, as the page draws it (on a screen and on a projector, in nl and en): no two of a panel's
    group names overlap (Geel's twelve neighbourhoods, the Antwerp district's twenty-two) and no name runs into
    another panel."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    model = levers.DashboardModel(municipality, "participatory_budget", population_scale=0.05, steps=12)
    for _ in range(3):
        model.step()
    for big in (False, True):
        for lang in texts.LANGUAGES:
            with sns.plotting_context("notebook", font_scale=views.FONT_SCALE_COMPOSITION[big]):
                fig = views.composition_figure(model, lang)
            fig.set_dpi(views.DPI_BIG if big else views.DPI)
            renderer = fig.canvas.get_renderer()
            fig.canvas.draw()
            panels = [ax for ax in fig.axes if ax.get_visible()]
            for ax in panels:
                names = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.get_yticklabels() if t.get_text()]
                assert len(names) >= 2
                clash = [(a, b) for i, (a, box_a) in enumerate(names) for b, box_b in names[i + 1:]
                         if box_a.overlaps(box_b)]
                assert not clash, (municipality, big, lang, ax.get_title(), clash)
                others = [box for o in panels if o is not ax for box in _drawn_boxes(o, renderer)]
                into = [n for n, box in names if any(box.overlaps(o) for o in others)]
                assert not into, (municipality, big, lang, ax.get_title(), into)
            plt.close(fig)


def test_play_pressed_as_the_run_pauses_by_itself_is_not_undone() -> None:
    """The automatic pause stops the run and Play shows again; a Play pressed that moment plays on: the loop that
    stopped does not switch it off again, and a loop started by a pause does nothing (no step, no redraw)."""
    _reset_state()
    model = levers.DashboardModel(municipality="generic", design="participatory_budget", population_scale=0.05,
                                  steps=30)
    state.model_state.set(model)
    before = state.tick.value
    state.play_loop()  # as the page calls it when a pause changes `playing`
    assert model.month == -1 and state.tick.value == before and not state.playing.value

    def press_play_at_once(playing: bool) -> None:  # the class presses Play the moment the run pauses
        if not playing:
            unsubscribe()
            state.playing.set(True)

    state.playing.set(True)
    unsubscribe = state.playing.subscribe(press_play_at_once)
    try:
        state.play_loop()  # stops by itself when the first round opens
        assert model.running and state.events_state.value[-1][1] in state.PAUSE_AT
        assert state.playing.value, "the Play pressed as the run paused was switched off again"
    finally:
        state.playing.set(False)
