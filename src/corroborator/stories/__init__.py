"""Stories: articles about one event, assigned incrementally as they are ingested.

See :mod:`corroborator.stories.index` for how candidates are found and scored, and
:mod:`corroborator.stories.assigner` for the store-backed assigner, persistence and ``recluster``.
"""

from corroborator.stories.assigner import (
    Assignment,
    StoryAssigner,
    features_of,
    independent_articles,
    recluster,
)

__all__ = ["Assignment", "StoryAssigner", "features_of", "independent_articles", "recluster"]
