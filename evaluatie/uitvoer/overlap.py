"""Guards that keep a command from writing into or over its own input, or over somebody's data.

Two rules (issue 14, family 1):

- :func:`weiger_overlap`: ``--out`` equal to, inside, or containing an input folder or file is refused;
- :func:`controleer_doel`: an existing folder with data is replaced only when it is a previous evaluatie
  output of the same command, or when the user asked for it (``--overschrijf``).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable


class UitvoerFout(RuntimeError):
    """The output cannot be written where asked (overlap with the input, foreign data, no permission).

    The message is Dutch and complete (names the folder and what to do); commands show it without a
    traceback, exit code 1.
    """


def _echt(p: str | Path) -> Path:
    """Absolute path with symlinks resolved (also for paths that do not exist yet)."""
    return Path(os.path.realpath(os.path.abspath(os.fspath(p))))


def _binnen(a: Path, b: Path) -> bool:
    """True when ``a`` equals ``b`` or lies inside it."""
    return a == b or b in a.parents


def weiger_overlap(out: Path, invoer: Iterable[Path]) -> None:
    """Refuse an output location that equals, lies inside, or contains one of the inputs.

    Parameters
    ----------
    out : Path
        The output folder (``--out``); need not exist yet.
    invoer : iterable of Path
        Input folders and files the command reads (missing entries are compared by path only).

    Raises
    ------
    UitvoerFout
        Naming the output, the input it overlaps with, and what to do instead.
    """
    o = _echt(out)
    for bron in invoer:
        if bron is None:
            continue
        i = _echt(bron)
        if o == i:
            waarom = "is de invoer zelf"
        elif _binnen(o, i):
            waarom = f"ligt binnen de invoer {bron}"
        elif _binnen(i, o):
            waarom = f"bevat de invoer {bron}"
        else:
            continue
        raise UitvoerFout(
            f"--out {out} {waarom}; een commando schrijft nooit in of over zijn invoer. "
            f"Kies een uitvoermap buiten {bron} (bijv. {i.parent / (i.stem + '_uitvoer')})."
        )


def vorige_uitvoer(map_: Path) -> dict | None:
    """The manifest of a previous evaluatie output in ``map_`` (None if it is not one).

    A folder counts as evaluatie output when its ``manifest.json`` is a JSON object with a
    ``manifest_hash`` (every manifest this package ever wrote has one).
    """
    p = map_ / "manifest.json"
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and "manifest_hash" in m else None


def _commando_van(m: dict) -> str | None:
    c = m.get("commando")
    if c is None and isinstance(m.get("config"), dict):
        c = m["config"].get("commando") or m["config"].get("stap")
    return c if isinstance(c, str) else None


def controleer_doel(out: Path, commando: str, *, overschrijf: bool = False, ook: Iterable[str] = ()) -> None:
    """Check that ``out`` may be (re)placed by the output of ``commando``.

    Allowed: ``out`` does not exist, is an empty folder, holds a previous output of the same command
    (or of a command in ``ook``; old manifests without a command name count as the same), or
    ``overschrijf`` is true. The folder and its parent must be writable.

    Raises
    ------
    UitvoerFout
        ``out`` is a file, holds other data, or cannot be written.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UitvoerFout(f"--out {out}: dit is een bestand; verwacht een (nieuwe of lege) map")
    ouder = _echt(out).parent
    bestaande_ouder = next((p for p in (ouder, *ouder.parents) if p.exists()), ouder)
    if not os.access(bestaande_ouder, os.W_OK | os.X_OK):
        raise UitvoerFout(f"kan niet schrijven in {bestaande_ouder} (alleen-lezen of geen toegang); "
                          f"kies met --out een map waar u mag schrijven")
    if not out.is_dir():
        return
    try:
        inhoud = [p.name for p in out.iterdir()]
    except OSError as e:
        raise UitvoerFout(f"kan map {out} niet lezen: {e.strerror}") from None
    if inhoud and not overschrijf:
        m = vorige_uitvoer(out)
        c = None if m is None else _commando_van(m)
        if m is None:
            raise UitvoerFout(
                f"--out {out} bestaat al en bevat gegevens die geen uitvoer van 'evaluatie {commando}' zijn "
                f"({', '.join(sorted(inhoud)[:5])}{', …' if len(inhoud) > 5 else ''}); kies een andere map, "
                f"of geef --overschrijf om de map te vervangen")
        if c is not None and c != commando and c not in set(ook):
            raise UitvoerFout(
                f"--out {out} bevat de uitvoer van 'evaluatie {c}', niet van 'evaluatie {commando}'; kies een "
                f"andere map, of geef --overschrijf om die uitvoer te vervangen")
    if not os.access(out, os.W_OK | os.X_OK):
        raise UitvoerFout(f"kan niet schrijven in {out} (alleen-lezen of geen toegang); "
                          f"kies met --out een map waar u mag schrijven")


def controleer_uitvoer(out: Path, commando: str, invoer: Iterable[Path], *, overschrijf: bool = False,
                       ook: Iterable[str] = ()) -> None:
    """Both guards at once, before any work is done (the writer repeats them when it writes)."""
    weiger_overlap(out, list(invoer))
    controleer_doel(out, commando, overschrijf=overschrijf, ook=ook)
