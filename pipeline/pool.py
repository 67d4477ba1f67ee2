"""The local engine's worker processes: partitions of documents on the cores of one machine.

The same shape as the Dask engine (:mod:`pipeline.distributed`): module-level functions run on
partitions, and with ``with_model`` a worker's own spaCy pipeline, loaded once per worker, comes
first. Workers write their parses and cache entries straight to the stage folders and send back
only small results, so the parent never deserialises a Doc; spaCy's ``nlp.pipe(n_process=...)``
sends every Doc back through a pipe, which on two cores left the second one mostly idle.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any

from spacy.language import Language

from .parse import load_model

_worker_nlp: Language | None = None
_PR_SET_PDEATHSIG = 1


def _start_worker(parent: int, model: str | None, exclude: list[str]) -> None:
    global _worker_nlp
    _exit_with(parent)
    if model is not None:
        _worker_nlp = load_model(model, exclude=exclude)


def _exit_with(parent: int) -> None:
    """Have the kernel kill this worker when the stage process dies. A stage killed outright
    (SIGKILL, out of memory) never shuts its pool down, and its workers would wait for work
    forever, holding the stage's output pipes open (Linux only; elsewhere they linger)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before the line above
            os._exit(1)


def _with_model(fn: Callable, *args) -> Any:
    return fn(_worker_nlp, *args)


class ProcessEngine:
    """``n_workers`` processes on this machine; with ``model``, each loads that spaCy pipeline once."""

    def __init__(self, n_workers: int, *, model: str | None = None, exclude: Iterable[str] = ()):
        # fork: a worker starts in milliseconds with the package already imported
        self.executor = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker, initargs=(os.getpid(), model, list(exclude)))
        self.window = 2 * n_workers

    def map(self, fn: Callable, partitions: Iterable[tuple], *, with_model: bool = False) -> Iterator[Any]:
        """``fn(*partition)`` for every partition, results in the partitions' order.

        At most two partitions per worker are in flight, so the parent never holds the corpus.
        """
        pending = iter(partitions)

        def submit(args: tuple):
            return self.executor.submit(_with_model, fn, *args) if with_model else self.executor.submit(fn, *args)

        running = deque(submit(args) for args in islice(pending, self.window))
        while running:
            result = running.popleft().result()
            running.extend(submit(args) for args in islice(pending, 1))
            yield result

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)

    def __enter__(self) -> "ProcessEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
