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


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrors(prog="propscope", description="Find propaganda techniques in news articles.")
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
