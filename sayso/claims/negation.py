"""Negation scope on the dependency parse: does a content state its proposition, or the opposite?

Counting every "not" in a content gets clauses wrong that a reader never would: "Clinton's email use, which
the FBI said was extremely careless but did not warrant criminal charges" asserts carelessness; "that Trump
had defrauded students through Trump University, which was never licensed" asserts fraud. What negates a
proposition is a negation on the path from the words that state it up to the root of the content:

- a negation of a verb or adjective on that path ("is **not** trying", "**never** obtained access");
- a negative determiner or subject of a node on it ("**no** intention of influencing", "**no** reasonable
  prosecutor would bring", "**nobody** thinks");
- a predicate that negates what it governs ("he **lacks** the temperament", "her **refusal** to release");
- a word that says the opposite of the label's own word: its negative-prefixed form ("**unqualified**" against
  "qualified", "**disqualify**" against "qualify", "**dishonest**" against "honest") or a plain antonym
  ("**false**" against "true", "**innocent**" against "guilty", "**cut**" against "keep").

A negation in a relative clause, a coordinated clause or a subordinate clause off that path does not count.
Fixed phrases with a negation word that affirm ("no doubt", "not only", "nothing but", "whether or not",
"more likely than not") never count.

>>> polarity(parse(["we have no intention of influencing the election"])[0][:], terms("influence"))
-1
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

#: Words that negate the node they hang on (or, as a subject, the verb they are the subject of).
NEGATIVE = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without", "cannot",
            "nowhere", "noone"}
#: Predicates that negate what they govern: "he lacks the temperament", "her refusal to release".
NEGATING = {"lack", "fail", "failure", "refuse", "refusal", "unfit", "unqualified", "deny", "denial", "reject",
            "dismiss", "refute", "disprove", "debunk", "absence", "decline"}
#: Verbs whose clausal complement is what is said or thought: the proposition sits below them.
REPORTING = {"say", "tell", "think", "believe", "know", "claim", "suggest", "argue", "insist", "mean", "add",
             "state", "write", "note", "warn", "feel", "expect", "hope", "show", "find"}
#: Prefixes that turn a word into its opposite: "unqualified", "disqualify", "illegal", "nonpartisan".
ANTONYM_PREFIXES = ("un", "dis", "in", "im", "il", "ir", "non")
#: Of those, the ones that negate adjectives only.
LATIN_PREFIXES = ("in", "im", "il", "ir")
#: Lemmas that a "no" in front of affirms rather than negates: "there is no doubt that ...".
_NO_AFFIRMS = {"doubt", "question", "matter", "wonder"}
_WORD = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=1)
def parser() -> Language:
    """The spaCy pipeline sayso extracts with, without its attribution and entity components: tagger,
    lemmatizer and dependency parser only (what negation scope needs)."""
    import spacy

    from ..nlp import PIPELINE

    return spacy.load(PIPELINE, exclude=["ner"])


def parse(texts: Iterable[str], batch_size: int = 64) -> list[Doc]:
    """Parsed docs of the texts, in order."""
    return list(parser().pipe(texts, batch_size=batch_size))


def lemma(tok: Token) -> str:
    """A token's lower-cased lemma."""
    return (tok.lemma_ or tok.text).lower()


def term(word: str) -> str:
    """The form a word is compared in: lower case, a plural or possessive "s" and a verb ending cut off
    ("Russia's" -> "russia", "influencing" -> "influenc", "influence" -> "influenc")."""
    w = word.lower().replace("’", "'").split("'")[0]
    for end in ("ing", "ed", "es", "e", "s"):
        if len(w) > len(end) + 3 and w.endswith(end):
            return w[: -len(end)]
    return w


@functools.lru_cache(maxsize=4096)
def _compared(label_terms: frozenset[str]) -> frozenset[str]:
    """A label's terms as :func:`opposite` compares them (computed once per label: it runs for every word on
    every path)."""
    return frozenset({_y_to_i(x) for x in label_terms} | {_verb_stem(x) for x in label_terms})


def _verb_stem(t: str) -> str:
    """A noun in "-ication" as the verb it comes from: "qualification" -> "qualifi" (= "qualified"), so that
    "unqualified" says the opposite of "has the qualifications"."""
    return t[: -len("cation")] if t.endswith("ication") and len(t) > 9 else t


def _y_to_i(t: str) -> str:
    """A verb's "y" as its inflections have it: "qualify" -> "qualifi" (= "qualified", "qualifies")."""
    return t[:-1] + "i" if len(t) > 4 and t.endswith("y") else t


#: Plain antonyms: each word of the first group says the opposite of each word of the second (those that
#: negate whatever they govern, "reject", "failure", "decline", are in NEGATING instead).
_ANTONYM_GROUPS = (
    ({"true", "truthful", "truth", "honest", "accurate"}, {"lied", "liar"}),
    ({"guilty"}, {"innocent"}), ({"win", "wins", "winning"}, {"lose", "loses", "losing", "lost"}),
    ({"increase", "rise"}, {"decrease", "fall"}), ({"support", "supports"}, {"oppose", "opposes"}),
    ({"strong", "stronger"}, {"weak", "weaker"}),
    ({"safe", "safer"}, {"dangerous", "risky"}), ({"allowed", "permitted"}, {"forbidden", "banned", "barred"}),
    ({"fair", "impartial"}, {"biased", "bias"}), ({"better"}, {"worse"}),
    ({"keep", "keeps", "kept", "maintain", "maintains"}, {"cut", "cuts", "slash", "slashes", "slashed"}),
)
ANTONYMS = {frozenset((_y_to_i(term(a)), _y_to_i(term(b))))
            for left, right in _ANTONYM_GROUPS for a in left for b in right}


def terms(text: str) -> set[str]:
    """The compared forms of a text's words of four letters or more."""
    return {term(w) for w in _WORD.findall(text.lower()) if len(w) >= 4}


def opposite(word: str, label_terms: set[str] | None, pos: str = "ADJ") -> bool:
    """Whether a word says the opposite of one of the label's words: a negative prefix added or taken away
    ("unqualified" / "qualified", "disqualify" / "qualified"), or a plain antonym ("false" / "true").
    ``pos`` is the word's part of speech: a Latin "in-" negates adjectives ("ineligible", "illegal"), while
    verbs and nouns keep it as a preposition ("impress", "immigrant").

    >>> opposite("unqualified", terms("Sanders is qualified to be president"))
    True
    """
    if not label_terms or len(word) < 3:
        return False
    t = _y_to_i(term(word))
    label_terms = _compared(frozenset(label_terms))
    if t in label_terms:
        return False
    # a word of three letters is no prefixed form (each stem below is four letters or more), but it may be a
    # plain antonym: "cut" against "keep"
    for p in ANTONYM_PREFIXES:
        if p in LATIN_PREFIXES and pos != "ADJ":
            continue
        # a short stem after a Latin prefix is seldom its opposite: "inform" is no "not form"
        shortest = 4 if p == "un" else 5
        if t.startswith(p) and len(t) - len(p) >= shortest and t[len(p):] in label_terms:
            return True
        if len(t) >= shortest and p + t in label_terms:
            return True
    return any(frozenset((t, other)) in ANTONYMS for other in label_terms)


def affirming(tok: Token) -> bool:
    """Whether a negation word sits in a fixed phrase that affirms: "not only", "nothing but", "whether or
    not", "more likely than not", "no doubt"."""
    doc = tok.doc
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if nxt in ("only", "just", "but", "least") or prev in ("or", "than"):
        return True
    if tok.lower_ == "no" and (lemma(tok.head) in _NO_AFFIRMS or nxt in _NO_AFFIRMS or nxt == "longer"):
        return True
    return False


def _negative(tok: Token) -> bool:
    return tok.lower_ in NEGATIVE and not affirming(tok)


def _subject_negated(tok: Token) -> bool:
    """A subject or object that negates its verb: "nobody", "nothing", or one with a "no": "no reasonable
    prosecutor would bring", "he has sacrificed nothing", "we have absolutely no violations"."""
    if tok.lower_ in ("nobody", "nothing", "none", "noone"):
        return not affirming(tok)
    return any(c.dep_ == "det" and c.lower_ == "no" and not affirming(c) for c in tok.children)


def own_negations(node: Token, path_child: Token | None, is_anchor: bool,
                  label_terms: set[str] | None = None) -> int:
    """How many negations a node on the path carries: its negation children, its negative subject, a
    negative word or negating predicate it is itself, or the opposite of one of the label's words."""
    n = 0
    for c in node.children:
        if path_child is not None and c.i == path_child.i:
            continue
        if c.dep_ in ("neg", "det", "advmod", "preconj") and _negative(c):
            n += 1
        elif c.dep_ in ("nsubj", "nsubjpass", "expl", "attr", "dobj", "dative", "oprd") and _subject_negated(c):
            n += 1
    if node.lower_ in NEGATIVE and node.dep_ not in ("neg", "det", "advmod") and not affirming(node):
        n += 1  # "nothing", "none", "without" on the path itself
    # a negating predicate that is also the label's word's opposite ("unqualified" against "qualified")
    # negates once
    if (not is_anchor and lemma(node) in NEGATING) or opposite(node.text, label_terms, node.pos_):
        n += 1
    return n


def anchor(span: Span, label_terms: set[str] | None) -> tuple[Token, bool]:
    """The word of a span that states the proposition: of the words the label shares, the one nearest the
    span's root (and True); the root itself when it shares none (and False)."""
    root = span.root
    if label_terms:
        shared = [t for t in span if not t.is_stop and t.is_alpha
                  and (term(t.text) in label_terms or opposite(t.text, label_terms, t.pos_))]
        if shared:
            def depth(t: Token) -> int:
                d = 0
                while t.i != root.i and t.head.i != t.i and span.start <= t.head.i < span.end and d < 50:
                    t, d = t.head, d + 1
                return d
            # of two words as near the root, the one that says the label's opposite is the predicate at
            # issue: "Clinton is unqualified" turns on "unqualified", not on "Clinton"
            return min(shared, key=lambda t: (depth(t), not opposite(t.text, label_terms, t.pos_), t.i)), True
    # no word in common: the proposition is the innermost clause that a reporting verb introduces ("we never
    # said [there were no people there]"), so that a negation of the report and of the report's content meet
    node = root
    for _ in range(10):
        inner = [c for c in node.children if c.dep_ in ("ccomp", "xcomp") and span.start <= c.i < span.end]
        if not inner or lemma(node) not in REPORTING:
            break
        node = inner[0]
    return node, False


def negations(span: Span, label_terms: set[str] | None = None) -> int:
    """How many negations scope over the proposition a span states (module docstring)."""
    if len(span) == 0:
        return 0
    # a word the label shares is the proposition's own: "refused" against a label that says "refused"
    node, shared = anchor(span, label_terms)
    child: Token | None = None
    n, steps = 0, 0
    while True:
        n += own_negations(node, child, is_anchor=shared and child is None, label_terms=label_terms)
        head = node.head
        if head.i == node.i or not (span.start <= head.i < span.end) or steps > 50:
            break
        child, node, steps = node, head, steps + 1
    return n


def polarity(span: Span, label_terms: set[str] | None = None) -> int:
    """+1 when a span states its proposition, -1 when it states the opposite."""
    return -1 if negations(span, label_terms) % 2 else 1


def is_clause(span: Span) -> bool:
    """Whether a span is a clause (its root is a verb: "he had no intention ...") rather than a noun phrase
    ("a transcript of a speech she had given")."""
    return len(span) > 0 and span.root.pos_ in ("VERB", "AUX")


def is_statement(span: Span | None) -> bool:
    """Whether a span states something: a clause whose verb has a subject ("Obama was born outside the
    country"), not a noun phrase or a fragment ("transcripts of her paid speeches", "him for saying")."""
    if span is None or len(span) == 0:
        return False
    root = span.root
    return root.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children)
