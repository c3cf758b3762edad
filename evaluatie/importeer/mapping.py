"""Reviewable mapping files: a value as the source system writes it → our value.

A mapping file is a small CSV (UTF-8, ``,``) that a researcher can read and correct without touching
code, with the columns ``bron`` (the source value), ``doel`` (our value) and ``toelichting`` (why). The
package ships its defaults in ``evaluatie/data/`` (e.g. ``vng_dsh_reden_einde.csv``); a user may pass an
own file instead.

Source values are matched after :func:`normaliseer` (case-insensitive, surrounding and repeated spaces
ignored), so ``"Werk  in loondienst "`` matches ``werk in loondienst``. A source value that is not in the
file is **never guessed**: :func:`pas_toe` reports it (value and count) and leaves the decision to the
caller.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping as _Mapping

import numpy as np
import pandas as pd

KOLOMMEN: tuple[str, ...] = ("bron", "doel", "toelichting")
"""Columns of a mapping file, in order."""


class Mappingfout(ValueError):
    """A mapping file is malformed: names the file, row (header = row 1), value and what was expected."""


def normaliseer(waarden: pd.Series) -> pd.Series:
    """Normalise source values for matching: text, stripped, internal whitespace collapsed, case-folded.

    Missing values (NaN/None) become ``""``.
    """
    t = waarden.astype(object).where(waarden.notna(), "").astype(str)
    return t.str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def _norm1(x: str) -> str:
    return normaliseer(pd.Series([x])).iloc[0]


@dataclass(frozen=True)
class Mapping:
    """A loaded mapping: normalised source value → our value.

    Attributes
    ----------
    naam : str
        File name as shown in messages.
    regels : DataFrame
        The rows as in the file (``bron``, ``doel``, ``toelichting``), in file order, plus ``rij``.
    """

    naam: str
    regels: pd.DataFrame

    @property
    def woordenboek(self) -> dict[str, str]:
        """Normalised ``bron`` → ``doel``."""
        return dict(zip(normaliseer(self.regels["bron"]), self.regels["doel"]))

    def to_frame(self) -> pd.DataFrame:
        """The rows as in the file (without the row numbers)."""
        return self.regels.loc[:, list(KOLOMMEN)].copy()

    def summary(self) -> str:
        doelen = self.regels["doel"].value_counts().sort_index()
        return f"Mapping {self.naam}: {len(self.regels)} regels → " + ", ".join(f"{d} ({n})" for d, n in doelen.items())


def _pad(bron: str | Path) -> tuple[str, str]:
    """Text and display name of a mapping file: a path, or the name of a file in ``evaluatie/data``."""
    p = Path(bron)
    if p.is_file():
        return p.read_text(encoding="utf-8-sig"), p.name
    naam = p.name if p.suffix else f"{p.name}.csv"
    try:
        return resources.files("evaluatie.data").joinpath(naam).read_text(encoding="utf-8"), naam
    except FileNotFoundError:
        raise Mappingfout(f"{bron}: mappingbestand niet gevonden (geen bestand, en niet in evaluatie/data)") from None


def lees_mapping(bron: str | Path, *, toegestaan: Iterable[str] | None = None) -> Mapping:
    """Load a mapping file.

    Parameters
    ----------
    bron : str or Path
        A path to a CSV file, or the name of a file shipped in ``evaluatie/data`` (``"vng_dsh_reden_einde"``).
    toegestaan : iterable of str, optional
        Allowed ``doel`` values (e.g. the schema's enum); any other value is an error.

    Returns
    -------
    Mapping

    Raises
    ------
    Mappingfout
        Missing columns, empty ``bron`` or ``doel``, a ``doel`` not allowed, or one source value mapped to
        two different values. The message names file, row, value and what was expected.
    """
    tekst, naam = _pad(bron)
    df = pd.read_csv(io.StringIO(tekst), dtype=str, keep_default_na=False)
    ontbreekt = [k for k in ("bron", "doel") if k not in df.columns]
    if ontbreekt:
        raise Mappingfout(f"{naam}: kolom(men) {', '.join(ontbreekt)} ontbreken; verwacht kopregel {','.join(KOLOMMEN)}")
    if "toelichting" not in df.columns:
        df["toelichting"] = ""
    df = df.loc[:, list(KOLOMMEN)].apply(lambda s: s.str.strip())
    df["rij"] = np.arange(2, len(df) + 2)
    for veld in ("bron", "doel"):
        leeg = df[veld] == ""
        if leeg.any():
            r = int(df.loc[leeg, "rij"].iloc[0])
            raise Mappingfout(f"{naam}, rij {r}, veld {veld}: leeg; verwacht een waarde")
    if toegestaan is not None:
        ok = set(toegestaan)
        fout = ~df["doel"].isin(ok)
        if fout.any():
            r = df.loc[fout].iloc[0]
            raise Mappingfout(
                f"{naam}, rij {r['rij']}, veld doel: waarde {r['doel']!r}; verwacht een van {', '.join(sorted(ok))}"
            )
    sleutel = normaliseer(df["bron"])
    doelen = df.groupby(sleutel, sort=False)["doel"].nunique()
    dubbel = doelen[doelen > 1]
    if len(dubbel):
        k = dubbel.index[0]
        rijen = df.loc[sleutel == k, ["rij", "doel"]]
        lijst = "; ".join(f"rij {r} → {d}" for r, d in rijen.itertuples(index=False))
        raise Mappingfout(f"{naam}, veld bron: waarde {k!r} staat er meer dan eens met verschillende doelen ({lijst})")
    return Mapping(naam=naam, regels=df.reset_index(drop=True))


def schrijf_mapping(mapping: Mapping | _Mapping[str, str], pad: str | Path, toelichting: str = "") -> Path:
    """Write a mapping file (``bron,doel,toelichting``, UTF-8, ``\\n``) that :func:`lees_mapping` reads back."""
    if isinstance(mapping, Mapping):
        df = mapping.to_frame()
    else:
        df = pd.DataFrame({"bron": list(mapping), "doel": list(mapping.values()), "toelichting": toelichting})
    pad = Path(pad)
    pad.write_text(df.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL), encoding="utf-8")
    return pad


@dataclass(frozen=True)
class Toegepast:
    """Result of applying a mapping to a column.

    Attributes
    ----------
    waarde : Series
        Our value where the source value was mapped, ``None`` elsewhere (same index as the input).
    gemapt : ndarray of bool
        Source value found in the mapping.
    niet_gemapt : DataFrame
        One row per distinct unmapped source value: ``waarde`` (as in the source, first spelling seen),
        ``aantal``; most frequent first, ties in order of first appearance.
    """

    waarde: pd.Series
    gemapt: np.ndarray
    niet_gemapt: pd.DataFrame


def pas_toe(waarden: pd.Series, mapping: Mapping, *, negeer: np.ndarray | None = None) -> Toegepast:
    """Map a column through a mapping; report (never guess) values that are not in it.

    Parameters
    ----------
    waarden : Series
        Source values.
    mapping : Mapping
    negeer : ndarray of bool, optional
        Rows to leave out (neither mapped nor reported), e.g. empty values handled by the caller.
    """
    sleutel = normaliseer(waarden)
    woorden = mapping.woordenboek
    doel = sleutel.map(woorden)
    gemapt = doel.notna().to_numpy()
    telt = ~gemapt if negeer is None else (~gemapt & ~np.asarray(negeer, dtype=bool))
    if telt.any():
        s = pd.DataFrame({"k": sleutel[telt].to_numpy(), "waarde": waarden[telt].astype(str).str.strip().to_numpy()})
        g = s.groupby("k", sort=False).agg(waarde=("waarde", "first"), aantal=("waarde", "size")).reset_index(drop=True)
        g["_volg"] = np.arange(len(g))
        niet = g.sort_values(["aantal", "_volg"], ascending=[False, True], kind="mergesort").drop(columns="_volg")
    else:
        niet = pd.DataFrame({"waarde": pd.Series(dtype=object), "aantal": pd.Series(dtype="int64")})
    out = doel.astype(object).where(gemapt, None)
    return Toegepast(waarde=out, gemapt=gemapt, niet_gemapt=niet.reset_index(drop=True))
