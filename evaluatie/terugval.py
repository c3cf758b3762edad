"""Terugval (herinstroom): how many of those who leave benefit for work are back, and how fast.

For every exit to work (a spell with ``uitstroomreden`` = werk and an einddatum ``E`` on or before the
peildatum ``W1``) the time to the client's next benefit spell is measured in calendar months after the
exit: month 1 starts on ``E + 1 day``; a new spell starting on ``S'`` returns in month
``T = maand_van(E + 1, S') + 1`` (so "back within k months" is ``T <= k``, as ``terugkeer_{k}`` of
:mod:`evaluatie.prepare.horizon`). Censoring: at the number of complete months observed after the exit
(``W1`` is the last day seen). Competing events, after which no return to bijstand can be seen: reaching
the AOW age (from ``geboortejaar``, birthday taken as 1 July; a client already of AOW age at the exit
counts as competing in month 1) and, when a table of moves is given, moving out of the gemeenten
(``verhuizingen``: client_id, datum). The incidence of return is the Aalen-Johansen cumulative incidence
of :func:`evaluatie.survival.cumulative_incidence` (not 1 - Kaplan-Meier, which would treat AOW and moves
as censoring), with Gray's SE and a log(-log) interval, read at 6, 12 and 18 months (the CBS windows).

Bad input that only matters here is counted, never silently dropped:

* an exit to work followed by a spell of the same client that starts on or before its einddatum
  (overlap; validation rejects such rows, so this only happens with unvalidated tables): the exit is left
  out of the curves and counted in ``n_overlap`` with a warning naming the rows;
* an exit to work on the last day of the data (``E = W1``): no month of follow-up, so it cannot be at risk;
  it is left out and counted in ``n_op_peildatum`` with a warning;
* an einddatum after the peildatum: left out, counted in ``n_na_peildatum``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from evaluatie.prepare.spells import dagnummers, maand_van, plus_maanden
from evaluatie.survival import cumulative_incidence

#: Status codes of :func:`terugvalrijen`.
GECENSUREERD, TERUGVAL, AOW, VERHUIZING = 0, 1, 2, 3
GROEPERINGEN: tuple[str, ...] = ("totaal", "categorie", "traject", "instrument", "gemeente", "uitstroomjaar")
_MAX_RIJEN = 5


class TerugvalFout(ValueError):
    """Input the terugval analysis cannot use (message in Dutch, names the table, row and field)."""


@dataclass(frozen=True)
class TerugvalSpec:
    """How a :class:`Terugvalresultaat` was produced."""

    peildatum: str
    van: str | None
    maanden: tuple[int, ...]
    groeperingen: tuple[str, ...]
    aow_leeftijd_maanden: int
    conf_level: float
    verhuizingen: bool


@dataclass(frozen=True)
class Terugvalresultaat:
    """Return to benefit after an exit to work.

    Attributes
    ----------
    tabel : DataFrame
        groepering, groep, maanden (6, 12, 18), n (exits to work in the group), n_terugval (returns
        observed, any time), n_risico (still followed and not yet back at the start of that month), cif,
        se, ci_laag, ci_hoog, voorbij_laatste (the month lies beyond the group's last observed time).
    curves : DataFrame
        groepering, groep and the Aalen-Johansen table (time in months, n_risk, n_event, n_competing,
        n_censor, cif, se, ci_laag, ci_hoog).
    aantallen : DataFrame
        groepering, groep, n_uitstroom_werk, n_terugval, n_concurrerend, n_gecensureerd.
    rijen : DataFrame
        One row per exit used (see :func:`terugvalrijen`); internal detail, not for publication.
    n_uitstroom_werk, n_terugval, n_concurrerend : int
        Exits used, returns and competing events among them.
    n_overlap, n_op_peildatum, n_na_peildatum : int
        Exits to work left out (see the module docstring).
    spec : TerugvalSpec
    warnings : tuple of str
    """

    tabel: pd.DataFrame
    curves: pd.DataFrame
    aantallen: pd.DataFrame
    rijen: pd.DataFrame
    n_uitstroom_werk: int
    n_terugval: int
    n_concurrerend: int
    n_overlap: int
    n_op_peildatum: int
    n_na_peildatum: int
    spec: TerugvalSpec
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """The tidy table of incidences at the CBS windows (a copy)."""
        return self.tabel.copy()

    def summary(self) -> str:
        """Short text for people (Dutch)."""
        s = self.spec
        lines = [f"Terugval na uitstroom naar werk (peildatum {s.peildatum}): {self.n_uitstroom_werk} uitstroom "
                 f"naar werk, {self.n_terugval} keer terug in de uitkering, {self.n_concurrerend} concurrerend "
                 f"(AOW-leeftijd{', verhuizing' if s.verhuizingen else ''}); cumulatieve incidentie "
                 f"(Aalen-Johansen), {int(s.conf_level * 100)}%-BI"]
        tot = self.tabel[self.tabel["groepering"] == "totaal"]
        for _, r in tot.iterrows():
            if pd.isna(r["cif"]):
                continue
            lines.append(f"  binnen {int(r['maanden'])} maanden terug: {r['cif']:.1%} "
                         f"[{r['ci_laag']:.1%}; {r['ci_hoog']:.1%}]" + (" (na laatste waarneming)" if r["voorbij_laatste"] else ""))
        weg = [(self.n_overlap, "overlap met de volgende uitkering"), (self.n_op_peildatum, "uitstroom op de peildatum"),
               (self.n_na_peildatum, "einddatum na de peildatum")]
        lines += [f"  niet meegeteld: {n} ({reden})" for n, reden in weg if n]
        lines += [f"  waarschuwing: {w}" for w in self.warnings]
        return "\n".join(lines)


def _dag(x: Any, naam: str) -> int:
    from evaluatie.prepare.spells import lees_datum

    return int(np.datetime64(lees_datum(x, naam, fout=TerugvalFout).to_datetime64(), "D").astype(np.int64))


def _rijlijst(rij: np.ndarray) -> str:
    r = [str(int(x)) for x in rij[:_MAX_RIJEN]]
    return ", ".join(r) + (f" … ({len(rij)} in totaal)" if len(rij) > _MAX_RIJEN else "")


def _kolommen(df: pd.DataFrame, tabel: str, nodig: Sequence[str]) -> None:
    mis = [c for c in nodig if c not in df.columns]
    if mis:
        raise TerugvalFout(f"tabel {tabel}: kolom(men) {', '.join(mis)} ontbreken; verwacht {', '.join(nodig)}")


def terugvalrijen(tabellen: Mapping[str, pd.DataFrame], *, peildatum: Any, van: Any = None,
                  verhuizingen: pd.DataFrame | None = None, aow_leeftijd_maanden: int = 66 * 12 + 4,
                  bronrijen: Mapping[str, np.ndarray] | None = None) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
    """One row per exit to work with its time to return (months) and status.

    Parameters
    ----------
    tabellen : mapping
        ``uitkeringen`` (client_id, startdatum, einddatum, uitstroomreden) is required; ``clienten``
        (gemeentecode, geboortejaar), ``categorieen`` and ``trajecten`` are used when present.
    peildatum : date-like
        Last day observed (``W1``).
    van : date-like, optional
        Only exits with einddatum on or after this day (e.g. the start of the observation window).
    verhuizingen : DataFrame, optional
        client_id, datum: moves out of the gemeenten (a competing event after the exit).
    aow_leeftijd_maanden : int
        AOW age in months (default 66 years and 4 months).
    bronrijen : mapping, optional
        Per table the file row of each row (as :attr:`Validatieresultaat.bronrijen`); default index + 2.

    Returns
    -------
    rijen : DataFrame
        client_id, rij (file row of the exit's spell), einddatum, tijd (months, >= 1), status (0
        gecensureerd, 1 terugval, 2 AOW-leeftijd, 3 verhuizing), and the group columns totaal,
        categorie, traject, instrument, gemeente, uitstroomjaar.
    telling : dict
        n_overlap, n_op_peildatum, n_na_peildatum.
    warnings : list of str
    """
    if "uitkeringen" not in tabellen or tabellen["uitkeringen"] is None:
        raise TerugvalFout("tabel uitkeringen ontbreekt; die is nodig voor de terugvalanalyse")
    u = tabellen["uitkeringen"]
    _kolommen(u, "uitkeringen", ("client_id", "startdatum", "einddatum", "uitstroomreden"))
    w1 = _dag(peildatum, "peildatum")
    w0 = None if van is None else _dag(van, "van")
    bron = (np.asarray(bronrijen["uitkeringen"]) if bronrijen and "uitkeringen" in bronrijen
            else np.arange(len(u)) + 2)
    S, s_mis = dagnummers(u["startdatum"])
    E, e_mis = dagnummers(u["einddatum"])
    if s_mis.any():
        i = np.flatnonzero(s_mis)
        raise TerugvalFout(f"tabel uitkeringen, rij {_rijlijst(bron[i])}, veld startdatum: waarde ontbreekt; "
                           "verwacht een datum")
    cid = u["client_id"].astype("string").fillna("").to_numpy(dtype=object)
    volg = np.lexsort((S, cid))
    cs, Ss = cid[volg], S[volg]
    zelfde = np.r_[cs[1:] == cs[:-1], False]
    volgende = np.full(len(u), np.iinfo(np.int64).max)
    volgende[volg[:-1][zelfde[:-1]]] = Ss[1:][zelfde[:-1]]
    werk = (u["uitstroomreden"].astype("string") == "werk").fillna(False).to_numpy(dtype=bool) & ~e_mis
    if w0 is not None:
        werk &= E >= w0
    warnings: list[str] = []
    na = werk & (E > w1)
    overlap = werk & ~na & (volgende <= E)
    op_pd = werk & ~na & ~overlap & (E == w1)
    if na.any():
        warnings.append(f"{int(na.sum())} uitstroom naar werk met een einddatum na de peildatum niet meegeteld "
                        f"(uitkeringen rij {_rijlijst(bron[na])})")
    if overlap.any():
        warnings.append(f"{int(overlap.sum())} uitstroom naar werk niet meegeteld: de volgende uitkering van "
                        f"dezelfde cliënt begint op of vóór de einddatum (overlap; uitkeringen rij "
                        f"{_rijlijst(bron[overlap])}); verwacht perioden die elkaar niet overlappen")
    if op_pd.any():
        warnings.append(f"{int(op_pd.sum())} uitstroom naar werk op de peildatum zelf niet meegeteld: geen "
                        f"maand waarneming na de uitstroom (uitkeringen rij {_rijlijst(bron[op_pd])})")
    keep = np.flatnonzero(werk & ~na & ~overlap & ~op_pd)
    e1 = E[keep] + 1
    C = maand_van(e1, np.full(keep.size, w1 + 1))
    nxt = volgende[keep]
    terug = nxt <= w1
    T_terug = np.where(terug, maand_van(e1, np.where(terug, nxt, e1)) + 1, np.iinfo(np.int64).max)
    groot = np.iinfo(np.int64).max
    T_aow = np.full(keep.size, groot)
    sleutel = pd.Series(cid[keep])
    cl = tabellen.get("clienten")
    gemeente = pd.Series(["onbekend"] * keep.size, dtype=object)
    if cl is not None and len(cl):
        _kolommen(cl, "clienten", ("client_id",))
        c = cl.drop_duplicates("client_id").set_index(cl.drop_duplicates("client_id")["client_id"].astype("string"))
        if "geboortejaar" in c.columns:
            gj = pd.to_numeric(sleutel.map(c["geboortejaar"]), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            ok = np.isfinite(gj)
            if (~ok).any():
                warnings.append(f"{int((~ok).sum())} uitstroom naar werk zonder geboortejaar: AOW-leeftijd niet "
                                "als concurrerende gebeurtenis meegenomen")
            maand = np.where(ok, (np.nan_to_num(gj) - 1970) * 12 + 6, 0).astype(np.int64)  # July of geboortejaar
            jul = maand.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
            aow_dag = plus_maanden(jul, aow_leeftijd_maanden)
            T_aow = np.where(ok & (aow_dag <= w1), np.maximum(maand_van(e1, np.maximum(aow_dag, e1)) + 1, 1), groot)
        if "gemeentecode" in c.columns:
            gemeente = sleutel.map(c["gemeentecode"]).astype("string").fillna("onbekend").astype(object)
    T_verh = np.full(keep.size, groot)
    if verhuizingen is not None:
        _kolommen(verhuizingen, "verhuizingen", ("client_id", "datum"))
        vd, vmis = dagnummers(verhuizingen["datum"])
        if vmis.any():
            warnings.append(f"{int(vmis.sum())} verhuizing(en) zonder datum genegeerd")
        v = pd.DataFrame({"client_id": verhuizingen["client_id"].astype("string").to_numpy(dtype=object), "dag": vd})[~vmis]
        m = pd.DataFrame({"client_id": cid[keep], "i": np.arange(keep.size), "e": E[keep]}).merge(v, on="client_id")
        m = m[(m["dag"] > m["e"]) & (m["dag"] <= w1)].sort_values("dag").drop_duplicates("i")
        i = m["i"].to_numpy()
        T_verh[i] = maand_van(e1[i], m["dag"].to_numpy()) + 1
    else:
        warnings.append("geen tabel met verhuizingen: wie na de uitstroom verhuist, telt als niet teruggekeerd "
                        "(de terugval kan daardoor iets te laag uitvallen)")
    T_conc = np.minimum(T_aow, T_verh)
    status = np.where(terug & (T_terug <= T_conc), TERUGVAL,
                      np.where(T_conc <= C, np.where(T_aow <= T_verh, AOW, VERHUIZING), GECENSUREERD))
    tijd = np.select([status == TERUGVAL, status == GECENSUREERD], [T_terug, C], T_conc)
    rijen = pd.DataFrame({"client_id": cid[keep], "rij": bron[keep], "einddatum": u["einddatum"].to_numpy()[keep],
                          "tijd": tijd.astype(np.int64), "status": status.astype(np.int64), "totaal": "alle"})
    rijen["categorie"] = _categorie(tabellen.get("categorieen"), cid[keep], E[keep])
    traj, instr = _traject(tabellen.get("trajecten"), cid[keep], S[keep], E[keep])
    rijen["traject"] = traj
    rijen["instrument"] = instr
    rijen["gemeente"] = gemeente.to_numpy()
    rijen["uitstroomjaar"] = pd.to_datetime(rijen["einddatum"]).dt.year.astype(str).to_numpy(dtype=object)
    telling = {"n_overlap": int(overlap.sum()), "n_op_peildatum": int(op_pd.sum()), "n_na_peildatum": int(na.sum())}
    return rijen, telling, warnings


def _categorie(cat: pd.DataFrame | None, cid: np.ndarray, E: np.ndarray) -> np.ndarray:
    """Categorie in force on the einddatum (last classification starting on or before it)."""
    uit = np.full(cid.size, "onbekend", dtype=object)
    if cat is None or not len(cat) or cid.size == 0:
        return uit
    d, mis = dagnummers(cat["startdatum"])
    k = pd.DataFrame({"client_id": cat["client_id"].astype("string").to_numpy(dtype=object), "dag": d,
                      "categorie": cat["categorie"].astype("string").fillna("onbekend").to_numpy(dtype=object)})[~mis]
    r = pd.DataFrame({"client_id": cid, "dag": E, "i": np.arange(cid.size)})
    m = pd.merge_asof(r.sort_values("dag"), k.sort_values("dag"), on="dag", by="client_id", direction="backward")
    uit[m["i"].to_numpy()] = m["categorie"].fillna("onbekend").to_numpy(dtype=object)
    return uit


def _traject(tr: pd.DataFrame | None, cid: np.ndarray, S: np.ndarray, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether a trajectory started during the spell (start in [S, E]) and the last such instrument."""
    traj = np.full(cid.size, "zonder traject", dtype=object)
    ins = np.full(cid.size, "geen traject", dtype=object)
    if tr is None or not len(tr) or cid.size == 0:
        return traj, ins
    d, mis = dagnummers(tr["startdatum"])
    t = pd.DataFrame({"client_id": tr["client_id"].astype("string").to_numpy(dtype=object), "dag": d,
                      "instrument": tr["instrument"].astype("string").fillna("onbekend").to_numpy(dtype=object)})[~mis]
    r = pd.DataFrame({"client_id": cid, "S": S, "E": E, "i": np.arange(cid.size)})
    m = r.merge(t, on="client_id")
    m = m[(m["dag"] >= m["S"]) & (m["dag"] <= m["E"])].sort_values(["i", "dag"]).drop_duplicates("i", keep="last")
    i = m["i"].to_numpy()
    traj[i] = "met traject"
    ins[i] = m["instrument"].to_numpy(dtype=object)
    return traj, ins


def terugval(tabellen: Mapping[str, pd.DataFrame], *, peildatum: Any, van: Any = None,
             maanden: Sequence[int] = (6, 12, 18), groeperingen: Sequence[str] = GROEPERINGEN,
             verhuizingen: pd.DataFrame | None = None, aow_leeftijd_maanden: int = 66 * 12 + 4,
             conf_level: float = 0.95, bronrijen: Mapping[str, np.ndarray] | None = None) -> Terugvalresultaat:
    """Cumulative incidence of return to benefit after an exit to work, per group.

    Parameters
    ----------
    tabellen, peildatum, van, verhuizingen, aow_leeftijd_maanden, bronrijen
        See :func:`terugvalrijen`.
    maanden : sequence of int
        Months at which the incidence is read (default the CBS windows 6, 12, 18).
    groeperingen : sequence of str
        Any of ``totaal``, ``categorie``, ``traject`` (met / zonder traject), ``instrument``, ``gemeente``,
        ``uitstroomjaar``.
    conf_level : float

    Returns
    -------
    Terugvalresultaat

    Raises
    ------
    TerugvalFout
        Missing table or column, an unknown groepering, no exit to work left to analyse.
    """
    onbekend = [g for g in groeperingen if g not in GROEPERINGEN]
    if onbekend:
        raise TerugvalFout(f"groepering {onbekend[0]!r} bestaat niet; verwacht een van {', '.join(GROEPERINGEN)}")
    mnd = tuple(int(m) for m in maanden)
    if not mnd or any(m < 1 for m in mnd):
        raise TerugvalFout(f"maanden: verwacht positieve gehele getallen, kreeg {tuple(maanden)!r}")
    rijen, telling, warnings = terugvalrijen(tabellen, peildatum=peildatum, van=van, verhuizingen=verhuizingen,
                                             aow_leeftijd_maanden=aow_leeftijd_maanden, bronrijen=bronrijen)
    if rijen.empty:
        raise TerugvalFout("geen uitstroom naar werk met ten minste een maand waarneming erna; niets te schatten")
    tabel, curves, aantallen = [], [], []
    for g in groeperingen:
        res = cumulative_incidence(rijen, stop="tijd", event="status", cause=TERUGVAL, group=g, conf_level=conf_level)
        cur = res.to_frame().rename(columns={"group": "groep"})
        cur.insert(0, "groepering", g)
        curves.append(cur)
        at = res.at(mnd).rename(columns={"group": "groep", "time": "maanden", "na_na_laatste": "voorbij_laatste"})
        per = rijen.groupby(g, sort=False)
        tel = pd.DataFrame({"n": per.size(), "n_terugval": per["status"].apply(lambda s: int((s == TERUGVAL).sum())),
                            "n_concurrerend": per["status"].apply(lambda s: int(s.isin([AOW, VERHUIZING]).sum())),
                            "n_gecensureerd": per["status"].apply(lambda s: int((s == GECENSUREERD).sum()))})
        tel.index = tel.index.astype(str)
        at["groep"] = at["groep"].astype(str)
        risico = {(str(k), m): int((sub["tijd"].to_numpy() >= m).sum()) for k, sub in per for m in mnd}
        at["n_risico"] = [risico[(k, int(m))] for k, m in zip(at["groep"], at["maanden"])]
        at = at.merge(tel[["n", "n_terugval"]], left_on="groep", right_index=True, how="left")
        at.insert(0, "groepering", g)
        tabel.append(at[["groepering", "groep", "maanden", "n", "n_terugval", "n_risico", "cif", "se", "ci_laag",
                         "ci_hoog", "voorbij_laatste"]])
        a = tel.rename(columns={"n": "n_uitstroom_werk"}).rename_axis("groep").reset_index()
        a.insert(0, "groepering", g)
        aantallen.append(a)
        warnings.extend(f"{g}: {w}" for w in res.waarschuwingen)
    tabel_df = pd.concat(tabel, ignore_index=True)
    tabel_df["maanden"] = tabel_df["maanden"].astype(np.int64)
    spec = TerugvalSpec(peildatum=str(pd.Timestamp(peildatum).date()),
                        van=None if van is None else str(pd.Timestamp(van).date()), maanden=mnd,
                        groeperingen=tuple(groeperingen), aow_leeftijd_maanden=int(aow_leeftijd_maanden),
                        conf_level=conf_level, verhuizingen=verhuizingen is not None)
    st = rijen["status"].to_numpy()
    return Terugvalresultaat(
        tabel=tabel_df, curves=pd.concat(curves, ignore_index=True), aantallen=pd.concat(aantallen, ignore_index=True),
        rijen=rijen, n_uitstroom_werk=len(rijen), n_terugval=int((st == TERUGVAL).sum()),
        n_concurrerend=int(np.isin(st, [AOW, VERHUIZING]).sum()), **telling, spec=spec, warnings=tuple(warnings))
