from pathlib import Path

import pytest

from propscope.errors import InputError
from propscope.predict import format_rows, predict_flc, predict_si, predict_tc
from propscope.techniques import TECHNIQUE_IDS
from tests.conftest import CRAWLED_ARTICLE


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article1.txt").write_text(CRAWLED_ARTICLE, encoding="utf-8")
    (folder / "article2.txt").write_text("Calm title\n\nNothing loaded here at all.\n", encoding="utf-8")
    return folder


def test_flc_and_si_offsets_index_the_files(articles_dir, fake_tagger):
    flc = predict_flc(articles_dir, fake_tagger)
    text = (articles_dir / "article1.txt").read_text(encoding="utf-8")
    assert {text[s:e] for _, _, s, e in flc} == {"disgraceful", "traitors", "catastrophic"}
    assert all(article_id == "1" for article_id, *_ in flc)
    si = predict_si(articles_dir, fake_tagger)
    assert sorted((s, e) for _, s, e in si) == sorted((s, e) for _, _, s, e in flc)
    lines = format_rows(si).splitlines()
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_tc_fills_template_in_order_and_repeated_spans_get_distinct_techniques(articles_dir, fake_tagger, tmp_path):
    template = tmp_path / "template.labels"
    template.write_text("1\t?\t10\t20\n2\t?\t0\t4\n1\t?\t10\t20\n", encoding="utf-8")
    rows = predict_tc(articles_dir, template, fake_tagger)
    assert [(r[0], r[2], r[3]) for r in rows] == [("1", 10, 20), ("2", 0, 4), ("1", 10, 20)]
    assert rows[0][1] != rows[2][1]
    assert all(r[1] in TECHNIQUE_IDS for r in rows)


def test_tc_template_naming_a_missing_article(articles_dir, fake_tagger, tmp_path):
    template = tmp_path / "template.labels"
    template.write_text("999\t?\t0\t4\n", encoding="utf-8")
    with pytest.raises(InputError, match="article 999 is not in"):
        predict_tc(articles_dir, template, fake_tagger)


def test_bom_and_empty_files_keep_offsets_exact(tmp_path, fake_tagger):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article1.txt").write_bytes("\ufeffTitle\n\nThe disgraceful plan.\n".encode())
    (folder / "article2.txt").write_bytes(b"")
    rows = predict_flc(folder, fake_tagger)
    text = (folder / "article1.txt").read_bytes().decode("utf-8")
    assert [(text[s:e]) for _, _, s, e in rows] == ["disgraceful"]


def test_template_span_beyond_the_article(articles_dir, fake_tagger, tmp_path):
    template = tmp_path / "template.labels"
    template.write_text("2\t?\t0\t100000\n", encoding="utf-8")
    with pytest.raises(InputError, match="beyond the end of article 2"):
        predict_tc(articles_dir, template, fake_tagger)
