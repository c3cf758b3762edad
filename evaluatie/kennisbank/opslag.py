"""The on-disk store: one immutable Parquet file per run, exclusive creation, versioned schema.

One bad file never takes the store down: :meth:`Kennisbank.lees_alles` skips a run file it cannot read
(truncated, not a kennisbank file, a newer schema) and names it; the rest of the store stays usable.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evaluatie import __version__
from evaluatie.config import MIN_DREMPEL
from evaluatie.disclosure import DREMPEL, beveilig_schattingen
from evaluatie.kennisbank.fouten import KennisbankFout
from evaluatie.kennisbank.run import controleer_manifest

SCHEMA_VERSIE = 1
FORMAAT = "evaluatie-kennisbank"
_META_KEY = b"evaluatie.kennisbank.schema_versie"
_INVOER_KEY = b"evaluatie.kennisbank.invoer"   # sha256 of the run's input hashes + data period
_INHOUD_KEY = b"evaluatie.kennisbank.inhoud"   # sha256 of the stored estimates themselves
_INHOUD_KOLOMMEN = ["instrument", "categorie", "uitkomst", "maat", "horizon", "methode", "schatting", "se", "ci_laag",
                    "ci_hoog", "n_deelnemers", "periode_start", "periode_eind"]

KOLOMMEN: dict[str, str] = {
    "run_id": "string", "manifest_hash": "string", "instrument": "string", "categorie": "string",
    "uitkomst": "string", "maat": "string", "horizon": "int64", "schatting": "float64", "se": "float64",
    "ci_laag": "float64", "ci_hoog": "float64", "n_deelnemers": "int64", "n_gebeurtenissen": "int64",
    "methode": "string", "vlag": "string", "periode_start": "string", "periode_eind": "string",
    "gemeenten": "string", "pakketversie": "string",
    # issue 19: estimates per subgroup ("<indeling>: <subgroep>"); rows of the whole cell (and every row stored
    # before subgroups existed) have HELE_CEL
    "subgroep": "string",
}
#: The ``subgroep`` of an estimate for the whole instrument x categorie cell.
HELE_CEL = "hele cel"
_VERPLICHT_IN = ("instrument", "categorie", "uitkomst", "maat", "horizon", "schatting", "ci_laag", "ci_hoog", "n_deelnemers")
_SLEUTEL = ["instrument", "categorie", "uitkomst", "maat", "horizon", "subgroep"]


@dataclass(frozen=True)
class Toevoeging:
    """Outcome of adding one run."""

    run_id: str
    nieuw: bool
    n_rijen: int
    n_onderdrukt: int
    pad: Path
    drempel: int = DREMPEL
    zelfde_als: str | None = None
    reden: str = ""

    def summary(self) -> str:
        if self.zelfde_als is not None:
            return (f"Run {self.run_id} niet toegevoegd: {self.reden} als run {self.zelfde_als}, die er al in staat. Een "
                    "tweede analyse van dezelfde gegevens is geen nieuwe evaluatie en telt bij het poolen niet apart mee; "
                    f"verwijder runs/{self.zelfde_als}.parquet als deze run hem moet vervangen.")
        if not self.nieuw:
            return f"Run {self.run_id} staat al in de kennisbank (zelfde manifest); niets toegevoegd."
        return (f"Run {self.run_id} toegevoegd: {self.n_rijen} schattingen; {self.n_onderdrukt} niet opgeslagen "
                f"omdat ze op minder dan {self.drempel} personen rusten.")


@dataclass(frozen=True)
class Overgeslagen:
    """A run file of the store that could not be read (and was left out)."""

    pad: Path
    reden: str

    def summary(self) -> str:
        return f"{self.pad}: overgeslagen, {self.reden}"


@dataclass(frozen=True)
class Leesresultaat:
    """What :meth:`Kennisbank.lees_alles` read: the estimates of every readable run, and the files skipped."""

    schattingen: pd.DataFrame
    overgeslagen: tuple[Overgeslagen, ...] = ()

    def summary(self) -> str:
        n = self.schattingen["run_id"].nunique() if len(self.schattingen) else 0
        regels = [f"{len(self.schattingen)} schattingen uit {n} runs gelezen"]
        regels += [o.summary() for o in self.overgeslagen]
        return "\n".join(regels)


def _run_id(manifest: Mapping[str, Any]) -> str:
    return str(manifest["manifest_hash"])[:16]


def _invoer_hash(manifest: Mapping[str, Any], periode: tuple[str, str]) -> str | None:
    """Identity of a run's data: its input hashes and data period (None when the manifest lists no inputs)."""
    inputs = manifest.get("inputs")
    if not isinstance(inputs, Mapping) or not inputs:
        return None
    tekst = json.dumps({"inputs": {str(k): str(v) for k, v in inputs.items()}, "periode": list(periode)}, sort_keys=True)
    return hashlib.sha256(tekst.encode()).hexdigest()


def _inhoud_hash(df: pd.DataFrame) -> str:
    """Identity of a run's stored estimates (whatever command or manifest produced them)."""
    d = df[_INHOUD_KOLOMMEN].sort_values(_INHOUD_KOLOMMEN[:6], kind="mergesort")
    return hashlib.sha256(d.to_csv(index=False, float_format="%.10g", lineterminator="\n").encode()).hexdigest()


def _periode(wp: Any) -> tuple[str, str]:
    """The data period from a manifest's ``config.waarnemingsperiode``.

    Accepts both shapes in use: ``{"start": ..., "eind": ...}`` (as in ``metadata.json``) and
    ``[start, eind]`` (as ``evaluatie analyseer`` writes it). Anything else gives ``("", "")``.
    """
    from evaluatie.periode import periode_tekst

    return periode_tekst(wp)


def _migreer(df: pd.DataFrame, versie: int) -> pd.DataFrame:
    """Bring rows written under an older schema version to the current one."""
    if versie == SCHEMA_VERSIE:
        return df
    if versie > SCHEMA_VERSIE:
        raise KennisbankFout(f"schemaversie {versie}, deze versie van evaluatie ({__version__}) kent t/m {SCHEMA_VERSIE}; "
                             "werk evaluatie bij")
    raise KennisbankFout(f"onbekende schemaversie {versie}")


def _kolommen_voor_opslag(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows in the stored schema; a value that does not fit its column is an error naming column, row and value."""
    out = pd.DataFrame(index=rows.index)
    for k, t in KOLOMMEN.items():
        if k not in rows:
            out[k] = np.nan if t in ("float64", "int64") else ""
            continue
        kol = rows[k]
        if t == "string":
            out[k] = kol.astype(object).where(kol.notna(), "").astype(str)
            continue
        num = pd.to_numeric(kol.astype(object), errors="coerce")
        slecht = kol.notna().to_numpy() & num.isna().to_numpy()
        if t == "int64":
            vast = num.notna().to_numpy()
            slecht |= vast & (num.to_numpy(dtype=float, na_value=np.nan) % 1 != 0)
        if slecht.any():
            i = int(np.flatnonzero(slecht)[0])
            soort = "een geheel getal" if t == "int64" else "een getal"
            raise KennisbankFout(f"kolom {k}: verwacht {soort}, kreeg {str(kol.iloc[i])[:60]!r} (rij {i + 1} van de effecten)")
        out[k] = num.fillna(-1).astype("int64") if t == "int64" else num.astype("float64")
    return out


def _exclusief_kopieer(bron: Path, doel: Path) -> bool:
    """Copy ``bron`` to a new file ``doel`` (False if ``doel`` exists); a failed copy leaves no ``doel``."""
    try:
        fd = os.open(doel, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(bron.read_bytes())
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        doel.unlink(missing_ok=True)
        raise
    return True


class Kennisbank:
    """A kennisbank folder. Create or open with :func:`open_kennisbank`."""

    def __init__(self, pad: Path):
        self.pad = Path(pad)
        self.runs = self.pad / "runs"

    # -- writing ---------------------------------------------------------------------------------
    def voeg_toe(
        self,
        effecten: pd.DataFrame,
        manifest: Mapping[str, Any],
        *,
        periode: tuple[str, str] | None = None,
        gemeenten: list[str] | None = None,
        drempel: int = DREMPEL,
        bron: str | Path = "manifest",
    ) -> Toevoeging:
        """Add the estimates of one evaluation run (append-only; a re-run of the same manifest is skipped).

        Only aggregates that pass disclosure control are stored: rows resting on fewer than ``drempel``
        participants are left out (and counted); an event count below ``drempel`` (or with fewer than
        ``drempel`` participants without the event) is stored as unknown (-1).

        Parameters
        ----------
        effecten : DataFrame
            The run's effects (columns as in 'Effect results on disk', CONTRIBUTING.md).
        manifest : mapping
            The run's manifest; it must carry provenance (see :func:`evaluatie.kennisbank.run.controleer_manifest`)
            and a data period (``config.waarnemingsperiode``) unless ``periode`` is given.
        periode, gemeenten : optional
            Override what the manifest says.
        drempel : int
            Disclosure threshold.
        bron : path or str
            Where the manifest came from (named in messages).

        Raises
        ------
        KennisbankFout
            Manifest without provenance or period, missing columns, values that do not fit, or a store
            that cannot be written.
        """
        if isinstance(drempel, bool) or not isinstance(drempel, (int, np.integer)) or drempel < MIN_DREMPEL:
            raise KennisbankFout(f"drempel: verwacht een geheel getal >= {MIN_DREMPEL}, kreeg {drempel!r}")
        manifest = controleer_manifest(manifest, bron)
        missing = [c for c in _VERPLICHT_IN if c not in effecten.columns]
        if missing:
            raise KennisbankFout(f"resultaten missen kolommen {', '.join(missing)} (zie 'Effect results on disk' in CONTRIBUTING.md)")
        run_id = _run_id(manifest)
        doel = self.runs / f"{run_id}.parquet"
        if doel.exists():
            return Toevoeging(run_id, False, 0, 0, doel, drempel)
        cfg = manifest["config"]
        if periode is None:
            periode = _periode(cfg.get("waarnemingsperiode"))
            if not all(periode):
                raise KennisbankFout(f"{bron}: config.waarnemingsperiode ontbreekt of is onleesbaar; zonder periode is een "
                                     "schatting in de kennisbank niet te plaatsen")
        if gemeenten is None:  # `evaluatie analyseer` writes them at the manifest's top level
            gemeenten = [str(g) for g in (cfg.get("gemeenten") or manifest.get("gemeenten") or [])]
        rows = _kolommen_voor_opslag(effecten.reset_index(drop=True))
        rows["subgroep"] = rows["subgroep"].replace("", HELE_CEL)
        b = beveilig_schattingen(rows, "n_deelnemers", ["schatting", "se", "ci_laag", "ci_hoog"], drempel=drempel)
        out = rows[~b.onderdrukt["n_deelnemers"].to_numpy()].copy()
        ev, n = out["n_gebeurtenissen"], out["n_deelnemers"]
        out.loc[(ev >= 0) & ((ev < drempel) | (n - ev < drempel)), "n_gebeurtenissen"] = -1
        out["run_id"] = run_id
        out["manifest_hash"] = str(manifest["manifest_hash"])
        out["periode_start"], out["periode_eind"] = periode
        out["gemeenten"] = ",".join(sorted(gemeenten))
        out["pakketversie"] = str(manifest["versions"].get("evaluatie", __version__))
        out = out.sort_values(_SLEUTEL, kind="mergesort").reset_index(drop=True)
        invoer, inhoud = _invoer_hash(manifest, periode), _inhoud_hash(out)
        dubbel = self._zelfde_run(invoer, inhoud)
        if dubbel is not None:
            return Toevoeging(run_id, False, 0, 0, self.runs / f"{dubbel[0]}.parquet", drempel, dubbel[0], dubbel[1])
        meta = {_META_KEY: str(SCHEMA_VERSIE).encode(), _INHOUD_KEY: inhoud.encode()}
        if invoer is not None:
            meta[_INVOER_KEY] = invoer.encode()
        tabel = pa.Table.from_pandas(out, preserve_index=False)
        tabel = tabel.replace_schema_metadata({**(tabel.schema.metadata or {}), **meta})
        tmp = self.runs / f".tmp-{run_id}-{os.getpid()}-{secrets.token_hex(4)}"  # unique per writer, also per thread
        try:
            self.runs.mkdir(parents=True, exist_ok=True)
            pq.write_table(tabel, tmp)
            try:
                os.link(tmp, doel)  # atomic and exclusive: a concurrent writer of the same run gets FileExistsError
                nieuw = True
            except FileExistsError:
                nieuw = False
            except OSError:  # a file system without hard links (some network shares): exclusive create + copy
                nieuw = _exclusief_kopieer(tmp, doel)
        except OSError as e:
            raise KennisbankFout(f"{self.runs}: kan niet schrijven ({e.strerror or e}); niets toegevoegd") from None
        finally:
            tmp.unlink(missing_ok=True)
        return Toevoeging(run_id, nieuw, len(out) if nieuw else 0, int(b.n_primair) if nieuw else 0, doel, drempel)

    def _zelfde_run(self, invoer: str | None, inhoud: str) -> tuple[str, str] | None:
        """An already stored run with the same input data and period, or the same estimates: (run_id, why)."""
        for f in sorted(self.runs.glob("*.parquet")):
            try:
                meta = pq.read_schema(f).metadata or {}
                if invoer is not None and meta.get(_INVOER_KEY) == invoer.encode():
                    return f.stem, "dezelfde invoergegevens en periode"
                bestaand = meta[_INHOUD_KEY].decode() if _INHOUD_KEY in meta else _inhoud_hash(self._lees_bestand(f))
            except (KennisbankFout, pa.ArrowException, OSError, ValueError, KeyError):
                continue  # a damaged file is reported when the store is read, it never blocks adding a run
            if bestaand == inhoud:
                return f.stem, "dezelfde schattingen"
        return None

    # -- reading ---------------------------------------------------------------------------------
    def _lees_bestand(self, f: Path) -> pd.DataFrame:
        try:
            t = pq.read_table(f)
        except (pa.ArrowException, OSError, ValueError) as e:
            raise KennisbankFout(f"geen leesbaar Parquet-bestand (afgebroken of beschadigd: {str(e)[:120]})") from None
        meta = t.schema.metadata or {}
        if _META_KEY not in meta:
            raise KennisbankFout("geen kennisbank-bestand (schemaversie ontbreekt)")
        try:
            versie = int(meta[_META_KEY])
        except ValueError:
            raise KennisbankFout(f"onleesbare schemaversie {meta[_META_KEY][:20]!r}") from None
        df = _migreer(t.to_pandas(), versie)
        if "subgroep" not in df.columns:  # stored before subgroups existed: the whole cell
            df["subgroep"] = HELE_CEL
        ontbreekt = [k for k in KOLOMMEN if k not in df.columns]
        if ontbreekt:
            raise KennisbankFout(f"kolommen {', '.join(ontbreekt)} ontbreken")
        fout_type = [f"{k} ({df[k].dtype})" for k, t in KOLOMMEN.items() if t != "string" and not pd.api.types.is_numeric_dtype(df[k])]
        if fout_type:
            raise KennisbankFout(f"kolommen {', '.join(fout_type)} zijn niet numeriek")
        return df

    def lees_alles(self, *, instrument: str | None = None, categorie: str | None = None) -> Leesresultaat:
        """All stored estimates (optionally filtered), oldest data period first, and the run files skipped.

        A run file that cannot be read is skipped and named in ``overgeslagen``; it never stops the
        rest of the store from being read.
        """
        delen, overgeslagen = [], []
        for f in sorted(self.runs.glob("*.parquet")):
            try:
                delen.append(self._lees_bestand(f))
            except KennisbankFout as e:
                overgeslagen.append(Overgeslagen(f, str(e)))
        if not delen:
            df = pd.DataFrame({k: pd.Series(dtype=t if t != "string" else object) for k, t in KOLOMMEN.items()})
        else:
            df = pd.concat(delen, ignore_index=True)
        if instrument is not None:
            df = df[df["instrument"] == instrument]
        if categorie is not None:
            df = df[df["categorie"] == categorie]
        df = df.sort_values([*_SLEUTEL, "periode_eind", "run_id"], kind="mergesort").reset_index(drop=True)
        return Leesresultaat(df, tuple(overgeslagen))

    def lees(self, *, instrument: str | None = None, categorie: str | None = None) -> pd.DataFrame:
        """All stored estimates (optionally filtered), oldest data period first.

        Run files that cannot be read are skipped with a :class:`UserWarning` naming each (use
        :meth:`lees_alles` to get them as data).
        """
        r = self.lees_alles(instrument=instrument, categorie=categorie)
        for o in r.overgeslagen:
            warnings.warn(o.summary(), UserWarning, stacklevel=2)
        return r.schattingen

    def run_ids(self) -> list[str]:
        return sorted(p.stem for p in self.runs.glob("*.parquet"))


def _lees_info(info: Path) -> dict[str, Any]:
    try:
        meta = json.loads(info.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise KennisbankFout(f"{info}: beschadigd, geen geldige JSON ({str(e)[:120]}); herstel het bestand naar "
                             f'{{"formaat": "{FORMAAT}", "schema_versie": {SCHEMA_VERSIE}}} of verwijder het '
                             "(het wordt dan opnieuw gemaakt); de runs in runs/ blijven bewaard") from None
    except OSError as e:
        raise KennisbankFout(f"{info}: niet te lezen ({e.strerror or e})") from None
    if not isinstance(meta, dict) or meta.get("formaat") != FORMAAT:
        raise KennisbankFout(f"{info.parent} is geen kennisbank ({info.name} zonder formaat {FORMAAT!r})")
    versie = meta.get("schema_versie", 0)
    if isinstance(versie, bool) or not isinstance(versie, int):
        raise KennisbankFout(f"{info}: schema_versie: verwacht een geheel getal, kreeg {str(versie)[:40]!r}")
    return meta


def open_kennisbank(pad: str | Path, *, maak: bool = True) -> Kennisbank:
    """Open (and by default create) a kennisbank folder, checking its format and schema version.

    Raises
    ------
    KennisbankFout
        A damaged or foreign ``kennisbank.json`` (named, with what to do), a newer schema version, no
        kennisbank while ``maak`` is false, or a folder that cannot be created.
    """
    pad = Path(pad)
    info = pad / "kennisbank.json"
    if info.exists():
        meta = _lees_info(info)
        if meta["schema_versie"] > SCHEMA_VERSIE:
            raise KennisbankFout(f"{pad} is geschreven met schemaversie {meta['schema_versie']}; deze versie kent t/m {SCHEMA_VERSIE}")
    elif maak:
        if pad.exists() and not pad.is_dir():
            raise KennisbankFout(f"{pad} is een bestand, geen map voor een kennisbank")
        try:
            pad.mkdir(parents=True, exist_ok=True)
            (pad / "runs").mkdir(exist_ok=True)
            tmp = pad / f".kennisbank.json.{os.getpid()}"
            tmp.write_text(json.dumps({"formaat": FORMAAT, "schema_versie": SCHEMA_VERSIE}, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, info)
        except OSError as e:
            raise KennisbankFout(f"{pad}: kan de kennisbank niet maken ({e.strerror or e})") from None
    else:
        raise KennisbankFout(f"geen kennisbank in {pad} (maak er een met 'evaluatie kennisbank voeg-toe')")
    return Kennisbank(pad)
