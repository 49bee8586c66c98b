"""Raw table specs for the 1C entity sets, derived from the source contract."""

from __future__ import annotations

from functools import cache

from ingestion.loader.tables import Column, TableSpec, snake_ascii
from ingestion.onec.entities import ENTITY_SETS, entity_set
from ingestion.onec.schema import EMPTY_DATE, EntitySet, Field

EDM_TO_PG = {
    "Edm.Guid": "uuid",
    "Edm.String": "text",
    "Edm.DateTime": "timestamp",
    "Edm.Double": "numeric",  # exactly the decimal 1C sent; staging rounds money to kopecks
    "Edm.Boolean": "boolean",
    "Edm.Int64": "bigint",
}


# References checked at load: a document naming an item, counterparty, contract or series that the
# catalogs do not have is rejected (and loads on a later re-read, once the catalog has it).
REFERENCE_TARGETS = {
    "Номенклатура_Key": "Catalog_Номенклатура",
    "Контрагент_Key": "Catalog_Контрагенты",
    "Договор_Key": "Catalog_ДоговорыКонтрагентов",
    "Серия_Key": "Catalog_СерииНоменклатуры",
}


def source_name(entity: EntitySet) -> str:
    return f"onec_{entity.base}"


def _column(field: Field, entity: EntitySet, *, in_section: bool = False) -> Column:
    is_key = field.name in entity.key and not in_section
    # A document without its date or a register record without its period cannot be placed in time.
    dated = field.name == "Date" and entity.name.startswith("Document_") or field.name == "Period"
    target = REFERENCE_TARGETS.get(field.name)
    return Column(
        field.name,
        EDM_TO_PG[field.edm],
        required=is_key or dated,
        non_negative=in_section and field.name == "Количество",
        forbidden=EMPTY_DATE if dated else None,
        references=snake_ascii(target) if target and target != entity.name and field.edm == "Edm.Guid" else None,
    )


@cache
def onec_table(name: str) -> TableSpec:
    entity = entity_set(name)
    header = snake_ascii(entity.name)
    children = tuple(
        TableSpec(
            source=source_name(entity),
            entity=f"{entity.name}_{section.name}",
            table=f"{header}__{snake_ascii(section.name)}",
            columns=(
                Column("Ref_Key", "uuid", required=True),
                Column("LineNumber", "integer", required=True),
                *(_column(f, entity, in_section=True) for f in section.fields),
            ),
            key=("Ref_Key", "LineNumber"),
            parent_key=("Ref_Key",),
            list_field=section.name,
        )
        for section in entity.sections
    )
    return TableSpec(
        source=source_name(entity),
        entity=entity.name,
        table=header,
        columns=tuple(_column(f, entity) for f in entity.fields),
        key=entity.key,
        children=children,
        unique_number=entity.name.startswith("Document_"),
    )


def all_onec_tables() -> list[TableSpec]:
    return [onec_table(name) for name in ENTITY_SETS]
