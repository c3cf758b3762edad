"""Client-clustered bootstrap: seeded, parallel over cores, identical numbers whatever ``n_jobs``.

Replicate ``b`` draws multinomial client counts (a resample of clients with replacement, all their
spells and months together) from its own generator ``default_rng(SeedSequence(seed).spawn(B)[b])``, so
a replicate's numbers depend only on ``(seed, b)``, never on which worker ran it or in what order.
The estimator receives a weight vector over clients; nothing is rebuilt per replicate.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from joblib import Parallel, delayed


def client_gewichten(n_clienten: int, seed_seq: np.random.SeedSequence) -> np.ndarray:
    """Multinomial resampling counts (float) over ``n_clienten`` clients for one replicate."""
    rng = np.random.default_rng(seed_seq)
    return rng.multinomial(n_clienten, np.full(n_clienten, 1.0 / n_clienten)).astype(float)


def _blok(fn: Callable[[np.ndarray], np.ndarray], n_clienten: int, seqs: list[np.random.SeedSequence]) -> list[np.ndarray]:
    # one BLAS thread per replicate everywhere: the summation order (and so the last bits) of matrix
    # products must not depend on how many threads a process happens to get
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - then identical only for equal thread settings
        return [np.asarray(fn(client_gewichten(n_clienten, s)), dtype=float) for s in seqs]
    with threadpool_limits(limits=1, user_api="blas"):
        return [np.asarray(fn(client_gewichten(n_clienten, s)), dtype=float) for s in seqs]


def bootstrap_replicaties(fn: Callable[[np.ndarray], np.ndarray], n_clienten: int, *, B: int = 200, seed: int = 1,
                          n_jobs: int = 1) -> np.ndarray:
    """Run ``fn(client_weights)`` for ``B`` clustered bootstrap replicates.

    Parameters
    ----------
    fn : callable
        Maps a weight vector over clients (length ``n_clienten``, sums to ``n_clienten``) to a flat array
        of estimates (same length every call). Must be picklable for ``n_jobs > 1``.
    n_clienten : int
        Number of clusters (clients).
    B : int
        Replicates.
    seed : int
        Root seed; replicate ``b`` uses ``SeedSequence(seed).spawn(B)[b]``.
    n_jobs : int
        Worker processes (joblib/loky). Results do not depend on it. Inside
        :func:`evaluatie.cluster.verbind` the blocks run on the Dask cluster instead (same numbers).

    Returns
    -------
    ndarray (B, n_estimates)
    """
    if B < 1:
        raise ValueError(f"B: verwacht een geheel getal >= 1, kreeg {B}")
    from evaluatie import cluster
    from evaluatie.voortgang import balk

    seqs = np.random.SeedSequence(seed).spawn(B)
    client = cluster.actief()
    with balk(B, "bootstrap", eenheid="replicaat") as voortgang:
        if n_jobs == 1 and client is None:
            rijen = []
            for s in seqs:
                rijen.extend(_blok(fn, n_clienten, [s]))
                voortgang.update(1)
            return np.vstack(rijen)
        kernen = n_jobs if client is None else cluster.aantal_kernen(client)
        n_blok = max(1, min(B, 4 * max(kernen, 1)))
        grenzen = np.linspace(0, B, n_blok + 1).astype(int)
        taken = (delayed(_blok)(fn, n_clienten, seqs[a:b]) for a, b in zip(grenzen[:-1], grenzen[1:]) if b > a)
        rijen = []
        with _backend(client, fn):
            for deel in Parallel(n_jobs=n_jobs if client is None else -1, return_as="generator")(taken):
                rijen.extend(deel)
                voortgang.update(len(deel))
        return np.vstack(rijen)


def _backend(client: object, fn: object):
    """joblib's Dask backend on ``client`` (:mod:`evaluatie.cluster`), or nothing for a local run.

    ``fn`` (which holds the design) is scattered to the workers once, not sent with every block."""
    import contextlib

    if client is None:
        return contextlib.nullcontext()
    from joblib import parallel_config

    return parallel_config(backend="dask", client=client, scatter=[fn])


@dataclass(frozen=True)
class Interval:
    """Bootstrap summary of one or more estimates: SE and percentile interval (NaN-aware)."""

    se: np.ndarray
    laag: np.ndarray
    hoog: np.ndarray
    n_geldig: np.ndarray


def percentiel_interval(reps: np.ndarray, niveau: float = 0.95) -> Interval:
    """Percentile CI and bootstrap SE per column of ``reps`` (replicates x estimates), ignoring NaNs."""
    a = (1.0 - niveau) / 2.0
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.nanstd(reps, axis=0, ddof=1)
        lo = np.nanquantile(reps, a, axis=0)
        hi = np.nanquantile(reps, 1.0 - a, axis=0)
    return Interval(se, lo, hi, np.isfinite(reps).sum(axis=0))
