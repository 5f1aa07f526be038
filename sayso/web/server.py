"""A ``sayso serve`` in a child process, for scripts that need a live server: the browser tests, the
screenshots in docs/, the latency benchmark.

>>> with running("corpus.sqlite") as url:                       # doctest: +SKIP
...     urllib.request.urlopen(url + "/api").read()
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@contextmanager
def running(db: str | Path, host: str = "127.0.0.1", port: int | None = None, timeout: float = 60.0,
            workers: int = 1) -> Iterator[str]:
    """Run ``sayso serve --db DB`` until the block ends; yields its base URL once it answers.

    Raises RuntimeError with the server's own message when it exits or does not answer in time.
    """
    port = port or free_port(host)
    proc = subprocess.Popen([sys.executable, "-m", "sayso.cli", "serve", "--db", str(db), "--host", host,
                             "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"sayso serve exited ({proc.returncode}): {proc.stderr.read().strip()}")
            try:
                with urllib.request.urlopen(url + "/api", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"sayso serve did not answer on {url} within {timeout:.0f} s") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
