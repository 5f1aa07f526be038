"""Negation scope on the dependency parse: only negations on the path to the proposition's words count."""

import pytest

from sayso.claims.negation import is_clause, is_statement, opposite, own_negations, parse, polarity, terms

LABEL = "Russia is trying to influence the election"


@pytest.mark.parametrize("content, label, expected", [
    ("we have no intention of influencing the election", LABEL, -1),
    ("Russia Is Not Trying To Influence The Election", LABEL, -1),
    # a negation in a relative or coordinated clause leaves the main statement standing
    ("Clinton's email use, which an FBI investigation said was extremely careless but did not warrant "
     "criminal charges", "Clinton had been extremely careless in her handling of classified material", 1),
    ("that Trump had defrauded more than 5,000 individuals through Trump University, which was never licensed",
     "Trump University defrauded its students", 1),
    ("that the Clinton campaign is violating federal election law through its fundraising agreement with "
     "the DNC, saying the Sanders campaign chose not to accept the same help",
     "The Clinton campaign is violating federal election law", 1),
    # negative subjects and objects, negating predicates
    ("that while Clinton was careless, no reasonable prosecutor would bring charges against her",
     "Clinton should face criminal charges", -1),
    ("he has sacrificed nothing for the country", "he had sacrificed for his country", -1),
    ("he lacks the temperament to be president", "Trump has the temperament to be president", -1),
    ("her refusal to release transcripts of paid speeches", "she will release transcripts of her speeches", -1),
    ("he never obtained access to Clinton's email account", "Clinton's email account was hacked", -1),
    # fixed phrases that affirm
    ("there's no question that the evidence points that way", "the evidence points that way", 1),
    ("Curiel has been nothing but fair in this case", "Curiel is fair", 1),
    ("a lot will depend on whether or not Israel wants to make the deal", "Israel wants to make the deal", 1),
    ("it does sound as if a compromise of the email is more likely than not", "the email was compromised", 1),
    # a word that says the opposite of the label's turns polarity around; two opposites cancel
    ("that Hillary Clinton is unqualified", "Hillary Clinton is qualified to be president", -1),
    ("that Clinton's use of a private email server should disqualify her from becoming president",
     "Hillary Clinton is qualified to be president", -1),
    ("that Mr. Sanders was qualified to be president", "Mr. Sanders is unqualified", -1),
    ("that Mr. Sanders was qualified to be president", "Mr. Sanders is qualified", 1),
    ("Sanders is not unqualified", "Sanders is qualified", 1),
])
def test_polarity_in_scope(content, label, expected):
    (doc,) = parse([content])
    assert polarity(doc[:], terms(label)) == expected


def test_terms_meet_across_inflections():
    assert terms("influencing the elections") == terms("influence the election") == {"influenc", "election"}


def test_statements_and_clauses():
    noun_phrase, clause, tail = parse(["transcripts of her paid speeches", "Obama was born outside the country",
                                       "him for saying he had sacrificed"])
    assert not is_clause(noun_phrase[:]) and not is_statement(noun_phrase[:])
    assert is_clause(clause[:]) and is_statement(clause[:])
    assert not is_statement(tail[:])
    assert not is_statement(None)


@pytest.mark.parametrize("word, label, expected", [
    ("unqualified", "Sanders is qualified to be president", True),
    ("disqualify", "Clinton is qualified to be president", True),  # "qualify" and "qualified" meet
    ("qualified", "Sanders is unqualified", True),
    ("unqualified", "Clinton has the qualifications to be president", True),  # the noun of the verb
    ("disqualifying", "Clinton has the qualifications to be president", True),
    ("unclassified", "the classification of the emails", True),
    ("qualified", "Clinton has the qualifications to be president", False),
    ("dishonest", "those who know me know I am an honest person", True),
    ("innocent", "he is guilty of fraud", True),
    ("qualified", "Sanders is qualified", False),
    ("inform", "the form is ready", False),  # a short stem after "in" is no opposite
    ("form", "they inform the voters", False),
    ("president", "Sanders is qualified to be president", False),
    ("cut", "the state would keep every dollar promised", True),  # a plain antonym of three letters
    ("win", "she will lose the primary", True),
    ("cut", "the state would cut the budget", False),
    ("cat", "the state would keep every dollar promised", False),
])
def test_opposite_words(word, label, expected):
    assert opposite(word, terms(label)) is expected


def test_a_latin_prefix_negates_adjectives_only():
    assert opposite("illegal", terms("the fundraising is legal"), "ADJ")
    assert not opposite("impressed", terms("he told the press"), "VERB")
    assert polarity(parse(["that she impressed the press corps"])[0][:], terms("she pressed the case")) == 1


def test_a_negating_predicate_that_is_also_the_opposite_negates_once():
    doc = parse(["she is unqualified"])[0]
    node = [t for t in doc if t.text == "unqualified"][0]
    assert own_negations(node, None, is_anchor=False, label_terms=terms("she is qualified")) == 1
    assert own_negations(node, None, is_anchor=False, label_terms=terms("she can win")) == 1  # negating alone
