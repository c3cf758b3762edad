"""Render :class:`~evaluatie.rapport.inhoud.Rapportinhoud` to one self-contained HTML file.

Self-contained: CSS inline, figures as ``data:`` URIs, no scripts, fonts or links to other hosts, so it
opens from a USB stick. Deterministic: no timestamps or random ids; same content → same bytes.
"""
from __future__ import annotations

import base64
import json
from typing import Iterable

import jinja2
import pandas as pd

from evaluatie.disclosure import controleer_geen_ids
from evaluatie.rapport.inhoud import Rapportinhoud


def _tabel_html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, border=0, classes="tabel", na_rep="–", escape=True)


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
