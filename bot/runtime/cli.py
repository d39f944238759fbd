"""Operator command: `python -m bot endpoints` writes Rasa's endpoints file from the environment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.core.settings import Settings
from bot.runtime.endpoints import EndpointsError, write_endpoints


def _endpoints(args: argparse.Namespace, settings: Settings) -> int:
    try:
        endpoints = write_endpoints(Path(args.out))
    except EndpointsError as error:
        print(error, file=sys.stderr)
        return 1
    stores = ", ".join(
        f"{key} {value.get('dialect') or value.get('type')}"
        for key, value in endpoints.items()
        if key != "action_endpoint"
    )
    print(f"Rasa endpoints written to {args.out} ({stores}).")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    endpoints = commands.add_parser(
        "endpoints", help="write Rasa's endpoints file from the environment (TRACKER_STORE_URL, LOCK_STORE_URL…)"
    )
    endpoints.add_argument("--out", default="var/endpoints.yml")
    endpoints.set_defaults(handler=_endpoints)
