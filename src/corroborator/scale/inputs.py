"""Which files a batch reads, numbered in the order ``corroborator ingest`` reads them.

A folder is walked as :func:`corroborator.ingest.read_paths` walks it (depth-first, names in order,
hidden and documentation files skipped), so file number and record number give both engines one read
order. Paths with a scheme (``s3a://``, ``hdfs://``, ``file:``) are listed by Spark's Hadoop file system
instead (see :mod:`corroborator.scale.spark`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from corroborator.errors import InputError
from corroborator.ingest import _DOC_FILES, read_bytes
from corroborator.model import Article
from corroborator.scale.rows import seq_of
from corroborator.settings import Settings


def is_uri(path: str) -> bool:
    return "://" in path or path.startswith("file:")


def skip_name(name: str) -> bool:
    """Names the ingest walk skips: hidden files and README/LICENSE-like documentation."""
    return name.startswith(".") or bool(_DOC_FILES.match(name))


def list_local(paths: Sequence[str | Path]) -> tuple[list[str], list[InputError]]:
    """Absolute file paths in read order, and one InputError per path that cannot be listed."""
    files: list[str] = []
    errors: list[InputError] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(path, files, errors, set())
        elif path.exists():
            files.append(str(path.resolve()))
        else:
            errors.append(InputError(str(path), "no such file or folder (a broken link or a typo?)"))
    return files, errors


def _walk(folder: Path, files: list[str], errors: list[InputError], seen: set[tuple[int, int]]) -> None:
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
        if key in seen:
            errors.append(InputError(str(folder), "folder loop: a symbolic link leads back to a folder already read"))
            return
        seen.add(key)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        errors.append(InputError(str(folder), f"cannot read the folder: {exc.strerror or type(exc).__name__}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            _walk(Path(entry.path), files, errors, seen)
        elif not skip_name(entry.name):
            files.append(str(Path(entry.path).resolve()))


def read_one(file_no: int, name: str, data: bytes, settings: Settings) -> Iterator[tuple[int, Article] | InputError]:
    """The articles of one file with their read-order number, then its InputErrors (ingest's reader)."""
    articles, errors = read_bytes(name, data, settings)
    for record_no, article in enumerate(articles):
        yield seq_of(file_no, record_no), article
    yield from errors


def read_local(file_no: int, path: str, settings: Settings) -> Iterator[tuple[int, Article] | InputError]:
    try:
        size = os.path.getsize(path)
        if size > settings.max_file_bytes:
            yield InputError(path, f"it is {size:,} bytes, over the limit of {settings.max_file_bytes:,}")
            return
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or type(exc).__name__}")
        return
    if not data:
        yield InputError(path, "empty file (0 bytes)")
        return
    yield from read_one(file_no, path, data, settings)
