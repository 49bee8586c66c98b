"""Atom XML (OData v3) of 1C objects: the format of SelectChanges and of entity sets read without JSON.

An entry carries its type in `category/@term` (StandardODATA.<EntitySet>) and the whole object in
`content/m:properties`: `d:<Field>` with `m:type` for non-string EDM types, a tabular section as
`d:<Section>` holding one `d:element` per line. A physically deleted object is an RFC 6721
tombstone `at:deleted-entry` (the OData v3 way to say "gone") whose `ref` is the object's URL;
it also carries the category and the key fields in `m:properties`, so a client needs no URL parsing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ingestion.onec.schema import EntitySet

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_D = "http://schemas.microsoft.com/ado/2007/08/dataservices"
NS_M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
NS_TOMBSTONE = "http://purl.org/atompub/tombstones/1.0"
SCHEME = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme"
NAMESPACE = "StandardODATA"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def key_literal(edm: str, value: Any) -> str:
    if edm == "Edm.Guid":
        return f"guid'{value}'"
    if edm == "Edm.DateTime":
        return f"datetime'{value}'"
    if edm in ("Edm.Double", "Edm.Int64", "Edm.Boolean"):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def key_segment(entity: EntitySet, key_values: dict[str, Any]) -> str:
    """`Catalog_X(guid'...')`, or `InformationRegister_X(Period=datetime'...',Валюта_Key=guid'...')`."""
    types = {f.name: f.edm for f in entity.fields}
    if any(k not in key_values for k in entity.key):
        return entity.name  # a $select without the key: the entry cannot name itself
    if entity.key == ("Ref_Key",):
        return f"{entity.name}({key_literal('Edm.Guid', key_values['Ref_Key'])})"
    parts = ",".join(f"{k}={key_literal(types.get(k, 'Edm.String'), key_values[k])}" for k in entity.key)
    return f"{entity.name}({parts})"


def _edm_of(value: Any) -> str:
    if isinstance(value, bool):
        return "Edm.Boolean"
    if isinstance(value, int | float):
        return "Edm.Double"
    return "Edm.String"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return escape(str(value))


def _property(name: str, edm: str, value: Any) -> str:
    if value is None:
        return f'<d:{name} m:null="true"/>'
    typed = "" if edm == "Edm.String" else f' m:type="{edm}"'
    return f"<d:{name}{typed}>{_text(value)}</d:{name}>"


def properties(entity: EntitySet, obj: dict[str, Any]) -> str:
    types = {f.name: f.edm for f in entity.fields}
    sections = {s.name: s for s in entity.sections}
    out = ["<m:properties>"]
    for name, value in obj.items():
        section = sections.get(name)
        if section is not None and isinstance(value, list):
            row_type = f"{NAMESPACE}.{entity.name}_{section.name}_RowType"
            line_types = {"Ref_Key": "Edm.Guid", "LineNumber": "Edm.Int64", **{f.name: f.edm for f in section.fields}}
            out.append(f'<d:{name} m:type="Collection({row_type})">')
            for line in value:
                out.append("<d:element>")
                out.extend(_property(k, line_types.get(k) or _edm_of(v), v) for k, v in line.items())
                out.append("</d:element>")
            out.append(f"</d:{name}>")
        else:
            out.append(_property(name, types.get(name) or _edm_of(value), value))
    out.append("</m:properties>")
    return "".join(out)


def entry(base_url: str, entity: EntitySet, obj: dict[str, Any], updated: str) -> str:
    segment = key_segment(entity, obj)
    return (
        f"<entry><id>{escape(base_url + segment)}</id>"
        f'<category term="{NAMESPACE}.{entity.name}" scheme="{SCHEME}"/>'
        f'<title type="text"/><updated>{updated}</updated><author/><summary/>'
        f'<link rel="edit" href={quoteattr(segment)} title="edit-link"/>'
        f'<content type="application/xml">{properties(entity, obj)}</content></entry>'
    )


def deleted_entry(base_url: str, entity: EntitySet, key_values: dict[str, Any], updated: str) -> str:
    types = {f.name: f.edm for f in entity.fields}
    keys = "".join(_property(k, types.get(k, "Edm.String"), key_values[k]) for k in entity.key)
    return (
        f"<at:deleted-entry ref={quoteattr(base_url + key_segment(entity, key_values))} when=\"{updated}\">"
        f'<category term="{NAMESPACE}.{entity.name}" scheme="{SCHEME}"/>'
        f"<m:properties>{keys}</m:properties></at:deleted-entry>"
    )


def feed_head(base_url: str, title: str, updated: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="{NS_ATOM}" xmlns:at="{NS_TOMBSTONE}" xmlns:d="{NS_D}" xmlns:m="{NS_M}" '
        f"xml:base={quoteattr(base_url)}>"
        f"<id>{escape(base_url + title)}</id><title type=\"text\">{escape(title)}</title><updated>{updated}</updated>"
    ).encode()


FEED_TAIL = b"</feed>"


def feed(base_url: str, title: str, entries: Iterable[bytes]) -> Iterable[bytes]:
    yield feed_head(base_url, title, now_iso())
    yield from entries
    yield FEED_TAIL
