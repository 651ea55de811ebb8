"""`briefgen completion bash|zsh|fish`: a shell's completion script, made from the command line's own parser.

The parser (cli.py) is the one description of commands, options and what each option takes, so a
new option completes without anyone writing it twice. What an option takes decides what the shell
offers for it: its choices, folders (a `DIR`), files (a `FILE`), or nothing for free text.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

SHELLS = ("bash", "zsh", "fish")


@dataclass(frozen=True)
class Argument:
    """An option (`flags`) or a positional argument (no flags), and what it takes."""

    flags: tuple[str, ...]
    help: str
    takes: str  # "flag" (nothing), "dir", "file", "choice" or "text"
    choices: tuple[str, ...] = ()
    many: bool = False  # a positional taking one or more values


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    options: tuple[Argument, ...]
    positionals: tuple[Argument, ...]


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    commands = _commands(parser)
    top = tuple(_argument(action) for action in parser._actions if action.option_strings)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](commands, top)


def _commands(parser: argparse.ArgumentParser) -> tuple[Command, ...]:
    found = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    helps = {choice.dest: choice.help or "" for choice in found._choices_actions}
    return tuple(Command(name, helps.get(name, ""),
                         tuple(_argument(action) for action in sub._actions if action.option_strings),
                         tuple(_argument(action) for action in sub._actions if not action.option_strings))
                 for name, sub in found.choices.items())


def _argument(action: argparse.Action) -> Argument:
    help_text = (action.help or "").split("; ")[0] if action.help != argparse.SUPPRESS else ""
    many = action.nargs in ("+", "*")
    if action.choices:
        return Argument(tuple(action.option_strings), help_text, "choice", tuple(map(str, action.choices)), many)
    if action.nargs == 0:
        return Argument(tuple(action.option_strings), help_text, "flag")
    if action.type is Path:
        return Argument(tuple(action.option_strings), help_text, "dir" if action.metavar == "DIR" else "file",
                        many=many)
    return Argument(tuple(action.option_strings), help_text, "text", many=many)


# --- bash ---------------------------------------------------------------------------------------

def _bash(commands: tuple[Command, ...], top: tuple[Argument, ...]) -> str:
    first = " ".join([command.name for command in commands] + [flag for option in top for flag in option.flags])
    cases = "".join(_bash_command(command) for command in commands)
    return f"""\
# bash completion for briefgen: add `eval "$(briefgen completion bash)"` to ~/.bashrc, or save this as
# ~/.local/share/bash-completion/completions/briefgen
_briefgen() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${{COMP_WORDS[i]}} in -*) ;; *) command=${{COMP_WORDS[i]}}; break ;; esac
    done
    case $command in
    "") COMPREPLY=($(compgen -W "{first}" -- "$cur")) ;;
{cases}    esac
}}
complete -F _briefgen briefgen
"""


def _bash_command(command: Command) -> str:
    """A command's branch: the values of the option just typed, else its options or its positional's values."""
    values = "".join(f"        {'|'.join(option.flags)}) {_bash_values(option)}; return ;;\n"
                     for option in command.options if option.takes != "flag")
    after_option = f"        case $prev in\n{values}        esac\n" if values else ""
    flags = " ".join(flag for option in command.options for flag in option.flags)
    positional = _bash_values(command.positionals[0]) if command.positionals else "COMPREPLY=()"
    options = f'COMPREPLY=($(compgen -W "{flags}" -- "$cur"))'
    return (f"    {command.name})\n{after_option}"
            f"        if [[ $cur == -* ]]; then {options}; else {positional}; fi ;;\n")


def _bash_values(argument: Argument) -> str:
    if argument.takes == "choice":
        return f'COMPREPLY=($(compgen -W "{" ".join(argument.choices)}" -- "$cur"))'
    if argument.takes in ("dir", "file"):
        which = "-d" if argument.takes == "dir" else "-f"
        return f'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen {which} -- "$cur"))'
    return "COMPREPLY=()"


# --- zsh ----------------------------------------------------------------------------------------

def _zsh(commands: tuple[Command, ...], top: tuple[Argument, ...]) -> str:
    described = "\n".join(f"    {_zsh_quote(f'{command.name}:{command.help}')}" for command in commands)
    top_specs = " ".join(_zsh_option(option, exclusive="(- *)") for option in top)
    cases = "".join(
        f"      {command.name}) _arguments -s "
        + " ".join([_zsh_option(option) for option in command.options]
                   + [_zsh_positional(argument, number) for number, argument in enumerate(command.positionals, 1)])
        + " ;;\n"
        for command in commands)
    return f"""\
#compdef briefgen
# zsh completion for briefgen: save this as _briefgen in a folder on $fpath, or add
# `source <(briefgen completion zsh)` to ~/.zshrc after compinit
_briefgen() {{
  local state line
  local -a commands
  commands=(
{described}
  )
  _arguments -C {top_specs} '1: :->command' '*:: :->arguments'
  case $state in
    command) _describe -t commands 'briefgen command' commands ;;
    arguments)
      case $line[1] in
{cases}      esac ;;
  esac
}}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _briefgen "$@"; else compdef _briefgen briefgen; fi
"""


def _zsh_option(option: Argument, exclusive: str = "") -> str:
    excluded = exclusive or (f"({' '.join(option.flags)})" if len(option.flags) > 1 else "")
    described = option.help.replace("[", "\\[").replace("]", "\\]")
    value = "" if option.takes == "flag" else f":{_zsh_value_name(option)}:{_zsh_action(option)}"
    return " ".join(_zsh_quote(f"{excluded}{flag}[{described}]{value}") for flag in option.flags)


def _zsh_positional(argument: Argument, number: int) -> str:
    where = "*" if argument.many else str(number)
    return _zsh_quote(f"{where}:{_zsh_value_name(argument)}:{_zsh_action(argument)}")


def _zsh_value_name(argument: Argument) -> str:
    return {"dir": "folder", "file": "file", "choice": "value"}.get(argument.takes, "text")


def _zsh_action(argument: Argument) -> str:
    if argument.takes == "choice":
        return f"({' '.join(argument.choices)})"
    return {"dir": "_files -/", "file": "_files"}.get(argument.takes, " ")


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# --- fish ---------------------------------------------------------------------------------------

def _fish(commands: tuple[Command, ...], top: tuple[Argument, ...]) -> str:
    lines = ["# fish completion for briefgen: save this as ~/.config/fish/completions/briefgen.fish",
             "complete -c briefgen -f"]
    lines += [f"complete -c briefgen -n __fish_use_subcommand {_fish_option(option)}" for option in top]
    lines += [f"complete -c briefgen -n __fish_use_subcommand -a {command.name} -d {_fish_quote(command.help)}"
              for command in commands]
    for command in commands:
        when = f"-n '__fish_seen_subcommand_from {command.name}'"
        lines += [f"complete -c briefgen {when} {_fish_option(option)}" for option in command.options]
        lines += [f"complete -c briefgen {when} {_fish_values(argument)}".rstrip()
                  for argument in command.positionals if argument.takes != "text"]
    return "\n".join(lines) + "\n"


def _fish_option(option: Argument) -> str:
    names = " ".join(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}" for flag in option.flags)
    values = "" if option.takes == "flag" else " " + _fish_values(option)
    return f"{names}{values} -d {_fish_quote(option.help)}"


def _fish_values(argument: Argument) -> str:
    if argument.takes == "choice":
        return f"-x -a {_fish_quote(' '.join(argument.choices))}"
    if argument.takes == "dir":
        return "-x -a '(__fish_complete_directories)'"
    if argument.takes == "file":
        return "-r -F"
    return "-x"


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
