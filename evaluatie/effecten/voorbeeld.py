"""A small, self-contained person-month data-generating process with known effects.

Used by the tests and benchmarks of :mod:`evaluatie.effecten` so they do not depend on the full
simulator. Monthly discrete time: untreated clients start an instrument by a logit in observed
characteristics (plus an optional unobserved ``U``); then a multinomial-logit exit (werk / other), with
the instrument shifting the log-odds of werk by ``lock_in`` while in the programme and ``na`` after.
At most one trajectory per spell. The truth is the *expected* ATT for the realised participants:
``att_nooit(h) = mean_i [CIF1_i(h) - CIF0_i(h)]`` from the true hazards (including ``U``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluatie.effecten.cif import cif_uit_hazards

GEMEENTEN = ("GM0777", "GM1655", "GM1709", "GM1674", "GM0840", "GM0879")
OPL = ("laag", "middelbaar", "hoog")


@dataclass(frozen=True)
class Voorbeeldconfig:
    """Parameters of the example DGP. ``instrumenten`` maps categorie -> ((code, duur, lock_in, na, basis_start), ...)."""

    maanden: int = 60
    startjaar: int = 2015
    onwaarneembaar: float = 0.0
    selectie: float = 2.0
    instrumenten: dict = field(default_factory=lambda: {
        "A": (("arbeidsbemiddeling_wsp", 3, 0.0, 0.4, -4.2), ("praktijkovereenkomst", 4, -0.3, 0.6, -4.8)),
        "B": (("jobcoaching", 6, 0.2, 0.5, -4.0), ("leerwerktraject", 9, -0.6, 0.5, -4.4)),
        "C": (("jobcoaching", 6, 0.0, 0.6, -4.6), ("arbeidstraining", 6, -0.5, 0.3, -4.3)),
    })
    werk_basis: dict = field(default_factory=lambda: {"A": -2.4, "B": -3.3, "C": -4.6})
    ander_basis: dict = field(default_factory=lambda: {"A": -4.0, "B": -4.2, "C": -4.4})


def _werk_eta(cat, m, age, opl, gem, jaar, U, cfg: Voorbeeldconfig) -> np.ndarray:
    base = np.vectorize(cfg.werk_basis.get)(cat) if np.ndim(cat) else cfg.werk_basis[cat]
    return (base - 0.35 * np.log1p(m) - 0.25 * (age - 40) / 10 - 0.15 * ((age - 40) / 10) ** 2
            + 0.35 * opl + 0.05 * gem + 0.06 * (jaar - cfg.startjaar) + cfg.onwaarneembaar * U)


def _ander_eta(cat, m, age, cfg: Voorbeeldconfig) -> np.ndarray:
    base = np.vectorize(cfg.ander_basis.get)(cat)
    return base + 0.2 * (age - 40) / 10 - 0.05 * np.log1p(m)


def _start_eta(basis, m, age, opl, U, cfg: Voorbeeldconfig) -> np.ndarray:
    s = cfg.selectie
    return basis + s * (0.45 * opl - 0.35 * (age - 40) / 10 - 0.25 * np.log1p(m)) + cfg.onwaarneembaar * U


@dataclass(frozen=True)
class Voorbeeld:
    """Person-month table and truth of the example DGP."""

    persoonmaanden: pd.DataFrame
    waarheid: pd.DataFrame  # instrument, categorie, horizon, cif_deelnemers, cif_controle_nooit, att_nooit, n_deelnemers
    toerekenbaar_aandeel: float
    config: Voorbeeldconfig


def simuleer_persoonmaanden(seed: int, n_clienten: int, config: Voorbeeldconfig = Voorbeeldconfig(), H: int = 36) -> Voorbeeld:
    """Simulate ``n_clienten`` spells (one per client) starting uniformly in the window."""
    cfg = config
    rng = np.random.default_rng(seed)
    n = n_clienten
    cat = rng.choice(np.array(["A", "B", "C"]), size=n, p=[0.25, 0.3, 0.45])
    age = rng.integers(18, 65, size=n)
    opl = rng.choice(3, size=n, p=[0.5, 0.35, 0.15])
    gem = rng.integers(0, 6, size=n)
    sex = rng.choice(np.array(["man", "vrouw"]), size=n)
    U = rng.standard_normal(n)
    start = rng.integers(0, cfg.maanden, size=n)
    trede = np.where(cat == "A", 5, np.where(cat == "B", 3, 2))

    instr_codes = sorted({i[0] for v in cfg.instrumenten.values() for i in v})
    # per client: which instrument started (-1 none), at which maand, duration, effects
    g_instr = np.full(n, -1)
    g_d = np.full(n, -1)
    g_L = np.zeros(n, int)
    g_li = np.zeros(n)
    g_na = np.zeros(n)
    g_basis_slot = {c: [(instr_codes.index(x[0]), x[1], x[2], x[3], x[4]) for x in v] for c, v in cfg.instrumenten.items()}
    uit = np.zeros(n, int)  # 0 active, 1 werk, 2 other
    rows = []
    for t in range(cfg.maanden):
        act = np.nonzero((start <= t) & (uit == 0))[0]
        if len(act) == 0:
            continue
        m = t - start[act]
        jaar = cfg.startjaar + t // 12
        # starts
        unt = act[g_instr[act] < 0]
        mu = t - start[unt]
        for c, slots in g_basis_slot.items():
            sel = unt[cat[unt] == c]
            if len(sel) == 0:
                continue
            msel = t - start[sel]
            etas = [np.exp(_start_eta(s[4], msel, age[sel], opl[sel], U[sel], cfg)) for s in slots]
            den = 1 + sum(etas)
            u = rng.random(len(sel))
            acc = np.zeros(len(sel))
            chosen = np.full(len(sel), -1)
            for j, e in enumerate(etas):
                nxt = acc + e / den
                chosen = np.where((chosen < 0) & (u >= acc) & (u < nxt), j, chosen)
                acc = nxt
            for j, s in enumerate(slots):
                who = sel[chosen == j]
                g_instr[who], g_d[who], g_L[who], g_li[who], g_na[who] = s[0], t - start[who], s[1], s[2], s[3]
        del mu
        # exit
        tr = g_instr[act] >= 0
        since = m - g_d[act]
        inprog = tr & (since < g_L[act])
        after = tr & (since >= g_L[act])
        ew = _werk_eta(cat[act], m, age[act], opl[act], gem[act], jaar, U[act], cfg) + g_li[act] * inprog + g_na[act] * after
        eo = _ander_eta(cat[act], m, age[act], cfg)
        den = 1 + np.exp(ew) + np.exp(eo)
        pw, po = np.exp(ew) / den, np.exp(eo) / den
        u = rng.random(len(act))
        st = np.where(u < pw, 1, np.where(u < pw + po, 5, 0))
        rows.append((act, m, t, st, inprog, after))
        uit[act] = np.where(st == 1, 1, np.where(st == 5, 2, 0))

    a = np.concatenate([r[0] for r in rows])
    df = pd.DataFrame({
        "client_id": np.char.add("c", a.astype(str)),
        "spell_id": a,
        "maand": np.concatenate([r[1] for r in rows]),
        "kalendermaand": pd.PeriodIndex.from_fields(
            year=cfg.startjaar + np.concatenate([np.full(len(r[0]), r[2]) for r in rows]) // 12,
            month=np.concatenate([np.full(len(r[0]), r[2]) for r in rows]) % 12 + 1, freq="M"),
        "status": np.concatenate([r[3] for r in rows]).astype(np.int64),
    })
    inp = np.concatenate([r[4] for r in rows])
    aft = np.concatenate([r[5] for r in rows])
    for k, code in enumerate(instr_codes):
        is_k = g_instr[a] == k
        df[f"{code}_in"] = (inp & is_k).astype(np.int8)
        df[f"{code}_na"] = (aft & is_k).astype(np.int8)
    df["categorie"] = cat[a]
    df["trede"] = pd.array(trede[a], dtype="Int64")
    df["kalenderjaar"] = df["kalendermaand"].dt.year.astype(np.int64)
    df["gemeentecode"] = np.array(GEMEENTEN)[gem[a]]
    df["leeftijd"] = age[a]
    df["geslacht"] = sex[a]
    df["opleidingsniveau"] = np.array(OPL)[opl[a]]
    df["statushouder"] = False
    df["speciaal_onderwijs"] = False
    df = df.sort_values(["spell_id", "maand"], kind="mergesort").reset_index(drop=True)

    # truth: expected CIF paths of participants
    p = np.nonzero(g_instr >= 0)[0]
    tt = np.arange(max(H, cfg.maanden))
    mm = g_d[p][:, None] + tt[None, :]
    cal = start[p][:, None] + mm
    jaar = cfg.startjaar + cal // 12
    ew0 = _werk_eta(cat[p][:, None], mm, age[p][:, None], opl[p][:, None], gem[p][:, None], jaar, U[p][:, None], cfg)
    eo = _ander_eta(cat[p][:, None], mm, age[p][:, None], cfg)
    ew1 = ew0 + np.where(tt[None, :] < g_L[p][:, None], g_li[p][:, None], g_na[p][:, None])

    def haz(ew):
        den = 1 + np.exp(ew) + np.exp(eo)
        return np.exp(ew) / den, np.exp(eo) / den

    c1 = cif_uit_hazards(*haz(ew1))
    c0 = cif_uit_hazards(*haz(ew0))
    recs = []
    for c in sorted(set(cat[p])):
        for k in sorted(set(g_instr[p][cat[p] == c])):
            sel = (cat[p] == c) & (g_instr[p] == k)
            for h in range(1, H + 1):
                recs.append((instr_codes[k], c, h, c1[sel, h - 1].mean(), c0[sel, h - 1].mean(),
                             c1[sel, h - 1].mean() - c0[sel, h - 1].mean(), int(sel.sum())))
    waarheid = pd.DataFrame(recs, columns=["instrument", "categorie", "horizon", "cif_deelnemers",
                                           "cif_controle_nooit", "att_nooit", "n_deelnemers"])
    # population attributable share: expected exits to werk before window end with vs without instrument
    hv = cfg.maanden - (start[p] + g_d[p])  # months from start to window end, start month = 1
    idx = np.arange(len(p))
    toeg = float((c1[idx, hv - 1] - c0[idx, hv - 1]).sum())
    totaal = float((df["status"] == 1).sum())
    return Voorbeeld(df, waarheid, toeg / totaal, cfg)
