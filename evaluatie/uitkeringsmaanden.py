"""Months on benefit: restricted mean time in the state "uitkering" of a multi-state process.

Per person, from a start month (e.g. the start of a trajectory), the process moves between the states
``uitkering`` (on benefit), ``werk`` (left for work) and ``overig`` (left for another reason), in both
directions: a return to benefit after work is a transition back to ``uitkering``. The Aalen-Johansen
estimator of the state occupation probabilities is the product over the transition times of
``I + dA(t)``, with ``dA_hj(t) = dN_hj(t) / Y_h(t)`` (transitions h -> j at t over the rows in state h at
risk at t, ``start < t <= stop``; delayed entry allowed), started from the states occupied at time 0.
The restricted mean time in a state over ``[0, tau]`` is the integral of its occupation probability (a
right-continuous step function), as R ``survfit`` with ``istate`` / ``print(fit, rmean = tau)``.

With time in months and the conventions of :func:`uitkeringspaden` (the month of the start counts as
month 1, the month of an exit counts as on benefit, a return counts from the month the new spell starts)
the restricted mean of ``uitkering`` over ``[0, H]`` is the expected number of months with a benefit in
the first H months: the quantity a cost-benefit analysis multiplies by money. SE and percentile interval
from the client-clustered bootstrap of :mod:`evaluatie.bootstrap` (weights over clients; the estimator
takes weights, so an IPW-weighted counterfactual can use the same engine).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from evaluatie.bootstrap import bootstrap_replicaties, percentiel_interval
from evaluatie.prepare.spells import dagnummers, maand_van

TOESTANDEN: tuple[str, ...] = ("uitkering", "werk", "overig")


class UitkeringsmaandenFout(ValueError):
    """Input the months-on-benefit engine cannot use (Dutch message naming row, field and value)."""


@dataclass(frozen=True)
class Toestandskansen:
    """Aalen-Johansen state occupation probabilities (one group).

    Attributes
    ----------
    tijd : ndarray (T,)
        0 and the distinct transition times.
    p : ndarray (T, S)
        Occupation probabilities from ``tijd[k]`` up to the next time (right-continuous).
    n_risico : ndarray (T, S)
        Weighted number in each state at risk just before ``tijd[k]`` (row 0: at time 0).
    """

    tijd: np.ndarray
    p: np.ndarray
    n_risico: np.ndarray


def _codes(data: pd.DataFrame, kolom: str, toestanden: Sequence[str], leeg_mag: bool) -> np.ndarray:
    s = data[kolom]
    waarden = s.astype("string")
    code = np.zeros(len(s), dtype=np.int64)
    bekend = np.zeros(len(s), dtype=bool)
    for i, t in enumerate(toestanden, start=1):
        m = (waarden == t).fillna(False).to_numpy(dtype=bool)
        code[m] = i
        bekend |= m
    leeg = waarden.isna().to_numpy() | (waarden == "").fillna(False).to_numpy(dtype=bool)
    fout = ~bekend & ~(leeg & leeg_mag)
    if fout.any():
        i = int(np.flatnonzero(fout)[0])
        raise UitkeringsmaandenFout(
            f"rij {i + 2}, veld {kolom}: waarde {s.iloc[i]!r} is geen toestand; verwacht een van "
            f"{', '.join(toestanden)}{' of leeg (gecensureerd)' if leeg_mag else ''} ({int(fout.sum())} rij(en))")
    return code


def _getallen(data: pd.DataFrame, kolom: str) -> np.ndarray:
    if kolom not in data.columns:
        raise UitkeringsmaandenFout(f"kolom {kolom!r} ontbreekt; beschikbaar: {', '.join(map(str, data.columns))}")
    v = pd.to_numeric(data[kolom], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(v).all():
        i = int(np.flatnonzero(~np.isfinite(v))[0])
        raise UitkeringsmaandenFout(f"rij {i + 2}, veld {kolom}: waarde {data[kolom].iloc[i]!r} is geen getal")
    return v


@dataclass(frozen=True)
class _Ontwerp:
    """Per row: interval, from-state and to-state (0 = censored); the distinct transition times."""

    start: np.ndarray
    stop: np.ndarray
    van: np.ndarray
    naar: np.ndarray
    tijden: np.ndarray
    S: int


def _ontwerp(data: pd.DataFrame, *, start: str, stop: str, van: str, naar: str, toestanden: Sequence[str]) -> _Ontwerp:
    for k in (van, naar):
        if k not in data.columns:
            raise UitkeringsmaandenFout(f"kolom {k!r} ontbreekt; beschikbaar: {', '.join(map(str, data.columns))}")
    t0, t1 = _getallen(data, start), _getallen(data, stop)
    a = _codes(data, van, toestanden, leeg_mag=False)
    b = _codes(data, naar, toestanden, leeg_mag=True)
    slecht = t1 <= t0
    if slecht.any():
        i = int(np.flatnonzero(slecht)[0])
        raise UitkeringsmaandenFout(f"rij {i + 2}, velden {start}/{stop}: interval ({t0[i]:g}, {t1[i]:g}] is leeg of "
                                    f"negatief; verwacht {stop} > {start} ({int(slecht.sum())} rij(en))")
    zelf = (b > 0) & (a == b)
    if zelf.any():
        i = int(np.flatnonzero(zelf)[0])
        raise UitkeringsmaandenFout(f"rij {i + 2}, veld {naar}: overgang van {toestanden[a[i] - 1]!r} naar dezelfde "
                                    "toestand; verwacht een andere toestand of leeg (gecensureerd)")
    tijden = np.unique(t1[b > 0])
    return _Ontwerp(t0, t1, a, b, tijden, len(toestanden))


def _aalen_johansen(o: _Ontwerp, w: np.ndarray) -> Toestandskansen:
    """Weighted Aalen-Johansen; ``w`` one weight per row."""
    S, T = o.S, len(o.tijden)
    # initial distribution: rows that start at the earliest entry time 0 (or min start)
    t_begin = 0.0 if (o.start <= 0).any() else float(o.start.min())
    begin = o.start <= t_begin
    p0 = np.bincount(o.van[begin] - 1, weights=w[begin], minlength=S)
    if p0.sum() <= 0:
        raise UitkeringsmaandenFout("niemand is op tijd 0 in beeld; verwacht rijen met start <= 0")
    p = p0 / p0.sum()
    # risk sets and transitions at each time, by state
    it = np.searchsorted(o.tijden, o.stop)          # index of stop among the times (== T if beyond)
    Y = np.zeros((T, S))
    # row at risk at tijden[k] iff start < t_k <= stop: k in [searchsorted(start, right), searchsorted(stop, left)]
    k_lo = np.searchsorted(o.tijden, o.start, side="right")
    k_hi = np.searchsorted(o.tijden, o.stop, side="right")  # exclusive
    for s in range(S):
        m = o.van == s + 1
        diff = np.zeros(T + 1)
        np.add.at(diff, k_lo[m], w[m])
        np.add.at(diff, k_hi[m], -w[m])
        Y[:, s] = np.cumsum(diff)[:T]
    dN = np.zeros((T, S, S))
    ev = o.naar > 0
    np.add.at(dN, (it[ev], o.van[ev] - 1, o.naar[ev] - 1), w[ev])
    ps = np.empty((T + 1, S))
    ps[0] = p
    with np.errstate(divide="ignore", invalid="ignore"):
        dA = np.where(Y[:, :, None] > 0, dN / Y[:, :, None], 0.0)
    for k in range(T):
        A = dA[k]
        p = p - p * A.sum(axis=1) + p @ A
        ps[k + 1] = p
    n0 = np.bincount(o.van[begin] - 1, weights=w[begin], minlength=S)
    return Toestandskansen(np.r_[t_begin, o.tijden], ps, np.vstack([n0, Y]))


def toestandskansen(data: pd.DataFrame, *, start: str = "start", stop: str = "stop", van: str = "van",
                    naar: str = "naar", toestanden: Sequence[str] = TOESTANDEN,
                    gewichten: np.ndarray | None = None) -> Toestandskansen:
    """Aalen-Johansen state occupation probabilities of a multi-state process.

    Parameters
    ----------
    data : DataFrame
        One row per interval ``(start, stop]`` spent in state ``van``; ``naar`` is the state entered at
        ``stop`` (empty / missing = censored at ``stop``).
    start, stop, van, naar : str
        Column names.
    toestanden : sequence of str
        The states; the first is the one whose time is usually wanted (``uitkering``).
    gewichten : ndarray, optional
        One non-negative weight per row (e.g. bootstrap or IPW weights); default 1.

    Returns
    -------
    Toestandskansen
    """
    o = _ontwerp(data, start=start, stop=stop, van=van, naar=naar, toestanden=toestanden)
    w = np.ones(len(data)) if gewichten is None else np.asarray(gewichten, dtype=float)
    if w.shape != (len(data),) or (w < 0).any() or not np.isfinite(w).all():
        raise UitkeringsmaandenFout(f"gewichten: verwacht {len(data)} eindige getallen >= 0")
    return _aalen_johansen(o, w)


def restricted_mean(k: Toestandskansen, tau: float) -> np.ndarray:
    """Integral of each state's occupation probability over ``[tijd[0], tau]`` (one value per state)."""
    t = np.r_[k.tijd, np.inf]
    breedte = np.clip(np.minimum(t[1:], tau) - t[:-1], 0.0, None)
    return breedte @ k.p


@dataclass(frozen=True)
class Uitkeringsmaandenresultaat:
    """Restricted mean time on benefit (and in the other states) over the horizons.

    Attributes
    ----------
    tabel : DataFrame
        horizon, toestand, rmean (months), se, ci_lower, ci_upper (client-clustered bootstrap, percentile),
        n (persons), n_clienten.
    kansen : DataFrame
        tijd, p_<toestand>, n_risico_<toestand>: the occupation probabilities.
    n, n_clienten, n_overgangen : int
    spec : dict
    warnings : tuple of str
    """

    tabel: pd.DataFrame
    kansen: pd.DataFrame
    n: int
    n_clienten: int
    n_overgangen: int
    spec: dict[str, Any]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """The tidy rmean table (a copy)."""
        return self.tabel.copy()

    def summary(self) -> str:
        """Short text for people (Dutch)."""
        lines = [f"Maanden in de uitkering (restricted mean, Aalen-Johansen, meertoestandsmodel): {self.n} "
                 f"personen, {self.n_clienten} cliënten, {self.n_overgangen} overgangen; SE uit de "
                 f"geclusterde bootstrap (B = {self.spec['B']})"]
        u = self.tabel[self.tabel["toestand"] == self.spec["toestanden"][0]]
        for _, r in u.iterrows():
            lines.append(f"  eerste {int(r['horizon'])} maanden: {r['rmean']:.2f} maanden in de uitkering "
                         f"[{r['ci_lower']:.2f}; {r['ci_upper']:.2f}]")
        lines += [f"  waarschuwing: {w}" for w in self.warnings]
        return "\n".join(lines)


def uitkeringsmaanden(data: pd.DataFrame, *, id: str = "id", cluster: str = "client_id", start: str = "start",
                      stop: str = "stop", van: str = "van", naar: str = "naar",
                      toestanden: Sequence[str] = TOESTANDEN, horizonnen: Sequence[int] = (12, 24, 36),
                      B: int = 200, seed: int = 1, conf_level: float = 0.95, n_jobs: int = 1) -> Uitkeringsmaandenresultaat:
    """Restricted mean time in each state over ``horizonnen`` months, with a client-clustered bootstrap.

    Parameters
    ----------
    data : DataFrame
        Multi-state rows as :func:`uitkeringspaden` makes them (``id`` = person, ``cluster`` = client).
    horizonnen : sequence of int
        The tau's (months).
    B, seed, n_jobs : int
        Bootstrap replicates (0 = no SE), root seed, worker processes (results do not depend on it).

    Returns
    -------
    Uitkeringsmaandenresultaat
    """
    o = _ontwerp(data, start=start, stop=stop, van=van, naar=naar, toestanden=toestanden)
    hs = tuple(int(h) for h in horizonnen)
    if not hs or any(h <= 0 for h in hs):
        raise UitkeringsmaandenFout(f"horizonnen: verwacht positieve gehele aantallen maanden, kreeg {tuple(horizonnen)!r}")
    if cluster not in data.columns or id not in data.columns:
        raise UitkeringsmaandenFout(f"kolom {id!r} of {cluster!r} ontbreekt; beschikbaar: {', '.join(map(str, data.columns))}")
    cl_codes, cl_labels = pd.factorize(data[cluster].astype("string"))
    if (cl_codes < 0).any():
        i = int(np.flatnonzero(cl_codes < 0)[0])
        raise UitkeringsmaandenFout(f"rij {i + 2}, veld {cluster}: waarde ontbreekt; verwacht een cliëntnummer")
    n_cl = len(cl_labels)
    warnings: list[str] = []

    def schat(wc: np.ndarray) -> np.ndarray:
        k = _aalen_johansen(o, wc[cl_codes])
        return np.concatenate([restricted_mean(k, h) for h in hs])

    punt = schat(np.ones(n_cl))
    k = _aalen_johansen(o, np.ones(len(data)))
    if k.tijd[-1] < max(hs):
        warnings.append(f"laatste overgang op maand {k.tijd[-1]:g}, vóór horizon {max(hs)}: de kansen worden "
                        "daarna constant verondersteld")
    S = len(toestanden)
    if B > 0:
        reps = bootstrap_replicaties(schat, n_cl, B=B, seed=seed, n_jobs=n_jobs)
        iv = percentiel_interval(reps, conf_level)
        se, lo, hi = iv.se, iv.laag, iv.hoog
    else:
        se = lo = hi = np.full(punt.shape, np.nan)
    n_pers = int(data[id].nunique())
    tabel = pd.DataFrame({"horizon": np.repeat(hs, S), "toestand": np.tile(list(toestanden), len(hs)), "rmean": punt,
                          "se": se, "ci_lower": lo, "ci_upper": hi, "n": n_pers, "n_clienten": n_cl})
    kansen = pd.DataFrame({"tijd": k.tijd, **{f"p_{t}": k.p[:, i] for i, t in enumerate(toestanden)},
                           **{f"n_risico_{t}": k.n_risico[:, i] for i, t in enumerate(toestanden)}})
    spec = {"toestanden": list(toestanden), "horizonnen": list(hs), "B": int(B), "seed": int(seed),
            "conf_level": conf_level}
    return Uitkeringsmaandenresultaat(tabel, kansen, n_pers, n_cl, int((o.naar > 0).sum()), spec, tuple(warnings))


def uitkeringspaden(uitkeringen: pd.DataFrame, starts: pd.DataFrame, *, peildatum: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    """Multi-state rows (months from a start date) from the benefit spells of the clients in ``starts``.

    Time in calendar months counted from the start date (as :func:`~evaluatie.prepare.spells.maand_van`);
    the month of the start counts as month 1. On
    benefit through the month of a spell's einddatum, then ``werk`` (uitstroomreden werk) or ``overig``
    until the month in which the client's next spell starts, back to ``uitkering`` from that month;
    censored after the month of the peildatum.

    Parameters
    ----------
    uitkeringen : DataFrame
        client_id, startdatum, einddatum, uitstroomreden (validated: no overlap).
    starts : DataFrame
        id, client_id, datum: per person the start date; the client must be on benefit on that date.
    peildatum : date-like

    Returns
    -------
    rijen : DataFrame
        id, client_id, start, stop, van, naar (empty = censored).
    telling : dict
        ``n_samengevoegd``: spells that start in the month after (or the same month as) the previous one
        ends, or overlap it: joined into one stretch on benefit (no month off benefit between them);
        ``n_niet_op_uitkering``: starts on which the client had no benefit (left out).
    """
    w1 = int(np.datetime64(pd.Timestamp(peildatum).to_datetime64(), "D").astype(np.int64))
    u = pd.DataFrame({"client_id": uitkeringen["client_id"].astype("string").to_numpy(dtype=object)})
    u["S"], _ = dagnummers(uitkeringen["startdatum"])
    E, e_mis = dagnummers(uitkeringen["einddatum"])
    u["E"] = np.where(e_mis, np.iinfo(np.int64).max // 4, E)
    u["werk"] = (uitkeringen["uitstroomreden"].astype("string") == "werk").fillna(False).to_numpy(dtype=bool)
    st = pd.DataFrame({"id": starts["id"].to_numpy(), "client_id": starts["client_id"].astype("string").to_numpy(dtype=object)})
    st["D"], _ = dagnummers(starts["datum"])
    m = st.merge(u, on="client_id").sort_values(["id", "S"], kind="mergesort")
    m = m[m["E"] >= m["D"]]  # spells that end before the start date do not matter
    rows: list[tuple[Any, ...]] = []
    n_samen = 0
    geen = 0
    for pid, sub in m.groupby("id", sort=False):
        D = int(sub["D"].iloc[0])
        c = sub["client_id"].iloc[0]
        S_, E_, W_ = sub["S"].to_numpy(), sub["E"].to_numpy(), sub["werk"].to_numpy()
        if not (S_[0] <= D <= E_[0]):
            geen += 1
            continue
        d0 = np.array([D])
        t_c = int(maand_van(d0, np.array([w1]))[0]) + 1          # months observed
        t = 0
        i = 0
        while True:
            # stretch on benefit from t: join spells that follow without a whole month off
            e = E_[i]
            while i + 1 < len(S_) and int(maand_van(d0, np.array([S_[i + 1]]))[0]) <= int(maand_van(d0, np.array([min(e, w1)]))[0]) + 1:
                n_samen += 1
                i += 1
                e = max(e, E_[i])
            if e >= w1:
                rows.append((pid, c, t, t_c, "uitkering", None))
                break
            t_uit = int(maand_van(d0, np.array([e]))[0]) + 1
            naar = "werk" if W_[i] else "overig"
            rows.append((pid, c, t, t_uit, "uitkering", naar))
            if i + 1 < len(S_) and S_[i + 1] <= w1:
                t_terug = int(maand_van(d0, np.array([S_[i + 1]]))[0])
                rows.append((pid, c, t_uit, t_terug, naar, "uitkering"))
                t = t_terug
                i += 1
            else:
                if t_c > t_uit:
                    rows.append((pid, c, t_uit, t_c, naar, None))
                break
    geen += int(len(st) - st["id"].isin(m["id"]).sum())
    df = pd.DataFrame(rows, columns=["id", "client_id", "start", "stop", "van", "naar"])
    return df, {"n_samengevoegd": n_samen, "n_niet_op_uitkering": geen}
