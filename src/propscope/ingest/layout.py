"""Find the parts of an article as crawlers deliver it, without editing the text.

Layout: the title on the first line, a blank line, the body; often the title
again as the first body line, a dateline such as ``TEHRAN (Tasnim) –`` opening
the body, and the site's navigation, share prompts or photo credits at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from propscope.document import Excluded, Range

#: "PLACE (Outlet) –", "PLACE, Nov. 3 (Outlet) -", "Geneva -": at most four words of place,
#: an optional date after a comma, an outlet of capitalised words, then a dash and a new sentence
DATELINE = re.compile(
    r"""(?P<place>[A-Z][\w'.]*(?:[ -][A-Z][\w'.]*){0,3})
        (?:,[ ](?:[A-Z][a-z]{2,8}\.?[ ]\d{1,2}|\d{1,2}[ ][A-Z][a-z]{2,8}\.?)(?:,[ ]\d{4})?)?
        [ ]?(?:\((?P<outlet>[A-Z][\w&'.]*(?:[ ][A-Z&][\w&'.]*){0,4})\))?
        [ ]?[-–—][ ]+(?=[A-Z0-9"“‘'])""",
    re.VERBOSE,
)

FURNITURE = re.compile(
    r"""^(?:
        most[ ](?:visited|read|popular|viewed|shared)\b
      | top[ ](?:\w+[ ])?(?:stories|news|headlines)\b
      | related(?:[ ](?:articles?|stories|news|posts|content))?\b
      | read[ ](?:more|also|next)\b
      | see[ ]also\b
      | more[ ](?:from|on|in)[ ]
      | (?:share|tweet|email|print)(?:[ ]this(?:[ ]\w+)?|[ ]on[ ]\w+)?\s*$
      | share[ ](?:this|on)\b
      | subscribe\b | sign[ ]up\b | follow[ ]us\b | join[ ]us\b | newsletter\b
      | (?:photo|image|picture|video)(?:[ ]credits?)?\s*[:/]
      | (?:©|\(c\)|copyright\b|all[ ]rights[ ]reserved)
      | advertisement\s*$ | sponsored\b | click[ ]here\b
      | tags?\s*: | filed[ ]under\b | categories\s*:
      | (?:\d+[ ])?comments?\s*$ | leave[ ]a[ ](?:comment|reply)\b
      | you[ ]may[ ]also[ ]like\b | recommended\b | trending\b | popular[ ]now\b
      | poll\s*: | vote[ ]now\b | what[ ]do[ ]you[ ]think\b | take[ ]our[ ]poll\b
      | (?:previous|next)[ ](?:article|post|story)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
#: furniture that also appears between paragraphs, not only at the end
INLINE_FURNITURE = re.compile(r"(?i)read (more|also|next)|(photo|image|picture|video)")
#: furniture whatever the line's length: copyright notices, "READ MORE: <another headline>", "Related: …"
ALWAYS_FURNITURE = re.compile(
    r"(?i)^(?:©|\(c\)|copyright\b|all rights reserved|read (?:more|also|next)\s*:"
    r"|related(?: (?:articles?|stories|news|posts|content))?\s*:)"
)
#: a line that only a page layout would have: short, no sentence-ending punctuation
MAX_NAVIGATION_WORDS = 8


@dataclass(frozen=True)
class Layout:
    title: str | None
    title_range: Range | None
    body_range: Range
    dateline_place: str | None
    dateline_outlet: str | None
    excluded: tuple[Excluded, ...]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without the line break."""
    spans = []
    position = 0
    for match in re.finditer(r"\r\n|\n|\r", text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _normalised(line: str) -> str:
    return " ".join(line.split()).casefold()


def _looks_like_navigation(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= MAX_NAVIGATION_WORDS and not re.search(r"[.!?:;,\"”’)]$", line)


def is_furniture(line: str) -> bool:
    """A navigation or prompt line: a furniture phrase in a short line, or a copyright notice.

    Long lines are sentences ("Recommended by the committee, the bill ..."), never furniture.
    """
    return bool(ALWAYS_FURNITURE.match(line)) or (
        len(line.split()) <= MAX_NAVIGATION_WORDS and bool(FURNITURE.match(line))
    )


def _trailing_furniture(text: str, lines: list[Range], body_start: int) -> int | None:
    """Start of the trailing block of site furniture, if the text ends with one.

    The block is the run of final lines that are furniture or navigation-like,
    starting at its first furniture line: short lines above that (a slogan, a
    sign-off) stay in the body, short lines below it (related headlines) go.
    """
    block_start = None
    for start, end in reversed(lines):
        start, end = _stripped(text, start, end)
        if start >= end:
            continue
        if start < body_start:
            break
        line = text[start:end]
        if is_furniture(line):
            block_start = start
        elif not _looks_like_navigation(line):
            break
    return block_start


def _inline_furniture(text: str, lines: list[Range], body: Range) -> list[Excluded]:
    """Lines inside the body such as ``READ MORE: …`` or photo credits."""
    cuts = []
    for start, end in lines:
        start, end = _stripped(text, start, end)
        line = text[start:end]
        inside = body[0] <= start and end <= body[1] and start < end
        if inside and is_furniture(line) and INLINE_FURNITURE.match(line):
            cuts.append(Excluded(start, end, "site-furniture"))
    return cuts


def _content_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that holds more than spaces, without its edges' spaces."""
    return [(s, e) for s, e in (_stripped(text, *line) for line in _lines(text)) if s < e]


#: the fewest words of a title that one of a page's first line and a record's title field may
#: add to ("Harbour vote delayed | Coastal Herald"), so that a short title ("Floods") is not
#: taken for the start of a body's first sentence
SHARED_TITLE_WORDS = 4


def opens_with(text: str, title: str) -> bool:
    """Whether the first line of ``text`` has the words of ``title`` (quotation marks, dashes,
    spacing and case aside), or one's words begin the other's and the line stands alone above a
    blank line: a record whose title field is also its text's first line is in the crawler layout."""
    lines = _content_lines(text)
    if not lines:
        return False
    first = re.findall(r"\w+", text[lines[0][0] : lines[0][1]].casefold())
    given = re.findall(r"\w+", title.casefold())
    if first == given:
        return bool(first)
    shorter, longer = sorted((first, given), key=len)
    above_blank = len(lines) > 1 and text.count("\n", lines[0][1], lines[1][0]) > 1
    return longer[: len(shorter)] == shorter and len(shorter) >= SHARED_TITLE_WORDS and above_blank


def parse_layout(text: str, has_title_line: bool = True) -> Layout:
    lines = _content_lines(text)
    if not lines:
        return Layout(None, None, (0, 0), None, None, ())
    excluded: list[Excluded] = []
    title = title_range = None
    body_lines = lines
    if has_title_line and len(lines) > 1:
        title_range = lines[0]
        title = text[title_range[0] : title_range[1]]
        body_lines = lines[1:]
        if _normalised(text[body_lines[0][0] : body_lines[0][1]]) == _normalised(title) and len(body_lines) > 1:
            excluded.append(Excluded(*body_lines[0], "repeated-title"))
            body_lines = body_lines[1:]
    body_start, body_end = body_lines[0][0], body_lines[-1][1]
    place = outlet = None
    dateline = DATELINE.match(text, body_start, body_lines[0][1])
    if dateline and not dateline.group("outlet"):
        # without an outlet, only "PLACE -" in capitals or a one-word place is a dateline,
        # so that "President Donald Trump - The ..." is not taken for one
        candidate = dateline.group("place")
        if not (candidate.isupper() or " " not in candidate.strip(".")):
            dateline = None
    if dateline:
        place, outlet = dateline.group("place"), dateline.group("outlet")
        excluded.append(Excluded(body_start, dateline.end(), "dateline"))
    furniture_start = _trailing_furniture(text, body_lines, body_start)
    if furniture_start is not None and furniture_start > body_start:
        excluded.append(Excluded(furniture_start, body_end, "site-furniture"))
        body_end = _stripped(text, body_start, furniture_start)[1]
    excluded.extend(_inline_furniture(text, body_lines, (body_start, body_end)))
    return Layout(
        title,
        title_range,
        (body_start, body_end),
        place,
        outlet.strip() if outlet else None,
        tuple(sorted(excluded, key=lambda e: e.start)),
    )
