"""The Dask engine: partitions of documents run on a dask.distributed cluster, the model loaded once per worker.

Nothing here knows the pipeline's stages: :mod:`pipeline.stages` hands over module-level
functions and their partitions, the same functions the local engine calls in-process. Workers
read and write the stage folders directly, so those folders must be on storage every worker
sees (one machine, NFS or another shared file system), and every worker runs this package with
the same pinned environment (requirements.lock).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from .parse import fingerprint, load_model

_PLUGIN = "newsfacts-model"


class ModelPlugin(WorkerPlugin):
    """Loads the spaCy pipeline when a worker starts (or joins later) and keeps it for every task."""

    def __init__(self, model: str, exclude: list[str]):
        self.model, self.exclude = model, exclude
        self.nlp = None
        self.fingerprint = None

    def setup(self, worker) -> None:
        self.nlp = load_model(self.model, exclude=self.exclude)
        self.fingerprint = fingerprint(self.nlp)


def _with_model(expected_fingerprint: str, fn: Callable, *args) -> Any:
    plugin = get_worker().plugins[_PLUGIN]
    if plugin.fingerprint != expected_fingerprint:
        raise RuntimeError(f"worker {get_worker().address} runs a different spaCy pipeline than the client "
                           "(model, spaCy or package versions differ): install requirements.lock on every worker")
    return fn(plugin.nlp, *args)


class DaskEngine:
    """A client of the scheduler at ``address``, or of a local cluster of ``n_workers`` processes it starts."""

    def __init__(self, address: str | None, *, n_workers: int):
        if not logging.getLogger("pipeline").isEnabledFor(logging.DEBUG):
            # Dask reports every worker start and stop at INFO; only --verbose wants that.
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self.expected_fingerprint: str | None = None
        self.cluster = None if address else LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                                         dashboard_address=None)
        self.client = Client(address or self.cluster)
        self.window = 2 * max(len(self.client.scheduler_info()["workers"]), 1)

    def load_model(self, model: str, *, exclude: list[str], expected_fingerprint: str) -> None:
        self.client.register_plugin(ModelPlugin(model, list(exclude)), name=_PLUGIN)
        self.expected_fingerprint = expected_fingerprint

    def map(self, fn: Callable, partitions: Iterable[tuple], *, with_model: bool = False) -> Iterator[Any]:
        """``fn(*partition)`` for every partition, results in completion order.

        At most two partitions per worker are in flight, so the client never holds the corpus; with
        ``with_model`` the worker's pipeline is passed as the first argument.
        """
        pending = iter(partitions)

        def submit(args: tuple):
            if with_model:
                return self.client.submit(_with_model, self.expected_fingerprint, fn, *args, pure=False)
            return self.client.submit(fn, *args, pure=False)

        running = as_completed([submit(args) for args in islice(pending, self.window)])
        for future in running:
            result = future.result()
            for args in islice(pending, 1):
                running.add(submit(args))
            yield result

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
