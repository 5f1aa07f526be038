from sayso.attribution.quotes import find_quotes


def texts(s):
    return [s[a:b] for a, b in find_quotes(s)]


def test_straight_and_curly_quotes():
    s = 'He said "no" and then “yes, maybe.”'
    assert texts(s) == ['"no"', "“yes, maybe.”"]


def test_mixed_marks_close_each_other():
    assert texts('“We won," she said.') == ['“We won,"']


def test_guillemets():
    assert texts("Il a dit « non » hier.") == ["« non »"]


def test_unclosed_quote_ends_with_its_paragraph():
    s = '"This goes on and on\n\nNext paragraph.'
    assert texts(s) == ['"This goes on and on']


def test_odd_number_of_marks_never_fails():
    s = 'A " lone mark, then "a real quote" and a trailing one "'
    spans = find_quotes(s)
    assert all(0 <= a < b <= len(s) for a, b in spans)
    assert spans == sorted(spans)


def test_stray_closing_mark_opens_nothing():
    assert texts("it ends here” and goes on") == []


def test_new_opening_mark_closes_a_forgotten_quote():
    s = "“first part “second part”"
    assert texts(s) == ["“first part", "“second part”"]


def test_two_apostrophes_are_a_double_quotation_mark():
    text = "''It's more tinkering,'' said Cole. ''I wouldn't call it reform.'' Don't stop."
    assert [text[s:e] for s, e in find_quotes(text)] == ["''It's more tinkering,''", "''I wouldn't call it reform.''"]
