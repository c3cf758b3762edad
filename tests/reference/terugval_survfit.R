# Reference fixtures for evaluatie.terugval (return-to-benefit CIF) and evaluatie.uitkeringsmaanden
# (restricted mean time in state of a multi-state process), from R survival::survfit.
# Run from the repository root:  Rscript tests/reference/terugval_survfit.R
# Input written by tests/reference/terugval_maak_data.py; tests only read the files written here.
suppressPackageStartupMessages({library(survival)})
stopifnot(packageVersion("survival") >= "3.0")
out <- "tests/reference/fixtures/terugval"
wcsv <- function(x, f) write.csv(x, file.path(out, f), row.names = FALSE)

## (a) return to benefit after an exit to work: competing risks (terugval vs AOW-leeftijd) ----------
r <- read.csv(file.path(out, "terugval_rijen.csv"))
r$ev <- factor(r$status, levels = 0:2, labels = c("censor", "terugval", "aow"))
cif_frame <- function(fit, group) {
  j <- which(fit$states == "terugval")
  data.frame(group = group, time = fit$time, n_risk = fit$n.risk[, 1], cif = fit$pstate[, j],
             se = fit$std.err[, j])
}
fit <- survfit(Surv(tijd, ev) ~ 1, data = r)
cif <- cif_frame(fit, "alle")
for (g in sort(unique(r$categorie))) {
  cif <- rbind(cif, cif_frame(survfit(Surv(tijd, ev) ~ 1, data = r[r$categorie == g, ]), g))
}
wcsv(cif, "r_cif.csv")
at <- summary(fit, times = c(6, 12, 18))
wcsv(data.frame(time = at$time, cif = at$pstate[, which(fit$states == "terugval")]), "r_cif_6_12_18.csv")

## (b) multi-state uitkering <-> werk / overig from the trajectory start; restricted mean time in state -
m <- read.csv(file.path(out, "terugval_meertoestand.csv"), na.strings = "")
m$naar[is.na(m$naar)] <- "censor"
m$ev <- factor(m$naar, levels = c("censor", "uitkering", "werk", "overig"))
m$van <- factor(m$van, levels = c("uitkering", "werk", "overig"))
ms <- survfit(Surv(start, stop, ev) ~ 1, data = m, id = id, istate = van)
st <- ms$states
ps <- data.frame(time = ms$time)
for (s in c("uitkering", "werk", "overig")) ps[[paste0("p_", s)]] <- ms$pstate[, which(st == s)]
wcsv(ps, "r_pstate.csv")
rm <- NULL
for (tau in c(12, 24, 36)) {
  tab <- summary(ms, rmean = tau)$table
  # survfit gives no SE of the restricted mean in a multi-state model; only the means are compared
  rm <- rbind(rm, data.frame(tau = tau, toestand = rownames(tab), rmean = tab[, "rmean"]))
}
wcsv(rm, "r_rmean.csv")
writeLines(capture.output(sessionInfo()), file.path(out, "sessionInfo.txt"))
