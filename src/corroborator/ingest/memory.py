"""Keep a long ingest's heap from holding on to memory it freed (glibc only; elsewhere nothing happens).

A long ingest saves the story index every 60 s: a buffer of about 3 KB per stored article (over 100 MB at
37,000 articles) is built, written and freed. After a large block is freed glibc raises its mmap
threshold, so the next large buffers come from the heap, and small objects allocated between them keep
those pages resident after they are freed: bench/ingest.py showed the parent process's memory step up
15-20 MB at each save and stay there. A fixed threshold keeps every large buffer in its own mapping,
returned to the system when freed, and ``release_heap`` hands back free pages after each save.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1 << 20  # blocks of 1 MB or more get their own mapping (glibc's default starts at 128 KB)
TRIM_THRESHOLD = 4 << 20  # free memory at the heap's top beyond this goes back to the system


@cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        lib = ctypes.CDLL("libc.so.6")
        lib.mallopt  # noqa: B018 - musl and others have no mallopt / malloc_trim
        lib.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return lib


def keep_heap_small() -> bool:
    """Fix glibc's mmap and trim thresholds for this process; False where that cannot be done."""
    lib = _glibc()
    if lib is None:
        return False
    return bool(lib.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(lib.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def release_heap() -> None:
    """Give free heap pages back to the system (after a large transient buffer, such as an index save)."""
    lib = _glibc()
    if lib is not None:
        lib.malloc_trim(0)
