"""Figures written the way most of Europe writes them: "40.000 millones de US$", "20,1 Milliarden Euro", "45 %".

Language-neutral rules for the languages without English number rules (:mod:`.numeric` reads English):
a decimal comma, thousands with a point or a (thin) space, scale words and currency and percent words
from the language's data files (``data/words/<lang>/scales.txt``, ``units.txt``), and currency
symbols or codes either side of the figure. Values and norms are those :mod:`.numeric` gives, so a
Spanish "40.000 millones de dólares" and an English "$40 billion" both read ``USD 40000000000``.

Counts carry no unit here: the noun they count is in another language than the other side's, so the
figure alone is what compares across languages.
"""

from __future__ import annotations

import functools
import re

from corroborator.text import words
from corroborator.text.numeric import NumericValue

_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "GB£": "GBP", "¥": "JPY", "C$": "CAD", "A$": "AUD"}
_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "CHF")
# 40.000 / 40 000 / 40000 with an optional decimal comma; a point between digit groups of three only.
_NUM = r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SYM = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))


@functools.cache
def _pattern(lang: str) -> re.Pattern[str]:
    scales = "|".join(re.escape(w) for w, _ in sorted(words.pairs(lang, "scales"), key=lambda p: -len(p[0])))
    units = "|".join(re.escape(w) for w, _ in sorted(words.pairs(lang, "units"), key=lambda p: -len(p[0])))
    scale = rf"(?:\s+(?P<scale>{scales})\b)?" if scales else ""
    unit_word = rf"|(?:\s+(?:de\s+|di\s+|d['’]\s*)?)(?P<uword>{units})\b" if units else ""
    return re.compile(
        rf"(?:(?P<pre>{_SYM}|\b(?:{'|'.join(_CODES)}))\s?)?"
        rf"(?<![\w.,/-])(?P<num>{_NUM})(?![\w]|[.,]\d)"
        + scale
        + rf"(?:\s?(?P<pct>%)|\s?(?:(?:de|di)\s+)?(?P<post>{_SYM})(?!\w)|\s(?P<code>{'|'.join(_CODES)})\b{unit_word})?",
        re.IGNORECASE,
    )


def _value(raw: str) -> float:
    clean = re.sub(r"[.\u00a0\u202f ]", "", raw).replace(",", ".")
    return float(clean)


def find_figures(text: str, lang: str | None, skip: list[tuple[int, int]] | None = None) -> list[NumericValue]:
    """Counts, money and percentages in ``text`` (language ``lang``), outside the ``skip`` spans (dates)."""
    code = words.lang_code(lang)
    scales = {w.lower(): float(v) for w, v in words.pairs(code, "scales")}
    units = {w.lower(): v for w, v in words.pairs(code, "units")}
    out: list[NumericValue] = []
    for m in _pattern(code).finditer(text):
        start, end = m.start(), m.end()
        if any(a < end and start < b for a, b in skip or ()):
            continue
        # A language with no scale or unit words has no such groups in its pattern (Chinese, Arabic, ...).
        g: dict[str, str | None] = m.groupdict()
        raw = g["num"] or ""
        number = _value(raw)
        scale = g.get("scale")
        if scale:
            number *= scales.get(scale.lower(), 1.0)
        currency = None
        for group in ("pre", "post"):
            sym = g.get(group)
            if sym:
                currency = _SYMBOLS.get(sym) or sym.upper()
        code_word = g.get("code")
        if code_word:
            currency = code_word.upper()
        unit_word = units.get((g.get("uword") or "").lower())
        num_text = f"{number:.15g}"
        if g.get("pct") or unit_word == "%":
            out.append(NumericValue("percent", start, end, text[start:end], f"{num_text}%", number, "%"))
        elif unit_word == "pp":
            out.append(NumericValue("percent", start, end, text[start:end], f"{num_text} pp", number, "pp"))
        elif currency or unit_word:
            cur = currency or unit_word or ""
            out.append(NumericValue("money", start, end, text[start:end], f"{cur} {num_text}", number, cur))
        else:
            if len(raw) == 4 and 1800 <= number <= 2100 and "," not in raw:
                continue  # a year: the dates' business
            out.append(NumericValue("number", start, end, text[start:end], num_text, number, None))
    return out
