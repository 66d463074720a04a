"""End to end in a real headless Chromium (Debian's, driven by Playwright), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from propscope.techniques import TECHNIQUE_IDS
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
    # the legend still says how many spans the technique has, hidden or not
    assert page.locator("[data-count-technique='Loaded_Language']").inner_text() == "1"
    page.check("input[data-filter-technique='Loaded_Language']")
    assert len(visible_marks(page)) == 3

    # the fake model is 90 % sure of every span
    page.fill("#min-confidence", "0.95")
    assert visible_marks(page) == [] and page.locator("#min-confidence-value").inner_text() == "95%"
    assert page.locator("[data-count-technique='Loaded_Language']").inner_text() == "0"
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


#: written for these tests: one flagged word in each paragraph, long enough to scroll at 1280 x 600
LONG_ARTICLE = "Harbour board under fire\n\n" + "\n\n".join(
    f"At the {n}th hearing the board defended its disgraceful plan for the quay, and the residents who"
    " had waited outside since the morning said the harbour would be left in chaos if the dredging went"
    " ahead without a study of the tides, the moorings and the fishing grounds beyond the breakwater."
    for n in range(4, 16)
)

#: a word for every technique, so that the dashboard's technique mix has a column for each
WORD_PER_TECHNIQUE = {f"flagword{index}": technique_id for index, technique_id in enumerate(TECHNIQUE_IDS)}
EVERY_TECHNIQUE_ARTICLE = f"Every technique\n\nThe {' '.join(WORD_PER_TECHNIQUE)} sentence.\n"


def paste_every_technique(page, monkeypatch) -> None:
    """An article with a span of every technique, from a fake model that knows a word for each."""
    monkeypatch.setattr("tests.conftest.LEXICON", WORD_PER_TECHNIQUE)
    paste(page, EVERY_TECHNIQUE_ARTICLE, "Herald", "2026-05-04")


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize("width", [1280, 390])
def test_hovering_a_fragment_never_moves_the_text(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    paste(page, HERALD_ARTICLE, "Herald", "2026-05-04")
    # the pointer, left where the form's button was, may already rest on a fragment
    page.mouse.move(0, 0)
    page.reload()
    details_before, mark_before = box(page, "#span-details"), box(page, "mark[data-span='3']")
    page.hover("mark[data-span='3']")
    # the box now describes the fragment, with its definition: several lines at any width
    assert "Appeal to fear" in page.locator("#span-details").inner_text()
    assert box(page, "mark[data-span='3']") == mark_before
    assert box(page, "#span-details")["height"] == details_before["height"]


def test_a_fragment_focused_backwards_is_never_under_the_details_box(page):
    page.set_viewport_size({"width": 1280, "height": 600})
    paste(page, LONG_ARTICLE, "Herald", "2026-05-04")
    focusable = page.locator(".text mark[tabindex]")
    last = focusable.count()
    assert last > 10
    focusable.nth(last - 1).focus()
    for number in range(last, 0, -1):
        assert page.evaluate("document.activeElement.dataset.span") == str(number)
        mark, details = box(page, f"mark[data-span='{number}'][tabindex]"), box(page, "#span-details")
        assert mark["y"] >= details["y"] + details["height"], f"mark {number} is under the details box"
        assert mark["y"] + mark["height"] <= 600, f"mark {number} is below the window"
        page.keyboard.press("Shift+Tab")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("path", ["/", "/articles", "/dashboard", "/echo", "/techniques", "article"])
def test_no_page_is_wider_than_a_phone(page, monkeypatch, path):
    page.set_viewport_size({"width": 390, "height": 844})
    paste_every_technique(page, monkeypatch)
    paste(page, COURIER_ARTICLE, "Courier", "2026-06-01")
    if path != "article":
        page.goto(path)
    assert page_width(page) <= 390, f"{path} scrolls sideways"


def test_a_table_too_wide_scrolls_in_its_own_box_with_a_cue(page, monkeypatch):
    page.set_viewport_size({"width": 1280, "height": 800})
    paste_every_technique(page, monkeypatch)
    page.goto("/dashboard")
    assert page_width(page) <= 1280
    scroller = page.locator("#technique-mix").locator("xpath=..")
    sizes = scroller.evaluate("box => [box.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto", "the table should be wider than its box, which scrolls"
    # the shadow at the edge with more to see
    assert "gradient" in scroller.evaluate("box => getComputedStyle(box).backgroundImage")


def test_each_legend_label_stays_on_one_line(page):
    page.set_viewport_size({"width": 390, "height": 844})
    paste(page, HERALD_ARTICLE, "Herald", "2026-05-04")
    lines = page.eval_on_selector_all("#controls label", "labels => labels.map(l => l.getClientRects().length)")
    assert lines and set(lines) == {1}
