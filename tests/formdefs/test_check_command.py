"""`formdef check` reports each kind of broken definition with its JSON path; publishing and versions."""
import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from formdefs.engine import definition_check
from formdefs.enums import VersionStatus
from formdefs.services import DefinitionInvalid, formdef_publish, formdef_retire, formdef_version_save

from .conftest import DEFINITIONS

BASE = {
    "id": "broken", "version": 1, "title": "测试",
    "steps": [{"id": "s", "title": "一", "sections": [{"id": "sec", "fields": [
        {"id": "a", "type": "integer", "label": "甲"},
        {"id": "b", "type": "choice", "label": "乙", "options": [{"value": "1", "label": "一"}, {"value": "2", "label": "二"}],
         "branches": {"1": "c", "2": "end"}},
        {"id": "c", "type": "computed", "label": "丙", "expr": "cur.a * 2.0"},
        {"id": "d", "type": "computed", "label": "丁", "expr": "cur.c + 1.0"},
    ]}]}],
    "rules": [{"id": "r", "severity": "warning", "expr": "cur.a > 0.0", "message": "甲应为正"}],
}


def broken(mutate):
    doc = copy.deepcopy(BASE)
    mutate(doc)
    return doc


def fields(doc):
    return doc["steps"][0]["sections"][0]["fields"]


CASES = {
    "unknown type": (lambda d: fields(d)[0].update(type="slider"), "$.steps[0].sections[0].fields[0].type", "slider"),
    "CEL syntax error": (lambda d: d["rules"][0].update(expr="cur.a >"), "$.rules[0].expr", "CEL"),
    "unknown reference": (lambda d: d["rules"][0].update(expr="cur.zzz > 0.0"), "$.rules[0].expr", "unknown field 'zzz'"),
    "backward jump": (lambda d: fields(d)[1]["branches"].update({"1": "a"}), "$.steps[0].sections[0].fields[1].branches.1", "ahead"),
    "missing branch target": (lambda d: fields(d)[1]["branches"].update({"1": "nowhere"}), "$.steps[0].sections[0].fields[1].branches.1", "does not exist"),
    "computed cycle": (lambda d: fields(d)[2].update(expr="cur.d * 2.0"), "$.steps[0].sections[0].fields[3].expr", "cycle"),
    "duplicate id": (lambda d: fields(d)[1].update(id="a"), "$.steps[0].sections[0].fields[1].id", "duplicate"),
    "missing label": (lambda d: fields(d)[0].pop("label"), "$.steps[0].sections[0].fields[0]", "label"),
    "unknown property": (lambda d: fields(d)[0].update(colour="red"), "$.steps[0].sections[0].fields[0]", "colour"),
    "bad severity": (lambda d: d["rules"][0].update(severity="fatal"), "$.rules[0].severity", "fatal"),
}


def test_base_is_valid():
    assert definition_check(BASE) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_finds_each_kind(case):
    mutate, path, text = CASES[case]
    problems = definition_check(broken(mutate))
    assert any(p.path == path and text in p.message for p in problems), problems


@pytest.mark.parametrize("case", ["unknown type", "CEL syntax error", "unknown reference", "backward jump", "computed cycle"])
def test_command_check_exits_1_with_one_line_per_problem(case, tmp_path, capsys):
    mutate, path, _ = CASES[case]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken(mutate), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("formdef", "check", str(bad))
    assert exc.value.returncode == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines and all(line.startswith(f"{bad}: $") for line in lines)
    assert any(path in line for line in lines)


def test_shipped_definitions_pass(capsys):
    paths = sorted(str(p) for p in DEFINITIONS.glob("*.json"))
    call_command("formdef", "check", *paths)
    assert len(paths) >= 4 and capsys.readouterr().out.count(": ok") == len(paths)


@pytest.mark.django_db
def test_publish_command_and_versions(tmp_path, capsys):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    call_command("formdef", "publish", str(path))
    call_command("formdef", "publish", str(path))  # idempotent
    assert "published broken v1" in capsys.readouterr().out
    changed = broken(lambda d: d.update(title="改过"))
    with pytest.raises(DefinitionInvalid):  # a published version never changes
        formdef_version_save(document=changed)
    v2 = formdef_version_save(document={**changed, "version": 2})
    assert v2.status == VersionStatus.DRAFT
    formdef_publish(version=v2)
    from formdefs.models import FormVersion

    assert FormVersion.objects.get(definition__key=BASE["id"], number=1).status == VersionStatus.RETIRED
    formdef_retire(version=v2)
    with pytest.raises(DefinitionInvalid):
        formdef_publish(version=v2)


@pytest.mark.django_db
def test_publish_refuses_broken_draft():
    version = formdef_version_save(document=broken(CASES["computed cycle"][0]))
    with pytest.raises(DefinitionInvalid) as exc:
        formdef_publish(version=version)
    assert "cycle" in str(exc.value)
    assert version.status == VersionStatus.DRAFT
