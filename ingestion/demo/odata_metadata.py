"""`$metadata` (EDMX, CSDL v3 as 1C emits it) and the service document of one infobase.

Per entity set an EntityType keyed by Ref_Key (registers: by their dimensions) whose tabular
sections are `Collection(StandardODATA.<Entity>_<Section>_RowType)` properties; per section a
ComplexType `<Entity>_<Section>_RowType` and an EntityType `<Entity>_<Section>` keyed by
Ref_Key + LineNumber with its EntitySet. Navigation properties of reference attributes, which a
real 1C adds, are left out: the demo store knows `<Attr>_Key` values, not their target types.
The exchange-plan functions SelectChanges / NotifyChangesReceived are FunctionImports.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from ingestion.demo.odata_atom import NAMESPACE
from ingestion.onec.schema import EntitySet, Field, TabularSection

LINE_KEY = (Field("Ref_Key", "Edm.Guid", "owner object"), Field("LineNumber", "Edm.Int64", "line number"))


def section_fields(section: TabularSection) -> tuple[Field, ...]:
    return LINE_KEY + tuple(section.fields)


def _properties(fields: Iterable[Field], keys: Iterable[str]) -> list[str]:
    keys = set(keys)
    out = []
    for f in fields:
        nullable = "false" if f.name in keys else "true"
        out.append(f'<Property Name={quoteattr(f.name)} Type="{f.edm}" Nullable="{nullable}"/>')
    return out


def _entity_type(name: str, fields: Iterable[Field], keys: tuple[str, ...], extra: Iterable[str] = ()) -> str:
    refs = "".join(f"<PropertyRef Name={quoteattr(k)}/>" for k in keys)
    return (f"<EntityType Name={quoteattr(name)}><Key>{refs}</Key>"
            + "".join(_properties(fields, keys)) + "".join(extra) + "</EntityType>")


def metadata_xml(entity_sets: list[EntitySet]) -> bytes:
    types: list[str] = []
    sets: list[str] = []
    for es in entity_sets:
        collections = []
        for s in es.sections:
            row_type = f"{es.name}_{s.name}_RowType"
            collections.append(f'<Property Name={quoteattr(s.name)} '
                               f'Type="Collection({NAMESPACE}.{row_type})" Nullable="false"/>')
            types.append(f"<ComplexType Name={quoteattr(row_type)}>"
                         + "".join(_properties(section_fields(s), ())) + "</ComplexType>")
        types.append(_entity_type(es.name, es.fields, es.key, collections))
        sets.append(f'<EntitySet Name={quoteattr(es.name)} EntityType="{NAMESPACE}.{escape(es.name)}"/>')
        for s in es.sections:
            name = f"{es.name}_{s.name}"
            types.append(_entity_type(name, section_fields(s), ("Ref_Key", "LineNumber")))
            sets.append(f'<EntitySet Name={quoteattr(name)} EntityType="{NAMESPACE}.{escape(name)}"/>')
    functions = "".join(
        f'<FunctionImport Name="{fn}" m:HttpMethod="POST"{ret}>'
        '<Parameter Name="DataExchangePoint" Type="Edm.String" Mode="In"/>'
        '<Parameter Name="MessageNo" Type="Edm.Int64" Mode="In"/></FunctionImport>'
        for fn, ret in (("SelectChanges", ' ReturnType="Edm.String"'), ("NotifyChangesReceived", ""))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">'
        '<edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
        'm:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0">'
        f'<Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="{NAMESPACE}">'
        + "".join(types)
        + f'<EntityContainer Name="{NAMESPACE}" m:IsDefaultEntityContainer="true">'
        + "".join(sets) + functions
        + "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>"
    ).encode("utf-8")


def set_names(entity_sets: list[EntitySet]) -> list[str]:
    names = []
    for es in entity_sets:
        names.append(es.name)
        names.extend(f"{es.name}_{s.name}" for s in es.sections)
    return names


def service_xml(base_url: str, names: list[str]) -> bytes:
    collections = "".join(f"<collection href={quoteattr(n)}><atom:title>{escape(n)}</atom:title></collection>"
                          for n in names)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<service xmlns="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom" '
        f"xml:base={quoteattr(base_url)}><workspace><atom:title>Default</atom:title>{collections}"
        "</workspace></service>"
    ).encode()
