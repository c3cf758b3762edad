"""Chapter 'Wat levert het op?' (issue 18): costs against savings per cell, terugverdientijd per instrument, the
scenario, for a raadslid. Reads only the doelmatigheid step's *published* tables (cells under the threshold are
already left out; no counts), so the chapter adds nothing to the disclosure system.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Figuur, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.opmaak import celnaam, instrumentnaam

ANKER = "doelmatigheid"
TITEL = "Wat levert het op?"


def _euro(x: Any) -> str:
    from evaluatie.doelmatigheid.resultaat import euro

    return euro(float(x)) if x is not None and not pd.isna(x) else "–"


def _bi(lo: Any, hi: Any) -> str:
    return f"{_euro(lo)} tot {_euro(hi)}" if pd.notna(lo) and pd.notna(hi) else "geen 95%-BI berekend"


def _tabellen(dm: Any) -> dict[str, pd.DataFrame]:
    return {k: v[0] for k, v in dm.publiceerbaar().items()}


def regel_samenvatting(dm: Any) -> str | None:
    """The summary's one line on doelmatigheid (None when there is no pooled row to read)."""
    if dm is None:
        return None
    if dm.resultaat is None:
        return None  # the chapter says why
    t = _tabellen(dm)["doelmatigheid"]
    h = int(t.horizon.max()) if len(t) else 0
    r = t[(t.instrument == "alle") & (t.categorie == "alle") & (t.perspectief == "gemeente") & (t.horizon == h)]
    if r.empty:
        return None
    x = r.iloc[0]
    oordeel = ("levert de gemeente per saldo geld op" if x.ci_laag > 0 else
               "kost de gemeente per saldo geld" if x.ci_hoog < 0 else "is per saldo niet aantoonbaar winst of verlies")
    return (f"Doelmatigheid: na {h} maanden {oordeel}: netto {_euro(x.netto_per_deelnemer)} per deelnemer "
            f"(95%-BI {_bi(x.ci_laag, x.ci_hoog)}), bij {_euro(x.kosten_per_deelnemer)} kosten per deelnemer.")


def sectie_doelmatigheid(cfg: Evaluatieconfig, dm: Any) -> Sectie:
    """The chapter; when doelmatigheid could not be computed it says so and why."""
    if dm is None or dm.resultaat is None:
        reden = "geen effecten geschat" if dm is None else dm.reden
        return Sectie(ANKER, TITEL, (f"Doelmatigheid kon niet worden berekend: {reden}. Lever een kostentabel "
                                     "(kosten.csv, zie de handleiding) bij de gegevens om kosten en baten te vergelijken.",))
    res = dm.resultaat
    t = _tabellen(dm)
    c, tv, sc = t["doelmatigheid"], t["doelmatigheid_terugverdientijd"], t["doelmatigheid_scenarios"]
    if c.empty or "perspectief" not in c.columns:
        return Sectie(ANKER, TITEL, (f"Doelmatigheid kon niet worden berekend: geen combinatie van instrument en "
                                     f"categorie met ten minste {cfg.drempel} deelnemers.",))
    h = int(c.horizon.max()) if len(c) else res.H
    cf = res.config
    alineas = [
        f"Een instrument kost geld; als deelnemers eerder of vaker uit de bijstand gaan, bespaart de gemeente op "
        f"uitkeringen. We tellen per deelnemer de bespaarde uitkeringsmaanden (deelnemers tegenover dezelfde mensen "
        f"zonder instrument, uit het hoofdstuk 'Blijft het werk?') maal {_euro(res.uitkering_per_maand)} per maand, "
        f"en trekken de kosten van het instrument af. De gemeente houdt onder het BUIG-verdeelmodel niet alles: we "
        f"rekenen met {cf.buig_aandeel:.0%} van de besparing. Maatschappelijk tellen we de hele besparing, "
        f"verdisconteerd met {cf.disconto * 100:.2f}".replace(".", ",") + "% per jaar.",
        "Aannames: geen verdringing (wie door een instrument een baan vindt, neemt die niet van een ander af) en "
        "geen productiewinst of belastingopbrengst meegeteld. De 95%-intervallen komen uit dezelfde bootstrap als "
        "de effecten.",
    ]
    zin = regel_samenvatting(dm)
    if zin:
        alineas.append(zin)
    gem = c[(c.perspectief == "gemeente") & (c.horizon == h)]
    rijen = []
    for _, r in gem.iterrows():
        m = c[(c.instrument == r.instrument) & (c.categorie == r.categorie) & (c.perspectief == "maatschappij")
              & (c.horizon == h)]
        rijen.append({"instrument x categorie": celnaam(r.instrument, r.categorie),
                      "kosten per deelnemer": _euro(r.kosten_per_deelnemer),
                      f"netto gemeente ({h} mnd)": f"{_euro(r.netto_per_deelnemer)} ({_bi(r.ci_laag, r.ci_hoog)})",
                      "kans op winst": "–" if pd.isna(r.kans_positief) else f"{r.kans_positief:.0%}",
                      f"netto maatschappij ({h} mnd)": (f"{_euro(m.iloc[0].netto_per_deelnemer)}" if len(m) else "–"),
                      "kosten per extra uitstroom naar werk": _euro(r.kosten_per_extra_uitstroom),
                      "kosten per extra duurzame uitstroom": _euro(r.kosten_per_extra_duurzaam)})
    tabellen = [Tabel(f"Kosten en netto besparing per deelnemer na {h} maanden", pd.DataFrame(rijen),
                      f"Combinaties met minder dan {cfg.drempel} deelnemers zijn weggelaten. 'onbegrensd': het "
                      "instrument gaf geen extra uitstroom.")]
    tg = tv[(tv.perspectief == "gemeente") & (tv.instrument != "alle")]
    tabellen.append(Tabel("Terugverdientijd per instrument (gemeente)", pd.DataFrame([{
        "instrument x categorie": celnaam(r.instrument, r.categorie),
        "terugverdiend na": (f"{int(r.terugverdientijd)} maanden" if r.binnen_horizon
                             else f"niet binnen {int(r.horizon)} maanden"),
        "kans terugverdiend binnen de horizon": "–" if pd.isna(r.kans_terugverdiend) else f"{r.kans_terugverdiend:.0%}",
    } for _, r in tg.iterrows()]), "De maand waarin de opgetelde besparing de kosten voor het eerst haalt."))
    for naam in (dict.fromkeys(sc.scenario) if "scenario" in sc.columns else ()):
        s = sc[(sc.scenario == naam) & (sc.horizon == h)]
        if s.empty:
            continue
        labels = {"extra_uitstroom_werk": "extra uitstroom naar werk (personen)",
                  "extra_duurzaam_werk": "extra duurzame uitstroom (personen)",
                  "uitkeringsmaanden": "verandering uitkeringsmaanden",
                  "extra_kosten_instrument": "extra kosten instrumenten",
                  "netto_besparing_gemeente": "netto besparing gemeente", "netto_besparing_maatschappij":
                  "netto besparing maatschappij"}
        geld = ("extra_kosten_instrument", "netto_besparing_gemeente", "netto_besparing_maatschappij")
        tabellen.append(Tabel(f"Scenario: {naam} (na {h} maanden)", pd.DataFrame([{
            "grootheid": labels.get(r.grootheid, r.grootheid),
            "verwachte verandering": _euro(r.schatting) if r.grootheid in geld else f"{r.schatting:+.1f}".replace(".", ","),
            "95%-BI": (_bi(r.ci_laag, r.ci_hoog) if r.grootheid in geld else
                       "–" if pd.isna(r.ci_laag) else f"{r.ci_laag:+.1f} tot {r.ci_hoog:+.1f}".replace(".", ",")),
        } for _, r in s.iterrows()]), "Aanname: het effect per deelnemer blijft gelijk als er deelnemers bij komen of "
            "af gaan; het interval is gezamenlijk over beide groepen (dezelfde bootstrapreplicaties)."))
    figuren = []
    inst = gem[gem.instrument != "alle"]
    if len(inst):
        from evaluatie.rapport.secties.doelmatigheid_figuur import kosteneffectfiguur

        figuren.append(Figuur(f"Kosten en bespaarde uitkeringsmaanden per deelnemer ({h} maanden)",
                              figuur_png(kosteneffectfiguur(inst, uitkering_per_maand=res.uitkering_per_maand,
                                                            aandeel=cf.buig_aandeel)),
                              "Per instrument en categorie de kosten per deelnemer tegen de bespaarde uitkeringsmaanden",
                              "Verticaal: 95%-BI van de bespaarde maanden; horizontaal: kosten ±25%. Boven de "
                              "stippellijn verdient het instrument zich voor de gemeente terug."))
    return Sectie(ANKER, TITEL, tuple(alineas), tuple(tabellen), tuple(figuren))
