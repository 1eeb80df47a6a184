"""A busy machine for determinism tests: busy-looping processes for as long as a block runs."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys


@contextlib.contextmanager
def cores_saturated(count: int = 1):
    """``count`` busy-looping processes (one per core to saturate); killed when the block ends."""
    spin = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for process in spin:
            process.kill()
            process.wait()


def every_core() -> int:
    """The number of cores, so that every core is shared with the code under test."""
    return os.cpu_count() or 1
