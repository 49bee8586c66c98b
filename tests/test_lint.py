"""The code stays lint-clean: ruff for Python, sqlfluff for the dbt SQL (what `make lint` runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def test_ruff():
    result = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]


def test_sqlfluff(warehouse):
    env = {**os.environ, **warehouse.dbt_env()}
    result = subprocess.run([str(BIN / "sqlfluff"), "lint", "models", "tests"], cwd=ROOT / "dbt", env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]
