"""The batch's pure pieces without Spark: schema, rows, LSH pairs, time blocks, stitching."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from corroborator.scale import stages
from corroborator.scale.rows import analysed_from_row, article_row, minhash_column, minhash_from_column, seq_of
from corroborator.scale.schema import TABLES, _split_fields, ddl, schema_markdown
from tests.conftest import REPO


def test_scale_schema_documented_in_batch_md() -> None:
    doc = (REPO / "docs" / "batch.md").read_text(encoding="utf-8")
    assert schema_markdown() in doc, "docs/batch.md's tables are stale: paste scale.schema.schema_markdown()"


def test_scale_schema_types_parse_for_arrow_and_spark() -> None:
    pa = pytest.importorskip("pyarrow", reason="needs the spark extra")
    from corroborator.scale.schema import arrow_schema

    for table in TABLES:
        schema = arrow_schema(table)
        assert schema.names == [c for c, _, _ in TABLES[table]]
        assert "`end`" in ddl("claims")
    side = arrow_schema("conflicts").field("sides").type.value_type
    assert isinstance(side, pa.StructType) and side.get_field_index("end") >= 0
    assert _split_fields("a:int,b:array<struct<c:int,d:int>>") == [("a", "int"), ("b", "array<struct<c:int,d:int>>")]


def test_scale_rows_round_trip_keeps_spans_and_signature_bits() -> None:
    from corroborator.model import AnalysedArticle, Article
    from corroborator.text.sentences import split_sentences

    text = "The council voted 7 to 2 on Tuesday. The plan costs $4 million. Critics said it was rushed."
    article = Article.create(text, title="Vote", published=datetime(2024, 5, 1, 9, 30, tzinfo=UTC), source="X")
    sig = np.array([2**64 - 1, 5, 2**63 + 7] + [1] * 13, dtype=np.uint64)
    item = AnalysedArticle(article, split_sentences(article), (0.5, -0.25), tuple(int(x) for x in sig), ("Council",))
    row = article_row(item, seq_of(3, 4), "embed.test")
    assert row["seq"] == (3 << 32) | 4
    assert min(row["minhash"]) < 0  # stored as signed 64-bit
    back = analysed_from_row(row)
    assert back.article == article
    assert back.sentences == item.sentences
    assert back.minhash == item.minhash
    assert minhash_from_column(minhash_column(sig)) == tuple(int(x) for x in sig)


def test_scale_bucket_pairs_later_to_earlier_and_best_original() -> None:
    pairs = list(stages.bucket_pairs([(5, "c"), (1, "a"), (3, "b"), (1, "a")]))
    assert pairs == [("b", (1, "a")), ("c", (1, "a")), ("c", (3, "b"))]
    assert stages.best_original([(3, "b", 0.9), (1, "a", 0.9), (2, "x", 0.5)], 0.8) == ("a", 0.9)
    assert stages.best_original([(2, "x", 0.5)], 0.8) is None


def test_scale_resolve_roots_follows_chains_to_the_first_original() -> None:
    roots = stages.resolve_roots({"c": ("b", 0.9), "b": ("a", 0.85), "e": ("d", 1.0)})
    assert roots == {"c": ("a", 0.9), "b": ("a", 0.85), "e": ("d", 1.0)}


@pytest.mark.parametrize(
    ("day_offset", "expected"),
    [
        (0, [(0, True), (-1, False)]),  # first day of block 0: context for the block before
        (50, [(0, True)]),
        (89, [(0, True), (1, False)]),  # last day: context for the next block
    ],
)
def test_scale_blocks_send_edge_articles_to_the_neighbour(day_offset: int, expected: list[tuple[int, bool]]) -> None:
    base = 90 * 8000  # a day ordinal at a block boundary (block 8000 of 90 days)
    published = datetime.fromordinal(base + day_offset).isoformat()
    got = stages.blocks_of({"published": published}, 90, 14)
    assert got == [(b + 8000, own) for b, own in expected]
    assert stages.blocks_of({"published": None}, 90, 14) == [(stages.UNDATED, True)]


def test_scale_stitch_unites_labels_through_context_and_copies() -> None:
    P = stages.Placed
    placed = [
        P("a", 0, True, "0:s1", None),
        P("b", 1, True, "1:s2", None),
        P("a", 1, False, "1:s2", None),  # a seen as context in block 1 joined b's story there
        P("c", 2, True, "2:s3", "b"),  # c is a copy of b, alone in block 2
        P("d", 2, True, "2:s4", None),
    ]
    merged = stages.stitch(placed)
    assert merged["0:s1"] == merged["1:s2"] == merged["2:s3"]
    assert merged["2:s4"] == "2:s4"
