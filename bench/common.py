"""What the benches share: the repository's paths, with ``src/`` and ``training/`` on ``sys.path``.

A bench imports this module first (``import common``; a script's own folder is on ``sys.path``), then the
library (``corroborator``) and, where it measures on the data a model was built from, the shared modules
of ``training/`` (``pairs_data``, ``news_perturb``, ``story_data``). Benches never import each other;
what two of them need goes here.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RESULTS = REPO / "bench" / "results"

for _path in (REPO / "training", REPO / "src"):  # src first on the path, as each bench put it
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
