"""Temporal rules: the order of dates, open spells, overlap, the peildatum and the observation window.

Rules (all vectorised; each returns a findings frame):

- ``einde_voor_start``: einddatum (last day) on or after startdatum (any table with both fields).
- ``uitstroomreden`` (uitkeringen): the reason is filled exactly when einddatum is filled.
- ``overlap`` (uitkeringen): spells of one client do not overlap (both dates inclusive, so a new spell may
  start the day after the previous one ended). Every spell that starts on or before the end of an
  earlier-starting spell of the same client is rejected, naming that spell's row; the earliest spell is kept.
- ``na_peildatum``: no date after the peildatum (without a peildatum: not after today).
- trajecten (a decision, documented here):
  * ``traject_zonder_uitkering``: the client has no accepted uitkering at all → rejected. Exception:
    nuggers (``clienten.nugger`` true) are entitled to support without benefit, so their trajecten need
    no uitkering.
  * ``traject_buiten_uitkering``: the traject's startdatum lies in no accepted spell of the client
    (``startdatum <= traject.startdatum <= einddatum``, open spell = still running) → rejected. A traject
    may run on after the spell ended (a loonkostensubsidie outlives the exit to work); prepare clips it.
  * ``traject_na_waarneming``: startdatum after the end of the observation window → rejected.
  * ``traject_voor_waarneming``: the traject ended before the window started → warning only (kept: it
    defines the after-programme state of a spell that runs into the window).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluatie.lezen import Ingelezen
from evaluatie.validatie.bevindingen import bevindingen, citeer, datumtekst, samen, toon
from evaluatie.validatie.typen import Geparsed, is_in

_OPEN = pd.Timestamp.max.normalize()


def _geldig(g: Geparsed) -> np.ndarray:
    return ~g.ontbreekt & ~g.ongeldig


def einde_voor_start(inv: Ingelezen, parsed: dict[str, Geparsed]) -> pd.DataFrame:
    """Reject rows whose einddatum lies before their startdatum."""
    s, e = parsed["startdatum"].waarde, parsed["einddatum"].waarde
    pos = np.flatnonzero((e < s).fillna(False).to_numpy(dtype=bool))
    if not len(pos):
        return samen([])
    st, et = datumtekst(s.iloc[pos]), datumtekst(e.iloc[pos])
    return bevindingen(inv, pos, veld="einddatum", waarde=toon(inv.data["einddatum"], pos), regel="einde_voor_start",
                       melding=("einddatum " + et + " ligt vóór startdatum " + st
                                + "; verwacht een einddatum op of na de startdatum").to_numpy())


def uitstroomreden(inv: Ingelezen, parsed: dict[str, Geparsed], toegestaan: tuple[str, ...] | None) -> pd.DataFrame:
    """uitstroomreden must be filled when einddatum is filled, and empty while the spell runs."""
    einde = ~parsed["einddatum"].ontbreekt
    reden = ~parsed["uitstroomreden"].ontbreekt
    delen = []
    pos = np.flatnonzero(einde & ~reden)
    if len(pos):
        keuze = f"; verwacht een van: {', '.join(toegestaan)}" if toegestaan else ""
        delen.append(bevindingen(inv, pos, veld="uitstroomreden", waarde="", regel="uitstroomreden",
                                 melding=("uitstroomreden: leeg terwijl einddatum " + pd.Series(toon(inv.data["einddatum"], pos))
                                          + " gevuld is" + keuze).to_numpy()))
    pos = np.flatnonzero(~einde & reden)
    if len(pos):
        w = toon(inv.data["uitstroomreden"], pos)
        delen.append(bevindingen(inv, pos, veld="uitstroomreden", waarde=w, regel="uitstroomreden",
                                 melding=("uitstroomreden: " + citeer(w) + " gevuld terwijl einddatum leeg is (uitkering loopt "
                                          "nog); verwacht een lege uitstroomreden of een einddatum").to_numpy()))
    return samen(delen)


def na_peildatum(inv: Ingelezen, parsed: dict[str, Geparsed], datumvelden: list[str], peildatum: pd.Timestamp,
                 vandaag: bool = False) -> pd.DataFrame:
    """Reject rows with a date after the peildatum (or, without one, after today)."""
    delen = []
    wat = f"ligt in de toekomst (na vandaag, {peildatum.date()})" if vandaag else f"ligt na de peildatum {peildatum.date()}"
    for v in datumvelden:
        pos = np.flatnonzero((parsed[v].waarde > peildatum).fillna(False).to_numpy(dtype=bool))
        if len(pos):
            delen.append(bevindingen(inv, pos, veld=v, waarde=toon(inv.data[v], pos), regel="na_peildatum",
                                     melding=(f"{v} " + datumtekst(parsed[v].waarde.iloc[pos]) + f" {wat}; "
                                              "verwacht een datum op of vóór de peildatum").to_numpy()))
    return samen(delen)


def overlap(inv: Ingelezen, parsed: dict[str, Geparsed], bruikbaar: np.ndarray) -> pd.DataFrame:
    """Reject every spell that overlaps an earlier-starting spell of the same client.

    Parameters
    ----------
    bruikbaar : ndarray of bool
        Rows to consider: valid client_id and dates, einddatum not before startdatum, not a key duplicate.
    """
    pos_ok = np.flatnonzero(bruikbaar)
    if len(pos_ok) < 2:
        return samen([])
    s_all = parsed["startdatum"].waarde.to_numpy()
    e_all = parsed["einddatum"].waarde.fillna(_OPEN).to_numpy()
    d = pd.DataFrame({
        "c": parsed["client_id"].waarde.to_numpy()[pos_ok],
        "s": s_all[pos_ok],
        "e": e_all[pos_ok],
        "rij": inv.rij[pos_ok],
        "pos": pos_ok,
    }).sort_values(["c", "s", "rij"], kind="mergesort")
    cm = d.groupby("c", sort=False)["e"].cummax()
    houder = d["pos"].where(d["e"] == cm).groupby(d["c"], sort=False).ffill()
    vorig_eind = cm.groupby(d["c"], sort=False).shift(1)
    vorige = houder.groupby(d["c"], sort=False).shift(1)
    hit = (d["s"] <= vorig_eind).fillna(False).to_numpy(dtype=bool)
    if not hit.any():
        return samen([])
    pos = d["pos"].to_numpy()[hit]
    andere = vorige.to_numpy()[hit].astype(np.int64)

    def periode(p: np.ndarray) -> pd.Series:
        e = pd.Series(e_all[p])
        et = datumtekst(e.where(e != _OPEN))
        return datumtekst(s_all[p]) + " t/m " + et.replace("leeg", "nu (loopt nog)")

    return bevindingen(inv, pos, veld="startdatum", waarde=toon(inv.data["startdatum"], pos), regel="overlap",
                       melding=("uitkering " + periode(pos) + " overlapt met de uitkering in rij "
                                + pd.Series(inv.rij[andere]).astype(str) + " (" + periode(andere)
                                + ") van dezelfde cliënt; verwacht perioden die elkaar niet overlappen").to_numpy())


def trajecten_in_uitkering(
    inv: Ingelezen,
    parsed: dict[str, Geparsed],
    te_controleren: np.ndarray,
    uitk_inv: Ingelezen,
    uitk: pd.DataFrame,
    uitk_afgekeurd: np.ndarray,
    uitzondering: pd.Index,
) -> pd.DataFrame:
    """Trajecten must start inside an accepted uitkering of their client (see module docstring).

    Parameters
    ----------
    te_controleren : ndarray of bool
        Trajecten rows to check (valid client_id and startdatum, client known and accepted).
    uitk : DataFrame
        Typed uitkeringen (client_id, startdatum, einddatum), all rows as read.
    uitk_afgekeurd : ndarray of bool
        Uitkeringen rows rejected.
    uitzondering : Index
        Client ids exempt from the rule (nuggers).
    """
    c = parsed["client_id"].waarde
    t = parsed["startdatum"].waarde
    check = te_controleren & ~is_in(c, uitzondering)
    pos_ok = np.flatnonzero(check)
    if not len(pos_ok):
        return samen([])
    uitk_geldig = uitk["client_id"].notna() & uitk["startdatum"].notna()
    acc = uitk.loc[uitk_geldig & ~uitk_afgekeurd]
    delen = []
    heeft = is_in(c.iloc[pos_ok], acc["client_id"])
    zonder = pos_ok[~heeft]
    if len(zonder):
        alle_rij = pd.Series(uitk_inv.rij[(uitk_geldig & uitk_afgekeurd).to_numpy()],
                             index=uitk.loc[uitk_geldig & uitk_afgekeurd, "client_id"].to_numpy())
        eerste_af = alle_rij.groupby(level=0).min()
        cz = c.iloc[zonder]
        af_rij = cz.map(eerste_af)
        w = toon(inv.data["client_id"], zonder)
        rijen = [None if pd.isna(r) else int(r) for r in af_rij.to_numpy(dtype=object)]
        tekst = [
            (f"cliënt {q} heeft geen uitkering in {uitk_inv.bestand}" if r is None
             else f"alle uitkeringen van cliënt {q} zijn afgekeurd (eerste: {uitk_inv.bestand} rij {r})")
            + "; verwacht dat een traject binnen een uitkering valt (alleen nuggers zonder uitkering)"
            for q, r in zip(citeer(w), rijen)
        ]
        delen.append(bevindingen(inv, zonder, veld="client_id", waarde=w, regel="traject_zonder_uitkering",
                                 melding=np.array(tekst, dtype=object)))
    met = pos_ok[heeft]
    if len(met):
        # integer client codes: merge_asof "by" on integers is much faster than on text
        codes, _ = pd.factorize(pd.concat([c.iloc[met], acc["client_id"]], ignore_index=True))
        links = pd.DataFrame({"k": codes[: len(met)], "t": t.iloc[met].to_numpy(), "pos": met}).sort_values("t")
        rechts = pd.DataFrame({"k": codes[len(met):], "s": acc["startdatum"].to_numpy(),
                               "e": acc["einddatum"].fillna(_OPEN).to_numpy()}).sort_values("s")
        m = pd.merge_asof(links, rechts, left_on="t", right_on="s", by="k", direction="backward")
        buiten = m.loc[~(m["t"] <= m["e"]).to_numpy(dtype=bool)].sort_values("pos")
        if len(buiten):
            pos = buiten["pos"].to_numpy(np.int64)
            w = toon(inv.data["startdatum"], pos)
            cid = toon(inv.data["client_id"], pos)
            delen.append(bevindingen(inv, pos, veld="startdatum", waarde=w, regel="traject_buiten_uitkering",
                                     melding=("startdatum " + datumtekst(buiten["t"]).to_numpy() + " valt in geen enkele "
                                              "geaccepteerde uitkering van cliënt " + citeer(cid)
                                              + "; verwacht een startdatum binnen een uitkeringsperiode").to_numpy()))
    return samen(delen)


def trajecten_in_venster(inv: Ingelezen, parsed: dict[str, Geparsed], venster: tuple[pd.Timestamp, pd.Timestamp],
                         al_fout: np.ndarray) -> pd.DataFrame:
    """Trajecten starting after the window are rejected; trajecten ended before it give a warning."""
    start, eind = venster
    s, e = parsed["startdatum"].waarde, parsed["einddatum"].waarde
    delen = []
    pos = np.flatnonzero((s > eind).fillna(False).to_numpy(dtype=bool) & ~al_fout)
    if len(pos):
        delen.append(bevindingen(inv, pos, veld="startdatum", waarde=toon(inv.data["startdatum"], pos),
                                 regel="traject_na_waarneming",
                                 melding=("startdatum " + datumtekst(s.iloc[pos]) + f" ligt na het einde van de "
                                          f"waarnemingsperiode {eind.date()}; verwacht een traject binnen "
                                          f"{start.date()} t/m {eind.date()}").to_numpy()))
    pos = np.flatnonzero((e < start).fillna(False).to_numpy(dtype=bool))
    if len(pos):
        delen.append(bevindingen(inv, pos, veld="einddatum", waarde=toon(inv.data["einddatum"], pos),
                                 regel="traject_voor_waarneming", niveau="waarschuwing",
                                 melding=("traject eindigde " + datumtekst(e.iloc[pos]) + f", vóór de waarnemingsperiode "
                                          f"({start.date()} t/m {eind.date()}); behouden voor de toestand na het traject").to_numpy()))
    return samen(delen)
