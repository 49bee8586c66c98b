"""The XLSX drop-folder sensor asks for a run when a file lands or changes, and only then."""

from __future__ import annotations

import os

import dagster as dg

from dagster_project.defs.files import xlsx_drop_folder
from dagster_project.defs.resources import FilesResource


def evaluate(files: FilesResource, cursor: str | None):
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"files": files})
        result = xlsx_drop_folder(context)
        return result, context.cursor


def test_sensor_requests_a_run_for_new_and_changed_files_only(tmp_path):
    files = FilesResource(root=str(tmp_path))
    (tmp_path / "budget").mkdir()
    (tmp_path / "supplier_invoices").mkdir()
    result, cursor = evaluate(files, None)
    assert isinstance(result, dg.SkipReason)

    invoice = tmp_path / "supplier_invoices" / "INV-1.xlsx"
    invoice.write_bytes(b"first")
    result, cursor = evaluate(files, cursor)
    assert isinstance(result, dg.RunRequest)
    assert [key.to_user_string() for key in result.asset_selection] == ["raw/supplier_invoice_lines"]

    result, cursor = evaluate(files, cursor)
    assert isinstance(result, dg.SkipReason)  # nothing new

    invoice.write_bytes(b"corrected")
    os.utime(invoice, ns=(1, 2))
    result, cursor = evaluate(files, cursor)
    assert isinstance(result, dg.RunRequest)
