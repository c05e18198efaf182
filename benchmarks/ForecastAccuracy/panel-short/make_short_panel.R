#!/usr/bin/env Rscript
# make_short_panel.R -- the short seasonal panel: the development panel's monthly series cut to their last 72 values
# (six years) and its quarterly series to their last 40 (ten years), with R forecast's anchors on the same protocol
# (origins n-H, n-2H, n-3H; MASE scaled by the in-sample seasonal naive error). Short seasonal series are where the
# LSTM has least to learn from: at n-3H a monthly series has 18 training values for an 18-month horizon.
#
#   Rscript make_short_panel.R <panel dir> <out dir>
#
# Writes <name>.csv, panel.tsv and anchors.tsv in the development panel's format (anchors: mean_3_origins and last_H).
# Methods and fallbacks as make_panel.R: snaive, ets() (else ets(model = 'ZZN'), else naive), auto.arima() (else
# stepwise = FALSE, else seasonal = FALSE, else naive), thetaf() (else naive), and the mean of the three.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript make_short_panel.R <panel dir> <out dir>")
src <- args[1]; outdir <- args[2]
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
suppressPackageStartupMessages(library(forecast))
options(warn = -1, stringsAsFactors = FALSE)
KEEP <- c(monthly = 72, quarterly = 40)
METHODS <- c("snaive", "ets", "arima", "theta", "comb")

panel <- read.delim(file.path(src, "panel.tsv"), colClasses = "character")
panel <- panel[panel$group %in% names(KEEP), ]
first_ok <- function(attempts, H) {
  for (f in attempts) {
    r <- tryCatch(f(), error = function(e) NULL)
    if (!is.null(r) && length(r) == H && all(is.finite(r))) return(as.numeric(r))
  }
  stop("all attempts failed")
}
mase <- function(a, f, train, m) mean(abs(a - f)) / mean(abs(diff(as.numeric(train), lag = max(m, 1))))
smape <- function(a, f) 200 * mean(ifelse(abs(a) + abs(f) == 0, 0, abs(a - f) / (abs(a) + abs(f))))

rows <- list(); out_panel <- panel[0, ]
for (i in seq_len(nrow(panel))) {
  p <- panel[i, ]; m <- as.integer(p$m); H <- as.integer(p$H)
  d <- read.csv(file.path(src, p$file), colClasses = c("character", "numeric"))
  d <- tail(d, KEEP[[p$group]]); n <- nrow(d)
  write.csv(d, file.path(outdir, p$file), row.names = FALSE, quote = FALSE)
  p$n <- as.character(n); p$prep <- paste0("last ", n, " values of the development panel's series")
  out_panel <- rbind(out_panel, p)
  for (k in 1:3) {
    origin <- n - k * H
    y <- ts(d$value[seq_len(origin)], frequency = m); actual <- d$value[origin + seq_len(H)]
    nv <- function() naive(y, h = H)$mean
    f <- list()
    f$snaive <- first_ok(list(function() snaive(y, h = H)$mean), H)
    f$ets <- first_ok(list(function() forecast(ets(y), h = H)$mean, function() forecast(ets(y, model = "ZZN"), h = H)$mean, nv), H)
    f$arima <- first_ok(list(function() forecast(auto.arima(y), h = H)$mean,
                             function() forecast(auto.arima(y, stepwise = FALSE), h = H)$mean,
                             function() forecast(auto.arima(y, seasonal = FALSE), h = H)$mean, nv), H)
    f$theta <- first_ok(list(function() thetaf(y, h = H)$mean, nv), H)
    f$comb <- (f$ets + f$arima + f$theta) / 3
    for (meth in METHODS)
      rows[[length(rows) + 1]] <- data.frame(name = p$name, group = p$group, m = m, H = H, n = n, k = k, method = meth,
                                             MASE = mase(actual, f[[meth]], y, m), sMAPE = smape(actual, f[[meth]]))
  }
}
byo <- do.call(rbind, rows)
agg1 <- byo[byo$k == 1, ]; agg1$protocol <- "last_H"
agg3 <- aggregate(cbind(MASE, sMAPE) ~ name + group + m + H + n + method, data = byo, FUN = mean)
agg3$protocol <- "mean_3_origins"
cols <- c("name", "group", "m", "H", "n", "protocol", "method", "MASE", "sMAPE")
anch <- rbind(agg1[, cols], agg3[, cols])
anch <- anch[order(match(anch$name, out_panel$name), anch$protocol, match(anch$method, METHODS)), ]
anch$MASE <- sprintf("%.4f", anch$MASE); anch$sMAPE <- sprintf("%.4f", anch$sMAPE)
write.table(out_panel, file.path(outdir, "panel.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
write.table(anch, file.path(outdir, "anchors.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
cat(sprintf("%d series written to %s (forecast %s)\n", nrow(out_panel), outdir, packageDescription("forecast")$Version))
