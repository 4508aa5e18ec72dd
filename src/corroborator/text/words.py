"""Words per language, in one place: stop words, stems, and the cue lists (negation, hedges, tense, attribution).

Every list is a data file, ``data/words/<lang>/<name>.txt``, so adding a language is adding files. A
file holds one entry a line; ``#`` starts a comment. Word lists (stop words, stance families) are read
as sets. Cue lists are compiled to one case-insensitive regular expression:

* a plain line is a word or phrase matched whole (``\\b`` either side; a space matches any spaces);
* ``re:PATTERN`` is a regular expression used as written (it carries its own ``\\b``);
* ``!PHRASE`` is a phrase that never starts a cue ("not only" is no negation).

Entries are tried in file order, so where two cues start at one place the first listed wins.

Stop words have variants for stages whose behaviour (or shipped model) was fitted to a particular
list: ``stopwords(lang, "pairs")`` reads ``stopwords-pairs.txt`` when the language has one and the
language's ``stopwords.txt`` otherwise; a language without its own ``stopwords.txt`` gets spaCy's
stop words for it (``spacy.lang.<lang>.stop_words``, part of the installed spaCy, no model needed).

Stems come from Snowball (``snowballstemmer``, BSD-3), one algorithm per language; where Snowball has
no stemmer for a language the word is returned lower-cased.

Language codes are ISO 639-1 as :func:`corroborator.text.language.detect_language` returns them;
``None`` (language unknown) reads as English, which is what every stage assumed before languages were
told apart.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
from collections.abc import Iterable
from importlib import resources
from typing import Literal

Tense = Literal["past", "present", "future"]

DEFAULT_LANGUAGE = "en"

# Snowball's algorithm names for the ISO codes we may meet.
_SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


def lang_code(lang: str | None) -> str:
    """The code used to find a language's files: lower case, region dropped ("pt-BR" -> "pt"); None -> "en"."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code if _LANG_CODE.match(code) else DEFAULT_LANGUAGE


def _root() -> resources.abc.Traversable:
    return resources.files("corroborator.data").joinpath("words")


@functools.cache
def languages() -> tuple[str, ...]:
    """Languages that have a folder of word lists, sorted."""
    return tuple(sorted(p.name for p in _root().iterdir() if p.is_dir() and _LANG_CODE.match(p.name)))


@functools.cache
def entries(lang: str | None, name: str) -> tuple[str, ...]:
    """The entries of ``<lang>/<name>.txt`` in file order (comments and blank lines dropped); () if absent."""
    ref = _root().joinpath(lang_code(lang), f"{name}.txt")
    if not ref.is_file():
        return ()
    out = []
    for line in ref.read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            out.append(entry)
    return tuple(out)


def has_list(lang: str | None, name: str) -> bool:
    return bool(entries(lang, name))


@functools.cache
def wordset(lang: str | None, name: str) -> frozenset[str]:
    """The entries of ``<lang>/<name>.txt`` as a set (lower case as written in the file)."""
    return frozenset(entries(lang, name))


# -- stop words ---------------------------------------------------------------------------------------


@functools.cache
def _spacy_stopwords(code: str) -> frozenset[str]:
    try:
        mod = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(str(w).lower() for w in getattr(mod, "STOP_WORDS", ()))


@functools.cache
def stopwords(lang: str | None = None, variant: str | None = None) -> frozenset[str]:
    """Stop words of ``lang``; ``variant`` names a stage's own list where one exists (see module doc)."""
    code = lang_code(lang)
    if variant and has_list(code, f"stopwords-{variant}"):
        return wordset(code, f"stopwords-{variant}")
    if has_list(code, "stopwords"):
        return wordset(code, "stopwords")
    return _spacy_stopwords(code)


# -- stems --------------------------------------------------------------------------------------------

_stem_lock = threading.Lock()  # Snowball stemmer objects keep state between calls


@functools.cache
def _stemmer(code: str) -> object | None:
    algorithm = _SNOWBALL.get(code)
    if algorithm is None:
        return None
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm)


@functools.lru_cache(maxsize=200_000)
def stem(word: str, lang: str | None = None) -> str:
    """The Snowball stem of ``word`` (lower-cased) in ``lang``; the word itself where Snowball has no stemmer."""
    low = word.lower()
    stemmer = _stemmer(lang_code(lang))
    if stemmer is None:
        return low
    with _stem_lock:
        return str(stemmer.stemWord(low))  # type: ignore[attr-defined]


def stems(words: Iterable[str], lang: str | None = None) -> list[str]:
    return [stem(w, lang) for w in words]


# -- cue patterns -------------------------------------------------------------------------------------


def _entry_pattern(entry: str) -> str:
    if entry.startswith("re:"):
        return entry[3:]
    return r"\b" + r"\s+".join(re.escape(w) for w in entry.split()) + r"\b"


@functools.cache
def cue_pattern(lang: str | None, name: str) -> re.Pattern[str] | None:
    """One case-insensitive pattern for the cue list ``<lang>/<name>.txt``; None when the language has none."""
    items = entries(lang, name)
    excluded = [e[1:].strip() for e in items if e.startswith("!")]
    alternatives = [_entry_pattern(e) for e in items if not e.startswith("!")]
    if not alternatives:
        return None
    guard = "(?!" + "|".join(re.escape(e) for e in excluded) + ")" if excluded else ""
    return re.compile("|".join(f"{guard}(?:{alt})" for alt in alternatives), re.IGNORECASE)


def find(lang: str | None, name: str, text: str) -> list[re.Match[str]]:
    """Every cue of list ``name`` in ``text``, left to right (cue exceptions of the language skipped)."""
    pattern = cue_pattern(lang, name)
    if pattern is None:
        return []
    skip = wordset(lang, "cue-exceptions")
    return [m for m in pattern.finditer(text) if m.group() not in skip]


def has_cue(lang: str | None, name: str, text: str) -> bool:
    pattern = cue_pattern(lang, name)
    if pattern is None:
        return False
    skip = wordset(lang, "cue-exceptions")
    if not skip:
        return pattern.search(text) is not None
    return any(m.group() not in skip for m in pattern.finditer(text))


# -- tense --------------------------------------------------------------------------------------------


def is_future(text: str, lang: str | None = None) -> bool:
    """True when ``text`` carries a future-tense cue of its language ("will", "is set to", "plans to")."""
    pattern = cue_pattern(lang, "future")
    return pattern is not None and pattern.search(text) is not None


def tense(text: str, lang: str | None = None, default: Tense = "present") -> Tense:
    """Future on a future cue, else past on a past cue, else ``default``."""
    if is_future(text, lang):
        return "future"
    past = cue_pattern(lang, "past")
    if past is not None and past.search(text):
        return "past"
    return default


@functools.cache
def pairs(lang: str | None, name: str) -> tuple[tuple[str, str], ...]:
    """Entries of ``<lang>/<name>.txt`` written "word<TAB>value" (scale words, currency words)."""
    out = []
    for entry in entries(lang, name):
        word, _, value = entry.partition("\t")
        if value.strip():
            out.append((word.strip(), value.strip()))
    return tuple(out)


# Suffix strippers that shipped models and rules were fitted to, kept as named variants (like the English
# stop-word variants) until those models are retrained on Snowball stems (:func:`stem`):
# "claims": compare's conflict rules ('restriction' ~ 'restrict', 'ratified' ~ 'ratify');
# "stance": the stance model's features (data/stance_model.npz); "pairs": the pair model's features
# (data/pair_model.npz).
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "claims": ("ations", "ation", "ions", "ion", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly"),
    "stance": ("ings", "ing", "ied", "ies", "ed", "es", "s", "ly"),
    "pairs": ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"),
}


def suffix_stem(word: str, variant: Literal["claims", "stance", "pairs"]) -> str:
    """The crude suffix strip a shipped model or rule set was fitted to (see the comment above)."""
    if variant == "stance":
        for suffix in _SUFFIXES["stance"]:
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                return word[: -len(suffix)]
        return word
    if variant == "pairs":
        for suffix in _SUFFIXES["pairs"]:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word
    w = word.lower().strip("'’-")
    if w.endswith(("’s", "'s")):
        w = w[:-2]
    for suf in _SUFFIXES["claims"]:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            if suf in ("ing", "ed", "ings") and len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # running -> run, stopped -> stop
            break
    if w.endswith("i") and len(w) >= 5:  # ratifi -> ratif, signatori -> signator
        w = w[:-1]
    return w
