"""Claims and stances across articles: who asserts, denies and doubts the same proposition.

>>> from sayso.claims import Encoder, find_claims, items_of          # doctest: +SKIP
>>> claims = find_claims(items_of("seed", article), Encoder())     # doctest: +SKIP
>>> claims[0].label, [(m.speaker.name, m.stance) for m in claims[0].members]   # doctest: +SKIP
"""

from .embeddings import Encoder
from .grouping import (
    AttributionRef, Claim, ClaimMember, ClaimSubject, Edge, Item, Speaker, find_claims, items_of,
)
from .stance import STANCES, stance

__all__ = [
    "AttributionRef", "Claim", "ClaimMember", "ClaimSubject", "Edge", "Encoder", "Item", "STANCES", "Speaker",
    "find_claims", "items_of", "stance",
]
