import json
import re

import pytest

from propscope.document import is_calendar_day
from propscope.errors import InputError
from propscope.ingest.sources import CSV_HEADER_SAMPLE_BYTES, BadRecord, ReadOptions, check_csv_header, read_articles

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Harbour vote - Coastal Herald</title>
<meta property="og:site_name" content="Coastal Herald">
<meta name="date" content="2026-03-04">
</head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>Harbour vote splits the council</h1>
<p>The council voted on Tuesday to fund the harbour bridge after a long and heated debate that lasted late into the night.</p>
<p>Critics called the decision a disgraceful waste of public money, while the mayor praised it as a historic step for the city.</p>
<p>Construction is due to begin next spring, according to the council's own schedule published on its website.</p>
</article>
<footer>Subscribe to our newsletter</footer>
</body></html>
"""


def test_html_file_gives_title_body_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (article,) = read_articles(str(path))
    assert article.title
    assert "disgraceful waste of public money" in article.text and "Home" not in article.text
    assert "Subscribe to our newsletter" not in article.text
    assert article.date == "2026-03-04"
    start, end = article.body_range
    assert "council voted on Tuesday" in article.text[start:end]


def test_jsonl_records_and_malformed_line(tmp_path):
    path = tmp_path / "export.jsonl"
    records = [
        {"text": "First article text.\nMore of it.", "title": "One", "source": "Herald", "date": "2026-01-02"},
        "not json at all {",
        {"body": "Second article.", "url": "https://example.org/2"},
    ]
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"export.jsonl:2: malformed JSON"):
        list(read_articles(str(path)))
    items = list(read_articles(str(path), ReadOptions(skip_bad_records=True)))
    assert isinstance(items[1], BadRecord) and items[1].origin.endswith("export.jsonl:2")
    first, third = items[0], items[2]
    assert first.title == "One" and first.source == "Herald" and first.text == "First article text.\nMore of it."
    # a title given as a field is metadata: the text's first line is body
    assert first.title_range is None and first.body_range == (0, len(first.text))
    assert third.url == "https://example.org/2"


def test_csv_needs_a_text_column(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text('title,text,source\nA headline,"Body line one.\nBody line two.",Herald\n', encoding="utf-8")
    (article,) = read_articles(str(good))
    assert article.text == "Body line one.\nBody line two." and article.source == "Herald"
    bad = tmp_path / "bad.csv"
    bad.write_text("title,author\nA,B\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text column"):
        list(read_articles(str(bad)))


def test_corpus_folder_gives_article_ids(tmp_path):
    (tmp_path / "article42.txt").write_text("A title\n\nA body sentence.\n", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    (article,) = read_articles(str(tmp_path))
    assert article.article_id == "42"


def test_folder_without_articles(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="no articles in this folder"):
        list(read_articles(str(tmp_path)))


def test_non_utf8_text_is_decoded_and_reported(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Café owners protest\n\nThe café owners of the old quarter said the new rules were déjà vu, and they would résist them.\n"
    path.write_bytes(text.encode("cp1252"))
    (article,) = read_articles(str(path))
    assert "déjà vu" in article.text
    assert any("not UTF-8" in w for w in article.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty input"), (b"   \n\n", "empty input"), (b"\x00\x01\x02binary\x00", "binary")],
)
def test_unreadable_inputs(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_articles(str(path)))


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="over the size limit of 1,000 bytes"):
        list(read_articles(str(path), ReadOptions(max_bytes=1000)))


def test_unreachable_url():
    # .invalid never resolves (RFC 2606)
    with pytest.raises(InputError, match="could not fetch"):
        list(read_articles("http://nothing-here.invalid/page"))


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/page", "http://localhost/page", "http://10.1.2.3/page"])
def test_a_local_or_private_url_is_refused_and_says_why(url):
    with pytest.raises(InputError, match="a local or private address"):
        list(read_articles(url))


def test_a_stray_quotation_mark_in_a_csv_is_an_error_not_a_merged_row(tmp_path):
    path = tmp_path / "stray.csv"
    rows = 'title,text,source\nOne,"The plan.",Herald\nTwo,"cut short,X\nThree,"Calm words.",Courier\n'
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(InputError, match="unreadable CSV after line 2"):
        list(read_articles(str(path)))
    # quotation marks inside a field, doubled or not at its start, are text
    fine = tmp_path / "fine.csv"
    fine.write_text('title,text\nOne,He said "go" to the board.\nTwo,"A ""quoted"" word, kept."\n', encoding="utf-8")
    assert [a.text for a in read_articles(str(fine))] == ['He said "go" to the board.', 'A "quoted" word, kept.']


def test_csv_with_a_very_long_article(tmp_path):
    path = tmp_path / "long.csv"
    body = "A long paragraph about the harbour. " * 5000
    path.write_text(f'title,text\nLong one,"{body}"\n', encoding="utf-8")
    (article,) = read_articles(str(path), ReadOptions(max_bytes=10_000_000))
    assert len(article.text) == len(body)


def test_unpaired_surrogates_and_truncated_utf16(tmp_path):
    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text('{"text": "broken \\ud800 text"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="unpaired surrogates"):
        list(read_articles(str(jsonl)))
    utf16 = tmp_path / "cut.txt"
    utf16.write_bytes(b"\xff\xfeh\x00i\x00!")
    with pytest.raises(InputError, match="not valid UTF-16"):
        list(read_articles(str(utf16)))


def test_a_record_whose_outlet_is_a_list_or_too_long_is_a_bad_record(tmp_path):
    jsonl = tmp_path / "odd.jsonl"
    records = [{"text": "T\n\nThe plan.\n", "source": ["Herald"]}, {"text": "T\n\nThe plan.\n", "outlet": "x" * 201}]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    reasons = [item.reason for item in read_articles(str(jsonl), ReadOptions(skip_bad_records=True))]
    assert "holds list, not text" in reasons[0] and "over 200" in reasons[1]


def test_a_record_holding_nul_characters_is_refused_in_one_line(tmp_path):
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_text('{"text": "Title\\n\\nThe plan.\\u0000\\n"}\n{"text": "T", "source": "Her\\u0000ald"}\n')
    items = list(read_articles(str(jsonl), ReadOptions(skip_bad_records=True)))
    assert [("NUL characters" in item.reason) for item in items] == [True, True]


def test_line_separator_inside_a_jsonl_record(tmp_path):
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"text": "First part\u2028second part."}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_articles(str(path))
    assert "\u2028" in article.text


def test_csv_and_jsonl_saved_with_a_byte_order_mark_are_read(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes('text,source\n"A title\nThe harbour plan.",Herald\n'.encode("utf-8-sig"))
    (article,) = read_articles(str(sheet))
    assert article.text == "A title\nThe harbour plan." and article.source == "Herald"
    lines = tmp_path / "lines.jsonl"
    lines.write_bytes((json.dumps({"text": "A title\nThe harbour plan."}) + "\n").encode("utf-8-sig"))
    (article,) = read_articles(str(lines))
    assert article.text == "A title\nThe harbour plan."


def test_an_empty_path_is_not_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "article1.txt").write_text("A title\n\nA body sentence.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="no path given"):
        list(read_articles(""))


def test_a_record_with_a_date_that_is_no_day_is_kept_undated_with_a_warning(tmp_path):
    path = tmp_path / "export.jsonl"
    records = [
        {"text": "A title\nThe harbour plan.", "date": "yesterday"},
        {"text": "A title\nThe harbour plan again.", "date": "2024-13-45"},
        {"text": "A title\nThe harbour plan once more.", "date": "2026-03-04T09:30:00Z"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    undated, impossible, dated = read_articles(str(path))
    assert undated.date is None and "'yesterday' is not a day" in undated.warnings[0]
    assert impossible.date is None and "'2024-13-45'" in impossible.warnings[0]
    assert dated.date == "2026-03-04T09:30:00Z" and dated.warnings == ()


@pytest.mark.parametrize(
    ("value", "is_day"),
    [
        ("2026-03-04", True),
        ("2026-03-04T09:30:00Z", True),
        ("2026-03-04 09:30", True),
        ("2026-02-30", False),
        ("2026-03-04 soon", False),
        ("٢٠٢٦-٠٣-٠٤", False),
        ("yesterday", False),
        ("2026-03", False),
    ],
)
def test_calendar_days(value, is_day):
    assert is_calendar_day(value) == is_day


def test_a_text_field_that_is_not_text_says_so(tmp_path):
    path = tmp_path / "numbers.jsonl"
    path.write_text('{"text": 12345}\n', encoding="utf-8")
    with pytest.raises(InputError, match="the text field holds int, not text"):
        list(read_articles(str(path)))


def test_a_json_file_holds_records_like_jsonl(tmp_path):
    path = tmp_path / "export.json"
    records = [
        {"text": "First article text.\nMore of it.", "title": "One", "outlet": "Herald", "id": "a1"},
        {"title": "No text here"},
        {"content": "Second article.", "url": "https://example.org/2", "date": "2026-01-02"},
        "a string, not a record",
    ]
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    with pytest.raises(InputError, match=r"export\.json\[1\]: no text field"):
        list(read_articles(str(path)))
    first, no_text, second, not_a_record = read_articles(str(path), ReadOptions(skip_bad_records=True))
    # offsets index the record's text field, as for JSONL
    assert first.text == "First article text.\nMore of it." and first.body_range == (0, len(first.text))
    assert (first.title, first.source, first.article_id) == ("One", "Herald", "a1")
    assert first.origin.endswith("export.json[0]")
    assert isinstance(no_text, BadRecord) and no_text.origin.endswith("export.json[1]")
    assert second.url == "https://example.org/2" and second.date == "2026-01-02"
    assert isinstance(not_a_record, BadRecord) and "expected a JSON object per record" in not_a_record.reason


def test_a_json_file_of_one_object_per_line_is_read_as_jsonl(tmp_path, monkeypatch):
    import io

    lines = [
        {"text": "The first of my articles.", "outlet": "Herald"},
        {"text": "The second one.", "outlet": "Courier"},
    ]
    path = tmp_path / "export.json"
    path.write_text("".join(json.dumps(record) + "\n" for record in lines), encoding="utf-8")
    first, second = read_articles(str(path))
    assert (first.text, first.origin) == ("The first of my articles.", f"{path}:1")
    assert (second.source, second.origin) == ("Courier", f"{path}:2")
    array = json.dumps(lines).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(array)))
    from_stdin = list(read_articles("-", ReadOptions(stdin_format="json")))
    assert [a.source for a in from_stdin] == ["Herald", "Courier"]


def test_a_json_file_with_one_record(tmp_path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"body": "A title\n\nThe harbour plan.", "source": "Courier"}), encoding="utf-8")
    (article,) = read_articles(str(single))
    assert article.text == "A title\n\nThe harbour plan." and article.source == "Courier"
    assert article.origin == str(single)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n  {"text": "Fine."},\n  {"text": "cut short\n]\n', r"export\.json:3: malformed JSON \(.*, column \d+\)$"),
        ("42", "expected an array of records or one record object, not int"),
    ],
)
def test_a_json_file_without_records_stops_the_file_in_one_line(tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    # skipping bad records cannot help: no record of the file is readable
    with pytest.raises(InputError, match=message):
        list(read_articles(str(path), ReadOptions(skip_bad_records=True)))


def test_json_nested_too_deeply_is_malformed_not_a_crash(tmp_path):
    lines = tmp_path / "deep.jsonl"
    lines.write_text('{"text": "Fine."}\n' + "[" * 100_000 + "\n", encoding="utf-8")
    fine, deep = read_articles(str(lines), ReadOptions(skip_bad_records=True))
    assert fine.text == "Fine." and "deep.jsonl:2: malformed JSON (nested too deeply)" in deep.reason
    whole = tmp_path / "deep.json"
    whole.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="malformed JSON"):
        list(read_articles(str(whole)))


def test_a_folder_is_read_through_its_subfolders_for_article_files_only(tmp_path):
    nested = tmp_path / "2026" / "06"
    nested.mkdir(parents=True)
    (nested / "article7.txt").write_text("A title\n\nA body sentence.\n", encoding="utf-8")
    (nested / "page.htm").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "2026" / "export.jsonl").write_text(json.dumps({"text": "From the export."}), encoding="utf-8")
    (tmp_path / "b.text").write_text("B title\n\nB body.\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("Permission is hereby granted.\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Notes\n\nAbout this folder.\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot an article.\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("Tool data\n\nNot an article.\n", encoding="utf-8")
    articles = list(read_articles(str(tmp_path)))
    relative = [a.origin.removeprefix(str(tmp_path) + "/") for a in articles]
    assert relative == ["2026/06/article7.txt", "2026/06/page.htm", "2026/export.jsonl:1", "b.text"]
    assert articles[0].article_id == "7"
    # the subfolder on its own, as `analyze nest` would read it
    assert len(list(read_articles(str(tmp_path / "2026")))) == 3


def test_a_folder_without_articles_says_what_was_looked_for(tmp_path):
    (tmp_path / "LICENSE").write_text("Permission is hereby granted.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no articles in this folder or its subfolders \(looked for .*\.csv.*\.txt"):
        list(read_articles(str(tmp_path)))


def test_a_csv_record_is_named_by_the_line_it_starts_on(tmp_path):
    path = tmp_path / "three.csv"
    body = "\n".join(f"Paragraph {n} of the article." for n in range(1, 11))
    path.write_text(f'title,text\nFirst,"{body}"\n\nSecond,Short text.\nThird,\n', encoding="utf-8")
    first, second, third = read_articles(str(path), ReadOptions(skip_bad_records=True))
    assert first.origin.endswith("three.csv:2") and first.text == body
    # a blank line between records does not shift the count
    assert second.origin.endswith("three.csv:13")
    assert isinstance(third, BadRecord) and third.origin.endswith("three.csv:14")


def test_a_csv_row_with_too_few_or_too_many_fields_says_so(tmp_path):
    short = tmp_path / "short.csv"
    short.write_text("title,body\nOnly a title\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"short\.csv:2: the row has 1 field where the header has 2, so it has no body"
    ):
        list(read_articles(str(short)))
    (skipped,) = read_articles(str(short), ReadOptions(skip_bad_records=True))
    assert isinstance(skipped, BadRecord) and skipped.origin.endswith("short.csv:2")
    # a row that still has its text is read; the missing trailing fields are empty
    partial = tmp_path / "partial.csv"
    partial.write_text("text,title,source\nThe harbour plan.\n", encoding="utf-8")
    (article,) = read_articles(str(partial))
    assert article.text == "The harbour plan." and article.source is None
    long = tmp_path / "long.csv"
    long.write_text(
        "title,text\nOne,The plan, which is bad.\nTwo,Trailing empty fields are fine.,,\n", encoding="utf-8"
    )
    cut, fine = read_articles(str(long), ReadOptions(skip_bad_records=True))
    assert isinstance(cut, BadRecord) and "the row has 3 fields where the header has 2" in cut.reason
    assert fine.text == "Trailing empty fields are fine."


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csv_with_another_separator_is_read(tmp_path, separator):
    path = tmp_path / "sheet.csv"
    rows = [["titel", "text", "source"], ["Eins", "Der Plan, sagte er, ist gut.", "Kurier"]]
    path.write_text("".join(separator.join(row) + "\n" for row in rows), encoding="utf-8")
    (article,) = read_articles(str(path))
    assert article.text == "Der Plan, sagte er, ist gut." and article.source == "Kurier"


def test_a_csv_without_a_text_column_names_its_separator(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("titel;inhalt\nEins;Der Plan.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text column \(.*found: titel, inhalt\); the file seems to use ';'"):
        list(read_articles(str(path)))


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav>x</nav></body></html>",
        '<html><head><title>Herald</title></head><body><nav><a href="/">Home</a></nav>'
        "<footer>Subscribe to our newsletter</footer></body></html>",
        '<html><body><div role="navigation"><a href="/">Home</a> <a href="/about">About</a></div></body></html>',
    ],
)
def test_an_html_page_without_article_text_is_an_input_error(tmp_path, page):
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError, match=f"^no article text found in {re.escape(str(path))} \\(trafilatura found no"):
        list(read_articles(str(path)))


def test_a_short_html_article_is_read_without_its_navigation(tmp_path):
    path = tmp_path / "short.html"
    path.write_text(
        '<html><body><nav><a href="/">Home</a></nav><p>The mayor resigned today.</p></body></html>', encoding="utf-8"
    )
    (article,) = read_articles(str(path))
    assert article.text == "The mayor resigned today."


def test_a_json_number_too_long_to_read_is_malformed_json(tmp_path):
    # Python refuses to read an integer of over 4300 digits
    too_long = '{"text": "The plan.", "id": 1' + "0" * 5000 + "}"
    array = tmp_path / "export.json"
    array.write_text(f"[{too_long}]", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"export\.json:1: malformed JSON \(a number of more than .* digits, column 30\)$"
    ):
        list(read_articles(str(array), ReadOptions(skip_bad_records=True)))
    lines = tmp_path / "export.jsonl"
    lines.write_text(f'{{"text": "Fine."}}\n{too_long}\n', encoding="utf-8")
    fine, too_long_record = read_articles(str(lines), ReadOptions(skip_bad_records=True))
    assert fine.text == "Fine." and too_long_record.origin == f"{lines}:2"
    assert "malformed JSON (a number of more than" in too_long_record.reason


def test_a_json_file_of_pretty_printed_objects_one_after_another(tmp_path):
    # what `jq '.[]' export.json` writes
    records = [{"text": "The first article.", "outlet": "Herald"}, {"text": "The second.", "outlet": "Courier"}]
    path = tmp_path / "stream.json"
    path.write_text("".join(json.dumps(record, indent=2) + "\n" for record in records), encoding="utf-8")
    first, second = read_articles(str(path))
    assert (first.text, first.origin) == ("The first article.", f"{path}:1")
    assert (second.source, second.origin) == ("Courier", f"{path}:5")
    # a syntax error part-way through leaves the values after it unplaceable: one line, where it is
    path.write_text(json.dumps(records[0], indent=2) + '\n{\n  "text": "cut short\n}\n', encoding="utf-8")
    with pytest.raises(
        InputError, match=r"stream\.json:6: malformed JSON \(Invalid control character at, column 21\)$"
    ):
        list(read_articles(str(path), ReadOptions(skip_bad_records=True)))


def test_a_bad_line_of_json_lines_under_a_json_name_is_skipped(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"text": "One."}\n{"text": "Two."}}\n{"text": "Three."}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"export\.json:2: malformed JSON \(Extra data\)"):
        list(read_articles(str(path)))
    one, two, three = read_articles(str(path), ReadOptions(skip_bad_records=True))
    assert (one.text, three.text, three.origin) == ("One.", "Three.", f"{path}:3")
    assert isinstance(two, BadRecord) and two.origin == f"{path}:2"


@pytest.mark.parametrize(
    "page",
    [
        # an unclosed <nav> holds the story that follows it
        '<html><body><nav><a href="/">Home</a> <a href="/politics">Politics</a>'
        "<article><h1>Harbour vote</h1><p>The council voted on Tuesday to fund the harbour bridge after a long"
        " and heated debate.</p><p>Critics called the decision a disgraceful waste of public money.</p></article>"
        "</body></html>",
        '<html><body><div role="navigation"><a href="/">Home</a><main><h1>Harbour vote</h1>'
        "<p>The council voted on Tuesday to fund the harbour bridge after a long and heated debate.</p>"
        "<p>Critics called the decision a disgraceful waste of public money.</p></main></div></body></html>",
    ],
)
def test_page_furniture_that_holds_the_story_is_kept(tmp_path, page):
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    (article,) = read_articles(str(path))
    assert "disgraceful waste of public money" in article.text and "Home" not in article.text


def test_an_empty_page_is_not_said_to_hold_navigation(tmp_path):
    path = tmp_path / "app.html"
    path.write_text("<html><head><script>render()</script></head><body><div id='app'></div></body></html>")
    with pytest.raises(InputError) as raised:
        list(read_articles(str(path)))
    assert "navigation" not in str(raised.value) and "save the page after it has loaded" in str(raised.value)


def test_a_utf16_tab_separated_csv_passes_the_header_check(tmp_path):
    # what Excel saves as "Unicode Text"
    path = tmp_path / "sheet.csv"
    path.write_bytes("title\ttext\nOne\tThe harbour plan, he said.\n".encode("utf-16"))
    check_csv_header(path)
    (article,) = read_articles(str(path))
    assert article.text == "The harbour plan, he said."


@pytest.mark.parametrize(("encoding", "wide"), [("utf-16", "\U0001f600"), ("utf-8", "é")])
def test_the_csv_header_check_reads_a_long_file_cut_inside_a_character(tmp_path, encoding, wide):
    path = tmp_path / "long.csv"
    start = "título;cuerpo\nUno;"
    start_bytes = len(start.encode(encoding))
    letter_bytes = len((start + "a").encode(encoding)) - start_bytes
    wide_bytes = len((start + wide).encode(encoding)) - start_bytes
    # the check reads the file's first CSV_HEADER_SAMPLE_BYTES bytes: they end half-way through `wide`
    letters = "a" * ((CSV_HEADER_SAMPLE_BYTES - start_bytes - wide_bytes // 2) // letter_bytes)
    content = f"{start}{letters}{wide} más texto.\n".encode(encoding)
    assert len(f"{start}{letters}".encode(encoding)) < CSV_HEADER_SAMPLE_BYTES < len(content) - len(" más texto.\n")
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"no text column \(.*found: título, cuerpo\); the file seems to use ';'"):
        check_csv_header(path)


def test_a_folder_passes_over_json_files_that_are_not_exports(tmp_path):
    (tmp_path / "article1.txt").write_text("A title\n\nA body sentence.\n", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "site", "version": "1.0.0"}', encoding="utf-8")
    (tmp_path / "lines.ndjson").write_text('{"text": "From the export."}\n', encoding="utf-8")
    assert [a.text.strip() for a in read_articles(str(tmp_path))] == ["A title\n\nA body sentence.", "From the export."]
    # named on its own, a .json file is read
    with pytest.raises(InputError, match="no text field"):
        list(read_articles(str(tmp_path / "package.json")))
    # a folder of .json exports alone says how to read them
    only_json = tmp_path / "exports"
    only_json.mkdir()
    (only_json / "week.json").write_text('[{"text": "From the export."}]', encoding="utf-8")
    with pytest.raises(InputError, match=r"to read its \.json files, name them, e\.g\. .*week\.json"):
        list(read_articles(str(only_json)))


def test_a_record_whose_text_opens_with_its_title_field_keeps_the_crawler_layout(tmp_path):
    path = tmp_path / "export.jsonl"
    text = "Ferry fares rise again\n\nFerry fares rise again\nPORTHAVEN (Island Post) – The ferry board raised fares.\n"
    records = [
        {"title": "Ferry fares rise again", "text": text, "outlet": "Island Post"},
        {"title": "Ferry fares rise again", "text": "The ferry board raised fares.\nRiders were angry.\n"},
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    crawled, plain = read_articles(str(path))
    # the same layout rules as the text file: the title line, its repeat and the dateline
    assert crawled.title_range == (0, len("Ferry fares rise again"))
    assert [e.reason for e in crawled.excluded] == ["repeated-title", "dateline"]
    assert crawled.dateline_place == "PORTHAVEN"
    # a title field the text does not open with stays metadata, and the text is all body
    assert plain.title == "Ferry fares rise again" and plain.title_range is None and plain.body_range[0] == 0


def test_a_bad_first_line_of_json_lines_under_a_json_name_is_one_bad_record(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"text": broken}\n{"text": "Harbour vote\\n\\nThe plan."}\n', encoding="utf-8")
    bad, article = read_articles(str(path), ReadOptions(skip_bad_records=True))
    assert isinstance(bad, BadRecord) and bad.origin == f"{path}:1"
    assert article.text == "Harbour vote\n\nThe plan." and article.origin == f"{path}:2"


@pytest.mark.parametrize(
    ("title", "crawled"),
    [
        ("Ferry fares rise again this winter | Island Post", True),
        ("“Ferry fares” rise again this winter", True),
        ("Ferry fares rise again this winter", True),
        ("Ferry", False),
    ],
)
def test_a_title_field_a_page_writes_a_little_differently_still_marks_the_title_line(tmp_path, title, crawled):
    text = '"Ferry fares" rise again this winter\n\nPORTHAVEN (Island Post) – The ferry board raised fares.\n'
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"title": title, "text": text}) + "\n", encoding="utf-8")
    (article,) = read_articles(str(path))
    assert (article.title_range is not None, article.dateline_place == "PORTHAVEN") == (crawled, crawled)
    assert article.title == title
