"""The SQL store's verbs, one module per concern; :class:`corroborator.store.sql.SqlStore` composes them.

A new table: a migration in ``store/migrations.py``, its verbs (abstract in ``store/base.py``) in a
module here as a ``SqlBase`` subclass, and that class added to ``SqlStore``'s bases.
"""
