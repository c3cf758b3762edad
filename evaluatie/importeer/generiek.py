"""Format ``generiek``: any municipal export, described by a declarative TOML mapping
(:mod:`evaluatie.importeer.mappingspec`).

What it guarantees (as the ``vng-dsh`` importer):

- **Every source row is accounted for**: it becomes a schema row, is merged into one (periods of one
  spell; repeated client rows), is left out on purpose (``weglaten``, listed in ``import/weggelaten.csv``),
  or is rejected by validation with its reason and its source file and row (``import/bevindingen.csv``).
  ``import/reconciliatie.csv`` adds these up per table.
- **Nothing is guessed**: a value not in a value map is listed in ``import/niet_gemapt.csv`` (field, value,
  count) and passed on unchanged, so validation rejects the row, unless the mapping says
  ``onbekend = "<value>"``. A join that finds no partner leaves the joined fields empty (listed).
- **Pseudonyms**: the client key is replaced by a sequential number (``C0001``…, file order) or, with a
  secret, a keyed hash (HMAC-SHA-256) that links deliveries of one gemeente; the secret is never stored.
  The same key gets the same pseudonym in every table, which is how separate exports are joined.
- **Dates**: per field a strptime format; an einddatum after the peildatum (also far-future sentinels such
  as ``31-12-9999``) means the uitkering was running on the peildatum and is emptied (counted).
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.importeer.mapping import Mapping, Mappingfout, normaliseer, pas_toe
from evaluatie.importeer.mappingspec import Bronspec, Mappingspec, Tabelspec, Veldspec, lees_mappingspec
from evaluatie.importeer.resultaat import NIET_GEMAPT_KOLOMMEN, Omgezet, leeg_niet_gemapt
from evaluatie.importeer.samenvoegen import pseudoniemen, spell_nummers
from evaluatie.lezen import Invoerfout

NAAM = "generiek"
BESCHRIJVING = "Elk gemeentelijk extract, beschreven in een TOML-mapping (evaluatie importeer sjabloon)"
WEGGELATEN_KOLOMMEN: tuple[str, ...] = ("tabel", "bestand", "rij", "veld", "waarde", "reden")


# ---------------------------------------------------------------------------------------- reading
def lees_bestand(pad: Path, blad: str | None = None) -> tuple[pd.DataFrame, np.ndarray, str]:
    """Read one export as text: CSV (``,``/``;``/tab), ``.xlsx`` (optionally one sheet), ``.parquet``, ``.rds``.

    Returns the data (text, ``""`` = empty), the row number per row as the user sees it (header = row 1)
    and the file name.
    """
    from evaluatie.lezen import lees_tabel
    from evaluatie.validatie.typen import als_tekst

    ext = pad.suffix.lower()
    if ext == ".rds":
        from evaluatie.importeer.vng_dsh import lees_bron

        return lees_bron(pad)
    if ext == ".xlsx" and blad is not None:
        try:
            df = pd.read_excel(pad, sheet_name=blad, dtype=str, keep_default_na=False)
        except ValueError as e:
            raise Invoerfout(pad.name, f"blad {blad!r} niet te lezen ({e}); verwacht een bestaand werkblad") from None
        df.columns = [str(c).strip() for c in df.columns]
        return df.apply(als_tekst), np.arange(2, len(df) + 2, dtype=np.int64), pad.name
    ing = lees_tabel(pad, tabel=pad.stem)
    if ing.kapot:
        p, reden = next(iter(ing.kapot.items()))
        raise Invoerfout(pad.name, f"rij {int(ing.rij[p])}: {reden}")
    return ing.data.apply(als_tekst).reset_index(drop=True), np.asarray(ing.rij, dtype=np.int64), ing.bestand


RIJNUMMER = "#rij"
"""Pseudo-column: the source row number (header = row 1), e.g. as client key when an extract has none."""


def _kolom_check(spec: Mappingspec, waar: str, kolom: str, df: pd.DataFrame, bestand: str) -> None:
    if kolom != RIJNUMMER and kolom not in df.columns:
        raise Mappingfout(f"{spec.pad.name}, {waar}: kolom {kolom!r} staat niet in {bestand}; "
                          f"verwacht een van de kolommen: {', '.join(map(repr, df.columns))}")


def lees_bron_gekoppeld(spec: Mappingspec, bron: Bronspec) -> tuple[pd.DataFrame, np.ndarray, str, list[str], pd.DataFrame]:
    """A source with its joins applied (left join, many-to-one).

    Returns data, row numbers, file name, notes, and unmatched join values (``niet_gemapt`` rows).
    """
    df, rij, bestand = lees_bestand(bron.bestand, bron.blad)
    notes: list[str] = []
    niet = [leeg_niet_gemapt()]
    for k in bron.koppel:
        rechts, rrij, rbestand = lees_bestand(k.bestand)
        _kolom_check(spec, f"[bronnen.{bron.naam}] koppel {rbestand} op", k.links, df, bestand)
        _kolom_check(spec, f"[bronnen.{bron.naam}] koppel {rbestand} op", k.rechts, rechts, rbestand)
        rk = normaliseer(rechts[k.rechts])
        dubbel = rk.duplicated(keep=False) & (rk != "")
        if dubbel.any():
            rijen = ", ".join(map(str, rrij[dubbel.to_numpy()][:5]))
            raise Invoerfout(rbestand, f"rij {rijen}, veld {k.rechts}: sleutel komt meer dan eens voor; verwacht één rij per "
                                       f"{k.rechts} (koppeling vanuit {bestand} is veel-op-één)")
        extra = [c for c in rechts.columns if c != k.rechts and c not in df.columns]
        overgeslagen = [c for c in rechts.columns if c != k.rechts and c in df.columns]
        if overgeslagen:
            notes.append(f"koppeling {bestand} ← {rbestand}: kolom(men) {', '.join(overgeslagen)} bestaan al in {bestand}; niet overgenomen")
        tabel = rechts.loc[:, extra].assign(_k=rk.to_numpy()).drop_duplicates("_k")
        links = normaliseer(df[k.links])
        samen = pd.DataFrame({"_k": links.to_numpy()}).merge(tabel, on="_k", how="left")
        gevonden = samen[extra[0]].notna().to_numpy() if extra else np.ones(len(df), bool)
        for c in extra:
            df[c] = samen[c].fillna("").to_numpy()
        mis = ~gevonden & (links != "").to_numpy()
        if mis.any():
            t = pd.DataFrame({"waarde": df.loc[mis, k.links].to_numpy()}).value_counts("waarde", sort=True).reset_index(name="aantal")
            niet.append(t.assign(veld=f"koppeling {bestand}.{k.links} → {rbestand}.{k.rechts}",
                                 actie="geen overeenkomende rij: gekoppelde velden leeg (rij afgekeurd als die verplicht zijn)")
                        .loc[:, list(NIET_GEMAPT_KOLOMMEN)])
            notes.append(f"{int(mis.sum())} rij(en) van {bestand} zonder overeenkomende rij in {rbestand} ({k.links} → {k.rechts})")
    ng = pd.concat([x for x in niet if len(x)], ignore_index=True) if any(len(x) for x in niet) else leeg_niet_gemapt()
    return df, rij, bestand, notes, ng


# ---------------------------------------------------------------------------------------- fields
def _formaat(f: str | None, standaard: str) -> str:
    f = f or standaard
    return "%Y-%m-%d" if f == "iso" else f


def parse_datums(raw: pd.Series, formaat: str, ontbrekend: tuple[str, ...]) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Parse text dates with a strptime format.

    Returns
    -------
    waarde : Series of datetime64[ns]
        NaT where missing, invalid or beyond pandas' range.
    leeg, ongeldig, ver : ndarray of bool
        Missing; not a date in this format; a valid date after 2200 (an "open end" sentinel such as 9999-12-31).
    """
    t = raw.astype(str).str.strip()
    leeg = t.isin(list(ontbrekend)).to_numpy()
    w = pd.to_datetime(t.where(~leeg), format=formaat, errors="coerce")
    nat = w.isna().to_numpy() & ~leeg
    ver = np.zeros(len(t), dtype=bool)
    for i in np.flatnonzero(nat):
        try:
            ver[i] = _dt.datetime.strptime(t.iloc[i], formaat).year > 2200
        except ValueError:
            pass
    return w.astype("datetime64[ns]"), leeg, nat & ~ver, ver


def _iso(d: pd.Series, raw: pd.Series, ongeldig: np.ndarray, fmt: str) -> pd.Series:
    """ISO text; a value that is not a date in ``fmt`` is passed on marked, so validation always rejects it
    (an ISO date in a ``%d-%m-%Y`` column would otherwise slip through)."""
    out = d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), "")
    out[ongeldig] = raw[ongeldig].astype(str) + f" (geen datum in formaat {fmt})"
    return out


def _waardenmapping(v: Veldspec) -> Mapping:
    regels = pd.DataFrame({"bron": list(v.waarden or {}), "doel": list((v.waarden or {}).values()), "toelichting": ""})
    return Mapping(naam=f"{v.veld}.waarden ({v.waarden_bron})", regels=regels.assign(rij=np.arange(2, len(regels) + 2)))


# ---------------------------------------------------------------------------------------- one table
def _tabel(spec: Mappingspec, t: Tabelspec, data: pd.DataFrame, rij: np.ndarray, bestand: str,
           ontbrekend: tuple[str, ...]) -> tuple[dict[str, pd.Series], dict[str, Any], np.ndarray, pd.DataFrame, pd.DataFrame, list[str]]:
    """Fill the fields of one table. Returns columns (text), parsed dates, the kept-rows mask, unmapped
    values, left-out rows and notes."""
    from evaluatie.schema import load_schema

    schema = load_schema(t.tabel)
    n = len(data)
    for v in t.velden:
        if v.kolom is not None:
            _kolom_check(spec, f"[tabellen.{t.tabel}.velden] {v.veld}", v.kolom, data, bestand)
    weg = np.zeros(n, dtype=bool)
    weg_rijen = []
    for v in t.velden:
        if v.weglaten and v.kolom is not None and v.kolom != RIJNUMMER:
            m = normaliseer(data[v.kolom]).isin(list(normaliseer(pd.Series(list(v.weglaten))))).to_numpy() & ~weg
            if m.any():
                weg_rijen.append(pd.DataFrame({"tabel": t.tabel, "bestand": bestand, "rij": rij[m], "veld": v.kolom,
                                               "waarde": data.loc[m, v.kolom].to_numpy(),
                                               "reden": f"weglaten volgens de mapping ([tabellen.{t.tabel}.velden] {v.veld})"}))
            weg |= m
    kol: dict[str, pd.Series] = {}
    datums: dict[str, Any] = {}
    niet = [leeg_niet_gemapt()]
    notes: list[str] = []
    for v in t.velden:
        if v.kolom == RIJNUMMER:
            raw = pd.Series(rij.astype(str), dtype=object)
        elif v.kolom is not None:
            raw = data[v.kolom].reset_index(drop=True)
        else:
            raw = pd.Series([v.waarde] * n, dtype=object)
        typ = schema.field(v.veld).type
        if v.waarden is not None:
            leeg = raw.astype(str).str.strip().isin(list(ontbrekend)).to_numpy()
            pt = pas_toe(raw, _waardenmapping(v), negeer=leeg | weg)
            actie = f"afgekeurd (niet in {v.waarden_bron})" if v.onbekend == "afkeuren" else f"{v.onbekend} (onbekend = {v.onbekend!r})"
            if len(pt.niet_gemapt):
                niet.append(pt.niet_gemapt.assign(veld=f"{t.tabel}.{v.veld} ({v.kolom})", actie=actie).loc[:, list(NIET_GEMAPT_KOLOMMEN)])
            anders = raw.where(~leeg, "") if v.onbekend == "afkeuren" else pd.Series(np.where(leeg, "", v.onbekend), dtype=object)
            kol[v.veld] = pt.waarde.where(pt.gemapt, anders).astype(object)
        elif typ == "date" or v.deel == "jaar":
            fmt = _formaat(v.datumformaat, spec.datumformaat)
            w, leeg, fout, ver = parse_datums(raw, fmt, ontbrekend)
            if v.deel == "jaar":
                kol[v.veld] = pd.Series(np.where(fout, raw.astype(str) + f" (geen datum in formaat {fmt})", w.dt.year.astype("Int64").astype(str).where(w.notna(), "")), dtype=object)
            else:
                datums[v.veld] = (w, fout, ver, raw)
                kol[v.veld] = _iso(w, raw, fout, fmt).where(~ver, "")
            nfout = int((fout & ~weg).sum())
            if nfout:
                voorbeeld = raw[fout & ~weg].iloc[0]
                notes.append(f"{t.tabel}.{v.veld}: {nfout} waarde(n) geen datum in formaat {fmt!r} (bijv. {voorbeeld!r}); "
                             "doorgegeven zodat de validatie de rij afkeurt")
        else:
            kol[v.veld] = raw.astype(object).where(~raw.astype(str).str.strip().isin(list(ontbrekend)), "")
    ng = pd.concat([x for x in niet if len(x)], ignore_index=True) if any(len(x) for x in niet) else leeg_niet_gemapt()
    wr = pd.concat(weg_rijen, ignore_index=True) if weg_rijen else pd.DataFrame(columns=list(WEGGELATEN_KOLOMMEN))
    return kol, datums, ~weg, ng, wr, notes


def _rijen(r: pd.Series) -> str:
    return ";".join(map(str, sorted(r)))


def omzetten(bron: str | Path, *, geheim: str | bytes | None = None, peildatum: Any = None,
             bestanden: dict[str, str | Path] | None = None, **_: Any) -> Omgezet:
    """Read the exports named in a mapping file and map them onto the schema tables.

    Parameters
    ----------
    bron : path
        The mapping (TOML).
    geheim : str or bytes, optional
        Secret for keyed-hash pseudonyms (never stored); default sequential numbers.
    peildatum : date-like, optional
        Overrides ``[mapping] peildatum``; default the latest date in ``uitkeringen``.
    bestanden : dict, optional
        Source name → file, overriding ``bestand`` in ``[bronnen.<naam>]`` (e.g. a shipped mapping applied
        to the user's own file).

    Returns
    -------
    Omgezet
        Tables as text; ``herkomst`` with ``bronbestand``; extra table ``weggelaten``.

    Raises
    ------
    Mappingfout
        The mapping is malformed or names a column the source does not have.
    Invoerfout
        A source file cannot be read, or a join key is not unique.
    """
    from evaluatie.lezen import normaliseer_peildatum

    spec = lees_mappingspec(bron, bestanden=bestanden)
    ontbrekend = tuple(spec.opties.get("ontbrekend", ("",)))
    gelezen: dict[str, tuple] = {}
    notes: list[str] = []
    niet = [leeg_niet_gemapt()]
    for naam in dict.fromkeys(t.bron for t in spec.tabellen.values()):
        df, rij, bestand, nn, ng = lees_bron_gekoppeld(spec, spec.bronnen[naam])
        gelezen[naam] = (df, rij, bestand)
        notes.extend(nn)
        niet.append(ng)
    volgorde = [t for t in ("clienten", "uitkeringen", "categorieen", "trajecten") if t in spec.tabellen]
    velden: dict[str, tuple] = {}
    weggelaten = []
    for tabel in volgorde:
        t = spec.tabellen[tabel]
        df, rij, bestand = gelezen[t.bron]
        kol, datums, houd, ng, wr, nn = _tabel(spec, t, df, rij, bestand, ontbrekend)
        velden[tabel] = (kol, datums, houd, rij, bestand)
        niet.append(ng)
        weggelaten.append(wr)
        notes.extend(nn)

    # pseudonyms: one key space over all tables, in order of first appearance (clienten first)
    sleutels = pd.concat([velden[t][0]["client_id"][velden[t][2]] for t in volgorde], ignore_index=True).astype(str)
    uniek = pd.Series(pd.unique(sleutels[sleutels.str.strip() != ""]), dtype=object)
    pseudo = dict(zip(uniek, pseudoniemen(uniek, geheim=geheim, breedte=spec.opties.get("pseudoniem_breedte", 7)))) if len(uniek) else {}

    # peildatum
    peil = normaliseer_peildatum(peildatum if peildatum is not None else spec.peildatum, "peildatum")
    if peil is None and "uitkeringen" in velden:
        d = velden["uitkeringen"][1]
        alle = pd.concat([d[k][0] for k in ("startdatum", "einddatum") if k in d])
        peil = alle.max() if alle.notna().any() else None
        if peil is not None:
            notes.append(f"geen peildatum opgegeven: de laatste datum in uitkeringen ({peil.date()}) is als peildatum genomen")

    tabellen: dict[str, pd.DataFrame] = {}
    herkomst = []
    n_gelezen: dict[str, int] = {}
    for tabel in volgorde:
        t = spec.tabellen[tabel]
        kol, datums, houd, rij, bestand = velden[tabel]
        n_gelezen[tabel] = len(houd)
        frame = pd.DataFrame({k: v.to_numpy() for k, v in kol.items()})
        frame["client_id"] = frame["client_id"].astype(str).map(lambda k: pseudo.get(k, "") if k.strip() else "")
        frame["_rij"] = rij
        frame = frame[houd].reset_index(drop=True)
        if tabel == "uitkeringen":
            frame, nn = _uitkeringen(frame, datums, houd, t.max_gat_dagen, peil)
            notes.extend(nn)
        elif tabel == "clienten":
            frame, nn = _clienten(frame)
            notes.extend(nn)
        else:
            frame["_rijen"] = frame["_rij"].astype(str)
            frame["_n"] = 1
        schema_kol = [c for c in frame.columns if not c.startswith("_")]
        herkomst.append(pd.DataFrame({"tabel": tabel, "client_id": frame["client_id"].to_numpy(),
                                      "startdatum": frame["startdatum"].to_numpy() if "startdatum" in frame else "",
                                      "bronbestand": bestand, "bronrijen": frame["_rijen"].to_numpy(),
                                      "n_bronrijen": frame["_n"].to_numpy()}))
        tabellen[tabel] = frame.loc[:, schema_kol]
    wp = spec.opties.get("waarnemingsperiode")
    if wp is None and "uitkeringen" in tabellen and peil is not None:
        s = pd.to_datetime(tabellen["uitkeringen"]["startdatum"], errors="coerce", format="%Y-%m-%d")
        wp = [(s.min() if s.notna().any() else peil).strftime("%Y-%m-%d"), peil.strftime("%Y-%m-%d")]
    metadata: dict[str, Any] = {"import": {"formaat": NAAM, "mapping": spec.pad.name, "naam": spec.naam,
                                           "bronnen": {n: b[2] for n, b in gelezen.items()},
                                           "pseudoniem": "sleutel-hash (HMAC-SHA-256)" if geheim is not None else "volgnummer in bestandsvolgorde"}}
    if peil is not None:
        metadata["peildatum"] = peil.strftime("%Y-%m-%d")
    if wp is not None:
        metadata["waarnemingsperiode"] = {"start": str(wp[0]), "eind": str(wp[1])}
    ng = pd.concat([x for x in niet if len(x)], ignore_index=True) if any(len(x) for x in niet) else leeg_niet_gemapt()
    weg = pd.concat([w for w in weggelaten if len(w)], ignore_index=True) if any(len(w) for w in weggelaten) \
        else pd.DataFrame(columns=list(WEGGELATEN_KOLOMMEN))
    if len(weg):
        notes.append(f"{len(weg)} bronrij(en) weggelaten volgens de mapping: zie import/weggelaten.csv")
    return Omgezet(tabellen=tabellen, herkomst=pd.concat(herkomst, ignore_index=True), extra={"weggelaten": weg},
                   niet_gemapt=ng, bevindingen=tuple(notes), metadata=metadata,
                   n_gelezen=sum(len(b[0]) for b in gelezen.values()), bestand=spec.pad.name,
                   gelezen_per_tabel=n_gelezen, weggelaten_per_tabel={t: int((~velden[t][2]).sum()) for t in volgorde})


def _clienten(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One row per client: the first source row wins; repeated rows are merged (counted, inconsistencies noted)."""
    notes = []
    leeg = frame["client_id"] == ""
    sleutel = frame["client_id"].where(~leeg, "#" + frame["_rij"].astype(str))
    g = frame.groupby(sleutel, sort=False)
    eerste = g.head(1).copy()
    velden = [c for c in frame.columns if not c.startswith("_") and c != "client_id"]
    if len(eerste) < len(frame):
        inconsistent = int((g[velden].nunique() > 1).any(axis=1).sum()) if velden else 0
        notes.append(f"clienten: {len(frame) - len(eerste)} herhaalde rij(en) van een cliënt samengevoegd (de eerste rij geldt"
                     + (f"; {inconsistent} cliënt(en) met verschillende waarden tussen rijen)" if inconsistent else ")"))
    eerste["_rijen"] = g["_rij"].agg(_rijen).reindex(sleutel[eerste.index]).to_numpy()
    eerste["_n"] = g["_rij"].size().reindex(sleutel[eerste.index]).to_numpy()
    return eerste.reset_index(drop=True), notes


def _uitkeringen(frame: pd.DataFrame, datums: dict, houd: np.ndarray, max_gat_dagen: int | None,
                 peil: pd.Timestamp | None) -> tuple[pd.DataFrame, list[str]]:
    """Open ends, einddatum after the peildatum, merging periods into spells (as :mod:`.vng_dsh`)."""
    notes: list[str] = []
    start = datums["startdatum"][0][houd].reset_index(drop=True)
    start_fout = datums["startdatum"][1][houd]
    if "einddatum" in datums:
        eind, eind_fout, ver, eind_raw = (x[houd] if isinstance(x, np.ndarray) else x[houd].reset_index(drop=True)
                                          for x in datums["einddatum"])
    else:
        eind, eind_fout, ver = pd.Series(pd.NaT, index=range(len(frame)), dtype="datetime64[ns]"), np.zeros(len(frame), bool), np.zeros(len(frame), bool)
    if ver.any():
        notes.append(f"uitkeringen: {int(ver.sum())} einddatum(s) na het jaar 2200 (zoals 31-12-9999) gelezen als 'loopt nog'")
        frame.loc[ver, "einddatum"] = ""
    if peil is not None:
        na = (eind > peil).to_numpy()
        if na.any():
            eind = eind.where(~na)
            frame.loc[na, "einddatum"] = ""
            notes.append(f"uitkeringen: {int(na.sum())} periode(n) met een einddatum na de peildatum {peil.date()} liepen op de "
                         "peildatum nog: einddatum leeggemaakt")
    if "uitstroomreden" in frame:
        open_ = (frame["einddatum"] == "").to_numpy()
        met = open_ & (frame["uitstroomreden"] != "").to_numpy()
        if met.any():
            notes.append(f"uitkeringen: {int(met.sum())} lopende periode(n) hadden een uitstroomreden: genegeerd (loopt nog)")
        frame.loc[open_, "uitstroomreden"] = ""
    if max_gat_dagen is None:
        frame["_rijen"] = frame["_rij"].astype(str)
        frame["_n"] = 1
        return frame, notes
    spell = spell_nummers(frame["client_id"].where(frame["client_id"] != "", "#" + frame["_rij"].astype(str)),
                          start.where(~start_fout), eind.where(~eind_fout), max_gat_dagen)
    p = frame.assign(_spell=spell, _s=start.to_numpy(), _e=eind.fillna(pd.Timestamp.max).to_numpy(),
                     _open=(frame["einddatum"] == "").to_numpy())
    g = p.sort_values(["_spell", "_s", "_rij"], kind="mergesort").groupby("_spell", sort=True)
    eerste = g.head(1).set_index("_spell")
    laatste = p.sort_values(["_spell", "_e", "_rij"], kind="mergesort").groupby("_spell").tail(1).set_index("_spell")
    out = eerste.copy()
    lopend = g["_open"].any()
    out["einddatum"] = laatste["einddatum"].where(~lopend, "")
    if "uitstroomreden" in out:
        out["uitstroomreden"] = laatste["uitstroomreden"].where(~lopend, "")
    out["_rijen"] = g["_rij"].agg(_rijen)
    out["_n"] = g["_rij"].size()
    out = out.loc[g["_rij"].min().sort_values(kind="mergesort").index].reset_index(drop=True)
    if len(out) < len(frame):
        notes.append(f"uitkeringen: {len(frame) - len(out)} periode(n) samengevoegd met een aansluitende of overlappende periode "
                     f"van dezelfde cliënt (hooguit {max_gat_dagen} dag(en) ertussen)")
    return out.drop(columns=["_s", "_e", "_open"]), notes
