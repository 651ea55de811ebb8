"""Every interface word and date in the reader's language (issue 13).

A French fixture site is built and each of its pages is read as a reader sees it:
no word of the English label set may show, dates read "25 mars 2024", and
`<html lang="fr">`. German and Spanish are spot-checked on one story; a site's own
`labels:` win over the built-in set; a language with no built-in set builds in
English with one warning; and every built-in set has every label.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, fields
from pathlib import Path

import pytest

from briefgen.commands.check import check_site
from briefgen.settings import i18n
from briefgen.settings.config import Labels
from tests.conftest import FIXTURES, make_site, run_briefgen, story_text
from tests.htmltext import parse

SITE = FIXTURES / "sites" / "french"
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]
# Words an English page shows that no French page may. "Sources", "Notes", "Page" and "Site" are
# left out: they are French words too, and the French set uses them (see french_words below).
FIXED = ["Published", "Updated", "min read", "Skip to content", "Latest", "Feed", "Facts", "Narratives",
         "as provided by", "Contra", "By", "by", "Draft", "Back to", "Tags", "All tags", "Outlets", "Search",
         "Corrections", "This story so far", "Later", "Related", "Analysis", "single outlet", "More on",
         "stories", "story", "from", "outlets", "countries", "wire", "newspaper", "state media", "paywall",
         "Older stories", "Newer stories", "of", "cited in", "provided", "Page not found", "No stories yet."]
_PLACEHOLDER = re.compile(r"\{\w+\}")


def english_words() -> set[str]:
    """Each piece of text of the English labels, between their placeholders: "min read", "Back to citation"..."""
    pieces = {piece.strip(" .,:;()“”") for value in asdict(Labels()).values()
              for piece in _PLACEHOLDER.split(value)}
    return {piece for piece in pieces if re.search(r"[A-Za-z]", piece)} | set(FIXED)


def french_words() -> set[str]:
    """Pieces of English that are French too ("Sources", "Page", "source"): the French set uses them."""
    french = " ".join(_PLACEHOLDER.sub(" ", value) for value in i18n.builtin_labels("fr").values())
    return {word for word in english_words() if _has_word(french, word)}


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def reader_text(path: Path) -> str:
    """What a page shows or tells a screen reader: its text, title, aria-labels, placeholders and
    the search box's messages (data- attributes)."""
    html = path.read_text(encoding="utf-8")
    attributes = re.findall(r'(?:aria-label|placeholder|data-unavailable|data-none|data-one|data-other)="([^"]*)"',
                            html)
    title = re.findall(r"<title>(.*?)</title>", html)
    return "\n".join(["".join(parse(path).text), *title, *attributes])


def english_in(text: str) -> list[str]:
    return sorted(word for word in english_words() - french_words() if _has_word(text, word))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("french") / "public"
    run = run_briefgen("build", "--no-cache", "-s", SITE, "-o", output)
    assert run.code == 0, run.err
    assert "warning" not in run.err
    return output


def html_pages(built: Path) -> list[Path]:
    return sorted(built.rglob("*.html"))


def test_the_english_words_checked_are_the_labels_not_a_short_list() -> None:
    words = english_words() - french_words()
    assert {"min read", "Skip to content", "Latest", "Narratives", "as provided by", "Published", "Back to citation",
            "Page not found", "Facts", "stories"} <= words
    assert {"Sources", "Page", "Notes"} <= french_words()


def test_no_page_shows_an_english_interface_word(built: Path) -> None:
    pages = html_pages(built)
    assert len(pages) >= 12  # stories, lists, tags, outlets, 404
    found = {page.relative_to(built).as_posix(): english_in(reader_text(page)) for page in pages}
    assert {page: words for page, words in found.items() if words} == {}


def test_feeds_carry_the_briefing_in_french(built: Path) -> None:
    items = json.loads((built / "feed.json").read_text())["items"]
    for item in items:
        text = re.sub(r"<[^>]+>", " ", item["content_html"])
        assert english_in(text) == [], item["id"]
        assert "Faits" in text and "Sources" in text


def test_every_page_is_lang_fr_and_dates_read_in_french(built: Path) -> None:
    for page in html_pages(built):
        html = page.read_text()
        assert '<html lang="fr">' in html, page
        assert not any(_has_word(reader_text(page), month) for month in ENGLISH_MONTHS), page
    story = reader_text(built / "sommet-climat" / "index.html")
    assert "Publié le 25 mars 2024" in story
    assert "Mis à jour le 27 mars 2024" in story  # the correction's date is the latest change
    assert "24 mars 2024" in story  # a source's date
    assert "23 mai 2024" in reader_text(built / "marche-cacao" / "index.html")


def test_the_story_page_reads_as_a_french_newsreader_expects(built: Path) -> None:
    page = reader_text(built / "sommet-climat" / "index.html")
    for expected in ("Aller au contenu", "À la une", "Faits", "Récits", "Point de vue contraire", "Sources",
                     "Rectificatifs", "1\u00a0min de lecture", "Par Claire Dubois", "selon IFRI", "(accès payant)",
                     "(un seul média)", "En savoir plus sur Xinhua", "par Jeanne Martin",
                     "3 sources provenant de 3 médias de 2 pays\u00a0: "
                     "1 agence de presse, 1 journal, 1 média d’État",
                     "(agence de presse, France)", "Média d’État, Chine.", "Le fil de l’histoire",
                     "Retour à la citation 1 de la source 1, Agence France-Presse, dans Faits",  # `outlet: afp`
                     "Retour à la citation de la note 4, dans Le contexte", "Source 1\u00a0: Agence France-Presse"):
        assert expected in page, expected
    assert "Analyse" in reader_text(built / "accord-climat" / "index.html")


def test_french_puts_a_no_break_space_before_its_colons(built: Path) -> None:
    """"La suite: ", "25 mars 2024: ", "outlet: title" had none, as French wants (U+00A0 before a colon)."""
    html = (built / "sommet-climat" / "index.html").read_text()
    assert "La suite\u00a0: <a" in html
    assert re.search(r"mars 2024</time>\u00a0: ", html)  # the thread's and the corrections' dates
    assert not re.search(r"(?:</time>|La suite|</cite>): ", html)


def test_lists_count_with_the_french_plural_rule(built: Path) -> None:
    assert "2 articles · Flux «\u00a0Climat\u00a0»" in reader_text(built / "tags" / "climat" / "index.html")
    assert "1 article · " in reader_text(built / "tags" / "economie" / "index.html")
    outlets = reader_text(built / "outlets" / "index.html")
    assert "cité dans 0 article\u00a0; 3 récits fournis" in outlets  # 0 is singular in French
    assert "cité dans 1 article\u00a0; 1 récit fourni" in outlets
    assert "Page 1 sur 2" in reader_text(built / "index.html")
    assert "Le Point du jour\u00a0: page 2" in reader_text(built / "page" / "2" / "index.html")
    assert "Aucun article ne correspond à «\u00a0{query}\u00a0»." in reader_text(built / "index.html")


def _build(tmp_path: Path, config: str) -> Path:
    site = make_site(tmp_path / "site", {"story.md": story_text()}, "base_url: https://example.org/\n" + config)
    run = run_briefgen("build", "--no-cache", "-s", site, "-o", tmp_path / "public")
    assert run.code == 0, run.err
    return tmp_path / "public" / "story" / "index.html"


def test_a_german_story(tmp_path: Path) -> None:
    page = _build(tmp_path, "language: de\nsearch: false\n")
    text = reader_text(page)
    assert '<html lang="de">' in page.read_text()
    for expected in ("Veröffentlicht am 25. März 2024", "1\u00a0Min. Lesezeit", "Fakten", "Gegenposition", "Quellen",
                     "Zum Inhalt springen", "(nur ein Medium)"):
        assert expected in text, expected
    assert not {"Published", "min read", "Facts", "Contra", "Sources"} & set(english_in(text))


def test_a_spanish_story_with_a_region(tmp_path: Path) -> None:
    page = _build(tmp_path, "language: es-MX\nsearch: false\n")
    text = reader_text(page)
    assert '<html lang="es-MX">' in page.read_text()
    for expected in ("Publicado el 25 de marzo de 2024", "1\u00a0min de lectura", "Hechos", "Contrapunto", "Fuentes",
                     "Saltar al contenido"):
        assert expected in text, expected
    assert not {"Published", "min read", "Facts", "Contra", "Sources"} & set(english_in(text))


def test_the_sites_own_labels_win_over_the_built_in_set(tmp_path: Path) -> None:
    page = _build(tmp_path, "language: fr\nsearch: false\nlabels:\n  facts: L’essentiel\n"
                            "  reading_time: \"Lecture : {minutes} min\"\n")
    text = reader_text(page)
    assert "L’essentiel" in text and not _has_word(text, "Faits")
    assert "Lecture : 1 min" in text
    assert "Point de vue contraire" in text  # the rest stays French


def test_an_unknown_language_builds_in_english_with_one_warning(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"story.md": story_text()},
                     "title: tlhIngan\nbase_url: https://example.org/\nlanguage: tlh\nsearch: false\n")
    warnings = [d for d in check_site(site).diagnostics.warnings if d.code == "unknown-language"]
    assert [(Path(w.path).name, w.line) for w in warnings] == [("briefgen.yaml", 3)]
    assert "'tlh'" in warnings[0].message and "de, en, es, fr" in warnings[0].hint
    run = run_briefgen("build", "--no-cache", "-s", site, "-o", tmp_path / "public")
    assert run.code == 0 and run.err.count("no built-in labels") == 1, run.err
    page = tmp_path / "public" / "story" / "index.html"
    assert '<html lang="tlh">' in page.read_text()
    assert "Published 25 March 2024" in reader_text(page)


def test_a_region_reads_its_language_without_a_warning(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"story.md": story_text()},
                     "base_url: https://example.org/\nlanguage: fr-CA\n")
    assert [d.code for d in check_site(site).diagnostics.warnings] == []


def test_english_dates_stay_day_month_year_and_en_us_is_american() -> None:
    from datetime import date
    day = date(2024, 3, 25)
    assert [i18n.long_date(day, language) for language in ("en", "en-GB", "en-US", "fr", "fr-CA", "de", "es")] == [
        "25 March 2024", "25 March 2024", "March 25, 2024", "25 mars 2024", "25 mars 2024", "25. März 2024",
        "25 de marzo de 2024"]


@pytest.mark.parametrize("language", [language for language in i18n.LANGUAGES if language != i18n.ENGLISH])
def test_every_built_in_set_has_every_label_with_the_same_placeholders(language: str) -> None:
    english = asdict(Labels())
    translated = i18n.builtin_labels(language)
    assert sorted(translated) == sorted(f.name for f in fields(Labels))
    for key, value in translated.items():
        assert isinstance(value, str)
        assert sorted(_PLACEHOLDER.findall(value)) == sorted(_PLACEHOLDER.findall(english[key])), (language, key)
        assert bool(value) == bool(english[key]), (language, key)  # summary stays empty: no heading


def test_a_story_in_another_language_marks_its_text_with_it(tmp_path: Path) -> None:
    """An English story on a French site was read by screen readers with a French voice."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    english = story_text("Talks resume in Geneva", "2024-05-20").replace("tags: [World]", "tags: [World]\nlanguage: en")
    (site / "content" / "geneva-talks.md").write_text(english)
    output = tmp_path / "public"
    run = run_briefgen("build", "--no-cache", "-s", site, "-o", output)
    assert run.code == 0, run.err
    html = (output / "geneva-talks" / "index.html").read_text()
    assert '<html lang="fr"' in html and '<h1 lang="en">Talks resume in Geneva</h1>' in html
    assert '<ul lang="en">' in html and '<div class="body" id="body" lang="en">' in html
    assert "Faits" in html  # the interface stays in the site's language
    assert '"inLanguage":"en"' in html.replace(" ", "")
    item = next(item for item in json.loads((output / "feed.json").read_text())["items"]
                if item["id"].endswith("/geneva-talks/"))
    assert item["language"] == "en"
    assert '<entry xml:lang="en">' in (output / "feed.xml").read_text()
    assert 'lang="en"' not in (output / "sommet-climat" / "index.html").read_text().split("<body")[1]


def test_a_story_language_that_is_no_language_tag_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"a.md": story_text("A").replace("tags: [World]",
                                                                          "tags: [World]\nlanguage: English please")})
    run = run_briefgen("check", cwd=site)
    assert run.code == 1
    assert "content/a.md:6: error: 'English please' is not a language tag" in run.out
    assert "hint: e.g. `language: en` or `language: pt-BR`" in run.out
