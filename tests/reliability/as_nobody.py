"""Run sayso as the unprivileged user ``nobody``, so that a file only root may read is really unreadable.

Tests run as root here, and root reads everything: ``chmod 000`` alone would test nothing. This launcher
loads all that sayso will use while it is still root (the interpreter's own library lives under /root,
which nobody may not read), then drops to ``nobody`` for good and runs:

    python as_nobody.py sayso extract PAGE...            # the command line, as a user runs it
    python as_nobody.py partition SPEC.json OUT          # one batch partition, as a Dask worker runs it

Run by a user other than root, it runs the same without changing user.
"""

from __future__ import annotations

import json
import os
import pwd
import sys
import tempfile
from pathlib import Path


def warm_up() -> None:
    """Import and exercise every path that the commands below take, while the files are still readable."""
    import click  # noqa: F401
    import tqdm  # noqa: F401

    import sayso.cli  # noqa: F401
    from sayso.batch import Partition, run_partition
    from sayso.errors import InputError
    from sayso.ingest import read_bytes
    from sayso.pipeline import annotate
    from sayso.store import ingest

    page = ("<html><head><title>Harbor Vote</title></head><body><article><h1>Harbor Vote</h1>"
            '<p>"We will vote," Senator Maria Delgado said on Monday.</p></article></body></html>')
    annotate(read_bytes(page.encode(), where="warm-up"))
    try:
        read_bytes(bytes(range(128, 256)) * 20, where="warm-up")  # the charset detector
    except InputError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a.html").write_text(page)
        (folder / "d.jsonl").write_text(json.dumps({"url": "https://x.example/w", "html": page}) + "\n")
        (folder / "e.warc").write_text("not an archive, just words to read\n")
        ingest([folder], folder / "c.sqlite")
        run_partition(Partition(id="p", kind="pages", records=1, files=((str(folder / "a.html"), "a"),)),
                      str(folder / "out"))


def become_nobody() -> None:
    if os.geteuid() != 0:
        return
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
    assert os.geteuid() == nobody.pw_uid and os.getegid() == nobody.pw_gid


def main() -> None:
    what, args = sys.argv[1], sys.argv[2:]
    warm_up()
    become_nobody()
    if what == "sayso":
        from sayso.cli import run

        sys.argv = ["sayso", *args]
        run()
    elif what == "partition":
        from sayso.batch import Partition, run_partition

        spec, out = json.loads(Path(args[0]).read_text()), args[1]
        print(json.dumps(run_partition(Partition.from_json(spec), out)))
    else:
        raise SystemExit(f"as_nobody.py: unknown {what!r}")


if __name__ == "__main__":
    main()
