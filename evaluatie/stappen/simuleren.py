"""Step *simulate*: a simulated Werkplein population written as an input folder, atomically and never
over somebody's data (only over an earlier simulation, unless ``overschrijf``)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from evaluatie.manifest import build_manifest, sha256_file, write_manifest
from evaluatie.uitvoer import atomaire_map, controleer_doel, weiger_overlap


def simuleer_naar(out: Path, *, seed: int, clienten: int, config: Any = None, overschrijf: bool = False,
                  invoer: Iterable[Path] = ()) -> tuple[Any, list[Path]]:
    """Simulate and write the tables, truth.json, metadata.json and manifest.json to ``out``.

    ``out`` is replaced as a whole when complete; it may be new, empty, or an earlier simulation
    (a manifest of ``simuleer``, or an older folder with truth.json); anything else needs ``overschrijf``.

    Returns
    -------
    (Simulatie, list of Path)
        The simulation and the final paths of the files written (manifest.json last).

    Raises
    ------
    UitvoerFout
        ``out`` overlaps an input, holds other data, or cannot be written.
    """
    from evaluatie.simulatie import SimulatieConfig, schrijf, simuleer

    out = Path(out)
    weiger_overlap(out, list(invoer))
    eerder = (out / "truth.json").is_file() and (out / "metadata.json").is_file()
    controleer_doel(out, "simuleer", overschrijf=overschrijf or eerder)
    sim = simuleer(seed=seed, n_clienten=clienten, config=config or SimulatieConfig())
    with atomaire_map(out) as tmp:
        paden = schrijf(sim, tmp)
        rel = sorted(p.relative_to(tmp).as_posix() for p in paden)
        m = build_manifest(inputs={}, config={"clienten": clienten}, seed=seed, extra={"commando": "simuleer"})
        m["uitvoer"] = {r: sha256_file(tmp / r) for r in rel}
        m["voltooid"] = True
        write_manifest(tmp / "manifest.json", m)
    return sim, [out / p.relative_to(tmp) for p in paden] + [out / "manifest.json"]
