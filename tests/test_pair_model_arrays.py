"""The pair model is stored as plain arrays and run with numpy: the runtime must match scikit-learn."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from corroborator.compare.alignment.judge import MODEL_PATH, PairModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from train_pair import head_arrays, tree_arrays


def test_pair_model_arrays_walk_trees_and_heads_like_sklearn() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    x = rng.normal(size=(1500, 8))
    y = 2 * x[:, 0] + np.sin(3 * x[:, 1]) + 0.1 * rng.normal(size=1500)
    trees = HistGradientBoostingRegressor(max_iter=40, max_leaf_nodes=15, early_stopping=False, random_state=0)
    trees.fit(x, y)
    scaler = StandardScaler().fit(x)
    logistic = LogisticRegression().fit(scaler.transform(x), y > 0)
    arrays = tree_arrays("t", trees)
    arrays.update(head_arrays("h", scaler, [logistic.coef_.reshape(-1, 1)], [logistic.intercept_]))
    model = PairModel.__new__(PairModel)
    model.arrays = arrays
    np.testing.assert_allclose(model.trees("t", x), trees.predict(x), atol=1e-9)
    np.testing.assert_allclose(model.head("h", x), logistic.decision_function(scaler.transform(x)), atol=1e-4)


def test_pair_model_file_has_no_pickled_objects() -> None:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run training/train_pair.py")
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        assert all(data[key].dtype != object for key in data.files)
    model = PairModel(MODEL_PATH)
    assert model.meta["name"].startswith("pair.")
    assert 0.0 < model.meta["thresholds"]["same"] < 1.0
    assert 0.0 < model.meta["thresholds"]["overlap"] < 1.0
