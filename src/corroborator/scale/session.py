"""The Spark session of ``batch --engine spark``: started once per batch, its driver JVM from a class archive.

Most of a small batch's fixed cost was the driver JVM loading and verifying Spark's classes: ~14,000 of
them, at start and again at the first DataFrame and Parquet write. Java's class-data sharing keeps them
in an archive that later JVMs map instead (JDK 13+; ``-XX:SharedArchiveFile``). The archive is made once
per Java runtime and Spark install, in the user's cache folder (``settings.cache_dir()``, ~170 MB):

1. no archive yet: the batch's JVM runs with ``-XX:ArchiveClassesAtExit`` pointing at a file of its own;
   :func:`stop_session` ends that JVM (it writes the archive as it exits, ~10 s once) and renames the file
   into place, so no JVM ever maps a half-written archive (it would crash on it with SIGBUS);
2. afterwards: every driver JVM maps it. If a start with the archive fails all the same (a damaged file),
   the archive is deleted and the session started without it.

The archive's name hashes the Java executable, Spark's jars and the options that change which classes
load, so an upgrade of either makes a new one instead of a JVM refusing (or crashing on) the old.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corroborator.errors import CorroboratorError

# JVM logging of the archive is off: a run without a usable one is only slower, never wrong, and its
# warnings would land in the batch's output.
_QUIET = "-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
# Options whose value changes the classes a driver loads or how they are laid out: part of the name.
_KEYED_CONF = ("spark.driver.memory", "spark.driver.extraClassPath", "spark.jars", "spark.jars.packages")


@dataclass(frozen=True, slots=True)
class ClassArchive:
    path: Path  # the archive, present once made
    dump_to: Path | None  # where this process's JVM writes it at exit; None: the JVM maps ``path``

    def java_options(self) -> str:
        if self.dump_to is not None:
            return f"{_QUIET} -XX:ArchiveClassesAtExit={self.dump_to}"
        return f"{_QUIET} -XX:SharedArchiveFile={self.path}"


_dumping: ClassArchive | None = None  # the archive this process's running JVM will write at exit


def need_pyspark() -> Any:
    try:
        import pyspark
    except ImportError:
        raise CorroboratorError("--engine spark needs pyspark: pip install 'corroborator[spark]'") from None
    return pyspark


def make_session(
    master: str, event_dir: str | None = None, conf: dict[str, str] | None = None, *, class_archive: bool = True
) -> Any:
    """A Spark session; in local mode the Python workers are this interpreter (the same packages)."""
    need_pyspark()
    from pyspark.errors import PySparkRuntimeError

    global _dumping
    settings = _session_conf(master, event_dir, conf)
    archive = _class_archive(settings) if class_archive and _launches_jvm() else None
    try:
        spark = _start(settings, archive)
    except PySparkRuntimeError:
        if archive is None:
            raise
        if archive.dump_to is None:
            archive.path.unlink(missing_ok=True)  # the JVM died on the archive: never map it again
        archive = None
        spark = _start(settings, None)  # the archive is only a speed-up: a start without it must work
    _dumping = archive if archive is not None and archive.dump_to is not None else None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def stop_session(spark: Any) -> None:
    """Stop a session of :func:`make_session`; a JVM that is making the class archive ends here and the
    archive is published (the next session in this process starts a JVM of its own)."""
    global _dumping
    spark.stop()
    archive, _dumping = _dumping, None
    if archive is None or archive.dump_to is None:
        return
    returncode = end_jvm()
    done = returncode == 0 and archive.dump_to.exists() and archive.dump_to.stat().st_size > 0
    with contextlib.suppress(OSError):
        if done:
            os.replace(archive.dump_to, archive.path)  # atomic: a JVM maps the whole archive or none
        else:
            archive.dump_to.unlink(missing_ok=True)


def end_jvm() -> int | None:
    """End the driver JVM this process launched (pyspark keeps it for the next session otherwise); the
    next session launches a new one. Its exit code, None when there was none or it had to be killed."""
    import subprocess

    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None)
    SparkContext._gateway = None
    SparkContext._jvm = None
    if gateway is None or proc is None:
        return None
    with contextlib.suppress(Exception):
        gateway.shutdown()
    try:
        if proc.stdin is not None:
            proc.stdin.close()  # the launcher exits on EOF (a JVM making an archive writes it first)
        return int(proc.wait(timeout=300))
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        return None


def _session_conf(master: str, event_dir: str | None, conf: dict[str, str] | None) -> dict[str, str]:
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    out = {
        "spark.master": master,
        "spark.app.name": "corroborator-batch",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.python.worker.reuse": "true",
        # Models loaded once per executor and forked into its workers (scale/daemon.py).
        "spark.python.daemon.module": "corroborator.scale.daemon",
        "spark.executor.processTreeMetrics.enabled": "true",
    }
    if master.startswith("local"):
        out["spark.driver.bindAddress"] = out["spark.driver.host"] = "127.0.0.1"
    if event_dir:
        out["spark.eventLog.enabled"] = "true"
        out["spark.eventLog.dir"] = event_dir
        out["spark.eventLog.compress"] = "false"  # read back as JSON lines by event_log_metrics
    out.update(conf or {})
    return out


def _start(settings: dict[str, str], archive: ClassArchive | None) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    options = dict(settings)
    if archive is not None:
        own = options.get("spark.driver.extraJavaOptions", "")
        options["spark.driver.extraJavaOptions"] = f"{archive.java_options()} {own}".strip()
    for key, value in options.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _launches_jvm() -> bool:
    """Whether a new session starts a driver JVM here (not one already running, nor one given to us)."""
    from pyspark import SparkContext

    return SparkContext._gateway is None and "PYSPARK_GATEWAY_PORT" not in os.environ


def _class_archive(settings: dict[str, str]) -> ClassArchive | None:
    """The archive for this Java and Spark, or where to make it; None where no cache can be written."""
    from corroborator.settings import cache_dir

    java = _java()
    if java is None or _java_major(java) < 13:  # dynamic archives came with JDK 13 (Spark runs on 8 and 11 too)
        return None
    try:
        folder = cache_dir() / "spark"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"classes-{_archive_key(java, settings)}.jsa"
        if path.exists():
            return ClassArchive(path, None)
        _remove_stale(folder)
        return ClassArchive(path, folder / f"{path.stem}.{os.getpid()}.partial")
    except OSError:
        return None


def _java() -> Path | None:
    """The Java executable Spark's launcher runs (``JAVA_HOME``, else ``java`` on the path)."""
    home = os.environ.get("JAVA_HOME")
    found = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return Path(found).resolve() if found and os.path.exists(found) else None


def _java_major(java: Path) -> int:
    """The runtime's major version from its ``release`` file (``JAVA_VERSION="17.0.15"``); 0 if unknown."""
    import re

    try:
        text = (java.parent.parent / "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    found = re.search(r'^JAVA_VERSION="(?:1\.)?(\d+)', text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _archive_key(java: Path, settings: dict[str, str]) -> str:
    from pyspark.find_spark_home import _find_spark_home

    h = hashlib.sha1()
    jars = sorted(Path(_find_spark_home(), "jars").glob("*.jar"))
    for path in [java, *jars]:
        st = path.stat()
        h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    for key in _KEYED_CONF:
        h.update(f"{key}={settings.get(key, '')}\n".encode())
    return h.hexdigest()[:16]


def _remove_stale(folder: Path) -> None:
    """Partial archives of processes that are gone (a batch killed before its JVM ended)."""
    for partial in folder.glob("classes-*.partial"):
        pid = partial.suffixes[-2].lstrip(".") if len(partial.suffixes) >= 2 else ""
        if pid.isdigit() and not _alive(int(pid)):
            partial.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["ClassArchive", "end_jvm", "make_session", "need_pyspark", "stop_session"]
