"""Article versions: what changed between two versions of one article, claim by claim.

An outlet edits a published article: a death toll is revised, a name corrected, a quote reworded or
dropped, a correction note appended, the headline rewritten. A text diff shows every comma; this diff
says which *claims* changed and which typed *facts* in them (:mod:`corroborator.text.facts`), and keeps
refactors apart from real changes:

- ``unchanged``: the same claim at the same place;
- ``moved``: the same claim, elsewhere in the article (a paragraph moved);
- ``reformatted``: the same words with different white space or punctuation (a scraper gluing a link's
  text to the next word, "country'sdeadliest"), or one sentence split in two / two merged;
- ``added``, ``removed``, ``changed``: the real changes, each with its :class:`FactChange` list.

Claims are matched in three passes, strictest first: the same words (a key without case, white space
or punctuation), a resegmentation (one claim's key is the concatenation of consecutive claims' keys on
the other side), then the most similar remaining pair by word sequence (difflib), accepted when the two
share most words or one holds nearly all of the other's words (a sentence extended by a clause). What
stays unmatched is added or removed.

Facts in a changed pair are compared by kind and normalised value; a fact whose words still appear in
the other version nearby (the paired claim and its neighbours) is not a change, so a named-entity
boundary that moved or a sentence cut elsewhere does not report a name as removed. A removed and an
added fact of the same kind in one claim are one revision ("12 dead" -> "15 dead").

Whether a change moved the story's corroboration status is :mod:`corroborator.provenance.version_status`.
"""

import re
from collections.abc import Sequence

from corroborator.model import Article, Claim, Fact
from corroborator.provenance.version_facts import fact_changes, unlisted_facts, word_edits
from corroborator.provenance.version_match import Match, match_claims, similarity, text_key, words
from corroborator.provenance.version_model import (
    REAL_CHANGES,
    REFACTORS,
    ArticleVersion,
    ChangeKind,
    ClaimChange,
    FactChange,
    FactChangeKind,
    NoteKind,
    Part,
    VersionDiff,
    WordEdit,
)

__all__ = [
    "REAL_CHANGES", "REFACTORS", "ArticleVersion", "ChangeKind", "ClaimChange", "FactChange", "FactChangeKind",
    "NoteKind", "Part", "VersionDiff", "WordEdit", "diff_claims", "diff_versions", "fact_changes", "match_claims",
    "note_kind", "text_key", "unlisted_facts", "version_claims", "word_edits",
]  # fmt: skip


def version_claims(version: ArticleVersion) -> tuple[Claim, ...]:
    """The claims of one version, from its cached sentences and facts or computed (the product's own
    stages: split_sentences, extract_facts, build_claims)."""
    from corroborator.compare.claims import build_claims
    from corroborator.text.facts import extract_facts
    from corroborator.text.sentences import split_sentences

    article = version.article
    sentences = version.sentences or split_sentences(article)
    facts = version.facts if version.facts is not None else extract_facts(article, sentences)
    claims = list(build_claims(article, sentences, facts))
    # build_claims leaves page furniture out of comparisons (credit lines, correction and update notes),
    # but what an outlet appends there is part of its edit history: each such sentence is a claim here.
    covered = {c.sentence for c in claims}
    for sentence in sentences:
        if sentence.index in covered or not any(ch.isalnum() for ch in sentence.text):
            continue
        inside = tuple(f for f in facts if sentence.start <= f.start < sentence.end)
        claims.append(Claim(f"{article.id}:{sentence.start}-{sentence.end}", article.id, sentence.index,
                            sentence.start, sentence.end, sentence.text, inside, article.language))  # fmt: skip
    return tuple(sorted(claims, key=lambda c: (c.start, c.end)))


# -- notes and headline ----------------------------------------------------------------------------------

_NOTES: tuple[tuple[NoteKind, re.Pattern[str]], ...] = (
    ("correction", re.compile(r"^\W*(?:correction|clarification)\b|\ban earlier version of this\b", re.I)),
    ("editor", re.compile(r"^\W*editor[’']?s\s+note\b", re.I)),
    ("update", re.compile(r"^\W*update[ds]?\b|\bthis is a developing story\b"
                          r"|\bthis (?:story|article|post|report|piece)(?: and(?: its)? headlines?)? "
                          r"(?:has been|have been|was|is) updated\b", re.I)),
)  # fmt: skip


def note_kind(text: str) -> NoteKind | None:
    """Whether a claim is a correction, editor's or update note."""
    for kind, pattern in _NOTES:
        if pattern.search(text):
            return kind
    return None


def _title_claim(article: Article) -> Claim | None:
    """The headline as a claim of its own: offsets into the title, facts found in it."""
    if not article.title or not article.title.strip():
        return None
    from corroborator.text.facts import extract_facts
    from corroborator.text.sentences import split_sentences

    title = Article.create(article.title, language=article.language, published=article.published)
    facts = extract_facts(title, split_sentences(title))
    return Claim(
        f"{article.id}:headline", article.id, -1, 0, len(article.title), article.title, facts, article.language
    )


def _headline(before: Article, after: Article) -> ClaimChange | None:
    if (before.title or "") == (after.title or ""):
        return None
    a, b = _title_claim(before), _title_claim(after)
    if a is None or b is None:
        return ClaimChange("removed" if b is None else "added", a, b, part="headline", similarity=0.0)
    if text_key(a.text) == text_key(b.text):
        return ClaimChange("reformatted", a, b, part="headline")
    ratio, _ = similarity(words(a.text), words(b.text))
    return ClaimChange(
        "changed", a, b, facts=fact_changes(a, b), edits=word_edits(a, b), similarity=round(ratio, 4), part="headline"
    )


# -- the diff ---------------------------------------------------------------------------------------------


def _merged(claims: Sequence[Claim], i: int, extra: list[int], text: str | None) -> Claim:
    """Claim ``i`` widened over the clauses in ``extra`` (for comparing words and facts only)."""
    if not extra or text is None:
        return claims[i]
    parts = [claims[k] for k in sorted([i, *extra])]
    start, end = parts[0].start, parts[-1].end
    facts = tuple(f for c in parts for f in c.facts)
    return Claim(claims[i].id, claims[i].article_id, claims[i].sentence, start, end, text[start:end], facts,
                 claims[i].language)  # fmt: skip


def _all_facts(claim: Claim) -> list[Fact]:
    """A claim's typed facts and the names and figures they missed, in text order."""
    return sorted([*claim.facts, *unlisted_facts(claim)], key=lambda f: (f.start, f.end))


def _change(
    m: Match, old: Sequence[Claim], new: Sequence[Claim], old_text: str | None, new_text: str | None
) -> ClaimChange:
    a = old[m.old] if m.old is not None else None
    b = new[m.new] if m.new is not None else None
    if m.kind == "added" and b is not None:
        facts = tuple(FactChange(f.kind, "added", after=f) for f in _all_facts(b))
        return ClaimChange("added", None, b, facts, similarity=0.0, note=note_kind(b.text))
    if m.kind == "removed" and a is not None:
        facts = tuple(FactChange(f.kind, "removed", before=f) for f in _all_facts(a))
        return ClaimChange("removed", a, None, facts, similarity=0.0, note=note_kind(a.text))
    if m.kind != "changed" or a is None or b is None:
        return ClaimChange(m.kind, a, b, similarity=m.similarity)
    assert m.old is not None and m.new is not None
    wide_a, wide_b = _merged(old, m.old, m.with_old, old_text), _merged(new, m.new, m.with_new, new_text)
    edits = word_edits(wide_a, wide_b, cut=bool(m.with_old or m.with_new))
    if not edits:
        return ClaimChange("reformatted", a, b, similarity=m.similarity)
    facts = fact_changes(wide_a, wide_b, edits=edits)
    note = note_kind(b.text)
    return ClaimChange("changed", a, b, facts, edits, m.similarity, note)


def _order(m: Match, anchors: dict[int, int]) -> tuple[float, int]:
    """Sort key in the after version's order; a removed claim sits just after the last claim before it
    that was kept."""
    if m.new is not None:
        return float(m.new), 1
    assert m.old is not None
    before = [anchors[i] for i in anchors if i < m.old]
    return (max(before) + 0.5 if before else -0.5), m.old


def diff_claims(
    old: Sequence[Claim], new: Sequence[Claim], old_text: str | None = None, new_text: str | None = None
) -> list[ClaimChange]:
    """The body's claim changes between two claim lists (of one article's two versions, whose texts
    ``old_text``/``new_text`` are when known)."""
    matches = match_claims(old, new, old_text, new_text)
    anchors = {m.old: m.new for m in matches if m.old is not None and m.new is not None}
    matches.sort(key=lambda m: _order(m, anchors))
    return [_change(m, old, new, old_text, new_text) for m in matches]


def diff_versions(
    before: ArticleVersion | Article,
    after: ArticleVersion | Article,
    *,
    claims: tuple[Sequence[Claim], Sequence[Claim]] | None = None,
) -> VersionDiff:
    """What changed from ``before`` to ``after`` (two versions of one article), claim by claim.

    ``claims`` are the two versions' claims when the caller has them (the store's cache); else they are
    built from each version's sentences and facts, computed when not cached."""
    vb = before if isinstance(before, ArticleVersion) else ArticleVersion(before)
    va = after if isinstance(after, ArticleVersion) else ArticleVersion(after)
    old, new = claims if claims is not None else (version_claims(vb), version_claims(va))
    changes = diff_claims(old, new, vb.article.text, va.article.text)
    headline = _headline(vb.article, va.article)
    if headline is not None:
        changes.insert(0, headline)
    return VersionDiff(vb.article.id, va.article.id, tuple(changes))
