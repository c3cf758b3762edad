"""Plausibility: counts in the municipal tables (a part cannot exceed its whole), and client data that is
possible but unlikely (warnings that name the rows; nothing here rejects a client-level row).

- gemeenten: ``uitstroom_werk <= uitstroom`` (outflow to work is part of all outflow) → error.
- poort: ``toekenningen <= aanvragen <= meldingen`` → warning only: in monthly data an application can
  be decided in a later month than it was filed, so a month can show more decisions than applications.
- uitkeringen: a start before the client's birth year, before age 18 or after AOW age (``leeftijd``), a
  client with more than :data:`MAX_UITKERINGEN` spells (``veel_uitkeringen``).
- every date field: before :data:`VER_VERLEDEN` (``ver_verleden``; before 1900 is rejected by the
  range check in :mod:`evaluatie.validatie.typen`).
- client_id of nine digits passing the BSN elfproef (``mogelijk_bsn``): a warning to pseudonymise.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluatie.lezen import Ingelezen, kort
from evaluatie.validatie.bevindingen import Niveau, bevindingen, datumtekst, samen, toon
from evaluatie.validatie.typen import Geparsed

PAREN: dict[str, tuple[tuple[str, str, Niveau], ...]] = {
    "gemeenten": (("uitstroom_werk", "uitstroom", "fout"),),
    "poort": (("toekenningen", "aanvragen", "waarschuwing"), ("aanvragen", "meldingen", "waarschuwing")),
}
"""Per table: (part, whole, level)."""


def deel_en_geheel(inv: Ingelezen, parsed: dict[str, Geparsed]) -> pd.DataFrame:
    """Flag rows where a part count exceeds its whole (see :data:`PAREN`)."""
    delen = []
    for deel, geheel, niveau in PAREN.get(inv.tabel, ()):
        if deel not in parsed or geheel not in parsed:
            continue
        a, b = parsed[deel].waarde, parsed[geheel].waarde
        pos = np.flatnonzero((a > b).fillna(False).to_numpy(dtype=bool))
        if len(pos):
            wa, wb = toon(inv.data[deel], pos), toon(inv.data[geheel], pos)
            delen.append(bevindingen(inv, pos, veld=deel, waarde=wa, regel="deel_groter_dan_geheel", niveau=niveau,
                                     melding=(f"{deel} " + pd.Series(wa).astype(str) + f" is groter dan {geheel} "
                                              + pd.Series(wb).astype(str) + f"; verwacht {deel} <= {geheel}").to_numpy()))
    return samen(delen)


# ------------------------------------------------------------------------ client-level plausibility
MIN_LEEFTIJD = 18
"""Youngest age at which a bijstand benefit is plausible (Participatiewet: from 18)."""
MAX_LEEFTIJD = 67
"""Oldest age at the start of a benefit that is plausible (AOW age; older people get AOW, not bijstand)."""
VER_VERLEDEN = pd.Timestamp("1990-01-01")
"""Dates before this are accepted but reported: extracts rarely reach back so far."""
MAX_UITKERINGEN = 24
"""More spells than this for one client in one extract is implausible (fragmented or duplicated records)."""


def _lijst(rijen: np.ndarray, maximum: int = 5) -> str:
    r = [str(int(x)) for x in rijen[:maximum]]
    return ", ".join(r) + (f", … ({len(rijen)} rijen)" if len(rijen) > maximum else "")


def leeftijd_bij_start(inv: Ingelezen, parsed: dict[str, Geparsed], clienten: pd.DataFrame | None,
                       clienten_afgekeurd: np.ndarray | None) -> pd.DataFrame:
    """Warn about benefits starting before birth, before :data:`MIN_LEEFTIJD` or after :data:`MAX_LEEFTIJD`.

    Parameters
    ----------
    clienten : DataFrame or None
        Typed clienten (client_id, geboortejaar), all rows as read; None when the table is absent.
    clienten_afgekeurd : ndarray of bool or None
        Clienten rows rejected (their birth year is not used).
    """
    if clienten is None or "geboortejaar" not in clienten or "startdatum" not in parsed or "client_id" not in parsed:
        return samen([])
    ok = clienten["client_id"].notna().to_numpy() & clienten["geboortejaar"].notna().to_numpy()
    if clienten_afgekeurd is not None:
        ok &= ~clienten_afgekeurd
    gj = pd.Series(clienten.loc[ok, "geboortejaar"].astype("float64").to_numpy(),
                   index=clienten.loc[ok, "client_id"].astype(object).to_numpy())
    gj = gj[~gj.index.duplicated()]
    c = parsed["client_id"].waarde.astype(object)
    s = parsed["startdatum"].waarde
    jaar = c.map(gj).to_numpy(dtype=float, na_value=np.nan)
    leeftijd = s.dt.year.to_numpy(dtype=float, na_value=np.nan) - jaar
    delen = []
    for masker, wat in (
        (leeftijd < 0, "begint vóór het geboortejaar {gj} van de cliënt"),
        ((leeftijd >= 0) & (leeftijd < MIN_LEEFTIJD), f"begint toen de cliënt {{lf}} was (geboortejaar {{gj}}); bijstand "
                                                     f"is er vanaf {MIN_LEEFTIJD} jaar"),
        (leeftijd > MAX_LEEFTIJD, f"begint toen de cliënt {{lf}} was (geboortejaar {{gj}}); na de AOW-leeftijd "
                                  f"(±{MAX_LEEFTIJD}) is bijstand onwaarschijnlijk"),
    ):
        pos = np.flatnonzero(np.nan_to_num(masker, nan=0).astype(bool))
        if not len(pos):
            continue
        st = datumtekst(s.iloc[pos])
        meld = [f"uitkering met startdatum {d} " + wat.format(gj=int(j), lf=int(lf)) + "; waarschuwing, niet afgekeurd: "
                "controleer geboortejaar en startdatum" for d, j, lf in zip(st, jaar[pos], leeftijd[pos])]
        delen.append(bevindingen(inv, pos, veld="startdatum", waarde=toon(inv.data["startdatum"], pos), regel="leeftijd",
                                 niveau="waarschuwing", melding=np.array(meld, dtype=object)))
    return samen(delen)


def ver_verleden(inv: Ingelezen, parsed: dict[str, Geparsed], datumvelden: list[str]) -> pd.DataFrame:
    """Warn about dates before :data:`VER_VERLEDEN` (accepted: the range check already rejects < 1900)."""
    delen = []
    for v in datumvelden:
        w = parsed[v].waarde
        pos = np.flatnonzero((w < VER_VERLEDEN).to_numpy(dtype=bool, na_value=False))
        if len(pos):
            delen.append(bevindingen(inv, pos, veld=v, waarde=toon(inv.data[v], pos), regel="ver_verleden",
                                     niveau="waarschuwing",
                                     melding=(f"{v} " + datumtekst(w.iloc[pos]) + f" ligt vóór {VER_VERLEDEN.date()}: "
                                              "ongebruikelijk ver in het verleden; waarschuwing, niet afgekeurd").to_numpy()))
    return samen(delen)


def veel_uitkeringen(inv: Ingelezen, parsed: dict[str, Geparsed]) -> pd.DataFrame:
    """Warn (once per client, at its first row) when a client has more than :data:`MAX_UITKERINGEN` spells."""
    c = parsed["client_id"].waarde
    geldig = c.notna().to_numpy()
    if geldig.sum() <= MAX_UITKERINGEN:
        return samen([])
    codes, uniek = pd.factorize(c.astype(object).where(c.notna(), None), use_na_sentinel=True)
    telling = np.bincount(codes[codes >= 0], minlength=len(uniek))
    veel = np.flatnonzero(telling > MAX_UITKERINGEN)
    if not len(veel):
        return samen([])
    pos, meld = [], []
    for k in veel:
        p = np.flatnonzero(codes == k)
        pos.append(int(p[0]))
        meld.append(f"cliënt {kort(uniek[k])!r} heeft {int(telling[k])} uitkeringsperioden (rijen {_lijst(inv.rij[p])}); "
                    f"verwacht hooguit {MAX_UITKERINGEN}: controleer op versnipperd of dubbel aangeleverde perioden "
                    "(deze cliënt weegt anders zwaar mee in de uitstroomcijfers); waarschuwing, niet afgekeurd")
    pos_arr = np.array(pos, dtype=np.int64)
    return bevindingen(inv, pos_arr, veld="client_id", waarde=toon(inv.data["client_id"], pos_arr),
                       regel="veel_uitkeringen", niveau="waarschuwing", melding=np.array(meld, dtype=object))


def elfproef(x: pd.Series) -> np.ndarray:
    """Mask of values that are nine digits and pass the BSN elfproef (9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 mod 11)."""
    t = x.astype("string[pyarrow]").str.strip()
    negen = t.str.fullmatch(r"\d{9}").to_numpy(dtype=bool, na_value=False)
    uit = np.zeros(len(x), dtype=bool)
    if not negen.any():
        return uit
    cijfers = np.array([[ord(ch) - 48 for ch in v] for v in t[negen].astype(object)], dtype=np.int64)
    gewicht = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)
    som = cijfers @ gewicht
    uit[np.flatnonzero(negen)] = (som % 11 == 0) & (som > 0)
    return uit


def mogelijk_bsn(inv: Ingelezen, parsed: dict[str, Geparsed]) -> pd.DataFrame:
    """Warn per row when ``client_id`` looks like a BSN (nine digits, passes the elfproef); value masked."""
    if "client_id" not in parsed:
        return samen([])
    pos = np.flatnonzero(elfproef(parsed["client_id"].waarde))
    if not len(pos):
        return samen([])
    w = np.array([str(v)[:2] + "*******" for v in parsed["client_id"].waarde.iloc[pos].astype(object)], dtype=object)
    return bevindingen(inv, pos, veld="client_id", waarde=w, regel="mogelijk_bsn", niveau="waarschuwing",
                       melding="client_id heeft negen cijfers en haalt de elfproef: mogelijk een BSN; gebruik een "
                               "pseudoniem (bijv. een gehashte sleutel), nooit het BSN zelf")
