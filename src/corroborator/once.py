"""One shared instance per key, built once even when threads ask for it at the same moment.

``functools.lru_cache`` does not lock: two threads that miss together both build, and a comparison starts
its model loads on threads that do ask together (two USE encoders were built that way). Shared models
(the encoder, spaCy's pipeline, the pair judge, the entailment model) are cached with :func:`once`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Once(Generic[P, R]):
    """``fn`` cached by its arguments, one call at a time (re-entrant: a loader may load another)."""

    def __init__(self, fn: Callable[P, R]) -> None:
        self._cached: Any = functools.lru_cache(maxsize=None)(fn)
        self._lock = threading.RLock()
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return self._cached(*args, **kwargs)

    def cache_clear(self) -> None:
        self._cached.cache_clear()

    def cache_info(self) -> Any:
        return self._cached.cache_info()


def once(fn: Callable[P, R]) -> Once[P, R]:
    return Once(fn)
