"""The store's behaviour, written once in SQL both backends accept: the table modules composed.

Each concern's verbs live in ``store/tables/`` (articles, signals, caches, jobs, stories, duplicates, versions) on
top of :class:`~corroborator.store.sqlbase.SqlBase` (connections, transactions, migrations); the rules
every statement follows are in ``store/dialect.py``. A backend subclasses :class:`SqlStore`.
"""

from __future__ import annotations

from corroborator.store.tables.articles import ArticleTables
from corroborator.store.tables.caches import CacheTables
from corroborator.store.tables.duplicates import DuplicateTables
from corroborator.store.tables.jobs import JobTables
from corroborator.store.tables.signals import SignalTables
from corroborator.store.tables.stories import StoryTables
from corroborator.store.tables.versions import VersionTables


class SqlStore(ArticleTables, SignalTables, CacheTables, JobTables, StoryTables, DuplicateTables, VersionTables):
    """Every verb of :class:`~corroborator.store.base.Store` over SQL; backends add the connections."""
