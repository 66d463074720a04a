"""read -> layout -> tag -> segment -> score: one article in, one Analysis out."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.attribution import TARGETED_TECHNIQUES, Attributor, Targeter
from propscope.attribution.confidence import bundled_attribution_confidence
from propscope.attribution.ranking import target_finder
from propscope.document import Analysis, Article, Range, Span
from propscope.errors import InputError, ModelError
from propscope.ingest.sources import FILE_SUFFIXES, BadRecord, ReadOptions, article_from_text, read_articles
from propscope.language import looks_english
from propscope.phrases import normalise
from propscope.scoring import explain, score_article, sentence_of
from propscope.segment import parse_regions
from propscope.tagging.base import StateTagger, TaggedSpan, Tagger
from propscope.techniques import TECHNIQUE_IDS, technique
from propscope.versions import analysis_model

if TYPE_CHECKING:
    from propscope.tagging.states import TokenStates

NOT_ENGLISH = "this text does not look like English; the model is trained on English news only"


@dataclass(frozen=True)
class AnalysisOptions:
    min_confidence: float = 0.0
    #: report only these techniques (ids); None reports all
    techniques: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise InputError(f"min-confidence must be between 0 and 1, not {self.min_confidence}")
        unknown = (self.techniques or frozenset()) - set(TECHNIQUE_IDS)
        if unknown:
            raise InputError(f"unknown technique {sorted(unknown)[0]!r}; known: {', '.join(TECHNIQUE_IDS)}")


def default_tagger() -> Tagger:
    from propscope.tagging.onnx_tagger import bundled_tagger

    return bundled_tagger()


def clip_to_regions(text: str, span: TaggedSpan, regions: Iterable[Range]) -> list[tuple[int, int]]:
    """The parts of a span inside the analysed regions, without surrounding spaces."""
    pieces = []
    for start, end in regions:
        a, b = max(span.start, start), min(span.end, end)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            pieces.append((a, b))
    return pieces


def tag_article(article: Article, tagger: Tagger) -> tuple[list[tuple[int, int, TaggedSpan]], TokenStates | None]:
    """Tagged spans clipped to the article's analysed regions, in text order, and the encoder's
    states of the text when the tagger gives them."""
    regions = article.analysed_regions()
    if not regions:
        return [], None
    # one pass over title to body keeps the context the model was trained with
    states = None
    if isinstance(tagger, StateTagger):
        tagged, states = tagger.tag_with_states(article.text, regions[0][0], regions[-1][1])
    else:
        tagged = tagger.tag(article.text, regions[0][0], regions[-1][1])
    for span in tagged:
        _check_tagged(span, tagger, len(article.text))
    return [(a, b, span) for span in tagged for a, b in clip_to_regions(article.text, span, regions)], states


def _check_tagged(span: TaggedSpan, tagger: Tagger, text_length: int) -> None:
    """ModelError for a span no analysis can hold: a tagger of one's own (``tagger=``) can give
    anything, and a bare KeyError later would not say whose answer was wrong."""
    unknown = [t for t in (span.technique, *(t for t, _ in span.ranking)) if t not in TECHNIQUE_IDS]
    if unknown:
        raise ModelError(
            f"the tagger {tagger.name!r} named the technique {unknown[0]!r}, which is not one of the 14"
            f" (propscope.techniques.TECHNIQUE_IDS)"
        )
    if not 0 <= span.start <= span.end <= text_length:
        raise ModelError(
            f"the tagger {tagger.name!r} gave the span {span.start}-{span.end}, not a range within the text's {text_length} characters"
        )


def analyse_article(article: Article, tagger: Tagger | None = None, options: AnalysisOptions | None = None) -> Analysis:
    tagger = tagger or default_tagger()
    missing = [name for name in ("name", "version", "tag", "classify") if not hasattr(tagger, name)]
    if missing:
        raise ModelError(f"{type(tagger).__name__} is no propscope.Tagger: it has no {', '.join(missing)}")
    options = options or AnalysisOptions()
    regions = article.analysed_regions()
    if not looks_english(" ".join(article.text[a:b] for a, b in regions)):
        article = replace(article, warnings=(*article.warnings, NOT_ENGLISH))
    parsed = parse_regions(article.text, regions)
    sentences = parsed.sentences
    attributor = Attributor(article.text, regions, parsed.paragraphs, article.title_range)
    tagged_spans, states = tag_article(article, tagger)
    encoded = (regions[0][0], regions[-1][1]) if regions else (0, len(article.text))
    rule_targeter = Targeter(article.text, parsed.paragraphs, attributor)
    targeter = target_finder(rule_targeter, tagger, states, encoded)
    sureness = bundled_attribution_confidence().for_article(article.text, article.title_range)
    spans = []
    for start, end, tagged in tagged_spans:
        if tagged.confidence < options.min_confidence:
            continue
        if options.techniques is not None and tagged.technique not in options.techniques:
            continue
        runner_up = tagged.ranking[1] if len(tagged.ranking) > 1 else None
        voice = attributor.voice_of(start, end)
        voice_confidence, speaker_confidence = sureness.of(start, end, voice)
        target = targeter.target_of(start, end, tagged.technique) if tagged.technique in TARGETED_TECHNIQUES else None
        spans.append(
            Span(
                start=start,
                end=end,
                text=article.text[start:end],
                technique=tagged.technique,
                technique_name=technique(tagged.technique).name,
                confidence=tagged.confidence,
                technique_confidence=tagged.technique_confidence,
                explanation=explain(tagged.technique, tagged.technique_confidence, runner_up),
                sentence=sentence_of(start, sentences),
                alternatives=tagged.ranking,
                voice=voice.voice,
                # one name for one person across the article ("Ward" -> "Ellen Ward"), as targets have
                speaker=rule_targeter.canonical(voice.speaker) if voice.speaker else None,
                speaker_range=voice.speaker_range,
                voice_confidence=voice_confidence,
                speaker_confidence=speaker_confidence,
                target=target.name if target else None,
                target_range=(target.start, target.end) if target else None,
                target_confidence=target.confidence if target else None,
            )
        )
    return Analysis(
        article=article,
        spans=tuple(spans),
        sentences=tuple(sentences),
        summary=score_article(spans, sentences),
        entities=tuple(parsed.entities),
        model=analysis_model(tagger.name, tagger.version),
        span_words=tuple(normalise([span.text for span in spans])),
        filters={
            "min_confidence": options.min_confidence,
            "techniques": sorted(options.techniques) if options.techniques is not None else None,
        },
    )


def _is_text(value: str) -> bool:
    """Whether a string given to analyze() is an article's text rather than a path or a URL: it
    has a line break, is over 1 KiB, or has words no file name or URL has ("The thugs lied.")."""
    if "\n" in value or len(value) > 1024:
        return True
    words = len(value.split()) > 1
    # "data/my notes", "~/march report": a mistyped path is an error, not a two-word article
    path_like = any(mark in value for mark in "/\\") or value.startswith(("~", "."))
    file_like = path_like or Path(value).suffix.lower() in FILE_SUFFIXES - {""}
    return words and not file_like and not Path(value).exists()


def analyze_many(
    source: str | Path | Iterable[str | Path],
    *,
    tagger: Tagger | None = None,
    options: AnalysisOptions | None = None,
    read_options: ReadOptions | None = None,
) -> Iterator[Analysis | BadRecord]:
    """Analyses of every article in a path, folder, URL or ``-``, or in each of several; bad
    records passed through, and, with ``skip_bad_records``, articles that cannot be analysed (a
    paragraph too long for the parser) passed on as bad records too."""
    if not isinstance(source, (str, os.PathLike)):
        for each in source:
            yield from analyze_many(each, tagger=tagger, options=options, read_options=read_options)
        return
    skipping = read_options is not None and read_options.skip_bad_records
    for item in read_articles(os.fspath(source), read_options):
        result = item if isinstance(item, BadRecord) else analyse_or_skip(item, tagger, options)
        if isinstance(result, BadRecord) and result is not item and not skipping:
            raise InputError(result.reason)
        yield result


def analyse_or_skip(
    article: Article, tagger: Tagger | None = None, options: AnalysisOptions | None = None
) -> Analysis | BadRecord:
    """An article's analysis, or a bad record that says why it cannot be analysed (a paragraph
    too long for the parser), naming the article."""
    try:
        return analyse_article(article, tagger, options)
    except InputError as error:
        origin = article.origin or "<text>"
        return BadRecord(origin, f"{origin}: {error}")


def analyze(
    source: str | Path | Article,
    *,
    tagger: Tagger | None = None,
    options: AnalysisOptions | None = None,
    read_options: ReadOptions | None = None,
) -> Analysis:
    """Analyse one article: an ``Article``, text, a path, or a URL.

    A string with a line break, over 1 KiB, or of several words that name no file and no URL
    is taken as the article's text; otherwise as a URL or a path.
    """
    if isinstance(source, Article):
        return analyse_article(source, tagger, options)
    if not isinstance(source, (str, os.PathLike)):
        raise InputError(f"analyze() takes one article; give several to analyze_many(), not {type(source).__name__}")
    if isinstance(source, str) and _is_text(source):
        return analyse_article(article_from_text(source, origin="<text>"), tagger, options)
    items = list(read_articles(os.fspath(source), read_options))
    if len(items) != 1:
        raise InputError(f"{source}: holds {len(items)} articles; use analyze_many() for several")
    if isinstance(items[0], BadRecord):
        raise InputError(items[0].reason)
    return analyse_article(items[0], tagger, options)
