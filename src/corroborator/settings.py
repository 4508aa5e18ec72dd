"""Every tunable, declared once: name, type, default, help and allowed range in one line of :class:`Settings`.

Each field of :class:`Settings` is declared with :func:`setting`; everything else is derived from
those declarations:

- :data:`SETTINGS`, the table (``corroborator settings`` lists it),
- ``--set name=value`` on the CLI (:meth:`Settings.with_overrides`, via ``cli.settings_from``),
- the ``CORROBORATOR_<NAME>`` environment variables (:meth:`Settings.from_env`),
- docs/settings.md (:func:`settings_markdown`; a test fails when the file is out of date).

To add a setting: add one ``name: type = setting(default, "help", low=..., high=...)`` line to
:class:`Settings` in the section of its stage, read it as ``settings.name`` where it is used, and
regenerate the docs with ``corroborator settings --markdown > docs/settings.md``.

Constants that stay in the code (not settings) are those a user cannot sensibly change: formats,
model-coupled sizes, thresholds fitted together with a trained model's weights, safety limits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def setting(
    default: Any,
    help: str,
    *,
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """Declare one setting: its default, what it does, and the values it accepts (inclusive range or choices)."""
    return field(default=default, metadata={"help": help, "low": low, "high": high, "choices": choices})


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the settings table, derived from a :class:`Settings` field."""

    name: str
    type: type
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    @property
    def range(self) -> str:
        """The accepted values in words, for docs and error messages."""
        if self.type is bool:
            return "true or false"
        if self.choices:
            return " or ".join(self.choices)
        if self.low is not None and self.high is not None:
            return f"{self.low} to {self.high}"
        if self.low is not None:
            return f"at least {self.low}"
        if self.high is not None:
            return f"at most {self.high}"
        return "any"

    def parse(self, raw: str) -> Any:
        """A ``name=value`` string as this setting's type, checked against its range."""
        try:
            if self.type is bool:
                lowered = raw.strip().lower()
                if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                    raise ValueError(raw)
                value: Any = lowered in {"1", "true", "yes", "on"}
            else:
                value = self.type(raw)
        except ValueError as exc:
            raise ValueError(f"setting {self.name}: {raw!r} is not a {self.type.__name__}") from exc
        self.check(value)
        return value

    def check(self, value: Any) -> None:
        if self.choices and value not in self.choices:
            raise ValueError(f"setting {self.name}: {value!r} is not one of {', '.join(self.choices)}")
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ValueError(f"setting {self.name}: {value!r} is out of range ({self.range})")


@dataclass(frozen=True, slots=True)
class Settings:
    # ingest
    max_file_bytes: int = setting(50_000_000, "Files larger than this are refused with a one-line error.", low=1)
    min_text_chars: int = setting(40, "Extracted text shorter than this is refused as empty.", low=0)
    ingest_workers: int = setting(
        2, "Processes that analyse articles in parallel during ingest (0 = in-process).", low=0, high=256
    )
    ingest_batch: int = setting(64, "Articles written to the store per transaction during ingest.", low=1)
    ingest_facts: bool = setting(
        True,
        "Make every article's typed facts at ingest, in the analysis workers, and store them with it, so "
        "no read waits for them (spaCy NER over every sentence: about 110 ms of CPU an English article, "
        "3-4x the rest of ingest). false: ingest is that much faster and facts are made when an article "
        "is first read or compared.",
    )
    lead_sentences: int = setting(
        5, "Sentences of an article's lead used for its embedding and lead entities.", low=1, high=100
    )
    # input limits: what one file, record or article may cost in memory and time (hostile input)
    max_record_bytes: int = setting(
        10_000_000,
        "Bytes of one record (a JSONL line, a WARC record's decompressed payload, a text or HTML file); "
        "larger ones are refused.",
        low=1,
    )
    max_records: int = setting(
        100_000, "Records read from one file (JSON, JSONL, feed, WARC); the rest are refused.", low=1
    )
    max_text_chars: int = setting(1_000_000, "Characters of one article's text; longer ones are refused.", low=1)
    max_field_chars: int = setting(
        10_000, "Characters of one metadata field (title, URL, source, byline, id); longer ones are refused.", low=1
    )
    max_sentence_chars: int = setting(
        2_000, "Characters of one sentence; longer ones are cut at white space into several.", low=50
    )
    max_sentences: int = setting(5_000, "Sentences of one article; an article with more is refused.", low=1)
    max_nesting: int = setting(64, "Nesting depth of JSON values and XML elements; deeper files are refused.", low=2)
    max_errors_per_file: int = setting(
        100, "Error lines (and failure rows) per file; the rest are counted in one last line.", low=1
    )
    watch_settle_seconds: float = setting(
        1.0, "watch: a file modified less than this long ago is left for the next poll (still being written).", low=0.0
    )
    # fingerprints
    minhash_perm: int = setting(128, "MinHash permutations per article.", low=16, high=1024)
    shingle_words: int = setting(5, "Words per shingle for MinHash.", low=1, high=20)
    # stories
    story_window_days: int = setting(14, "Articles further apart share a story only as a follow-up (see below).", low=0)
    near_duplicate_jaccard: float = setting(
        0.8, "MinHash Jaccard at or above which an article is a near-copy.", low=0.0, high=1.0
    )
    story_threshold: float = setting(
        0.325, "Score at or above which an article joins a candidate story.", low=0.0, high=3.0
    )
    story_candidates: int = setting(20, "Nearest stories examined per new article.", low=1, high=1000)
    story_weight_words: float = setting(
        1.0, "Score weight: TF-IDF cosine of two articles' words (ECB+ tuned).", low=0.0
    )
    story_weight_cosine: float = setting(0.1, "Score weight: cosine of title+lead embeddings (ECB+ tuned).", low=0.0)
    story_weight_entities: float = setting(0.5, "Score weight: Dice overlap of lead entities (ECB+ tuned).", low=0.0)
    story_weight_date: float = setting(
        0.3, "Score penalty at story_window_days apart (none if a date is unknown).", low=0.0
    )
    story_link: str = setting(
        "max", "Story score: max (best member) or mean2 (mean of best two).", choices=("max", "mean2")
    )
    story_followup_days: int = setting(365, "Articles up to this far apart may share a story as a follow-up.", low=0)
    story_followup_threshold: float = setting(
        0.5, "Score a follow-up beyond story_window_days must reach (GVA tuned).", low=0.0, high=3.0
    )
    story_decision: str = setting(
        "learned",
        "Story decision: learned (shipped model over signals and event signature) or weights (the story_weight_*).",
        choices=("learned", "weights"),
    )
    story_min_probability: float = setting(
        0.5, "Learned decision: probability at or above which an article joins a story.", low=0.0, high=1.0
    )
    story_self_correct: bool = setting(
        False,
        "Merge stories an article bridges and split stories whose articles drift apart (logged as flags); "
        "off by default: merges cost ECB+ precision (bench/stories.py).",
    )
    # compare
    model_threads: int = setting(
        2,
        "Threads each model that judges claim pairs (entailment, pair judge) may use, at most the machine's "
        "cores; 1 where many processes compare at once.",
        low=1,
        high=64,
    )
    align_candidates: int = setting(5, "Nearest claims of another article examined per claim.", low=1, high=100)
    align_min_cosine: float = setting(
        0.25,
        "Embedding cosine below which a claim pair is not even judged (faster on long articles).",
        low=-1.0,
        high=1.0,
    )
    brief_length: int = setting(
        0,
        "Corroborated points the brief tells, most important first; 0: scaled to the story (5 to 20).",
        low=0,
        high=10_000,
    )
    brief_single_source: int = setting(
        12, "Single-source claims shown in the brief, the most fact-laden first.", low=0, high=10_000
    )
    compare_entailment: bool = setting(
        True, "Judge aligned claim pairs with the entailment model (contradictions, corroboration); off: rules only."
    )
    compare_entailment_min_cosine: float = setting(
        0.55, "Embedding cosine from which a candidate claim pair is shown to the entailment model.", low=-1.0, high=1.0
    )
    compare_contradiction: float = setting(
        0.6,
        "Contradiction probability (mean of both directions) from which an aligned pair with a differing fact "
        "is a conflict of that fact's kind.",
        low=0.0,
        high=1.0,
    )
    compare_claim_contradiction: float = setting(
        0.8,
        "Contradiction probability from which an aligned pair with no differing fact is a `claim` conflict.",
        low=0.0,
        high=1.0,
    )
    compare_claim_conflicts: bool = setting(
        False,
        "Report `claim` conflicts: a pair the entailment model alone calls contradictory, with no differing fact "
        "(off: on real article pairs of the dev set none was a real disagreement; bench/disagreements.py).",
    )
    compare_claim_min_similarity: float = setting(
        0.7,
        "Pair-judge similarity (0..1) from which an aligned pair may become a `claim` conflict (a near-paraphrase; "
        "a looser pair that the model calls contradictory is most often two different statements).",
        low=0.0,
        high=1.0,
    )
    compare_agreement: float = setting(
        0.6,
        "Entailment probability from which a claim corroborates another (both directions: the same statement; "
        "one: one states all the other does).",
        low=0.0,
        high=1.0,
    )
    contest_min_cosine: float = setting(
        0.2,
        "Embedding cosine below which a claim is not even a candidate for what a reported dispute is about.",
        low=-1.0,
        high=1.0,
    )
    contest_threshold: float = setting(
        -1.0,
        "Probability from which the contest ranker's likeliest claim is reported as what a dispute disputes; "
        "negative: the threshold shipped with the ranker (fitted with its weights).",
        low=-1.0,
        high=1.0,
    )
    contest_per_article: int = setting(
        1,
        "Claims of one report a reported dispute may contest (the likeliest first, each at the ranker's threshold).",
        low=1,
        high=10,
    )
    contest_outlet_voice: bool = setting(
        False,
        "Read a report's own doubt ('falsely claimed', 'without evidence') as a dispute of the same claim in the "
        "other reports (off: it is most often about what a third party claimed, not about those reports).",
    )
    contest_rare_share: float = setting(
        0.05,
        "A content word is rare (evidence that a dispute and a claim talk about one matter) when at most this "
        "share of the compared claims use it.",
        low=0.0,
        high=1.0,
    )
    # check
    check_candidates: int = setting(
        200, "Articles nearest a claim (whole store, by vector search) judged by check when no story is given.", low=1
    )
    entailment_model: str = setting(
        "nli.minilm-l6.v1",
        "The entailment (NLI) model compare and check use; others can be registered with "
        "corroborator.entail.register_entailment_model.",
    )
    stance_model: str = setting(
        "stance.nli.v1",
        "The model that judges an article's stance toward a claim: the entailment-based one or the cue-feature one.",
        choices=("stance.nli.v1", "stance.features.v1"),
    )
    number_tolerance: float = setting(
        0.05, "Relative difference under which approximate numbers agree.", low=0.0, high=1.0
    )

    def __post_init__(self) -> None:
        for s in SETTINGS:
            s.check(getattr(self, s.name))

    def with_overrides(self, overrides: Mapping[str, str]) -> Settings:
        """Apply ``name=value`` strings, converting each to the setting's type and checking its range."""
        changes: dict[str, Any] = {}
        for name, raw in overrides.items():
            if name not in _BY_NAME:
                known = ", ".join(sorted(_BY_NAME))
                raise ValueError(f"unknown setting {name!r}; known settings: {known}")
            changes[name] = _BY_NAME[name].parse(raw)
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Defaults, overridden by ``CORROBORATOR_<NAME>`` environment variables."""
        env = os.environ if environ is None else environ
        overrides = {s.name: env[env_var(s.name)] for s in SETTINGS if env_var(s.name) in env}
        return cls().with_overrides(overrides)


def env_var(name: str) -> str:
    """The environment variable that overrides a setting."""
    return f"CORROBORATOR_{name.upper()}"


_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool}


def _row(f: Field[Any]) -> Setting:
    if f.default is MISSING or "help" not in f.metadata:
        raise AssertionError(f"Settings.{f.name} must be declared with setting(default, help)")
    kind = _TYPES[f.type] if isinstance(f.type, str) else f.type
    if type(f.default) is not kind:
        raise AssertionError(f"Settings.{f.name}: default {f.default!r} is not a {kind.__name__}")
    return Setting(
        name=f.name,
        type=kind,
        default=f.default,
        help=f.metadata["help"],
        low=f.metadata["low"],
        high=f.metadata["high"],
        choices=f.metadata["choices"],
    )


SETTINGS: tuple[Setting, ...] = tuple(_row(f) for f in fields(Settings))
_BY_NAME = {s.name: s for s in SETTINGS}


def settings_markdown() -> str:
    """docs/settings.md, generated from the declarations."""
    lines = [
        "# Settings",
        "",
        "Every tunable, its default, the values it accepts and what it does. Override with `--set name=value` on",
        "the CLI, or the environment variable `CORROBORATOR_<NAME>` (upper case). `corroborator settings` lists",
        "current values; this file is `corroborator settings --markdown`, and a test fails when it is out of date.",
        "",
        "| setting | default | accepts | what it does |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{s.name}` | {s.default} | {s.range} | {s.help} |" for s in SETTINGS]
    lines += [
        "",
        "## The cache folder",
        "",
        "Not a setting of a run: files corroborator derives once from installed packages (an uncompressed copy",
        "of the sentence encoder's weights, read faster at every start) live in `CORROBORATOR_CACHE`, else",
        "`$XDG_CACHE_HOME/corroborator`, else `~/.cache/corroborator`. Nothing is downloaded into it; deleting",
        "it costs only the time to make its files again, and where it cannot be written the packaged files are",
        "read as before.",
    ]
    return "\n".join(lines) + "\n"


def cache_dir() -> Path:
    """Where corroborator keeps files it derives from installed packages (never downloads): the
    ``CORROBORATOR_CACHE`` environment variable, else ``$XDG_CACHE_HOME/corroborator``, else
    ``~/.cache/corroborator``. Deleting it costs only the time to make its files again."""
    if os.environ.get("CORROBORATOR_CACHE"):
        return Path(os.environ["CORROBORATOR_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corroborator"
