"""What commands print when their output goes to a file or a pipe (as under capsys): whole lines
a log can be read and searched by, never a progress bar's last frame or text wrapped at 80 columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propscope.versions import installed_version

#: a terminal's width, which output going to a file must not be held to
TERMINAL_COLUMNS = "80"


@pytest.fixture(autouse=True)
def terminal_width(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", TERMINAL_COLUMNS)


def write_harbour_articles(folder: Path, count: int) -> Path:
    """Articles written for these tests, in a folder with a long path, as a real corpus has."""
    folder = folder / "corpora" / "northport-evening-chronicle" / "2026-03"
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"harbour-vote-{number}.txt").write_text(
            f"Harbour vote, day {number}\n\nThe disgraceful plan for the harbour was debated again.\n"
            "Dockers said the chaos would never end.\n",
            encoding="utf-8",
        )
    return folder


def test_a_redirected_batch_prints_one_whole_summary_line(tmp_path, use_fake_tagger, run_cli):
    articles = write_harbour_articles(tmp_path, 3)
    code, out, err = run_cli("batch", str(articles), "--out", str(tmp_path / "out.jsonl"))
    assert code == 0 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("3 articles read: 3 analysed, 0 already done, 0 failed; 6 spans; ")
    assert line.endswith(" articles/s")


def test_forced_colour_does_not_put_a_progress_bar_in_a_log(tmp_path, use_fake_tagger, run_cli, monkeypatch):
    # CI and containers set FORCE_COLOR, which Rich also takes for a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    articles = write_harbour_articles(tmp_path, 3)
    code, _, err = run_cli("batch", str(articles), "--out", str(tmp_path / "out.jsonl"))
    # colours as asked, but no cursor codes of a bar, and one whole line
    assert code == 0 and "\x1b[?25l" not in err
    (line,) = re.sub(r"\x1b\[[0-9;]*m", "", err).splitlines()
    assert line.startswith("3 articles read") and line.rstrip().endswith("articles/s")


def test_a_skipped_record_is_one_line_naming_its_file_as_written(tmp_path, use_fake_tagger, run_cli):
    folder = tmp_path / "exports [/draft]" / "northport-evening-chronicle-archive-with-a-long-name"
    folder.mkdir(parents=True)
    export = folder / "harbour [bold]votes.jsonl"
    export.write_text('{"text": "Harbour vote\\n\\nThe disgraceful plan."}\n{broken\n', encoding="utf-8")
    code, _, err = run_cli("analyze", str(export), "--format", "json", "--skip-bad-records")
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("skipped ") and f"{export}:2" in line


def test_a_redirected_reanalyze_says_each_thing_in_one_line(tmp_path, use_fake_tagger, run_cli):
    db = f"sqlite:///{tmp_path / 'harbour.db'}"
    assert run_cli("import", str(write_harbour_articles(tmp_path, 2)), "--db", db)[0] == 0
    use_fake_tagger.version = "2.0.0-rc.1"
    needing_it = f"2 articles were last analysed by a version other than {installed_version(use_fake_tagger.version)}"
    assert len(needing_it) > int(TERMINAL_COLUMNS)
    code, _, err = run_cli("reanalyze", "--db", db, "--dry-run")
    assert code == 0 and err.splitlines() == [needing_it]
    code, _, err = run_cli("reanalyze", "--db", db)
    assert code == 0, err
    counted, summary = err.splitlines()
    assert counted == needing_it and summary.startswith("2 articles read: 2 analysed")


def test_report_html_names_the_file_it_wrote(tmp_path, use_fake_tagger, run_cli):
    db = f"sqlite:///{tmp_path / 'harbour.db'}"
    assert run_cli("import", str(write_harbour_articles(tmp_path, 1)), "--db", db)[0] == 0
    page = tmp_path / "reports" / "harbour-outlets.html"
    page.parent.mkdir()
    code, _, err = run_cli("report", "--db", db, "--html", str(page))
    assert code == 0 and page.exists()
    assert err == f"propscope: wrote the HTML report to {page}\n"


def test_failures_of_a_store_without_any_are_one_line(tmp_path, use_fake_tagger, run_cli):
    db = f"sqlite:///{tmp_path / 'harbour.db'}"
    assert run_cli("import", str(write_harbour_articles(tmp_path, 1)), "--db", db)[0] == 0
    code, out, _ = run_cli("batch", "--failures", "--db", db)
    assert code == 0 and out == f"no failures recorded in {db}\n"


def test_a_redirected_failures_table_keeps_each_reason_whole_and_as_written(tmp_path, use_fake_tagger, run_cli):
    db = f"sqlite:///{tmp_path / 'harbour.db'}"
    articles = write_harbour_articles(tmp_path, 1)
    # square brackets, which Rich would read as markup
    (articles / "notes [draft].txt").write_bytes(b"")
    assert run_cli("batch", str(articles), "--db", db)[0] == 1
    code, out, _ = run_cli("batch", "--failures", "--db", db)
    assert code == 0 and "1 failures" in out
    assert any(
        f"{articles / 'notes [draft].txt'}: empty input, nothing to analyse" in line for line in out.splitlines()
    )
