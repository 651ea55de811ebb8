"""Write a deterministic synthetic briefgen site for benchmarks.

Usage:

    python bench/make_site.py N DIR [--seed S]

Writes DIR/briefgen.yaml and N briefing-shaped stories as DIR/content/<slug>.md,
following /work/shared/briefing-model.md: YAML front matter (title, dates, summary,
tags, authors, sources, facts in both forms, narratives, contra) and a ~350-word
Markdown body, about 700 words per story in all. Tags follow a long-tail (Zipf)
distribution over ~200 names, some with spaces, accents and punctuation.

The same N and seed always give byte-identical files: all randomness comes from
one random.Random(seed). The script refuses (exit 2) if DIR exists and is not
empty, so it never overwrites anything. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import unicodedata
from pathlib import Path
from typing import Any

NOUNS = """
account action advice agency agreement aid airport alliance analysis answer approach
area army attempt authority balance bank barrier basis battle border budget building
business cabinet campaign capacity capital career case central challenge change
channel charge choice citizen claim coast coalition command committee community
company concern conference conflict congress contract control council country court
crisis culture currency customer damage data deal debate decade decision defence
deficit delay demand deputy detail development dialogue difference direction
discussion dispute district doctrine draft economy effort election emergency energy
engine equipment estimate evidence exchange exercise export factor farmer figure
finance force forecast foreign framework freedom frontier fuel fund future growth
guidance harbour health history household impact import incident income increase
industry inflation influence initiative inquiry interest investment island issue
journey judge labour land language law leader league level loan majority manager
market measure media member message minister mission model moment network notice
number offer office official operation opinion order output owner panel parliament
partner party payment period permit plan platform policy port position power
pressure price priority process product programme project promise proposal
province public quarter question range rate reaction record reform region report
reserve resource response result revenue review right risk route rule safety
sanction schedule sector security senate series service session settlement share
signal situation source speech spending stake standard statement strategy strength
structure summit supply support surplus system talks target tariff tax team
territory threat trade treaty trend troops union unit value vessel vote wage warning
water weapon week worker
""".split()
OTHER_WORDS = """
accept achieve add admit agree allow announce argue arrive assess back become begin
believe block boost bring build call carry cause claim close commit compare confirm
consider continue cost cover cut decide decline defend deliver deny describe design
develop drive drop earn ease emerge enable ensure expand expect explain extend face
fail fall finish follow gain grow handle hold improve include increase intend
introduce invest join keep launch lead leave limit lower maintain manage meet move
need negotiate offer open oppose outline pass plan prepare press prevent produce
propose protect provide publish pursue raise reach receive reduce reject remain
replace report require resist restore reveal review rise seek sell send settle
shift show sign slow speak spend stand start stop strengthen suggest supply support
suspend take tighten track trigger urge warn weigh widen win withdraw
active annual broad careful central certain civil clear close common complex
critical current direct domestic early economic effective environmental federal
final financial firm fiscal formal former fresh full general global gradual high
historic initial internal joint key large late legal local long main major modest
military mutual narrow national natural new open political popular possible private
public quick rapid rare recent regional regular renewed rural senior serious sharp
short significant similar slow small social solid special stable steady strategic
strong sudden technical temporary tight total urban usual vital wide
about across after against ahead almost already also although among around because
before behind below beyond despite during either further however instead later
likely meanwhile more most nearly never often only perhaps quite rather since soon
still through together toward under until within without yet
""".split()
WORDS = NOUNS + OTHER_WORDS

# Ordered from most to least common; a few awkward names sit near the top so that
# small sites use them too.
TAGS = """
United States|China|Economy|Politics|Europe|North Korea|Defense|Trade|Japan|AI/ML
Energy|Russia|Climate|Côte d'Ivoire|India|Elections|Technology|Ukraine|Health|C#
Markets|Germany|United Kingdom|Security|São Paulo|Inflation|Migration|R&D|France
Middle East|Diplomacy|Brazil|Supply chains|Oil & gas|South Korea|Taiwan|Iran
Central banks|Labour|Türkiye|Semiconductors|Agriculture|Africa|Israel|Canada
Mexico|Australia|Indonesia|Nigeria|Saudi Arabia|Space|Cybersecurity|Education
Housing|Public debt|Sanctions|Shipping|Infrastructure|Tariffs|Automotive|Banking
Pakistan|Egypt|Vietnam|Philippines|Poland|Italy|Spain|NATO|United Nations
European Union|G7|G20|COVID-19|Vaccines|Pharmaceuticals|Biotech|Water|Food security
Wildfires|Floods|Drought|Renewables|Nuclear power|Coal|Mining|Lithium|Copper
Gold|Cryptocurrency|Fintech|Startups|Venture capital|Antitrust|Privacy|Social media
Telecoms|5G|Cloud computing|Robotics|Quantum computing|Electric vehicles|Aviation
Railways|Tourism|Retail|Consumer spending|Jobs|Wages|Pensions|Taxation|Budget
Courts|Supreme Court|Human rights|Press freedom|Protests|Corruption|Terrorism
Arms control|Missiles|Navy|Army|Air force|Peacekeeping|Refugees|Borders|Customs
Argentina|Chile|Colombia|Peru|Venezuela|Cuba|Kenya|Ethiopia|South Africa|Ghana
Senegal|Morocco|Algeria|Tunisia|Libya|Sudan|Qatar|UAE|Oman|Iraq|Syria|Lebanon
Jordan|Afghanistan|Bangladesh|Sri Lanka|Nepal|Myanmar|Thailand|Malaysia|Singapore
New Zealand|Greece|Portugal|Netherlands|Belgium|Sweden|Norway|Finland|Denmark
Ireland|Austria|Switzerland|Hungary|Romania|Czechia|Serbia|Georgia|Armenia
Azerbaijan|Kazakhstan|Mongolia|Arctic|Antarctica|Pacific Islands|Caribbean
Fisheries|Forestry|Biodiversity|Oceans|Plastics|Recycling|Carbon markets|Hydrogen
Batteries|Grid|Heatwaves|Public health|Mental health|Science|Research|Universities
Culture|Sport|Film|Music|Books|Museums|Heritage|Religion|Demographics|Ageing
Cities|Transport|Ports|Logistics|Insurance|Real estate|Bonds|Stocks|Currencies
""".replace("\n", "|").strip("|").split("|")

# (outlet, domain); the source id is derived from the outlet name.
OUTLETS = [
    ("Reuters", "reuters.com"), ("Associated Press", "apnews.com"),
    ("BBC News", "bbc.co.uk"), ("The Guardian", "theguardian.com"),
    ("Financial Times", "ft.com"), ("The Economist", "economist.com"),
    ("Forbes", "forbes.com"), ("Bloomberg", "bloomberg.com"),
    ("The Japan Times", "japantimes.co.jp"), ("The Economic Times", "economictimes.com"),
    ("Le Monde", "lemonde.fr"), ("Der Spiegel", "spiegel.de"), ("El País", "elpais.com"),
    ("Al Jazeera", "aljazeera.com"), ("Nikkei Asia", "asia.nikkei.com"),
    ("The Hindu", "thehindu.com"), ("South China Morning Post", "scmp.com"),
    ("Politico", "politico.com"), ("Axios", "axios.com"), ("NPR", "npr.org"),
    ("The Wall Street Journal", "wsj.com"), ("The New York Times", "nytimes.com"),
    ("The Washington Post", "washingtonpost.com"), ("CNBC", "cnbc.com"),
    ("Deutsche Welle", "dw.com"), ("France 24", "france24.com"),
    ("Yonhap", "en.yna.co.kr"), ("ABC Australia", "abc.net.au"),
    ("Folha de S.Paulo", "folha.uol.com.br"), ("Nature", "nature.com"),
]
PAYWALLED = {"Financial Times", "The Economist", "Bloomberg", "The Wall Street Journal",
             "The New York Times", "Nikkei Asia"}

PROVIDERS = [
    ("CSIS", "csis.org"), ("Brookings", "brookings.edu"), ("Chatham House", "chathamhouse.org"),
    ("RAND", "rand.org"), ("Carnegie Endowment", "carnegieendowment.org"),
    ("Council on Foreign Relations", "cfr.org"), ("Bruegel", "bruegel.org"),
    ("Global Times", "globaltimes.cn"), ("Cato Institute", "cato.org"),
    ("Heritage Foundation", "heritage.org"), ("Lowy Institute", "lowyinstitute.org"),
    ("ECFR", "ecfr.eu"),
]
STANCES = ["Pro-trade", "Anti-China", "Security-first", "Sceptical", "Optimistic",
           "Market", "Regional", "Humanitarian", "Hawkish", "Dovish", "Reformist",
           "Cautious"]
FIRST_NAMES = ["Zachary", "Amara", "Hiroshi", "Léa", "Mateo", "Priya", "Jonas", "Chen",
               "Fatima", "Olumide", "Ingrid", "José", "Siobhan", "Dmitri", "Aisha", "Noah"]
LAST_NAMES = ["Folk", "Okafor", "Tanaka", "Müller", "Álvarez", "Sharma", "Lindqvist",
              "Wang", "Haddad", "Adeyemi", "O'Brien", "Novak", "Kowalski", "Nguyen"]
DATELINES = ["TOKYO", "WASHINGTON", "BRUSSELS", "NAIROBI", "SÃO PAULO", "NEW DELHI",
             "LONDON", "SEOUL", "BERLIN", "JAKARTA"]
UTC_OFFSETS = [9, -5, 0, 1, -8, 5.5, 3]  # hours
FIRST_DAY = dt.date(2019, 1, 1)
DAYS_SPAN = 6 * 365
# Zipf-like: the tag of rank r is drawn with weight 1 / r**1.1.
TAG_CUM_WEIGHTS = list(itertools.accumulate(1.0 / rank**1.1 for rank in range(1, len(TAGS) + 1)))

Story = dict[str, Any]


_JSON = json.JSONEncoder(ensure_ascii=False)


def q(text: str) -> str:
    """Quote a scalar for YAML: a JSON string is a valid YAML double-quoted string."""
    return _JSON.encode(text)


def slugify(text: str) -> str:
    """ASCII [a-z0-9-]+ from any text: "El País" -> "el-pais"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


SOURCE_IDS = {outlet: slugify(outlet) for outlet, _ in OUTLETS}


def sentence(rng: random.Random, lo: int = 10, hi: int = 18) -> list[str]:
    """A sentence as a list of words; the first is capitalised, the last ends in '.'."""
    words = rng.choices(WORDS, k=rng.randint(lo, hi))
    words[0] = words[0].capitalize()
    words[-1] += "."
    return words


def prose(rng: random.Random, target_words: int) -> str:
    """Sentences until about target_words words."""
    words: list[str] = []
    while len(words) < target_words - 6:
        words += sentence(rng)
    return " ".join(words)


def lede(rng: random.Random) -> str:
    """A summary as writers are asked for one: a sentence or two a feed card shows whole (200 characters)."""
    text = " ".join(sentence(rng, 8, 14))
    while len(text) > 200:
        text = " ".join(sentence(rng, 8, 14))
    second = " ".join(sentence(rng, 4, 8))
    return f"{text} {second}" if len(text) + 1 + len(second) <= 200 else text


def pick_tags(rng: random.Random) -> list[str]:
    count = rng.randint(2, 5)
    tags: list[str] = []
    while len(tags) < count:
        tag = rng.choices(TAGS, cum_weights=TAG_CUM_WEIGHTS)[0]
        if tag not in tags:
            tags.append(tag)
    return tags


def pick_dates(rng: random.Random) -> tuple[dt.date, str, str | None]:
    """The story's day, its `date` value and an optional later `updated` value."""
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS_SPAN))
    is_updated = rng.random() < 0.25
    if rng.random() < 0.08:
        offset = dt.timezone(dt.timedelta(hours=rng.choice(UTC_OFFSETS)))
        start = dt.datetime(day.year, day.month, day.day, rng.randrange(24),
                            rng.choice([0, 15, 30, 45]), tzinfo=offset)
        later = start + dt.timedelta(hours=rng.randint(1, 96))
        return day, start.isoformat(), later.isoformat() if is_updated else None
    later_day = day + dt.timedelta(days=rng.randint(1, 30))
    return day, day.isoformat(), later_day.isoformat() if is_updated else None


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def headline(rng: random.Random, lo: int, hi: int) -> str:
    """A sentence without its full stop; ASCII words only, so cheap to slug."""
    return " ".join(sentence(rng, lo, hi))[:-1]


def headline_slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def make_sources(rng: random.Random, day: dt.date) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    for outlet, domain in rng.sample(OUTLETS, 4):
        title = headline(rng, 6, 11)
        source: dict[str, Any] = {
            "id": SOURCE_IDS[outlet], "outlet": outlet, "title": title,
            "url": f"https://{domain}/{day.year}/{day.month:02d}/{headline_slug(title)}",
        }
        if rng.random() < 0.5:
            source["author"] = person(rng)
        if rng.random() < 0.5:
            source["date"] = (day - dt.timedelta(days=rng.randint(0, 3))).isoformat()
        if outlet in PAYWALLED:
            source["paywall"] = True
        sources.append(source)
    return sources


def make_facts(rng: random.Random, ids: list[str]) -> list[str | dict[str, Any]]:
    """5-8 facts; the first four cite every source once, so all sources are cited."""
    facts: list[str | dict[str, Any]] = []
    for i in range(rng.randint(5, 8)):
        cited = [ids[i % len(ids)]]
        if rng.random() < 0.4:
            cited.append(rng.choice([s for s in ids if s not in cited]))
        text = " ".join(sentence(rng, 12, 20))
        if rng.random() < 0.5:
            facts.append({"text": text, "sources": cited})
        else:
            facts.append(text + "".join(f" [^{s}]" for s in cited))
    return facts


def make_narratives(rng: random.Random) -> list[dict[str, Any]]:
    narratives: list[dict[str, Any]] = []
    count = rng.randint(2, 3)
    for stance, (provider, domain) in zip(rng.sample(STANCES, count), rng.sample(PROVIDERS, count)):
        narrative: dict[str, Any] = {"label": f"{stance} narrative", "provider": provider}
        if rng.random() < 0.5:
            narrative["url"] = f"https://{domain}/analysis/{headline_slug(headline(rng, 3, 6))}"
        narrative["text"] = prose(rng, 60)
        narratives.append(narrative)
    return narratives


def decorate(rng: random.Random, words: list[str]) -> None:
    """Mark up one inner word of a sentence in place: bold, emphasis, code or a link."""
    i = rng.randrange(1, len(words) - 1)
    word, kind = words[i], rng.randrange(4)
    if kind == 0:
        words[i] = f"**{word}**"
    elif kind == 1:
        words[i] = f"_{word}_"
    elif kind == 2:
        words[i] = f"`{word}_{rng.choice(WORDS)}`"
    else:
        words[i] = f"[{word}](https://example.com/{word})"


def paragraph(rng: random.Random, sentences: int = 4) -> list[list[str]]:
    result = [sentence(rng) for _ in range(sentences)]
    for words in rng.sample(result, 2):
        decorate(rng, words)
    return result


def question_heading(rng: random.Random) -> str:
    a, b = rng.sample(NOUNS, 2)
    return rng.choice([f"What does the {a} mean for the {b}?", f"Why does the {a} matter?",
                       f"How will the {a} affect the {b}?", f"Who decides the {a}?"])


def plain_heading(rng: random.Random) -> str:
    return rng.choice(["Key background", "What happens next", "The wider picture",
                       f"The {rng.choice(NOUNS)} in context"])


def make_body(rng: random.Random, ids: list[str]) -> str:
    """~350 words: 2-3 headed sections, a list, inline markup, source refs, maybe a note."""
    section_count = rng.randint(2, 3)
    sections = [[paragraph(rng) for _ in range(6 // section_count)] for _ in range(section_count)]
    paragraphs = [p for section in sections for p in section]
    for source_id, para in zip(rng.sample(ids, 2), rng.sample(paragraphs, 2)):
        rng.choice(para).append(f"[^{source_id}]")
    has_note = rng.random() < 1 / 3
    if has_note:
        rng.choice(rng.choice(paragraphs)).append("[^aside]")
    list_section = rng.randrange(section_count)
    blocks: list[str] = []
    for n, section in enumerate(sections):
        heading = question_heading(rng) if rng.random() < 0.5 else plain_heading(rng)
        blocks.append(f"## {heading}")
        blocks += [" ".join(w for s in para for w in s) for para in section]
        if n == list_section:
            blocks.append("\n".join(f"- {headline(rng, 4, 8)}" for _ in range(4)))
    if has_note:
        blocks.append(f"[^aside]: {' '.join(sentence(rng))}")
    return "\n\n".join(blocks) + "\n"


def make_story(rng: random.Random, number: int, width: int) -> tuple[str, Story, str]:
    """Return (slug, front matter, body) for story number `number`."""
    title = headline(rng, 5, 9)
    slug = f"story-{number:0{width}d}-{headline_slug(' '.join(title.split()[:4]))}"
    tags = pick_tags(rng)
    if rng.random() < 0.3:
        title = f"{tags[0]}: {title}"
    day, date, updated = pick_dates(rng)
    story: Story = {"title": title, "date": date}
    if updated:
        story["updated"] = updated
    story["summary"] = lede(rng)
    story["tags"] = tags
    story["authors"] = [person(rng)]
    if rng.random() < 0.4:
        story["dateline"] = rng.choice(DATELINES)
    sources = make_sources(rng, day)
    ids = [str(s["id"]) for s in sources]
    story["sources"] = sources
    story["facts"] = make_facts(rng, ids)
    story["narratives"] = make_narratives(rng)
    story["contra"] = {"text": prose(rng, 60), "sources": rng.sample(ids, rng.randint(1, 2))}
    if rng.random() < 0.2:
        story["credit"] = f"This article was written by {story['authors'][0]} for Example Wire."
    return slug, story, make_body(rng, ids)


def yaml_item(mapping: dict[str, Any], indent: str) -> list[str]:
    """A mapping as a block-sequence item: the first key after '- '."""
    lines: list[str] = []
    for i, (key, value) in enumerate(mapping.items()):
        prefix = f"{indent}- " if i == 0 else f"{indent}  "
        lines.append(f"{prefix}{key}: {yaml_scalar(key, value)}")
    return lines


def yaml_scalar(key: str, value: object) -> str:
    if key in ("date", "updated"):
        return str(value)  # unquoted, so YAML reads a date or datetime
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    return q(str(value))


def render_story(story: Story, body: str) -> str:
    lines = ["---"]
    for key, value in story.items():
        if key in ("sources", "narratives"):
            lines.append(f"{key}:")
            for item in value:
                lines += yaml_item(item, "  ")
        elif key == "facts":
            lines.append("facts:")
            for fact in value:
                lines += yaml_item(fact, "  ") if isinstance(fact, dict) else [f"  - {q(fact)}"]
        elif key == "contra":
            lines.append("contra:")
            lines += [f"  {k}: {yaml_scalar(k, v)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {yaml_scalar(key, value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def story_word_count(story: Story, body: str) -> int:
    """Words of prose: title, summary, facts, narratives, contra and body."""
    facts = [f["text"] if isinstance(f, dict) else f for f in story["facts"]]
    parts = [story["title"], story["summary"], *facts, body,
             story["contra"]["text"],
             *(n["text"] for n in story["narratives"])]
    return sum(len(str(p).split()) for p in parts)


def site_config(count: int) -> str:
    return "\n".join([
        f"title: {q('Synthetic Briefings')}",
        f"base_url: {q('https://example.org/')}",
        "language: en",
        f"description: {q(f'A synthetic briefgen site of {count} stories for benchmarks.')}",
        "per_page: 20",
    ]) + "\n"


def write_file(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def write_site(count: int, root: Path, seed: int) -> tuple[int, int]:
    """Write the site; return (words, bytes)."""
    rng = random.Random(seed)
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    total_bytes = write_file(root / "briefgen.yaml", site_config(count))
    total_words = 0
    width = max(5, len(str(count)))
    for number in range(1, count + 1):
        slug, story, body = make_story(rng, number, width)
        total_words += story_word_count(story, body)
        total_bytes += write_file(content / f"{slug}.md", render_story(story, body))
    return total_words, total_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic briefgen site.")
    parser.add_argument("count", metavar="N", type=int, help="number of stories")
    parser.add_argument("root", metavar="DIR", type=Path, help="output directory (new or empty)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("N must not be negative")
    root: Path = args.root
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        print(f"make_site: {root} exists and is not an empty directory; refusing to write",
              file=sys.stderr)
        return 2
    words, size = write_site(args.count, root, args.seed)
    print(f"wrote {args.count} stories ({words} words, {size} bytes) to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
