"""Compare in worker processes, bounded: how many at once, how long each, and stopped when the
client goes.

A compare of two large texts can cost seconds of CPU. Run in the server's
own threads, a few such requests stall every other page (and a thread
cannot be stopped). Here each compare runs in one of ``size`` worker
processes: when all are busy the request gets 503 with ``Retry-After``; a
compare over its time budget, or whose client disconnected, has its worker
killed (and a new one started for the next request).
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import threading
import time
import weakref
from collections.abc import Awaitable, Callable

from ..errors import NewstraceError
from ..model import Article, Comparison
from ..report.jsonout import comparison_from_dict
from ..settings import DEFAULT, Settings

POLL_SECONDS = 0.02


class Busy(NewstraceError):
    """Every compare worker is busy; try again shortly."""

    http_status = 503

    def __init__(self, retry_after: int) -> None:
        super().__init__("every compare worker is busy", hint=f"try again in {retry_after} s")
        self.retry_after = retry_after


class OverBudget(NewstraceError):
    """A compare ran past its time budget and was stopped."""

    http_status = 503

    def __init__(self, budget: float) -> None:
        super().__init__(
            f"the comparison took more than {budget:g} s and was stopped",
            hint="compare shorter texts, or run `newstrace compare` locally",
        )
        self.retry_after = 1


class ClientGone(NewstraceError):
    """The client disconnected before its compare finished (nobody reads this answer)."""

    http_status = 499


def _serve(conn, settings: Settings) -> None:
    """Worker loop: receive (a, b), send ("ok", comparison dict) or ("error", error fields)."""
    from ..api import compare
    from ..report.jsonout import comparison_to_dict

    while True:
        try:
            a, b = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", comparison_to_dict(compare(a, b, settings))))
        except NewstraceError as exc:
            conn.send(
                ("error", type(exc).__module__, type(exc).__qualname__, exc.message, exc.hint)
            )


def _rebuild(module: str, name: str, message: str, hint: str | None) -> NewstraceError:
    """Return the worker's NewstraceError as an instance of the same class."""
    cls = getattr(importlib.import_module(module), name, NewstraceError)
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    exc.message, exc.hint = message, hint
    return exc


class _Worker:
    def __init__(self, ctx, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(child, settings), daemon=True, name="newstrace-compare"
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ComparePool:
    """At most ``size`` compares at once, each in its own process, within ``budget`` seconds."""

    def __init__(self, size: int = 2, budget: float = 20.0, settings: Settings = DEFAULT) -> None:
        self.size, self.budget, self.settings = size, budget, settings
        # A forkserver is a fresh single-threaded process that imports newstrace once; workers
        # fork from it in milliseconds (never fork the threaded server itself).
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["newstrace.api", "newstrace.report.jsonout"])
        self._idle: list[_Worker] = []
        self._busy = 0
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _kill_all, self._idle)

    def start(self) -> None:
        """Start the workers ahead of the first request (a server calls this when it starts)."""
        with self._lock:
            missing = self.size - self._busy - len(self._idle)
        started = [_Worker(self._ctx, self.settings) for _ in range(max(0, missing))]
        with self._lock:
            self._idle.extend(started)

    def acquire(self) -> _Worker:
        """Return an idle worker (starting one if needed); raise Busy when ``size`` are working."""
        with self._lock:
            if self._busy >= self.size:
                raise Busy(retry_after=max(1, round(self.budget / 4)))
            self._busy += 1
            worker = self._idle.pop() if self._idle else None
        try:
            return (
                worker
                if worker and worker.process.is_alive()
                else _Worker(self._ctx, self.settings)
            )
        except BaseException:
            self._release(None)
            raise

    def _release(self, worker: _Worker | None) -> None:
        with self._lock:
            self._busy -= 1
            if worker is not None and worker.process.is_alive():
                self._idle.append(worker)

    async def compare(
        self, a: Article, b: Article, is_disconnected: Callable[[], Awaitable[bool]]
    ) -> Comparison:
        """Return the Comparison of ``a`` and ``b``, computed in a worker.

        Raises Busy, OverBudget, ClientGone, or the compare's own
        NewstraceError (InputError, SameInput, ...).
        """
        worker = self.acquire()
        keep = False
        try:
            reply = await self._wait(worker, (a, b), is_disconnected)
            keep = True
        finally:
            if not keep:
                worker.kill()
            self._release(worker if keep else None)
        if reply[0] == "error":
            raise _rebuild(*reply[1:])
        return comparison_from_dict(reply[1])

    async def _wait(self, worker: _Worker, job, is_disconnected) -> tuple:
        worker.conn.send(job)
        started = time.monotonic()
        while not worker.conn.poll():
            if time.monotonic() - started > self.budget:
                raise OverBudget(self.budget)
            if await is_disconnected():
                raise ClientGone("the client disconnected")
            if not worker.process.is_alive():
                raise NewstraceError("the compare worker stopped unexpectedly", hint="try again")
            await asyncio.sleep(POLL_SECONDS)
        return worker.conn.recv()

    def close(self) -> None:
        """Stop every idle worker (busy ones are killed as their requests end)."""
        self._finalizer()


def _kill_all(workers: list[_Worker]) -> None:
    while workers:
        workers.pop().kill()
