# Shared by effecten_gformule.R and effecten_risicoset.R: reading the person-month table and the
# definitions of docs/methoden.md §4 that both estimators use (untreated months, programme starts,
# duration bands, outcome per month). Sourced from the repository root.
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
km <- as.integer(substr(pm$kalendermaand, 1, 4)) * 12 + as.integer(substr(pm$kalendermaand, 6, 7)) - 1
rij <- which(start)                      # one row per participant: the first treated month of a spell
cel <- paste(pm$instrument[rij], pm$categorie[rij])
