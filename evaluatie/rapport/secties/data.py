"""Section 'Gegevens en methode': record flow, assumptions, limitations, disclosure rule."""
from __future__ import annotations

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import Beveiligd, regel_tekst
from evaluatie.rapport.beveiliging import Rapporttellingen, marker_noot, rapporttellingen
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.opmaak import aantal, datum

TABELNAAM = {"clienten": "cliënten", "uitkeringen": "uitkeringen", "categorieen": "categorieën", "trajecten": "trajecten",
             "poort": "poort (meldingen)", "gemeenten": "gemeenten"}

ANKER = "data"
TITEL = "Gegevens en methode"


def _fmt(b: Beveiligd, kolommen: list[str]) -> pd.DataFrame:
    """Counts as Dutch numbers; primary-suppressed as '<drempel', secondary as 'x'."""
    w = b.weergave()
    out = b.tabel.astype(object).copy()
    for k in kolommen:
        out[k] = [v if isinstance(v, str) else aantal(v) for v in w[k]]
    return out


def _tellingen(tellingen: Rapporttellingen | None, drempel: int, **invoer) -> Rapporttellingen:
    return tellingen if tellingen is not None else rapporttellingen(drempel, **invoer)


def recordstroom(reconciliatie: pd.DataFrame, drempel: int, *, geanalyseerd: dict[str, float] | None = None,
                 tellingen: Rapporttellingen | None = None) -> pd.DataFrame:
    """Per table: gelezen → geaccepteerd + afgekeurd (→ in de analyse), with a total row; small counts suppressed.

    ``geanalyseerd`` maps a table name to the number of its units that entered the effect analysis (e.g.
    ``{"clienten": 14634}``); it adds a column 'in de effectanalyse'. All counts pass the report's joint
    disclosure control (``tellingen``; computed here when not given): the analysed clients are a cell of
    their own, so a small difference with the accepted clients is protected like any other cell.
    """
    if tellingen is None:
        pop = None if not geanalyseerd or "clienten" not in geanalyseerd else pd.DataFrame(
            {"maat": ["toerekenbaar_aandeel"], "n_clienten": [geanalyseerd["clienten"]]})
        tellingen = rapporttellingen(drempel, reconciliatie=reconciliatie, populatie=pop)
    b = tellingen.get("recordstroom")
    r = b.tabel
    out = _fmt(b, ["gelezen", "geaccepteerd", "afgekeurd"])
    a = tellingen.get("analyse")
    if geanalyseerd and a is not None:
        tekst = _fmt(a, ["n_clienten"])["n_clienten"].iloc[0]
        out["in de effectanalyse"] = [tekst if t == "clienten" else "–" for t in r.tabel]
    out["tabel"] = [TABELNAAM.get(t, t) for t in r.tabel]
    return out[["tabel", "gelezen", "geaccepteerd", "afgekeurd"] + (["in de effectanalyse"] if "in de effectanalyse" in out else [])]


def redenen(telling: pd.DataFrame, drempel: int, *, tellingen: Rapporttellingen | None = None) -> pd.DataFrame:
    """Findings per rule (counts below the threshold shown as '<drempel')."""
    b = _tellingen(tellingen, drempel, bevindingen_telling=telling).get("bevindingen")
    return _fmt(b, ["aantal"])


def _stroomzin(tellingen: Rapporttellingen) -> str:
    """'Van de 1.234 gelezen rijen zijn er … geaccepteerd en … afgekeurd' from the protected total row."""
    b = tellingen.get("recordstroom")
    w = _fmt(b, ["gelezen", "geaccepteerd", "afgekeurd"]).iloc[-1]
    prim = b.primair.iloc[-1] if b.primair is not None else b.onderdrukt.iloc[-1]
    weg = b.onderdrukt.iloc[-1]

    def deel(k: str) -> str:
        if not weg[k]:
            return str(w[k])
        return f"minder dan {tellingen.drempel}" if prim[k] else "een niet getoond aantal (privacy)"

    if weg["gelezen"]:
        return "De aantallen gelezen, geaccepteerde en afgekeurde rijen staan in de tabel hieronder"
    if weg["afgekeurd"] and prim["afgekeurd"]:
        return f"Van de {w['gelezen']} gelezen rijen zijn er minder dan {tellingen.drempel} afgekeurd"
    return f"Van de {w['gelezen']} gelezen rijen zijn er {deel('geaccepteerd')} geaccepteerd en {deel('afgekeurd')} afgekeurd"


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
                populatie: pd.DataFrame | None = None, tellingen: Rapporttellingen | None = None) -> Sectie:
    """The data-and-method chapter; counts from ``tellingen`` (the report's joint disclosure control,
    computed from the arguments when not given)."""
    alineas, tabellen = [], []
    tel = _tellingen(tellingen, cfg.drempel, reconciliatie=reconciliatie, bevindingen_telling=telling,
                     populatie=populatie)
    n_clienten = (float(populatie.n_clienten.iloc[0]) if populatie is not None and len(populatie)
                  and "n_clienten" in populatie else None)
    if reconciliatie is not None and len(reconciliatie) and tel.get("recordstroom") is not None:
        zin = _stroomzin(tel)
        zin += ("; afgekeurde rijen zijn met hun reden bewaard naast de uitvoer (map validatie/) en tellen niet mee.")
        a = tel.get("analyse")
        if a is not None:
            tekst = _fmt(a, ["n_clienten"])["n_clienten"].iloc[0]
            zin += (" De effectanalyse gebruikt " + (f"{tekst} cliënten" if not a.onderdrukt["n_clienten"].iloc[0] else
                                                      "een niet getoond aantal cliënten (privacy)")
                    + ": de geaccepteerde cliënten met een uitkering in de waarnemingsperiode.")
        alineas.append(zin)
        tabellen.append(Tabel("Van bestand naar analyse: gelezen = geaccepteerd + afgekeurd → in de analyse",
                              recordstroom(reconciliatie, cfg.drempel, tellingen=tel,
                                           geanalyseerd={"clienten": n_clienten} if n_clienten is not None else None),
                              "Aantallen rijen per invoertabel; 'in de effectanalyse': cliënten met een uitkering in de "
                              "waarnemingsperiode. De redenen van afkeuring staan in de tabel met bevindingen (als er "
                              "bevindingen zijn) en per rij in de map validatie/. " + marker_noot(cfg.drempel)))
    else:
        alineas.append("Er is geen validatieverslag meegegeven; de recordstroom (gelezen, geaccepteerd, afgekeurd) ontbreekt.")
    if telling is not None and len(telling):
        tabellen.append(Tabel("Bevindingen bij de controle, per regel", redenen(telling, cfg.drempel, tellingen=tel),
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
