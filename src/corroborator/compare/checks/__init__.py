"""The conflict checks, one registered check per kind: number, date, entity, attribution, polarity,
quote (string rules over typed facts) and claim (the entailment model).

Each module holds its kind's finder and, where its facts can link two claims the embedding did not
pair, its link test; word tables are data files (``corroborator/data/conflicts/``). Importing this
package registers every check in :data:`REGISTRY`; :func:`registered` lists them in the order they run.
"""

from corroborator.compare.checks import (  # noqa: F401  (importing registers the check)
    attribution,
    claim,
    date,
    entity,
    number,
    polarity,
    quote,
)
from corroborator.compare.checks.base import REGISTRY, Check, Link, PairContext, register, registered, side

KINDS = tuple(c.kind for c in registered())

__all__ = ["KINDS", "REGISTRY", "Check", "Link", "PairContext", "register", "registered", "side"]
