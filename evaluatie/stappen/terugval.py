"""Step *terugval*: return to benefit after an exit to work (:func:`evaluatie.terugval.terugval`), per group."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from evaluatie.stappen.effecten import publiceerbare_curve
from evaluatie.stappen.gemeen import Stapfout, afkeurmelding, client_ids, geen_rijen, periode_tekst
from evaluatie.uitvoer import Tabelspec, Uitvoer

#: Count columns of the ``terugval_aantallen`` table; per row the first is the sum of the other three (the
#: last, n_gecensureerd, is kept intern).
AANTALLEN = ("n_uitstroom_werk", "n_terugval", "n_concurrerend", "n_gecensureerd")
#: Estimate columns of the ``terugval`` table, suppressed together with ``n_risico``.
WAARDEN = ("cif", "se", "ci_laag", "ci_hoog")

SPECS: dict[str, Tabelspec] = {
    # incidence at 6/12/18 months: rests on the persons still at risk at that month
    "terugval": Tabelspec(n_kolom="n_risico", waarden=WAARDEN, sleutel=("groepering", "groep", "maanden")),
    # counts per group: the groups of one groepering add up to the total, and each row's n_uitstroom_werk is
    # n_terugval + n_concurrerend + n_gecensureerd; n_gecensureerd is not published (it follows from the
    # others), so a small n_concurrerend needs no second suppression in its row
    "terugval_aantallen": Tabelspec(aantallen=AANTALLEN[:3], verborgen=AANTALLEN[3:], marges=(("groepering",),),
                                    rijsommen=((AANTALLEN[0], AANTALLEN[1:]),), sleutel=("groepering", "groep")),
    # curves: cut where fewer than the threshold are at risk
    "terugval_curves": Tabelspec(curve=("n_risk", ("groepering", "groep"), "time")),
}


@dataclass(frozen=True)
class Terugvalconfig:
    """Months at which the incidence is read and an optional CSV of moves (client_id, datum)."""

    maanden: tuple[int, ...] = (6, 12, 18)
    verhuizingen: Path | None = None

    def als_dict(self) -> dict[str, Any]:
        """The settings for the manifest."""
        return {"maanden": list(self.maanden),
                "verhuizingen": None if self.verhuizingen is None else str(self.verhuizingen)}


@dataclass(frozen=True)
class Terugvalstap:
    """The terugval result and the hash of the moves file (an input next to the validated folder).

    Attributes
    ----------
    resultaat : Terugvalresultaat
        Tables ``tabel``, ``aantallen``, ``curves`` and the per-exit ``rijen`` (intern only).
    verhuizingen_hash : dict[str, str]
        ``{file name: sha256}`` of ``--verhuizingen`` (empty without one).
    """

    resultaat: Any
    verhuizingen_hash: dict[str, str]

    @property
    def waarschuwingen(self) -> tuple[str, ...]:
        """The warnings of the analysis (rows left out, no moves table, …)."""
        return tuple(self.resultaat.warnings)

    def summary(self) -> str:
        """Short text for people (Dutch)."""
        return self.resultaat.summary()


def _lees_verhuizingen(pad: Path) -> pd.DataFrame:
    verwacht = "verwacht een CSV met kolommen client_id, datum (JJJJ-MM-DD)"
    try:
        df = pd.read_csv(pad, dtype={"client_id": str})
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise Stapfout(f"{pad}: kan verhuizingen niet lezen ({e}); {verwacht}") from None
    mis = [c for c in ("client_id", "datum") if c not in df.columns]
    if mis:
        raise Stapfout(f"{pad}, rij 1 (kop): kolom(men) {', '.join(mis)} ontbreken; {verwacht}")
    return df


def terugval(val: Any, cfg: Terugvalconfig, *, bron: Any = "invoer") -> Terugvalstap:
    """Run the terugval step on a validation result (peildatum and window: the ones validation used).

    Parameters
    ----------
    val : Validatieresultaat
        Needs accepted ``uitkeringen``; uses ``clienten``, ``categorieen`` and ``trajecten`` when present.
    cfg : Terugvalconfig
    bron : path or str
        The input folder, named in messages.

    Returns
    -------
    Terugvalstap

    Raises
    ------
    Stapfout
        No accepted uitkeringen, no peildatum, an unreadable moves file, or no exit to work to analyse.
    """
    from evaluatie.manifest import sha256_file
    from evaluatie.terugval import TerugvalFout
    from evaluatie.terugval import terugval as _terugval

    u = val.geaccepteerd.get("uitkeringen")
    if u is None or len(u) == 0:
        raise Stapfout(geen_rijen(bron, val, "uitkeringen"))
    if val.peildatum is None:
        raise Stapfout(f"{bron}: geen peildatum bekend (metadata.json, veld peildatum); die is nodig om te censureren")
    verh, hashes = None, {}
    if cfg.verhuizingen is not None:
        verh = _lees_verhuizingen(cfg.verhuizingen)
        naam = cfg.verhuizingen.name if cfg.verhuizingen.name not in val.invoer else str(cfg.verhuizingen)
        hashes = {naam: sha256_file(cfg.verhuizingen)}
    wp = val.waarnemingsperiode
    try:
        res = _terugval(val.geaccepteerd, peildatum=val.peildatum, van=None if wp is None else wp[0],
                        maanden=cfg.maanden, verhuizingen=verh, bronrijen=val.bronrijen)
    except (TerugvalFout, ValueError, KeyError) as e:
        raise Stapfout(str(e).strip("'\"")) from None
    return Terugvalstap(res, hashes)


def uitvoer_terugval(stap: Terugvalstap, val: Any, cfg: Terugvalconfig, *, drempel: int = 10) -> Uitvoer:
    """Incidences, counts and curves published (after disclosure control); full tables and per-exit rows intern."""
    res = stap.resultaat
    tabel = res.tabel[["groepering", "groep", "maanden", "n_risico", *WAARDEN, "voorbij_laatste"]]
    publ = {"terugval": tabel, "terugval_aantallen": res.aantallen[["groepering", "groep", *AANTALLEN]],
            "terugval_curves": publiceerbare_curve(res.curves)}
    intern = {"terugval": res.tabel, "terugval_aantallen": res.aantallen, "terugval_curves": res.curves,
              "terugval_rijen": res.rijen}
    tekst = stap.summary() + ("\n" + m if (m := afkeurmelding(val)) else "")
    config = {**cfg.als_dict(), "peildatum": None if val.peildatum is None else str(pd.Timestamp(val.peildatum).date()),
              "waarnemingsperiode": periode_tekst(val)}
    return Uitvoer(commando="terugval", inputs={**dict(val.invoer), **stap.verhuizingen_hash}, config=config,
                   seed=None, publiceerbaar={k: (publ[k], s) for k, s in SPECS.items()}, intern=intern,
                   bestanden={"intern/samenvatting.txt": tekst + "\n"}, validatie=val,
                   client_ids=client_ids(val), drempel=drempel)
