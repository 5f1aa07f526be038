import pytest

from sayso.errors import SpanError
from sayso.model import Article, Attribution, Entity


def article():
    text = 'Harlan Wins\n\n"We won," Harlan said.'
    return Article(
        text=text,
        title="Harlan Wins",
        entities=[Entity("e1", "Maria Harlan", "person", ["Senator"], [(23, 29)])],
        attributions=[Attribution("a1", "direct", cue=[(30, 34)], content=[(13, 22)], source=[(23, 29)], entity="e1")],
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
