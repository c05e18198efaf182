#!/usr/bin/env Rscript
# make_holdout_panel.R -- a split no default is chosen on: 26 public series the development panel left out (for balance or
# redundancy, shared/notes/forecast-panel.md "Exclusions"), on the development panel's protocol (m, H per group; origins
# n-H, n-2H, n-3H; MASE scaled by the in-sample seasonal naive error) with R forecast's anchors. Several are relatives of
# development series (other Seatbelts columns, other maturities of tcm, nino3 beside nino3.4, other Nelson-Plosser
# series), so this is a check that the defaults carry over, not an independent sample.
#
#   Rscript make_holdout_panel.R <development panel dir> <out dir>
#
# Refuses to write anything if a series shares a run of 4 values (or of 4 ratios) with the hidden evaluation panel or its
# aggregates (the check of shared/data/timeseries/panel/make_panel.R), or a run of 8 values with a development series.
# Methods and fallbacks as make_panel.R (../panel_anchors.R).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript make_holdout_panel.R <development panel dir> <out dir>")
dev <- args[1]; outdir <- args[2]
suppressPackageStartupMessages(library(MASS))
options(warn = -1, stringsAsFactors = FALSE)
local({ f <- grep("^--file=", commandArgs(FALSE), value = TRUE)[1]
        source(file.path(dirname(normalizePath(sub("^--file=", "", f))), "..", "panel_anchors.R")) })
data(list = c("camp", "nino", "tcm", "USeconomic", "NelPlo"), package = "tseries", envir = environment())

S <- list()
add <- function(name, group, m, H, source, x, time = NULL) {
  v <- as.numeric(x); keep <- which(!is.na(v)); v <- v[min(keep):max(keep)]
  if (anyNA(v)) stop(name, ": interior missing values")
  if (is.null(time)) time <- seq_along(v)
  S[[length(S) + 1]] <<- list(name = name, group = group, m = m, H = H, source = source, value = v, time = time)
}
ym <- function(x) { t <- time(x); sprintf("%d-%02d", floor(t + 1e-6), round((t - floor(t + 1e-6)) * 12) + 1) }
for (v in c("DriversKilled", "front", "rear"))
  add(paste0("seatbelts_", tolower(v)), "monthly", 12, 18, sprintf("R datasets: Seatbelts[,'%s']", v), Seatbelts[, v], ym(Seatbelts))
for (v in c("tcm1y", "tcm5y"))
  add(v, "monthly", 12, 18, sprintf("R tseries: tcm[,'%s']", v), tcm[, v], ym(tcm))
add("nino3_sst", "monthly", 12, 18, "R tseries: nino[,'nino3']", nino[, "nino3"], ym(nino))
for (v in colnames(USeconomic)) {
  nm <- paste0("useconomic_", gsub("[^a-z0-9]+", "_", sub("\\)$", "", tolower(v))))
  add(nm, "quarterly", 4, 8, sprintf("R tseries: USeconomic[,'%s']", v), USeconomic[, v])
}
for (v in c("price.index", "income.level"))
  add(paste0("freeny_", gsub("\\.", "_", v)), "quarterly", 4, 8, sprintf("R datasets: freeny$%s", v), freeny[[v]])
add("camp", "yearly", 1, 6, "R tseries: camp", camp)
for (v in c("cpi", "gnp.real", "unemp", "int.rate", "vel", "real.wages", "money.stock"))
  add(paste0("nelplo_", gsub("\\.", "_", v)), "yearly", 1, 6, sprintf("R tseries: NelPlo[,'%s'] (leading NAs dropped)", v),
      NelPlo[, v])
add("airquality_wind", "daily", 7, 14, "R datasets: airquality$Wind", airquality$Wind)
for (v in c("SMI", "CAC"))
  add(paste0("eustock_", tolower(v)), "daily", 5, 14, sprintf("R datasets: EuStockMarkets[,'%s'] (business days)", v),
      EuStockMarkets[, v])
add("bjsales_lead", "other", 1, 8, "R datasets: BJsales.lead", BJsales.lead)
add("beaver1_temp", "other", 1, 8, "R datasets: beaver1$temp (every 10 minutes)", beaver1$temp)
add("beaver2_temp", "other", 1, 8, "R datasets: beaver2$temp (every 10 minutes)", beaver2$temp)

# Leak checks: the hidden evaluation panel (as make_panel.R checks it), then the development panel.
hidden <- list(nottem = nottem, UKgas = UKgas, USAccDeaths = USAccDeaths, ldeaths = ldeaths, mdeaths = mdeaths,
               fdeaths = fdeaths, wineind = wineind, gas = gas, taylor = taylor, lynx = lynx,
               MASS_accdeaths = accdeaths, MASS_deaths = deaths)
aggs <- function(x) {
  f <- frequency(x); v <- as.numeric(x); out <- list(v)
  blocks <- unique(c(f, if (f == 12) 3, if (f == 336) 48))
  for (b in blocks[blocks > 1]) for (off in 0:(b - 1)) {
    kk <- (length(v) - off) %/% b
    if (kk < 4) next
    mtx <- matrix(v[off + seq_len(kk * b)], nrow = b)
    out <- c(out, list(colSums(mtx), colMeans(mtx)))
  }
  out
}
grams <- function(v, k = 4) {
  if (length(v) < k) return(character())
  s <- formatC(signif(v, 6), digits = 6, format = "g")
  vapply(seq_len(length(v) - k + 1), function(i) paste(s[i:(i + k - 1)], collapse = "|"), "")
}
ratio_grams <- function(v, k = 4) {
  r <- v[-1] / v[-length(v)]; r[!is.finite(r)] <- NA
  g <- grams(r, k)
  bad <- vapply(seq_len(max(0, length(r) - k + 1)), function(i) {
    w <- r[i:(i + k - 1)]; anyNA(w) || all(abs(w - 1) < 1e-9) }, TRUE)
  g[!bad]
}
hv <- unique(unlist(lapply(hidden, function(h) unlist(lapply(aggs(h), grams)))))
hr <- unique(unlist(lapply(hidden, function(h) unlist(lapply(aggs(h), ratio_grams)))))
dp <- read.delim(file.path(dev, "panel.tsv"), colClasses = "character")
dv <- unique(unlist(lapply(dp$file, function(f) grams(read.csv(file.path(dev, f))$value, 8))))
leaks <- character()
for (s in S) {
  if (any(grams(s$value) %in% hv)) leaks <- c(leaks, paste(s$name, "(hidden: values)"))
  if (any(ratio_grams(s$value) %in% hr)) leaks <- c(leaks, paste(s$name, "(hidden: ratios)"))
  if (any(grams(s$value, 8) %in% dv)) leaks <- c(leaks, paste(s$name, "(development panel)"))
}
if (length(leaks)) stop("refused, series overlap: ", paste(leaks, collapse = ", "))

dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
rows <- list(); panel <- list()
for (s in S) {
  m <- s$m; H <- s$H; n <- length(s$value)
  if (n < 3 * H + 2 * m) stop(s$name, ": too short for the protocol (n < 3H + 2m)")
  file <- paste0(s$name, ".csv")
  write.csv(data.frame(time = s$time, value = s$value), file.path(outdir, file), row.names = FALSE, quote = FALSE)
  panel[[length(panel) + 1]] <- data.frame(name = s$name, file = file, source = s$source, m = m, H = H, n = n,
                                           group = s$group, prep = "as shipped")
  rows[[length(rows) + 1]] <- anchor_rows(s$name, s$group, m, H, s$value)
}
panel <- do.call(rbind, panel)
write_panel(panel, do.call(rbind, rows), outdir)
