import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from propscope.store.database import Store


def test_analyze_json_reports_title_once_dateline_and_exact_offsets(use_fake_tagger, crawled_file, run_cli):
    code, out, err = run_cli("analyze", str(crawled_file), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    text = crawled_file.read_text(encoding="utf-8")
    assert data["schema"] == "propscope-analysis/1"
    assert data["article"]["text"] == text
    assert data["article"]["dateline_place"] == "LISBON"
    assert data["article"]["dateline_outlet"] == "Daily Ledger"
    assert [s["text"] for s in data["spans"]] == ["disgraceful", "traitors", "catastrophic"]
    for span in data["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]
        assert span["explanation"]
    assert data["summary"]["sentences_with_propaganda"] == 2
    assert 0 <= data["summary"]["score"] <= 100


def test_analyze_filters(use_fake_tagger, crawled_file, run_cli):
    code, out, _ = run_cli("analyze", str(crawled_file), "--format", "json", "--technique", "Loaded_Language")
    assert code == 0
    assert [s["technique"] for s in json.loads(out)["spans"]] == ["Loaded_Language"]
    assert json.loads(out)["filters"] == {"min_confidence": 0.0, "techniques": ["Loaded_Language"]}
    code, out, _ = run_cli("analyze", str(crawled_file), "--format", "json", "--min-confidence", "0.95")
    assert json.loads(out)["spans"] == []
    assert json.loads(out)["filters"] == {"min_confidence": 0.95, "techniques": None}
    code, out, _ = run_cli("analyze", str(crawled_file), "--format", "json")
    assert json.loads(out)["filters"] == {"min_confidence": 0.0, "techniques": None}


def test_analyze_html_is_self_contained_and_escaped(use_fake_tagger, tmp_path, run_cli):
    path = tmp_path / "hostile.txt"
    path.write_text(
        'A <script>alert(1)</script> title\n\nThe disgraceful <img src=x onerror="alert(2)"> plan.\n', encoding="utf-8"
    )
    out_file = tmp_path / "report.html"
    code, _, err = run_cli("analyze", str(path), "--format", "html", "-o", str(out_file))
    assert code == 0, err
    html = out_file.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html
    assert "<mark" in html


def test_output_files_get_the_permissions_of_any_new_file(use_fake_tagger, crawled_file, run_cli, tmp_path):
    import os

    previous = os.umask(0o022)
    try:
        fresh, kept = tmp_path / "fresh.json", tmp_path / "kept.json"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o640)
        for out_file in (fresh, kept):
            assert run_cli("analyze", str(crawled_file), "--format", "json", "-o", str(out_file))[0] == 0
    finally:
        os.umask(previous)
    assert (fresh.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o640)


def test_plain_text_of_a_folder_names_each_file(use_fake_tagger, run_cli, tmp_path):
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text("Harbour vote\n\nThe disgraceful plan passed.\n", encoding="utf-8")
    code, out, _ = run_cli("analyze", str(tmp_path), "--format", "text")
    headers = [line for line in out.splitlines() if line.startswith("# ") and "model" in line]
    assert code == 0 and [h.split(" · ")[0] for h in headers] == [
        f"# {tmp_path / 'one.txt'}",
        f"# {tmp_path / 'two.txt'}",
    ]


def test_analyze_terminal_view(use_fake_tagger, crawled_file, run_cli, tmp_path, monkeypatch):
    code, out, _ = run_cli("analyze", str(crawled_file))
    assert code == 0
    assert "Propaganda score" in out and "Loaded language" in out
    # a file name that looks like Rich markup is shown as written
    odd = tmp_path / "draft [bold]v2.txt"
    odd.write_text(crawled_file.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a short name, so the panel shows it whole
    code, out, _ = run_cli("analyze", odd.name)
    assert code == 0 and "[bold]v2.txt" in "".join(out.split())


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: ((d / "empty.txt").write_text("") and d / "empty.txt") or d / "empty.txt", "empty input"),
        (lambda d: (d / "nothing").mkdir() or d / "nothing", "no articles in this folder"),
    ],
)
def test_bad_input_one_line_error(tmp_path, run_cli, setup, message, use_fake_tagger):
    target = setup(tmp_path)
    code, _, err = run_cli("analyze", str(target))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_malformed_jsonl_goes_on_when_asked(use_fake_tagger, tmp_path, run_cli):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "The disgraceful plan."}\n{oops\n{"text": "Calm words."}\n', encoding="utf-8")
    code, _, err = run_cli("analyze", str(path), "--format", "jsonl")
    assert code == 2 and "in.jsonl:2" in err and "use --skip-bad-records" in err
    code, out, err = run_cli("analyze", str(path), "--format", "jsonl", "--skip-bad-records")
    assert code == 1 and "in.jsonl:2" in err
    assert len(out.splitlines()) == 2


def test_failed_run_leaves_no_output_file(use_fake_tagger, tmp_path, run_cli):
    out_file = tmp_path / "out.json"
    code, _, _ = run_cli("analyze", str(tmp_path / "missing.txt"), "--format", "json", "-o", str(out_file))
    assert code == 2 and not out_file.exists()


def test_unknown_technique_and_bad_confidence(use_fake_tagger, crawled_file, run_cli):
    code, _, err = run_cli("analyze", str(crawled_file), "--technique", "Nonsense")
    assert code == 2 and "unknown technique 'Nonsense'" in err
    code, _, err = run_cli("analyze", str(crawled_file), "--min-confidence", "3")
    assert code == 2 and "between 0 and 1" in err


def test_predict_and_evaluate_round_trip(use_fake_tagger, tmp_path, run_cli):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article7.txt").write_text("Title\n\nA disgraceful and catastrophic plan.\n", encoding="utf-8")
    gold = tmp_path / "gold.labels"
    gold.write_text("7\tLoaded_Language\t9\t20\n7\tExaggeration,Minimisation\t25\t37\n", encoding="utf-8")
    pred = tmp_path / "pred.txt"
    code, out, err = run_cli("predict", "--task", "flc", str(articles), "-o", str(pred))
    assert code == 0 and out == "" and f"wrote 2 flc rows to {pred}" in err
    code, out, err = run_cli("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred), "--json")
    assert code == 0, err
    scores = json.loads(out)
    assert scores["overall"]["f1"] == pytest.approx(1.0)
    assert scores["per_technique"]["Loaded_Language"]["f1"] == pytest.approx(1.0)
    code, out, _ = run_cli("evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(pred))
    assert code == 0 and "micro-F1 1.0000" in out


def test_evaluate_bad_files(tmp_path, run_cli):
    gold = tmp_path / "gold.labels"
    gold.write_text("7\t9\t20\n", encoding="utf-8")
    pred = tmp_path / "pred.txt"
    pred.write_text("7\tnine\t20\n", encoding="utf-8")
    code, _, err = run_cli("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred))
    assert code == 2 and "pred.txt:1: start and end must be whole numbers" in err
    pred.write_text("7\t9\t20\n", encoding="utf-8")
    code, _, err = run_cli("evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(pred))
    assert code == 2 and "TC needs a technique" in err


def test_predict_tc_needs_template(use_fake_tagger, tmp_path, run_cli):
    code, _, err = run_cli("predict", "--task", "tc", str(tmp_path), "-o", str(tmp_path / "x"))
    assert code == 2 and "--spans" in err


def test_stdin_and_entities(use_fake_tagger, run_cli, monkeypatch):
    import io
    import sys

    text = "Harbour news\n\nMayor Ellen Ward visited Lisbon on Monday and called the plan disgraceful.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, out, _ = run_cli("analyze", "-", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["article"]["origin"] == "<stdin>"
    for entity in data["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert "Lisbon" in {e["text"] for e in data["entities"]}


@pytest.mark.parametrize(
    ("stdin_format", "records"),
    [
        (
            "jsonl",
            '{"text": "One\\n\\nThe traitors left.\\n", "source": "Herald"}\n{"text": "Two\\n\\nA disgraceful plan.\\n"}\n',
        ),
        ("csv", 'title,text,source\nOne,"The traitors left.",Herald\nTwo,"A disgraceful plan.",\n'),
    ],
)
def test_records_piped_to_stdin_are_read_as_records(use_fake_tagger, run_cli, monkeypatch, stdin_format, records):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(records.encode("utf-8"))))
    code, out, _ = run_cli("analyze", "-", "--stdin-format", stdin_format, "--format", "jsonl")
    analyses = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [a["article"]["source"] for a in analyses] == ["Herald", None]


def test_unreachable_url_is_one_line(run_cli):
    code, _, err = run_cli("analyze", "http://nothing-here.invalid/page")
    assert code == 2 and err.count("\n") == 1 and "could not fetch" in err


def test_evaluate_counts_predictions_on_articles_without_gold(tmp_path, run_cli):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "article1.task-si.labels").write_text("1\t0\t10\n", encoding="utf-8")
    (gold / "article2.task-si.labels").write_text("", encoding="utf-8")
    pred = tmp_path / "pred.txt"
    pred.write_text("1\t0\t10\n2\t0\t5\n", encoding="utf-8")
    code, out, err = run_cli("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred), "--json")
    assert code == 0, err
    assert json.loads(out)["overall"]["precision"] == pytest.approx(0.5)
    pred.write_text("1\t0\t10\n1\t5\t12\n", encoding="utf-8")
    code, _, err = run_cli("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred))
    assert code == 2 and "overlap in article 1" in err


def test_output_path_that_is_a_folder(use_fake_tagger, crawled_file, tmp_path, run_cli):
    code, _, err = run_cli("analyze", str(crawled_file), "--format", "json", "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err


ATTRIBUTED_ARTICLE = (
    "Harbour row deepens\n\n"
    "Mayor Ann Price spoke on Monday.\n"
    "“The board are shameless crooks,” she said.\n"
    "The reckless plan will ruin the town.\n"
)


def _annotation(text: str, rows: list[tuple], article_id: str = "1") -> str:
    """Annotation lines for (fragment, technique, voice, speaker, target) written as offsets."""
    lines = [
        "\t".join(
            (
                "article_id",
                "start",
                "end",
                "technique",
                "voice",
                *(f"{c}_{e}" for c in ("speaker", "target") for e in ("start", "end")),
            )
        )
    ]
    for fragment, technique, voice, speaker, target in rows:
        start = text.index(fragment)
        cells = [article_id, str(start), str(start + len(fragment)), technique, voice]
        for mention in (speaker, target):
            at = text.index(mention) if mention else -1
            cells += [str(at), str(at + len(mention))] if mention else ["", ""]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def test_evaluate_attribution_pools_files_with_intervals_and_confusion(tmp_path, run_cli):
    (tmp_path / "article1.txt").write_text(ATTRIBUTED_ARTICLE, encoding="utf-8")
    right = _annotation(
        ATTRIBUTED_ARTICLE, [("shameless crooks", "Name_Calling,Labeling", "quoted", "Ann Price", "board")]
    )
    wrong = _annotation(ATTRIBUTED_ARTICLE, [("reckless plan", "Loaded_Language", "reported", "Ann Price", "")])
    (tmp_path / "right.tsv").write_text(right, encoding="utf-8")
    (tmp_path / "wrong.tsv").write_text(wrong, encoding="utf-8")
    code, out, err = run_cli(
        "evaluate-attribution",
        "--gold",
        str(tmp_path / "right.tsv"),
        "--gold",
        str(tmp_path / "wrong.tsv"),
        "--articles",
        str(tmp_path),
        "--json",
        "--rows",
        str(tmp_path / "rows.tsv"),
    )
    assert code == 0, err
    figures = json.loads(out)
    assert (figures["voice"]["right"], figures["voice"]["total"]) == (1, 2)
    # every row beside what was found for it, as offsets into the article
    found = list(csv.DictReader((tmp_path / "rows.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert [(r["found_voice"], r["voice_right"], r["speaker_right"]) for r in found] == [
        ("quoted", "1", "1"),
        ("author", "0", "0"),
    ]
    speaker = ATTRIBUTED_ARTICLE[int(found[0]["found_speaker_start"]) : int(found[0]["found_speaker_end"])]
    assert speaker == "she" and found[1]["found_speaker_start"] == ""
    target = ATTRIBUTED_ARTICLE[int(found[0]["found_target_start"]) : int(found[0]["found_target_end"])]
    assert target.endswith("board") and found[0]["target_right"] == "1" and found[1]["target_right"] == ""
    assert (figures["speaker"]["right"], figures["speaker"]["total"]) == (1, 2)
    assert (figures["target"]["right"], figures["target"]["total"]) == (1, 1)
    assert figures["voice_confusion"] == {"quoted->quoted": 1, "reported->author": 1}
    low, high = figures["voice"]["interval_95"]
    assert low <= figures["voice"]["accuracy"] <= high  # one article: no spread to resample


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda a: a.replace("\treported\t", "\tshouted\t"), "voice must be one of"),
        (lambda a: a.rsplit("\t", 4)[0] + "\n", "expected 9 tab-separated cells"),
        (lambda a: a.rstrip("\n").rsplit("\t", 1)[0] + "\t\n", "target_start and target_end must both be"),
        (lambda a: a.split("\n", 1)[0] + "\n", "no annotation rows (a header with"),
        (lambda a: a.rstrip("\n").rsplit("\t", 1)[0] + "\t99999999\n", "reaches past its"),
    ],
)
def test_evaluate_attribution_bad_annotations_are_one_line(tmp_path, run_cli, spoil, message):
    (tmp_path / "article1.txt").write_text(ATTRIBUTED_ARTICLE, encoding="utf-8")
    annotation = _annotation(
        ATTRIBUTED_ARTICLE, [("reckless plan", "Loaded_Language", "reported", "Ann Price", "board")]
    )
    (tmp_path / "bad.tsv").write_text(spoil(annotation), encoding="utf-8")
    code, _, err = run_cli("evaluate-attribution", "--gold", str(tmp_path / "bad.tsv"), "--articles", str(tmp_path))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_evaluate_attribution_rows_into_a_missing_folder_is_one_line_before_any_work(tmp_path, run_cli):
    # no article folder either: the output path is checked first
    gold = tmp_path / "gold.tsv"
    gold.write_text(
        _annotation(ATTRIBUTED_ARTICLE, [("reckless plan", "Loaded_Language", "author", "", "")]), encoding="utf-8"
    )
    missing = tmp_path / "no-such-folder" / "rows.tsv"
    code, _, err = run_cli(
        "evaluate-attribution", "--gold", str(gold), "--articles", str(tmp_path / "none"), "--rows", str(missing)
    )
    assert code == 2 and "does not exist" in err and "no-such-folder" in err and len(err.strip().splitlines()) == 1


def test_evaluate_attribution_finds_articles_in_several_folders(tmp_path, run_cli):
    train, unlabelled = tmp_path / "train", tmp_path / "test"
    train.mkdir()
    unlabelled.mkdir()
    (train / "article1.txt").write_text(ATTRIBUTED_ARTICLE, encoding="utf-8")
    (unlabelled / "article2.txt").write_text(ATTRIBUTED_ARTICLE, encoding="utf-8")
    rows = [("shameless crooks", "Name_Calling,Labeling", "quoted", "Ann Price", "board")]
    annotation = _annotation(ATTRIBUTED_ARTICLE, rows)
    annotation += _annotation(ATTRIBUTED_ARTICLE, rows, article_id="2").split("\n", 1)[1]
    (tmp_path / "gold.tsv").write_text(annotation, encoding="utf-8")
    gold = ("evaluate-attribution", "--gold", str(tmp_path / "gold.tsv"))
    code, out, err = run_cli(*gold, "--articles", str(train), "--articles", str(unlabelled), "--json")
    assert code == 0, err
    assert json.loads(out)["articles"] == 2
    code, _, err = run_cli(*gold, "--articles", str(train))
    assert code == 2 and f"article 2 is not in {train}" in err and len(err.strip().splitlines()) == 1


def test_evaluate_attribution_an_article_that_is_not_utf8_is_one_line(tmp_path, run_cli):
    (tmp_path / "article1.txt").write_bytes(ATTRIBUTED_ARTICLE.encode("cp1252") + b"\xff\xfe")
    annotation = _annotation(ATTRIBUTED_ARTICLE, [("reckless plan", "Loaded_Language", "reported", "Ann Price", "")])
    (tmp_path / "gold.tsv").write_text(annotation, encoding="utf-8")
    code, _, err = run_cli("evaluate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path))
    assert code == 2 and "not UTF-8 text" in err and len(err.strip().splitlines()) == 1


TOWNS = ("Porthaven", "Eastmere", "Kilbrook", "Dunmarsh", "Westholm", "Ashcombe")


def test_train_targets_cross_validates_writes_a_checked_ranker_that_evaluate_uses(tmp_path, run_cli):
    _town_articles(tmp_path, "dock board")
    out = tmp_path / "ranker"
    code, printed, err = run_cli(
        "train-targets", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path), "--out", str(out)
    )
    assert code == 0, err
    record = json.loads(printed)
    assert record["spans"] == 6 and record["articles"] == 6
    assert set(record["cv_accuracy"]) == {"32", "64"} and record["hidden_units"] in (32, 64)
    assert 0 <= record["cv_ece"] <= 1
    written = (out / "target-ranker.json").read_bytes()
    # training is deterministic: the same annotations give the same bytes
    code, _, err = run_cli(
        "train-targets", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path), "--out", str(out)
    )
    assert code == 0, err
    assert (out / "target-ranker.json").read_bytes() == written
    evaluate = (
        *("evaluate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--ranker", str(out / "target-ranker.json"), "--json"),
    )
    code, printed, err = run_cli(*evaluate)
    assert code == 0, err
    figures = json.loads(printed)
    assert figures["target"]["total"] == 6
    assert figures["target_calibration"]["targets"] == 6
    # the ranker evaluated is the one just written: a changed byte is caught
    weights = out / "target-ranker.json"
    spoilt = weights.read_text(encoding="utf-8").replace('"intercept": ', '"intercept": 1')
    weights.write_text(spoilt, encoding="utf-8")
    code, _, err = run_cli(*evaluate)
    assert code == 2 and "checksum mismatch" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_train_targets_fine_tune_writes_a_checked_chooser_that_evaluate_uses(tmp_path, run_cli):
    pytest.importorskip("torch")
    _town_articles(tmp_path, "dock board")
    out = tmp_path / "chooser"
    code, printed, err = run_cli(
        *("train-targets", "--fine-tune", "--epochs", "1", "--gold", str(tmp_path / "gold.tsv")),
        *("--articles", str(tmp_path), "--out", str(out)),
    )
    assert code == 0, err
    record = json.loads(printed)
    assert record["spans"] == 6 and record["articles"] == 6 and record["epochs"] == 1
    held_out = record["held_out"]
    assert held_out["articles"] == 1 and held_out["spans"] == 1
    assert held_out["accuracy"] in (0.0, 1.0) and 0 <= held_out["ece"] <= 1
    evaluate = (
        *("evaluate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--chooser", str(out), "--json"),
    )
    code, printed, err = run_cli(*evaluate)
    assert code == 0, err
    figures = json.loads(printed)
    assert figures["target"]["total"] == 6 and figures["target_calibration"]["targets"] == 6
    settings = out / "target-chooser.json"
    settings.write_text(settings.read_text(encoding="utf-8").replace('"margin": ', '"margin": 1'), encoding="utf-8")
    code, _, err = run_cli(*evaluate)
    assert code == 2 and "checksum mismatch" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--fine-tune", "--epochs", "0"), "--epochs must be at least 1"),
        (("--fine-tune",), "nothing to learn from"),
        (("--fine-tune", "--folds", "3"), "--folds is for the ranker"),
        (("--epochs", "3"), "--epochs is for fine-tuning"),
    ],
)
def test_train_targets_fine_tune_that_cannot_learn_is_one_line(tmp_path, run_cli, options, message):
    pytest.importorskip("torch")
    _town_articles(tmp_path, "votes")
    code, _, err = run_cli(
        *("train-targets", *options, "--gold", str(tmp_path / "gold.tsv")),
        *("--articles", str(tmp_path), "--out", str(tmp_path / "chooser")),
    )
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not any((tmp_path / "chooser").glob("*"))


def test_train_targets_into_a_file_is_one_line_before_any_work(tmp_path, run_cli):
    _town_articles(tmp_path, "dock board")
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    code, _, err = run_cli(
        *("train-targets", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--out", str(tmp_path / "taken" / "ranker")),
    )
    assert code == 2 and "cannot make this folder" in err and len(err.strip().splitlines()) == 1


def test_evaluate_attribution_with_a_missing_chooser_is_one_line(tmp_path, run_cli):
    _town_articles(tmp_path, "dock board")
    code, _, err = run_cli(
        *("evaluate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--chooser", str(tmp_path / "none")),
    )
    assert code == 2 and "target chooser missing" in err and len(err.strip().splitlines()) == 1


def _town_articles(tmp_path, target: str) -> None:
    lines = []
    for number, town in enumerate(TOWNS, start=1):
        text = f"{town} votes\n\nThe {town} council met on Monday.\nCritics called the dock board a nest of crooks.\n"
        (tmp_path / f"article{number}.txt").write_text(text, encoding="utf-8")
        rows = [("a nest of crooks", "Name_Calling,Labeling", "author", "", target)]
        lines += _annotation(text, rows, str(number)).splitlines()[0 if number == 1 else 1 :]
    (tmp_path / "gold.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("target", "folds", "message"),
    [("dock board", "1", "--folds must be at least 2"), ("votes", "5", "nothing to learn from")],
)
def test_train_targets_that_cannot_learn_is_one_line(tmp_path, run_cli, target, folds, message):
    _town_articles(tmp_path, target)
    code, _, err = run_cli(
        *("train-targets", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--out", str(tmp_path / "ranker"), "--folds", folds),
    )
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_train_targets_with_too_few_articles_is_one_line(tmp_path, run_cli):
    (tmp_path / "article1.txt").write_text(ATTRIBUTED_ARTICLE, encoding="utf-8")
    gold = _annotation(
        ATTRIBUTED_ARTICLE, [("shameless crooks", "Name_Calling,Labeling", "quoted", "Ann Price", "board")]
    )
    (tmp_path / "gold.tsv").write_text(gold, encoding="utf-8")
    code, _, err = run_cli(
        "train-targets", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path), "--out", str(tmp_path / "r")
    )
    assert code == 2 and "at least 5 annotated articles" in err and len(err.strip().splitlines()) == 1


def _harbour_articles(tmp_path: Path, articles: int = 6, all_right: bool = False) -> None:
    """Articles where the rules quote Ann Price; the annotations agree on half the speakers and
    give the author's closing line to her as a report, so some answers are right and some wrong."""
    lines: list[str] = []
    for number in range(1, articles + 1):
        (tmp_path / f"article{number}.txt").write_text(ATTRIBUTED_ARTICLE, encoding="utf-8")
        speaker = "Ann Price" if all_right or number % 2 else "Harbour"
        rows = [("shameless crooks", "Name_Calling,Labeling", "quoted", speaker, "board")]
        if not all_right:
            rows.append(("reckless plan", "Loaded_Language", "reported", "Ann Price", ""))
        lines += _annotation(ATTRIBUTED_ARTICLE, rows, str(number)).splitlines()[0 if number == 1 else 1 :]
    (tmp_path / "gold.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_calibrate_attribution_writes_checked_confidences_that_evaluate_uses(tmp_path, run_cli):
    _harbour_articles(tmp_path)
    out = tmp_path / "confidence"
    calibrate = (
        *("calibrate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--out", str(out), "--folds", "3"),
    )
    code, printed, err = run_cli(*calibrate)
    assert code == 0, err
    record = json.loads(printed)
    assert record["articles"] == 6 and record["folds"] == 3
    assert (record["voice"]["spans"], record["voice"]["share_right"]) == (12, 0.5)
    assert (record["speaker"]["spans"], record["speaker"]["share_right"]) == (6, 0.5)
    assert 0 <= record["voice"]["cv_ece"] <= 1 and record["voice"]["constant_brier"] == 0.25
    written = (out / "attribution-confidence.json").read_bytes()
    code, _, err = run_cli(*calibrate)
    assert code == 0, err
    assert (out / "attribution-confidence.json").read_bytes() == written
    evaluate = (
        *("evaluate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--confidence", str(out / "attribution-confidence.json"), "--rules-only", "--json"),
    )
    code, printed, err = run_cli(*evaluate)
    assert code == 0, err
    figures = json.loads(printed)
    assert figures["voice_calibration"]["spans"] == 12 and figures["speaker_calibration"]["speakers"] == 6
    # measured on the annotations they were fitted on, and the figures say so
    assert figures["confidences_fitted_on"] == ["gold.tsv"] and figures["chooser_trained_on"] == []
    # a file of the name of one the bundled chooser was trained on is noted as in-sample too
    in_sample = tmp_path / "attribution-test41.tsv"
    in_sample.write_bytes((tmp_path / "gold.tsv").read_bytes())
    code, printed, err = run_cli("evaluate-attribution", "--gold", str(in_sample), "--articles", str(tmp_path))
    assert code == 0, err
    assert "note: the target chooser was trained on attribution-test41.tsv: in-sample target figures" in printed
    # the rule the confidences must beat: a constant at the accuracy they were fitted on
    assert figures["voice_calibration"]["constant"] == 0.5
    assert figures["voice_calibration"]["constant_brier"] == pytest.approx(0.25)
    # a fitted confidence tells the quoted spans (right) from the closing line (wrong)
    assert figures["voice_calibration"]["brier"] < 0.25
    spoilt = (
        (out / "attribution-confidence.json").read_text(encoding="utf-8").replace('"intercept": ', '"intercept": 1')
    )
    (out / "attribution-confidence.json").write_text(spoilt, encoding="utf-8")
    code, _, err = run_cli(*evaluate)
    assert code == 2 and "checksum mismatch" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("articles", "all_right", "folds", "message"),
    [
        (6, False, "1", "--folds must be at least 2"),
        (6, True, "3", "every voice on these annotations is right, or every one wrong"),
        (2, False, "3", "at least 3 annotated articles"),
    ],
)
def test_calibrate_attribution_that_cannot_fit_is_one_line(tmp_path, run_cli, articles, all_right, folds, message):
    _harbour_articles(tmp_path, articles, all_right)
    code, _, err = run_cli(
        *("calibrate-attribution", "--gold", str(tmp_path / "gold.tsv"), "--articles", str(tmp_path)),
        *("--out", str(tmp_path / "confidence"), "--folds", folds),
    )
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_the_command_line_starts_without_loading_spacy_or_numpy():
    # every command pays for what the command line imports before it parses its arguments
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, propscope.cli.main; print(sorted({'spacy', 'numpy'} & set(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("serve", "--port", "99999"), "from 1 to 65535"),
        (("echo", "--db", "sqlite:///x.db", "--min-outlets", "1"), "at least 2"),
        (("analyze", "--max-bytes", "0", "x.txt"), "from 1 to"),
        (("analyze", "--max-bytes", "99999999999999999999", "x.txt"), "from 1 to"),
        (("report", "--db", "sqlite:///x.db", "--by", "year"), "invalid choice"),
    ],
)
def test_usage_errors_are_one_line(run_cli, capsys, arguments, message):
    with pytest.raises(SystemExit) as stopped:
        run_cli(*arguments)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_an_echo_window_beyond_the_calendar_is_a_one_line_error(tmp_path, run_cli):
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    Store(url)
    for window in ("99999999999d", "²d", "３d"):
        code, _, err = run_cli("echo", "--db", url, "--window", window)
        assert code == 2 and "window" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["report", "echo", "import", "reanalyze"])
def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path, run_cli, command):
    (tmp_path / "notes.txt").write_text("Harbour notes\n\nNot a database at all.\n", encoding="utf-8")
    code, _, err = run_cli(command, "--db", f"sqlite:///{tmp_path / 'notes.txt'}", *_required_input(command, tmp_path))
    assert code == 2 and "not a usable database" in err and len(err.strip().splitlines()) == 1


def _required_input(command: str, tmp_path) -> tuple[str, ...]:
    if command == "import":
        (tmp_path / "in.jsonl").write_text('{"text": "Title\\n\\nBody."}\n', encoding="utf-8")
        return (str(tmp_path / "in.jsonl"),)
    return ()


@pytest.mark.parametrize("command", ["report", "echo", "reanalyze"])
def test_reading_a_database_that_is_not_there_does_not_create_it(tmp_path, run_cli, command):
    missing = tmp_path / "missing.db"
    code, _, err = run_cli(command, "--db", f"sqlite:///{missing}")
    assert code == 2 and "no database at" in err and not missing.exists()


def test_skip_bad_records_skips_an_article_the_parser_cannot_take(tmp_path, run_cli, use_fake_tagger):
    (tmp_path / "good.txt").write_text("Harbour vote\n\nThe disgraceful plan passed.\n", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("One line\n\n" + "harbour " * 130_000 + "\n", encoding="utf-8")
    code, out, err = run_cli("analyze", str(tmp_path), "--format", "json")
    assert code == 2 and "huge.txt: a paragraph of" in err
    code, out, err = run_cli("analyze", str(tmp_path), "--format", "json", "--skip-bad-records")
    assert code == 1 and "huge.txt" in err and "good.txt" in out


def test_serve_on_a_port_in_use_is_a_one_line_error_before_any_work(run_cli, tmp_path):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        db = tmp_path / "never.db"
        code, _, err = run_cli("serve", "--port", str(port), "--db", f"sqlite:///{db}")
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and len(err.strip().splitlines()) == 1
    assert "workbench is at" not in err and not db.exists()


def test_output_to_a_missing_folder_is_refused_before_any_analysis(use_fake_tagger, crawled_file, run_cli, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("analysed although the output could not be written")

    monkeypatch.setattr("propscope.cli.analyze.analyze_many", never)
    monkeypatch.setattr("propscope.cli.predict.default_tagger", never)
    missing = crawled_file.parent / "no-such-folder" / "out.json"
    code, out, err = run_cli("analyze", str(crawled_file), "--format", "json", "-o", str(missing))
    assert code == 2 and "does not exist" in err and out == ""
    code, out, err = run_cli("predict", "--task", "si", str(crawled_file.parent), "-o", str(missing))
    assert code == 2 and "does not exist" in err and out == ""


def test_stdin_format_with_a_file_is_refused(use_fake_tagger, crawled_file, run_cli):
    code, _, err = run_cli("analyze", str(crawled_file), "--stdin-format", "csv")
    assert code == 2 and "--stdin-format is for -" in err and len(err.strip().splitlines()) == 1


def test_version_names_the_package_model_and_attribution(run_cli, capsys):
    from propscope.versions import ATTRIBUTION_VERSION

    with pytest.raises(SystemExit) as stopped:
        run_cli("--version")
    out = capsys.readouterr().out
    assert stopped.value.code == 0 and out.startswith("propscope ") and f"attribution {ATTRIBUTION_VERSION}" in out
    assert "tagging model propscope-minilm" in out and len(out.splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("{tmp}/corpus.db", "is not a database URL: for a file write sqlite:///{tmp}/corpus.db"),
        ("sqlite:///{tmp}/no-such-folder/corpus.db", "the folder {tmp}/no-such-folder does not exist"),
        ("mysql://somebody@localhost/corpus", "SQLite (sqlite:///path.db) or PostgreSQL (postgresql://…), not mysql"),
    ],
)
def test_a_database_url_propscope_cannot_use_says_what_to_write(use_fake_tagger, tmp_path, run_cli, url, message):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text("A title\n\nA plain sentence of my own.\n", encoding="utf-8")
    url, message = url.format(tmp=tmp_path), message.format(tmp=tmp_path)
    code, _, err = run_cli("batch", str(articles), "--db", url)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["articles"]


def test_evaluate_tc_refuses_unknown_techniques_and_notes_spans_off_the_template(tmp_path, run_cli):
    gold = tmp_path / "gold.labels"
    gold.write_text("7\tLoaded_Language\t9\t20\n7\tDoubt\t25\t37\n", encoding="utf-8")
    misnamed = tmp_path / "misnamed.txt"
    misnamed.write_text("7\tLoaded Language\t9\t20\n7\tDoubt\t25\t37\n", encoding="utf-8")
    code, _, err = run_cli("evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(misnamed))
    assert code == 2 and "misnamed.txt: unknown technique 'Loaded Language'" in err and len(err.splitlines()) == 1
    partial = tmp_path / "partial.txt"
    partial.write_text("7\tLoaded_Language\t9\t20\n7\tDoubt\t40\t45\n", encoding="utf-8")
    code, out, err = run_cli("evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(partial))
    assert code == 0 and "micro-F1 0.5000" in out
    assert "label 1 spans the gold does not have and leave 1 gold spans unlabelled" in err
    code, _, err = run_cli("evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(gold))
    assert code == 0 and err == ""
    code, _, err = run_cli("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(tmp_path))
    assert code == 2 and "is a folder; give the predictions file" in err
