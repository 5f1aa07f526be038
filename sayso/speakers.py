"""Speakers: who each attribution's source is, as one entity per real-world speaker of the article.

Sources come as names ("Russian President Vladimir Putin"), surnames ("Putin"), pronouns ("he") and
descriptions ("a senior official"). Names are grouped by surname and the fullest form becomes the entity's
name, unless a form of address says otherwise ("Mr. Clinton" is not Hillary Clinton); the words before a
name in its noun phrase and its appositions are kept as roles; pronouns resolve to the latest compatible
speaker or person named before them. Intermediaries (``via``) are the entities of the attributions whose
content holds this one, nearest first. Whom a content is ``about`` are the people and organisations named
in it, and the speakers its mentions were resolved to, whether or not they speak.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from .attribution import Found
from .attribution.cues import ORG_HEADS, PERSON_HEADS
from .model import Attribution, Entity, Subject
from .names import gender_of

Span = tuple[int, int]

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "mr.", "mrs.", "ms.", "dr."}
FEMALE_TITLES = {"mrs", "ms", "miss", "mrs.", "ms.", "madam", "lady"}
MALE_TITLES = {"mr", "mr.", "sir", "lord"}
PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "them": "p", "their": "p", "it": "n", "its": "n",
    "i": "s", "we": "s", "me": "s", "us": "s", "you": "s",
}
OUTLET_WORDS = re.compile(
    r"\b(news|times|post|journal|tribune|herald|gazette|telegraph|guardian|agency|press|magazine|"
    r"radio|tv|television|network|daily|weekly|review|wire|ledger|chronicle|observer|examiner|inquirer|"
    r"courier|dispatch|sentinel|globe|bulletin|register|mirror|sun|star|record|beacon|monitor|"
    r"reuters|associated|bloomberg|cnn|msnbc|"
    r"nbc|abc|cbs|fox|bbc|npr|pbs|politico|axios|breitbart|huffington|huffpost|tass|ria|xinhua|afp|"
    r"ap|usa today|the hill|buzzfeed|vox|slate|salon|atlantic|newsweek|economist)\b",
    re.I,
)
OUTLET_HEADS = {"agency", "newspaper", "paper", "network", "channel", "outlet", "wire", "station", "magazine", "site", "website"}
#: Words that make a phrase before a name a role: offices, titles and functions.
TITLES = PERSON_HEADS | {
    "sen", "rep", "gov", "gen", "lt", "col", "sgt", "prof", "pres", "vice", "speaker", "mayor", "premier",
    "chancellor", "king", "queen", "prince", "pope", "bishop", "rabbi", "reverend", "rev", "justice",
    "chief", "commissioner", "councilman", "councilwoman", "ceo", "founder", "president-elect", "nominee",
    "frontrunner", "hopeful", "challenger", "incumbent", "coach", "host", "anchor", "correspondent",
}


@dataclass
class _Speaker:
    key: str
    name: str
    kind: str
    roles: list[str] = field(default_factory=list)
    mentions: set[Span] = field(default_factory=set)
    gender: str | None = None
    named: bool = False  # known by a name, not only by a description ("a senior official")

    def add_role(self, role: str) -> None:
        role = role.strip(" ,")
        if role and role.lower() not in (r.lower() for r in self.roles):
            self.roles.append(role)


class _Resolver:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.speakers: dict[str, _Speaker] = {}
        # (char offset, speaker key, was a source), kept sorted: lookups go back from a position by bisection,
        # so that a long article costs a lookup per mention, not a walk over all the mentions before it
        self.timeline: list[tuple[int, str, bool]] = []
        # for each title asked about ("the president"), the timeline entries of persons who hold it
        self.titled_marks: dict[str, list[tuple[int, str]]] = {}
        # (start, end, speaker key) of every mention of a named speaker, made once all are known (``about``)
        self.named_marks: list[tuple[int, int, str]] | None = None
        self.ents = [self.relabel(e) for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        # the names by the tokens they cover and by the word their root hangs on
        self.ent_at: dict[int, SpacySpan] = {}
        self.ents_under: dict[int, list[SpacySpan]] = {}
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.ent_at.setdefault(i, ent)
            self.ents_under.setdefault(ent.root.head.i, []).append(ent)
        # full names by surname, in text order: a bare "Clinton" is the latest Clinton named before it
        self.full_names: dict[str, list[tuple[int, str]]] = {}
        for ent in self.ents:
            name = self.clean_name(ent)
            if ent.label_ == "PERSON" and len(name) > 1:
                self.full_names.setdefault(name[-1].lower_, []).append((ent.start_char, name.text.lower()))
        self.full_name_keys = {surname: {"person:" + k for _, k in known} for surname, known in self.full_names.items()}
        for ent in self.ents:
            if ent.label_ in ("PERSON", "ORG"):
                self.name_entity(ent)

    # ---------------------------------------------------------------- names
    def relabel(self, ent: SpacySpan) -> SpacySpan:
        """'spokeswoman Ana Brill' tagged ORG: a name right after a person's role noun is a person's."""
        doc = self.doc
        if len(ent) > 3 or (ent.label_ == "PERSON" and len(ent) > 1):
            return ent
        start = ent.start
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and doc[start - 1].ent_iob_ == "O":
            start -= 1
        if start > 0 and doc[start - 1].lemma_.lower() in PERSON_HEADS and not OUTLET_WORDS.search(ent.text):
            return SpacySpan(doc, start, ent.end, label="PERSON")
        if start < ent.start and gender_of(doc[start].text) is not None:  # "Ana Brill" with "Ana" left out
            return SpacySpan(doc, start, ent.end, label="PERSON")
        return ent

    @staticmethod
    def clean_name(span: SpacySpan) -> SpacySpan:
        """A name without honorifics, possessive endings and edge punctuation."""
        a, b = span.start, span.end
        doc = span.doc
        while a < b and (doc[a].lower_ in HONORIFICS or doc[a].is_punct or doc[a].lower_ == "the"):
            a += 1
        while b > a and (doc[b - 1].is_punct or doc[b - 1].lower_ in ("'s", "’s") or doc[b - 1].is_space):
            b -= 1
        return doc[a:b] if b > a else span

    def name_entity(self, ent: SpacySpan) -> _Speaker:
        name = self.clean_name(ent)
        key = self.key_of(ent)
        if key.startswith("person:"):
            spk = self.speaker(key, name.text, "person")
            if len(name.text) > len(spk.name):
                spk.name = name.text
        else:
            kind = "outlet" if OUTLET_WORDS.search(name.text) else "organization"
            spk = self.speaker(key, name.text, kind)
        # a name has a proper noun: "Crews will repair ..." tagged ORG is a common noun at a sentence start
        spk.named = spk.named or any(t.pos_ == "PROPN" for t in name)
        spk.mentions.add((name.start_char, name.end_char))
        self.roles_around(name, spk)
        self.mark(name.start_char, spk.key, False)
        if spk.kind == "person" and len(name) > 1 and spk.gender is None:
            spk.gender = gender_of(name[0].text)
        spk.gender = self.addressed_as(ent) or spk.gender
        return spk

    def mark(self, at: int, key: str, was_source: bool) -> None:
        """Put a mention of speaker ``key`` at ``at`` on the timeline (and on the titles it holds)."""
        bisect.insort(self.timeline, (at, key, was_source))
        spk = self.speakers[key]
        for title, marks in self.titled_marks.items():
            if _holds_title(spk, title):
                bisect.insort(marks, (at, key))

    def before(self, pos: int) -> int:
        """How many timeline entries lie before the character offset ``pos``."""
        return bisect.bisect_left(self.timeline, (pos,))

    def speaker(self, key: str, name: str, kind: str) -> _Speaker:
        if key not in self.speakers:
            self.speakers[key] = _Speaker(key, name, kind)
        return self.speakers[key]

    def roles_around(self, name: SpacySpan, spk: _Speaker) -> None:
        """'Russian President Vladimir Putin', 'Morton Klein, president of ...': keep the role words."""
        doc = self.doc
        head = name.root
        start = head.left_edge.i
        role_toks = [
            t for t in doc[start : name.start]
            if not (t.dep_ in ("det", "poss", "case", "punct") or t.is_space or t.lower_ in HONORIFICS)
        ]
        # a role names an office or a function: "Russian President", not "Republican" or "10:30 EDT"
        if role_toks and len(role_toks) <= 6 and any(t.lemma_.lower().rstrip(".") in TITLES for t in role_toks):
            if not any(t.pos_ in ("VERB", "AUX", "ADP", "NUM") and t.lower_ != "of" for t in role_toks):
                spk.add_role(doc[role_toks[0].i : role_toks[-1].i + 1].text)
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i:
                a, b = child.left_edge.i, child.right_edge.i + 1
                while a < b and (doc[a].is_punct or doc[a].dep_ == "det"):
                    a += 1
                while b > a and doc[b - 1].is_punct:
                    b -= 1
                appos = doc[a:b]
                if 0 < len(appos) <= 10 and not any(t.ent_type_ == "PERSON" for t in appos) and any(
                        t.lemma_.lower().rstrip(".") in TITLES for t in appos):
                    spk.add_role(appos.text)

    # ---------------------------------------------------------------- sources
    def source_speaker(self, f: Found) -> tuple[_Speaker | None, Span | None]:
        s0, s1 = f.source[0][0], f.source[-1][1]
        span = self.doc.char_span(s0, s1, alignment_mode="expand")
        if span is None:
            return None, None
        head = self.doc[f.source_head] if f.source_head is not None else span.root
        if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
            head = head.head.head  # "Donald Trump, who has said": the noun the clause describes
            span = self.doc[head.left_edge.i : head.i + 1]
        # the name that is the source's head, or that a role noun heads ("spokesman John Doe")
        ent = self.ent_at.get(head.i)
        if ent is None and head.lemma_.lower() in PERSON_HEADS:
            ent = next((e for e in self.ents_under.get(head.i, ()) if e.label_ == "PERSON" and e.start >= span.start),
                       None)
        if ent is None and head.lemma_.lower() in OUTLET_HEADS:  # "the TASS news agency" is TASS
            ent = next((e for e in self.ents_under.get(head.i, ()) if e.label_ == "ORG" and e.start >= span.start),
                       None)
        if ent is None and span.text.isupper() and span[-1].lower_ in self.full_names:
            # a transcript's label in capitals ("PENCE:"): the person of that surname named before it
            key = self.surname_key(span[-1].lower_, span.start_char)
            if key in self.speakers:
                return self.speakers[key], (s0, s1)
        if ent is not None:
            if ent.label_ in ("PERSON", "ORG"):
                name = self.clean_name(ent)
                return self.speakers[self.recent_speaker_key(ent) or self.key_of(ent)], (name.start_char, name.end_char)
            kind = "group" if ent.label_ == "NORP" else "organization"
            spk = self.speaker(f"{kind}:{ent.text.lower()}", ent.text, kind)
            spk.named = True
            return spk, (ent.start_char, ent.end_char)
        if head.lower_ in PRONOUNS and len(span) == 1:
            spk = self.antecedent(head)
            return spk, (head.idx, head.idx + len(head.text)) if spk else None
        return self.described(span, head), (s0, s1)

    def recent_speaker_key(self, ent: SpacySpan) -> str | None:
        """For a bare surname shared by several full names ("Clinton"), the one last quoted before it."""
        name = self.clean_name(ent)
        keys = self.full_name_keys.get(name[0].lower_) if len(name) == 1 else None
        if not keys or len(keys) < 2:
            return None
        gender = self.addressed_as(ent)
        for n in range(self.before(ent.start_char) - 1, -1, -1):
            _, key, was_source = self.timeline[n]
            if was_source and key in keys and _may_be(key.split(":", 1)[1], gender):
                return key
        return None

    def key_of(self, ent: SpacySpan) -> str:
        """The speaker key of a name: full names stand for themselves, surnames for the full name."""
        name = self.clean_name(ent)
        if len(name) > 1 and ent.label_ == "PERSON":
            return "person:" + name.text.lower()
        if len(name) == 1 and name[0].lower_ in self.full_names:
            return self.surname_key(name[0].lower_, ent.start_char, self.addressed_as(ent))
        if ent.label_ == "PERSON":
            return "person:" + name.text.lower()
        return "org:" + name.text.lower()

    def surname_key(self, surname: str, at: int, gender: str | None = None) -> str:
        """The speaker key of a bare surname at character ``at``: the last full name with that surname named
        before it (the first one named, when none is before it). With the ``gender`` of a form of address
        ("Mr. Clinton"), only full names whose given name does not say otherwise: with none ("Mr. Obama"
        where only Michelle Obama is named), the surname is a person of its own."""
        known = self.full_names[surname]
        if gender is not None:
            known = [(s, n) for s, n in known if _may_be(n, gender)]
            if not known:
                return "person:" + surname
        before = bisect.bisect_left(known, (at,))
        return "person:" + known[before - 1 if before else 0][1]

    def addressed_as(self, ent: SpacySpan) -> str | None:
        """'m' or 'f' when a name comes with a gendered form of address ("Mr. Obama", "Mrs. Clinton")."""
        for tok in self.doc[max(ent.start - 1, 0): ent.end]:
            if tok.lower_ in MALE_TITLES:
                return "m"
            if tok.lower_ in FEMALE_TITLES:
                return "f"
        return None

    def antecedent(self, pron: Token) -> _Speaker | None:
        gender = PRONOUNS[pron.lower_]
        if gender in ("s", "n"):
            return None
        pos = pron.idx
        best = None
        for n in range(self.before(pos) - 1, -1, -1):
            at, key, was_source = self.timeline[n]
            if pos - at > 1500:
                break
            spk = self.speakers[key]
            if gender in ("m", "f"):
                if spk.kind != "person" or (spk.gender and spk.gender != gender):
                    continue
            elif spk.kind == "person":
                continue  # "they" says something about a group, not one person
            if was_source or best is None:
                best = spk
                if was_source or pos - at < 300:
                    break
        if best is not None and gender in ("m", "f") and best.gender is None:
            best.gender = gender
        return best

    def titled(self, title: str, pos: int) -> _Speaker | None:
        """'the former president': the person last mentioned before ``pos`` whose roles hold that title."""
        marks = self.titled_marks.get(title)
        if marks is None:  # roles are all known by now (they come with names): later marks keep this up to date
            marks = self.titled_marks[title] = [(at, key) for at, key, _ in self.timeline
                                                if _holds_title(self.speakers[key], title)]
        n = bisect.bisect_left(marks, (pos,))
        return self.speakers[marks[n - 1][1]] if n else None

    def described(self, span: SpacySpan, head: Token) -> _Speaker:
        """A speaker known only by a description: 'a senior official', 'the Clinton campaign'."""
        words = [t for t in span if not (t.dep_ in ("det", "preconj") or t.is_punct or t.is_space)]
        text = span.doc[words[0].i : words[-1].i + 1].text if words else span.text
        lemma = head.lemma_.lower()
        if span[0].lower_ == "the" and lemma in TITLES:
            known = self.titled(lemma, span.start_char)
            if known is not None:
                return known
        if OUTLET_WORDS.search(text):
            kind = "outlet"
        elif lemma in ORG_HEADS or head.ent_type_ in ("ORG", "GPE"):
            kind = "organization"
        elif head.tag_ in ("NNS", "NNPS") or head.ent_type_ == "NORP":
            kind = "group"
        elif lemma in PERSON_HEADS or head.ent_type_ == "PERSON":
            kind = "person"
        elif len(words) == 1 and head.pos_ == "PROPN" and head.is_title:
            kind = "person"  # a lone capitalised name said something: a surname the tagger did not know
        else:
            kind = "unknown"
        return self.speaker(f"{kind}:{text.lower()}", text, kind)

    def run(self, found: list[Found]) -> tuple[list[Attribution], list[Entity]]:
        order = sorted(range(len(found)), key=lambda i: found[i].source[0][0] if found[i].source else found[i].start)
        by_index: dict[int, _Speaker | None] = {}
        for i in order:
            f = found[i]
            spk = None
            if f.source:
                spk, mention = self.source_speaker(f)
                if spk is not None and mention is not None:
                    spk.mentions.add(mention)
                    self.mark(mention[0], spk.key, True)
            by_index[i] = spk
        links = [by_index[i] for i in range(len(found))]
        used = {s.key for s in links if s is not None}
        entities: list[Entity] = []
        ids: dict[str, str] = {}
        for spk in sorted((s for s in self.speakers.values() if s.key in used), key=lambda s: min(s.mentions)):
            ids[spk.key] = f"e{len(entities) + 1}"
            entities.append(Entity(ids[spk.key], spk.name, spk.kind, spk.roles, sorted(_disjoint(spk.mentions))))
        attributions = []
        for n, (f, spk) in enumerate(zip(found, links), 1):
            own = ids[spk.key] if spk is not None else None
            via: list[str] = []
            for j in f.outer:
                outer = links[j]
                if outer is not None and ids[outer.key] != own and ids[outer.key] not in via:
                    via.append(ids[outer.key])
            attributions.append(Attribution(
                id=f"a{n}", kind=f.kind, cue=f.cue, content=f.content, source=f.source,
                entity=own, via=via, confidence=f.confidence, about=self.about(f.content, ids),
            ))
        return attributions, entities

    def about(self, content: list[Span], ids: dict[str, str]) -> list[Subject]:
        """Whom a content names: each named speaker with a mention inside it, in the order of their first
        mention there; ``ids`` are the entity ids of those who speak in the article."""
        if self.named_marks is None:
            self.named_marks = sorted((s, e, spk.key) for spk in self.speakers.values() if spk.named
                                      for s, e in _disjoint(spk.mentions))
        found: dict[str, list[Span]] = {}
        for start, end in content:
            for s, e, key in self.named_marks[bisect.bisect_left(self.named_marks, (start,)):]:
                if s >= end:
                    break
                if e <= end:
                    found.setdefault(key, []).append((s, e))
        return [Subject(self.speakers[key].name, self.speakers[key].kind, mentions, ids.get(key))
                for key, mentions in sorted(found.items(), key=lambda item: item[1][0])]


def _may_be(full_name: str, gender: str | None) -> bool:
    """Whether a full name may be someone addressed with ``gender`` (its given name does not say otherwise)."""
    return gender is None or gender_of(full_name.split()[0]) in (gender, None)


def _holds_title(spk: _Speaker, title: str) -> bool:
    return spk.kind == "person" and any(title in r.lower().split() for r in spk.roles)


def _disjoint(spans: set[Span]) -> list[Span]:
    """Mentions without overlaps: of two overlapping mentions, the longer stays."""
    out: list[Span] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def resolve(doc: Doc, found: list[Found]) -> tuple[list[Attribution], list[Entity]]:
    """Attributions with their speaker entities and intermediaries, and the entities themselves."""
    return _Resolver(doc).run(found)
