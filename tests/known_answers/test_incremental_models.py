"""Month-incremental models (dbt/macros/incremental_window.sql) end where a full build ends: after a plain
re-run, when the model was emptied (built before the history was loaded), and when it was left behind for
longer than the lookback window; and the build's tests check the months it rewrote."""

from __future__ import annotations

from datetime import timedelta

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


def test_an_incremental_build_checks_the_months_it_rewrote(scenario, monkeypatch):
    """Its invariant tests read the months from the window on (macros/incremental_window.sql, rebuilt_from):
    a kopeck off in an older month, which the build did not write, passes it; a `dbt test` of its own and
    the full refresh check every month. The scenario's months all lie within 35 days of its last document,
    so the lookback here is 10 days."""
    monkeypatch.setenv("ONEC_OVERLAP_DAYS", "10")
    newest = query(scenario, "select max(document_date) as d from intermediate.int_cogs_lines")[0]["d"]
    window = (newest - timedelta(days=10)).replace(day=1)
    entry = query(scenario, "select entry_id, month from marts.fct_ledger_entries"
                            " where month < %s and debit > 0 order by month, entry_id limit 1", (window,))
    assert entry, "the scenario should have ledger entries before the incremental window"
    with scenario.as_role("transformer").connect() as conn:
        conn.execute("update marts.fct_ledger_entries set debit = debit + 0.01, amount = amount + 0.01"
                     " where entry_id = %s", (entry[0]["entry_id"],))
    try:
        # this test alone: the ledger's other ties (P&L, deal margins) read every month and would see the kopeck
        run_dbt("build", "--select", "fct_ledger_entries", "assert_ledger_postings_balance",
                "--indirect-selection", "empty")
        recorded = query(scenario, "select from_month from intermediate.dbt_rebuilt_months"
                                   " where model = 'fct_ledger_entries'")
        assert recorded == [{"from_month": window}]

        alone = run_dbt("test", "--select", "assert_ledger_postings_balance", check=False)
        assert alone.returncode != 0 and "FAIL 2 assert_ledger_postings_balance" in alone.stdout, alone.stdout[-2000:]
    finally:
        # the ledger and the views over it (a full refresh replaces the table, dropping them)
        run_dbt("build", "--full-refresh", "--select", "fct_ledger_entries+")
    assert query(scenario, "select from_month::text as m from intermediate.dbt_rebuilt_months"
                           " where model = 'fct_ledger_entries'") == [{"m": "-infinity"}]
