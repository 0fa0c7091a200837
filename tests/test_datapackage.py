"""The published data description: generated from the schemas, and valid for Frictionless."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from analysis import datapackage, paths, tables

PACKAGE = paths.PROCESSED / "datapackage.json"

pytestmark = pytest.mark.slow  # every test here builds the project


def _validate(path: str):
    from frictionless import validate  # a second or so to import: only where it is used

    return validate(path)


def test_committed_datapackage_is_the_generated_one():
    from analysis.build import primary_entry

    assert PACKAGE.read_text(encoding="utf-8") == datapackage.to_json(primary_entry()), "stale: run make data"


def test_the_primary_table_is_a_source_with_its_provenance():
    import json

    from analysis.build import primary_entry

    name, entry = primary_entry()
    source = next(s for s in json.loads(PACKAGE.read_text(encoding="utf-8"))["sources"] if s["path"].endswith(name))
    for key in ("sha256", "downloaded", "table_id", "terms", "cite"):
        assert str(entry[key]) in source["title"], key


def test_datapackage_validates_with_frictionless_against_the_data():
    report = _validate(str(PACKAGE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]


def test_every_processed_table_is_described_field_by_field():
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    described = {r["path"]: r for r in package["resources"]}
    assert set(described) == {p.name for p in paths.PROCESSED.glob("*.csv")} == {t.file for t in tables.TABLES.values()}
    for name, resource in described.items():
        header = pd.read_csv(paths.PROCESSED / name, nrows=0).columns.tolist()
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f.get("description") for f in resource["schema"]["fields"])
        assert resource["schema"]["primaryKey"] and resource["sources"] and resource["licenses"]


def test_constraints_come_from_the_schemas():
    package = {r["path"]: r for r in datapackage.datapackage()["resources"]}
    fields = {f["name"]: f for f in package["reconciliation.csv"]["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == list(tables.v.STATUSES)
    shares = {f["name"]: f for f in package["nationality_shares.csv"]["schema"]["fields"]}
    assert shares["share"]["constraints"] == {"required": True, "minimum": 0, "maximum": 100}
    assert shares["share"]["unit"] == "percent"


def test_data_breaking_a_published_constraint_fails_validation(tmp_path):
    folder = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, folder)
    rec = pd.read_csv(folder / "reconciliation.csv", dtype=str, keep_default_na=False)
    rec.loc[0, "status"] = "probably fine"
    rec.to_csv(folder / "reconciliation.csv", index=False)
    report = _validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert "constraint-error" in {e.type for task in report.tasks for e in task.errors}
