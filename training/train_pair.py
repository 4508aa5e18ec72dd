"""Train the pair judgement (``compare.alignment.judge``) and write ``src/corroborator/data/pair_model.npz``.

Training data, and nothing else:
* MRPC ``msr_paraphrase_train.txt`` minus a fixed held-out fifth (:func:`mrpc_heldout`, chosen by a hash
  of the pair's two sentence ids) that ``bench/pairs.py`` scores;
* STS-B ``sts-train.csv``. ``sts-dev.csv`` is never read here (``bench/pairs.py`` scores it).

Every choice (projection strength, head sizes and regularisation, thresholds) is made by 5-fold
cross-validation on these training rows. Deterministic: fixed folds and seeds, L-BFGS from the identity.

    .venv/bin/python training/train_pair.py [--shared ../shared] [--out src/corroborator/data/pair_model.npz]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.compare.alignment.features import MiniLmEncoder, Tokens  # noqa: E402
from corroborator.compare.alignment.judge import BASE_NAMES, MODEL_PATH, base_matrix  # noqa: E402
from corroborator.embed import get_encoder  # noqa: E402
from pairs_data import Pair, load_mrpc, load_sts, mrpc_heldout  # noqa: E402

NAME = "pair.use-minilm-proj.v1"
VOCAB = 30522  # uncased BERT WordPiece vocabulary of MiniLM
FOLDS = 5
SEED = 0


# --- encoding ----------------------------------------------------------------------------------------------


@dataclass
class Encoded:
    primary: dict[str, np.ndarray]
    minilm: dict[str, np.ndarray]
    tokens: dict[str, Tokens]


def encode_all(texts: list[str], cache: Path | None = None) -> Encoded:
    """Both encoders over the unique texts, with a progress bar; reuses ``cache`` when it holds them all."""
    from rich.progress import Progress

    unique = list(dict.fromkeys(texts))
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            # Read each array once: indexing an NpzFile re-reads the whole array every time.
            cached = [str(t) for t in data["texts"]]
            primary, minilm = data["primary"], data["minilm"]
            vectors, ids, offsets = data["tok_vectors"], data["tok_ids"], data["tok_offsets"]
        if set(unique) <= set(cached):
            return Encoded(
                {t: primary[i] for i, t in enumerate(cached)},
                {t: minilm[i] for i, t in enumerate(cached)},
                {
                    t: Tokens(vectors[offsets[i] : offsets[i + 1]], ids[offsets[i] : offsets[i + 1]])
                    for i, t in enumerate(cached)
                },
            )
    primary_enc = get_encoder()
    minilm_enc = MiniLmEncoder()
    enc = Encoded({}, {}, {})
    with Progress(transient=True) as progress:
        task = progress.add_task("encoding training sentences", total=len(unique))
        for start in range(0, len(unique), 512):
            chunk = unique[start : start + 512]
            primary = primary_enc.encode(chunk)
            minilm, tokens = minilm_enc.encode_tokens(chunk)
            for i, text in enumerate(chunk):
                enc.primary[text] = primary[i]
                enc.minilm[text] = minilm[i]
                enc.tokens[text] = tokens[i]
            progress.advance(task, len(chunk))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            cache,
            texts=np.array(unique),
            primary=np.array([enc.primary[t] for t in unique]),
            minilm=np.array([enc.minilm[t] for t in unique]),
            tok_vectors=np.vstack([enc.tokens[t].vectors for t in unique]).astype(np.float32),
            tok_ids=np.concatenate([enc.tokens[t].ids for t in unique]),
            tok_offsets=np.cumsum([0] + [len(enc.tokens[t].ids) for t in unique]),
        )
    return enc


def features(pairs: list[Pair], enc: Encoded, idf: np.ndarray, projections: list[np.ndarray]) -> np.ndarray:
    a = [p.a for p in pairs]
    b = [p.b for p in pairs]
    return base_matrix(
        a,
        b,
        np.array([enc.primary[t] for t in a]),
        np.array([enc.primary[t] for t in b]),
        np.array([enc.minilm[t] for t in a]),
        np.array([enc.minilm[t] for t in b]),
        [enc.tokens[t] for t in a],
        [enc.tokens[t] for t in b],
        idf,
        projections,
    )


def stacked(pairs: list[Pair], enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated (primary, MiniLM) vectors of both sides, scaled as :func:`base_matrix` scales them."""

    def side(texts: list[str]) -> np.ndarray:
        return np.array([np.concatenate([enc.primary[t], enc.minilm[t]]) for t in texts]) / np.sqrt(2)

    return side([p.a for p in pairs]), side([p.b for p in pairs])


# --- learning ------------------------------------------------------------------------------------------------


def idf_weights(texts: list[str], enc: Encoded) -> np.ndarray:
    df = np.zeros(VOCAB, dtype=np.float64)
    unique = list(dict.fromkeys(texts))
    for text in unique:
        df[np.unique(enc.tokens[text].ids)] += 1
    return np.log((len(unique) + 1) / (df + 1)).astype(np.float32)


def fit_projection(a: np.ndarray, b: np.ndarray, target: np.ndarray, lam: float, iters: int) -> np.ndarray:
    """W minimising mean (cos(aW, bW) - target)^2 + lam * mean((W - I)^2), by L-BFGS from I."""
    from scipy.optimize import minimize

    d = a.shape[1]
    w0 = np.eye(d)

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(d, d)
        pa, pb = a @ w, b @ w
        na = np.linalg.norm(pa, axis=1, keepdims=True)
        nb = np.linalg.norm(pb, axis=1, keepdims=True)
        ua, ub = pa / na, pb / nb
        cos = np.sum(ua * ub, axis=1)
        r = cos - target
        g = 2 * r / len(target)
        ga = g[:, None] * (ub - cos[:, None] * ua) / na
        gb = g[:, None] * (ua - cos[:, None] * ub) / nb
        grad = a.T @ ga + b.T @ gb + 2 * lam * (w - w0) / w.size
        value = float(np.mean(r**2) + lam * np.sum((w - w0) ** 2) / w.size)
        return value, grad.ravel()

    result = minimize(loss, w0.ravel(), jac=True, method="L-BFGS-B", options={"maxiter": iters})
    return np.asarray(result.x.reshape(d, d), dtype=np.float32)


def projected_cos(w: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    pa, pb = a @ w, b @ w
    return np.sum(pa * pb, axis=1) / np.linalg.norm(pa, axis=1) / np.linalg.norm(pb, axis=1)


def folds(n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import KFold

    return list(KFold(FOLDS, shuffle=True, random_state=SEED).split(np.zeros(n)))


def best_threshold(score: np.ndarray, positive: np.ndarray, grid: np.ndarray) -> float:
    """The grid value that maximises F1 of ``score >= t`` against ``positive``."""
    from sklearn.metrics import f1_score

    f1 = [f1_score(positive, score >= t) for t in grid]
    return round(float(grid[int(np.argmax(f1))]), 4)


def tree_arrays(prefix: str, model: object) -> dict[str, np.ndarray]:
    """A fitted HistGradientBoosting model as flat node arrays (walked by ``PairModel.trees``)."""
    features, thresholds, lefts, rights, leaves, values, roots = [], [], [], [], [], [], []
    offset = 0
    depth = 0
    for (tree,) in model._predictors:  # type: ignore[attr-defined]
        nodes = tree.nodes
        roots.append(offset)
        features.append(nodes["feature_idx"].astype(np.int32))
        thresholds.append(nodes["num_threshold"].astype(np.float64))
        lefts.append((nodes["left"] + offset).astype(np.int32))
        rights.append((nodes["right"] + offset).astype(np.int32))
        leaves.append(nodes["is_leaf"].astype(bool))
        values.append(nodes["value"].astype(np.float64))
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    if any(tree.nodes["is_categorical"].any() for (tree,) in model._predictors):  # type: ignore[attr-defined]
        raise SystemExit("categorical splits are not supported by the runtime walker")
    return {
        f"{prefix}.feature": np.concatenate(features),
        f"{prefix}.threshold": np.concatenate(thresholds),
        f"{prefix}.left": np.concatenate(lefts),
        f"{prefix}.right": np.concatenate(rights),
        f"{prefix}.leaf": np.concatenate(leaves),
        f"{prefix}.value": np.concatenate(values),
        f"{prefix}.roots": np.array(roots, dtype=np.int32),
        f"{prefix}.depth": np.array(depth + 1),
        f"{prefix}.baseline": np.array(float(np.ravel(model._baseline_prediction)[0])),  # type: ignore[attr-defined]
    }


def head_arrays(prefix: str, scaler: object, coefs: list[np.ndarray], intercepts: list[np.ndarray]) -> dict:
    out = {f"{prefix}.mean": scaler.mean_, f"{prefix}.scale": scaler.scale_}  # type: ignore[attr-defined]
    for i, (w, b) in enumerate(zip(coefs, intercepts, strict=True)):
        out[f"{prefix}.w{i}"] = np.asarray(w, dtype=np.float32).reshape(w.shape[0], -1)
        out[f"{prefix}.b{i}"] = np.asarray(b, dtype=np.float64).reshape(-1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--cache",
        type=Path,
        default=REPO / "bench" / "results" / "pair_train_encodings.npz",
        help="Where to keep the training sentences' encodings between runs.",
    )
    parser.add_argument("--proj-iters", type=int, default=150)
    args = parser.parse_args()

    from rich.console import Console
    from scipy.stats import spearmanr
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.preprocessing import StandardScaler

    console = Console(stderr=True)
    started = time.time()
    mrpc = [p for p in load_mrpc(args.shared) if not mrpc_heldout(p.id)]
    sts = load_sts(args.shared, "train")
    console.print(f"training on {len(mrpc)} MRPC pairs (held-out fifth excluded) and {len(sts)} STS-B pairs")
    texts = [t for p in mrpc + sts for t in (p.a, p.b)]
    enc = encode_all(texts, args.cache)
    idf = idf_weights(texts, enc)
    sts_y = np.array([p.label for p in sts])
    mrpc_y = np.array([p.label for p in mrpc]).astype(int)
    sts_folds = folds(len(sts))
    mrpc_folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(mrpc_y, mrpc_y))
    lam = 10.0

    # 1. Two projections of the concatenated vectors: one fitted to STS-B scores / 5, one to MRPC labels
    #    (paraphrase -> 1.0, not -> 0.6: non-paraphrases in MRPC are still mostly on the same event).
    #    On its own training rows each cosine is taken out-of-fold, so the heads learn how far to trust
    #    it on unseen pairs.
    def fit_with_oof(name: str, pairs: list[Pair], target: np.ndarray, split: list, iters: int) -> tuple:
        a, b = stacked(pairs, enc)
        oof = np.zeros(len(pairs))
        for k, (tr, te) in enumerate(split):
            w = fit_projection(a[tr], b[tr], target[tr], lam, iters)
            oof[te] = projected_cos(w, a[te], b[te])
            console.print(f"{name} projection fold {k + 1}/{FOLDS} done")
        w = fit_projection(a, b, target, lam, iters).astype(np.float16).astype(np.float32)
        return w, oof

    proj_sts, oof_sts_cos = fit_with_oof("sts", sts, sts_y / 5.0, sts_folds, args.proj_iters)
    console.print(f"sts projection out-of-fold Spearman {spearmanr(oof_sts_cos, sts_y)[0]:.4f}")
    mrpc_target = np.where(mrpc_y == 1, 1.0, 0.6)
    proj_mrpc, oof_mrpc_cos = fit_with_oof("mrpc", mrpc, mrpc_target, mrpc_folds, args.proj_iters)
    projections = [proj_sts, proj_mrpc]

    sts_col, mrpc_col = BASE_NAMES.index("proj_sts_cos"), BASE_NAMES.index("proj_mrpc_cos")
    x_sts = features(sts, enc, idf, projections)
    x_sts[:, sts_col] = oof_sts_cos
    x_mrpc = features(mrpc, enc, idf, projections)
    x_mrpc[:, mrpc_col] = oof_mrpc_cos

    # 2. STS head: ridge, or the mean of ridge and gradient-boosted trees, by out-of-fold Spearman.
    sts_scaler = StandardScaler().fit(x_sts)
    xs = sts_scaler.transform(x_sts)
    ridge = Ridge(alpha=10.0)
    trees = HistGradientBoostingRegressor(
        learning_rate=0.05,
        max_iter=300,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=SEED,
    )
    oof_ridge = cross_val_predict(ridge, xs, sts_y, cv=sts_folds)
    oof_trees = cross_val_predict(trees, x_sts, sts_y, cv=sts_folds)
    options = {"ridge": oof_ridge, "ridge+trees": 0.5 * (oof_ridge + oof_trees)}
    scores = {k: float(spearmanr(v, sts_y)[0]) for k, v in options.items()}
    for k, v in scores.items():
        console.print(f"sts head {k}: out-of-fold Spearman {v:.4f}")
    sts_choice = max(scores, key=lambda k: scores[k])
    ridge.fit(xs, sts_y)
    sts_arrays = head_arrays("sts", sts_scaler, [ridge.coef_.reshape(-1, 1)], [np.array([ridge.intercept_])])
    if sts_choice == "ridge+trees":
        trees.fit(x_sts, sts_y)
        sts_arrays.update(tree_arrays("sts_gb", trees))

    # Overlap threshold: the predicted similarity that best separates pairs rated >= 2 ("not
    # equivalent but share some details") from the rest, on out-of-fold predictions.
    oof_sim = np.clip(options[sts_choice], 0, 5) / 5.0
    overlap = best_threshold(oof_sim, sts_y >= 2.0, np.arange(0.2, 0.8, 0.01))
    # Containment counts as overlap only for pairs that are at least on one topic (rated >= 1).
    floor = best_threshold(oof_sim, sts_y >= 1.0, np.arange(0.05, 0.6, 0.01))

    # 3. MRPC head: logistic regression over the features plus the STS head's score; C and the
    #    decision threshold by out-of-fold F1.
    sts_on_mrpc = ridge.predict(sts_scaler.transform(x_mrpc))
    if sts_choice == "ridge+trees":
        sts_on_mrpc = 0.5 * (sts_on_mrpc + trees.predict(x_mrpc))
    xm_raw = np.hstack([x_mrpc, np.clip(sts_on_mrpc, 0, 5)[:, None]])
    mrpc_scaler = StandardScaler().fit(xm_raw)
    xm = mrpc_scaler.transform(xm_raw)
    best = (-1.0, 0.0, 0.5)
    for c in (0.03, 0.1, 0.3, 1.0):
        prob = cross_val_predict(
            LogisticRegression(C=c, max_iter=5000), xm, mrpc_y, cv=mrpc_folds, method="predict_proba"
        )[:, 1]
        t = best_threshold(prob, mrpc_y.astype(bool), np.arange(0.25, 0.75, 0.01))
        f1 = float(f1_score(mrpc_y, prob >= t))
        console.print(f"mrpc head C={c}: out-of-fold F1 {f1:.4f} at threshold {t:.2f}")
        if f1 > best[0]:
            best = (f1, c, t)
    mrpc_f1, mrpc_c, same = best
    mrpc_model = LogisticRegression(C=mrpc_c, max_iter=5000).fit(xm, mrpc_y)

    meta = {
        "name": NAME,
        "primary_encoder": get_encoder().name,
        "second_encoder": MiniLmEncoder.name,
        "base_features": list(BASE_NAMES),
        "mrpc_extra_features": ["sts_score"],
        "thresholds": {"same": same, "overlap": overlap, "contain": 0.9, "contain_floor": floor},
        "how": {
            "same": f"max out-of-fold F1 on MRPC train (held-out fifth excluded): {mrpc_f1:.4f}, C={mrpc_c}",
            "overlap": "max out-of-fold F1 of similarity >= t for STS-B train pairs rated >= 2",
            "contain": "fixed: the shorter sentence's stems nearly all found in the longer one",
            "contain_floor": "max out-of-fold F1 of similarity >= t for STS-B train pairs rated >= 1",
            "sts_head": f"{sts_choice}, out-of-fold Spearman on STS-B train {scores[sts_choice]:.4f}",
            "projections": f"L-BFGS {args.proj_iters} iterations from I, lambda {lam}, stored float16",
        },
        "data": {"mrpc_train_pairs": len(mrpc), "sts_train_pairs": len(sts)},
    }
    arrays: dict[str, np.ndarray] = {
        "meta": np.array(json.dumps(meta)),
        "idf": idf,
        "proj_sts": proj_sts.astype(np.float16),
        "proj_mrpc": proj_mrpc.astype(np.float16),
    }
    arrays.update(sts_arrays)
    arrays.update(head_arrays("mrpc", mrpc_scaler, [mrpc_model.coef_.reshape(-1, 1)], [mrpc_model.intercept_]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    console.print(json.dumps(meta["thresholds"]), json.dumps(meta["how"], indent=1))
    console.print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
