"""Layouts the rules read before the tagger: interview transcripts (each speaker's turn is one attribution)
and quotations signed with a dash and a name, in both modes."""

import pytest

import sayso
from sayso.attribution.transcripts import conflicts, turns
from sayso.nlp import load

QUOTED = (
    "Governor Says Bridge Is Safe\n\n"
    "Governor Ana Whitcombe spoke to Channel 4 on Sunday about the eastern span. Partial transcript as follows:\n\n"
    '"HOLT: Governor, the engineers say the eastern span cannot take another season of storms. Will you close it?\n\n'
    '"WHITCOMBE: No. The span is safe, and the inspectors told us so in March.\n\n'
    '"We will repair it next summer, as planned.\n\n'
    '"(CROSSTALK.)\n\n'
    '"HOLT: Thank you, Governor.\n\n'
    '"Follow Ed Holt on Twitter @edholt."'
)

PLAIN = (
    "Camp Declines Debate\n\n"
    "KATE BOLDUAN: Why not debate?\n\n"
    "JOEL BENENSON: Senator Sanders doesn't get to decide when we debate.\n\n"
    "The ads are too tough, huh? Share and comment below."
)


def _texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_a_quoted_transcript_turn_runs_over_its_paragraphs_up_to_a_stage_direction():
    found = turns(QUOTED, QUOTED.index("\n"))
    assert [QUOTED[s:e] for (s, e), _, _ in found] == ["HOLT", "WHITCOMBE", "HOLT"]
    assert all(QUOTED[s:e] == ":" for _, (s, e), _ in found)
    assert _texts(QUOTED, found[1][2]) == [
        "No. The span is safe, and the inspectors told us so in March.",
        "We will repair it next summer, as planned.",
    ]
    # the sign-off under the transcript is nobody's turn
    assert _texts(QUOTED, found[2][2]) == ["Thank you, Governor."]


def test_an_unquoted_transcript_turn_is_its_own_paragraph():
    found = turns(PLAIN)
    assert [PLAIN[s:e] for (s, e), _, _ in found] == ["KATE BOLDUAN", "JOEL BENENSON"]
    assert _texts(PLAIN, found[1][2]) == ["Senator Sanders doesn't get to decide when we debate."]


@pytest.mark.parametrize("text", [
    "Vote Today\n\nUPDATE: The count was delayed.\n\nUPDATE: The count resumed at noon.",  # section labels
    "Pence: Flowers Won't Be There\n\nPENCE: She will not attend the debate.",  # one turn, under a headline
    "Notes\n\nThe plan: build it.\n\nThe cost: high.",  # not labels in capitals
    "Notes\n\nSHORT READS:\n\nSTAT: 43 million.\n\nVIDEO: A clip.",  # a label with nothing after it, sections
])
def test_no_transcript_without_two_speakers_labels(text):
    assert turns(text, text.index("\n")) == []


def test_a_frame_across_turns_conflicts_and_one_inside_a_turn_does_not():
    found = turns(QUOTED, QUOTED.index("\n"))
    holt, whitcombe = found[0], found[1]
    (a, b), = holt[2]
    inside = [(a + 10, a + 20), (a + 25, a + 30)]
    assert not conflicts(inside, found)
    assert conflicts([(a + 10, a + 20), (whitcombe[2][0][0], whitcombe[2][0][0] + 5)], found)
    assert conflicts([holt[0]], found)  # the label itself
    assert not conflicts([(30, 40)], found)  # prose before the transcript


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_each_turn_is_a_direct_attribution_of_its_speaker(mode, validate):
    art = sayso.extract(QUOTED, mode=mode)
    validate(art.to_json())
    turns_found = [a for a in art.attributions if art.text[a.cue[0][0]:a.cue[0][1]] == ":"]
    assert [art.text[a.source[0][0]:a.source[0][1]] for a in turns_found] == ["HOLT", "WHITCOMBE", "HOLT"]
    assert all(a.kind == "direct" for a in turns_found)
    whitcombe = turns_found[1]
    assert " ".join(_texts(art.text, whitcombe.content)).endswith("We will repair it next summer, as planned.")
    # "WHITCOMBE" is the Ana Whitcombe the article names before the transcript
    assert art.entity(whitcombe.entity).name == "Ana Whitcombe"
    # nothing found by the tagger or the rules runs across two turns or takes a label
    for a in art.attributions:
        if a not in turns_found:
            assert not conflicts(a.source + a.cue + a.content, turns(art.text, art.text.index("\n")))


SIGNED = (
    "Voters Share Their Thoughts\n\n"
    "\u201dThe bridge must stay open. He represents our greatest shame.\u201d \u2015 Sonya Herridge\n"
    "\u201cHe is ignorant of our towns and lives.\u201d\u2015 Pamela Padilla\u00a0\n"
    "\u201cI\u2019d rather live in what he calls \u201chell\u201d than live where he is mayor.\u201d \u2015\u00a0Adriana Rodarte\n"
    "\u201cMaybe we can build a wall around the mayor.\u201d \u2015 Steve Quinlan.\n"
)


def test_a_dash_glued_to_a_quotation_mark_is_a_token_of_its_own():
    doc = load()("\u201cIt is over.\u201d\u2015 Pamela Padilla said \u201cno\u201d\u2014Jane Doe.")
    words = [t.text for t in doc]
    assert words[words.index("over"):words.index("Padilla") + 1] == ["over", ".", "\u201d", "\u2015", "Pamela", "Padilla"]
    assert "\u2014" in words and "Jane" in words
    # the same rule, added to a pipeline of one's own
    import spacy

    from sayso.nlp import PIPELINE, split_glued_dashes

    own = spacy.load(PIPELINE, disable=["parser", "ner", "tagger", "attribute_ruler", "lemmatizer"])
    assert "\u2015" not in [t.text for t in own("over.\u201d\u2015 Pamela")]
    split_glued_dashes(own)
    assert "\u2015" in [t.text for t in own("over.\u201d\u2015 Pamela")]


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_each_signed_quotation_is_its_signers_whole(mode, validate):
    art = sayso.extract(SIGNED, mode=mode)
    validate(art.to_json())
    signed = {art.text[a.source[0][0]:a.source[0][1]]: " ".join(_texts(art.text, a.content))
              for a in art.attributions if art.text[a.cue[0][0]:a.cue[0][1]] == "\u2015"}
    lines = SIGNED.split("\n")[2:6]
    assert signed == {
        "Sonya Herridge": lines[0][:lines[0].index(" \u2015")],
        "Pamela Padilla": lines[1][:lines[1].index("\u2015")],
        # the quotation marks around "hell" do not cut the signed quotation short
        "Adriana Rodarte": lines[2][:lines[2].index(" \u2015")],
        "Steve Quinlan": lines[3][:lines[3].index(" \u2015")],
    }
    assert all(a.kind == "direct" for a in art.attributions if art.text[a.cue[0][0]:a.cue[0][1]] == "\u2015")
