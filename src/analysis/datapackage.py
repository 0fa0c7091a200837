"""``data/processed/datapackage.json`` (Frictionless Data Package), from the one declaration.

Every field's type, description, unit and constraints, each table's primary key and sources
come from :mod:`analysis.tables`, the same declaration the pandera schemas are generated from,
so the published description and the checks the build runs cannot drift apart.
"""

from __future__ import annotations

import json

from analysis import tables

#: The project's licence for its processed data (its own compilation and derivations).
LICENCES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }
]
SOURCES = {
    tables.ARTICLE: {
        "title": "Encyclopedia-style article 'Technical Intern Training Program' (CC BY-SA; project seed text), "
        "with every figure transcribed",
        "path": "data/raw/article/",
    },
    tables.COUNTERPARTS: {
        "title": "Which official series each article figure is compared with (project mapping)",
        "path": "data/raw/article/counterparts.csv",
    },
    tables.OFFICIAL: {
        "title": "Official statistics (Ministry of Justice, Immigration Services Agency, MHLW, OTIT) as quoted on "
        "the pages listed per row; see data/raw/official/provenance.json",
        "path": "data/raw/official/",
    },
}


def field(f: tables.Field) -> dict:
    """A Table Schema field from a declared field: type, description, unit and constraints.

    >>> field(tables.FIELDS["share"])["constraints"]
    {'required': True, 'minimum': 0, 'maximum': 100}
    """
    out: dict = {"name": f.name, "type": f.type}
    if f.type == "date":
        out["format"] = "%Y-%m-%d"
    out["description"] = f.description
    if f.unit:
        out["unit"] = f.unit
    constraints: dict = {}
    if f.required:
        constraints["required"] = True
    if f.unique:
        constraints["unique"] = True
    if f.enum is not None:
        constraints["enum"] = list(f.enum)
    if f.minimum is not None:
        constraints["minimum"] = f.minimum
    if f.maximum is not None:
        constraints["maximum"] = f.maximum
    if f.pattern is not None:
        constraints["pattern"] = f.pattern
    if constraints:
        out["constraints"] = constraints
    return out


def resource(table: tables.Table) -> dict:
    """The data resource of one processed table."""
    description = table.description
    checks = [c.description for c in table.checks]
    if checks:
        description += " Checked on every build and every read: " + "; ".join(checks) + "."
    return {
        "name": table.name.replace("_", "-"),
        "path": table.file,
        "title": table.title,
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [field(f) for f in table.fields],
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        },
        "sources": [SOURCES[s] for s in table.sources],
        "licenses": LICENCES,
    }


def primary_source(name: str, entry: dict) -> dict:
    """The primary table as a source of the package, from its provenance record: what it is, who
    published it, when it was downloaded, its checksum and size, its terms and how to cite it.

    >>> primary_source("estat/x.csv", {"title": "T", "publisher": "P", "table_id": "1", "portal": "e-Stat",
    ...     "downloaded": "2026-06-10", "sha256": "ab", "bytes": 3, "terms": "Terms.", "cite": "Cite."})["path"]
    'data/raw/official/estat/x.csv'
    """
    return {
        "title": f"{entry['title']}, published by {entry['publisher']} (table id {entry['table_id']}), via "
        f"{entry['portal']}: the primary table, downloaded {entry['downloaded']}; SHA-256 {entry['sha256']}, "
        f"{entry['bytes']:,} bytes. Terms: {entry['terms']} Cite as: {entry['cite']}",
        "path": f"{tables.OFFICIAL}{name}",
    }


def datapackage(primary: tuple[str, dict] | None = None) -> dict:
    """The whole data package; ``primary`` is the primary table's name and provenance entry."""
    return {
        "profile": "tabular-data-package",
        "name": "titp-data",
        "title": "Japan's Technical Intern Training Program: an article's figures, cleaned and checked against "
        "official statistics",
        "description": "Every figure and date of an encyclopedia-style article on the Technical Intern Training "
        "Program, parsed into values with the intervals their wording allows, the official series "
        "they are checked against, the result of that check, and corrections for the article's "
        "editors. Built by `make data`.",
        "licenses": LICENCES,
        "sources": [SOURCES[tables.ARTICLE], SOURCES[tables.OFFICIAL]]
        + ([primary_source(*primary)] if primary else []),
        "resources": [resource(t) for t in tables.TABLES.values()],
    }


def to_json(primary: tuple[str, dict] | None = None) -> str:
    """The data package as the text ``make data`` writes."""
    return json.dumps(datapackage(primary), indent=2, ensure_ascii=False) + "\n"
