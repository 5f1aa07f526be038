"""Stance rules: cue class, negation, polarity against the label, dismissal, passing on."""

import pytest

from sayso.claims.stance import cue_class, negated, stance, without_negation

LABEL = "Russia is trying to influence the U.S. election"


@pytest.mark.parametrize("cue, cls", [
    ("said", "speech"), ("told reporters", "speech"), ("denied", "deny"), ("strongly denied", "deny"),
    ("shrugged off", "deny"), ("dismissed", "deny"), ("rejected", "deny"), ("doubts", "doubt"),
    ("questioned", "doubt"), ("has accused", "assert"), ("according to", "report"), ("reported", "report"),
    ("believes", "belief"), ("walked", None),
])
def test_cue_class(cue, cls):
    assert cue_class(cue) == cls


@pytest.mark.parametrize("text, neg", [
    ("we have no intention of influencing the election", True),
    ("Russia Is Not Trying To Influence The Election", True),
    ("I don't think that is true", True),
    ("there's no question that the evidence points that way", False),
    ("it is not only wrong but dangerous", False),
    ("nobody ever said it was not so", False),
    ("Russia is trying to influence the election", False),
])
def test_polarity(text, neg):
    assert negated(text) is neg


def test_without_negation_keeps_the_proposition():
    assert without_negation("Russia is not trying to influence it") == "Russia is trying to influence it"
    assert without_negation("we don't want it") == "we do want it"


@pytest.mark.parametrize("content, cue, expected", [
    ("Russia of trying to influence the 2016 U.S. presidential election", "have accused", "asserts"),
    ("we have no intention of influencing the election campaign in the U.S.", "told reporters", "denies"),
    ("Russia Is Not Trying To Influence The Election", "Says", "denies"),
    ("the accusations", "shrugged off", "denies"),
    ("any role in the election", "denied", "denies"),
    ("Russia's involvement", "doubts", "doubts"),
    ("that he doubts Russia's involvement", "has said", "doubts"),
    ("whether Russia is behind it", "questioned", "doubts"),
    ("the claims that Russia is trying to influence the election are a hoax", "said", "denies"),
    ("Russia is trying to influence the election", "does not believe", "denies"),
    ("Russia of trying to influence the election", "has not publicly accused", "neutral"),
])
def test_stance_rules(content, cue, expected):
    assert stance(content, cue, LABEL) == expected


def test_a_negated_label_turns_polarity_around():
    label = "Russia is not trying to influence the election"
    assert stance("we have no intention of influencing the election", "said", label) == "asserts"
    assert stance("Russia is trying to influence the election", "said", label) == "denies"


def test_passing_on_is_neutral_unless_it_dismisses():
    reported = "that Putin told reporters he had no intention of influencing the election"
    assert stance(reported, "reported", LABEL, passes_on=True) == "neutral"
    dismissed = "the accusations that Russia is trying to interfere were a well-oiled system of distracting voters"
    assert stance(dismissed, "said", LABEL, passes_on=True) == "denies"


def test_criticising_someone_for_a_claim_takes_the_other_side():
    label = "Ted Cruz is a natural-born citizen, eligible to be president"
    assert stance("Trump for raising questions about whether he met the Constitution's natural born standard",
                  "chided", label) == "asserts"
    assert stance("Mr. Trump for suggesting that Cruz is not a natural-born citizen", "rebuked", label) == "asserts"
    assert stance("Trump for saying that Cruz is a natural-born citizen", "criticized", label) == "denies"


def test_a_question_why_insinuates_rather_than_doubts():
    label = "Ghazala Khan was not permitted to speak at the convention"
    assert stance("why Mr. Khan's wife was not permitted to speak at the convention", "questioned", label) == "asserts"
    assert stance("whether Mr. Khan's wife was not permitted to speak", "questioned", label) == "doubts"


def test_a_negated_cue_with_a_negated_content_asserts():
    label = "Russian military personnel fought in eastern Ukraine"
    assert stance("there were no Russian military personnel in eastern Ukraine", "never said", label) == "asserts"
    assert stance("Russian military personnel fought in eastern Ukraine", "never said", label) == "neutral"


def test_negation_off_the_path_does_not_flip():
    label = "Trump University defrauded its students"
    content = "that Trump University had defrauded its students, who were never told the truth"
    assert stance(content, "alleged", label) == "asserts"


def test_rejecting_an_objection_upholds_what_it_objects_to():
    label = "Ted Cruz is a natural-born citizen, eligible to be president"
    content = "both objections, ruled Cruz eligible and ordered that his name be certified for the election"
    assert stance(content, "rejected", label) == "asserts"
    assert stance("the accusations", "rejected", label) == "denies"
    assert stance("the challenge to his eligibility", "dismissed", label) == "asserts"


@pytest.mark.parametrize("cue, expected", [("wanted to know", "neutral"), ("did not say", "neutral"),
                                           ("questioned", "doubts")])
def test_an_open_question_takes_no_side_unless_the_cue_doubts(cue, expected):
    content = "whether the Obama administration bears responsibility for underestimating the Islamic State"
    assert stance(content, cue, "Mr. Obama had underestimated the Islamic State") == expected


@pytest.mark.parametrize("content, label, expected", [
    ("that Clinton is unqualified", "Hillary Clinton is qualified to be president", "denies"),
    ("she is unfit to serve", "Hillary Clinton is qualified and fit to serve", "denies"),
    ("that Sanders was up to the job and qualified", "Sanders is unqualified to be president", "denies"),
    # calling an accusation wrong answers it
    ("Patricia Smith is absolutely wrong for saying Clinton lied to her about the attack",
     "Clinton lied to her about the attack", "denies"),
    ("that the AP report was misleading", "Clinton gave donors special access", "denies"),
    # not cutting is keeping, and cutting is not keeping
    ("State Will Not Cut Funding For Harbor Bridge", 'the state would "keep every dollar" promised for the bridge',
     "asserts"),
    ("that the state would cut funding for the bridge", 'the state would "keep every dollar" promised for the bridge',
     "denies"),
])
def test_antonymous_and_dismissive_predicates(content, label, expected):
    assert stance(content, "said", label) == expected


def test_leaving_it_open_doubts_and_owning_a_misstatement_denies():
    label = "Donald Trump will release his tax returns"
    assert stance("“Well, we’ll see,”", "said", label) == "doubts"
    assert stance("that remains to be seen", "said", label) == "doubts"
    label = "FBI Director James B. Comey had characterized as truthful all of her public statements"
    assert stance("that she had misspoken when she claimed that Comey had characterized as truthful all of her "
                  "public statements", "acknowledged", label) == "denies"
