"""From the person-month table to the arrays every estimator shares (built once, reused per replicate).

Timing conventions (CONTRIBUTING "Person-month table"): a row is one spell x month at risk; ``status``
is the uitstroom code of an exit in that month; ``<code>_in`` is 1 in months in the programme and
``<code>_na`` after it. A *start* is the first treated row of a spell; its ``maand`` is the start month
``d``. ``Y(h)`` = exit to werk within ``h`` months of the start, the start month counting as month 1, so
a row's own exit counts for month 1 of an entry at that row.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluatie.effecten.hazardmodel import Codering, Specificatie, codes, collapse, design, duurband, leeftijd_code, maak_codering
from evaluatie.effecten.toestand import Toestanden, maak_toestanden, zonder_toestand
from evaluatie.waarschuwingen import EffectWaarschuwing, Melding
from evaluatie.prepare.codes import WERK, werk_of_ander  # noqa: F401  (WERK: re-exported for old imports)


@dataclass(frozen=True)
class Ontwerp:
    """Arrays shared by the estimators. Read-only by convention; built by :func:`maak_ontwerp`.

    Row arrays (``r_*``) have one entry per person-month; participant arrays (``p_*``) one per
    programme start; ``X`` is the design of the covariate patterns.
    """

    cod: Codering
    X: np.ndarray                 # (P, k) design of the patterns
    XT: np.ndarray                # X.T in C order (cached for the bootstrap)
    pat_cat: np.ndarray           # (P,) categorie code of each pattern
    n_clienten: int
    client_ids: np.ndarray        # (n_clienten,) original ids
    instrumenten: tuple[str, ...]
    categorieen: tuple[str, ...]
    # rows
    r_client: np.ndarray
    r_pat: np.ndarray
    r_y: np.ndarray               # 0 stay / censored, 1 werk, 2 other exit
    r_onbehandeld: np.ndarray     # bool: no instrument started yet in this spell
    r_cat: np.ndarray             # categorie code
    r_maand: np.ndarray
    r_T: np.ndarray               # months from this row to the spell's last row, this row = 1
    r_eind: np.ndarray            # exit code at the spell's end (0 censored, 1 werk, 2 other)
    r_nooit: np.ndarray           # bool: spell never starts an instrument
    # participants (one row per start)
    p_client: np.ndarray
    p_instr: np.ndarray           # instrument index
    p_cat: np.ndarray
    p_maand: np.ndarray
    p_pat: np.ndarray
    p_T: np.ndarray
    p_eind: np.ndarray
    p_hvenster: np.ndarray        # months from start to window end, start month = 1
    r_deelnemer: np.ndarray      # participant index for rows from the start month on (-1 otherwise)
    r_sinds: np.ndarray           # months since the start (0 in the start month; -1 before/without)
    proj_idx: np.ndarray          # (n_part, Hp) index into X_proj, Hp >= H covers the window
    X_proj: np.ndarray            # (Q, k) design of projected patterns (no instrument; state covariates at code 0)
    proj_band: np.ndarray         # (n_part, Hp) duration band of each projected month
    toestanden: Toestanden        # time-varying categorie/trede as a Markov state (see toestand.py)
    p_toestand: np.ndarray        # (n_part,) state in the start month
    gemeenten: tuple[str, ...]    # gemeentecodes in the data ("onbekend" for missing); () without the column
    r_gemeente: np.ndarray        # (n_rows,) index into gemeenten (-1 without the column)
    p_gemeente: np.ndarray        # (n_part,) gemeente of the start month's row
    H: int
    n_uitgesloten: int            # starts before the window (not usable)


def instrument_kolommen(pm: pd.DataFrame) -> tuple[str, ...]:
    """Instrument codes that have both ``<code>_in`` and ``<code>_na`` columns."""
    return tuple(c[:-3] for c in pm.columns if c.endswith("_in") and f"{c[:-3]}_na" in pm.columns)


def controleer_toestandsdecompositie(code_rows: np.ndarray, cod: Codering, toest: Toestanden) -> None:
    """Check ``design(codes) == design(codes with state 0) + Xs[band, state]`` on ``code_rows``.

    The projection relies on it (:mod:`evaluatie.effecten.toestand`); a design with an interaction
    between the state and another covariate would break it, and must then not pass silently.
    """
    if not len(code_rows):
        return
    glob = {tuple(c): i for i, c in enumerate(toest.codes.tolist())}
    s_glob = np.array([glob[tuple(c)] for c in code_rows[:, list(toest.kolommen)].tolist()], dtype=np.int64)
    links = design(code_rows, cod)
    rechts = design(zonder_toestand(code_rows, toest), cod) + toest.Xs[code_rows[:, 0], s_glob]
    if not np.allclose(links, rechts, atol=1e-12):
        raise AssertionError("ontwerp: de lineaire predictor is niet additief in de toestand (categorie/trede); "
                             "de projectie over toestanden is dan niet geldig")


def maak_ontwerp(pm: pd.DataFrame, spec: Specificatie = Specificatie(), *, H: int = 36) -> tuple[Ontwerp, tuple[str, ...]]:
    """Build the shared arrays from a person-month table.

    Parameters
    ----------
    pm : DataFrame
        Person-month table (contract in CONTRIBUTING.md). Not modified.
    spec : Specificatie
        Covariates and functional forms.
    H : int
        Longest horizon (months) to project.

    Returns
    -------
    (Ontwerp, warnings)
    """
    need = {"client_id", "spell_id", "maand", "kalendermaand", "status"}
    missing = need - set(pm.columns)
    if missing:
        raise ValueError(f"persoonmaandtabel mist kolommen: {', '.join(sorted(missing))}")
    instr = instrument_kolommen(pm)
    if not instr:
        raise ValueError("persoonmaandtabel heeft geen instrumentkolommen (<code>_in en <code>_na)")
    df = pm.sort_values(["spell_id", "maand"], kind="mergesort").reset_index(drop=True)
    if "kalenderjaar" not in df.columns:
        df = df.assign(kalenderjaar=pd.PeriodIndex(df["kalendermaand"], freq="M").year)
    cod, warns = maak_codering(df, spec)
    warns = list(warns)

    n = len(df)
    inn = np.column_stack([df[f"{c}_in"].to_numpy(dtype=np.int8) for c in instr])
    na = np.column_stack([df[f"{c}_na"].to_numpy(dtype=np.int8) for c in instr])
    behandeld = (inn + na).sum(axis=1) > 0
    spell = df["spell_id"].to_numpy()
    maand = df["maand"].to_numpy(dtype=np.int64)
    km = pd.PeriodIndex(df["kalendermaand"], freq="M")
    kmi = (km.year.to_numpy() * 12 + km.month.to_numpy() - 1).astype(np.int64)
    venster_eind = int(kmi.max())

    # spell bounds
    nieuw = np.r_[True, spell[1:] != spell[:-1]]
    sp_start = np.nonzero(nieuw)[0]
    sp_len = np.diff(np.r_[sp_start, n])
    sp_of_row = np.repeat(np.arange(len(sp_start)), sp_len)
    last = sp_start + sp_len - 1
    eind = werk_of_ander(df["status"].to_numpy())[last]
    r_T = maand[last][sp_of_row] - maand + 1
    r_eind = eind[sp_of_row]
    ooit = np.zeros(len(sp_start), bool)
    np.logical_or.at(ooit, sp_of_row, behandeld)

    # first treated row per spell
    prev_beh = np.r_[False, behandeld[:-1]] & ~nieuw
    start_row = behandeld & ~prev_beh
    first_row = nieuw
    bad = start_row & first_row & (maand > 0)
    if "traject_start" in df.columns:
        # a programme whose start month is the first observed month is a start, not one running before the window
        bad &= df["traject_start"].to_numpy() != 1
    n_uit = int(bad.sum())
    if n_uit:
        warns.append(Melding(f"{n_uit} trajecten liepen al bij het begin van de waarneming; niet meegenomen als deelnemer",
                             soort=EffectWaarschuwing))
    start_row &= ~bad
    # spells that start more than once (should not happen): keep the first start
    sr = np.nonzero(start_row)[0]
    if len(np.unique(sp_of_row[sr])) < len(sr):
        _, first = np.unique(sp_of_row[sr], return_index=True)
        warns.append(Melding("spells met meer dan één start: alleen de eerste telt", soort=EffectWaarschuwing))
        keep = np.zeros(n, bool)
        keep[sr[first]] = True
        start_row &= keep
    sr = np.nonzero(start_row)[0]
    p_instr = np.argmax(inn[sr] + na[sr], axis=1)
    # multiple instruments in the start month: take the first in column order
    onbeh = ~behandeld
    # rows of spells whose trajectory ran before the window are not "untreated"
    al_beh = np.zeros(len(sp_start), bool)
    al_beh[sp_of_row[np.nonzero(bad)[0]]] = True
    onbeh &= ~al_beh[sp_of_row]

    client_codes, r_client = np.unique(df["client_id"].astype(str).to_numpy(), return_inverse=True)
    r_client = r_client.reshape(-1)
    code_rows = codes(df, cod)
    toest = maak_toestanden(code_rows, cod, spell, maand)
    pats, r_pat = collapse(code_rows)
    X = design(pats, cod)
    controleer_toestandsdecompositie(code_rows[: min(n, 5000)], cod, toest)
    cats = cod.levels.get("categorie", ("alle",))
    ci = 1 + cod.kolommen.index("categorie") if "categorie" in cod.kolommen else None
    pat_cat = pats[:, ci] if ci is not None else np.zeros(len(pats), np.int64)

    r_y = werk_of_ander(df["status"].to_numpy(dtype=np.int64))
    if "gemeentecode" in df.columns:
        gem, r_gem = np.unique(df["gemeentecode"].astype(object).where(df["gemeentecode"].notna(), "onbekend").astype(str)
                               .to_numpy(), return_inverse=True)
        gemeenten, r_gem = tuple(str(g) for g in gem), r_gem.reshape(-1).astype(np.int64)
    else:
        gemeenten, r_gem = (), np.full(n, -1, dtype=np.int64)

    # projection patterns: participant covariates at d, maand d..d+H-1, year and age advancing; the
    # classification (categorie, trede) is integrated over by toestand.cif_markov, so set to the reference here
    hvenster = venster_eind - kmi[sr] + 1
    Hp = int(max(H, hvenster.max() if len(sr) else H))
    t = np.arange(Hp)
    pm_maand = (maand[sr][:, None] + t[None, :]).reshape(-1)
    pm_jaar = ((kmi[sr][:, None] + t[None, :]) // 12).reshape(-1)
    pcodes = np.repeat(zonder_toestand(code_rows[sr], toest), Hp, axis=0)
    pband = duurband(pm_maand, cod.spec.duurgrenzen)
    pcodes[:, 0] = pband
    if "leeftijd" in cod.kolommen:
        a0 = np.asarray(pd.to_numeric(df["leeftijd"], errors="coerce").fillna(40).round(), dtype=np.int64)[sr]
        pcodes[:, 1 + cod.kolommen.index("leeftijd")] = leeftijd_code(np.repeat(a0, Hp) + pm_maand // 12, cod)
    if "kalenderjaar" in cod.kolommen:
        lv = np.array([int(x) for x in cod.levels["kalenderjaar"]])
        pcodes[:, 1 + cod.kolommen.index("kalenderjaar")] = np.searchsorted(lv, np.clip(pm_jaar, lv[0], lv[-1]))
    qpats, qidx = collapse(pcodes) if len(pcodes) else (np.zeros((0, code_rows.shape[1]), np.int64), np.zeros(0, np.int64))
    X_proj = design(qpats, cod) if len(qpats) else np.zeros((0, X.shape[1]))

    r_deelnemer = np.full(n, -1, dtype=np.int64)
    sp_part = np.full(len(sp_start), -1, dtype=np.int64)
    sp_part[sp_of_row[sr]] = np.arange(len(sr))
    sp_d = np.full(len(sp_start), -1, dtype=np.int64)
    sp_d[sp_of_row[sr]] = maand[sr]
    na_start = (sp_part[sp_of_row] >= 0) & (maand >= sp_d[sp_of_row])
    r_deelnemer[na_start] = sp_part[sp_of_row][na_start]
    r_sinds = np.where(na_start, maand - sp_d[sp_of_row], -1)

    ontw = Ontwerp(
        cod=cod, X=X, XT=np.ascontiguousarray(X.T), pat_cat=pat_cat, n_clienten=len(client_codes), client_ids=client_codes,
        instrumenten=instr, categorieen=tuple(str(c) for c in cats),
        r_client=r_client, r_pat=r_pat, r_y=r_y, r_onbehandeld=onbeh, r_cat=pat_cat[r_pat], r_maand=maand,
        r_T=r_T, r_eind=r_eind, r_nooit=~ooit[sp_of_row],
        p_client=r_client[sr], p_instr=p_instr, p_cat=pat_cat[r_pat[sr]], p_maand=maand[sr], p_pat=r_pat[sr],
        p_T=r_T[sr], p_eind=r_eind[sr], p_hvenster=hvenster,
        r_deelnemer=r_deelnemer, r_sinds=r_sinds, proj_idx=qidx.reshape(len(sr), Hp), X_proj=X_proj,
        proj_band=pband.reshape(len(sr), Hp), toestanden=toest, p_toestand=toest.r_toestand[sr],
        gemeenten=gemeenten, r_gemeente=r_gem, p_gemeente=r_gem[sr], H=H, n_uitgesloten=n_uit,
    )
    return ontw, tuple(warns)
