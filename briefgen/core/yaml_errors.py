"""PyYAML's syntax errors in a writer's words, at the line where the slip is.

PyYAML (and libyaml, whose wording differs a little) names a problem in a
parser's terms ("could not find expected ':'", "mapping values are not allowed
here") and marks where the parser gave up, often the line after the slip or the
end of the text. Each error here is matched by what the parser was doing and
what it found, and told as what the writer did, with a fix; an error not
recognised keeps PyYAML's words and a general hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

GENERAL_HINT = "check the indentation, and quote values that contain ': ' or start with '[', '{', '*', '&' or '@'"
QUOTE_HINT = "put the whole value in quotes"


@dataclass(frozen=True)
class Explained:
    line: int  # 0-based, in the YAML text
    message: str
    hint: str


def explain(error: yaml.YAMLError, text: str) -> Explained:
    if isinstance(error, yaml.reader.ReaderError):
        return _unreadable_character(error, text)
    if isinstance(error, yaml.MarkedYAMLError):
        return _marked(error, text)
    return Explained(0, str(error), GENERAL_HINT)


def _unreadable_character(error: yaml.reader.ReaderError, text: str) -> Explained:
    line = text.count("\n", 0, error.position) if 0 <= error.position <= len(text) else 0
    character = error.character  # libyaml gives its code, PyYAML the character
    code = ord(character) if isinstance(character, str) else int(character)
    return Explained(line, f"the control character U+{code:04X} is not allowed in YAML",
                     "delete it: it is invisible in most editors, and often comes with pasted text")


def _marked(error: yaml.MarkedYAMLError, text: str) -> Explained:
    context, problem = error.context or "", error.problem or ""
    at = error.problem_mark or error.context_mark
    line = at.line if at is not None else 0
    opened = error.context_mark.line if error.context_mark is not None else line
    found = text[at.index] if at is not None and 0 <= at.index < len(text) else ""
    if "quoted scalar" in context:
        return Explained(opened, "a quote opened on this line is never closed",
                         "close it at the end of the value, e.g. `title: \"...\"`, or remove it")
    if "simple key" in context:
        return Explained(opened, "this line is neither `key: value` nor a list item (`- ...`)",
                         "text that goes on from the line above must be indented under its key; "
                         "a list item starts with '- '")
    if "tab character" in problem or ("cannot start any token" in problem and found == "\t"):
        return Explained(line, "a tab is used for indentation",
                         "replace the tab with spaces: YAML indents with spaces only")
    if "cannot start any token" in problem:
        return Explained(line, f"a value cannot start with '{found}' unless it is quoted",
                         f"{QUOTE_HINT}, e.g. `key: \"{found}...\"`")
    if problem.startswith("mapping values are not allowed"):
        return Explained(line, "a ': ' inside a value that is not quoted",
                         f"{QUOTE_HINT}, e.g. `summary: \"Talks: what comes next\"`; "
                         "if a new key starts here, line it up with the keys above")
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        closing = "]" if bracket == "[" else "}"
        return Explained(opened, f"a '{bracket}' opened on this line is not closed with '{closing}'",
                         f"close it, or, if the '{bracket}' is meant as text, {QUOTE_HINT}")
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        return Explained(opened, "a value starting with '*' or '&' is read as an alias or anchor",
                         f"{QUOTE_HINT}, e.g. `key: \"*text*\"`")
    if problem.startswith("found undefined alias"):
        name = re.match(r"\*?([^\s,\]\}]*)", text[at.index:] if at is not None else "")
        alias = name.group(1) if name else ""
        return Explained(line, f"the alias '*{alias}' names no anchor '&{alias}' above it",
                         f"{QUOTE_HINT} if the '*' is meant as text")
    if "block mapping" in context or "block collection" in context:
        return Explained(line, "this line's indentation does not fit the lines above it",
                         "line each key up with the keys beside it, and each '- ' with the items before it")
    return Explained(line, problem or context or "it cannot be read", GENERAL_HINT)
