"""What a batch run did: counts, seconds per stage and, for Spark, the measured job metrics."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class BatchReport:
    engine: str
    files: int = 0
    read: int = 0
    articles: int = 0  # stored: read less exact copies, later versions and failures
    versions: int = 0  # later versions of an article (another text at its URL or outlet + external id)
    exact_duplicates: int = 0
    near_duplicates: int = 0
    stories: int = 0
    compared: int = 0
    conflicts: int = 0
    failed: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds (driver wall clock)
    errors: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)  # Spark: shuffle bytes, per-partition costs, memory

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
