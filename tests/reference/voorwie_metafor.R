# Reference for issue 19 (wat werkt voor wie): Holm adjusted p-values (stats::p.adjust) and the empirical-Bayes
# shrinkage of evaluatie.effecten.pooling.krimp (metafor::rma, DerSimonian-Laird, + blup). Independent of the
# Python code: the inputs below are typed here, the outputs written as fixtures. Run from the repository root:
#   Rscript tests/reference/voorwie_metafor.R
suppressPackageStartupMessages(library(metafor))
p <- c(0.001, 0.04, 0.03, 0.2, 0.5, 0.012, 0.049, 0.0001, 0.9, 0.04)
holm <- data.frame(p = sprintf("%.17g", p), p_holm = sprintf("%.17g", p.adjust(p, method = "holm")))
write.csv(holm, "tests/reference/fixtures/voorwie/holm.csv", row.names = FALSE, quote = FALSE)
sets <- list(
  heterogeen = list(yi = c(0.05, 0.12, -0.02, 0.30, 0.08, 0.01), sei = c(0.03, 0.05, 0.04, 0.10, 0.02, 0.06)),
  homogeen = list(yi = c(0.071, 0.074, 0.069, 0.080), sei = c(0.02, 0.025, 0.018, 0.03)),
  twee = list(yi = c(0.02, 0.09), sei = c(0.015, 0.02))
)
rijen <- lapply(names(sets), function(naam) {
  d <- sets[[naam]]
  r <- rma(yi = d$yi, sei = d$sei, method = "DL")
  b <- blup(r)
  data.frame(set = naam, j = seq_along(d$yi), yi = sprintf("%.17g", d$yi), sei = sprintf("%.17g", d$sei),
             mu = sprintf("%.17g", r$b[1]), mu_se = sprintf("%.17g", r$se), tau2 = sprintf("%.17g", r$tau2),
             pred = sprintf("%.17g", b$pred), se = sprintf("%.17g", b$se))
})
write.csv(do.call(rbind, rijen), "tests/reference/fixtures/voorwie/blup_dl.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("metafor %s\n", packageVersion("metafor")))
