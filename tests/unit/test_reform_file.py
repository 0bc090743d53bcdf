"""Reform files (机构改革) against their declared schema: the minimal form, YAML, and clear errors."""
from __future__ import annotations

import json

import pytest

from loaders.reform_schema import ChangeEntry, ReformFile
from loaders.reforms import ReformFileError, load_reform

MINIMAL = {"changes": [{"from": ["市国税局", "市地税局"], "to": "国家税务总局绵阳市税务局", "date": "2018-07-20"}]}


def test_the_minimal_reform_file_is_accepted(tmp_path):
    p = tmp_path / "tax-merger.json"
    p.write_text(json.dumps(MINIMAL, ensure_ascii=False), encoding="utf-8")
    r = load_reform(p)
    assert r.id == "tax-merger"  # from the file name
    (c,) = r.changes
    assert c.from_names == ("市国税局", "市地税局") and c.to == "国家税务总局绵阳市税务局"
    assert c.date.isoformat() == "2018-07-20" and c.precision == "day"
    assert c.certain is True and c.kind == "merge"  # defaults: certain, merge for several units
    assert "no source given" in c.source
    assert c.origins[0].canonical == "绵阳市国家税务局"  # written names still meet the graph's agencies


def test_the_minimal_reform_file_in_yaml(tmp_path):
    p = tmp_path / "tax.yaml"
    p.write_text("changes:\n  - from: [市国税局, 市地税局]\n    to: 国家税务总局绵阳市税务局\n    date: 2018-07-20\n"
                 "  - from: 市卫生计生委\n    to: 市卫生健康委员会\n    date: 2019\n", encoding="utf-8")
    r = load_reform(p)
    assert [c.kind for c in r.changes] == ["merge", "rename"]
    assert r.changes[1].date_text == "2019" and r.changes[1].precision == "year"


@pytest.mark.parametrize("change,message", [
    ({"from": "市国税局", "to": "X局", "date": "2018", "certain": "yes"}, "'certain' must be true or false, not 'yes'"),
    ({"from": "市国税局", "to": "X局", "date": "2018", "kind": "split"}, "'kind' must be one of merge, rename, partial"),
    ({"from": [], "to": "X局", "date": "2018"}, "'from' must be a unit name or a non-empty list"),
    ({"from": "市国税局", "to": "X局", "date": "2018/07/20"}, "'date' must be YYYY-MM-DD, YYYY-MM or YYYY"),
    ({"from": "市国税局", "to": "X局", "dat": "2018"}, "unknown key(s) 'dat'"),
    ({"from": "市国税局", "to": "X局"}, "missing 'date'"),
])
def test_schema_errors_name_the_entry(tmp_path, change, message):
    p = tmp_path / "bad.json"
    p.write_text(json.dumps({"changes": [change]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReformFileError) as e:
        load_reform(p)
    assert f"{p}: " in str(e.value) and "in the reform file" in str(e.value)
    assert "changes[0] (市国税局 → X局)" in str(e.value) or "changes[0] ( → X局)" in str(e.value)
    assert message in str(e.value)


def test_the_schema_is_declared():
    schema = ReformFile.model_json_schema()
    assert schema["required"] == ["changes"]
    change = ChangeEntry.model_json_schema()
    assert set(change["required"]) == {"from", "to", "date"}  # certain, source, kind, note are optional
    assert change["properties"]["certain"]["default"] is True
