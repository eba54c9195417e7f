"""A chapter in a real JupyterLab: open it, Run All, move a slider, see the output change."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.browser.conftest import ROOT

CHAPTER = "00-preface.ipynb"
TOUR = "01-a-tour-of-the-cluster.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(jupyter, tmp_path):
    """JupyterLab on 127.0.0.1, no token, on a copy of the chapter (so autosave never touches the repo)."""
    work = tmp_path / "chapters"
    work.mkdir()
    for chapter in (CHAPTER, TOUR):
        shutil.copy(ROOT / "chapters" / chapter, work / chapter)
    port = free_port()
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    cmd = [
        jupyter, "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", "--allow-root",
        "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={work}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    # No "get notified about Jupyter news?" prompt (it would cover the notebook and ask the internet), and no
    # "Select Kernel" dialog when Run All comes before the kernel has started (the notebook's own kernel starts), and
    # every cell rendered (JupyterLab 4 by default renders only the cells near the viewport).
    settings = tmp_path / "settings" / "@jupyterlab"
    for extension, name, value in [
        ("apputils-extension", "notification", '{"fetchNews": "false"}'),
        ("notebook-extension", "tracker", '{"autoStartDefaultKernel": true, "windowingMode": "none"}'),
    ]:
        (settings / extension).mkdir(parents=True, exist_ok=True)
        (settings / extension / f"{name}.jupyterlab-settings").write_text(value)
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.3)
    yield url
    server.send_signal(signal.SIGTERM)  # shuts the server and its kernels down
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


def test_run_all_and_move_a_slider(browser, lab, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        run_all_and_move_the_slider(page, lab)
    finally:  # what JupyterLab showed, pass or fail
        page.screenshot(path=str(artifacts / "jupyterlab-preface.png"))
        context.close()


def run_all_and_move_the_slider(page, lab):
    page.goto(f"{lab}/lab/tree/{CHAPTER}")
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)

    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()

    handle = page.locator(".widget-slider .noUi-handle").first
    handle.wait_for(state="attached", timeout=60_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
    handle.scroll_into_view_if_needed()
    handle.wait_for(state="visible", timeout=10_000)
    result = page.locator(".widget-html-content", has_text="A rolling update of").first
    before = result.inner_text()
    assert "of 10 Pods may run up to 13 Pods" in before

    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.widget-html-content')]"
        ".some(e => e.innerText.includes('of 11 Pods may run up to 14 Pods'))",
        timeout=20_000,
    )
    assert result.inner_text() != before

    # The figure renders from the plotly mimetype through JupyterLab's own plotly extension.
    figure = page.locator(".jp-OutputArea-output.js-plotly-plot").first
    figure.scroll_into_view_if_needed()
    figure.locator("svg.main-svg").first.wait_for(state="visible", timeout=30_000)


def test_dashboard_fail_node_changes_the_topology(browser, lab, artifacts):
    """The tour's dashboard in JupyterLab: fail a node, run the clock, and the topology figure (a FigureWidget,
    updated in place) shows the node NotReady."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    try:
        page.goto(f"{lab}/lab/tree/{TOUR}")
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        fail = page.locator(".widget-button", has_text="fail").first
        fail.wait_for(state="attached", timeout=90_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)
        dashboard = fail.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][last()]")
        title = dashboard.locator("g.infolayer .gtitle").first
        title.wait_for(state="attached", timeout=30_000)
        assert "3 Nodes (3 Ready)" in (title.text_content() or "")

        fail.scroll_into_view_if_needed()
        fail.click()  # the node picker's first node, crashed
        dashboard.locator(".widget-toggle-button", has_text="1m").first.click()
        dashboard.locator(".widget-button", has_text="run the clock").first.click()
        # the redraw puts a new figure in the dashboard: look the title up again
        title = dashboard.locator("g.infolayer .gtitle", has_text="(2 Ready)").first
        title.wait_for(state="attached", timeout=20_000)
        assert "3 Nodes (2 Ready)" in (title.text_content() or "")
        assert dashboard.locator(".shapelayer path[style*='dash']").count() >= 1  # the NotReady node's box
        assert "2/3 Nodes Ready" in dashboard.locator(".widget-html-content").first.inner_text()
    finally:
        page.screenshot(path=str(artifacts / "jupyterlab-dashboard.png"))
        (artifacts / "jupyterlab-dashboard-console.txt").write_text("\n".join(console))
        context.close()
