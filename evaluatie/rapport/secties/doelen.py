"""Report section "Doelen en realisatie": the raad's own goals, the realised value with its margin, the
benchmark context and a plain verdict (see :mod:`evaluatie.doelen`)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.opmaak import getal

ANKER = "doelen"
TITEL = "Doelen en realisatie"


def _g(x: Any) -> str:
    return "–" if x is None or pd.isna(x) else getal(x, 1)


def sectie_doelen(cfg: Evaluatieconfig, *, benchmark: Any, populatie: pd.DataFrame | None) -> Sectie | None:
    """The goals section; None when the config has no ``[[doelen]]``.

    Raises
    ------
    ConfigFout
        A goal on an unknown indicator (from :func:`evaluatie.doelen.lees_doelen`).
    """
    from evaluatie.doelen import evalueer_doelen, lees_doelen
    from evaluatie.rapport.secties.benchmark import hoofdmethode

    doelen = lees_doelen(cfg)
    if not doelen:
        return None
    methode = hoofdmethode(benchmark, cfg) if benchmark is not None and benchmark.groepen else None
    res = evalueer_doelen(doelen, benchmark=benchmark, populatie=populatie, methode=methode, drempel=cfg.drempel)
    r = res.rijen
    n = r["oordeel"].value_counts()
    alineas = [
        f"De raad stelde {len(r)} doel(en). Gehaald: {int(n.get('gehaald', 0))}; niet gehaald: {int(n.get('niet gehaald', 0))}; "
        f"niet te beoordelen: {int(n.get('niet te beoordelen', 0))}.",
        "'Gehaald' betekent dat de hele onzekerheidsmarge (95%) aan de goede kant van de streefwaarde ligt; 'niet gehaald' "
        "dat ze er helemaal aan de verkeerde kant ligt. Ligt de streefwaarde binnen de marge, of ontbreekt het cijfer, dan "
        "is het doel niet te beoordelen: het verschil kan toeval zijn. De marge van de gemeentecijfers is die van toevallige "
        "schommelingen in een jaar (Poisson); die van het toe te rekenen aandeel komt uit de effectanalyse.",
    ]
    for x in r.itertuples():
        alineas.append(f"{x.label} ({x.jaar}): {x.oordeel}. Gerealiseerd {_g(x.waarde)} (marge {_g(x.ci_laag)}–{_g(x.ci_hoog)}), "
                       f"doel {'ten minste' if x.richting == 'hoger' else 'hooguit'} {_g(x.streefwaarde)}; {x.toelichting}.")
    tabel = pd.DataFrame({
        "Doel": r["label"], "Jaar": r["jaar"].astype(str),
        "Streefwaarde": [("≥ " if ri == "hoger" else "≤ ") + _g(s) for s, ri in zip(r["streefwaarde"], r["richting"])],
        "Gerealiseerd": [_g(w) for w in r["waarde"]],
        "Marge (95%)": [f"{_g(a)}–{_g(b)}" if pd.notna(a) else "–" for a, b in zip(r["ci_laag"], r["ci_hoog"])],
        "Vergelijkingsgroep": [_g(g) for g in r["groep"]], "Nederland": [_g(v) for v in r["landelijk"]],
        "Oordeel": r["oordeel"],
    })
    return Sectie(ANKER, TITEL, tuple(alineas), (Tabel("Doelen van de raad en de realisatie", tabel,
                                                      noot="Waarden in % (van het genormeerde aantal uitkeringen, of van de uitstroom naar werk)."),))
