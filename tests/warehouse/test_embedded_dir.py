"""The embedded server's data directory: never a folder of other files (pgserver takes it over), and an empty
WAREHOUSE_DIR means the default, not the current directory."""

from __future__ import annotations

import pytest

from ingestion import warehouse


def test_an_empty_warehouse_dir_means_the_default(monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", "")
    assert warehouse.embedded_dir() == (warehouse.PROJECT_ROOT / ".warehouse").resolve()


def test_a_folder_of_other_files_is_refused_untouched(monkeypatch, tmp_path):
    (tmp_path / "README.md").write_text("someone's project", encoding="utf-8")
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    with pytest.raises(SystemExit, match="holds other files and no PostgreSQL data"):
        warehouse._embedded_server()
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]
