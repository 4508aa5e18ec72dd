"""The Spark engine's session: a real local JVM, its class archive made once, then mapped; a bad one is survived."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    pytest.importorskip("pyspark", reason="needs the spark extra: pip install -e '.[spark]'")
    if shutil.which("java") is None:
        pytest.skip("needs a Java runtime for Spark (.ci/java.sh installs openjdk-17-jre-headless)")
    from corroborator.scale.session import _java, _java_major

    java = _java()
    if java is None or _java_major(java) < 13:
        pytest.skip("class archives need Java 13 or later")
    from pyspark import SparkContext

    from corroborator.scale.session import end_jvm

    if SparkContext._active_spark_context is not None:
        pytest.skip("another test's Spark session is running in this process")
    end_jvm()  # a JVM an earlier test left running keeps the options it was launched with
    monkeypatch.setenv("CORROBORATOR_CACHE", str(tmp_path))
    yield tmp_path / "spark"
    end_jvm()  # nor may a later test inherit one that maps this test's archive


def _java_options(spark: object) -> str:
    return str(spark.sparkContext.getConf().get("spark.driver.extraJavaOptions", ""))  # type: ignore[attr-defined]


def test_session_makes_its_class_archive_once_then_maps_it(own_cache: Path) -> None:
    from corroborator.scale.session import make_session, stop_session

    spark = make_session("local[1]")
    try:
        assert "ArchiveClassesAtExit" in _java_options(spark)
        assert spark.range(100).count() == 100
    finally:
        stop_session(spark)
    made = sorted(own_cache.glob("classes-*.jsa"))
    assert len(made) == 1 and made[0].stat().st_size > 1_000_000, made
    assert not list(own_cache.glob("*.partial"))  # published by rename, nothing half-written left

    spark = make_session("local[1]")
    try:
        assert f"SharedArchiveFile={made[0]}" in _java_options(spark)
        assert spark.range(100).count() == 100
    finally:
        stop_session(spark)
    assert sorted(own_cache.glob("classes-*.jsa")) == made


def test_session_starts_on_a_damaged_archive(own_cache: Path) -> None:
    from corroborator.scale.session import _class_archive, _session_conf, make_session, stop_session

    archive = _class_archive(_session_conf("local[1]", None, None))
    assert archive is not None
    archive.path.write_bytes(b"not a class archive" * 1000)
    spark = make_session("local[1]")
    try:
        assert spark.range(10).count() == 10
    finally:
        stop_session(spark)


def test_session_without_archive_when_asked(own_cache: Path) -> None:
    from corroborator.scale.session import make_session, stop_session

    spark = make_session("local[1]", class_archive=False)
    try:
        assert "Archive" not in _java_options(spark)
        assert spark.range(10).count() == 10
    finally:
        stop_session(spark)
    assert not list(own_cache.glob("classes-*"))
