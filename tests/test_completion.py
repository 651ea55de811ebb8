"""`briefgen completion bash|zsh|fish`: the script each shell loads, asked for completions as a writer's
Tab asks (bash through its completion function, zsh through a pseudo-terminal, fish through `complete -C`).
The shells are Debian's (tests/run installs zsh and fish)."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import pytest

from briefgen.cli import _parser
from briefgen.commands.completion import SHELLS, completion_script
from tests.conftest import run_briefgen

BASH = """\
source "$1"
read -r -a COMP_WORDS <<< "$2"
[[ $2 == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_briefgen
printf '%s\\n' "${COMPREPLY[@]}"
"""

# zsh completes only in its line editor: type the line and a Tab into an interactive zsh on a
# pseudo-terminal, with compadd wrapped to print each match it is given.
ZSH = """\
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z "PS1=''; autoload -U compinit; compinit -u; source ${(q)1}"
zpty -w z 'compadd() { local -a m; builtin compadd -O m "$@"; print -rl -- "" "MA""TCH:"${^m}; builtin compadd "$@" }'
zpty -w z "$2"$'\\t'
out='' quiet=0
for i in {1..200}; do
  if zpty -rt z chunk; then out+=$chunk; quiet=0
  else (( quiet++ )); [[ $out == *MATCH:* && $quiet -gt 6 ]] && break; sleep 0.05; fi
done
print -r -- "$out" | tr '\\r' '\\n' | grep -a '^MATCH:' | sed 's/^MATCH://'
zpty -d z
"""


def complete(shell: str, line: str, cwd: Path, tmp_path: Path) -> set[str]:
    """What `shell` offers for `line` typed in `cwd` (a trailing space: a new word is being typed)."""
    script = tmp_path / f"briefgen.{shell}"
    script.write_text(completion_script(_parser(), shell))
    command = {"bash": ["bash", "-c", BASH, "bash", str(script), line],
               "zsh": ["zsh", "-f", "-c", ZSH, "zsh", str(script), line],
               "fish": ["fish", "--no-config", "-c", f"source {script}; complete -C '{line}'"]}[shell]
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return {found.split("\t")[0].rstrip("/") for found in run.stdout.splitlines() if found.strip()}


@pytest.mark.parametrize("shell", SHELLS)
def test_a_command_completes_from_its_first_letters(shell: str, tmp_path: Path) -> None:
    assert complete(shell, "briefgen bu", tmp_path, tmp_path) == {"build"}
    assert {"build", "serve", "check", "completion"} <= complete(shell, "briefgen ", tmp_path, tmp_path)


@pytest.mark.parametrize("shell", SHELLS)
def test_an_option_with_choices_offers_them(shell: str, tmp_path: Path) -> None:
    assert complete(shell, "briefgen check --format ", tmp_path, tmp_path) == {"text", "json"}
    assert complete(shell, "briefgen list ", tmp_path, tmp_path) == {"drafts", "future", "expired", "all"}


@pytest.mark.parametrize("shell", SHELLS)
def test_a_folder_option_offers_folders_only(shell: str, tmp_path: Path) -> None:
    (tmp_path / "my-site").mkdir()
    (tmp_path / "notes.txt").write_text("x")

    assert complete(shell, "briefgen build -s ", tmp_path, tmp_path) == {"my-site"}


@pytest.mark.parametrize("shell", SHELLS)
def test_every_option_of_a_command_is_offered(shell: str, tmp_path: Path) -> None:
    parser = _parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    for name in sorted(commands.choices):
        flags = {flag for action in commands.choices[name]._actions for flag in action.option_strings}
        offered = complete(shell, f"briefgen {name} -", tmp_path, tmp_path)
        assert flags - offered == set(), name


def test_the_command_prints_the_script_and_an_unknown_shell_is_refused() -> None:
    run = run_briefgen("completion", "bash")
    assert run.code == 0 and "complete -F _briefgen briefgen" in run.out

    refused = run_briefgen("completion", "powershell")
    assert refused.code == 2 and "invalid choice: 'powershell'" in refused.err
