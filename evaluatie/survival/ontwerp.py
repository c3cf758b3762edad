"""Design matrix for the Cox model: formula (formulaic) or a list of columns, with checks."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg

from evaluatie.survival.fouten import OverlevingsFout
from evaluatie.prepare.codes import UITSTROOM_OORZAKEN as _OORZAKEN
from evaluatie.survival.invoer import _rijen

# Uitstroom codes (CONTRIBUTING "Uitstroom codes"); the left side of a formula may name one of them.
UITSTROOM_OORZAKEN: dict[str, int] = dict(_OORZAKEN)


@dataclass(frozen=True)
class Ontwerp:
    """Design matrix with column names and the term -> columns assignment (for the PH test)."""

    X: np.ndarray
    names: tuple[str, ...]
    terms: tuple[tuple[str, tuple[int, ...]], ...]
    lhs: str | None


def split_formula(formula: str) -> tuple[str | None, str]:
    if "~" not in formula:
        return None, formula.strip()
    lhs, rhs = formula.split("~", 1)
    lhs = lhs.strip() or None
    return lhs, rhs.strip()


def design(data: pd.DataFrame, rhs: str | None, covariates: list[str] | None) -> Ontwerp:
    """Build X from a right-hand side (formulaic; the intercept is dropped after reduced-rank coding,
    as R's ``coxph`` does) or from a list of numeric columns."""
    if rhs is not None:
        import formulaic

        try:
            mm = formulaic.model_matrix(rhs, data, na_action="raise")
        except Exception as exc:  # formulaic raises several types; give one Dutch message
            raise OverlevingsFout(f"formule '{rhs}' kan niet worden toegepast op de gegevens: {exc}") from exc
        cols = list(mm.columns)
        X = np.asarray(mm, dtype=float)
        terms = []
        for term, sl in mm.model_spec.term_slices.items():
            name = str(term)
            if name == "1":
                continue
            idx = list(range(sl.start, sl.stop))
            terms.append((name, idx))
        keep = [i for i, c in enumerate(cols) if c != "Intercept"]
        remap = {old: new for new, old in enumerate(keep)}
        terms = tuple((n, tuple(remap[i] for i in idx)) for n, idx in terms)
        return Ontwerp(X=X[:, keep], names=tuple(cols[i] for i in keep), terms=terms, lhs=None)
    covariates = list(covariates or [])
    missing = [c for c in covariates if c not in data.columns]
    if missing:
        raise OverlevingsFout(f"covariaat/covariaten ontbreken: {', '.join(missing)}")
    mats = []
    for c in covariates:
        s = data[c]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            raise OverlevingsFout(
                f"covariaat '{c}' is niet numeriek (type {s.dtype}); gebruik een formule met C({c})")
        v = s.to_numpy(dtype="float64", na_value=np.nan)
        if not np.isfinite(v).all():
            raise OverlevingsFout(
                f"covariaat '{c}' heeft ontbrekende waarden in rij(en) met index {_rijen(data.index, ~np.isfinite(v))}")
        mats.append(v)
    X = np.column_stack(mats) if mats else np.zeros((len(data), 0))
    return Ontwerp(X=X, names=tuple(covariates), terms=tuple((c, (i,)) for i, c in enumerate(covariates)),
                   lhs=None)


def check_identifiable(X: np.ndarray, names: tuple[str, ...], strata: np.ndarray, used: np.ndarray) -> None:
    """Raise a Dutch error naming covariates that carry no information in a (stratified) Cox model.

    A column constant within every stratum, or a linear combination of other columns after removing
    stratum means (collinearity), cannot be estimated. Only rows that are ever at risk count (``used``).
    """
    if X.shape[1] == 0:
        return
    Xu, su = (X, strata) if used.all() else (X[used], strata[used])
    p = X.shape[1]
    n_s = int(su.max()) + 1 if len(su) else 1
    cnt = np.bincount(su, minlength=n_s).astype(float)
    sums = np.column_stack([np.bincount(su, Xu[:, j], n_s) for j in range(p)])
    nz = cnt > 0
    # within-stratum centred cross-products without an n x p temporary
    G = Xu.T @ Xu - (sums[nz] / cnt[nz, None]).T @ sums[nz]
    raw = np.einsum("ij,ij->j", Xu, Xu)
    var = np.diag(G).copy()
    const = var <= 1e-12 * np.maximum(raw, 1.0)
    if const.any():
        bad = [names[i] for i in np.flatnonzero(const)]
        raise OverlevingsFout(
            f"covariaat/covariaten {', '.join(bad)} zijn constant binnen elk stratum en niet te schatten; "
            "laat ze weg of stratificeer niet op dezelfde indeling")
    d = 1.0 / np.sqrt(var)
    C = G * d[:, None] * d[None, :]  # correlation matrix of the within-stratum variation
    R, piv = scipy.linalg.qr(C, pivoting=True, mode="r")
    diag = np.abs(np.diag(R))
    rank = int((diag > diag[0] * 1e-10 * p).sum())
    if rank < p:
        dropped = [names[i] for i in piv[rank:]]
        kept = [names[i] for i in piv[:rank]]
        ev, vec = np.linalg.eigh(C)
        null = vec[:, : p - rank]
        partners = sorted({names[i] for i in np.flatnonzero(np.abs(null).max(axis=1) > 1e-6)})
        raise OverlevingsFout(
            f"covariaten zijn collineair (samen lineair afhankelijk): {', '.join(partners)}; "
            f"laat er één weg (bijv. {', '.join(dropped)}). Overige covariaten: {', '.join(kept)}")
