"""The error analysis sorts each difference between predicted and gold attributions into one kind."""

from sayso.evaluate.errors import classify, report

TEXT = "Lee said the plan would fail badly. Kim told reporters nothing. Park thinks so."


def att(source, cue, content):
    return {"source": source, "cue": cue, "content": content}


def kinds(gold, pred):
    return sorted(kind for kind, _, _ in classify(TEXT, gold, pred))


def test_identical_attributions_make_no_error():
    a = att([(0, 3)], [(4, 8)], [(9, 34)])
    assert kinds([a], [a]) == []


def test_content_that_ends_early_and_a_source_elsewhere():
    gold = att([(0, 3)], [(4, 8)], [(9, 34)])
    pred = att([(36, 39)], [(4, 8)], [(9, 28)])
    assert kinds([gold], [pred]) == ["content ends early", "source elsewhere"]


def test_missed_and_spurious_attributions():
    gold = [att([(0, 3)], [(4, 8)], [(9, 34)]), att([(36, 39)], [(40, 54)], [(55, 62)])]
    pred = [att([(0, 3)], [(4, 8)], [(9, 34)]), att([(64, 68)], [(69, 75)], [(76, 78)])]
    assert kinds(gold, pred) == ["attribution missed", "attribution spurious"]


def test_report_counts_and_keeps_an_example_per_kind():
    gold = att([(0, 3)], [(4, 8)], [(9, 34)])
    pred = att([], [(4, 8)], [(9, 34)])
    counts, examples = report([("a", TEXT, [gold], [pred]), ("b", TEXT, [gold], [pred])])
    assert counts == {"source missing": 2}
    name, shown = examples["source missing"]
    assert name == "a" and "gold source: “Lee”" in shown
