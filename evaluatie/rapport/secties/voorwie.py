"""Chapter "Voor wie werkt het?" (issue 19): effects per pre-specified subgroup, the difference with the rest of
the cell, heterogeneity tests, and multiplicity-adjusted verdicts.

Reads the effects step's ``subgroepen`` and ``celtoetsen`` tables and the subgroup counts as protected in the
report's joint disclosure call (``subgroepen_aantallen`` in :func:`evaluatie.rapport.beveiliging.rapporttellingen`).
A subgroup difference is called *aantoonbaar* only when its Romano-Wolf adjusted p-value is below 0.05; the text
names the family that was corrected. Nothing is estimated here.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.rapport.inhoud import Figuur, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.opmaak import aantal, bi, celnaam, getal, procentpunt

ANKER = "voorwie"
TITEL = "Voor wie werkt het?"
METHODE = "gformule"


def _p(x: Any) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return "< 0,001" if x < 0.001 else getal(x, 3)


def oordeel(p_rw: Any, schatting: Any) -> str:
    """Verdict on a difference from its Romano-Wolf adjusted p-value (the family is named in the text)."""
    if p_rw is None or not np.isfinite(p_rw):
        return "niet te beoordelen"
    if p_rw < 0.05:
        return "aantoonbaar groter" if schatting > 0 else "aantoonbaar kleiner"
    return "geen aantoonbaar verschil"


def sectie_voorwie(cfg: Any, subgroepen: pd.DataFrame | None, celtoetsen: pd.DataFrame | None,
                   tellingen: Any = None) -> Sectie | None:
    """The chapter, or None when no subgroups were asked for."""
    if subgroepen is None or not len(subgroepen):
        return None
    h = int(max(cfg.horizonnen))
    s = subgroepen
    g = s[(s.status == "geschat") & (s.methode == METHODE) & (s.horizon == h)]
    niet = s[(s.maat == "aantal") & (s.subgroep != "overige deelnemers")]
    prot = tellingen.get("subgroepen_aantallen") if tellingen is not None else None
    n_van: dict[tuple, Any] = {}
    if prot is not None:
        for r in prot.tabel.itertuples():
            n_van[(r.instrument, r.categorie, r.indeling, r.subgroep)] = r.n_deelnemers
    al = [f"Vooraf gekozen subgroepen: {', '.join(sorted(set(s.indeling)))}. Per instrumentcel is het effect "
          f"geschat voor de deelnemers in de subgroep en voor de rest van de cel, met hetzelfde model en dezelfde "
          f"bootstrap als de effecten per cel. Een subgroep wordt alleen geschat als zij en de rest van haar cel "
          f"genoeg deelnemers hebben; {len(niet)} combinaties zijn daarom niet geschat."]
    rijen, fig = [], []
    if len(g):
        piv = {m: g[g.maat == m].set_index(["instrument", "categorie", "indeling", "subgroep"]) for m in
               ("att_subgroep", "att_rest", "verschil")}
        v = piv["verschil"]
        m = int(v["p"].notna().sum())
        fam = f"alle {m} subgroepverschillen (g-formule, {h} maanden)"
        al.append(f"**Meervoudig toetsen.** Met veel subgroepen is toevallig één verschil 'significant'. Een verschil "
                  f"heet hier alleen aantoonbaar als de voor meervoudig toetsen gecorrigeerde p-waarde (Romano-Wolf, "
                  f"stapsgewijs op de bootstrapreplicaties) onder 0,05 ligt; gecorrigeerd is over de familie {fam}. "
                  f"De Holm-correctie staat ernaast (strenger als de schattingen samenhangen).")
        for k, r in v.iterrows():
            a = piv["att_subgroep"].loc[k]
            rest = piv["att_rest"].loc[k]
            n = n_van.get(k, np.nan)
            rijen.append({"cel": celnaam(k[0], k[1]), "subgroep": k[3], "deelnemers": aantal(n),
                          "effect subgroep (95%-BI)": f"{procentpunt(a.schatting)} ({bi(a.ci_laag, a.ci_hoog, schaal=100)})",
                          "gekrompen": procentpunt(a.gekrompen),
                          "effect rest": procentpunt(rest.schatting),
                          "verschil (95%-BI)": f"{procentpunt(r.schatting)} ({bi(r.ci_laag, r.ci_hoog, schaal=100)})",
                          "p": _p(r.p), "p Holm": _p(r.p_holm), "p Romano-Wolf": _p(r.p_romano_wolf),
                          "oordeel": oordeel(r.p_romano_wolf, r.schatting)})
        aant = [x for x in rijen if x["oordeel"].startswith("aantoonbaar")]
        al.append(f"{len(aant)} van de {len(rijen)} geschatte subgroepen verschillen aantoonbaar van de rest van hun cel"
                  + (": " + "; ".join(f"{x['cel']}, {x['subgroep']} ({x['oordeel']}, verschil {x['verschil (95%-BI)']})"
                                      for x in aant) if aant else "."))
        al.append("De gekrompen schatting (empirisch Bayes) trekt het effect van een kleine subgroep naar het gemiddelde "
                  "van dezelfde subgroep bij hetzelfde instrument in de andere categorieën: een realistischer "
                  "verwachting dan de ruwe schatting, die bij kleine aantallen sterk door toeval wordt bepaald.")
        from evaluatie.rapport import figuren_voorwie as fv

        a = piv["att_subgroep"].reset_index()
        data = pd.DataFrame({"instrument": a.instrument, "categorie": a.categorie, "subgroep": a.subgroep,
                             "att": a.schatting, "laag": a.ci_laag, "hoog": a.ci_hoog, "gekrompen": a.gekrompen,
                             "rest": piv["att_rest"].reset_index().schatting})
        data = data[np.isfinite(data.laag) & np.isfinite(data.hoog)]
        if len(data):
            fig.append(Figuur(f"Effect per subgroep na {h} maanden", figuur_png(fv.subgroepfiguur(data, horizon=h)),
                              alt="Bosfiguur van het effect per subgroep met 95%-interval en gekrompen schatting"))
    else:
        al.append("Geen enkele subgroep had genoeg deelnemers (in de subgroep en in de rest van de cel) om te schatten.")
    tabellen = []
    if rijen:
        tabellen.append(Tabel(f"Subgroep tegen de rest van de cel (g-formule, {h} maanden)", pd.DataFrame(rijen),
                              noot="Effecten en verschillen in procentpunten uitstroom naar werk. Oordeel op de "
                                   "Romano-Wolf-gecorrigeerde p-waarde."))
    if celtoetsen is not None and len(celtoetsen):
        t = celtoetsen[(celtoetsen.methode == METHODE) & (celtoetsen.horizon == h)]
        het = t[t.toets == "heterogeniteit"]
        if len(het):
            tabellen.append(Tabel("Toets op verschillen tussen subgroepen binnen de cel (alle indelingen samen)",
                                  pd.DataFrame({"cel": [celnaam(r.instrument, r.categorie) for r in het.itertuples()],
                                                "chi-kwadraat": [getal(x, 1) for x in het.schatting],
                                                "vrijheidsgraden": [aantal(x) for x in het.df],
                                                "p": [_p(x) for x in het.p]}),
                                  noot="Wald-toets met de bootstrapcovariantie van alle subgroepverschillen van de cel."))
        att = t[(t.toets == "att") & t.p_romano_wolf.notna()]
        if len(att):
            fam = att.familie.iloc[0]
            tabellen.append(Tabel("Effect per cel, gecorrigeerd voor meervoudig toetsen",
                                  pd.DataFrame({"cel": [celnaam(r.instrument, r.categorie) for r in att.itertuples()],
                                                "effect": [procentpunt(x) for x in att.schatting],
                                                "gekrompen": [procentpunt(x) for x in att.gekrompen],
                                                "p": [_p(x) for x in att.p], "p Holm": [_p(x) for x in att.p_holm],
                                                "p Romano-Wolf": [_p(x) for x in att.p_romano_wolf]}),
                                  noot=f"Familie: {fam}. Gekrompen naar het gemiddelde van het instrument over de "
                                       f"categorieën."))
    return Sectie(ANKER, TITEL, tuple(al), tuple(tabellen), tuple(fig))
