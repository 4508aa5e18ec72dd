"""corroborator: a diff and a fact ledger for news coverage."""

from corroborator.model import (
    Alignment,
    AnalysedArticle,
    Article,
    Brief,
    Citation,
    Claim,
    Conflict,
    Derivation,
    Fact,
    Framing,
    Sentence,
    Story,
)

__version__ = "0.1.0"

__all__ = [
    "Alignment",
    "AnalysedArticle",
    "Article",
    "Brief",
    "Citation",
    "Claim",
    "Conflict",
    "Derivation",
    "Fact",
    "Framing",
    "Sentence",
    "Story",
    "__version__",
]
