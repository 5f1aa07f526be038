"""Attribution frames read off the dependency parse: the rule-based extractor.

A cue (a reporting or belief verb, "according to", a cue noun, a headline's "Says") anchors a frame; its
source is found among the cue's subject, agent or governing clause, and its content among the cue's clausal
complement, object, the quotations of its sentence, or the clause it interrupts. Quotations that follow an
attributed quote with no cue of their own continue it. Attributions nested in another one's content are kept
and marked with their depth: the outer attribution is the intermediary.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterable

from spacy.tokens import Doc, Token

from ..model import enclosing, inside
from .confidence import confidence
from .cues import (CLASSES, DOCUMENTS, NOUNS, OBJECT_CONTENT, ONLY_ALONE, ORG_HEADS, PARTICLES, PEOPLE,
                   PERSON_HEADS)
from .quotes import CLOSING, STRAIGHT, find_quotes
from .transcripts import conflicts, turns

Span = tuple[int, int]

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
CLAUSES = {"ccomp", "xcomp"}
#: Clausal links along which a subject-less cue takes its subject from the verb it hangs on.
INHERIT = {"conj", "xcomp", "advcl", "acl", "pcomp"}
#: Adverbs kept in a cue when next to it: "also said", "repeatedly denied".
CUE_ADVERBS = {
    "also", "repeatedly", "previously", "later", "again", "publicly", "privately", "never", "often",
    "recently", "reportedly", "earlier", "first", "further", "flatly", "once", "frequently", "even",
    "explicitly", "openly", "falsely", "initially", "finally", "long",
}
#: "said in a statement", "told reporters in an interview": the medium belongs to the cue.
MEDIA = {
    "statement", "interview", "tweet", "post", "email", "letter", "speech", "release", "op", "ed",
    "editorial", "memo", "message", "conference", "call", "briefing", "video", "remarks", "appearance",
    "broadcast", "show", "podcast", "column", "essay", "book", "report", "filing", "response", "note",
}
DASHES = {"―", "—", "–", "-", "--"}
#: Marks that close a quotation, single ones included ('... about.’― Name').
CLOSING_QUOTES = tuple(CLOSING + STRAIGHT + "’'")
#: Frames that read a layout rather than a sentence: a transcript's turn, a quotation signed with a dash and a
#: name. Each is a speaker's words whole (a direct quotation that continues into nothing), and in accurate
#: mode they go before what the tagger found (``tagger._rules_first``).
LAYOUT_FRAMES = ("turn", "signature")
#: A first line no longer than this (characters) is the article's headline.
TITLE_CHARS = 300
RELATIVE = {"who", "which", "that", "whom"}
PRONOUN_SOURCES = {"there", "what", "which"}
#: Subjects of a relative clause's cue that are no speaker: the clause's pronoun, or one that names no one.
NOT_SPEAKERS = RELATIVE | PRONOUN_SOURCES


#: Inflected headline verbs ("Says", "Warns") -> lemma, for title lines the tagger reads as names.
_HEADLINE_VERBS = {
    form: lemma
    for lemma in CLASSES
    for form in (lemma + "s", lemma + "es", lemma[:-1] + "ies" if lemma.endswith("y") else lemma + "s")
}
_HEADLINE_VERBS.update({"said": "say", "says": "say", "told": "tell", "tells": "tell"})


@dataclass
class Found:
    """One attribution as found on the parse: character spans, and how it was found."""

    cue: list[Span]
    content: list[Span]
    source: list[Span]
    kind: str
    cue_class: str
    frame: str
    cue_head: int
    source_head: int | None = None
    confidence: float = 0.5
    depth: int = 0  # how many attributions' contents this one sits inside
    outer: list[int] = field(default_factory=list)  # indices of enclosing attributions, nearest first

    @property
    def start(self) -> int:
        return min(s for s, _ in self.cue + self.content + self.source)


class _Quotes:
    """Quotation spans of one text, with fast containment lookups."""

    def __init__(self, text: str):
        self.spans = find_quotes(text)
        self.starts = [s for s, _ in self.spans]

    def at(self, pos: int) -> int:
        """Index of the quote holding character ``pos`` (marks included), or -1."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.spans[i][1]:
            return i
        return -1

    def inside(self, pos: int) -> bool:
        """True when ``pos`` is strictly inside a quote (not on its marks)."""
        i = self.at(pos)
        return i >= 0 and self.spans[i][0] < pos < self.spans[i][1] - 1

    def within(self, start: int, end: int) -> list[Span]:
        """Quotes overlapping the character range [start, end)."""
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            if self.spans[i][1] > start:
                out.append(self.spans[i])
            i += 1
        return out

    def before(self, pos: int) -> Span | None:
        """The last quote ending at or before ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0 and self.spans[i][1] > pos:
            i -= 1
        return self.spans[i] if i >= 0 else None


def _imperative(verb: Token) -> bool:
    """Whether a subjectless verb heads its sentence as a command: a bare verb ("Don't blame Bush"), or one
    tagged as a present tense where it opens the sentence ("Imagine that she wins")."""
    if verb.dep_ != "ROOT" or any(c.dep_ == "aux" and c.lower_ not in ("do", "don't", "dont") for c in verb.children):
        return False
    first = next((t.i for t in verb.sent if not t.is_space and not t.is_punct), verb.i)
    return verb.tag_ == "VB" or (verb.tag_ == "VBP" and verb.i == first)


def _infinitive(verb: Token) -> bool:
    """Whether a verb is an infinitive with "to" ("free to disclose", "refused to discuss")."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _can_speak(tok: Token) -> bool:
    """Whether a subject can be someone who says or thinks something."""
    lemma = tok.lemma_.lower()
    return (
        tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or tok.pos_ in ("PROPN", "PRON")
        or lemma in PERSON_HEADS or lemma in ORG_HEADS or lemma in DOCUMENTS or tok.lower_ in PEOPLE
    )


def _trim(doc: Doc, a: int, b: int, keep_quotes: bool = False) -> tuple[int, int] | None:
    """Token range [a, b) without spaces and punctuation at its edges; None when nothing is left."""

    def drop(t: Token) -> bool:
        if t.is_space:
            return True
        if t.is_punct:
            return not (keep_quotes and t.is_quote)
        return False

    while a < b and drop(doc[a]):
        a += 1
    # a conjunction or dash left hanging at the end belongs to what follows ("... more intense — and")
    while b > a and (drop(doc[b - 1]) or doc[b - 1].pos_ == "CCONJ"):
        b -= 1
    return (a, b) if b > a else None


def _chars(doc: Doc, a: int, b: int) -> Span:
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _subtree(t: Token) -> tuple[int, int]:
    return t.left_edge.i, t.right_edge.i + 1


def _clause(t: Token) -> tuple[int, int]:
    """A reported clause's token range: its subtree, up to a coordinated cue verb that has no subject of its
    own and whose clause's subject cannot speak. "rejected the claim that the span was unsafe and said trucks
    would keep crossing": the parser hangs "said" on "was", but a span says nothing; whoever said it is the
    one who rejected. ("... that she went home and told her mother" stays whole: she can tell.)"""
    a, b = _subtree(t)
    subject = next((c for c in t.children if c.dep_ in SUBJECTS), None)
    if subject is None or _can_speak(subject):
        return a, b
    for c in t.children:
        if c.dep_ == "conj" and c.i > t.i and c.lemma_ in CLASSES and not any(
                g.dep_ in SUBJECTS for g in c.children):
            b = min(b, c.left_edge.i)
    return a, b


def _clause_above(t: Token) -> Token | None:
    """The cue verb whose reported clause ``t`` heads ("doubts" in "she doubts the span is unsafe"; "rejected"
    in "she rejected the claim that the span is unsafe", where the clause completes the cue's object), or
    None."""
    if t.dep_ == "ccomp":
        verb = t.head
    elif t.dep_ == "acl" and t.head.dep_ == "dobj" and t.head.pos_ == "NOUN":
        verb = t.head.head
    else:
        return None
    return verb if verb.pos_ in ("VERB", "AUX") and verb.lemma_ in CLASSES else None


class FrameExtractor:
    """Reads the attribution frames of one parsed document (``run``); also tells an attribution's kind
    (``kind_of``) for other extractors working on the same document."""

    def __init__(self, doc: Doc, unspoken: bool = False):
        """``unspoken``: also read the frames of an infinitive that no one is said to speak (``verb_frame``)."""
        self.doc = doc
        self.unspoken = unspoken
        self.text = doc.text
        self.quotes = _Quotes(doc.text)
        self.title_end = title_end(doc.text)

    # ---------------------------------------------------------------- spans
    def span(self, a: int, b: int, keep_quotes: bool = False) -> list[Span]:
        r = _trim(self.doc, a, b, keep_quotes)
        if not r:
            return []
        s, e = _chars(self.doc, *r)
        return [self.snap(s, e) if keep_quotes else (s, e)]

    def snap(self, s: int, e: int) -> Span:
        """Widen a content span to whole quotations where it cuts one off at its punctuation."""
        q = self.quotes.at(e - 1)
        if q >= 0:
            qs, qe = self.quotes.spans[q]
            if qe > e and qs >= s and not self.text[e:qe].strip(" .,;:!?\"”’»"):
                e = qe
        q = self.quotes.at(s)
        if q >= 0:
            qs, qe = self.quotes.spans[q]
            if qs < s and qe <= e and not self.text[qs:s].strip(" \"“«„"):
                s = qs
        return s, e

    def without(self, outer: tuple[int, int], holes: Iterable[tuple[int, int]], keep_quotes: bool) -> list[Span]:
        """Character spans of the token range ``outer`` minus the token ranges ``holes``."""
        pieces, a = [], outer[0]
        for s, e in sorted(holes):
            if s > a:
                pieces.extend(self.span(a, min(s, outer[1]), keep_quotes))
            a = max(a, e)
        if a < outer[1]:
            pieces.extend(self.span(a, outer[1], keep_quotes))
        return pieces

    # ---------------------------------------------------------------- source
    def source_of(self, verb: Token, depth: int = 0) -> Token | None:
        for child in verb.children:
            # a passive subject is what is said, not who says it ("the veto is expected to come")
            if child.dep_ == "nsubj":
                if child.lower_ == "which" and verb.dep_ == "relcl":
                    return child  # "the report, which notes that ...": the relative pronoun, as for "who"
                return None if child.lower_ in PRONOUN_SOURCES else child
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head
        head = verb.head
        if (depth and verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and CLASSES.get(verb.lemma_.lower())
                and head.pos_ in ("PROPN", "NOUN") and _can_speak(head)):
            # "Donald Trump, who ..., tweeted on Friday to say ...": a parse that hung the speech verb on its
            # speaker as a participle; reached from the infinitive, the speaker is that noun
            return head
        if verb.dep_ == "acl" and head.pos_ == "NOUN" and _infinitive(verb):
            # an infinitive that describes a noun: "his unwillingness to release his returns" is his;
            # "investigators have no evidence to suggest that ..." is the investigators'
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner
            if head.dep_ == "dobj" and depth < 3:
                return self.source_of(head.head, depth + 1)
        if depth < 3 and verb.dep_ in INHERIT and head.i != verb.i:
            if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.i != head.i:
                head = head.head  # "after saying ...": the speaker is the subject of the main clause
            inherited = self.source_of(head, depth + 1)
            # "the claim that the span was unsafe and said ...": a parse that joined the cue to a copula in
            # another clause; the copula's subject is what was talked about, unless it can speak
            if inherited is not None and (head.lemma_ != "be" or _can_speak(inherited)):
                return inherited
            if verb.dep_ == "conj" and head.lemma_ == "be" and (above := _clause_above(head)) is not None:
                # "she doubts the span is unsafe but wants a second inspection": the parser joined the cue to
                # the copula of the clause she doubts; whoever wants is the one who doubts
                return self.source_of(above, depth + 1)
        return None

    def inverted_source(self, verb: Token) -> Token | None:
        """'"The risk," said Edward Leamer, an economist, "is ...': a speech verb right after a quotation,
        with its speaker after it. The parser often hangs that speaker on the quotation's second half as its
        subject; the speaker is the noun phrase that follows the verb."""
        doc = self.doc
        if CLASSES.get(verb.lemma_.lower()) != "speech" or verb.i + 1 >= len(doc):
            return None
        before = [t for t in doc[max(verb.sent.start, verb.i - 3):verb.i] if not t.is_space]
        if not before or not (before[-1].is_quote or (before[-1].text == "," and len(before) > 1
                                                         and before[-2].is_quote)):
            return None
        tok = doc[verb.i + 1]
        while tok.dep_ in ("compound", "det", "amod", "poss", "nmod") and verb.i < tok.head.i <= verb.i + 6:
            tok = tok.head
        if tok.pos_ not in ("PROPN", "NOUN") or tok.dep_ not in ("nsubj", "dobj", "appos", "attr", "npadvmod"):
            return None
        return tok

    def source_span(self, head: Token, cue: Token | None = None) -> list[Span]:
        """The speaker's words: the noun phrase ``head`` heads, without what leads into it, its possessive
        marker, or the participle hung on it that leads to the ``cue`` verb."""
        a, b = _subtree(head)
        # "Even China", "BRUSSELS - European leaders": what leads into the phrase is not the speaker
        while a < head.i and (self.doc[a].dep_ in ("advmod", "cc", "punct", "npadvmod") or self.doc[a].is_space
                              or (self.doc[a].is_upper and a + 1 < head.i and self.doc[a + 1].text in DASHES)):
            a += 1
        # "Kerry's": the possessive marker is not part of the speaker; nor is a participle hung on the speaker
        # that leads to the cue ("Donald Trump, who ..., tweeted on Friday to say": source_of), where "a report
        # released last year" keeps its participle
        holes = [(c.i, c.i + 1) for c in head.children if c.dep_ == "case"] + [
            (c.left_edge.i, c.right_edge.i + 1) for c in head.children if c.dep_ == "acl" and c.i > head.i
            and cue is not None and c.left_edge.i <= cue.i <= c.right_edge.i]
        return self.without((a, b), holes, keep_quotes=False)

    # ---------------------------------------------------------------- cue
    def cue_tokens(self, verb: Token) -> tuple[int, int]:
        """The contiguous cue around a verb: auxiliaries, negation, adverbs, the addressee, the medium."""
        keep = {verb.i}
        subject_end = max((c.right_edge.i for c in verb.children if c.dep_ in SUBJECTS and c.i < verb.i),
                          default=-1)
        for child in verb.children:
            dep = child.dep_
            if dep in ("aux", "auxpass", "neg", "prt"):
                keep.add(child.i)
            elif dep == "advmod" and child.lower_ in CUE_ADVERBS:
                keep.add(child.i)
            elif (dep == "advmod" and child.pos_ == "ADV" and subject_end < child.left_edge.i
                  and child.i < verb.i and child.right_edge.i - child.left_edge.i < 2):
                # "has sharply criticized", "still says", "is once again questioning": inside the verb group
                keep.update(range(child.left_edge.i, child.right_edge.i + 1))
            elif dep in ("dative", "dobj") and verb.lemma_ in ("tell", "ask", "inform", "remind", "assure", "warn"):
                if child.right_edge.i - child.left_edge.i < 5:
                    keep.update(range(child.left_edge.i, child.right_edge.i + 1))
            elif dep == "prep" and child.lower_ in ("in", "on", "during", "via", "through"):
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs and objs[0].lemma_.lower() in MEDIA and child.right_edge.i - child.i < 6:
                    keep.update(range(child.i, child.right_edge.i + 1))
        lo = hi = verb.i
        while lo - 1 in keep:
            lo -= 1
        while hi + 1 in keep:
            hi += 1
        return lo, hi + 1

    # ---------------------------------------------------------------- content
    def object_of(self, verb: Token, cue: tuple[int, int]) -> tuple[int, int] | None:
        """The token range of what an object-taking cue says of its object ("accused Russia of trying to ...",
        "called Trump a liar"), or None."""
        if not (verb.lemma_ in OBJECT_CONTENT or (verb.lemma_ in CLASSES and verb.lemma_ not in ("tell", "ask"))):
            return None
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")), None)
        if obj is None and verb.lemma_ == "call":  # "called on Trump to apologize", "called for a recount"
            obj = next((g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "for")
                        for g in c.children if g.dep_ == "pobj"), None)
        if obj is None or cue[0] <= obj.i < cue[1]:
            return None
        a, b = _subtree(obj)
        # "rejected the claim that the span was unsafe and said ...": what she said is not part of the claim
        for c in obj.children:
            if c.dep_ == "acl" and c.i > obj.i and (cut := _clause(c)[1]) < _subtree(c)[1]:
                b = min(b, cut)
        # "accused Russia of trying to ...": the charge belongs with its object
        for c in verb.children:
            if c.dep_ in ("prep", "oprd", "xcomp", "ccomp") and c.i >= b and c.i - b <= 1:
                b = c.right_edge.i + 1
        return a, b

    def quotes_of(self, verb: Token, cue_chars: Span) -> list[Span]:
        """Quotations of the verb's sentence that hang on the verb in the parse (not on another cue)."""
        sent = verb.sent
        out = []
        for q in self.quotes.within(sent.start_char, sent.end_char):
            if q[0] < cue_chars[1] and cue_chars[0] < q[1]:
                continue
            span = self.doc.char_span(max(q[0], sent.start_char), min(q[1], sent.end_char), alignment_mode="expand")
            if span is not None and self._hangs_on(span, verb):
                out.append(q)
        return out

    @staticmethod
    def _hangs_on(span, verb: Token) -> bool:
        """True when the quotation is (most of) a dependent of the verb, not a piece deep inside one."""
        inside = range(span.start, span.end)
        for tok in span:
            if tok.head.i in inside and tok.head.i != tok.i:
                continue
            node, steps = tok, 0
            while node.head.i != node.i and steps < 12:
                parent = node.head
                if parent.i == verb.i:
                    if node.dep_ == "conj":
                        break
                    a, b = _subtree(node)
                    return (span.end - span.start) * 2 >= b - a
                if parent.i not in inside and parent.pos_ == "VERB" and parent.lemma_ in CLASSES and any(
                        c.dep_ in SUBJECTS for c in parent.children):
                    break  # the quote is another cue's content
                node, steps = parent, steps + 1
        return False

    def content_of(self, verb: Token, cue: tuple[int, int], src: tuple[int, int] | None) -> tuple[list[Span], str]:
        doc = self.doc
        sent = verb.sent
        cue_chars = _chars(doc, *cue)
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is None and CLASSES.get(verb.lemma_) == "belief":
            clause = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        quotes = self.quotes_of(verb, cue_chars)
        passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if clause is not None and clause.dep_ == "xcomp" and passive is not None and not any(
                q[0] < clause.left_edge.idx for q in quotes):
            # "Obama's veto is expected to come before Friday": what is expected is subject and complement
            # (titles quoted after the complement's start, "to unveil films like ''Taken''", are no quotation
            # of the cue's, however the parser hangs them)
            return self.span(*_subtree(passive)) + self.span(*_subtree(clause), keep_quotes=True), "passive"
        if clause is not None:
            span = self.span(*_clause(clause), keep_quotes=True)
            if span:
                s, e = span[0]
                inner = [q for q in quotes if q[0] < e and q[1] > s]
                if inner and self._covered_by(span[0], inner):
                    return inner, "quote"
                return span, "clause"
        obj = self.object_of(verb, cue)
        if quotes:
            # "described Clinton as "a lifetime politician" who ...": quotations inside the object are part of it
            whole = self.span(*obj, keep_quotes=True) if obj is not None and obj[1] - obj[0] > 2 else []
            if whole and inside(quotes, whole):
                return whole, "object"
            return quotes, "quote"
        if obj is not None:
            return self.span(*obj, keep_quotes=True), "object"
        # "X, he said, is Y": a speech verb with its own subject interrupts the clause it reports
        own_subject = any(c.dep_ == "nsubj" for c in verb.children)
        if own_subject and CLASSES.get(verb.lemma_) in ("speech", "assert", "report") and (
                verb.dep_ == "parataxis" or (verb.dep_ == "advcl" and verb.i > verb.head.i)):
            return self.without(_subtree(verb.head), [_subtree(verb)], keep_quotes=True), "parenthetical"
        after = _trim(doc, cue[1], sent.end)
        if cue[1] < len(doc) and doc[cue[1]].text == ":":
            if after and after[0] > cue[1]:
                return self.span(cue[1] + 1, sent.end, keep_quotes=True), "colon"
            # "He said:" closing its paragraph: the quotation is the next paragraph
            nxt = self.quotes.within(sent.end_char, sent.end_char + 3)
            if nxt:
                return [nxt[0]], "colon"
        if after is None or all(t.is_punct or t.dep_ in ("advcl", "prep", "npadvmod") or t.i > cue[1] + 12
                                for t in doc[cue[1]:sent.end] if t.dep_ not in ("nsubj",)):
            # '"Who would have believed it?" Trump said.': the quotation is the sentence before
            prev = self.quotes.before(sent.start_char + 1)
            lead = self.text[prev[1]:sent.start_char] if prev else ""
            if prev and len(lead) < 3 and not lead.strip() and verb.i - sent.start <= 4:
                return [prev], "quote-before"
        return [], ""

    @staticmethod
    def _covered_by(span: Span, quotes: list[Span]) -> bool:
        s, e = span
        return min(q[0] for q in quotes) <= s + 1 and max(q[1] for q in quotes) >= e - 1

    # ---------------------------------------------------------------- frames
    def verb_frame(self, verb: Token) -> Found | None:
        lemma = verb.lemma_.lower()
        cls = CLASSES.get(lemma)
        if cls is None:
            return None
        particle = PARTICLES.get(lemma)
        if particle and lemma in ("point", "shrug", "brush") and not any(
            c.dep_ == "prt" and c.lower_ == particle for c in verb.children
        ):
            return None
        if verb.tag_ == "VBN" and verb.dep_ in ("amod", "acl") and not any(c.dep_ in SUBJECTS for c in verb.children):
            return None  # "the dollars promised for the repair": a participle describing a noun
        if lemma in ONLY_ALONE and any(c.dep_ in ("xcomp", "dobj", "prep", "attr", "acomp") for c in verb.children):
            return None
        cue = self.cue_tokens(verb)
        relative = self.relative_said(verb, cue)
        if relative is not None:
            src, content = relative
            return self.found(cue, content, self.source_span(src), cls, "relative", verb.i, src.i)
        src = self.source_of(verb)
        if src is None:
            src = self.inverted_source(verb)
        if src is None and _imperative(verb):
            return None  # "Imagine that ...", "Don't blame Bush": an imperative asks, it reports no one
        if src is None and not self.unspoken and _infinitive(verb):
            # "Trump is free to disclose his returns", "glad to see the cranes": an infinitive that no one is
            # said to speak reports no one. The accurate mode's tagger still reads these frames as a feature.
            return None
        content, how = self.content_of(verb, cue, _subtree(src) if src is not None else None)
        if not content:
            return None
        if how == "quote":
            content = self.quotation_halves(verb, cue, src, content)
        source = self.source_span(src, verb) if src is not None else []
        source = [s for s in source if not any(s[0] < c[1] and c[0] < s[1] for c in content)]
        return self.found(cue, content, source, cls, how, verb.i, src.i if src is not None and source else None)

    def relative_said(self, verb: Token, cue: tuple[int, int]) -> tuple[Token, list[Span]] | None:
        """"the emails, which she said represented all her work", "a finish that he said defied expectations":
        a relative clause whose verb is the cue. What was said is the relative pronoun with the words after the
        cue, and the speaker is the clause's other subject; the parser makes the pronoun the cue's subject or
        object, and what follows the cue its complement. (speaker, content)"""
        pronoun = verb.left_edge
        if verb.dep_ != "relcl" or pronoun.lower_ not in RELATIVE:
            return None
        speaker = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i and c.i != pronoun.i
                        and c.lower_ not in NOT_SPEAKERS), None)
        rest = _trim(self.doc, cue[1], verb.right_edge.i + 1)
        # a verb or a predicate must follow ("which he said on Monday" says nothing of its own)
        if speaker is None or rest is None or not any(
                t.pos_ in ("VERB", "AUX", "ADJ") for t in self.doc[rest[0]:rest[1]]):
            return None
        return speaker, [_chars(self.doc, pronoun.i, pronoun.i + 1), _chars(self.doc, *rest)]

    def quotation_halves(self, verb: Token, cue: tuple[int, int], src: Token | None,
                         content: list[Span]) -> list[Span]:
        """A quotation that its cue and speaker cut in two, whole: the parser hangs one half on the cue and
        the other on nothing of it."""
        cue_chars = _chars(self.doc, *cue)
        if content[-1][1] <= verb.idx:
            # '"The risk," said Leamer, an economist, "is that ...', '"One reason," Mr. Obama said, "is ...':
            # the quotation goes on after the cue and its speaker
            end = max(cue_chars[1], _chars(self.doc, *_subtree(src))[1] if src is not None else 0)
            rest = [q for q in self.quotes.within(end, end + 4) if q[0] >= end]
            if rest and not self.text[end:rest[0][0]].strip(" ,"):
                return content + rest[:1]
        elif content[0][0] >= cue_chars[1]:
            # '"On this basis," Zero Hedge said, "true ... unemployment is ...': the opening words, a quotation
            # that ends with a comma just before the speaker
            start = cue_chars[0] if src is None else min(cue_chars[0], _chars(self.doc, *_subtree(src))[0])
            prev = self.quotes.before(start)
            if (prev and prev[0] >= verb.sent.start_char and not self.text[prev[1]:start].strip()
                    and self.text[prev[0]:prev[1]].rstrip("\"”’»").endswith(",")):
                return [prev] + content
        return content

    def according_frame(self, tok: Token) -> Found | None:
        doc = self.doc
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            return None
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        sent = tok.sent
        phrase = (tok.i, max(pobj.right_edge.i + 1, to.i + 1))
        # "X reported that Y told Z ..., according to W": W vouches for the clause the phrase hangs on
        head = tok.head
        scope = _subtree(head) if head.pos_ in ("VERB", "AUX") and head.dep_ != "ROOT" and head.i != tok.i else (sent.start, sent.end)
        content = self.without(scope, [phrase], keep_quotes=True)
        if not content:
            return None
        return self.found((tok.i, to.i + 1), content, self.source_span(pobj), "report", "according", tok.i, pobj.i)

    def noun_frame(self, noun: Token) -> Found | None:
        cls = NOUNS.get(noun.lemma_.lower())
        if cls is None:
            return None
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            return None
        owner = next((c for c in noun.children if c.dep_ in ("poss", "compound") and c.pos_ in ("PROPN", "PRON", "NOUN")), None)
        if owner is None:  # "warnings from his attorney", "a claim by the campaign"
            owner = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                          for g in c.children if g.dep_ == "pobj"), None)
        content = self.span(*_clause(clause), keep_quotes=True)
        source = self.source_span(owner) if owner is not None else []
        if not content:
            return None
        return self.found((noun.i, noun.i + 1), content, source, cls, "noun", noun.i, owner.i if owner is not None else None)

    def headline_frame(self, tok: Token) -> Found | None:
        """'Putin Says Russia Is Not ...': title-case headlines parse badly, so read them by position."""
        lemma = _HEADLINE_VERBS.get(tok.lower_)
        if lemma is None or tok.i == 0:
            return None
        sent = tok.sent
        source = self.span(sent.start, tok.i)
        content = self.span(tok.i + 1, sent.end, keep_quotes=True)
        if not source or not content:
            return None
        return self.found((tok.i, tok.i + 1), content, source, CLASSES[lemma], "headline", tok.i, tok.i - 1)

    def line_start(self, tok: Token) -> int:
        """Index of the first token of the line holding ``tok``."""
        i = tok.i
        while i > 0 and not (self.doc[i - 1].is_space and "\n" in self.doc[i - 1].text):
            i -= 1
        return i

    def label_frame(self, colon: Token) -> Found | None:
        """'WALLACE: Let's start ...', 'Poll: Voters Abandon ...': a name labels what follows the colon."""
        doc = self.doc
        start = self.line_start(colon)
        if start < len(doc) and doc[start].is_quote:
            start += 1
        label = [t for t in doc[start:colon.i] if not t.is_space]
        if not 1 <= len(label) <= 4 or any(t.pos_ in ("VERB", "AUX") for t in label):
            return None
        if not all(t.is_title or t.is_upper or t.pos_ == "PROPN" or t.is_punct for t in label):
            return None
        end = colon.i + 1
        while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
            end += 1
        content = self.span(colon.i + 1, end, keep_quotes=True)
        source = self.span(start, colon.i)
        if not content or not source:
            return None
        return self.found((colon.i, colon.i + 1), content, source, "speech", "label", colon.i, label[-1].i)

    def turn_frame(self, source: Span, colon: Span, content: list[Span]) -> Found:
        """A transcript's turn ("PENCE: Well, look, ..."): the speaker's own words, so a direct quotation."""
        return Found([colon], content, [source], self.kind_of(content, "speech", "turn", False), "speech", "turn",
                     self.token_at(colon[0]), self.token_at(source[1] - 1))

    def token_at(self, char: int) -> int:
        """Index of the token holding character ``char``."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else 0

    def signature_frame(self, dash: Token) -> Found | None:
        """'"Trump scares me." ― Krystal Correa': a quotation signed with a dash and a name."""
        doc = self.doc
        start = dash.i + 1
        while start < len(doc) and doc[start].is_space and "\n" not in doc[start].text:  # "―\xa0Jorge Falcon"
            start += 1
        end = start
        while end < len(doc) and end - start < 5 and (doc[end].pos_ == "PROPN" or doc[end].is_title):
            end += 1
        source = self.span(start, end)
        if not source or (end < len(doc) and not (doc[end].is_space or doc[end].is_punct)):
            return None
        signed = self.text[:dash.idx].rstrip()
        first = self.line_start(dash)
        while first < dash.i and doc[first].is_space:
            first += 1
        if doc[first].is_quote and signed.endswith(CLOSING_QUOTES) and doc[first].idx < len(signed) - 1:
            # a line that opens with a quotation mark and is signed at its end is the signed quotation, whole:
            # quotation marks nested in it ('what he calls “hell” than ...') can fool the pairing of marks
            quoted = (doc[first].idx, len(signed))
        else:
            prev = self.quotes.before(dash.idx)
            if prev is None or self.text[prev[1]:dash.idx].strip():
                return None
            quoted = prev
        return self.found((dash.i, dash.i + 1), [quoted], source, "speech", "signature", dash.i, end - 1)

    def found(self, cue: tuple[int, int], content: list[Span], source: list[Span], cls: str, how: str,
              head: int, source_head: int | None) -> Found:
        cue_spans = self.span(*cue)
        if not cue_spans:
            cue_spans = [_chars(self.doc, cue[0], cue[1])]
        in_title = cue_spans[0][0] < self.title_end
        content, source = _union(content), _union(source)
        kind = self.kind_of(content, cls, how, in_title)
        return Found(cue_spans, content, source, kind, cls, how, head, source_head)

    def kind_of(self, content: list[Span], cls: str, how: str, in_title: bool) -> str:
        if in_title:
            return "headline"
        if how == "according":
            return "according_to"
        if how in LAYOUT_FRAMES:  # quoted whole, however the marks nested in it were paired
            return "direct"
        quoted = sum(e - s for q in content for s, e in self.quotes.within(*q) if q[0] <= s and e <= q[1] + 1)
        total = sum(e - s for s, e in content)
        if quoted >= total - 2:
            return "direct"
        if quoted:
            return "mixed"
        if cls in ("belief", "doubt"):
            return "belief"
        return "indirect"

    # ---------------------------------------------------------------- whole doc
    def run(self) -> list[Found]:
        found: list[Found] = []
        turn_spans = turns(self.text, self.title_end)
        for tok in self.doc:
            if tok.is_space or self.quotes.inside(tok.idx):
                continue
            frame = None
            if tok.is_punct:
                if tok.text == ":":
                    frame = self.label_frame(tok)
                elif tok.text in DASHES:
                    frame = self.signature_frame(tok)
            elif tok.lower_ == "according":
                frame = self.according_frame(tok)
            elif tok.pos_ in ("VERB", "AUX"):
                frame = self.verb_frame(tok)
            elif tok.idx < self.title_end:
                frame = self.headline_frame(tok)
            elif tok.pos_ == "NOUN":
                frame = self.noun_frame(tok)
            if frame is not None:
                found.append(frame)
        if turn_spans:  # a transcript: its turns come first, and what cuts across them goes
            found = [f for f in found if not conflicts(f.cue + f.source + f.content, turn_spans)]
            found.extend(self.turn_frame(*t) for t in turn_spans)
        found = _resolve_overlaps(found)
        self.continue_quotes(found)
        nest(found)
        for f in found:
            f.confidence = confidence(f.frame, f.cue_class, bool(f.source))
        return found

    def continue_quotes(self, found: list[Found]) -> None:
        """Quoted sentences with no cue of their own continue the quoted attribution next to them: the one
        in the sentence before (across a paragraph break too), or, in the same paragraph, the one after."""
        taken = sorted((s, e) for f in found for s, e in f.content + f.cue + f.source)
        taken_starts = [s for s, _ in taken]

        def free(s: int, e: int) -> bool:
            i = bisect.bisect_left(taken_starts, e)
            return not any(taken[j][1] > s for j in range(max(0, i - 8), i))

        # a transcript's turn and a signed quotation are whole: what follows is the next speaker's
        quoted = [f for f in found if f.kind in ("direct", "mixed") and f.frame not in LAYOUT_FRAMES]
        if not quoted:
            return
        sents = list(self.doc.sents)
        starts = [sent.start_char for sent in sents]

        def sent_of(pos: int) -> int:
            return bisect.bisect_right(starts, pos) - 1

        ends_in = {sent_of(max(e for _, e in f.content + f.cue + f.source) - 1): f for f in quoted}
        begins_in = {sent_of(f.start): f for f in reversed(quoted)}
        for q in self.quotes.spans:
            k = sent_of(q[0])
            if not free(*q) or self.text[starts[k]:q[0]].strip():
                continue  # taken, or not at the start of its sentence
            before = ends_in.get(k - 1)
            if before is not None:
                before.content = sorted(before.content + [q])
                before.frame += "+continued"
                ends_in[sent_of(q[1] - 1)] = before
                continue
            after = begins_in.get(sent_of(q[1] - 1) + 1)
            if after is not None and "\n" not in self.text[q[1]:after.start]:
                after.content = sorted(after.content + [q])
                after.frame += "+continued"


def title_end(text: str) -> int:
    """Where the headline ends: the first line break, when it comes within ``TITLE_CHARS`` (a bare sentence,
    or a page that opens with a long paragraph, has no headline: 0)."""
    first_break = text.find("\n")
    return first_break if 0 <= first_break <= TITLE_CHARS else 0


def _union(spans: list[Span]) -> list[Span]:
    """Spans in text order, those that overlap joined into one: two rules can claim the same words (a passive
    subject whose phrase runs into its complement), and an attribution's spans must be disjoint.

    >>> _union([(30, 40), (0, 20), (10, 25)])
    [(0, 25), (30, 40)]
    """
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _resolve_overlaps(found: list[Found]) -> list[Found]:
    """Drop frames that share a source or cue token with an earlier, better anchored frame."""
    found.sort(key=lambda f: f.cue[0][0])
    kept: list[Found] = []
    # the characters of the cues kept so far: a lookup per span, where a list of spans grew with the article
    used = bytearray(max((e for f in found for _, e in f.cue + f.source), default=0))
    for f in found:
        if any(used.find(1, s, e) >= 0 for s, e in f.cue + f.source):
            continue
        kept.append(f)
        for s, e in f.cue:
            used[s:e] = b"\x01" * (e - s)
    return kept


def nest(found: list[Found]) -> None:
    """Set each attribution's enclosing attributions (whose content holds its cue), nearest first."""
    for f, outer in zip(found, enclosing([(f.cue, f.content) for f in found])):
        f.outer = outer
        f.depth = len(outer)


def find_attributions(doc: Doc, unspoken: bool = False) -> list[Found]:
    """Every attribution frame of a parsed document, in text order, nested ones included; with ``unspoken``,
    also those of an infinitive that no one is said to speak ("free to disclose his returns"), which the
    accurate mode's tagger reads as a feature (it was trained on them) and nothing reports."""
    return FrameExtractor(doc, unspoken).run()
