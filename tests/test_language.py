"""Pages not in English are refused with the language named; English ones, short or quoting others, pass."""

import json

import pytest

import sayso
from commands import run
from sayso.errors import InputError
from sayso.ingest import read_text_or_html
from sayso.ingest.language import (ENGLISH_SHARE, MIN_CHARS, MIN_ENGLISH, common_english_share, declared_language,
                                   identify, language_problem, load_identifier, not_english)

# the same news, two sentences, in each language
NEWS = {
    "fr": ("Le président a déclaré mardi que le pays ne céderait pas dans le différend sur les droits de douane. "
           "Le gouvernement étudie toutes les options, a dit un porte-parole à Paris.", "French"),
    "de": ("Der Präsident sagte am Dienstag, dass das Land im Streit um die Zölle nicht nachgeben werde. Die "
           "Regierung prüfe alle Möglichkeiten, sagte ein Sprecher in Berlin.", "German"),
    "es": ("El presidente dijo el martes que el país no cederá en la disputa sobre los aranceles. El gobierno "
           "estudia todas las opciones, dijo un portavoz en Madrid.", "Spanish"),
    "ru": ("Президент заявил во вторник, что страна не уступит в споре о пошлинах. Правительство изучает все "
           "варианты, сказал представитель в Москве.", "Russian"),
    "zh": ("总统周二表示，该国不会在关税争端中让步。政府正在研究所有选项，一位发言人在北京说。反对派指责他淡化局势，"
           "并要求政府公布谈判的全部细节。总统周二表示，该国不会在关税争端中让步。政府正在研究所有选项，"
           "谈判将于下周在日内瓦继续进行。", "Chinese"),
}
ENGLISH = ("The president said on Tuesday that the country would not give way in the dispute over tariffs. The "
           "government is weighing every option, a spokesman said in Washington.")


@pytest.mark.parametrize("code", sorted(NEWS))
def test_news_in_another_language_is_named(code):
    text, name = NEWS[code]
    assert len(text) >= MIN_CHARS
    assert not_english(text) == (code, name)
    problem = language_problem(text)
    assert problem.startswith(f"not in English: the text reads as {name} ({code});")
    assert "\n" not in problem and "--any-language" in problem


@pytest.mark.parametrize("text", [
    ENGLISH,
    # a headline alone is too short to judge, whatever it reads as
    "Obama Administration To Expand Program To Allow Central Americans",
    "Le président ne cédera pas",
    # an English report that quotes Spanish at length, more Spanish than English
    'The senator, speaking to a crowd in Miami, switched to Spanish for much of her speech. "Estamos aquí para '
    'decirles que no vamos a abandonar a nuestras familias, que vamos a luchar por cada voto y por cada comunidad '
    'de este estado", dijo la senadora. "No nos vamos a rendir", añadió. She later told reporters that the '
    'campaign would go on.',
])
def test_english_short_or_quoting_another_language_passes(text):
    assert not_english(text) is None and language_problem(text) is None
    if len(text) >= MIN_CHARS:  # the model, asked, would not rule English out either
        assert identify(text)[1] >= MIN_ENGLISH


def test_english_is_told_by_its_common_words_without_the_model():
    assert common_english_share(ENGLISH) >= ENGLISH_SHARE
    assert all(common_english_share(text) < ENGLISH_SHARE for text, _ in NEWS.values())
    load_identifier.cache_clear()
    assert not_english(ENGLISH) is None
    assert load_identifier.cache_info().misses == 0  # never loaded
    assert not_english(NEWS["de"][0]) == ("de", "German")
    assert load_identifier.cache_info().misses == 1


def test_no_polnear_article_is_refused(polnear_dir):
    texts = sorted(polnear_dir.glob("*/text/*.txt"))
    assert len(texts) > 900
    refused = [p.name for p in texts if not_english(p.read_text(encoding="utf-8"))]
    assert refused == []


def test_reading_refuses_another_language_unless_asked():
    page = "Droits de douane\n\n" + NEWS["fr"][0]
    with pytest.raises(InputError) as caught:
        read_text_or_html(page, where="tarifs.txt")
    assert str(caught.value).startswith("tarifs.txt: not in English: the text reads as French (fr)")
    assert read_text_or_html(page, any_language=True).text == page
    with pytest.raises(InputError):
        sayso.extract(page.encode())
    assert sayso.extract(page, any_language=True).title == "Droits de douane"


def test_cli_names_the_page_and_reads_it_with_any_language(tmp_path, example_page):
    french = tmp_path / "tarifs.txt"
    french.write_text("Droits de douane\n\n« Nous ne céderons pas », a déclaré mardi le président. " + NEWS["fr"][0])
    out = run("extract", french, example_page)
    assert out.returncode == 2
    assert out.stderr.decode().strip() == (f"sayso: {french}: not in English: the text reads as French (fr); sayso "
                                           "reads English news (--any-language reads it anyway)")
    (line,) = out.stdout.decode().splitlines()
    assert json.loads(line)["record"] == str(example_page)

    out = run("extract", french, "--any-language")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["title"] == "Droits de douane"

    db = tmp_path / "corpus.sqlite"
    out = run("ingest", french, "--db", db)
    assert out.returncode == 2 and json.loads(out.stdout)["new"] == 0
    out = run("ingest", french, "--db", db, "--any-language")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["new"] == 1


def page(markup: str, title: str, body: str) -> str:
    """An HTML news page that declares its language with ``markup``: the html element's attributes
    ("lang=..."), or elements of its head."""
    attributes, head = (markup, "") if "lang=" in markup and not markup.startswith("<") else ("", markup)
    return (f"<!doctype html><html {attributes}><head>{head}<title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{body}</p></article></body></html>")


@pytest.mark.parametrize("markup, code", [
    ('lang="fr-FR"', "fr"), ("lang=es", "es"), ('lang="de" data-theme="x"', "de"),
    ('<meta http-equiv="Content-Language" content="it">', "it"),
    ('<meta content="pt_BR" property="og:locale">', "pt"),
    ('lang="und"', None), ('data-lang="fr"', None), ("", None),
])
def test_the_language_a_page_declares(markup, code):
    assert declared_language(page(markup, "Titre", "Texte.")) == code


def test_a_declared_language_decides_only_where_the_text_cannot():
    short = "Le président ne cédera pas, a dit un porte-parole."  # too short for the text alone to be judged
    assert len(short) < MIN_CHARS and language_problem(short) is None
    with pytest.raises(InputError) as caught:
        read_text_or_html(page('lang="fr"', "Douane", short), where="douane.html")
    assert str(caught.value) == ("douane.html: not in English: the page declares French (fr) and its text does not "
                                 "read as English; sayso reads English news (--any-language reads it anyway)")
    assert read_text_or_html(page('lang="fr"', "Douane", short), any_language=True).title == "Douane"
    assert read_text_or_html(page("", "Douane", short)).title == "Douane"  # declaring nothing, it is read
    # an English article on a site whose template declares French is read: its common words say English
    english = read_text_or_html(page('lang="fr"', "Tariffs", ENGLISH), where="tariffs.html")
    assert english.text.endswith("a spokesman said in Washington.")
    # a long text in the declared language: the model reads it as that language
    with pytest.raises(InputError, match="the page declares Spanish \\(es\\)"):
        read_text_or_html(page('<meta property="og:locale" content="es_ES">', "Aranceles", NEWS["es"][0]))
    # declaring English changes nothing: German text is still refused, by what it reads as
    with pytest.raises(InputError, match="the text reads as German \\(de\\)"):
        read_text_or_html(page('lang="en"', "Zölle", NEWS["de"][0]))
