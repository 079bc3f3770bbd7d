"""Where batch tasks run: in this process, a local process pool, or a Dask cluster.

Every executor has the same small interface: a context manager whose :meth:`~Executor.run`
yields ``(index, outcome)`` pairs as tasks finish, in any order. ``outcome`` is the task's
return value, or the exception that kept it from returning (a worker died, a bug), so the
caller reports that one input as failed and goes on with the rest. Dask is imported lazily.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Generic, TypeVar

from .errors import PlanparseError, UsageError

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "dask")
DASK_MISSING = "--executor dask needs the dask extra: pip install 'planparse[dask]'"
# A task whose future was cancelled under us (``client.restart()``, a scheduler failover) is sent
# again this many times; tasks that kill their worker are retried by Dask's own
# ``distributed.scheduler.allowed-failures`` before they fail with ``KilledWorker``.
RESUBMITS = 2
# A task that killed its worker in the local pool is run alone this many more times before it is
# reported: the kill may have come from outside (memory pressure from its neighbours).
SOLO_RETRIES = 1


class Executor(Generic[T, R]):
    """Runs ``fn`` over items; subclasses decide where."""

    def __enter__(self) -> Executor[T, R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close(cancel=error is not None)

    def close(self, cancel: bool = False) -> None:
        """Release workers; ``cancel`` drops queued tasks (after Ctrl-C or an error)."""

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R | BaseException]]:
        raise NotImplementedError


class SerialExecutor(Executor[T, R]):
    """In this process, in order: no start-up cost, for one worker or one task."""

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R | BaseException]]:
        for index, item in enumerate(items):
            try:
                outcome: R | BaseException = fn(item)
            except Exception as error:  # a bug in one input must not stop the batch
                outcome = error
            yield index, outcome


class WorkerDied(PlanparseError):
    """A task's worker process died under it (killed, out of memory, a crash in C code)."""


class ProcessExecutor(Executor[T, R]):
    """A local :class:`~concurrent.futures.ProcessPoolExecutor` that survives dying workers.

    When one worker dies, the pool breaks and every task in it fails with it. Tasks are therefore
    fed a few at a time (twice the workers), so that only those in flight are suspects; each
    suspect is run again alone in a fresh one-worker pool (twice, if it dies), which tells the task that kills its
    worker (reported as :class:`WorkerDied`) from the ones that merely shared the pool, and a
    new pool goes on with the rest."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers)

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R | BaseException]]:
        waiting = deque(range(len(items)))
        pending: dict[Future[R], int] = {}
        while waiting or pending:
            broken = False
            while waiting and len(pending) < 2 * self.workers:
                try:
                    future = self.pool.submit(fn, items[waiting[0]])
                except BrokenProcessPool:  # a worker died since the last wait
                    broken = True
                    break
                pending[future] = waiting.popleft()
            # After a failed submit, harvest what already finished; the rest are suspects.
            done = {future for future in pending if future.done()} if broken else wait(pending, return_when=FIRST_COMPLETED)[0]
            # Sorted so that a batch finishing together is reported in input order.
            for future in sorted(done, key=lambda item: pending[item]):
                try:
                    outcome: R | BaseException = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as error:  # pickling errors and the like: this task only
                    outcome = error
                yield pending.pop(future), outcome
            if broken:
                suspects = sorted(pending.values())
                pending.clear()
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = ProcessPoolExecutor(max_workers=self.workers)
                for index in suspects:
                    yield index, self._alone(fn, items[index])

    @staticmethod
    def _alone(fn: Callable[[T], R], item: T) -> R | BaseException:
        """Run one task in a fresh one-worker pool, where its own death is unambiguous; a task
        that dies there is given one more try (a transient kill, memory freed since)."""
        for _ in range(1 + SOLO_RETRIES):
            solo = ProcessPoolExecutor(max_workers=1)
            try:
                return solo.submit(fn, item).result()
            except BrokenProcessPool:
                continue
            except Exception as error:
                return error
            finally:
                solo.shutdown(wait=False, cancel_futures=True)
        return WorkerDied("the worker process died while extracting it (killed, or out of memory)")


class DaskExecutor(Executor[T, R]):
    """One task per item on a ``dask.distributed`` cluster.

    ``scheduler`` is an address (``tcp://host:8786``); without one an in-process
    ``LocalCluster`` of ``workers`` single-threaded worker processes is started and closed here.
    """

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(DASK_MISSING) from None
        self.cluster: Any = None
        try:
            if scheduler:
                self.client: Any = Client(scheduler, timeout="10s")
            else:
                # Processes, one thread each: the pipeline is pure Python and holds the GIL.
                self.cluster = LocalCluster(
                    n_workers=max(1, workers), threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise PlanparseError(f"cannot reach the Dask scheduler: {exc}", source=scheduler) from None
        self.futures: list[Any] = []

    def close(self, cancel: bool = False) -> None:
        if cancel and self.futures:
            # Running tasks finish their atomic writes; queued ones never start.
            self.client.cancel(self.futures, force=True)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R | BaseException]]:
        from dask.distributed import as_completed

        # pure=False: identical inputs (two copies of one plan) are still two tasks.
        owner: dict[str, int] = {}
        tries: dict[int, int] = {}
        for index, item in enumerate(items):
            future = self.client.submit(fn, item, pure=False)
            owner[future.key] = index
            self.futures.append(future)
        queue = as_completed(self.futures)
        for future in queue:
            index = owner[future.key]
            try:
                # Blocks if the worker holding a finished result died meanwhile: Dask recomputes it.
                outcome: R | BaseException = future.result()
            except Exception as error:  # the task's own error, KilledWorker, or a cancellation
                if future.status == "cancelled" and tries.get(index, 0) < RESUBMITS:
                    # Safe to repeat: a task's writes are atomic and its output deterministic.
                    tries[index] = tries.get(index, 0) + 1
                    retry = self.client.submit(fn, items[index], pure=False)
                    owner[retry.key] = index
                    self.futures.append(retry)
                    queue.add(retry)
                    continue
                outcome = error
            future.release()
            yield index, outcome


def make_executor(name: str, workers: int, tasks: int, scheduler: str | None = None) -> Executor[Any, Any]:
    """The executor for ``--executor name``: serial when one local worker (or task) suffices."""
    if name not in EXECUTORS:
        raise UsageError(f"--executor must be local or dask, not {name!r}")
    if name == "dask":
        return DaskExecutor(workers, scheduler)
    if scheduler:
        raise UsageError("--scheduler needs --executor dask")
    if workers <= 1 or tasks <= 1:
        return SerialExecutor()
    return ProcessExecutor(min(workers, tasks))
