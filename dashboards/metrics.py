"""Each figure's definition from docs/metrics.md, shown as the help text of that figure."""

from __future__ import annotations

import functools
import re

from ingestion.warehouse import PROJECT_ROOT

METRICS_MD = PROJECT_ROOT / "docs" / "metrics.md"
_SECTION = re.compile(r"^##\s+(.*)$")
_MART = re.compile(r"`(?:marts\.|ops\.)?(\w+)`")
_PAREN = re.compile(r"\s*\([^)]*\)")


def aliases(figure: str) -> list[str]:
    """'Revenue / returns (`rpt_pnl`)' → ['revenue / returns', 'revenue', 'returns']."""
    name = _PAREN.sub("", figure).strip().lower()
    parts = [p.strip() for p in re.split(r" / |, ", name) if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


@functools.cache
def definitions() -> dict[tuple[str, str], str]:
    """{(mart or section title, figure lower-case): 'definition (date basis: …)'} from every table of the file."""
    out: dict[tuple[str, str], str] = {}
    marts: list[str] = []
    if not METRICS_MD.exists():
        return out
    for line in METRICS_MD.read_text(encoding="utf-8").splitlines():
        heading = _SECTION.match(line)
        if heading:
            marts = _MART.findall(heading.group(1)) or [heading.group(1).strip()]
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 2 or cells[0].lower() in ("figure", "") or set(cells[0]) <= set("-: "):
            continue
        text = cells[1] + (f" (date basis: {cells[2]})" if len(cells) > 2 and cells[2] not in ("", "—") else "")
        for name in aliases(cells[0]):
            for mart in marts:
                out.setdefault((mart, name), text)
            out.setdefault(("", name), text)
    return out


def help_for(figure: str, mart: str = "") -> str | None:
    """The definition of `figure` (as named in docs/metrics.md), preferring the section of `mart`."""
    defs = definitions()
    key = _PAREN.sub("", figure).strip().lower()
    return defs.get((mart, key)) or defs.get(("", key))
