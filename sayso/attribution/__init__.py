"""Finding attributions in a parsed document: cues, quotation structure and frames."""

from .rules import Found, find_attributions

__all__ = ["Found", "find_attributions"]
