"""Symbolic links: followed to files inside the site, an error when they lead out of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_site, run_briefgen, story_text

CONFIG = "title: Links\nsearch: false\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("not for the web\n")
    return secret


@pytest.mark.parametrize("link", ["static/leak.txt", "content/leak.md", "themes/mine/assets/leak.css"])
def test_a_link_out_of_the_site_is_an_error_naming_it(tmp_path: Path, outside: Path, link: str) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")}, CONFIG)
    if link.startswith("themes/"):
        (site / "themes" / "mine" / "templates").mkdir(parents=True)
        (site / "briefgen.yaml").write_text(CONFIG + "theme: mine\n")
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(outside)
    run = run_briefgen("build", cwd=site)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"{link}: error: the file is a link to {outside}, outside the site\n" in run.err
    assert not (site / "public").exists()


def test_a_link_to_a_file_inside_the_site_is_followed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")}, CONFIG)
    (site / "notes").mkdir()
    (site / "notes" / "about.txt").write_text("about us\n")
    (site / "static").mkdir()
    (site / "static" / "about.txt").symlink_to(site / "notes" / "about.txt")
    run = run_briefgen("build", cwd=site)
    assert run.code == 0, run.err
    assert (site / "public" / "about.txt").read_text() == "about us\n"
