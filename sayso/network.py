"""The tagging network and its linear-chain CRF, in torch alone.

Kept apart from ``attribution/tagger.py`` (features and decoding, which need spaCy) so that the fine-tuning
stage of ``sayso train`` (``finetune.py``) runs on a machine that has torch and nothing else of sayso's
dependencies, a GPU host for instance.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

LABELS = ("O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT")
#: The score of a forbidden transition or start: low enough never to be decoded, finite so gradients stay so.
FORBIDDEN = -1e4


def allowed_transitions() -> np.ndarray:
    """allowed[i, j]: may tag j follow tag i? ``I-X`` only continues ``B-X`` or ``I-X``."""
    allowed = np.ones((len(LABELS), len(LABELS)), dtype=bool)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            role = lab[2:]
            for i, prev in enumerate(LABELS):
                allowed[i, j] = prev in ("B-" + role, "I-" + role)
    return allowed


def allowed_starts() -> np.ndarray:
    return np.array([not lab.startswith("I-") for lab in LABELS])


def log_identity(k: int, like):
    """The (k, k) identity of the log-space product: 0 on the diagonal, ``FORBIDDEN`` elsewhere; a padding
    step that leaves a chain as it is. Of ``like``'s dtype and device."""
    import torch

    return torch.full((k, k), FORBIDDEN, dtype=like.dtype, device=like.device).fill_diagonal_(0.0)


def log_semiring_product(steps):
    """The log-space product of a batch of chains of square matrices: steps (B, T, K, K) -> (B, K, K), with
    out[b, i, j] = log sum over paths i -> j of exp(the sum of the steps' entries along the path).

    Pairs are multiplied in a tree, so the work is T matrix products but the depth is log2(T) kernels: the
    CRF's forward algorithm without a Python loop over time steps.
    """
    import torch

    k = steps.shape[-1]
    identity = log_identity(k, steps)
    while steps.shape[1] > 1:
        if steps.shape[1] % 2:
            steps = torch.cat([steps, identity.expand(steps.shape[0], 1, k, k)], 1)
        a, b = steps[:, 0::2], steps[:, 1::2]
        steps = torch.logsumexp(a[..., :, :, None] + b[..., None, :, :], dim=-2)
    return steps[:, 0]


def build_network(sizes: Sequence[int], n_layers: int, width: int = 384, tensor_width: int = 96,
                  embed: int = 16, hidden: int = 160, dilations: Sequence[int] = (1, 2, 4, 8, 1),
                  dropout: float = 0.2):
    """The tagging network (a torch Module): features -> dilated convolutions -> tag scores, CRF on top.

    Convolutions rather than a recurrent layer: on a CPU they train several times faster, and MiniLM's
    vectors already carry the long-range context. ``tensor_width`` 0 leaves the parser's vectors out.
    """
    import torch
    from torch import nn

    forbidden = torch.tensor(~allowed_transitions())
    forbidden_start = torch.tensor(~allowed_starts())

    class TaggerNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.mix = nn.Parameter(torch.zeros(n_layers))
            self.embeds = nn.ModuleList(nn.Embedding(n, embed) for n in sizes)
            self.inp = nn.Linear(width + tensor_width + embed * len(sizes), hidden)
            self.drop = nn.Dropout(dropout)
            self.convs = nn.ModuleList(nn.Conv1d(hidden, hidden, 3, padding=d, dilation=d) for d in dilations)
            self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in dilations)
            self.out = nn.Linear(hidden, len(LABELS))
            self.trans = nn.Parameter(torch.zeros(len(LABELS), len(LABELS)))
            self.start = nn.Parameter(torch.zeros(len(LABELS)))
            self.end = nn.Parameter(torch.zeros(len(LABELS)))
            self.register_buffer("forbidden", forbidden)
            self.register_buffer("forbidden_start", forbidden_start)

        def emissions(self, enc, tensor, feats, mask=None):
            """enc (B, T, L, 384), tensor (B, T, ``tensor_width``), feats (B, T, F) -> tag scores (B, T, 7).

            ``mask`` (B, T) zeroes the padding after each layer, so it never leaks into real tokens.
            """
            keep = mask[..., None].float() if mask is not None else 1.0
            w = torch.softmax(self.mix, 0)
            x = (enc * w[None, None, :, None]).sum(2)
            e = [emb(feats[..., k]) for k, emb in enumerate(self.embeds)]
            h = torch.relu(self.inp(self.drop(torch.cat([x, tensor[..., :tensor_width]] + e, -1)))) * keep
            for conv, norm in zip(self.convs, self.norms):
                h = norm(h + self.drop(torch.relu(conv(h.transpose(1, 2)).transpose(1, 2)))) * keep
            return self.out(h)

        def transitions(self):
            return (self.trans.masked_fill(self.forbidden, FORBIDDEN),
                    self.start.masked_fill(self.forbidden_start, FORBIDDEN))

        def log_partition(self, scores, mask):
            """log Z per sequence (the forward algorithm, as one tree of matrix products); mask (B, T) bool,
            every sequence starts at 0 and its padding follows it."""
            trans, start = self.transitions()
            alpha = start + scores[:, 0]
            if scores.shape[1] > 1:
                steps = torch.where(mask[:, 1:, None, None], trans + scores[:, 1:, None, :],
                                    log_identity(scores.shape[2], scores))
                alpha = torch.logsumexp(alpha[:, :, None] + log_semiring_product(steps), 1)
            return torch.logsumexp(alpha + self.end, 1)

        def gold_score(self, scores, tags, mask):
            trans, start = self.transitions()
            m = mask.float()
            emit = (scores.gather(2, tags[..., None]).squeeze(2) * m).sum(1)
            steps = (trans[tags[:, :-1], tags[:, 1:]] * m[:, 1:]).sum(1)
            last = mask.sum(1) - 1
            return start[tags[:, 0]] + emit + steps + self.end[tags.gather(1, last[:, None]).squeeze(1)]

        def nll(self, scores, tags, mask):
            """The negative log-likelihood of each sequence's gold path."""
            return self.log_partition(scores, mask) - self.gold_score(scores, tags, mask)

        def loss(self, enc, tensor, feats, tags, mask):
            """Mean negative log-likelihood per token of a batch."""
            return self.nll(self.emissions(enc, tensor, feats, mask), tags, mask).sum() / mask.sum()

    net = TaggerNet()
    net.settings = {"tensor_width": tensor_width, "embed": embed, "hidden": hidden, "dilations": list(dilations),
                    "dropout": dropout}  # what rebuilds it: saved with the model
    return net
