"""The command line: `briefgen build`, `briefgen new`."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from briefgen import __version__
from briefgen.build import BuildOptions, BuildResult, build
from briefgen.content import CONTENT_DIR
from briefgen.diagnostics import display_path
from briefgen.scaffold import new_story

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 130


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("briefgen: interrupted; the previous output is untouched", file=sys.stderr)
        return EXIT_INTERRUPTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefgen", description="A static-site generator for news briefings.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    _site_option(build_cmd)
    build_cmd.add_argument("-o", "--output", type=Path, metavar="DIR",
                           help="output folder (default: output_dir from briefgen.yaml, or public)")
    build_cmd.add_argument("--base-url", metavar="URL", help="the URL the site is served from, e.g. a preview's")
    build_cmd.add_argument("--drafts", action="store_true", help="include stories marked draft: true")
    build_cmd.add_argument("--strict", action="store_true", help="fail the build on warnings too")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build_cmd.set_defaults(run=_build)

    new_cmd = commands.add_parser("new", help="start a new story in content/")
    _site_option(new_cmd)
    new_cmd.add_argument("title", help="the story's headline")
    new_cmd.set_defaults(run=_new)
    return parser


def _site_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("-s", "--site", type=Path, default=Path("."), metavar="DIR",
                         help="the site's folder, holding content/ (default: here)")


def _build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    options = BuildOptions(site_dir=args.site, output_dir=args.output, base_url=args.base_url,
                           drafts=args.drafts, strict=args.strict)
    result = build(options)
    report(result)
    if not result.written:
        failed = "errors" if result.failed else "warnings (--strict)"
        print(f"build failed with {failed}; the previous output is untouched", file=sys.stderr)
        return EXIT_PROBLEMS
    if not args.quiet:
        print(summary_line(result, time.perf_counter() - start))
    return EXIT_OK


def report(result: BuildResult) -> None:
    for diagnostic in result.diagnostics.sorted():
        print(diagnostic.format(), file=sys.stderr)


def summary_line(result: BuildResult, seconds: float) -> str:
    warnings = len(result.diagnostics.warnings)
    pages = sum(1 for file in result.files if file.path.endswith(".html"))
    output = display_path(result.output_dir) if result.output_dir else "?"
    return (f"built {_plural(result.stories, 'story', 'stories')}, {_plural(pages, 'page')} "
            f"({_plural(len(result.files), 'file')}) into {output}/ in {seconds:.2f} s, "
            f"{_plural(warnings, 'warning')}")


def _plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _new(args: argparse.Namespace) -> int:
    path = new_story(args.site / CONTENT_DIR, args.title, date.today())
    print(f"wrote {display_path(path)}")
    return EXIT_OK
