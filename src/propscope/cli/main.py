"""The ``propscope`` command: one module per subcommand, errors as one line."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from propscope.cli import (
    analyze,
    attribution,
    batch,
    calibrate_attribution,
    echo,
    evaluate,
    importer,
    predict,
    reanalyze,
    report,
    serve,
    train,
    train_targets,
)
from propscope.errors import BadRecordError, PropscopeError

COMMANDS = (
    analyze,
    batch,
    importer,
    reanalyze,
    report,
    echo,
    serve,
    predict,
    evaluate,
    attribution,
    train,
    train_targets,
    calibrate_attribution,
)


class OneLineErrors(argparse.ArgumentParser):
    """A parser whose usage errors are one line, as every other error of the command is; the
    subcommands' parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def version_line() -> str:
    """The package's version, the tagging model in use and the attribution version: what an
    analysis depends on, for a bug report or a methods section."""
    import json
    import os
    from importlib.metadata import version
    from pathlib import Path

    from propscope.tagging.artifacts import BUNDLED_MODEL_DIR, CONFIG_NAME
    from propscope.versions import ATTRIBUTION_VERSION

    model_dir = Path(os.environ.get("PROPSCOPE_MODEL_DIR") or BUNDLED_MODEL_DIR)
    try:
        config = json.loads((model_dir / CONFIG_NAME).read_text(encoding="utf-8"))
        model = f"{config['name']} {config['version']}"
    except (OSError, ValueError, KeyError, TypeError):
        model = f"no readable model in {model_dir}"
    return f"propscope {version('propscope')} (tagging model {model}; attribution {ATTRIBUTION_VERSION})"


class PrintVersion(argparse.Action):
    """``--version``, read only when asked for and printed unwrapped."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        print(version_line())
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrors(prog="propscope", description="Find propaganda techniques in news articles.")
    parser.add_argument("--version", action=PrintVersion, help="show the versions an analysis depends on and exit")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PropscopeError as error:
        hint = " (use --skip-bad-records to go on with the rest)" if isinstance(error, BadRecordError) else ""
        print(f"propscope: error: {error}{hint}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly
        sys.stderr.close()
        return 0
    except OSError as error:
        print(
            f"propscope: error: {error.filename or ''}: {error.strerror or error}".replace(": : ", ": "),
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("propscope: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
