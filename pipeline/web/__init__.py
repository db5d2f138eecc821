"""The page `postwatch serve` shows at `/`, server-rendered from Jinja2 templates: one
module per kind of page, the routing in ``app``."""

from .app import Answer, answer

__all__ = ["Answer", "answer"]
