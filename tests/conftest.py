"""Shared fixtures: a fake tagger, articles written for these tests, a CLI runner."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from propscope.cli.main import main
from propscope.tagging.base import TaggedSpan
from propscope.techniques import TECHNIQUE_IDS
from propscope.versions import installed_version

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: written for these tests; not from any corpus
CRAWLED_ARTICLE = """Minister Promises Swift Action on Grain Prices

Minister Promises Swift Action on Grain Prices

LISBON (Daily Ledger) – The agriculture minister said on Monday that the government would act against what he called the disgraceful speculators driving up grain prices.

"These traitors are robbing ordinary families," the minister told parliament, calling the situation catastrophic.

Farmers' groups said the measures came too late.

READ MORE: Bakers warn of bread shortage
Photo credit: Ledger archive
Most Popular in Business
Top Stories
Share this
"""

LEXICON = {
    "disgraceful": "Loaded_Language",
    "traitors": "Name_Calling,Labeling",
    "catastrophic": "Exaggeration,Minimisation",
    "chaos": "Appeal_to_fear-prejudice",
}


class FakeTagger:
    """Flags words of a small lexicon; a stand-in for the model in tests."""

    name = "fake"
    version = "0"

    def tag(self, text: str, start: int = 0, end: int | None = None) -> list[TaggedSpan]:
        end = len(text) if end is None else end
        spans = []
        for match in re.finditer(r"\w+", text[start:end]):
            technique = LEXICON.get(match.group().lower())
            if technique:
                spans.append(
                    TaggedSpan(start + match.start(), start + match.end(), technique, 0.9, 0.8, ((technique, 0.8),))
                )
        return spans

    def classify(self, text: str, spans: Sequence[tuple[int, int]]):
        ranking = tuple((t, 1.0 / len(TECHNIQUE_IDS)) for t in TECHNIQUE_IDS)
        return [ranking for _ in spans]


@pytest.fixture
def fake_tagger() -> FakeTagger:
    return FakeTagger()


@pytest.fixture
def use_fake_tagger(monkeypatch, fake_tagger):
    """Make the CLI and the library use the fake tagger instead of the shipped model."""
    monkeypatch.setattr("propscope.pipeline.default_tagger", lambda: fake_tagger)
    monkeypatch.setattr("propscope.cli.predict.default_tagger", lambda: fake_tagger)
    monkeypatch.setattr("propscope.batch.local.model_version", lambda: installed_version(fake_tagger.version))
    return fake_tagger


POSTGRES_URL_VARIABLE = "PROPSCOPE_TEST_POSTGRES_URL"


def require_service(what: str, variable: str) -> None:
    """Skip a test whose service is absent, unless the run demands every service (as CI does)."""
    message = f"{what} not available: set {variable}"
    if os.environ.get("PROPSCOPE_REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def empty_postgres_url() -> str:
    """The test PostgreSQL database, emptied: a fresh public schema."""
    from sqlalchemy import create_engine, text

    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        require_service("PostgreSQL", POSTGRES_URL_VARIABLE)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    """A database URL for an empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return empty_postgres_url()


@pytest.fixture
def crawled_file(tmp_path: Path) -> Path:
    path = tmp_path / "grain.txt"
    path.write_text(CRAWLED_ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
