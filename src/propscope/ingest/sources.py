"""Read articles from what users have: text files, HTML, URLs, JSONL, CSV, folders, stdin."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import os
import re
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import urlsplit

from propscope.corpus import article_id_from_name
from propscope.document import MAX_OUTLET_CHARS, Article, is_calendar_day
from propscope.errors import BadRecordError, InputError
from propscope.ingest.decoding import DEFAULT_MAX_BYTES, decode_bytes
from propscope.ingest.layout import opens_with, parse_layout

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv"}
#: the endings of the files propscope reads ("" is a text file without one)
FILE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
#: the files a folder is searched for: a README.md or a LICENSE beside the articles is not one, nor
#: is a .json file (a package.json or a metadata.json is far likelier there than an export), though
#: each is read when named on its own
FOLDER_SUFFIXES = {".txt", ".text", ".jsonl", ".ndjson", ".csv"} | HTML_SUFFIXES
TEXT_FIELDS = ("text", "body", "content")
#: the separators a CSV file may use: spreadsheets in many locales save ";", and "CSV" exports
#: are often tab-separated
CSV_DELIMITERS = (",", ";", "\t", "|")
#: how much of a CSV file is read to find its header row
CSV_HEADER_SAMPLE_CHARS = 65536
#: enough bytes for that many characters in any encoding
CSV_HEADER_SAMPLE_BYTES = 4 * CSV_HEADER_SAMPLE_CHARS
#: page furniture trafilatura's own extractor never takes as article text; its fallbacks (readability,
#: and a last resort that takes the whole page) do when a page has no article, so it is removed first
#: and a page holding nothing else gives no text rather than an "article" of menu entries. Furniture
#: holding paragraphs or the story stays: an unclosed <nav> before the story holds the rest of the
#: page, and some sites wrap <main> in role="navigation".
PAGE_FURNITURE_XPATHS = [
    f"{furniture}[not(.//p or .//article or .//main)]"
    for furniture in ("//nav", "//menu", "//aside", "//footer", "//*[@role='navigation']")
]
#: what JSON allows between values
JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")
JSON_DECODER = json.JSONDecoder()


#: what standard input holds: one article (text, HTML recognised) or records
StdinFormat = Literal["text", "jsonl", "json", "csv"]
STDIN_FORMATS: tuple[str, ...] = get_args(StdinFormat)


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    #: go on past malformed JSONL lines or CSV rows (reported as warnings) instead of stopping
    skip_bad_records: bool = False
    #: how standard input is read: one article ("text", HTML recognised) or records ("jsonl", "csv")
    stdin_format: StdinFormat = "text"


@dataclass(frozen=True)
class BadRecord:
    origin: str
    reason: str


def checked_outlet(name: str | None, origin: str) -> str | None:
    """An outlet name the store can keep, or an error that says why not."""
    if name is not None and len(name) > MAX_OUTLET_CHARS:
        raise InputError(f"{origin}: an outlet name of {len(name):,} characters is over {MAX_OUTLET_CHARS}")
    return name


def article_from_text(
    text: str,
    *,
    origin: str | None = None,
    title: str | None = None,
    source: str | None = None,
    date: str | None = None,
    url: str | None = None,
    article_id: str | None = None,
    warnings: tuple[str, ...] = (),
    has_title_line: bool = True,
) -> Article:
    """An article from text in the crawler layout; a given title is metadata, and also the title
    line when the text opens with it."""
    if not text.strip():
        raise InputError(f"{origin or 'input'}: empty text, nothing to analyse")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{origin or 'input'}: the text holds invalid characters (unpaired surrogates)") from None
    checked_outlet(source, origin or "input")
    if any("\x00" in value for value in (text, title, source, date, url) if value):
        # binary data read as text; and PostgreSQL cannot store the character
        raise InputError(f"{origin or 'input'}: the text holds NUL characters, which no article has (binary data?)")
    if date is not None and not is_calendar_day(date):
        # an export's bad date should not cost the article: it is kept undated, and says so
        warnings = (*warnings, f"{origin or 'input'}: date {date!r} is not a day as YYYY-MM-DD; kept without a date")
        date = None
    # a title given beside the text is metadata, unless the text opens with it as a crawled page does
    layout = parse_layout(text, has_title_line=has_title_line and (title is None or opens_with(text, title)))
    return Article(
        text=text,
        title=title or layout.title,
        title_range=layout.title_range,
        body_range=layout.body_range,
        dateline_place=layout.dateline_place,
        dateline_outlet=layout.dateline_outlet,
        excluded=layout.excluded,
        source=source or layout.dateline_outlet,
        date=date,
        url=url,
        origin=origin,
        article_id=article_id,
        warnings=warnings,
    )


def _article_from_html(html: str, origin: str, url: str | None = None) -> Article:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, prune_xpath=PAGE_FURNITURE_XPATHS
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not body.strip():
        # a page built by a script is empty as saved; one of menus alone has no main text either
        raise InputError(
            f"no article text found in {origin} (trafilatura found no main text; "
            "save the page after it has loaded, or paste its text)"
        )
    title = getattr(extracted, "title", None)
    # The analysed text is the extracted title and body in the crawler layout:
    # offsets index this text, which the JSON output carries.
    text = f"{title}\n\n{body}" if title else body
    return article_from_text(
        text,
        origin=origin,
        source=getattr(extracted, "sitename", None) or getattr(extracted, "hostname", None),
        date=getattr(extracted, "date", None),
        url=url or getattr(extracted, "url", None),
        has_title_line=bool(title),
    )


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def _private_address(url: str) -> str | None:
    """The address ``url``'s host resolves to when none is public (loopback, a private network):
    such pages are not fetched, so that a shared workbench cannot be made to read an intranet."""
    host = urlsplit(url).hostname
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)} if host else set()
    except (OSError, UnicodeError):
        return None  # unresolvable: the fetch says it is unreachable
    private = sorted(a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_global)
    return private[0] if private and len(private) == len(addresses) else None


def read_url(url: str, options: ReadOptions) -> Article:
    from trafilatura.downloads import fetch_response

    private = _private_address(url)
    if private is not None:
        raise InputError(
            f"{url}: a local or private address ({private}); only public pages are fetched, so save the page and give the file"
        )
    response = fetch_response(url, decode=False)
    if response is None or not response.data:
        raise InputError(f"{url}: could not fetch the page (unreachable, refused, or empty)")
    if getattr(response, "status", 200) >= 400:
        raise InputError(f"{url}: the server answered HTTP {response.status}")
    decoded = decode_bytes(response.data, url, options.max_bytes)
    return _article_from_html(decoded.text, url, url=url)


def _field(record: dict, name: str, origin: str) -> str | None:
    value = record.get(name)
    if isinstance(value, (list, dict)):
        raise InputError(f"{origin}: the {name} field holds {type(value).__name__}, not text")
    return str(value) if value not in (None, "") else None


def _article_from_record(record: dict, origin: str) -> Article:
    text = next((record[f] for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if text is None:
        given = next((f for f in TEXT_FIELDS if record.get(f) is not None), None)
        if given is not None:
            raise InputError(f"{origin}: the {given} field holds {type(record[given]).__name__}, not text")
        raise InputError(f"{origin}: no text field (expected one of: {', '.join(TEXT_FIELDS)})")
    return article_from_text(
        text,
        origin=origin,
        title=_field(record, "title", origin),
        source=_field(record, "source", origin) or _field(record, "outlet", origin),
        date=_field(record, "date", origin),
        url=_field(record, "url", origin),
        article_id=_field(record, "id", origin),
    )


def _decode_json_value(text: str, start: int) -> tuple[object, int]:
    """The JSON value at ``start`` in ``text`` and where it ends; every way reading it can fail is a
    JSONDecodeError."""
    try:
        return JSON_DECODER.raw_decode(text, start)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        # the parser recurses per level of nesting: "[[[[…" deep enough is malformed, not a crash
        raise json.JSONDecodeError("nested too deeply", text, start) from None
    except ValueError:
        # Python refuses to convert an integer of more digits than its limit (a guard against slow
        # conversions); the error does not say where the number is, so it is looked for
        limit = sys.get_int_max_str_digits()
        number = re.compile(rf"\d{{{limit + 1},}}").search(text, start)
        position = number.start() if number else start
        raise json.JSONDecodeError(f"a number of more than {limit:,} digits", text, position) from None


def _parse_json(text: str) -> object:
    """The one JSON value ``text`` holds, as ``json.loads`` reads it."""
    value, end = _decode_json_value(text, JSON_WHITESPACE.match(text).end())
    end = JSON_WHITESPACE.match(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _record_or_error(value: object, where: str, unit: str) -> dict | InputError:
    return value if isinstance(value, dict) else InputError(f"{where}: expected a JSON object per {unit}")


def _records_jsonl(text: str, origin: str) -> Iterator[tuple[str, dict | InputError]]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = _parse_json(line)
        except json.JSONDecodeError as error:
            yield where, InputError(f"{where}: malformed JSON ({error.msg})")
            continue
        yield where, _record_or_error(record, where, "line")


@dataclass(frozen=True)
class _JsonValue:
    value: object
    first_line: int


def _json_values(text: str) -> tuple[list[_JsonValue], json.JSONDecodeError | None]:
    """The JSON values ``text`` holds one after another, with the line each starts on, and
    the error that stopped the reading when one did."""
    values: list[_JsonValue] = []
    line, counted_to = 1, 0
    position = JSON_WHITESPACE.match(text).end()
    while position < len(text):
        line += text.count("\n", counted_to, position)
        try:
            value, end = _decode_json_value(text, position)
        except json.JSONDecodeError as error:
            return values, error
        last_line = line + text.count("\n", position, end)
        values.append(_JsonValue(value, line))
        line, counted_to = last_line, end
        position = JSON_WHITESPACE.match(text, end).end()
    return values, None


def _records_json(text: str, origin: str) -> Iterator[tuple[str, dict | InputError]]:
    """The records of a .json file: the elements of an array, each at ``origin[INDEX]`` (as
    ``jq '.[INDEX]'`` shows it); the one object it holds, at ``origin``; or objects one after
    another (JSON Lines, or what ``jq '.[]'`` writes), each at ``origin:LINE``, the line it starts on."""
    values, error = _json_values(text)
    if error is not None:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines):
            # JSON Lines under a .json name, as many exporters write it: a bad line is one bad record
            yield from _records_jsonl(text, origin)
            return
        # unlike a JSONL line, a syntax error in a document, or in objects spread over lines, leaves
        # nothing after it that can be told apart
        raise InputError(f"{origin}:{error.lineno}: malformed JSON ({error.msg}, column {error.colno})")
    if len(values) != 1:
        for value in values:
            where = f"{origin}:{value.first_line}"
            yield where, _record_or_error(value.value, where, "record")
        return
    document = values[0].value
    if isinstance(document, dict):
        yield origin, document
        return
    if not isinstance(document, list):
        raise InputError(f"{origin}: expected an array of records or one record object, not {type(document).__name__}")
    for index, record in enumerate(document):
        where = f"{origin}[{index}]"
        yield where, _record_or_error(record, where, "record")


def _column_names(header_row: list[str]) -> list[str]:
    return [name.strip().lower() for name in header_row]


def _csv_header(text: str, delimiter: str) -> list[str]:
    """The column names of the first row of ``text`` split at ``delimiter``."""
    try:
        return _column_names(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
    except csv.Error:
        return []


def _separator_name(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _csv_delimiter(text: str, origin: str) -> str:
    """The separator whose header row names a text column: a comma unless only one other separator
    makes a header with one; else an error that names the columns found and the likely separator."""
    headers = {delimiter: _csv_header(text, delimiter) for delimiter in CSV_DELIMITERS}
    usable = [delimiter for delimiter, header in headers.items() if set(header) & set(TEXT_FIELDS)]
    # a header of one column named "text" splits the same at every separator: the comma wins
    if usable and (usable[0] == "," or len(usable) == 1):
        return usable[0]
    expected = f"expected one of: {', '.join(TEXT_FIELDS)}"
    if usable:
        separators = " or ".join(_separator_name(delimiter) for delimiter in usable)
        raise InputError(f"{origin}: cannot tell whether the CSV's separator is {separators} ({expected})")
    likely = max(CSV_DELIMITERS, key=lambda delimiter: len(headers[delimiter]))
    columns = headers[likely]
    found = ", ".join(name[:40] for name in columns[:8]) + (", …" if len(columns) > 8 else "")
    hint = f"; the file seems to use {_separator_name(likely)} separators" if likely != "," else ""
    raise InputError(f"{origin}: the CSV has no text column ({expected}; found: {found or 'none'}){hint}")


def check_csv_header(path: Path) -> None:
    """Fail early on a CSV file without a text column, reading its start as the whole is read."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(CSV_HEADER_SAMPLE_BYTES)
            truncated = bool(handle.read(1))
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    text = decode_bytes(start, str(path), truncated=truncated).text
    _csv_delimiter(text.removeprefix("\ufeff")[:CSV_HEADER_SAMPLE_CHARS], str(path))


def _csv_record(header: list[str], row: list[str], where: str) -> dict | InputError:
    if len(row) > len(header) and any(field.strip() for field in row[len(header) :]):
        # the fields past the header would be lost, and the text is likely cut short too
        return InputError(
            f"{where}: the row has {len(row)} fields where the header has {len(header)} "
            "(a separator inside a field that is not in quotation marks?)"
        )
    record = dict(zip(header, row, strict=False))
    if len(row) < len(header) and not any(name in record for name in TEXT_FIELDS):
        text_column = next(name for name in header if name in TEXT_FIELDS)
        return InputError(
            f"{where}: the row has {_plural(len(row), 'field')} where the header has {len(header)}, "
            f"so it has no {text_column}"
        )
    return record


def _records_csv(text: str, origin: str) -> Iterator[tuple[str, dict | InputError]]:
    # an article may be longer than the csv module's default field limit of 128 KiB
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = _csv_delimiter(text[:CSV_HEADER_SAMPLE_CHARS], origin)
    # strict: a stray quotation mark is an error, not a field that swallows the rows after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _column_names(next(reader, []))
    while True:
        # a record is named by the line it starts on: a quoted text field may span many
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # the rows from here on cannot be told apart: name the last line read well
            raise InputError(f"{origin}: unreadable CSV after line {first_line - 1} ({error})") from None
        if not row:
            continue  # a blank line
        where = f"{origin}:{first_line}"
        yield where, _csv_record(header, row, where)


#: how the records of a file are found, by its suffix
RECORD_READERS: dict[str, Callable[[str, str], Iterator[tuple[str, dict | InputError]]]] = {
    ".jsonl": _records_jsonl,
    ".ndjson": _records_jsonl,
    ".json": _records_json,
    ".csv": _records_csv,
}


def read_records(text: str, origin: str, suffix: str, options: ReadOptions) -> Iterator[Article | BadRecord]:
    # spreadsheets save "CSV UTF-8" with a byte-order mark; a record's offsets count from its
    # own text field, so dropping the mark before the first header or line changes none
    text = text.removeprefix("\ufeff")
    rows = RECORD_READERS[suffix](text, origin)
    while True:
        try:
            where, record = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(f"{origin}: unreadable CSV ({error})") from None
        try:
            if isinstance(record, InputError):
                raise record
            yield _article_from_record(record, where)
        except InputError as error:
            if not options.skip_bad_records:
                raise BadRecordError(str(error)) from None
            yield BadRecord(where, str(error))


def read_file(path: Path, options: ReadOptions) -> Iterator[Article | BadRecord]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes and path.suffix.lower() not in RECORD_SUFFIXES:
            raise InputError(
                f"{origin}: {size:,} bytes is over the size limit of {options.max_bytes:,} bytes (see --max-bytes)"
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{origin}: permission denied") from None
    except OSError as error:
        raise InputError(f"{origin}: cannot read ({error.strerror})") from None
    yield from read_bytes(data, path.name, options, origin=origin)


def read_bytes(
    data: bytes, name: str, options: ReadOptions, origin: str | None = None
) -> Iterator[Article | BadRecord]:
    """Articles from the content of a file called ``name`` (its suffix says how to read it)."""
    origin = origin or name
    suffix = Path(name).suffix.lower()
    limit = max(options.max_bytes, len(data)) if suffix in RECORD_SUFFIXES else options.max_bytes
    decoded = decode_bytes(data, origin, limit)
    warnings = (decoded.warning,) if decoded.warning else ()
    if suffix in RECORD_SUFFIXES:
        for item in read_records(decoded.text, origin, suffix, options):
            yield replace(item, warnings=item.warnings + warnings) if isinstance(item, Article) else item
        return
    if suffix in HTML_SUFFIXES or _looks_like_html(decoded.text):
        yield replace(_article_from_html(decoded.text, origin), warnings=warnings)
        return
    yield article_from_text(decoded.text, origin=origin, article_id=article_id_from_name(name), warnings=warnings)


def _unreadable_folder(error: OSError) -> None:
    raise InputError(f"{error.filename}: cannot read ({error.strerror})")


def folder_files(folder: Path) -> list[Path]:
    """The article files in ``folder`` and its subfolders, by their path in it; hidden files and
    folders (named ".…": version control, editor and tool data) are passed over."""
    found, passed_over = [], []
    for parent, subfolders, names in os.walk(folder, onerror=_unreadable_folder):
        # os.walk goes into the subfolders left in this list
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            suffix = Path(name).suffix.lower()
            if not name.startswith(".") and suffix in FOLDER_SUFFIXES:
                found.append(Path(parent, name))
            elif not name.startswith(".") and suffix == ".json":
                passed_over.append(Path(parent, name))
    # a pipe or a device named like an article would block or never end
    files = sorted((path for path in found if path.is_file()), key=lambda path: path.relative_to(folder).parts)
    if not files:
        looked_for = ", ".join(sorted(FOLDER_SUFFIXES))
        hint = f"; to read its .json files, name them, e.g. {min(passed_over)}" if passed_over else ""
        raise InputError(
            f"{folder}: no articles in this folder or its subfolders (looked for {looked_for} files){hint}"
        )
    return files


def read_articles(target: str, options: ReadOptions | None = None) -> Iterator[Article | BadRecord]:
    """Articles from a path, a folder, a URL, or ``-`` for standard input."""
    options = options or ReadOptions()
    if not target.strip():
        # Path("") is the current folder, which nobody means by an empty argument
        raise InputError("no path given: name a file, a folder, a URL or - for standard input")
    if target == "-" and options.stdin_format != "text":
        # records are each held to the size limit, not the whole stream
        yield from read_bytes(sys.stdin.buffer.read(), f"stdin.{options.stdin_format}", options, origin="<stdin>")
        return
    if target == "-":
        data = sys.stdin.buffer.read(options.max_bytes + 1)
        decoded = decode_bytes(data, "<stdin>", options.max_bytes)
        warnings = (decoded.warning,) if decoded.warning else ()
        if _looks_like_html(decoded.text):
            yield _article_from_html(decoded.text, "<stdin>")
        else:
            yield article_from_text(decoded.text, origin="<stdin>", warnings=warnings)
        return
    if target.startswith(("http://", "https://")):
        yield read_url(target, options)
        return
    path = Path(target)
    if path.is_dir():
        for file in folder_files(path):
            try:
                yield from read_file(file, options)
            except InputError as error:
                if not options.skip_bad_records:
                    raise
                yield BadRecord(str(file), str(error))
        return
    if not path.exists():
        raise InputError(f"{target}: no such file, folder or URL")
    yield from read_file(path, options)
