"""Word-level cues a stance judgement leans on: content words, numbers, names, refutation and hedging.

No model ships that reads entailment, so the stance classifier sees these cheap, explainable signals
beside the embedding similarities. Lexicons are short and English; they are cues, not rules.
"""

from __future__ import annotations

import itertools
import re

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,]*(?:\.\d+)?")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: frozenset[str] = _set(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can cannot could couldn't did didn't do does doesn't doing don't down during
    each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's
    me more most mustn't my myself nor of off on once only or other ought our ours ourselves out over own
    same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves says said say just also will new one two like get got may might"""
)

# Cue families: (words, phrases). Each family is one feature group; the classifier learns the weights.
CUE_FAMILIES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    # denying or debunking what the claim asserts
    "deny": (
        _set("deny denies denied denying denial dismissed dismisses rejects rejected"),
        ("set the record straight",),
    ),
    "false": (
        _set("""fake fakes faked false falsely untrue bogus hoax hoaxes fraud fraudulent fabricated
            fabrication doctored photoshopped baseless unfounded myth myths lie lies lied nonsense
            rubbish misleading misinformation"""),
        ("not true", "isn't true", "no truth", "not real", "made up"),
    ),
    "debunk": (
        _set("""debunk debunks debunked debunking refute refutes refuted refuting retract retracts
            retracted retraction disputed disputes contradicts contradicted"""),
        ("no evidence", "never happened", "did not happen", "didn't happen", "not the case", "turned out"),
    ),
    "joke": (_set("satire satirical prank pranks joke jokes parody spoof"), ("was a joke",)),
    # reporting without endorsing (the register of "discusses")
    "hedge_adverb": (
        _set("reportedly allegedly alleged alleges purportedly purported supposedly apparently"),
        (),
    ),
    "hedge_claim": (_set("claim claims claimed claiming"), ()),
    "rumor": (
        _set("""rumor rumors rumour rumours rumored rumoured speculation speculated speculate
            unconfirmed unverified"""),
        ("could not be verified", "not yet confirmed", "has not been confirmed", "cannot confirm"),
    ),
    "modal": (_set("may might could possibly possible perhaps maybe if whether unclear uncertain"), ()),
    "seem": (
        _set("appears appear appeared seems seem seemed suggests suggest suggested believed"),
        ("said to be",),
    ),
    "source": (_set("report reports reported according sources source"), ()),
    "attribution": (_set("said says told stated statement spokesman spokeswoman spokesperson"), ()),
    # stating or confirming (the register of "supports")
    "confirm": (
        _set("""confirmed confirms confirm confirming officially announced announces indeed revealed
            reveals verified proves proved proof"""),
        (),
    ),
    "negation": (
        _set("""not no never none nobody nothing neither nor without cannot isn't wasn't aren't weren't
            doesn't don't didn't won't wouldn't can't couldn't hasn't haven't hadn't"""),
        (),
    ),
}
CUE_NAMES: tuple[str, ...] = (*CUE_FAMILIES, "question")
REFUTING: tuple[str, ...] = ("deny", "false", "debunk", "joke")
HEDGING: tuple[str, ...] = ("hedge_adverb", "hedge_claim", "rumor", "modal", "seem", "source")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers kept as written, without thousands separators)."""
    return [w.lower().replace(",", "") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A crude suffix strip: enough to match 'deny'/'denied', 'kill'/'killed' across claim and body."""
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


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
