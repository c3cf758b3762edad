"""Kennisbank: what is learned about each instrument, kept across evaluations.

"Borg kennis over de effectiviteit van instrumenten" (Rekenkamer West-Brabant 2020, aanbeveling 4).
Every evaluation adds its estimates (only aggregates that passed disclosure control); a klantmanager or
beleidsmedewerker asks what is known about an instrument for a categorie, how it develops over time,
pooled across runs, read against the literature.

Storage: a folder with one Parquet file per run (``runs/<run_id>.parquet``) and ``kennisbank.json``
(format and schema version). Why not a database such as DuckDB: a run is written once and never
changed, so one immutable file per run *is* an append-only log; exclusive creation of that file makes
concurrent writers safe without locks and makes a re-run of the same manifest recognisable; Parquet is
read by pandas, R (arrow) and Excel-adjacent tools without an extra dependency.

Robustness: a run folder is read through its manifest (:func:`lees_run`; provenance required, a
half-written run refused); a run file of the store that cannot be read is skipped and named, never
taking the rest of the store down (:meth:`Kennisbank.lees_alles`).
"""
from evaluatie.kennisbank.fouten import KennisbankFout
from evaluatie.kennisbank.meta import Pooling, pool
from evaluatie.kennisbank.opslag import SCHEMA_VERSIE, Kennisbank, Leesresultaat, Overgeslagen, Toevoeging, open_kennisbank
from evaluatie.kennisbank.run import Runinvoer, lees_run

__all__ = ["Kennisbank", "KennisbankFout", "Toevoeging", "Leesresultaat", "Overgeslagen", "open_kennisbank", "lees_run",
           "Runinvoer", "SCHEMA_VERSIE", "Pooling", "pool"]
