"""The benchmark as one call: indicators, comparison groups, sensitivity across methods, funnels.

:func:`benchmark` orchestrates the pure functions of the sibling modules and returns a frozen
:class:`Benchmarkresultaat`; it reads no files and prints nothing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from evaluatie.benchmark.controle import BenchmarkFout, controleer_gemeente
from evaluatie.benchmark.indicatoren import (INDICATOREN, LABELS, bereken_indicatoren, groepsgemiddelde,
                                             index_reeks, landelijk, preventiequotum, teller)
from evaluatie.benchmark.maand import Maandreeksen, maandreeksen
from evaluatie.waarschuwingen import BenchmarkWaarschuwing, Melding
from evaluatie.benchmark.significantie import Overdispersie, positie_in_groep, trechter
from evaluatie.benchmark.vergelijkingsgroep import (METHODE_LABEL, METHODEN, Vergelijkingsgroep, kies,
                                                    vergelijkingsgroep)


@dataclass(frozen=True)
class Benchmarkspec:
    """Options of one benchmark run (all defaults follow the Etten-Leur report where it had one)."""

    gemeente: str
    methoden: tuple[str, ...] = METHODEN
    k: int = 20
    referentiejaar: int | None = None
    basisjaar: int = 2017
    snijjaar: int | None = None
    kenmerken: tuple[str, ...] | None = None
    synthetisch_indicator: str = "pct_norm"
    overdispersie: str = "additief"
    winsor: float = 0.1
    niveau: float = 0.95


@dataclass(frozen=True)
class Benchmarkresultaat:
    """Everything the benchmark computed for one gemeente.

    Attributes
    ----------
    spec : Benchmarkspec
        With ``referentiejaar``/``snijjaar`` filled in.
    gemeentenaam : str
    indicatoren : DataFrame
        Wide, one row per gemeente × jaar (all gemeenten).
    landelijk : DataFrame
        NL series per jaar.
    groepen : tuple of Vergelijkingsgroep
    gevoeligheid : DataFrame
        Tidy: methode, indicator, jaar, waarde (gemeente), landelijk, groep_gemiddelde, verschil,
        se_verschil, ci_laag, ci_hoog (of the difference), percentiel, z, pi_laag, pi_hoog, p,
        buiten_interval, n_groep, n_effectief.
    index : DataFrame
        Tidy: jaar, reeks (gemeente / Nederland / groep: <methode>), index (basisjaar = 100).
    trechters : DataFrame
        Tidy funnel table for all indicator × jaar (eenheid = gemeentecode).
    trechter_parameters : DataFrame
        indicator, jaar, soort, doel, phi, tau2, overdispersie, n.
    preventie : DataFrame or None
        Preventiequotum per gemeente × jaar (part years labelled), if ``poort`` was given.
    maand : Maandreeksen
    n_gemeenten : int
    jaren : tuple of int
    waarschuwingen : tuple of Melding
        Typed warnings (:class:`~evaluatie.waarschuwingen.Melding`, a ``str``): ``bron`` "trechter" (onderwerp:
        the indicator), "groep" (onderwerp: the method), "poort", or "" for the data as a whole.
    """

    spec: Benchmarkspec
    gemeentenaam: str
    indicatoren: pd.DataFrame
    landelijk: pd.DataFrame
    groepen: tuple[Vergelijkingsgroep, ...]
    gevoeligheid: pd.DataFrame
    index: pd.DataFrame
    trechters: pd.DataFrame
    trechter_parameters: pd.DataFrame
    preventie: pd.DataFrame | None
    maand: Maandreeksen
    n_gemeenten: int
    jaren: tuple[int, ...]
    waarschuwingen: tuple[Melding, ...] = field(default_factory=tuple)

    def groep(self, methode: str) -> Vergelijkingsgroep:
        """The comparison group of one method."""
        for g in self.groepen:
            if g.methode == methode:
                return g
        raise KeyError(f"methode {methode!r} niet berekend; wel: {', '.join(g.methode for g in self.groepen)}")

    def to_frame(self) -> pd.DataFrame:
        """The sensitivity table (gemeente vs group per methode × indicator × jaar)."""
        return self.gevoeligheid.copy()

    def laatste_jaar(self, indicator: str) -> int | None:
        """Last year in which the gemeente has a value for ``indicator``."""
        d = self.gevoeligheid[(self.gevoeligheid.indicator == indicator) & self.gevoeligheid.waarde.notna()]
        return int(d.jaar.max()) if not d.empty else None

    def summary(self) -> str:
        return samenvatting(self)


def _nl(x: float, d: int = 1) -> str:
    """Dutch number format (decimal comma)."""
    if x is None or not np.isfinite(x):
        return "–"
    return f"{x:.{d}f}".replace(".", ",")


def _gevoeligheid(ind: pd.DataFrame, nl: pd.DataFrame, groepen: Sequence[Vergelijkingsgroep], gemeente: str,
                  prev: pd.DataFrame | None, niveau: float) -> pd.DataFrame:
    waarden = ind[["gemeentecode", "jaar", *INDICATOREN]].copy()
    kols = list(INDICATOREN)
    if prev is not None:
        volle = prev[["gemeentecode", "jaar", "preventiequotum"]]
        waarden = waarden.merge(volle, on=["gemeentecode", "jaar"], how="left")
        kols.append("preventiequotum")
    nl_p = None
    if prev is not None:
        tot = prev.groupby("jaar")[["meldingen", "toekenningen"]].sum()
        nl_p = 100 * (1 - tot["toekenningen"] / tot["meldingen"])
    rows = []
    for g in groepen:
        w = np.asarray(g.gewichten)
        for jaar, d in waarden.groupby("jaar"):
            d = d.set_index("gemeentecode")
            leden = d.reindex(list(g.leden))
            for k in kols:
                x = float(d.at[gemeente, k]) if gemeente in d.index else np.nan
                pos = positie_in_groep(x, leden[k].to_numpy(float), w, niveau=niveau)
                if k == "preventiequotum":
                    nlw = float(nl_p.get(jaar, np.nan)) if nl_p is not None else np.nan
                else:
                    nlw = float(nl.loc[nl.jaar == jaar, k].iloc[0])
                half = float(pos.pi_hoog - pos.gemiddelde)
                rows.append({
                    "methode": g.methode, "indicator": k, "jaar": int(jaar), "waarde": x, "landelijk": nlw,
                    "groep_gemiddelde": pos.gemiddelde, "groep_sd": pos.sd, "verschil": pos.verschil,
                    "se_verschil": pos.se_verschil, "ci_laag": pos.verschil - half, "ci_hoog": pos.verschil + half,
                    "percentiel": pos.percentiel, "z": pos.z, "pi_laag": pos.pi_laag, "pi_hoog": pos.pi_hoog,
                    "p": pos.p, "buiten_interval": pos.buiten_interval, "n_groep": pos.n,
                    "n_effectief": pos.n_effectief,
                })
    return pd.DataFrame(rows)


def _index(ind: pd.DataFrame, nl: pd.DataFrame, groepen: Sequence[Vergelijkingsgroep], gemeente: str,
           basisjaar: int) -> pd.DataFrame:
    idx = index_reeks(ind, basisjaar)
    eigen = idx[idx.gemeentecode == gemeente][["jaar", "index"]].assign(reeks="gemeente")
    b = float(nl.loc[nl.jaar == basisjaar, "feitelijk_aantal"].iloc[0])
    nlr = pd.DataFrame({"jaar": nl.jaar, "index": 100 * nl.feitelijk_aantal / b, "reeks": "Nederland"})
    delen = [eigen, nlr]
    for g in groepen:
        gi = groepsgemiddelde(idx, g.leden, g.gewichten, ["index"])
        delen.append(gi.assign(reeks=f"groep: {g.methode}"))
    out = pd.concat(delen, ignore_index=True)[["jaar", "reeks", "index"]]
    return out.sort_values(["reeks", "jaar"], kind="mergesort").reset_index(drop=True)


def _trechters(ind: pd.DataFrame, prev: pd.DataFrame | None, overdispersie: str,
               winsor: float) -> tuple[pd.DataFrame, pd.DataFrame, list[Melding]]:
    tabellen, params, warn = [], [], {}
    for k in INDICATOREN:
        for jaar, d in ind.groupby("jaar"):
            o = teller(d, k).to_numpy(float)
            e = d["genormeerd_aantal"].to_numpy(float)
            if np.isfinite(o).sum() < 3:
                continue
            if k == "netto_groei_pct":
                ok = d["instroom"].notna() & d["uitstroom"].notna()
                s2 = float((d.loc[ok, "instroom"].sum() + d.loc[ok, "uitstroom"].sum()) / d.loc[ok, "genormeerd_aantal"].sum())
                t = trechter(o / e, e, eenheden=d.gemeentecode.to_numpy(), soort="normaal",
                             overdispersie=overdispersie, winsor=winsor, eenheidsvariantie=s2)
            else:
                t = trechter(o / e, e, eenheden=d.gemeentecode.to_numpy(), soort="poisson",
                             overdispersie=overdispersie, winsor=winsor)
            tabellen.append(t.tabel.assign(indicator=k, jaar=int(jaar)))
            params.append({"indicator": k, "jaar": int(jaar), "soort": t.soort, "doel": t.doel, "phi": t.phi,
                           "tau2": t.tau2, "overdispersie": t.overdispersie, "n": t.n})
            for w in t.waarschuwingen:
                warn.setdefault((k, w), []).append(str(jaar))
    if prev is not None:
        for jaar, d in prev.groupby("jaar"):
            d = d[d.meldingen > 0]
            if len(d) < 3:
                continue
            t = trechter(d.preventiequotum.to_numpy(float) / 100, d.meldingen.to_numpy(float),
                         eenheden=d.gemeentecode.to_numpy(), soort="binomiaal", overdispersie=overdispersie,
                         winsor=winsor)
            tabellen.append(t.tabel.assign(indicator="preventiequotum", jaar=int(jaar)))
            params.append({"indicator": "preventiequotum", "jaar": int(jaar), "soort": t.soort, "doel": t.doel,
                           "phi": t.phi, "tau2": t.tau2, "overdispersie": t.overdispersie, "n": t.n})
    tab = pd.concat(tabellen, ignore_index=True) if tabellen else pd.DataFrame()
    if not tab.empty:
        vooraan = ["indicator", "jaar", "eenheid"]
        tab = tab[vooraan + [c for c in tab.columns if c not in vooraan]]
    return tab, pd.DataFrame(params), [Melding(f"{w} ({', '.join(j)})", bron="trechter", onderwerp=k,
                                               soort=BenchmarkWaarschuwing) for (k, w), j in warn.items()]


def benchmark(gemeenten: pd.DataFrame, poort: pd.DataFrame | None = None, *, gemeente: str,
              methoden: Sequence[str] = METHODEN, k: int = 20, referentiejaar: int | None = None,
              basisjaar: int = 2017, snijjaar: int | None = None, kenmerken: Sequence[str] | None = None,
              synthetisch_indicator: str = "pct_norm", overdispersie: Overdispersie = "additief",
              winsor: float = 0.1, niveau: float = 0.95,
              maanddata: pd.DataFrame | None = None) -> Benchmarkresultaat:
    """Normed benchmark of ``gemeente`` against comparison groups, NL, and all gemeenten (funnel).

    Parameters
    ----------
    gemeenten : DataFrame
        Typed ``gemeenten`` table (all gemeenten, all years).
    poort : DataFrame, optional
        Typed ``poort`` table for the preventiequotum (month rows also feed the 12-month series).
    gemeente : str
        CBS code, e.g. ``"GM0777"``.
    methoden : sequence of {"buig", "structureel", "synthetisch"}
    k : int
        Group size for buig/structureel (report: 20).
    referentiejaar : int, optional
        Year for the BUIG budget and characteristics (default last year; report: 2019).
    basisjaar : int
        Index base year (report: 2017).
    snijjaar : int, optional
        Synthetic group: first year after the pre-period (default last year).
    kenmerken : sequence of str, optional
        Characteristics for ``structureel`` (default norm per 1000 inhabitants, log inhabitants, all
        ``kenmerk_*``).
    synthetisch_indicator : str
        Path the synthetic group reproduces (default ``pct_norm``).
    overdispersie : {"geen", "multiplicatief", "additief"}
        Funnel-plot overdispersion handling.
    winsor : float
        Winsorising share per tail for φ̂.
    niveau : float
        Coverage of the prediction interval.
    maanddata : DataFrame, optional
        Monthly caseload/flows (gemeentecode, jaar, maand, feitelijk_aantal, instroom, uitstroom).

    Raises
    ------
    BenchmarkFout
        Any input problem (message in Dutch).
    """
    for m in methoden:
        try:
            kies(m, METHODEN, "methode")
        except ValueError as e:
            raise BenchmarkFout(str(e)) from None
    try:
        kies(overdispersie, ("geen", "multiplicatief", "additief"), "overdispersie")
        if synthetisch_indicator not in INDICATOREN:
            raise ValueError(f"synthetisch_indicator: verwacht een van {', '.join(INDICATOREN)}, "
                             f"kreeg {synthetisch_indicator!r}")
        ind = bereken_indicatoren(gemeenten)
        controleer_gemeente(ind, gemeente)
        jaren = tuple(int(j) for j in sorted(ind.jaar.unique()))
        ref = jaren[-1] if referentiejaar is None else int(referentiejaar)
        snij = jaren[-1] if snijjaar is None else int(snijjaar)
        for naam, j in (("referentiejaar", ref), ("basisjaar", basisjaar), ("snijjaar", snij)):
            if j not in jaren:
                raise ValueError(f"{naam} {j} zit niet in de gegevens; verwacht een van {jaren[0]}–{jaren[-1]}")
        nl = landelijk(ind)
        groepen = tuple(vergelijkingsgroep(ind, gemeente, m, k=k, referentiejaar=ref, kenmerken=kenmerken,
                                           indicator=synthetisch_indicator, snijjaar=snij)
                        for m in [m for m in METHODEN if m in methoden])
        prev = preventiequotum(poort) if poort is not None and len(poort) else None
    except BenchmarkFout:
        raise
    except ValueError as e:
        raise BenchmarkFout(str(e)) from None
    warn = [Melding(w, bron="groep", onderwerp=g.methode, soort=BenchmarkWaarschuwing)
            for g in groepen for w in g.waarschuwingen]
    gev = _gevoeligheid(ind, nl, groepen, gemeente, prev, niveau)
    idx = _index(ind, nl, groepen, gemeente, basisjaar)
    tr, trp, w_tr = _trechters(ind, prev, overdispersie, winsor)
    warn += w_tr
    if ind[["instroom", "uitstroom"]].isna().all().all():
        warn.append(Melding("geen in- en uitstroomcijfers aangeleverd: alleen uitkeringen in % van de norm",
                            soort=BenchmarkWaarschuwing))
    if prev is not None and prev.deeljaar.any():
        dj = sorted(set(prev.loc[prev.deeljaar, "periode"]))
        warn.append(Melding(f"deeljaren {', '.join(dj)} (preventiequotum over minder dan 12 maanden)", bron="poort",
                            soort=BenchmarkWaarschuwing))
    if maanddata is None and poort is not None and "maand" in poort.columns and poort["maand"].notna().any():
        mr = maandreeksen(poort, sommen=("meldingen", "toekenningen"), niveau=None)
    else:
        mr = maandreeksen(maanddata)
    spec = Benchmarkspec(gemeente, tuple(g.methode for g in groepen), k, ref, basisjaar, snij,
                         None if kenmerken is None else tuple(kenmerken), synthetisch_indicator, overdispersie,
                         winsor, niveau)
    naam = str(ind.loc[ind.gemeentecode == gemeente, "gemeentenaam"].iloc[0])
    return Benchmarkresultaat(spec, naam, ind, nl, groepen, gev, idx, tr, trp, prev, mr,
                              int(ind.gemeentecode.nunique()), jaren, tuple(warn))


def samenvatting(r: Benchmarkresultaat) -> str:
    """Short Dutch summary for a raadslid: per indicator the latest year, per method the verdict."""
    s = r.spec
    regels = [f"Benchmark {r.gemeentenaam} ({s.gemeente}), {r.jaren[0]}–{r.jaren[-1]}, {r.n_gemeenten} gemeenten; "
              f"referentiejaar groepen {s.referentiejaar}, {int(s.niveau * 100)}%-voorspellingsinterval."]
    for g in r.groepen:
        regels.append("  " + g.summary().split("\n")[0])
    trp = r.trechter_parameters
    for k in [*INDICATOREN, "preventiequotum"]:
        jaar = r.laatste_jaar(k)
        if jaar is None:
            continue
        d = r.gevoeligheid[(r.gevoeligheid.indicator == k) & (r.gevoeligheid.jaar == jaar)]
        eerste = d.iloc[0]
        regels.append(f"{LABELS[k]} {jaar}: {r.gemeentenaam} {_nl(eerste.waarde)}%, Nederland {_nl(eerste.landelijk)}%.")
        tekens = set()
        for _, row in d.iterrows():
            if not np.isfinite(row.pi_laag):
                oordeel = "geen interval (te kleine groep)"
            elif row.buiten_interval:
                oordeel = "buiten de verwachting" + (" (hoger)" if row.verschil > 0 else " (lager)")
            else:
                oordeel = "binnen de verwachting"
            if np.isfinite(row.verschil):
                tekens.add(np.sign(round(row.verschil, 1)))
            regels.append(f"  {METHODE_LABEL[row.methode]}: groep {_nl(row.groep_gemiddelde)}%, verschil "
                          f"{'+' if row.verschil >= 0 else ''}{_nl(row.verschil)} punt "
                          f"(interval {_nl(row.pi_laag)}–{_nl(row.pi_hoog)}), percentiel {_nl(row.percentiel, 0)}: {oordeel}.")
        if len(tekens) > 1:
            regels.append("  Let op: boven of onder de groep hangt af van de gekozen vergelijkingsgroep.")
        if not r.trechters.empty:
            t = r.trechters[(r.trechters.indicator == k) & (r.trechters.jaar == jaar) & (r.trechters.eenheid == s.gemeente)]
            if not t.empty:
                kl = t.iloc[0].klasse_95
                kl998 = t.iloc[0].klasse_998
                regels.append(f"  Trechter (alle gemeenten, overdispersie {s.overdispersie}): {kl} de 95%-grenzen"
                              f"{'' if kl998 == 'binnen' else f', {kl998} de 99,8%-grenzen'}.")
    if not r.maand.beschikbaar:
        regels.append(f"Maandreeksen: {r.maand.reden}.")
    regels += [f"Let op: {w}" for w in r.waarschuwingen]
    return "\n".join(regels)


def spec_dict(spec: Benchmarkspec) -> dict:
    """The spec as a plain dict (for the manifest)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(spec).items()}
