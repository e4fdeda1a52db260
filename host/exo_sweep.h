/*
 * exo_sweep: the combinations of a parameter study (scenario `sweep`,
 * docs/scenario.md).  A sweep varies settings of one population that can
 * differ per population in one run (its radius, ligand count, cargo, and
 * its pair's on- and off-rates); each combination,
 * times each replicate, becomes a population of its own, so one device run
 * carries them side by side.  This module only computes the points (a full
 * grid, or a seeded Latin hypercube); exo_config reads and applies them.
 */
#ifndef EXO_SWEEP_H
#define EXO_SWEEP_H

#include <stdint.h>

#define EXO_SWEEP_MAX_PARAMS 4      /* settings varied at once              */
#define EXO_SWEEP_MAX_VALUES 256    /* values of one listed or grid setting */
#define EXO_SWEEP_MAX_POPULATIONS 256 /* combinations x replicates          */

/* What a sweep may vary (per vesicle, so in one run). */
#define EXO_SWEEP_RADIUS 0          /* radius (or a log-normal's median), um */
#define EXO_SWEEP_LIGANDS 1         /* ligands.count (or its mean)           */
#define EXO_SWEEP_CARGO 2           /* cargo.amount                          */
#define EXO_SWEEP_K_ON 3            /* binding.k_on of the population's pair,
                                       um^2/s                                */
#define EXO_SWEEP_K_OFF 4           /* binding.k_off, 1/s                    */
#define EXO_SWEEP_CARGO_SD 5        /* cargo.sd: the loading's spread        */
#define EXO_SWEEP_RADIUS_SIGMA 6    /* radius.sigma of a log-normal radius   */
#define EXO_SWEEP_LIGANDS_SD 7      /* ligands.sd of a normal ligand count   */

/** One varied setting: its listed (or grid) values, or, for a Latin
 *  hypercube, a range sampled continuously (n_values 0). */
typedef struct exo_sweep_param {
    int setting;                    /* EXO_SWEEP_*                           */
    uint32_t n_values;
    double values[EXO_SWEEP_MAX_VALUES]; /* internal units (um, copies, ...) */
    double from, to;                /* a range's ends (n_values 0)           */
    int log;                        /* 1: the range is sampled in log space  */
} exo_sweep_param;

typedef struct exo_sweep {
    int active;                     /* 0: no sweep                           */
    int population;                 /* index (before expansion) varied       */
    uint32_t n_params;
    exo_sweep_param param[EXO_SWEEP_MAX_PARAMS];
    int latin;                      /* 1: Latin hypercube of `samples`        */
    uint32_t samples;
    uint32_t replicates;
    int64_t only;                   /* >= 0: run just this combination       */
    uint32_t n_combinations;
    double *point;                  /* [n_combinations][n_params]            */
} exo_sweep;

/** The name of a sweep setting ("radius", "ligands.count", "cargo.amount",
 *  "binding.k_on", "binding.k_off", "cargo.sd", "radius.sigma",
 *  "ligands.sd"). */
const char *exo_sweep_setting_name(int setting);

/** How many combinations the sweep has: the product of the settings'
 *  value counts for a grid (0 if it exceeds `cap`), `samples` for a Latin
 *  hypercube. */
uint64_t exo_sweep_count(const exo_sweep *sw, uint64_t cap);

/** Fill sw->point (malloc'd; free() it) with the n_combinations points.
 *  Grid: the first setting varies slowest.  Latin hypercube: each
 *  setting's range (or list) is cut into `samples` strata, and each stratum
 *  is used by exactly one point, in an order drawn from the seed (Philox,
 *  purpose EXO_RNG_SWEEP); within a range's stratum the value is uniform
 *  (in log space for log ranges).  Returns 0, or -1 out of memory. */
int exo_sweep_points(exo_sweep *sw, uint64_t seed);

#endif /* EXO_SWEEP_H */
