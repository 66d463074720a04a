"""Write a trained network as the torch-free artifacts the runtime loads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import torch

from propscope.tagging.artifacts import CONFIG_NAME, ENCODER_NAME, SPAN_HEAD_NAME, TOKENIZER_NAME, write_checksums
from propscope.tagging.encoding import TOKEN_FEATURES
from propscope.tagging.inference import Reranker
from propscope.training.network import ExportWrapper, PropagandaNetwork
from propscope.training.trainer import numpy_span_head


def export_onnx(network: PropagandaNetwork, path: Path) -> None:
    """fp32 ONNX graph with dynamic batch and sequence axes."""
    network.eval()
    length = 16
    example = (
        torch.full((2, length), 1000, dtype=torch.long),
        torch.ones((2, length), dtype=torch.long),
        torch.zeros((2, length, len(TOKEN_FEATURES)), dtype=torch.float32),
    )
    torch.onnx.export(
        ExportWrapper(network).eval(),
        example,
        str(path),
        input_names=["input_ids", "attention_mask", "token_features"],
        output_names=["hidden", "token_probabilities"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "token_features": {0: "batch", 1: "sequence"},
            "hidden": {0: "batch", 1: "sequence"},
            "token_probabilities": {0: "batch", 1: "sequence"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantise(fp32_path: Path, int8_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8)


def write_weights(
    network: PropagandaNetwork, tokenizer_path: Path, out: Path, work: Path, reranker: Reranker | None
) -> None:
    """The weights the runtime loads: int8 encoder, span head (and re-ranker), tokenizer."""
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    fp32 = work / "encoder-fp32.onnx"
    export_onnx(network, fp32)
    network.eval()
    quantise(fp32, out / ENCODER_NAME)
    arrays = numpy_span_head(network).as_arrays()
    if reranker is not None:
        arrays |= {"rerank_w": reranker.weights, "rerank_b": reranker.bias}
    np.savez(out / SPAN_HEAD_NAME, **arrays)
    shutil.copyfile(tokenizer_path, out / TOKENIZER_NAME)


def write_config(config: dict, out: Path) -> None:
    """The config beside the weights, then the checksums of all of them."""
    (out / CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    write_checksums(out)
