/*
 * exo_summary: `exobd summary OUT.h5` -- targeting efficiency, delivery per
 * region, dwell times, from a run's events (/events) and the population
 * and region tables under /parameters/exobd.  It reads the file only; the
 * numbers come from the events, so they are exact counts of what the run
 * did, not estimates.
 */
#ifndef EXO_SUMMARY_H
#define EXO_SUMMARY_H

#include <stdio.h>
#include "exobd/exobd.h"

/**
 * Print the summary of the run in `path` to `out`; with csv_path, also
 * write one CSV row per (population, region).  `targets` is a comma-
 * separated list of region names that count as target tissue, or NULL: the
 * regions whose wall carries the highest receptor density.  Errors: a file
 * that is not an exobd output with events (EXO_ERR_INVALID: bad input), an
 * unknown target region (EXO_ERR_INVALID), I/O (EXO_ERR_IO).
 */
exo_status exo_summary(const char *path, const char *targets, FILE *out,
                       const char *csv_path, exo_error *err);

#endif /* EXO_SUMMARY_H */
