"""Antonym contradictions for NLI training (stage 3), from WordNet's antonym relation.

    python training/nli_contrast.py [--wordnet /usr/share/wordnet] [--seed 11]

Stage 2 taught the model figures, dates, names and negations, but its antonym table was a list of 40 words
(and a bug kept it from being used at all), so the shipped model calls "formally ending the restriction"
and "formally extending the restriction" the same statement. This script takes entailment pairs, both the
news pairs of ``training/nli_news_pairs.py`` (training stories only) and the generic NLI training files, and
replaces a verb, adjective or adverb in the hypothesis with a WordNet antonym, inflected to the same tag
(lemminflect). Only words whose lemma the premise also states are changed, so the result really contradicts
the premise (the FactCC rule the news pairs follow). Direct antonyms are extended to the other lemmas of
their synset (indirect antonyms: "prohibit" is a synonym of "forbid", whose antonym is "permit"), for a
word's two most frequent senses only.

WordNet 3.0 comes from the Debian package ``wordnet-base`` (``apt-get install wordnet-base``); NLTK's
reader reads it (the ``train`` extra). Output: ``bench/results/nli_news/contrast.jsonl`` (git-ignored).
Nothing here runs in the product or CI.
"""

from __future__ import annotations

import argparse
import json
import lzma
import random
import shutil
import tempfile
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NLI_DIR = ROOT.parent / "shared" / "datasets" / "nli"
NEWS_TRAIN = ROOT / "bench" / "results" / "nli_news" / "train.jsonl"
OUT = ROOT / "bench" / "results" / "nli_news" / "contrast.jsonl"
GENERIC_FILES = ("snli-train-part", "cad-snli-train", "mnli-train-part")
# spaCy coarse tags to WordNet parts of speech (s: adjective satellite).
POS = {"VERB": "vs", "ADJ": "as", "ADV": "r"}
# Antonyms that are true opposites in WordNet but make no contradiction in a news sentence, or mostly
# change grammatical words.
SKIP = {"be", "have", "do", "more", "less", "most", "least", "first", "last", "up", "down", "in", "out", "off", "on"}


def antonym_table(wordnet_dir: Path) -> dict[tuple[str, str], set[str]]:
    """(lemma, wordnet pos) -> antonym lemmas, direct and through the lemma's synset."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class Reader(WordNetCorpusReader):
        # NLTK 3.10 compares the loaded version against the string "wordnet" and then looks for a
        # downloaded mapping; a plain WordNet 3.0 database needs no mapping.
        def map_wn(self, version: str = "wordnet") -> None:
            return None

    # NLTK only reads corpora under its data path, and the Debian package lacks ``lexnames`` (only used
    # for lexicographer file names, which nothing here reads).
    root = Path(tempfile.mkdtemp(prefix="wordnet-"))
    for path in wordnet_dir.iterdir():
        if path.is_file():
            shutil.copy(path, root / path.name)
    (root / "lexnames").write_text("".join(f"{i:02d}\tlex{i:02d}\t0\n" for i in range(45)), encoding="utf-8")
    nltk.data.path.append(str(root))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wn = Reader(str(root), None)
    table: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pos in "var":
        for word in wn.all_lemma_names(pos):
            if "_" in word or word in SKIP:
                continue
            # WordNet lists a word's senses most frequent first; rare senses ("get" as "terminate") made
            # nonsense sentences in a first run, so only the two most frequent senses count.
            for synset in wn.synsets(word, pos)[:2]:
                for lemma in synset.lemmas():
                    for anti in lemma.antonyms():
                        name = anti.name().lower()
                        if "_" not in name and name not in SKIP:
                            table[(word, pos)].add(name)
    shutil.rmtree(root, ignore_errors=True)
    return table


def entailment_pairs(rng: random.Random, generic_limit: int) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    with NEWS_TRAIN.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["label"] == "entailment":
                rows.append(("news", row["premise"], row["hypothesis"]))
    generic: list[tuple[str, str, str]] = []
    for name in GENERIC_FILES:
        with lzma.open(NLI_DIR / f"{name}.jsonl.xz", "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row.get("label") == "entailment":
                    generic.append((name, row["premise"], row["hypothesis"]))
    rng.shuffle(generic)
    return rows + generic[:generic_limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--generic", type=int, default=30_000, help="generic entailment pairs to try")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not (args.wordnet / "data.verb").exists():
        raise SystemExit(f"{args.wordnet}: no WordNet database (apt-get install wordnet-base)")

    from lemminflect import getInflection
    from rich.progress import track

    from corroborator.text.nlp import get_nlp

    rng = random.Random(args.seed)
    table = antonym_table(args.wordnet)
    print(f"antonym table: {len(table):,} (lemma, pos) entries")
    pairs = entailment_pairs(rng, args.generic)
    nlp = get_nlp("lemmatizer")
    out: list[dict[str, Any]] = []
    kinds: Counter[str] = Counter()
    premises = nlp.pipe((p for _, p, _ in pairs), batch_size=128)
    hypotheses = nlp.pipe((h for _, _, h in pairs), batch_size=128)
    for (origin, premise, hypothesis), pdoc, hdoc in track(
        zip(pairs, premises, hypotheses, strict=True), total=len(pairs), description="antonyms"
    ):
        stated = {t.lemma_.lower() for t in pdoc}
        choices = []
        for tok in hdoc:
            if tok.pos_ not in POS or tok.lemma_.lower() not in stated:
                continue
            for wpos in POS[tok.pos_].replace("s", "a"):
                for anti in sorted(table.get((tok.lemma_.lower(), wpos), ())):
                    choices.append((tok, anti))
        if not choices:
            continue
        tok, anti = rng.choice(choices)
        inflected = getInflection(anti, tag=tok.tag_) if tok.tag_ else None
        new = inflected[0] if inflected else anti
        if tok.text[:1].isupper():
            new = new[:1].upper() + new[1:]
        changed = hypothesis[: tok.idx] + new + hypothesis[tok.idx + len(tok.text) :]
        if changed == hypothesis:
            continue
        kinds["news" if origin == "news" else "generic"] += 1
        out.append(
            {
                "origin": origin,
                "premise": premise,
                "hypothesis": changed,
                "label": "contradiction",
                "kind": "antonym",
                "change": [tok.text, new],
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps({"pairs_tried": len(pairs), "antonym_contradictions": dict(kinds)}, indent=2))


if __name__ == "__main__":
    main()
