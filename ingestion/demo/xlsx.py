"""Byte-deterministic XLSX: openpyxl's `save` stamps the clock into docProps/core.xml and into every zip entry,
so the workbook is written with its ExcelWriter under fixed dates and re-zipped with fixed entry times."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED = datetime(2020, 1, 1)


def save(workbook: Workbook, path: Path) -> None:
    workbook.properties.created = FIXED
    workbook.properties.modified = FIXED
    workbook.properties.creator = "ingestion.demo"
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
