import json
from pathlib import Path

from ingestion.demo.docs import render
from ingestion.onec.entities import ENTITY_SETS

ROOT = Path(__file__).resolve().parents[2]


def test_sources_md_is_rendered_from_the_code():
    assert (ROOT / "docs" / "sources.md").read_text(encoding="utf-8") == render()


def test_generated_fields_are_exactly_the_registry(tiny):
    seen = set()
    for path in sorted((tiny / "onec").glob("*/*.jsonl")):
        if path.name == "_journal.jsonl":
            continue
        es = ENTITY_SETS[path.stem]
        assert path.parent.name == es.base
        seen.add(es.name)
        header = [f.name for f in es.fields]
        sections = {s.name: ["Ref_Key", "LineNumber", *(f.name for f in s.fields)] for s in es.sections}
        for line in path.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            assert list(obj) == header + list(sections), path.name
            for name, fields in sections.items():
                for row in obj[name]:
                    assert list(row) == fields, f"{path.name}.{name}"
    assert seen == set(ENTITY_SETS), set(ENTITY_SETS) - seen


def test_every_field_has_a_meaning_and_a_russian_name():
    for es in ENTITY_SETS.values():
        fields = list(es.fields) + [f for s in es.sections for f in s.fields]
        for f in fields:
            assert f.meaning and f.russian, f"{es.name}.{f.name}"
        assert len({f.name for f in es.fields}) == len(es.fields), es.name
        assert all(k in {f.name for f in es.fields} for k in es.key), es.name
