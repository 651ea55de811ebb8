"""briefgen/settings/i18n.py: languages, built-in labels, plurals and placeholders."""

from __future__ import annotations

from markupsafe import Markup

from briefgen.settings import i18n


def test_a_languages_primary_subtag_chooses_its_built_in_set() -> None:
    assert [i18n.primary(tag) for tag in ("fr-CA", "FR_ca", " de ", "pt-BR")] == ["fr", "fr", "de", "pt"]
    assert [i18n.known(tag) for tag in ("fr-CA", "es", "en-US", "pt-BR")] == [True, True, True, False]
    assert i18n.builtin_labels("fr-CA")["facts"] == i18n.builtin_labels("fr")["facts"] != "Facts"


def test_english_and_unknown_languages_have_no_built_in_set_they_use_the_defaults() -> None:
    assert i18n.builtin_labels("en") == {} and i18n.builtin_labels("pt-BR") == {}


def test_a_plural_label_is_chosen_by_the_languages_rule() -> None:
    assert [i18n.plural_key("story_count", n, "en") for n in (0, 1, 2)] == [
        "story_count_other", "story_count_one", "story_count_other"]
    assert [i18n.plural_key("story_count", n, "fr") for n in (0, 1, 2)] == [
        "story_count_one", "story_count_one", "story_count_other"]


def test_a_country_is_named_in_the_sites_language() -> None:
    assert (i18n.country_name("GB", "fr"), i18n.country_name("DE", "en")) == ("Royaume-Uni", "Germany")
    assert i18n.country_name("ZZZ", "en") is None


def test_placeholders_are_filled_and_unknown_ones_stay_as_written() -> None:
    assert i18n.fill("{count} stories by {author}", count=3) == "3 stories by {author}"


def test_markup_filling_escapes_the_label_and_plain_values_but_not_markup() -> None:
    assert i18n.fill_markup("<b>{name}</b> & {n}", name="<i>", n=2) == Markup("&lt;b&gt;&lt;i&gt;&lt;/b&gt; &amp; 2")
    assert i18n.fill_markup("By {who}", who=Markup("<a href='/x'>X</a>")) == Markup("By <a href='/x'>X</a>")


def test_french_writes_the_first_of_a_month_as_an_ordinal_and_other_languages_do_not() -> None:
    from datetime import date
    assert i18n.long_date(date(2024, 6, 1), "fr") == "1er juin 2024"
    assert i18n.long_date(date(2024, 6, 11), "fr") == "11 juin 2024"
    assert [i18n.long_date(date(2024, 6, 1), language) for language in ("en", "de", "es")] == [
        "1 June 2024", "1. Juni 2024", "1 de junio de 2024"]
