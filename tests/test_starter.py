"""`briefgen init`: a writer's own site that builds at once, keeps what was there, and deploys from
its own repository with a released briefgen."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

import briefgen.commands.starter
import briefgen.settings.config
from briefgen import __version__
from briefgen.core.layout import CACHE_DIR
from tests.conftest import ROOT, run_briefgen, tree_bytes

PLUGIN = "netlify/plugins/briefgen-cache"
STARTED = [".gitignore", "briefgen.yaml", "content/how-a-briefing-is-made.md", "netlify.toml",
           f"{PLUGIN}/index.js", f"{PLUGIN}/manifest.yml", "requirements.txt"]
DEFAULT_BASE_URL_WARNING = ("briefgen.yaml: warning: no base_url is set: links in feeds, the sitemap and canonical "
                            "links point at http://localhost:8000/")


# How a writer's briefgen installed from its repository is named in requirements.txt (tests run an
# editable install, from a folder, which `init` names as it is and `build` warns of).
FROM_REPOSITORY = "briefgen @ git+https://git.example/briefgen@0123456789abcdef0123456789abcdef01234567"
LOCAL_REQUIREMENT_WARNING = ("requirements.txt:2: warning: briefgen is installed from a folder on this machine, "
                             "which Netlify cannot reach")


def from_repository(site: Path) -> None:
    """requirements.txt as `init` writes it for a briefgen installed from its repository."""
    path = site / "requirements.txt"
    path.write_text(path.read_text().replace(f"briefgen @ {ROOT.as_uri()}", FROM_REPOSITORY))


def _files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_init_in_an_empty_folder_gives_a_site_that_builds(tmp_path: Path) -> None:
    run = run_briefgen("init", "news", cwd=tmp_path)

    site = tmp_path / "news"
    assert run.code == 0 and run.err == ""
    assert run.out.splitlines() == [f"wrote news/{name}" for name in
                                    ("briefgen.yaml", "content/how-a-briefing-is-made.md", ".gitignore",
                                     "netlify.toml", "requirements.txt", f"{PLUGIN}/manifest.yml",
                                     f"{PLUGIN}/index.js")] + [
        f"requirements.txt installs briefgen from {ROOT.as_uri()}, a folder only this machine can reach: Netlify "
        "cannot build the site until it names briefgen's repository instead (briefgen @ git+https://...@commit)",
        "next: cd news && briefgen serve   (the example story is a draft: serve shows it, build does not)"]
    assert _files(site) == STARTED
    assert 'title: "News"' in (site / "briefgen.yaml").read_text()
    build = run_briefgen("build", cwd=site)
    assert build.code == 0
    warnings = [line for line in build.err.splitlines() if ": warning: " in line]
    assert warnings == [DEFAULT_BASE_URL_WARNING, LOCAL_REQUIREMENT_WARNING]  # what is left to decide, said once
    from_repository(site)
    assert [line for line in run_briefgen("build", cwd=site).err.splitlines() if ": warning: " in line] == [
        DEFAULT_BASE_URL_WARNING]
    assert not (site / "public" / "how-a-briefing-is-made").exists()  # a draft
    drafts = run_briefgen("build", "--drafts", "--base-url", "https://news.example.org/", cwd=site)
    assert (drafts.code, drafts.err) == (0, "")  # the example story itself draws no warning
    page = (site / "public" / "how-a-briefing-is-made" / "index.html").read_text()
    assert "How a briefing is made" in page
    assert '<link rel="canonical" href="https://news.example.org/how-a-briefing-is-made/">' in page


def test_title_and_base_url_go_into_the_settings_and_the_build_is_clean(tmp_path: Path) -> None:
    run = run_briefgen("init", "--title", 'Harbour "Daily"', "--base-url", "https://harbour.example/",
                       cwd=tmp_path)

    assert run.code == 0
    settings = (tmp_path / "briefgen.yaml").read_text()
    assert 'title: "Harbour \\"Daily\\""\nbase_url: "https://harbour.example/"\n' in settings
    assert run.out.splitlines()[-1] == "next: briefgen serve   (the example story is a draft: serve shows it, " \
                                       "build does not)"
    from_repository(tmp_path)
    build = run_briefgen("build", "--drafts", "--strict", cwd=tmp_path)
    assert (build.code, build.err) == (0, "")
    home = (tmp_path / "public" / "index.html").read_text()
    assert '<a class="site-title" href="/">Harbour &#34;Daily&#34;</a>' in home


@pytest.mark.parametrize(("direct_url", "line"), [
    (None, f"briefgen=={__version__}"),
    ('{"url": "https://github.com/o/briefgen", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
     "briefgen @ git+https://github.com/o/briefgen@abc123"),
    ('{"url": "https://files.example/briefgen-0.1.0.tar.gz", "archive_info": {}}',
     "briefgen @ https://files.example/briefgen-0.1.0.tar.gz"),
    ('{"url": "file:///home/me/briefgen", "dir_info": {}}', "briefgen @ file:///home/me/briefgen"),
    ('{"url": "file:///home/me/briefgen", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
     "briefgen @ git+file:///home/me/briefgen@abc123"),
], ids=["package index", "git", "archive", "folder", "local clone"])
def test_requirements_install_briefgen_as_the_running_one_was_installed(
        direct_url: str | None, line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PEP 610: never a pin of a name the project holds on no index, unless it came from one."""
    class Installed:
        def read_text(self, name: str) -> str | None:
            return direct_url if name == "direct_url.json" else None
    monkeypatch.setattr(briefgen.commands.starter.metadata, "distribution", lambda name: Installed())
    requirement = briefgen.commands.starter.installed_requirement()
    assert requirement.line == line
    assert ("only this machine can reach" in requirement.said) == ("file:" in line)
    # and a build warns of exactly those: what Netlify cannot install
    assert bool(briefgen.settings.config.LOCAL_BRIEFGEN.match(line)) == ("file:" in line)


def test_check_strict_and_build_strict_agree_on_a_draft_citing_an_outlet_the_registry_lacks(tmp_path: Path) -> None:
    """One rule: a story's own problems, an unknown outlet among them, count for every story file,
    drafts too; only links and tags are judged among the stories a command publishes."""
    assert run_briefgen("init", "--title", "T", "--base-url", "https://harbour.example/", cwd=tmp_path).code == 0
    (tmp_path / "outlets.yaml").write_text("reuters:\n  name: Reuters\n  kind: wire\n  country: GB\n")
    check = run_briefgen("check", "--strict", cwd=tmp_path)
    build = run_briefgen("build", "--strict", cwd=tmp_path)
    assert (check.code, build.code) == (1, 1)
    unknown = [line for line in build.err.splitlines() if "is not in outlets.yaml" in line]
    assert unknown and unknown == [line for line in check.out.splitlines() if "is not in outlets.yaml" in line]


def test_a_bad_base_url_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    run = run_briefgen("init", "--base-url", "example.org", cwd=tmp_path)

    assert run.code == 2
    assert "'example.org' is not an http or https URL" in run.err
    assert list(tmp_path.iterdir()) == []


def test_init_never_replaces_a_file_and_adds_no_example_to_a_site_with_stories(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "mine.md").write_text("my story\n")
    (tmp_path / "briefgen.yaml").write_text("title: Mine\n")
    before = tree_bytes(tmp_path)

    run = run_briefgen("init", cwd=tmp_path)

    assert run.code == 0
    assert run.err == "kept briefgen.yaml: it was there already\n"
    assert {name: data for name, data in tree_bytes(tmp_path).items() if name in before} == before
    assert _files(tmp_path) == [".gitignore", "briefgen.yaml", "content/mine.md", "netlify.toml",
                                f"{PLUGIN}/index.js", f"{PLUGIN}/manifest.yml", "requirements.txt"]


def test_without_a_terminal_nothing_is_asked(tmp_path: Path) -> None:
    """run_briefgen gives the command no terminal (stdin is /dev/null): it must finish with the defaults."""
    run = run_briefgen("init", "city-desk", cwd=tmp_path)

    assert run.code == 0 and "[" not in run.out
    assert 'title: "City desk"' in (tmp_path / "city-desk" / "briefgen.yaml").read_text()


def test_on_a_terminal_it_asks_for_the_title_and_address_until_the_address_is_one(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "init", "site"], cwd=tmp_path, stdin=terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(terminal)
    os.write(controller, b"Harbour News\nharbour.example\nhttps://harbour.example/\n")
    out, err = process.communicate(timeout=60)
    os.close(controller)

    assert (process.returncode, err) == (0, "")
    assert out.startswith("The site's name [Site]: The address readers will reach it at (Enter: decide later): "
                          "'harbour.example' is not an http or https URL, e.g. https://news.example.org/\n")
    settings = (tmp_path / "site" / "briefgen.yaml").read_text()
    assert 'title: "Harbour News"\nbase_url: "https://harbour.example/"\n' in settings


def test_gitignore_keeps_what_builds_make_out_of_the_repository(tmp_path: Path) -> None:
    run_briefgen("init", "--base-url", "https://e.example/", cwd=tmp_path)
    git = shutil.which("git")
    assert git is not None, "git is needed: CI clones the repository with it"
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True)
    for _ in range(2):  # the second build leaves the previous output in a folder beside public/
        assert run_briefgen("build", "--drafts", cwd=tmp_path).code == 0

    status = subprocess.run([git, "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path, check=True,
                            capture_output=True, text=True).stdout
    assert sorted(line[3:] for line in status.splitlines()) == STARTED


def test_netlify_settings_install_this_briefgen_and_send_the_pages_security_headers(tmp_path: Path) -> None:
    run_briefgen("init", cwd=tmp_path)

    assert f"\nbriefgen @ {ROOT.as_uri()}\n" in (tmp_path / "requirements.txt").read_text()
    settings = tomllib.loads((tmp_path / "netlify.toml").read_text())
    ours = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert settings["headers"] == ours["headers"]  # the policy tests/test_reader_quality.py checks pages against
    assert settings["build"]["publish"] == "public"
    for command, address in ((settings["build"]["command"], "URL"),
                             (settings["context"]["deploy-preview"]["command"], "DEPLOY_PRIME_URL"),
                             (settings["context"]["branch-deploy"]["command"], "DEPLOY_PRIME_URL")):
        assert command.startswith("pip install -r requirements.txt && briefgen build ")
        # the address Netlify gives, and none where it gives none (a `netlify build` on the writer's
        # machine): then base_url in briefgen.yaml, where a bare --base-url "" would be refused
        words = command.replace("pip install -r requirements.txt && briefgen", "printf '%s\\n' briefgen")
        for value, argv in ((None, ["briefgen", "build"]), ("", ["briefgen", "build"]),
                            ("https://x.netlify.app", ["briefgen", "build", "--base-url", "https://x.netlify.app"])):
            env = {"PATH": os.environ["PATH"], **({} if value is None else {address: value})}
            said = subprocess.run(["bash", "-c", words], env=env, capture_output=True, text=True, check=True).stdout
            assert said.splitlines() == argv, (command, value)


def test_the_site_s_own_netlify_plugin_keeps_the_build_cache_between_deploys(tmp_path: Path) -> None:
    """netlify.toml turns on the plugin init writes beside it: it restores .briefgen-cache/ before the
    build and saves it after (tests/test_netlify.py runs it in Netlify's own build runner)."""
    run_briefgen("init", cwd=tmp_path)

    settings = tomllib.loads((tmp_path / "netlify.toml").read_text())
    assert settings["plugins"] == [{"package": f"./{PLUGIN}"}]
    assert "\nname: briefgen-cache\n" in (tmp_path / PLUGIN / "manifest.yml").read_text()
    code = (tmp_path / PLUGIN / "index.js").read_text()
    assert f'const CACHE = "{CACHE_DIR}";' in code
    for call in ("async onPreBuild({ utils })", "utils.cache.restore(CACHE)",
                 "async onPostBuild({ utils })", "utils.cache.save(CACHE)"):
        assert call in code
    assert "/.netlify/\n" in (tmp_path / ".gitignore").read_text()  # what a local `netlify build` keeps


def test_init_keeps_a_plugin_the_writer_changed(tmp_path: Path) -> None:
    (tmp_path / PLUGIN).mkdir(parents=True)
    (tmp_path / PLUGIN / "index.js").write_text("// mine\n")

    run = run_briefgen("init", cwd=tmp_path)

    assert run.code == 0
    assert f"kept {PLUGIN}/index.js: it was there already" in run.err.splitlines()
    assert (tmp_path / PLUGIN / "index.js").read_text() == "// mine\n"
    assert (tmp_path / PLUGIN / "manifest.yml").is_file()


@pytest.mark.slow
def test_the_netlify_build_command_installs_the_released_briefgen_and_builds(tmp_path: Path) -> None:
    """What Netlify runs, in a fresh environment: the release requirements.txt pins (this version's wheel
    stands in for the registry's), then the build at the address Netlify gives in $URL."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT], check=True,
                   capture_output=True)
    environment = tmp_path / "netlify-python"
    venv.create(environment, with_pip=True)
    site = tmp_path / "site"
    run_briefgen("init", site)
    (site / "requirements.txt").write_text(f"briefgen=={__version__}\n")  # as init writes for an index install
    command = tomllib.loads((site / "netlify.toml").read_text())["build"]["command"]

    done = subprocess.run(["bash", "-c", command], cwd=site, capture_output=True, text=True, timeout=600,
                          env={**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                               "PATH": f"{environment / 'bin'}{os.pathsep}{os.environ['PATH']}",
                               "PIP_FIND_LINKS": str(wheels), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                               "URL": "https://harbour-news.netlify.app"})

    assert done.returncode == 0, done.stderr
    installed = subprocess.run([environment / "bin" / "python", "-m", "pip", "show", "briefgen"],
                               capture_output=True, text=True, check=True).stdout
    assert f"Version: {__version__}\n" in installed
    assert "Location: " + str(environment) in installed  # not this checkout
    sitemap = (site / "public" / "sitemap.xml").read_text()
    assert "<loc>https://harbour-news.netlify.app/</loc>" in sitemap
