"""The Python daemon of the Spark engine's executors: models loaded once, then forked into every worker.

PySpark starts one daemon per executor and forks a Python worker from it for each task slot (and one
more wherever a task reads a cached Python RDD it computes on the way). With the stock daemon each of
those workers imported the library and loaded spaCy, the sentence encoder and the language model on
its own: four loads on a two-core local master, and every forked worker after an idle timeout again.
This daemon imports what every batch task runs and warms the analysis models up *before* it forks, so a
worker starts with them in memory (shared copy-on-write with the daemon) and the executor pays one load.

The loaded objects are then frozen out of the garbage collector (``gc.freeze``): the daemon runs a full
``gc.collect()`` in the worker after every task, which with the models' ~100,000 objects tracked cost
~50 ms a task, about 190 tasks in a small batch. Spark runs it as ``python -m corroborator.scale.daemon``
(``spark.python.daemon.module``, set by :func:`corroborator.scale.spark.make_session`).
"""

from __future__ import annotations

import gc
import os
import sys
import traceback

WARM_UP = "Warm-up sentence for the models. It loads them once."


def preload() -> None:
    """Import the batch stages and load the analysis models; never fails (a task then loads lazily)."""
    # The daemon tells Spark its port on stdout: nothing a model prints may reach file descriptor 1.
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        _load()
    except Exception:  # the worker's own load will raise the same error inside a task, with its context
        traceback.print_exc(file=sys.stderr)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
    gc.collect()
    gc.freeze()


# What the tasks import besides the analysis: the readers (stage 1), rows, versions, a block's temporary
# store and the story assigner (stage 5).
MODULES = (
    "corroborator.ingest",
    "corroborator.scale.rows",
    "corroborator.scale.versions",
    "corroborator.store",
    "corroborator.stories.assigner",
)


def _load() -> None:
    import importlib

    for name in MODULES:
        importlib.import_module(name)
    from corroborator.model import Article
    from corroborator.pipeline import analyse_many
    from corroborator.settings import Settings

    analyse_many([Article.create(WARM_UP)], Settings())


def main() -> None:
    preload()
    from pyspark.daemon import manager

    manager()


if __name__ == "__main__":
    main()
