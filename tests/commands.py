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
