"""Accurate mode: the shipped tagger loads offline, decodes legally, beats the rules, emits verbatim spans."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from sayso.attribution.tagger import (
    FEATURES, MEMBERS, MODEL_DIR, Calibration, Segment, group, marginals, rule_roles, segments, to_found, token_strings,
    viterbi,
)
from sayso.network import LABELS, allowed_starts, allowed_transitions
from sayso.attribution.rules import find_attributions
from sayso.evaluate.metrics import score
from sayso.evaluate.polnear import load_split
from sayso.evaluate.run import as_prediction
from sayso.model import Article
from sayso.pipeline import annotate_many

#: A fixed handful of dev articles, spread over the publishers (names sort by publisher).
SUBSET = slice(3, 84, 10)


@pytest.fixture(scope="module")
def nlp():
    from sayso.nlp import load

    return load("fast")


def test_transitions_forbid_inside_without_begin():
    allowed = allowed_transitions()
    o, b_cue, i_cue, i_src = (LABELS.index(x) for x in ("O", "B-CUE", "I-CUE", "I-SOURCE"))
    assert not allowed[o, i_cue] and allowed[b_cue, i_cue] and allowed[i_cue, i_cue]
    assert not allowed[b_cue, i_src]
    assert not allowed_starts()[i_cue] and allowed_starts()[o]


def test_viterbi_follows_the_constraints_and_marginals_sum_to_one():
    rng = np.random.default_rng(0)
    trans = np.where(allowed_transitions(), rng.normal(size=(7, 7)), -1e4)
    start = np.where(allowed_starts(), 0.0, -1e4)
    end = np.zeros(7)
    allowed = allowed_transitions()
    for _ in range(20):
        scores = rng.normal(scale=3.0, size=(30, 7))
        tags = viterbi(scores, trans, start, end)
        assert allowed_starts()[tags[0]]
        assert all(allowed[a, b] for a, b in zip(tags, tags[1:]))
        probs = marginals(scores, trans, start, end)
        assert np.allclose(probs.sum(1), 1.0)
        # the best path's own tags are never impossible under the marginals
        assert all(probs[t, k] > 0 for t, k in enumerate(tags))


def test_runs_and_nearest_cue_grouping(nlp):
    doc = nlp.make_doc('"We won," Harlan said. Later, Brandt told reporters he would appeal.')
    doc = nlp(doc.text)
    words = [t.text for t in doc]
    tags = ["O"] * len(doc)

    def mark(first: str, last: str, role: str, nth: int = 0) -> None:
        a = [i for i, w in enumerate(words) if w == first][nth]
        b = [i for i, w in enumerate(words) if w == last and i >= a][0]
        tags[a] = "B-" + role
        for i in range(a + 1, b + 1):
            tags[i] = "I-" + role

    mark("We", "won", "CONTENT")
    mark("Harlan", "Harlan", "SOURCE")
    mark("said", "said", "CUE")
    mark("Brandt", "Brandt", "SOURCE")
    mark("told", "reporters", "CUE")
    mark("he", "appeal", "CONTENT")
    runs = segments(doc, [LABELS.index(t) for t in tags])
    assert [(r.role, doc[r.start : r.end].text) for r in runs] == [
        ("content", "We won"), ("source", "Harlan"), ("cue", "said"), ("source", "Brandt"),
        ("cue", "told reporters"), ("content", "he would appeal"),
    ]
    groups = group(doc, runs)
    assert [(doc[c.start : c.end].text, [doc[s.start : s.end].text for s in src],
             [doc[s.start : s.end].text for s in con]) for c, src, con in groups] == [
        ("said", ["Harlan"], ["We won"]), ("told reporters", ["Brandt"], ["he would appeal"]),
    ]


def _runner(doc):
    """``run(role, first, last)``: the run of ``doc`` from the word ``first`` to the next word ``last``."""
    words = [t.text for t in doc]

    def run(role: str, first: str, last: str) -> Segment:
        a = words.index(first)
        return Segment(role, a, words.index(last, a) + 1)

    return words, run


def test_a_run_joins_a_cue_of_its_own_sentence_before_a_nearer_one(nlp):
    doc = nlp('His office denied the report. "He never lied," spokeswoman Ana Maria Brill said in a statement.')
    words, run = _runner(doc)
    quote = Segment("content", words.index("report") + 2, words.index(",") + 2)
    assert doc[quote.start : quote.end].text == '"He never lied,"'
    runs = [run("source", "His", "office"), run("cue", "denied", "denied"), run("content", "the", "report"),
            quote, run("source", "spokeswoman", "Brill"), run("cue", "said", "statement")]
    assert quote.start - runs[1].end < runs[-1].start - quote.end  # "denied" is the nearer cue
    (_, _, denied), (_, brill, said) = group(doc, runs)
    assert denied == [runs[2]] and said == [quote] and brill == [runs[4]]
    # with no cue in its own sentence, a run still joins the nearest one
    ((_, _, denied),) = group(doc, runs[:4])
    assert denied == [runs[2], quote]


def test_a_headline_with_its_own_content_takes_no_run_from_below(nlp):
    doc = nlp('Doctor Says Clinton Hid Her Health\n\n"We need law and order," the crowd chanted at noon.')
    _, run = _runner(doc)
    quote = run("content", "We", "order")
    runs = [run("source", "Doctor", "Doctor"), run("cue", "Says", "Says"), run("content", "Clinton", "Health"), quote]
    ((_, src, says),) = group(doc, runs)
    assert says == [runs[2]] and src == [runs[0]]  # the quotation below is nobody's here, not the doctor's
    # a headline cue with no content of its own line still takes one from below ("Doctor Says:")
    ((_, _, says),) = group(doc, runs[:2] + [quote])
    assert says == [quote]


def test_a_second_cue_of_the_sentence_shares_the_source(nlp):
    doc = nlp("Trump said the race was rigged, saying the polls lied.")
    i = {t.text: t.i for t in doc}
    runs = [Segment("source", i["Trump"], i["Trump"] + 1), Segment("cue", i["said"], i["said"] + 1),
            Segment("content", i["the"], i["rigged"] + 1), Segment("cue", i["saying"], i["saying"] + 1),
            Segment("content", i["polls"] - 1, i["lied"] + 1)]
    (_, first, _), (_, second, _) = group(doc, runs)
    assert first == second == [runs[0]]


def test_the_rules_frames_are_a_feature_outermost_first(nlp):
    doc = nlp("The Ledger reported that Harlan said the bridge would close.")
    frames = find_attributions(doc)
    roles = dict(zip((t.text for t in doc), rule_roles(doc, frames)))
    # the Ledger's report holds Harlan's words: inside it, the outermost frame's roles win
    assert roles["Ledger"] == "I-source" and roles["reported"] == "B-cue"
    assert roles["Harlan"] == "I-content" and roles["said"] == "I-content" and roles["close"] == "I-content"
    assert roles["."] == "-"
    # alone, Harlan's frame is outermost and its roles show unprefixed; a nested-only token is marked n:
    alone = [f for f in frames if f.depth == 1]
    assert alone and rule_roles(doc, alone)[[t.text for t in doc].index("said")] == "n:B-cue"
    assert [row[FEATURES.index("rule")] for row in token_strings(doc, frames)] == rule_roles(doc, frames)


def test_a_source_cut_short_takes_the_rules_noun_phrase(nlp):
    doc = nlp("Senator Maria Delgado said the plan broke a promise.")
    i = {t.text: t.i for t in doc}
    cue, content = Segment("cue", i["said"], i["said"] + 1), Segment("content", i["the"], i["promise"] + 1)
    frames = find_attributions(doc)
    for tagged in ([Segment("source", i["Delgado"], i["Delgado"] + 1)], []):
        (found,) = to_found(doc, [(cue, tagged, [content])], [0.9], nested=frames)
        assert [doc.text[s:e] for s, e in found.source] == ["Senator Maria Delgado"]
    # a source elsewhere stays the tagger's: the rules lend boundaries, not another speaker
    other = [Segment("source", i["plan"], i["plan"] + 1)]
    (found,) = to_found(doc, [(cue, other, [Segment("content", i["broke"], i["promise"] + 1)])], [0.9],
                        nested=frames)
    assert [doc.text[s:e] for s, e in found.source] == ["plan"]


def test_a_borrowed_source_yields_to_the_person_the_report_names(nlp):
    doc = nlp("The Ledger reported that Mayor Tom Harlan denied the charges and told reporters that the bridge was unsafe.")
    i = {t.text: t.i for t in doc}
    ledger = Segment("source", i["The"], i["Ledger"] + 1)
    runs = [ledger, Segment("cue", i["reported"], i["reported"] + 1),
            Segment("content", i["reported"] + 1, i["charges"] + 1), Segment("cue", i["told"], i["told"] + 1),
            Segment("content", i["reporters"] + 1, i["unsafe"] + 1)]
    groups = group(doc, runs)
    assert groups[1][1] == [ledger]  # the tagger's grouping lends the Ledger to "told"
    found = to_found(doc, groups, [0.9, 0.9], nested=find_attributions(doc))
    by_cue = {doc.text[f.cue[0][0]:f.cue[0][1]]: f for f in found}
    told, report = by_cue["told"], by_cue["reported"]
    assert [doc.text[s:e] for s, e in told.source] == ["Mayor Tom Harlan"]
    # the Ledger stays the intermediary of what the mayor told reporters, and of his denial
    assert [found[k] for k in told.outer] == [report]
    assert [doc.text[s:e] for s, e in by_cue["denied"].source] == ["Mayor Tom Harlan"]
    assert [found[k] for k in by_cue["denied"].outer] == [report]
    # training scores dev as `sayso eval` reads an article: "told" lies outside the report's content, so it
    # is outermost there, relay or not, for the found frames as for the article's attributions
    from sayso.model import Attribution, outermost

    art = Article(text=doc.text, attributions=[Attribution(f"a{k}", f.kind, f.cue, f.content, f.source)
                                                for k, f in enumerate(found)])
    assert told.depth == 1 and told in outermost(found)
    assert [found.index(f) for f in outermost(found)] == [int(a.id[1:]) for a in art.outermost()]


def test_a_borrowed_source_stays_unless_the_report_names_a_person(nlp):
    doc = nlp("Trump said the polls were rigged and added that the press lied.")
    i = {t.text: t.i for t in doc}
    assert doc[i["added"]].head.i == i["rigged"]  # coordinated inside the report, as in the case above
    trump = Segment("source", i["Trump"], i["Trump"] + 1)
    runs = [trump, Segment("cue", i["said"], i["said"] + 1), Segment("content", i["said"] + 1, i["rigged"] + 1),
            Segment("cue", i["added"], i["added"] + 1), Segment("content", i["added"] + 1, i["lied"] + 1)]
    found = to_found(doc, group(doc, runs), [0.9, 0.9], nested=find_attributions(doc))
    assert [[doc.text[s:e] for s, e in f.source] for f in found] == [["Trump"], ["Trump"]]
    assert all(not f.outer for f in found)


def test_an_according_to_outside_the_tagged_attribution_holds_it(nlp):
    doc = nlp('"We will not wait," the mayor told reporters, according to the Ledger. Trump said it was late.')
    i = {t.text: t.i for t in doc}
    runs = [Segment("content", 0, i["wait"] + 3), Segment("source", i["the"], i["mayor"] + 1),
            Segment("cue", i["told"], i["told"] + 1), Segment("source", i["Trump"], i["Trump"] + 1),
            Segment("cue", i["said"], i["said"] + 1), Segment("content", i["said"] + 1, i["late"] + 1)]
    frames = find_attributions(doc)
    found = to_found(doc, group(doc, runs), [0.9, 0.9], nested=frames)
    by_cue = {doc.text[f.cue[0][0]:f.cue[0][1]]: f for f in found}
    assert set(by_cue) == {"told", "according to", "said"}
    ledger = by_cue["according to"]
    assert [doc.text[s:e] for s, e in ledger.source] == ["the Ledger"] and ledger.depth == 0
    # what the mayor told reporters comes through the Ledger; Trump's words, outside the phrase's clause, do not
    assert [found[k] for k in by_cue["told"].outer] == [ledger]
    assert by_cue["said"].depth == 0


def test_an_according_to_may_hold_a_frame_the_rules_nested_in_a_tagged_content(nlp):
    doc = nlp("The Ledger reported that the mayor told aides the bridge could wait, according to two officials.")
    i = {t.text: t.i for t in doc}
    runs = [Segment("source", i["The"], i["Ledger"] + 1), Segment("cue", i["reported"], i["reported"] + 1),
            Segment("content", i["that"], i["wait"] + 1)]
    found = to_found(doc, group(doc, runs), [0.9], nested=find_attributions(doc))
    by_cue = {doc.text[f.cue[0][0]:f.cue[0][1]]: f for f in found}
    assert {"reported", "according to"} <= set(by_cue)
    told = next(f for f in found if doc.text[f.cue[0][0]:f.cue[0][1]].startswith("told"))
    assert [doc.text[s:e] for s, e in by_cue["according to"].source] == ["two officials"]
    # the mayor's words reach the reader through the officials and the Ledger
    assert {id(found[k]) for k in told.outer} == {id(by_cue["reported"]), id(by_cue["according to"])}


def test_calibration_is_monotone_and_bounded():
    from sayso.training import isotonic

    rng = np.random.default_rng(1)
    x = rng.uniform(size=400)
    y = rng.uniform(size=400) < x
    xs, ys = isotonic(x, y)
    assert all(a <= b for a, b in zip(ys, ys[1:]))
    cal = Calibration(xs, ys)
    values = [cal(v) for v in np.linspace(-1, 2, 50)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(a <= b + 1e-12 for a, b in zip(values, values[1:]))


def test_an_ensemble_averages_its_heads_over_their_joint_vocabulary(nlp):
    """Heads that learned different feature vocabularies join into one tagger: its scores are the heads'
    mean, each head reading every token exactly as it did alone; its CRF is the mean of theirs."""
    import torch

    from sayso.attribution.tagger import FeatureVocab, Tagger
    from sayso.network import build_network
    from sayso.training import NETWORK, combine

    docs = [nlp("The mayor said on Monday that the bridge would stay open."),
            nlp('"It is closed," a spokeswoman told reporters, according to the Ledger.')]
    rows = [token_strings(doc) for doc in docs]
    heads = []
    for seed, seen in ((1, rows[0]), (2, rows[1])):  # each head saw one article: different values, other order
        torch.manual_seed(seed)
        vocab = FeatureVocab()
        vocab.grow(seen)
        net = build_network(vocab.sizes(), 2, **NETWORK)
        with torch.no_grad():
            for p in net.parameters():
                p.normal_(0, 0.3)
        heads.append(Tagger([net], vocab, Calibration([], [])))
    assert heads[0].vocab.tables != heads[1].vocab.tables
    joined = combine(heads)
    assert len(joined.nets) == 2
    rng = np.random.default_rng(0)
    for doc, row in zip(docs, rows):
        enc, tensor = rng.normal(size=(len(doc), 2, 384)), rng.normal(size=(len(doc), 96))
        alone = [h.emissions(enc, tensor, h.vocab.ids(row)) for h in heads]
        assert not np.allclose(alone[0], alone[1])
        assert np.allclose(joined.emissions(enc, tensor, joined.vocab.ids(row)), np.mean(alone, 0), atol=1e-5)
    assert np.allclose(joined.trans, (heads[0].trans + heads[1].trans) / 2)
    assert np.allclose(joined.start, (heads[0].start + heads[1].start) / 2)


def test_gold_tags_decode_back_to_the_gold_attributions(polnear_dir, nlp):
    """The labelling of training data and the decoding agree: gold tags decode to near-gold scores."""
    from sayso.attribution.tagger import to_found
    from sayso.training import gold_roles, gold_tags

    gold = load_split(polnear_dir, "dev")[SUBSET]
    pairs = []
    for g, doc in zip(gold, nlp.pipe((g.text for g in gold), disable=["sayso"])):
        groups = group(doc, segments(doc, gold_tags(doc, g)))
        found = to_found(doc, groups, [1.0] * len(groups))
        pairs.append((g.text, gold_roles(g), [vars(f) for f in found if f.depth == 0]))
    result = score(pairs)
    assert result["roles"]["cue"]["exact"]["f"] > 0.97
    assert result["roles"]["content"]["token"]["f"] > 0.99
    assert result["attribution"]["exact"]["f"] > 0.85


def test_the_shipped_model_loads_offline():
    """A fresh process with every hub switched off loads the model and finds an attribution."""
    code = (
        "import json; from sayso.pipeline import extract; "
        "a = extract('Budget Talks\\n\\nThe mayor said on Monday that the bridge would stay open.', mode='accurate'); "
        "print(json.dumps([[a.span_text(x.source), a.span_text(x.cue), a.span_text(x.content), x.confidence] "
        "for x in a.attributions]))"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HOME": "/nonexistent"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    (att,) = json.loads(out.stdout.strip().splitlines()[-1])
    assert att[0] == "The mayor" and att[1] == "said"
    assert "the bridge would stay open" in att[2]
    assert 0.0 < att[3] < 1.0
    assert (MODEL_DIR / "weights.pt").stat().st_size < 5_000_000


def test_cli_extract_and_info_in_accurate_mode(example_page, validate):
    cli = [sys.executable, "-m", "sayso.cli"]
    out = subprocess.run([*cli, "extract", "--mode", "accurate", str(example_page)], capture_output=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert b"Loading weights" not in out.stderr
    data = json.loads(out.stdout)
    validate(data)
    said = {(a["source"]["text"], a["cue"]["text"]) for a in data["attributions"]}
    assert ("Delgado", "said") in said and ("The Valley Ledger", "reported") in said
    # the tagger finds the Ledger's report; the governor's words inside it come through it
    nested = [a for a in data["attributions"] if a["via"]]
    assert nested and all(0.0 <= a["confidence"] <= 1.0 for a in data["attributions"])
    info = json.loads(subprocess.run([*cli, "info", "--mode", "accurate"], capture_output=True, timeout=120).stdout)
    assert info["mode"] == "accurate"
    assert info["model"]["dev"]["attribution.overlap_source"] > 60
    assert info["model"]["head_bytes"] == (MODEL_DIR / "weights.pt").stat().st_size
    # the shipped model joins one fine-tuned encoder and head per member of the training recipe
    assert info["model"]["seeds"] == [m[0] for m in MEMBERS] and info["model"]["encoders"] == len(MEMBERS)
    assert info["model"]["encoder_bytes"] == sum(p.stat().st_size for p in MODEL_DIR.glob("encoder-*.pt"))


HEADLINE = (("roles", "cue", "exact"), ("roles", "source", "exact"), ("roles", "content", "exact"),
            ("attribution", "exact", None), ("attribution", "overlap_source", None))


def _f(result: dict, key: tuple) -> float:
    part = result[key[0]][key[1]]
    return (part[key[2]] if key[2] else part)["f"]


def _both_modes(polnear_dir, articles: slice, validate=None) -> dict:
    gold = load_split(polnear_dir, "dev")[articles]
    results = {}
    for mode in ("fast", "accurate"):
        pairs = []
        for g, art in zip(gold, annotate_many((Article(text=g.text) for g in gold), mode)):
            if validate is not None:
                art.check()
                validate(art.to_json())
            pairs.append((g.text, [vars(a) for a in g.attributions], as_prediction(art)))
        results[mode] = score(pairs)
    return results


def test_accurate_beats_the_rules_on_dev_articles_and_stays_verbatim(polnear_dir, validate):
    """On nine dev articles: better cue, content tokens, whole attributions and mean headline F1.

    Nine articles are too few to rank every exact role score (a handful of spans decides them); the slow
    test below compares all five headline scores on the whole of dev.
    """
    results = _both_modes(polnear_dir, SUBSET, validate)
    fast, accurate = results["fast"], results["accurate"]
    assert accurate["roles"]["cue"]["exact"]["f"] > fast["roles"]["cue"]["exact"]["f"]
    assert accurate["roles"]["content"]["token"]["f"] > fast["roles"]["content"]["token"]["f"]
    for name in ("exact", "overlap_source"):
        assert accurate["attribution"][name]["f"] > fast["attribution"][name]["f"], name
    mean = {mode: sum(_f(r, k) for k in HEADLINE) / len(HEADLINE) for mode, r in results.items()}
    assert mean["accurate"] > mean["fast"] + 0.02


@pytest.mark.slow
def test_accurate_beats_the_rules_on_every_headline_score_of_dev(polnear_dir):
    results = _both_modes(polnear_dir, slice(None))
    for key in HEADLINE:
        assert _f(results["accurate"], key) > _f(results["fast"], key), key


def test_a_model_folder_of_one_head_loads(tmp_path):
    import shutil

    import torch

    from sayso.attribution.tagger import Tagger

    shutil.copy(MODEL_DIR / "config.json", tmp_path / "config.json")
    heads = torch.load(MODEL_DIR / "weights.pt", map_location="cpu", weights_only=True)
    torch.save(heads[0], tmp_path / "weights.pt")  # a single model's state, as one head is saved on its own
    one, both = Tagger.load(tmp_path), Tagger.load()
    assert len(one.nets) == 1 and len(both.nets) == len(heads) > 1
    first = both.nets[0].state_dict()
    assert all(torch.equal(v, first[k]) for k, v in one.nets[0].state_dict().items())


def test_a_training_piece_cut_inside_a_span_starts_with_a_legal_tag(nlp):
    """A piece of an article that begins inside a gold content begins with B-CONTENT, not with the I-CONTENT
    the CRF forbids first: its gold path stays a path the network can score."""
    import torch

    from sayso.network import build_network
    from sayso.training import Example, _batch

    doc = nlp('He said that the bridge is safe and that the repair can wait.', disable=["sayso"])
    tags = np.array([LABELS.index(t) for t in
                     ["B-SOURCE", "B-CUE"] + ["B-CONTENT"] + ["I-CONTENT"] * (len(doc) - 4) + ["O"]])
    ex = Example(gold=None, doc=doc, enc=np.zeros((len(doc), 2, 384), np.float16),
                 tensor=np.zeros((len(doc), 96), np.float16), feats=np.zeros((len(doc), len(FEATURES)), np.int64),
                 tags=tags)
    enc, tensor, feats, got, mask = _batch([ex], [(0, 5, len(doc))])
    assert LABELS[int(got[0, 0])] == "B-CONTENT"
    assert [LABELS[int(t)] for t in got[0, 1:]] == [LABELS[int(t)] for t in tags[6:]]
    net = build_network([2] * len(FEATURES), 2)
    with torch.no_grad():
        gold = net.gold_score(net.emissions(enc, tensor, feats, mask), got, mask)
    assert float(gold) > -100  # a forbidden start would cost 10^4


def test_the_crf_partition_is_the_forward_algorithm():
    """The tree of log-space matrix products gives log Z of the step-by-step forward algorithm, and the same
    gradient, for sequences of every length in one padded batch (1 token, odd, even, full)."""
    import torch

    from sayso.network import build_network

    torch.manual_seed(0)
    net = build_network([3] * len(FEATURES), 2)
    with torch.no_grad():
        net.trans.normal_()
        net.start.normal_()
        net.end.normal_()
    lengths = torch.tensor([1, 2, 5, 8, 13])
    mask = torch.arange(13)[None] < lengths[:, None]
    scores = torch.randn(5, 13, len(LABELS), dtype=torch.float64, requires_grad=True)

    def forward_algorithm(scores):
        trans, start = net.transitions()
        alpha = start + scores[:, 0]
        for t in range(1, scores.shape[1]):
            nxt = torch.logsumexp(alpha[:, :, None] + trans[None], 1) + scores[:, t]
            alpha = torch.where(mask[:, t, None], nxt, alpha)
        return torch.logsumexp(alpha + net.end, 1)

    want = forward_algorithm(scores)
    (g_want,) = torch.autograd.grad(want.sum(), scores)
    got = net.log_partition(scores, mask)
    (g_got,) = torch.autograd.grad(got.sum(), scores)
    assert torch.allclose(got, want, atol=1e-6)
    assert torch.allclose(g_got, g_want, atol=1e-6)
    assert float(g_got[0, 1:].abs().sum()) == 0.0  # padding gets no gradient


def test_cached_parses_from_other_tokenizer_rules_are_parsed_again(tmp_path):
    import pickle

    from sayso.nlp import load, parse_key
    from sayso.training import prepare

    data = tmp_path / "data"
    (data / "dev" / "text").mkdir(parents=True)
    (data / "dev" / "attributions").mkdir()
    (data / "dev" / "text" / "a.txt").write_text("Signed\n\n\u201cIt is over.\u201d\u2015 Pamela Padilla\n")
    (data / "dev" / "attributions" / "a_0001.ann").write_text("")
    cache = tmp_path / "cache"
    (ex,) = prepare(data, "dev", cache, log=lambda *a: None)
    assert "\u2015" in [t.text for t in ex.doc]  # the dash glued to the quotation mark is its own token
    (part,) = cache.glob("dev.*.pkl")
    stored = pickle.loads(part.read_bytes())
    assert stored["tokenizer"] == parse_key(load())
    # a part stored under other tokenizer rules is parsed again and stored anew
    stale = {**stored, "tokenizer": "other rules"}
    part.write_bytes(pickle.dumps(stale))
    (again,) = prepare(data, "dev", cache, log=lambda *a: None)
    assert pickle.loads(part.read_bytes())["tokenizer"] == parse_key(load())
    assert [t.text for t in again.doc] == [t.text for t in ex.doc]
