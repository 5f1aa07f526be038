"""The one data model: an Article with its Attributions and Entities, and its JSON (``sayso.article/1``).

Every span is a ``(start, end)`` character offset pair into ``Article.text`` (end exclusive). Texts shown
next to spans in JSON are never stored: they are cut from the article text when serialising, and JSON read
back is checked against the text, so a span can never drift from the words it claims to hold.

>>> art = Article(text="Putin Says No\\n\\nHe said so.")
>>> art.span_text([(0, 5)])
'Putin'
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence, TypeVar

from .errors import SpanError

SCHEMA = "sayso.article/1"

Span = tuple[int, int]
#: Anything with ``cue`` and ``content`` spans: an ``Attribution``, or a frame an extractor found.
Framed = TypeVar("Framed")

#: What an attribution is, by its form.
KINDS = (
    "direct",  # the content is one quotation: "We have no intention," Putin said.
    "indirect",  # reported speech with no quotation marks: Putin said that ...
    "mixed",  # reported speech with quoted pieces: he had "no intention" of ...
    "according_to",  # sourcing: according to TASS, ...
    "headline",  # a headline: Putin Says Russia Is Not Trying ...
    "belief",  # thought, belief, intention, doubt: Trump doubts Russia's involvement
)

#: What a speaker is.
ENTITY_KINDS = ("person", "organization", "outlet", "group", "unknown")


def overlap(a: Iterable[Span], b: Iterable[Span]) -> int:
    """How many characters two lists of spans share.

    >>> overlap([(0, 10), (20, 30)], [(5, 25)])
    10
    """
    b = list(b)
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def inside(a: Iterable[Span], b: Iterable[Span]) -> bool:
    """Whether every span of ``a`` lies within one span of ``b``.

    >>> inside([(2, 4), (12, 14)], [(0, 5), (10, 20)]), inside([(2, 8)], [(0, 5), (5, 10)])
    (True, False)
    """
    b = list(b)
    return all(any(s <= x and y <= e for s, e in b) for x, y in a)


def outermost(attributions: Sequence[Framed]) -> list[Framed]:
    """The attributions (anything with ``cue`` and ``content`` spans) that sit inside no other's content:
    what PolNeAR annotates and ``sayso eval`` scores. A speaker relayed from outside the relaying content
    ("Merrill says Machado promised ... and said she would ...") is outermost here, though ``via`` names
    the relay.
    """
    nests = enclosing([(a.cue, a.content) for a in attributions])
    return [a for a, outer in zip(attributions, nests) if not outer]


def enclosing(frames: list[tuple[list[Span], list[Span]]]) -> list[list[int]]:
    """For each (cue spans, content spans), the indices of the frames whose content holds its cue,
    nearest (smallest content) first. Of two frames holding each other's cues, the larger is the outer.

    >>> enclosing([([(0, 4)], [(5, 40)]), ([(10, 14)], [(15, 30)])])
    [[], [0]]
    """

    sizes = [sum(e - s for s, e in content) for _, content in frames]
    # a sweep over the text, not every frame against every other: a long article has thousands of frames
    cues = sorted((cue[0][0], i) for i, (cue, _) in enumerate(frames) if cue)
    contents = sorted((s, e, j) for j, (_, content) in enumerate(frames) for s, e in content)
    holds: list[list[int]] = [[] for _ in frames]
    covering: list[tuple[int, int]] = []  # heap of (end, frame) of the contents begun so far
    k = 0
    for at, i in cues:
        while k < len(contents) and contents[k][0] <= at:
            heapq.heappush(covering, (contents[k][1], contents[k][2]))
            k += 1
        while covering and covering[0][0] <= at:
            heapq.heappop(covering)
        holds[i] = sorted({j for _, j in covering if j != i})
    out = []
    for i, outer in enumerate(holds):
        outer = [j for j in outer if not (i in holds[j] and sizes[j] < sizes[i])]
        out.append(sorted(outer, key=sizes.__getitem__))
    return out


class MalformedArticle(ValueError):
    """A ``sayso.article/1`` object with a field or a name of the wrong type (:func:`json_problem`)."""


def json_problem(obj: dict[str, Any]) -> str | None:
    """What is of the wrong type in a ``sayso.article/1`` object, or None: the types of the names and fields
    :meth:`Article.from_json` reads (it checks the spans and the references between the parts itself)."""
    def not_text(d: dict, keys: Iterable[str], where: str, optional: bool = True) -> str | None:
        for k in keys:
            if not (isinstance(d.get(k), str) or (optional and d.get(k) is None)):
                return f'{where}"{k}" is not a string'
        return None

    def not_spans(value: Any, what: str) -> str | None:
        if isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 and all(type(x) is int for x in p)
                                           for p in value):
            return None
        return f"{what} is not a list of [start, end] offsets"

    def not_list(value: Any, what: str, item: type) -> str | None:
        if isinstance(value, list) and all(isinstance(x, item) for x in value):
            return None
        return f"{what} is not a list of {'objects' if item is dict else 'strings'}"

    if not isinstance(obj.get("text"), str) or not obj["text"].strip():
        return '"text" is empty or not a string'
    problem = (not_text(obj, ("title", "url", "outlet", "author", "published"), "")
               or not_list(obj.get("entities", []), '"entities"', dict)
               or not_list(obj.get("attributions", []), '"attributions"', dict))
    if problem:
        return problem
    for e in obj.get("entities", []):
        where = f"entity {e.get('id')!r}: "
        problem = (not_text(e, ("id", "name"), where, optional=False)
                   or not_list(e.get("roles", []), f"{where}roles", str)
                   or not_spans(e.get("mentions", []), f"{where}mentions"))
        if problem:
            return problem
        if e.get("kind", "unknown") not in ENTITY_KINDS:
            return f"{where}kind {e['kind']!r} is none of {', '.join(ENTITY_KINDS)}"
    for a in obj.get("attributions", []):
        where = f"attribution {a.get('id')!r}: "
        problem = not_text(a, ("id", "kind"), where, optional=False)
        for role in ("source", "cue", "content"):
            part = a.get(role)
            problem = problem or (not_spans(part.get("spans"), f"{where}{role} spans") if isinstance(part, dict)
                                  else f"{where}{role} is not an object")
        problem = (problem or not_text(a["source"], ("entity",), f"{where}source ")
                   or not_list(a.get("via", []), f"{where}via", str)
                   or not_list(a.get("about", []), f"{where}about", dict))
        if problem:
            return problem
        if type(a.get("confidence", 0.5)) not in (int, float):
            return f"{where}confidence is not a number"
        for b in a.get("about", []):
            problem = (not_text(b, ("name", "kind"), f"{where}about ", optional=False)
                       or not_text(b, ("entity",), f"{where}about ") or not_spans(b.get("spans"), f"{where}about spans"))
            if problem:
                return problem
    return None


@dataclass
class Entity:
    """One real-world speaker of an article, with every mention of it."""

    id: str
    name: str
    kind: str = "unknown"
    roles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Subject:
    """Someone an attribution's content names: a person or organisation named in it, or a speaker the article
    resolved a mention in it to (the "he" of a nested "he doubts"). ``name`` is the fullest name the article
    gives them; ``mentions`` are where the content names them; ``entity`` is their entity's id when they are a
    speaker of the article too."""

    name: str
    kind: str
    mentions: list[Span] = field(default_factory=list)
    entity: str | None = None


@dataclass
class Attribution:
    """Who (source) said or thought (cue) what (content), with the chain of intermediaries (via), and whom
    the content names (about)."""

    id: str
    kind: str
    cue: list[Span]
    content: list[Span]
    source: list[Span] = field(default_factory=list)
    entity: str | None = None
    via: list[str] = field(default_factory=list)
    confidence: float = 0.5
    about: list[Subject] = field(default_factory=list)


@dataclass
class Article:
    """A clean article: headline, a blank line, then paragraphs separated by blank lines."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)

    def span_text(self, spans: Iterable[Span]) -> str:
        """The text at ``spans``, pieces joined by one space."""
        return " ".join(self.text[s:e] for s, e in spans)

    def outermost(self) -> list[Attribution]:
        """The attributions that sit inside no other attribution's content (:func:`outermost`)."""
        return outermost(self.attributions)

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, or None."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def check(self) -> None:
        """Raise SpanError unless every span is a non-empty, in-bounds, ordered piece of the text,
        and every entity reference points at an entity of this article."""
        n = len(self.text)
        ids = {e.id for e in self.entities}
        if len(ids) != len(self.entities):
            raise SpanError("duplicate entity ids")

        def spans_ok(spans: list[Span], what: str) -> None:
            last = -1
            for s, e in spans:
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n):
                    raise SpanError(f"{what}: span {(s, e)} is not inside the text (length {n})")
                if s < last:
                    raise SpanError(f"{what}: spans overlap or are out of order")
                last = e

        for ent in self.entities:
            spans_ok(sorted(ent.mentions), f"entity {ent.id} mentions")
        for att in self.attributions:
            if att.kind not in KINDS:
                raise SpanError(f"attribution {att.id}: unknown kind {att.kind!r}")
            for role in ("source", "cue", "content"):
                spans_ok(getattr(att, role), f"attribution {att.id} {role}")
            if not att.content:
                raise SpanError(f"attribution {att.id}: no content")
            if att.entity is not None and att.entity not in ids:
                raise SpanError(f"attribution {att.id}: unknown entity {att.entity}")
            for via in att.via:
                if via not in ids:
                    raise SpanError(f"attribution {att.id}: unknown intermediary {via}")
            if not 0.0 <= att.confidence <= 1.0:
                raise SpanError(f"attribution {att.id}: confidence {att.confidence} outside [0, 1]")
            for sub in att.about:
                spans_ok(sub.mentions, f"attribution {att.id} about {sub.name!r}")
                if not sub.mentions:
                    raise SpanError(f"attribution {att.id} about {sub.name!r}: no mention")
                if not inside(sub.mentions, att.content):
                    raise SpanError(f"attribution {att.id} about {sub.name!r}: mentions outside the content")
                if sub.entity is not None and sub.entity not in ids:
                    raise SpanError(f"attribution {att.id} about {sub.name!r}: unknown entity {sub.entity}")

    def to_json(self) -> dict[str, Any]:
        """The ``sayso.article/1`` JSON object; checks every span first (raises SpanError)."""
        self.check()

        def role(spans: list[Span]) -> dict[str, Any]:
            return {"spans": [[s, e] for s, e in spans], "text": self.span_text(spans)}

        return {
            "schema": SCHEMA,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "entities": [
                {
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind,
                    "roles": list(e.roles),
                    "mentions": [[s, t] for s, t in sorted(e.mentions)],
                }
                for e in self.entities
            ],
            "attributions": [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "source": {**role(a.source), "entity": a.entity},
                    "cue": role(a.cue),
                    "content": role(a.content),
                    "via": list(a.via),
                    "confidence": round(a.confidence, 4),
                    "about": [{"name": b.name, "kind": b.kind, "entity": b.entity, **role(b.mentions)}
                              for b in a.about],
                }
                for a in self.attributions
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Article":
        """Read a ``sayso.article/1`` object back, checking that every text field is its spans' text:
        MalformedArticle for a field of the wrong type, SpanError for spans that do not hold together."""
        if data.get("schema") != SCHEMA:
            raise SpanError(f"not a {SCHEMA} object (schema: {data.get('schema')!r})")
        if problem := json_problem(data):
            raise MalformedArticle(problem)

        def spans(obj: dict[str, Any]) -> list[Span]:
            return [(int(s), int(e)) for s, e in obj["spans"]]

        art = cls(
            text=data["text"],
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            author=data.get("author"),
            published=data.get("published"),
            entities=[
                Entity(
                    id=e["id"],
                    name=e["name"],
                    kind=e.get("kind", "unknown"),
                    roles=list(e.get("roles", [])),
                    mentions=[(int(s), int(t)) for s, t in e.get("mentions", [])],
                )
                for e in data.get("entities", [])
            ],
            attributions=[
                Attribution(
                    id=a["id"],
                    kind=a["kind"],
                    source=spans(a["source"]),
                    cue=spans(a["cue"]),
                    content=spans(a["content"]),
                    entity=a["source"].get("entity"),
                    via=list(a.get("via", [])),
                    confidence=float(a.get("confidence", 0.5)),
                    about=[Subject(b["name"], b.get("kind", "unknown"), spans(b), b.get("entity"))
                           for b in a.get("about", [])],
                )
                for a in data.get("attributions", [])
            ],
        )
        art.check()
        for a, raw in zip(art.attributions, data.get("attributions", [])):
            for role in ("source", "cue", "content"):
                if raw[role].get("text", art.span_text(getattr(a, role))) != art.span_text(getattr(a, role)):
                    raise SpanError(f"attribution {a.id} {role}: text differs from the article at its spans")
            for sub, b in zip(a.about, raw.get("about", [])):
                if b.get("text", art.span_text(sub.mentions)) != art.span_text(sub.mentions):
                    raise SpanError(f"attribution {a.id} about {sub.name!r}: text differs from the article at its spans")
        return art
