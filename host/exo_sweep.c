/*
 * exo_sweep: see exo_sweep.h.
 */
#include "exo_sweep.h"

#include <math.h>
#include <stdlib.h>

#include "shared/exo_rng.h"

const char *exo_sweep_setting_name(int setting)
{
    static const char *const names[] = {"radius",       "ligands.count", "cargo.amount",
                                        "binding.k_on", "binding.k_off", "cargo.sd",
                                        "radius.sigma", "ligands.sd"};
    return setting >= 0 && setting <= EXO_SWEEP_LIGANDS_SD ? names[setting] : "?";
}

uint64_t exo_sweep_count(const exo_sweep *sw, uint64_t cap)
{
    if (sw->latin)
        return sw->samples;
    uint64_t n = 1;
    for (uint32_t p = 0; p < sw->n_params; p++) {
        n *= sw->param[p].n_values;
        if (n > cap)
            return 0;
    }
    return n;
}

/* A uniform in [0, 1) from Philox counter (id, step) under the seed, with
 * 53 random bits. */
static double u01(uint64_t seed, uint32_t id, uint64_t step)
{
    exo_u32x4 w = exo_rng_draw(id, step, EXO_RNG_SWEEP, (uint32_t)seed, (uint32_t)(seed >> 32));
    return ((double)(w.v[0] >> 5) * 67108864.0 + (double)(w.v[1] >> 6)) / 9007199254740992.0;
}

int exo_sweep_points(exo_sweep *sw, uint64_t seed)
{
    uint64_t n = exo_sweep_count(sw, UINT32_MAX);
    uint32_t np = sw->n_params;
    sw->n_combinations = (uint32_t)n;
    sw->point = calloc(n * np + 1, sizeof *sw->point);
    uint32_t *order = calloc(n + 1, sizeof *order);
    if (sw->point == NULL || order == NULL) {
        free(order);
        return -1;
    }
    for (uint32_t p = 0; p < np; p++) {
        const exo_sweep_param *q = &sw->param[p];
        if (!sw->latin) {
            /* mixed radix: the last setting varies fastest */
            uint64_t stride = 1;
            for (uint32_t r = p + 1; r < np; r++)
                stride *= sw->param[r].n_values;
            for (uint64_t c = 0; c < n; c++)
                sw->point[c * np + p] = q->values[(c / stride) % q->n_values];
            continue;
        }
        /* strata 0..n-1 in a seeded order (Fisher-Yates, counter (p, i)) */
        for (uint32_t i = 0; i < n; i++)
            order[i] = i;
        for (uint32_t i = (uint32_t)n - 1; i > 0; i--) {
            uint32_t j = (uint32_t)(u01(seed, p, i) * (double)(i + 1));
            j = j > i ? i : j;
            uint32_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (uint32_t c = 0; c < n; c++) {
            double v;
            if (q->n_values > 0) {
                /* a list: stratum s of n picks entry s n_values / n */
                v = q->values[(uint64_t)order[c] * q->n_values / n];
            } else {
                double u = ((double)order[c] + u01(seed, p, n + c)) / (double)n;
                v = q->log ? exp(log(q->from) + u * (log(q->to) - log(q->from)))
                           : q->from + u * (q->to - q->from);
            }
            sw->point[(uint64_t)c * np + p] = v;
        }
    }
    free(order);
    return 0;
}
