"""Fine-tune the network on the corpus, with k-fold cross-validation by article."""

from __future__ import annotations

import io
import math
import random
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from rich.console import Console
from torch import nn

from propscope.corpus import CorpusArticle
from propscope.metrics import merge_spans
from propscope.tagging.encoding import (
    EncodedText,
    encode_text,
    normalise_phrase,
    span_features,
    token_range,
    window_batch,
)
from propscope.tagging.inference import EncoderOutput, SpanHead, run_encoder, span_inputs
from propscope.training.network import PropagandaNetwork

console = Console(stderr=True)


@dataclass
class TrainingConfig:
    encoder_dir: str
    techniques: list[str]
    epochs: int = 3
    batch_size: int = 8
    encoder_lr: float = 5e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_share: float = 0.06
    #: exponent on inverse class frequency for technique weights (0 = none, 1 = full)
    class_weight_power: float = 0.5
    span_loss_weight: float = 1.0
    seed: int = 13
    threads: int = 2

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SpanExample:
    start: int
    end: int
    first_token: int
    end_token: int
    features: np.ndarray
    target: np.ndarray  # distribution over techniques


@dataclass
class ArticleExample:
    article: CorpusArticle
    encoded: EncodedText
    token_labels: np.ndarray
    spans: list[SpanExample] = field(default_factory=list)


def build_example(article: CorpusArticle, tokenizer, techniques: list[str]) -> ArticleExample:
    encoded = encode_text(tokenizer, article.text)
    labels = np.zeros(len(encoded), dtype=np.float32)
    for start, end in merge_spans((s, e) for _, s, e in article.labels):
        covered = token_range(encoded, start, end)
        if covered:
            labels[covered[0] : covered[1]] = 1.0
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for technique, start, end in article.labels:
        groups[(start, end)].append(technique)
    normalised = normalise_phrase(article.text)
    spans = []
    for (start, end), names in sorted(groups.items()):
        covered = token_range(encoded, start, end)
        if covered is None:
            continue
        target = np.zeros(len(techniques), dtype=np.float32)
        for name in names:
            target[techniques.index(name)] += 1.0 / len(names)
        spans.append(
            SpanExample(
                start, end, covered[0], covered[1], span_features(article.text, normalised, encoded, start, end), target
            )
        )
    return ArticleExample(article, encoded, labels, spans)


def _window_items(examples: list[ArticleExample]) -> list[tuple[int, int]]:
    return [(a, w) for a, example in enumerate(examples) for w in range(len(example.encoded.windows))]


def _collate(examples: list[ArticleExample], items: list[tuple[int, int]]):
    """Tensors for a batch of windows, plus the gold spans that start inside them."""
    parts = [window_batch(examples[a].encoded, [examples[a].encoded.windows[w]]) for a, w in items]
    length = max(p["input_ids"].shape[1] for p in parts)

    def pad(key, value=0):
        arrays = []
        for p in parts:
            array = p[key][0]
            padding = [(0, length - array.shape[0])] + [(0, 0)] * (array.ndim - 1)
            arrays.append(np.pad(array, padding, constant_values=value))
        return torch.from_numpy(np.stack(arrays))

    token_labels = np.zeros((len(items), length), dtype=np.float32)
    token_mask = np.zeros((len(items), length), dtype=np.float32)
    span_rows, span_feats, span_targets = [], [], []
    for row, (a, w) in enumerate(items):
        start, end = examples[a].encoded.windows[w]
        token_labels[row, 1 : end - start + 1] = examples[a].token_labels[start:end]
        token_mask[row, 1 : end - start + 1] = 1.0
        for span in examples[a].spans:
            if start <= span.first_token < end:
                last = min(span.end_token, end)
                span_rows.append((row, span.first_token - start + 1, last - start + 1))
                span_feats.append(span.features)
                span_targets.append(span.target)
    batch = {
        "input_ids": pad("input_ids"),
        "attention_mask": pad("attention_mask"),
        "token_features": pad("token_features"),
    }
    spans = None
    if span_rows:
        spans = (span_rows, torch.from_numpy(np.stack(span_feats)), torch.from_numpy(np.stack(span_targets)))
    return batch, torch.from_numpy(token_labels), torch.from_numpy(token_mask), spans


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def technique_weights(examples: list[ArticleExample], config: TrainingConfig) -> torch.Tensor:
    counts = np.ones(len(config.techniques))
    for example in examples:
        for span in example.spans:
            counts += span.target
    weights = (counts.sum() / (len(counts) * counts)) ** config.class_weight_power
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


def train_network(examples: list[ArticleExample], config: TrainingConfig, label: str) -> PropagandaNetwork:
    seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    network = PropagandaNetwork(config.encoder_dir, len(config.techniques))
    network.train()
    items = _window_items(examples)
    steps_per_epoch = math.ceil(len(items) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    encoder_params = list(network.encoder.parameters())
    encoder_ids = {id(p) for p in encoder_params}
    head_params = [p for p in network.parameters() if id(p) not in encoder_ids]
    optimizer = torch.optim.AdamW(
        [{"params": encoder_params, "lr": config.encoder_lr}, {"params": head_params, "lr": config.head_lr}],
        weight_decay=config.weight_decay,
    )
    warmup = max(1, int(total_steps * config.warmup_share))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup)))
    )
    weights = technique_weights(examples, config)
    bce = nn.BCEWithLogitsLoss(reduction="none")
    rng = random.Random(config.seed)
    step = 0
    began = time.monotonic()
    for epoch in range(config.epochs):
        rng.shuffle(items)
        running = 0.0
        for batch_start in range(0, len(items), config.batch_size):
            batch, labels, mask, spans = _collate(examples, items[batch_start : batch_start + config.batch_size])
            hidden, token_logits = network(**batch)
            loss = (bce(token_logits, labels) * mask).sum() / mask.sum()
            if spans is not None:
                rows, feats, targets = spans
                log_probs = torch.log_softmax(network.span_logits(hidden, rows, feats), dim=-1)
                per_span = -(targets * log_probs).sum(-1) * (targets @ weights)
                loss = loss + config.span_loss_weight * per_span.mean()
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                elapsed = time.monotonic() - began
                console.print(
                    f"[{label}] epoch {epoch + 1}/{config.epochs} step {step}/{total_steps} "
                    f"loss {running / 50:.4f} {elapsed / step:.2f}s/step eta {elapsed / step * (total_steps - step) / 60:.1f} min",
                    markup=False,
                )
                running = 0.0
    network.eval()
    return network


def numpy_span_head(network: PropagandaNetwork) -> SpanHead:
    first, second = network.span_head[1], network.span_head[4]
    return SpanHead(
        first.weight.detach().numpy().T.copy(),
        first.bias.detach().numpy().copy(),
        second.weight.detach().numpy().T.copy(),
        second.bias.detach().numpy().copy(),
    )


def torch_runner(network: PropagandaNetwork):
    def run(batch: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        with torch.inference_mode():
            hidden, logits = network(**{k: torch.from_numpy(v) for k, v in batch.items()})
        return hidden.numpy(), torch.sigmoid(logits).numpy()

    return run


@dataclass
class ArticleOutputs:
    """What cross-validation keeps of one held-out article."""

    article_id: str
    fold: int
    offsets: np.ndarray
    encoder_output: EncoderOutput
    gold_span_logits: np.ndarray  # (gold span groups, techniques)
    gold_spans: list[tuple[int, int]]


def held_out_outputs(network: PropagandaNetwork, example: ArticleExample, fold: int, head: SpanHead) -> ArticleOutputs:
    output = run_encoder(example.encoded, torch_runner(network))
    token_spans = [(s.start, s.end, s.first_token, s.end_token) for s in example.spans]
    logits = (
        head.logits(span_inputs(example.article.text, example.encoded, output, token_spans))
        if token_spans
        else np.zeros((0, head.b2.shape[0]), np.float32)
    )
    return ArticleOutputs(
        example.article.article_id,
        fold,
        example.encoded.offsets,
        output,
        logits,
        [(s.start, s.end) for s in example.spans],
    )


def assign_folds(article_ids: list[str], k: int, seed: int) -> dict[str, int]:
    shuffled = sorted(article_ids)
    random.Random(seed).shuffle(shuffled)
    return {article_id: i % k for i, article_id in enumerate(shuffled)}


def network_bytes(network: PropagandaNetwork) -> bytes:
    """The network's weights as ``load_network`` reads them."""
    buffer = io.BytesIO()
    torch.save(network.state_dict(), buffer)
    return buffer.getvalue()


def load_network(path: Path, config: TrainingConfig) -> PropagandaNetwork:
    network = PropagandaNetwork(config.encoder_dir, len(config.techniques))
    network.load_state_dict(torch.load(path, map_location="cpu"))
    network.eval()
    return network
