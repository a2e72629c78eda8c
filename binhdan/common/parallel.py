"""Spread many independent jobs (Markdown conversions, share cards, QR codes) over the cores.

Workers are forked, so they start with the build's state already in memory; a pool is only
worth its start-up for a few hundred jobs, which is what a cold build of a large site has.
A process the system ends while it works (most often for want of memory) fails the build
with `WorkerLost` instead of leaving it waiting for ever. (One ended in the middle of sending
a result can still leave the pool waiting for the rest of it.)
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

POOL_THRESHOLD = 200  # below this many jobs a pool costs more than it saves
LATER = 10  # what a process that waits for the cores adds to its niceness (Background)
MAX_WORKERS = 4


class WorkerLost(RuntimeError):
    """A process of the build ended before it sent its results: the system stopped it, most
    often because the machine ran out of memory."""


@contextlib.contextmanager
def _watching(what: str) -> Iterator[None]:
    """A pool broken by a worker that ended (no other cause, such as a result that could
    not be read back) becomes `WorkerLost`."""
    try:
        yield
    except BrokenProcessPool as error:
        if error.__cause__ is not None:
            raise
        raise WorkerLost(f"{what}: a worker process was stopped before it finished") from None


def map_all(function: Callable[[Job], Result], jobs: Iterable[Job], chunksize: int = 32,
            initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
            threshold: int = POOL_THRESHOLD) -> Iterator[Result]:
    """`function` over every job, in any order; on all cores when there are `threshold`
    jobs or more (a few for slow jobs such as photos, hundreds for quick ones), this process
    taking its share: it would only wait, and each worker holds its own copy of whatever
    part of the build it touches (at 10,000 items a page worker grows to about 450 MB).
    `initializer(*initargs)` prepares each worker and this process."""
    todo = list(jobs)
    workers = _workers(len(todo), threshold)
    if initializer is not None:
        initializer(*initargs)
    if workers == 1:
        yield from map(function, todo)
        return
    own = len(todo) // workers
    pool = _fork(workers - 1, initializer, initargs)
    try:
        with _watching(function.__name__):
            others = pool.map(function, todo[own:], chunksize=chunksize)
            yield from map(function, todo[:own])
            yield from others
    finally:  # a build that stops early does not wait for the jobs not started
        pool.shutdown(wait=True, cancel_futures=True)


class Shared:
    """`function` over `jobs`, like `map_all`, but the other cores start now, while this
    process does other work; `results` then makes this process take the jobs nobody has
    started and yields every result. Each process takes the next chunk from one shared
    counter, so whoever is free works. Below `threshold` jobs, or on one core, nothing
    starts: the jobs run here when the results are asked for. `stop` ends the workers of a
    build that failed before it had every result."""

    def __init__(self, function: Callable[[Job], Any], jobs: Iterable[Job],
                 chunksize: int = 16, threshold: int = POOL_THRESHOLD) -> None:
        global _shared
        todo = list(jobs)
        self.function, self.todo = function, todo
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[Future[list[Any]]] = []
        workers = _workers(len(todo), threshold)
        if workers == 1:
            return
        self.work = (function, _chunked(todo, chunksize),
                     multiprocessing.get_context("fork").Value("l", 0))
        _shared = self.work  # what the workers are forked with
        self.pool = _fork(workers - 1)
        with _watching(function.__name__):
            self.pending = [self.pool.submit(_take_chunks) for _ in range(workers - 1)]

    def results(self) -> Iterator[Any]:
        if self.pool is None:
            yield from map(self.function, self.todo)
            return
        try:
            with _watching(self.function.__name__):
                yield from _take_chunks(self.work)
                for pending in self.pending:
                    yield from pending.result()
        finally:
            self.stop()

    def stop(self) -> None:
        global _shared
        pool, self.pool = self.pool, None
        if pool is not None:
            _, chunks, taken = self.work
            with taken.get_lock():  # nobody takes another chunk: a failed build's workers
                taken.value = len(chunks)  # end after the one they are on
            pool.shutdown(wait=True, cancel_futures=True)
            if _shared is self.work:
                _shared = None


# What `Shared` workers take their chunks from: set before they are forked.
_shared: tuple[Callable[[Any], Any], list[list[Any]], Any] | None = None


def _take_chunks(work: tuple[Callable[[Any], Any], list[list[Any]], Any] | None = None
                 ) -> list[Any]:
    work = work or _shared  # a worker's: what it was forked with
    assert work is not None
    function, chunks, taken = work
    done = []
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= len(chunks):
            break
        done += map(function, chunks[index])
    return done


def start_all(function: Callable[[Job], Result], jobs: Iterable[Job], chunksize: int = 32,
              threshold: int = POOL_THRESHOLD) -> Iterator[Result]:
    """Like `map_all`, but the workers start now, in the background: the build does its
    other work meanwhile (on a 2-core machine one core would idle through every part that
    runs in this process) and collects the results when it needs them. A thread hands the
    workers a few chunks at a time and ends them as soon as the last job is done, not when
    the build asks (two idle card workers held 510 MB through a 10,000-item build's pages);
    a build that fails meanwhile exits after the chunks in hand, not after every job."""
    todo = list(jobs)
    workers = _workers(len(todo), threshold)
    if workers == 1:
        return map(function, todo)
    pool = _fork(workers)
    chunks = _chunked(todo, chunksize)
    done: list[Result] = []
    failed: list[BaseException] = []

    def take() -> None:
        try:
            with _watching(function.__name__):
                handed: deque[Future[list[Result]]] = deque()
                for chunk in chunks:
                    handed.append(pool.submit(_run_chunk, function, chunk))
                    if len(handed) > workers:
                        done.extend(handed.popleft().result())
                while handed:
                    done.extend(handed.popleft().result())
        except BaseException as error:  # raised where the results are asked for
            failed.append(error)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    taking = threading.Thread(target=take, daemon=True)
    taking.start()

    def collect() -> Iterator[Result]:
        taking.join()
        if failed:
            raise failed[0]
        yield from done

    return collect()


def _chunked(todo: list[Job], size: int) -> list[list[Job]]:
    return [todo[start:start + size] for start in range(0, len(todo), size)]


def _run_chunk(function: Callable[[Job], Result], chunk: list[Job]) -> list[Result]:
    return [function(job) for job in chunk]


class Background(Generic[Result]):
    """A result being made in a process of its own (`in_background`): call it to wait for
    the result."""

    def __init__(self, result: Callable[[], Result],
                 process: multiprocessing.process.BaseProcess | None = None,
                 reaping: threading.Lock | None = None) -> None:
        self._result, self._process, self._reaping = result, process, reaping

    def __call__(self) -> Result:
        return self._result()

    def wait_for_cores(self) -> None:
        """A result the build needs only near its end: the process yields the cores to the
        others (a lower priority, `nice`)."""
        if self._process is None or self._reaping is None:
            return
        with self._reaping:  # not reaped meanwhile: its process ID is still its own
            if self._process.exitcode is None and self._process.pid is not None:
                niceness = min(19, os.getpriority(os.PRIO_PROCESS, 0) + LATER)
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, self._process.pid, niceness)


def in_background(function: Callable[..., Result], *args: Any) -> Background[Result]:
    """Start `function(*args)` now in one forked process (it sees the build as it is now,
    nothing is copied to it) and return what waits for its result. A thread receives the
    result as soon as it is sent, so the process ends then (the search index's held 325 MB
    until the build asked for it). With one core it runs when its result is asked for. An
    exception in it is raised where the result is asked for; a process killed (out of
    memory) is told as an error there too."""
    if (os.cpu_count() or 1) == 1:
        return Background(lambda: function(*args))
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)

    def run() -> None:
        gc.enable()  # the build may have its own off (pipeline.start): this one collects
        try:
            outcome: tuple[bool, Any] = (True, function(*args))
        except Exception as error:  # handed to the process that waits for it
            outcome = (False, error)
        try:
            sending.send(outcome)
        except Exception as error:  # an exception that cannot travel: said in words
            sending.send((False, RuntimeError(f"{outcome[1]!r} ({error!r})")))

    gc.freeze()  # see _fork
    process = context.Process(target=run, daemon=True)
    process.start()
    sending.close()
    received: list[tuple[bool, Any]] = []
    reaping = threading.Lock()

    def receive() -> None:
        try:
            received.append(receiving.recv())
        except EOFError:
            pass  # told by result()
        except Exception as error:  # sent, but it cannot be rebuilt here
            received.append((False, RuntimeError(f"{function.__name__}: {error!r}")))
        finally:
            receiving.close()
            with reaping:
                process.join()

    receiving_thread = threading.Thread(target=receive, daemon=True)
    receiving_thread.start()

    def result() -> Result:
        receiving_thread.join()
        if not received:
            raise WorkerLost(f"{function.__name__} stopped in its process "
                             f"(exit code {process.exitcode})")
        succeeded, value = received[0]
        if not succeeded:
            raise value
        return value  # type: ignore[no-any-return]

    return Background(result, process, reaping)


def _workers(jobs: int, threshold: int) -> int:
    """How many processes share `jobs` jobs: every core (at most MAX_WORKERS), or only this
    one when there are fewer than `threshold` jobs."""
    return min(os.cpu_count() or 1, MAX_WORKERS) if jobs >= threshold else 1


def _fork(workers: int, initializer: Callable[..., None] | None = None,
          initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """Workers forked from this process. What exists now is frozen for the collector
    first: a worker's collector would otherwise walk it and so copy every page of memory
    it sits on (the whole build, hundreds of MB per worker on a large site) instead of
    sharing it. The next collection unfreezes it (pipeline._collect). A worker collects
    its own garbage even when this process has its collector off (pipeline.start). (Not
    multiprocessing's Pool: it replaces a killed worker and waits for its jobs for ever.)"""
    gc.freeze()
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(initializer, initargs))


def _worker_start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    gc.enable()
    if initializer is not None:
        initializer(*initargs)
