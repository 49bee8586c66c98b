"""DIR/manifest.json: what was generated, for which period, and which faults were injected where."""

from __future__ import annotations

import json
from pathlib import Path

from ingestion.demo.ad_costs import TRACKED_LINES

NAME = "manifest.json"


def listed_files(root: Path) -> list[dict]:
    files = []
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and path.name != NAME:
            files.append({"path": path.relative_to(root).as_posix(), "bytes": path.stat().st_size})
    return files


def write_manifest(root: Path, manifest: dict) -> None:
    manifest = {**manifest, "tracked_lines": TRACKED_LINES, "files": listed_files(root)}
    (Path(root) / NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_manifest(root: Path) -> dict:
    return json.loads((Path(root) / NAME).read_text(encoding="utf-8"))
