"""The evaluation report: content objects → self-contained HTML (optional PDF).

The report renders results; it fits nothing. Every table passes disclosure control before it gets here
(:mod:`evaluatie.disclosure`), and :func:`evaluatie.rapport.html.render_html` scans the result for client ids.
"""
from evaluatie.rapport.inhoud import Figuur, Kernindicator, Rapportinhoud, Sectie, Tabel, figuur_png

__all__ = ["Figuur", "Kernindicator", "Rapportinhoud", "Sectie", "Tabel", "figuur_png"]
