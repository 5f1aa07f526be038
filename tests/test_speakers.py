"""Who a source is: surnames joined to the full names of an article, and kept apart where the article's forms
of address say they are someone else."""

import pytest

from sayso.pipeline import extract


def speakers_of(text):
    """(source as written, speaker's name) of each attribution, in text order."""
    article = extract(text)
    return [(article.span_text(a.source), article.entity(a.entity).name if a.entity else None)
            for a in sorted(article.attributions, key=lambda a: a.source[0] if a.source else a.content)]


def test_a_surname_is_the_full_name_named_before_it():
    assert speakers_of('Harbor Talks\n\nSenator Maria Delgado visited the bridge on Monday. "We will keep it,"'
                       ' Delgado said.') == [("Delgado", "Maria Delgado")]


@pytest.mark.parametrize("text, expected", [
    # only Hillary Clinton is named: Mr. Clinton is someone else, whom the article never names in full
    ('Clinton Speaks\n\nHillary Clinton spoke on Monday. "We will win," Mrs. Clinton said. "She will win,"'
     ' Mr. Clinton said later.', [("Mrs. Clinton", "Hillary Clinton"), ("Mr. Clinton", "Clinton")]),
    # Bill Clinton is named after him: he is Bill Clinton, though Hillary Clinton spoke last
    ('Clinton Speaks\n\nHillary Clinton spoke on Monday. "We will win," Mrs. Clinton said. "She will win,"'
     ' Mr. Clinton said later. Bill Clinton said it again. "Yes," Mr. Clinton added.',
     [("Mrs. Clinton", "Hillary Clinton"), ("Mr. Clinton", "Bill Clinton"), ("Bill Clinton", "Bill Clinton"),
      ("Mr. Clinton", "Bill Clinton")]),
])
def test_a_form_of_address_keeps_a_surname_from_someone_of_the_other_gender(text, expected):
    assert speakers_of(text) == expected
