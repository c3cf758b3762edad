"""No client ids in published text.

The scan looks at the text a reader sees: embedded images (``data:`` URIs, base64 blobs) are removed
first, because random base64 characters contain any short id by chance. Ids are matched as whole tokens
(not inside a longer word or number). Purely numeric ids shorter than :data:`MIN_NUMERIEK` digits cannot
be told apart from the counts, years and percentages of a report; they are not searched, and the
returned notes say so (pseudonymise such ids to longer ones to have them checked).
"""
from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

#: numeric ids with fewer digits are indistinguishable from the report's numbers and are not searched
MIN_NUMERIEK = 6

_DATA_URI = re.compile(r"data:[A-Za-z0-9.+/-]*;base64,[A-Za-z0-9+/=\s]*")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")


class OnthullingsFout(RuntimeError):
    """Raised when a rendered output contains something that identifies a client."""


def zichtbare_tekst(tekst: str) -> str:
    """``tekst`` without embedded base64 data (images), which a reader never sees as text."""
    return _DATA_URI.sub(" ", tekst)


def controleer_geen_ids(tekst: str, ids: Iterable[str], *, min_lengte: int = 4) -> tuple[str, ...]:
    """Raise :class:`OnthullingsFout` if any client id occurs as a whole token in the visible text.

    Parameters
    ----------
    tekst : str
        Rendered output (HTML, CSV, plain text).
    ids : iterable of str
        Client ids of the input.
    min_lengte : int
        Ids shorter than this, and numeric ids shorter than :data:`MIN_NUMERIEK` digits, are not
        searched (they occur by chance in any report).

    Returns
    -------
    tuple of str
        Notes (Dutch) about ids that could not be checked; empty when every id was searched.
    """
    alle = {str(i).strip() for i in ids if isinstance(i, str) or pd.notna(i)}
    alle.discard("")
    kort = {i for i in alle if len(i) < min_lengte or (i.isdigit() and len(i) < MIN_NUMERIEK)}
    zoek = alle - kort
    meldingen: tuple[str, ...] = ()
    if kort:
        voorbeeld = sorted(kort)[0]
        meldingen = (f"{len(kort)} cliëntnummer(s) zijn te kort om in de tekst te herkennen (bijv. {voorbeeld!r}); "
                     "ze zijn niet gezocht. Gebruik langere pseudoniemen om ook die controle te laten doen.",)
    if not zoek:
        return meldingen
    tokens = set(_TOKEN.findall(zichtbare_tekst(tekst)))
    gevonden = sorted(zoek & tokens)
    if not gevonden:
        # ids with characters outside the token alphabet (e.g. 'A.12/3'): whole-string search
        bijzonder = [i for i in zoek if not _TOKEN.fullmatch(i)]
        zichtbaar = zichtbare_tekst(tekst)
        gevonden = sorted(i for i in bijzonder if i in zichtbaar)
    if gevonden:
        raise OnthullingsFout(f"rapport bevat {len(gevonden)} cliëntnummer(s), bijv. {gevonden[0]!r}")
    return meldingen
