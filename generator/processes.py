"""Where the build's worker processes come from: a fork server, never the build's own process.

A fork copies only the thread that calls it, with every lock as it was at that instant. The
build's process is rarely one thread: a pool forks replacement workers from a thread of its own
while the build's thread goes on (the runner writes its progress to the database), and
`magnetiq worker` and `serve` build beside threads that send mail (OpenSSL) and answer the
studio (SQLite). A lock held by any other thread at the fork is held for ever in the child,
which hangs the first time it takes it.

multiprocessing's `forkserver` forks each worker from a server process of one thread, started
once per process (fork and exec, safe from any thread) with the renderer and the index's analysis
already imported, so a worker starts in milliseconds; its work and settings reach it pickled.
"""

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

# Imported by the server once, so that no worker imports them again. `__main__`: the program
# that runs the build (build.py, pytest), which a worker would otherwise import on starting.
PRELOADED = ["__main__", "generator.render", "generator.search.documents"]


def worker_context() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)  # read when the server starts: the first use
    return context


def start_worker_server() -> None:
    """Start the fork server now, for a build that knows it will need workers: the server
    imports the renderer and the analysis (~0.5 s) while the build plans, instead of keeping
    the first worker waiting. Once started, it serves the process until it ends."""
    worker_context()  # the modules it preloads
    forkserver.ensure_running()
