"""Write the example exports in this folder: clearly synthetic, in the shape a gemeente's systems
deliver them (local column names, local instrument names, three date formats, codes instead of names,
open ends as 31-12-9999, a period split in two, a non-re-integration service to leave out).

The numbers come from the simulator (``evaluatie.simulatie.simuleer``, seed 16, 1500 clients on the
peildatum): only names, codes and formats are changed, so an import through ``mapping.toml`` gives back
the simulator's tables (with pseudonyms). Regenerate with::

    python -m evaluatie.data.voorbeeld_export.maak_voorbeeld
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HIER = Path(__file__).parent
SEED = 16
N_CLIENTEN = 1500
GEMEENTEN = {"GM0777": "Etten-Leur", "GM1655": "Halderberge", "GM1709": "Moerdijk", "GM1674": "Roosendaal",
             "GM0840": "Rucphen", "GM0879": "Zundert"}
REDEN = {"werk": "Werkaanvaarding loondienst", "verhuizing": "Vertrek naar andere gemeente",
         "huishoudenswijziging": "Wijziging leefsituatie", "pensioen_leeftijd": "Bereiken AOW-leeftijd",
         "overig": "Overige redenen"}
VOORZIENINGEN = {  # local code, local name → schema instrument (mapping.toml holds the same list)
    "praktijkovereenkomst": ("VZ01", "Praktijkovereenkomst BBL"),
    "arbeidsbemiddeling_wsp": ("VZ02", "Bemiddeling Werkgeversservicepunt"),
    "incidentele_loonkostensubsidie": ("VZ03", "LKS incidenteel"),
    "loonkostenvoordeel": ("VZ04", "LKV doelgroep"),
    "leerwerktraject": ("VZ05", "Leerwerktraject WVS"),
    "werkplekaanpassing": ("VZ06", "Aanpassing werkplek"),
    "sociale_detachering": ("VZ07", "Detachering via WVS"),
    "jobcoaching": ("VZ08", "Jobcoach (extern)"),
    "individuele_studietoeslag": ("VZ09", "Studietoeslag PW"),
    "structurele_loonkostensubsidie": ("VZ10", "LKS structureel"),
    "beschut_werk": ("VZ11", "Beschut werk"),
    "arbeidstraining": ("VZ12", "Werkfit traject"),
}
OVERIG = ("VZ90", "Schuldhulpverlening")  # not a re-integration instrument: left out by the mapping


def _nl(d: pd.Series, fmt: str, open_: str = "") -> pd.Series:
    d = pd.to_datetime(d, errors="coerce")
    return d.dt.strftime(fmt).where(d.notna(), open_)


def maak(out: Path = HIER, *, seed: int = SEED, n_clienten: int = N_CLIENTEN) -> list[Path]:
    """Simulate and write ``klanten.csv``, ``uitkeringen.csv``, ``diagnoses.csv``, ``trajecten.csv`` and
    ``voorzieningen.csv`` to ``out``; returns the paths."""
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=seed, n_clienten=n_clienten)
    t = sim.tabellen
    rng = np.random.default_rng(seed)
    cl = t["clienten"]
    nummers = rng.choice(np.arange(100_000, 999_999), size=len(cl), replace=False)
    knr = dict(zip(cl["client_id"], nummers.astype(str)))
    jn = {True: "J", False: "N", "true": "J", "false": "N"}
    dag = rng.integers(0, 365, size=len(cl))
    geb = pd.to_datetime(cl["geboortejaar"].astype(int).astype(str) + "-01-01") + pd.to_timedelta(dag, unit="D")
    klanten = pd.DataFrame({
        "Klantnummer": cl["client_id"].map(knr),
        "Gemeente": cl["gemeentecode"].map(GEMEENTEN),
        "Geboortedatum": geb.dt.strftime("%d-%m-%Y"),
        "Geslacht": cl["geslacht"].map({"man": "M", "vrouw": "V", "onbekend": "O"}),
        "Opleiding": cl["opleidingsniveau"].map({"laag": "Laag (t/m vmbo)", "middelbaar": "MBO", "hoog": "HBO/WO", "onbekend": "Onbekend"}).fillna(""),
        "Statushouder": cl["statushouder"].astype(str).str.lower().map(jn),
        "VSO/PrO": cl["speciaal_onderwijs"].astype(str).str.lower().map(jn),
        "Nugger": cl["nugger"].astype(str).str.lower().map(jn),
    })
    u = t["uitkeringen"].copy()
    s = pd.to_datetime(u["startdatum"])
    e = pd.to_datetime(u["einddatum"])
    # a 'herberekening' splits some long spells into two adjoining periods (the mapping merges them back)
    lang = ((e.fillna(pd.Timestamp("2019-12-31")) - s).dt.days > 800).to_numpy() & (rng.random(len(u)) < 0.3)
    knip = s + pd.to_timedelta(400, unit="D")
    deel1 = u[lang].assign(einddatum=(knip[lang] - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d"), uitstroomreden="")
    deel2 = u[lang].assign(startdatum=knip[lang].dt.strftime("%Y-%m-%d"))
    u = pd.concat([u[~lang], deel1, deel2]).sort_values(["client_id", "startdatum"], kind="mergesort")
    uitk = pd.DataFrame({
        "Klantnummer": u["client_id"].map(knr),
        "Ingangsdatum": _nl(u["startdatum"], "%d-%m-%Y"),
        "Einddatum": _nl(u["einddatum"], "%d-%m-%Y", open_="31-12-9999"),
        "Reden beeindiging": u["uitstroomreden"].map(REDEN).fillna(""),
    })
    c = t["categorieen"]
    diag = pd.DataFrame({
        "Klantnummer": c["client_id"].map(knr),
        "Datum diagnose": _nl(c["startdatum"], "%Y%m%d"),
        "Doelgroep": c["categorie"].map({"A": "A - Direct bemiddelbaar", "B": "B - Bemiddelbaar met traject", "C": "C - Participatie"}),
        "Trede PL": c["trede"].astype("Int64").astype(str).replace("<NA>", ""),
        "Inzetbaarheid": c["inzetbaarheid"].astype("Int64").astype(str).replace("<NA>", ""),
    })
    tr = t["trajecten"]
    traj = pd.DataFrame({
        "Klantnummer": tr["client_id"].map(knr),
        "Voorzieningcode": tr["instrument"].map({k: v[0] for k, v in VOORZIENINGEN.items()}),
        "Start": _nl(tr["startdatum"], "%d/%m/%Y"),
        "Eind": _nl(tr["einddatum"], "%d/%m/%Y"),
    })
    extra = traj.sample(n=min(40, len(traj)), random_state=seed).assign(Voorzieningcode=OVERIG[0])
    traj = pd.concat([traj, extra]).sort_values(["Klantnummer", "Start"], kind="mergesort")
    vz = pd.DataFrame([(c_, n_) for c_, n_ in [*VOORZIENINGEN.values(), OVERIG]], columns=["Voorzieningcode", "Omschrijving voorziening"])
    paden = []
    for naam, df in (("klanten", klanten), ("uitkeringen", uitk), ("diagnoses", diag), ("trajecten", traj), ("voorzieningen", vz)):
        p = out / f"{naam}.csv"
        df.to_csv(p, sep=";", index=False, lineterminator="\n")
        paden.append(p)
    return paden


if __name__ == "__main__":
    for p in maak():
        print(p, p.stat().st_size)
