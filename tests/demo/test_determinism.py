import hashlib
from pathlib import Path

from ingestion.demo.generate import generate


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_output(tiny, tmp_path):
    generate(tmp_path, "tiny", 42, False)
    assert digests(tmp_path) == digests(tiny)
    assert any(name.endswith(".xlsx") for name in digests(tiny))


def test_other_seed_differs(tiny, tmp_path):
    generate(tmp_path, "tiny", 7, False)
    assert digests(tmp_path) != digests(tiny)


def test_scenario_is_deterministic(tmp_path):
    generate(tmp_path / "a", "scenario", 1, False)
    generate(tmp_path / "b", "scenario", 1, False)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_dirty_run_is_deterministic_too(tiny_dirty, tmp_path):
    generate(tmp_path, "tiny", 42, True)
    assert digests(tmp_path) == digests(tiny_dirty)
