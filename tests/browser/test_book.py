"""The rendered book in a real browser: every page in the TOC loads, draws its figures, renders its widgets, and
asks nothing of the internet."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import yaml

from tests.browser.conftest import ROOT

# Page errors a Jupyter Book 1.x page is known to raise that do not affect the reader. Keep this list short and
# say why each entry is harmless.
ALLOWED_PAGE_ERRORS = [
    # sphinx-thebe declares this constant in a script that the theme includes twice on some pages.
    "Identifier 'THEBE_JS_URL' has already been declared",
]


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))
            for part in entry.get("parts", []):
                walk(part.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return pages


PAGES = toc_pages()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about", "file"} or parsed.hostname in {"127.0.0.1", "localhost"}


@pytest.fixture
def open_page(browser, book_url):
    contexts = []

    def _open(page_path: str):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        report = {"external": [], "errors": [], "failed": []}

        def route(r):
            if is_local(r.request.url):
                r.continue_()
            else:
                report["external"].append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda exc: report["errors"].append(str(exc)))
        page.on(
            "requestfailed",
            lambda req: is_local(req.url) and report["failed"].append(f"{req.url} ({req.failure})"),
        )
        page.on(
            "response",
            lambda resp: resp.status >= 400 and report["failed"].append(f"{resp.url} (HTTP {resp.status})"),
        )
        response = page.goto(f"{book_url}/{page_path}.html", wait_until="load")
        assert response is not None and response.ok, f"{page_path}: HTTP {response and response.status}"
        return page, report

    yield _open
    for context in contexts:
        context.close()


def test_toc_lists_real_chapters():
    assert PAGES[0] == "chapters/00-preface"
    for page in PAGES:
        assert (ROOT / page).with_suffix(".ipynb").exists() or (ROOT / page).with_suffix(".md").exists(), page


def test_index_redirects_to_the_preface(browser, book_url):
    page = browser.new_page()
    page.goto(f"{book_url}/index.html")
    page.wait_for_url("**/chapters/00-preface.html")
    assert "Preface" in page.title()
    page.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_and_draws_everything(open_page, page_path, artifacts):
    page, report = open_page(page_path)
    shot = artifacts / f"book-{page_path.replace('/', '-')}.png"
    try:
        _check_page(page, report, page_path)
    except BaseException:
        # The whole page, to see what failed (a full-page screenshot of a long chapter takes ~5 s: only on failure).
        page.screenshot(path=str(shot), full_page=True)
        raise
    page.screenshot(path=str(shot))


def _check_page(page, report, page_path):
    """Every figure drew, every widget rendered, nothing was asked of the internet, no request failed, no error."""
    figures = page.locator("div.plotly-graph-div")
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        figure.locator("svg.main-svg").first.wait_for(state="attached", timeout=15_000)
        # scatter, bar, ... traces are g.trace groups; a heatmap is a g.hm group holding the image it painted. A
        # diagram with no traces (shapes and annotations only) must have drawn those instead.
        if figure.evaluate("gd => gd.data.length") > 0:
            drawn = figure.locator("g.trace, g.hm image")
            assert drawn.count() > 0, f"{page_path}: figure {i} drew no trace"
        else:
            expected = figure.evaluate("gd => (gd.layout.shapes || []).length + (gd.layout.annotations || []).length")
            drawn = figure.locator(".shapelayer path, g.annotation")
            assert expected > 0 and drawn.count() >= expected, f"{page_path}: figure {i} (a diagram) drew nothing"

    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]')
    for i in range(views.count()):
        # The HTML manager renders each view next to its script tag; a view with no kernel behind it may be marked
        # jupyter-widgets-disconnected instead of jupyter-widgets.
        output = views.nth(i).locator("xpath=..")
        output.locator(".jupyter-widgets, .jupyter-widgets-disconnected").first.wait_for(
            state="attached", timeout=15_000
        )

    # Every figure has drawn and every widget rendered by now: whatever the page asked for, it asked already.
    errors = [e for e in report["errors"] if not any(allowed in e for allowed in ALLOWED_PAGE_ERRORS)]
    assert report["external"] == [], f"{page_path} asked the internet for: {report['external']}"
    assert report["failed"] == [], f"{page_path}: local requests failed: {report['failed']}"
    assert errors == [], f"{page_path}: page errors: {errors}"


def test_preface_has_a_figure_and_a_widget(open_page):
    """The preface shows both kinds of interactive output, so the checks above are not vacuous."""
    page, _ = open_page("chapters/00-preface")
    assert page.locator("div.plotly-graph-div").count() >= 1
    assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() >= 1
    page.locator(".widget-slider").first.wait_for(state="attached", timeout=15_000)
    # glue put the model's numbers into the prose
    text = page.locator("main").inner_text()
    assert "never more than 13 Pods" in text and "never fewer than 8 available" in text


def test_figure_slider_moves_frames(open_page):
    """Clicking a step of the kernel-free figure's slider shows that step's frame."""
    page, _ = open_page("chapters/00-preface")
    figure = page.locator("div.plotly-graph-div").first
    figure.scroll_into_view_if_needed()
    figure.locator("g.slider-container").wait_for(state="attached", timeout=15_000)

    def first_trace_y():
        return figure.evaluate("gd => gd.data[0].y.slice()")

    before = first_trace_y()
    steps = figure.locator("g.slider-container g.slider-step-label-group text, g.slider-container .slider-label")
    figure.locator("g.slider-container").scroll_into_view_if_needed()
    # the last step is 100%: click its label on the slider's rail
    labels = figure.locator("g.slider-container text.slider-label")
    assert labels.count() >= 1 or steps.count() >= 1
    rail = figure.locator("g.slider-container rect.slider-rail-rect").first
    box = rail.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "([id, before]) => JSON.stringify(document.getElementById(id).data[0].y) !== JSON.stringify(before)",
        arg=[figure.get_attribute("id"), before],
        timeout=10_000,
    )
    assert first_trace_y() != before


def test_korean_terms_have_a_font_served_by_the_book(open_page):
    """The glossary's Korean terms render even where the reader has no Hangul font: the book serves Noto Sans KR."""
    page, report = open_page("chapters/99-glossary")
    assert "원하는 상태" in page.locator("main").inner_text()
    loaded = page.evaluate(
        "async () => (await document.fonts.load(\"16px 'Noto Sans KR'\", '원하는 상태')).map(f => f.status)"
    )
    assert loaded and set(loaded) == {"loaded"}, loaded
    assert report["external"] == [] and report["failed"] == []


def test_hover_shows_a_steps_details(open_page):
    """Hovering over a step of the tour's sequence diagram shows who did what (the trace's hover text)."""
    page, _ = open_page("chapters/01-a-tour-of-the-cluster")
    figure = page.locator("div.plotly-graph-div").filter(has_text="One kubectl apply").first
    figure.scroll_into_view_if_needed()
    point = figure.locator("g.trace.scatter g.points path").first
    point.wait_for(state="attached", timeout=15_000)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = figure.locator("g.hoverlayer g.hovertext")
    label.first.wait_for(state="attached", timeout=10_000)
    text = label.first.text_content() or ""
    assert "kubectl" in text and "create deployments.apps default/web" in text, text


def test_play_button_steps_through_a_run_of_the_model(open_page):
    """The kernel-free twin of the dashboard: play moves the node-failure story forward frame by frame."""
    page, _ = open_page("chapters/01-a-tour-of-the-cluster")
    figure = page.locator("div.plotly-graph-div").filter(has_text="▶ play").first
    figure.scroll_into_view_if_needed()
    figure.locator("g.updatemenu-container").wait_for(state="attached", timeout=15_000)
    title = figure.locator("g.infolayer .gtitle")
    before = title.text_content()
    figure.locator("g.updatemenu-button", has_text="▶ play").click()
    page.wait_for_function(
        "([id, before]) => document.getElementById(id).querySelector('.gtitle').textContent !== before",
        arg=[figure.get_attribute("id"), before],
        timeout=15_000,
    )
    assert title.text_content() != before
