"""The per-language word lists (data/words/<lang>/) and what reads them: stop words, stems, cues, tense."""

from __future__ import annotations

import pytest

from corroborator.check import cues as check_cues
from corroborator.text import words
from corroborator.text.cues import find_cues
from corroborator.text.temporal import infer_tense

LANGS = ("en", "es", "fr", "de", "it", "nl")


def test_words_every_supported_language_has_its_cue_files() -> None:
    assert set(LANGS) <= set(words.languages())
    for lang in LANGS:
        for name in ("negation", "hedges", "future", "past", "attribution"):
            assert words.entries(lang, name), f"{lang}/{name}.txt is missing or empty"
            assert words.cue_pattern(lang, name) is not None


def test_words_stopwords_variants_and_fallbacks() -> None:
    general = words.stopwords("en")
    assert {"the", "of", "said"} <= general
    # A stage's own list where one exists, the general list otherwise.
    assert words.stopwords("en", "pairs") != general
    assert words.stopwords("en", "no-such-variant") == general
    # Languages without their own file get spaCy's stop words; an unknown code gets none.
    assert {"el", "de", "que"} <= words.stopwords("es")
    assert {"der", "und"} <= words.stopwords("de")
    assert words.stopwords("zz") == frozenset()
    # Unknown language (None) reads as English, region tags are dropped.
    assert words.stopwords(None) == general
    assert words.lang_code("pt-BR") == "pt"


@pytest.mark.parametrize(
    ("lang", "a", "b"),
    [
        ("en", "ratified", "ratify"),
        ("es", "confirmados", "confirmó"),
        ("fr", "confirmée", "confirmer"),
        ("de", "bestätigten", "bestätigt"),
        ("it", "confermato", "confermata"),
        ("nl", "stakingen", "staking"),
    ],
)
def test_words_snowball_stems_join_inflections(lang: str, a: str, b: str) -> None:
    assert words.stem(a, lang) == words.stem(b, lang)


def test_words_stem_without_a_stemmer_is_the_lower_cased_word() -> None:
    assert words.stem("Kyiv", "uk") == "kyiv"


@pytest.mark.parametrize(
    ("lang", "text", "negation", "tense"),
    [
        ("en", "The minister did not confirm that the strike will end on Monday.", "not", "future"),
        ("es", "El ministro no confirmó que la huelga terminará el lunes.", "no", "future"),
        ("fr", "Le ministre n'a pas confirmé que la grève se terminera lundi.", "pas", "future"),
        ("de", "Der Minister hat nicht bestätigt, dass der Streik am Montag enden wird.", "nicht", "future"),
        ("it", "Il ministro non ha confermato che lo sciopero finirà lunedì.", "non", "future"),
        ("nl", "De minister heeft niet bevestigd dat de staking maandag zal eindigen.", "niet", "future"),
        ("es", "El ministro confirmó ayer que la huelga terminó.", None, "past"),
        ("de", "Der Minister sagte gestern, der Streik sei beendet.", None, "past"),
    ],
)
def test_words_cues_per_language(lang: str, text: str, negation: str | None, tense: str) -> None:
    found = [c.norm for c in find_cues(text, lang) if c.kind == "negation"]
    assert (negation in found) if negation else not found
    assert infer_tense(text, lang) == tense


def test_words_english_cues_keep_their_special_cases() -> None:
    cues = {(c.kind, c.norm) for c in find_cues("In May he may resign; No. 5 didn’t and it’s unclear.")}
    assert ("hedge", "may") in cues and ("hedge", "it's unclear") in cues
    assert ("negation", "n't") in cues
    assert ("negation", "no") not in cues  # "No. 5" is a number sign
    assert sum(k == "hedge" and n == "may" for k, n in cues) == 1  # "May" the month is skipped


def test_words_a_language_without_lists_has_no_cues() -> None:
    # Better no cue than an English one read into Ukrainian text.
    assert find_cues("Міністр не підтвердив.", "uk") == []
    assert infer_tense("Міністр не підтвердив.", "uk") == "present"


def test_words_exclusions_are_not_cues() -> None:
    pattern = words.cue_pattern("en", "negation-claims")
    assert pattern is not None
    assert [m.group() for m in pattern.finditer("not only that, they did not sign")] == ["not"]


def test_words_stance_families_come_from_files_in_model_order() -> None:
    assert check_cues.CUE_NAMES[:4] == check_cues.REFUTING
    assert check_cues.CUE_NAMES[-1] == "question"
    words_, phrases = check_cues.CUE_FAMILIES["false"]
    assert "hoax" in words_ and "not true" in phrases
    assert all(" " not in w for w in words_) and all(" " in p for p in phrases)
