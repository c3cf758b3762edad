# Independent reference for the g-formula's no-instrument curve (evaluatie.effecten, issue 4).
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
# Output: per instrument x categorie (categorie in the start month) the mean CIF0 at 1..36 months, and the
# total over all participants of CIF0 at the window end (the "without instruments" count of the
# attributable share).
#
# Input: tests/reference/data/effecten_pm.csv.gz (written by tests/reference/maak_effecten_data.py).
# Run from the repository root: Rscript tests/reference/effecten_gformule.R   (R 4.x, base R only)

grenzen <- c(0, 3, 6, 12, 24, 48)   # duration bands, lower bounds in months since spell start
WERK <- 1                            # uitstroom code of werk (evaluatie/prepare/codes.py)
H <- 36

pm <- read.csv(gzfile("tests/reference/data/effecten_pm.csv.gz"), stringsAsFactors = FALSE,
               na.strings = character(0), colClasses = c(instrument = "character"))
pm <- pm[order(pm$spell_id, pm$maand), ]
n <- nrow(pm)
behandeld <- pm$instrument != ""
nieuw <- c(TRUE, pm$spell_id[-1] != pm$spell_id[-n])
vorige_beh <- c(FALSE, behandeld[-n]) & !nieuw
start <- behandeld & !vorige_beh
# a programme already running in the first observed month (and not starting then) is not a start, and
# such a spell has no untreated months either
al_bezig <- start & nieuw & pm$maand > 0 & pm$traject_start != 1
start <- start & !al_bezig
start[start][duplicated(pm$spell_id[start])] <- FALSE
onbehandeld <- !behandeld & !(pm$spell_id %in% pm$spell_id[al_bezig])

cats <- sort(unique(pm$categorie))
S <- length(cats)
B <- length(grenzen)
cat_i <- match(pm$categorie, cats)
band <- findInterval(pm$maand, grenzen)
y <- ifelse(pm$status == 0, 0, ifelse(pm$status == WERK, 1, 2))

# saturated hazards per (categorie, band)
hw <- ho <- matrix(NA_real_, S, B)
for (s in 1:S) for (b in 1:B) {
  m <- onbehandeld & cat_i == s & band == b
  hw[s, b] <- sum(y[m] == 1) / sum(m)
  ho[s, b] <- sum(y[m] == 2) / sum(m)
}
stopifnot(all(is.finite(hw)), all(hw > 0), all(ho > 0))

# transitions between consecutive months of a spell whose first month is untreated
volgt <- which(pm$spell_id[-1] == pm$spell_id[-n] & pm$maand[-1] == pm$maand[-n] + 1)
volgt <- volgt[onbehandeld[volgt]]
C <- table(factor(cat_i[volgt], 1:S), factor(cat_i[volgt + 1], 1:S))
P <- unclass(C) / rowSums(C)

km <- as.integer(substr(pm$kalendermaand, 1, 4)) * 12 + as.integer(substr(pm$kalendermaand, 6, 7)) - 1
venster_eind <- max(km)
rij <- which(start)
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

cel <- paste(pm$instrument[rij], pm$categorie[rij])
uit <- do.call(rbind, lapply(sort(unique(cel)), function(k) {
  sel <- cel == k
  data.frame(instrument = pm$instrument[rij][sel][1], categorie = pm$categorie[rij][sel][1],
             n_deelnemers = sum(sel), horizon = 1:H, cif0 = colMeans(cif0[sel, 1:H, drop = FALSE]))
}))
zonder <- sum(cif0[cbind(seq_along(rij), pmin(hvenster, Hp))])
uit <- rbind(uit, data.frame(instrument = "alle", categorie = "alle", n_deelnemers = length(rij),
                             horizon = NA, cif0 = zonder))
dir.create("tests/reference/fixtures/effecten", showWarnings = FALSE, recursive = TRUE)
uit$cif0 <- sprintf("%.17g", uit$cif0)
write.csv(uit, "tests/reference/fixtures/effecten/gformule_cif0.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("%d deelnemers in %d cellen; zonder instrumenten %.6f uitstroom naar werk (R %s)\n",
            length(rij), length(unique(cel)), zonder, R.version.string))
