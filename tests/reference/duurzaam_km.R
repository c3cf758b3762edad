# Reference fixture for evaluatie.effecten.na_uitstroom.s_terug_km: the weighted Kaplan-Meier curve of the
# return gap after an exit to work (months after the exit month until the next benefit spell starts),
# right-censored at the end of follow-up, from R survival::survfit (case weights).
# Run from the repository root:  Rscript tests/reference/duurzaam_km.R   (deterministic: data made here)
suppressPackageStartupMessages({library(survival)})
out <- "tests/reference/fixtures/duurzaam"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
set.seed(17)
n <- 300
gap <- ifelse(runif(n) < 0.3, 1 + rgeom(n, 0.15), 1000000L)   # 1000000 = no new spell
fu <- sample(0:30, n, replace = TRUE)                          # 0 = exit in the last month of the data
w <- sample(1:3, n, replace = TRUE)
d <- data.frame(gap = as.integer(gap), fu = as.integer(fu), w = as.integer(w))
write.csv(d, file.path(out, "terugkeer_data.csv"), row.names = FALSE)
obs <- pmin(d$gap, d$fu)
ev <- as.integer(d$gap <= d$fu)
keep <- obs >= 1            # no follow-up (fu = 0): no month at risk
fit <- survfit(Surv(obs[keep], ev[keep]) ~ 1, weights = d$w[keep])
u <- 1:24
s <- summary(fit, times = u, extend = TRUE)
write.csv(data.frame(u = u, surv = sprintf("%.15g", s$surv)), file.path(out, "r_km.csv"), row.names = FALSE,
          quote = FALSE)
