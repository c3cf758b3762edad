"""Importing municipal extracts into the package's schema: ``importeer(formaat, bron, ...)``.

Formats are registered in :data:`FORMATEN` (name → module). A format module defines ``NAAM``,
``BESCHRIJVING`` and ``omzetten(bron, **opties) -> Omgezet`` (read + map); :func:`importeer` then validates
the mapped tables with :func:`evaluatie.validatie.valideer_tabellen` and returns an
:class:`Importresultaat` whose report reconciles the counts. Adding a format (e.g. a CBS StatLine
download onto ``gemeenten``) = one new module plus one line here.

Example
-------
>>> from evaluatie.importeer import importeer                      # doctest: +SKIP
>>> res = importeer("vng-dsh", "DummyDataBijstandv3.rds", gemeentecode="GM0777")
>>> print(res.summary()); res.schrijf("invoer/")
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from evaluatie.importeer.mapping import Mapping, Mappingfout, lees_mapping, pas_toe, schrijf_mapping
from evaluatie.importeer.resultaat import Importresultaat, Omgezet

FORMATEN: dict[str, str] = {
    "vng-dsh": "evaluatie.importeer.vng_dsh",
    "generiek": "evaluatie.importeer.generiek",
}
"""Format name → module implementing ``omzetten``."""

__all__ = ["FORMATEN", "importeer", "formaat_module", "Importresultaat", "Omgezet", "Mapping", "Mappingfout",
           "lees_mapping", "pas_toe", "schrijf_mapping"]


def formaat_module(formaat: str) -> Any:
    """The module of a registered format; error names the known formats."""
    if formaat not in FORMATEN:
        raise ValueError(f"onbekend formaat {formaat!r}; verwacht een van {', '.join(FORMATEN)}")
    return importlib.import_module(FORMATEN[formaat])


def importeer(formaat: str, bron: str | Path, *, valideer: bool = True, **opties: Any) -> Importresultaat:
    """Import an extract: read, map onto the schema, validate.

    Parameters
    ----------
    formaat : str
        One of :data:`FORMATEN` (``"vng-dsh"``).
    bron : path
        The source file.
    valideer : bool
        Validate with :func:`evaluatie.validatie.valideer_tabellen` (default). Only tests of the mapping
        itself switch this off.
    **opties
        Format options; for ``vng-dsh`` see :func:`evaluatie.importeer.vng_dsh.omzetten` (``gemeentecode``
        is required; ``peildatum``, ``max_gat_dagen``, ``onbekend_als_overig``, ``geheim``, mapping files).

    Returns
    -------
    Importresultaat

    Raises
    ------
    evaluatie.lezen.Invoerfout
        The source cannot be read as the format (file, row and what was expected in the message).
    Mappingfout
        A mapping file is malformed.
    """
    mod = formaat_module(formaat)
    omgezet: Omgezet = mod.omzetten(bron, **opties)
    validatie = None
    if valideer:
        from evaluatie.validatie import valideer_tabellen

        meta = omgezet.metadata
        wp = meta.get("waarnemingsperiode")
        validatie = valideer_tabellen(
            {k: v.copy() for k, v in omgezet.tabellen.items()},
            bron={k: f"{omgezet.bestand} → {k}" for k in omgezet.tabellen},
            peildatum=meta.get("peildatum"),
            waarnemingsperiode=(wp["start"], wp["eind"]) if wp else None,
        )
    spec = {"formaat": formaat, "bron": str(bron), **{k: (v if not isinstance(v, bytes) else "<geheim>") for k, v in opties.items()}}
    if "geheim" in spec and spec["geheim"] is not None:
        spec["geheim"] = "<geheim>"
    return Importresultaat(formaat=formaat, omgezet=omgezet, validatie=validatie, spec=spec)
