"""Renders the 1C part of docs/sources.md from the registry: every entity set, field, type, meaning, Russian name.

    python -m ingestion.onec.docs        # the 1C part alone
    python -m ingestion.demo.docs        # the whole docs/sources.md
"""

from __future__ import annotations

from ingestion.onec.entities import ENTITY_SETS, section_set_name
from ingestion.onec.schema import Field

BASES = {"trade": "Trade system (1C:Trade Management 11), base `trade`", "crm": "CRM (1C:CRM), base `crm`"}


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def field_table(fields: tuple[Field, ...]) -> list[str]:
    rows = ["| field | type | meaning | Russian |", "|---|---|---|---|"]
    rows += [f"| `{f.name}` | {f.edm} | {cell(f.meaning)} | {cell(f.russian)} |" for f in fields]
    return rows


def render() -> str:
    out: list[str] = []
    for base, title in BASES.items():
        out += [f"### {title}", ""]
        for es in ENTITY_SETS.values():
            if es.base != base:
                continue
            out += [f"#### `{es.name}`", "", f"{es.meaning}. Key: {', '.join(f'`{k}`' for k in es.key)}.", ""]
            out += field_table(es.fields)
            out.append("")
            for section in es.sections:
                out += [f"Tabular section `{section.name}` ({section.meaning}); also the entity set "
                        f"`{section_set_name(es, section)}` keyed by (`Ref_Key`, `LineNumber`):", ""]
                out += field_table(section.fields)
                out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
