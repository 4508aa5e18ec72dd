"""Word-level cues a stance judgement leans on: content words, numbers, names, refutation and hedging.

No model ships that reads entailment, so the stance classifier sees these cheap, explainable signals
beside the embedding similarities. Lexicons are short and English (data files under
``data/words/en/``); they are cues, not rules.
"""

from __future__ import annotations

import itertools
import re

from corroborator.text import words as text_words

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,]*(?:\.\d+)?")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


# Family order is the stance model's feature order (data/stance_model.npz); the words are data files,
# ``data/words/en/stance/<family>.txt``: single words, and phrases (entries with a space).
_FAMILY_ORDER: tuple[str, ...] = (
    # denying or debunking what the claim asserts
    "deny", "false", "debunk", "joke",
    # reporting without endorsing (the register of "discusses")
    "hedge_adverb", "hedge_claim", "rumor", "modal", "seem", "source", "attribution",
    # stating or confirming (the register of "supports")
    "confirm", "negation",
)  # fmt: skip

STOPWORDS: frozenset[str] = text_words.stopwords("en")


def _family(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    items = text_words.entries("en", f"stance/{name}")
    return frozenset(e for e in items if " " not in e), tuple(e for e in items if " " in e)


# Cue families: (words, phrases). Each family is one feature group; the classifier learns the weights.
CUE_FAMILIES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {name: _family(name) for name in _FAMILY_ORDER}
CUE_NAMES: tuple[str, ...] = (*CUE_FAMILIES, "question")
REFUTING: tuple[str, ...] = ("deny", "false", "debunk", "joke")
HEDGING: tuple[str, ...] = ("hedge_adverb", "hedge_claim", "rumor", "modal", "seem", "source")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers kept as written, without thousands separators)."""
    return [w.lower().replace(",", "") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """The suffix strip the shipped stance model (data/stance_model.npz) was trained with.

    Not :func:`corroborator.text.words.stem` (Snowball): on 400 held-out FNC-1 rows Snowball changed 7
    stance labels (306 right against 307), because the model's weights were fitted to these stems. Switch
    to Snowball together with a retraining (training/train_stance.py), not before.
    """
    return text_words.suffix_stem(word, "stance")


def content_words(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1 and not w[0].isdigit()}


def bigrams(text: str) -> set[tuple[str, str]]:
    toks = [stem(w) for w in words(text) if w not in STOPWORDS]
    return set(itertools.pairwise(toks))


def numbers(text: str) -> set[float]:
    out: set[float] = set()
    for m in _NUMBER.findall(text):
        try:
            out.add(float(m.replace(",", "")))
        except ValueError:
            continue
    return out


def names(text: str) -> set[str]:
    """Capitalised words that are not sentence-initial: a cheap stand-in for named entities.

    Headlines in Title Case make every word look like a name; then only words that are not stop words
    and are at least 3 letters count, which degrades to content words rather than to noise.
    """
    out: set[str] = set()
    for m in _WORD.finditer(text):
        w = m.group(0)
        before = text[max(0, m.start() - 3) : m.start()].rstrip()
        initial = not before or before[-1] in '.!?:"\u201c'
        if w[0].isupper() and not initial and w.lower() not in STOPWORDS and len(w) >= 3:
            out.add(w.lower())
    return out


def cue_counts(text: str) -> list[int]:
    """Occurrences of each cue family in ``text``, in CUE_NAMES order (the last is the '?' count)."""
    toks = words(text)
    low = " " + " ".join(toks) + " "
    out = []
    for vocab, phrases in CUE_FAMILIES.values():
        out.append(sum(t in vocab for t in toks) + sum(low.count(f" {p} ") for p in phrases))
    out.append(text.count("?"))
    return out
