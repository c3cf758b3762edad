"""Comparison groups: the report's BUIG-budget group, a structural-similarity group and a synthetic one.

- ``buig`` — the report's method: the k gemeenten nearest in BUIG budget in the reference year (the
  report: k = 20, voorlopige BUIG 2019), the gemeente itself excluded.
- ``structureel`` — the k gemeenten nearest in Euclidean distance on z-scored characteristics:
  normed benefits per 1000 inhabitants, log(inwoners) and any ``kenmerk_*`` columns (configurable).
  Answers the college's objection that budget size mostly measures municipality size.
- ``synthetisch`` — convex weights on all other gemeenten reproducing the gemeente's pre-period path
  of an indicator (see :mod:`evaluatie.benchmark.synthetisch`).

Ties at the k-th distance are all included (the group may then exceed k, with a warning): no
arbitrary tie-breaking, so relabelling gemeenten cannot change a group.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence, get_args

import numpy as np
import pandas as pd

from evaluatie.benchmark.synthetisch import rmspe, synthetische_gewichten

Methode = Literal["buig", "structureel", "synthetisch"]
METHODEN: tuple[str, ...] = get_args(Methode)
METHODE_LABEL = {"buig": "BUIG-budget (rapport)", "structureel": "Structurele kenmerken",
                 "synthetisch": "Synthetische controle"}
STANDAARD_KENMERKEN: tuple[str, ...] = ("norm_per_1000_inwoners", "log_inwoners")
MIN_GEWICHT = 1e-6


def kies(waarde: str, opties: Sequence[str], naam: str) -> str:
    """Validate a Literal option with the house message."""
    if waarde not in opties:
        raise ValueError(f"{naam}: verwacht een van {', '.join(opties)}, kreeg {waarde!r}")
    return waarde


@dataclass(frozen=True)
class Vergelijkingsgroep:
    """A comparison group for one gemeente.

    Attributes
    ----------
    methode : str
        ``buig``, ``structureel`` or ``synthetisch``.
    gemeente : str
        CBS code of the gemeente being compared.
    leden : tuple of str
        Member codes, nearest first (synthetic: largest weight first).
    gewichten : tuple of float
        Weights summing to 1 (1/k for buig and structureel).
    afstanden : tuple of float
        Distance to the gemeente (euro for buig, z-units for structureel, NaN for synthetic).
    n_kandidaten : int
        Gemeenten that could be chosen.
    spec : dict
        Options that produced the group.
    pad : DataFrame or None
        Synthetic only: jaar, gemeente, synthetisch, verschil, periode (voor/na).
    rmspe_voor, rmspe_na : float
        Synthetic only: fit before the cut-off year and divergence after (NaN otherwise).
    waarschuwingen : tuple of str
    """

    methode: str
    gemeente: str
    leden: tuple[str, ...]
    gewichten: tuple[float, ...]
    afstanden: tuple[float, ...]
    n_kandidaten: int
    spec: dict = field(default_factory=dict)
    pad: pd.DataFrame | None = None
    rmspe_voor: float = float("nan")
    rmspe_na: float = float("nan")
    waarschuwingen: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of members."""
        return len(self.leden)

    @property
    def n_effectief(self) -> float:
        """Effective group size ``1 / Σw²`` (equals n for equal weights)."""
        w = np.asarray(self.gewichten)
        return float(1.0 / np.sum(w ** 2))

    def to_frame(self) -> pd.DataFrame:
        """One row per member: methode, gemeente, lid, rang, gewicht, afstand."""
        return pd.DataFrame({
            "methode": self.methode, "gemeente": self.gemeente, "lid": list(self.leden),
            "rang": np.arange(1, self.n + 1), "gewicht": list(self.gewichten), "afstand": list(self.afstanden),
        })

    def summary(self) -> str:
        s = (f"Vergelijkingsgroep {METHODE_LABEL[self.methode]} voor {self.gemeente}: {self.n} gemeenten "
             f"(effectief {self.n_effectief:.1f}) uit {self.n_kandidaten} kandidaten")
        if self.methode == "synthetisch":
            s += f"; RMSPE voorperiode {self.rmspe_voor:.2f}, naperiode {self.rmspe_na:.2f}"
        return s + "." + "".join(f"\n  let op: {w}" for w in self.waarschuwingen)


def _referentie(ind: pd.DataFrame, referentiejaar: int | None) -> tuple[int, pd.DataFrame]:
    jaren = sorted(ind["jaar"].unique())
    jaar = int(jaren[-1]) if referentiejaar is None else int(referentiejaar)
    if jaar not in jaren:
        raise ValueError(f"referentiejaar {jaar} zit niet in de gegevens; verwacht een van {jaren}")
    return jaar, ind[ind["jaar"] == jaar].set_index("gemeentecode")


def _dichtstbij(afstand: pd.Series, k: int) -> tuple[pd.Series, list[str]]:
    """k smallest distances, all ties at the k-th included; order by distance then code (stable)."""
    if k < 1:
        raise ValueError(f"k moet minstens 1 zijn, kreeg {k}")
    a = afstand.sort_index(kind="mergesort").sort_values(kind="mergesort")
    warn = []
    if len(a) <= k:
        if len(a) < k:
            warn.append(f"slechts {len(a)} kandidaten beschikbaar, minder dan k = {k}")
        return a, warn
    grens = a.iloc[k - 1]
    kies_ = a[a <= grens]
    if len(kies_) > k:
        warn.append(f"gelijke afstand op plaats {k}: groep heeft {len(kies_)} leden in plaats van {k}")
    return kies_, warn


def groep_buig(indicatoren: pd.DataFrame, gemeente: str, *, k: int = 20,
               referentiejaar: int | None = None) -> Vergelijkingsgroep:
    """The report's group: k gemeenten nearest in BUIG budget in ``referentiejaar`` (default: last year).

    Parameters
    ----------
    indicatoren : DataFrame
        From :func:`evaluatie.benchmark.indicatoren.bereken_indicatoren`.
    gemeente : str
        CBS code.
    k : int
        Group size (report: 20).
    referentiejaar : int, optional
        Year of the budget (report: 2019).
    """
    jaar, ref = _referentie(indicatoren, referentiejaar)
    b = ref["buig_budget"]
    afstand = (b.drop(index=gemeente) - b[gemeente]).abs().dropna()
    kies_, warn = _dichtstbij(afstand, k)
    return Vergelijkingsgroep("buig", gemeente, tuple(kies_.index), tuple([1.0 / len(kies_)] * len(kies_)),
                              tuple(kies_.to_numpy(float)), len(afstand),
                              {"k": k, "referentiejaar": jaar, "afstand": "|verschil BUIG-budget| (euro)"},
                              waarschuwingen=tuple(warn))


def kenmerkmatrix(ref: pd.DataFrame, kenmerken: Sequence[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Z-scored characteristics per gemeente (rows) for the structural group.

    ``kenmerken=None`` uses normed benefits per 1000 inhabitants, log inhabitants and every
    ``kenmerk_*`` column. Columns without variation are dropped (with a warning).
    """
    basis = pd.DataFrame(index=ref.index)
    basis["norm_per_1000_inwoners"] = ref["norm_per_1000_inwoners"]
    basis["log_inwoners"] = np.log(ref["inwoners"])
    for c in ref.columns:
        if c.startswith("kenmerk_"):
            basis[c] = ref[c]
    namen = list(STANDAARD_KENMERKEN) + [c for c in ref.columns if c.startswith("kenmerk_")] \
        if kenmerken is None else list(kenmerken)
    onbekend = [c for c in namen if c not in basis.columns]
    if onbekend:
        raise ValueError(f"onbekende kenmerken {', '.join(onbekend)}; verwacht een van {', '.join(basis.columns)}")
    X = basis[namen].astype(float)
    warn = []
    sd = X.std(ddof=1)
    vast = [c for c in namen if not np.isfinite(sd[c]) or sd[c] == 0]
    if vast:
        warn.append(f"kenmerk(en) zonder spreiding weggelaten: {', '.join(vast)}")
        X = X.drop(columns=vast)
    if X.shape[1] == 0:
        raise ValueError("geen bruikbare kenmerken voor de structurele vergelijkingsgroep")
    Z = (X - X.mean()) / X.std(ddof=1)
    return Z, warn


def groep_structureel(indicatoren: pd.DataFrame, gemeente: str, *, k: int = 20, referentiejaar: int | None = None,
                      kenmerken: Sequence[str] | None = None) -> Vergelijkingsgroep:
    """k gemeenten nearest (Euclidean) on z-scored structural characteristics in ``referentiejaar``.

    Gemeenten with a missing characteristic are not candidates (warning); if the gemeente itself lacks
    one, that characteristic is dropped.
    """
    jaar, ref = _referentie(indicatoren, referentiejaar)
    Z, warn = kenmerkmatrix(ref, kenmerken)
    eigen = Z.loc[gemeente]
    if eigen.isna().any():
        weg = list(eigen.index[eigen.isna()])
        warn.append(f"{gemeente} mist kenmerk(en) {', '.join(weg)}; weggelaten")
        Z = Z.drop(columns=weg)
        eigen = Z.loc[gemeente]
    ander = Z.drop(index=gemeente)
    mist = ander.isna().any(axis=1)
    if mist.any():
        warn.append(f"{int(mist.sum())} gemeenten missen een kenmerk en doen niet mee")
        ander = ander[~mist]
    afstand = pd.Series(np.sqrt(((ander - eigen) ** 2).sum(axis=1)), index=ander.index)
    kies_, w2 = _dichtstbij(afstand, k)
    return Vergelijkingsgroep("structureel", gemeente, tuple(kies_.index), tuple([1.0 / len(kies_)] * len(kies_)),
                              tuple(kies_.to_numpy(float)), len(afstand),
                              {"k": k, "referentiejaar": jaar, "kenmerken": list(Z.columns),
                               "afstand": "euclidisch op z-scores"},
                              waarschuwingen=tuple(warn + w2))


def groep_synthetisch(indicatoren: pd.DataFrame, gemeente: str, *, indicator: str = "pct_norm",
                      snijjaar: int | None = None, ridge: float = 1e-8) -> Vergelijkingsgroep:
    """Synthetic group: convex weights on other gemeenten fitting ``indicator`` in years before ``snijjaar``.

    Parameters
    ----------
    snijjaar : int, optional
        First year of the comparison period (default: the last year, so all earlier years are the
        pre-period). Weights are fitted on years < snijjaar only.
    ridge : float
        Relative ridge that makes the weights unique (see :func:`synthetische_gewichten`).
    """
    jaren = sorted(indicatoren["jaar"].unique())
    snij = int(jaren[-1]) if snijjaar is None else int(snijjaar)
    voor = [j for j in jaren if j < snij]
    if not voor:
        raise ValueError(f"snijjaar {snij}: geen jaren vóór het snijjaar om de synthetische groep op te passen "
                         f"(gegevens: {jaren[0]}–{jaren[-1]})")
    breed = indicatoren.pivot(index="jaar", columns="gemeentecode", values=indicator).sort_index()
    if gemeente not in breed.columns or breed.loc[voor, gemeente].isna().any():
        raise ValueError(f"{gemeente} heeft geen volledige reeks {indicator} vóór {snij}")
    warn = []
    donor = breed.drop(columns=gemeente)
    compleet = donor.loc[voor].notna().all()
    if not compleet.all():
        warn.append(f"{int((~compleet).sum())} gemeenten zonder volledige voorperiode doen niet mee")
    donor = donor.loc[:, compleet].sort_index(axis=1)
    if len(voor) < 3:
        warn.append(f"voorperiode heeft slechts {len(voor)} jaar: de gewichten zijn zwak bepaald")
    w = synthetische_gewichten(breed.loc[voor, gemeente].to_numpy(), donor.loc[voor].to_numpy(), ridge=ridge)
    houd = w > MIN_GEWICHT
    w = np.where(houd, w, 0.0)
    w = w / w.sum()
    s = pd.Series(w, index=donor.columns)[houd]
    s = s.iloc[np.lexsort((s.index.to_numpy(), -s.to_numpy()))]
    synth = donor[s.index].to_numpy() @ s.to_numpy()
    pad = pd.DataFrame({"jaar": breed.index.to_numpy(), "gemeente": breed[gemeente].to_numpy(), "synthetisch": synth})
    pad["verschil"] = pad["gemeente"] - pad["synthetisch"]
    pad["periode"] = np.where(pad["jaar"] < snij, "voor", "na")
    vo = pad[pad.periode == "voor"]
    na = pad[(pad.periode == "na") & pad["verschil"].notna()]
    r_voor = rmspe(vo["gemeente"], vo["synthetisch"])
    if houd.sum() > len(voor):
        warn.append(f"{int(houd.sum())} gewichten op {len(voor)} voorperiode-jaren: een (bijna) exacte pasvorm is dan "
                    "altijd mogelijk en kan ruis volgen; lees het verschil na het snijjaar met de spreiding erbij")
    sd_ind = float(np.nanstd(breed.loc[voor].to_numpy()))
    if sd_ind > 0 and r_voor > 0.5 * sd_ind:
        warn.append(f"slechte pasvorm in de voorperiode (RMSPE {r_voor:.2f} tegen spreiding {sd_ind:.2f} "
                    "tussen gemeenten): de gemeente ligt buiten het bereik van de anderen")
    return Vergelijkingsgroep("synthetisch", gemeente, tuple(s.index), tuple(s.to_numpy(float)),
                              tuple([float("nan")] * len(s)), int(donor.shape[1]),
                              {"indicator": indicator, "snijjaar": snij, "voorperiode": voor, "ridge": ridge,
                               "solver": "scipy.optimize.nnls op augmented systeem (som-rij + ridge)"},
                              pad=pad, rmspe_voor=r_voor, rmspe_na=rmspe(na["gemeente"], na["synthetisch"]),
                              waarschuwingen=tuple(warn))


def vergelijkingsgroep(indicatoren: pd.DataFrame, gemeente: str, methode: Methode = "buig", *, k: int = 20,
                       referentiejaar: int | None = None, kenmerken: Sequence[str] | None = None,
                       indicator: str = "pct_norm", snijjaar: int | None = None) -> Vergelijkingsgroep:
    """Build the comparison group with the chosen ``methode`` (dispatcher; see the three functions)."""
    kies(methode, METHODEN, "methode")
    if methode == "buig":
        return groep_buig(indicatoren, gemeente, k=k, referentiejaar=referentiejaar)
    if methode == "structureel":
        return groep_structureel(indicatoren, gemeente, k=k, referentiejaar=referentiejaar, kenmerken=kenmerken)
    return groep_synthetisch(indicatoren, gemeente, indicator=indicator, snijjaar=snijjaar)
