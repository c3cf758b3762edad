# Reference values for tests/test_cohort_vng.py: the cohort table of Bijstand.R
# (VNG-Realisatie/Data-Science-Hub-Bijstand, section "Verschillen tussen cohorten"), recomputed in R on
# the repository's dummy data with the same rule: ActiefNaJaar<k> = startdatum %m+% years(k) < einddatum,
# then TRUE where einddatum is missing and startdatum %m+% years(k) < as.POSIXct(<peildatum>, tz = "UTC");
# mean per instroomjaar and k. Written for this package (not a copy of the script).
# Columns: script = mean() as in the script (NA if any row is NA); zonder_onbepaald = mean(na.rm = TRUE);
# lopend_actief = every row without einddatum counted as active; n_onbepaald = rows left NA.
# Run from the repository root:  Rscript tests/data/vng/vng_cohort_referentie.R
suppressPackageStartupMessages({ library(lubridate); library(readr) })
d <- read_rds("tests/data/vng/DummyDataBijstandv3.rds")
stopifnot(inherits(d$startdatum, "Date"), inherits(d$einddatum, "Date"))
peil <- as.POSIXct("2019-02-28", tz = "UTC")
jaar <- year(d$startdatum)
uit <- list()
for (k in 1:9) {
  ann <- d$startdatum %m+% years(k)
  a <- ann < d$einddatum
  a[is.na(d$einddatum) & ann < peil] <- TRUE
  a <- as.integer(a)
  b <- ifelse(is.na(d$einddatum), 1L, a)
  for (j in sort(unique(jaar))) {
    m <- jaar == j
    uit[[length(uit) + 1]] <- data.frame(instroomjaar = j, jaren = k, n = sum(m), n_onbepaald = sum(is.na(a[m])),
                                         script = mean(a[m]), zonder_onbepaald = mean(a[m], na.rm = TRUE),
                                         lopend_actief = mean(b[m]))
  }
}
out <- do.call(rbind, uit)
out <- out[order(out$instroomjaar, out$jaren), ]
write.csv(out, "tests/data/vng/vng_cohort_referentie.csv", row.names = FALSE, na = "")
cat("R", R.version$major, R.version$minor, "lubridate", as.character(packageVersion("lubridate")), "\n")
