"""The command line: `briefgen init`, `build`, `serve`, `new`, `check`, `list`, `import`, `clean`, `version` and
`completion`.

Each command imports what it needs when it runs, so `build` does not pay for loading
the server, the checker or the importer, and `--version`, `new` or `init` for the build.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, datetime, timezone
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import EXIT_INTERRUPTED, __version__
from briefgen.core.diagnostics import Diagnostics, display_path, plural, tally
from briefgen.core.layout import CACHE_DIR, CONTENT_DIR
from briefgen.core.urls import is_web_address

if TYPE_CHECKING:
    from briefgen.build import BuildOptions, BuildResult

EXIT_OK, EXIT_PROBLEMS = 0, 1


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return int(args.run(args))
    except KeyboardInterrupt:
        print(interrupted_word(), file=sys.stderr)
        return EXIT_INTERRUPTED


def interrupted_word() -> str:
    """What to say of a Ctrl-C, wherever it lands, even once the command has returned: the running
    command's own word (a build says whether the output changed), else the plain one."""
    return _say_when_interrupted()


def _plain_word() -> str:
    return "briefgen: interrupted"


_say_when_interrupted: Callable[[], str] = _plain_word


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefgen", description="A static-site generator for news briefings.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    version_cmd = commands.add_parser("version", help="print briefgen's version (as --version does)")
    version_cmd.set_defaults(run=lambda _: print(f"briefgen {__version__}") or EXIT_OK)

    init_cmd = commands.add_parser("init", help="start a site of your own: settings, a draft story, deploy files")
    init_cmd.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                          help="where to start it (default: here); files already there are kept")
    init_cmd.add_argument("--title", help="the site's name (default: from the folder's name)")
    init_cmd.add_argument("--base-url", metavar="URL", type=_base_url,
                          help="the address readers will reach it at, e.g. https://news.example.org/")
    init_cmd.set_defaults(run=_init)

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    _site_option(build_cmd)
    build_cmd.add_argument("-o", "--output", type=Path, metavar="DIR",
                           help="output folder (default: output_dir from briefgen.yaml, or public)")
    build_cmd.add_argument("-b", "--base-url", metavar="URL", type=_base_url,
                           help="the URL the site is served from, e.g. a preview's")
    build_cmd.add_argument("-D", "--drafts", action="store_true", help="include stories marked draft: true")
    build_cmd.add_argument("-F", "--future", action="store_true", help="include stories dated in the future")
    build_cmd.add_argument("--strict", action="store_true", help="fail the build on warnings too")
    _clock_option(build_cmd)
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help=f"render every story again, without reading or writing {CACHE_DIR}/")
    build_cmd.set_defaults(run=_build)

    list_cmd = commands.add_parser("list", help="list the stories that are drafts, dated later, expired, or all")
    _site_option(list_cmd)
    list_cmd.add_argument("kind", choices=["drafts", "future", "expired", "all"],
                          help="which stories: drafts, future (dated later), expired, or all")
    _clock_option(list_cmd)
    list_cmd.set_defaults(run=_list)

    clean_cmd = commands.add_parser("clean", help=f"remove the build cache ({CACHE_DIR}/) and the output folder")
    _site_option(clean_cmd)
    clean_cmd.add_argument("-o", "--output", type=Path, metavar="DIR",
                           help="output folder (default: output_dir from briefgen.yaml, or public)")
    clean_cmd.set_defaults(run=_clean)

    new_cmd = commands.add_parser("new", help="start a new story in content/")
    _site_option(new_cmd)
    new_cmd.add_argument("title", help="the story's headline")
    new_cmd.add_argument("--force", action="store_true",
                         help="when a story has the title's file name already, write this one beside it (-2.md)")
    new_cmd.set_defaults(run=_new)

    serve_cmd = commands.add_parser("serve", help="preview the site; every save shows in the browser by itself")
    _site_option(serve_cmd)
    serve_cmd.add_argument("--host", "--bind", default="127.0.0.1",
                           help="address or name to listen on and answer to (default: 127.0.0.1); "
                                "localhost, 127.0.0.1 and [::1] are always answered")
    serve_cmd.add_argument("-p", "--port", type=int, default=8000, help="port (default: 8000, else the next free one)")
    serve_cmd.add_argument("-b", "--base-url", metavar="URL", type=_base_url,
                           help="the address pages link to, e.g. http://192.168.1.20/ to preview on a phone with "
                                "--bind 0.0.0.0; the server's port is added when it names none, and the site is "
                                "served under its path (default: http://HOST:PORT/)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve_cmd.add_argument("-D", "--drafts", action=argparse.BooleanOptionalAction, default=True,
                           help="show stories marked draft: true (default: shown)")
    serve_cmd.add_argument("-F", "--future", action="store_true", help="show stories dated in the future")
    serve_cmd.add_argument("--poll", action="store_true", help="poll for changes (network or container mounts)")
    serve_cmd.set_defaults(run=_serve)

    check_cmd = commands.add_parser("check", help="check every story, drafts too, without building")
    _site_option(check_cmd)
    check_cmd.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")
    check_cmd.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check_cmd.add_argument("--links", action="store_true",
                           help="also ask every web address the stories link to whether it still answers "
                                "(a broken one is a warning; one that answered is not asked again for a day)")
    _clock_option(check_cmd)
    check_cmd.set_defaults(run=_check)

    import_cmd = commands.add_parser("import", help="turn plain-text briefings into story files")
    import_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a briefing in either house style")
    import_cmd.add_argument("-o", "--output", type=Path, default=Path(CONTENT_DIR), metavar="DIR",
                            help="where to write the stories (default: content)")
    import_cmd.add_argument("--merge", action="store_true", help="the files tell one story: make one story of them")
    import_cmd.add_argument("--slug", help="the story's file name and address (default: from its title)")
    import_cmd.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                            help="the story's date (default: today)")
    import_cmd.add_argument("--force", action="store_true", help="replace stories that already exist")
    import_cmd.set_defaults(run=_import)

    edition_cmd = commands.add_parser("edition", help="write a day's edition as an email (DATE.html) and as text "
                                                      "(DATE.txt), for an email service to send")
    _site_option(edition_cmd)
    edition_cmd.add_argument("day", nargs="?", type=date.fromisoformat, metavar="DATE",
                             help="the day, YYYY-MM-DD (default: the newest edition)")
    edition_cmd.add_argument("-o", "--output", type=Path, default=Path("."), metavar="DIR",
                             help="where to write the two files (default: here)")
    _clock_option(edition_cmd)
    edition_cmd.set_defaults(run=_edition)

    completion_cmd = commands.add_parser("completion", help="print the completion script of a shell: bash, zsh or fish")
    completion_cmd.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell to complete briefgen in")
    completion_cmd.set_defaults(run=_completion)
    return parser


def _base_url(value: str) -> str:
    """`--base-url` is checked as `base_url:` in briefgen.yaml is: without a scheme every page loses its CSS."""
    if not is_web_address(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not an http or https URL, e.g. https://news.example.org/")
    return value


def _clock(value: str) -> datetime:
    """`--clock`: a date or a date and time, with a UTC offset or else in UTC, as a story's `date:`."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is no date, e.g. 2026-12-08 or 2026-12-08T09:00+01:00")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _clock_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--clock", type=_clock, metavar="WHEN",
                         help="judge future and expired stories as of this moment, e.g. 2026-12-08T09:00+01:00 "
                              "(default: now)")


def _site_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("-s", "--site", type=Path, default=Path("."), metavar="DIR",
                         help="the site's folder, holding content/ (default: here)")


def _build(args: argparse.Namespace) -> int:
    from briefgen.build import BuildOptions, load_site_config, output_dir_for
    from briefgen.core.progress import Progress
    from briefgen.output.writer import published_site

    start = time.perf_counter()
    options = BuildOptions(site_dir=args.site, output_dir=args.output, base_url=args.base_url,
                           drafts=args.drafts, future=args.future, strict=args.strict, now=args.clock,
                           cache=not args.no_cache, progress=Progress(None if args.quiet else sys.stderr))
    output_dir = output_dir_for(options, load_site_config(options, Diagnostics()))
    published = published_site(output_dir)

    def word() -> str:
        if published_site(output_dir) == published:
            return "briefgen: interrupted; the previous output is untouched"
        return f"briefgen: interrupted after the new site was published to {display_path(output_dir)}/"

    global _say_when_interrupted
    _say_when_interrupted = word
    return _build_and_report(options, args.quiet, start)


def _build_and_report(options: BuildOptions, quiet: bool, start: float) -> int:
    from briefgen.build import build

    result = build(options)
    report(result)
    for note in result.notes:
        print(f"briefgen: note: {note}", file=sys.stderr)
    if not result.written:
        failed = "errors" if result.failed else "warnings (--strict)"
        print(f"build failed with {failed}; the previous output is untouched", file=sys.stderr)
        return EXIT_PROBLEMS
    if not quiet:
        print(summary_line(result, time.perf_counter() - start))
        for note in result.held_back.notes():
            print(f"  {note}")
    return EXIT_OK


def report(result: BuildResult) -> None:
    report_to_stderr(result.diagnostics)


def summary_line(result: BuildResult, seconds: float) -> str:
    warnings = len(result.diagnostics.warnings)
    pages = result.pages
    output = display_path(result.output_dir) if result.output_dir else "?"
    if result.unchanged:
        return (f"nothing changed: {plural(result.stories, 'story', 'stories')}, {plural(pages, 'page')} "
                f"in {output}/ as they were (checked in {seconds:.2f} s), {plural(warnings, 'warning')}")
    return (f"built {plural(result.stories, 'story', 'stories')}, {plural(pages, 'page')} "
            f"({plural(len(result.files), 'file')}) into {output}/ in {seconds:.2f} s, "
            f"{plural(warnings, 'warning')}")


def _list(args: argparse.Namespace) -> int:
    from briefgen.commands.listing import list_stories

    diagnostics = Diagnostics()
    print(list_stories(args.site, args.kind, args.clock or datetime.now(timezone.utc), diagnostics), end="")
    report_to_stderr(Diagnostics(diagnostics.errors))  # a story that cannot be read is missing from the list
    return EXIT_PROBLEMS if diagnostics.errors else EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    """Remove what builds made: the cache, and the output folder if it carries briefgen's marker."""
    from briefgen.build import BuildOptions, load_site_config, output_dir_for
    from briefgen.change.cache import clear_cache
    from briefgen.output.writer import remove_output

    config = load_site_config(BuildOptions(site_dir=args.site), Diagnostics())
    output = output_dir_for(BuildOptions(site_dir=args.site, output_dir=args.output), config)
    cache = args.site / CACHE_DIR
    for folder, removed in ((cache, clear_cache(cache)), (output, remove_output(output))):
        if removed:
            print(f"removed {display_path(folder)}/")
        elif folder.is_symlink():
            print(f"left {display_path(folder)} alone: it is a link to {os.path.realpath(folder)}, and "
                  f"briefgen removes only folders it made", file=sys.stderr)
        elif folder.exists():
            print(f"left {display_path(folder)}/ alone: briefgen did not make it", file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from briefgen.commands.check import check_site, report_json

    result = check_site(args.site, args.clock, args.links)
    if args.format == "json":
        print(report_json(result))
    else:
        for diagnostic in result.diagnostics.sorted():
            print(diagnostic.format())
        links = result.links
        checked = plural(result.stories, 'story', 'stories') + (
            "" if links is None else f" and {plural(links.links, 'link')} ({links.asked} asked, "
                                     f"{links.links - links.asked} fine within the day)")
        print(f"checked {checked}: {tally(result.diagnostics.items)}")
    return EXIT_PROBLEMS if result.failed(args.strict) else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from briefgen.commands.serve import ServeOptions, serve

    return serve(ServeOptions(site_dir=args.site, host=args.host, port=args.port, drafts=args.drafts,
                              future=args.future, base_url=args.base_url, poll=args.poll, open_browser=args.open))


def _edition(args: argparse.Namespace) -> int:
    from briefgen.commands.edition import write_edition

    files = write_edition(args.site, args.day, args.output, args.clock)
    report_to_stderr(files.diagnostics)
    for path in files.written:
        print(f"wrote {display_path(path)}")
    return EXIT_PROBLEMS if files.diagnostics.errors else EXIT_OK


def _completion(args: argparse.Namespace) -> int:
    from briefgen.commands.completion import completion_script

    print(completion_script(_parser(), args.shell), end="")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from briefgen.commands.importer import ImportRequest, import_briefings

    diagnostics = Diagnostics()
    request = ImportRequest(tuple(args.files), args.output, args.date or date.today(), args.merge, args.slug,
                            args.force)
    written = import_briefings(request, diagnostics)
    report_to_stderr(diagnostics)
    for path in written:
        print(f"wrote {display_path(path)}")
    return EXIT_PROBLEMS if diagnostics.errors else EXIT_OK


def _init(args: argparse.Namespace) -> int:
    """Start a site; on a terminal, ask for what was not given (a script or CI is never asked)."""
    from briefgen.commands.starter import default_title, start_site

    folder: Path = args.folder
    title, base_url = args.title, args.base_url
    if sys.stdin.isatty():
        title = title or _ask("The site's name", default_title(folder))
        base_url = base_url or _ask_base_url()
    started = start_site(folder, title or default_title(folder), base_url, date.today())
    for path in started.written:
        print(f"wrote {display_path(path)}")
    for path in started.kept:
        print(f"kept {display_path(path)}: it was there already", file=sys.stderr)
    if folder / "requirements.txt" in started.written:
        print(started.requirement.said)
    where = "" if folder.resolve() == Path.cwd() else f"cd {display_path(folder)} && "
    print(f"next: {where}briefgen serve   (the example story is a draft: serve shows it, build does not)")
    return EXIT_OK


def _ask(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def _ask_base_url() -> str | None:
    while True:
        answer = input("The address readers will reach it at (Enter: decide later): ").strip()
        if not answer or is_web_address(answer):
            return answer or None
        print(f"'{answer}' is not an http or https URL, e.g. https://news.example.org/")


def _new(args: argparse.Namespace) -> int:
    """Start a story in a site's content/; never outside a site, never over a story of the same name."""
    from briefgen.commands.scaffold import new_story, story_path
    from briefgen.settings.config import CONFIG_FILE

    content_dir = args.site / CONTENT_DIR
    refused = Diagnostics()
    path, taken = story_path(content_dir, args.title, another=args.force)
    if not (args.site / CONFIG_FILE).is_file() and not content_dir.is_dir():
        refused.error(content_dir, 0, f"there is no site here: no {CONFIG_FILE}, no {CONTENT_DIR}/ folder",
                      "start one with `briefgen init`, or name a site's folder with `-s DIR`", "no-site")
    elif taken is not None:
        other = story_path(content_dir, args.title, another=True)[0]
        refused.error(taken, 0, f"a story with this file name exists already, so `new \"{args.title}\"` wrote "
                      "nothing", f"give the new story another title, or add --force to write it as "
                      f"{display_path(other)}", "story-exists")
    if refused.items:
        report_to_stderr(refused)
        return EXIT_PROBLEMS
    new_story(path, args.title, date.today())
    print(f"wrote {display_path(path)}")
    return EXIT_OK


def report_to_stderr(diagnostics: Diagnostics) -> None:
    for diagnostic in diagnostics.sorted():
        print(diagnostic.format(), file=sys.stderr)
