"""CBS StatLine figures and the SZW BUIG verdeling → the ``gemeenten`` table, every figure with its source.

Read as users obtain them:

- the OData feed's JSON (``.../ODataApi/odata/<id>/TypedDataSet``: ``{"odata.metadata": ".../<id>/$metadata#...",
  "value": [{"RegioS": "GM0777  ", "Perioden": "2017JJ00", "Bijstandsontvangers_1": 700, ...}]}``), with
  optionally the ``Perioden`` dimension (``{"value": [{"Key": "2019MM03", "Title": "2019 maart*",
  "Status": "Voorlopig"}]}``) for the status of each period;
- the CSV download (``;``-separated): raw (``RegioS``/``Perioden`` codes and measure keys) or with labels
  (period labels such as ``2019 januari*``; ``*`` = voorlopig; ``.`` = missing);
- the SZW spreadsheet of the BUIG verdeling (genormeerd aantal, budget per gemeente), layout in
  ``evaluatie/data/szw_verdeling.toml``.

Which measure goes into which field, per table id, is data (``evaluatie/data/statline_tabellen.toml``), not
code: CBS replaces tables over the years. Every figure keeps ``bron`` (table id or SZW file), ``periode``
(the StatLine period code) and ``status`` (``definitief``/``voorlopig``/``onbekend``) in the provenance
table :attr:`Gemeentecijfers.herkomst`; the wide ``gemeenten`` table gets the optional fields ``bron`` and
``status`` (``voorlopig`` when any figure in the row is).
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.lezen import Invoerfout

HERKOMST_KOLOMMEN: tuple[str, ...] = ("gemeentecode", "jaar", "veld", "waarde", "bron", "periode", "status", "bestand", "rij")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
_CODE = re.compile(r"^(\d{4})(JJ|MM|KW)(\d{2})$")
_LABEL = re.compile(r"^(\d{4})(?:\s+(" + "|".join(MAANDEN) + r"|[1-4]e kwartaal))?\s*(\*?)$", re.I)
VERPLICHT = ("gemeentenaam", "inwoners", "buig_budget", "genormeerd_aantal", "feitelijk_aantal")


@dataclass(frozen=True)
class Gemeentecijfers:
    """Figures read from StatLine/SZW files.

    Attributes
    ----------
    herkomst : DataFrame
        Long, one row per figure: gemeentecode, jaar, veld, waarde, bron, periode, status, bestand, rij.
    namen : dict
        gemeentecode → gemeentenaam (from SZW, or StatLine labels).
    bevindingen : tuple of str
        What was skipped and why (other regions, other periods, missing values).
    """

    herkomst: pd.DataFrame
    namen: dict[str, str] = field(default_factory=dict)
    bevindingen: tuple[str, ...] = ()


def _tekst(pad: Path) -> str:
    """The file as UTF-8 text (a BOM is allowed); :class:`Invoerfout` naming the file otherwise."""
    try:
        return pad.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise Invoerfout(pad.name, f"geen UTF-8-tekst (byte {e.start}); sla het bestand op als UTF-8") from None
    except OSError as e:
        raise Invoerfout(str(pad), f"niet te lezen ({e.strerror})") from None


def _toml(pad: Path, wat: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_tekst(pad))
    except tomllib.TOMLDecodeError as e:
        raise Invoerfout(pad.name, f"geen geldige TOML ({e}); verwacht {wat}") from None


def _json(pad: Path, wat: str) -> Any:
    try:
        return json.loads(_tekst(pad))
    except (json.JSONDecodeError, RecursionError) as e:
        reden = e if isinstance(e, json.JSONDecodeError) else "te diep genest"
        raise Invoerfout(pad.name, f"geen geldige JSON ({reden}); verwacht {wat}") from None


def lees_tabellen(pad: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The StatLine table mapping (default ``evaluatie/data/statline_tabellen.toml``): id → spec."""
    if not pad:
        tekst = resources.files("evaluatie.data").joinpath("statline_tabellen.toml").read_text(encoding="utf-8")
        return {k.upper(): {**v, "id": k} for k, v in tomllib.loads(tekst).get("tabellen", {}).items()}
    pad = Path(pad)
    raw = _toml(pad, "een tabellenmapping met [tabellen.<ID>]-secties (zie statline_tabellen.toml)")
    tab = raw.get("tabellen", {})
    if not isinstance(tab, dict) or not all(isinstance(v, dict) for v in tab.values()):
        raise Invoerfout(pad.name, "[tabellen]: verwacht per tabel een sectie [tabellen.<ID>] met maten = {...}")
    for k, v in tab.items():
        for sleutel in ("maten", "labels"):
            if not isinstance(v.get(sleutel, {}), dict):
                raise Invoerfout(pad.name, f"[tabellen.{k}] {sleutel}: waarde {str(v[sleutel])[:60]!r}; verwacht een tabel "
                                           "{StatLine-kolom = \"veld\"}")
    return {k.upper(): {**v, "id": k} for k, v in tab.items()}


def parse_periode(waarde: str, bestand: str, rij: int, waar: str = "rij") -> tuple[int, str, bool]:
    """A StatLine period code or label → (year, kind, provisional).

    kind: ``JJ00`` (year), ``MMnn`` (month), ``KWnn`` (quarter). Codes ``2019JJ00``/``2019MM03``/``2019KW04``;
    labels ``2019``, ``2019 maart``, ``2019 1e kwartaal``, each optionally followed by ``*`` (voorlopig).

    Raises
    ------
    Invoerfout
        Naming file, row, field Perioden, the value and the expected forms.
    """
    t = str(waarde).strip()
    m = _CODE.match(t)
    if m:
        return int(m.group(1)), m.group(2) + m.group(3), False
    m = _LABEL.match(t)
    if m:
        deel = (m.group(2) or "").lower()
        if not deel:
            soort = "JJ00"
        elif "kwartaal" in deel:
            soort = f"KW{int(deel[0]):02d}"
        else:
            soort = f"MM{MAANDEN.index(deel) + 1:02d}"
        return int(m.group(1)), soort, m.group(3) == "*"
    raise Invoerfout(bestand, f"{waar} {rij}, veld Perioden: waarde {t!r} is geen periode; verwacht een code als 2019JJ00, "
                              "2019MM03, 2019KW04 of een label als '2019', '2019 maart*', '2019 1e kwartaal'")


def _tabel_id(pad: Path, obj: dict | None, tabel: str | None, tabellen: dict) -> str:
    gevonden = None
    if obj is not None:
        m = re.search(r"/odata/([0-9A-Za-z]+)/", str(obj.get("odata.metadata", "")))
        gevonden = m.group(1).upper() if m else None
    if gevonden is None:
        m = re.match(r"^(\d{5}[A-Za-z]{3})", pad.name)
        gevonden = m.group(1).upper() if m else None
    if tabel is not None and gevonden is not None and gevonden != tabel.upper():
        raise Invoerfout(pad.name, f"dit bestand is StatLine-tabel {gevonden}; verwacht tabel {tabel.upper()} (--tabel)")
    tid = (tabel or gevonden or "").upper()
    if not tid:
        raise Invoerfout(pad.name, "tabel-id onbekend (niet in het bestand of de bestandsnaam); geef --tabel, bijv. --tabel 84066NED")
    if tid not in tabellen:
        raise Invoerfout(pad.name, f"StatLine-tabel {tid} staat niet in de tabellenmapping; verwacht een van "
                                   f"{', '.join(sorted(tabellen))} (voeg de tabel toe aan statline_tabellen.toml)")
    return tid


def _perioden_status(pad: Path | None) -> dict[str, str]:
    if pad is None:
        return {}
    pad = Path(pad)
    obj = _json(pad, "de OData Perioden-dimensie ({\"value\": [{\"Key\": ..., \"Status\": ...}]})")
    if not isinstance(obj, dict) or not isinstance(obj.get("value", []), list) \
            or not all(isinstance(r, dict) for r in obj.get("value", [])):
        raise Invoerfout(pad.name, "geen lijst 'value' met perioden; verwacht de OData Perioden-dimensie "
                                   "({\"value\": [{\"Key\": ..., \"Status\": ...}]})")
    out = {}
    for r in obj.get("value", []):
        st = str(r.get("Status", "")).strip().lower()
        titel = str(r.get("Title", ""))
        out[str(r.get("Key", "")).strip()] = "voorlopig" if st.startswith("voorlopig") or titel.endswith("*") else \
            ("definitief" if st.startswith("definitief") else "onbekend")
    return out


def lees_statline(pad: str | Path, *, tabel: str | None = None, perioden: str | Path | None = None,
                  tabellen: dict[str, dict[str, Any]] | None = None) -> Gemeentecijfers:
    """Read one StatLine file (OData JSON or CSV download) into long figures with their source.

    Parameters
    ----------
    pad : path
        ``.json`` (TypedDataSet) or ``.csv`` (raw or with labels).
    tabel : str, optional
        Expected table id; checked against the id in the file (``odata.metadata``) or its name.
    perioden : path, optional
        The table's ``Perioden`` dimension (JSON) with the status per period.
    tabellen : dict, optional
        Table mapping (default :func:`lees_tabellen`).

    Raises
    ------
    Invoerfout
        Another table than expected, a table not in the mapping, a region that is not a code, a period or
        value that cannot be parsed, no measure of the table in the file. File, row and field are named.
    """
    pad = Path(pad)
    tabellen = tabellen or lees_tabellen()
    if not pad.is_file():
        raise Invoerfout(str(pad), "bestand niet gevonden; verwacht een StatLine-download (.json of .csv)")
    obj = None
    if pad.suffix.lower() == ".json":
        obj = _json(pad, "de OData TypedDataSet")
        if not isinstance(obj, dict) or not isinstance(obj.get("value"), list):
            raise Invoerfout(pad.name, "geen lijst 'value'; verwacht de OData TypedDataSet ({\"value\": [...]})")
        df = pd.DataFrame(obj["value"])
        rijen = np.arange(1, len(df) + 1)  # position in "value" (1-based)
        waar = "element"
    elif pad.suffix.lower() == ".csv":
        try:
            df = pd.read_csv(pad, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except pd.errors.EmptyDataError:
            raise Invoerfout(pad.name, "leeg bestand; verwacht een StatLine-CSV met kopregel (scheidingsteken ';')") from None
        except UnicodeDecodeError as e:
            raise Invoerfout(pad.name, f"geen UTF-8-tekst (byte {e.start}); download de CSV opnieuw of sla hem op als UTF-8") from None
        except pd.errors.ParserError as e:
            raise Invoerfout(pad.name, f"onleesbare CSV ({str(e).strip()[:120]}); verwacht een StatLine-CSV met "
                                       "scheidingsteken ';' (afgebroken download of niet-gesloten aanhalingsteken?)") from None
        df.columns = [c.strip() for c in df.columns]
        rijen = np.arange(2, len(df) + 2)
        waar = "rij"
    else:
        raise Invoerfout(pad.name, f"onbekende extensie {pad.suffix!r}; verwacht .json (OData) of .csv (download)")
    tid = _tabel_id(pad, obj, tabel, tabellen)
    spec = tabellen[tid]
    if df.empty:
        raise Invoerfout(pad.name, "geen datarijen (alleen een kopregel of een lege lijst 'value'); verwacht een cijfer per "
                                   "gemeente en periode")
    regio_kol = next((c for c in ("RegioS", "Regio's", "Regio") if c in df.columns), None)
    per_kol = "Perioden" if "Perioden" in df.columns else None
    if regio_kol is None or per_kol is None:
        raise Invoerfout(pad.name, f"kolom RegioS of Perioden ontbreekt; gevonden: {', '.join(map(str, df.columns))}")
    maten = {**spec.get("maten", {}), **spec.get("labels", {})}
    aanwezig = {k: v for k, v in maten.items() if k in df.columns}
    if not aanwezig:
        raise Invoerfout(pad.name, f"geen enkele maat van tabel {tid} in het bestand; verwacht een van "
                                   f"{', '.join(maten)} (is dit bestand wel tabel {tid}?)")
    status = _perioden_status(Path(perioden) if perioden else None)
    gewenst = str(spec.get("periode", "JJ"))
    uit, anders, overig_regio, leeg = [], 0, 0, 0
    for i, r in enumerate(df.itertuples(index=False)):
        rec = dict(zip(df.columns, r))
        regio = str(rec[regio_kol]).strip()
        if not regio.startswith("GM"):
            if re.match(r"^(NL|PV|CR|LD|RE|AM|WK|BU)\d*", regio):
                overig_regio += 1
                continue
            raise Invoerfout(pad.name, f"{waar} {rijen[i]}, veld {regio_kol}: waarde {regio!r}; verwacht een regiocode "
                                       "(GM0777 voor een gemeente; download de CSV als 'onbewerkte dataset' met codes)")
        if not re.fullmatch(r"GM\d{4}", regio):
            raise Invoerfout(pad.name, f"{waar} {rijen[i]}, veld {regio_kol}: gemeentecode {regio!r}; verwacht GM + 4 cijfers")
        code = str(rec[per_kol]).strip()
        jaar, soort, ster = parse_periode(code, pad.name, int(rijen[i]), waar)
        if not (soort == "JJ00" if gewenst == "JJ" else soort == gewenst):
            anders += 1
            continue
        st = "voorlopig" if ster else status.get(code, "onbekend")
        for kol, veld in aanwezig.items():
            w = rec[kol]
            if w is None or (isinstance(w, float) and np.isnan(w)) or str(w).strip() in ("", "."):
                leeg += 1
                continue
            try:
                x = float(str(w).strip().replace(",", "."))
            except ValueError:
                raise Invoerfout(pad.name, f"{waar} {rijen[i]}, veld {kol}: waarde {w!r}; verwacht een getal of '.' (ontbreekt)") from None
            uit.append((regio, jaar, veld, x, str(spec.get("id", tid)), code, st, pad.name, int(rijen[i])))
    notes = []
    if overig_regio:
        notes.append(f"{pad.name}: {overig_regio} rij(en) van andere regio's dan gemeenten (Nederland, provincies, …) overgeslagen")
    if anders:
        notes.append(f"{pad.name}: {anders} rij(en) met een andere periode dan {gewenst} overgeslagen (tabel {tid} levert het jaarcijfer als {gewenst})")
    if leeg:
        notes.append(f"{pad.name}: {leeg} ontbrekende waarde(n) ('.' of leeg) niet overgenomen")
    return Gemeentecijfers(herkomst=pd.DataFrame(uit, columns=list(HERKOMST_KOLOMMEN)), bevindingen=tuple(notes))


def lees_szw(pad: str | Path, *, jaar: int, layout: str | Path | None = None, status: str = "definitief") -> Gemeentecijfers:
    """Read the SZW BUIG verdeling spreadsheet (one budget year): genormeerd aantal and budget per gemeente.

    Parameters
    ----------
    pad : path
        ``.xlsx`` (or ``.csv``) as published.
    jaar : int
        The budget year the file is about.
    layout : path, optional
        Layout TOML (default ``evaluatie/data/szw_verdeling.toml``): ``blad``, ``kopregel``, ``[kolommen]``.
    status : str
        ``definitief`` or ``voorlopig`` (SZW publishes a voorlopige and a definitieve verdeling).
    """
    pad = Path(pad)
    lay = _toml(Path(layout), "de indeling van de SZW-verdeling") if layout else tomllib.loads(
        resources.files("evaluatie.data").joinpath("szw_verdeling.toml").read_text(encoding="utf-8"))
    kop = int(lay.get("kopregel", 1))
    if not pad.is_file():
        raise Invoerfout(str(pad), "bestand niet gevonden; verwacht de SZW-verdeling (.xlsx)")
    try:
        if pad.suffix.lower() == ".xlsx":
            df = pd.read_excel(pad, sheet_name=lay.get("blad", 0), header=kop - 1, dtype=str)
        else:
            df = pd.read_csv(pad, sep=None, engine="python", header=kop - 1, dtype=str)
    except Exception as e:  # noqa: BLE001 - openpyxl/zipfile/csv raise many types for a damaged file
        raise Invoerfout(pad.name, f"niet te lezen als SZW-verdeling ({type(e).__name__}: {str(e)[:120]}); verwacht het "
                                   f"gepubliceerde .xlsx-bestand met de kopregel op regel {kop}") from None
    df = df.fillna("")
    df.columns = [str(c).strip() for c in df.columns]
    kol = lay.get("kolommen", {})
    mis = [f"{v!r} (voor {k})" for k, v in kol.items() if v not in df.columns]
    if mis:
        raise Invoerfout(pad.name, f"kolom(men) {', '.join(mis)} niet in kopregel {kop}; gevonden: {', '.join(map(repr, df.columns))}")
    uit, namen = [], {}
    bron = f"SZW verdeling BUIG {jaar}"
    for i, r in df.iterrows():
        rij = int(i) + kop + 1
        g = str(r[kol["gemeentecode"]]).strip()
        if g == "" or not re.fullmatch(r"(GM)?\d{1,4}(\.0)?", g):
            if g == "" or g.lower().startswith(("totaal", "nederland")):
                continue
            raise Invoerfout(pad.name, f"rij {rij}, veld {kol['gemeentecode']}: waarde {g!r}; verwacht een gemeentenummer (777) of -code (GM0777)")
        code = "GM" + f"{int(float(g[2:] if g.startswith('GM') else g)):04d}"
        namen[code] = str(r[kol["gemeentenaam"]]).strip() if "gemeentenaam" in kol else code
        for veld in ("genormeerd_aantal", "buig_budget"):
            w = str(r[kol[veld]]).strip().replace("€", "").replace(" ", "")
            try:
                x = float(w)
            except ValueError:
                raise Invoerfout(pad.name, f"rij {rij}, veld {kol[veld]}: waarde {r[kol[veld]]!r}; verwacht een getal") from None
            uit.append((code, int(jaar), veld, x, bron, f"{jaar}", status, pad.name, rij))
    return Gemeentecijfers(herkomst=pd.DataFrame(uit, columns=list(HERKOMST_KOLOMMEN)), namen=namen)


@dataclass(frozen=True)
class Gemeentenresultaat:
    """The ``gemeenten`` table assembled from StatLine/SZW figures.

    Attributes
    ----------
    gemeenten : DataFrame
        Complete rows (every required field present), with ``bron`` and ``status``.
    herkomst : DataFrame
        Every figure with its source (long).
    onvolledig : DataFrame
        gemeentecode, jaar, ontbreekt (fields missing): rows NOT in ``gemeenten``, listed, never silently dropped.
    bevindingen : tuple of str
    """

    gemeenten: pd.DataFrame
    herkomst: pd.DataFrame
    onvolledig: pd.DataFrame
    bevindingen: tuple[str, ...] = ()

    def summary(self) -> str:
        r = [f"gemeenten: {len(self.gemeenten)} rijen (gemeente × jaar) uit {self.herkomst['bron'].nunique()} bron(nen): "
             + ", ".join(sorted(self.herkomst["bron"].unique()))]
        nv = int((self.gemeenten.get("status", pd.Series(dtype=str)) == "voorlopig").sum())
        if nv:
            r.append(f"- {nv} rij(en) bevatten een voorlopig cijfer (status = voorlopig)")
        if len(self.onvolledig):
            r.append(f"- {len(self.onvolledig)} gemeente × jaar onvolledig en NIET in gemeenten.csv: zie import/onvolledig.csv")
        r.extend(f"- {b}" for b in self.bevindingen)
        return "\n".join(r)


def combineer(delen: list[Gemeentecijfers]) -> Gemeentenresultaat:
    """Combine figures from several files into one ``gemeenten`` table.

    Raises
    ------
    Invoerfout
        One figure (gemeente, jaar, veld) given by two sources with different values (sources are never
        mixed silently), or a gemeentecode that occurs in one source but not in the SZW verdeling of
        that year (a code that does not exist).
    """
    h = pd.concat([d.herkomst for d in delen], ignore_index=True)
    namen: dict[str, str] = {}
    for d in delen:
        namen.update(d.namen)
    notes = [b for d in delen for b in d.bevindingen]
    if h.empty:
        raise Invoerfout("StatLine-invoer", "geen enkel cijfer van een gemeente (GMxxxx) in de bestanden; verwacht rijen met "
                                            "RegioS = GMxxxx en een jaarperiode" + ("".join(f"; {b}" for b in notes)))
    dub = h[h.duplicated(["gemeentecode", "jaar", "veld"], keep=False)]
    if len(dub):
        for _, g in dub.groupby(["gemeentecode", "jaar", "veld"], sort=True):
            if g["waarde"].nunique() > 1:
                a, b = g.iloc[0], g.iloc[1]
                raise Invoerfout(b["bestand"], f"rij {b['rij']}: {b['veld']} van {b['gemeentecode']} in {b['jaar']} is {b['waarde']:g} "
                                               f"({b['bron']}), maar {a['waarde']:g} in {a['bestand']} rij {a['rij']} ({a['bron']}); "
                                               "verwacht één bron per cijfer")
        h = h.drop_duplicates(["gemeentecode", "jaar", "veld"], keep="first")
    szw = h[h["bron"].str.startswith("SZW")]
    if len(szw):
        for jaar, g in h.groupby("jaar"):
            bekend = set(szw.loc[szw["jaar"] == jaar, "gemeentecode"])
            if not bekend:
                continue
            vreemd = g[~g["gemeentecode"].isin(bekend)]
            if len(vreemd):
                x = vreemd.iloc[0]
                raise Invoerfout(x["bestand"], f"rij {x['rij']}, veld RegioS: gemeentecode {x['gemeentecode']} bestaat niet in de "
                                               f"SZW-verdeling {jaar}; verwacht een bestaande gemeente van dat jaar "
                                               "(opgeheven of heringedeelde gemeente?)")
    breed = h.pivot_table(index=["gemeentecode", "jaar"], columns="veld", values="waarde", aggfunc="first")
    breed = breed.reset_index()
    breed.columns.name = None
    breed["gemeentenaam"] = breed["gemeentecode"].map(namen)
    if breed["gemeentenaam"].isna().any():
        notes.append("geen naam voor sommige gemeenten (geen SZW-bestand): de code is als naam gebruikt")
        breed["gemeentenaam"] = breed["gemeentenaam"].fillna(breed["gemeentecode"])
    g = h.groupby(["gemeentecode", "jaar"], sort=True)
    bron = g.apply(lambda x: "; ".join(sorted({f"{b} ({p})" for b, p in zip(x["bron"], x["periode"])})), include_groups=False)
    st = g["status"].agg(lambda s: "voorlopig" if (s == "voorlopig").any() else ("definitief" if (s == "definitief").all() else "onbekend"))
    breed = breed.merge(bron.rename("bron").reset_index(), on=["gemeentecode", "jaar"]).merge(st.rename("status").reset_index(), on=["gemeentecode", "jaar"])
    for c in VERPLICHT:
        if c not in breed:
            breed[c] = np.nan
    ontbreekt = breed[list(VERPLICHT)].isna()
    onv = breed.loc[ontbreekt.any(axis=1), ["gemeentecode", "jaar"]].assign(
        ontbreekt=[", ".join(c for c, x in zip(VERPLICHT, m) if x) for m in ontbreekt[ontbreekt.any(axis=1)].to_numpy()])
    kolommen = ["gemeentecode", "gemeentenaam", "jaar", "inwoners", "buig_budget", "genormeerd_aantal", "feitelijk_aantal",
                *[c for c in ("instroom", "uitstroom", "uitstroom_werk") if c in breed], "bron", "status"]
    compleet = breed.loc[~ontbreekt.any(axis=1), kolommen].reset_index(drop=True)
    compleet["inwoners"] = compleet["inwoners"].round().astype("int64")
    compleet["jaar"] = compleet["jaar"].astype("int64")
    return Gemeentenresultaat(gemeenten=compleet, herkomst=h.sort_values(["gemeentecode", "jaar", "veld"]).reset_index(drop=True),
                              onvolledig=onv.reset_index(drop=True), bevindingen=tuple(notes))


def haal_op(tabel: str, map_: str | Path) -> Path:  # pragma: no cover - needs internet and cbsodata
    """Optional: fetch a table's TypedDataSet and Perioden through ``cbsodata`` (only if installed)."""
    try:
        import cbsodata  # type: ignore[import-not-found]
    except ImportError:
        raise Invoerfout(tabel, "het pakket cbsodata is niet geïnstalleerd (pip install cbsodata); download de tabel anders "
                                "via StatLine en geef het bestand op") from None
    map_ = Path(map_)
    map_.mkdir(parents=True, exist_ok=True)
    data = cbsodata.get_data(tabel, typed=True)
    meta = cbsodata.get_meta(tabel, "Perioden")
    p = map_ / f"{tabel}_TypedDataSet.json"
    p.write_text(json.dumps({"odata.metadata": f"https://opendata.cbs.nl/ODataApi/odata/{tabel}/$metadata", "value": data}), encoding="utf-8")
    (map_ / f"{tabel}_Perioden.json").write_text(json.dumps({"value": meta}), encoding="utf-8")
    return p
