"""Tiny companies generated once per test session (each takes well under a second)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ingestion.demo.generate import generate


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    started = time.perf_counter()
    generate(out, "tiny", 42, False)
    (out.parent / "tiny_seconds.txt").write_text(str(time.perf_counter() - started))
    return out


@pytest.fixture(scope="session")
def tiny_dirty(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny_dirty")
    generate(out, "tiny", 42, True)
    return out


def objects(root: Path, base: str, entity: str) -> dict[str, dict]:
    """Current version of each object of an entity file (later lines supersede earlier ones)."""
    current: dict[str, dict] = {}
    path = root / "onec" / base / f"{entity}.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        if obj.get("@deleted"):
            current.pop(obj["Ref_Key"], None)
        else:
            current[obj["Ref_Key"]] = obj
    return current
