"""Alignment of claims across reports: the pair judge (judge.py) over its features (features.py), and the
alignment of two articles' claims with their statuses (align.py)."""
