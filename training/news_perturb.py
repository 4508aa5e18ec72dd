"""Stories of real reports by several outlets, and the one-fact perturbations that turn a statement into its
contradiction (a figure, a date or weekday, a named entity or speaker, a negation, an antonym).

Shared: ``training/nli_news_pairs.py`` generates NLI training pairs with them, and ``bench/conflicts.py``
measures the conflict checks on the same perturbations of held-out stories (:func:`split_of`).
"""

from __future__ import annotations

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
