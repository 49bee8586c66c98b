"""Values to PostgreSQL COPY text format, untyped: the database validates and casts them."""

from __future__ import annotations

import math

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def as_text(value: object) -> str:
    """One field of a COPY text line. Floats keep their shortest round-trip form, so numeric is exact."""
    if value is None:
        return NULL
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        # NaN and infinities pass through as text and fail numeric validation with their own spelling.
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int):
        return str(value)
    # nested objects where a scalar belongs: keep them visible, validation rejects them
    return repr(value).translate(_ESCAPES)


# The common value types by exact type, skipping as_text's isinstance chain: spooling is per value, so it is hot.
_BY_TYPE = {
    str: lambda v: v.translate(_ESCAPES),
    type(None): lambda v: NULL,
    bool: lambda v: "true" if v else "false",
    int: str,
}


def line(values: list) -> str:
    convert = _BY_TYPE.get
    return "\t".join([convert(type(v), as_text)(v) for v in values]) + "\n"
