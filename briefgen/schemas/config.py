"""The site configuration's schema (config.schema.json): what each key of briefgen.yaml means and holds.

The keys are config.py's own, every label among them (`Labels`), and the warnings a site may ignore
are diagnostics.py's: a key the build knows without a rule here, or a rule for a key it does not
know, stops the schema being made. A label's description names its default from `Labels` itself.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from briefgen.core.diagnostics import WARNING_CODES
from briefgen.schemas.rules import keyed
from briefgen.settings.config import TOP_KEYS, Labels

TITLE = "briefgen site configuration"
DESCRIPTION = "briefgen.yaml at the site root; every key is optional."
FLAG: dict[str, Any] = {
    'type': ['boolean', 'string'],
    'pattern': '^(?:[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$',
    'patternErrorMessage': 'Write true or false.'}

PROPERTIES: dict[str, Any] = {
    'title': {'$ref': '#/definitions/nonBlank',
              'title': 'Site title',
              'description': "The site's name, in every page's title and in the feeds."},
    'base_url': {'title': 'Base URL',
                 'description': 'The address the site is served from, e.g. https://news.example.org/.',
                 'type': 'string',
                 'pattern': '^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]',
                 'patternErrorMessage': 'Write an http or https address, e.g. https://news.example.org/.'},
    'language': {'$ref': '#/definitions/nonBlank',
                 'title': 'Language',
                 'description': "The site's language tag, e.g. en or en-GB (default: en)."},
    'description': {'$ref': '#/definitions/nonBlank',
                    'title': 'Description',
                    'description': 'What the site is about, for feeds and link previews.'},
    'theme': {'$ref': '#/definitions/folderName',
              'title': 'Theme',
              'description': 'themes/<name>/ in the site, else the built-in one (default: default).'},
    'output_dir': {'$ref': '#/definitions/folderName',
                   'title': 'Output folder',
                   'description': 'Where the site is written (default: public).'},
    'per_page': {'title': 'Stories per page',
                 'description': 'How many stories a list page shows (default: 10).',
                 'type': 'integer',
                 'minimum': 1},
    'feed_limit': {'title': 'Feed entries',
                   'description': 'How many entries each Atom and JSON feed carries (default: 20).',
                   'type': 'integer',
                   'minimum': 1},
    'search': {'title': 'Search',
               'description': 'true (the default): a Pagefind index and a search box on every page.',
               **FLAG},
    'editions': {'title': 'Editions',
                 'description': "true: a page for each day's stories under /editions/, a feed of them, and `briefgen "
                                'edition` (default: false).',
                 **FLAG},
    'share_cards': {'title': 'Share cards',
                    'description': "true (the default): a picture of each story's kind, title and the site's "
                                   'name for link previews, when neither the story nor the site names an image.',
                    **FLAG},
    'time_zone': {'$ref': '#/definitions/nonBlank',
                  'title': 'Time zone',
                  'description': 'The IANA time zone whose days the editions follow, e.g. Europe/Paris (default: '
                                 'UTC).'},
    'image': {'title': 'Image',
              'description': 'Link-preview image of pages without their own: an http(s) address or a path on the '
                             'site.',
              'type': 'string',
              'pattern': '^\\s*(?:/|[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#])',
              'patternErrorMessage': "Write an http or https address, or a path on the site starting with '/'."},
    'image_alt': {'$ref': '#/definitions/nonBlank',
                  'title': 'Image alt text',
                  'description': "What the site's image shows, for readers who cannot see it (default: the site's "
                                 'title).'},
    'twitter': {'title': 'Twitter / X handle',
                'description': "The site's account, as twitter:site in link previews: quoted, e.g. '@briefings'.",
                'type': 'string',
                'pattern': '^\\s*@[A-Za-z0-9_]{1,15}\\s*$',
                'patternErrorMessage': "Write an @ and 1 to 15 letters, digits or underscores, quoted: '@briefings'."},
    'markdown': {'title': 'Markdown',
                 'description': 'How story Markdown is rendered.',
                 'type': 'object',
                 'additionalProperties': False,
                 'properties': {'unsafe_html': {'title': 'Unsafe HTML',
                                                'description': 'true lets raw HTML in Markdown through (default: '
                                                               'false).',
                                                **FLAG}}},
    'ignore_warnings': {'title': 'Warnings to ignore',
                        'description': 'Warning codes this site lives with: build and check no longer report them '
                                       '(errors cannot be ignored).',
                        'type': 'array',
                        'uniqueItems': True,
                        'items': {'type': 'string',
                                  'enum': sorted(WARNING_CODES)}}}

DEFINITIONS: dict[str, Any] = {
    'nonBlank': {'type': 'string', 'pattern': '\\S', 'patternErrorMessage': 'This cannot be empty.'},
    'folderName': {'type': 'string',
                   'allOf': [{'pattern': '\\S', 'patternErrorMessage': 'This cannot be empty.'},
                             {'pattern': '^(?!\\s*\\.\\.?\\s*$)', 'patternErrorMessage': "This cannot be '.' or '..'."},
                             {'pattern': '^[^\\x00]*$', 'patternErrorMessage': 'This cannot hold a NUL character.'},
                             {'pattern': '^(?![\\s\\S]*[^/]{256})',
                              'patternErrorMessage':
                                  'A folder name longer than 255 bytes is refused by file systems.'}]}}

LABELS_RULE: dict[str, Any] = {
    'title': 'Labels',
    'description': 'Section names as pages show them, to rename or translate them.',
    'type': 'object',
    'additionalProperties': False}

# Each label's title and description; "{default}" in it is the label's default (none when empty).
LABELS: dict[str, Any] = {
    'summary': ('Summary', 'Heading over the summary (default: {default}).'),
    'facts': ('Facts', 'Heading of the facts section (default: {default}).'),
    'narratives': ('Narratives', 'Heading of the narratives section (default: {default}).'),
    'provided_by': ('Provided by', "Words before a narrative's provider (default: {default})."),
    'contra': ('Contra', 'Heading of the counter-view (default: {default}).'),
    'sources': ('Sources', 'Heading of the source list (default: {default}).'),
    'notes': ('Notes', "Heading of the body's own footnotes (default: {default})."),
    'tags': ('Tags', "Name of a story's tag list and of each tag page (default: {default})."),
    'published': ('Published', 'Word before the publication date (default: {default}).'),
    'updated': ('Updated', 'Word before the updated date (default: {default}).'),
    'paywall': ('Paywall', 'Mark of a source behind a paywall (default: {default}).'),
    'newer': ('Newer', 'Link to the newer page of a list (default: {default}).'),
    'older': ('Older', 'Link to the older page of a list (default: {default}).'),
    'all_tags': ('All tags', 'Title of the tag index and its link in the menu (default: {default}).'),
    'contents': ('Contents', "Heading of a story's table of contents (default: {default})."),
    'search': ('Search', 'Label of the search box (default: {default}).'),
    'outlets': ('Outlets', 'Title of the outlet index and its link in the menu (default: {default}).'),
    'corrections': ('Corrections', "Heading of a story's corrections (default: {default})."),
    'thread': ('Thread', "Heading of a story's thread (default: {default})."),
    'later': ('Later', 'Word before the stories that follow this one up (default: {default}).'),
    'colon': ('Colon',
              'What stands between a word or a date and what it introduces, spaces included (default: ": "; French: '
              'a no-break space, then ": ").'),
    'semicolon': ('Semicolon',
                  'What stands between the items of a run-in list, spaces included (default: "; "; French: a narrow '
                  'no-break space, then "; ").'),
    'facts_single_outlet': ('Facts single outlet',
                            'Said once under the facts when every fact rests on a single outlet (default: '
                            '{default}).'),
    'concentration': ('Concentration',
                      'Said under the source mix when one outlet carries most citations; {count}, {total} and '
                      '{outlet} (default: {default}).'),
    'earlier': ('Earlier', 'Word before the story this one follows up, at the top of its page (default: {default}).'),
    'related': ('Related', 'Heading of the related stories (default: {default}).'),
    'skip_to_content': ('Skip link', 'The first link of every page, to jump past the header (default: {default}).'),
    'site_navigation': ('Site navigation', "Accessible name of the site's menu (default: {default})."),
    'latest': ('Latest', 'Menu link to the home page (default: {default}).'),
    'feed': ('Feed', 'Menu link to the Atom feed (default: {default}).'),
    'latest_briefings': ('Latest briefings', 'Heading of the home page (default: {default}).'),
    'page_title': ('Page title', "A list page's number in the window title; {number} (default: {default})."),
    'page_heading': ('Page heading',
                     "Heading of the home page's later pages; {title} and {number} (default: {default})."),
    'page_of': ('Page of', 'Where a list page stands; {number} and {total} (default: {default}).'),
    'pages': ('Pages', 'Accessible name of the page navigation (default: {default}).'),
    'no_stories': ('No stories', 'A list with no stories (default: {default}).'),
    'no_tags': ('No tags', 'The tag index with no tags (default: {default}).'),
    'no_outlets': ('No outlets', 'The outlet index with no outlets (default: {default}).'),
    'editions': ('Editions', "The editions' index, in the navigation (default: {default})."),
    'edition_title': ('Edition of {date}', "A day's edition; {date} is its day (default: {default})."),
    'no_editions': ('No editions', "The editions' index with no editions (default: {default})."),
    'edition_view_online': ('Read this edition on the web',
                            "The link of an edition's email to its page (default: {default})."),
    'draft': ('Draft', 'Mark on a draft story (default: {default}).'),
    'scheduled': ('Scheduled', 'Mark on a story dated later, shown by `build -F` or `serve -F` (default: {default}).'),
    'kind_news': ('News', "Kind of work above a news story's title (default: {default})."),
    'kind_analysis': ('Analysis', "Kind of work above an analysis' title (default: {default})."),
    'kind_opinion': ('Opinion', "Kind of work above an opinion piece's title (default: {default})."),
    'kind_explainer': ('Explainer', "Kind of work above an explainer's title (default: {default})."),
    'reading_time': ('Reading time', "A story's reading time; {minutes} (default: {default})."),
    'byline': ('Byline', "Word before a story's authors (default: {default})."),
    'by': ('By (source)', "Word before a source's author (default: {default})."),
    'single_outlet': ('Single outlet',
                      'Mark on a fact whose sources are all one outlet, in brackets (default: {default}).'),
    'more_on': ('More on', "Link to a provider's outlet page; {name} (default: {default})."),
    'about_outlet': ('About outlet',
                     "Link to a source's outlet page when its kind and country are unknown; {name} (default: "
                     '{default}).'),
    'summary_section': ('Summary section',
                        "The summary's name in back-link names when `summary` is empty (default: {default})."),
    'body_section': ('Body section', "The story text's name in back-link names (default: {default})."),
    'cite_source': ('Citation of a source',
                    'Accessible name of a citation number; {number} and {outlet} (default: {default}).'),
    'cite_note': ('Citation of a note', "Accessible name of a note's number; {number} (default: {default})."),
    'backref': ('Back-link', 'Accessible name of a back-link; {target} and {section} (default: {default}).'),
    'backref_numbered': ('Numbered back-link',
                         'The same, when a source is cited more than once; {index}, {target}, {section} (default: '
                         '{default}).'),
    'backref_source': ('Back-link target: source',
                       'A source in back-link names; {number} and {outlet} (default: {default}).'),
    'backref_note': ('Back-link target: note', 'A note in back-link names; {number} (default: {default}).'),
    'source_mix': ('Source mix', 'The line under Sources; {sources} and {outlets} (default: {default}).'),
    'source_mix_countries': ('Source mix with countries',
                             'The same when the outlet registry knows countries; {sources}, {outlets}, {countries} '
                             '(default: {default}).'),
    'source_mix_kinds': ('Source mix with kinds',
                         'The line followed by the kinds of outlet; {mix} and {kinds} (default: {default}).'),
    'source_count_one': ('Source count (one)',
                         "Sources counted in the source mix; {count}, where the language's plural rule says one "
                         '(default: {default}).'),
    'source_count_other': ('Source count (other)',
                           'Sources counted in the source mix; {count}, otherwise (default: {default}).'),
    'outlet_count_one': ('Outlet count (one)',
                         "Outlets counted in the source mix; {count}, where the language's plural rule says one "
                         '(default: {default}).'),
    'outlet_count_other': ('Outlet count (other)',
                           'Outlets counted in the source mix; {count}, otherwise (default: {default}).'),
    'country_count_one': ('Country count (one)',
                          "Countries counted in the source mix; {count}, where the language's plural rule says one "
                          '(default: {default}).'),
    'country_count_other': ('Country count (other)',
                            'Countries counted in the source mix; {count}, otherwise (default: {default}).'),
    'outlet_wire_one': ('Outlet kind: wire', 'An outlet of kind wire (default: {default}).'),
    'outlet_wire_other': ('Outlet kind: wires', 'Outlets of kind wire, counted (default: {default}).'),
    'outlet_newspaper_one': ('Outlet kind: newspaper', 'An outlet of kind newspaper (default: {default}).'),
    'outlet_newspaper_other': ('Outlet kind: newspapers', 'Outlets of kind newspaper, counted (default: {default}).'),
    'outlet_magazine_one': ('Outlet kind: magazine', 'An outlet of kind magazine (default: {default}).'),
    'outlet_magazine_other': ('Outlet kind: magazines', 'Outlets of kind magazine, counted (default: {default}).'),
    'outlet_broadcaster_one': ('Outlet kind: broadcaster', 'An outlet of kind broadcaster (default: {default}).'),
    'outlet_broadcaster_other': ('Outlet kind: broadcasters',
                                 'Outlets of kind broadcaster, counted (default: {default}).'),
    'outlet_online_one': ('Outlet kind: online outlet', 'An outlet of kind online (default: {default}).'),
    'outlet_online_other': ('Outlet kind: online outlets', 'Outlets of kind online, counted (default: {default}).'),
    'outlet_state_media_one': ('Outlet kind: state media', 'An outlet of kind state-media (default: {default}).'),
    'outlet_state_media_other': ('Outlet kind: state media',
                                 'Outlets of kind state-media, counted (default: {default}).'),
    'outlet_government_one': ('Outlet kind: government', 'An outlet of kind government (default: {default}).'),
    'outlet_government_other': ('Outlet kind: governments',
                                'Outlets of kind government, counted (default: {default}).'),
    'outlet_think_tank_one': ('Outlet kind: think tank', 'An outlet of kind think-tank (default: {default}).'),
    'outlet_think_tank_other': ('Outlet kind: think tanks',
                                'Outlets of kind think-tank, counted (default: {default}).'),
    'outlet_ngo_one': ('Outlet kind: NGO', 'An outlet of kind ngo (default: {default}).'),
    'outlet_ngo_other': ('Outlet kind: NGOs', 'Outlets of kind ngo, counted (default: {default}).'),
    'outlet_other_one': ('Outlet kind: other', 'An outlet of kind other (default: {default}).'),
    'outlet_other_other': ('Outlet kind: others', 'Outlets of kind other, counted (default: {default}).'),
    'outlet_unknown_one': ('Outlet of unknown kind',
                           "In a story's coverage, an outlet outlets.yaml does not know or gives no kind "
                           '(default: {default}).'),
    'outlet_unknown_other': ('Outlets of unknown kind',
                             "In a story's coverage, outlets outlets.yaml does not know or gives no kind, "
                             'counted (default: {default}).'),
    'coverage': ('Coverage', "The name of a story's coverage bar: its outlets by kind (default: {default})."),
    'close': ('Close', "The button that closes the source card a citation opens (default: {default})."),
    'countries': ('Countries', "Before the countries of a story's outlets (default: {default})."),
    'story_count_one': ('Story count (one)',
                        "Stories on a tag page; {count}, where the language's plural rule says one (default: "
                        '{default}).'),
    'story_count_other': ('Story count (other)', 'Stories on a tag page; {count}, otherwise (default: {default}).'),
    'thread_more_one': ('Stories left out (one)',
                        "In a long thread's window on a story page, where stories are left out; {count}, when it is "
                        'one (default: {default}).'),
    'thread_more_other': ('Stories left out (other)',
                          "In a long thread's window on a story page, where stories are left out; {count}, otherwise "
                          '(default: {default}).'),
    'whole_thread_one': ('Whole thread link (one)',
                         "The link from a story page to its long thread's own page; {count}, when it is one "
                         '(default: {default}).'),
    'whole_thread_other': ('Whole thread link (other)',
                           "The link from a story page to its long thread's own page; {count}, otherwise (default: "
                           '{default}).'),
    'thread_page': ('Thread page title',
                    "Title of a long thread's own page; {title} is its first story's (default: {default})."),
    'tag_feed': ('Tag feed', "Link to a tag's feed; {tag} (default: {default})."),
    'outlet_kind': ('Outlet kind', "An outlet page's 'Kind' (default: {default})."),
    'outlet_country': ('Outlet country', "An outlet page's 'Country' (default: {default})."),
    'outlet_website': ('Outlet website', "An outlet page's 'Website' (default: {default})."),
    'cited_in_one': ('Cited in (one)',
                     "How many stories cite an outlet; {count}, where the language's plural rule says one (default: "
                     '{default}).'),
    'cited_in_other': ('Cited in (other)',
                       'How many stories cite an outlet; {count}, otherwise (default: {default}).'),
    'provided_one': ('Narratives provided (one)',
                     "How many narratives an outlet provides; {count}, where the language's plural rule says one "
                     '(default: {default}).'),
    'provided_other': ('Narratives provided (other)',
                       'How many narratives an outlet provides; {count}, otherwise (default: {default}).'),
    'outlet_usage': ('Outlet usage', "An outlet's use; {cited} and {provided} (default: {default})."),
    'all_outlets': ('All outlets', 'Link from an outlet page to the outlet index (default: {default}).'),
    'not_found': ('Not found', 'Title and heading of the 404 page (default: {default}).'),
    'not_found_text': ('Not found text', "The 404 page's explanation."),
    'not_found_links': ('Not found links', "The 404 page's way on; {home} and {tags} are links (default: {default})."),
    'not_found_home': ('Not found: home link', "The 404 page's link home (default: {default})."),
    'not_found_tags': ('Not found: tags link', "The 404 page's link to the tags (default: {default})."),
    'search_unavailable': ('Search unavailable', 'Search status when the index cannot load (default: {default}).'),
    'search_none': ('No search results', 'Search status with no results; {query} (default: {default}).'),
    'search_found_one': ('Search results (one)', 'Search status, one result; {count} and {query}.'),
    'search_found_other': ('Search results (other)', 'Search status, more results; {count} and {query}.'),
    'cited_at': ('Cited at', 'Before a source\'s back-links (default: "Cited in").'),
    'no_link': ('No link', 'Beside a source without a URL (default: "no link given").'),
    'contra_intro': ('Contra intro', 'The line under the contra heading that says what it is.'),
    'credit': ('Credit', 'The name of the licence notice a story\'s credit is shown in (default: "Licence").')}


def config_schema() -> dict[str, Any]:
    defaults = {field.name: field.default for field in fields(Labels)}
    labels = {name: {"title": title, "description": text.replace("{default}", str(defaults[name]) or "none"),
                     "type": "string"} for name, (title, text) in LABELS.items()}
    properties = PROPERTIES | {"labels": LABELS_RULE | {"properties": keyed(defaults, labels, "labels")}}
    return {"title": TITLE, "description": DESCRIPTION, "type": "object", "additionalProperties": False,
            "properties": keyed(TOP_KEYS, properties, "briefgen.yaml"), "definitions": DEFINITIONS}
