/*
 * exo_tune: the work-group size and steps per launch for a device,
 * measured once and cached.
 *
 * Neither changes a result (tests/device/test_determinism.c), only speed,
 * and the best work-group size differs by device and driver (on PoCL 3.1
 * with 16 vesicles per work-item and 10^5 vesicles, 32 work-items beat the
 * runtime's choice, which must divide the global size, by about 1.3x).  exo_tune_choose times the free-diffusion step on the
 * device for each candidate and keeps the fastest in the kernel cache
 * folder, keyed by the device's description (name, platform, OpenCL
 * version, vesicles per work-item, native math) and the exobd version, so
 * a driver update or another device tunes again.  `exobd run` uses the
 * cached choice unless --work-group or --steps-per-launch is given;
 * `exobd tune` measures again.
 */
#ifndef EXO_TUNE_H
#define EXO_TUNE_H

#include <stdio.h>
#include "exobd/exobd.h"

typedef struct exo_tuning {
    size_t work_group_size;      /* 0: the runtime's choice                */
    uint32_t steps_per_launch;
    double rate;                 /* particle-steps/s measured with them    */
    double default_rate;         /* and with exobd's defaults              */
    int from_cache;              /* read from the cache (1) or measured (0) */
    char path[4096];             /* the cache file                         */
} exo_tuning;

/**
 * The tuned settings for the device opt->device with opt's vector width,
 * native math and cache folder: read from the cache, or (none cached, or
 * force) measured, about 2-5 s, and written there.  Measurement rows go to
 * `log` when it is not NULL.  A cache that cannot be written is not an
 * error (the choice is then measured again next time).
 */
exo_status exo_tune_choose(const exo_run_options *opt, int force, FILE *log,
                           exo_tuning *out, exo_error *err);

#endif /* EXO_TUNE_H */
