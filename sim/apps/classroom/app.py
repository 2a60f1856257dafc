"""The classroom pages (Solara): a trainer's room with its projector view, and the participants' seats.

Serve with ``python -m classroom serve`` (see the README for the classroom network). Pages:

- ``/``: choose to open a room (trainer) or to join one.
- ``/trainer``: open (or reopen) a room; then its code and QR code, the projector view, the debrief
  and saving. Only the browser that opened a room controls it (its Solara session cookie).
- ``/join?code=K7QMA``: enter a code, pick a free role, then see one's own choices and what they did.

What a room shares lives in ``classroom.rooms`` (one process-wide ``RoomStore``); a browser session
keeps only its language and the state of its forms. Each page that shows a room waits for the room's
changes in a thread of its own (``use_room``), so a seat's click reaches the projector without the
clicking session rendering anybody else's page. The page holds no rules of the game and no words of
its own: rules come from the engine, words from ``classroom/locales``.
"""

from __future__ import annotations

import collections
import ctypes
import functools
import gc
import html
import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import solara
import solara.lab
import solara.server.settings
from ipyvuetify.extra import FileInput

from sim import texts as project_texts
from sim.apps.classroom import charts, qr, saved, texts
from sim.apps.classroom.engine import LANGUAGES, TRAINER, Game, is_resident_role
from sim.apps.classroom.game import PRESETS, SCENARIOS
from sim.apps.classroom.rooms import Phase, Room, RoomError, RoomStore, RoomView, Settings
from sim.apps.classroom.worker import ProcessGame
from sim.apps.dashboard.levers import LESSONS, Lesson

solara.server.settings.theme.show_banner = False

#: Minutes a room may stay without any change before it is closed and its memory released.
IDLE_MINUTES = float(os.environ.get("CLASSROOM_IDLE_MINUTES", "120"))
#: The share of each municipality's residents a room simulates (1: all; the tests and a slow laptop use less).
SCALE = float(os.environ.get("CLASSROOM_SCALE", "1.0"))
#: A page's thread waits this long for a change before it looks whether its page is still there.
WATCH_TIMEOUT_S = 1.0
HORIZONS = (12, 24, 36, 48, 72)
#: The series the projector can draw (two at a time) and the debrief draws (all); True: a share.
SERIES = {"trust": True, "turnout": True, "legitimacy": True, "took_part": True, "left_out": True,
          "projects_delivered": False, "staff_hours": False}
PROJECTOR_DEFAULT = ("trust", "turnout")
#: The series the trainer can put on the projector.
PROJECTOR_SERIES = ("trust", "turnout", "legitimacy", "left_out", "projects_delivered", "staff_hours")
#: The projector's charts are flatter than the debrief's (chart units, 640 wide), to fill a 16:9 screen.
PROJECTOR_CHART_HEIGHT = 215
MOVED_SHOWN = ("trust", "turnout", "legitimacy", "left_out", "projects_delivered", "staff_hours")
#: What a seat is told its choices moved (the debrief tells all of MOVED_SHOWN).
MOVED_SEAT = ("trust", "turnout", "legitimacy", "left_out")


def playable_lessons() -> dict[str, Lesson]:
    """The dashboard's lessons a room can play (its municipality and design are a room's): one list of
    lessons for both apps; the room takes the lesson's municipality and design, and its debrief the
    lesson's questions (``classroom.questions.lessons``)."""
    return {k: lesson for k, lesson in LESSONS.items() if lesson.scenario in SCENARIOS and lesson.design in PRESETS}


def debrief_questions(settings: Settings, lang: str) -> list[str]:
    """The debrief's questions: the lesson's, else the design's, else the general ones."""
    by_lesson = texts.lookup("questions.lessons", lang)
    if settings.lesson in by_lesson:
        return list(by_lesson[settings.lesson])
    key = settings.preset if settings.preset in texts.lookup("questions", lang) else "default"
    return list(texts.lookup(f"questions.{key}", lang))


def _new_game(settings: Settings) -> Game:
    """A room's game, in a process of its own (the model's months never hold the pages' interpreter)."""
    return ProcessGame(settings.scenario, settings.preset, settings.seed, settings.horizon, SCALE)


log = logging.getLogger("classroom")


def _released(code: str, rooms_open: int) -> None:
    """A room closed: collect its cycles and hand freed memory back to the system, so that the server's
    size follows the rooms open (glibc keeps freed memory otherwise)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    log.info("room %s closed (rooms open: %d)", code, rooms_open)


try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6")
except OSError:  # not glibc: nothing to trim
    _LIBC = None

#: Every room of this server: the only state the sessions share.
store = RoomStore(_new_game, ProcessGame.from_json, idle_seconds=IDLE_MINUTES * 60, on_closed=_released)
store.start_reaper()
_KERNELS = [0]
_KERNELS_LOCK = threading.Lock()


def _kernel_started() -> Callable[[], None]:
    """Count the kernels (pages' states) alive, in the log: a closed tab's kernel goes after the cull timeout."""
    with _KERNELS_LOCK:
        _KERNELS[0] += 1
        log.info("kernel started (kernels: %d)", _KERNELS[0])

    def closed() -> None:
        with _KERNELS_LOCK:
            _KERNELS[0] -= 1
            log.info("kernel closed (kernels: %d)", _KERNELS[0])

    return closed


solara.lab.on_kernel_start(_kernel_started)

# Per browser session: each person's own language and forms, nothing a room shares.
lang_state = solara.reactive(texts.DEFAULT_LANG)
tab_state = solara.reactive("invite")
shown_series = solara.reactive(PROJECTOR_DEFAULT)
code_state = solara.reactive("")
chosen_room = solara.reactive("")  # the code a participant entered (before picking a role)
message = solara.reactive("")  # the reason of the last refused action, as a translation key
confirm_close = solara.reactive(False)
entered = solara.reactive(0)  # bumped when this session joins or leaves a seat (re-render)

_CSS_PATH = os.path.join(os.path.dirname(__file__), "style.css")


def tr(key: str, **fields: Any) -> str:
    """A text in this session's language."""
    return texts.t(key, lang_state.value, **fields)


# --------------------------------------------------------------------------- a room in a page

def use_room(room: Room | None, digest: Callable[[RoomView], Any] | None = None) -> RoomView | None:
    """The room's view, and a re-render of this page each time the room changes (as far as ``digest`` of
    the view tells: a seat re-renders for its own role's votes, not for every vote in the room).

    A thread per page waits on the room (``Room.wait``) and sets a state of this page when the room's
    version moves: the render then happens in that thread, in this page's kernel. Setting another
    session's state from the clicking session's thread would render every page of the room, one
    after the other, inside one click (and a module-level ``solara.reactive`` is per session anyway).
    The thread ends when the page goes (Solara sets ``cancel`` on unmount and when the kernel closes)
    or the room closes.
    """
    _, set_version = solara.use_state(-1)

    def watch(cancel: threading.Event) -> None:
        if room is None:
            return
        seen, shown = -1, object()
        while not cancel.is_set():
            version = room.wait(seen, timeout=WATCH_TIMEOUT_S)
            if version == seen or cancel.is_set():
                continue
            seen = version
            now = digest(room.view()) if digest is not None and not room.closed else version
            if now is UNCHANGED:
                continue
            if now != shown:
                shown = now
                set_version(version)
            if room.closed:
                return

    solara.use_thread(watch, dependencies=[room], intrusive_cancel=False)
    return None if room is None else room.view()


#: A digest that says: nothing this page shows changed (do not redraw, keep the last digest).
UNCHANGED = object()


def seat_digest(room: Room, session: str) -> Callable[[RoomView], Any]:
    """What a seat's page shows of the room: its phase and month, the pending pause, its own role's
    votes, the decisions so far, its own seat."""

    def digest(view: RoomView) -> Any:
        seat = room.seat(session)
        if (view.phase is Phase.RUNNING and view.decisions and seat is not None
                and view.decisions[-1].role != seat[0]):
            # another role's decision while the months run: this seat learns of it with the next pause
            # (so a decision redraws the projector and the deciding seats first, not all 30 pages)
            return UNCHANGED
        pause = view.pending
        mine = pause is not None and seat is not None and pause.role == seat[0]
        return (view.phase, view.month, pause and (pause.month, pause.kind, pause.role),
                view.voters if mine else None, len(view.decisions), seat)

    return digest


def roles_digest(view: RoomView) -> Any:
    """What the role picker shows: the seats taken."""
    return tuple(sorted(view.seats.items()))


_CHARTS: collections.OrderedDict[tuple[Any, ...], str] = collections.OrderedDict()
_CHARTS_LOCK = threading.Lock()
CHART_CACHE_SIZE = 512


def chart(view: RoomView, column: str, lang: str, full: bool) -> str:
    """The SVG chart of one series with its ghost lines, built once per room version and shared by all
    pages (``full``: the ghosts to the horizon, as the debrief shows them; else up to the month)."""
    key = (view.code, view.version, column, lang, full)
    height = charts.HEIGHT if full else PROJECTOR_CHART_HEIGHT
    with _CHARTS_LOCK:
        if key in _CHARTS:
            _CHARTS.move_to_end(key)
            return _CHARTS[key]
    lines = []
    for which, ghost in view.ghosts.items():
        shown = ghost if full else ghost[ghost["month"] <= view.month]
        lines.append(charts.Line(shown["month"].tolist(), shown[column].tolist(), which))
    series = view.game.series
    lines.append(charts.Line(series["month"].tolist(), series[column].tolist(), "room"))
    svg = charts.line_chart(lines, view.settings.horizon, lang, share=SERIES[column],
                            label=texts.t(f"series.{column}", lang), height=height)
    with _CHARTS_LOCK:
        _CHARTS[key] = svg
        while len(_CHARTS) > CHART_CACHE_SIZE:
            _CHARTS.popitem(last=False)
    return svg


def moved_text(entry: dict[str, Any], lang: str, shown: tuple[str, ...] = MOVED_SHOWN) -> str:
    """What a decision moved, in words: ``trust +1.2 pt, turnout −0.3 pt, ... after 6 months``."""
    moved = entry.get("moved") or {}
    if entry.get("against") and entry.get("option") == entry.get("default"):
        return texts.t("moved.own_choice", lang)
    if not moved:
        return texts.t("moved.nothing_yet", lang)
    parts = []
    for key in shown:
        if key not in moved:
            continue
        value = moved[key]
        if key in ("projects_delivered", "staff_hours"):
            text = texts.number(value, lang, 0, signed=True)
        else:
            text = texts.percent(round(value, 3) or 0.0, lang, 1, signed=True)
        parts.append(f"{texts.t(f'moved.{key}', lang)} {text}")
    after = "moved.after" if entry.get("against") else "moved.after_raw"
    return ", ".join(parts) + " " + texts.t(after, lang, months=entry["moved_months"])


def by_text(by: str, lang: str) -> str:
    """Who took a decision, in words."""
    return texts.t(f"projector.by_{'seat' if by == 'seats' else by}", lang)


# --------------------------------------------------------------------------- small parts

@solara.component
def LanguageSwitch() -> None:
    """NL / EN for this person only."""
    with solara.ToggleButtonsSingle(value=lang_state, classes=["cr-lang"]):
        for lang in LANGUAGES:
            solara.Button(lang.upper(), value=lang, text=True)


@solara.component
def Html(markup: str, classes: list[str] | None = None) -> None:
    """Markup built here from escaped texts (never from what a participant typed)."""
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=classes or [])


@solara.component
def Message() -> None:
    """The reason the last action was refused, until the next action."""
    if message.value:
        solara.Warning(tr(message.value), classes=["cr-message"])


def attempt(action: Callable[[], None]) -> None:
    """Run a page's action; a refusal shows its reason instead of an error page."""
    message.set("")
    try:
        action()
    except RoomError as e:
        message.set(e.key)


@solara.component
def JsonPicker(label: str, on_data: Callable[[bytes], None]) -> None:
    """A file chooser for a saved room. The file is read in a thread: reading it in the event handler
    would wait for the browser's chunks on the very thread that receives them."""
    info, set_info = solara.use_state(None)
    files, set_files = solara.use_state(None)
    picker = FileInput.element(label=label, accept=".json,application/json", multiple=False,
                               on_file_info=set_info, class_="cr-file")

    def wire() -> None:  # the widget exists in an effect (not in a thread): take its files' handles here
        if info:
            widget: Any = solara.get_widget(picker)
            widget.version += 1  # as solara.FileDrop: a fresh read
            widget.reset_stats()
            set_files(widget.get_files())

    solara.use_effect(wire, [info])

    def read(cancel: threading.Event) -> None:
        if files:
            on_data(files[0]["file_obj"].read(saved.MAX_BYTES + 1))  # a larger file is refused unread

    solara.use_thread(read, dependencies=[files], intrusive_cancel=False)


# --------------------------------------------------------------------------- home

@solara.component
def Home() -> None:
    """Choose: open a room, or join one."""
    solara.Title(tr("app.title"))  # in the page, not the layout: the route's own title comes after the layout's
    with solara.Column(classes=["cr-page", "cr-home"]):
        with solara.Row(classes=["cr-topbar"], style={"align-items": "center"}):
            Html(f"<h1>{html.escape(tr('app.title'))}</h1>")
            solara.v.Spacer()
            LanguageSwitch()
        Html(f"<h2>{html.escape(tr('home.heading'))}</h2><p class='cr-lead'>{html.escape(tr('home.intro'))}</p>")
        with solara.Row(classes=["cr-home-actions"]):
            with solara.Link("/trainer"):
                solara.Button(tr("home.trainer"), color="primary", classes=["cr-big-button"])
            with solara.Link("/join"):
                solara.Button(tr("home.join"), color="primary", outlined=True, classes=["cr-big-button"])


# --------------------------------------------------------------------------- trainer

@solara.component
def OpenForm(session: str) -> None:
    """The trainer's choices for a new room, and reopening a saved one."""
    scenario, set_scenario = solara.use_state(SCENARIOS[0])
    preset, set_preset = solara.use_state(PRESETS[0])
    horizon, set_horizon = solara.use_state(24)
    seed, set_seed = solara.use_state(0)
    seats, set_seats = solara.use_state(1)
    auto, set_auto = solara.use_state(False)
    lesson, set_lesson = solara.use_state("")
    error, set_error = solara.use_state("")
    lang = lang_state.value

    def open_room() -> None:
        store.open(Settings(scenario, preset, seed, horizon, seats_per_role=seats, auto_model=auto, lesson=lesson),
                   session)
        tab_state.set("invite")
        entered.set(entered.value + 1)

    def reopen(data: bytes) -> None:
        try:
            room = store.reopen(saved.read(data), session, playable_lessons())
        except saved.SavedError as e:  # a field, its value and what is allowed
            set_error(e.text(lang))
            return
        except Exception:  # the game could not be built (its fields were right): the log says why
            log.exception("a saved room could not be reopened")
            set_error(texts.t("trainer.reopen_failed", lang))
            return
        set_error("")
        tab_state.set("debrief" if room.view().phase is Phase.ENDED else "projector")
        entered.set(entered.value + 1)

    def select(label: str, items: list[tuple[Any, str]], value: Any, on_value: Callable[[Any], None]) -> None:
        solara.v.Select(label=label, v_model=value, on_v_model=on_value, items=[{"value": v, "text": t}
                                                                                  for v, t in items],
                        class_="cr-select", hide_details=True)

    def pick_lesson(key: str) -> None:
        set_lesson(key)
        if key:
            set_scenario(playable_lessons()[key].scenario)
            set_preset(playable_lessons()[key].design)

    with solara.Column(classes=["cr-page", "cr-open"]):
        with solara.Row(classes=["cr-topbar"], style={"align-items": "center"}):
            Html(f"<h1>{html.escape(tr('trainer.heading'))}</h1>")
            solara.v.Spacer()
            LanguageSwitch()
        with solara.Columns([1, 1], classes=["cr-open-grid"]):
            with solara.Column():
                lang = lang_state.value
                select(tr("trainer.lesson"), [("", tr("trainer.no_lesson"))]
                       + [(k, project_texts.lesson(k, lang)["title"]) for k in playable_lessons()], lesson, pick_lesson)
                select(tr("trainer.scenario"), [(s, texts.name("scenario", s, lang)) for s in SCENARIOS], scenario,
                       set_scenario)
                select(tr("trainer.preset"), [(p, texts.name("design", p, lang)) for p in PRESETS], preset, set_preset)
                select(tr("trainer.horizon"), [(h, tr("trainer.months", n=h)) for h in HORIZONS], horizon,
                       set_horizon)
                select(tr("trainer.variant"), [(i, str(i + 1)) for i in range(20)], seed, set_seed)
                select(tr("trainer.seats_per_role"), [(i, str(i)) for i in (1, 2, 3)], seats, set_seats)
                solara.Switch(label=tr("trainer.auto_model"), value=auto, on_value=set_auto)
                solara.Button(tr("trainer.open"), on_click=open_room, color="primary",
                              classes=["cr-big-button", "cr-open-button"])
            with solara.Column(classes=["cr-reopen"]):
                Html(f"<h3>{html.escape(tr('trainer.reopen'))}</h3><p>{html.escape(tr('trainer.reopen_hint'))}</p>")
                JsonPicker(tr("trainer.reopen"), reopen)
                if error:
                    solara.Error(error)


@solara.component
def TrainerPage() -> None:
    """The trainer's room: invite, projector, debrief, save (or the form to open one)."""
    solara.Title(tr("app.title"))
    _ = entered.value
    session = solara.get_session_id()
    room = store.owned_by(session)
    view = use_room(room)
    if room is None or view is None:
        OpenForm(session)
        return
    lang = lang_state.value

    def close() -> None:
        store.close(room.code)
        confirm_close.set(False)
        entered.set(entered.value + 1)

    tabs = ("invite", "projector", "debrief", "save")
    with solara.Column(classes=["cr-page", "cr-trainer"]):
        with solara.Row(classes=["cr-topbar"], style={"align-items": "center"}):
            Html(f"<span class='cr-room-code-small'>{html.escape(texts.t('projector.room', lang, code=room.code))}"
                 "</span>")
            with solara.Row(classes=["cr-tabs"]):
                for key in tabs:
                    solara.Button(texts.t(f"trainer.tab_{key}", lang), on_click=lambda key=key: tab_state.set(key),
                                  text=tab_state.value != key, color="primary",
                                  classes=["cr-tab", f"cr-tab-{key}"] + (["cr-tab-on"] if tab_state.value == key
                                                                        else []))
            solara.v.Spacer()
            LanguageSwitch()
            solara.Button(texts.t("trainer.close", lang), on_click=lambda: confirm_close.set(True), text=True,
                          color="error", classes=["cr-close"])
        if confirm_close.value:
            with solara.Row(classes=["cr-confirm"]):
                solara.Text(texts.t("trainer.close_confirm", lang))
                solara.Button(texts.t("trainer.close_yes", lang), on_click=close, color="error",
                              classes=["cr-close-yes"])
                solara.Button(texts.t("trainer.cancel", lang), on_click=lambda: confirm_close.set(False), text=True)
        Message()
        tab = tab_state.value
        if tab == "invite":
            InviteView(room, view, lang)
        elif tab == "projector":
            ProjectorView(room, view, lang, session)
        elif tab == "debrief":
            DebriefView(view, lang)
        else:
            SaveView(room, view, lang)


@solara.component
def InviteView(room: Room, view: RoomView, lang: str) -> None:
    """The room's code, its QR code and address, who sits where, and Start."""
    headers = solara.lab.headers.value or {}  # type: ignore[attr-defined]
    host = (headers.get("host") or [None])[0]
    url = qr.join_url(qr.base_url(host), room.code)
    session = solara.get_session_id()

    def start() -> None:
        attempt(lambda: room.start(session))
        tab_state.set("projector")

    with solara.Row(classes=["cr-invite"]):
        with solara.Column(classes=["cr-invite-left"]):
            Html(f"<div class='cr-label'>{html.escape(texts.t('trainer.code', lang))}</div>"
                 f"<div class='cr-code'>{html.escape(room.code)}</div>"
                 f"<div class='cr-join-at'>{html.escape(texts.t('trainer.join_at', lang, url=url))}</div>")
            if qr.is_local_only(url):
                solara.Warning(texts.t("trainer.local_only", lang), classes=["cr-local-only"])
            with solara.Row(classes=["cr-invite-actions"]):
                if view.phase is Phase.LOBBY:
                    solara.Button(texts.t("trainer.start", lang), on_click=start, color="primary",
                                  classes=["cr-big-button", "cr-start"])
                solara.FileDownload(lambda: qr.png(url), filename=f"room-{room.code}-qr.png",
                                    label=texts.t("trainer.qr_png", lang), mime_type="image/png")
        Html(qr.svg(url), classes=["cr-qr"])
        with solara.Column(classes=["cr-seats"]):
            Html(f"<h3>{html.escape(texts.t('trainer.seats', lang))}</h3>" + seats_table(view, lang))


def seats_table(view: RoomView, lang: str) -> str:
    """Each role with its seats taken, as HTML."""
    rows = []
    for role in view.roles:
        taken, capacity = view.seats_of(role), view.settings.capacity(role)
        state = texts.t("trainer.seat_count", lang, n=taken, m=capacity)
        css = "cr-seat-taken" if taken else "cr-seat-free"
        rows.append(f"<tr class='{css}'><td>{html.escape(texts.role_name(role, lang))}</td>"
                    f"<td class='cr-num'>{html.escape(state)}</td></tr>")
    return "<table class='cr-seat-table'>" + "".join(rows) + "</table>"


@solara.component
def ProjectorView(room: Room, view: RoomView, lang: str, session: str) -> None:
    """The whole room on the projector: month, two charts with ghost lines, the pending decision and who
    decides, the last decision, the event line. Readable from the back of a room at 1280x720."""
    horizon = view.settings.horizon
    head = (f"<span class='cr-month'>{html.escape(texts.t('projector.month', lang, month=view.month, horizon=horizon))}"
            f"</span><span class='cr-where'>{html.escape(texts.name('scenario', view.settings.scenario, lang))} · "
            f"{html.escape(texts.name('design', view.settings.preset, lang))}</span>")
    with solara.Div(classes=["cr-projector"]):
        Html(head, classes=["cr-proj-head"])
        with solara.Div(classes=["cr-proj-charts"]):
            with solara.Row(classes=["cr-series-pick"]):
                for column in PROJECTOR_SERIES:
                    on = column in shown_series.value

                    def pick(column: str = column) -> None:
                        current = list(shown_series.value)
                        if column in current:
                            return
                        shown_series.set((current[-1], column))

                    solara.Button(texts.t(f"moved.{column}", lang), on_click=pick, small=True, text=not on,
                                  color="primary", classes=["cr-pick"])
            Html(charts.legend(lang))
            for column in shown_series.value:
                Html(f"<div class='cr-chart-title'>{html.escape(texts.t(f'series.{column}', lang))}</div>"
                     + chart(view, column, lang, full=False), classes=["cr-chart-box"])
        with solara.Div(classes=["cr-proj-side"]):
            DecisionCard(room, view, lang, session)
        Html(events_line(view, lang), classes=["cr-events"])


def events_line(view: RoomView, lang: str, n: int = 3) -> str:
    """The last ``n`` events, newest first, as HTML."""
    events = list(view.game.events)[-n:][::-1]
    if not events:
        items = f"<span>{html.escape(texts.t('projector.no_events', lang))}</span>"
    else:
        items = "".join(f"<span class='cr-event'><b>{html.escape(texts.t('units.month_short', lang, month=e['month']))}"
                        f"</b> {html.escape(e['text'][lang])}</span>" for e in events)
    return f"<span class='cr-events-label'>{html.escape(texts.t('projector.events', lang))}</span>{items}"


def last_decision(view: RoomView, lang: str) -> str:
    """The last decision in one line (month, role, option, by whom), as HTML."""
    if not view.decisions:
        return ""
    d = view.decisions[-1]
    line = texts.t("projector.decision", lang, month=d.month, role=texts.role_name(d.role, lang),
                   option=d.label.get(lang, d.option))
    return (f"<div class='cr-last-label'>{html.escape(texts.t('projector.last', lang))}</div>"
            f"<div class='cr-last'>{html.escape(line)} ({html.escape(by_text(d.by, lang))})</div>")


@solara.component
def DecisionCard(room: Room, view: RoomView, lang: str, session: str) -> None:
    """The pending decision: who decides, the question, the options with their consequence and the seats'
    votes; the trainer's Start, Continue or own choice."""
    pause = view.pending
    with solara.Column(classes=["cr-decision"]):
        if view.phase is Phase.LOBBY:
            Html(f"<p class='cr-status'>{html.escape(texts.t('projector.lobby', lang, n=sum(view.seats.values())))}"
                 "</p>")
            solara.Button(texts.t("trainer.start", lang), on_click=lambda: attempt(lambda: room.start(session)),
                          color="primary", classes=["cr-big-button", "cr-start"])
        elif view.phase is Phase.RUNNING:
            Html(f"<p class='cr-status cr-running'>{html.escape(texts.t('projector.running', lang))}</p>")
        elif view.phase is Phase.ENDED:
            Html(f"<p class='cr-status cr-ended'>{html.escape(texts.t('projector.ended', lang))}</p>")
            solara.Button(texts.t("trainer.tab_debrief", lang), on_click=lambda: tab_state.set("debrief"),
                          color="primary", classes=["cr-big-button", "cr-to-debrief"])
        elif pause is not None:
            seats = view.seats_of(pause.role)
            who = texts.t("projector.now_decides", lang, role=texts.role_name(pause.role, lang))
            parts = [f"<div class='cr-who'>{html.escape(who)}</div>",
                     f"<div class='cr-question'>{html.escape(pause.question[lang])}</div>"]
            if pause.role != TRAINER:
                if seats:
                    parts.append(f"<div class='cr-votes'>{html.escape(texts.t('projector.seats_decide', lang,
                                                                               n=view.voters, m=seats))}</div>")
                else:
                    default = pause.option(pause.default).label[lang]
                    parts.append(f"<div class='cr-votes cr-model'>{html.escape(texts.t('projector.model_decides',
                                                                                       lang, option=default))}</div>")
                parts.append("<ul class='cr-options'>" + "".join(
                    f"<li><b>{html.escape(o.label[lang])}</b>"
                    + (f" <span class='cr-count'>{view.votes.get(o.key, 0)}</span>" if seats else "")
                    + f"<br><span class='cr-why'>{html.escape(o.why[lang])}</span></li>"
                    for o in pause.options) + "</ul>")
            Html("".join(parts), classes=["cr-pending"])
            if pause.role == TRAINER:
                Html(f"<div class='cr-who'>{html.escape(texts.t('projector.trainer_decides', lang))}</div>")
                for o in pause.options:
                    OptionButton(o.key, o.label[lang], o.why[lang],
                                 functools.partial(attempt, functools.partial(room.choose, session, o.key)))
            else:
                key = "trainer.continue_votes" if view.voters else (
                    "trainer.continue_model" if not seats else "trainer.continue")
                solara.Button(texts.t(key, lang), on_click=lambda: attempt(lambda: room.proceed(session)),
                              color="primary", outlined=bool(seats) and not view.voters,
                              classes=["cr-big-button", "cr-continue"])
        Html(last_decision(view, lang), classes=["cr-last-box"])


@solara.component
def OptionButton(key: str, label: str, why: str, on_click: Callable[[], None], disabled: bool = False) -> None:
    """One option as a large button: its words and, below, its consequence and why."""
    with solara.Button(on_click=on_click, disabled=disabled, outlined=True, color="primary",
                       classes=["cr-option", f"cr-opt-{key}"]):
        Html(f"<div class='cr-option-label'>{html.escape(label)}</div>"
             f"<div class='cr-option-why'>{html.escape(why)}</div>")


# --------------------------------------------------------------------------- debrief and saving

@solara.component
def DebriefView(view: RoomView, lang: str) -> None:
    """The timeline of the room's decisions and what each moved, the ghost lines to the horizon, and the
    lesson's questions."""
    with solara.Column(classes=["cr-debrief"]):
        heading = texts.t("debrief.heading", lang)
        note = "" if view.phase is Phase.ENDED else f"<p class='cr-note'>{html.escape(texts.t('debrief.not_ended',
                                                                                              lang))}</p>"
        Html(f"<h2>{html.escape(heading)}</h2>{note}<h3>{html.escape(texts.t('debrief.timeline', lang))}</h3>"
             + timeline_table(view, lang))
        Html(f"<h3>{html.escape(texts.t('debrief.ghosts', lang))}</h3>" + charts.legend(lang))
        Html("<div class='cr-debrief-charts'>" + "".join(
            f"<div class='cr-chart-box'><div class='cr-chart-title'>{html.escape(texts.t(f'series.{c}', lang))}</div>"
            f"{chart(view, c, lang, full=True)}</div>" for c in SERIES) + "</div>")
        questions = debrief_questions(view.settings, lang)
        title = (f" · {project_texts.lesson(view.settings.lesson, lang)['title']}" if view.settings.lesson else "")
        Html(f"<h3>{html.escape(texts.t('debrief.questions', lang) + title)}</h3><ol class='cr-questions'>"
             + "".join(f"<li>{html.escape(q)}</li>" for q in questions) + "</ol>")


def timeline_table(view: RoomView, lang: str) -> str:
    """The room's decisions as an HTML table: month, role, choice (and the model's own, if different), by
    whom, what moved."""
    head = "".join(f"<th>{html.escape(texts.t(f'debrief.col_{c}', lang))}</th>"
                   for c in ("month", "role", "choice", "by", "moved"))
    rows = []
    for entry in view.timeline():
        choice = html.escape(entry["label"][lang])
        if entry["option"] != entry["default"]:
            model = texts.t("debrief.model_would", lang, option=entry["default_label"][lang])
            choice += f"<br><span class='cr-why'>{html.escape(model)}</span>"
        rows.append(f"<tr><td class='cr-num'>{entry['month']}</td>"
                    f"<td>{html.escape(texts.role_name(entry['role'], lang))}</td><td>{choice}</td>"
                    f"<td class='cr-by'>{html.escape(by_text(entry['by'], lang))}</td>"
                    f"<td>{html.escape(moved_text(entry, lang))}</td></tr>")
    return f"<table class='cr-timeline'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


@solara.component
def SaveView(room: Room, view: RoomView, lang: str) -> None:
    """Save the room's run (JSON, to reopen it) and export it (CSV, for the trainer's records)."""
    stem = f"room-{room.code}-{date.today().isoformat()}"

    def as_json() -> str:
        return json.dumps(room.to_json(), ensure_ascii=False, indent=1)

    with solara.Column(classes=["cr-save"]):
        Html(f"<h2>{html.escape(texts.t('save.heading', lang))}</h2><p>{html.escape(texts.t('save.hint', lang))}</p>")
        with solara.Row(classes=["cr-save-actions"]):
            if view.phase is not Phase.RUNNING:
                solara.FileDownload(as_json, filename=f"{stem}.json", label=texts.t("save.json", lang),
                                    mime_type="application/json")
            solara.FileDownload(room.csv_series, filename=f"{stem}-months.csv",
                                label=texts.t("save.csv_series", lang), mime_type="text/csv")
            solara.FileDownload(room.csv_timeline, filename=f"{stem}-decisions.csv",
                                label=texts.t("save.csv_timeline", lang), mime_type="text/csv")


# --------------------------------------------------------------------------- participants

@solara.component
def JoinPage() -> None:
    """Enter a code, pick a role; then the seat. (``?code=`` and ``?lang=`` fill the form: the QR code.)"""
    solara.Title(tr("app.title"))
    _ = entered.value
    session = solara.get_session_id()
    router = solara.use_router()

    def prefill() -> None:
        for part in (router.search or "").split("&"):
            name, _, value = part.partition("=")
            if name == "code" and value and not code_state.value:
                code_state.set(value.upper()[:12])
            if name == "lang" and value in LANGUAGES:
                lang_state.set(value)

    solara.use_effect(prefill, [])
    seated = store.seat_of(session)
    if seated is not None:
        SeatView(seated, session)
    else:
        CodeAndRole(session)


@solara.component
def CodeAndRole(session: str) -> None:
    """The code form, then the room's roles."""
    room = store.get(chosen_room.value) if chosen_room.value else None
    view = use_room(room, roles_digest)

    def enter() -> None:
        def find() -> None:
            found = store.find(code_state.value, session)
            chosen_room.set(found.code)

        attempt(find)

    with solara.Column(classes=["cr-page", "cr-join"]):
        with solara.Row(classes=["cr-topbar"], style={"align-items": "center"}):
            Html(f"<h1>{html.escape(tr('seat.heading'))}</h1>")
            solara.v.Spacer()
            LanguageSwitch()
        if room is None or view is None:
            with solara.Row(classes=["cr-code-entry"]):
                solara.InputText(tr("seat.code"), value=code_state, continuous_update=True,
                                 classes=["cr-code-input"])
                solara.Button(tr("seat.join"), on_click=enter, color="primary",
                              classes=["cr-big-button", "cr-join-button"])
            Html(f"<p class='cr-hint'>{html.escape(tr('seat.code_hint'))}</p>")
            Message()
        else:
            RolePicker(room, view, session)


@solara.component
def RolePicker(room: Room, view: RoomView, session: str) -> None:
    """The room's roles, each with its interest in one line; full roles cannot be picked."""
    lang = lang_state.value

    def take(role: str) -> None:
        def join() -> None:
            room.join(session, role)
            entered.set(entered.value + 1)

        attempt(join)

    Html(f"<h2>{html.escape(texts.t('seat.room', lang, code=room.code))} · "
         f"{html.escape(texts.t('seat.pick_role', lang))}</h2>")
    Message()
    with solara.Div(classes=["cr-roles"]):
        for role in view.roles:
            free = view.settings.capacity(role) - view.seats_of(role)
            help_key = "role_help.residents" if is_resident_role(role) else f"role_help.{role}"
            label = texts.role_name(role, lang)
            why = texts.t(help_key, lang) if free > 0 else texts.t("seat.taken", lang)
            OptionButton(role, label, why, functools.partial(take, role), disabled=free <= 0)


@solara.component
def SeatView(room: Room, session: str) -> None:
    """One participant's seat: her role, her pending choice (only hers), and what her choices did."""
    view = use_room(room, solara.use_memo(lambda: seat_digest(room, session), [room, session]))
    lang = lang_state.value
    seat = room.seat(session)
    if view is None or seat is None or view.phase is Phase.CLOSED:
        with solara.Column(classes=["cr-page", "cr-seat"]):
            with solara.Row(classes=["cr-topbar"], style={"align-items": "center"}):
                Html(f"<h1>{html.escape(texts.t('seat.heading', lang))}</h1>")
                solara.v.Spacer()
                LanguageSwitch()
            solara.Info(texts.t("seat.closed", lang), classes=["cr-closed"])
        return
    role, vote = seat
    pause = view.pending

    def leave() -> None:
        room.leave(session)
        chosen_room.set("")
        entered.set(entered.value + 1)

    with solara.Column(classes=["cr-page", "cr-seat"]):
        with solara.Row(classes=["cr-topbar"], style={"align-items": "center"}):
            Html(f"<span class='cr-seat-role'>{html.escape(texts.t('seat.you_are', lang, role=texts.role_name(role,
                                                                                                          lang)))}</span>"
                 f"<span class='cr-seat-meta'>{html.escape(texts.t('seat.room', lang, code=room.code))} · "
                 f"{html.escape(texts.t('projector.month', lang, month=view.month, horizon=view.settings.horizon))}"
                 "</span>")
            solara.v.Spacer()
            LanguageSwitch()
        Message()
        if view.phase is Phase.LOBBY:
            Html(f"<p class='cr-status'>{html.escape(texts.t('seat.lobby', lang))}</p>")
        elif view.phase is Phase.RUNNING:
            Html(f"<p class='cr-status'>{html.escape(texts.t('seat.running', lang))}</p>")
        elif view.phase is Phase.ENDED:
            Html(f"<p class='cr-status cr-ended'>{html.escape(texts.t('seat.ended', lang))}</p>")
        elif pause is not None and pause.role == role:
            Html(f"<div class='cr-who'>{html.escape(texts.t('seat.your_turn', lang))}</div>"
                 f"<div class='cr-question'>{html.escape(pause.question[lang])}</div>", classes=["cr-my-turn"])
            if vote is None:
                with solara.Column(classes=["cr-my-options"]):
                    for o in pause.options:
                        OptionButton(o.key, o.label[lang], o.why[lang],
                                     functools.partial(attempt, functools.partial(room.vote, session, o.key)))
            else:
                label = pause.option(vote).label[lang]
                Html(f"<p class='cr-status cr-voted'>{html.escape(texts.t('seat.chose', lang, option=label))} "
                     f"{html.escape(texts.t('seat.waiting_others', lang, n=view.voters, m=view.seats_of(role)))}</p>")
        elif pause is not None:
            Html(f"<p class='cr-status'>{html.escape(texts.t('seat.other_decides', lang,
                                                             role=texts.role_name(pause.role, lang)))}</p>")
        Html(my_decisions(view, role, lang), classes=["cr-my-decisions"])
        solara.Button(texts.t("seat.leave", lang), on_click=leave, text=True, classes=["cr-leave"])


def my_decisions(view: RoomView, role: str, lang: str) -> str:
    """The decisions of this seat's role and what each moved, newest first, as HTML."""
    mine = [e for e in view.timeline() if e["role"] == role][::-1]
    title = f"<h3>{html.escape(texts.t('seat.what_did', lang))}</h3>"
    if not mine:
        return title + f"<p>{html.escape(texts.t('seat.none_yet', lang))}</p>"
    items = []
    for e in mine:
        label = e["label"][lang]
        who = texts.t("seat.your_vote" if e["by"] == "seats" else "seat.decided_by", lang,
                      by=by_text(e["by"], lang), option=label)
        items.append(f"<li><b>{html.escape(texts.t('units.month_short', lang, month=e['month']))}</b> "
                     f"{html.escape(e['question'][lang])}<br>{html.escape(who)}<br>"
                     f"<span class='cr-why'>{html.escape(moved_text(e, lang, MOVED_SEAT))}</span></li>")
    return title + "<ul class='cr-mine'>" + "".join(items) + "</ul>"


# --------------------------------------------------------------------------- the app

@functools.cache
def stylesheet() -> str:
    """The pages' CSS (``style.css``), read once."""
    with open(_CSS_PATH, encoding="utf-8") as f:
        return f.read()


@solara.component
def Layout(children: list[Any] | None = None) -> None:
    """No framework chrome (no app bar, no navigation): the page's own bar, the stylesheet, the title."""
    solara.Style(stylesheet())
    solara.Column(classes=["cr-root"], children=children or [], gap="0")


routes = [
    solara.Route(path="/", component=Home, label="home", layout=Layout),
    solara.Route(path="trainer", component=TrainerPage, label="trainer"),
    solara.Route(path="join", component=JoinPage, label="join"),
]
