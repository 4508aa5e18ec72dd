"""Checking a claim against the coverage: which articles support, contradict or discuss it, and why."""

from __future__ import annotations

from corroborator.check.claim import CheckResult, check_claim, independent_counts
from corroborator.check.stance import (
    STANCES,
    Evidence,
    FeatureStanceModel,
    StanceJudgement,
    StanceModel,
    default_stance_model,
)
from corroborator.independence import source_groups

__all__ = [
    "STANCES",
    "CheckResult",
    "Evidence",
    "FeatureStanceModel",
    "StanceJudgement",
    "StanceModel",
    "check_claim",
    "default_stance_model",
    "independent_counts",
    "source_groups",
]
