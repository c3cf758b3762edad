# Reference values for the CR2 joint Wald test with the HTZ approximation (tests/test_panel_wald.py).
# Run from the repository root:
#   Rscript tests/reference/panel_clubsandwich_wald.R
# Reads tests/reference/fixtures/panel/did_panel.csv (written by panel_plm.R; 24 gemeenten 2011-2019,
# 6 treated, two gemeente-jaren missing) and writes
#   tests/reference/fixtures/panel/clubsandwich_wald.csv        (Wald_test, vcov = "CR2", test = "HTZ")
#   tests/reference/fixtures/panel/clubsandwich_event_coef.csv  (coef_test, CR2 + Satterthwaite, per term)
# R 4.2, clubSandwich 0.5.8. No random numbers: the second outcome is a deterministic transform of y.
suppressPackageStartupMessages(library(clubSandwich))
out <- "tests/reference/fixtures/panel"
d <- read.csv(file.path(out, "did_panel.csv"), stringsAsFactors = FALSE)
jaar0 <- 2016
# outcome with a diverging trend for the treated gemeenten (0.8 point per year, 0 in 2016); same formula in
# tests/test_panel_wald.py
d$y_trend <- d$y + 0.8 * d$behandeld * (d$jaar - jaar0)
rel <- sort(setdiff(unique(d$jaar - jaar0), -1))
naam <- function(k) ifelse(k < 0, paste0("rel_m", -k), paste0("rel_", k))
for (k in rel) d[[naam(k)]] <- as.numeric(d$behandeld == 1 & d$jaar - jaar0 == k)
termen <- naam(rel)
leads <- naam(rel[rel <= -2])
lags <- naam(rel[rel >= 0])

wald <- list(); coefs <- list()
for (uitkomst in c("y", "y_trend")) {
  f <- as.formula(paste(uitkomst, "~", paste(termen, collapse = " + "), "+ factor(jaar) + factor(gemeentecode)"))
  fit <- lm(f, data = d)
  V2 <- vcovCR(fit, cluster = d$gemeentecode, type = "CR2")
  b <- coef(fit)
  add <- function(case, C) {
    w <- Wald_test(fit, constraints = C, vcov = V2, test = c("HTZ", "Naive-F"))
    for (i in seq_len(nrow(w))) {
      wald[[length(wald) + 1]] <<- data.frame(
        uitkomst = uitkomst, case = case, test = w$test[i], q = w$df_num[i], Fstat = w$Fstat[i],
        delta = w$delta[i], df_denom = w$df_denom[i], p_val = w$p_val[i],
        Q = w$Fstat[i] * w$df_num[i] / w$delta[i], n = nobs(fit), G = length(unique(d$gemeentecode)))
    }
  }
  add("leads_nul", constrain_zero(leads, coefs = b))                 # the pre-trend test, q = 4
  add("lags_gelijk", constrain_equal(lags, coefs = b))               # general contrast matrix, q = 3
  add("rel_m2_nul", constrain_zero("rel_m2", coefs = b))             # q = 1: HTZ = CR2 t-test, Satterthwaite df
  add("rel_m5_m4_nul", constrain_zero(c("rel_m5", "rel_m4"), coefs = b))  # q = 2
  ct <- coef_test(fit, vcov = V2, test = "Satterthwaite", coefs = termen)
  coefs[[length(coefs) + 1]] <- data.frame(uitkomst = uitkomst, term = termen, estimate = unname(b[termen]),
                                           se_cr2 = ct$SE, df_cr2 = ct$df_Satt, p_cr2 = ct$p_Satt)
}
write.csv(do.call(rbind, wald), file.path(out, "clubsandwich_wald.csv"), row.names = FALSE)
write.csv(do.call(rbind, coefs), file.path(out, "clubsandwich_event_coef.csv"), row.names = FALSE)
cat(R.version.string, "clubSandwich", as.character(packageVersion("clubSandwich")), "\n")
cat("referenties geschreven naar", out, "\n")
