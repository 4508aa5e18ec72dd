"""Boilerplate and repetition removed from an article's text before story signals are computed.

Scraped pages carry navigation, sharing prompts, copyright lines and the same paragraph two or three
times (GVA pages repeat their lead). Left in, these lines make unrelated articles of one outlet look
alike and dilute what names the event. Two kinds of line go:

* lines an outlet repeats across its pages: the caller passes the keys (:func:`line_key`) of lines it
  has already seen on several other pages of the same outlet (see
  :class:`corroborator.stories.signature.OutletLines`), so the function stays pure;
* repeats within the page: a paragraph or line whose key was already kept is dropped, and so is a line
  that is wholly contained in an earlier kept line (a lead repeated inside a longer paragraph).

A short line matching a generic boilerplate phrase ("Copyright", "All rights reserved", "Click here",
"Share this") goes even the first time an outlet is seen, so a store of one page is cleaned too.
Nothing else is rewritten: the text that is kept is the original lines in their order.

:func:`lead_indices` applies the page-local rules to sentences, so that the article embedding and the
lead entities (computed at analysis, before any store or outlet is known) read the first sentences that
say something, not a share prompt or the headline repeated as the first paragraph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container, Sequence

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")
# Generic page furniture; matched only on short lines (a sentence of reporting may say "copyright").
_FURNITURE = re.compile(
    r"(?:copyright|\(c\)\s*\d{4}|©|all rights reserved|click here|share this|share on|follow us|"
    r"sign up for|subscribe|newsletter|related stories|related articles|read more|advertisement|"
    r"terms of (?:use|service)|privacy policy|cookie|comments? (?:are|is) closed|leave a comment|"
    r"log ?in to|posted (?:on|in|by)|skip to (?:main )?content|back to top|watch video|"
    r"this material may not be published|email this|print this|previous article|next article)",
    re.IGNORECASE,
)
FURNITURE_MAX_WORDS = 14
CONTAIN_CHECK = 60  # earlier kept lines searched for a repeat inside them (bounds the work per page)
MIN_KEY_CHARS = 12  # shorter lines ("Home", "News") are not worth remembering, and are kept


def line_key(line: str) -> str:
    """A short stable key of a line: lower-cased words only, hashed (16 hex digits)."""
    norm = _NON_WORD.sub(" ", line.lower()).strip()
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest() if norm else ""


def page_lines(text: str) -> list[str]:
    """Non-empty lines of a text, whitespace collapsed."""
    return [ln for ln in (_SPACE.sub(" ", raw).strip() for raw in text.splitlines()) if ln]


def strip_boilerplate(text: str, outlet_lines: Container[str] = ()) -> str:
    """``text`` without page furniture, outlet-repeated lines (keys in ``outlet_lines``) and repeats."""
    kept: list[str] = []
    kept_keys: set[str] = set()
    kept_norm: list[str] = []
    for line in page_lines(text):
        key = line_key(line)
        if not key:
            continue
        if key in kept_keys:
            continue
        if len(line) >= MIN_KEY_CHARS and key in outlet_lines:
            continue
        if len(line.split()) <= FURNITURE_MAX_WORDS and _FURNITURE.search(line):
            continue
        norm = _NON_WORD.sub(" ", line.lower()).strip()
        # A line already said inside a longer kept line (GVA pages repeat the lead within the body).
        if len(norm) >= 40 and any(norm in prev for prev in kept_norm[:CONTAIN_CHECK]):
            continue
        kept.append(line)
        kept_keys.add(key)
        kept_norm.append(norm)
    cleaned = "\n".join(kept)
    # Never return nothing for a page that had text: a page of only furniture keeps its first line.
    if not cleaned:
        lines = page_lines(text)
        return lines[0] if lines else ""
    return cleaned


def outlet_keys(text: str) -> set[str]:
    """The keys of a page's lines worth counting across an outlet's pages."""
    return {line_key(ln) for ln in page_lines(text) if len(ln) >= MIN_KEY_CHARS} - {""}


def lead_indices(sentences: Sequence[str], n: int, title: str | None = None, scan: int = 0) -> list[int]:
    """Positions of the first ``n`` sentences that are neither page furniture nor a repeat of the title or
    of a kept sentence (same words, or said inside a longer one); at most ``scan`` sentences are
    examined (default ``4 * n + 8``). Falls back to the first ``n`` when none is left."""
    limit = scan or 4 * n + 8
    kept: list[int] = []
    kept_keys: set[str] = set()
    kept_norm: list[str] = []
    if title:
        kept_keys.add(line_key(title))
        kept_norm.append(_NON_WORD.sub(" ", title.lower()).strip())
    for i, text in enumerate(sentences[:limit]):
        if len(kept) >= n:
            break
        line = _SPACE.sub(" ", text).strip()
        key = line_key(line)
        if not key or key in kept_keys:
            continue
        if len(line.split()) <= FURNITURE_MAX_WORDS and _FURNITURE.search(line):
            continue
        norm = _NON_WORD.sub(" ", line.lower()).strip()
        if len(norm) >= 40 and any(norm in prev for prev in kept_norm):
            continue
        kept.append(i)
        kept_keys.add(key)
        kept_norm.append(norm)
    return kept or list(range(min(n, len(sentences))))


# -- furniture inside the article body: what a comparison must never read as a statement -----------------

# Sentences that are page furniture whatever their length: credit and byline lines, captions, related
# links and prompts, correction boilerplate, time stamps. (A reporter's name in "X contributed to this
# report" is no participant of the story; two outlets' credit lines are no disagreement.)
_SENTENCE_FURNITURE = re.compile(
    r"\b(?:contributed|contributing|contributes) (?:to |reporting (?:to |for )?)?"
    r"(?:this|the) (?:report|story|article)\b|"
    r"\bcontributed reporting\b|^\s*(?:additional )?reporting by\b|^\s*(?:editing|edited|written|compiled) by\b|"
    r"^\s*by\s+(?:[A-Z][\w.'’-]+\s*){1,4}(?:(?:,|and)\s+(?:[A-Z][\w.'’-]+\s*){1,4})*[,.]?\s*$|"
    r"^\s*[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3} (?:is|was) an? (?:[\w-]+ ){0,4}"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|producer|fellow)\b.{0,80}$|"
    r"^\s*\(?(?:photo|image|file photo|video|caption|credit)s?\b\s*[:(—–-]|\b(?:getty images|ap photo|afp via getty|"
    r"reuters/|photo credit|photograph:)|^\s*file\s*[-—–]\s|^\s*\||"
    r"\b[A-Z][\w’'-]+ [A-Z][\w’'-]+/(?:AP|Getty(?: Images)?|Reuters|AFP|EPA|Bloomberg|Shutterstock)\b|"
    r"^\s*(?:related|read more|see also|more|watch|listen|recommended|trending|sign up|subscribe|click here)"
    r"\b\s*[:»>|—–-]|"
    r"^\s*follow\b.{0,60}(?:twitter|facebook|instagram|@)|^\s*@\w+\s*$|"
    r"^\s*(?:correction|clarification|editor['’]s note|update|updated)\s*[:—–-]|"
    r"\ban earlier version of this (?:story|article|report)\b|"
    r"\bthis (?:story|article|report) has been (?:updated|corrected|clarified)\b|"
    r"^\s*\d+ (?:years?|months?|weeks?|days?|hours?|minutes?) ago\s*$|"
    r"^\s*(?:published|updated|posted|last updated)\b.{0,40}\d",
    re.IGNORECASE,
)
# A dateline: "WASHINGTON —", "MINNEAPOLIS (AP) —", "Williamsburg, Virginia (CNN) -",
# "Berkeley Heights, New Jersey (CNN)": a place (and the wire's name) before the first sentence.
_DATELINE = re.compile(
    r"^\s*(?:"
    r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
    r"(?:\s*\([A-Za-z][\w .&-]{0,24}\))?\s*[-—–:]{1,2}"
    r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?"
    r"\s*\((?:AP|Reuters|AFP|UPI|CNN|CNS|Bloomberg|The Hill|AP Photo|[A-Z]{2,8})\)\s*[-—–:]{0,2}"
    r")\s*"
)


def is_furniture(sentence: str) -> bool:
    """A sentence of the article body that is page furniture, not reporting (see ``_SENTENCE_FURNITURE``
    and the short-line phrases of :func:`strip_boilerplate`)."""
    line = _SPACE.sub(" ", sentence).strip()
    if not line:
        return True
    if len(line.split()) <= FURNITURE_MAX_WORDS and _FURNITURE.search(line):
        return True
    return bool(_SENTENCE_FURNITURE.search(line))


def dateline_length(sentence: str) -> int:
    """Characters of a dateline at the start of ``sentence`` (0 when it has none)."""
    m = _DATELINE.match(sentence)
    if not m or m.end() >= len(sentence.rstrip()):
        return 0
    return m.end()
