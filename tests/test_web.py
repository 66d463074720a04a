"""The workbench through its HTTP interface, with the fake tagger."""

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from propscope.errors import InputError, ModelError, StoreError
from propscope.store.database import Store
from propscope.web.app import Settings, create_app

HOSTILE = (
    'A <script>alert(1)</script> headline\n\nThe disgraceful plan <img src=x onerror="alert(2)"> '
    'was <a href="javascript:alert(3)">approved</a>.\n'
)


@pytest.fixture
def client(store_url, use_fake_tagger):
    return TestClient(create_app(Settings(db_url=store_url)))


def test_paste_analyse_and_read_the_article_and_its_json_twin(client):
    response = client.post("/analyze", data={"text": HOSTILE, "outlet": "Herald"}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    page = client.get(location)
    assert page.status_code == 200
    assert (
        "<script>alert(1)" not in page.text and "<img src=x" not in page.text and 'href="javascript:' not in page.text
    )
    assert "&lt;script&gt;" in page.text
    assert 'data-technique="Loaded_Language"' in page.text
    twin = client.get(location + ".json").json()
    assert twin["article"]["source"] == "Herald"
    assert [s["text"] for s in twin["spans"]] == ["disgraceful"]
    assert client.get("/api/articles").json()["articles"][0]["id"] == twin["id"]
    report = client.get(location + "/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert "default-src 'none'" in report.text and "&lt;script&gt;" in report.text and "<script>" not in report.text


def test_api_analyze_stores_once(client):
    first = client.post("/api/analyze", json={"text": "Title\n\nThe traitors left.\n"}).json()
    second = client.post("/api/analyze", json={"text": "Title\n\nThe traitors left.\n"}).json()
    assert first["id"] == second["id"]
    assert len(client.get("/api/articles").json()["articles"]) == 1


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/articles/999", {}, 404),
        ("get", "/api/articles/999", {}, 404),
        ("get", "/api/articles?page=0", {}, 400),
        ("post", "/api/analyze", {"json": {"text": ""}}, 400),
        ("post", "/analyze", {"data": {"text": "   "}}, 400),
        # ids, pages and windows larger than the database's integers or the calendar
        ("get", "/articles/99999999999999999999", {}, 400),
        ("get", "/api/articles/99999999999999999999", {}, 400),
        ("get", "/articles.json?page=99999999999999999999", {}, 400),
        ("post", "/api/articles/99999999999999999999/reanalyze", {}, 400),
        ("get", "/echo.json?window=99999999999d", {}, 400),
        # dates that are no day of the calendar
        ("post", "/api/analyze", {"json": {"text": "T\n\nThe plan.\n", "date": "not-a-date"}}, 400),
        ("post", "/analyze", {"data": {"text": "T\n\nThe plan.\n", "date": "31/12/2024"}}, 400),
        ("get", "/articles.json?date_from=2024-02-30", {}, 400),
        ("get", "/articles.json?date_from=2024-13", {}, 400),
        # a period that ends before it starts
        ("get", "/articles.json?date_from=2024-12-01&date_to=2024-01-01", {}, 400),
        ("get", "/dashboard.json?date_from=2024-12&date_to=2024-01", {}, 400),
        # a NUL character, which no article holds and PostgreSQL cannot store
        ("post", "/api/analyze", {"json": {"text": "T\n\nThe plan.\u0000\n"}}, 400),
        # an outlet name longer than the store keeps, and a misspelt field
        ("post", "/api/analyze", {"json": {"text": "T\n\nThe plan.\n", "outlet": "x" * 300}}, 400),
        ("post", "/api/analyze", {"json": {"text": "T\n\nThe plan.\n", "outlett": "Herald"}}, 400),
    ],
)
def test_bad_requests_get_clear_errors(client, method, path, kwargs, status):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    assert "Traceback" not in response.text


def test_a_body_that_is_not_json_is_said_so(client):
    response = client.post("/api/analyze", content=b'{"text":', headers={"content-type": "application/json"})
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]


def test_oversized_body_is_refused(client):
    response = client.post("/api/analyze", content=b"x" * 3_000_000, headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["ok"] is False

    def chunks():  # no Content-Length: the size is only known while reading
        for _ in range(40):
            yield b"x" * 100_000

    streamed = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["ok"] is False
    assert client.get("/api/articles").status_code == 200


def test_read_only_and_token(tmp_path, use_fake_tagger):
    with pytest.raises(StoreError, match="no database at"):
        create_app(Settings(db_url=f"sqlite:///{tmp_path / 'r.db'}", read_only=True))
    assert not (tmp_path / "r.db").exists(), "a read-only workbench on a mistyped --db must not create it"
    Store(f"sqlite:///{tmp_path / 'r.db'}")
    read_only = TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path / 'r.db'}", read_only=True)))
    assert read_only.post("/api/analyze", json={"text": "T\n\nbody"}).status_code == 403
    assert read_only.post("/api/articles/1/reanalyze").status_code == 403
    assert read_only.post("/analyze", data={"text": "T\n\nbody"}).status_code == 403
    assert read_only.post("/articles/1/reanalyze").status_code == 403
    guarded = TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path / 't.db'}", token="s3cret")))
    assert guarded.post("/api/analyze", json={"text": "T\n\nbody"}).status_code == 401
    assert guarded.post("/api/articles/1/reanalyze").status_code == 401
    assert guarded.post("/articles/1/reanalyze", data={"token": "wrong"}).status_code == 401
    ok = guarded.post("/api/analyze", json={"text": "T\n\nbody"}, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    # an analysis by another version offers to analyse it again, with the token the workbench needs
    use_fake_tagger.version = "2"
    page = guarded.get(f"/articles/{ok.json()['id']}").text
    assert 'id="outdated"' in page and 'name="token"' in page
    again = guarded.post(f"/articles/{ok.json()['id']}/reanalyze", data={"token": "s3cret"}, follow_redirects=False)
    assert again.status_code == 303
    # a read-only workbench says the analysis is older, and offers nothing it would refuse
    shown = TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path / 't.db'}", read_only=True)))
    use_fake_tagger.version = "3"
    page = shown.get(f"/articles/{ok.json()['id']}").text
    assert 'id="outdated"' in page and "Analyse again" not in page
    with pytest.raises(InputError, match="needs --token"):
        create_app(Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", host="0.0.0.0"))


def test_techniques_page_and_twin(client):
    assert len(client.get("/techniques.json").json()["techniques"]) == 14
    assert "Why it misleads" in client.get("/techniques").text


def test_dashboard_compares_two_outlets(client):
    for outlet, day, text in [
        ("Herald", "2026-01-05", "T1\n\nThe disgraceful traitors.\n"),
        ("Courier", "2026-02-05", "T2\n\nA catastrophic plan by traitors.\n"),
        ("Herald", "2026-02-07", "T3\n\nCalm report about the weather.\n"),
        ("Gazette", "2026-02-09", "T4\n\nThe Traitors, again.\n"),
    ]:
        assert client.post("/api/analyze", json={"text": text, "outlet": outlet, "date": day}).status_code == 200
    data = client.get("/dashboard.json", params={"a": "Herald", "b": "Courier"}).json()
    assert [c["key"] for c in data["compare"]] == ["Herald", "Courier"]
    # compared case-folded, shown as most uses wrote it
    assert [(p["phrase"], p["uses"], p["outlets"]) for p in data["top_phrases"]] == [("traitors", 3, 3)]
    assert set(data["score_by_month"]) == {"Herald", "Courier"}
    mix = {row["outlet"]: row["shares"] for row in data["technique_mix"]["outlets"]}
    assert mix["Herald"] == {"Loaded_Language": 0.5, "Name_Calling,Labeling": 0.5}
    assert mix["Courier"] == {"Exaggeration,Minimisation": 0.5, "Name_Calling,Labeling": 0.5}
    page = client.get("/dashboard", params={"a": "Herald", "b": "Courier"})
    assert page.status_code == 200 and page.text.count("<svg") == 5
    assert client.get("/dashboard.json", params={"a": "Nobody"}).status_code == 404


def test_an_analysis_stored_before_voice_confidences_still_shows(client, store_url):
    from sqlalchemy import select

    from propscope.store.schema import AnalysisRow

    location = client.post("/analyze", data={"text": HOSTILE}, follow_redirects=False).headers["location"]
    with Store(store_url).transaction() as session:
        stored = session.scalars(select(AnalysisRow)).one()
        # an older attribution version wrote no confidences of voices and speakers
        spans = [
            {k: v for k, v in span.items() if k not in ("voice_confidence", "speaker_confidence")}
            for span in stored.document["spans"]
        ]
        # nor the filters, since a store keeps only whole analyses
        document = {key: value for key, value in stored.document.items() if key != "filters"}
        stored.document = {**document, "spans": spans}
    page = client.get(location)
    assert page.status_code == 200 and "<td>author</td>" in page.text
    assert client.get(location + ".json").json()["filters"] == {"min_confidence": 0.0, "techniques": None}


def test_an_article_analysed_by_another_version_says_so_and_can_be_analysed_again(client, use_fake_tagger, monkeypatch):
    location = client.post("/analyze", data={"text": HOSTILE}, follow_redirects=False).headers["location"]
    assert 'id="outdated"' not in client.get(location).text
    use_fake_tagger.version = "2"
    page = client.get(location).text
    assert 'id="outdated"' in page and f'action="{location}/reanalyze"' in page
    again = client.post(f"{location}/reanalyze", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == location
    assert 'id="outdated"' not in client.get(location).text
    assert client.get(location + ".json").json()["model"]["version"] == "2"
    assert client.post("/articles/999/reanalyze").status_code == 404
    # another site's page cannot make a visitor's browser re-analyse
    assert client.post(f"{location}/reanalyze", headers={"Origin": "https://elsewhere.example"}).status_code == 403

    # with the installed model unreadable, the stored analysis still shows, without the offer
    def unreadable() -> str:
        raise ModelError("model file missing or unreadable")

    monkeypatch.setattr("propscope.batch.local.model_version", unreadable)
    page = client.get(location)
    assert page.status_code == 200 and 'id="outdated"' not in page.text


def test_exports(client):
    client.post("/api/analyze", json={"text": "T\n\nThe disgraceful traitors.\n", "outlet": "Herald"})
    spans = client.get("/api/export/spans.csv")
    assert spans.status_code == 200 and spans.headers["content-type"].startswith("text/csv")
    lines = spans.text.strip().splitlines()
    assert lines[0].startswith("article_id,title,source") and len(lines) == 3
    # a cell a spreadsheet would run as a formula is exported as text
    client.post(
        "/api/analyze", json={"text": '=HYPERLINK("http://x.example")\n\nThe disgraceful plan.\n', "outlet": "=1+1"}
    )
    rows = list(csv.reader(io.StringIO(client.get("/api/export/spans.csv").text)))
    formulas = [cell for row in rows[1:] for cell in row if cell[:1] in "=+-@" and cell]
    assert formulas == [] and any(cell == "'=1+1" for row in rows for cell in row)
    articles = client.get("/api/export/articles.jsonl").text.strip().splitlines()
    assert {json.loads(line)["source"] for line in articles} == {"Herald", "=1+1"}


def test_exports_keep_the_filters_and_carry_targets(client):
    client.post("/api/analyze", json={"text": "T\n\nThe disgraceful traitors.\n", "source": "Herald"})
    client.post("/api/analyze", json={"text": "U\n\nThe traitors of the port.\n", "outlet": "Courier"})
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export/spans.csv", params={"outlet": "Herald"}).text)))
    assert {row["source"] for row in rows} == {"Herald"} and {"target", "target_confidence"} <= set(rows[0])
    assert 0 < float(rows[0]["voice_confidence"]) < 1 and rows[0]["speaker_confidence"] == ""
    # new columns come last, so a reader of the columns by position is not misled
    assert list(rows[0])[-2:] == ["voice_confidence", "speaker_confidence"]
    labels = client.get("/api/export/spans.csv", params={"technique": "Name_Calling,Labeling"}).text
    assert {row["technique"] for row in csv.DictReader(io.StringIO(labels))} == {"Name_Calling,Labeling"}
    assert client.get("/api/export/spans.csv", params={"technique": "Nothing"}).status_code == 400
    scores = client.get("/api/export/articles.jsonl", params={"outlet": "Courier"}).text.strip().splitlines()
    assert [json.loads(line)["source"] for line in scores] == ["Courier"]
    page = client.get("/articles", params={"outlet": "Herald"}).text
    assert "/api/export/spans.csv?outlet=Herald" in page


def test_upload_files_and_bad_uploads(client):
    files = [
        ("files", ("one.txt", b"First title\n\nThe disgraceful plan.\n", "text/plain")),
        ("files", ("two.txt", b"Second title\n\nThe traitors again.\n", "text/plain")),
    ]
    response = client.post("/analyze", files=files, data={"outlet": "Gazette"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/articles?added=2"
    assert {a["source"] for a in client.get("/api/articles").json()["articles"]} == {"Gazette"}
    binary = client.post("/analyze", files=[("files", ("x.txt", b"\x00\x01\x02binary\x00", "text/plain"))])
    assert binary.status_code == 400 and "binary" in binary.text
    # the workbench has no --skip-bad-records: its message does not send the user to one
    malformed = client.post("/analyze", files=[("files", ("bad.jsonl", b"{oops\n", "application/json"))])
    assert malformed.status_code == 400 and "bad.jsonl:1" in malformed.text and "--skip" not in malformed.text
    unreachable = client.post("/analyze", data={"url": "http://127.0.0.1:9/none"})
    assert unreachable.status_code == 400 and "a local or private address (127.0.0.1)" in unreachable.text


def test_echo_page_and_targets_per_outlet(client):
    for outlet, day in [("Herald", "2026-03-01"), ("Courier", "2026-03-03")]:
        client.post(
            "/api/analyze", json={"text": f"{outlet} news\n\nThe traitors struck.\n", "outlet": outlet, "date": day}
        )
    echoes = client.get("/echo.json", params={"window": "7d"}).json()["echoes"]
    assert echoes[0]["phrase"] == "traitor" and echoes[0]["outlets"] == ["Courier", "Herald"]
    assert echoes[0]["as_written"] == "traitors"
    assert [(u["outlet"], u["date"]) for u in echoes[0]["uses"]] == [
        ("Herald", "2026-03-01"),
        ("Courier", "2026-03-03"),
    ]
    page = client.get("/echo")
    assert page.status_code == 200
    first = echoes[0]["uses"][0]["article_id"]
    assert f'<a href="/articles/{first}">Herald, 2026-03-01</a>' in page.text
    assert '<td title="traitor">traitors</td>' in page.text
    assert client.get("/echo.json", params={"window": "soon"}).status_code == 400
    assert set(client.get("/dashboard.json").json()["targets_per_outlet"]) == {"Herald", "Courier"}


def analyse_all(client, items):
    for outlet, day, text in items:
        response = client.post("/api/analyze", json={"text": text, "outlet": outlet, "date": day})
        assert response.status_code == 200


def titles(client, **params):
    response = client.get("/api/articles", params=params)
    assert response.status_code == 200, response.text
    return [a["title"] for a in response.json()["articles"]]


def test_corpus_full_text_search_filters_and_sorting(client):
    analyse_all(
        client,
        [
            (
                "Herald",
                "2026-01-05",
                "Harbour plan\n\nThe disgraceful harbours deal was signed by the Coastal Union.\n",
            ),
            ("Courier", "2026-02-05", "Grain report\n\nTraitors in the coastal ministry, critics said.\n"),
            ("Herald", "2026-03-07T09:30:00", "Weather\n\nCalm seas and a union of clouds over the harbour.\n"),
        ],
    )
    # stemmed words, in any order, in title or text
    assert titles(client, q="harbour") == ["Weather", "Harbour plan"]
    assert titles(client, q="union harbours") == ["Weather", "Harbour plan"]
    assert titles(client, q='"coastal union"') == ["Harbour plan"]
    assert titles(client, q="grain") == ["Grain report"]
    # characters that are operators in FTS5 or tsquery syntax are only words here
    assert titles(client, q='harbour AND ( "* -NEAR') == []
    assert titles(client, q="()") == ["Weather", "Grain report", "Harbour plan"]
    assert titles(client, outlet="Herald", date_from="2026-02-01") == ["Weather"]
    # a date with a time belongs to its day at both ends of a range
    assert titles(client, date_from="2026-03-07", date_to="2026-03-07") == ["Weather"]
    assert titles(client, date_from="2026-01-01", date_to="2026-02-05") == ["Grain report", "Harbour plan"]
    assert titles(client, technique="Name_Calling,Labeling") == ["Grain report"]
    assert titles(client, min_score="1", sort="date") == ["Harbour plan", "Grain report"]
    assert titles(client, max_score="0") == ["Weather"]
    assert titles(client, sort="title") == ["Grain report", "Harbour plan", "Weather"]
    data = client.get("/api/articles", params={"q": "harbour"}).json()
    assert (data["total"], data["pages"], data["filter"]["query"]) == (2, 1, "harbour")
    page = client.get("/articles", params={"q": "harbour", "sort": "-score"})
    assert page.status_code == 200 and "2 articles" in page.text and "score ▼" in page.text


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "colour"},
        {"date_from": "last week"},
        {"technique": "Mind_Control"},
        {"min_score": "-3"},
        {"min_score": "²"},
        {"min_score": "50", "max_score": "10"},
        {"page": "x"},
    ],
)
def test_malformed_corpus_parameters_are_clear_errors(client, params):
    for path in ("/api/articles", "/articles"):
        response = client.get(path, params=params)
        assert response.status_code == 400 and "Traceback" not in response.text
    assert client.get("/api/articles", params=params).json()["ok"] is False


def test_first_start_analyses_the_bundled_examples_once(tmp_path, use_fake_tagger):
    from propscope.web.service import add_bundled_examples

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'first.db'}"))
    added = add_bundled_examples(app.state.store)
    assert added >= 10
    assert add_bundled_examples(app.state.store) == 0
    client = TestClient(app)
    assert client.get("/api/articles").json()["total"] == added
    assert len(client.get("/dashboard.json").json()["outlets"]) >= 3


def test_api_docs_load_nothing_from_the_network(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()
    scripts = re.findall(r'<script src="([^"]+)"', docs.text)
    assert scripts and all(src.startswith("/") and client.get(src).status_code == 200 for src in scripts)
    assert client.get("/openapi.json").json()["info"]["title"] == "propscope"


def test_dashboard_limited_to_a_period(client):
    analyse_all(
        client,
        [
            ("Herald", "2026-01-05", "T1\n\nThe disgraceful traitors.\n"),
            ("Courier", "2026-02-05", "T2\n\nA catastrophic plan.\n"),
        ],
    )
    january = client.get("/dashboard.json", params={"date_from": "2026-01-01", "date_to": "2026-01-31"}).json()
    assert [o["key"] for o in january["outlets"]] == ["Herald"]
    assert january["period"] == {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    assert client.get("/dashboard.json", params={"a": "Courier", "date_to": "2026-01-31"}).status_code == 404
    assert client.get("/dashboard", params={"date_from": "January"}).status_code == 400
    page = client.get("/dashboard", params={"date_from": "2026-02-01", "a": "", "b": ""})
    assert page.status_code == 200 and 'value="2026-02-01"' in page.text


def test_framework_errors_share_the_error_shape(client):
    for response in (
        client.get("/api/nothing-here"),
        client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"}),
    ):
        assert response.status_code in (400, 404) and response.json()["ok"] is False
    assert "<html" in client.get("/no-such-page").text


def test_writes_from_another_sites_page_are_refused(client):
    body = {"text": "T\n\nThe traitors.\n"}
    assert client.post("/api/analyze", json=body, headers={"Origin": "https://elsewhere.example"}).status_code == 403
    assert client.post("/analyze", data=body, headers={"Origin": "null"}).status_code == 403
    assert client.post("/api/analyze", json=body, headers={"Origin": "http://testserver"}).status_code == 200
    assert client.get("/api/articles", headers={"Origin": "https://elsewhere.example"}).status_code == 200


def test_a_full_analysis_queue_answers_busy_and_pages_keep_serving(client, monkeypatch):
    import threading

    monkeypatch.setattr("propscope.web.service.ANALYSIS_SLOTS", threading.BoundedSemaphore(1))
    from propscope.web import service

    service.ANALYSIS_SLOTS.acquire()  # one analysis is running
    response = client.post("/api/analyze", json={"text": "T\n\nThe traitors.\n"})
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert client.get("/api/articles").status_code == 200
    service.ANALYSIS_SLOTS.release()
    assert client.post("/api/analyze", json={"text": "T\n\nThe traitors.\n"}).status_code == 200


def test_article_page_shows_each_target_with_its_confidence(client):
    from propscope.render.labels import percent

    text = "Harbour vote\n\nMayor Ann Price spoke on Monday.\nShe called the dock board disgraceful traitors.\n"
    location = client.post("/analyze", data={"text": text}, follow_redirects=False).headers["location"]
    twin = client.get(location + ".json").json()
    targeted = [s for s in twin["spans"] if s["target"]]
    assert targeted and all(0 < s["target_confidence"] < 1 for s in targeted)
    page = client.get(location).text
    for span in targeted:
        assert f'{span["target"]} <span class="meta">({percent(span["target_confidence"])})</span>' in page


def test_dashboard_can_keep_only_the_targets_the_ranker_is_sure_of(client):
    text = "Harbour vote\n\nMayor Ann Price spoke on Monday.\nShe called the dock board disgraceful traitors.\n"
    location = client.post("/analyze", data={"text": text, "outlet": "Herald"}, follow_redirects=False).headers[
        "location"
    ]
    confidences = [s["target_confidence"] for s in client.get(location + ".json").json()["spans"] if s["target"]]
    assert len(set(confidences)) > 1, "the two targets need different confidences for the filter to show"
    every = client.get("/dashboard.json").json()["targets_per_outlet"]["Herald"]
    assert sum(t["spans"] for t in every) == len(confidences)
    threshold = sorted(confidences)[-1]
    sure = client.get(f"/dashboard.json?min_target_confidence={threshold}").json()["targets_per_outlet"]["Herald"]
    assert sum(t["spans"] for t in sure) == sum(c >= threshold for c in confidences) < len(confidences)
    assert client.get("/dashboard.json?min_target_confidence=0").json()["targets_per_outlet"]["Herald"] == every
    assert client.get("/dashboard.json?min_target_confidence=").json()["targets_per_outlet"]["Herald"] == every
    for bad in ("1.5", "sure"):
        refused = client.get(f"/dashboard.json?min_target_confidence={bad}")
        assert refused.status_code == 400 and "from 0 to 1" in refused.text
    page = client.get(f"/dashboard?min_target_confidence={threshold}").text
    assert f"at least {threshold * 100:g}% sure" in page


SPOKEN_ARTICLE = (
    "Port row deepens\n\n"
    "Harbour chief Ellen Ward spoke to reporters on Monday.\n"
    '"The board are traitors," Ward said.\n'
    "She added that the plan was disgraceful.\n"
    "The plan is disgraceful.\n"
)


def test_dashboard_names_whose_words_each_outlets_propaganda_is(client):
    client.post("/analyze", data={"text": SPOKEN_ARTICLE, "outlet": "Herald"})
    unnamed = '"They are traitors," he said.\nAccording to them, the plan was disgraceful.\n'
    client.post("/analyze", data={"text": unnamed, "outlet": "Courier"})
    speakers = client.get("/dashboard.json").json()["speakers_per_outlet"]
    # "Ward" and "she" are Ellen Ward, named once in full; the author's own span has no speaker,
    # and an unresolved "he" or "them" names no one
    assert speakers == {"Herald": [{"speaker": "Ellen Ward", "spans": 2}]}
    stored = client.get("/api/articles", params={"outlet": "Herald"}).json()["articles"][0]["id"]
    confidences = [
        s["speaker_confidence"] for s in client.get(f"/articles/{stored}.json").json()["spans"] if s["speaker"]
    ]
    threshold = max(confidences)
    assert len(set(confidences)) == 2, "the two speakers need different confidences for the filter to show"
    sure = client.get(f"/dashboard.json?min_speaker_confidence={threshold}").json()["speakers_per_outlet"]
    assert sure == {"Herald": [{"speaker": "Ellen Ward", "spans": 1}]}
    refused = client.get("/dashboard.json?min_speaker_confidence=2")
    assert refused.status_code == 400 and "from 0 to 1" in refused.text
    page = client.get(f"/dashboard?min_speaker_confidence={threshold}").text
    assert "Ellen Ward (1)" in page and f"the model gives at least {threshold * 100:g}%" in page


def test_the_article_page_shows_why_a_date_was_dropped(client):
    record = b'{"text": "T\\nThe plan.", "date": "soon"}\n'
    stored = client.post("/analyze", files=[("files", ("e.jsonl", record, "application/json"))], follow_redirects=False)
    assert stored.status_code == 303, stored.text
    page = client.get(stored.headers["location"])
    assert "Warning:" in page.text and "&#39;soon&#39; is not a day" in page.text


#: written for these tests
HARBOUR_NOTE = "Harbour note\n\nThe disgraceful plan was approved on Tuesday.\n"
FERRY_NOTE = b"Ferry note\n\nThe ferry timetable changes in spring.\n"
UNREACHABLE_URL = "http://127.0.0.1:9/none"


def stored_articles(client) -> int:
    return client.get("/api/articles").json()["total"]


@pytest.mark.parametrize(
    ("data", "files"),
    [
        ({"text": HARBOUR_NOTE, "url": UNREACHABLE_URL}, None),
        ({"text": HARBOUR_NOTE}, [("files", ("ferry.txt", FERRY_NOTE, "text/plain"))]),
        ({"url": UNREACHABLE_URL}, [("files", ("ferry.txt", FERRY_NOTE, "text/plain"))]),
    ],
)
def test_the_analyse_form_takes_one_kind_of_input_and_stores_nothing_when_given_more(client, data, files):
    response = client.post("/analyze", data=data, files=files, follow_redirects=False)
    assert response.status_code == 400 and "not more than one" in response.text
    assert "could not fetch" not in response.text and "local or private" not in response.text
    assert stored_articles(client) == 0


def test_the_api_refuses_a_url_beside_the_text_and_stores_nothing(client):
    response = client.post("/api/analyze", json={"text": HARBOUR_NOTE, "url": UNREACHABLE_URL})
    assert response.status_code == 400 and response.json()["ok"] is False and "url" in response.json()["error"]
    assert stored_articles(client) == 0


def test_uploaded_files_are_stored_all_or_none(client, monkeypatch):
    from propscope.pipeline import analyse_article
    from propscope.web import service

    def fails_on_the_ferry(article, *args, **kwargs):
        if "ferry" in article.text:
            raise ModelError("the model could not read this article")
        return analyse_article(article, *args, **kwargs)

    monkeypatch.setattr(service, "analyse_article", fails_on_the_ferry)
    files = [
        ("files", ("harbour.txt", HARBOUR_NOTE.encode(), "text/plain")),
        ("files", ("ferry.txt", FERRY_NOTE, "text/plain")),
    ]
    assert client.post("/analyze", files=files).status_code == 500
    assert stored_articles(client) == 0


def test_one_article_uploaded_twice_is_shown_as_one_article(client):
    files = [("files", (name, HARBOUR_NOTE.encode(), "text/plain")) for name in ("harbour.txt", "copy.txt")]
    response = client.post("/analyze", files=files, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/articles/")
    assert stored_articles(client) == 1


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "named"),
    [
        ("get", "/api/articles?page=-1", {}, "page"),
        ("get", "/articles.json?page=0", {}, "page"),
        ("get", "/echo.json?min_outlets=1", {}, "min_outlets"),
        ("get", "/api/articles/0", {}, "article_id"),
        ("post", "/api/articles/0/reanalyze", {}, "article_id"),
        ("post", "/api/analyze", {"json": {"text": ""}}, "text"),
        ("post", "/api/analyze", {"json": {"text": HARBOUR_NOTE, "outlett": "Herald"}}, "outlett"),
    ],
)
def test_invalid_values_are_a_400_in_the_json_error_shape(client, method, path, kwargs, named):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"ok", "error", "status"} and (body["ok"], body["status"]) == (False, 400)
    assert named in body["error"] and "\n" not in body["error"]


@pytest.mark.parametrize("path", ["/articles?page=-1", "/echo?min_outlets=1", "/articles/0"])
def test_invalid_values_on_a_page_are_a_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "<h1>400</h1>" in response.text


def test_the_api_docs_describe_the_one_error_shape(client):
    operations = [
        operation for methods in client.get("/openapi.json").json()["paths"].values() for operation in methods.values()
    ]
    assert not [operation["operationId"] for operation in operations if "422" in operation["responses"]]
    listing = client.get("/openapi.json").json()["paths"]["/api/articles"]["get"]["responses"]
    schema = listing["4XX"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = client.get("/openapi.json").json()["components"]["schemas"][schema]["properties"]
    assert set(fields) == {"ok", "error", "status"}


def test_getting_the_analyse_address_shows_the_form(client):
    response = client.get("/analyze")
    assert response.status_code == 200 and 'action="/analyze"' in response.text
    # the API route is only posted to, and says so
    refused = client.get("/api/analyze")
    assert refused.status_code == 405 and refused.json()["ok"] is False and refused.headers["allow"] == "POST"
    # an address two routes share names the methods of both
    assert client.put("/analyze").headers["allow"] == "GET, POST"


#: written for these tests: a crawled page whose title is repeated above a dateline
CRAWLED_NOTE = """Lighthouse Keepers Strike

Lighthouse Keepers Strike

PORTVILLE (Coast Gazette) – The keepers walked out on Friday over a disgraceful pay offer.

The harbour office said the lamps would stay lit.
"""


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_every_page_has_its_own_title(client):
    location = client.post("/analyze", data={"text": HARBOUR_NOTE}, follow_redirects=False).headers["location"]
    pages = ["/", "/articles", "/dashboard", "/echo", "/techniques", location, "/articles/999"]
    titles = [page_title(client.get(path).text) for path in pages]
    assert len(set(titles)) == len(pages), titles
    assert titles[2] == "Dashboard — propscope" and titles[5] == "Harbour note — propscope"


def test_resubmitting_a_stored_article_says_it_shows_the_stored_analysis(client):
    first = client.post("/analyze", data={"text": HARBOUR_NOTE, "outlet": "Herald"}, follow_redirects=False)
    again = client.post("/analyze", data={"text": HARBOUR_NOTE, "outlet": "Herald"}, follow_redirects=False)
    elsewhere = client.post("/analyze", data={"text": HARBOUR_NOTE, "outlet": "Courier"}, follow_redirects=False)
    assert again.headers["location"] == first.headers["location"] + "?already_stored=1"
    assert "?" not in first.headers["location"] + elsewhere.headers["location"]
    notice = "This article was already stored; showing the stored analysis."
    assert notice in client.get(again.headers["location"]).text
    assert notice not in client.get(first.headers["location"]).text


def test_an_upload_leads_to_the_corpus_saying_how_many_articles_it_added(client):
    client.post("/analyze", data={"text": HARBOUR_NOTE})
    files = [
        ("files", ("harbour.txt", HARBOUR_NOTE.encode(), "text/plain")),
        ("files", ("ferry.txt", FERRY_NOTE, "text/plain")),
        ("files", ("crawled.html", f"<html><body><p>{CRAWLED_NOTE}</p></body></html>".encode(), "text/html")),
    ]
    response = client.post("/analyze", files=files, follow_redirects=False)
    assert response.headers["location"] == "/articles?added=2&already_stored=1"
    page = client.get(response.headers["location"]).text
    assert "2 articles added; 1 was already stored and keeps its stored analysis." in page
    # the notice is said once: the corpus page's own links leave it behind
    assert "added=" not in page


def test_the_analyse_form_asks_for_a_token_only_when_the_server_needs_one(tmp_path, use_fake_tagger):
    open_form = TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/open.db"))).get("/").text
    guarded_form = TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/guarded.db", token="t"))).get("/").text
    assert 'name="token"' not in open_form
    assert 'name="token"' in guarded_form and "started with <code>--token</code>" in guarded_form


def test_the_file_chooser_offers_every_kind_of_file_the_server_reads(client):
    accept = re.search(r'<input name="files"[^>]*accept="([^"]*)"', client.get("/").text).group(1).split(",")
    for suffix in (".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".json", ".csv"):
        assert suffix in accept


def test_empty_results_are_explained(client):
    client.post("/api/analyze", json={"text": HARBOUR_NOTE, "outlet": "Herald", "date": "2026-03-01"})
    dashboard = client.get("/dashboard", params={"date_from": "2020-01-01", "date_to": "2020-12-31"}).text
    assert "No articles in this period." in dashboard and "no dated articles" not in dashboard
    assert "<table" not in dashboard
    # comparing outlets in such a period is the same notice, not a missing page
    compared = client.get("/dashboard", params={"a": "Herald", "date_from": "2020-01-01", "date_to": "2020-12-31"})
    assert compared.status_code == 200 and "No articles in this period." in compared.text
    echo = client.get("/echo", params={"window": "2w", "min_outlets": 3}).text
    assert "No phrase was used by at least 3 outlets within 2w" in echo and "<table" not in echo
    plain = client.post("/analyze", data={"text": FERRY_NOTE.decode()}, follow_redirects=False).headers["location"]
    article = client.get(plain).text
    assert "No propaganda technique found" in article
    assert 'id="min-confidence"' not in article and "data-filter-technique" not in article


def test_the_article_page_says_what_its_score_means_and_why_text_is_struck_through(client):
    location = client.post("/analyze", data={"text": CRAWLED_NOTE}, follow_redirects=False).headers["location"]
    twin = client.get(location + ".json").json()
    page = client.get(location).text
    score = twin["summary"]["score"]
    assert f'<p class="meta" id="score-meaning">A score of {score}/100 means propaganda in about' in page
    assert 'title="repeated title: not analysed"' in page and 'title="dateline: not analysed"' in page
    assert 'title="repeated-title"' not in page
    # the JSON keeps the reasons as the article records them
    assert [e["reason"] for e in twin["article"]["excluded"]][:2] == ["repeated-title", "dateline"]


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (0, "propaganda in hardly any sentence"),
        (10, "propaganda in about 1 sentence in 10"),
        (14, "propaganda in about 1.4 sentences in 10"),
        (1, "propaganda in about 1 sentence in 100"),
        (6, "propaganda in about 6 sentences in 100"),
        (14.45, "propaganda in about 1.4 sentences in 10"),
        (30, "propaganda in about 3 sentences in 10"),
    ],
)
def test_a_score_in_words(score, words):
    from propscope.render.labels import score_in_words

    assert score_in_words(score) == words


def test_the_dashboards_score_charts_are_drawn_to_100(client):
    import re

    client.post("/api/analyze", json={"text": HARBOUR_NOTE, "outlet": "Herald", "date": "2026-03-01"})
    page = client.get("/dashboard").text
    for caption in ("Mean propaganda score per outlet (0-100)", "own voice only (0-100)"):
        figure = page[page.index(f"{caption}</figcaption>") :].split("</figure>")[0]
        width, shown = re.search(r'<rect[^>]* width="([0-9.]+)".*?<text[^>]*>([0-9.]+)</text>', figure).groups()
        # a full bar is 420 units wide; a mean score fills its share of it, not the whole bar
        assert float(width) == pytest.approx(float(shown) / 100 * 420, abs=0.5)
