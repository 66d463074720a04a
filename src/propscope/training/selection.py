"""Choose decoding and calibration settings from out-of-fold outputs, and report CV figures."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
from sklearn.isotonic import IsotonicRegression

from propscope.corpus import CorpusArticle
from propscope.metrics import merge_spans, score_si, score_tc
from propscope.tagging.decoding import DecodingSettings, decode_spans
from propscope.tagging.inference import softmax, span_scores
from propscope.training.trainer import ArticleOutputs

THRESHOLDS = [round(float(x), 2) for x in np.arange(0.2, 0.71, 0.05)]
GAPS = [0, 1, 2, 3, 4, 6, 8]
MIN_CHARS = [1, 4, 8, 12]


def decoded_spans(outputs: ArticleOutputs, article: CorpusArticle, settings: DecodingSettings):
    return decode_spans(article.text, outputs.offsets, outputs.encoder_output.token_probabilities, settings)


def gold_si(articles: list[CorpusArticle]) -> dict[str, list[tuple[int, int]]]:
    return {a.article_id: merge_spans((s, e) for _, s, e in a.labels) for a in articles}


def choose_decoding(outputs: list[ArticleOutputs], articles: list[CorpusArticle]) -> tuple[DecodingSettings, float]:
    gold = gold_si(articles)
    best = (DecodingSettings(), -1.0)
    for threshold, gap, min_chars in itertools.product(THRESHOLDS, GAPS, MIN_CHARS):
        settings = DecodingSettings(threshold, gap, min_chars)
        predicted = {
            o.article_id: [(s, e) for s, e, _, _ in decoded_spans(o, a, settings)] for o, a in zip(outputs, articles)
        }
        f1 = score_si(gold, predicted).overall.f1
        if f1 > best[1]:
            best = (settings, f1)
    return best


def tc_predictions(
    outputs: list[ArticleOutputs], articles: list[CorpusArticle], techniques: list[str], temperature: float
):
    """Gold TC lines and predictions: a span listed k times gets its k most likely techniques."""
    gold_lines, predicted_lines, confidences, correct = [], [], [], []
    for o, a in zip(outputs, articles):
        counts = Counter((s, e) for _, s, e in a.labels)
        for _, s, e in a.labels:
            gold_lines.append((a.article_id, s, e, _))
        for (s, e), logits in zip(o.gold_spans, o.gold_span_logits):
            probabilities = softmax(logits, temperature)
            ranked = np.argsort(-probabilities)[: counts[(s, e)]]
            gold_here = [t for t, gs, ge in a.labels if (gs, ge) == (s, e)]
            for index in ranked:
                predicted_lines.append((a.article_id, s, e, techniques[index]))
            confidences.append(float(probabilities[ranked[0]]))
            correct.append(techniques[ranked[0]] in gold_here)
    return gold_lines, predicted_lines, np.asarray(confidences), np.asarray(correct, dtype=float)


def choose_temperature(outputs: list[ArticleOutputs], articles: list[CorpusArticle], techniques: list[str]) -> float:
    logits, targets = [], []
    for o, a in zip(outputs, articles):
        for (s, e), row in zip(o.gold_spans, o.gold_span_logits):
            for technique, gs, ge in a.labels:
                if (gs, ge) == (s, e):
                    logits.append(row)
                    targets.append(techniques.index(technique))
    logits_array, target_array = np.asarray(logits), np.asarray(targets)
    best = (1.0, np.inf)
    for temperature in np.arange(0.5, 3.01, 0.05):
        probabilities = softmax(logits_array, temperature)
        nll = -np.log(probabilities[np.arange(len(target_array)), target_array] + 1e-12).mean()
        if nll < best[1]:
            best = (float(round(temperature, 2)), nll)
    return best[0]


def expected_calibration_error(confidences: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    if len(confidences) == 0:
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    error = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidences > low) & (confidences <= high)
        if inside.any():
            error += inside.mean() * abs(confidences[inside].mean() - correct[inside].mean())
    return float(error)


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


def cv_report(outputs: list[ArticleOutputs], articles: list[CorpusArticle], techniques: list[str], k: int) -> dict:
    settings, _ = choose_decoding(outputs, articles)
    gold = gold_si(articles)
    predicted = {
        o.article_id: [(s, e) for s, e, _, _ in decoded_spans(o, a, settings)] for o, a in zip(outputs, articles)
    }
    si = score_si(gold, predicted)
    si_folds = []
    tc_folds = []
    temperature = choose_temperature(outputs, articles, techniques)
    for fold in range(k):
        ids = {o.article_id for o in outputs if o.fold == fold}
        si_folds.append(score_si({i: gold[i] for i in ids}, {i: predicted[i] for i in ids}).overall.f1)
        fold_pairs = [(o, a) for o, a in zip(outputs, articles) if o.fold == fold]
        g, p, _, _ = tc_predictions([o for o, _ in fold_pairs], [a for _, a in fold_pairs], techniques, temperature)
        tc_folds.append(score_tc(g, p).overall.f1)
    gold_lines, predicted_lines, tc_conf, tc_correct = tc_predictions(outputs, articles, techniques, temperature)
    tc = score_tc(gold_lines, predicted_lines)
    _, _, raw_conf, _ = tc_predictions(outputs, articles, techniques, 1.0)
    scores, correct, folds = span_confidence_data(outputs, articles, settings)
    span_ece_raw, span_ece_calibrated = cross_fitted_ece(scores, correct, folds)
    calibration_x, calibration_y = fit_isotonic(scores, correct)
    n_predicted = sum(len(v) for v in predicted.values())
    n_gold = sum(len(v) for v in gold.values())
    return {
        "decoding": settings.as_dict(),
        "temperature": temperature,
        "span_calibration": {"x": calibration_x, "y": calibration_y},
        "si": si.as_dict(),
        "si_f1_per_fold": si_folds,
        "si_spans": {"predicted": n_predicted, "gold": n_gold},
        "tc": tc.as_dict(),
        "tc_f1_per_fold": tc_folds,
        "ece": {
            "span_raw": span_ece_raw,
            "span_calibrated": span_ece_calibrated,
            "technique_raw": expected_calibration_error(raw_conf, tc_correct),
            "technique_calibrated": expected_calibration_error(tc_conf, tc_correct),
        },
    }
