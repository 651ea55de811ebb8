"""briefgen/core/links.py: symbolic links are followed only to files inside their folder."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.links import leads_outside, report_outside_link


def test_only_a_link_whose_target_lies_outside_the_root_leads_outside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "static" / "real.txt").write_text("x")
    (tmp_path / "secret").write_text("key")
    (site / "static" / "inside").symlink_to(site / "static" / "real.txt")
    (site / "static" / "outside").symlink_to(tmp_path / "secret")
    (site / "static" / "sideways").symlink_to(Path("..") / ".." / "site-backup")
    assert not leads_outside(site / "static" / "real.txt", site)
    assert not leads_outside(site / "static" / "inside", site)
    assert leads_outside(site / "static" / "outside", site)
    assert leads_outside(site / "static" / "sideways", site)  # a dangling link outside, to a name with the prefix


def test_a_link_outside_is_an_error_naming_the_link_and_its_target(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("key")
    (tmp_path / "link").symlink_to(tmp_path / "secret")
    diagnostics = Diagnostics()
    report_outside_link(tmp_path / "link", diagnostics)
    [error] = diagnostics.errors
    assert (error.path, error.code) == (str(tmp_path / "link"), "link-outside-site")
    assert os.path.realpath(tmp_path / "secret") in error.message
