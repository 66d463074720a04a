"""Open a store by URL, migrated to the current schema."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from propscope.errors import StoreError


def default_url() -> str:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("propscope"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'propscope.db'}"


def content_hash(text: str, source: str | None) -> str:
    """The key of an article: its text and its outlet, so a story syndicated by two outlets is
    stored for each (echo and per-outlet figures need both); without an outlet, the text alone
    (the key of articles stored before outlets were part of it)."""
    keyed = text if source is None else json.dumps([source, text], ensure_ascii=False)
    return hashlib.sha256(keyed.encode("utf-8")).hexdigest()


def _sqlite_pragmas(lock_timeout: float, writes: bool):
    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if writes:
            # switching the journal rewrites the file's header: not for a store only looked at
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        cursor.close()

    return on_connect


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("propscope.store") / "migrations"))
    return config


def migrate(engine: Engine) -> None:
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _schema(engine: Engine) -> tuple[str | None, str]:
    """(the store's schema revision, None when it has none yet; the newest this propscope knows);
    StoreError for a revision it does not know, before anything is written."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current not in {revision.revision for revision in scripts.walk_revisions()}:
        raise StoreError(
            f"{engine.url!r} was made by a newer propscope (schema {current}) or is not a propscope store:"
            " install a newer propscope to open it, or give the --db of a propscope store"
        )
    return current, str(scripts.get_current_head())


def schema_behind(engine: Engine) -> tuple[str, str] | None:
    """(the store's schema revision, the newest) when the store is an older propscope store that
    needs upgrading, None when it is up to date; StoreError when it is no propscope store, or
    one a newer propscope made."""
    current, newest = _schema(engine)
    if current is None:
        raise StoreError(f"{engine.url!r} holds no propscope store: give the --db of a stored corpus")
    return None if current == newest else (current, newest)


#: the databases propscope's schema and migrations are written and tested for
BACKENDS = ("sqlite", "postgresql")


def _check_url(url: str) -> None:
    """StoreError for what is no database URL or names a database propscope does not store in,
    before SQLAlchemy answers with a parse error or a missing driver module."""
    if "://" not in url:
        raise StoreError(
            f"{url!r} is not a database URL: for a file write sqlite:///{Path(url).expanduser().absolute()}"
        )
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as error:
        raise StoreError(f"cannot use database URL {url!r}: {error}") from None
    if backend not in BACKENDS and backend != "postgres":
        raise StoreError(
            f"propscope stores in SQLite (sqlite:///path.db) or PostgreSQL (postgresql://…), not {backend}"
        )


class Store:
    """An engine and a session factory; every write goes through ``transaction``."""

    def __init__(
        self, url: str | None = None, *, lock_timeout: float = 10.0, must_exist: bool = False, upgrade: bool = True
    ) -> None:
        """``must_exist``: for commands that only read, a SQLite file that is not there is an
        error, not a new empty database. ``upgrade``: bring the store's schema up to this
        version's (one way: older versions cannot open it afterwards); without it, a store that
        needs upgrading is left as it is (see ``schema_behind``)."""
        if url is not None and not url.strip():
            raise StoreError("the database URL is empty: give sqlite:///path.db or postgresql://…")
        self.url = url or default_url()
        _check_url(self.url)
        if self.url.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver propscope installs
            self.url = "postgresql+psycopg://" + self.url.split("://", 1)[1]
        try:
            self.engine = create_engine(self.url)
        except (ArgumentError, ImportError, ValueError) as error:
            raise StoreError(f"cannot use database URL {self.url!r}: {error}") from None
        if self.engine.dialect.name == "sqlite":
            database = self.engine.url.database
            if not database or ":memory:" in database or "mode=memory" in self.url:
                # everything written would be gone when the command ends
                raise StoreError(f"{self.url!r} names no database file: give sqlite:///path.db")
            if must_exist and not Path(database).is_file():
                raise StoreError(f"no database at {database}: give the --db of a stored corpus")
            # a URI filename ("file:sub/x.db?mode=rwc&uri=true") is SQLite's to resolve
            folder = Path(database).parent
            if not database.startswith("file:") and not folder.is_dir():
                raise StoreError(f"no database can be made at {database}: the folder {folder} does not exist")
            event.listen(self.engine, "connect", _sqlite_pragmas(lock_timeout, writes=upgrade))
        #: (the store's schema revision, the newest) when it was opened without upgrading and is behind
        self.behind: tuple[str, str] | None = None
        try:
            if upgrade:
                # what this propscope cannot open is refused before its first write, the switch of
                # a SQLite file's journal included: through an engine without the pragmas
                plain = create_engine(self.url)
                try:
                    _schema(plain)
                finally:
                    plain.dispose()
                migrate(self.engine)
            else:
                self.behind = schema_behind(self.engine)
        except OperationalError as error:
            reason = " ".join(str(error.orig).split()) if error.orig else "no answer"
            raise StoreError(f"database unreachable or locked ({self.engine.url!r}): {reason}") from None
        except DatabaseError as error:
            reason = " ".join(str(error.orig).split()) if error.orig else error.__class__.__name__
            raise StoreError(f"not a usable database ({self.engine.url!r}): {reason}") from None
        except CommandError as error:
            # alembic cannot place the store's revision (two rows of it, say): another program's tables
            raise StoreError(f"{self.engine.url!r} is not a store this propscope can open: {error}") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            # "database is locked", "connection refused": the one thing a user can act on
            reason = " ".join(str(error.orig or "no answer").split())[:200]
            raise StoreError(f"database unavailable, nothing of this batch was written: {reason}") from None
        except SQLAlchemyError as error:
            session.rollback()
            # other driver messages can quote stored values; the class names the problem
            raise StoreError(f"database error, nothing of this batch was written: {error.__class__.__name__}") from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def open_for_reading(url: str | None) -> Store:
    """A stored corpus for a command that only reads it: never created, never upgraded; a store an
    older propscope made is a one-line error that says how to upgrade it."""
    store = Store(url, must_exist=True, upgrade=False)
    if store.behind:
        current, newest = store.behind
        raise StoreError(
            f"the store's schema is at revision {current} and this propscope reads {newest}: back it up, then"
            " upgrade it with `propscope reanalyze --db URL --upgrade-only` (one way: older versions cannot open"
            " it afterwards)"
        )
    return store
