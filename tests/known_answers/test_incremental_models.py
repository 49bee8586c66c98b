"""Month-incremental models (dbt/macros/incremental_window.sql) end where a full build ends: after a plain
re-run, when the model was emptied (built before the history was loaded), and when it was left behind for
longer than the lookback window."""

from __future__ import annotations

import pytest

from tests.conftest import run_dbt
from tests.known_answers.conftest import query

# each month-incremental model and the key its rows are ordered by
KEYS = {
    "fct_overhead_allocation": "expense_accrual_id, line_number, cogs_line_id",
    "fct_cogs_lines": "cogs_line_id",
    "fct_ledger_entries": "entry_id",
}


def rows(scenario, model: str) -> list[dict]:
    return query(scenario, f"select * from marts.{model} order by {KEYS[model]}")


def rebuild_incrementally(scenario, model: str, delete_where: str | None) -> list[dict]:
    if delete_where:
        with scenario.as_role("transformer").connect() as conn:
            conn.execute(f"delete from marts.{model} where {delete_where.format(model=model)}")
    run_dbt("run", "--select", model)
    return rows(scenario, model)


@pytest.mark.parametrize("model", KEYS)
@pytest.mark.parametrize("delete_where", [
    None,  # nothing changed: the window is rebuilt, nothing else moves
    "true",  # an empty model: every month is built
    "month > (select min(month) from marts.{model})",  # left behind after its first month
])
def test_incremental_model_equals_the_full_build(scenario, model, delete_where):
    full = rows(scenario, model)
    months = {row["month"] for row in full}
    assert len(months) >= 2, f"the scenario should give {model} several months"
    assert rebuild_incrementally(scenario, model, delete_where) == full
