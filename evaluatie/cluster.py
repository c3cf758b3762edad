"""Run the bootstrap replicates on an existing Dask cluster (``--cluster tcp://host:port``).

The default is the local machine and needs nothing extra. With an address, :func:`verbind` opens a
``dask.distributed`` client for the duration of a ``with`` block; :func:`evaluatie.bootstrap.bootstrap_replicaties`
then sends its blocks of replicates through joblib's Dask backend to the cluster's workers. Replicate
``b`` draws its client weights from ``SeedSequence(seed).spawn(B)[b]`` and runs with one BLAS thread, so
the numbers are bit-identical to a local run whatever the cluster's size or the order in which workers
finish. Dask is an optional extra: ``pip install evaluatie[cluster]``.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from typing import Any, Iterator

from evaluatie.stappen.gemeen import Stapfout

#: Address schemes of a dask.distributed scheduler that we accept.
SCHEMAS: tuple[str, ...] = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
_ADRES = re.compile(r"^(?P<schema>[a-z]+)://(?P<rest>\S+)$")

_CLIENT: contextvars.ContextVar[Any] = contextvars.ContextVar("evaluatie_cluster_client", default=None)


class ClusterFout(Stapfout):
    """The cluster cannot be used: bad address, dask not installed, scheduler unreachable (exit code 1)."""


def controleer_adres(adres: str, *, bron: str = "--cluster") -> str:
    """Check the form of a scheduler address (``tcp://host:port``); returns it stripped.

    Raises
    ------
    ClusterFout
        Naming ``bron`` (option or config key), the value and what was expected.
    """
    a = str(adres).strip()
    m = _ADRES.match(a)
    verwacht = f"verwacht een scheduleradres als tcp://host:poort (schema's: {', '.join(SCHEMAS)})"
    if m is None or m["schema"] not in SCHEMAS:
        raise ClusterFout(f"{bron}: {a[:60]!r} is geen adres van een Dask-scheduler; {verwacht}")
    if m["schema"] in ("tcp", "tls", "ws", "wss"):
        host, _, poort = m["rest"].rstrip("/").rpartition(":")
        if not host or not poort.isdigit() or not 0 < int(poort) < 65536:
            raise ClusterFout(f"{bron}: {a[:60]!r} mist een geldige poort (1..65535); {verwacht}")
    return a


def _distributed() -> Any:
    try:
        import distributed  # noqa: F401
        from distributed import Client
    except ImportError:
        raise ClusterFout("--cluster vraagt het pakket dask.distributed, dat niet is geïnstalleerd; "
                          "installeer het met: pip install 'evaluatie[cluster]' (of laat --cluster weg: "
                          "dan rekent deze computer)") from None
    return Client


@contextlib.contextmanager
def verbind(adres: str | None, *, wachttijd: float = 10.0, bron: str = "--cluster") -> Iterator[Any]:
    """Within this block the bootstrap runs on the Dask scheduler at ``adres``; ``None``: locally.

    Parameters
    ----------
    adres : str or None
        Scheduler address (``tcp://host:poort``). ``None`` or ``""`` does nothing (local run).
    wachttijd : float
        Seconds to wait for the scheduler before giving up.
    bron : str
        Where the address came from (``--cluster`` or ``[effecten] cluster`` in a config file), for messages.

    Yields
    ------
    distributed.Client or None
    """
    if not adres:
        yield None
        return
    adres = controleer_adres(adres, bron=bron)
    Client = _distributed()
    try:
        client = Client(adres, timeout=f"{wachttijd}s", set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ClusterFout(f"{bron}: geen Dask-scheduler bereikbaar op {adres} binnen {wachttijd:g} s "
                          f"({type(e).__name__}); start de scheduler en workers (dask scheduler / dask worker) "
                          f"of laat {bron} weg") from None
    token = _CLIENT.set(client)
    try:
        yield client
    finally:
        _CLIENT.reset(token)
        client.close()


def actief() -> Any:
    """The client of the enclosing :func:`verbind` block, or None (run locally)."""
    return _CLIENT.get()


def aantal_kernen(client: Any) -> int:
    """Threads over all workers of the cluster (at least 1)."""
    try:
        return max(1, sum(int(w.get("nthreads", 1)) for w in client.scheduler_info()["workers"].values()))
    except Exception:  # pragma: no cover - an odd scheduler answer: still run, in fewer blocks
        return 1
