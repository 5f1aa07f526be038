"""Running the ``sayso`` command line from tests, as a user's shell would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAYSO = [sys.executable, "-m", "sayso.cli"]


def run(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """``sayso ARGS...`` from the repository root, its output captured (five minutes at most)."""
    return subprocess.run([*SAYSO, *map(str, args)], input=stdin, capture_output=True, cwd=ROOT, timeout=300)


def refused(out: subprocess.CompletedProcess, problem: str) -> None:
    """Asserts that a run was refused as the command line refuses: exit status 2, nothing on stdout, and on
    stderr one line that names the problem (or click's usage lines ending in it)."""
    assert out.returncode == 2 and out.stdout == b"", (out.returncode, out.stdout[:200])
    err = out.stderr.decode()
    lines = err.strip().splitlines()
    assert problem in err and (len(lines) == 1 or lines[0].startswith("Usage:")), err
