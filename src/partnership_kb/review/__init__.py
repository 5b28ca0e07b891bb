"""The structure review: a page to print or send, with the network drawn, the bodies set
beside the guidance, interlocks, overlaps, the rule checks' findings, and metrics."""

from .data import Review, build
from .html import render
from .pdf import print_pdf

__all__ = ["Review", "build", "print_pdf", "render"]
