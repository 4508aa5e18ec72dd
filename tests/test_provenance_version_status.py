"""Whether a version's changes moved the story's corroboration (corroborator.provenance.version_status),
with the deterministic stand-in models (tests/test_compare_support.py), not the real ones."""

from __future__ import annotations

from corroborator.model import Article
from corroborator.provenance.version_status import story_status_changes
from corroborator.provenance.versions import ArticleVersion, diff_versions
from corroborator.settings import Settings
from tests.test_compare_support import CosineJudge, FakeEncoder

OTHER = (
    "Floodwaters swept through the river town of Millbrook on Monday.\n\n"
    "At least 15 people died in the flooding in Millbrook, the county sheriff said.\n\n"
    "The levee on the east bank of the river failed early on Monday morning."
)
BEFORE = (
    "Floodwaters swept through the river town of Millbrook on Monday.\n\n"
    "At least 12 people died in the flooding in Millbrook, the county sheriff said.\n\n"
    "Schools in the district will stay closed for the rest of the week."
)


def compare_kw() -> dict[str, object]:
    return {"settings": Settings(compare_entailment=False), "judge": CosineJudge(), "encoder": FakeEncoder()}


def versions(after_text: str) -> tuple[ArticleVersion, ArticleVersion, Article]:
    before = ArticleVersion(Article.create(BEFORE, language="en", source="Wire A"), 0)
    after = ArticleVersion(Article.create(after_text, language="en", source="Wire A"), 1)
    return before, after, Article.create(OTHER, language="en", source="Wire B")


def test_version_status_a_revised_figure_ends_a_contradiction() -> None:
    before, after, other = versions(BEFORE.replace("At least 12", "At least 15"))
    diff = diff_versions(before, after)
    changes, was, now = story_status_changes(diff, before, after, [other], **compare_kw())
    assert any(c.kind == "number" for c in was.conflicts)
    assert not any(c.kind == "number" for c in now.conflicts)
    own = [c for c in changes if c.own]
    assert own and own[0].before == "disputed" and own[0].after == "corroborated"
    assert "number" in own[0].conflicts_gone
    assert diff.changes[own[0].change].kind == "changed"
    # The other outlet's claim was disputed by this one and is now corroborated by it.
    theirs = [c for c in changes if not c.own]
    assert theirs and theirs[0].article == other.id and theirs[0].after == "corroborated"


def test_version_status_an_added_claim_corroborates_another_outlet() -> None:
    added = BEFORE + "\n\nThe levee on the east bank of the river failed early on Monday morning."
    before, after, other = versions(added)
    diff = diff_versions(before, after)
    changes, _, _ = story_status_changes(diff, before, after, [other], **compare_kw())
    moved = {(c.own, c.before, c.after) for c in changes}
    assert (True, None, "corroborated") in moved
    assert (False, "single-source", "corroborated") in moved


def test_version_status_a_refactor_moves_nothing() -> None:
    before, after, other = versions(BEFORE.replace("  ", " ").replace("Monday.", "Monday ."))
    diff = diff_versions(before, after)
    changes, _, _ = story_status_changes(diff, before, after, [other], **compare_kw())
    assert not diff.real and not changes
