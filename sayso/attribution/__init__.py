"""Finding attributions in a parsed document: cues, quotation structure and frames."""

__all__ = ["Found", "find_attributions"]


def __getattr__(name: str):
    """``Found`` and ``find_attributions``, imported on first use: they load spaCy, and the encoder in this
    package runs without it (the fine-tuning stage of ``sayso train``)."""
    if name in __all__:
        from . import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
