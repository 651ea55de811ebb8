"""The story schema's rules (story.schema.json): what each front-matter key means and what it holds.

The keys, those required and the kinds of work are validate.py's and model.py's own: a key the build
knows without a rule here, or a rule for a key it does not know, stops the schema being made.
"""

from __future__ import annotations

from typing import Any

from briefgen.core.model import KINDS_OF_WORK
from briefgen.schemas.rules import keyed
from briefgen.story.validate import (AUTHOR_KEYS, CONTRA_KEYS, CORRECTION_KEYS, FACT_KEYS, MAX_TAGS, NARRATIVE_KEYS,
                                     REQUIRED_KEYS, SOURCE_ID, SOURCE_KEYS, STORY_KEYS)

TITLE = "briefgen story front matter"
DESCRIPTION = "The YAML front matter of a story, content/<slug>.md, between the two '---' lines."

PROPERTIES: dict[str, Any] = {
    'title': {'$ref': '#/definitions/text',
              'title': 'Title',
              'description': 'The headline, shown as written; required.'},
    'date': {'$ref': '#/definitions/moment',
             'title': 'Date',
             'description': 'The day the story is published (2024-03-25), or a time with its UTC offset; required.'},
    'updated': {'$ref': '#/definitions/optionalMoment',
                'title': 'Updated',
                'description': 'The day the story was last updated; not before `date`.'},
    'expires': {'$ref': '#/definitions/optionalMoment',
                'title': 'Expires',
                'description': 'From this day the story leaves lists and feeds (its page stays); after `date`.'},
    'slug': {'title': 'Slug',
             'description': "The story's address, /<slug>/; by default the file name without .md.",
             'type': ['string', 'integer', 'null'],
             'minimum': 0,
             'maxLength': 200,
             'pattern': '^[^\\s/\\\\.~-][^\\s/\\\\]*$',
             'patternErrorMessage': "Use letters, digits, '-', '_', '.' and '~', starting with a letter, digit or "
                                    "'_'; no spaces or slashes."},
    'summary': {'$ref': '#/definitions/text',
                'title': 'Summary',
                'description': 'One paragraph of inline Markdown that tells the story (the lede); required.'},
    'tags': {'title': 'Tags',
             'description': "Display names of the story's tags: a list, or one comma-separated text.",
             'type': ['array', 'string', 'null'],
             'maxItems': MAX_TAGS,
             'items': {'title': 'Tag',
                       'description': "A tag's display name; its URL slug is derived.",
                       'type': ['string', 'number']}},
    'authors': {'title': 'Authors',
                'description': 'Who wrote the story: a name, a {name, url}, or a list of them.',
                'anyOf': [{'$ref': '#/definitions/author'},
                          {'type': 'array', 'items': {'$ref': '#/definitions/author'}},
                          {'type': 'null'}]},
    'dateline': {'$ref': '#/definitions/optionalText',
                 'title': 'Dateline',
                 'description': 'Where the story was filed, e.g. TOKYO; shown beside the date.'},
    'language': {'type': ['string', 'null'],
                 'pattern': '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
                 'title': 'Language',
                 'description': "The story's own language tag (en, pt-BR), when it is written in another than the "
                                "site's: its text is marked with it, so a screen reader reads it with the right "
                                'voice.'},
    'draft': {'$ref': '#/definitions/optionalFlag',
              'title': 'Draft',
              'description': 'true: built only with `briefgen build --drafts`.'},
    'sources': {'title': 'Sources',
                'description': "The story's source registry, numbered 1..n in this order; cite them by id.",
                'type': ['array', 'null'],
                'items': {'$ref': '#/definitions/source'}},
    'facts': {'title': 'Facts',
              'description': 'The facts, at least one: a {text, sources} mapping, or a text citing inline with '
                             '[^id].',
              'type': 'array',
              'minItems': 1,
              'items': {'$ref': '#/definitions/fact'}},
    'narratives': {'title': 'Narratives',
                   'description': 'The story as told by named sides, each with a label, a provider and a text.',
                   'type': ['array', 'null'],
                   'items': {'$ref': '#/definitions/narrative'}},
    'contra': {'title': 'Contra',
               'description': 'The counter-view: a Markdown text, or a {text, sources} mapping.',
               'anyOf': [{'type': ['string', 'null']}, {'$ref': '#/definitions/contra'}]},
    'credit': {'$ref': '#/definitions/optionalText',
               'title': 'Credit',
               'description': 'Licensing or syndication footer, shown as written.'},
    'image': {'title': 'Image',
              'description': 'Link-preview image: an http(s) address or a path on the site such as /img/quay.jpg.',
              'type': ['string', 'null'],
              'pattern': '^\\s*(?:/|[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#])',
              'patternErrorMessage': "Write an http or https address, or a path on the site starting with '/'."},
    'image_alt': {'$ref': '#/definitions/optionalText',
                  'title': 'Image alt text',
                  'description': 'What the image shows, for readers who cannot see it (default: the title).'},
    'extra': {'title': 'Extra',
              'description': 'Keys of your own, for your templates; the build does not check them.',
              'type': ['object', 'null']},
    'corrections': {'title': 'Corrections',
                    'description': 'Dated corrections, shown near the top; `updated` follows the latest.',
                    'type': ['array', 'null'],
                    'items': {'$ref': '#/definitions/correction'}},
    'follows': {'title': 'Follows',
                'description': 'The slug of the earlier story this one follows up, making a thread.',
                'type': ['string', 'integer', 'null'],
                'minimum': 0,
                'pattern': '^[^\\s/\\\\.~-][^\\s/\\\\]*$',
                'patternErrorMessage': "Use letters, digits, '-', '_', '.' and '~', starting with a letter, digit or "
                                       "'_'; no spaces or slashes."},
    'kind': {'title': 'Kind of work',
             'description': 'news (the default), analysis, opinion or explainer: the label above the title.'}}

SOURCE: dict[str, Any] = {
    'id': {'$ref': '#/definitions/sourceId',
           'title': 'Source id',
           'description': "How facts, the contra and the body ([^id]) cite it: a-z, 0-9 and '-', unique."},
    'outlet': {'$ref': '#/definitions/text',
               'title': 'Outlet',
               'description': 'Who published it, shown as written; an outlets.yaml id or name links it.'},
    'title': {'$ref': '#/definitions/optionalText', 'title': 'Headline', 'description': "The cited piece's headline."},
    'url': {'$ref': '#/definitions/webAddress',
            'title': 'Address',
            'description': 'Where the cited piece is: an http or https address.'},
    'author': {'$ref': '#/definitions/optionalText', 'title': 'Author', 'description': 'Who wrote the cited piece.'},
    'date': {'$ref': '#/definitions/optionalMoment',
             'title': 'Date',
             'description': 'When the cited piece was published.'},
    'paywall': {'$ref': '#/definitions/optionalFlag',
                'title': 'Paywall',
                'description': 'true: the cited piece is behind a paywall (marked in the list).'}}

FACT: dict[str, Any] = {
    'text': {'$ref': '#/definitions/text', 'title': 'Fact', 'description': 'The fact, in inline Markdown.'},
    'sources': {'$ref': '#/definitions/citations', 'title': 'Sources',
                'description': 'Ids of the sources it rests on: a list such as [forbes, reuters].'}}

NARRATIVE: dict[str, Any] = {
    'label': {'$ref': '#/definitions/text', 'title': 'Label',
              'description': 'What the narrative is called, e.g. Anti-China narrative.'},
    'provider': {'$ref': '#/definitions/optionalText', 'title': 'Provider',
                 'description': 'Who tells it this way, shown as "as provided by <provider>".'},
    'url': {'$ref': '#/definitions/webAddress', 'title': 'Address',
            'description': "A link to the provider's piece: an http or https address."},
    'text': {'$ref': '#/definitions/text', 'title': 'Text', 'description': 'The narrative, in Markdown.'}}

CONTRA: dict[str, Any] = {
    'text': {'$ref': '#/definitions/text', 'title': 'Text', 'description': 'The counter-view, in Markdown.'},
    'sources': {'$ref': '#/definitions/citations', 'title': 'Sources',
                'description': 'Ids of the sources it rests on: a list such as [forbes].'}}

CORRECTION: dict[str, Any] = {
    'date': {'$ref': '#/definitions/moment', 'title': 'Date',
             'description': "When the story was corrected; not before the story's `date`."},
    'text': {'$ref': '#/definitions/text', 'title': 'Text',
             'description': 'What was wrong, e.g. An earlier version gave the wrong figure.'}}

AUTHOR: dict[str, Any] = {
    'name': {'$ref': '#/definitions/text', 'title': 'Name', 'description': "The author's name, shown as written."},
    'url': {'$ref': '#/definitions/webAddress', 'title': 'Address',
            'description': 'A page about the author: an http or https address.'}}

# A date, or a time of day with its UTC offset, as YAML and the build read them.
OFFSET = '(?:Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)'
MOMENT = ('^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?:[T ](?:(?:[01][0-9]|2[0-3]):[0-5][0-9]'
          f'(?::[0-5][0-9])? ?{OFFSET}|(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]+{OFFSET}))?$')
MOMENT_MESSAGE = 'Write a date like 2024-03-25, or a time with its UTC offset like 2024-03-25T09:30:00+09:00.'
SOURCE_ID_MESSAGE = "A source id holds only a-z, 0-9 and '-', e.g. japan-times."

DEFINITIONS: dict[str, Any] = {
    'text': {'type': ['string', 'number'], 'pattern': '\\S', 'patternErrorMessage': 'This cannot be empty.'},
    'optionalText': {'type': ['string', 'number', 'null']},
    'moment': {'type': 'string', 'pattern': MOMENT, 'patternErrorMessage': MOMENT_MESSAGE},
    'optionalMoment': {'type': ['string', 'null'], 'pattern': MOMENT, 'patternErrorMessage': MOMENT_MESSAGE},
    'webAddress': {'type': ['string', 'null'], 'pattern': '^\\s*[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]',
                   'patternErrorMessage': 'Write a full http or https address, e.g. https://example.org/story.'},
    'optionalFlag': {'type': ['boolean', 'string', 'null'], 'pattern': '^(?:[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$',
                     'patternErrorMessage': 'Write true or false.'},
    'sourceId': {'type': ['string', 'integer'], 'pattern': SOURCE_ID.pattern,
                 'patternErrorMessage': SOURCE_ID_MESSAGE},
    'citations': {'type': ['array', 'string', 'null'], 'pattern': SOURCE_ID.pattern,
                  'patternErrorMessage': SOURCE_ID_MESSAGE, 'items': {'$ref': '#/definitions/sourceId'}},
    'source': {'type': 'object', 'required': ['id', 'outlet'], 'additionalProperties': False,
               'properties': keyed(SOURCE_KEYS, SOURCE, 'a source')},
    'fact': {'anyOf': [{'type': 'string'},
                       {'type': 'object', 'required': ['text'], 'additionalProperties': False,
                        'properties': keyed(FACT_KEYS, FACT, 'a fact')}]},
    'narrative': {'type': 'object', 'required': ['label', 'text'], 'additionalProperties': False,
                  'properties': keyed(NARRATIVE_KEYS, NARRATIVE, 'a narrative')},
    'contra': {'type': 'object', 'required': ['text'], 'additionalProperties': False,
               'properties': keyed(CONTRA_KEYS, CONTRA, 'the contra')},
    'correction': {'type': 'object', 'required': ['date', 'text'], 'additionalProperties': False,
                   'properties': keyed(CORRECTION_KEYS, CORRECTION, 'a correction')},
    'author': {'anyOf': [{'type': 'string', 'pattern': '\\S'},
                         {'type': 'object', 'required': ['name'], 'additionalProperties': False,
                          'properties': keyed(AUTHOR_KEYS, AUTHOR, 'an author')}]}}


def story_schema() -> dict[str, Any]:
    kind = PROPERTIES["kind"] | {"enum": [*KINDS_OF_WORK, None]}
    return {"title": TITLE, "description": DESCRIPTION, "type": "object", "required": REQUIRED_KEYS,
            "additionalProperties": False,
            "properties": keyed(STORY_KEYS, PROPERTIES | {"kind": kind}, "the front matter"),
            "definitions": DEFINITIONS}
