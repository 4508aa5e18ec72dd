"""Generate news-domain NLI pairs (the FactCC recipe) from real reports of one story by different outlets.

    python training/nli_news_pairs.py [--groups 2500] [--seed 7]

Stories: GVA incidents (gold story ids) and AllSides articles of one topic and one day from different
outlets. BASIL is never read: it is kept for bench/conflicts.py. For every story, sentences of two outlets
are paired by USE cosine and the project's pair judge (``compare.alignment.judge``); a pair it calls the same
statement is an **entailment** example. The same pair with one fact changed in one side (a figure, a
date or weekday, a named entity or speaker, a negation added or removed, an antonym) is a
**contradiction**; only facts that both sentences state are changed, so the changed side really
contradicts the other. A sentence of the same story on a related point, or of another story, paired with
it is **neutral**.

Whole stories are held out: a story whose key hashes into the lowest 15 of 100 buckets goes to
``test.jsonl`` (the held-out news contradiction set of bench/nli.py), the rest to ``train.jsonl``.
``stories.json`` lists both, so evaluation elsewhere can avoid the training stories.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from typing import Any

from news_perturb import ENTITY_LABELS, OUT, Story, _sentences, allsides_stories, contradict, gva_stories, split_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=2500, help="AllSides day-topic groups to read (GVA: all)")
    parser.add_argument("--per-story", type=int, default=6, help="at most this many same-statement pairs a story")
    parser.add_argument("--outlet-pairs", type=int, default=3, help="outlet pairs compared per story")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import spacy
    from rich.progress import track

    from corroborator.compare.alignment.judge import default_judge
    from corroborator.embed import get_encoder

    rng = random.Random(args.seed)
    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer")
    from corroborator.text.nlp import get_nlp

    nlp = get_nlp("ner,parser,lemmatizer")
    encoder = get_encoder()
    judge = default_judge()

    sources = list(gva_stories())
    allsides = list(allsides_stories())
    rng.shuffle(allsides)
    sources += allsides[: args.groups]
    stories: list[Story] = []
    for key, outlets in track(sources, description="sentences"):
        sents = {o: _sentences(splitter, t)[:40] for o, t in outlets.items()}
        sents = {o: s for o, s in sents.items() if s}
        if len(sents) >= 2:
            stories.append(Story(key, sents))

    rows: dict[str, list[dict[str, Any]]] = {"train": [], "test": []}
    counts: dict[str, int] = defaultdict(int)
    all_sentences = [s for st in stories for ss in st.outlets.values() for s in ss]
    for story in track(stories, description="pairs"):
        names = list(story.outlets)
        outlet_pairs = [(x, y) for i, x in enumerate(names) for y in names[i + 1 :]]
        rng.shuffle(outlet_pairs)
        for o1, o2 in outlet_pairs[: args.outlet_pairs]:
            s1, s2 = story.outlets[o1], story.outlets[o2]
            v1, v2 = encoder.encode(s1), encoder.encode(s2)
            sims = v1 @ v2.T
            cand = [(float(sims[i, j]), i, j) for i in range(len(s1)) for j in range(len(s2)) if sims[i, j] >= 0.7]
            cand.sort(reverse=True)
            cand = cand[: args.per_story * 2]
            if not cand:
                continue
            judged = judge.judge_many([(s1[i], s2[j]) for _, i, j in cand])
            same = [
                (s1[i], s2[j])
                for (_, i, j), jd in zip(cand, judged, strict=True)
                if jd.relation == "same" and s1[i] != s2[j]
            ][: args.per_story]
            if not same:
                continue
            split = split_of(story.key)
            docs = list(nlp.pipe([b for _, b in same] + [a for a, _ in same]))
            pool: dict[str, list[str]] = defaultdict(list)
            for doc in nlp.pipe(rng.sample(s1 + s2, min(12, len(s1 + s2)))):
                for e in doc.ents:
                    if e.label_ in ENTITY_LABELS:
                        pool[e.label_].append(e.text)
            for k, (a, b), flip in [(k, p, f) for k, p in enumerate(same) for f in (False, True)]:
                # Both directions: a same-statement pair entails both ways, and either side may carry the change.
                premise, hypothesis = (b, a) if flip else (a, b)
                doc_h = docs[len(same) + k] if flip else docs[k]
                base = {"story": story.key, "outlets": [o1, o2]}
                rows[split].append(
                    {**base, "premise": premise, "hypothesis": hypothesis, "label": "entailment", "kind": "same"}
                )
                changed = contradict(premise, hypothesis, rng, doc_h, pool)
                if changed:
                    kind, new = changed
                    counts[kind] += 1
                    rows[split].append(
                        {
                            **base,
                            "premise": premise,
                            "hypothesis": new,
                            "label": "contradiction",
                            "kind": kind,
                            "original": hypothesis,
                        }
                    )
                # Neutral: the same story on a related point (cosine well below a paraphrase), else another story.
                related = [s2[j] for j in range(len(s2)) if 0.3 <= sims[s1.index(a), j] < 0.55] if a in s1 else []
                other = rng.choice(related) if related and rng.random() < 0.7 else rng.choice(all_sentences)
                if other not in (premise, hypothesis):
                    rows[split].append(
                        {
                            **base,
                            "premise": premise,
                            "hypothesis": other,
                            "label": "neutral",
                            "kind": "related" if other in related else "unrelated",
                        }
                    )
    OUT.mkdir(parents=True, exist_ok=True)
    for split, items in rows.items():
        rng.shuffle(items)
        with (OUT / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for row in items:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    keys = {split: sorted({r["story"] for r in items}) for split, items in rows.items()}
    (OUT / "stories.json").write_text(json.dumps(keys, indent=1))
    summary = {
        split: {label: sum(r["label"] == label for r in items) for label in ("entailment", "neutral", "contradiction")}
        for split, items in rows.items()
    }
    summary["contradiction_kinds"] = dict(counts)
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
