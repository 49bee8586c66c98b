"""Builds 1C OData JSON objects in the registry's field order, refusing unknown or missing fields."""

from __future__ import annotations

from ingestion.onec.entities import ENTITY_SETS

_FIELDS = {name: tuple(f.name for f in es.fields) for name, es in ENTITY_SETS.items()}
LINE_NUMBERS = [str(i) for i in range(1000)]  # 1C's Edm.Int64 LineNumber is a JSON string
_SECTIONS = {name: {s.name: tuple(f.name for f in s.fields) for s in es.sections} for name, es in ENTITY_SETS.items()}


def build(entity: str, values: dict, sections: dict[str, list[dict]] | None = None) -> dict:
    """An object of `entity`: values in registry order, tabular sections inline with Ref_Key and LineNumber."""
    names = _FIELDS[entity]
    extra = values.keys() - set(names)
    if extra:
        raise KeyError(f"{entity}: fields not in the registry: {sorted(extra)}")
    obj = {name: values[name] for name in names}
    declared = _SECTIONS[entity]
    ref = obj.get("Ref_Key")  # registers have no Ref_Key, and no sections either
    for section, line_names in declared.items():
        rows = (sections or {}).get(section, [])
        for row in rows:  # builders write lines in registry order already; checking is cheaper than reordering
            if tuple(row) != line_names:
                raise KeyError(f"{entity}.{section}: fields {tuple(row)} are not the registry's {line_names}")
        obj[section] = [{"Ref_Key": ref, "LineNumber": LINE_NUMBERS[i] if i < 1000 else str(i), **row}
                        for i, row in enumerate(rows, 1)]
    if sections and sections.keys() - declared.keys():
        raise KeyError(f"{entity}: sections not in the registry: {sorted(sections.keys() - declared.keys())}")
    return obj
