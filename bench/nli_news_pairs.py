"""Generate news-domain NLI pairs (the FactCC recipe) from real reports of one story by different outlets.

    python bench/nli_news_pairs.py [--groups 2500] [--seed 7]

Stories: GVA incidents (gold story ids) and AllSides articles of one topic and one day from different
outlets. BASIL is never read: it is kept for bench/conflicts.py. For every story, sentences of two outlets
are paired by USE cosine and the project's pair judge (``compare.pair``); a pair it calls the same
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
import hashlib
import json
import lzma
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench" / "results" / "nli_news"
TEST_BUCKETS = 15

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WORD_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty"]
ANTONYMS = {
    "increased": "decreased",
    "rose": "fell",
    "raised": "lowered",
    "won": "lost",
    "approved": "rejected",
    "accepted": "rejected",
    "agreed": "refused",
    "allowed": "banned",
    "supported": "opposed",
    "confirmed": "denied",
    "guilty": "innocent",
    "higher": "lower",
    "more": "fewer",
    "before": "after",
    "killed": "injured",
    "arrested": "released",
    "passed": "blocked",
    "increase": "decrease",
    "rise": "fall",
    "win": "lose",
    "support": "oppose",
    "approve": "reject",
    "up": "down",
    "first": "last",
    "largest": "smallest",
    "biggest": "smallest",
    "open": "closed",
    "legal": "illegal",
    "alive": "dead",
    "expanded": "cut",
    "gained": "lost",
    "lifted": "imposed",
    "ended": "began",
    "resigned": "stayed",
}
ANTONYMS |= {v: k for k, v in list(ANTONYMS.items()) if v not in ANTONYMS}
AUX_NEGATABLE = {
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
}
REPORTING = {"say", "tell", "report", "state", "add", "announce", "confirm", "claim", "write"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


@dataclass
class Story:
    key: str
    # outlet -> sentences
    outlets: dict[str, list[str]]


def split_of(key: str) -> str:
    bucket = int(hashlib.md5(key.encode()).hexdigest(), 16) % 100
    return "test" if bucket < TEST_BUCKETS else "train"


def _sentences(nlp: Any, text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text)[:20_000]
    out = []
    for sent in nlp(text).sents:
        s = sent.text.strip()
        if 8 <= len(s.split()) <= 60 and not s.endswith("?"):
            out.append(s)
    return out


def gva_stories() -> Iterator[tuple[str, dict[str, str]]]:
    by_incident: dict[str, dict[str, str]] = defaultdict(dict)
    with (SHARED / "corpus" / "gva" / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("content"):
                by_incident[row["incident_id"]].setdefault(row.get("outlet_host") or row["doc_id"], row["content"])
    for incident, outlets in sorted(by_incident.items()):
        if len(outlets) >= 2:
            yield f"gva:{incident}", outlets


def allsides_stories(shards: int | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """``allsides:<topic>:<date>`` -> outlet -> text, for day-topic groups of two or more outlets (at most 4)."""
    groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for path in sorted((SHARED / "corpus" / "allsides" / "articles").glob("articles-*.jsonl.xz"))[:shards]:
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                date, topic = row.get("date") or "", row.get("topic") or ""
                if not re.fullmatch(r"20\d\d-\d\d-\d\d", date) or not row.get("content_original"):
                    continue
                groups[(topic, date)].setdefault(row["source"], row["content_original"])
    for (topic, date), outlets in sorted(groups.items()):
        if len(outlets) >= 2:
            yield f"allsides:{topic}:{date}", dict(list(outlets.items())[:4])


# --- perturbations: each returns the changed sentence, or None when it does not apply -----------------


def _swap_number(a: str, b: str, rng: random.Random, doc: Any) -> str | None:
    shared = [m for m in re.finditer(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w.])", b) if m.group() in a]
    shared = [m for m in shared if not re.fullmatch(r"(19|20)\d\d", m.group())]
    if shared:
        m = rng.choice(shared)
        raw = m.group().replace(",", "")
        value = float(raw)
        factor = rng.choice([0.5, 0.6, 0.7, 1.4, 1.5, 2, 3])
        new = value * factor if value > 3 else value + rng.choice([2, 3, 4, 5])
        text = f"{new:,.{len(raw.split('.')[1]) if '.' in raw else 0}f}"
        if "," not in m.group():
            text = text.replace(",", "")
        if text == m.group():
            return None
        return b[: m.start()] + text + b[m.end() :]
    words = [w for w in WORD_NUMBERS if re.search(rf"\b{w}\b", b, re.I) and re.search(rf"\b{w}\b", a, re.I)]
    if words:
        w = rng.choice(words)
        other = rng.choice([x for x in WORD_NUMBERS if x != w])
        return re.sub(rf"\b{w}\b", other, b, count=1, flags=re.I)
    return None


def _swap_date(a: str, b: str, rng: random.Random, doc: Any) -> str | None:
    for names in (WEEKDAYS, MONTHS):
        found = [n for n in names if re.search(rf"\b{n}\b", b) and re.search(rf"\b{n}\b", a)]
        if found:
            n = rng.choice(found)
            return re.sub(rf"\b{n}\b", rng.choice([x for x in names if x != n]), b, count=1)
    years = [m for m in re.finditer(r"\b(19[5-9]\d|20[0-2]\d)\b", b) if m.group() in a]
    if years:
        m = rng.choice(years)
        new = str(int(m.group()) + rng.choice([-3, -2, -1, 1, 2, 3]))
        return b[: m.start()] + new + b[m.end() :]
    return None


def _swap_entity(a: str, b: str, rng: random.Random, doc: Any, pool: dict[str, list[str]]) -> str | None:
    ents = [e for e in doc.ents if e.label_ in ENTITY_LABELS and e.text in a and len(e.text) > 2]
    rng.shuffle(ents)
    for ent in ents:
        choices = [
            x
            for x in pool.get(ent.label_, [])
            if x != ent.text and x not in a and x not in b and ent.text not in x and x not in ent.text
        ]
        if choices:
            return b[: ent.start_char] + rng.choice(choices) + b[ent.end_char :]
    return None


def _negate(a: str, b: str, rng: random.Random, doc: Any) -> str | None:
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is not None and root.lemma_ in REPORTING:
        # "Police said the man was arrested": the fact is the reported clause, not the saying.
        root = next((c for c in root.children if c.dep_ == "ccomp"), root)
    if root is None or root.pos_ not in {"VERB", "AUX"}:
        return None
    negs = [c for c in root.children if c.dep_ == "neg"]
    if negs:  # remove a negation after be / have / a modal
        neg = negs[0]
        prev = doc[neg.i - 1] if neg.i > 0 else None
        if prev is not None and prev.lower_ in AUX_NEGATABLE - {"did", "does", "do"}:
            start = neg.idx - (1 if b[neg.idx - 1 : neg.idx] == " " else 0)
            if neg.text.lower() == "n't":
                start = neg.idx
            return b[:start] + b[neg.idx + len(neg.text) :]
        return None
    auxes = [c for c in root.children if c.dep_ in {"aux", "auxpass"} and c.lower_ in AUX_NEGATABLE]
    if root.lower_ in {"is", "was", "are", "were"}:
        auxes = [root]
    if auxes:
        aux = auxes[0]
        end = aux.idx + len(aux.text)
        return b[:end] + " not" + b[end:]
    if root.tag_ == "VBD" and root.lemma_ != root.text:
        return b[: root.idx] + "did not " + root.lemma_ + b[root.idx + len(root.text) :]
    if root.tag_ == "VBZ":
        return b[: root.idx] + "does not " + root.lemma_ + b[root.idx + len(root.text) :]
    return None


def _antonym(a: str, b: str, rng: random.Random, doc: Any) -> str | None:
    found = [t for t in doc if t.lower_ in ANTONYMS and t.lower_ in a.lower()]
    if not found:
        return None
    t = rng.choice(found)
    new = ANTONYMS[t.lower_]
    if t.text[0].isupper():
        new = new.capitalize()
    return b[: t.idx] + new + b[t.idx + len(t.text) :]


KINDS = ("number", "date", "entity", "negation", "antonym")


def contradict(a: str, b: str, rng: random.Random, doc: Any, pool: dict[str, list[str]]) -> tuple[str, str] | None:
    # Negation applies to almost every sentence; the typed changes only where both sides state the fact.
    # Try the typed kinds first so the set is not mostly negations.
    kinds = [k for k in KINDS if k != "negation"]
    rng.shuffle(kinds)
    kinds.append("negation")
    if rng.random() < 0.25:
        kinds.insert(0, kinds.pop())
    for kind in kinds:
        if kind == "number":
            out = _swap_number(a, b, rng, doc)
        elif kind == "date":
            out = _swap_date(a, b, rng, doc)
        elif kind == "entity":
            out = _swap_entity(a, b, rng, doc, pool)
        elif kind == "negation":
            out = _negate(a, b, rng, doc)
        else:
            out = _antonym(a, b, rng, doc)
        if out and out != b:
            return kind, out
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=2500, help="AllSides day-topic groups to read (GVA: all)")
    parser.add_argument("--per-story", type=int, default=6, help="at most this many same-statement pairs a story")
    parser.add_argument("--outlet-pairs", type=int, default=3, help="outlet pairs compared per story")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import spacy
    from rich.progress import track

    from corroborator.compare.pair import default_judge
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
        outlets = list(story.outlets)
        outlet_pairs = [(x, y) for i, x in enumerate(outlets) for y in outlets[i + 1 :]]
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
    summary["contradiction_kinds"] = dict(counts)  # type: ignore[assignment]
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
