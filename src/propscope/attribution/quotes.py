"""Quotation marks: the quotations of an article, including those that run over several
paragraphs, those nested in them, and those that never close."""

from __future__ import annotations

from dataclasses import dataclass

from propscope.document import Range

#: opening mark -> closing marks that end it
#: (pages mix curly and straight marks, so any closing double mark ends a double quotation)
DOUBLE_QUOTES = {"“": '”"', "«": "»", "„": '“”"', '"': '"”“', "»": "«"}
SINGLE_QUOTES = {"‘": "’", "'": "'", "‹": "›"}
QUOTE_MARKS = frozenset("“”„«»\"‘’'‹›")
#: what may stand before a straight single mark that opens a quotation, and after one that closes it
OPENING_CONTEXT = '([{—–-"“:'
CLOSING_CONTEXT = '.,;:!?)]}—–-"”…'
#: lines a quotation may stay open before it counts as unclosed
MAX_QUOTE_LINES = 6


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # after the closing mark, or the end of the paragraph when it never closes
    closed: bool


def _paragraphs(text: str, region: Range) -> list[Range]:
    start, end = region
    paragraphs = []
    position = start
    for line in text[start:end].split("\n"):
        if line.strip():
            paragraphs.append((position, position + len(line)))
        position += len(line) + 1
    return paragraphs


def is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _straight_single(text: str, i: int) -> tuple[bool, bool]:
    """Whether a straight single mark at ``i`` can open a quotation, and whether it can close
    one, by what stands beside it: pages that quote with single marks also nest them ("'Do not
    give him any 'sneak preview',' she said"), so the mark alone cannot tell."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in OPENING_CONTEXT) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in CLOSING_CONTEXT)
    return opens, closes


def _scan(text: str, start: int, end: int, stack: list[tuple[str, int]]) -> list[Quote]:
    """Closed quotations in text[start:end]; ``stack`` holds the marks still open, and is updated."""
    quotes: list[Quote] = []
    for i in range(start, end):
        ch = text[i]
        if ch in "'’" and is_apostrophe(text, i):
            continue
        if ch == "'":
            opens, closes = _straight_single(text, i)
            if closes and stack and stack[-1][0] == "'":
                _, position = stack.pop()
                if not stack:
                    quotes.append(Quote(position, i + 1, True))
            elif opens:
                stack.append((ch, i))
            continue
        if stack and ch in (DOUBLE_QUOTES | SINGLE_QUOTES)[stack[-1][0]]:
            _, position = stack.pop()
            if not stack:
                quotes.append(Quote(position, i + 1, True))
            continue
        if ch in '”"»' and any(ch in DOUBLE_QUOTES[mark] for mark, _ in stack if mark in DOUBLE_QUOTES):
            # a double mark closes the double quotation below single marks left open, which
            # were apostrophes ("they rock 'n' roll")
            while ch not in (DOUBLE_QUOTES | SINGLE_QUOTES)[stack[-1][0]]:
                stack.pop()
            _, position = stack.pop()
            if not stack:
                quotes.append(Quote(position, i + 1, True))
            continue
        if ch in DOUBLE_QUOTES or (ch in SINGLE_QUOTES and (i == start or not text[i - 1].isalnum())):
            if ch == '"' and stack and stack[-1][0] == ch:
                continue
            stack.append((ch, i))
    return quotes


def find_quotes(text: str, regions: list[Range]) -> list[Quote]:
    """Quotations, including those that run over several lines.

    A quotation left open at a line end goes on in the next lines (texts with one
    sentence per line), and a next paragraph that opens with a quotation mark
    continues it (the convention for quotes over several paragraphs). One still
    open after MAX_QUOTE_LINES lines is unclosed: its first line gets voice unknown.
    """
    quotes: list[Quote] = []
    for region in regions:
        stack: list[tuple[str, int]] = []
        open_lines = 0
        first_line_end = 0
        for start, end in _paragraphs(text, region):
            if stack:
                open_lines += 1
                if text[start] in (*DOUBLE_QUOTES, "'") and text[start] == stack[0][0]:
                    start += 1  # the mark that reopens a quotation in a new paragraph
                if open_lines > MAX_QUOTE_LINES:
                    quotes.append(Quote(stack[0][1], first_line_end, False))
                    stack.clear()
            was_open = bool(stack)
            quotes.extend(_scan(text, start, end, stack))
            if stack and not was_open:
                open_lines, first_line_end = 0, end
        if stack:
            quotes.append(Quote(stack[0][1], first_line_end, False))
    return sorted(quotes, key=lambda q: q.start)


def nested_quotes(text: str, outer: Quote) -> list[Quote]:
    """Closed quotations inside a quotation, line by line (a line that reopens the outer
    quotation starts after its mark)."""
    inner: list[Quote] = []
    position = outer.start + 1
    for line in text[outer.start + 1 : outer.end - 1].split("\n"):
        start, end = position, position + len(line)
        if position != outer.start + 1 and line[:1] in DOUBLE_QUOTES:
            start += 1
        inner.extend(_scan(text, start, end, []))
        position = end + 1
    return inner
