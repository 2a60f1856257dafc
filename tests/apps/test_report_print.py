"""The municipal report read on a screen of 1280 px and printed on A4, in chromium, in both languages.

What a council member sees: a one-page summary in plain words (no code words), every table and
figure within the width of the screen and of the printed page, a PDF of A4 pages. The tests write
screenshots of the summary and of every printed page to ``<screenshots>/report/`` (a folder these
tests own; ``DASHBOARD_SCREENSHOTS`` moves the screenshots' root as for the dashboard's tests).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from playwright import sync_api

from sim import plots, texts
from sim.apps import report
from sim.config.compose import CONFIG_DIR
from tests.apps.dashboard.support import launch
from tests.helpers import REPO
from tests.resources import require_chromium

SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", REPO / "outputs" / "screenshots")) / "report"
EXAMPLE = REPO / "examples" / "municipality.yaml"

#: Words of code that a policymaker must not meet in the summary: settings, commands, the
#: model's own names of designs and scenarios and of the three parts of legitimacy.
CODE_WORDS = (r"\bseed\b", r"python -m", r"\binput\b", r"\bthroughput\b", r"\boutput\b", r"design\.",
              r"threshold\.", r"\bsim\.", r"run\.", r"scenario\.", r"administration\.", r"_eur\b", r"parquet",
              r"posterior", r"replicate\b",
              *(re.escape(p.stem) for p in (CONFIG_DIR / "design").glob("*.yaml") if "_" in p.stem),
              *(re.escape(p.stem) for p in (CONFIG_DIR / "scenario").glob("*.yaml") if "_" in p.stem))

#: A4 at 96 px per inch less the page's margins (210 mm - 2 x 13 mm wide, 297 mm - 14 mm - 16 mm high).
A4_CONTENT_PX = (round((210 - 26) / 25.4 * 96), round((297 - 30) / 25.4 * 96))

#: The widest element's right edge and the page's scroll width, measured in the page.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > width + 0.5 || e.getBoundingClientRect().left < -0.5)
    .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40));
  return {width: width, scroll: document.documentElement.scrollWidth, wide: wide};
}"""


@pytest.fixture(scope="module")
def kampenhout() -> report.Study:
    """Every design, so that the tables are as wide as they get; 2 replicates, so that the warning shows."""
    return report.study("kampenhout", designs=plots.DESIGNS, replicates=2, scale=0.2, jobs=1)


@pytest.fixture(scope="module")
def own() -> report.Study:
    return report.study(municipality_file=EXAMPLE, designs=plots.DESIGNS, replicates=3, scale=0.1, jobs=1)


def _summary_text(page) -> str:
    return page.inner_text("section.summary")


def _fits_a4(page) -> None:
    """Printed (the print stylesheet at the A4 page's content width): nothing wider than the page, and the
    summary ends on the first page."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_CONTENT_PX[0], "height": A4_CONTENT_PX[1]})
    printed = page.evaluate(_OVERFLOW)
    assert printed["scroll"] <= A4_CONTENT_PX[0] and printed["wide"] == [], printed
    bottom = page.evaluate("() => document.querySelector('section.summary').getBoundingClientRect().bottom")
    assert bottom <= A4_CONTENT_PX[1], f"the summary ends at {bottom} px, below the first page"


def _pdf_pages(browser, pdf: Path, stem: str) -> list[Path]:
    """Every page of ``pdf`` as a PNG: drawn by pdftoppm (poppler-utils, `make browser` installs it), else by
    chromium's own PDF viewer (page by page, waiting until the page is drawn)."""
    for old in SHOTS.glob(f"{stem}_page*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / f"{stem}_page")], check=True,
                       timeout=300)
        return sorted(SHOTS.glob(f"{stem}_page*.png"))
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    shots = []
    for n in range(1, pages + 1):
        page = browser.new_page(viewport={"width": 820, "height": 1160})
        try:
            page.goto(pdf.resolve().as_uri() + f"#toolbar=0&navpanes=0&page={n}&view=Fit")
            page.wait_for_timeout(3000)
            shot = SHOTS / f"{stem}_page-{n:02d}.png"
            page.screenshot(path=str(shot))
            shots.append(shot)
        finally:
            page.close()
    return shots


@pytest.mark.slow
@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_the_report_on_screen_and_printed(kampenhout: report.Study, lang: str, tmp_path: Path) -> None:
    """At 1280 px nothing runs past the edge; the summary has no code word and fits the first A4 page; printed,
    no element is wider than the A4 page; the PDF has A4 pages; screenshots of the summary and every page."""
    require_chromium()
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = report.write(kampenhout, tmp_path / f"kampenhout_{lang}.html", lang, pdf=True)
    pdf = path.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    # every page A4 portrait: 595 x 842 points
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes), boxes
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(path.as_uri())
            screen = page.evaluate(_OVERFLOW)
            assert screen["scroll"] <= 1280 and screen["wide"] == [], screen
            summary = _summary_text(page)
            found = [w for w in CODE_WORDS if re.search(w, summary, re.IGNORECASE)]
            assert found == [], (found, summary)
            # what the summary must say: the question, the designs, the warning, cost, who is left out, limits
            for key in ("summary_question_word", "summary_cost_word", "summary_who_word", "summary_cannot_word"):
                assert texts.phrase(key, lang) in summary
            assert texts.phrase("too_few_replicates", lang, n=2) in summary
            for design in plots.DESIGNS:
                assert texts.name("design", design, lang) in summary
            # the assumed input that matters most for Kampenhout: its four equal neighbourhoods
            assert texts.phrase("input_neighbourhood_shares", lang) in summary and "Buken (25 %)" in summary
            page.locator("section.summary").screenshot(path=str(SHOTS / f"summary_{lang}_1280.png"))
            page.screenshot(path=str(SHOTS / f"report_{lang}_1280x720.png"))

            _fits_a4(page)
            page.close()

            shots = _pdf_pages(browser, pdf, f"printed_{lang}")
        finally:
            browser.close()
    assert len(shots) == len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) >= 4  # each part starts a page
    for shot in shots:  # every page drawn, none blank
        with Image.open(shot) as im:
            assert im.convert("L").getextrema()[0] < 128, shot


@pytest.mark.slow
def test_the_report_of_my_own_municipality_prints(own: report.Study, tmp_path: Path) -> None:
    """Built from examples/municipality.yaml: names the file and its date; its own values are marked as given."""
    require_chromium()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in texts.LANGUAGES:
        path = report.write(own, tmp_path / f"own_{lang}.html", lang, pdf=True)
        with sync_api.sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(path.as_uri())
                summary = _summary_text(page)
                assert "municipality.yaml" in summary and own.source_date and own.source_date in summary
                assert re.search(r"\d{4}-\d{2}-\d{2}", own.source_date)
                assert [w for w in CODE_WORDS if re.search(w, summary, re.IGNORECASE)] == []
                assert page.evaluate(_OVERFLOW)["wide"] == []
                body = page.inner_text("body")
                assert texts.phrase("status_given", lang) in body and "Voorbeeldgemeente" in body
                page.locator("section.summary").screenshot(path=str(SHOTS / f"own_summary_{lang}.png"))
                _fits_a4(page)
                page.close()
                _pdf_pages(browser, path.with_suffix(".pdf"), f"own_printed_{lang}")
            finally:
                browser.close()
