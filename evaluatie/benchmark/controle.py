"""Input checks for the benchmark: every problem becomes one clear Dutch message.

The benchmark divides by the genormeerd aantal and sums over all gemeenten per year (the NL series),
so it needs a balanced panel: one row per (gemeentecode, jaar), every gemeente in every year, and a
positive norm. These checks run on typed frames (contract "Validated tables") and never mutate them.
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

VERPLICHT: tuple[str, ...] = ("gemeentecode", "gemeentenaam", "jaar", "inwoners", "buig_budget",
                              "genormeerd_aantal", "feitelijk_aantal")
STROMEN: tuple[str, ...] = ("instroom", "uitstroom", "uitstroom_werk")
POORT_VERPLICHT: tuple[str, ...] = ("gemeentecode", "jaar", "meldingen", "toekenningen")
MAX_GENOEMD = 5


class BenchmarkFout(ValueError):
    """Input the benchmark cannot use; the message says what, where and what was expected.

    Parameters
    ----------
    melding : str
        The message (Dutch).
    plaatsen : sequence of (gemeentecode, jaar), optional
        The rows of table ``gemeenten`` the message is about, so that a caller that knows the file rows
        (:attr:`evaluatie.validatie.Validatieresultaat.bronrijen`) can name them.
    veld : str, optional
        The field concerned.
    """

    def __init__(self, melding: str, *, plaatsen: Sequence[tuple[str, int]] = (), veld: str = "") -> None:
        super().__init__(melding)
        self.plaatsen = tuple((str(g), int(j)) for g, j in plaatsen)
        self.veld = veld


def _lijst(items: list[str]) -> str:
    extra = len(items) - MAX_GENOEMD
    s = "; ".join(items[:MAX_GENOEMD])
    return s + (f"; en nog {extra}" if extra > 0 else "")


def controleer_gemeenten(gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Check the ``gemeenten`` table and return a sorted copy with the optional flow columns present.

    Parameters
    ----------
    gemeenten : DataFrame
        Typed table per data_schema/gemeenten.json.

    Returns
    -------
    DataFrame
        Copy sorted by (gemeentecode, jaar); ``instroom``/``uitstroom``/``uitstroom_werk`` added as NaN
        when absent; numeric columns as float.

    Raises
    ------
    BenchmarkFout
        Missing columns, empty table, duplicate (gemeentecode, jaar), a missing year for a gemeente,
        or a norm that is zero or missing.
    """
    if not isinstance(gemeenten, pd.DataFrame) or gemeenten.empty:
        raise BenchmarkFout("tabel gemeenten is leeg: verwacht per gemeente en jaar een rij")
    ontbreekt = [c for c in VERPLICHT if c not in gemeenten.columns]
    if ontbreekt:
        raise BenchmarkFout(
            f"tabel gemeenten mist kolom(men) {', '.join(ontbreekt)}; verwacht: {', '.join(VERPLICHT)}"
        )
    df = gemeenten.copy()
    for c in STROMEN:
        if c not in df.columns:
            df[c] = float("nan")
    df["gemeentecode"] = df["gemeentecode"].astype(str)
    df["jaar"] = pd.to_numeric(df["jaar"]).astype(int)
    num = ["inwoners", "buig_budget", "genormeerd_aantal", "feitelijk_aantal", *STROMEN]
    num += [c for c in df.columns if c.startswith("kenmerk_")]
    for c in num:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)

    dup = df[df.duplicated(["gemeentecode", "jaar"], keep=False)]
    if not dup.empty:
        paren = sorted({f"({g}, {j})" for g, j in zip(dup.gemeentecode, dup.jaar)})
        raise BenchmarkFout(
            f"tabel gemeenten: dubbele rijen voor (gemeentecode, jaar) {_lijst(paren)}; "
            "verwacht precies één rij per gemeente per jaar",
            plaatsen=list(zip(dup.gemeentecode, dup.jaar)), veld="gemeentecode, jaar",
        )

    jaren = sorted(df["jaar"].unique())
    per = df.groupby("gemeentecode")["jaar"].agg(lambda s: set(s))
    mist = []
    for code, js in per.items():
        weg = [str(j) for j in jaren if j not in js]
        if weg:
            mist.append(f"{code} mist {', '.join(weg)}")
    if mist:
        raise BenchmarkFout(
            f"tabel gemeenten: niet elke gemeente heeft elk jaar ({jaren[0]}–{jaren[-1]}): {_lijst(mist)}; "
            "het landelijk totaal en de vergelijkingsgroep vragen alle jaren voor alle gemeenten "
            "(laat een opgeheven gemeente weg of voeg samengevoegde gemeenten samen)"
        )

    for kol in ("genormeerd_aantal", "feitelijk_aantal"):
        slecht = df[df[kol].isna() | (df[kol] <= 0 if kol == "genormeerd_aantal" else df[kol] < 0)]
        if not slecht.empty:
            items = [f"{g} in {j} ({'leeg' if pd.isna(v) else f'{v:g}'})"
                     for g, j, v in zip(slecht.gemeentecode, slecht.jaar, slecht[kol])]
            verwacht = "groter dan 0 (er wordt door gedeeld)" if kol == "genormeerd_aantal" else "0 of meer"
            raise BenchmarkFout(f"tabel gemeenten, veld {kol}: {_lijst(items)}; verwacht een getal {verwacht}",
                                plaatsen=list(zip(slecht.gemeentecode, slecht.jaar)), veld=kol)
    return df.sort_values(["gemeentecode", "jaar"], kind="mergesort").reset_index(drop=True)


def controleer_gemeente(gemeenten: pd.DataFrame, gemeente: str) -> str:
    """Check that ``gemeente`` (a CBS code) occurs in the table; return it.

    Raises
    ------
    BenchmarkFout
        Unknown code; the message suggests close codes and names.
    """
    codes = sorted(gemeenten["gemeentecode"].astype(str).unique())
    if gemeente in codes:
        return gemeente
    namen = dict(zip(gemeenten["gemeentecode"].astype(str), gemeenten["gemeentenaam"].astype(str)))
    opnaam = [c for c, n in namen.items() if n.lower() == str(gemeente).lower()]
    if opnaam:
        raise BenchmarkFout(f"gemeente {gemeente!r} is een naam; gebruik de CBS-code {opnaam[0]}")
    bijna = difflib.get_close_matches(str(gemeente), codes, n=3)
    hint = f"; bedoelde u {', '.join(f'{c} ({namen[c]})' for c in bijna)}?" if bijna else ""
    raise BenchmarkFout(
        f"onbekende gemeente {gemeente!r}: niet in tabel gemeenten ({len(codes)} gemeenten){hint}"
    )


def controleer_poort(poort: pd.DataFrame) -> pd.DataFrame:
    """Check the ``poort`` table; return a copy with ``maand``/``maanden`` present.

    Raises
    ------
    BenchmarkFout
        Missing columns, duplicates on (gemeentecode, jaar, maand), toekenningen > meldingen.
    """
    ontbreekt = [c for c in POORT_VERPLICHT if c not in poort.columns]
    if ontbreekt:
        raise BenchmarkFout(f"tabel poort mist kolom(men) {', '.join(ontbreekt)}")
    df = poort.copy()
    for c in ("maand", "maanden"):
        if c not in df.columns:
            df[c] = pd.NA
    df["gemeentecode"] = df["gemeentecode"].astype(str)
    df["jaar"] = pd.to_numeric(df["jaar"]).astype(int)
    df["maand"] = pd.to_numeric(df["maand"], errors="coerce").astype("Int64")
    df["maanden"] = pd.to_numeric(df["maanden"], errors="coerce").astype("Int64")
    for c in ("meldingen", "toekenningen"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    sleutel = df[["gemeentecode", "jaar"]].assign(maand=df["maand"].fillna(0))
    dup = df[sleutel.duplicated(keep=False)]
    if not dup.empty:
        paren = sorted({f"({g}, {j}, {'' if pd.isna(m) else m})" for g, j, m in zip(dup.gemeentecode, dup.jaar, dup.maand)})
        raise BenchmarkFout(f"tabel poort: dubbele rijen voor (gemeentecode, jaar, maand) {_lijst(paren)}")
    slecht = df[df["toekenningen"] > df["meldingen"]]
    if not slecht.empty:
        items = [f"{g} {j}" for g, j in zip(slecht.gemeentecode, slecht.jaar)]
        raise BenchmarkFout(
            f"tabel poort: meer toekenningen dan meldingen bij {_lijst(items)}; "
            "preventiequotum = 1 - toekenningen/meldingen vraagt toekenningen <= meldingen"
        )
    return df
