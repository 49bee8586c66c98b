"""dbt builds on the real warehouse, and its tests catch what they are written to catch."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from tests.conftest import ROOT, run_dbt


def test_chart_of_accounts_lands_in_marts(built_warehouse):
    with (ROOT / "seeds" / "chart_of_accounts.csv").open(encoding="utf-8") as f:
        seed = {row["account_code"]: row for row in csv.DictReader(f)}
    with built_warehouse.as_role("reader").connect() as conn:
        rows = conn.execute("select account_code, account_class, debit_sign from marts.dim_accounts").fetchall()
    assert {code for code, _, _ in rows} == set(seed)
    for code, account_class, debit_sign in rows:
        assert account_class == seed[code]["account_class"]
        assert debit_sign == (1 if seed[code]["normal_balance"] == "debit" else -1)


def test_a_misclassified_account_fails_the_build(built_warehouse, tmp_path: Path):
    """Copy the project, make inventory a liability, and the singular test must fail."""
    project = tmp_path / "dbt"
    shutil.copytree(ROOT / "dbt", project, ignore=shutil.ignore_patterns("target", "logs"))
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    chart = seeds / "chart_of_accounts.csv"
    chart.write_text(chart.read_text(encoding="utf-8").replace("1200,Inventory,Товары,asset,debit",
                                                               "1200,Inventory,Товары,liability,credit"),
                     encoding="utf-8")
    # Tables of its own (staging.probe_*) so the broken build never touches the shared test models.
    (project / "macros" / "probe_names.sql").write_text(
        "{% macro generate_schema_name(custom_schema_name, node) -%}staging{%- endmacro %}\n"
        "{% macro generate_alias_name(custom_alias_name, node) -%}probe_{{ node.name }}{%- endmacro %}\n",
        encoding="utf-8")
    (project / "macros" / "generate_schema_name.sql").unlink()
    result = run_dbt("build", "--select", "chart_of_accounts+", project_dir=project, check=False)
    assert result.returncode != 0
    assert "FAIL 1 assert_accounts_classes_match_statements" in result.stdout


def test_every_built_table_has_planner_statistics(built_warehouse):
    """Each table model is analyzed as it is built (the analyze_if_stored post-hook), not left to autovacuum:
    the next model is planned at once, and a table without statistics is planned as a few rows (on the small
    company that turned fct_overhead_allocation's hash joins into a nested loop running for minutes)."""
    with built_warehouse.as_role("transformer").connect() as conn:
        tables = conn.execute(
            "select schemaname || '.' || relname, last_analyze from pg_stat_user_tables "
            "where schemaname in ('intermediate', 'marts')").fetchall()
    assert len(tables) > 20
    assert [name for name, analyzed in tables if analyzed is None] == []
