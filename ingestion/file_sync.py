"""Load a drop folder of files into `raw`: one batch per new or changed file, nothing twice.

A file is identified by its name and content hash (`ops.loaded_files`, written in the same
transaction as its rows), so re-running skips what is loaded and a corrected file replaces
its earlier rows by natural key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingestion.connectors.files import FileSource, Rejected
from ingestion.loader.batch import Batch, Counts

LOADED_FILES_DDL = """
create table if not exists ops.loaded_files (
    source    text        not null,
    file      text        not null,
    sha256    text        not null,
    batch_id  bigint      not null,
    loaded_at timestamptz not null default now(),
    primary key (source, file)
)"""


@dataclass
class FileResult:
    file: str
    counts: Counts
    skipped: bool = False


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def loaded_digests(loader, source: str) -> dict[str, str]:
    with loader.connect(autocommit=True) as conn:
        conn.execute(LOADED_FILES_DDL)
        return dict(conn.execute("select file, sha256 from ops.loaded_files where source = %s", (source,)).fetchall())


def pending_files(loader, source: FileSource, folder: Path) -> list[Path]:
    """Files in the folder that are new or changed since they were loaded."""
    done = loaded_digests(loader, source.name)
    return [p for p in sorted(folder.glob(source.pattern)) if done.get(p.name) != sha256(p)]


def load_file(loader, source: FileSource, path: Path) -> Counts:
    digest = sha256(path)
    with Batch(loader, source=source.name, mode="file", entity=source.spec.entity) as batch:
        for item in source.parse(path):
            if isinstance(item, Rejected):
                batch.reject(source.spec, record_key=item.record_key, field=item.field,
                             reason=f"{path.name}: {item.reason}", payload=item.payload)
            else:
                batch.add(source.spec, item)
        batch.also(
            "insert into ops.loaded_files (source, file, sha256, batch_id) values (%s, %s, %s, %s) "
            "on conflict (source, file) do update set sha256 = excluded.sha256, batch_id = excluded.batch_id, "
            "loaded_at = now()", (source.name, path.name, digest, batch.batch_id))
    return batch.counts.get(source.spec.entity, Counts())


def sync_folder(loader, source: FileSource, folder: Path) -> list[FileResult]:
    if not folder.is_dir():
        raise FileNotFoundError(f"{source.name}: drop folder {folder} does not exist")
    return [FileResult(p.name, load_file(loader, source, p)) for p in pending_files(loader, source, folder)]
