"""The story index as bytes (an ``.npz`` the store keeps as a blob) and back."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, BinaryIO, Self

import numpy as np

from corroborator.stories.records import POSTING_TERMS, Params
from corroborator.stories.signature import OutletLines
from corroborator.stories.state import Grow, IndexState
from corroborator.stories.terms import Vocabulary

FORMAT = 3


class PersistedIndex(IndexState):
    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.write(buf)
        return buf.getvalue()

    def write(self, fh: BinaryIO) -> None:
        """Write the index to ``fh`` as an ``.npz`` (what :meth:`from_bytes` reads), one array at a time.

        Each array is made just before it is written and dropped after, so a save holds one array's copy at
        a time rather than the whole index twice over (a save of 37,000 articles stepped the ingest's
        memory up by over 150 MB when every array and the finished file were in memory at once).
        """
        n = len(self.ids)
        parts: list[tuple[str, Callable[[], np.ndarray]]] = [
            ("meta", self._meta_array),
            ("days", lambda: self.days.view),
            ("dup_of", lambda: self.dup_of.view),
            ("minhash", lambda: self.minhash.view),
            ("df", lambda: self.vocab.df.astype(np.int64)),
            ("t_off", lambda: np.cumsum([0, *[len(t) for t in self.term_ids]]).astype(np.int64)),
            ("t_ids", lambda: np.concatenate(self.term_ids) if n else np.zeros(0, np.int32)),
            (
                "t_ltf",
                lambda: (np.concatenate(self.term_ltf) if n else np.zeros(0, np.float32)).astype(np.float16),
            ),
            ("e_off", lambda: np.cumsum([0, *[len(e) for e in self.entity_ids]]).astype(np.int64)),
            ("e_ids", lambda: np.asarray([i for e in self.entity_ids for i in e], dtype=np.int32)),
            ("sig_when", lambda: self.sig_when.view),
            ("sig_counts", lambda: self.sig_counts.view),
            ("sig_off", lambda: np.cumsum([0, *[len(x) for x in self.sig_packed]]).astype(np.int64)),
            ("sig_vals", lambda: np.concatenate(self.sig_packed) if n else np.zeros(0, np.uint32)),
        ]
        # The layout np.savez writes (a stored zip of .npy files), so np.load reads it as before.
        with zipfile.ZipFile(fh, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, make in parts:
                with zf.open(f"{name}.npy", mode="w", force_zip64=True) as out:
                    np.lib.format.write_array(out, np.asanyarray(make()), allow_pickle=False)
            with zf.open("ann.npy", mode="w", force_zip64=True) as out:
                self._write_ann(out)

    def _meta_array(self) -> np.ndarray:
        ents = [""] * len(self.entity_vocab)
        for e, i in self.entity_vocab.items():
            ents[i] = e
        meta = {
            "format": FORMAT,
            "num_perm": self.num_perm,
            "dim": self.dim,
            "docs": self.vocab.docs,
            "ids": self.ids,
            "stories": self.story_of,
            "words": self.vocab.words(),
            "entities": ents,
            "outlets": self.outlets.to_json(),
            "langs": self.langs,
        }
        return np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)

    def _write_ann(self, out: IO[bytes]) -> None:
        """The vector index as a uint8 ``.npy``, streamed from usearch's own file: ``Index.save()`` without
        a path hands back the whole graph as one bytearray (43 MB at 37,000 articles), the largest single
        allocation of a save."""
        if self.ann is None or not len(self.ann):
            np.lib.format.write_array(out, np.zeros(0, np.uint8), allow_pickle=False)
            return
        with tempfile.TemporaryDirectory(prefix="corroborator-ann-") as tmp:
            path = os.path.join(tmp, "ann.usearch")
            self.ann.save(path)
            header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.uint8)), "fortran_order": False}
            np.lib.format.write_array_header_1_0(out, {**header, "shape": (os.path.getsize(path),)})
            with open(path, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)

    @classmethod
    def from_bytes(cls, data: bytes, params: Params) -> Self:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"story index format {meta.get('format')} is not {FORMAT}")
        idx = cls(params, int(meta["num_perm"]), meta["dim"])
        idx.ids = list(meta["ids"])
        idx.pos = {a: i for i, a in enumerate(idx.ids)}
        idx.story_of = list(meta["stories"])
        idx.days = Grow(np.int32, data=z["days"].copy())
        idx.dup_of = Grow(np.int32, data=z["dup_of"].copy())
        idx.minhash = Grow(np.uint32, data=z["minhash"].copy())
        idx.vocab = Vocabulary.from_arrays(list(meta["words"]), z["df"], int(meta["docs"]))
        idx.entity_vocab = {e: i for i, e in enumerate(meta["entities"])}
        t_off, t_ids, t_ltf = z["t_off"], z["t_ids"], z["t_ltf"].astype(np.float32)
        e_off, e_ids = z["e_off"], z["e_ids"]
        for j in range(len(idx.ids)):
            ids = t_ids[t_off[j] : t_off[j + 1]]
            ltf = t_ltf[t_off[j] : t_off[j + 1]]
            idx.term_ids.append(ids)
            idx.term_ltf.append(ltf)
            idx.entity_ids.append(tuple(int(x) for x in e_ids[e_off[j] : e_off[j + 1]]))
            for i in np.argsort(-idx.vocab.weights(ids, ltf))[:POSTING_TERMS]:
                idx.postings.add(int(ids[i]), j)
            idx.lsh.add(idx.minhash.view[j], j)
        idx.sig_when = Grow(np.int32, data=z["sig_when"].copy())
        idx.sig_counts = Grow(np.int16, data=z["sig_counts"].copy())
        s_off, s_vals = z["sig_off"], z["sig_vals"]
        idx.sig_packed = [s_vals[s_off[j] : s_off[j + 1]].copy() for j in range(len(idx.ids))]
        for j, st in enumerate(idx.story_of):
            idx.members.setdefault(st, []).append(j)
        idx.outlets = OutletLines.from_json(meta.get("outlets", {}))
        idx.langs = [sys.intern(x) for x in meta["langs"]]
        ann = z["ann"]
        if ann.size:
            idx.ann = idx._restore_ann(bytes(ann))
        return idx
