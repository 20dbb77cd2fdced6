"""The `stationplan` command: argument parsing and console output for every command."""

from model.cli.commands import main

__all__ = ["main"]
