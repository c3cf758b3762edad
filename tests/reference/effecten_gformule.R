# Independent reference for the g-formula (evaluatie.effecten, issue 4): CIF0, CIF1 and so ATT.
#
# Written from the definitions in docs/methoden.md §5, not from the Python code. With only categorie as
# covariate and duration bands per categorie the monthly exit model (multinomial logit: stay / werk /
# other exit) is saturated in (categorie, band), so its maximum-likelihood hazards are the observed
# proportions in the untreated person-months. Categorie is a Markov state: the monthly transition matrix
# is the observed frequency of categorie in month t+1 given categorie in month t, over consecutive months
# of one spell whose first month is untreated. For each participant (first treated month of a spell) the
# distribution over categorie of those still on benefit is carried forward from the start month:
#   CIF(t) = CIF(t-1) + sum_s a_s(t) h_werk(s, band(d + t - 1)),
#   a(t+1) = (a(t) * (1 - h_werk - h_other)) %*% P.
# The participants' curve CIF1 adds to the same log-odds one coefficient per band of months since the
# start (the path; ridge 0.01 but on the first band) and carries categorie forward with the cell's own
# post-start transitions, shrunk toward P with 24 pseudo-months per state.
# Output: per instrument x categorie (categorie in the start month) the mean CIF0 and CIF1 at 1..36
# months, and the total over all participants of CIF0 at the window end (the "without instruments" count
# of the attributable share).
#
# Input: tests/reference/data/effecten_pm.csv.gz (written by tests/reference/maak_effecten_data.py).
# Run from the repository root: Rscript tests/reference/effecten_gformule.R   (R 4.x, base R only;
# sources tests/reference/effecten_gemeen.R)

source("tests/reference/effecten_gemeen.R")

# saturated hazards per (categorie, band)
hw <- ho <- matrix(NA_real_, S, B)
for (s in 1:S) for (b in 1:B) {
  m <- onbehandeld & cat_i == s & band == b
  hw[s, b] <- sum(y[m] == 1) / sum(m)
  ho[s, b] <- sum(y[m] == 2) / sum(m)
}
stopifnot(all(is.finite(hw)), all(hw > 0), all(ho > 0))

# transitions between consecutive months of a spell whose first month is untreated
volgt_alle <- which(pm$spell_id[-1] == pm$spell_id[-n] & pm$maand[-1] == pm$maand[-n] + 1)
volgt <- volgt_alle[onbehandeld[volgt_alle]]
C <- table(factor(cat_i[volgt], 1:S), factor(cat_i[volgt + 1], 1:S))
P <- unclass(C) / rowSums(C)

venster_eind <- max(km)
hvenster <- venster_eind - km[rij] + 1
Hp <- max(H, hvenster)

cif0 <- matrix(0, length(rij), Hp)
for (j in seq_along(rij)) {
  a <- numeric(S); a[cat_i[rij[j]]] <- 1
  acc <- 0
  for (t in 1:Hp) {
    b <- findInterval(pm$maand[rij[j]] + t - 1, grenzen)
    acc <- acc + sum(a * hw[, b])
    cif0[j, t] <- acc
    a <- as.vector((a * (1 - hw[, b] - ho[, b])) %*% P)
  }
}

# --- participants: the no-instrument log-odds as offset plus one coefficient per band of months since
# the start and outcome (the "path"), ridge 0.01 on every band but the first; the model is one-hot in the
# band, so each band is its own two-parameter penalised multinomial logit, solved by Newton.
SINDS <- c(0, 1, 2, 3, 4, 6, 9, 12, 18, 24, 36)
RIDGE <- 0.01
h0 <- 1 - hw - ho
d_van <- setNames(pm$maand[rij], pm$spell_id[rij])
cel_van <- setNames(cel, pm$spell_id[rij])
rij_d <- unname(d_van[as.character(pm$spell_id)])
na_start <- !is.na(rij_d) & pm$maand >= rij_d
rij_cel <- ifelse(na_start, unname(cel_van[as.character(pm$spell_id)]), NA)
kband <- findInterval(pm$maand - rij_d, SINDS)
ow <- log(hw / h0)[cbind(cat_i, band)]
oo <- log(ho / h0)[cbind(cat_i, band)]

pad_van_band <- function(m, lambda) {
  nw <- sum(y[m] == 1); no <- sum(y[m] == 2)
  f <- function(g) nw * g[1] + no * g[2] - sum(log(1 + exp(ow[m] + g[1]) + exp(oo[m] + g[2]))) -
    0.5 * lambda * sum(g^2)
  g <- c(0, 0)
  # without a penalty and without events of an outcome its maximum is at -Inf (hazard 0): fix it far out
  leeg <- lambda == 0 & c(nw, no) == 0
  g[leeg] <- -60
  for (it in 1:500) {
    ew <- exp(ow[m] + g[1]); eo <- exp(oo[m] + g[2]); den <- 1 + ew + eo
    pw <- ew / den; po <- eo / den
    grad <- c(nw - sum(pw), no - sum(po)) - lambda * g
    hess <- matrix(c(sum(pw * (1 - pw)) + lambda, -sum(pw * po), -sum(pw * po), sum(po * (1 - po)) + lambda), 2)
    stap <- numeric(2)
    if (any(!leeg)) stap[!leeg] <- solve(hess[!leeg, !leeg, drop = FALSE], grad[!leeg])
    t <- 1
    while (f(g + t * stap) < f(g) - 1e-12 * abs(f(g)) && t > 1e-8) t <- t / 2   # step halving
    g <- g + t * stap
    if (max(abs(t * stap)) < 1e-12) break
  }
  g
}

cif1 <- matrix(0, length(rij), H)
for (k in unique(cel)) {
  m_cel <- which(na_start & rij_cel == k)
  gamma <- matrix(0, length(SINDS), 2)          # bands without rows keep 0 (the ridge's minimum)
  for (b in unique(kband[m_cel])) gamma[b, ] <- pad_van_band(m_cel[kband[m_cel] == b], if (b == 1) 0 else RIDGE)
  # the cell's own transitions (pairs whose first month is one of its post-start months), shrunk toward P
  p1 <- volgt_alle[na_start[volgt_alle] & rij_cel[volgt_alle] %in% k]
  C1 <- unclass(table(factor(cat_i[p1], 1:S), factor(cat_i[p1 + 1], 1:S)))
  P1 <- (C1 + 24 * P) / (rowSums(C1) + 24)
  for (j in which(cel == k)) {
    a <- numeric(S); a[cat_i[rij[j]]] <- 1
    acc <- 0
    for (t in 1:H) {
      b <- findInterval(pm$maand[rij[j]] + t - 1, grenzen)
      kb <- findInterval(t - 1, SINDS)
      ew <- hw[, b] / h0[, b] * exp(gamma[kb, 1]); eo <- ho[, b] / h0[, b] * exp(gamma[kb, 2])
      blijf <- 1 / (1 + ew + eo)
      acc <- acc + sum(a * ew * blijf)
      cif1[j, t] <- acc
      a <- as.vector((a * blijf) %*% P1)
    }
  }
}

uit <- do.call(rbind, lapply(sort(unique(cel)), function(k) {
  sel <- cel == k
  data.frame(instrument = pm$instrument[rij][sel][1], categorie = pm$categorie[rij][sel][1],
             n_deelnemers = sum(sel), horizon = 1:H, cif0 = colMeans(cif0[sel, 1:H, drop = FALSE]),
             cif1 = colMeans(cif1[sel, , drop = FALSE]))
}))
zonder <- sum(cif0[cbind(seq_along(rij), pmin(hvenster, Hp))])
uit <- rbind(uit, data.frame(instrument = "alle", categorie = "alle", n_deelnemers = length(rij),
                             horizon = NA, cif0 = zonder, cif1 = NA))
dir.create("tests/reference/fixtures/effecten", showWarnings = FALSE, recursive = TRUE)
uit$cif0 <- sprintf("%.17g", uit$cif0)
uit$cif1 <- ifelse(is.na(uit$cif1), "NA", sprintf("%.17g", uit$cif1))
write.csv(uit, "tests/reference/fixtures/effecten/gformule_cif0.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("%d deelnemers in %d cellen; zonder instrumenten %.6f uitstroom naar werk (R %s)\n",
            length(rij), length(unique(cel)), zonder, R.version.string))
