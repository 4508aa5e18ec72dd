"""The learned story decision: a small model over pair features, run with numpy.

Trained by ``training/train_stories.py`` (scikit-learn) on ECB+ and GVA candidate pairs, with
cross-validation grouped by topic / incident. Two kinds are trained and cross-validated, a logistic
regression and small gradient-boosted trees; ``kind`` in ``data/story_model.json`` says which one
ships (trees in ``data/story_model.npz``, walked by :class:`corroborator.check.classifier.TreeEnsemble`);
the script rebuilds both files from the same data. A pair's probability says how likely the new
article and a candidate article report the same event; a story's score is its best member's
probability, and the article joins the best story at or above ``story_min_probability`` (0.5, the
threshold the model was trained and cross-validated with, recorded in the model file).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from corroborator.check.classifier import TreeEnsemble, load_classifier

# The order of the pair feature vector (see StoryIndex.pair_vector); a model file names the features it
# was trained on and is refused if they differ.
FEATURES: tuple[str, ...] = (
    "words",  # TF-IDF cosine of the cleaned texts (background document frequencies blended in)
    "cosine",  # embedding cosine of title + lead
    "entities",  # Dice overlap of lead entities (who)
    "gap",  # publication days apart / window, capped at 1
    "beyond",  # publication days apart beyond the window
    "dated",  # both publication dates known
    "when_gap",  # event days apart, log-scaled and capped at 1 (when)
    "when_both",  # both event days known
    "year_match",  # a year named in both leads
    "year_clash",  # both leads name years, none shared
    "places",  # Dice overlap of lead places (where)
    "places_both",  # both leads name a place
    "figures",  # Dice overlap of lead figures (what: a death toll, a price)
    "figures_both",  # both leads carry figures
    "lead_words",  # Dice overlap of lead content words (what)
)
# A row carries one more column after the features: 1.0 when the two articles' languages differ.
ROW_WIDTH = len(FEATURES) + 1
CROSS = len(FEATURES)
# Word overlaps mean nothing across languages ("incendio" never meets "fire"), so for a pair in two
# languages they are imputed from the multilingual embedding cosine by a line fitted on same-language
# training pairs (stored in the model file); the language-neutral features (dates, figures, places,
# entities) are used as they are.
LANGUAGE_BOUND = ("words", "lead_words")
# Pairs without both publication dates (ECB+ has none; feeds sometimes lack them) read differently:
# without a date, word and signature overlaps must carry the whole decision. A model with
# ``interactions = ["undated"]`` has a second weight per feature, used only on undated pairs (the
# features multiplied by 1 - dated), so the two regimes are fitted as one model on both corpora.
UNDATED = "undated"
MODEL_FILE = "story_model.json"
TREES_FILE = "story_model.npz"


@dataclass(frozen=True)
class StoryModel:
    name: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    impute: dict[str, tuple[float, float]]  # language-bound feature -> (slope, intercept) on cosine
    kind: str = "logistic"
    trees: TreeEnsemble | None = None  # when set, the trees decide and the logistic weights are unused
    interactions: tuple[str, ...] = ()  # () or ("undated",): see UNDATED
    # The model for pairs in two languages: fitted without the language-bound features (they are zero
    # in its training rows), so the embedding cosine carries what the word overlaps would. When absent,
    # cross-language rows get the language-bound features imputed from the cosine (``impute``).
    cross: StoryModel | None = None

    def inputs(self, rows: np.ndarray) -> np.ndarray:
        """The model's inputs from pair rows (n, ROW_WIDTH): language-bound features imputed across
        languages, then the undated copy of the features when the model has it."""
        return expand(impute(rows, self.impute), self.interactions)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(same event) for pair rows (n, ROW_WIDTH)."""
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, ROW_WIDTH)
        cross = rows[:, CROSS] > 0
        if self.cross is not None and cross.any():
            out = np.empty(len(rows))
            out[~cross] = self._probability(rows[~cross])
            out[cross] = self.cross.probability(without_language_bound(rows[cross]))
            return out
        return self._probability(rows)

    def _probability(self, rows: np.ndarray) -> np.ndarray:
        if self.trees is not None:
            # Kept under 1.0, so that story_min_probability = 1 joins nothing.
            return np.minimum(self.trees.predict_proba(self.inputs(rows))[:, 1], 1.0 - 1e-12)
        z = ((self.inputs(rows) - self.mean) / self.scale) @ self.coef + self.intercept
        # Clipped so that a probability never reaches 1.0 exactly (story_min_probability = 1 joins nothing).
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    @classmethod
    def from_dict(cls, d: dict, arrays: dict[str, np.ndarray] | None = None) -> StoryModel:
        """A model from the JSON content and, for ``kind`` = "trees", the tree arrays (``trees.*`` keys)."""
        feats = tuple(d["features"])
        if feats != FEATURES:
            raise ValueError(f"story model features {feats} differ from this version's {FEATURES}")
        return cls(
            name=str(d["name"]),
            features=feats,
            mean=np.asarray(d["mean"], dtype=np.float64),
            scale=np.asarray(d["scale"], dtype=np.float64),
            coef=np.asarray(d["coef"], dtype=np.float64),
            intercept=float(d["intercept"]),
            threshold=float(d["threshold"]),
            impute={k: (float(v[0]), float(v[1])) for k, v in d.get("impute", {}).items()},
            kind=str(d.get("kind", "logistic")),
            trees=_trees(arrays) if d.get("kind") == "trees" and arrays is not None else None,
            interactions=tuple(d.get("interactions", ())),
            cross=cls.from_dict(d["cross"]) if d.get("cross") else None,
        )


def _trees(arrays: dict[str, np.ndarray]) -> TreeEnsemble:
    model = load_classifier(arrays, "trees", "trees")
    assert isinstance(model, TreeEnsemble)
    return model


def impute(rows: np.ndarray, lines: dict[str, tuple[float, float]]) -> np.ndarray:
    """Feature columns of ``rows``; for cross-language rows each language-bound feature becomes
    ``slope * cosine + intercept`` (clipped to 0..1) when the model has a line for it."""
    rows = np.asarray(rows, dtype=np.float64).reshape(-1, ROW_WIDTH)
    x = rows[:, :CROSS].copy()
    cross = rows[:, CROSS] > 0
    if cross.any():
        cos = x[cross, FEATURES.index("cosine")]
        for name, (slope, intercept) in lines.items():
            x[cross, FEATURES.index(name)] = np.clip(slope * cos + intercept, 0.0, 1.0)
    return x


def without_language_bound(rows: np.ndarray) -> np.ndarray:
    """Pair rows with the language-bound features zeroed and marked same-language (the cross model's
    inputs: it was fitted on rows like these)."""
    out = np.array(rows, dtype=np.float64).reshape(-1, ROW_WIDTH)
    for name in LANGUAGE_BOUND:
        out[:, FEATURES.index(name)] = 0.0
    out[:, CROSS] = 0.0
    return out


def expand(x: np.ndarray, interactions: tuple[str, ...]) -> np.ndarray:
    """Feature columns ``x`` (n, len(FEATURES)) plus, for "undated", ``x * (1 - dated)``."""
    for name in interactions:
        if name != UNDATED:
            raise ValueError(f"story model interaction {name!r} is unknown (known: {UNDATED!r})")
        undated = 1.0 - x[:, FEATURES.index("dated")]
        x = np.hstack([x, x[:, : len(FEATURES)] * undated[:, None]])
    return x


@lru_cache(maxsize=1)
def default_story_model() -> StoryModel | None:
    """The shipped model, or None when this checkout has none yet (the weighted score is used then)."""
    ref = resources.files("corroborator.data").joinpath(MODEL_FILE)
    if not ref.is_file():
        return None
    d = json.loads(ref.read_text(encoding="utf-8"))
    arrays = None
    if d.get("kind") == "trees":
        z = np.load(io.BytesIO(resources.files("corroborator.data").joinpath(TREES_FILE).read_bytes()))
        arrays = {k: z[k] for k in z.files}
    return StoryModel.from_dict(d, arrays)
