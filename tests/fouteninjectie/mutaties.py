"""Mutations of a valid input directory, as Hypothesis strategies.

A :class:`Mutatie` names what it does (shown when a test fails) and changes one input directory in place.
Byte level (lines, quotes, separators, NUL, BOM, CRLF, blank lines, long values, bad bytes, empty file,
header only, columns missing / extra / renamed), value level (wrong types, empty, negative, dates out of
range, end before start, traject without uitkering, duplicate keys, unknown codes, 500 spells for one
client) and file level (table missing, Parquet with odd dtypes, xlsx with two sheets).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from hypothesis import strategies as st

KLANTTABELLEN = ("clienten", "uitkeringen", "categorieen", "trajecten")
ALLE_TABELLEN = KLANTTABELLEN + ("gemeenten", "poort")

RARE_WAARDEN = (
    "", " ", "-5", "0", "abc", "1e308", "-1e308", "NaN", "inf", "0001-01-01", "1600-06-01", "1850-03-01",
    "9999-12-31", "2262-04-12", "1677-09-21", "31-02-2017", "2017-13-01", "20170101", "ja", "GM0000", "Ĳsselstein",
    '"', '""', "'; DROP TABLE x", "123456782", "\t", "x" * 300, "1.234,5", "12,5", "true", "None", "null",
    "2019-01-31 00:00:00", "2019-01-31T13:45:00", "٣", "\u00a0", "C0000001", "werk", "A", "99999999999999999999",
)
"""Values put into fields by value-level mutations."""

_EINDE = re.compile(rb"\r\n|\n|\r")


@dataclass(frozen=True)
class Mutatie:
    """One change to an input directory."""

    naam: str
    tabel: str
    doe: Callable[[Path], None]

    def __repr__(self) -> str:  # what Hypothesis prints for a failing example
        return f"Mutatie({self.naam!r} op {self.tabel})"


def regels(raw: bytes) -> list[bytes]:
    """Physical lines of a file (without line ends; no empty last line for a final newline)."""
    r = _EINDE.split(raw)
    if r and r[-1] == b"":
        r.pop()
    return r


def _csv(map: Path, tabel: str) -> Path:
    return map / f"{tabel}.csv"


def _bytes(f: Callable[[bytes], bytes]) -> Callable[[str], Callable[[Path], None]]:
    def op(tabel: str) -> Callable[[Path], None]:
        def doe(map: Path) -> None:
            p = _csv(map, tabel)
            p.write_bytes(f(p.read_bytes()))
        return doe
    return op


def _per_regel(f: Callable[[list[bytes]], list[bytes]]) -> Callable[[bytes], bytes]:
    return lambda raw: b"\n".join(f(raw.split(b"\n")))


@st.composite
def byte_mutatie(draw: st.DrawFn, tabel: str) -> Mutatie:
    """A change to the bytes of one CSV file."""
    i = draw(st.integers(1, 40))
    j = draw(st.integers(1, 40))
    pos = draw(st.integers(0, 200))
    soort = draw(st.sampled_from([
        "afkappen", "regel_weg", "regel_dubbel", "regels_wisselen", "quote", "quote_eind", "scheidingsteken",
        "nul", "bom", "crlf", "crlf_witregel", "witregels", "lang", "niet_utf8", "leeg", "alleen_kop",
        "te_weinig", "te_veel", "kop_hoofdletters", "tab_als_scheiding", "cr_alleen", "latin1", "lange_kop",
        "dubbele_kop", "puntkomma", "utf16",
    ]))

    def bij(ls: list[bytes], k: int) -> int:
        return 1 + (k - 1) % max(1, len(ls) - 1)

    def invoeg(regel: bytes, teken: bytes) -> bytes:
        p = pos % (len(regel) + 1)
        return regel[:p] + teken + regel[p:]

    def f(raw: bytes) -> bytes:
        ls = raw.split(b"\n")
        if soort == "afkappen":
            return raw[: max(1, len(raw) * pos // 200)]
        if soort == "leeg":
            return b""
        if soort == "alleen_kop":
            return ls[0] + b"\n"
        if soort == "bom":
            return b"\xef\xbb\xbf" + raw
        if soort == "crlf":
            return raw.replace(b"\n", b"\r\n")
        if soort == "cr_alleen":
            return raw.replace(b"\n", b"\r")
        if soort == "crlf_witregel":
            return raw.replace(b"\n", b"\r\n") + b"   \r\n"
        if soort == "witregels":
            k = bij(ls, i)
            return b"\n".join(ls[:k] + [b"", b"  ", b"\t"] + ls[k:]) + b"\n\n  \n"
        if soort == "latin1":
            return raw.decode("utf-8").encode("cp1252", errors="replace") + "é".encode("cp1252")
        if soort == "kop_hoofdletters":
            return ls[0].upper() + b"\n" + b"\n".join(ls[1:])
        if soort == "tab_als_scheiding":
            return raw.replace(b",", b"\t")
        if soort == "puntkomma":
            return raw.replace(b",", b";")
        if soort == "utf16":
            return raw.decode("utf-8").encode("utf-16")
        if soort == "lange_kop":
            return ls[0] + b"," + b"k" * 100_000 + b"\n" + b"\n".join(ls[1:])
        if soort == "dubbele_kop":
            return ls[0] + b"," + ls[0].split(b",")[0] + b"\n" + b"\n".join(ls[1:])
        k = bij(ls, i)
        if soort == "regel_weg":
            del ls[k]
        elif soort == "regel_dubbel":
            ls.insert(k, ls[k])
        elif soort == "regels_wisselen":
            m = bij(ls, j)
            ls[k], ls[m] = ls[m], ls[k]
        elif soort == "quote":
            ls[k] = invoeg(ls[k], b'"')
        elif soort == "quote_eind":
            ls[k] = ls[k] + b',"'
        elif soort == "scheidingsteken":
            ls[k] = invoeg(ls[k], b",")
        elif soort == "nul":
            ls[k] = invoeg(ls[k], b"\x00")
        elif soort == "lang":
            ls[k] = invoeg(ls[k], b"9" * draw_lengte)
        elif soort == "niet_utf8":
            ls[k] = invoeg(ls[k], b"\x81\xff")
        elif soort == "te_weinig":
            ls[k] = b",".join(ls[k].split(b",")[:-2])
        elif soort == "te_veel":
            ls[k] = ls[k] + b",x,y"
        return b"\n".join(ls)

    draw_lengte = draw(st.sampled_from([250, 5000, 100_000]))
    return Mutatie(f"{soort}(i={i}, j={j}, pos={pos})", tabel, _bytes(f)(tabel))


@st.composite
def kolom_mutatie(draw: st.DrawFn, tabel: str) -> Mutatie:
    """Drop, add or rename a column of one CSV file."""
    soort = draw(st.sampled_from(["kolom_weg", "kolom_erbij", "kolom_hernoemd", "identificerend"]))
    k = draw(st.integers(0, 20))

    def doe(map: Path) -> None:
        p = _csv(map, tabel)
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
        kol = list(df.columns)[k % len(df.columns)]
        if soort == "kolom_weg":
            df = df.drop(columns=[kol])
        elif soort == "kolom_erbij":
            df["extra_kolom"] = "x"
        elif soort == "kolom_hernoemd":
            df = df.rename(columns={kol: kol + "_oud"})
        else:
            n = len(df)
            df["bsn"] = [f"{v:09d}" for v in (123456782 + 11 * np.arange(n))]
            df["naam"] = "Jan Jansen"
            df["email"] = "jan@example.org"
        df.to_csv(p, index=False, lineterminator="\n")
    return Mutatie(f"{soort}(k={k})", tabel, doe)


@st.composite
def waarde_mutatie(draw: st.DrawFn, tabel: str) -> Mutatie:
    """Put odd values into fields of some rows of one CSV file."""
    n = draw(st.integers(1, 4))
    plekken = draw(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 20), st.sampled_from(RARE_WAARDEN)),
                            min_size=n, max_size=n))

    def doe(map: Path) -> None:
        p = _csv(map, tabel)
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
        if not len(df):
            return
        for r, k, w in plekken:
            df.iat[r % len(df), k % len(df.columns)] = w
        df.to_csv(p, index=False, lineterminator="\n")
    return Mutatie(f"waarden({plekken!r})"[:300], tabel, doe)


@st.composite
def logische_mutatie(draw: st.DrawFn) -> Mutatie:
    """Impossible combinations across rows or tables."""
    soort = draw(st.sampled_from([
        "einde_voor_start", "traject_zonder_uitkering", "dubbele_sleutel", "onbekende_code", "500_spells",
        "alle_uitkeringen_weg", "client_weg", "jong_op_bijstand", "voor_geboorte", "open_einde_9999",
    ]))
    r = draw(st.integers(0, 100))

    def doe(map: Path) -> None:
        u = pd.read_csv(map / "uitkeringen.csv", dtype=str, keep_default_na=False)
        c = pd.read_csv(map / "clienten.csv", dtype=str, keep_default_na=False)
        t = pd.read_csv(map / "trajecten.csv", dtype=str, keep_default_na=False)
        if soort == "einde_voor_start":
            k = u.index[u["einddatum"] != ""][r % max(1, (u["einddatum"] != "").sum())]
            u.loc[k, ["startdatum", "einddatum"]] = u.loc[k, ["einddatum", "startdatum"]].to_numpy()
        elif soort == "traject_zonder_uitkering" and len(t):
            cid = t["client_id"].iloc[r % len(t)]
            u = u[u["client_id"] != cid]
        elif soort == "dubbele_sleutel":
            c = pd.concat([c, c.iloc[[r % len(c)]]], ignore_index=True)
            u = pd.concat([u, u.iloc[[r % len(u)]]], ignore_index=True)
        elif soort == "onbekende_code" and len(t):
            t.loc[t.index[r % len(t)], "instrument"] = "toverstaf"
            u.loc[u.index[r % len(u)], "uitstroomreden"] = "emigratie_naar_mars"
        elif soort == "500_spells":
            cid = c["client_id"].iloc[r % len(c)]
            u = u[u["client_id"] != cid]
            start = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.arange(500) * 3, unit="D")
            extra = pd.DataFrame({"client_id": cid, "startdatum": start.strftime("%Y-%m-%d"),
                                  "einddatum": (start + pd.Timedelta(days=1)).strftime("%Y-%m-%d"), "uitstroomreden": "werk"})
            u = pd.concat([u, extra], ignore_index=True)
        elif soort == "alle_uitkeringen_weg":
            u = u.iloc[:0]
        elif soort == "client_weg":
            c = c.drop(index=c.index[r % len(c)])
        elif soort == "jong_op_bijstand":
            c.loc[c.index[r % len(c)], "geboortejaar"] = "2009"
        elif soort == "voor_geboorte":
            k = u.index[r % len(u)]
            u.loc[k, "startdatum"] = "1901-01-01"
            u.loc[k, "einddatum"] = ""
            u.loc[k, "uitstroomreden"] = ""
        elif soort == "open_einde_9999":
            k = u.index[u["einddatum"] == ""]
            u.loc[k, "einddatum"] = "9999-12-31"
        for df, naam in ((u, "uitkeringen"), (c, "clienten"), (t, "trajecten")):
            df.to_csv(map / f"{naam}.csv", index=False, lineterminator="\n")
    return Mutatie(f"{soort}(r={r})", "uitkeringen", doe)


@st.composite
def bestand_mutatie(draw: st.DrawFn, tabellen: tuple[str, ...] = KLANTTABELLEN) -> Mutatie:
    """Remove a table, or store it as Parquet with odd dtypes, or as a workbook with two sheets."""
    tabel = draw(st.sampled_from(tabellen))
    soort = draw(st.sampled_from(["weg", "parquet_tekst", "parquet_getypeerd", "parquet_int_datums",
                                  "parquet_buiten_bereik", "parquet_categorie", "parquet_vreemd", "xlsx_twee_bladen", "metadata_kapot",
                                  "venster_na_peildatum"]))

    def doe(map: Path) -> None:
        p = _csv(map, tabel)
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
        if soort == "weg":
            p.unlink()
            return
        if soort == "metadata_kapot":
            (map / "metadata.json").write_text('{"peildatum": "2019-13-45", ', encoding="utf-8")
            return
        if soort == "venster_na_peildatum":
            (map / "metadata.json").write_text(
                '{"peildatum": "2018-12-31", "waarnemingsperiode": {"start": "2015-01-01", "eind": "2019-12-31"}}',
                encoding="utf-8")
            return
        if soort.startswith("xlsx"):
            with pd.ExcelWriter(map / f"{tabel}.xlsx") as w:
                df.to_excel(w, sheet_name="Blad1", index=False)
                df.head(3).to_excel(w, sheet_name="Blad2", index=False)
            p.unlink()
            return
        datums = [k for k in df.columns if "datum" in k]
        if soort == "parquet_getypeerd":
            for k in datums:
                df[k] = pd.to_datetime(df[k].replace("", None))
            for k in df.columns:
                if k in ("geboortejaar", "jaar", "trede", "inzetbaarheid"):
                    df[k] = pd.to_numeric(df[k].replace("", None)).astype("Int64")
        elif soort == "parquet_int_datums":
            for k in datums:
                df[k] = pd.to_numeric(df[k].str.replace("-", "").replace("", None)).astype("Int64")
        elif soort == "parquet_buiten_bereik":
            import pyarrow as pa
            import pyarrow.parquet as pq

            tbl = pa.Table.from_pandas(df, preserve_index=False)
            for k in datums:
                waarden = [None if v == "" else pd.Timestamp(v).to_pydatetime() for v in df[k]]
                if waarden:
                    import datetime as dt
                    waarden[0] = dt.datetime(1, 1, 1)
                    waarden[-1] = dt.datetime(9999, 12, 31)
                tbl = tbl.set_column(tbl.schema.get_field_index(k), k, pa.array(waarden, type=pa.timestamp("us")))
            pq.write_table(tbl, map / f"{tabel}.parquet")
            p.unlink()
            return
        elif soort == "parquet_vreemd":
            import pyarrow as pa
            import pyarrow.parquet as pq

            kol = {k: pa.array(list(df[k])) for k in df.columns}
            k0, k1 = list(df.columns)[0], list(df.columns)[-1]
            kol[k0] = pa.array([v.encode() if i % 7 else b"\xff\x00" for i, v in enumerate(df[k0])], type=pa.binary())
            kol[k1] = pa.array([[v] if i % 5 else None for i, v in enumerate(df[k1])])
            pq.write_table(pa.table(kol), map / f"{tabel}.parquet")
            p.unlink()
            return
        elif soort == "parquet_categorie":
            for k in df.columns:
                df[k] = df[k].astype("category")
        df.to_parquet(map / f"{tabel}.parquet", index=False)
        p.unlink()
    return Mutatie(f"{soort}", tabel, doe)


def mutatie(tabellen: tuple[str, ...] = KLANTTABELLEN) -> st.SearchStrategy[Mutatie]:
    """Any single mutation of one of ``tabellen`` (or across the client tables)."""
    tabel = st.sampled_from(tabellen)
    return st.one_of(
        tabel.flatmap(byte_mutatie),
        tabel.flatmap(kolom_mutatie),
        tabel.flatmap(waarde_mutatie),
        logische_mutatie(),
        bestand_mutatie(),
    )


def mutaties(tabellen: tuple[str, ...] = KLANTTABELLEN) -> st.SearchStrategy[list[Mutatie]]:
    """One to three mutations applied in turn."""
    return st.lists(mutatie(tabellen), min_size=1, max_size=3)
