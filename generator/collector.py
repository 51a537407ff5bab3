"""Python's cycle collector, paused while a build runs.

A build makes hundreds of thousands of objects that live until it ends (rows, planned outputs,
their keys). Each time enough of them have survived, the collector walks every object in the
process again, the site's content included: at 10,000 pages that was a third of a one-page
build in the worker (docs/build.md). Almost nothing a build makes is cyclic garbage, and what
is goes at the collector's first run after the build.
"""

import gc
import threading


class CollectorPause:
    """A context manager that builds in several threads of one process may share: the
    collector runs again once the last of them ends, if it ran before the first began."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.builds = 0
        self.paused = False  # whether this pause turned the collector off

    def __enter__(self) -> None:
        with self.lock:
            if self.builds == 0 and gc.isenabled():
                gc.disable()
                self.paused = True
            self.builds += 1

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.builds -= 1
            if self.builds == 0 and self.paused:
                gc.enable()
                self.paused = False


COLLECTOR_PAUSED = CollectorPause()
