"""Lineage: carried-over share, order, verbatim runs, and direction only from publication times."""

from __future__ import annotations

from datetime import UTC, datetime

from corroborator.compare.lineage import derive, is_rewrite, order_agreement, source_groups, verbatim_runs
from corroborator.model import Alignment, Article, Claim


def _claims(a: Article, n: int) -> list[Claim]:
    return [Claim(f"{a.id}:{i}-{i + 1}", a.id, i, i, i + 1, a.text[i : i + 1]) for i in range(n)]


def test_compare_lineage_shared_quotes_are_not_copying() -> None:
    quote = "we were lucky the wind turned when it did and the town was spared"
    assert verbatim_runs(f'The mayor said "{quote}" on Monday.', f'The chief said "{quote}" at noon.') == 0


def test_compare_lineage_verbatim_runs_count_runs_of_eight_words() -> None:
    shared = "the crews worked through the night to stop the blaze from spreading"
    a = f"Firefighters said {shared} and residents left. Later the mayor spoke."
    b = f"Officials said {shared}, while the council met. The mayor spoke later."
    assert verbatim_runs(a, b) == 1
    assert verbatim_runs(a, b, min_words=20) == 0
    assert verbatim_runs("one two three", "four five six") == 0


def test_compare_lineage_order_agreement() -> None:
    assert order_agreement([(0, 0), (1, 1), (2, 2)]) == 1.0
    assert order_agreement([(0, 2), (1, 1), (2, 0)]) == 0.0
    assert order_agreement([]) == 0.0


def test_compare_lineage_direction_needs_publication_times() -> None:
    shared = "crews worked through the night to stop the blaze from spreading to the warehouses"
    early = Article.create(f"Wire copy: {shared}.", source="Wire", published=datetime(2026, 3, 4, 6, 10, tzinfo=UTC))
    late = Article.create(f"Paper copy: {shared}.", source="Paper", published=datetime(2026, 3, 4, 10, 45, tzinfo=UTC))
    ca, cb = _claims(early, 4), _claims(late, 4)
    al = [Alignment(ca[i].id, cb[i].id, "same", 0.9) for i in range(3)]
    d = derive(late, early, cb, ca, al)  # given in the "wrong" order: the earlier becomes a
    assert (d.a, d.b, d.direction) == (early.id, late.id, "a->b")
    assert d.carried_share == 0.75 and d.order_kept == 1.0
    assert "4 h 35 min before" in d.evidence
    assert d.added_by_b == (cb[3].id,) and d.added_by_a == (ca[3].id,)
    assert d.verbatim_runs == 1 and is_rewrite(d)

    undated = Article.create("C" * 50, source="Radio")
    cu = _claims(undated, 4)
    d2 = derive(early, undated, ca, cu, [Alignment(ca[0].id, cu[0].id, "overlap", 0.7)])
    assert d2.direction == "shared origin"
    assert not is_rewrite(d2)


def test_compare_lineage_source_groups_join_rewrites() -> None:
    groups = source_groups(["a", "b", "c", "d"], [("b", "a"), ("c", "b")])
    assert groups["a"] == groups["b"] == groups["c"] != groups["d"]
