"""The exceptions propscope raises on purpose; each message is one line for the user."""


class PropscopeError(Exception):
    """Base of every error propscope reports to its user."""


class InputError(PropscopeError):
    """The input cannot be read or does not have the expected shape."""


class BadRecordError(InputError):
    """One record of a JSONL or CSV file is malformed; reading with ``skip_bad_records`` (the
    command line's --skip-bad-records) goes on past it."""


class ModelError(PropscopeError):
    """The model artifacts are missing, corrupt or incompatible."""


class MissingExtraError(PropscopeError):
    """An optional dependency is needed for this command."""


class StoreError(PropscopeError):
    """The database cannot be opened, is locked, or refused a write."""
