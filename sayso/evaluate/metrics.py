"""Attribution metrics: exact and token-overlap P/R/F1 per role and per whole attribution.

These are the definitions of the PolNeAR reference scorer (``score_attributions.py --help``), implemented
once here so ``sayso eval`` prints the same numbers; a test holds the two to equality.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

ROLES = ("cue", "source", "content")
WHOLE = ("exact", "overlap", "overlap_source", "overlap_source_cue")

Span = tuple[int, int]
Value = tuple[Span, ...]
#: One attribution as the scorer sees it: role -> list of fragments.
Roles = Mapping[str, Sequence[Sequence[int]]]


def _skip(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def normalise(text: str, fragments: Iterable[Sequence[int]]) -> Value:
    """Fragments stripped of outer whitespace/punctuation, sorted, merged across punctuation gaps.

    >>> normalise('He said: "yes, now."', [(9, 20)])
    ((10, 18),)
    """
    cleaned = []
    for frag in fragments or ():
        s, e = max(0, int(frag[0])), min(len(text), int(frag[1]))
        while s < e and _skip(text[s]):
            s += 1
        while e > s and _skip(text[e - 1]):
            e -= 1
        if e > s:
            cleaned.append([s, e])
    cleaned.sort()
    merged: list[list[int]] = []
    for s, e in cleaned:
        if merged and (s <= merged[-1][1] or all(_skip(c) for c in text[merged[-1][1] : s])):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((s, e) for s, e in merged)


class Tokens:
    """Whitespace tokens of a text, to turn spans into sets of covered token indices."""

    def __init__(self, text: str):
        self.spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        self.starts = [s for s, _ in self.spans]

    def covered(self, value: Value) -> frozenset[int]:
        out = set()
        for s, e in value:
            i = max(bisect.bisect_right(self.starts, s) - 1, 0)
            while i < len(self.spans) and self.spans[i][0] < e:
                ts, te = self.spans[i]
                if ts < e and te > s:
                    out.add(i)
                i += 1
        return frozenset(out)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f}


def _token_f1(a: frozenset[int], b: frozenset[int]) -> float:
    o = len(a & b)
    if not o:
        return 0.0
    p, r = o / len(a), o / len(b)
    return 2 * p * r / (p + r)


@dataclass
class _Prepared:
    value: dict[str, Value]
    tokens: dict[str, frozenset[int]]


def _prepare(text: str, toks: Tokens, att: Roles) -> _Prepared:
    value = {r: normalise(text, att.get(r) or ()) for r in ROLES}
    return _Prepared(value, {r: toks.covered(value[r]) for r in ROLES})


def _same(p: dict[str, frozenset[int]], g: dict[str, frozenset[int]], role: str) -> bool:
    """Overlapping tokens of one role, or both empty."""
    return bool(p[role] & g[role]) or (not p[role] and not g[role])


def _pairs(P: list[_Prepared], G: list[_Prepared]) -> list[tuple[int, int]]:
    """Predicted/gold pairs with content token-F1 >= 0.5, one-to-one, greedily by descending F1."""
    candidates = sorted(
        (-f, i, j)
        for i, p in enumerate(P)
        if p.tokens["content"]
        for j, g in enumerate(G)
        if g.tokens["content"]
        for f in [_token_f1(p.tokens["content"], g.tokens["content"])]
        if f >= 0.5
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def correct(text: str, gold: Sequence[Roles], pred: Sequence[Roles]) -> list[bool]:
    """For each prediction of one article: is it matched under attribution.overlap_source?

    This is what an attribution's confidence estimates.
    """
    toks = Tokens(text)
    P = [_prepare(text, toks, a) for a in pred]
    G = [_prepare(text, toks, a) for a in gold]
    ok = [False] * len(P)
    for i, j in _pairs(P, G):
        ok[i] = _same(P[i].tokens, G[j].tokens, "source")
    return ok


def score(pairs: Iterable[tuple[str, Sequence[Roles], Sequence[Roles]]]) -> dict:
    """Score ``(text, gold attributions, predicted attributions)`` per article.

    Returns ``{"counts", "roles": {role: {"exact", "token"}}, "attribution": {name: {p, r, f, tp}}}``,
    the same object the reference scorer writes with ``--json``.
    """
    counts = {"n_docs": 0, "n_gold": 0, "n_pred": 0}
    role_n = {r: dict.fromkeys(("ex_tp", "ex_p", "ex_g", "tok_tp", "tok_p", "tok_g"), 0) for r in ROLES}
    whole = dict.fromkeys(WHOLE, 0)
    for text, gold, pred in pairs:
        toks = Tokens(text)
        G = [_prepare(text, toks, a) for a in gold]
        P = [_prepare(text, toks, a) for a in pred]
        counts["n_docs"] += 1
        counts["n_gold"] += len(G)
        counts["n_pred"] += len(P)
        for r in ROLES:
            gv = {a.value[r] for a in G if a.value[r]}
            pv = {a.value[r] for a in P if a.value[r]}
            n = role_n[r]
            n["ex_tp"] += len(gv & pv)
            n["ex_p"] += len(pv)
            n["ex_g"] += len(gv)
            gt = frozenset().union(*(a.tokens[r] for a in G))
            pt = frozenset().union(*(a.tokens[r] for a in P))
            n["tok_tp"] += len(gt & pt)
            n["tok_p"] += len(pt)
            n["tok_g"] += len(gt)
        key = lambda a: tuple(a.value[r] for r in ROLES)  # noqa: E731
        whole["exact"] += sum((Counter(map(key, G)) & Counter(map(key, P))).values())
        for i, j in _pairs(P, G):
            whole["overlap"] += 1
            p, g = P[i].tokens, G[j].tokens
            if _same(p, g, "source"):
                whole["overlap_source"] += 1
                if _same(p, g, "cue"):
                    whole["overlap_source_cue"] += 1
    result: dict = {"counts": counts, "roles": {}, "attribution": {}}
    for r in ROLES:
        n = role_n[r]
        result["roles"][r] = {
            "exact": {**_prf(n["ex_tp"], n["ex_p"], n["ex_g"]), "tp": n["ex_tp"], "n_pred": n["ex_p"], "n_gold": n["ex_g"]},
            "token": {**_prf(n["tok_tp"], n["tok_p"], n["tok_g"]), "tp": n["tok_tp"], "n_pred": n["tok_p"], "n_gold": n["tok_g"]},
        }
    for k, tp in whole.items():
        result["attribution"][k] = {**_prf(tp, counts["n_pred"], counts["n_gold"]), "tp": tp}
    return result


def format_result(result: dict, title: str = "") -> str:
    """The reference scorer's table: one line per metric, in percent."""
    c = result["counts"]
    lines = [
        "%s  docs=%d gold_attr=%d pred_attr=%d" % (title, c["n_docs"], c["n_gold"], c["n_pred"]),
        "%-28s %6s %6s %6s   %s" % ("metric", "P", "R", "F1", "(tp / pred / gold)"),
    ]
    for r in ROLES:
        for kind in ("exact", "token"):
            x = result["roles"][r][kind]
            lines.append(
                "%-28s %6.1f %6.1f %6.1f   (%d / %d / %d)"
                % (f"{r}.{kind}", 100 * x["p"], 100 * x["r"], 100 * x["f"], x["tp"], x["n_pred"], x["n_gold"])
            )
    for k in WHOLE:
        x = result["attribution"][k]
        lines.append(
            "%-28s %6.1f %6.1f %6.1f   (%d / %d / %d)"
            % ("attribution." + k, 100 * x["p"], 100 * x["r"], 100 * x["f"], x["tp"], c["n_pred"], c["n_gold"])
        )
    return "\n".join(lines)
