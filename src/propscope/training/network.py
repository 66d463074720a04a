"""The network: a shared encoder, a token head for spans and a span head for techniques."""

from __future__ import annotations

import torch
from torch import nn
from transformers import AutoModel

from propscope.tagging.encoding import SPAN_FEATURES, TOKEN_FEATURES

FEATURE_DIM = 32
SPAN_HIDDEN = 256


class PropagandaNetwork(nn.Module):
    """One encoder pass per window serves both tasks.

    ``forward`` returns the encoder's hidden states and the per-token span
    logits; the span head pools hidden states over a span (mean, first, last,
    window [CLS]) and adds span features such as recurrence in the article.
    """

    def __init__(self, encoder_dir: str, n_techniques: int) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(encoder_dir)
        hidden = self.encoder.config.hidden_size
        self.feature_projection = nn.Linear(len(TOKEN_FEATURES), FEATURE_DIM)
        self.token_head = nn.Sequential(nn.Dropout(0.1), nn.Linear(hidden + FEATURE_DIM, 1))
        self.span_head = nn.Sequential(
            nn.Dropout(0.1),
            nn.Linear(4 * hidden + len(SPAN_FEATURES), SPAN_HIDDEN),
            nn.GELU(approximate="tanh"),
            nn.Dropout(0.1),
            nn.Linear(SPAN_HIDDEN, n_techniques),
        )

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_features: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        features = torch.tanh(self.feature_projection(token_features))
        token_logits = self.token_head(torch.cat([hidden, features], dim=-1)).squeeze(-1)
        return hidden, token_logits

    def span_logits(self, hidden: torch.Tensor, spans: list[tuple[int, int, int]], span_features: torch.Tensor):
        """Technique logits for spans given as (window row, first token, end token)."""
        pooled = [
            torch.cat([hidden[row, a:b].mean(0), hidden[row, a], hidden[row, b - 1], hidden[row, 0]])
            for row, a, b in spans
        ]
        return self.span_head(torch.cat([torch.stack(pooled), span_features], dim=-1))


class ExportWrapper(nn.Module):
    """What goes into ONNX: hidden states and token probabilities."""

    def __init__(self, network: PropagandaNetwork) -> None:
        super().__init__()
        self.network = network

    def forward(self, input_ids, attention_mask, token_features):
        hidden, token_logits = self.network(input_ids, attention_mask, token_features)
        return hidden, torch.sigmoid(token_logits)
