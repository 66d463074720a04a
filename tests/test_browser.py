"""End to end in a real headless Chromium (Debian's, driven by Playwright), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HERALD_ARTICLE = """Bridge tolls to double

The council approved a disgraceful plan on Monday that will double bridge tolls.
"These traitors have no shame," said Mara Lind, who leads the drivers' association.
Officials warned of chaos on the ferries if nothing is done.
"""

COURIER_ARTICLE = """Ferry timetable changes

A catastrophic week for the ferry company ended with a new timetable.
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        require_service("Chromium", "a browser at /usr/bin/chromium (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def server(store_url: str, use_fake_tagger) -> Iterator[str]:
    """The workbench on a free loopback port, served by uvicorn in a thread."""
    import uvicorn

    from propscope.web.app import Settings, create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(db_url=store_url)), host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server)
    page = context.new_page()
    yield page
    context.close()


def paste(page, text: str, outlet: str, date: str) -> None:
    page.goto("/")
    page.fill("#text", text)
    page.fill("input[name=outlet]", outlet)
    page.fill("input[name=date]", date)
    page.click("button[type=submit]")
    page.wait_for_url("**/articles/*")


def visible_marks(page) -> list[str]:
    return page.eval_on_selector_all(
        "mark[data-span]:not(.hidden)", "marks => marks.map(m => m.dataset.technique + ':' + m.textContent)"
    )


def test_paste_see_highlights_filter_and_slide(page):
    paste(page, HERALD_ARTICLE, "Herald", "2026-05-04")
    assert page.locator("h1").inner_text() == "Bridge tolls to double"
    assert visible_marks(page) == [
        "Loaded_Language:disgraceful1",
        "Name_Calling,Labeling:traitors2",
        "Appeal_to_fear-prejudice:chaos3",
    ]
    # the quoted name-calling is attributed to its speaker, each with how sure that is
    assert re.search(r"quoted \(\d+%\): Mara Lind \(\d+%\)", page.locator("tr[data-span='2']").inner_text())
    shaded = "".join(page.locator(".propaganda-sentence").all_text_contents())
    assert "The council approved" in shaded and "Officials warned of" in shaded and "Bridge tolls" not in shaded

    page.focus("mark[data-span='2']")
    assert "Name calling" in page.locator("#span-details").inner_text()

    page.uncheck("input[data-filter-technique='Loaded_Language']")
    assert [m.split(":")[0] for m in visible_marks(page)] == ["Name_Calling,Labeling", "Appeal_to_fear-prejudice"]
    assert not page.locator("tr[data-span='1']").is_visible()
    page.check("input[data-filter-technique='Loaded_Language']")
    assert len(visible_marks(page)) == 3

    # the fake model is 90 % sure of every span
    page.fill("#min-confidence", "0.95")
    assert visible_marks(page) == [] and page.locator("#min-confidence-value").inner_text() == "0.95"
    page.fill("#min-confidence", "0.5")
    assert len(visible_marks(page)) == 3


def test_corpus_search_and_dashboard_compares_two_outlets(page):
    paste(page, HERALD_ARTICLE, "Herald", "2026-05-04")
    paste(page, COURIER_ARTICLE, "Courier", "2026-06-01")

    page.goto("/articles")
    page.fill("input[name=q]", "toll")
    page.click("text=Search")
    assert page.locator("#articles tbody tr").all_inner_texts()[0].startswith("Bridge tolls to double")
    assert page.locator("#articles tbody tr").count() == 1

    page.goto("/dashboard")
    page.select_option("select[name=a]", "Herald")
    page.select_option("select[name=b]", "Courier")
    page.click("text=Compare")
    page.wait_for_url("**/dashboard?a=Herald&b=Courier*")
    herald = page.get_by_role("img", name="Techniques used by Herald")
    courier = page.get_by_role("img", name="Techniques used by Courier")
    assert herald.is_visible() and courier.is_visible()
    # each side shows its own techniques: the bar labels inside the charts
    assert "Loaded language" in herald.text_content() and "Loaded language" not in courier.text_content()
