"""The spell engine: simulate benefit spells month by month, vectorised over spells.

One call simulates one "world" for a fixed set of spells. The loop runs over the month of the spell
(0-based), all spells in parallel; spells are independent given their draws (no capacity constraints), so
a spell's path depends only on its own attributes, its own common random numbers and the world's policy:

* ``instrumenten=True``: the observed world (instrument starts happen by the start hazard);
* ``instrumenten=False``: no instruments at all (the "nooit" counterfactual and the no-instrument world);
* ``verboden``: per spell a month in which a start is suppressed (the "wachten" counterfactual).

Order within a month: (1) classification (intake at month 0; doorstroom B->A, C->B from month 1),
(2) instrument start (from month 1; the start month is the first month in the programme), (3) exit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.simulatie import trekkingen as tr
from evaluatie.simulatie.config import INSTRUMENTEN, SimulatieConfig
from evaluatie.simulatie.hazards import expit, overige_logits, start_logit, werk_logit
from evaluatie.simulatie.heterogeniteit import extra_na
from evaluatie.simulatie.trajecten import (
    Instrumenttabellen,
    kies_instrument,
    trek_duur,
    trek_inzetbaarheid,
    trek_trede,
)

# uitstroom codes (CONTRIBUTING): 0 loopt, 1 werk, 2 verhuizing, 3 huishoudenswijziging, 4 pensioen, 5 overig


@dataclass(frozen=True)
class Clienten:
    """Client attributes (index = internal client number)."""

    geboorte: np.ndarray  # absolute month of birth (year*12 + month-1)
    geslacht: np.ndarray  # 0 man, 1 vrouw, 2 onbekend
    opleiding: np.ndarray  # 0 laag, 1 middelbaar, 2 hoog, 3 onbekend
    statushouder: np.ndarray  # bool
    speciaal_onderwijs: np.ndarray  # bool
    gemeente: np.ndarray  # index into the HvWB gemeenten
    u: np.ndarray  # unobserved trait N(0,1)
    nugger: np.ndarray  # bool


@dataclass(frozen=True)
class Spells:
    """Benefit spells (index = internal spell number)."""

    key: np.ndarray  # uint64 CRN key
    client: np.ndarray  # int64 internal client number
    start: np.ndarray  # int64 absolute start month
    categorie0: np.ndarray  # int8 categorie at intake (0 A, 1 B, 2 C)

    def __len__(self) -> int:
        return len(self.key)

    def deel(self, idx: np.ndarray) -> "Spells":
        """The subset ``idx``."""
        return Spells(self.key[idx], self.client[idx], self.start[idx], self.categorie0[idx])

    @staticmethod
    def samen(delen: list["Spells"]) -> "Spells":
        """Concatenate."""
        return Spells(*(np.concatenate([getattr(d, f) for d in delen]) for f in ("key", "client", "start", "categorie0")))


@dataclass(frozen=True)
class Paden:
    """Result of one world.

    ``eind`` is the spell month (0-based) of the exit, -1 if still running at the end of the simulation;
    ``reden`` the uitstroom code (0 = running). ``instrument`` is -1 without a trajectory; ``d`` the spell
    month of the start, ``duur`` the planned duration, ``cat_start`` the categorie at the start.
    ``klassen`` (only when registered) holds the classifications: spell, month, categorie, trede, inzet.
    """

    eind: np.ndarray
    reden: np.ndarray
    cat_eind: np.ndarray
    instrument: np.ndarray
    d: np.ndarray
    duur: np.ndarray
    cat_start: np.ndarray
    klassen: dict[str, np.ndarray] | None


def simuleer_paden(
    spells: Spells,
    clienten: Clienten,
    *,
    cfg: SimulatieConfig,
    tab: Instrumenttabellen,
    gemeente_effect: np.ndarray,
    t_eind: int,
    instrumenten: bool = True,
    verboden: np.ndarray | None = None,
    registreer: bool = False,
) -> Paden:
    """Simulate one world for ``spells`` up to and including absolute month ``t_eind``.

    Parameters
    ----------
    spells, clienten
        The spells and the clients they belong to.
    cfg, tab
        Configuration and its instrument lookup tables.
    gemeente_effect : ndarray
        Work-logit shift per gemeente index.
    t_eind : int
        Last absolute month simulated.
    instrumenten : bool
        Whether instruments can start.
    verboden : ndarray of int, optional
        Per spell the spell month in which a start is suppressed (-1 = none).
    registreer : bool
        Whether to record the classifications (categorieen table).

    Returns
    -------
    Paden
    """
    n = len(spells)
    cl = spells.client
    geboorte = clienten.geboorte[cl]
    opl = clienten.opleiding[cl]
    sth = clienten.statushouder[cl].astype(np.float64)
    so = clienten.speciaal_onderwijs[cl].astype(np.float64)
    gef = gemeente_effect[clienten.gemeente[cl]]
    uu = clienten.u[cl]
    key = spells.key
    start = spells.start

    cat = spells.categorie0.astype(np.int8).copy()
    trede = np.zeros(n, dtype=np.int8)
    instr = np.full(n, -1, dtype=np.int16)
    d = np.full(n, -1, dtype=np.int32)
    duur = np.zeros(n, dtype=np.int32)
    cat_start = np.full(n, -1, dtype=np.int8)
    eind = np.full(n, -1, dtype=np.int32)
    reden = np.zeros(n, dtype=np.int8)
    cat_eind = cat.copy()
    instr_vanaf = cfg.instrumenten_vanaf * 12
    p_ba, p_cb = cfg.doorstroom_ba, cfg.doorstroom_cb
    klassen: list[tuple[np.ndarray, ...]] = []

    a = np.flatnonzero(start <= t_eind)
    m = 0
    while a.size:
        t = start[a] + m
        ca = cat[a]
        # (1) classification
        if m == 0:
            trede[a] = trek_trede(ca, tr.uniform(key[a], 0, tr.TREDE))
            if registreer:
                klassen.append((a, np.zeros(a.size, np.int32), ca.copy(), trede[a].copy(), trek_inzetbaarheid(ca, tr.uniform(key[a], 0, tr.INZET))))
        else:
            ud = tr.uniform(key[a], m, tr.DOORSTROOM)
            op = ((ca == 1) & (ud < p_ba)) | ((ca == 2) & (ud < p_cb))
            if op.any():
                w = a[op]
                cat[w] -= 1
                nc = cat[w]
                trede[w] = trek_trede(nc, tr.uniform(key[w], m, tr.TREDE))
                if registreer:
                    klassen.append((w, np.full(w.size, m, np.int32), nc.copy(), trede[w].copy(), trek_inzetbaarheid(nc, tr.uniform(key[w], m, tr.INZET))))
                ca = cat[a]
        leeftijd = (t - geboorte[a]) // 12
        # (2) instrument start
        if instrumenten and m >= 1:
            el = (instr[a] == -1) & (t >= instr_vanaf)
            if verboden is not None:
                el &= verboden[a] != m
            b = a[el]
            if b.size:
                cb = ca[el]
                lb = leeftijd[el]
                eta = start_logit(cfg=cfg, categorie=cb, maand=m, leeftijd=lb, opleiding=opl[b],
                                  speciaal_onderwijs=so[b], trede=trede[b], u=uu[b])
                st = tr.uniform(key[b], m, tr.START) < expit(eta)
                if st.any():
                    s = b[st]
                    ins = kies_instrument(tab, cb[st], lb[st], tr.uniform(key[s], m, tr.KEUZE))
                    instr[s] = ins
                    d[s] = m
                    duur[s] = trek_duur(tab, ins, tr.uniform(key[s], m, tr.DUUR))
                    cat_start[s] = cb[st]
        # (3) exit
        eta_w = werk_logit(cfg=cfg, categorie=ca, maand=m, leeftijd=leeftijd, opleiding=opl[a],
                           statushouder=sth[a], jaar=t // 12, gemeente_effect=gef[a], trede=trede[a], u=uu[a])
        ia = instr[a]
        heeft = ia >= 0
        if heeft.any():
            h = np.flatnonzero(heeft)
            ih, csh = ia[h], cat_start[a[h]]
            binnen = m < d[a[h]] + duur[a[h]]
            eta_w[h] += np.where(binnen, tab.lock_in[ih, csh], tab.na[ih, csh])
            if cfg.heterogeniteit:  # issue 19: extra post-programme shift by subgroup (off by default)
                ah = a[h]
                eta_w[h] += np.where(binnen, 0.0, extra_na(cfg.heterogeniteit, INSTRUMENTEN, ih, sth[ah],
                                                           (start[ah] + d[ah] - geboorte[ah]) // 12))
        verh, huis, ov = overige_logits(cfg=cfg, leeftijd=leeftijd, statushouder=sth[a])
        ew, ev, eh, eo = np.exp(eta_w), np.exp(verh), np.exp(huis), np.exp(ov)
        # Layout of [0, 1): stay | werk | verhuizing | huishoudenswijziging | overig. With "stay" first, a
        # higher work log-odds moves draws only from stay/other into werk (never from stay into another
        # reason), so with common draws a positive effect can only bring a work exit forward: Y1 >= Y0
        # spell by spell (and a negative effect the reverse).
        noemer = 1.0 + ew + ev + eh + eo
        c0 = 1.0 / noemer
        c1 = c0 + ew / noemer
        c2 = c1 + ev / noemer
        c3 = c2 + eh / noemer
        ue = tr.uniform(key[a], m, tr.UITSTROOM)
        r = np.select([ue < c0, ue < c1, ue < c2, ue < c3], [0, 1, 2, 3], 5).astype(np.int8)
        pensioen = (t - geboorte[a]) >= cfg.aow_leeftijd_maanden
        r[pensioen] = 4
        uit = r > 0
        if uit.any():
            x = a[uit]
            eind[x] = m
            reden[x] = r[uit]
            cat_eind[x] = cat[x]
        a = a[~uit & (t + 1 <= t_eind)]
        m += 1
    cat_eind = np.where(eind >= 0, cat_eind, cat)
    kl = None
    if registreer:
        kl = {
            "spell": np.concatenate([k[0] for k in klassen]) if klassen else np.zeros(0, np.int64),
            "maand": np.concatenate([k[1] for k in klassen]) if klassen else np.zeros(0, np.int32),
            "categorie": np.concatenate([k[2] for k in klassen]) if klassen else np.zeros(0, np.int8),
            "trede": np.concatenate([k[3] for k in klassen]) if klassen else np.zeros(0, np.int8),
            "inzet": np.concatenate([k[4] for k in klassen]) if klassen else np.zeros(0, np.int8),
        }
    return Paden(eind, reden, cat_eind, instr, d, duur, cat_start, kl)
