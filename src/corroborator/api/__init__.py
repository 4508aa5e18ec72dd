"""The library's store-backed API: what the CLI, the web app and the benches call.

The skins (``corroborator.commands``, ``corroborator.web``) parse input and render output; everything that
reads or writes the store goes through here, so a claim checked from the command line and from the web
app gets the same answer, and a story's comparison is computed, kept and refreshed in one place.

- stores: :func:`open_store`, :class:`Store`, :class:`StoryFilter`
- claims: :func:`check_claim` (one candidate search over the whole store, then the stance model) and
  :func:`judge_pairs` (batch mode, no store)
- stories: :func:`list_stories`, :func:`story_articles`, :func:`article_detail`, :func:`store_summary`,
  :func:`recluster`
- comparisons: :func:`compare_story` (computes and keeps), :func:`story_comparison` (what a reader is
  shown), :class:`Refresher` (background re-comparison and article facts), :class:`Worker` (that work,
  and claim checks, in a second process for the web server)
- quotes: :func:`quote_report` (every quote clustered across the store: first appearance, wordings,
  mutations, credits), :func:`quote_cluster`
- independence: :func:`source_groups` (the one definition), :func:`independent_sources`
- ingest jobs: :class:`JobRunner` (durable jobs for the web app)
"""

from __future__ import annotations

from corroborator.api.articles import ArticleDetail, article_detail, make_facts
from corroborator.api.check import CHECK_POOL, MAX_CLAIM_CHARS, ClaimCheck, candidates, check_claim
from corroborator.api.comparisons import (
    KeptComparison,
    Pending,
    compare_story,
    independent_sources,
    kept_comparison,
    stale_stories,
    story_comparison,
)
from corroborator.api.jobs import Job, JobRunner, read_files
from corroborator.api.pairs import PairLine, judge_pairs
from corroborator.api.quotes import QuoteReport, quote_cluster, quote_cluster_dict, quote_report
from corroborator.api.refresher import Refresher
from corroborator.api.stories import (
    article_row,
    list_stories,
    store_summary,
    story_articles,
    story_row,
)
from corroborator.api.worker import Busy, ClaimChecks, Worker
from corroborator.independence import source_groups
from corroborator.settings import Settings
from corroborator.store import Store, StoryFilter, open_store


def recluster(store: Store, settings: Settings | None = None, progress: bool = True) -> tuple[int, int]:
    """Forget every story and assign all articles again; returns (stories opened, articles)."""
    from corroborator.stories import recluster as assign_again

    opened = assign_again(store, settings, progress=progress)
    return opened, store.count_articles()


__all__ = [
    "CHECK_POOL",
    "MAX_CLAIM_CHARS",
    "ArticleDetail",
    "Busy",
    "ClaimCheck",
    "ClaimChecks",
    "Job",
    "JobRunner",
    "KeptComparison",
    "PairLine",
    "Pending",
    "QuoteReport",
    "Refresher",
    "Store",
    "StoryFilter",
    "Worker",
    "article_detail",
    "article_row",
    "candidates",
    "check_claim",
    "compare_story",
    "independent_sources",
    "judge_pairs",
    "kept_comparison",
    "list_stories",
    "make_facts",
    "open_store",
    "quote_cluster",
    "quote_cluster_dict",
    "quote_report",
    "read_files",
    "recluster",
    "source_groups",
    "stale_stories",
    "store_summary",
    "story_articles",
    "story_comparison",
    "story_row",
]
