"""Render :class:`~evaluatie.rapport.inhoud.Rapportinhoud` to one self-contained HTML file.

Self-contained: CSS inline, figures as ``data:`` URIs, no scripts, fonts or links to other hosts, so it
opens from a USB stick. Deterministic: no timestamps or random ids; same content → same bytes.
"""
from __future__ import annotations

import base64
import html as _html
import json
import re
from typing import Iterable

import jinja2
import pandas as pd

from evaluatie.disclosure import controleer_geen_ids
from evaluatie.rapport.inhoud import Rapportinhoud


ONBEKEND = "–"
_GETAL = re.compile(r"^(?:[<>+\u2212\-]?\d|meer dan \d)")
_INTERVAL = re.compile(r"^(?P<waarde>[^()]{1,16}?) \((?P<bi>[^()]*(?:–| tot )[^()]*)\)$")


def _tekst(v: object) -> str:
    return ONBEKEND if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def is_getalkolom(waarden: Iterable[str]) -> bool:
    """True when every filled cell starts like a number (``12``, ``+4,1``, ``−0,3``, ``<10``): right-aligned."""
    gevuld = [w for w in waarden if w not in ("", ONBEKEND, "-")]
    return bool(gevuld) and all(_GETAL.match(w) for w in gevuld)


def _cel(w: str, getal: bool) -> str:
    """One cell; in a number column 'value (interval)' is set as the value with the interval below it, small."""
    m = _INTERVAL.match(w) if getal else None
    if m:
        return f'{_html.escape(m["waarde"], quote=False)}<span class="bi">({_html.escape(m["bi"], quote=False)})</span>'
    return _html.escape(w, quote=False)


def _tabel_html(df: pd.DataFrame) -> str:
    """A formatted (string) frame as an HTML table: text columns left, number columns right and unbroken.

    Deterministic and escaped; the first column (what a row is about) is always text-aligned.
    """
    kolommen = [str(k) for k in df.columns]
    cellen = [[_tekst(v) for v in df.iloc[:, j]] for j in range(df.shape[1])]
    getal = [j > 0 and is_getalkolom(c) for j, c in enumerate(cellen)]

    def klasse(j: int) -> str:
        return ' class="getal"' if getal[j] else ""

    kop = "".join(f"<th{klasse(j)}>{_html.escape(k, quote=False)}</th>" for j, k in enumerate(kolommen))
    rijen = ["<tr>" + "".join(f"<td{klasse(j)}>{_cel(cellen[j][i], getal[j])}</td>" for j in range(len(kolommen))) + "</tr>"
             for i in range(len(df))]
    return ('<table class="tabel">\n<thead><tr>' + kop + "</tr></thead>\n<tbody>\n" + "\n".join(rijen)
            + "\n</tbody>\n</table>")


def _omgeving() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("evaluatie", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tabel"] = _tabel_html
    env.filters["b64"] = lambda b: base64.b64encode(b).decode("ascii")
    env.filters["json"] = lambda d: json.dumps(d, sort_keys=True, indent=2, ensure_ascii=False, default=str)
    return env


def render_html(inhoud: Rapportinhoud, *, client_ids: Iterable[str] = ()) -> str:
    """Render the report; raise :class:`~evaluatie.disclosure.OnthullingsFout` if a client id appears."""
    html = _omgeving().get_template("rapport.html.j2").render(r=inhoud)
    controleer_geen_ids(html, client_ids)
    return html
