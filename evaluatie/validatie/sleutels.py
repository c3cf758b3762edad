"""Foreign keys (from the schema's ``foreignKeys``) and the cascade of rejections along them.

A row whose key points to no row of the referenced table is rejected (``vreemde_sleutel``). A row
pointing to a referenced row that was itself rejected is rejected too (``verwijzing_afgekeurd``), with
the file and row of the rejected row, e.g. "client_id 'C7' is afgekeurd in clienten.csv rij 7".
When the referenced table is absent, the references cannot be checked: one warning for the table.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluatie.lezen import Ingelezen
from evaluatie.schema import TabelSchema
from evaluatie.validatie.bevindingen import bevindingen, citeer, samen, tabelbevinding, toon
from evaluatie.validatie.typen import Geparsed, is_in


@dataclass(frozen=True)
class Verwezen:
    """What a dependent table needs of a validated referenced table.

    Attributes
    ----------
    inv : Ingelezen
        The referenced table as read.
    waarden : DataFrame
        Typed values of the referenced table (all rows).
    bruikbaar : ndarray of bool
        Rows whose key values are valid (so they can be referred to).
    afgekeurd : ndarray of bool
        Rows rejected.
    """

    inv: Ingelezen
    waarden: pd.DataFrame
    bruikbaar: np.ndarray
    afgekeurd: np.ndarray


def _in(links: pd.DataFrame, rechts: pd.DataFrame) -> np.ndarray:
    """Row-wise membership of the key rows of ``links`` in ``rechts`` (same columns)."""
    if links.shape[1] == 1:
        k = links.columns[0]
        return is_in(links[k], rechts[k])
    return pd.MultiIndex.from_frame(links).isin(pd.MultiIndex.from_frame(rechts[list(links.columns)]))


def vreemde_sleutels(
    inv: Ingelezen, schema: TabelSchema, parsed: dict[str, Geparsed], verwezen: dict[str, Verwezen]
) -> pd.DataFrame:
    """Check every foreign key of ``schema`` against the referenced tables in ``verwezen``.

    Only rows whose own key fields are present and valid are checked (the others are rejected already).
    """
    delen: list[pd.DataFrame] = []
    for fk in schema.foreign_keys:
        velden = list(fk["fields"])
        ref_naam = fk["reference"]["resource"]
        ref_velden = list(fk["reference"]["fields"])
        ref = verwezen.get(ref_naam)
        if ref is None:
            delen.append(tabelbevinding(
                inv, veld=", ".join(velden), waarde="", regel="verwijzing_niet_gecontroleerd", niveau="waarschuwing",
                melding=f"tabel {ref_naam} ontbreekt: verwijzingen via {', '.join(velden)} niet gecontroleerd"))
            continue
        ok = np.ones(inv.n, dtype=bool)
        for v in velden:
            ok &= ~parsed[v].ontbreekt & ~parsed[v].ongeldig
        if inv.kapot:
            ok[list(inv.kapot)] = False
        pos_ok = np.flatnonzero(ok)
        eigen = pd.DataFrame({r: parsed[v].waarde.iloc[pos_ok].reset_index(drop=True) for v, r in zip(velden, ref_velden)})
        in_bekend = _in(eigen, ref.waarden.loc[ref.bruikbaar, ref_velden])
        in_geaccepteerd = _in(eigen, ref.waarden.loc[ref.bruikbaar & ~ref.afgekeurd, ref_velden])
        veld = ", ".join(velden)

        def _waarde(pos: np.ndarray) -> pd.Series:
            teksten = [pd.Series(toon(inv.data[v], pos)) for v in velden]
            w = teksten[0]
            for t in teksten[1:]:
                w = w + ", " + t
            return w

        onbekend = pos_ok[~in_bekend]
        if len(onbekend):
            w = _waarde(onbekend)
            delen.append(bevindingen(inv, onbekend, veld=veld, waarde=w.to_numpy(), regel="vreemde_sleutel",
                                     melding=(f"{veld} " + citeer(w) + f" komt niet voor in {ref.inv.bestand}; "
                                              f"verwacht een bestaande {ref_naam}-sleutel").to_numpy()))
        afgewezen = pos_ok[in_bekend & ~in_geaccepteerd]
        if len(afgewezen):
            # first rejected referenced row per key
            ref_af = ref.waarden.loc[ref.bruikbaar & ref.afgekeurd, ref_velden].assign(
                _rij=ref.inv.rij[ref.bruikbaar & ref.afgekeurd])
            ref_af = ref_af.groupby(ref_velden, sort=False, dropna=False)["_rij"].min().reset_index()
            links = pd.DataFrame({r: parsed[v].waarde.iloc[afgewezen].reset_index(drop=True) for v, r in zip(velden, ref_velden)})
            m = links.merge(ref_af, on=ref_velden, how="left", sort=False)
            w = _waarde(afgewezen)
            delen.append(bevindingen(inv, afgewezen, veld=veld, waarde=w.to_numpy(), regel="verwijzing_afgekeurd",
                                     melding=(f"{veld} " + citeer(w) + f" is afgekeurd in {ref.inv.bestand} rij "
                                              + m["_rij"].astype("Int64").astype(str)).to_numpy()))
    return samen(delen)
