"""The JSON Schemas an editor checks briefgen.yaml, outlets.yaml and a story's front matter with.

They are made, never written by hand: `python -m briefgen.schemas` writes `<name>.schema.json` from the
modules here (story, config, outlets), whose keys, required keys and lists of values are the build's own
(validate.py, config.py, outlets.py, diagnostics.py); tests/test_schema.py fails while a shipped file
differs from what they make. May import the settings and the story layer; nothing imports it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefgen.schemas.config import config_schema
from briefgen.schemas.outlets import outlets_schema
from briefgen.schemas.story import story_schema

FOLDER = Path(__file__).parent
MADE: dict[str, Callable[[], dict[str, Any]]] = {"story": story_schema, "config": config_schema,
                                                 "outlets": outlets_schema}


def schema_text(name: str) -> str:
    """What `<name>.schema.json` holds."""
    schema = {"$schema": "http://json-schema.org/draft-07/schema#",
              "$comment": f"Made by `python -m briefgen.schemas` from briefgen/schemas/{name}.py: do not edit.",
              **MADE[name]()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas() -> list[Path]:
    written = []
    for name in MADE:
        path = FOLDER / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
