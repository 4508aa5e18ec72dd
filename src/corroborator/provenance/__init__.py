"""Provenance: where what an article says came from (quotes across the store; article versions over time).

Pure modules over the model's types; the store is read by :mod:`corroborator.api`.
"""
