# panel_anchors.R -- R forecast's anchors on the panel protocol, shared by panel-short/make_short_panel.R and
# panel-holdout/make_holdout_panel.R (sourced, not run). Methods and fallbacks as the development panel's make_panel.R:
# snaive, ets() (else ets(model = 'ZZN'), else naive), auto.arima() (else stepwise = FALSE, else seasonal = FALSE, else
# naive), thetaf() (else naive), and the mean of the three; MASE scaled by the in-sample seasonal naive error.
suppressPackageStartupMessages(library(forecast))
METHODS <- c("snaive", "ets", "arima", "theta", "comb")

first_ok <- function(attempts, H) {
  for (f in attempts) {
    r <- tryCatch(f(), error = function(e) NULL)
    if (!is.null(r) && length(r) == H && all(is.finite(r))) return(as.numeric(r))
  }
  stop("all attempts failed")
}
mase <- function(a, f, train, m) mean(abs(a - f)) / mean(abs(diff(as.numeric(train), lag = max(m, 1))))
smape <- function(a, f) 200 * mean(ifelse(abs(a) + abs(f) == 0, 0, abs(a - f) / (abs(a) + abs(f))))

# One row per origin k (n - kH, k = 1..3) and method: name, group, m, H, n, k, method, MASE, sMAPE.
anchor_rows <- function(name, group, m, H, values) {
  n <- length(values); rows <- list()
  for (k in 1:3) {
    origin <- n - k * H
    y <- ts(values[seq_len(origin)], frequency = m); actual <- values[origin + seq_len(H)]
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
      rows[[length(rows) + 1]] <- data.frame(name = name, group = group, m = m, H = H, n = n, k = k, method = meth,
                                             MASE = mase(actual, f[[meth]], y, m), sMAPE = smape(actual, f[[meth]]))
  }
  do.call(rbind, rows)
}

# Writes panel.tsv and anchors.tsv (protocols last_H and mean_3_origins) in the development panel's format.
write_panel <- function(panel, byo, outdir) {
  agg1 <- byo[byo$k == 1, ]; agg1$protocol <- "last_H"
  agg3 <- aggregate(cbind(MASE, sMAPE) ~ name + group + m + H + n + method, data = byo, FUN = mean)
  agg3$protocol <- "mean_3_origins"
  cols <- c("name", "group", "m", "H", "n", "protocol", "method", "MASE", "sMAPE")
  anch <- rbind(agg1[, cols], agg3[, cols])
  anch <- anch[order(match(anch$name, panel$name), anch$protocol, match(anch$method, METHODS)), ]
  anch$MASE <- sprintf("%.4f", anch$MASE); anch$sMAPE <- sprintf("%.4f", anch$sMAPE)
  write.table(panel, file.path(outdir, "panel.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
  write.table(anch, file.path(outdir, "anchors.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
  cat(sprintf("%d series written to %s (forecast %s)\n", nrow(panel), outdir, packageDescription("forecast")$Version))
}
