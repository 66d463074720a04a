"""Fit the confidence of voices and speakers (``propscope calibrate-attribution``): a logistic
regression of whether the rules' voice, and their speaker, were right on the annotated spans,
over the features of ``attribution.confidence``; cross-validated over whole articles first, to
report how well calibrated it is on articles it did not see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from propscope.attribution.confidence import CONFIDENCE_NAME, AttributionConfidence, ConfidenceFeatures, Logistic
from propscope.attribution_eval import annotated_articles, speaker_matches
from propscope.errors import InputError
from propscope.fileio import output_folder, write_atomically
from propscope.metrics import expected_calibration_error
from propscope.tagging.artifacts import update_checksums

#: inverse strength of the penalty on the weights
C = 1.0


@dataclass(frozen=True)
class Example:
    article_id: str
    features: dict[str, float]
    voice_right: bool
    #: None when the rules found no speaker
    speaker_right: bool | None


def confidence_examples(gold: Sequence[Path], article_dirs: Sequence[Path]) -> list[Example]:
    examples = []
    for path in gold:
        for article in annotated_articles(path, article_dirs):
            features = ConfidenceFeatures(article.text, article.attributor.title)
            for row in article.rows:
                start, end = int(row["start"]), int(row["end"])
                voice = article.attributor.voice_of(start, end)
                speaker_right = None if voice.speaker is None else speaker_matches(voice, row, article.text)
                examples.append(
                    Example(
                        article.article_id, features.of(start, end, voice), voice.voice == row["voice"], speaker_right
                    )
                )
    return examples


@dataclass(frozen=True)
class Fitted:
    model: Logistic
    record: dict


def fit_measure(measure: str, examples: list[Example], right: list[bool], folds: int) -> Fitted:
    """The logistic fit of ``right`` on the examples' features, and its cross-validated figures."""
    names = sorted({name for e in examples for name in e.features})
    inputs = np.array([[e.features.get(name, 0.0) for name in names] for e in examples])
    labels = np.array(right, dtype=float)
    if len(set(right)) < 2:
        raise InputError(
            f"the rules' every {measure} on these annotations is right, or every one wrong: nothing to calibrate"
        )
    held_out = np.zeros(len(labels))
    groups = [e.article_id for e in examples]
    for train, test in GroupKFold(folds).split(inputs, labels, groups):
        if len(set(labels[train])) < 2:
            held_out[test] = labels[train].mean()
            continue
        fold_model = LogisticRegression(C=C, max_iter=5000).fit(inputs[train], labels[train])
        held_out[test] = fold_model.predict_proba(inputs[test])[:, 1]
    model = LogisticRegression(C=C, max_iter=5000).fit(inputs, labels)
    rate = float(labels.mean())
    record = {
        "spans": len(labels),
        #: the share of right answers: voices right, or speakers found that are right
        "share_right": round(rate, 4),
        "cv_ece": round(expected_calibration_error(held_out.tolist(), labels.tolist()), 4),
        "cv_brier": round(float(np.mean((held_out - labels) ** 2)), 4),
        "constant_brier": round(float(np.mean((rate - labels) ** 2)), 4),
    }
    weights = {name: round(float(w), 6) for name, w in zip(names, model.coef_[0], strict=True)}
    return Fitted(Logistic(weights, round(float(model.intercept_[0]), 6)), record)


def calibrate_attribution(gold: list[Path], article_dirs: Sequence[Path], out: Path, folds: int = 5) -> dict:
    """Fit both confidences on ``gold``, write them with their checksum to ``out`` and return
    the record written with them."""
    if folds < 2:
        raise InputError(f"--folds must be at least 2, not {folds}")
    output_folder(out)
    examples = confidence_examples(gold, article_dirs)
    if len({e.article_id for e in examples}) < folds:
        raise InputError(f"cross-validation needs at least {folds} annotated articles")
    spoken = [e for e in examples if e.speaker_right is not None]
    if len({e.article_id for e in spoken}) < folds:
        raise InputError(f"cross-validation needs speakers found in at least {folds} annotated articles")
    voice = fit_measure("voice", examples, [e.voice_right for e in examples], folds)
    speaker = fit_measure("speaker", spoken, [bool(e.speaker_right) for e in spoken], folds)
    record = {
        "trained_on": [path.name for path in gold],
        "articles": len({e.article_id for e in examples}),
        "folds": folds,
        "voice": voice.record,
        "speaker": speaker.record,
    }
    write_atomically(out / CONFIDENCE_NAME, AttributionConfidence(voice.model, speaker.model, record).to_json())
    update_checksums(out, [CONFIDENCE_NAME], "attribution confidence")
    return record
