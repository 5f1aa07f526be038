"""Interview transcripts: a speaker's label opens each turn, and the turn is theirs until the next one.

    Partial transcript as follows:

    "WALLACE: Let's start with breaking news on the debate story. ...

    "PENCE: Well, look, Hillary Clinton apparently thinks this is an episode of "Shark Tank." ...

    "But the truth is that Donald Trump has a unique way of communicating ...

Each turn is one direct attribution: the label is its source, the colon its cue, and its content runs from
the colon over the paragraphs that follow, up to the next label, a stage direction ("(CROSSTALK.)", "(BEGIN
VIDEO CLIP.)"), a line with no words ("…."), or a sign-off ("Follow Pam Key on Twitter @pamkeyNEN"). A
document is read as a transcript only where at least two paragraphs open with a speaker's label in capitals
("JAKE TAPPER:", "SEN. CRUZ:"); section labels ("UPDATE:", "VIDEO:") end a turn but open none. Where the
labelled paragraphs open with a quotation mark (each paragraph of the quoted transcript opens with one), a
turn continues over the paragraphs that open with one too; where they do not, nothing tells the speaker's next
paragraph from the article's own prose ("The ads are too tough huh?" between two turns), and a turn is its
own paragraph.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..model import overlap

Span = tuple[int, int]

#: The quotation marks that open a quoted transcript's paragraphs.
QUOTE_MARKS = "\"“”"
#: A paragraph that opens with a label in capitals and a colon, and says something after it on its line.
LABEL = re.compile(rf"[ \t]*(?P<quote>[{QUOTE_MARKS}]?)[ \t]*"
                   r"(?P<label>[A-Z][A-Z.'’\-]*(?:[ \t][A-Z][A-Z.'’\-]*){0,2})[ \t]*(?P<colon>:)[ \t\xa0]*(?=\S)")
#: Labels that name a section or a medium, not a speaker.
NOT_SPEAKERS = {
    "UPDATE", "UPDATED", "VIDEO", "WATCH", "PHOTO", "PHOTOS", "AUDIO", "RELATED", "READ", "READ MORE", "MORE",
    "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "CORRECTION", "CLARIFICATION", "SOURCE", "SOURCES", "BREAKING",
    "PREVIOUSLY", "ADVERTISEMENT", "TRANSCRIPT", "Q", "A", "QUESTION", "ANSWER", "EXCLUSIVE", "ALERT", "LIVE",
    "UPDATE NOTE", "BACKGROUND", "WARNING", "DISCLAIMER", "ANALYSIS", "OPINION", "POLL", "TIMELINE", "FACT CHECK",
}
#: "(CROSSTALK.)", "[END VIDEO CLIP]": a stage direction ends the turn before it.
DIRECTION = re.compile(rf"[{QUOTE_MARKS}]?\s*[(\[].*[)\]]\W*", re.S)
#: A sign-off under the article: "Follow Pam Key on Twitter @pamkeyNEN".
SIGN_OFF = re.compile(rf"[{QUOTE_MARKS}]?\s*(Follow|Contact|Email|E-mail|Reach)\b.*(@\w|\bon Twitter\b)", re.I | re.S)


def _paragraphs(text: str) -> list[Span]:
    """The non-blank lines of ``text``, as character spans without their edge whitespace."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _label(text: str, par: Span) -> re.Match | None:
    m = LABEL.match(text, par[0], par[1])
    return m if m is not None and m.end() < par[1] else None


def _speaker(m: re.Match) -> bool:
    label = m["label"]
    return label not in NOT_SPEAKERS and any(c.isalpha() for c in label) and len(label.replace(".", "")) > 1


def _ends_turn(text: str, par: Span) -> bool:
    s, e = par
    line = text[s:e]
    return (_label(text, par) is not None or DIRECTION.fullmatch(line) is not None
            or not any(c.isalnum() for c in line) or SIGN_OFF.match(line) is not None)


def turns(text: str, title_end: int = 0) -> list[tuple[Span, Span, list[Span]]]:
    """(source, cue, content spans) of every turn of a transcript in ``text`` (none if it holds none); the
    title line (up to ``title_end``) is no turn ("Pence: Flowers Won't Be at Debate" is a headline)."""
    pars = [p for p in _paragraphs(text) if p[0] >= title_end]
    labelled = [(k, m) for k, p in enumerate(pars) if (m := _label(text, p)) is not None and _speaker(m)]
    if len(labelled) < 2:
        return []
    quoted = sum(bool(m["quote"]) for _, m in labelled) * 2 > len(labelled)
    out = []
    for k, m in labelled:
        content = [(m.end(), pars[k][1])]
        for s, e in pars[k + 1:] if quoted else ():
            if _ends_turn(text, (s, e)) or text[s] not in QUOTE_MARKS:
                break
            s += 1
            while s < e and text[s].isspace():
                s += 1
            content.append((s, e))
        out.append(((m.start("label"), m.end("label")), (m.start("colon"), m.end("colon")), content))
    return out


def conflicts(spans: Sequence[Span], found_turns: Sequence[tuple[Span, Span, list[Span]]]) -> bool:
    """Whether an attribution with these spans cuts across the turns: it touches a turn's label, or reaches
    into a turn's content without lying inside that one turn (a frame nested in one turn is fine)."""
    labels = [span for source, cue, _ in found_turns for span in (source, cue)]
    if overlap(spans, labels):
        return True
    for _, _, content in found_turns:
        a, b = content[0][0], content[-1][1]
        if any(s < b and a < e for s, e in spans):
            return not all(a <= s and e <= b for s, e in spans)
    return False

