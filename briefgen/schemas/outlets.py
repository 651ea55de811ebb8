"""The outlet registry's schema (outlets.schema.json): what each key of an outlet in outlets.yaml means.

The keys, the kinds of outlet and the country codes are outlets.py's own: a key the build knows
without a rule here, or a rule for a key it does not know, stops the schema being made.
"""

from __future__ import annotations

from typing import Any

from briefgen.schemas.rules import keyed
from briefgen.settings.outlets import KEYS, KINDS, OUTLET_ID, country_codes

TITLE = "briefgen outlet registry"
DESCRIPTION = 'outlets.yaml beside briefgen.yaml: the outlets stories cite and the providers of narratives, by id.'
ID_MESSAGE = "An outlet id holds only a-z, 0-9 and single '-' between them, e.g. japan-times."

OUTLET: dict[str, Any] = {
    'title': 'Outlet',
    'description': "One outlet; a source's `outlet:` or a narrative's `provider:` names it by id or name.",
    'type': 'object',
    'required': ['name'],
    'additionalProperties': False}

PROPERTIES: dict[str, Any] = {
    'name': {'title': 'Name',
             'description': 'The name readers know it by, shown as written; required.',
             'type': 'string',
             'pattern': '\\S',
             'patternErrorMessage': 'This cannot be empty.'},
    'url': {'title': 'Address',
            'description': "The outlet's home page: an http or https address.",
            'type': ['string', 'null'],
            'pattern': '^\\s*https?://',
            'patternErrorMessage': 'Write an address starting with https:// or http://.'},
    'kind': {'title': 'Kind', 'description': "What kind of outlet it is, summed up in each story's source mix."},
    'country': {'title': 'Country', 'description': 'Where it is based: two capital letters of ISO 3166-1, e.g. JP.'},
    'about': {'title': 'About',
              'description': 'One sentence: who they are, who owns them.',
              'type': ['string', 'null'],
              'pattern': '\\S',
              'patternErrorMessage': 'This cannot be empty.'}}


def outlets_schema() -> dict[str, Any]:
    properties = PROPERTIES | {"kind": PROPERTIES["kind"] | {"enum": [*KINDS, None]},
                               "country": PROPERTIES["country"] | {"enum": [*sorted(country_codes()), None]}}
    return {"title": TITLE, "description": DESCRIPTION, "type": "object",
            "propertyNames": {"pattern": "^" + OUTLET_ID.pattern.removesuffix("\\Z") + "$",
                              "patternErrorMessage": ID_MESSAGE},
            "additionalProperties": {"$ref": "#/definitions/outlet"},
            "definitions": {"outlet": OUTLET | {"properties": keyed(KEYS, properties, "an outlet")}}}
