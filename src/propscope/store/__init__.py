"""Where analyses are kept: SQLite by default, PostgreSQL by URL, one schema via SQLAlchemy."""
