"""The 1C source contract: every OData entity set we read, its fields and their types.

The registry itself is `ingestion.onec.entities.ENTITY_SETS`. It serves the demo
company (field order of what it writes), the demo OData server (`$metadata`,
filter typing, tabular-section sets), the loader (typed `raw` tables) and
`docs/sources.md` (a test checks the doc against it).

Names are exactly as a real 1C:Trade Management 11 / 1C:CRM publication spells
them. Standard fields (Ref_Key, DataVersion, DeletionMark, Posted, Number, Date,
Code, Description) are added by `catalog()` and `document()`; a tabular section's
own entity set `<Entity>_<Section>` is keyed by (Ref_Key, LineNumber), both implicit.
"""

from __future__ import annotations

from dataclasses import dataclass

EDM_TYPES = ("Edm.Guid", "Edm.String", "Edm.DateTime", "Edm.Double", "Edm.Boolean", "Edm.Int64")

EMPTY_REF = "00000000-0000-0000-0000-000000000000"
EMPTY_DATE = "0001-01-01T00:00:00"


@dataclass(frozen=True)
class Field:
    name: str  # OData name, e.g. "Контрагент_Key"
    edm: str  # one of EDM_TYPES
    meaning: str  # English meaning, for docs/sources.md
    russian: str = ""  # the attribute's Russian synonym, for docs/sources.md

    def __post_init__(self) -> None:
        if self.edm not in EDM_TYPES:
            raise ValueError(f"field {self.name}: unknown EDM type {self.edm}")


@dataclass(frozen=True)
class TabularSection:
    name: str  # e.g. "Товары"
    meaning: str
    fields: tuple[Field, ...]  # without the implicit Ref_Key and LineNumber


@dataclass(frozen=True)
class EntitySet:
    name: str  # e.g. "Document_РеализацияТоваровУслуг"
    base: str  # "trade" or "crm": which infobase publishes it
    meaning: str
    fields: tuple[Field, ...]
    sections: tuple[TabularSection, ...] = ()
    key: tuple[str, ...] = ("Ref_Key",)  # registers are keyed by their dimensions

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name}")

    def section(self, name: str) -> TabularSection:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(f"{self.name} has no tabular section {name}")


def F(name: str, edm: str, meaning: str, russian: str = "") -> Field:  # noqa: N802 - reads like a table row
    return Field(name, edm, meaning, russian)


REF_KEY = F("Ref_Key", "Edm.Guid", "object reference (GUID)", "Ссылка")
DATA_VERSION = F("DataVersion", "Edm.String", "opaque version stamp, changes on every write", "ВерсияДанных")
DELETION_MARK = F("DeletionMark", "Edm.Boolean", "marked for deletion", "ПометкаУдаления")


def catalog(
    name: str, base: str, meaning: str, *fields: Field, sections: tuple[TabularSection, ...] = ()
) -> EntitySet:
    standard = (
        REF_KEY,
        DATA_VERSION,
        DELETION_MARK,
        F("Code", "Edm.String", "catalog code", "Код"),
        F("Description", "Edm.String", "name", "Наименование"),
    )
    return EntitySet(f"Catalog_{name}", base, meaning, standard + fields, sections)


def document(
    name: str, base: str, meaning: str, *fields: Field, sections: tuple[TabularSection, ...] = ()
) -> EntitySet:
    standard = (
        REF_KEY,
        DATA_VERSION,
        DELETION_MARK,
        F("Number", "Edm.String", "document number", "Номер"),
        F("Date", "Edm.DateTime", "document date, company local time", "Дата"),
        F("Posted", "Edm.Boolean", "posted (only posted documents count)", "Проведен"),
    )
    return EntitySet(f"Document_{name}", base, meaning, standard + fields, sections)
