"""Choose decoding and calibration settings from out-of-fold outputs, and report CV figures."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from propscope.corpus import CorpusArticle
from propscope.metrics import expected_calibration_error, merge_spans, score_si, score_tc
from propscope.tagging.decoding import DecodingSettings, decode_spans
from propscope.tagging.encoding import encode_text, line_breaks_after, normalise_phrase, span_features
from propscope.tagging.inference import Reranker, softmax, span_scores
from propscope.training.trainer import ArticleOutputs

THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]
#: extend threshold as a share of the threshold
EXTEND_SHARES = [1.0, 0.8, 0.65, 0.5]
GAPS = [2, 4, 8, 12]
MIN_CHARS = [4, 8, 12]
#: inverse regularisation strength of the technique re-ranker
RERANKER_C = 0.1


def decoded_spans(outputs: ArticleOutputs, article: CorpusArticle, settings: DecodingSettings, breaks=None):
    return decode_spans(article.text, outputs.offsets, outputs.encoder_output.token_probabilities, settings, breaks)


def gold_si(articles: list[CorpusArticle]) -> dict[str, list[tuple[int, int]]]:
    return {a.article_id: merge_spans((s, e) for _, s, e in a.labels) for a in articles}


def choose_decoding(outputs: list[ArticleOutputs], articles: list[CorpusArticle]) -> tuple[DecodingSettings, float]:
    gold = gold_si(articles)
    breaks = [line_breaks_after(a.text, o.offsets) for o, a in zip(outputs, articles)]
    best = (DecodingSettings(), -1.0)
    for threshold, share, gap, min_chars in itertools.product(THRESHOLDS, EXTEND_SHARES, GAPS, MIN_CHARS):
        settings = DecodingSettings(threshold, round(threshold * share, 3), gap, min_chars)
        predicted = {
            o.article_id: [(s, e) for s, e, _, _ in decoded_spans(o, a, settings, b)]
            for o, a, b in zip(outputs, articles, breaks)
        }
        f1 = score_si(gold, predicted).overall.f1
        if f1 > best[1]:
            best = (settings, f1)
    return best


@dataclass
class GoldSpanTable:
    """One row per gold span (a span with several techniques is one row)."""

    article_ids: list[str]
    spans: list[tuple[int, int]]
    folds: np.ndarray
    #: re-ranker inputs: span head logits, then the span features
    inputs: np.ndarray
    labels: list[list[str]]


def gold_span_table(outputs: list[ArticleOutputs], articles: list[CorpusArticle], tokenizer) -> GoldSpanTable:
    ids, spans, folds, rows, labels = [], [], [], [], []
    for o, a in zip(outputs, articles):
        encoded = encode_text(tokenizer, a.text)
        normalised = normalise_phrase(a.text)
        for (s, e), logits in zip(o.gold_spans, o.gold_span_logits):
            ids.append(a.article_id)
            spans.append((s, e))
            folds.append(o.fold)
            rows.append(np.concatenate([logits, span_features(a.text, normalised, encoded, s, e)]))
            labels.append([t for t, gs, ge in a.labels if (gs, ge) == (s, e)])
    return GoldSpanTable(ids, spans, np.asarray(folds), np.asarray(rows, dtype=np.float64), labels)


def fit_reranker(inputs: np.ndarray, labels: list[list[str]], techniques: list[str]) -> Reranker:
    """Multinomial logistic regression over span head logits and span features.

    A span with several gold techniques contributes one row per technique.
    """
    rows = [i for i, names in enumerate(labels) for _ in names]
    targets = [techniques.index(name) for names in labels for name in names]
    model = LogisticRegression(C=RERANKER_C, max_iter=5000).fit(inputs[rows], targets)
    weights = np.zeros((inputs.shape[1], len(techniques)))
    bias = np.full(len(techniques), -30.0)  # a technique never seen in training stays impossible
    weights[:, model.classes_] = model.coef_.T
    bias[model.classes_] = model.intercept_
    return Reranker(weights.astype(np.float32), bias.astype(np.float32))


def cross_fitted_rerank(table: GoldSpanTable, techniques: list[str]) -> np.ndarray:
    """Re-ranked logits for every gold span, each from a re-ranker fitted on the other folds."""
    logits = np.zeros((len(table.labels), len(techniques)))
    for fold in np.unique(table.folds):
        held = table.folds == fold
        train = np.nonzero(~held)[0]
        reranker = fit_reranker(table.inputs[train], [table.labels[i] for i in train], techniques)
        logits[held] = reranker.logits(table.inputs[held])
    return logits


def tc_predictions(table: GoldSpanTable, logits: np.ndarray, techniques: list[str], temperature: float, rows=None):
    """Gold TC lines and predictions: a span listed k times gets its k most likely techniques."""
    rows = range(len(table.labels)) if rows is None else rows
    gold_lines, predicted_lines, confidences, correct = [], [], [], []
    for i in rows:
        article_id, (s, e), names = table.article_ids[i], table.spans[i], table.labels[i]
        probabilities = softmax(logits[i], temperature)
        ranked = np.argsort(-probabilities)[: len(names)]
        gold_lines.extend((article_id, s, e, name) for name in names)
        predicted_lines.extend((article_id, s, e, techniques[index]) for index in ranked)
        confidences.append(float(probabilities[ranked[0]]))
        correct.append(techniques[ranked[0]] in names)
    return gold_lines, predicted_lines, np.asarray(confidences), np.asarray(correct, dtype=float)


def choose_temperature(table: GoldSpanTable, logits: np.ndarray, techniques: list[str]) -> float:
    rows = [i for i, names in enumerate(table.labels) for _ in names]
    targets = np.asarray([techniques.index(name) for names in table.labels for name in names])
    best = (1.0, np.inf)
    for temperature in np.arange(0.5, 3.01, 0.05):
        probabilities = softmax(logits[rows], temperature)
        nll = -np.log(probabilities[np.arange(len(targets)), targets] + 1e-12).mean()
        if nll < best[1]:
            best = (float(round(temperature, 2)), nll)
    return best[0]


def span_precision(span: tuple[int, int], gold: list[tuple[int, int]]) -> float:
    shared = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in gold)
    return shared / (span[1] - span[0])


def span_confidence_data(outputs: list[ArticleOutputs], articles: list[CorpusArticle], settings: DecodingSettings):
    """Raw score, correctness (over half the span is gold) and fold of each decoded span."""
    gold = gold_si(articles)
    scores, correct, folds = [], [], []
    for o, a in zip(outputs, articles):
        spans = decoded_spans(o, a, settings)
        if not spans:
            continue
        scores.extend(span_scores(o.encoder_output, spans))
        correct.extend(span_precision((s, e), gold[a.article_id]) > 0.5 for s, e, _, _ in spans)
        folds.extend([o.fold] * len(spans))
    return np.asarray(scores), np.asarray(correct, dtype=float), np.asarray(folds)


def fit_isotonic(scores: np.ndarray, correct: np.ndarray) -> tuple[list[float], list[float]]:
    """Calibration curve as knots for ``np.interp``."""
    regression = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, correct)
    return [float(x) for x in regression.X_thresholds_], [float(y) for y in regression.y_thresholds_]


def cross_fitted_ece(scores: np.ndarray, correct: np.ndarray, folds: np.ndarray) -> tuple[float, float]:
    """ECE of raw scores, and of scores calibrated on the other folds only."""
    calibrated = np.zeros_like(scores)
    for fold in np.unique(folds):
        held = folds == fold
        xs, ys = fit_isotonic(scores[~held], correct[~held])
        calibrated[held] = np.interp(scores[held], xs, ys)
    return expected_calibration_error(scores, correct), expected_calibration_error(calibrated, correct)


def cv_report(
    outputs: list[ArticleOutputs], articles: list[CorpusArticle], techniques: list[str], k: int, tokenizer
) -> tuple[dict, Reranker]:
    """Cross-validated figures and the settings to ship: decoding, calibration, re-ranker.

    Decoding settings are chosen on all out-of-fold outputs; the re-ranker and the
    span calibration are evaluated cross-fitted (fitted on the other folds).
    """
    settings, _ = choose_decoding(outputs, articles)
    gold = gold_si(articles)
    predicted = {
        o.article_id: [(s, e) for s, e, _, _ in decoded_spans(o, a, settings)] for o, a in zip(outputs, articles)
    }
    si = score_si(gold, predicted)
    table = gold_span_table(outputs, articles, tokenizer)
    head_logits = table.inputs[:, : len(techniques)]
    reranked = cross_fitted_rerank(table, techniques)
    temperature = choose_temperature(table, reranked, techniques)
    si_folds, tc_folds, tc_head_folds = [], [], []
    for fold in range(k):
        ids = {o.article_id for o in outputs if o.fold == fold}
        si_folds.append(score_si({i: gold[i] for i in ids}, {i: predicted[i] for i in ids}).overall.f1)
        rows = np.nonzero(table.folds == fold)[0]
        g, p, _, _ = tc_predictions(table, reranked, techniques, temperature, rows)
        tc_folds.append(score_tc(g, p).overall.f1)
        g, p, _, _ = tc_predictions(table, head_logits, techniques, 1.0, rows)
        tc_head_folds.append(score_tc(g, p).overall.f1)
    gold_lines, predicted_lines, tc_conf, tc_correct = tc_predictions(table, reranked, techniques, temperature)
    tc = score_tc(gold_lines, predicted_lines)
    _, head_lines, _, _ = tc_predictions(table, head_logits, techniques, 1.0)
    _, _, raw_conf, _ = tc_predictions(table, reranked, techniques, 1.0)
    scores, correct, folds = span_confidence_data(outputs, articles, settings)
    span_ece_raw, span_ece_calibrated = cross_fitted_ece(scores, correct, folds)
    # the isotonic map ships only when, fitted on other folds, it beats the raw scores
    calibration = None
    if span_ece_calibrated < span_ece_raw:
        calibration_x, calibration_y = fit_isotonic(scores, correct)
        calibration = {"x": calibration_x, "y": calibration_y}
    report = {
        "decoding": settings.as_dict(),
        "temperature": temperature,
        "span_calibration": calibration,
        "si": si.as_dict(),
        "si_f1_per_fold": si_folds,
        "si_spans": {
            "predicted": sum(len(v) for v in predicted.values()),
            "gold": sum(len(v) for v in gold.values()),
        },
        "tc": tc.as_dict(),
        "tc_f1_per_fold": tc_folds,
        "tc_without_reranker": {
            "micro_f1": score_tc(gold_lines, head_lines).overall.f1,
            "per_fold": tc_head_folds,
        },
        "ece": {
            "span_raw": span_ece_raw,
            "span_calibrated": span_ece_calibrated,
            "technique_raw": expected_calibration_error(raw_conf, tc_correct),
            "technique_calibrated": expected_calibration_error(tc_conf, tc_correct),
        },
    }
    return report, fit_reranker(table.inputs, table.labels, techniques)
