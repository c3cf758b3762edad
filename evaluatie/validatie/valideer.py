"""Validate a directory of tables, or in-memory frames: every row accepted or rejected with its reasons.

Order: clienten → uitkeringen → categorieen → trajecten → poort → gemeenten (a table is validated after
the tables it refers to, so rejections cascade along foreign keys). All failures are collected; a row
with any error-level finding is rejected. Per table, gelezen = geaccepteerd + afgekeurd.
"""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from evaluatie.lezen import (
    Ingelezen,
    Invoerfout,
    lees_metadata,
    lees_tabel,
    normaliseer_peildatum,
    normaliseer_periode,
    onbekende_bestanden,
    schoon_kolomnamen,
    zoek_bestanden,
)
from evaluatie.manifest import sha256_file
from evaluatie.schema import TABELLEN, TabelSchema, load_schema
from evaluatie.validatie import plausibel, tijd
from evaluatie.validatie.bevindingen import KOLOMMEN, bevindingen, samen, tabelbevinding
from evaluatie.validatie.plausibel import deel_en_geheel
from evaluatie.validatie.regels import kolommen, missing_values, uniek_en_sleutel, veldregels
from evaluatie.validatie.resultaat import Validatieresultaat
from evaluatie.validatie.sleutels import Verwezen, vreemde_sleutels
from evaluatie.validatie.typen import Geparsed
from evaluatie.waarschuwingen import InvoerWaarschuwing


HELE_RIJ = "(hele rij)"
"""The ``veld`` of a finding about a whole row (it could not be split into the header's fields)."""


class ValidatieWarning(InvoerWaarschuwing):
    """Rows were rejected while loading data with :func:`laad`."""


def _tabellen_arg(tabellen: Iterable[str] | None) -> list[str] | None:
    if tabellen is None:
        return None
    if isinstance(tabellen, str):
        tabellen = [tabellen]
    tabellen = list(tabellen)
    onbekend = [t for t in tabellen if t not in TABELLEN]
    if onbekend:
        raise ValueError(f"onbekende tabel(len) {', '.join(map(repr, onbekend))}; verwacht een van: {', '.join(TABELLEN)}")
    return tabellen


def _getypeerd(parsed: dict[str, Geparsed], velden: list[Any], houd: np.ndarray) -> pd.DataFrame:
    """Accepted rows, typed per the contract (required booleans without gaps → bool)."""
    kol = {}
    for v in velden:
        w = parsed[v.name].waarde[houd].reset_index(drop=True)
        if v.type == "boolean" and v.required and not w.isna().any():
            w = w.astype(bool)
        elif v.type == "string":
            w = w.astype(object).where(w.notna(), None)
        kol[v.name] = w
    return pd.DataFrame(kol, index=pd.RangeIndex(int(houd.sum())))


def _redenen(b: pd.DataFrame) -> pd.Series:
    """All error messages per row position, joined with ' | '."""
    f = b[(b["niveau"] == "fout") & (b["_pos"] >= 0)]
    if not len(f):
        return pd.Series(dtype=object)
    return f.groupby("_pos", sort=True)["melding"].agg(" | ".join)


def _valideer_tabel(
    inv: Ingelezen,
    schema: TabelSchema,
    verwezen: dict[str, Verwezen],
    peildatum: pd.Timestamp | None,
    venster: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, Verwezen]:
    """Validate one table; returns (accepted typed, rejected, findings, what dependents need)."""
    n_orig = inv.data.shape[1]
    inv, velden, b_kol = kolommen(inv, schema)
    orig_kolommen = list(inv.data.columns[:n_orig])  # kolommen() appends absent optional columns at the end
    mv = missing_values(schema)
    delen = [b_kol]
    for regel, melding in inv.opmerkingen:
        delen.append(tabelbevinding(inv, veld="", waarde="", regel=regel, niveau="waarschuwing", melding=melding))
    if inv.kapot:
        pos = np.array(sorted(inv.kapot), dtype=np.int64)
        delen.append(bevindingen(inv, pos, veld=HELE_RIJ, waarde="", regel="aantal_velden",
                                 melding=np.array([inv.kapot[int(p)] for p in pos], dtype=object)))
    parsed: dict[str, Geparsed] = {}
    for v in velden:
        parsed[v.name], b = veldregels(inv, v, mv)
        delen.append(b)
    b_uniek, dubbel = uniek_en_sleutel(inv, schema, parsed)
    delen.append(b_uniek)
    b_fk = vreemde_sleutels(inv, schema, parsed, verwezen)
    delen.append(b_fk)

    namen = set(schema.field_names)
    einde_fout = np.zeros(inv.n, dtype=bool)
    if {"startdatum", "einddatum"} <= namen:
        b = tijd.einde_voor_start(inv, parsed)
        einde_fout[b["_pos"].to_numpy(np.int64)] = True
        delen.append(b)
    if schema.name == "uitkeringen":
        delen.append(tijd.uitstroomreden(inv, parsed, schema.field("uitstroomreden").enum))
        geldig = lambda n: ~parsed[n].ontbreekt & ~parsed[n].ongeldig  # noqa: E731
        bruikbaar = geldig("client_id") & geldig("startdatum") & ~parsed["einddatum"].ongeldig & ~einde_fout & ~dubbel
        if inv.kapot:
            bruikbaar[list(inv.kapot)] = False
        delen.append(tijd.overlap(inv, parsed, bruikbaar))
    datumvelden = [v.name for v in velden if v.type == "date"]
    b_peil = tijd.na_peildatum(
        inv, parsed, datumvelden,
        peildatum if peildatum is not None else pd.Timestamp.today().normalize(),
        vandaag=peildatum is None,
    )
    delen.append(b_peil)
    if schema.name == "trajecten":
        fk_fout = np.zeros(inv.n, dtype=bool)
        fk_fout[b_fk.loc[b_fk["_pos"] >= 0, "_pos"].to_numpy(np.int64)] = True
        if "uitkeringen" in verwezen:
            u = verwezen["uitkeringen"]
            ok = ~parsed["client_id"].ontbreekt & ~parsed["client_id"].ongeldig & ~parsed["startdatum"].ontbreekt \
                & ~parsed["startdatum"].ongeldig & ~fk_fout
            if inv.kapot:
                ok[list(inv.kapot)] = False
            uitzondering = pd.Index([])
            if "clienten" in verwezen:
                c = verwezen["clienten"]
                nug = c.waarden["nugger"].fillna(False).to_numpy(dtype=bool) & ~c.afgekeurd
                uitzondering = pd.Index(c.waarden.loc[nug, "client_id"])
            delen.append(tijd.trajecten_in_uitkering(inv, parsed, ok, u.inv, u.waarden, u.afgekeurd, uitzondering))
        else:
            delen.append(tabelbevinding(inv, veld="startdatum", waarde="", regel="verwijzing_niet_gecontroleerd",
                                        niveau="waarschuwing", melding="tabel uitkeringen ontbreekt: niet gecontroleerd "
                                        "of trajecten binnen een uitkering vallen"))
        if venster is not None:
            al = np.zeros(inv.n, dtype=bool)
            al[b_peil["_pos"].to_numpy(np.int64)] = True
            delen.append(tijd.trajecten_in_venster(inv, parsed, venster, al))
    delen.append(deel_en_geheel(inv, parsed))
    delen.append(plausibel.ver_verleden(inv, parsed, datumvelden))
    if schema.name == "uitkeringen":
        c = verwezen.get("clienten")
        delen.append(plausibel.leeftijd_bij_start(inv, parsed, None if c is None else c.waarden,
                                                  None if c is None else c.afgekeurd))
        delen.append(plausibel.veel_uitkeringen(inv, parsed))
    if schema.name == "clienten" or (schema.name in ("uitkeringen", "trajecten", "categorieen") and "clienten" not in verwezen):
        delen.append(plausibel.mogelijk_bsn(inv, parsed))

    b = samen(delen)
    if inv.kapot and len(b):
        weg = b["_pos"].isin(list(inv.kapot)) & (b["regel"] != "aantal_velden")
        b = b.loc[~weg].reset_index(drop=True)
    fout = np.zeros(inv.n, dtype=bool)
    fout[b.loc[(b["niveau"] == "fout") & (b["_pos"] >= 0), "_pos"].to_numpy(np.int64)] = True

    geaccepteerd = _getypeerd(parsed, list(velden), ~fout)
    pos_af = np.flatnonzero(fout)
    # only the schema's columns (and allowed extra fields): unknown columns may hold direct identifiers
    bewaar = [k for k in orig_kolommen if k in {v.name for v in velden}]
    afgekeurd = inv.data.loc[pos_af, bewaar].reset_index(drop=True)
    afgekeurd.insert(0, "rij", inv.rij[pos_af])
    red = _redenen(b)
    afgekeurd["redenen"] = red.reindex(pos_af).to_numpy(dtype=object) if len(pos_af) else pd.Series(dtype=object)

    pk = list(schema.primary_key)
    sleutel_ok = np.ones(inv.n, dtype=bool)
    for n in pk:
        if schema.field(n).required:
            sleutel_ok &= ~parsed[n].ontbreekt & ~parsed[n].ongeldig
    if inv.kapot:
        sleutel_ok[list(inv.kapot)] = False
    waarden = pd.DataFrame({v.name: parsed[v.name].waarde for v in velden})
    return geaccepteerd, afgekeurd, b, Verwezen(inv=inv, waarden=waarden, bruikbaar=sleutel_ok, afgekeurd=fout)


def _venster_na_peildatum(venster: tuple[pd.Timestamp, pd.Timestamp] | None, peildatum: pd.Timestamp | None,
                          bron: str) -> None:
    """An observation window that runs past the peildatum would invent person-months after it: refuse."""
    if venster is not None and peildatum is not None and venster[1] > peildatum:
        raise Invoerfout(bron, f"waarnemingsperiode loopt tot {venster[1].date()}, na de peildatum {peildatum.date()}; "
                               "na de peildatum is niets waargenomen, dus verwacht een einde van de waarnemingsperiode "
                               "op of vóór de peildatum")


def _sorteer(b: pd.DataFrame) -> pd.DataFrame:
    volgorde = {t: i for i, t in enumerate(TABELLEN)}
    b = b.assign(_t=b["tabel"].map(volgorde).fillna(len(TABELLEN)), _r=b["rij"].fillna(0).astype("int64"))
    b = b.sort_values(["_t", "_r"], kind="mergesort").reset_index(drop=True)
    return b.loc[:, list(KOLOMMEN)]


def _valideer(
    ingelezen: dict[str, Ingelezen],
    *,
    peildatum: pd.Timestamp | None,
    venster: tuple[pd.Timestamp, pd.Timestamp] | None,
    afwezig: tuple[str, ...],
    invoer: dict[str, str],
    extra: list[pd.DataFrame] | None = None,
) -> Validatieresultaat:
    verwezen: dict[str, Verwezen] = {}
    geaccepteerd, afgekeurd, gelezen, bestanden = {}, {}, {}, {}
    bronrijen: dict[str, np.ndarray] = {}
    regels: dict[str, tuple[int, int]] = {}
    delen = list(extra or [])
    for t in TABELLEN:
        if t not in ingelezen:
            continue
        inv = ingelezen[t]
        acc, af, b, ref = _valideer_tabel(inv, load_schema(t), verwezen, peildatum, venster)
        verwezen[t] = ref
        geaccepteerd[t], afgekeurd[t] = acc, af
        bronrijen[t] = np.asarray(inv.rij, dtype=np.int64)[~ref.afgekeurd]
        regels[t] = (inv.n if inv.n_regels is None else int(inv.n_regels), len(inv.lege_regels))
        gelezen[t], bestanden[t] = inv.n, inv.bestand
        delen.append(b)
        assert len(acc) + len(af) == inv.n, f"telling klopt niet voor {t}"
    opm = []
    if peildatum is None:
        opm.append("geen peildatum opgegeven: datums zijn getoetst aan de dag van validatie")
    return Validatieresultaat(
        geaccepteerd=geaccepteerd,
        afgekeurd=afgekeurd,
        bevindingen=_sorteer(samen(delen)),
        gelezen=gelezen,
        bestanden=bestanden,
        afwezig=afwezig,
        peildatum=peildatum,
        waarnemingsperiode=venster,
        invoer=invoer,
        waarschuwingen=tuple(opm),
        bronrijen=bronrijen,
        regels=regels,
    )


def valideer_map(
    map: str | Path,
    *,
    peildatum: Any = None,
    waarnemingsperiode: Any = None,
    tabellen: Iterable[str] | None = None,
) -> Validatieresultaat:
    """Read and validate the tables in a directory.

    Parameters
    ----------
    map : path
        Directory with ``<tabel>.csv|.parquet|.xlsx`` per table and optionally ``metadata.json``.
    peildatum : str, date or Timestamp, optional
        Overrides ``metadata.json``; default: metadata peildatum, else the end of the observation window,
        else none (dates are then checked against today).
    waarnemingsperiode : dict ``{"start", "eind"}`` or (start, eind), optional
        Overrides ``metadata.json``.
    tabellen : iterable of str, optional
        Only these tables; each must be present. Default: every table present (absent ones are listed in
        :attr:`Validatieresultaat.afwezig`).

    Returns
    -------
    Validatieresultaat

    Raises
    ------
    Invoerfout
        The directory or a file cannot be read as a table (missing required column, empty file, no
        separator, unreadable encoding), or a requested table is absent.
    ValueError
        An unknown table name in ``tabellen``.
    """
    map = Path(map)
    gevraagd = _tabellen_arg(tabellen)
    bestanden = zoek_bestanden(map)
    meta = lees_metadata(map)
    venster = normaliseer_periode(waarnemingsperiode) if waarnemingsperiode is not None else meta["waarnemingsperiode"]
    pd_ = normaliseer_peildatum(peildatum) if peildatum is not None else meta["peildatum"]
    if pd_ is None and venster is not None:
        pd_ = venster[1]
    _venster_na_peildatum(venster, pd_, "metadata.json" if (map / "metadata.json").is_file() else "waarnemingsperiode")
    doel = gevraagd if gevraagd is not None else [t for t in TABELLEN if t in bestanden]
    ontbreekt = [t for t in doel if t not in bestanden]
    if ontbreekt:
        raise Invoerfout(map, f"gevraagde tabel(len) ontbreken: {', '.join(ontbreekt)}; verwacht een bestand "
                              f"<tabel>.csv, .parquet of .xlsx (gevonden: {', '.join(p.name for p in bestanden.values()) or 'geen'})")
    ingelezen = {t: lees_tabel(bestanden[t], t) for t in doel}
    invoer = {bestanden[t].name: sha256_file(bestanden[t]) for t in doel}
    if (map / "metadata.json").is_file():
        invoer["metadata.json"] = sha256_file(map / "metadata.json")
    afwezig = tuple(t for t in (gevraagd or TABELLEN) if t not in ingelezen)
    extra = []
    if gevraagd is None:
        for p in onbekende_bestanden(map):
            leeg = Ingelezen(tabel="", bestand=p.name, pad=p, data=pd.DataFrame(), rij=np.array([], dtype=np.int64))
            extra.append(tabelbevinding(leeg, veld="", waarde=p.name, regel="bestand_onbekend", niveau="waarschuwing",
                                        melding=f"bestand {p.name!r} hoort bij geen tabel; verwacht een van: "
                                                f"{', '.join(t + '.csv' for t in TABELLEN)} (of .parquet/.xlsx)"))
    return _valideer(ingelezen, peildatum=pd_, venster=venster, afwezig=afwezig, invoer=invoer, extra=extra)


def _frame_hash(df: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update("\x1f".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def valideer_tabellen(
    frames: Mapping[str, pd.DataFrame],
    *,
    bron: Mapping[str, str] | None = None,
    peildatum: Any = None,
    waarnemingsperiode: Any = None,
) -> Validatieresultaat:
    """Validate in-memory frames (e.g. from an importer) exactly as files would be.

    Parameters
    ----------
    frames : dict[str, DataFrame]
        Per table name, the rows (text or typed columns). Not modified.
    bron : dict[str, str], optional
        Per table, the name to show as ``bestand`` in findings (default ``<tabel>``). Row numbers are the
        1-based position in the frame.
    peildatum, waarnemingsperiode
        As in :func:`valideer_map` (peildatum defaults to the end of the window).

    Returns
    -------
    Validatieresultaat
    """
    _tabellen_arg(list(frames))
    bron = dict(bron or {})
    venster = normaliseer_periode(waarnemingsperiode) if waarnemingsperiode is not None else None
    pd_ = normaliseer_peildatum(peildatum)
    if pd_ is None and venster is not None:
        pd_ = venster[1]
    _venster_na_peildatum(venster, pd_, "waarnemingsperiode")
    ingelezen, invoer = {}, {}
    for t, df in frames.items():
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"tabel {t!r}: verwacht een pandas DataFrame, kreeg {type(df).__name__}")
        naam = bron.get(t, t)
        data = schoon_kolomnamen(df.reset_index(drop=True), naam)
        ingelezen[t] = Ingelezen(tabel=t, bestand=naam, pad=None, data=data, rij=np.arange(1, len(df) + 1, dtype=np.int64))
        invoer[naam] = _frame_hash(df)
    afwezig = tuple(t for t in TABELLEN if t not in ingelezen)
    return _valideer(ingelezen, peildatum=pd_, venster=venster, afwezig=afwezig, invoer=invoer)


def laad(map: str | Path, **kw: Any) -> dict[str, pd.DataFrame]:
    """Validate a directory and return only the accepted, typed tables.

    Rejected rows are not lost: a :class:`ValidatieWarning` says how many, and
    ``valideer_map(map).afgekeurd`` has them with reasons. Keyword arguments go to :func:`valideer_map`.
    """
    res = valideer_map(map, **kw)
    if res.heeft_afkeuringen:
        r = res.reconciliatie()
        r = r[r["afgekeurd"] > 0]
        wat = ", ".join(f"{x.bestand}: {x.afgekeurd} van {x.gelezen}" for x in r.itertuples())
        warnings.warn(f"rijen afgekeurd ({wat}); zie valideer_map(...).afgekeurd voor de redenen",
                      ValidatieWarning, stacklevel=2)
    return dict(res.geaccepteerd)


__all__ = ["ValidatieWarning", "laad", "valideer_map", "valideer_tabellen"]
