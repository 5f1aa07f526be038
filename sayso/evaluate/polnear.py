"""Reading the PolNeAR corpus (brat standoff) into gold attributions.

Layout: ``DIR/SPLIT/text/NAME.txt`` and ``DIR/SPLIT/attributions/NAME_ANNOTATOR.ann``; where several
annotators worked on one article, the lexicographically first file is the gold one.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..outlets import outlet_name

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([0-9; ]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ROLE = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}
#: The sites behind PolNeAR's publisher keys (``metadata.tsv``); "parc" marks the PARC 3.0 articles, from The
#: Wall Street Journal.
PUBLISHER_HOSTS = {"breitbart": "breitbart.com", "huff-post": "huffpost.com", "nyt": "nytimes.com", "parc": "wsj.com",
                   "politico": "politico.com", "usa-today": "usatoday.com", "wash-post": "washingtonpost.com",
                   "west-journal": "westernjournal.com"}
#: Those outlets by key, named as sayso names a page of their site (``outlets.outlet_name``).
PUBLISHERS = {key: outlet_name(None, f"https://{host}/") for key, host in PUBLISHER_HOSTS.items()}

Span = tuple[int, int]


@dataclass
class GoldAttribution:
    """One annotated attribution: each role a sorted list of (start, end) fragments."""

    id: str
    type: str
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def read_metadata(data_dir: Path) -> dict[str, dict[str, str]]:
    """PolNeAR's ``metadata.tsv`` by file name, its empty and "None" fields left out, and an ``outlet``: the
    name of the outlet behind its ``publisher`` key (``PUBLISHERS``; an unknown key is kept as it is); {} when
    there is no such file."""
    path = Path(data_dir) / "metadata.tsv"
    if not path.is_file():
        return {}
    out = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            known = {k: v for k, v in row.items() if v not in (None, "", "None")}
            if "publisher" in known:
                known["outlet"] = PUBLISHERS.get(known["publisher"], known["publisher"])
            out[row["filename"]] = known
    return out


def read_text(path: Path) -> str:
    """The article text exactly as the corpus stores it (no newline translation)."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def list_articles(data_dir: Path, split: str) -> list[str]:
    folder = Path(data_dir) / split / "text"
    if not folder.is_dir():
        raise InputError(str(folder), "not a PolNeAR split folder (expected SPLIT/text/*.txt)")
    return sorted(p.stem for p in folder.glob("*.txt"))


def annotation_file(data_dir: Path, split: str, name: str) -> Path:
    folder = Path(data_dir) / split / "attributions"
    pattern = re.compile(re.escape(name) + r"_[0-9A-Za-z]+\.ann")
    found = sorted(p for p in folder.glob(name + "_*.ann") if pattern.fullmatch(p.name))
    if not found:
        raise InputError(str(folder / name), "no .ann annotation file for this article")
    return found[0]


def parse_ann(content: str) -> list[GoldAttribution]:
    """Attributions from brat standoff text: one per ``E`` line of type Attribution(-no-source)."""
    spans: dict[str, list[Span]] = {}
    events: list[tuple[str, list[str]]] = []
    for line in content.split("\n"):
        m = _T_LINE.match(line)
        if m:
            spans[m.group(1)] = [
                (int(a), int(b)) for a, b in (part.split() for part in m.group(3).split(";"))
            ]
            continue
        m = _E_LINE.match(line)
        if m:
            events.append((m.group(1), m.group(2).split()))
    out = []
    for eid, args in events:
        if not args:
            continue
        att = GoldAttribution(id=eid, type=args[0].split(":")[0])
        for arg in args[1:]:
            role, _, tid = arg.partition(":")
            if role in _ROLE and tid in spans:
                getattr(att, _ROLE[role]).extend(spans[tid])
        if att.source or att.cue or att.content:
            for role in ("source", "cue", "content"):
                getattr(att, role).sort()
            out.append(att)
    return out


def load_split(data_dir: Path, split: str) -> list[GoldArticle]:
    """Every article of one split with its gold attributions, in name order."""
    data_dir = Path(data_dir)
    articles = []
    for name in list_articles(data_dir, split):
        text = read_text(data_dir / split / "text" / f"{name}.txt")
        ann = read_text(annotation_file(data_dir, split, name))
        articles.append(GoldArticle(name=name, text=text, attributions=parse_ann(ann)))
    return articles
