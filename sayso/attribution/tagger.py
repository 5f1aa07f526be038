"""The learned attribution tagger: ``accurate`` mode.

Every token of the parsed article is labelled with one of seven tags (``O``, and ``B-``/``I-`` for source,
cue and content). The network reads, per spaCy token, MiniLM's hidden states (see ``encoder.py``; MiniLM as
shipped, or with its layers fine-tuned together with the head, see ``finetune.py``), optionally the
parser's own token vectors (``doc.tensor``) and a handful of syntactic features (part of speech,
dependency label, where the token hangs under a cue word, quotation state, position in its sentence); dilated
convolutions turn them into tag scores and a linear-chain CRF, whose forbidden transitions (``O`` ->
``I-CUE``) are fixed, picks the best tag sequence. Runs of tags become spans; every source and content span
joins the nearest cue, and each cue makes one attribution. Its confidence is the CRF's marginal probability
of the attribution's tags, mapped through a calibration curve fitted on held-out data. Rule-found
attributions nested inside the tagger's contents are kept, so intermediaries (``via``) still show.

A model is an ensemble of heads, each reading one of the model's encoders (the shipped model: two
fine-tuned encoders, one head each): their tag scores and transition scores are averaged, which is one CRF
again (the normalised geometric mean of the heads' distributions over tag sequences), so decoding and
confidences work as for a single head.

>>> tagger = Tagger.load()                                   # doctest: +SKIP
>>> tagger(nlp('"We will win," Harlan said.'))[0].kind        # doctest: +SKIP
'direct'
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
from spacy.tokens import Doc, Token

from ..model import inside, overlap
from ..network import LABELS, build_network
from .cues import CLASSES, NOUNS
from .quotes import find_quotes
from .rules import LAYOUT_FRAMES, Found, FrameExtractor, nest, find_attributions, title_end
from .transcripts import conflicts

Span = tuple[int, int]

ROLES = ("source", "cue", "content")
#: Where ``sayso train`` writes the model and the package reads it from.
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution-tagger"
#: The members of the shipped model: (seed, the encoder's learning rate, epochs) of each fine-tuning run
#: (``sayso train polnear DATA --finetune SEED:LR:EPOCHS``, one per member).
MEMBERS = ((1, 5e-5, 16), (13, 5e-5, 16))
#: The seeds of the heads ``sayso train`` trains over the frozen encoder when no member is fine-tuned.
SEEDS = (13, 7)

#: Clause links whose subtree edges are likely span edges.
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl", "pcomp", "csubj"}
#: The categorical features, in the order of ``token_features``' columns.
FEATURES = (
    "pos", "tag", "dep", "head_dep", "ent", "cue", "head_cue", "under_cue", "quote", "head_dist", "shape",
    "from_start", "to_end", "edge", "title", "para", "rule",
)


def _bucket(n: int) -> str:
    """Distances as 0, 1, 2, 3, 4-5, 6-9, 10-19, 20+ (signed)."""
    a = abs(n)
    b = a if a < 4 else 4 if a < 6 else 6 if a < 10 else 10 if a < 20 else 20
    return f"{'-' if n < 0 else ''}{b}"


def _cue_word(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if tok.lower_ == "according":
        return "according"
    if tok.pos_ in ("VERB", "AUX") and lemma in CLASSES:
        return "v:" + CLASSES[lemma]
    if tok.pos_ == "NOUN" and lemma in NOUNS:
        return "n:" + NOUNS[lemma]
    if lemma in CLASSES:
        return "x:" + CLASSES[lemma]
    return "-"


def _under_cue(tok: Token) -> str:
    """How the token hangs under the nearest cue word above it: the dependency of the branch it sits in."""
    child = tok
    for _ in range(8):
        head = child.head
        if head.i == child.i:
            return "-"
        if _cue_word(head) != "-":
            return child.dep_
        child = head
    return "-"


def _shape(tok: Token) -> str:
    if tok.is_space:
        return "space" if "\n" not in tok.text else "break"
    if tok.is_quote:
        return "quote"
    if tok.is_punct:
        return "punct:" + tok.text if tok.text in ",.:;—–-()?!" else "punct"
    if tok.like_num:
        return "num"
    if tok.is_upper and len(tok) > 1:
        return "upper"
    if tok.is_title:
        return "title"
    return "lower"


def rule_roles(doc: Doc, frames: Sequence[Found]) -> list[str]:
    """Each token's role in the rule-found frames (``B-cue``, ``I-content``, ...; ``n:`` when only a nested
    frame holds it, ``-`` when none does): what the rules read off the parse, for the network to weigh.

    Outermost frames are laid down first, so a token keeps the role its outermost frame gives it.
    """
    roles = ["-"] * len(doc)
    for frame in sorted(frames, key=lambda f: f.depth):
        prefix = "" if frame.depth == 0 else "n:"
        for role, spans in (("cue", frame.cue), ("source", frame.source), ("content", frame.content)):
            for s, e in spans:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                for tok in span:
                    if roles[tok.i] == "-":
                        roles[tok.i] = f"{prefix}{'B' if tok.i == span.start else 'I'}-{role}"
    return roles


def token_strings(doc: Doc, frames: Sequence[Found] | None = None) -> list[list[str]]:
    """The categorical features of every token, one string per name in ``FEATURES``; ``frames`` are the
    doc's rule-found frames (found here when not given)."""
    if frames is None:
        frames = find_attributions(doc, unspoken=True)
    rule = rule_roles(doc, frames)
    text = doc.text
    quotes = find_quotes(text)
    starts = [s for s, _ in quotes]
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    edges: dict[int, str] = {}
    for tok in doc:
        if tok.dep_ in CLAUSE_DEPS:
            edges.setdefault(tok.left_edge.i, "L:" + tok.dep_)
            edges.setdefault(tok.right_edge.i, "R:" + tok.dep_)
    rows = []
    for tok in doc:
        i = bisect.bisect_right(starts, tok.idx) - 1
        if i >= 0 and tok.idx < quotes[i][1]:
            s, e = quotes[i]
            quote = "open" if tok.idx == s else "close" if tok.idx + len(tok) >= e else "in"
        else:
            quote = "out"
        sent = tok.sent
        para = "first" if tok.i == 0 or "\n" in doc[tok.i - 1].text else (
            "last" if tok.i + 1 == len(doc) or "\n" in doc[tok.i + 1].text else "-")
        rows.append([
            tok.pos_, tok.tag_, tok.dep_, tok.head.dep_ if tok.head.i != tok.i else "ROOT",
            (tok.ent_iob_ + "-" + tok.ent_type_) if tok.ent_type_ else "O",
            _cue_word(tok), _cue_word(tok.head) if tok.head.i != tok.i else "-", _under_cue(tok), quote,
            _bucket(tok.head.i - tok.i), _shape(tok), _bucket(tok.i - sent.start), _bucket(sent.end - 1 - tok.i),
            edges.get(tok.i, "-"), "title" if tok.idx < title_end else "body", para, rule[tok.i],
        ])
    return rows


class FeatureVocab:
    """String feature values -> ids, per feature; id 0 is 'unseen'."""

    def __init__(self, tables: dict[str, list[str]] | None = None):
        self.tables = tables or {name: [] for name in FEATURES}
        self.index = {name: {v: i + 1 for i, v in enumerate(vals)} for name, vals in self.tables.items()}

    def grow(self, rows: Iterable[Sequence[str]]) -> None:
        """Add every value seen in ``rows`` (training only)."""
        for row in rows:
            for name, value in zip(FEATURES, row):
                if value not in self.index[name]:
                    self.tables[name].append(value)
                    self.index[name][value] = len(self.tables[name])

    def sizes(self) -> list[int]:
        return [len(self.tables[name]) + 1 for name in FEATURES]

    def ids(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """(tokens, features) int64 ids."""
        out = np.zeros((len(rows), len(FEATURES)), dtype=np.int64)
        for t, row in enumerate(rows):
            for f, (name, value) in enumerate(zip(FEATURES, row)):
                out[t, f] = self.index[name].get(value, 0)
        return out


# ------------------------------------------------------------------------------------------------ network
def viterbi(scores: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """The best tag sequence for one sequence's (T, 7) scores."""
    n = len(scores)
    back = np.zeros((n, scores.shape[1]), dtype=np.int64)
    v = start + scores[0]
    for t in range(1, n):
        cand = v[:, None] + trans
        back[t] = cand.argmax(0)
        v = cand.max(0) + scores[t]
    v = v + end
    best = [int(v.argmax())]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


def logsumexp(x: np.ndarray, axis: int | None = None) -> np.ndarray:
    """log(sum(exp(x))) along ``axis``, without overflow."""
    m = np.max(x, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


def marginals(scores: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """P(tag at t) for one sequence under the CRF (forward-backward in log space), (T, 7)."""
    n, k = scores.shape
    fwd = np.zeros((n, k))
    bwd = np.zeros((n, k))
    fwd[0] = start + scores[0]
    for t in range(1, n):
        fwd[t] = logsumexp(fwd[t - 1][:, None] + trans, axis=0) + scores[t]
    bwd[-1] = end
    for t in range(n - 2, -1, -1):
        bwd[t] = logsumexp(trans + (scores[t + 1] + bwd[t + 1])[None, :], axis=1)
    z = logsumexp(fwd[-1] + end)
    return np.exp(fwd + bwd - z)


# ------------------------------------------------------------------------------------------------ decoding
@dataclass
class Segment:
    """A run of tokens with one role: tokens [start, end)."""

    role: str
    start: int
    end: int
    score: float = 1.0


def segments(doc: Doc, tags: Sequence[int], probs: np.ndarray | None = None) -> list[Segment]:
    """Runs of B-X I-X* tags, without whitespace-only runs; score: mean marginal of the run's tags."""
    out: list[Segment] = []
    cur: Segment | None = None
    for t, tag in enumerate(tags):
        lab = LABELS[tag]
        if lab.startswith("I-") and cur is not None and cur.role == lab[2:].lower():
            cur.end = t + 1
            continue
        if cur is not None:
            out.append(cur)
            cur = None
        if lab != "O":
            cur = Segment(lab[2:].lower(), t, t + 1)
    if cur is not None:
        out.append(cur)
    kept = []
    for seg in out:
        a, b = seg.start, seg.end
        while a < b and doc[a].is_space:
            a += 1
        while b > a and doc[b - 1].is_space:
            b -= 1
        # a run of punctuation alone is no source or content, but a cue can be a colon ("WALLACE: ...")
        if b > a and (seg.role == "cue" or not all(doc[i].is_punct for i in range(a, b))):
            seg.start, seg.end = a, b
            if probs is not None:
                seg.score = float(np.mean([probs[i, tags[i]] for i in range(a, b)]))
            kept.append(seg)
    return kept


def _breaks_between(doc: Doc, breaks: list[int], a: int, b: int) -> int:
    lo, hi = min(a, b), max(a, b)
    return bisect.bisect_left(breaks, hi) - bisect.bisect_left(breaks, lo)


def group(doc: Doc, segs: list[Segment]) -> list[tuple[Segment, list[Segment], list[Segment]]]:
    """(cue, sources, contents) per cue: each source and content run joins the nearest cue of its own
    sentences, or the nearest cue at all when they hold none.

    Distance is the number of tokens between the two runs; a paragraph break costs as much as 60 tokens,
    so a run prefers the cue of its own paragraph. A cue in the run's own sentences comes first: in 'Its
    office denied the report. "The governor never suggested it," a spokeswoman said.' the quotation is the
    spokeswoman's, though "denied" is nearer. A headline cue whose content is in the headline takes no run
    from the article below it.
    """
    cues = [s for s in segs if s.role == "cue"]
    if not cues:
        return []
    breaks = [t.i for t in doc if t.is_space and "\n" in t.text]
    # a headline whose cue has its content in the headline ("Former White House Doctor Says Clinton Hid ...")
    # is whole: a run of the article below does not join it
    end = title_end(doc.text)
    title = next((t.i for t in doc if t.idx >= end), len(doc)) if end else 0  # tokens of the headline
    headline = {id(c) for c in cues if c.start < title
                and any(s.role == "content" and s.end <= title for s in segs)}
    body_cues = [c for c in cues if id(c) not in headline]
    groups = {id(c): (c, [], []) for c in cues}
    for seg in segs:
        if seg.role == "cue":
            continue

        first, last = doc[seg.start].sent.start, doc[seg.end - 1].sent.end

        def cost(c: Segment) -> tuple[bool, int]:
            gap = c.start - seg.end if seg.end <= c.start else seg.start - c.end
            return not first <= c.start < last, max(gap, 0) + 60 * _breaks_between(doc, breaks, seg.start, c.start)

        near = cues if seg.start < title else body_cues
        if not near:
            continue
        best = min(near, key=cost)
        groups[id(best)][1 if seg.role == "source" else 2].append(seg)
    out = [groups[id(c)] for c in cues]
    # "Trump said X, saying Y": one source serves the cues of its sentence that have none of their own
    for k, (cue, sources, _) in enumerate(out):
        if sources or k == 0:
            continue
        prev_cue, prev_sources, _ = out[k - 1]
        sent = doc[cue.start].sent
        if prev_sources and prev_cue.start >= sent.start and all(s.end <= prev_cue.start for s in prev_sources):
            sources.extend(prev_sources)
    return out


def _chars(doc: Doc, seg: Segment, keep_quotes: bool = False) -> Span:
    """Character span of a run, without punctuation at its edges (quotation marks kept for contents);
    a run of punctuation alone (a colon cue) stays as it is."""
    a, b = seg.start, seg.end

    def drop(t: Token) -> bool:
        return t.is_space or (t.is_punct and not (keep_quotes and t.is_quote))

    while a < b and drop(doc[a]):
        a += 1
    while b > a and drop(doc[b - 1]):
        b -= 1
    if a == b:
        a, b = seg.start, seg.end
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _cue_class(doc: Doc, cue: Segment) -> str:
    span = doc[cue.start : cue.end]
    for tok in [span.root] + list(span):
        word = _cue_word(tok)
        if word == "according":
            return "report"
        if word != "-":
            return word.split(":", 1)[1]
    return "speech"


def to_found(doc: Doc, groups: list[tuple[Segment, list[Segment], list[Segment]]],
             confidences: Sequence[float], nested: Sequence[Found] = ()) -> list[Found]:
    """Found attributions (the rule extractor's shape) from grouped runs; cue-only groups are dropped.

    ``nested``: the rule-found frames. Those whose cue lies inside a content found here, touching no cue or
    source of it, are kept: the tagger, trained on PolNeAR, finds outermost attributions only; the rules
    supply what is nested inside them (Whitcombe's words inside the Ledger's report), so ``via`` chains
    survive in accurate mode. So is an "according to" frame whose content holds the cue of a found or kept
    attribution and whose cue and source touch no tagged span ("..., Putin told reporters, according to
    TASS"): the tagger missed the outer attribution, and without it the chain would lose TASS. A rule frame
    on the same cue word also lends its source where the tagger found none or one that overlaps it: the
    rules take the whole noun phrase off the parse ("Senator Maria Delgado, who represents the district"),
    where a tagged run can stop short.
    """
    kinds = FrameExtractor(doc)
    found = []
    for (cue, sources, contents), conf in zip(groups, confidences):
        if not contents:
            continue
        cue_spans = [_chars(doc, cue)]
        content = sorted(_chars(doc, s, keep_quotes=True) for s in contents)
        source = sorted(_chars(doc, s) for s in sources)
        cls = _cue_class(doc, cue)
        how = "according" if doc[cue.start].lower_ == "according" else "tagger"
        in_title = cue_spans[0][0] < kinds.title_end
        kind = kinds.kind_of(content, cls, how, in_title)
        head = doc[cue.start : cue.end].root.i
        src_head = doc[sources[0].start : sources[0].end].root.i if sources else None
        found.append(Found(cue_spans, content, source, kind, cls, "tagger", head, src_head, confidence=conf))
    by_cue = {f.cue_head: f for f in nested}
    reporters = _reporters(doc, groups, found, by_cue)
    for n, f in enumerate(found):
        rule = by_cue.get(f.cue_head)
        if rule is not None and rule.source and not overlap(rule.source, f.content) and (
                not f.source or n in reporters or overlap(rule.source, f.source)):
            f.source, f.source_head = list(rule.source), rule.source_head
    reported = [(found[n], lender) for n, lender in reporters.items()]
    found = _rules_first(found, nested)
    kept = {id(f) for f in found}
    reported = [(f, lender) for f, lender in reported if id(f) in kept and id(lender) in kept]
    contents = [c for f in found for c in f.content]
    anchors = [s for f in found for s in f.cue + f.source]
    cues = [s for f in found for s in f.cue]
    for f in nested:
        if f.frame in LAYOUT_FRAMES:
            continue
        # one speaker may be the source of two frames ("Putin shrugged off the accusations and told
        # reporters"): a nested frame may share its source with a found one, not its cue or content
        if any(s <= f.cue[0][0] < e for s, e in contents) and not overlap(f.cue + f.content, anchors) and (
                not overlap(f.source, cues)):
            found.append(f)
        # "... Putin told reporters, according to the TASS news agency": the phrase vouches for a found
        # attribution, which it holds, from outside all the tagged ones (the outer attribution, as PolNeAR
        # reads it); a rule frame kept above may be the one it holds
        elif f.kind == "according_to" and not overlap(f.cue + f.source, anchors + contents) and any(
                s <= g.cue[0][0] < e for s, e in f.content for g in found):
            found.append(f)
    found.sort(key=lambda f: f.start)
    nest(found)
    at = {id(f): k for k, f in enumerate(found)}
    for f, lender in reported:
        if at[id(lender)] not in f.outer:
            f.outer = [at[id(lender)]] + [k for k in lender.outer if k not in f.outer] + f.outer
            f.depth = len(f.outer)
    return found


def _rules_first(found: list[Found], rules: Sequence[Found]) -> list[Found]:
    """The tagged attributions, with the rule frames that read a layout put before them (``LAYOUT_FRAMES``).

    A transcript's turns ("PENCE: Well, look, ...") and quotations signed with a dash and a name ('"Trump
    scares me." ― Krystal Correa'): the tagger has seen few of either, and in a run of them it gives one
    speaker's words to the next. A tagged attribution that touches a turn's label or runs across turns goes,
    as does one on a signature's dash; a tagged content loses the pieces that are a signed quotation.
    """
    layout = [f for f in rules if f.frame in LAYOUT_FRAMES]
    if not layout:
        return found
    turn_spans = [(f.source[0], f.cue[0], f.content) for f in layout if f.frame == "turn"]
    signed = [f for f in layout if f.frame != "turn"]
    dashes = [s for f in signed for s in f.cue]
    quoted = [s for f in signed for s in f.content]
    kept = []
    for f in found:
        if conflicts(f.cue + f.source + f.content, turn_spans) or overlap(f.cue, dashes):
            continue
        if overlap(f.content, quoted):
            f.content = [c for c in f.content if not overlap([c], quoted)]
            if not f.content:
                continue
        kept.append(f)
    return kept + layout


def _reporters(doc: Doc, groups: list[tuple[Segment, list[Segment], list[Segment]]], found: list[Found],
               rules: dict[int, Found]) -> dict[int, Found]:
    """The found attributions whose source the tagger only borrowed from the cue before, while the cue is
    coordinated with a verb that cue's content reports, and the rules name a person in that content as
    its subject: "NBC News reported that Putin shrugged off the accusations and told reporters ...". The
    speaker is Putin, and NBC News the intermediary. By index in ``found``, with that previous attribution.
    """
    at: dict[int, int] = {}  # group index -> index in found (groups without a content found nothing)
    for k, (_, _, contents) in enumerate(groups):
        if contents:
            at[k] = len(at)
    out = {}
    for k in range(1, len(groups)):
        sources, lent = groups[k][1], groups[k - 1][1]
        if k not in at or k - 1 not in at or not sources or not all(any(s is x for x in lent) for s in sources):
            continue
        f, lender = found[at[k]], found[at[k - 1]]
        verb, rule = doc[f.cue_head], rules.get(f.cue_head)
        if (verb.dep_ == "conj" and inside([(verb.head.idx, verb.head.idx + 1)], lender.content)
                and rule is not None and rule.source and rule.source_head is not None
                and doc[rule.source_head].pos_ == "PROPN" and inside(rule.source, lender.content)):
            out[at[k]] = lender
    return out


def raw_confidence(cue: Segment, sources: list[Segment], contents: list[Segment]) -> float:
    """Uncalibrated confidence: the geometric mean of the runs' mean tag marginals."""
    parts = [cue.score] + [s.score for s in sources] + [s.score for s in contents]
    return float(math.exp(sum(math.log(max(p, 1e-6)) for p in parts) / len(parts)))


class Calibration:
    """A monotone map from raw to calibrated confidence: linear interpolation between fitted points."""

    def __init__(self, xs: Sequence[float], ys: Sequence[float]):
        self.xs = np.asarray(xs, dtype=np.float64)
        self.ys = np.asarray(ys, dtype=np.float64)

    def __call__(self, raw: float) -> float:
        if not len(self.xs):
            return float(raw)
        return float(np.clip(np.interp(raw, self.xs, self.ys), 0.0, 1.0))


# ------------------------------------------------------------------------------------------------ tagger
def model_info(path: Path | str = MODEL_DIR) -> dict:
    """What ``sayso info --mode accurate`` tells about a trained model: encoder, size, dev scores."""
    path = Path(path)
    config = json.loads((path / "config.json").read_text())
    metrics_file = path / "metrics.json"
    metrics = json.loads(metrics_file.read_text()) if metrics_file.exists() else {}
    heads = config.get("heads") or []
    return {
        "path": str(path),
        "encoder": config.get("encoder"),
        "head_bytes": (path / "weights.pt").stat().st_size,
        "encoder_bytes": sum((path / e).stat().st_size for e in config.get("encoders", []) if e),
        "seeds": [h["seed"] for h in heads],
        "epochs": [h["epoch"] for h in heads],
        "encoders": sum(1 for e in config.get("encoders", [None]) if e),
        "dev": metrics.get("dev_headline"),
        "ece": (metrics.get("calibration") or {}).get("ece_crossfit"),
    }


class Tagger:
    """The trained tagger: call it on a parsed Doc for its attributions as ``Found`` objects.

    ``nets``: one network or several (an ensemble) reading the same features through ``vocab``; their tag
    scores and CRF transitions are averaged. ``encoders``: per encoder, the file of its fine-tuned layers, or
    None for MiniLM as shipped (the default: one such encoder); ``reads``: per net, the index of the encoder
    whose vectors it reads (default: the first).
    """

    def __init__(self, nets: Sequence, vocab: FeatureVocab, calibration: Calibration, config: dict | None = None,
                 encoders: Sequence[Path | str | None] = (None,), reads: Sequence[int] | None = None):
        self.nets = [net.eval() for net in nets]
        self.vocab = vocab
        self.calibration = calibration
        self.config = config or {}
        self.encoder_files = [None if e is None else Path(e) for e in encoders]
        self.reads = list(reads) if reads is not None else [0] * len(self.nets)
        self._encoders: list | None = None
        # averaging every log-potential of linear-chain CRFs gives a linear-chain CRF: the heads' geometric mean
        potentials = [(*net.transitions(), net.end) for net in self.nets]
        self.trans, self.start, self.end = (
            np.mean([p[k].detach().double().numpy() for p in potentials], axis=0) for k in range(3))

    @property
    def layers(self) -> tuple[int, ...]:
        """The hidden states of MiniLM the heads read (a model written before they were recorded: ``LAYERS``)."""
        from .encoder import LAYERS

        return tuple(self.config.get("layers", LAYERS))

    @property
    def encoders(self) -> list:
        """The MiniLM token encoders, loaded on first use."""
        if self._encoders is None:
            from .encoder import TokenEncoder

            self._encoders = [TokenEncoder(self.layers, tuned=f) for f in self.encoder_files]
        return self._encoders

    def encode(self, docs: Sequence[Doc]) -> list[list[np.ndarray]]:
        """Per doc, its vectors from each encoder (docs with no tokens included). The encoders are copies of one
        MiniLM, so the docs are cut into word pieces once."""
        pieced = [self.encoders[0].pieces(doc) for doc in docs]
        per_encoder = [enc.encode_pieces(pieced) for enc in self.encoders]
        return [list(vectors) for vectors in zip(*per_encoder)]

    @classmethod
    def load(cls, path: Path | str = MODEL_DIR) -> "Tagger":
        """The model ``sayso train`` wrote to ``path`` (the shipped one by default); offline."""
        import torch

        path = Path(path)
        config = json.loads((path / "config.json").read_text())
        vocab = FeatureVocab(config["vocab"])
        nets = []
        states = torch.load(path / "weights.pt", map_location="cpu", weights_only=True)
        states = [states] if isinstance(states, dict) else states  # one head, as a single model is saved
        heads = config.get("heads") or [{} for _ in states]
        for state, head in zip(states, heads):
            net = build_network(vocab.sizes(), len(config["layers"]), **head.get("network", config.get("network", {})))
            net.load_state_dict({k: v.float() for k, v in state.items()})
            nets.append(net)
        cal = config.get("calibration") or {"xs": [], "ys": []}
        encoders = [None if e is None else path / e for e in config.get("encoders", [None])]
        return cls(nets, vocab, Calibration(cal["xs"], cal["ys"]), config=config, encoders=encoders,
                   reads=[h.get("encoder", 0) for h in heads])

    def emissions(self, enc: np.ndarray | Sequence[np.ndarray], tensor: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """The heads' mean tag scores (T, 7) for one document: encoder vectors (T, L, 384), one array per
        encoder (or one array for all), parser vectors (T, 96), feature ids (T, F)."""
        import torch

        encs = [enc] * len(self.encoder_files) if isinstance(enc, np.ndarray) else list(enc)
        encs = [torch.from_numpy(np.asarray(e, dtype=np.float32)[None]) for e in encs]
        rest = (torch.from_numpy(np.asarray(tensor, dtype=np.float32)[None]), torch.from_numpy(feats[None]))
        with torch.inference_mode():
            return torch.stack([net.emissions(encs[r], *rest)[0] for net, r in zip(self.nets, self.reads)]
                               ).mean(0).double().numpy()

    def scores(self, doc: Doc, enc: np.ndarray | Sequence[np.ndarray], frames: Sequence[Found] | None = None
               ) -> np.ndarray:
        """Tag scores (T, 7) for one document given its encoder vectors (and its rule-found frames)."""
        tensor = doc.tensor
        if tensor is None or tensor.shape != (len(doc), 96):  # another pipeline's vectors: not what we learned
            tensor = np.zeros((len(doc), 96))
        return self.emissions(enc, tensor, self.vocab.ids(token_strings(doc, frames)))

    def decode(self, doc: Doc, scores: np.ndarray, frames: Sequence[Found] | None = None) -> list[Found]:
        """Attributions from tag scores: CRF best path, runs, grouping, calibrated confidence; ``frames``, the
        doc's rule-found frames, supply the nested attributions."""
        if not len(doc):
            return []
        tags = viterbi(scores, self.trans, self.start, self.end)
        probs = marginals(scores, self.trans, self.start, self.end)
        groups = group(doc, segments(doc, tags, probs))
        conf = [self.calibration(raw_confidence(*g)) for g in groups]
        return to_found(doc, groups, conf, nested=find_attributions(doc) if frames is None else frames)

    def __call__(self, doc: Doc) -> list[Found]:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 8) -> Iterator[list[Found]]:
        """Attributions of each doc, encoding several docs' windows together."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, docs: list[Doc]) -> Iterator[list[Found]]:
        it = iter(self.encode([d for d in docs if len(d)]))
        for doc in docs:
            if not len(doc):
                yield []
                continue
            # the frames as the tagger was trained to read them, and those reported as nested attributions
            yield self.decode(doc, self.scores(doc, next(it), find_attributions(doc, unspoken=True)),
                              find_attributions(doc))
