"""The HTML export opened in headless Chromium (Debian's, driven by playwright).

Set POLICYKG_SCREENSHOT=docs/screenshot-sample.png to write the README's screenshot
of the sample page (the test always takes one and checks it is not blank).
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import networkx as nx
import pytest
from test_export import EVIL_TEXT, require_tool

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
KW = "https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会"  # 区科委

# records what the page does that it must not: network requests, CSP violations, dialogs, script errors
_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def evil_kg():
    from policykg import KnowledgeGraph

    with KnowledgeGraph(None) as kg:
        kg.ingest_text(EVIL_TEXT, source="evil.txt")
        yield kg


@pytest.fixture(scope="module")
def browser():
    exe = require_tool("chromium") if shutil.which("chromium") else require_tool("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("POLICYKG_REQUIRE_TOOLS") == "1":
            pytest.fail("playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page opened from a file, with everything it tried to do recorded."""

    def __init__(self, browser, data: bytes, path: Path) -> None:
        path.write_bytes(data)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.console.append(m.text))
        self.page.add_init_script(_WATCH)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def search(self, text: str) -> list[str]:
        self.page.fill("#search", text)
        return self.page.locator("#matches li").all_inner_texts()

    def check_clean(self) -> None:
        """No network request, no blocked content, no dialog, no script error."""
        assert all(u.startswith(("file://", "data:")) for u in self.requests), self.requests
        assert self.js("() => window.__csp") == []
        assert not [m for m in self.console if "Content Security Policy" in m]
        assert self.dialogs == [] and self.errors == []


def painted_pixels(p: Page) -> int:
    return p.js("""() => {
        const c = document.querySelector("#graph canvas");
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")


def test_export_browser_sample_page_renders_searches_and_shows_cards(browser, sample_kg, tmp_path):
    g = sample_kg.to_networkx()
    p = Page(browser, sample_kg.export("html"), tmp_path / "sample.html")
    assert p.js("() => [policykg.nodes, policykg.edges]") == [g.number_of_nodes(), g.number_of_edges()]
    assert painted_pixels(p) > 20000
    legend = p.page.locator("#legend li").all_inner_texts()
    assert any("政府部门" in t for t in legend) and len(legend) == len({a["type"] for _, a in g.nodes(data=True)})

    # search finds a node and Enter opens its card with its neighbours
    assert any("区科委" in m for m in p.search("区科委"))
    p.page.keyboard.press("Enter")
    assert p.page.inner_text("#card-title") == "区科委"
    assert p.page.locator("#card-neighbours li").count() == g.degree(KW)
    assert "上海市普陀区科学技术委员会" in p.page.inner_text("#card-attrs")

    # a click on a drawn node shows that node's card
    action = next(n for n, a in g.nodes(data=True) if a["type"] == "Action" and a.get("path") == "2.1.3")
    p.js("id => policykg.network.focus(id, {scale: 2.5, animation: false})", action)
    xy = p.js("id => policykg.positionOf(id)", action)
    p.page.mouse.click(xy["x"], xy["y"])
    assert p.page.inner_text("#card-title") == f"2.1.3 {g.nodes[action]['label']}"
    # … and a neighbour in the card leads on to that node
    p.page.locator("#card-neighbours button", has_text="区金融办").first.click()
    assert p.page.inner_text("#card-title") == "区金融办"

    # the README's screenshot: the whole graph with 区科委's card open
    p.search("区科委")
    p.page.keyboard.press("Enter")
    p.js("() => policykg.network.fit({animation: false})")
    p.page.mouse.move(5, 890)
    shot = Path(os.environ.get("POLICYKG_SCREENSHOT") or tmp_path / "screenshot.png")
    p.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
    p.check_clean()


def test_export_browser_script_injection_title_stays_text(browser, evil_kg, tmp_path):
    p = Page(browser, evil_kg.export("html"), tmp_path / "evil.html")
    assert p.page.inner_text("#title") == "<script>alert(1)</script>"
    assert p.page.title() == "<script>alert(1)</script>"
    hits = p.search("<img")
    assert hits and "<img src=x onerror=alert(2)>" in hits[0]
    p.page.keyboard.press("Enter")
    assert p.page.inner_text("#card-title") == "1.2 @SUM(1+1) 平台\\建设<img src=x onerror=alert(2)>"
    p.search("<script>")
    p.page.keyboard.press("Enter")
    assert p.page.inner_text("#card-title") == "<script>alert(1)</script>"
    assert p.js("() => [document.scripts.length, document.images.length]") == [3, 0]
    p.page.wait_for_timeout(300)  # a dialog from an onerror handler would have fired by now
    p.check_clean()


def test_export_browser_large_graph_stays_usable(browser, tmp_path):
    from policykg.graph.export_html import to_html

    rng = random.Random(7)
    g = nx.MultiDiGraph(title="1,200 nodes", selection="")
    kinds = ["Action", "Target", "GovernmentBody", "Section", "Platform"]
    for i in range(1200):
        g.add_node(f"https://example.org/n{i}", label=f"节点{i}", type=rng.choice(kinds),
                   document="https://example.org/d")
    for i in range(1, 1200):
        g.add_edge(f"https://example.org/n{i}", f"https://example.org/n{rng.randrange(i)}", key="isPartOf",
                   label="part of", label_zh="隶属", predicate="http://purl.org/dc/terms/isPartOf")
    p = Page(browser, to_html(g), tmp_path / "large.html")
    assert p.js("() => policykg.nodes") == 1200
    assert painted_pixels(p) > 20000
    assert p.search("节点1199")[0].endswith("节点1199")
    p.page.keyboard.press("Enter")
    assert p.page.inner_text("#card-title") == "节点1199"
    p.check_clean()
