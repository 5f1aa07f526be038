"""Speaker names across articles: the key that says two article entities are one corpus speaker.

Each article names its speakers its own way: "Putin", "Vladimir Putin", "President Vladimir Putin",
"Vladimir V. Putin". The article-level resolver already folds surnames and pronouns into the fullest name
it saw in that article; across articles the store merges by a key made here, with these rules:

1. Names are compared normalised: accents, case, periods, possessive endings, leading "the"/"a" and
   honorifics ("Mr.") removed; a person's leading titles ("President", "Sen.") are roles, not the name.
2. A person's middle initials are set aside ("Donald J. Trump" is "donald trump" with initial "j"); a name
   with other initials than the speaker already has stays apart ("George H. W. Bush" vs "George W. Bush").
3. People, organisations (outlets included: "TASS" the agency is "TASS" the outlet), groups and
   unidentified sources are keyed apart, so a person never merges with an organisation of the same name;
   a name of unknown kind joins the one person or organisation of that name, when there is exactly one.
   A name followed by an apposition ("Harlan Pruitt, the chairman") is the name, the rest a role.
4. A bare surname ("Putin") joins the one full name with that surname in the corpus; with none or several,
   it stays a speaker of its own (see ``sayso.store.writer`` for when it is folded in later).

>>> k = name_key("Russian President Vladimir V. Putin's", "person")
>>> k.key, k.name, k.surname, k.initials, k.titles
('person:vladimir putin', 'Vladimir V. Putin', 'putin', 'v', ['Russian President'])
>>> name_key("the TASS news agency", "outlet").key
'org:tass news agency'
>>> name_key("a senior official", "person").named
False
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: Words that come before a personal name and are a form of address, dropped from the name.
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "madam", "lord", "lady"}

#: Words that come before a personal name and are a role: dropped from the name, kept as a role.
TITLES = {
    "president", "vice", "former", "senator", "sen", "representative", "rep", "congressman",
    "congresswoman", "governor", "gov", "mayor", "secretary", "minister", "prime", "chancellor",
    "premier", "judge", "justice", "chief", "general", "gen", "lt", "col", "sgt", "capt", "adm", "maj",
    "attorney", "ambassador", "speaker", "leader", "professor", "prof", "rev", "reverend", "pope",
    "king", "queen", "prince", "princess", "sheikh", "ayatollah", "candidate", "nominee", "russian",
    "american", "us", "democratic", "republican", "gop", "state", "foreign", "defense",
}

#: Ends of a personal name that tell apart two people ("Donald Trump Jr.").
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}

#: Small words that stay lower case inside a proper name ("Bank of America", "Ludwig van Beethoven").
PARTICLES = {"of", "the", "and", "for", "de", "la", "le", "van", "von", "der", "den", "da", "di", "du",
             "al", "bin", "el", "y", "&", "on", "in", "at"}

_ARTICLES = {"the", "a", "an"}
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)

#: The merge classes of the entity kinds of sayso.article/1.
CLASS_OF_KIND = {"person": "person", "organization": "org", "outlet": "org", "group": "group",
                 "unknown": "unknown"}


@dataclass
class NameKey:
    """How one article entity's name is matched against the corpus speakers."""

    key: str                         # class:normalised name
    name: str                        # the name as written, less articles, honorifics, titles and "'s"
    words: list[str]                 # the normalised words of the key
    surname: str | None = None       # last word of a full personal name
    initials: str | None = None      # middle initials, space-separated
    named: bool = True               # a proper name rather than a description
    titles: list[str] = field(default_factory=list)  # leading titles, as written

    @property
    def bare_surname(self) -> bool:
        """True for a personal name of one word ("Putin"), which may join a full name."""
        return self.key.startswith("person:") and self.named and len(self.words) == 1


def fold(text: str) -> str:
    """Lower case, accents removed, curly quotes straightened: the form names are compared in."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _bare(token: str) -> str:
    return fold(token).replace(".", "").strip(",;:'\"()")


def is_proper_name(name: str) -> bool:
    """True when every word of the name but small particles starts with a capital ('Bank of America')."""
    words = [w for w in _WORD.findall(name) if w.lower() not in PARTICLES]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


def name_key(name: str, kind: str) -> NameKey:
    """The merge key of an article entity named ``name`` of ``kind`` (an ENTITY_KINDS value)."""
    cls = CLASS_OF_KIND.get(kind, "unknown")
    tokens = name.replace("’", "'").split()
    if tokens:
        tokens[-1] = re.sub(r"'s?$", "", tokens[-1]) or tokens[-1]
    while len(tokens) > 1 and _bare(tokens[0]) in _ARTICLES | HONORIFICS:
        tokens.pop(0)
    named = is_proper_name(" ".join(tokens))
    titles: list[str] = []
    head, _, rest = " ".join(tokens).partition(", ")
    if rest and cls in ("person", "unknown") and is_proper_name(head) and not is_proper_name(rest):
        # "Harlan Pruitt, the chairman of the commission": a name and its apposition
        tokens, named = head.split(), True
        titles_after = [re.sub(r"^(the|a|an)\s+", "", rest.strip(" ,."), flags=re.I)]
    else:
        titles_after = []
    if cls == "person" and named:
        # "Russian President Vladimir Putin": title words go while a name is left after them
        while len(tokens) > 1 and _bare(tokens[0]) in TITLES | HONORIFICS:
            titles.append(tokens.pop(0))
    shown = " ".join(tokens) or name.strip()
    # periods go before splitting words, so that "U.S." is one word and "J." an initial
    words = [fold(w) for w in _WORD.findall(shown.replace(".", ""))]
    initials: list[str] = []
    surname = None
    if cls == "person" and named and len(words) > 1:
        if len(words) > 2:
            initials = [w for w in words[1:-1] if len(w) == 1]
            words = [words[0], *[w for w in words[1:-1] if len(w) != 1], words[-1]]
        surname = words[-2] if words[-1] in SUFFIXES and len(words) > 2 else words[-1]
    return NameKey(
        key=f"{cls}:{' '.join(words) or fold(shown)}",
        name=shown,
        words=words,
        surname=surname,
        initials=" ".join(initials) or None,
        named=named,
        titles=([" ".join(titles)] if titles else []) + titles_after,
    )


def alias_key(text: str) -> str:
    """A name or alias as looked up from a search box: folded words, leading article dropped.

    >>> alias_key("The  Kremlin's")
    'kremlin'
    """
    words = [fold(w) for w in _WORD.findall(text.replace("’", "'").replace(".", ""))]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)
