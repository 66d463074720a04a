"""``propscope serve``: the workbench on http://127.0.0.1:8000 by default."""

from __future__ import annotations

import argparse
import socket
import sys

from propscope.cli.arguments import whole_number
from propscope.errors import InputError
from propscope.web import service
from propscope.web.app import Settings, create_app


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="the web workbench and its JSON API")
    parser.add_argument("--db", help="database URL (default: an SQLite file in your data folder)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=whole_number(1, 65535), default=8000)
    parser.add_argument("--read-only", action="store_true", help="refuse every write (for publishing a corpus)")
    parser.add_argument("--token", help="writes need 'Authorization: Bearer TOKEN'; required off loopback")
    parser.add_argument(
        "--no-examples", action="store_true", help="do not analyse the bundled example articles into an empty store"
    )
    parser.set_defaults(run=run)


def bound_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, taken before anything is printed or analysed, so a
    port in use is a one-line error rather than a promise followed by uvicorn's failure."""
    try:
        return socket.create_server((host, port), family=_family(host))
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def run(args: argparse.Namespace) -> int:
    import uvicorn

    listening = bound_socket(args.host, args.port)
    app = create_app(Settings(db_url=args.db, host=args.host, read_only=args.read_only, token=args.token))
    if not args.no_examples and not args.read_only:
        added = service.add_bundled_examples(app.state.store)
        if added:
            print(f"propscope: analysed {added} bundled example articles into the empty store", file=sys.stderr)
    print(f"propscope: the workbench is at http://{args.host}:{args.port}/", file=sys.stderr)
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))
    server.run(sockets=[listening])
    return 0
