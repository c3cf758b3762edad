"""Section 'Gegevens en methode': record flow, assumptions, limitations, disclosure rule."""
from __future__ import annotations

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import beveilig_aantallen, regel_tekst
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.opmaak import aantal

ANKER = "data"
TITEL = "Gegevens en methode"


def _fmt(b, kolommen: list[str], drempel: int) -> pd.DataFrame:
    out = b.tabel.astype(object).copy()
    for k in kolommen:
        out[k] = [f"<{drempel}" if weg else aantal(v) for v, weg in zip(b.tabel[k], b.onderdrukt[k])]
    return out


def recordstroom(reconciliatie: pd.DataFrame, drempel: int) -> pd.DataFrame:
    """Per table: gelezen → geaccepteerd + afgekeurd, with a total row; small counts suppressed."""
    r = reconciliatie[["tabel", "gelezen", "geaccepteerd", "afgekeurd"]].reset_index(drop=True)
    totaal = pd.DataFrame([{"tabel": "totaal", **{k: r[k].sum() for k in ("gelezen", "geaccepteerd", "afgekeurd")}}])
    r = pd.concat([r, totaal], ignore_index=True)
    b = beveilig_aantallen(r, ["geaccepteerd", "afgekeurd"], marge_groepen=[[]], drempel=drempel)
    out = _fmt(b, ["geaccepteerd", "afgekeurd"], drempel)
    out["gelezen"] = [aantal(v) for v in r.gelezen]
    return out


def redenen(telling: pd.DataFrame, drempel: int) -> pd.DataFrame:
    """Findings per rule (counts below the threshold shown as '<drempel')."""
    t = telling[["tabel", "regel", "aantal"]].sort_values(["tabel", "aantal", "regel"], ascending=[True, False, True],
                                                          kind="mergesort").reset_index(drop=True)
    return _fmt(beveilig_aantallen(t, ["aantal"], drempel=drempel), ["aantal"], drempel)


def sectie_data(reconciliatie: pd.DataFrame | None, telling: pd.DataFrame | None, cfg: Evaluatieconfig, *,
                populatie: pd.DataFrame | None = None) -> Sectie:
    """The data-and-method chapter."""
    alineas, tabellen = [], []
    if reconciliatie is not None and len(reconciliatie):
        g, a, af = (int(reconciliatie[k].sum()) for k in ("gelezen", "geaccepteerd", "afgekeurd"))
        zin = (f"Van de {aantal(g)} gelezen rijen zijn er {aantal(a)} geaccepteerd en {aantal(af)} afgekeurd"
               if af == 0 or af >= cfg.drempel else  # else the accepted count would give the small number away
               f"Van de {aantal(g)} gelezen rijen zijn er minder dan {cfg.drempel} afgekeurd")
        zin += ("; afgekeurde rijen zijn met hun reden bewaard naast de uitvoer (map validatie/) en tellen niet mee.")
        if populatie is not None and "n_clienten" in populatie and len(populatie):
            zin += f" De effectanalyse gebruikt {aantal(populatie.n_clienten.iloc[0])} cliënten."
        alineas.append(zin)
        tabellen.append(Tabel("Van bestand naar analyse: gelezen = geaccepteerd + afgekeurd", recordstroom(reconciliatie, cfg.drempel),
                              "Aantallen rijen per invoertabel."))
    else:
        alineas.append("Er is geen validatieverslag meegegeven; de recordstroom (gelezen, geaccepteerd, afgekeurd) ontbreekt.")
    if telling is not None and len(telling):
        tabellen.append(Tabel("Bevindingen bij de controle, per regel", redenen(telling, cfg.drempel),
                              "Een fout keurt de rij af; een waarschuwing niet. Eén rij kan meer bevindingen hebben."))
    alineas += [
        f"Waarnemingsperiode {cfg.periode[0]} tot en met {cfg.periode[1]}. Uitkeringen die eerder begonnen tellen mee vanaf "
        "het begin van de periode (late instap); uitkeringen die aan het eind nog lopen tellen mee tot dat moment "
        "(censurering). Uitstroom naar werk wordt gemeten naast de andere redenen van uitstroom (verhuizing, "
        "huishoudenswijziging, pensioen, overig), die als concurrerende risico's worden behandeld.",
        "Aannames: (1) gegeven de waargenomen kenmerken hangt de start van een instrument niet samen met de kans op werk "
        "(geen niet-gemeten verschillen); (2) de reden van uitstroom is juist geregistreerd; (3) de vergelijkingsgroep van "
        "gemeenten is vergelijkbaar op wat het verdeelmodel niet meet.",
        "Beperkingen: wat als 'werk' telt hangt af van de registratie van de uitstroomreden (Werkplein: 29% van de uitstroom "
        "naar werk tegen 39% in de vergelijkingsgroep van Divosa); combinaties met weinig deelnemers zijn onzeker en gevlagd; "
        "effecten op duurzaam werk en op participatie (in plaats van uitstroom) zijn hier niet de hoofdmaat.",
        "Bescherming van persoonsgegevens: " + regel_tekst(cfg.drempel),
        f"Reproduceerbaarheid: dezelfde invoer, configuratie en seed ({cfg.seed}) geven exact hetzelfde rapport; zie het "
        "manifest onderaan.",
    ]
    return Sectie(ANKER, TITEL, tuple(alineas), tuple(tabellen))
