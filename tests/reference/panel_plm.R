# Reference values for evaluatie.panel (tests/test_panel_*.py). Run from the repository root:
#   Rscript tests/reference/panel_plm.R
# Writes tests/reference/fixtures/panel/*.csv. Needs R packages plm, clubSandwich.
# R 4.x, plm 2.6-x, clubSandwich 0.5-x. The tests only read the CSVs (CI has no R).
suppressPackageStartupMessages({library(plm); library(clubSandwich)})
out <- "tests/reference/fixtures/panel"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
set.seed(20240611)

## 1. Person-month panel (contract columns), unbalanced, some clients with two spells ---------------
maanden <- format(seq(as.Date("2015-01-01"), by = "month", length.out = 36), "%Y-%m")
rows <- list(); sid <- 0
for (cl in 1:80) {
  nsp <- if (runif(1) < 0.25) 2 else 1
  begin <- sample(1:24, 1)
  frail <- rnorm(1, 0, 0.03)
  for (s in 1:nsp) {
    if (begin > 36) break
    sid <- sid + 1
    jc_start <- if (runif(1) < 0.5) sample(0:6, 1) else 999; jc_len <- sample(2:6, 1)
    at_start <- if (runif(1) < 0.4) sample(0:8, 1) else 999; at_len <- sample(3:8, 1)
    m <- 0; t <- begin
    repeat {
      jc_in <- as.integer(m >= jc_start & m < jc_start + jc_len); jc_na <- as.integer(m >= jc_start + jc_len)
      at_in <- as.integer(m >= at_start & m < at_start + at_len); at_na <- as.integer(m >= at_start + at_len)
      p_werk <- min(max(0.05 + frail + 0.04 * jc_in + 0.02 * jc_na - 0.02 * at_in + 0.03 * at_na, 0.005), 0.5)
      u <- runif(1)
      status <- if (u < p_werk) 1L else if (u < p_werk + 0.02) sample(2:5, 1) else 0L
      rows[[length(rows) + 1]] <- data.frame(client_id = sprintf("C%03d", cl), spell_id = sid, maand = m,
        kalendermaand = maanden[t], status = status, jobcoaching_in = jc_in, jobcoaching_na = jc_na,
        arbeidstraining_in = at_in, arbeidstraining_na = at_na, categorie = sample(c("A", "B", "C"), 1))
      m <- m + 1; t <- t + 1
      if (status != 0 || t > 36) break
    }
    begin <- t + sample(1:4, 1)
  }
}
pm <- do.call(rbind, rows)
write.csv(pm, file.path(out, "persoonmaanden.csv"), row.names = FALSE)
pm$werk <- as.numeric(pm$status == 1)
f <- werk ~ jobcoaching_in + jobcoaching_na + arbeidstraining_in + arbeidstraining_na

res <- list()
add <- function(case, fit, V, vtype) {
  b <- coef(fit)
  res[[length(res) + 1]] <<- data.frame(case = case, term = names(b), estimate = unname(b),
    se = sqrt(diag(V))[names(b)], vcov_type = vtype, n = nobs(fit))
}
# (a) spell + calendar-month effects; clustering on the spell = plm "group"
fs <- plm(f, data = pm, index = c("spell_id", "kalendermaand"), model = "within", effect = "twoways")
add("spell", fs, vcovHC(fs, type = "HC1", cluster = "group"), "HC1_group")
add("spell", fs, vcovHC(fs, type = "sss", cluster = "group"), "sss_group")
# (b) spell + month effects, clustered on client (matched variant, computed from plm's demeaned design):
#     sss factor G/(G-1) (N-1)/(N-K), K = slope coefficients
X <- model.matrix(fs); e <- resid(fs)
idx <- index(fs)                                   # plm orders rows by (spell, month); map back to clients
cl <- pm$client_id[match(as.integer(as.character(idx[[1]])), pm$spell_id)]
stopifnot(length(e) == nrow(pm), !anyNA(cl))
S <- rowsum(X * as.numeric(e), cl); B <- solve(crossprod(X)); N <- nrow(X); K <- ncol(X); G <- nrow(S)
V <- G / (G - 1) * (N - 1) / (N - K) * B %*% crossprod(S) %*% B
add("spell_cluster_client", fs, V, "sss_client")
# (c) client + calendar-month effects, clustered on client
fc <- plm(f, data = pm, index = c("client_id", "kalendermaand"), model = "within", effect = "twoways")
add("client", fc, vcovHC(fc, type = "HC1", cluster = "group"), "HC1_group")
add("client", fc, vcovHC(fc, type = "sss", cluster = "group"), "sss_group")
write.csv(do.call(rbind, res), file.path(out, "plm_persoon.csv"), row.names = FALSE)

## 2. Vella & Verbeek (1998) wage panel (linearmodels.datasets.wage_panel; Wooldridge Table 14.2) ---
wp <- read.csv(file.path(out, "wage_panel.csv"))
fw <- plm(lwage ~ expersq + union + married + factor(year), data = wp, index = c("nr", "year"),
          model = "within", effect = "individual")
fw2 <- plm(lwage ~ expersq + union + married, data = wp, index = c("nr", "year"),
           model = "within", effect = "twoways")
b <- coef(fw2)
write.csv(data.frame(term = names(b), estimate = unname(b),
                     se_conventional = sqrt(diag(vcov(fw2))),
                     se_hc1_group = sqrt(diag(vcovHC(fw2, type = "HC1", cluster = "group"))),
                     se_sss_group = sqrt(diag(vcovHC(fw2, type = "sss", cluster = "group")))),
          file.path(out, "plm_wage_panel.csv"), row.names = FALSE)
stopifnot(max(abs(coef(fw)[c("expersq", "union", "married")] - b)) < 1e-10)

## 3. Municipal DiD panel: lm with gemeente + jaar dummies; CR1 and CR2 + Satterthwaite (clubSandwich) --
G <- 24; jaren <- 2011:2019
gm <- expand.grid(g = 1:G, jaar = jaren)
gm$gemeentecode <- sprintf("GM%04d", 100 + gm$g)
a_g <- rnorm(G, 25, 4); l_t <- rnorm(length(jaren), 0, 1.5)
gm$behandeld <- as.integer(gm$g <= 6)
gm$na <- as.integer(gm$jaar >= 2016)
gm$y <- a_g[gm$g] + l_t[gm$jaar - 2010] + 2 * gm$behandeld * gm$na + rnorm(nrow(gm), 0, 1.2 + 0.3 * (gm$g %% 3))
gm <- gm[!(gm$g == 9 & gm$jaar == 2012) & !(gm$g == 2 & gm$jaar == 2019), ]  # unbalanced
gm$D <- gm$behandeld * gm$na
write.csv(gm[, c("gemeentecode", "jaar", "behandeld", "y")], file.path(out, "did_panel.csv"), row.names = FALSE)
fd <- lm(y ~ D + factor(jaar) + factor(gemeentecode), data = gm)
V2 <- vcovCR(fd, cluster = gm$gemeentecode, type = "CR2")
t2 <- coef_test(fd, vcov = V2, test = "Satterthwaite", coefs = "D")
V1 <- vcovCR(fd, cluster = gm$gemeentecode, type = "CR1")  # G/(G-1)
Kw <- 1 + length(jaren) - 1                                # slopes + year dummies (gemeente FE nested)
N <- nrow(gm); Gc <- length(unique(gm$gemeentecode))
se1 <- sqrt(V1["D", "D"] * (N - 1) / (N - Kw))
write.csv(data.frame(term = "D", estimate = coef(fd)["D"], se_cr1 = se1, se_cr2 = t2$SE, df_cr2 = t2$df_Satt,
                     p_cr2 = t2$p_Satt, n = N, G = Gc),
          file.path(out, "clubsandwich_did.csv"), row.names = FALSE)
cat("referenties geschreven naar", out, "\n")
