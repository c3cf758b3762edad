# Reference fixtures for evaluatie.survival (KM, Aalen-Johansen CIF, cause-specific Cox, cox.zph).
# Run from the repository root:  Rscript tests/reference/survival_fixtures.R
# Needs R packages survival (>= 3), cmprsk, carData, jsonlite. Tests only read the files written here.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
stopifnot(packageVersion("survival") >= "3.0")
out <- "tests/reference/fixtures/survival"
dat <- "tests/reference/data"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
wcsv <- function(x, f) write.csv(x, file.path(out, f), row.names = FALSE)
wjson <- function(x, f) writeLines(toJSON(x, digits = NA, auto_unbox = TRUE, pretty = TRUE),
                                   file.path(out, f))
cox_info <- function(fit) {
  s <- summary(fit)$coefficients
  r <- list(coef = unname(coef(fit)), names = names(coef(fit)),
            se = unname(sqrt(diag(fit$var))), loglik = fit$loglik, iter = fit$iter,
            n = fit$n, nevent = fit$nevent, var = unname(fit$var))
  if (!is.null(fit$naive.var)) {
    r$robust_se <- unname(sqrt(diag(fit$var)))
    r$se <- unname(sqrt(diag(fit$naive.var)))
    r$naive_var <- unname(fit$naive.var)
  }
  r
}
zph_info <- function(fit) {
  z <- cox.zph(fit)  # transform = "km", terms = TRUE, global = TRUE
  list(terms = rownames(z$table), chisq = unname(z$table[, "chisq"]),
       df = unname(z$table[, "df"]), p = unname(z$table[, "p"]))
}
km_frame <- function(fit, grp = NULL) {
  s <- fit
  data.frame(group = if (is.null(s$strata)) "all" else rep(sub(".*=", "", names(s$strata)), s$strata),
             time = s$time, n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
             survival = s$surv, se = s$std.err * s$surv,  # std.err is on the log scale
             ci_lower = s$lower, ci_upper = s$upper)
}

## (a) Rossi recidivism data --------------------------------------------------------------
rossi <- read.csv(file.path(dat, "rossi.csv"))          # as saved from lifelines.load_rossi()
data(Rossi, package = "carData")
# lifelines' copy must be the same 432 people in the same order as carData's
stopifnot(nrow(Rossi) == nrow(rossi), all(Rossi$week == rossi$week), all(Rossi$prio == rossi$prio),
          all(Rossi$age == rossi$age), all((Rossi$fin == "yes") == (rossi$fin == 1)))
for (m in c("efron", "breslow")) {
  f <- coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio, data = rossi, ties = m)
  r <- cox_info(f); r$zph <- zph_info(f)
  wjson(r, sprintf("rossi_cox_%s.json", m))
}
# Counting-process form with time-varying (lagged) employment, Fox & Weisberg appendix
rossi$id <- seq_len(nrow(rossi))
emp <- as.matrix(Rossi[, paste0("emp", 1:52)]) == "yes"
rows <- list()
for (i in seq_len(nrow(rossi))) {
  w <- rossi$week[i]
  for (j in seq_len(w)) {
    rows[[length(rows) + 1]] <- c(id = i, start = j - 1, stop = j,
                                  arrest = as.integer(j == w && rossi$arrest[i] == 1),
                                  employed = if (j == 1) NA else as.integer(emp[i, j - 1]))
  }
}
long <- as.data.frame(do.call(rbind, rows))
long <- cbind(long, rossi[long$id, c("fin", "age", "race", "wexp", "mar", "paro", "prio")])
long <- long[!is.na(long$employed), ]   # lagged: week 1 has no previous week
write.csv(long, file.path(dat, "rossi_long.csv"), row.names = FALSE)
for (m in c("efron", "breslow")) {
  f <- coxph(Surv(start, stop, arrest) ~ fin + age + race + wexp + mar + paro + prio + employed +
               cluster(id), data = long, ties = m)
  r <- cox_info(f); r$zph <- zph_info(f)
  wjson(r, sprintf("rossi_tv_cox_%s.json", m))
}
wcsv(km_frame(survfit(Surv(week, arrest) ~ 1, data = rossi, conf.type = "log-log")), "rossi_km.csv")
wcsv(km_frame(survfit(Surv(week, arrest) ~ fin, data = rossi, conf.type = "log-log")), "rossi_km_fin.csv")

## (b) Simulated counting-process data -----------------------------------------------------
# Clients with 1-3 spells, delayed entry for half the spells, integer (heavily tied) times,
# three strata (categorie), a time-varying 0/1 instrument, competing exits 1 = werk, 2, 3.
set.seed(20240501)
n_id <- 250
rows <- list(); spell <- 0
for (i in seq_len(n_id)) {
  x1 <- round(rnorm(1), 2); x2 <- rbinom(1, 1, 0.4); cat <- sample(c("A", "B", "C"), 1)
  for (s in seq_len(sample(1:3, 1))) {
    spell <- spell + 1
    entry <- if (runif(1) < 0.5) 0 else sample(1:6, 1)
    base <- c(A = 0.08, B = 0.05, C = 0.03)[[cat]]
    t1 <- rexp(1, base * exp(0.5 * x1 - 0.4 * x2)); t2 <- rexp(1, 0.03 * exp(-0.3 * x1))
    t3 <- rexp(1, 0.01); cens <- runif(1, 3, 30)
    tt <- min(t1, t2, t3, cens)
    stop <- entry + ceiling(tt)
    status <- if (tt == cens) 0 else which.min(c(t1, t2, t3))
    sw <- entry + sample(1:12, 1)  # instrument starts at sw, ends 6 later
    cuts <- sort(unique(c(entry, stop, sw[sw > entry & sw < stop], (sw + 6)[sw + 6 > entry & sw + 6 < stop])))
    for (k in seq_len(length(cuts) - 1)) {
      a <- cuts[k]; b <- cuts[k + 1]
      rows[[length(rows) + 1]] <- data.frame(
        client_id = i, spell_id = spell, start = a, stop = b,
        status = if (b == stop) status else 0L, categorie = cat, x1 = x1, x2 = x2,
        instr_in = as.integer(a >= sw & b <= sw + 6), instr_na = as.integer(a >= sw + 6))
    }
  }
}
sim <- do.call(rbind, rows)
write.csv(sim, file.path(dat, "sim_survival.csv"), row.names = FALSE)

sim$werk <- as.integer(sim$status == 1)
fits <- list()
for (m in c("efron", "breslow")) {
  f <- coxph(Surv(start, stop, werk) ~ x1 + x2 + instr_in + instr_na + strata(categorie) +
               cluster(client_id), data = sim, ties = m)
  r <- cox_info(f); r$zph <- zph_info(f)
  wjson(r, sprintf("sim_cox_%s.json", m))
  # unstratified, cause 2, no cluster: model-based SE only
  f2 <- coxph(Surv(start, stop, status == 2) ~ x1 + x2 + instr_in + factor(categorie), data = sim, ties = m)
  r2 <- cox_info(f2); r2$zph <- zph_info(f2)
  wjson(r2, sprintf("sim_cox2_%s.json", m))
}
# KM with delayed entry (any exit), by categorie and pooled; rows at risk on (start, stop]
sim$any <- as.integer(sim$status > 0)
wcsv(km_frame(survfit(Surv(start, stop, any) ~ 1, data = sim, conf.type = "log-log")), "sim_km.csv")
wcsv(km_frame(survfit(Surv(start, stop, any) ~ categorie, data = sim, conf.type = "log-log")), "sim_km_cat.csv")
# Aalen-Johansen with delayed entry (multi-state survfit), cause 1 = werk
ms <- survfit(Surv(start, stop, factor(status, 0:3)) ~ 1, data = sim, id = spell_id)
wcsv(data.frame(time = ms$time, n_risk = ms$n.risk[, 1], cif1 = ms$pstate[, 2], cif2 = ms$pstate[, 3],
                cif3 = ms$pstate[, 4], se1_ij = ms$std.err[, 2]), "sim_aj_entry.csv")
ms_c <- survfit(Surv(start, stop, factor(status, 0:3)) ~ categorie, data = sim, id = spell_id)
wcsv(data.frame(group = rep(sub(".*=", "", names(ms_c$strata)), ms_c$strata), time = ms_c$time,
                cif1 = ms_c$pstate[, 2]), "sim_aj_entry_cat.csv")
# Without delayed entry: one row per spell that starts at 0; cmprsk::cuminc (Gray's variance)
sp <- aggregate(cbind(start, stop, status) ~ spell_id + categorie, data = sim,
                FUN = function(v) v[1])
sp$start <- aggregate(start ~ spell_id, data = sim, FUN = min)$start[match(sp$spell_id, aggregate(start ~ spell_id, data = sim, FUN = min)$spell_id)]
sp$stop <- aggregate(stop ~ spell_id, data = sim, FUN = max)$stop[match(sp$spell_id, aggregate(stop ~ spell_id, data = sim, FUN = max)$spell_id)]
sp$status <- aggregate(status ~ spell_id, data = sim, FUN = max)$status[match(sp$spell_id, aggregate(status ~ spell_id, data = sim, FUN = max)$spell_id)]
sp0 <- sp[sp$start == 0, ]
write.csv(sp0[order(sp0$spell_id), c("spell_id", "categorie", "stop", "status")],
          file.path(dat, "sim_spells_noentry.csv"), row.names = FALSE)
ci <- cuminc(sp0$stop, sp0$status, cencode = 0)
tp <- sort(unique(sp0$stop))
tpc <- timepoints(ci, tp)
wcsv(data.frame(time = tp, cif1 = tpc$est["1 1", ], var1 = tpc$var["1 1", ],
                cif2 = tpc$est["1 2", ], var2 = tpc$var["1 2", ]), "sim_cuminc.csv")
msn <- survfit(Surv(stop, factor(status, 0:3)) ~ 1, data = sp0)
wcsv(data.frame(time = msn$time, cif1 = msn$pstate[, 2], se1_ij = msn$std.err[, 2]), "sim_aj_noentry.csv")
writeLines(capture.output(sessionInfo()), file.path(out, "sessionInfo.txt"))
cat("fixtures written to", out, "\n")
