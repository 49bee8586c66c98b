"""The data engineering page's dbt test results: the newest run_results.json of dbt's target or of a
Dagster run's folder in it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dashboards.queries import data_engineering


def write_results(path: Path, generated_at: str, status: str, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"metadata": {"generated_at": generated_at}, "results": [
        {"unique_id": "test.tradewarehouse.assert_ledger_balances.abc", "status": status, "failures": 0,
         "execution_time": 0.123, "message": None},
        {"unique_id": "model.tradewarehouse.fct_ledger_entries", "status": "success"},
    ]}))
    os.utime(path, (mtime, mtime))


def test_newest_results_of_the_target_or_a_dagster_run_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(data_engineering, "results_dirs", lambda: [tmp_path / "missing", tmp_path])
    write_results(tmp_path / "run_results.json", "2026-12-01T06:00:00Z", "pass", 1_000_000)
    write_results(tmp_path / "dbt_models-1a2b3c" / "run_results.json", "2026-12-02T06:00:00Z", "fail", 2_000_000)
    # deeper files are dbt's compiled SQL and run artefacts, never results
    write_results(tmp_path / "dbt_models-1a2b3c" / "run" / "x" / "run_results.json", "2026-12-03", "error", 3_000_000)

    frame, generated = data_engineering.dbt_test_results()

    assert generated == "2026-12-02T06:00:00Z"
    assert frame.to_dict("records") == [{"test": "assert_ledger_balances", "kind": "test", "status": "fail",
                                         "failures": 0, "seconds": 0.12, "message": None}]


def test_no_results_yet(tmp_path, monkeypatch):
    monkeypatch.setattr(data_engineering, "results_dirs", lambda: [tmp_path])
    assert data_engineering.dbt_test_results() == (None, None)
