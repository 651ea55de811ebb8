"""The command line end to end, in a subprocess, as a writer runs it."""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import briefgen.commands.serve
from briefgen import __version__
from briefgen.cli import main
from briefgen.commands.serve import ServeOptions
from tests.conftest import ROOT, make_site, run_briefgen, story_text, tree_bytes, words


@pytest.mark.parametrize("asked", [["--version"], ["version"]])
def test_version(asked: list[str]) -> None:
    run = run_briefgen(*asked)
    assert (run.code, run.out) == (0, f"briefgen {__version__}\n")


def test_build_prints_one_summary_line_and_writes_the_site(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One")})
    run = run_briefgen("build", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.err == ""
    assert re.fullmatch(r"built 1 story, \d+ pages \(\d+ files\) into public/ in \d+\.\d\d s, 0 warnings\n",
                        run.out)
    assert "A fact about One." in words((tmp_path / "public" / "one" / "index.html").read_text())


def test_build_says_which_stories_it_leaves_out_and_how_to_include_them(tmp_path: Path) -> None:
    draft = story_text("Draft").replace("---\n", "---\ndraft: true\n", 1)
    make_site(tmp_path, {"one.md": story_text("One"), "draft.md": draft,
                         "later.md": story_text("Later", "2999-01-01"), "soon.md": story_text("Soon", "2998-05-01")})
    run = run_briefgen("build", cwd=tmp_path)
    told = ["  1 draft is left out: -D (--drafts) includes it",
            "  2 stories are dated later (the first on 2998-05-01 00:00 UTC) and left out until then: "
            "-F (--future) includes them"]
    assert run.code == 0 and run.out.startswith("built 1 story, ") and run.out.splitlines()[1:] == told
    again = run_briefgen("build", cwd=tmp_path)
    assert again.out.startswith("nothing changed: ") and again.out.splitlines()[1:] == told
    (tmp_path / "content" / "later.md").unlink()
    single = run_briefgen("build", "-D", cwd=tmp_path).out.splitlines()
    assert single[0].startswith("built 2 stories, ") and single[1:] == [
        "  1 story is dated later (2998-05-01 00:00 UTC) and left out until then: -F (--future) includes it"]
    assert len(run_briefgen("build", "-D", "-F", cwd=tmp_path).out.splitlines()) == 1


def test_list_names_the_stories_of_each_kind_newest_first_as_of_the_clock(tmp_path: Path) -> None:
    draft = story_text("Draft", "2024-03-20").replace("---\n", "---\ndraft: true\n", 1)
    gone = story_text("Gone", "2024-01-01").replace("---\n", "---\nexpires: 2024-02-01\n", 1)
    make_site(tmp_path, {"one.md": story_text("One", "2024-03-25"), "draft.md": draft, "gone.md": gone,
                         "later.md": story_text("Later", "2999-01-01"), "broken.md": "---\ntitle: [\n---\n"})
    header = "path,slug,date,expires,draft"
    run = run_briefgen("list", "all", cwd=tmp_path)
    assert run.code == 1 and "content/broken.md:3: error: the front matter is not valid YAML" in run.err
    assert "warning" not in run.err
    assert run.out.splitlines() == [header, "content/later.md,later,2999-01-01T00:00:00+00:00,,false",
                                    "content/one.md,one,2024-03-25T00:00:00+00:00,,false",
                                    "content/draft.md,draft,2024-03-20T00:00:00+00:00,,true",
                                    "content/gone.md,gone,2024-01-01T00:00:00+00:00,2024-02-01T00:00:00+00:00,false"]
    (tmp_path / "content" / "broken.md").unlink()
    assert run_briefgen("list", "drafts", cwd=tmp_path).out.splitlines()[1:] == [
        "content/draft.md,draft,2024-03-20T00:00:00+00:00,,true"]
    assert [line.split(",")[1] for line in run_briefgen("list", "future", cwd=tmp_path).out.splitlines()[1:]] == [
        "later"]
    as_of = ["--clock", "2024-01-15T12:00+01:00"]
    assert [line.split(",")[1] for line in run_briefgen("list", "future", *as_of, cwd=tmp_path).out.splitlines()[1:]] \
        == ["later", "one", "draft"]
    assert run_briefgen("list", "expired", *as_of, cwd=tmp_path).out.splitlines() == [header]
    assert run_briefgen("list", "expired", cwd=tmp_path).out.splitlines()[1:] == [
        "content/gone.md,gone,2024-01-01T00:00:00+00:00,2024-02-01T00:00:00+00:00,false"]


def test_build_with_a_clock_publishes_as_of_that_moment(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One", "2024-03-25"), "later.md": story_text("Later", "2999-01-01")})
    assert run_briefgen("build", "--clock", "2999-01-02", cwd=tmp_path).code == 0
    assert (tmp_path / "public" / "later" / "index.html").is_file()
    run = run_briefgen("build", "--clock", "2024-03-26", cwd=tmp_path)
    assert run.code == 0 and not (tmp_path / "public" / "later").exists()
    assert run_briefgen("build", "--clock", "next week", cwd=tmp_path).code == 2


def test_check_counts_every_story_file_it_checked_and_its_problems_by_kind(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One"), "two.md": story_text("Two").replace("title:", "title: [", 1)})
    run = run_briefgen("check", cwd=tmp_path)
    assert run.code == 1 and run.out.splitlines()[-1] == "checked 2 stories: 1 error, 0 warnings"


def test_quiet_prints_nothing_but_problems(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One").replace("contra: The other side of One.\n", "")})
    run = run_briefgen("build", "-q", "-s", tmp_path)
    assert (run.code, run.out) == (0, "")
    assert "warning: the story has no contra section" in run.err


def test_site_output_and_base_url_options(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    run = run_briefgen("build", "-s", site, "-o", tmp_path / "out", "--base-url",
                       "https://deploy-preview-7--briefs.netlify.app")
    assert run.code == 0, run.err
    page = (tmp_path / "out" / "one" / "index.html").read_text()
    assert '<link rel="canonical" href="https://deploy-preview-7--briefs.netlify.app/one/">' in page


def test_strict_fails_on_warnings_and_keeps_the_previous_output(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One")})
    assert run_briefgen("build", cwd=tmp_path).code == 0
    before = tree_bytes(tmp_path / "public")
    (tmp_path / "content" / "two.md").write_text(story_text("Two").replace("contra: The other side of Two.\n", ""))
    run = run_briefgen("build", "--strict", cwd=tmp_path)
    assert run.code == 1
    assert "content/two.md:2: warning: the story has no contra section" in run.err
    assert "build failed with warnings (--strict); the previous output is untouched" in run.err
    assert tree_bytes(tmp_path / "public") == before


PLACEHOLDERS_AT = [(6, "One paragraph that tells the whole story"), (10, "Name of the outlet"),
                   (11, "https://example.org/the-article-this-comes-from"), (13, "The first fact, stated plainly."),
                   (16, "One side's account"), (17, "Who tells it"), (18, "The story as this side"),
                   (19, "The other side's account"), (20, "Who tells that"), (21, "The story as the other side"),
                   (23, "The strongest counter-view, in fairness"),
                   (27, "What a reader needs to know to understand the story.")]


def _problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line or ": error: " in line]


def test_new_writes_a_story_that_builds_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    run = run_briefgen("new", "Côte d'Ivoire: cocoa, again", cwd=tmp_path)
    assert (run.code, run.out) == (0, "wrote content/cote-divoire-cocoa-again.md\n")
    text = (tmp_path / "content" / "cote-divoire-cocoa-again.md").read_text()
    assert f"date: {date.today().isoformat()}\n" in text
    assert 'title: "Côte d\'Ivoire: cocoa, again"' in text
    assert "\ndraft: true" in text
    build = run_briefgen("build", "--base-url", "https://e.example/", cwd=tmp_path)
    assert build.code == 0
    assert not (tmp_path / "public" / "cote-divoire-cocoa-again").exists()  # a draft until the mark goes
    build = run_briefgen("build", "--drafts", "--base-url", "https://e.example/", cwd=tmp_path)
    assert build.code == 0
    assert _problems(build.err) == [f"content/cote-divoire-cocoa-again.md:{line}: warning: '{text}' is still the "
                                    "text `briefgen new` wrote" for line, text in PLACEHOLDERS_AT]
    page = tmp_path / "public" / "cote-divoire-cocoa-again" / "index.html"
    assert "Côte d&#39;Ivoire: cocoa, again" in page.read_text()


def test_new_with_a_very_long_title_writes_a_story_that_builds(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    run = run_briefgen("new", "Ministers agree on a fisheries deal " * 9, cwd=tmp_path)
    assert run.code == 0 and "Traceback" not in run.err
    [story] = (tmp_path / "content").iterdir()
    assert len(story.name.encode()) <= 123 and story.name.startswith("ministers-agree-on-a-fisheries-deal-")
    assert run_briefgen("build", cwd=tmp_path).code == 0


def test_new_never_overwrites_a_story_and_says_so(tmp_path: Path) -> None:
    make_site(tmp_path, {"budget-day.md": "my own words\n"})
    run = run_briefgen("new", "Budget DAY", cwd=tmp_path)
    assert (run.code, run.out) == (1, "")
    assert run.err == ("content/budget-day.md: error: a story with this file name exists already, so "
                       "`new \"Budget DAY\"` wrote nothing\n  hint: give the new story another title, or add "
                       "--force to write it as content/budget-day-2.md\n")
    assert [path.name for path in (tmp_path / "content").iterdir()] == ["budget-day.md"]
    run = run_briefgen("new", "Budget day", "--force", cwd=tmp_path)
    assert (run.code, run.out) == (0, "wrote content/budget-day-2.md\n")
    assert (tmp_path / "content" / "budget-day.md").read_text() == "my own words\n"


def test_new_outside_a_site_writes_nothing_and_says_where_to_start(tmp_path: Path) -> None:
    run = run_briefgen("new", "Budget day", cwd=tmp_path)
    assert (run.code, run.out) == (1, "")
    assert run.err == ("content: error: there is no site here: no briefgen.yaml, no content/ folder\n"
                       "  hint: start one with `briefgen init`, or name a site's folder with `-s DIR`\n")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "briefgen.yaml").write_text("title: Mine\n")  # a site whose content/ is still to come
    assert run_briefgen("new", "Budget day", cwd=tmp_path).code == 0


def test_refuses_an_output_folder_it_did_not_make(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One")})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("a writer's notes")
    run = run_briefgen("build", "-o", "docs", cwd=tmp_path)
    assert run.code == 1
    assert "docs: error: refusing to write the site here: the output folder already exists, holds files, " \
           "and was not made by briefgen" in run.err
    assert (tmp_path / "docs" / "notes.txt").read_text() == "a writer's notes"


def test_refuses_to_write_over_the_site_or_its_content(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One")})
    for output, reason in ((".", "is the site folder"), ("content/out", "is inside a folder the writer keeps"),
                           ("..", "contains the site folder")):
        run = run_briefgen("build", "-o", output, cwd=tmp_path)
        assert run.code == 1 and reason in run.err, (output, run.err)
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["one.md"]


def test_an_output_folder_name_too_long_for_its_spare_folder_is_refused(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One")})
    run = run_briefgen("build", "-o", "o" * 240, cwd=tmp_path)
    assert run.code == 1
    assert run.err.splitlines()[0] == f"{'o' * 240}: error: the output folder's name is longer than 239 bytes"
    assert "Traceback" not in run.err
    assert run_briefgen("build", "-o", "o" * 239, cwd=tmp_path).code == 0


def test_a_missing_content_folder_is_explained(tmp_path: Path) -> None:
    run = run_briefgen("build", cwd=tmp_path)
    assert run.code == 1
    assert run.err.startswith("content: error: there is no content/ folder\n  hint: run briefgen in the site's folder")


def test_usage_mistakes_exit_2_with_usage() -> None:
    run = run_briefgen("bild")
    assert run.code == 2 and "invalid choice: 'bild'" in run.err


def test_a_base_url_option_without_a_scheme_is_refused_as_in_briefgen_yaml(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One")})
    for value in ("example.org", "https://", "ftp://example.org/"):
        run = run_briefgen("build", "--base-url", value, cwd=tmp_path)
        assert run.code == 2, value
        assert f"--base-url: '{value}' is not an http or https URL" in run.err
    assert not (tmp_path / "public").exists()
    assert run_briefgen("build", "--base-url", "https://preview.example.org/", cwd=tmp_path).code == 0


def test_a_file_in_content_that_is_not_markdown_is_a_warning_naming_it(tmp_path: Path) -> None:
    make_site(tmp_path, {"one.md": story_text("One"), "two.markdown": story_text("Two")})
    run = run_briefgen("build", cwd=tmp_path)
    assert run.code == 0
    assert ("content/two.markdown: warning: not a story: only .md files in content/ are read\n"
            "  hint: if it is a story, name it with .md; a file to publish goes in static/") in run.err
    assert run_briefgen("build", "--strict", cwd=tmp_path).code == 1


def test_check_flags_what_new_wrote_until_the_writer_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert run_briefgen("new", "Fisheries deal", cwd=tmp_path).code == 0
    run = run_briefgen("check", "--format", "json", cwd=tmp_path)
    found = [(item["line"], item["message"]) for item in json.loads(run.out)["diagnostics"]
             if item["code"] == "scaffold-placeholder"]
    # each at its own line: summary, outlet, url, fact, two narratives (label, provider, text), contra, body
    assert [line for line, _ in found] == [line for line, _ in PLACEHOLDERS_AT]
    assert found[1][1] == "'Name of the outlet' is still the text `briefgen new` wrote"


def test_the_short_flags_hugo_and_zola_users_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = story_text("Draft").replace("---\n", "---\ndraft: true\n", 1)
    make_site(tmp_path, {"draft.md": draft, "later.md": story_text("Later", "2999-01-01")})
    assert run_briefgen("build", "-D", "-F", "-b", "https://preview.example/", cwd=tmp_path).code == 0
    assert {(tmp_path / "public" / name).is_dir() for name in ("draft", "later")} == {True}
    assert 'href="https://preview.example/draft/"' in (tmp_path / "public" / "draft" / "index.html").read_text()
    served: list[ServeOptions] = []
    monkeypatch.setattr(briefgen.commands.serve, "serve", lambda options: served.append(options) or 0)
    assert main(["serve", "-s", str(tmp_path), "-F", "-p", "8123", "--bind", "127.0.0.2"]) == 0
    assert (served[0].future, served[0].port, served[0].host, served[0].drafts) == (True, 8123, "127.0.0.2", True)


# Output cut short, special files, links: a word, never a traceback or a wait (hardening 3) -----------

def test_output_cut_short_by_its_reader_ends_quietly(tmp_path: Path) -> None:
    """`briefgen check --format json | head -c 100`: the reader has gone before briefgen writes."""
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "check", "--format", "json"], cwd=site, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141 and errors == ""


def test_a_base_url_option_with_a_line_break_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    run = run_briefgen("build", "--base-url", "https://example.org/\nDisallow: /", cwd=site)
    assert run.code == 2 and "is not an http or https URL" in run.err and not (site / "public").exists()


def test_clean_leaves_an_output_link_and_what_it_leads_to(tmp_path: Path) -> None:
    other = make_site(tmp_path / "other", {"two.md": story_text("Two")})
    assert run_briefgen("build", cwd=other).code == 0
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    (site / "public").symlink_to(other / "public")
    (site / ".briefgen-cache").symlink_to(other / ".briefgen-cache")

    run = run_briefgen("clean", cwd=site)

    assert run.code == 0 and "Traceback" not in run.err
    assert (other / "public" / "two" / "index.html").is_file() and (other / ".briefgen-cache").is_dir()
    assert (site / "public").is_symlink() and (site / ".briefgen-cache").is_symlink()
    assert "left public alone: it is a link to" in run.err and "briefgen removes only folders it made" in run.err


def test_a_second_build_of_a_site_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    """Two builds at once interleaved their swaps (a traceback in 5 of 6 rounds): the second now waits."""
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    assert run_briefgen("build", cwd=site).code == 0
    (site / "content" / "two.md").write_text(story_text("Two"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(site / ".public.briefgen-lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a first build, running
        second = subprocess.Popen([sys.executable, "-m", "briefgen", "build"], cwd=site, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        assert second.stderr is not None
        waiting = second.stderr.readline()
        assert waiting == "briefgen: another build of public/ is running; waiting for it to finish\n"
        assert second.poll() is None and not (site / "public" / "two").exists()
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0 and "Traceback" not in err and "built 2 stories" in out
    clean = run_briefgen("build", "--no-cache", "-o", tmp_path / "clean", cwd=site)
    assert clean.code == 0 and tree_bytes(site / "public") == tree_bytes(tmp_path / "clean")


# --- Ctrl-C as the command ends: the word stays true ---------------------------------------------------

INTERRUPT_AFTER = """\
import os, signal, sys
import briefgen.__main__, briefgen.cli
real = briefgen.cli.{name}
def then_interrupted(*args):
    code = real(*args)
    os.kill(os.getpid(), signal.SIGINT)  # a Ctrl-C that lands just as {name} returns
    return code
briefgen.cli.{name} = then_interrupted
sys.argv[1:] = ["build", "-q"]
sys.exit(briefgen.__main__.main())
"""


@pytest.mark.parametrize("name", ["_build", "main"])
def test_a_ctrl_c_landing_as_the_build_returns_says_the_site_was_published(name: str, tmp_path: Path) -> None:
    """Under load a Ctrl-C can land after the build published its site but before the command line
    returned: the word must still say the output changed (it said only "interrupted"), and no traceback."""
    site = make_site(tmp_path / "site", {"one.md": story_text("One")}, "base_url: https://example.org/\n")
    done = subprocess.run([sys.executable, "-c", INTERRUPT_AFTER.format(name=name)], cwd=site, text=True,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert (done.returncode, done.stderr) == (130, "briefgen: interrupted after the new site was published to "
                                                   "public/\n")
    assert "one/index.html" in tree_bytes(site / "public")
