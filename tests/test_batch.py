"""Batch runs: stored once, resumable after SIGKILL, failures recorded, bad targets refused."""

import gc
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy

from propscope.batch.local import expand_inputs, run_batch
from propscope.batch.sinks import DatabaseSink, JsonlSink
from propscope.errors import InputError, StoreError
from propscope.ingest.sources import article_from_text
from propscope.pipeline import analyse_article
from propscope.store.database import Store
from propscope.store.repository import list_failures, save_analysis
from propscope.tagging.base import TaggedSpan
from propscope.versions import ATTRIBUTION_VERSION
from tests.conftest import FakeTagger


def write_articles(folder, count):
    folder.mkdir()
    for i in range(count):
        (folder / f"article{i}.txt").write_text(
            f"Report number {i}\n\nThe council met for the {i}th time and the disgraceful plan was debated again.\n"
            "Residents said the chaos would never end.\n",
            encoding="utf-8",
        )


def store_dated(store, tagger, items) -> None:
    """Analyse and store (outlet, date, body) items as titled articles."""
    with store.transaction() as session:
        for outlet, day, text in items:
            article = article_from_text("Title\n\n" + text, source=outlet, date=day)
            save_analysis(session=session, analysis=analyse_article(article, tagger))


def test_same_text_and_model_is_stored_once(tmp_path, fake_tagger):
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    analysis = analyse_article(article_from_text("Title\n\nA disgraceful plan.\n"), fake_tagger)
    with store.transaction() as session:
        assert save_analysis(session=session, analysis=analysis)
        assert not save_analysis(session=session, analysis=analysis)
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("select count(*) from articles").fetchone() == (1,)
    assert db.execute("select count(*) from spans").fetchone() == (1,)


def test_run_skips_done_articles_and_records_failures(tmp_path, use_fake_tagger):
    folder = tmp_path / "in"
    write_articles(folder, 5)
    (folder / "article99.txt").write_bytes(b"\x00\x01binary")
    sink = DatabaseSink(Store(f"sqlite:///{tmp_path / 'b.db'}"))
    first = run_batch([str(folder)], sink, chunk_size=2)
    assert (first.analysed, first.failed) == (5, 1)
    second = run_batch([str(folder)], sink, chunk_size=2)
    assert (second.analysed, second.skipped) == (0, 5)
    with sink.store.transaction() as session:
        failures = list_failures(session=session)
    # the rerun met the same failure; it is recorded once
    assert len(failures) == 1 and "binary" in failures[0][2]


def test_a_text_repeated_in_the_next_chunk_is_analysed_once(tmp_path, use_fake_tagger):
    folder = tmp_path / "in"
    write_articles(folder, 4)
    # the same text as article0, read in the chunk after it, while article0's chunk is still in flight
    (folder / "article1.txt").write_text((folder / "article0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_batch([str(folder)], JsonlSink(out), chunk_size=1, workers=2)
    assert (result.analysed, result.skipped) == (3, 1)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_jsonl_sink_drops_a_cut_line_and_resumes(tmp_path, use_fake_tagger):
    folder = tmp_path / "in"
    write_articles(folder, 4)
    out = tmp_path / "out.jsonl"
    run_batch([str(folder)], JsonlSink(out), chunk_size=3)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    out.write_text("\n".join(lines[:2]) + "\n" + lines[2][:40], encoding="utf-8")  # a crash mid-line
    result = run_batch([str(folder)], JsonlSink(out), chunk_size=3)
    assert (result.analysed, result.skipped) == (2, 2)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len({r["content_hash"] for r in records}) == 4 == len(records)


def test_a_jsonl_output_written_before_outlet_keys_resumes_without_repeating(tmp_path, use_fake_tagger):
    import hashlib

    source = tmp_path / "in.jsonl"
    records = [{"text": f"Report {i}\n\nThe disgraceful plan, part {i}.\n", "source": "Herald"} for i in range(3)]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([str(source)], JsonlSink(out), chunk_size=3)
    # the output as an older version wrote it: each line keyed by its text alone
    old = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for record in old:
        record["content_hash"] = hashlib.sha256(record["article"]["text"].encode("utf-8")).hexdigest()
    out.write_text("".join(json.dumps(r) + "\n" for r in old), encoding="utf-8")
    result = run_batch([str(source)], JsonlSink(out), chunk_size=3)
    assert (result.analysed, result.skipped) == (0, 3) and len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_bad_targets_fail_before_any_work(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([str(tmp_path / "missing")])
    with pytest.raises(InputError, match="matches no file"):
        expand_inputs([str(tmp_path / "*.nothing")])
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("title,author\nA,B\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text column"):
        expand_inputs([str(bad_csv)])


def test_unusable_database_url(tmp_path):
    with pytest.raises(StoreError):
        Store("nosuchdialect://x")
    with pytest.raises(StoreError):
        Store(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")


@pytest.mark.slow
def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def test_sigkill_mid_run_then_resume_stores_every_article_once(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, 60)
    db_path = tmp_path / "run.db"
    command = [
        sys.executable,
        "-m",
        "propscope.cli.main",
        "batch",
        str(folder),
        "--db",
        f"sqlite:///{db_path}",
        "--chunk-size",
        "3",
        # two workers: the killed run has one chunk in the workers while the previous one is written
        "--workers",
        "2",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if db_path.exists():
            try:
                stored = sqlite3.connect(db_path).execute("select count(*) from analyses").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 6:
                break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed; give it more articles"
    workers = [int(pid) for pid in (Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split())]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    db = sqlite3.connect(db_path)
    partial = db.execute("select count(*) from analyses").fetchone()[0]
    assert 0 < partial < 60
    db.close()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the killed run's workers did not outlive it
    assert workers and not [pid for pid in workers if Path(f"/proc/{pid}").exists() and _alive(pid)]
    db = sqlite3.connect(db_path)
    assert db.execute("select count(*) from analyses").fetchone()[0] == 60
    assert db.execute("select count(distinct content_hash) from articles").fetchone()[0] == 60
    assert db.execute("select count(*) from articles").fetchone()[0] == 60


def test_migrations_match_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from propscope.store.schema import Base, described_by_models

    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": described_by_models})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_that_refuses_connections_is_one_line(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nBody text.\n", encoding="utf-8")
    code, _, err = run_cli("batch", str(tmp_path), "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 2 and "database unreachable" in err and err.count("\n") == 1


def test_echo_finds_phrases_shared_by_outlets_within_the_window(tmp_path, fake_tagger, run_cli):
    from datetime import timedelta

    from propscope.store.echo import find_echoes

    store = Store(f"sqlite:///{tmp_path / 'echo.db'}")
    items = [
        ("Herald", "2026-03-01", "The Traitors struck again.\nCalm words."),
        ("Courier", "2026-03-04", "These traitors, said the minister.\nOther words."),
        ("Gazette", "2026-05-30", "Traitors are among us.\nMore words."),
        ("Herald", "2026-03-02", "A disgraceful day.\nEnough."),
    ]
    store_dated(store, fake_tagger, items)
    with store.transaction() as session:
        echoes = find_echoes(session=session, window=timedelta(days=7))
    assert [e.phrase for e in echoes] == ["traitor"]
    assert echoes[0].outlets == ["Courier", "Herald"]
    assert echoes[0].first.outlet == "Herald"
    # people read the words as the first outlet wrote them; the lemmas are the key
    assert echoes[0].as_written == "Traitors"
    code, out, _ = run_cli("echo", "--db", f"sqlite:///{tmp_path / 'echo.db'}", "--window", "90d", "--json")
    assert code == 0 and json.loads(out)[0]["outlets"] == ["Courier", "Gazette", "Herald"]
    assert json.loads(out)[0]["as_written"] == "Traitors" and json.loads(out)[0]["phrase"] == "traitor"
    code, out, _ = run_cli("echo", "--db", f"sqlite:///{tmp_path / 'echo.db'}", "--window", "90d")
    assert code == 0 and "Traitors" in out and "traitor " not in out
    code, _, err = run_cli("echo", "--db", f"sqlite:///{tmp_path / 'echo.db'}", "--window", "soon")
    assert code == 2 and "window" in err


class PhraseTagger(FakeTagger):
    """Flags the clauses of a sentence that hold "vultures", so spans of different lengths share a label."""

    def tag(self, text, start=0, end=None):
        end = len(text) if end is None else end
        found = re.finditer(r"[^.,\n]*vultures[^.,\n]*", text[start:end])
        return [TaggedSpan(start + m.start(), start + m.end(), "Name_Calling,Labeling", 0.9, 0.8, ()) for m in found]


def test_echo_finds_a_label_repeated_inside_spans_of_different_lengths(tmp_path):
    from datetime import timedelta

    from propscope.store.echo import find_echoes

    store = Store(f"sqlite:///{tmp_path / 'label.db'}")
    items = [
        ("Herald", "2026-03-01", "The greedy vultures of the harbour board struck again.\nCalm words."),
        ("Courier", "2026-03-02", "Those greedy vultures won.\nOther words."),
        ("Gazette", "2026-03-03", "Greedy vultures of the harbour board, said the mayor.\nMore words."),
    ]
    store_dated(store, PhraseTagger(), items)
    with store.transaction() as session:
        echoes = find_echoes(session=session, window=timedelta(days=7))
    # the shorter label, in three outlets; the longer phrase in two; nothing that only repeats them
    assert [(e.phrase, e.outlets) for e in echoes] == [
        ("greedy vulture", ["Courier", "Gazette", "Herald"]),
        ("greedy vulture of the harbour board", ["Gazette", "Herald"]),
    ]
    assert [e.as_written for e in echoes] == ["greedy vultures", "greedy vultures of the harbour board"]


def test_a_long_span_two_outlets_share_is_one_echo(tmp_path):
    from datetime import timedelta

    from propscope.store.echo import find_echoes

    store = Store(f"sqlite:///{tmp_path / 'long.db'}")
    story = (
        "The greedy vultures of the harbour board betray the honest dockers again while officials hide the deal.\nCalm."
    )
    store_dated(store, PhraseTagger(), [("Herald", "2026-03-01", story), ("Courier", "2026-03-02", story)])
    with store.transaction() as session:
        echoes = find_echoes(session=session, window=timedelta(days=7))
    assert [(e.phrase.split()[0], e.phrase.split()[-1], e.outlets) for e in echoes] == [
        ("greedy", "deal", ["Courier", "Herald"])
    ]


def test_echo_reads_the_words_stored_with_each_span_and_lemmatises_only_older_spans(tmp_path, fake_tagger, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import text

    from propscope.store import echo

    store = Store(f"sqlite:///{tmp_path / 'words.db'}")
    items = [
        ("Herald", "2026-03-01", "The Traitors struck.\nCalm."),
        ("Courier", "2026-03-02", "Traitors again.\nCalm."),
    ]
    store_dated(store, fake_tagger, items)
    lemmatised: list[list[str]] = []
    real = echo.normalise
    monkeypatch.setattr(echo, "normalise", lambda texts: lemmatised.append(texts) or real(texts))
    with store.transaction() as session:
        assert [e.phrase for e in echo.find_echoes(session=session, window=timedelta(days=7))] == ["traitor"]
        # a span stored before words were kept is lemmatised when echo needs it
        session.execute(text("UPDATE spans SET words = NULL WHERE id = 1"))
        assert [e.phrase for e in echo.find_echoes(session=session, window=timedelta(days=7))] == ["traitor"]
    assert lemmatised == [[], ["Traitors"]]
    with store.transaction() as session:
        # words stored before their places were kept are placed by spaCy's tokens
        session.execute(text("""UPDATE spans SET words = '[["traitor", false]]' WHERE id = 1"""))
        assert [e.as_written for e in echo.find_echoes(session=session, window=timedelta(days=7))] == ["Traitors"]


def test_one_story_syndicated_by_two_outlets_is_stored_for_each_and_echoed(tmp_path, fake_tagger):
    from datetime import timedelta

    from propscope.store.echo import find_echoes

    store = Store(f"sqlite:///{tmp_path / 'wire.db'}")
    story = "The traitors on the council struck again.\nCalm words."
    items = [("Herald", "2026-03-01", story), ("Courier", "2026-03-02", story), ("Herald", "2026-03-01", story)]
    store_dated(store, fake_tagger, items)
    db = sqlite3.connect(tmp_path / "wire.db")
    assert db.execute("select source from articles order by id").fetchall() == [("Herald",), ("Courier",)]
    with store.transaction() as session:
        echoes = find_echoes(session=session, window=timedelta(days=7))
    assert [(e.phrase, e.outlets) for e in echoes] == [("traitor", ["Courier", "Herald"])]


def test_upgrading_a_store_keys_its_articles_by_outlet_and_keeps_recognising_them(store_url, fake_tagger):
    import hashlib
    import json as json_module

    from sqlalchemy import text

    store = Store(store_url)
    herald = analyse_article(article_from_text("Title\n\nThe traitors struck.\n", source="Herald"), fake_tagger)
    unsigned = analyse_article(article_from_text("Title\n\nA disgraceful plan.\n"), fake_tagger)
    with store.transaction() as session:
        save_analysis(session=session, analysis=herald)
        save_analysis(session=session, analysis=unsigned)
    texts = [herald.article.text, unsigned.article.text]
    old_keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    new_keys = [hashlib.sha256(json_module.dumps(["Herald", texts[0]]).encode("utf-8")).hexdigest(), old_keys[1]]

    def keys() -> list[str]:
        with store.engine.connect() as connection:
            return connection.execute(text("SELECT content_hash FROM articles ORDER BY id")).scalars().all()

    assert keys() == new_keys
    # 0004 keyed articles by their text alone, and the upgrade keys them by text and outlet again
    _store_stepped_back_then_migrated(store, "0004", check=lambda: keys() == old_keys)
    assert keys() == new_keys
    courier = analyse_article(article_from_text("Title\n\nThe traitors struck.\n", source="Courier"), fake_tagger)
    with store.transaction() as session:
        assert not save_analysis(session=session, analysis=herald)
        assert not save_analysis(session=session, analysis=unsigned)
        assert save_analysis(session=session, analysis=courier)
    with store.engine.connect() as connection:
        outlets = connection.execute(text("SELECT source FROM articles ORDER BY id")).scalars().all()
    assert outlets == ["Herald", None, "Courier"]
    # one text from two outlets cannot go back to a key of its text alone
    with pytest.raises(RuntimeError, match="several outlets"):
        _store_stepped_back_then_migrated(store, "0004")


def test_import_command_fills_the_store(tmp_path, use_fake_tagger, run_cli):
    folder = tmp_path / "in"
    write_articles(folder, 3)
    code, _, err = run_cli("import", str(folder), "--db", f"sqlite:///{tmp_path / 'i.db'}")
    assert code == 0, err
    assert sqlite3.connect(tmp_path / "i.db").execute("select count(*) from analyses").fetchone() == (3,)


def test_an_article_analysed_by_two_model_versions_counts_once(tmp_path, fake_tagger):
    from dataclasses import replace

    from propscope.store.stats import group_stats

    store = Store(f"sqlite:///{tmp_path / 'v.db'}")
    analysis = analyse_article(article_from_text("T\n\nThe traitors.\n", source="Herald"), fake_tagger)
    with store.transaction() as session:
        assert save_analysis(session=session, analysis=analysis)
        assert save_analysis(session=session, analysis=replace(analysis, model={"name": "fake", "version": "1"}))
    with store.transaction() as session:
        (herald,) = group_stats(session=session, by="outlet")
    assert (herald.articles, herald.spans) == (1, 1)


def test_reanalyze_brings_every_article_to_the_installed_model(tmp_path, store_url, use_fake_tagger, run_cli):
    from propscope.store.repository import list_articles

    write_articles(tmp_path / "in", 3)
    assert run_cli("import", str(tmp_path / "in"), "--db", store_url)[0] == 0
    use_fake_tagger.version = "1"  # a new model is installed
    code, _, err = run_cli("reanalyze", "--db", store_url, "--dry-run")
    assert code == 0 and "3 articles" in err
    code, _, err = run_cli("reanalyze", "--db", store_url)
    assert code == 0 and "3 analysed" in err
    with Store(store_url).transaction() as session:
        rows = list_articles(session=session)
    assert [row["model_version"] for row in rows] == [f"1+attribution.{ATTRIBUTION_VERSION}"] * 3
    assert "0 articles" in run_cli("reanalyze", "--db", store_url)[2]


def test_reanalyze_and_a_resumed_batch_follow_a_change_of_attribution(tmp_path, use_fake_tagger, monkeypatch, run_cli):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    write_articles(tmp_path / "in", 3)
    assert run_cli("import", str(tmp_path / "in"), "--db", db)[0] == 0
    output = tmp_path / "out.jsonl"
    assert run_cli("batch", str(tmp_path / "in"), "--out", str(output))[0] == 0
    # a newer propscope whose rules or ranker give other voices, speakers or targets
    monkeypatch.setattr("propscope.versions.ATTRIBUTION_VERSION", "2099.1.1")
    code, _, err = run_cli("reanalyze", "--db", db, "--dry-run")
    assert code == 0 and "3 articles" in err
    code, _, err = run_cli("batch", str(tmp_path / "in"), "--out", str(output))
    assert code == 0 and "3 analysed" in err and "0 already done" in err
    attributions = [json.loads(line)["model"]["attribution"] for line in output.read_text().splitlines()]
    assert attributions == [ATTRIBUTION_VERSION] * 3 + ["2099.1.1"] * 3


def test_a_json_lines_output_from_before_attribution_versions_is_brought_up_to_date(tmp_path, use_fake_tagger, run_cli):
    write_articles(tmp_path / "in", 2)
    output = tmp_path / "out.jsonl"
    assert run_cli("batch", str(tmp_path / "in"), "--out", str(output))[0] == 0
    # as an older propscope wrote it: no attribution version in the model field
    old = [json.loads(line) for line in output.read_text().splitlines()]
    for record in old:
        del record["model"]["attribution"]
    output.write_text("".join(json.dumps(record) + "\n" for record in old))
    code, _, err = run_cli("batch", str(tmp_path / "in"), "--out", str(output))
    assert code == 0 and "2 analysed" in err, err
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["model"].get("attribution") for r in records] == [None, None, ATTRIBUTION_VERSION, ATTRIBUTION_VERSION]
    code, _, err = run_cli("batch", str(tmp_path / "in"), "--out", str(output))
    assert code == 0 and "2 already done" in err and len(output.read_text().splitlines()) == 4


def test_one_article_is_reanalysed_through_the_api(tmp_path, use_fake_tagger):
    from fastapi.testclient import TestClient

    from propscope.web.app import Settings, create_app
    from propscope.web.service import store_article

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}"))
    client = TestClient(app)
    # a record's title is metadata: the text's first line is body, and stays body when analysed again
    record = article_from_text("The traitors left the harbour.\nCalm followed.\n", title="Harbour news")
    article_id = store_article(app.state.store, record)
    first = client.get(f"/api/articles/{article_id}").json()
    assert first["article"]["title_range"] is None
    assert client.post(f"/api/articles/{article_id}/reanalyze").json()["model"]["version"] == "0"
    use_fake_tagger.version = "2"
    again = client.post(f"/api/articles/{article_id}/reanalyze").json()
    assert (again["id"], again["model"]["version"], first["model"]["version"]) == (article_id, "2", "0")
    assert again["article"] == first["article"] and again["spans"][0]["start"] == first["spans"][0]["start"]
    assert client.post("/api/articles/999/reanalyze").status_code == 404


def _store_stepped_back_then_migrated(store: Store, revision: str, check: Callable[[], bool] | None = None) -> None:
    """Take ``store`` back to the schema of ``revision`` (keeping its rows), then migrate it to the
    head; ``check`` must hold of the store in between."""
    from alembic import command
    from alembic.config import Config

    from propscope.store.database import migrate

    config = Config()
    config.set_main_option("script_location", "propscope.store:migrations")
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    assert check is None or check()
    migrate(store.engine)


def _journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]


def _left_as_it_was(store: Store, path: Path, command: Callable[[], bool]) -> bool:
    """Whether ``command`` holds and leaves the SQLite file of ``store`` byte for byte as it was,
    in the journal mode of a file no propscope wrote (a write would show in the file itself)."""
    store.engine.dispose()
    # the engines of the commands run before hold connections until they are collected
    gc.collect()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    before = path.read_bytes()
    held = command()
    return held and path.read_bytes() == before and _journal_mode(path) == "delete" and not Path(f"{path}-wal").exists()


def _revision(store: Store) -> str:
    with store.engine.connect() as connection:
        return connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalar_one()


def test_a_dry_run_leaves_a_store_that_needs_upgrading_as_it_is(tmp_path, run_cli, use_fake_tagger):
    write_articles(tmp_path / "in", 2)
    db = tmp_path / "old.db"
    assert run_cli("import", str(tmp_path / "in"), "--db", f"sqlite:///{db}")[0] == 0
    store = Store(f"sqlite:///{db}")
    current = _revision(store)
    use_fake_tagger.version = "2"

    def dry_run() -> bool:
        code, _, err = run_cli("reanalyze", "--db", str(store.url), "--dry-run")
        return code == 0 and "at revision 0006" in err and "nothing was written" in err and "2 articles" in err

    _store_stepped_back_then_migrated(store, "0006", lambda: _left_as_it_was(store, db, dry_run))
    assert _revision(store) == current


def test_commands_that_only_read_never_upgrade_a_store(tmp_path, run_cli):
    from propscope.web.app import Settings, create_app

    db = tmp_path / "old.db"
    store = Store(f"sqlite:///{db}")

    def each_refuses() -> bool:
        for command in (("report",), ("echo",), ("batch", "--failures")):
            code, _, err = run_cli(*command, "--db", str(store.url))
            if code != 2 or "--upgrade-only" not in err or len(err.strip().splitlines()) != 1:
                return False
        with pytest.raises(StoreError, match="schema is at revision 0006"):
            create_app(Settings(db_url=str(store.url), read_only=True))
        return True

    def refused_then_upgraded_on_request() -> bool:
        left = _left_as_it_was(store, db, each_refuses) and _revision(store) == "0006"
        code, _, err = run_cli("reanalyze", "--db", str(store.url), "--upgrade-only")
        return left and code == 0 and "tables are those of this version" in err and _revision(store) != "0006"

    _store_stepped_back_then_migrated(store, "0006", refused_then_upgraded_on_request)
    assert run_cli("report", "--db", str(store.url))[0] == 0


@pytest.mark.parametrize(
    ("revisions", "message"),
    [
        (["0099"], "made by a newer propscope (schema 0099)"),
        ([], "holds no propscope store"),
        (["0006", "0007"], "not a store this propscope can open"),
    ],
)
def test_what_is_no_store_of_this_propscope_is_one_line(tmp_path, run_cli, revisions, message):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in revisions])
    before = db.read_bytes()
    write_articles(tmp_path / "in", 1)
    # commands that read and commands that would write alike, before anything is touched
    for command in (("reanalyze", "--dry-run"), ("report",), ("import", str(tmp_path / "in"))):
        code, _, err = run_cli(*command, "--db", f"sqlite:///{db}")
        if command[0] == "import" and not revisions:
            # an empty database is where a new store is made
            assert code == 0
            continue
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1, (command, err)
        assert db.read_bytes() == before


@pytest.mark.parametrize("command", ["batch", "import"])
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "database URL is empty"),
        ("sqlite:///", "names no database file"),
        ("sqlite:///file::memory:?uri=true", "names no database file"),
    ],
)
def test_a_database_url_that_names_no_file_is_one_line(tmp_path, run_cli, command, url, message):
    write_articles(tmp_path / "in", 1)
    code, _, err = run_cli(command, str(tmp_path / "in"), "--db", url)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_upgrading_a_store_fills_span_targets_from_stored_analyses(tmp_path, fake_tagger):
    from sqlalchemy import text

    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    article = article_from_text('Title\n\nMayor Lind said: "The Greens are traitors."\n', source="Herald")
    analysis = analyse_article(article, fake_tagger)
    assert analysis.spans[0].target
    with store.transaction() as session:
        save_analysis(session=session, analysis=analysis)
    _store_stepped_back_then_migrated(store, "0002")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT target FROM spans")).scalars().all() == [analysis.spans[0].target]


def test_upgrading_a_store_fills_target_confidences_from_stored_analyses(store_url, fake_tagger):
    from dataclasses import replace

    from sqlalchemy import text

    store = Store(store_url)
    article = article_from_text("Title\n\nMayor Lind called the Greens disgraceful traitors.\n", source="Herald")
    analysis = analyse_article(article, fake_tagger)
    expected = [span.target_confidence for span in analysis.spans]
    assert any(c is not None for c in expected)
    # an analysis stored before the ranker: targets, but no confidence in its document
    older = article_from_text("Older\n\nThe disgraceful Greens met.\n", source="Courier")
    before_ranker = analyse_article(older, fake_tagger)
    before_ranker = replace(before_ranker, spans=tuple(replace(s, target_confidence=None) for s in before_ranker.spans))
    assert any(s.target for s in before_ranker.spans)
    with store.transaction() as session:
        save_analysis(session=session, analysis=analysis)
        save_analysis(session=session, analysis=before_ranker)
    _store_stepped_back_then_migrated(store, "0003")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT target_confidence FROM spans ORDER BY id")).scalars().all()
    assert stored == expected + [None] * len(before_ranker.spans)


def test_a_locked_database_is_a_clear_error_and_loses_nothing(tmp_path, fake_tagger):
    store = Store(f"sqlite:///{tmp_path / 'l.db'}", lock_timeout=0.2)
    first = analyse_article(article_from_text("One\n\nThe traitors.\n"), fake_tagger)
    second = analyse_article(article_from_text("Two\n\nA disgraceful plan.\n"), fake_tagger)
    with store.transaction() as session:
        save_analysis(session=session, analysis=first)
    holder = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreError, match="database is locked"), store.transaction() as session:
        save_analysis(session=session, analysis=second)
    holder.execute("ROLLBACK")
    with store.transaction() as session:
        assert save_analysis(session=session, analysis=second)
    assert sqlite3.connect(tmp_path / "l.db").execute("select count(*) from articles").fetchone() == (2,)


def test_report_ranks_outlets_filters_a_period_and_writes_html(tmp_path, fake_tagger, run_cli):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    store = Store(url)
    items = [
        ("Herald", "2026-01-05", 'The minister said: "These traitors must go."\nCalm words.'),
        ("Courier", "2026-02-05", "The disgraceful traitors spread chaos.\nMore words."),
    ]
    store_dated(store, fake_tagger, items)
    html = tmp_path / "report.html"
    code, out, _ = run_cli("report", "--db", url, "--rank-by", "author-score", "--html", str(html))
    assert code == 0 and out.index("Courier") < out.index("Herald")
    assert "<svg" in html.read_text(encoding="utf-8") and "<script" not in html.read_text(encoding="utf-8")
    code, out, _ = run_cli("report", "--db", url, "--until", "2026-01-31")
    assert code == 0 and "Herald" in out and "Courier" not in out
    code, out, _ = run_cli("report", "--db", url, "--until", "2026-01")
    assert code == 0 and "Herald" in out and "Courier" not in out
    code, _, err = run_cli("report", "--db", url, "--since", "last week")
    assert code == 2 and "--since" in err
    code, _, err = run_cli("report", "--db", url, "--since", "2026-02-01", "--until", "2026-01")
    assert code == 2 and "starts (2026-02-01) after it ends (2026-01)" in err


def test_batch_exits_1_when_some_articles_failed(tmp_path, run_cli, use_fake_tagger):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Harbour vote\n\nThe disgraceful plan passed.\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02 binary \x00")
    code, _, err = run_cli("batch", str(folder), "--out", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 1 and "1 analysed" in err and "1 failed" in err
    code, _, err = run_cli("batch", str(folder / "good.txt"), "--out", str(tmp_path / "good.jsonl"), "--workers", "1")
    assert code == 0 and "0 failed" in err


def test_a_model_version_too_long_to_store_is_a_one_line_error(tmp_path, fake_tagger):
    from dataclasses import replace

    store = Store(f"sqlite:///{tmp_path / 'long.db'}")
    analysis = analyse_article(article_from_text("T\n\nThe traitors.\n"), fake_tagger)
    long_model = replace(analysis, model={**analysis.model, "version": "1.0.0-" + "x" * 30})
    with pytest.raises(InputError, match="too long to store"), store.transaction() as session:
        save_analysis(session=session, analysis=long_model)


def test_every_echo_of_a_story_two_outlets_carry_is_shown_as_written(tmp_path, run_cli, monkeypatch):
    from datetime import timedelta

    from propscope.store.echo import find_echoes

    store = Store(f"sqlite:///{tmp_path / 'carried.db'}")
    story = "Greedy vultures struck again, said one docker.\nThe quiet harbour hates the vultures of the board.\nCalm."
    store_dated(store, PhraseTagger(), [("Herald", "2026-03-01", story), ("Courier", "2026-03-02", story)])

    def no_spacy():
        raise AssertionError("spaCy loaded to show stored words")

    # the words are stored with where they were written: echo shows them without loading spaCy
    monkeypatch.setattr("propscope.segment._nlp", no_spacy)
    with store.transaction() as session:
        echoes = find_echoes(session=session, window=timedelta(days=7))
    assert len(echoes) == 2
    # each phrase lies in its own span of the same two articles, and is shown from that span
    assert sorted(e.as_written for e in echoes) == [
        "Greedy vultures struck again",
        "quiet harbour hates the vultures of the board",
    ]
    assert all(e.as_written in story for e in echoes)


def test_the_echo_table_shows_stored_words_as_written_not_as_markup(tmp_path, run_cli):
    store = Store(f"sqlite:///{tmp_path / 'markup.db'}")
    story = "The [bold]greedy[/] vultures [/] struck.\nCalm."
    store_dated(store, PhraseTagger(), [("Herald [x]", "2026-03-01", story), ("Courier", "2026-03-02", story)])
    code, out, err = run_cli("echo", "--db", f"sqlite:///{tmp_path / 'markup.db'}")
    assert code == 0, err
    assert "[bold]greedy[/] vultures" in out and "Herald [x]" in out
