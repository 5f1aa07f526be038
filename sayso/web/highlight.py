"""The article text cut into pieces for display, each piece knowing which attributions cover it.

Attributions nest (an "according to" holds the quote it reports) and their roles touch, so the text is cut
at every span edge; each piece then lists the attributions over it, innermost first, and shows the role
that matters most there: a source or cue before a content, an inner attribution before an outer one.
The pieces are plain data; the template escapes their text.

>>> art = {"text": 'Hi. "No," Ann said.', "attributions": [{"id": "a1", "kind": "direct",
...   "source": {"spans": [[10, 13]], "text": "Ann", "entity": "e1"}, "cue": {"spans": [[14, 18]], "text": "said"},
...   "content": {"spans": [[4, 9]], "text": '"No,"'}, "via": [], "speaker": {"id": 7, "name": "Ann"},
...   "via_speakers": []}]}
>>> [(p.text, p.role, p.attributions) for p in pieces(art, colours(art))]
[('Hi. ', None, []), ('"No,"', 'content', ['a1']), (' ', None, []), ('Ann', 'source', ['a1']), (' ', None, []), ('said', 'cue', ['a1']), ('.', None, [])]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Colours per speaker within one article; speakers past the last reuse them in turn.
PALETTE_SIZE = 8
_ROLE_RANK = {"source": 0, "cue": 1, "content": 2}


@dataclass
class Piece:
    """A run of article text with the same attributions over it."""

    start: int
    end: int
    text: str
    role: str | None = None                 # the role shown: source, cue or content
    attributions: list[str] = field(default_factory=list)  # ids over this piece, innermost first
    colour: str = "none"                    # the colour class of the shown attribution's speaker
    anchors: list[str] = field(default_factory=list)       # attributions that start here (#a3 links)
    title: str = ""                         # the hover text: who, how, through whom


def colours(article: dict[str, Any]) -> dict[str, str]:
    """A colour class per attribution id: one colour per corpus speaker, in order of appearance."""
    by_speaker: dict[Any, str] = {}
    out = {}
    for att in sorted(article["attributions"], key=_extent):
        speaker = (att.get("speaker") or {}).get("id")
        if speaker is None:
            out[att["id"]] = "none"
            continue
        if speaker not in by_speaker:
            by_speaker[speaker] = str(len(by_speaker) % PALETTE_SIZE)
        out[att["id"]] = by_speaker[speaker]
    return out


def describe(att: dict[str, Any]) -> str:
    """One line about an attribution: speaker, kind, cue and the chain it came through."""
    who = (att.get("speaker") or {}).get("name") or att["source"]["text"] or "no source"
    line = f"{who} \u00b7 {att['kind'].replace('_', ' ')} \u00b7 \u201c{att['cue']['text']}\u201d"
    chain = [s["name"] for s in att.get("via_speakers") or []]
    if chain:
        line += " \u00b7 via " + " \u2190 ".join(chain)
    return line


def pieces(article: dict[str, Any], colour_of: dict[str, str]) -> list[Piece]:
    """The article text as pieces, in order, covering it exactly once."""
    text = article["text"]
    marks = []  # (start, end, attribution id, role, size of the attribution)
    for att in article["attributions"]:
        first, last = _extent(att)
        for role in ("source", "cue", "content"):
            for s, e in att[role]["spans"]:
                marks.append((s, e, att["id"], role, last - first))
    by_id = {a["id"]: a for a in article["attributions"]}
    starts = {}
    for att in article["attributions"]:
        starts.setdefault(_extent(att)[0], []).append(att["id"])
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks), *starts})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        over = [m for m in marks if m[0] <= a and b <= m[1]]
        piece = Piece(a, b, text[a:b], anchors=starts.get(a, []))
        if over:
            # innermost attribution first; within it, the source or cue over the content
            over.sort(key=lambda m: (_ROLE_RANK[m[3]] == 2, m[4], _ROLE_RANK[m[3]]))
            top = over[0]
            piece.role = top[3]
            seen: list[str] = []
            for m in sorted(over, key=lambda m: m[4]):
                if m[2] not in seen:
                    seen.append(m[2])
            piece.attributions = [top[2], *[i for i in seen if i != top[2]]]
            piece.colour = colour_of.get(top[2], "none")
            piece.title = describe(by_id[top[2]])
        out.append(piece)
    return out


def _extent(att: dict[str, Any]) -> tuple[int, int]:
    edges = [p for role in ("source", "cue", "content") for p in att[role]["spans"]]
    return min(s for s, _ in edges), max(e for _, e in edges)


def excerpt(evidence: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The sentence around an attribution (``{start, end, text, source, cue, content}``, its spans as offsets
    into the article) cut into ``(text, role)`` pieces: its source, cue and content marked, the rest None.

    >>> excerpt({"start": 4, "end": 19, "text": '"No," Ann said.', "source": [[10, 13]], "cue": [[14, 18]],
    ...          "content": [[4, 9]]})
    [('"No,"', 'content'), (' ', None), ('Ann', 'source'), (' ', None), ('said', 'cue'), ('.', None)]
    """
    start, end, text = evidence["start"], evidence["end"], evidence["text"]
    marks = [(max(s, start), min(e, end), role) for role in ("source", "cue", "content")
             for s, e in evidence[role] if s < end and e > start]
    cuts = sorted({start, end, *(m[0] for m in marks), *(m[1] for m in marks)})
    # marks are listed source, cue, content: where they overlap, the first shown wins, as on the article page
    return [(text[a - start:b - start], next((r for s, e, r in marks if s <= a and b <= e), None))
            for a, b in zip(cuts, cuts[1:])]
