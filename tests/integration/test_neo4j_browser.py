"""Neo4j Browser, seen in a real browser: style, guide and saved queries of ``neo4j/``.

The browser test builds the seed into the local Neo4j, opens Neo4j Browser
(http://127.0.0.1:7474/browser/) in headless Chromium (Debian's ``/usr/bin/chromium``,
driven by Playwright), connects with the form, checks that the server applied the
policykg style at connect, drops ``neo4j/policykg.grass`` on the window as the README
says, opens ``neo4j/guide.html`` with ``:guide``, runs a query and checks the nodes
drawn in the graph view (colours and captions of the style). It saves
``artifacts/neo4j-browser.png``.

Nothing here skips: no Chromium, no Playwright or no Neo4j FAILS the tests
(``make browser-deps`` installs Chromium; ``pip install -e '.[test]'`` Playwright).
"""
from __future__ import annotations

import html
import importlib.util
import json
import re
import tempfile
import time
from pathlib import Path

import pytest

try:  # `tests` importable as a (namespace) package, or this directory on sys.path
    from tests.integration.neo4j_fixtures import neo4j_driver, neo4j_settings  # noqa: F401
except ImportError:  # pragma: no cover
    from neo4j_fixtures import neo4j_driver, neo4j_settings  # noqa: F401

from policykg.config import BUNDLED_GAZETTE, PROJECT_ROOT
from interface.services import neo4j_browser, neo4j_server

NEO4J_DIR = PROJECT_ROOT / "neo4j"
GRASS = NEO4J_DIR / "policykg.grass"
GUIDE = NEO4J_DIR / "guide.html"
SAVED = NEO4J_DIR / "saved-queries.cypher"
SCREENSHOT = PROJECT_ROOT / "artifacts" / "neo4j-browser.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
QUERY = "MATCH (a:Agency)-[r:LEADS]->(t:Task) WHERE t.title CONTAINS '税收优惠' RETURN a,r,t"

#: label → (colour, caption property) that the style must give (issue 5, item 4)
STYLE = {
    "Document": ("#4C8EDA", "title"), "Provision": ("#B4BAC5", "path"), "Task": ("#F79767", "title"),
    "Agency": ("#8E6BB8", "name"), "Target": ("#57C785", "text"), "Deadline": ("#F16667", "text"),
    "CitedDocument": ("#FFC454", "key"), "Sector": ("#D9C8AE", "name"), "Jurisdiction": ("#4DC3C3", "name"),
}


def saved_queries() -> dict[str, str]:
    """``{name: statement}`` of saved-queries.cypher (blocks start with ``// name:``)."""
    out: dict[str, str] = {}
    for block in re.split(r"^// name: ", SAVED.read_text(encoding="utf-8"), flags=re.M)[1:]:
        lines = block.splitlines()
        body = "\n".join(ln for ln in lines[1:] if not ln.lstrip().startswith("//")).strip()
        assert body.endswith(";"), f"saved query {lines[0]!r} does not end with ';'"
        out[lines[0].strip()] = body
    return out


def guide_queries() -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<pre class="code runnable">(.*?)</pre>',
                                                 GUIDE.read_text(encoding="utf-8"), flags=re.S)]


def load_serve_module():
    """neo4j/serve.py, loaded from its path (the folder is not a package: `neo4j` is the driver)."""
    spec = importlib.util.spec_from_file_location("policykg_neo4j_guide_server", NEO4J_DIR / "serve.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------- files (no server)

def test_grass_gives_every_label_its_colour_and_caption():
    rules = neo4j_browser.parse_grass(GRASS.read_text(encoding="utf-8"))
    for label, (colour, caption) in STYLE.items():
        rule = rules[f"node.{label}"]
        assert rule["color"] == colour and rule["caption"] == "{" + caption + "}", label
    # node.Entity comes before the labels, so their rules win (Browser applies rules in order),
    # and Browser never appends a generated Entity colour after them
    order = list(rules)
    assert all(order.index("node.Entity") < order.index(f"node.{lb}") for lb in STYLE)
    # Browser's own grass parser has no comments: a comment would become part of a selector
    assert all(re.fullmatch(r"(node|relationship)(\.\w+)?", sel) for sel in rules), order


def test_neo4j_conf_applies_the_style_at_connect():
    conf = neo4j_server.neo4j_conf()
    line = next(ln for ln in conf.splitlines() if ln.startswith("browser.post_connect_cmd="))
    cmd = line.split("=", 1)[1]
    assert cmd.startswith("style {") and ";" not in cmd  # Browser splits the setting at ';'
    assert json.loads(cmd[len("style "):]) == neo4j_browser.parse_grass(GRASS.read_text(encoding="utf-8"))
    assert "browser.remote_content_hostname_whitelist=guides.neo4j.com,localhost,127.0.0.1" in conf
    assert "client.allow_telemetry=false" in conf


def test_guide_runs_the_saved_queries():
    saved = {re.sub(r"\s+", " ", q) for q in saved_queries().values()}
    shown = [re.sub(r"\s+", " ", q) for q in guide_queries()]
    assert len(shown) >= 10
    missing = [q[:80] for q in shown if q not in saved]
    assert not missing, f"guide.html has queries that saved-queries.cypher lacks: {missing}"
    text = GUIDE.read_text(encoding="utf-8")
    assert text.count("<slide") >= 5 and "<title>" in text
    for topic in ("A plan and its tasks", "One agency's workload", "What cites 财税〔2015〕119号"):
        assert topic in text


# --------------------------------------------------------------------------- Neo4j

@pytest.fixture(scope="module")
def seed_in_neo4j(neo4j_driver):  # noqa: F811 - the fixture imported above
    from graph_api import PolicyGraph

    with tempfile.TemporaryDirectory() as home:
        g = PolicyGraph("embedded", home=Path(home))
        try:
            report = g.build([BUNDLED_GAZETTE], also=["neo4j"])
        finally:
            g.close()
    assert report.tasks > 100
    return neo4j_driver


@pytest.mark.integration
def test_saved_queries_answer_on_the_seed(seed_in_neo4j):
    queries = saved_queries()
    assert {"policykg - a plan and its tasks", "policykg - one agency's workload",
            "policykg - what cites 财税〔2015〕119号"} <= set(queries)
    for name, q in queries.items():
        records, _, _ = seed_in_neo4j.execute_query(q.rstrip(";"), routing_="r")
        assert records, f"saved query {name!r} returns nothing on the seed"
    cites = seed_in_neo4j.execute_query(queries["policykg - what cites 财税〔2015〕119号"].rstrip(";")).records
    assert any(r["x"]["title"] == "落实税收优惠" and r["a"] is not None and r["a"]["name"] == "绵阳市财政局"
               for r in cites)


@pytest.mark.integration
@pytest.mark.browser
def test_neo4j_browser_shows_the_graph(seed_in_neo4j, neo4j_settings):  # noqa: F811
    t0 = time.monotonic()
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make browser-deps` (apt-get install chromium chromium-driver "
                    "fonts-noto-cjk)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"the Python package playwright is missing ({exc}): pip install -e '.[test]'", pytrace=False)

    # The running server must have the conf that applies the style at connect.
    expected_cmd = neo4j_browser.post_connect_cmd()
    client_config = {r["name"]: r["value"] for r in seed_in_neo4j.execute_query(
        "CALL dbms.clientConfig() YIELD name, value RETURN name, value").records}
    assert client_config.get("browser.post_connect_cmd") == expected_cmd, (
        "the running Neo4j does not apply neo4j/policykg.grass at connect; restart it "
        "(python -m interface.services neo4j stop; python -m interface.services neo4j start)")

    serve = load_serve_module()
    guide_server, _ = serve.serve_in_thread(0)
    guide_url = f"http://localhost:{guide_server.server_address[1]}/guide.html"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            try:
                page = ctx.new_page()
                page.set_default_timeout(20_000)

                def run(command: str) -> None:
                    page.get_by_test_id("activeEditor").click()
                    page.keyboard.insert_text(command)  # no key events: Monaco adds no brackets
                    page.get_by_test_id("editor-Run").click()

                def frame(command_prefix: str):
                    return page.locator("[data-testid=frame]").filter(
                        has=page.locator("[data-testid=frameCommand]", has_text=command_prefix)).first

                page.goto(neo4j_server.browser_url())
                # the connect form of :server connect
                page.get_by_test_id("bolt-scheme-select").select_option("bolt://")
                page.get_by_test_id("boltaddress").fill(neo4j_settings.uri.split("://", 1)[1])
                page.get_by_test_id("username").fill(neo4j_settings.user)
                page.get_by_test_id("password").fill(neo4j_settings.password)
                page.get_by_test_id("connect").click()
                page.get_by_text("You are connected as user").wait_for()

                # browser.post_connect_cmd ran `:style {…}` right after the connect
                frame(":style {").wait_for()
                # the README way: drop policykg.grass on the window (Browser's own grass parser)
                run(":style reset")
                frame(":style reset").wait_for()
                page.evaluate(
                    """(text) => {
                        const dt = new DataTransfer();
                        dt.items.add(new File([text], 'policykg.grass', {type: 'text/plain'}));
                        document.querySelector('.filedrop').dispatchEvent(
                            new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
                    }""", GRASS.read_text(encoding="utf-8"))
                style_frame = page.locator("[data-testid=frame]").filter(
                    has=page.locator("[data-testid=frameCommand]", has_text=re.compile(r":style\s*$"))).first
                style_frame.get_by_text("node.Agency").wait_for()
                assert "#8E6BB8" in style_frame.inner_text()

                # the guide, in the sidebar
                run(f":guide {guide_url}")
                page.get_by_text("policykg in Neo4j Browser").first.wait_for()
                assert page.locator("pre.runnable", has_text="CALL db.schema.visualization()").count() == 1

                # the query, drawn as a graph
                run(QUERY)
                result = frame("MATCH (a:Agency)")
                result.locator("svg g.node").first.wait_for()
                page.wait_for_timeout(1500)  # let the force layout settle, then fit it in the frame
                result.get_by_label("Collapse the node properties display").click()
                result.locator("[aria-label=zoom-to-fit]").click()
                page.wait_for_timeout(700)
                # the clicks scroll the stream; bring the result frame (the newest, on top) back in view
                page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
                page.wait_for_timeout(300)
                nodes = result.locator("svg g.node").evaluate_all(
                    """els => els.map(e => ({
                        fill: e.querySelector('circle.b-outline').getAttribute('fill'),
                        caption: e.querySelector('text.caption') ? e.querySelector('text.caption').textContent : ''}))""")
                page.screenshot(path=str(SCREENSHOT))
            finally:
                ctx.close()
    finally:
        guide_server.shutdown()
        guide_server.server_close()

    assert len(nodes) >= 4, nodes  # 2 agencies, 3 tasks on the seed
    fills = {n["fill"].upper() for n in nodes}
    assert {STYLE["Agency"][0], STYLE["Task"][0]} <= fills, nodes
    captions = " ".join(n["caption"] for n in nodes)
    assert "绵阳市财政局" in captions, nodes  # Agency captioned by its name (CJK rendered)
    assert SCREENSHOT.is_file() and SCREENSHOT.stat().st_size > 10_000
    assert time.monotonic() - t0 < 90
