"""``data/processed/datapackage.json`` (Frictionless Data Package), generated from the schemas.

The pandera models in :mod:`analysis.schemas` are the one source of truth: every field's type,
description, unit and constraints (required, unique, enum, minimum, maximum, pattern) and each
table's primary key are read from them here, so the published description and the checks the
build runs cannot drift apart.
"""

from __future__ import annotations

import json

import pandera.pandas as pa

from analysis.schemas import TABLES

#: The project's licence for its processed data (its own compilation and derivations).
LICENCES = [{
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}]
ARTICLE_SOURCE = {
    "title": "Encyclopedia-style article 'Technical Intern Training Program' (project seed text), transcribed",
    "path": "data/raw/article/figures.csv",
}
COUNTERPARTS_SOURCE = {
    "title": "Which official series each article figure is compared with (project mapping)",
    "path": "data/raw/article/counterparts.csv",
}
OFFICIAL_SOURCE = {
    "title": "Official statistics (Ministry of Justice, Immigration Services Agency, MHLW, OTIT) as quoted on the "
             "pages listed per row; see data/raw/official/provenance.json",
    "path": "data/raw/official/",
}
PRIMARY_KEYS = {
    "article_figures.csv": ["id"],
    "intern_counts.csv": ["id"],
    "nationality_shares.csv": ["id"],
    "industry_shares.csv": ["id"],
    "stages.csv": ["id"],
    "reconciliation.csv": ["claim_id"],
}
OFFICIAL_KEY = ["series", "label", "period_start", "period_end", "basis"]


def _type(dtype) -> str:
    text = str(dtype).lower()
    if "datetime" in text or "timestamp" in text:
        return "date"
    if text.startswith("bool"):
        return "boolean"
    if "int" in text:
        return "integer"
    if "float" in text:
        return "number"
    return "string"


def field(name: str, column: pa.Column) -> dict:
    """A Table Schema field from a pandera column: type, description, unit and constraints."""
    out: dict = {"name": name, "type": _type(column.dtype)}
    if out["type"] == "date":
        out["format"] = "%Y-%m-%d"
    if column.description:
        out["description"] = column.description
    unit = (column.metadata or {}).get("unit")
    if unit:
        out["unit"] = unit
    constraints: dict = {}
    if not column.nullable:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            constraints["enum"] = list(stats["allowed_values"])
        elif check.name in ("greater_than_or_equal_to", "greater_than"):
            constraints["minimum"] = stats["min_value"]
        elif check.name in ("less_than_or_equal_to", "less_than"):
            constraints["maximum"] = stats["max_value"]
        elif check.name == "str_matches":
            constraints["pattern"] = stats["pattern"]
    if constraints:
        out["constraints"] = constraints
    return out


def resource(filename: str, model: type[pa.DataFrameModel]) -> dict:
    schema = model.to_schema()
    official = model.__name__ == "OfficialSeries"
    if official:
        sources = [OFFICIAL_SOURCE]
    elif filename == "reconciliation.csv":
        sources = [ARTICLE_SOURCE, COUNTERPARTS_SOURCE, OFFICIAL_SOURCE]
    else:
        sources = [ARTICLE_SOURCE]
    description = " ".join((model.__doc__ or "").split())
    checks = [c.description for c in schema.checks if c.description]
    if checks:
        description += " Checked on every build: " + "; ".join(checks) + "."
    return {
        "name": filename.removesuffix(".csv").replace("_", "-"),
        "path": filename,
        "title": description.split(".")[0],
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [field(name, column) for name, column in schema.columns.items()],
            "primaryKey": OFFICIAL_KEY if official else PRIMARY_KEYS[filename],
            "missingValues": [""],
        },
        "sources": sources,
        "licenses": LICENCES,
    }


def datapackage() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "titp-data",
        "title": "Japan's Technical Intern Training Program: an article's figures, cleaned and checked against "
                 "official statistics",
        "description": "Every figure and date of an encyclopedia-style article on the Technical Intern Training "
                       "Program, parsed into values with the intervals their wording allows, the official series "
                       "they are checked against, and the result of that check. Built by `make data`.",
        "licenses": LICENCES,
        "sources": [ARTICLE_SOURCE, OFFICIAL_SOURCE],
        "resources": [resource(name, model) for name, model in TABLES.items()],
    }


def to_json() -> str:
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"
