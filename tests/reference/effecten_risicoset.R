# Independent reference for the risk-set weighting estimator (evaluatie.effecten, the "controle" method).
#
# From docs/methoden.md §4 "Risicoset-weging": in categorie c the untreated person-months form the risk
# set; a logit of "start instrument j in this month" against "start nothing" on the duration bands
# (intercept + band dummies, ridge 0.01 on the dummies, fitted by Newton here) gives the propensity e; every
# untreated person-month is a control entry with weight e / (1 - e), followed to the end of its spell
# (it may start an instrument later). The control curve is the weighted Aalen-Johansen CIF of werk
# (survival::survfit, multi-state); the participants' curve the unweighted one from their start month.
# Time = months since the entry month (the entry month = 1). Run from the repository root:
#   Rscript tests/reference/effecten_risicoset.R      (R 4.x with the survival package)

suppressPackageStartupMessages(library(survival))
source("tests/reference/effecten_gemeen.R")
RIDGE <- 0.01

eind_rij <- ave(seq_len(n), pm$spell_id, FUN = max)        # row index of the spell's last month
T_rij <- pm$maand[eind_rij] - pm$maand + 1
eind <- y[eind_rij]

cif_werk <- function(tijd, status, w) {
  fit <- survfit(Surv(tijd, factor(status, 0:2)) ~ 1, weights = w, conf.type = "none")
  s <- summary(fit, times = 1:H, extend = TRUE)
  s$pstate[, which(fit$states == "1")]
}

logit_ridge <- function(X, yy) {
  pen <- c(0, rep(RIDGE, ncol(X) - 1))
  b <- c(log(mean(yy) / (1 - mean(yy))), rep(0, ncol(X) - 1))
  for (it in 1:100) {
    p <- 1 / (1 + exp(-(X %*% b)))
    g <- t(X) %*% (yy - p) - pen * b
    Hm <- t(X) %*% (X * as.vector(p * (1 - p))) + diag(pen)
    stap <- solve(Hm, g)
    b <- b + stap
    if (max(abs(stap)) < 1e-12) break
  }
  as.vector(b)
}

uit <- list()
for (k in sort(unique(cel))) {
  j <- rij[cel == k]
  instr <- pm$instrument[j[1]]; cc <- pm$categorie[j[1]]
  risico <- which(onbehandeld & pm$categorie == cc)
  # bands that occur in the categorie's risk set or among its starts, as dummies against the first
  banden <- sort(unique(c(band[risico], band[j])))
  X <- cbind(1, outer(c(band[risico], band[j]), banden[-1], "==") * 1)
  yy <- c(rep(0, length(risico)), rep(1, length(j)))
  b <- logit_ridge(X, yy)
  e <- 1 / (1 + exp(-(X[seq_along(risico), , drop = FALSE] %*% b)))
  w <- as.vector(e / (1 - e))
  uit[[k]] <- data.frame(instrument = instr, categorie = cc, n_deelnemers = length(j), horizon = 1:H,
                         cif_controle = cif_werk(T_rij[risico], eind[risico], w),
                         cif_deelnemers = cif_werk(T_rij[j], eind[j], rep(1, length(j))))
}
uit <- do.call(rbind, uit)
for (kol in c("cif_controle", "cif_deelnemers")) uit[[kol]] <- sprintf("%.17g", uit[[kol]])
dir.create("tests/reference/fixtures/effecten", showWarnings = FALSE, recursive = TRUE)
write.csv(uit, "tests/reference/fixtures/effecten/risicoset.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("%d cellen (R %s, survival %s)\n", length(unique(cel)), R.version.string, packageVersion("survival")))
