"""lead_entities and name cleaning: normalised names from the title and lead only."""

from __future__ import annotations

import pytest

from corroborator.model import Article
from corroborator.text.lead import lead_entities
from corroborator.text.names import clean_name, name_key
from corroborator.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("The Washington Post", "Washington Post"),
        ("Mr. Hegseth", "Hegseth"),
        ("Hegseth’s", "Hegseth"),
        ("Trump's", "Trump"),
        ("Dr. Jane O. Smith", "Jane O. Smith"),
        ("Sen. Mitch McConnell", "Mitch McConnell"),
        ("the U.S.", "U.S."),
        ("“Reuters”", "Reuters"),
    ],
)
def test_names_clean(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_names_key_unifies_aliases() -> None:
    assert name_key("the U.S.") == name_key("US") == name_key("United States") == "united states"
    assert name_key("Dr. Jane Smith's") == "jane smith"


@pytest.mark.slow
def test_lead_entities_title_and_lead_only() -> None:
    text = (
        "Mayor Anna Lindqvist of Portland said on Monday that the city will close the Burnside Bridge. "
        "The Oregon Department of Transportation agreed. "
        "Later, Governor Tom Baker of Idaho visited Boise."
    )
    article = Article.create(text, title="Portland closes bridge after NASA warning")
    sentences = split_sentences(article)
    assert len(sentences) == 3
    lead = lead_entities(article, sentences, 2)
    assert "anna lindqvist" in lead
    assert "portland" in lead
    assert "nasa" in lead
    assert "boise" not in lead and "tom baker" not in lead  # third sentence is outside the lead
    assert all(e == e.lower() for e in lead)
    assert len(lead) == len(set(lead))
    assert lead_entities(Article.create(""), (), 5) == ()


@pytest.mark.slow
def test_lead_entities_seeds(seeds: list) -> None:
    for path in seeds:
        article = Article.create(path.read_text(encoding="utf-8"))
        lead = lead_entities(article, split_sentences(article), 5)
        assert "peter hegseth" in lead
        assert "united states" in lead
        assert "washington post" in lead
