"""Report content per chapter: stage results in, :class:`~evaluatie.rapport.inhoud.Rapportinhoud` out.

Chapters (one module each): :mod:`.samenvatting` (headline indicators and conclusions),
:mod:`.benchmark`, :mod:`.effecten` (with :mod:`.effectcellen` and :mod:`.populatie`), :mod:`.na_uitstroom`
('Blijft het werk?', with :mod:`.na_terugval`, :mod:`.na_duurzaam`, :mod:`.na_maanden`), :mod:`.gemeenten`
(couleur locale), :mod:`.data`; Dutch number formatting in :mod:`.opmaak`. Nothing here fits a model or
reads a file, and every count built from person-level data passes :mod:`evaluatie.disclosure` in one joint call
(:func:`evaluatie.rapport.beveiliging.rapporttellingen`), so that figures of different chapters cannot be
subtracted from each other to recover a suppressed cell.
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import regel_tekst
from evaluatie.rapport.beveiliging import rapporttellingen
from evaluatie.rapport.inhoud import Rapportinhoud, Sectie
from evaluatie.rapport.secties.benchmark import sectie_benchmark
from evaluatie.rapport.secties.data import sectie_data
from evaluatie.rapport.secties.doelen import sectie_doelen
from evaluatie.rapport.secties.effecten import sectie_effecten
from evaluatie.rapport.secties.gemeenten import sectie_gemeenten
from evaluatie.rapport.secties.na_uitstroom import na_uitstroom, sectie_na_uitstroom
from evaluatie.rapport.secties.samenvatting import samenvatting
from evaluatie.rapport.secties.voorwie import sectie_voorwie

__all__ = ["bouw_inhoud", "samenvatting", "sectie_benchmark", "sectie_data", "sectie_doelen", "sectie_effecten",
           "sectie_gemeenten", "sectie_na_uitstroom"]


def _ondertitel(cfg: Evaluatieconfig, benchmark: Any) -> str:
    namen: dict[str, str] = {}
    if benchmark is not None:
        namen = benchmark.indicatoren.drop_duplicates("gemeentecode").set_index("gemeentecode").gemeentenaam.to_dict()
    gem = ", ".join(f"{namen[g]} ({g})" if g in namen else g for g in cfg.gemeenten)
    return f"Evaluatie {cfg.periode[0][:4]}–{cfg.periode[1][:4]} · {gem}"


def bouw_inhoud(cfg: Evaluatieconfig, *, manifest: dict[str, Any], reconciliatie: pd.DataFrame | None,
                bevindingen_telling: pd.DataFrame | None, benchmark: Any, effecten: pd.DataFrame | None,
                populatie: pd.DataFrame | None, uitstroom_curves: pd.DataFrame | None = None,
                per_gemeente: Mapping[str, pd.DataFrame] | None = None,
                gevoeligheid: pd.DataFrame | None = None,
                toerekenbaar_per_gemeente: pd.DataFrame | None = None, terugval: Any = None,
                terugval_reden: str | None = None, uitkeringsmaanden: pd.DataFrame | None = None,
                mee: Mapping[str, Any] | None = None, doelmatigheid: Any = None,
                subgroepen: pd.DataFrame | None = None, celtoetsen: pd.DataFrame | None = None) -> Rapportinhoud:
    """All report content for one evaluation.

    Parameters
    ----------
    cfg : Evaluatieconfig
        Title, gemeenten, period, horizons, disclosure threshold (``drempel``), seed.
    manifest : dict
        Shown at the end of the report (reproducibility).
    reconciliatie : DataFrame or None
        tabel, gelezen, geaccepteerd, afgekeurd (from validation).
    bevindingen_telling : DataFrame or None
        tabel, regel, aantal (findings per rule).
    benchmark : Benchmarkresultaat or None
    effecten : DataFrame or None
        Tidy effect frame per the contract "Effect results on disk".
    populatie : DataFrame or None
        Row(s) with maat ``toerekenbaar_aandeel``, schatting, ci_laag, ci_hoog and n_uitstroom_werk (or a
        ``uitstroom_werk`` row).
    uitstroom_curves : DataFrame, optional
        group (categorie), time (months), n_risk, estimate, ci_lower, ci_upper.
    per_gemeente : mapping, optional
        gemeentecode → small frame of headline numbers.
    gevoeligheid : DataFrame, optional
        E-values per cell (instrument, categorie, e_waarde, e_waarde_ci), as written by ``analyseer``.
    toerekenbaar_per_gemeente : DataFrame, optional
        ``Effectresultaat.per_gemeente``: the attributable share per gemeente (shown in "Per gemeente").
    terugval : Terugvalresultaat, optional
        Return to benefit after an exit to work (chapter "Blijft het werk?"); ``terugval_reden`` says why
        there is none.
    uitkeringsmaanden : DataFrame, optional
        ``Effectresultaat.uitkeringsmaanden``: months on benefit, participants vs counterfactual.
    mee : mapping, optional
        The tables published next to the report (name → (table, Tabelspec)), protected together with the
        report's counts; the protected versions are in ``Rapportinhoud.tellingen``
        (:func:`evaluatie.rapport.beveiliging.mee_tabellen`).
    subgroepen, celtoetsen : DataFrame, optional
        ``Effectresultaat.subgroepen`` / ``.celtoetsen``: chapter 'Voor wie werkt het?' (after 'Blijft het werk?').

    Returns
    -------
    Rapportinhoud
        Sections in order: samenvatting, benchmark, effecten (with toerekenbaar and uitstroom curves),
        blijft het werk? (terugval, duurzaam werk, uitkeringsmaanden), per gemeente (when there is something local), gegevens en methode.
    """
    tel = rapporttellingen(cfg.drempel, reconciliatie=reconciliatie, bevindingen_telling=bevindingen_telling,
                           effecten=effecten, horizonnen=tuple(cfg.horizonnen), gevoeligheid=gevoeligheid,
                           populatie=populatie, toerekenbaar_per_gemeente=toerekenbaar_per_gemeente,
                           gemeenten=cfg.gemeenten, preventie=None if benchmark is None else benchmark.preventie,
                           terugval=terugval, subgroepen=subgroepen, mee=mee)
    na = na_uitstroom(cfg, terugval=terugval, terugval_reden=terugval_reden, effecten=effecten,
                      uitkeringsmaanden=uitkeringsmaanden, populatie=populatie, gevoeligheid=gevoeligheid, tellingen=tel)
    kern, concl, sam = samenvatting(cfg, benchmark=benchmark, effecten=effecten, populatie=populatie,
                                    gevoeligheid=gevoeligheid, tellingen=tel, na_uitstroom=na)
    secties: list[Sectie] = [sam, sectie_benchmark(benchmark, cfg, tellingen=tel),
                             sectie_effecten(effecten, populatie, cfg, gevoeligheid=gevoeligheid,
                                             uitstroom_curves=uitstroom_curves, tellingen=tel)]
    secties.append(sectie_na_uitstroom(cfg, na))  # 'Blijft het werk?', right after the effects
    if doelmatigheid is not None:  # 'Wat levert het op?' (issue 18), after 'Blijft het werk?'
        from evaluatie.rapport.secties.doelmatigheid import regel_samenvatting, sectie_doelmatigheid

        secties.append(sectie_doelmatigheid(cfg, doelmatigheid))
        if (zin := regel_samenvatting(doelmatigheid)) is not None:
            concl = (*concl, zin)
    vw = sectie_voorwie(cfg, subgroepen, celtoetsen, tellingen=tel)  # 'Voor wie werkt het?': last effects chapter
    if vw is not None:
        secties.append(vw)
    d = sectie_doelen(cfg, benchmark=benchmark, populatie=populatie)
    if d is not None:
        secties.insert(1, d)
    g = sectie_gemeenten(benchmark, per_gemeente, cfg, toerekenbaar=toerekenbaar_per_gemeente, tellingen=tel)
    if g is not None:
        secties.append(g)
    secties.append(sectie_data(reconciliatie, bevindingen_telling, cfg, populatie=populatie, tellingen=tel))
    return Rapportinhoud(titel=cfg.naam, ondertitel=_ondertitel(cfg, benchmark), kernindicatoren=kern,
                         conclusies=concl, secties=tuple(secties), manifest=manifest,
                         onthullingsregel=regel_tekst(cfg.drempel), tellingen=tel)
