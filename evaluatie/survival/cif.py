"""Aalen-Johansen cumulative incidence of one exit (e.g. werk) among competing exits, delayed entry.

``F_k(t) = sum_{s <= t} S(s-) d_k(s) / n(s)`` with ``S`` the all-cause Kaplan-Meier and ``n(s)`` the
rows at risk (``start < s <= stop``). This is *not* ``1 - KM`` of the cause (which treats competing
exits as censoring and overstates the incidence).

Variance: Gray's (1988) delta-method estimator exactly as ``cmprsk::cuminc`` computes it, with the
risk-set sizes taken from the (start, stop] risk sets so it extends to delayed entry. As in cmprsk the
variance is updated at the times the cause's incidence jumps and carried forward in between. Without
delayed entry it equals ``cmprsk::cuminc`` to rounding; with delayed entry it is close to (not equal
to) R ``survfit``'s infinitesimal-jackknife SE. Pointwise interval: log(-log) transform of ``F``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluatie.survival.fouten import OverlevingsFout
from evaluatie.survival.invoer import conf_z, groepen, tijden
from evaluatie.survival.km import risk_table
from evaluatie.survival.namen import MetWaarschuwingen, met_oude_namen
from evaluatie.survival.productlimiet import incidentie, overleving


def aalen_johansen(table: pd.DataFrame, cause: int, z: float) -> pd.DataFrame:
    """CIF of ``cause`` with Gray's variance from a :func:`risk_table` (one group).

    Returns the table's time, n_risk, n_event (of the cause), n_competing, n_censor and cif, se,
    ci_lower, ci_upper.
    """
    n = table["n_risk"].to_numpy(dtype=float)
    d_all = table["n_event"].to_numpy(dtype=float)
    col = f"d{cause}"
    d1 = table[col].to_numpy(dtype=float) if col in table else np.zeros(len(n))
    d2 = d_all - d1
    s_after, fk = overleving((d_all / n,))  # S(t), S(t-)
    F = incidentie(fk, d1 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t3 = np.where(s_after > 0, 1.0 / s_after, 0.0)
        # competing causes (only while S(t) > 0, as cmprsk)
        t5 = np.where(d2 > 1, 1.0 - (d2 - 1.0) / (n - 1.0), 1.0)
        t6 = np.where((d2 > 0) & (s_after > 0), fk * fk * t5 * d2 / (n * n), 0.0)
        t4 = F * t3
        v1 = t4 * t4 * t6
        v2 = t3 * t4 * t6
        v3 = t3 * t3 * t6
        # the cause of interest
        t5 = np.where(d1 > 1, 1.0 - (d1 - 1.0) / (n - 1.0), 1.0)
        t6 = np.where(d1 > 0, fk * fk * t5 * d1 / (n * n), 0.0)
        t4 = 1.0 + t3 * F
        v1 = v1 + t4 * t4 * t6
        v2 = v2 + t3 * t4 * t6
        v3 = v3 + t3 * t3 * t6
    V1, V2, V3 = np.cumsum(v1), np.cumsum(v2), np.cumsum(v3)
    var_at = V1 + F * F * V3 - 2.0 * F * V2
    # carried forward from the last time the incidence jumped (cmprsk convention)
    jump = d1 > 0
    last = np.maximum.accumulate(np.where(jump, np.arange(len(n)), -1))
    var = np.where(last >= 0, var_at[np.maximum(last, 0)], 0.0)
    se = np.sqrt(np.maximum(var, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        k = z * se / (F * np.log(F))
        lower = np.where((F > 0) & (F < 1), F ** np.exp(-k), F)
        upper = np.where((F > 0) & (F < 1), F ** np.exp(k), F)
    return pd.DataFrame({
        "time": table["time"].to_numpy(), "n_risk": table["n_risk"].to_numpy(),
        "n_event": d1.astype(np.int64), "n_competing": d2.astype(np.int64),
        "n_censor": table["n_censor"].to_numpy(), "cif": F, "se": se,
        "ci_laag": lower, "ci_hoog": upper})


@dataclass(frozen=True)
class CumulativeIncidenceSpec:
    stop: str
    event: str
    cause: int
    start: str | None
    group: str | None
    conf_level: float
    variance: str = "gray"


@dataclass(frozen=True)
class CumulativeIncidenceResult(MetWaarschuwingen):
    """Cumulative incidence curves of one cause (one per group).

    Attributes
    ----------
    table : DataFrame
        group, time, n_risk, n_event (of the cause), n_competing, n_censor, cif, se (Gray), ci_laag,
        ci_hoog.
    n : int; n_events : int (of the cause); n_competing : int; spec; waarschuwingen : tuple of str (``warnings``: deprecated alias)
    """

    table: pd.DataFrame
    n: int
    n_events: int
    n_competing: int
    spec: CumulativeIncidenceSpec
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self, *, oude_namen: bool = False) -> pd.DataFrame:
        """The curve table (a copy); ``oude_namen=True``: ci_lower/ci_upper as before (deprecated)."""
        return met_oude_namen(self.table.copy()) if oude_namen else self.table.copy()

    def at(self, times) -> pd.DataFrame:
        """CIF (right-continuous step function) at the given times per group; 0 before the first time."""
        times = np.atleast_1d(np.asarray(times, dtype=float))
        out = []
        for g, sub in self.table.groupby("group", sort=False):
            t = sub["time"].to_numpy()
            i = np.searchsorted(t, times, side="right") - 1
            vals = {c: np.where(i >= 0, sub[c].to_numpy()[np.maximum(i, 0)], 0.0)
                    for c in ("cif", "se", "ci_laag", "ci_hoog")}
            out.append(pd.DataFrame({"group": g, "time": times, **vals, "na_na_laatste": times > t[-1]}))
        return pd.concat(out, ignore_index=True)

    def summary(self) -> str:
        s = self.spec
        lines = [f"Cumulatieve incidentie (Aalen-Johansen) van oorzaak {s.cause} naast concurrerende "
                 f"uitstroom: n = {self.n} rijen, {self.n_events} gebeurtenissen, {self.n_competing} "
                 f"concurrerend; SE volgens Gray, {int(s.conf_level * 100)}%-BI"]
        for g, sub in self.table.groupby("group", sort=False):
            last = sub.iloc[-1]
            lines.append(f"  {g}: F({last['time']:g}) = {last['cif']:.3f} "
                         f"[{last['ci_laag']:.3f}; {last['ci_hoog']:.3f}]")
        lines += [f"  waarschuwing: {w}" for w in self.waarschuwingen]
        return "\n".join(lines)


def cumulative_incidence(data: pd.DataFrame, *, stop: str, event: str, cause: int, start: str | None = None,
                         group: str | None = None, conf_level: float = 0.95) -> CumulativeIncidenceResult:
    """Aalen-Johansen cumulative incidence of ``cause`` in the presence of other exits.

    Parameters
    ----------
    data : DataFrame
        (start, stop] rows; ``event`` holds 0 = censored, 1..k = cause of exit (on the spell's last row).
    stop, event : str
    cause : int
        Code of the exit of interest (1 = werk in the uitstroom codes).
    start : str, optional
        Entry time (delayed entry); at risk iff ``start < t <= stop``.
    group : str, optional
    conf_level : float

    Returns
    -------
    CumulativeIncidenceResult
    """
    z = conf_z(conf_level)
    tt = tijden(data, stop=stop, event=event, start=start)
    try:
        cause = int(cause)
    except (TypeError, ValueError) as exc:
        raise OverlevingsFout(f"cause moet een gehele oorzaakcode zijn, kreeg {cause!r}") from exc
    if cause < 1:
        raise OverlevingsFout(f"cause moet een oorzaakcode >= 1 zijn, kreeg {cause}")
    codes, labels = groepen(data, group)
    warns = []
    if not (tt.event == cause).any():
        warns.append(f"oorzaak {cause} komt niet voor in kolom '{event}': incidentie is overal 0")
    frames = []
    for gi, label in enumerate(labels):
        m = codes == gi
        cur = aalen_johansen(risk_table(tt.start[m], tt.stop[m], tt.event[m]), cause, z)
        cur.insert(0, "group", label)
        frames.append(cur)
    spec = CumulativeIncidenceSpec(stop=stop, event=event, cause=cause, start=start, group=group,
                                   conf_level=conf_level)
    n_c = int((tt.event == cause).sum())
    return CumulativeIncidenceResult(table=pd.concat(frames, ignore_index=True), n=len(data), n_events=n_c,
                                     n_competing=int((tt.event > 0).sum()) - n_c, spec=spec,
                                     waarschuwingen=tuple(warns))
