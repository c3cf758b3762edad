"""evaluatie — evaluatie van re-integratie onder de Participatiewet.

Which instruments get people from bijstand into work, for whom, and how much of that
outflow would have happened anyway. See the README for the two commands to start.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
