"""The target ranker's training: what it exports runs the network it trained."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from propscope.attribution.ranker import Calibration  # noqa: E402
from propscope.attribution.ranking import Candidate  # noqa: E402
from propscope.training.targets import exported, fit_calibration, network  # noqa: E402


def test_the_exported_ranker_scores_as_the_trained_network_in_evaluation():
    torch.manual_seed(3)
    trained = network(width=5, hidden=4)
    trained.eval()
    features = ["before", "inside", "after"]
    center, scale = np.array([0.5, 0.1, -0.2, 1.0, 0.0]), np.array([2.0, 1.0, 0.5, 1.0, 3.0])
    ranker = exported(trained, features, center, scale, Calibration(), "test-encoder 1")
    assert ranker.encoder == "test-encoder 1"
    rng = np.random.default_rng(7)
    candidates = [
        Candidate(None, dict(zip(features, rng.normal(size=3).tolist(), strict=True)), rng.normal(size=2))
        for _ in range(6)
    ]
    raw = np.array([[*c.features.values(), *c.vector] for c in candidates])
    with torch.no_grad():
        expected = trained(torch.tensor((raw - center) / scale, dtype=torch.float32)).squeeze(-1).numpy()
    assert ranker.scores(candidates) == pytest.approx(expected, abs=1e-4)


def test_the_calibration_trusts_a_wide_lead_more_and_falls_back_to_the_rate():
    # the best candidate is right when it leads by a lot, and wrong when it barely leads
    terms = [(3.0, 0.0), (2.5, 0.0), (0.1, 0.0), (0.2, 0.0), (2.0, 0.0), (0.3, 0.0), (0.0, 1.0), (0.0, 1.0)]
    right = [True, True, False, False, True, False, True, False]
    calibration = fit_calibration(terms, right)
    assert calibration.margin > 0
    assert calibration.confidence_of(3.0, 0.0) > 0.8 > 0.3 > calibration.confidence_of(0.1, 0.0)
    # nothing to fit when every answer was right: the smoothed rate, whatever the lead
    constant = fit_calibration(terms[:4], [True] * 4)
    assert constant.confidence_of(0.0, 0.0) == constant.confidence_of(3.0, 1.0) == pytest.approx(5 / 6)
    assert constant.intercept == pytest.approx(math.log(5), abs=1e-6)
