"""Provenance: where an article's statements come from over time (its versions) and across the store."""
