import pytest

from propscope.metrics import evaluate_label_rows, merge_spans, score_si, score_tc


def test_si_partial_overlap_hand_computed():
    # predicted [0,10) against gold [5,25): overlap 5 chars
    # P = 5/10 = 0.5, R = 5/20 = 0.25, F1 = 2*0.5*0.25/0.75 = 1/3
    report = score_si({"a": [(5, 25)]}, {"a": [(0, 10)]})
    assert report.overall.precision == pytest.approx(0.5)
    assert report.overall.recall == pytest.approx(0.25)
    assert report.overall.f1 == pytest.approx(1 / 3)


def test_si_sums_over_documents_before_dividing():
    # doc a: exact match (P contribution 1, R contribution 1)
    # doc b: one prediction with no gold; one gold span missed in doc c
    gold = {"a": [(0, 10)], "c": [(3, 6)]}
    predicted = {"a": [(0, 10)], "b": [(0, 4)]}
    report = score_si(gold, predicted)
    assert report.overall.precision == pytest.approx(1 / 2)
    assert report.overall.recall == pytest.approx(1 / 2)


def test_si_one_prediction_covering_two_gold_spans():
    # predicted [0,20); gold [0,5) and [10,20): P = (5+10)/20 = 0.75, R = (1 + 1)/2 = 1
    report = score_si({"a": [(0, 5), (10, 20)]}, {"a": [(0, 20)]})
    assert report.overall.precision == pytest.approx(0.75)
    assert report.overall.recall == pytest.approx(1.0)


def test_overlapping_gold_spans_are_merged():
    assert merge_spans([(5, 10), (0, 6), (12, 14), (14, 15)]) == [(0, 10), (12, 14), (14, 15)]
    report = score_si({"a": [(0, 6), (4, 10)]}, {"a": [(0, 10)]})
    assert report.overall.f1 == pytest.approx(1.0)


def test_tc_micro_f1_and_per_technique():
    gold = [("a", 0, 5, "Doubt"), ("a", 7, 9, "Slogans"), ("b", 1, 4, "Doubt")]
    predicted = [("a", 0, 5, "Doubt"), ("a", 7, 9, "Doubt"), ("b", 1, 4, "Doubt")]
    report = score_tc(gold, predicted)
    assert report.overall.f1 == pytest.approx(2 / 3)
    assert report.per_technique["Doubt"].precision == pytest.approx(2 / 3)
    assert report.per_technique["Doubt"].recall == pytest.approx(1.0)
    assert report.per_technique["Slogans"].f1 == 0.0


def test_tc_span_with_two_techniques_matched_in_any_order():
    gold = [("a", 0, 5, "Doubt"), ("a", 0, 5, "Repetition")]
    predicted = [("a", 0, 5, "Repetition"), ("a", 0, 5, "Doubt")]
    assert score_tc(gold, predicted).overall.f1 == pytest.approx(1.0)
    half = [("a", 0, 5, "Repetition"), ("a", 0, 5, "Repetition")]
    assert score_tc(gold, half).overall.f1 == pytest.approx(0.5)


def test_si_per_technique_when_both_sides_have_techniques():
    gold = [("a", "Doubt", 0, 10), ("a", "Slogans", 20, 30)]
    predicted = [("a", "Doubt", 0, 10), ("a", "Doubt", 20, 30)]
    report = evaluate_label_rows("si", gold, predicted)
    assert report.overall.f1 == pytest.approx(1.0)
    assert report.per_technique["Doubt"].precision == pytest.approx(0.5)
    assert report.per_technique["Slogans"].recall == 0.0
