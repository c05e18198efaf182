#!/usr/bin/env Rscript
# make_short_panel.R -- the short seasonal panel: the development panel's monthly series cut to their last 72 values
# (six years) and its quarterly series to their last 40 (ten years), with R forecast's anchors on the same protocol
# (origins n-H, n-2H, n-3H; MASE scaled by the in-sample seasonal naive error). Short seasonal series are where the
# LSTM has least to learn from: at n-3H a monthly series has 18 training values for an 18-month horizon.
#
#   Rscript make_short_panel.R <panel dir> <out dir>
#
# Writes <name>.csv, panel.tsv and anchors.tsv in the development panel's format (anchors: mean_3_origins and last_H).
# Methods and fallbacks as make_panel.R (../panel_anchors.R).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript make_short_panel.R <panel dir> <out dir>")
src <- args[1]; outdir <- args[2]
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
options(warn = -1, stringsAsFactors = FALSE)
local({ f <- grep("^--file=", commandArgs(FALSE), value = TRUE)[1]
        source(file.path(dirname(normalizePath(sub("^--file=", "", f))), "..", "panel_anchors.R")) })
KEEP <- c(monthly = 72, quarterly = 40)

panel <- read.delim(file.path(src, "panel.tsv"), colClasses = "character")
panel <- panel[panel$group %in% names(KEEP), ]
rows <- list(); out_panel <- panel[0, ]
for (i in seq_len(nrow(panel))) {
  p <- panel[i, ]; m <- as.integer(p$m); H <- as.integer(p$H)
  d <- read.csv(file.path(src, p$file), colClasses = c("character", "numeric"))
  d <- tail(d, KEEP[[p$group]]); n <- nrow(d)
  write.csv(d, file.path(outdir, p$file), row.names = FALSE, quote = FALSE)
  p$n <- as.character(n); p$prep <- paste0("last ", n, " values of the development panel's series")
  out_panel <- rbind(out_panel, p)
  rows[[length(rows) + 1]] <- anchor_rows(p$name, p$group, m, H, d$value)
}
write_panel(out_panel, do.call(rbind, rows), outdir)
