"""The Ray engine on a local Ray runtime gives the local engine's rows (needs the [cluster] extra)."""

import json

import pytest

ray = pytest.importorskip("ray", reason="the [cluster] extra is not installed")
pq = pytest.importorskip("pyarrow.parquet")

from propscope.batch.local import run_batch  # noqa: E402
from propscope.batch.ray_engine import run_ray  # noqa: E402
from propscope.batch.rows import COLUMNS  # noqa: E402
from propscope.batch.sinks import ParquetSink  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_runtime():
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_engine_matches_local_engine_and_resumes(tmp_path, ray_runtime):
    records = tmp_path / "articles.jsonl"
    with open(records, "w", encoding="utf-8") as handle:
        for i in range(6):
            text = f"The disgraceful harbour plan number {i} was approved.\nCritics warned of chaos and ruin."
            handle.write(json.dumps({"id": f"r{i}", "title": f"Plan {i}", "text": text, "source": "Herald"}) + "\n")
        handle.write(json.dumps({"id": "broken", "title": "No text here"}) + "\n")
    ray_out = tmp_path / "ray.parquet"
    result = run_ray([str(records)], ray_out, workers=2)
    assert (result.analysed, result.failed) == (6, 1)
    ray_rows = pq.read_table(ray_out).to_pylist()
    assert set(ray_rows[0]) == set(COLUMNS)
    local_out = tmp_path / "local.parquet"
    run_batch([str(records)], ParquetSink(local_out))
    local_rows = pq.read_table(local_out).to_pylist()
    by_hash = {r["content_hash"]: r for r in local_rows if r["status"] == "analysed"}
    for row in (r for r in ray_rows if r["status"] == "analysed"):
        local = by_hash[row["content_hash"]]
        assert (row["score"], row["spans"], row["article_id"]) == (local["score"], local["spans"], local["article_id"])
    again = run_ray([str(records)], ray_out, workers=2)
    assert again.analysed == 0 and again.skipped == 6


def test_parquet_without_a_text_column_is_refused_before_any_work(tmp_path, ray_runtime, run_cli):
    import pyarrow as pa

    wrong = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [1, 2]}), wrong)
    code, _, err = run_cli("batch", str(wrong), "--engine", "ray", "--out", str(tmp_path / "out.parquet"))
    assert code == 2 and "no text column" in err and "text (int64)" in err and err.count("\n") == 1
    assert not (tmp_path / "out.parquet").exists()


def test_text_columns_of_every_arrow_string_type_are_accepted():
    import pyarrow as pa

    from propscope.batch.ray_engine import check_text_column
    from propscope.errors import InputError

    for kind in (pa.string(), pa.large_string()):
        check_text_column(pa.schema([("id", pa.int64()), ("text", kind)]), "records.parquet")
    with pytest.raises(InputError, match="body"):
        check_text_column(pa.schema([("body", pa.binary())]), "records.parquet")
