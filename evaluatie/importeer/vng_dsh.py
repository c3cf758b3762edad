"""Format ``vng-dsh``: the Suite4SociaalDomein bijstand extract of VNG Realisatie's Data Science Hub.

Source: repository VNG-Realisatie/Data-Science-Hub-Bijstand ("Sturen op bijstand", 2019), files
``Bijstand_v0.sql`` (the SQL extract: Dossiernr, Clientnummer, geboortejaar, geslacht, Type, Startdatum /
Einddatum periodiek algemeen, Indicatie / Omschrijving leefvorm, Oorzaak bijstandsafhankelijkheid (code
and Omschrijving), Omschrijving einde bijstandsafhankelijkheid) and ``Bijstand.R`` (the analysis; its
dummy data ``DummyDataBijstandv3.rds`` has startdatum, geslacht, einddatum, Omschrijving leefvorm,
Oorzaak bijstandsafhankelijkheid, geboortejaar). Column names are mapped with
``evaluatie/data/vng_dsh_kolommen.csv`` (both the script's and the SQL's names; matching ignores case and
repeated spaces).

Decisions (each is written in the import report):

- **Rows and spells.** ``Bijstand.R`` counts every row as one uitkering and never merges. We merge the
  periods of one client that overlap or adjoin (``max_gat_dagen``, default 0; see
  :mod:`evaluatie.importeer.samenvoegen`); ``max_gat_dagen=None`` keeps the script's one-row-one-uitkering.
  The client is recognised by ``Clientnummer``, else ``Dossiernr``; without either (the dummy data) every
  row is its own client.
- **Client ids** are pseudonyms (:func:`~evaluatie.importeer.samenvoegen.pseudoniemen`): sequential in file
  order, or a keyed hash with ``geheim``; the client and dossier numbers never leave the importer.
- **Reden einde.** Descriptions are mapped with ``vng_dsh_reden_einde.csv``. A value not in the file is
  reported with its count and passed on unchanged, so validation **rejects** the uitkering (the safe
  default); with ``onbekend_als_overig=True`` it becomes ``overig`` (still reported). If the extract has no
  reden-einde column at all (the dummy data), every ended uitkering gets ``overig`` and the report and
  ``metadata.json`` (``reden_einde_beschikbaar: false``) say that exit to work cannot be analysed on it.
- **Dates.** ``NA`` (R's ``write.csv``) and empty cells are missing; a missing einddatum = still running. An
  einddatum after the peildatum means the uitkering was running on the peildatum: it is emptied (our schema's
  meaning) and counted in the report. Without a peildatum the latest date in the extract is used.
- **Fields the schema lacks.** Leefvorm and oorzaak (code plus description from the code list
  ``vng_dsh_oorzaak.csv``, taken from the repository's code-list spreadsheet) go to the extra table
  ``uitkeringskenmerken`` (value of the first period of a spell). ``Type`` (aanvrager/partner) is dropped.
- **Fields the extract lacks.** ``gemeentecode`` must be given. ``nugger`` is false for everyone (everyone in
  the extract receives a benefit). ``statushouder`` and ``speciaal_onderwijs`` are not in the extract; the
  schema requires them, so they are set to false and the report says the value is unknown.
  ``opleidingsniveau`` stays empty.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.importeer.mapping import Mapping, lees_mapping, normaliseer, pas_toe
from evaluatie.importeer.resultaat import NIET_GEMAPT_KOLOMMEN, Omgezet, leeg_niet_gemapt
from evaluatie.importeer.samenvoegen import pseudoniemen, spell_nummers
from evaluatie.lezen import Invoerfout
from evaluatie.schema import load_schema

NAAM = "vng-dsh"
BESCHRIJVING = "Suite4SociaalDomein-extract van VNG Realisatie Data Science Hub ('Sturen op bijstand', 2019)"
ONTBREKEND: tuple[str, ...] = ("", "NA")
"""Cell values meaning 'missing' (R writes NA)."""
VERPLICHT: tuple[str, ...] = ("startdatum", "einddatum", "geboortejaar", "geslacht")


# ---------------------------------------------------------------------------------------- reading
def lees_bron(bron: str | Path) -> tuple[pd.DataFrame, np.ndarray, str]:
    """Read the extract as it is: CSV (``,``/``;``/tab), ``.rds`` (pyreadr; no R needed) or ``.xlsx``.

    Returns
    -------
    data : DataFrame
        Source columns, values as text (``""`` = empty).
    rij : ndarray of int64
        Row number per row as the user sees it: CSV/Excel header = row 1; ``.rds``: R's row number.
    bestand : str
    """
    from evaluatie.lezen import lees_csv, lees_xlsx
    from evaluatie.validatie.typen import als_tekst

    pad = Path(bron)
    if not pad.is_file():
        raise Invoerfout(str(bron), "bestand niet gevonden; verwacht een .csv, .rds of .xlsx met het extract")
    ext = pad.suffix.lower()
    if ext == ".rds":
        import pyreadr

        try:
            df = pyreadr.read_r(str(pad))[None]
        except Exception as e:  # pyreadr raises its own error types for every kind of damage
            raise Invoerfout(pad.name, f"kan R-bestand niet lezen ({e}); verwacht een .rds met één data.frame") from None
        data = pd.DataFrame({str(k): als_tekst(df[k].astype(object) if isinstance(df[k].dtype, pd.CategoricalDtype) else df[k])
                             for k in df.columns})
        return data, np.arange(1, len(data) + 1, dtype=np.int64), pad.name
    if ext in (".csv", ".txt"):
        ing = lees_csv(pad, tabel=NAAM)
    elif ext == ".xlsx":
        ing = lees_xlsx(pad, tabel=NAAM)
    else:
        raise Invoerfout(pad.name, f"onbekende extensie {ext!r}; verwacht .csv, .rds of .xlsx")
    if ing.kapot:
        p, reden = next(iter(ing.kapot.items()))
        raise Invoerfout(pad.name, f"rij {int(ing.rij[p])}: {reden}")
    data = ing.data.apply(als_tekst)
    return data, np.asarray(ing.rij, dtype=np.int64), ing.bestand


def kolommen_toewijzen(kolommen: list[str], mapping: Mapping, bestand: str) -> tuple[dict[str, str], list[str]]:
    """Source column → our internal name; the first source column wins when two map to one name.

    Returns the assignment (internal name → source column) and notes about ignored columns.
    """
    wb = mapping.woordenboek
    toegewezen: dict[str, str] = {}
    notities: list[str] = []
    for k in kolommen:
        doel = wb.get(normaliseer(pd.Series([k])).iloc[0])
        if doel is None:
            notities.append(f"kolom {k!r} is onbekend en genegeerd (niet in {mapping.naam})")
        elif doel in toegewezen:
            notities.append(f"kolom {k!r} genegeerd: {doel} komt al uit kolom {toegewezen[doel]!r}")
        else:
            toegewezen[doel] = k
    ontbreekt = [v for v in VERPLICHT if v not in toegewezen]
    if ontbreekt:
        regels = mapping.regels
        verwacht = "; ".join(f"{v}: " + " of ".join(repr(b) for b in regels.loc[regels["doel"] == v, "bron"]) for v in ontbreekt)
        raise Invoerfout(bestand, f"verplichte kolom(men) ontbreken ({verwacht}); gevonden: {', '.join(map(repr, kolommen))}")
    return toegewezen, notities


# ---------------------------------------------------------------------------------------- mapping
def _datum(t: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    from evaluatie.validatie.typen import parse_datum

    g = parse_datum(t, missing_values=ONTBREKEND)
    return g.waarde, g.ontbreekt, g.ongeldig


def _iso(d: pd.Series, raw: pd.Series, ongeldig: np.ndarray) -> pd.Series:
    """Dates as ``jjjj-mm-dd`` text; invalid ones as in the source, missing ones ``""``."""
    t = d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), "")
    t[ongeldig] = raw[ongeldig]
    return t


def _niet_gemapt(veld: str, tabel: pd.DataFrame, actie: str) -> pd.DataFrame:
    if not len(tabel):
        return leeg_niet_gemapt()
    out = tabel.assign(veld=veld, actie=actie)
    return out.loc[:, list(NIET_GEMAPT_KOLOMMEN)]


def omzetten(
    bron: str | Path,
    *,
    gemeentecode: str,
    peildatum: Any = None,
    max_gat_dagen: int | None = 0,
    onbekend_als_overig: bool = False,
    geheim: str | bytes | None = None,
    kolommen: str | Path = "vng_dsh_kolommen",
    reden_einde: str | Path = "vng_dsh_reden_einde",
    geslacht: str | Path = "vng_dsh_geslacht",
    oorzaak: str | Path = "vng_dsh_oorzaak.csv",
) -> Omgezet:
    """Read a VNG/DSH extract and map it onto ``clienten`` and ``uitkeringen`` (see module docstring).

    Parameters
    ----------
    bron : path
        The extract (``.csv``, ``.rds``, ``.xlsx``).
    gemeentecode : str
        CBS code (``GM`` + 4 digits) of the municipality; the extract does not hold it.
    peildatum : date-like, optional
        Reference date of the extract; default the latest date in it.
    max_gat_dagen : int or None
        Merge rule (days without benefit that still continue a spell); None = no merging (VNG script).
    onbekend_als_overig : bool
        Map reden-einde values missing from the mapping file to ``overig`` instead of rejecting them.
    geheim : str or bytes, optional
        Secret for keyed-hash pseudonyms (only used when the extract has Clientnummer or Dossiernr).
    kolommen, reden_einde, geslacht : path or name
        Mapping files (default: the ones in ``evaluatie/data``).
    oorzaak : path or name
        Code list for oorzaak bijstandsafhankelijkheid (CSV ``code,omschrijving,status`` or the VNG
        spreadsheet ``.xlsx``).
    """
    from evaluatie.lezen import normaliseer_peildatum

    if not re.fullmatch(r"GM[0-9]{4}", str(gemeentecode or "")):
        raise Invoerfout(str(bron), f"gemeentecode {gemeentecode!r}: verwacht GM + 4 cijfers (bijv. GM0777); het extract bevat geen gemeente")
    data, rij, bestand = lees_bron(bron)
    kol_map = lees_mapping(kolommen)
    toe, bevindingen = kolommen_toewijzen(list(data.columns), kol_map, bestand)
    n = len(data)
    if n == 0:
        raise Invoerfout(bestand, "geen datarijen (alleen een kopregel); verwacht een extract met een rij per uitkeringsperiode")
    kol = {k: data[v].reset_index(drop=True) for k, v in toe.items()}
    niet_gemapt = [leeg_niet_gemapt()]

    # dates
    start, _, start_fout = _datum(kol["startdatum"])
    eind, eind_leeg, eind_fout = _datum(kol["einddatum"])
    peil = normaliseer_peildatum(peildatum, "peildatum")
    if peil is None:
        peil = pd.concat([start, eind]).max()
        if pd.isna(peil):
            raise Invoerfout(bestand, f"geen enkele geldige datum in {toe['startdatum']!r} of {toe['einddatum']!r}; verwacht "
                                      "datums als jjjj-mm-dd (of geef --peildatum)")
        bevindingen.append(f"geen peildatum opgegeven: de laatste datum in het extract ({peil.date()}) is als peildatum genomen")
    na_peil = (eind > peil).to_numpy()
    if na_peil.any():
        eind = eind.where(~na_peil)
        bevindingen.append(f"{int(na_peil.sum())} periode(n) met een einddatum na de peildatum {peil.date()} liepen op de "
                           "peildatum nog: einddatum leeggemaakt")

    # client key and spells
    if "clientnummer" in toe or "dossier" in toe:
        bron_kol = "clientnummer" if "clientnummer" in toe else "dossier"
        sleutel = kol[bron_kol].astype(str)
        leeg_sleutel = (sleutel.str.strip() == "").to_numpy()
        sleutel = sleutel.where(~leeg_sleutel, "#rij" + pd.Series(rij).astype(str))
        if bron_kol == "dossier":
            bevindingen.append("geen Clientnummer in het extract: perioden zijn per Dossiernr als één cliënt behandeld")
        if leeg_sleutel.any():
            bevindingen.append(f"{int(leeg_sleutel.sum())} rij(en) zonder {toe[bron_kol]}: elk als eigen cliënt behandeld")
    else:
        sleutel = pd.Series(rij).astype(str).radd("#rij")
        bevindingen.append("geen Clientnummer of Dossiernr in het extract: elke rij is een eigen cliënt; perioden kunnen "
                           "niet worden samengevoegd en herhaalde instroom van één persoon is niet te zien")
    spell = spell_nummers(sleutel, start, eind, max_gat_dagen)
    client_id = pseudoniemen(sleutel, geheim=geheim if "clientnummer" in toe or "dossier" in toe else None)

    # geslacht
    gm = lees_mapping(geslacht, toegestaan=load_schema("clienten").field("geslacht").enum)
    gt = pas_toe(kol["geslacht"], gm)
    geslacht_uit = gt.waarde.where(gt.gemapt, kol["geslacht"])
    niet_gemapt.append(_niet_gemapt("geslacht", gt.niet_gemapt, "afgekeurd (niet in " + gm.naam + ")"))

    # reden einde (per period; the spell takes the reden of its last-ending period)
    reden = pd.Series([""] * n, dtype=object)
    reden_beschikbaar = "reden_einde" in toe
    if reden_beschikbaar:
        rm = lees_mapping(reden_einde, toegestaan=load_schema("uitkeringen").field("uitstroomreden").enum)
        raw = kol["reden_einde"]
        leeg = raw.str.strip().isin(ONTBREKEND).to_numpy()
        rt = pas_toe(raw, rm, negeer=leeg)
        reden = rt.waarde.where(rt.gemapt, raw.where(~leeg, "")).astype(object)
        actie = "overig (onbekend_als_overig)" if onbekend_als_overig else f"afgekeurd (niet in {rm.naam})"
        if onbekend_als_overig:
            reden = reden.where(rt.gemapt | leeg, "overig")
        niet_gemapt.append(_niet_gemapt("reden_einde", rt.niet_gemapt, actie))
        leeg_beeindigd = leeg & eind.notna().to_numpy()
        if leeg_beeindigd.any():
            lg = pd.DataFrame({"waarde": ["(leeg)"], "aantal": [int(leeg_beeindigd.sum())]})
            if onbekend_als_overig:
                reden = reden.where(~leeg_beeindigd, "overig")
            niet_gemapt.append(_niet_gemapt("reden_einde", lg, "overig (onbekend_als_overig)" if onbekend_als_overig
                                            else "afgekeurd (einddatum zonder reden einde)"))
    else:
        reden = pd.Series(np.where(eind.notna(), "overig", ""), dtype=object)
        bevindingen.append("het extract heeft geen reden einde (Omschrijving einde bijstandsafhankelijkheid): elke "
                           "beëindigde uitkering heeft uitstroomreden 'overig' gekregen. Uitstroom naar werk en andere "
                           "concurrerende uitstroomredenen zijn op dit extract NIET te analyseren; alleen de duur tot "
                           "uitstroom (ongeacht reden) is bruikbaar.")

    # aggregate periods → spells
    p = pd.DataFrame({
        "spell": spell, "client_id": client_id, "rij": rij, "start": start, "eind": eind,
        "open": eind.isna().to_numpy() & ~eind_fout, "start_raw": kol["startdatum"], "eind_raw": kol["einddatum"],
        "start_fout": start_fout, "eind_fout": eind_fout, "reden": reden,
        "leefvorm": kol.get("leefvorm", pd.Series([""] * n)), "leefvorm_code": kol.get("leefvorm_code", pd.Series([""] * n)),
        "oorzaak_code": kol.get("oorzaak_code", pd.Series([""] * n)),
        "oorzaak_omschrijving": kol.get("oorzaak_omschrijving", pd.Series([""] * n)),
    })
    p = p.sort_values(["spell", "start", "rij"], kind="mergesort")
    g = p.groupby("spell", sort=True)
    eerste = g.head(1).set_index("spell")
    # the period that ends the spell: an open one if any, else the latest einddatum (ties: last in file)
    eind_sort = p.assign(_e=p["eind"].fillna(pd.Timestamp.max)).sort_values(["spell", "_e", "rij"], kind="mergesort")
    laatste = eind_sort.groupby("spell").tail(1).set_index("spell")
    sp = pd.DataFrame(index=eerste.index)
    sp["client_id"] = eerste["client_id"]
    sp["startdatum"] = _iso(eerste["start"], eerste["start_raw"], eerste["start_fout"].to_numpy())
    lopend = g["open"].any()
    sp["einddatum"] = _iso(laatste["eind"], laatste["eind_raw"], laatste["eind_fout"].to_numpy()).where(~lopend, "")
    sp["uitstroomreden"] = laatste["reden"].where(~lopend & (sp["einddatum"] != ""), "")
    sp["bronrijen"] = g["rij"].agg(lambda r: ";".join(map(str, sorted(r))))
    sp["n_bronrijen"] = g["rij"].size()
    orde = g["rij"].min().sort_values(kind="mergesort").index  # spells in order of their first source row
    sp = sp.loc[orde]
    e2 = eerste.loc[orde]
    sp = sp.reset_index(drop=True)
    n_samen = n - len(sp)
    if max_gat_dagen is None:
        bevindingen.append("perioden niet samengevoegd (max_gat_dagen=None): elke rij is een uitkering, zoals in Bijstand.R")
    elif n_samen:
        bevindingen.append(f"{n_samen} periode(n) samengevoegd met een aansluitende of overlappende periode van dezelfde cliënt "
                           f"(hooguit {max_gat_dagen} dag(en) zonder uitkering ertussen)")
    open_met_reden = int((eind.isna().to_numpy() & (reden != "").to_numpy()).sum()) if reden_beschikbaar else 0
    if open_met_reden:
        bevindingen.append(f"{open_met_reden} lopende periode(n) hadden een reden einde: genegeerd (loopt nog)")

    # uitkeringskenmerken (first period of a spell)
    ken = pd.DataFrame({
        "client_id": sp["client_id"].to_numpy(),
        "startdatum": sp["startdatum"].to_numpy(),
        "leefvorm": e2["leefvorm"].to_numpy(),
        "leefvorm_code": e2["leefvorm_code"].to_numpy(),
        "oorzaak_code": e2["oorzaak_code"].to_numpy(),
        "oorzaak_omschrijving": e2["oorzaak_omschrijving"].to_numpy(),
    })
    ken, ken_notes = _oorzaak_omschrijving(ken, oorzaak, "oorzaak_omschrijving" not in toe)
    bevindingen.extend(ken_notes)
    ken = ken.loc[:, [c for c in ken.columns if c in ("client_id", "startdatum") or (ken[c] != "").any()]]
    if "clienttype" in toe:
        bevindingen.append("kolom Type (aanvrager/partner) niet overgenomen: geen schemaveld")

    # clienten (first row of each client in file order)
    pc = pd.DataFrame({"client_id": client_id, "rij": rij, "geboortejaar": kol["geboortejaar"], "geslacht": geslacht_uit})
    gc = pc.groupby("client_id", sort=False)
    cl = gc.head(1).reset_index(drop=True)
    inconsistent = int(((gc["geboortejaar"].nunique() > 1) | (gc["geslacht"].nunique() > 1)).sum())
    if inconsistent:
        bevindingen.append(f"{inconsistent} cliënt(en) met verschillend geboortejaar of geslacht tussen perioden: de eerste rij geldt")
    clienten = pd.DataFrame({
        "client_id": cl["client_id"], "gemeentecode": gemeentecode, "geboortejaar": cl["geboortejaar"],
        "geslacht": cl["geslacht"], "opleidingsniveau": "", "statushouder": "false", "speciaal_onderwijs": "false",
        "nugger": "false",
    })
    bevindingen.append("statushouder en speciaal_onderwijs staan niet in het extract maar zijn verplicht in het schema: "
                       "op 'false' gezet; dat betekent hier ONBEKEND (geen analyse naar deze kenmerken mogelijk). "
                       "opleidingsniveau is leeg gelaten; nugger is false (iedereen in het extract heeft een uitkering).")
    h_cl = gc["rij"].agg(lambda r: ";".join(map(str, sorted(r)))).reindex(cl["client_id"])
    herkomst = pd.concat([
        pd.DataFrame({"tabel": "clienten", "client_id": cl["client_id"], "startdatum": "",
                      "bronrijen": h_cl.to_numpy(), "n_bronrijen": gc["rij"].size().reindex(cl["client_id"]).to_numpy()}),
        pd.DataFrame({"tabel": "uitkeringen", "client_id": sp["client_id"], "startdatum": sp["startdatum"],
                      "bronrijen": sp["bronrijen"], "n_bronrijen": sp["n_bronrijen"]}),
    ], ignore_index=True)

    geldig_start = start.dropna()
    metadata = {
        "peildatum": peil.strftime("%Y-%m-%d"),
        "waarnemingsperiode": {"start": (geldig_start.min() if len(geldig_start) else peil).strftime("%Y-%m-%d"),
                               "eind": peil.strftime("%Y-%m-%d")},
        "import": {
            "formaat": NAAM, "bron": bestand, "reden_einde_beschikbaar": reden_beschikbaar,
            "max_gat_dagen": max_gat_dagen, "onbekend_als_overig": onbekend_als_overig,
            "onbekend_in_extract": ["statushouder", "speciaal_onderwijs", "opleidingsniveau"]
            + ([] if reden_beschikbaar else ["uitstroomreden"]),
            "pseudoniem": "sleutel-hash (HMAC-SHA-256)" if geheim is not None and ("clientnummer" in toe or "dossier" in toe)
            else "volgnummer in bestandsvolgorde",
        },
    }
    uitkeringen = sp.loc[:, ["client_id", "startdatum", "einddatum", "uitstroomreden"]]
    ng = pd.concat([x for x in niet_gemapt if len(x)], ignore_index=True) if any(len(x) for x in niet_gemapt) else leeg_niet_gemapt()
    return Omgezet(
        tabellen={"clienten": clienten, "uitkeringen": uitkeringen.reset_index(drop=True)},
        herkomst=herkomst,
        extra={"uitkeringskenmerken": ken},
        niet_gemapt=ng,
        bevindingen=tuple(bevindingen),
        metadata=metadata,
        n_gelezen=n,
        bestand=bestand,
    )


def _oorzaak_omschrijving(ken: pd.DataFrame, codelijst: str | Path, aanvullen: bool) -> tuple[pd.DataFrame, list[str]]:
    """Add the description of the oorzaak code from the code list (as ``Bijstand.R`` does with its
    spreadsheet, a left join on the code); report codes not in the list."""
    notes: list[str] = []
    if not aanvullen or (ken["oorzaak_code"] == "").all():
        return ken, notes
    lijst = lees_codelijst(codelijst)
    code = pd.to_numeric(ken["oorzaak_code"], errors="coerce")
    oms = code.map(dict(zip(lijst["code"], lijst["omschrijving"])))
    onbekend = oms.isna() & (ken["oorzaak_code"] != "")
    if onbekend.any():
        tel = ken.loc[onbekend, "oorzaak_code"].value_counts()
        notes.append("oorzaak-code(s) niet in de codelijst: " + ", ".join(f"{k} ({v}x)" for k, v in tel.items()))
    return ken.assign(oorzaak_omschrijving=oms.fillna("").astype(object)), notes


def lees_codelijst(bron: str | Path = "vng_dsh_oorzaak.csv") -> pd.DataFrame:
    """The code list for oorzaak bijstandsafhankelijkheid: ``code`` (int), ``omschrijving``, ``status``.

    Reads the CSV shipped in ``evaluatie/data`` (default), a CSV path, or the VNG spreadsheet itself
    (``.xlsx``; header in row 2 and codes in columns A:B, the range ``Bijstand.R`` reads).
    """
    from importlib import resources

    p = Path(bron)
    if p.suffix.lower() == ".xlsx":
        x = pd.read_excel(p, header=1, usecols="A:C")
        x = x[pd.to_numeric(x.iloc[:, 0], errors="coerce").notna() & x.iloc[:, 1].notna()]
        x.columns = ["code", "omschrijving", "status"]
        x = x.astype({"code": "int64"})
        x["status"] = pd.to_numeric(x["status"]).astype("Int64")
        return x.sort_values("code", kind="mergesort").reset_index(drop=True)
    if p.is_file():
        df = pd.read_csv(p, dtype={"omschrijving": str})
    else:
        with resources.files("evaluatie.data").joinpath(p.name).open(encoding="utf-8") as fh:
            df = pd.read_csv(fh, dtype={"omschrijving": str})
    return df.astype({"code": "int64"}).assign(status=lambda d: d["status"].astype("Int64"))
