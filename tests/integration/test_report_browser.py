"""The HTML impact report in a real browser: headless Chromium opens it, checks the picture, screenshots it.

Writes ``artifacts/impact-report.html`` / ``.png`` / ``-figure.png`` (repeal of 财税〔2015〕119号) and
``artifacts/reform-report.html`` / ``.png`` / ``-figure.png`` (the 2018 reform). Missing Chromium or Playwright makes the
test FAIL with what to install, never skip. The page may fetch nothing: every request that is not
the report file itself is refused and counted.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interface.analyst import Analyst
from loaders.reforms import BUNDLED_REFORM
from interface.report_render import save_html
from tests.conftest import ROOT, SEED

pytestmark = [pytest.mark.browser]

ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    g = Analyst("embedded", home=tmp_path_factory.mktemp("browser-home"))
    g.build([SEED])
    ARTIFACTS.mkdir(exist_ok=True)
    out = {
        "impact-report": save_html(g.repeal_impact("财税〔2015〕119号"), ARTIFACTS / "impact-report.html"),
        "reform-report": save_html(g.reform_impact(BUNDLED_REFORM), ARTIFACTS / "reform-report.html"),
    }
    g.close()
    return out


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: apt-get install -y chromium fonts-noto-cjk (or `make browser-deps`)",
                    pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                              args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("name,min_nodes,must_show", [
    ("impact-report", 8, ["财税〔2015〕119号", "落实税收优惠", "市财政局", "市国税局"]),
    ("reform-report", 20, ["市国税局", "国家税务总局绵阳市税务局（2018-07-20）", "市卫生健康委员会（2019-01）"]),
])
def test_report_renders_in_chromium(reports, browser, name, min_nodes, must_show):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    foreign: list[str] = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(reports[name].resolve().as_uri())
    page.wait_for_load_state("load")
    assert foreign == [], f"the report tried to fetch {foreign}"
    assert "impact" in page.title() or "tasks" in page.title()
    svg = page.locator("div.figure svg")
    assert svg.count() == 1
    labels = page.eval_on_selector_all("svg g.node text", "els => els.map(e => e.textContent)")
    assert len(labels) >= min_nodes
    for text in must_show:
        assert any(text in label for label in labels), f"{text} is not drawn in the {name} picture"
    # every label fits its box (the layout measured it right) and has a real width (glyphs, not nothing)
    fits = page.eval_on_selector_all(
        "svg g.node", """gs => gs.map(g => { const t = g.querySelector('text').getBBox();
                                            const r = g.querySelector('rect').getBBox();
                                            return [t.width > 0, t.x >= r.x - 1 && t.x + t.width <= r.x + r.width + 1,
                                                    g.querySelector('text').textContent]; })""")
    assert all(has_width for has_width, _, _ in fits)
    overflowing = [label for _, ok, label in fits if not ok]
    assert not overflowing, f"labels overflow their boxes: {overflowing[:5]}"
    # Chinese is drawn with a CJK font installed on this machine (fonts-noto-cjk), not tofu boxes
    assert page.evaluate("document.fonts.check('13px \"Noto Sans CJK SC\"', '部门')"), \
        "no CJK font: apt-get install -y fonts-noto-cjk"
    cjk_width = page.evaluate("""() => { const c = document.createElement('canvas').getContext('2d');
        c.font = '20px "Noto Sans CJK SC"'; const a = c.measureText('国家税务总局').width;
        c.font = '20px monospace'; return [a, c.measureText('国家税务总局').width]; }""")
    assert cjk_width[0] > 100  # six full-width glyphs of 20 px
    shot = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000
    svg.screenshot(path=str(ARTIFACTS / f"{name}-figure.png"))  # the whole picture, however tall
    page.close()


def test_a_large_reform_stays_readable(reports, browser):
    """The whole 2018 reform on the seed: 5 documents, 25 changed units, 17 successors — the size at which
    one layered picture became a bundle of crossing lines. Drawn as a panel per document, every box is
    apart from the others, no two edges cross, the text is drawn at its size (not scaled down) and
    every panel is headed by its document. Saves artifacts/reform-large-figure.png."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(reports["reform-report"].resolve().as_uri())
    page.wait_for_load_state("load")
    units = page.eval_on_selector_all("svg g.node.agency text", "els => els.map(e => e.textContent)")
    assert len({u.split(" ×")[0] for u in units}) >= 25
    headings = page.eval_on_selector_all("svg g.panel text", "els => els.map(e => e.textContent)")
    assert len(headings) == 5 and all(h.startswith("绵阳市推进供给侧结构性改革") for h in headings)
    boxes = page.eval_on_selector_all(
        "svg g.node rect", "rs => rs.map(r => { const b = r.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; })")
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]]
    assert not overlaps, f"{len(overlaps)} node boxes overlap"
    # text at its size: the picture is not shrunk to fit (13 px labels stay >= 12 px on screen)
    scale = page.evaluate("""() => { const s = document.querySelector('div.figure svg');
        return s.getBoundingClientRect().width / s.viewBox.baseVal.width; }""")
    assert scale >= 0.92
    # no two edges between the same two columns cross
    ends = page.eval_on_selector_all("svg path.edge", """ps => ps.map(p => { const l = p.getTotalLength();
        const a = p.getPointAtLength(0), b = p.getPointAtLength(l); return [a.x, a.y, b.x, b.y]; })""")
    assert len(ends) >= 40
    crossing = sum(1 for i, (ax, ay, bx, by) in enumerate(ends) for (cx, cy, dx, dy) in ends[i + 1:]
                   if abs(ax - cx) < 1 and abs(bx - dx) < 1 and (ay - cy) * (by - dy) < 0)
    assert crossing == 0, f"{crossing} pairs of edges cross"
    svg = page.locator("div.figure svg")
    svg.screenshot(path=str(ARTIFACTS / "reform-large-figure.png"))
    assert (ARTIFACTS / "reform-large-figure.png").stat().st_size > 50_000
    page.close()
