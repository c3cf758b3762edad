# Reference for the kennisbank's pooling (evaluatie.kennisbank.meta.pool): metafor::rma, DerSimonian-Laird
# (random effects) and the fixed-effect model, on three small sets of run estimates: heterogeneous,
# homogeneous (tau^2 truncated at 0) and two runs. The prediction interval follows Higgins, Thompson &
# Spiegelhalter (2009): mu +- t_{k-2} sqrt(tau^2 + se(mu)^2), computed here from metafor's tau^2 and se
# (metafor 3.8's predict() uses the normal quantile instead). Run from the repository root:
#   Rscript tests/reference/kennisbank_metafor.R
suppressPackageStartupMessages(library(metafor))
sets <- list(
  heterogeen = list(yi = c(0.05, 0.12, -0.02, 0.30, 0.08), sei = c(0.03, 0.05, 0.04, 0.10, 0.02)),
  homogeen = list(yi = c(0.071, 0.074, 0.069, 0.080), sei = c(0.02, 0.025, 0.018, 0.03)),
  twee = list(yi = c(0.02, 0.09), sei = c(0.015, 0.02))
)
rijen <- lapply(names(sets), function(naam) {
  d <- sets[[naam]]
  k <- length(d$yi)
  r <- rma(yi = d$yi, sei = d$sei, method = "DL")
  f <- rma(yi = d$yi, sei = d$sei, method = "FE")
  half <- if (k >= 3) qt(0.975, k - 2) * sqrt(r$tau2 + r$se^2) else NA
  data.frame(set = naam, k = k, yi = paste(d$yi, collapse = ";"), sei = paste(d$sei, collapse = ";"),
             vast = f$b[1], vast_se = f$se, random = r$b[1], random_se = r$se, ci_laag = r$ci.lb,
             ci_hoog = r$ci.ub, q = r$QE, q_p = if (k > 1) r$QEp else NA, i2 = r$I2 / 100, tau2 = r$tau2,
             pi_laag = r$b[1] - half, pi_hoog = r$b[1] + half)
})
uit <- do.call(rbind, rijen)
num <- sapply(uit, is.numeric) & names(uit) != "k"
uit[num] <- lapply(uit[num], function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x)))
write.csv(uit, "tests/reference/fixtures/kennisbank/metafor_dl.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("metafor %s\n", packageVersion("metafor")))
