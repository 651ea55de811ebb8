"""What a story's sources add up to, as a reader sees it: the outlets' names, the source mix, how much one
outlet carries, the coverage bar, and how many outlets back each fact. As far as the outlet registry knows
kinds and countries; an outlet it does not know counts by its name.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from briefgen.pages.values import CoverageSegment, CoverageView, FactView
from briefgen.settings import i18n
from briefgen.settings.config import Labels
from briefgen.settings.outlets import KINDS, Outlet, Registry
from briefgen.story.render import RenderedStory


def outlet_name(name: str, registry: Registry) -> str:
    """What a reader sees of a story's `outlet:` or `provider:`: the registry's name for it when it names
    an entry (by id, or by name ignoring case), else the text as written."""
    outlet = registry.resolve(name)
    return outlet.name if outlet is not None else name


def outlet_key(name: str, registry: Registry) -> str:
    """What makes two sources the same outlet: the registry's entry, else the name ignoring case."""
    outlet = registry.resolve(name)
    return f"id:{outlet.id}" if outlet is not None else f"name:{name.strip().casefold()}"


def source_mix(outlets: list[str], registry: Registry, labels: Labels, language: str) -> str | None:
    """"5 sources from 4 outlets in 3 countries: 1 wire, 2 newspapers, 1 state media"; the countries
    and kinds only as far as the registry knows them."""
    if not outlets:
        return None
    distinct = {outlet_key(name, registry): registry.resolve(name) for name in outlets}
    known = [outlet for outlet in distinct.values() if outlet is not None]
    text = _summary(outlets, distinct, labels, language)
    kinds = Counter(outlet.kind for outlet in known if outlet.kind)
    if kinds:
        text = i18n.fill(labels.source_mix_kinds, mix=text, kinds=", ".join(
            f"{kinds[kind]} {kind_name(kind, labels, kinds[kind], language)}" for kind in KINDS if kind in kinds))
    return text


def coverage(outlets: list[str], registry: Registry, labels: Labels, language: str) -> CoverageView | None:
    """The story's distinct outlets by kind, as a bar's parts in the registry's order of kinds (those it does
    not know last), with the summary and the countries in words; None without a registry to say kinds."""
    if not registry.present or not outlets:
        return None
    distinct = {outlet_key(name, registry): registry.resolve(name) for name in outlets}
    kinds = Counter((outlet.kind if outlet is not None and outlet.kind else "unknown") for outlet in distinct.values())
    segments, start = [], 0.0
    for kind in (*KINDS, "unknown"):
        if kinds[kind]:
            width = 100 * kinds[kind] / len(distinct)
            segments.append(CoverageSegment(kind, f"{kinds[kind]} {kind_name(kind, labels, kinds[kind], language)}",
                                            f"{start:.2f}", f"{width:.2f}"))
            start += width
    named = Counter(i18n.country_name(outlet.country, language) or outlet.country
                    for outlet in distinct.values() if outlet is not None and outlet.country)
    most_first = sorted(named.items(), key=lambda item: (-item[1], item[0]))
    countries = ", ".join(f"{name} {count}" for name, count in most_first)
    return CoverageView(_summary(outlets, distinct, labels, language), tuple(segments), countries or None)


def fact_view(html: Markup, outlets: list[str], registry: Registry) -> FactView:
    """A fact with how many distinct outlets back it, by the sources it cites, and that outlet's name when
    it is one."""
    count = len({outlet_key(name, registry) for name in outlets})
    return FactView(html, outlet_name(outlets[0], registry) if count == 1 else None, count)


CONCENTRATED = 0.5  # one outlet behind more than this share of a story's citations is worth saying
MIN_CITATIONS = 4  # below this, a share says little


def concentration(rendered: RenderedStory, registry: Registry, labels: Labels) -> str | None:
    """"10 of 14 citations are from Forbes": the source mix counts outlets, which hides how much one carries."""
    per_outlet: Counter[str] = Counter()
    names: dict[str, str] = {}
    for cited in rendered.sources:
        key = outlet_key(cited.source.outlet, registry)
        per_outlet[key] += len(cited.backrefs)
        names.setdefault(key, outlet_name(cited.source.outlet, registry))
    total = sum(per_outlet.values())
    if total < MIN_CITATIONS or len(per_outlet) < 2:
        return None
    key, count = per_outlet.most_common(1)[0]
    return i18n.fill(labels.concentration, count=count, total=total, outlet=names[key]) \
        if count > total * CONCENTRATED else None


def _summary(outlets: list[str], distinct: dict[str, Outlet | None], labels: Labels, language: str) -> str:
    """"5 sources from 4 outlets in 3 countries" (the countries as far as the registry knows them)."""
    sources = count_text(labels, "source_count", len(outlets), language)
    outlet_count = count_text(labels, "outlet_count", len(distinct), language)
    countries = {outlet.country for outlet in distinct.values() if outlet is not None and outlet.country}
    if countries:
        return i18n.fill(labels.source_mix_countries, sources=sources, outlets=outlet_count,
                         countries=count_text(labels, "country_count", len(countries), language))
    return i18n.fill(labels.source_mix, sources=sources, outlets=outlet_count)


def count_text(labels: Labels, key: str, number: int, language: str) -> str:
    """"3 sources": `key_one` or `key_other` by the language's plural rule, with `{count}` filled."""
    return i18n.fill(getattr(labels, i18n.plural_key(key, number, language)), count=number)


def kind_name(kind: str | None, labels: Labels, number: int = 1, language: str = i18n.ENGLISH) -> str | None:
    """An outlet's kind in words, as many as `number` of them: "state media", "newspapers"."""
    if kind is None:
        return None
    return str(getattr(labels, i18n.plural_key(f"outlet_{kind.replace('-', '_')}", number, language)))
