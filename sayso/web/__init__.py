"""The corpus web UI and HTTP API (FastAPI): ``create_app(db)``; run it with ``sayso serve``."""

from .app import create_app

__all__ = ["create_app"]
