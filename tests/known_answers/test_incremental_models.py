"""Month-incremental models (dbt/macros/incremental_window.sql) end where a full build ends: after a plain
re-run, when the model was emptied (built before the history was loaded), and when it was left behind for
longer than the lookback window."""

from __future__ import annotations

import pytest

from tests.conftest import run_dbt
from tests.known_answers.conftest import query

ROWS = "select * from marts.fct_overhead_allocation order by expense_accrual_id, line_number, cogs_line_id"


def rebuild_incrementally(scenario, delete_where: str | None) -> list[dict]:
    if delete_where:
        with scenario.as_role("transformer").connect() as conn:
            conn.execute(f"delete from marts.fct_overhead_allocation where {delete_where}")
    run_dbt("run", "--select", "fct_overhead_allocation")
    return query(scenario, ROWS)


@pytest.mark.parametrize("delete_where", [
    None,  # nothing changed: the window is rebuilt, nothing else moves
    "true",  # an empty model: every month is built
    "month > (select min(month) from marts.fct_overhead_allocation)",  # left behind after its first month
])
def test_overhead_allocation_incremental_equals_the_full_build(scenario, delete_where):
    full = query(scenario, ROWS)
    months = {row["month"] for row in full}
    assert len(months) >= 2, "the scenario should allocate overheads in several months"
    assert rebuild_incrementally(scenario, delete_where) == full
