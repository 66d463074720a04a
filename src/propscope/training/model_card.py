"""The model card shipped next to the artifacts."""

from __future__ import annotations

from pathlib import Path

RELIABLE_F1 = 0.5


def reliability(report: dict | None) -> dict[str, str]:
    """Per technique: 'reliable' when its cross-validated TC F1 reaches RELIABLE_F1."""
    if report is None:
        return {}
    return {
        name: "reliable" if scores["f1"] >= RELIABLE_F1 else "unreliable"
        for name, scores in report["tc"]["per_technique"].items()
    }


def write_model_card(model_dir: Path, config: dict, report: dict | None) -> None:
    lines = [
        f"# Model card: {config['name']} {config['version']}",
        "",
        "## What it is",
        "A fine-tuned all-MiniLM-L6-v2 encoder (BERT, 6 layers, 384 hidden, uncased) with a token head that marks",
        "propaganda fragments and a span head that names one of the 14 SemEval-2020 Task 11 techniques.",
        "Hand-made token features (casing, punctuation, quotation) and span features (recurrence of the span's",
        "words in the article, length, casing) feed the heads. Windows of 256 word pieces, no overlap.",
        "Exported to ONNX and quantised dynamically to int8; inference needs onnxruntime, tokenizers and numpy.",
        "",
        "## Training data",
        f"Propaganda Techniques Corpus v2, train split ({config['training']['articles']} articles), SemEval-2020 Task 11.",
        'Cite: G. Da San Martino, S. Yu, A. Barrón-Cedeño, R. Petrov, P. Nakov, "Fine-Grained Analysis of',
        'Propaganda in News Articles", EMNLP 2019; and the SemEval-2020 Task 11 overview (Da San Martino et al., 2020).',
        "",
        "## Reproduce",
        f"    {config['training']['command']}",
        "",
        f"Decoding settings (chosen by cross-validation): {config['decoding']}; technique temperature {config['temperature']}.",
        "",
    ]
    if report is not None:
        si, tc = report["si"]["overall"], report["tc"]["overall"]
        lines += [
            f"## Cross-validated figures ({config['training']['cv']}-fold, split by article)",
            "",
            f"- SI: precision {si['precision']:.4f}, recall {si['recall']:.4f}, F1 **{si['f1']:.4f}**"
            f" (per fold {', '.join(f'{x:.3f}' for x in report['si_f1_per_fold'])})",
            f"- TC: micro-F1 **{tc['f1']:.4f}** (per fold {', '.join(f'{x:.3f}' for x in report['tc_f1_per_fold'])})",
            f"- TC without the technique re-ranker (span head alone): micro-F1 {report['tc_without_reranker']['micro_f1']:.4f}",
            f"- SI spans predicted {report['si_spans']['predicted']} against {report['si_spans']['gold']} gold (merged)",
            f"- Calibration error (ECE, 10 bins): span confidence {report['ece']['span_raw']:.3f} raw,"
            f" {report['ece']['span_calibrated']:.3f} after isotonic calibration fitted on the other folds"
            f" (shipped: {'isotonic' if report['span_calibration'] else 'raw, as it is better calibrated'});"
            f" technique confidence {report['ece']['technique_raw']:.3f} raw, {report['ece']['technique_calibrated']:.3f}"
            " after temperature scaling.",
            "",
            "| technique | gold spans | precision | recall | F1 | reliability |",
            "|---|---:|---:|---:|---:|---|",
        ]
        labels = reliability(report)
        for name, scores in sorted(report["tc"]["per_technique"].items(), key=lambda kv: -kv[1]["support"]):
            lines.append(
                f"| {name} | {scores['support']} | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} | {labels[name]} |"
            )
        lines += [
            "",
            f"A technique is marked reliable when its cross-validated F1 is at least {RELIABLE_F1}.",
            "",
        ]
    lines += [
        "## Known weaknesses",
        "- English only; trained on news articles from 2017-2019. Other genres and languages get few or wrong spans.",
        "- Span boundaries are approximate: the task's gold spans are themselves subjective (annotator agreement is moderate).",
        "- Rare techniques (few training examples) are mostly labelled as Loaded_Language or Name_Calling,Labeling.",
        "- The model does not know who is speaking: a quoted propagandist's words count like the author's.",
        "",
    ]
    (model_dir / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")
