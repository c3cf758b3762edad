"""Reading one run folder for the kennisbank: its manifest (checked for provenance and completeness) and its effects.

Layouts, newest first:

- the one writer (issue 15): ``OUT/manifest.json`` with ``voltooid: true`` and ``uitvoer`` hashes, effects in
  ``OUT/intern/effecten.parquet``;
- ``evaluatie analyseer`` before that: ``OUT/effecten.parquet``;
- ``evaluatie rapport`` before that: ``OUT/tabellen/effecten.parquet``.

A run in the new layout that is not marked complete, or whose effects file is not the one its manifest
lists, is refused: it may be a half-written run or new tables next to an old manifest.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evaluatie.kennisbank.fouten import KennisbankFout

#: Where a run's effects may be, newest layout first (paths relative to the run folder).
EFFECTEN_PADEN: tuple[str, ...] = ("intern/effecten.parquet", "effecten.parquet", "tabellen/effecten.parquet")

#: Manifest keys without which a stored estimate has no provenance.
HERKOMST: tuple[str, ...] = ("manifest_hash", "config", "versions")


@dataclass(frozen=True)
class Runinvoer:
    """One run folder as read for the kennisbank.

    Attributes
    ----------
    effecten : DataFrame
        The effects table as written by the run.
    manifest : dict
        The run's manifest (checked by :func:`controleer_manifest`).
    effecten_pad, manifest_pad : Path
        The files read.
    nieuwe_indeling : bool
        The run was written by the one writer (``intern/``, ``voltooid``).
    """

    effecten: pd.DataFrame
    manifest: dict[str, Any]
    effecten_pad: Path
    manifest_pad: Path
    nieuwe_indeling: bool


def _sha256(pad: Path) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as fh:
        while b := fh.read(1 << 20):
            h.update(b)
    return h.hexdigest()


def is_nieuwe_indeling(manifest: Mapping[str, Any], map_: Path | None = None) -> bool:
    """Whether a manifest (and its folder) come from the one writer: it lists ``uitvoer`` or ``voltooid``,
    or the folder has ``intern/``."""
    return "voltooid" in manifest or "uitvoer" in manifest or (map_ is not None and (map_ / "intern").is_dir())


def controleer_manifest(manifest: Any, bron: str | Path = "manifest") -> dict[str, Any]:
    """Check that a manifest gives a stored estimate its provenance.

    Parameters
    ----------
    manifest : object
        The parsed ``manifest.json``.
    bron : path or str
        Named in messages.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    KennisbankFout
        When it is not an object, misses one of :data:`HERKOMST`, has a ``manifest_hash`` that is not a
        SHA-256 hex digest, a ``config`` or ``versions`` that is not an object, or (new layout) is not
        marked ``voltooid: true``.
    """
    if not isinstance(manifest, Mapping):
        raise KennisbankFout(f"{bron}: verwacht een JSON-object (het manifest van een run), kreeg {type(manifest).__name__}")
    ontbreekt = [k for k in HERKOMST if k not in manifest]
    if ontbreekt:
        raise KennisbankFout(f"{bron}: manifest mist {', '.join(ontbreekt)}; zonder herkomst wordt een run niet opgeslagen "
                             "(gebruik de map die 'evaluatie analyseer' of 'evaluatie rapport' schreef)")
    h = manifest["manifest_hash"]
    if not isinstance(h, str) or not re.fullmatch(r"[0-9a-f]{64}", h):
        raise KennisbankFout(f"{bron}: manifest_hash: verwacht een SHA-256 (64 hexadecimale tekens), kreeg {str(h)[:80]!r}")
    for k in ("config", "versions"):
        if not isinstance(manifest[k], Mapping):
            raise KennisbankFout(f"{bron}: {k}: verwacht een JSON-object, kreeg {str(manifest[k])[:80]!r}")
    if is_nieuwe_indeling(manifest) and manifest.get("voltooid") is not True:
        raise KennisbankFout(f"{bron}: de run is niet afgemaakt (manifest zonder \"voltooid\": true); "
                             "draai de evaluatie opnieuw en voeg dan de nieuwe map toe")
    return dict(manifest)


def lees_run(map_: str | Path) -> Runinvoer:
    """Read a run folder written by ``evaluatie analyseer`` or ``evaluatie rapport`` (any layout).

    Parameters
    ----------
    map_ : path
        The run's output folder.

    Returns
    -------
    Runinvoer

    Raises
    ------
    KennisbankFout
        Naming the file and what is wrong: no manifest or effects, unreadable JSON or Parquet, a
        manifest without provenance, a half-written run, or an effects file whose hash differs from the
        one in the manifest's ``uitvoer``.
    """
    map_ = Path(map_)
    man = map_ / "manifest.json"
    if not man.is_file():
        hint = (f"; geef de uitvoermap zelf ({map_.parent}), niet {map_.name}/" if (map_.parent / "manifest.json").is_file()
                else "")
        raise KennisbankFout(f"{man} ontbreekt: verwacht de uitvoermap van 'evaluatie analyseer' of 'evaluatie rapport'{hint}")
    try:
        manifest = json.loads(man.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise KennisbankFout(f"{man}: geen UTF-8-tekst; het manifest is beschadigd") from None
    except json.JSONDecodeError as e:
        raise KennisbankFout(f"{man}: geen geldige JSON (regel {e.lineno}, kolom {e.colno}: {e.msg}); "
                             "het manifest is beschadigd of half geschreven") from None
    except OSError as e:
        raise KennisbankFout(f"{man}: niet te lezen ({e.strerror})") from None
    nieuw = is_nieuwe_indeling(manifest, map_) if isinstance(manifest, Mapping) else False
    if nieuw and isinstance(manifest, Mapping) and manifest.get("voltooid") is not True:
        raise KennisbankFout(f"{man}: de run is niet afgemaakt (manifest zonder \"voltooid\": true); "
                             "draai de evaluatie opnieuw en voeg dan de nieuwe map toe")
    manifest = controleer_manifest(manifest, man)
    kandidaten = EFFECTEN_PADEN[:1] if nieuw else EFFECTEN_PADEN
    eff = next((map_ / p for p in kandidaten if (map_ / p).is_file()), None)
    if eff is None:
        raise KennisbankFout(f"{map_}: geen {' of '.join(kandidaten)}; verwacht de uitvoermap van 'evaluatie analyseer' "
                             "of 'evaluatie rapport' (met effecten)")
    uitvoer = manifest.get("uitvoer")
    if isinstance(uitvoer, Mapping) and uitvoer:
        rel = eff.relative_to(map_).as_posix()
        lijst = {str(k).replace("\\", "/").removeprefix("./"): v for k, v in uitvoer.items()}
        if rel not in lijst:
            raise KennisbankFout(f"{eff}: staat niet in de uitvoer van {man}; het hoort niet bij deze run")
        if _sha256(eff) != lijst[rel]:
            raise KennisbankFout(f"{eff}: inhoud past niet bij {man} (andere SHA-256); de tabellen zijn na het manifest "
                                 "veranderd of half geschreven — draai de evaluatie opnieuw")
    try:
        effecten = pq.read_table(eff).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as e:
        raise KennisbankFout(f"{eff}: geen leesbaar Parquet-bestand ({str(e)[:200]}); het is beschadigd of half geschreven") from None
    from evaluatie.kennisbank.opslag import _VERPLICHT_IN

    mist = [c for c in _VERPLICHT_IN if c not in effecten.columns]
    if mist:
        raise KennisbankFout(f"{eff}: kolom(men) {', '.join(mist)} ontbreken; verwacht de effecten van 'evaluatie analyseer' "
                             "(zie 'Effect results on disk' in CONTRIBUTING.md)")
    sub = map_ / "intern" / "subgroepen.parquet"
    if nieuw and sub.is_file():  # issue 19: subgroup estimates as rows keyed by subgroep
        rel = sub.relative_to(map_).as_posix()
        lijst = {str(k).replace("\\", "/").removeprefix("./"): v for k, v in (uitvoer or {}).items()} \
            if isinstance(uitvoer, Mapping) else {}
        if rel in lijst and _sha256(sub) != lijst[rel]:
            raise KennisbankFout(f"{sub}: inhoud past niet bij {man} (andere SHA-256); draai de evaluatie opnieuw")
        try:
            effecten = pd.concat([effecten, subgroeprijen(pq.read_table(sub).to_pandas())], ignore_index=True)
        except (pa.ArrowException, OSError, ValueError) as e:
            raise KennisbankFout(f"{sub}: geen leesbaar Parquet-bestand ({str(e)[:200]})") from None
    return Runinvoer(effecten, manifest, eff, man, nieuw)


def subgroeprijen(sub: pd.DataFrame) -> pd.DataFrame:
    """The estimated subgroup effects (``att_subgroep``) of a run as effect rows with ``subgroep`` =
    ``"<indeling>: <subgroep>"`` (events are not published per subgroup: ``n_gebeurtenissen`` unknown)."""
    g = sub[(sub["status"] == "geschat") & (sub["maat"] == "att_subgroep")]
    return pd.DataFrame({"instrument": g["instrument"], "categorie": g["categorie"], "uitkomst": "werk", "maat": "att",
                         "horizon": g["horizon"], "schatting": g["schatting"], "se": g["se"], "ci_laag": g["ci_laag"],
                         "ci_hoog": g["ci_hoog"], "n_deelnemers": g["n_deelnemers"], "n_gebeurtenissen": -1,
                         "methode": g["methode"], "vlag": "",
                         "subgroep": g["indeling"].astype(str) + ": " + g["subgroep"].astype(str)}).reset_index(drop=True)
