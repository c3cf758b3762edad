"""Municipal tables: a national-looking panel of gemeenten x jaren (with a planted policy effect) and the
Werkplein gate (poort), both matching the published Werkplein / Etten-Leur figures exactly.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.simulatie.config import HVWB_GEMEENTEN, SimulatieConfig

#: 2012-2014 precede the Participatiewet (WWB inkomensdeel, same kind of verdeelmodel); they give the
#: difference-in-differences around the 2016 policy shift pre-years for a pre-trend test and a placebo.
JAREN: tuple[int, ...] = tuple(range(2012, 2020))
#: Years for which Etten-Leur's Tabel 5 is published (exact in the simulated panel).
JAREN_TABEL_5: tuple[int, ...] = (2015, 2016, 2017, 2018, 2019)

#: Etten-Leur, Tabel 5 of the Rekenkamer report (exact; BUIG in euro).
ETTEN_LEUR: dict[str, tuple[float, ...]] = {
    "buig_budget": (7_798_000, 8_856_000, 9_816_000, 10_091_000, 10_508_000),
    "genormeerd_aantal": (593, 695, 755, 741, 702),
    "feitelijk_aantal": (673, 696, 719, 697, 705),
}
#: Etten-Leur 2017 in- and outflow (27.8 % and 26.5 % of the norm 755).
ETTEN_LEUR_2017 = {"instroom": 210.0, "uitstroom": 200.0}

#: Werkplein Tabel 1 (the gate), sums over the six gemeenten. 2019 = first half year.
POORT_TOTALEN: dict[int, dict[str, int]] = {
    2016: {"meldingen": 2539, "aanvragen": 1490, "toekenningen": 1422},
    2017: {"meldingen": 2133, "aanvragen": 1378, "toekenningen": 1188},
    2018: {"meldingen": 1874, "aanvragen": 1134, "toekenningen": 905},
    2019: {"meldingen": 898, "aanvragen": 571, "toekenningen": 433},
}

_NORM_JAAR = np.array([0.90, 0.94, 0.97, 1.0, 1.06, 1.09, 1.07, 1.03])
_WERKLOOSHEID_NL = np.array([5.8, 7.3, 7.4, 6.9, 6.0, 4.9, 3.8, 3.4])
_BUIG_PER_NORM = 13_150.0


def _codes(rng: np.random.Generator, n: int) -> list[str]:
    bezet = {int(c[2:]) for c in HVWB_GEMEENTEN}
    vrij = np.array([i for i in range(1, 10_000) if i not in bezet])
    return [f"GM{i:04d}" for i in np.sort(rng.choice(vrij, size=n, replace=False))]


def gemeentetabel(cfg: SimulatieConfig, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Panel of ``cfg.n_gemeenten`` gemeenten x 2012-2019 and the truth of the planted policy effect.

    From 2016 on, the six HvWB gemeenten' uitstroom is raised by ``cfg.beleidseffect_pp`` percentage points
    of their genormeerd aantal (except Etten-Leur 2017, which is fixed at the published value).
    """
    hv = list(HVWB_GEMEENTEN)
    n_syn = cfg.n_gemeenten - len(hv)
    if n_syn < 0:
        raise ValueError(f"n_gemeenten: verwacht >= {len(hv)}, kreeg {cfg.n_gemeenten}")
    codes = hv + _codes(rng, n_syn)
    namen = [HVWB_GEMEENTEN[c][0] for c in hv] + [f"Simgemeente {i:03d}" for i in range(1, n_syn + 1)]
    n, T = len(codes), len(JAREN)
    groei = 1.0 + 0.004 + 0.003 * rng.standard_normal((n, 1))
    inw19 = np.concatenate([
        np.array([HVWB_GEMEENTEN[c][1] for c in hv], dtype=float),
        np.clip(rng.lognormal(np.log(26_000), 0.75, n_syn), 1_000, 900_000),
    ])
    inwoners = np.round(inw19[:, None] * groei ** (np.arange(T) - (T - 1))).astype(np.int64)
    sted = np.clip(np.round(5 - (np.log(inw19) - np.log(8_000)) + 0.7 * rng.standard_normal(n)), 1, 5)
    wl_basis = 4.5 + 0.5 * (3 - sted) + 0.8 * rng.standard_normal(n)
    werkloosheid = np.round(np.clip(wl_basis[:, None] * _WERKLOOSHEID_NL / 5.0, 1.0, 15.0), 1)
    aandeel = np.clip(0.011 + 0.004 * (5 - sted) + 0.002 * (wl_basis - 4.5) + 0.003 * rng.standard_normal(n), 0.008, 0.045)
    norm = np.round(aandeel[:, None] * inwoners * _NORM_JAAR * np.exp(0.02 * rng.standard_normal((n, T))), 1)
    r = np.empty((n, T))
    r[:, 0] = 1 + 0.08 * rng.standard_normal(n)
    for t in range(1, T):
        r[:, t] = 1 + 0.8 * (r[:, t - 1] - 1) + 0.048 * rng.standard_normal(n)
    feitelijk = np.round(norm * r)
    buig = np.round(norm * _BUIG_PER_NORM * 1.033 ** np.arange(T) * np.exp(0.02 * rng.standard_normal((n, T))), -3)
    # Etten-Leur (row 0) exact, before in- and outflow are derived from the norm
    t5 = [JAREN.index(j) for j in JAREN_TABEL_5]
    buig[0, t5] = ETTEN_LEUR["buig_budget"]
    norm[0, t5] = ETTEN_LEUR["genormeerd_aantal"]
    feitelijk[0, t5] = ETTEN_LEUR["feitelijk_aantal"]
    instroom = np.round(norm * 0.27 * np.exp(0.08 * rng.standard_normal((n, T))))
    uit_cf = norm * (0.265 + 0.02 * rng.standard_normal((n, T)))
    werk_aandeel = rng.uniform(0.30, 0.40, (n, T))

    behandeld = np.zeros((n, T), dtype=bool)
    behandeld[: len(hv), JAREN.index(2016):] = True
    uit = np.round(np.where(behandeld, uit_cf + cfg.beleidseffect_pp / 100.0 * norm, uit_cf))
    uit_cf = np.round(uit_cf)
    j17 = JAREN.index(2017)
    instroom[0, j17] = ETTEN_LEUR_2017["instroom"]
    uit[0, j17] = ETTEN_LEUR_2017["uitstroom"]
    uitstroom_werk = np.round(uit * werk_aandeel)

    df = pd.DataFrame({
        "gemeentecode": np.repeat(np.array(codes, dtype=object), T),
        "gemeentenaam": np.repeat(np.array(namen, dtype=object), T),
        "jaar": pd.array(np.tile(JAREN, n), dtype="Int64"),
        "inwoners": pd.array(inwoners.ravel(), dtype="Int64"),
        "buig_budget": buig.ravel().astype(float),
        "genormeerd_aantal": norm.ravel().astype(float),
        "feitelijk_aantal": feitelijk.ravel().astype(float),
        "instroom": instroom.ravel().astype(float),
        "uitstroom": uit.ravel().astype(float),
        "uitstroom_werk": uitstroom_werk.ravel().astype(float),
        "kenmerk_stedelijkheid": np.repeat(sted, T).astype(float),
        "kenmerk_werkloosheid": werkloosheid.ravel().astype(float),
    }).sort_values(["gemeentecode", "jaar"], kind="stable").reset_index(drop=True)

    mask = behandeld.copy()
    mask[0, j17] = False
    gerealiseerd = float(np.mean(((uit - uit_cf) / norm * 100.0)[mask]))
    beleid = {
        "gemeenten": hv,
        "vanaf_jaar": 2016,
        "uitkomst": "uitstroom als percentage van genormeerd_aantal",
        "pp_van_norm": cfg.beleidseffect_pp,
        "gerealiseerd_pp": gerealiseerd,
        "uitgezonderd": [{"gemeentecode": "GM0777", "jaar": 2017, "reden": "vaste waarde uit het rapport (200)"}],
        "toelichting": "Vanaf 2016 is de uitstroom van de zes HvWB-gemeenten verhoogd met pp_van_norm procentpunt "
        "van het genormeerd aantal; gerealiseerd_pp is het gemiddelde na afronding over de behandelde rijen "
        "zonder de uitzondering. De uitstroom van de overige gemeenten en jaren is onbehandeld.",
    }
    return df, beleid


def poorttabel(rng: np.random.Generator) -> pd.DataFrame:
    """The gate per HvWB gemeente for 2016-2018 (whole year) and 2019 (first half year, maanden = 6).

    Sums over the six gemeenten equal Werkplein Tabel 1 exactly, and per gemeente
    toekenningen <= aanvragen <= meldingen.
    """
    hv = list(HVWB_GEMEENTEN)
    inw = np.array([HVWB_GEMEENTEN[c][1] for c in hv], dtype=float)
    rows = []
    for jaar, tot in POORT_TOTALEN.items():
        p = inw * np.exp(0.1 * rng.standard_normal(len(hv)))
        meld = rng.multinomial(tot["meldingen"], p / p.sum())
        aanv = rng.multivariate_hypergeometric(meld, tot["aanvragen"])
        toek = rng.multivariate_hypergeometric(aanv, tot["toekenningen"])
        for i, c in enumerate(hv):
            rows.append((c, jaar, None, 6 if jaar == 2019 else None, int(meld[i]), int(aanv[i]), int(toek[i])))
    df = pd.DataFrame(rows, columns=["gemeentecode", "jaar", "maand", "maanden", "meldingen", "aanvragen", "toekenningen"])
    for k in ("jaar", "maand", "maanden", "meldingen", "aanvragen", "toekenningen"):
        df[k] = pd.array(df[k].tolist(), dtype="Int64")
    df["gemeentecode"] = df["gemeentecode"].astype(object)
    return df.sort_values(["gemeentecode", "jaar"], kind="stable").reset_index(drop=True)
