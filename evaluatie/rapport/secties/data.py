"""Section 'Gegevens en methode': record flow, assumptions, limitations, disclosure rule."""
from __future__ import annotations

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import beveilig_aantallen, regel_tekst
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.opmaak import aantal, datum

TABELNAAM = {"clienten": "cliënten", "uitkeringen": "uitkeringen", "categorieen": "categorieën", "trajecten": "trajecten",
             "poort": "poort (meldingen)", "gemeenten": "gemeenten"}

ANKER = "data"
TITEL = "Gegevens en methode"


def _fmt(b, kolommen: list[str], drempel: int) -> pd.DataFrame:
    out = b.tabel.astype(object).copy()
    for k in kolommen:
        out[k] = [f"<{drempel}" if weg else aantal(v) for v, weg in zip(b.tabel[k], b.onderdrukt[k])]
    return out


def _geanalyseerd(geaccepteerd: float, n: float, drempel: int) -> str:
    """The number analysed; when fewer than ``drempel`` accepted rows were left out, only a bound (else the
    difference would publish a small count)."""
    weg = geaccepteerd - n
    if 0 < weg < drempel:
        return f"meer dan {aantal(geaccepteerd - drempel)}"
    return aantal(n)


def recordstroom(reconciliatie: pd.DataFrame, drempel: int, *, geanalyseerd: dict[str, float] | None = None) -> pd.DataFrame:
    """Per table: gelezen → geaccepteerd + afgekeurd (→ in de analyse), with a total row; small counts suppressed.

    ``geanalyseerd`` maps a table name to the number of its units that entered the effect analysis (e.g.
    ``{"clienten": 14634}``); it adds a column 'in de effectanalyse'.
    """
    r = reconciliatie[["tabel", "gelezen", "geaccepteerd", "afgekeurd"]].reset_index(drop=True)
    totaal = pd.DataFrame([{"tabel": "totaal", **{k: r[k].sum() for k in ("gelezen", "geaccepteerd", "afgekeurd")}}])
    r = pd.concat([r, totaal], ignore_index=True)
    b = beveilig_aantallen(r, ["geaccepteerd", "afgekeurd"], marge_groepen=[[]], drempel=drempel)
    out = _fmt(b, ["geaccepteerd", "afgekeurd"], drempel)
    out["gelezen"] = [aantal(v) for v in r.gelezen]
    if geanalyseerd:
        out["in de effectanalyse"] = [
            _geanalyseerd(float(a), float(geanalyseerd[t]), drempel) if t in geanalyseerd and not weg else "–"
            for t, a, weg in zip(r.tabel, r.geaccepteerd, b.onderdrukt.geaccepteerd)]
    out["tabel"] = [TABELNAAM.get(t, t) for t in r.tabel]
    return out


def redenen(telling: pd.DataFrame, drempel: int) -> pd.DataFrame:
    """Findings per rule (counts below the threshold shown as '<drempel')."""
    t = telling[["tabel", "regel", "aantal"]].sort_values(["tabel", "aantal", "regel"], ascending=[True, False, True],
                                                          kind="mergesort").reset_index(drop=True)
    return _fmt(beveilig_aantallen(t, ["aantal"], drempel=drempel), ["aantal"], drempel)


def horizon_beperking(cfg: Evaluatieconfig) -> str:
    """The limitation of horizons that run past the end of the data (the g-formula projects with the last year)."""
    h = max(cfg.horizonnen)
    eind = pd.Timestamp(cfg.periode[1])
    vanaf = datum(str((eind - pd.DateOffset(months=h)).date()))
    return (f"Horizon voorbij het eind van de gegevens: wie in de laatste maanden van de periode met een instrument begon, "
            f"is niet de hele horizon gevolgd (bij {h} maanden: wie na {vanaf} begon). Voor de maanden na "
            f"{datum(cfg.periode[1])} rekent de g-formule door met de arbeidsmarkt van het laatste waargenomen kalenderjaar "
            f"({eind.year}), alsof die daarna gelijk bleef. Veranderde de arbeidsmarkt wel, dan kunnen vooral de curves en "
            "effecten op lange horizon daardoor vertekend zijn.")


def sectie_data(reconciliatie: pd.DataFrame | None, telling: pd.DataFrame | None, cfg: Evaluatieconfig, *,
                populatie: pd.DataFrame | None = None) -> Sectie:
    """The data-and-method chapter."""
    alineas, tabellen = [], []
    n_clienten = (float(populatie.n_clienten.iloc[0]) if populatie is not None and len(populatie)
                  and "n_clienten" in populatie else None)
    if reconciliatie is not None and len(reconciliatie):
        g, a, af = (int(reconciliatie[k].sum()) for k in ("gelezen", "geaccepteerd", "afgekeurd"))
        zin = (f"Van de {aantal(g)} gelezen rijen zijn er {aantal(a)} geaccepteerd en {aantal(af)} afgekeurd"
               if af == 0 or af >= cfg.drempel else  # else the accepted count would give the small number away
               f"Van de {aantal(g)} gelezen rijen zijn er minder dan {cfg.drempel} afgekeurd")
        zin += ("; afgekeurde rijen zijn met hun reden bewaard naast de uitvoer (map validatie/) en tellen niet mee.")
        rec = reconciliatie.set_index("tabel")
        if n_clienten is not None and "clienten" in rec.index:
            zin += (f" De effectanalyse gebruikt {_geanalyseerd(float(rec.loc['clienten', 'geaccepteerd']), n_clienten, cfg.drempel)} "
                    "cliënten: de geaccepteerde cliënten met een uitkering in de waarnemingsperiode.")
        alineas.append(zin)
        tabellen.append(Tabel("Van bestand naar analyse: gelezen = geaccepteerd + afgekeurd → in de analyse",
                              recordstroom(reconciliatie, cfg.drempel,
                                           geanalyseerd={"clienten": n_clienten} if n_clienten is not None else None),
                              "Aantallen rijen per invoertabel; 'in de effectanalyse': cliënten met een uitkering in de "
                              "waarnemingsperiode. De redenen van afkeuring staan in de tabel met bevindingen (als er "
                              "bevindingen zijn) en per rij in de map validatie/."))
    else:
        alineas.append("Er is geen validatieverslag meegegeven; de recordstroom (gelezen, geaccepteerd, afgekeurd) ontbreekt.")
    if telling is not None and len(telling):
        tabellen.append(Tabel("Bevindingen bij de controle, per regel", redenen(telling, cfg.drempel),
                              "Een fout keurt de rij af; een waarschuwing niet. Eén rij kan meer bevindingen hebben."))
    alineas += [
        f"Waarnemingsperiode {datum(cfg.periode[0])} tot en met {datum(cfg.periode[1])}. Uitkeringen die eerder begonnen tellen mee vanaf "
        "het begin van de periode (late instap); uitkeringen die aan het eind nog lopen tellen mee tot dat moment "
        "(censurering). Uitstroom naar werk wordt gemeten naast de andere redenen van uitstroom (verhuizing, "
        "huishoudenswijziging, pensioen, overig), die als concurrerende risico's worden behandeld.",
        "Aannames: (1) gegeven de waargenomen kenmerken hangt de start van een instrument niet samen met de kans op werk "
        "(geen niet-gemeten verschillen); (2) de reden van uitstroom is juist geregistreerd; (3) de vergelijkingsgroep van "
        "gemeenten is vergelijkbaar op wat het verdeelmodel niet meet.",
        "Beperkingen: wat als 'werk' telt hangt af van de registratie van de uitstroomreden (Werkplein: 29% van de uitstroom "
        "naar werk tegen 39% in de vergelijkingsgroep van Divosa); combinaties met weinig deelnemers zijn onzeker en gevlagd; "
        "effecten op duurzaam werk en op participatie (in plaats van uitstroom) zijn hier niet de hoofdmaat.",
        horizon_beperking(cfg),
        "Bescherming van persoonsgegevens: " + regel_tekst(cfg.drempel),
        f"Reproduceerbaarheid: dezelfde invoer, configuratie en seed ({cfg.seed}) geven exact hetzelfde rapport; zie het "
        "manifest onderaan.",
    ]
    return Sectie(ANKER, TITEL, tuple(alineas), tuple(tabellen))
