"""Stance: how an attribution stands toward its claim (asserts, denies, doubts, or only reports it).

The rules, in order (docs/claims.md has them with examples):

1. A speaker who passes on somebody else's statement (the content holds another attribution of the article,
   whose speaker is someone else, and the cue is a plain speech or report verb: "NBC News reported that Putin
   told reporters ...") **reports** it, unless the content dismisses what it passes on (rule 6). Saying that
   someone never said it ("he had never suggested the U.S. should use a database") passes nothing on.
2. A criticising cue aimed at someone for a deed ("chided Trump for raising questions about ...", "rebuked
   Mr. Trump for suggesting that ...") takes the opposite side of the deed's own stance.
3. A question why or how ("questioned why his wife did not speak") insinuates and is read as a statement;
   any other doubt cue ("doubts", "questioned whether"), a content that opens with one ("that he doubts
   Russia's involvement") or that leaves the question open ("well, we'll see") **doubts** it.
4. A denial cue ("denied", "rejected", "dismissed", "shrugged off", "refuted") **denies** it, unless what is
   rejected is an objection to it ("rejected both objections, ruled Cruz eligible"): that **asserts** it.
5. A question ("asked whether", or any cue before an open "whether ...": "wanted to know whether") or a
   negated speech cue ("has not publicly accused") is no stance at all: **neutral**, unless the content is
   negated too ("we never said there were no people there").
6. Otherwise the stance is a sign, starting at +1 and flipped by each of:
   - a negated belief cue: "does not think", "doesn't believe";
   - a content whose polarity differs from the claim label's: "we have no intention of influencing" against
     the label "Russia is trying to influence the election" (polarity is read on the dependency parse, only
     the negations in scope of the proposition, and the words that say the opposite of the label's:
     "unqualified" against "qualified", :mod:`sayso.claims.negation`);
   - a content that calls what it holds false or mistaken: "accusations ... were just part of a well-oiled
     system of distracting the voters", "a hoax", "baseless", "the biggest fairy tale", "absolutely wrong",
     "misleading", "she had misspoken".
   +1 **asserts**, -1 **denies**.

``negated`` (a count of negation words outside fixed phrases that affirm) is the quick test for cues and for
whether a piece can label a claim.
"""

from __future__ import annotations

import re

from ..attribution.cues import CLASSES, NOUNS
from .negation import parse, polarity, terms

STANCES = ("asserts", "denies", "doubts", "neutral")

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|n't|’[a-z]+")

NEGATIONS = {"not", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without", "cannot",
             "n't", "nowhere", "noone",
             # predicates that negate what follows them: "he lacks the temperament", "her refusal to release"
             "lack", "lacks", "lacked", "lacking", "unfit", "unqualified", "refusal", "refuses", "refused",
             "fails", "failed"}
#: Fixed phrases with a negation word that affirm rather than negate: "there's no question that ...".
AFFIRMING = re.compile(
    r"\b(?:no (?:question|doubt)|not only|not just|nothing but|no matter|never (?:been|before) (?:so|more)|"
    r"no longer(?= than)|not least)\b", re.I)
#: Words that call what a content holds untrue or illegitimate.
DISMISSIVE = re.compile(
    r"\b(?:hoax|baseless|bogus|unfounded|untrue|false(?:ly|hood)?|lies?|lying|nonsense|ridiculous|absurd|"
    r"fabricat\w*|made[- ]up|fake|fairy[- ]tale|myth|conspiracy theor\w*|smear|distract\w*|"
    r"no (?:evidence|basis|proof|truth)|not true|garbage|rubbish|debunked|wrong|mistaken|misleading|"
    r"inaccurate|incorrect|misrepresent\w*|mischaracteri[sz]\w*|distort\w*|misspoke|misspoken|misstat\w*)\b", re.I)
#: A content that itself opens with a doubt: "that he doubts ...", "he was skeptical that ...".
DOUBTING = re.compile(
    r"^(?:that\s+)?(?:\w+\s+){0,3}?(?:doubts?|doubted|questions?|questioned|wonders?|wondered|"
    r"(?:is|was|were|are|remains?|remained)\s+(?:not\s+sure|unsure|unconvinced|skeptical|sceptical|"
    r"doubtful|uncertain))\b", re.I)
#: A content that leaves the question open: "well, we'll see", "that remains to be seen".
HEDGING = re.compile(r"\b(?:we['’]ll see|we will see|(?:remains|remain|is yet) to be seen|time will tell)\b", re.I)
#: Past and other irregular forms of cue verbs: "told" is "tell".
IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think",
    "felt": "feel", "knew": "know", "known": "know", "saw": "see", "seen": "see", "spoke": "speak",
    "spoken": "speak", "understood": "understand", "sought": "seek", "foresaw": "foresee", "read": "read",
    "shrugged": "shrug", "brushed": "brush", "according": "according",
}
_CLASS_RANK = {"deny": 5, "doubt": 4, "assert": 3, "report": 2, "belief": 1, "speech": 0}


def words(text: str) -> list[str]:
    """Lower-cased words of a text, with "n't" split off ("don't" -> "do", "n't")."""
    out: list[str] = []
    for w in _WORD.findall(text.replace("’", "'")):
        w = w.lower()
        if w.endswith("n't") and w != "n't":
            out.extend([w[:-3] or w, "n't"])
        elif w == "can't":
            out.extend(["can", "n't"])
        else:
            out.append(w)
    return out


def negations(text: str) -> int:
    """How many negations a text holds, not counting phrases that affirm ("no doubt")."""
    return sum(1 for w in words(AFFIRMING.sub(" ", text)) if w in NEGATIONS)


def negated(text: str) -> bool:
    """True when a text's polarity is negative (an odd number of negations).

    >>> negated("we have no intention of influencing the election"), negated("there's no question it is")
    (True, False)
    """
    return negations(text) % 2 == 1


def without_negation(text: str) -> str:
    """The text with its negation words taken out, for comparing propositions whatever their polarity.

    >>> without_negation("Russia is not trying to influence the election")
    'Russia is trying to influence the election'
    """
    text = re.sub(r"\b(?:ca|wo|do|does|did|is|are|was|were|has|have|had|could|would|should)n[’']t\b",
                  lambda m: m.group(0)[:-3], text, flags=re.I)
    text = re.sub(r"\b(?:not|never|no|neither|nor)\b\s*", "", text, flags=re.I)
    return re.sub(r"\s{2,}", " ", text).strip()


def lemma(word: str) -> str | None:
    """The cue lemma behind an inflected word ("denied" -> "deny"), or None when it is no cue word."""
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    candidates = [w]
    if w.endswith("ies") or w.endswith("ied"):
        candidates.append(w[:-3] + "y")
    if w.endswith("ing"):
        candidates += [w[:-3], w[:-3] + "e", w[:-4]]
    if w.endswith("ed"):
        candidates += [w[:-2], w[:-1], w[:-3]]
    if w.endswith("es"):
        candidates.append(w[:-2])
    if w.endswith("s"):
        candidates.append(w[:-1])
    for c in candidates:
        if c in CLASSES or c in NOUNS:
            return c
    return None


def cue_class(cue: str) -> str | None:
    """The class of a cue phrase ("strongly denied" -> "deny"; "according to" -> "report"; "asked" ->
    "question").

    Where a phrase holds several cue words the strongest class wins: a denial or doubt outranks the speech
    verb it comes with ("told reporters he doubts").
    """
    best: str | None = None
    for w in words(cue):
        lem = lemma(w)
        if lem is None:
            continue
        if lem == "according":
            cls = "report"
        elif lem == "ask":
            return "question"  # a question asks, it takes no side: "asked whether she would release"
        else:
            cls = CLASSES.get(lem) or NOUNS.get(lem)
        if cls and (best is None or _CLASS_RANK[cls] > _CLASS_RANK[best]):
            best = cls
    return best


#: Cues that attack someone for what they did: "chided Trump for raising questions about ...".
CRITICIZING = {"criticize", "criticise", "chide", "rebuke", "slam", "blast", "attack", "mock", "lambast", "assail",
               "deride", "knock", "fault", "scold", "berate", "condemn", "denounce", "decry", "ridicule", "blame",
               "accuse"}
#: "X for doing Y": the deed a criticising cue's target is attacked for, and what follows it.
_FOR_DEED = re.compile(r"^[^,;]{0,80}?\bfor\s+([a-z]+ing)\b\s*(.*)$", re.I | re.S)
#: A question about why or how something is so takes it as given: "questioned why she did not speak".
_WH_QUESTION = re.compile(r"^(?:about\s+)?(?:why|how)\b", re.I)
#: A content that is an objection to something: rejecting it upholds what it objects to.
_OBJECTION = re.compile(r"^(?:(?:the|both|all|these|those|their|his|her|its|any)\s+)?(?:\w+\s+)?"
                        r"(?:objections?|challenges?|denials?)\b", re.I)
#: A content that is an open question: "whether the administration bears responsibility ...".
_OPEN_QUESTION = re.compile(r"^(?:about\s+)?whether\b", re.I)
_OPPOSITE = {"asserts": "denies", "denies": "asserts", "doubts": "asserts", "neutral": "neutral"}


def _cue_lemmas(cue: str) -> set[str]:
    """The cue lemmas of a cue phrase: "has accused" -> {"accuse"}."""
    return {lem for w in words(cue) if (lem := lemma(w)) is not None}


#: Cue words that put a proposition in dispute: what follows them is what the story argues about.
CONTESTING = {"accuse", "allege", "charge", "claim", "accusation", "allegation"}


def contests(cue: str) -> bool:
    """Whether a cue disputes or alleges what its content says: "denied", "doubts", "accused", "alleging"."""
    return cue_class(cue) in ("deny", "doubt") or bool(_cue_lemmas(cue) & CONTESTING)


#: Quotation marks and spaces around a content.
_MARKS = " \"“”'"


def stance(content: str, cue: str, label: str, *, passes_on: bool = False, whole: str | None = None,
           content_span=None, label_span=None) -> str:
    """The stance of an attribution (its content and cue texts) toward a claim with this label.

    ``content`` is the statement that bears on the label: the whole content, or the piece of it that states
    the label's proposition when it holds several (``whole``). ``passes_on`` says the content holds someone
    else's attribution (rule 1 of the module docstring). ``content_span`` and ``label_span`` are the two
    texts as parsed in their sentences (spaCy spans); without them the texts are parsed on their own.

    >>> stance("he had no intention of influencing the U.S. election", "told reporters",
    ...        "Russia of trying to influence the 2016 U.S. presidential election")
    'denies'
    >>> stance("Russia's involvement", "doubts", "Russia is trying to influence the election")
    'doubts'
    """
    cls = cue_class(cue)
    bare = content.strip(_MARKS)  # the content without the quotation marks around it
    if cls == "question" or (cls != "doubt" and _OPEN_QUESTION.match(bare)):
        # "asked whether she would release", "wanted to know whether the administration bears
        # responsibility": a question takes no side
        return "neutral"
    dismisses = bool(DISMISSIVE.search(content)) and not DISMISSIVE.search(label)
    if passes_on and cls in (None, "speech", "report") and not dismisses:
        return "neutral"
    deed = _FOR_DEED.match(bare)
    if deed and _cue_lemmas(cue) & CRITICIZING:
        # attacking someone for saying or doing something is taking the other side of what they did:
        # "chided Trump for raising questions about whether he met the standard" asserts that he met it
        return _OPPOSITE[stance(deed.group(2) or content, deed.group(1), label)]
    if cls == "doubt" and _WH_QUESTION.match(bare):
        # "questioned why Mr. Khan's wife did not speak, implying that she was forbidden": an insinuation
        cls = None
    elif cls == "doubt" or DOUBTING.search((whole or content).strip(_MARKS)) or HEDGING.search(content):
        return "doubts"
    cue_negated = negated(cue)
    if cue_negated and cls not in ("belief", "deny") and not negated(content):
        # "has not publicly accused Russia of ...": no stance; but "we never said there were no people
        # there" negates a negation, and asserts
        return "neutral"
    if cls == "deny":
        # "denied", "dismissed", "shrugged off": a denial whatever the content's wording ("denied any
        # intention", "rejected that there was no plan" is too rare in news to read as an assertion); but
        # rejecting an objection to a proposition upholds it: "rejected both objections, ruled Cruz eligible"
        return "asserts" if _OBJECTION.match(bare) else "denies"
    sign = 1
    if cue_negated:
        sign = -sign
    if content_polarity(content, label, content_span, label_span) < 0:
        sign = -sign
    if dismisses:
        sign = -sign
    return "asserts" if sign > 0 else "denies"


def content_polarity(content: str, label: str, content_span=None, label_span=None) -> int:
    """+1 when the content states the label's proposition with the label's polarity, -1 when the opposite:
    the negations in scope of the words the two share (:mod:`sayso.claims.negation`)."""
    if words(content) == words(label):
        return 1  # a content read against itself (the claim's label, or a claim of one)
    if content_span is None or label_span is None:
        docs = parse([t for t, s in ((content, content_span), (label, label_span)) if s is None])
        if content_span is None:
            content_span = docs.pop(0)[:]
        if label_span is None:
            label_span = docs.pop(0)[:]
    return polarity(content_span, terms(label)) * polarity(label_span)
