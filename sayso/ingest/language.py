"""Which language an article is written in: sayso reads English news, and says so when a page is not.

A crawl or a dump of news holds pages in many languages. sayso's pipeline is English (its parser, its cue
words, its tagger), and on a page in another language it finds nonsense: a French sentence gives "toutes"
as a cue. So a page whose text reads as another language is refused with a one-line error naming the
language, as an empty page is, unless the caller asks for any language (``--any-language``).

The language is read with py3langid (a langid.py model of 140 languages, shipped in the wheel), on the first
:data:`SAMPLE_CHARS` characters of the clean text. The test is one-sided: a page is refused only when
English is ruled out (a normalised probability under :data:`MIN_ENGLISH`) on a text of at least
:data:`MIN_CHARS` characters. Plain French, German, Spanish, Italian, Dutch, Portuguese, Russian or Chinese
news of two sentences reads as English with a probability of about 1e-11 or less. PolNeAR's 924 train and dev
texts read as English with at least 0.93, and their first 100 characters (a headline and a dateline) with at
least 0.07; an English text that is six tenths a Spanish quotation, 0.0009. All of those pass.

An HTML page may also declare its language (``<html lang="fr">``, a ``content-language`` meta element, an
``og:locale``): :func:`declared_language` reads it. A declaration alone refuses nothing, as sites declare
their template's language whatever the article is written in; but where a page declares another language
than English and its text is not told English by its common words, the page is refused when its text is
too short to judge, or when the model finds the declared language first or rules English out.

The model costs about 90 MB of memory per process and a millisecond or two per page, so English pages are
told first, for nothing, by their most common words: where "the", "of", "and", "said" and the other words of
:data:`COMMON_ENGLISH` make :data:`ENGLISH_SHARE` or more of the words, the text is English and the model is
never loaded. In PolNeAR's train and dev texts they make at least 0.136 of the words (0.2 or more in all but
three); in two sentences of French, German or Spanish news, under 0.08. A text below the share is not refused
for that: it goes to the model, which decides.

>>> not_english("Der Präsident sagte am Dienstag, dass Deutschland in dem Streit um die Zölle nicht "
...             "nachgeben werde. Die Regierung prüfe alle Möglichkeiten, sagte ein Sprecher in Berlin.")
('de', 'German')
>>> not_english("The president said on Tuesday that the country would not give way in the dispute over "
...             "tariffs. The government was weighing every option, a spokesman said in Washington.") is None
True
"""

from __future__ import annotations

import re
from functools import cache

#: How much of a text is read to tell its language (the head of an article says it as well as the whole).
SAMPLE_CHARS = 5000
#: How the one-line problem of a page that is not English says what reads it anyway (the web says it its way).
ANYWAY = "--any-language reads it anyway"
#: Shortest text whose language is judged (a short headline is not judged).
MIN_CHARS = 100
#: A text is refused when the probability that it is English is below this (normalised over 140 languages).
MIN_ENGLISH = 1e-6

#: The most common words of English news: a text made of enough of them is English.
COMMON_ENGLISH = frozenset("""
    the of and to a in is that for on it with as was he she said his her be by at are this have from not but they
    has an or will would were we i you who which their had been its about there more one after
""".split())
#: Share of the words that must be common English words for a text to be English without asking the model.
ENGLISH_SHARE = 0.12
_WORD = re.compile(r"[^\W\d_]+")

#: Names of the languages most often met in news crawls; any other is named by its ISO 639 code alone.
NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay", "nb": "Norwegian",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovene", "sr": "Serbian", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}


@cache
def load_identifier():
    """py3langid's identifier with normalised probabilities, loaded once per process (about a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """The language a text most likely is (an ISO 639 code), and the probability that it is English."""
    ranked = load_identifier().rank(text[:SAMPLE_CHARS])
    return ranked[0][0], next((p for lang, p in ranked if lang == "en"), 0.0)


def common_english_share(text: str) -> float:
    """The share of a text's words (in its first SAMPLE_CHARS characters) that are common English words."""
    words = _WORD.findall(text[:SAMPLE_CHARS].lower())
    return sum(w in COMMON_ENGLISH for w in words) / len(words) if words else 0.0


def not_english(text: str, declared: str | None = None) -> tuple[str, str] | None:
    """``(code, name)`` of the language a text is written in when that is surely not English, else None.

    ``declared`` is the ISO 639 code a page declares itself in (:func:`declared_language`), if any: with one
    other than English, a text that its common words do not tell English is refused when it is too short to
    judge, or when the model finds the declared language first; the code is then the declared one.
    """
    other = declared if declared and declared != "en" else None
    if common_english_share(text) >= ENGLISH_SHARE:
        return None
    if len(text.strip()) < MIN_CHARS:
        return (other, NAMES.get(other, other)) if other else None
    top, english = identify(text)
    if other and top == other:
        return top, NAMES.get(top, top)
    if top == "en" or english >= MIN_ENGLISH:
        return None
    return top, NAMES.get(top, top)


def language_problem(text: str, declared: str | None = None) -> str | None:
    """The one-line problem of a text that is not in English (None when it is, or may be); ``declared`` as
    for :func:`not_english`."""
    found = not_english(text, declared)
    if found is None:
        return None
    code, name = found
    said = name if name == code else f"{name} ({code})"
    how = (f"the page declares {said} and its text does not read as English" if code == declared
           else f"the text reads as {said}")
    return f"not in English: {how}; sayso reads English news ({ANYWAY})"


#: Where an HTML page declares its language, in the order they are read: the root element's lang, a
#: content-language meta element, an Open Graph locale ("fr_FR").
_DECLARATIONS = (
    re.compile(r"<html\b[^>]*?(?<![\w-])(?:xml:)?lang\s*=\s*[\"']?\s*([A-Za-z]{2,3})(?![A-Za-z])", re.I),
    re.compile(r"<meta\b(?=[^>]*\bhttp-equiv\s*=\s*[\"']?content-language)[^>]*\bcontent\s*=\s*[\"']?\s*([A-Za-z]{2,3})"
               r"(?![A-Za-z])", re.I),
    re.compile(r"<meta\b(?=[^>]*\bproperty\s*=\s*[\"']?og:locale[\"'\s>])[^>]*\bcontent\s*=\s*[\"']?\s*"
               r"([A-Za-z]{2,3})(?![A-Za-z])", re.I),
)
#: Codes that name no one language: undetermined, several, none.
_NO_LANGUAGE = {"und", "mul", "zxx", "mis"}
#: How much of a page's markup is searched for its declaration (it is in the head).
DECLARATION_CHARS = 20_000


def declared_language(html: str) -> str | None:
    """The ISO 639 code (lower case, primary subtag only) that an HTML page declares it is written in, or
    None.

    >>> declared_language('<!doctype html><html class="js" lang="fr-FR"><head>'), declared_language("<p>x</p>")
    ('fr', None)
    """
    head = html[:DECLARATION_CHARS]
    for pattern in _DECLARATIONS:
        found = pattern.search(head)
        if found and (code := found.group(1).lower()) not in _NO_LANGUAGE:
            return code
    return None
