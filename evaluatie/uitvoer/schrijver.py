"""The one writer: every command's results go to disk through :func:`schrijf_uitvoer` / :class:`Schrijfmap`.

Layout (the same for every command)::

    OUT/manifest.json    commando, inputs (hashes from validation), config, seed, versions, manifest_hash,
                         uitvoer {relpath: sha256 of every file}, voltooid: true (written last)
    OUT/publiceerbaar/   disclosure-controlled: rapport.html, figures, tabellen/<naam>.csv
    OUT/intern/          NIET PUBLICEREN: full-detail <naam>.csv + <naam>.parquet, validatie/
    OUT/LEESMIJ.txt      which folder is which

Everything is written into a temporary sibling folder and moved into place when complete.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from evaluatie.manifest import build_manifest, sha256_file, write_manifest
from evaluatie.uitvoer.atomair import atomaire_map
from evaluatie.uitvoer.beveiliging import DREMPEL, Tabelspec, beveilig, controleer
from evaluatie.uitvoer.overlap import UitvoerFout, controleer_doel, weiger_overlap

PUBLICEERBAAR = "publiceerbaar"
INTERN = "intern"
FLOAT_FORMAT = "%.10g"

#: Figures or texts made from the *protected* tables: ``f(beveiligde_tabellen, pad)`` writes the file.
Afgeleid = Callable[[Mapping[str, pd.DataFrame], Path], None]

LEESMIJ = (
    "Deze map is geschreven door 'evaluatie {commando}'. publiceerbaar/ bevat alleen uitvoer na "
    "onthullingscontrole (geen cel over minder dan {drempel} personen, geen cliëntnummers): het rapport, de "
    "figuren en tabellen/ mogen naar de raad. intern/ bevat de volledige tabellen (CSV en Parquet) en "
    "validatie/ met afgekeurde rijen: NIET PUBLICEREN, alleen voor de analist. manifest.json noemt de "
    "invoer (SHA-256), de instellingen, de versies en de hash van elk geschreven bestand; 'voltooid: true' "
    "betekent dat de run volledig is geschreven.\n"
)


@dataclass(frozen=True)
class Uitvoer:
    """Everything one command writes, handed to the writer as one object.

    Attributes
    ----------
    commando : str
        The command (``analyseer``, ``rapport``, …); stored in the manifest.
    inputs : dict[str, str]
        Input file → SHA-256, as validation computed them (:attr:`Validatieresultaat.invoer`).
    config : dict
        The settings that produced the numbers.
    seed : int or None
    publiceerbaar : dict[str, (DataFrame, Tabelspec)]
        Tables for ``publiceerbaar/tabellen/<naam>.csv``; the writer applies disclosure control.
    intern : dict[str, DataFrame]
        Full-detail tables for ``intern/<naam>.csv`` and ``.parquet``.
    afgeleid : dict[str, Afgeleid]
        Files under ``publiceerbaar/`` (relative path → writer function) made from the protected tables,
        e.g. figures and the summary text.
    bestanden : dict[str, str | bytes]
        Other files by path relative to OUT (must start with ``publiceerbaar/`` or ``intern/``), e.g. the
        rendered ``publiceerbaar/rapport.html`` (already checked by the report) or ``intern/samenvatting.txt``.
    validatie : Validatieresultaat, optional
        Written to ``intern/validatie/`` (rejected rows with reasons, findings, reconciliation).
    met_geaccepteerd : bool
        Also write the accepted rows (``intern/validatie/<tabel>.parquet``), as ``valideer`` does.
    client_ids : tuple of str
        Ids that may not occur in any published table.
    drempel : int
        Disclosure threshold.
    extra : dict
        Further manifest keys (e.g. ``gemeenten``, ``n_clienten`` for the kennisbank).
    """

    commando: str
    inputs: Mapping[str, str]
    config: Mapping[str, Any]
    seed: int | None = None
    publiceerbaar: Mapping[str, tuple[pd.DataFrame, Tabelspec]] = field(default_factory=dict)
    intern: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    afgeleid: Mapping[str, Afgeleid] = field(default_factory=dict)
    bestanden: Mapping[str, str | bytes] = field(default_factory=dict)
    validatie: Any = None
    met_geaccepteerd: bool = False
    client_ids: tuple[str, ...] = ()
    drempel: int = DREMPEL
    extra: Mapping[str, Any] = field(default_factory=dict)

    def manifest_kern(self) -> dict[str, Any]:
        """The manifest as far as it is known before writing (with ``manifest_hash``; no output hashes).

        The report shows it; the writer extends exactly this dict, so both carry the same hash.
        """
        return build_manifest(inputs=dict(sorted(self.inputs.items())), config=dict(self.config), seed=self.seed,
                              extra={"commando": self.commando, **dict(self.extra)})


@dataclass(frozen=True)
class Geschreven:
    """What the writer produced: the final folder, the manifest and the files (relative paths)."""

    out: Path
    manifest: dict[str, Any]
    bestanden: tuple[str, ...]
    beveiligd: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def pad(self, relpad: str) -> Path:
        """Absolute path of one written file."""
        return self.out / relpad

    @property
    def rapport(self) -> Path:
        """``OUT/publiceerbaar/rapport.html``."""
        return self.out / PUBLICEERBAAR / "rapport.html"


def schrijf_tabel(df: pd.DataFrame, pad: Path, *, parquet: bool = True) -> list[Path]:
    """Write one table as CSV (``%.10g``, ``\\n``) and, unless ``parquet=False``, as Parquet."""
    pad.parent.mkdir(parents=True, exist_ok=True)
    df = df.reset_index(drop=True)
    csv = pad.with_suffix(".csv")
    df.to_csv(csv, index=False, float_format=FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
    paden = [csv]
    if parquet:
        pq = pad.with_suffix(".parquet")
        df.to_parquet(pq, index=False)
        paden.append(pq)
    return paden


def _validatie(val: Any, map_: Path, met_geaccepteerd: bool) -> None:
    from evaluatie.validatie.bevindingen import KOLOMMEN

    map_.mkdir(parents=True, exist_ok=True)
    if met_geaccepteerd:
        for t, df in val.geaccepteerd.items():
            df.to_parquet(map_ / f"{t}.parquet", index=False)
    for t, df in val.afgekeurd.items():
        df.to_csv(map_ / f"afgekeurd_{t}.csv", index=False, encoding="utf-8", lineterminator="\n")
    val.bevindingen.loc[:, list(KOLOMMEN)].to_csv(map_ / "bevindingen.csv", index=False, encoding="utf-8",
                                                   lineterminator="\n")
    val.reconciliatie().to_csv(map_ / "reconciliatie.csv", index=False, encoding="utf-8", lineterminator="\n")


def _veilig_relpad(rel: str) -> Path:
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts or not p.parts or p.parts[0] not in (PUBLICEERBAAR, INTERN):
        raise ValueError(f"uitvoerbestand {rel!r}: verwacht een pad onder {PUBLICEERBAAR}/ of {INTERN}/")
    return p


class Schrijfmap:
    """Context manager for one run's output folder, written atomically.

    Use it when a step must put files in the run before the results are known (the demo's simulated
    data go to ``intern/data``); otherwise :func:`schrijf_uitvoer` is simpler.

    Parameters
    ----------
    out : Path
        Final output folder.
    commando : str
        Command name (for the overwrite rule and the manifest).
    invoer : iterable of Path
        Inputs the output may not overlap with (see :func:`weiger_overlap`).
    overschrijf : bool
        Replace a folder that holds other data.

    Examples
    --------
    >>> with Schrijfmap(out, "demo") as s:             # doctest: +SKIP
    ...     data = s.map("intern/data")                # simulate into the run
    ...     s.schrijf(Uitvoer(commando="demo", ...))
    """

    def __init__(self, out: str | Path, commando: str, *, invoer: Iterable[Path] = (), overschrijf: bool = False,
                 ook: Iterable[str] = ()) -> None:
        self.out = Path(out)
        self.commando = commando
        weiger_overlap(self.out, list(invoer))
        controleer_doel(self.out, commando, overschrijf=overschrijf, ook=ook)
        self._cm = atomaire_map(self.out)
        self.tmp: Path | None = None
        self.resultaat: Geschreven | None = None

    def __enter__(self) -> "Schrijfmap":
        self.tmp = self._cm.__enter__()
        return self

    def __exit__(self, typ, waarde, tb) -> bool:  # noqa: ANN001
        if typ is None and self.resultaat is None:
            fout = UitvoerFout("interne fout: run afgesloten zonder uitvoer; niets geschreven")
            try:
                self._cm.__exit__(UitvoerFout, fout, None)
            finally:
                raise fout
        return bool(self._cm.__exit__(typ, waarde, tb))

    def map(self, relpad: str) -> Path:
        """A folder inside the run being written (created), e.g. ``intern/data``."""
        assert self.tmp is not None, "gebruik Schrijfmap als contextmanager"
        p = self.tmp / _veilig_relpad(relpad)
        p.mkdir(parents=True, exist_ok=True)
        return p

    def definitief(self, relpad: str) -> Path:
        """Where a file of the run will be once it is complete."""
        return self.out / relpad

    def schrijf(self, u: Uitvoer) -> Geschreven:
        """Write all of ``u`` into the run, the manifest last. Moves into place when the block exits."""
        assert self.tmp is not None, "gebruik Schrijfmap als contextmanager"
        tmp = self.tmp
        specs = {k: s for k, (_, s) in u.publiceerbaar.items()}
        beveiligd, totalen = beveilig(u.publiceerbaar, drempel=u.drempel) if u.publiceerbaar else ({}, {})
        fouten = (controleer(beveiligd, specs, drempel=u.drempel, client_ids=u.client_ids, totalen=totalen)
                  if beveiligd else ())
        if fouten:
            raise UitvoerFout("onthullingscontrole afgekeurd, niets geschreven: " + "; ".join(fouten))
        (tmp / PUBLICEERBAAR).mkdir(exist_ok=True)
        (tmp / INTERN).mkdir(exist_ok=True)
        for naam, df in beveiligd.items():
            schrijf_tabel(df, tmp / PUBLICEERBAAR / "tabellen" / naam, parquet=False)
        for rel, maak in u.afgeleid.items():
            p = tmp / PUBLICEERBAAR / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            maak(beveiligd, p)
        for naam, df in u.intern.items():
            schrijf_tabel(df, tmp / INTERN / naam)
        if u.validatie is not None:
            _validatie(u.validatie, tmp / INTERN / "validatie", u.met_geaccepteerd)
        for rel, inhoud in u.bestanden.items():
            p = tmp / _veilig_relpad(rel)
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(inhoud, bytes):
                p.write_bytes(inhoud)
            else:
                p.write_text(inhoud, encoding="utf-8")
        (tmp / "LEESMIJ.txt").write_text(LEESMIJ.format(commando=u.commando, drempel=u.drempel), encoding="utf-8")
        geschreven = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
        manifest = u.manifest_kern()
        manifest["indeling"] = {PUBLICEERBAAR: "na onthullingscontrole; mag gepubliceerd worden",
                                INTERN: "NIET PUBLICEREN: volledige detail"}
        manifest["drempel"] = u.drempel
        manifest["uitvoer"] = {rel: sha256_file(tmp / rel) for rel in geschreven}
        manifest["voltooid"] = True
        write_manifest(tmp / "manifest.json", manifest)
        self.resultaat = Geschreven(self.out, manifest, tuple([*geschreven, "manifest.json"]), beveiligd)
        return self.resultaat


def schrijf_uitvoer(u: Uitvoer, out: str | Path, *, invoer: Iterable[Path] = (), overschrijf: bool = False) -> Geschreven:
    """Write one command's output to ``out`` atomically (see the module docstring for the layout).

    Parameters
    ----------
    u : Uitvoer
        Tables, files and manifest contents.
    out : path
        Final folder; replaced as a whole when the write completes.
    invoer : iterable of Path
        The inputs; ``out`` may not equal, lie inside or contain any of them.
    overschrijf : bool
        Allow replacing a folder with data that is not a previous output of this command.

    Returns
    -------
    Geschreven

    Raises
    ------
    UitvoerFout
        Overlap with the input, a foreign folder, a failed disclosure check or an OS error (Dutch message).
        Nothing is changed at ``out`` in that case.
    """
    with Schrijfmap(out, u.commando, invoer=invoer, overschrijf=overschrijf) as s:
        res = s.schrijf(u)
    return res


def lees_manifest(out: str | Path) -> dict[str, Any]:
    """The manifest of a complete run in ``out`` (raises :class:`UitvoerFout` when absent or unfinished)."""
    p = Path(out) / "manifest.json"
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UitvoerFout(f"{p}: geen leesbaar manifest ({e})") from None
    if not isinstance(m, dict) or m.get("voltooid") is not True:
        raise UitvoerFout(f"{p}: run niet voltooid (geen 'voltooid: true'); draai het commando opnieuw")
    return m
