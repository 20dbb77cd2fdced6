"""What the command line prints, in one language for the whole command.

The language is chosen once per command (model.cli.commands.main): `--lang`, else the
scenario's `report.language`, else the environment variable STATIONPLAN_LANG, else Chinese.
Every line comes from model.output.i18n (`cli.*` keys).
"""

from __future__ import annotations

import os
from typing import Any

from model.output.i18n import LANGUAGES, t

_language = ["zh"]


def language() -> str:
    """The language of this command's console lines ("zh" or "en")."""
    return _language[0]


def set_language(lang: str) -> None:
    """Use `lang` ("zh" or "en") for the rest of this command's console lines."""
    _language[0] = lang if lang in LANGUAGES else "zh"


def environment_language() -> str | None:
    """STATIONPLAN_LANG when it names a language (zh or en), else None."""
    lang = os.environ.get("STATIONPLAN_LANG", "").strip().lower()
    return lang if lang in LANGUAGES else None


def say(key: str, **fields: Any) -> str:
    """The console text `key` in this command's language."""
    return t(key, language(), **fields)


def echo(key: str, **fields: Any) -> None:
    """Print the console text `key` in this command's language."""
    print(say(key, **fields))
