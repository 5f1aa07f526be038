import pytest

from sayso.errors import SpanError
from sayso.model import Article, Attribution, Entity, Subject


def article():
    text = 'Harlan Wins\n\n"We won," Harlan said.'
    return Article(
        text=text,
        title="Harlan Wins",
        entities=[Entity("e1", "Maria Harlan", "person", ["Senator"], [(23, 29)])],
        attributions=[Attribution("a1", "direct", cue=[(30, 34)], content=[(13, 22)], source=[(23, 29)], entity="e1",
                                  about=[Subject("We", "group", [(14, 16)])])],
    )


def test_json_texts_are_cut_from_the_article(validate):
    data = article().to_json()
    validate(data)
    att = data["attributions"][0]
    assert att["source"]["text"] == "Harlan"
    assert att["cue"]["text"] == "said"
    assert att["content"]["text"] == '"We won,"'


def test_round_trip():
    a = article()
    assert Article.from_json(a.to_json()) == a


def test_serialiser_refuses_out_of_bounds_spans():
    a = article()
    a.attributions[0].content = [(13, 999)]
    with pytest.raises(SpanError):
        a.to_json()


def test_serialiser_refuses_unknown_entity():
    a = article()
    a.attributions[0].entity = "e9"
    with pytest.raises(SpanError):
        a.to_json()


def test_reading_json_refuses_text_that_differs_from_spans():
    data = article().to_json()
    data["attributions"][0]["content"]["text"] = "We lost"
    with pytest.raises(SpanError):
        Article.from_json(data)


def test_discontinuous_spans_join_with_one_space():
    a = article()
    assert a.span_text([(0, 6), (7, 11)]) == "Harlan Wins"


def test_whom_a_content_is_about_is_cut_from_the_text_and_read_back(validate):
    data = article().to_json()
    validate(data)
    assert data["attributions"][0]["about"] == [{"name": "We", "kind": "group", "entity": None, "spans": [[14, 16]],
                                                 "text": "We"}]
    wrong = article().to_json()
    wrong["attributions"][0]["about"][0]["text"] = "They"
    with pytest.raises(SpanError, match="about 'We': text differs"):
        Article.from_json(wrong)
    old = article().to_json()
    del old["attributions"][0]["about"]  # written before `about` was: still read, with no one named
    assert Article.from_json(old).attributions[0].about == []


@pytest.mark.parametrize("subject, problem", [
    (Subject("Harlan", "person", [(23, 29)]), "outside the content"),  # the source, not the content
    (Subject("We", "group", []), "no mention"),
    (Subject("We", "group", [(14, 16)], entity="e9"), "unknown entity e9"),
])
def test_the_serialiser_refuses_a_subject_that_is_not_in_the_content(subject, problem):
    a = article()
    a.attributions[0].about = [subject]
    with pytest.raises(SpanError, match=problem):
        a.to_json()
