/*
 * ceiling: the machine's practical ceiling for free Brownian dynamics, the
 * yardstick of exobd's kernels (DESIGN.md section 7; issue "Performance").
 *
 * A hand-written OpenMP C loop doing the same arithmetic per particle-step
 * as k_advance on a free vesicle in a periodic box: Philox4x32-10 keyed as
 * in kernels/shared/exo_rng.h (written here without branches, with the
 * round keys precomputed, so that gcc vectorises it; checked against
 * exo_rng_draw at start-up), two Box-Muller pairs, the update
 * x += u dt + sigma xi and the periodic wrap, positions as float arrays.
 * Compiled with -O3 -march=native -ffast-math -fopenmp so that gcc
 * vectorises the loop (glibc's libmvec supplies vector log/sin/cos) and
 * uses every core.
 *
 * usage: ceiling [N] [STEPS] [REPEATS]   prints particle-steps/s (median)
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shared/exo_rng.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Philox4x32-10 of counter (id, step lo, step hi, 0) with precomputed
 * round keys: straight-line code that vectorises across i. */
static inline void philox(uint32_t id, uint32_t slo, uint32_t shi,
                          const uint32_t *k0, const uint32_t *k1, uint32_t *r0,
                          uint32_t *r1, uint32_t *r2, uint32_t *r3)
{
    uint32_t c0 = id, c1 = slo, c2 = shi, c3 = 0;
#pragma GCC unroll 10
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)EXO_PHILOX_M0 * c0, p1 = (uint64_t)EXO_PHILOX_M1 * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        c0 = hi1 ^ c1 ^ k0[round];
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1[round];
        c3 = lo0;
    }
    *r0 = c0;
    *r1 = c1;
    *r2 = c2;
    *r3 = c3;
}

static inline float u01(uint32_t x) { return ((float)x + 0.5f) * 2.3283064365386963e-10f; }

/* One step of vesicles [i0, i1): a plain loop over restrict arrays, which
 * gcc vectorises (outlined OpenMP loop bodies it did not). */
static void step_range(float *restrict px, float *restrict py, float *restrict pz,
                       long i0, long i1, uint32_t slo, uint32_t shi,
                       const uint32_t *k0, const uint32_t *k1)
{
    const float lo = 0.0f, len = 100.0f, sigma = 2.75e-3f, drift = 0.0f;
    for (long i = i0; i < i1; i++) {
        uint32_t w0, w1, w2, w3;
        philox((uint32_t)i, slo, shi, k0, k1, &w0, &w1, &w2, &w3);
        float rad0 = sqrtf(-2.0f * logf(u01(w0)));
        float t0 = 6.283185307179586f * u01(w1);
        float rad1 = sqrtf(-2.0f * logf(u01(w2)));
        float t1 = 6.283185307179586f * u01(w3);
        float vx = px[i] + drift + sigma * rad0 * cosf(t0);
        /* sin(t) as cos(t - pi/2): gcc fuses sinf and cosf of one argument
         * into sincosf, which glibc has no vector version of. */
        float vy = py[i] + drift + sigma * rad0 * cosf(t0 - 1.5707963267948966f);
        float vz = pz[i] + drift + sigma * rad1 * cosf(t1);
        px[i] = vx - len * floorf((vx - lo) / len);
        py[i] = vy - len * floorf((vy - lo) / len);
        pz[i] = vz - len * floorf((vz - lo) / len);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long steps = argc > 2 ? atol(argv[2]) : 100;
    int repeats = argc > 3 ? atoi(argv[3]) : 3;
    if (n <= 0 || n > 0xFFFFFFFFL || steps <= 0 || repeats <= 0 || repeats > 99) {
        fprintf(stderr, "usage: ceiling [N] [STEPS] [REPEATS]\n");
        return 2;
    }
    const uint32_t seed_lo = 42, seed_hi = 0;
    uint32_t k0[10], k1[10];
    for (int r = 0; r < 10; r++) {
        k0[r] = seed_lo + (uint32_t)r * EXO_PHILOX_W0;
        k1[r] = seed_hi + (uint32_t)r * EXO_PHILOX_W1;
    }
    /* Same words as the kernels' RNG. */
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t w[4];
        philox(i, 77, 0, k0, k1, &w[0], &w[1], &w[2], &w[3]);
        exo_u32x4 ref = exo_rng_draw(i, 77, EXO_RNG_DISPLACEMENT, seed_lo, seed_hi);
        for (int k = 0; k < 4; k++)
            if (w[k] != ref.v[k]) {
                fprintf(stderr, "ceiling: Philox mismatch at id %u\n", i);
                return 1;
            }
    }
    float *px = malloc((size_t)n * sizeof *px), *py = malloc((size_t)n * sizeof *py);
    float *pz = malloc((size_t)n * sizeof *pz);
    if (px == NULL || py == NULL || pz == NULL)
        return 1;
    for (long i = 0; i < n; i++)
        px[i] = py[i] = pz[i] = 50.0f;
    double rate[99];
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        for (long s = 0; s < steps; s++) {
            uint64_t step = (uint64_t)(r * steps + s);
            uint32_t slo = (uint32_t)step, shi = (uint32_t)(step >> 32);
#pragma omp parallel
            {
                long t = omp_get_thread_num(), nt = omp_get_num_threads();
                step_range(px, py, pz, n * t / nt, n * (t + 1) / nt, slo, shi, k0, k1);
            }
        }
        rate[r] = (double)n * (double)steps / (now() - t0);
    }
    qsort(rate, (size_t)repeats, sizeof rate[0], cmp);
    double check = 0;
    for (long i = 0; i < n; i++)
        check += px[i] + py[i] + pz[i];
    printf("ceiling: N=%ld steps=%ld threads=%d median %.4g particle-steps/s "
           "(min %.4g, max %.4g; checksum %.6g)\n",
           n, steps, omp_get_max_threads(), rate[repeats / 2], rate[0],
           rate[repeats - 1], check / (3.0 * (double)n));
    free(px);
    free(py);
    free(pz);
    return 0;
}
