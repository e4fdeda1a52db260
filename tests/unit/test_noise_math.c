/*
 * test_noise_math: the noise's own logarithm and sine/cosine
 * (kernels/shared/exo_rng.h: exo_noise_log, exo_noise_cos_sin), which the
 * kernels and the C reference use for Box-Muller instead of the library's.
 * - over every 256th 32-bit word and the words at the edges of the range
 *   and of each quarter turn (2^24 + arguments), ln u within 2 float ulp of
 *   double-precision log, and cos/sin(2 pi u) within 2e-7 absolute of
 *   double-precision cos/sin;
 * - the resulting normals within 1e-6 relative (PHYSICS.md V18 in float)
 *   of Box-Muller in double precision;
 * - mean and variance of 4e6 lane normals within 4 standard errors.
 */
#include <math.h>

#include "exo_test.h"
#include "shared/exo_rng.h"

/* Distance of f from the exact value d in units of the float ulp at d. */
static double ulps(float f, double d)
{
    float fd = (float)fabs(d);
    double ulp = (double)nextafterf(fd, INFINITY) - (double)fd;
    return fabs((double)f - d) / ulp;
}

typedef struct {
    double log_ulp, cos_abs, sin_abs, normal_rel;
    uint32_t worst_log_word;
} worst;

static void check_word(uint32_t w, uint32_t w2, worst *e)
{
    float u = exo_u01v(w);
    double ud = (double)u; /* the float argument, exactly */
    float l = exo_noise_log(u);
    double lu = ulps(l, log(ud));
    if (ud < 1.0 && lu > e->log_ulp) {
        e->log_ulp = lu;
        e->worst_log_word = w;
    }
    if (ud == 1.0 && l != 0.0f)
        e->log_ulp = INFINITY;
    float c, s;
    exo_noise_cos_sin(u, &c, &s);
    double t = 6.283185307179586 * ud;
    e->cos_abs = fmax(e->cos_abs, fabs((double)c - cos(t)));
    e->sin_abs = fmax(e->sin_abs, fabs((double)s - sin(t)));
    /* The normals of (w2, w): radius from w2, angle from w. */
    float z0, z1;
    exo_box_mullerv(w2, w, &z0, &z1);
    double r = sqrt(-2.0 * log((double)exo_u01v(w2)));
    double d0 = r * cos(t), d1 = r * sin(t);
    e->normal_rel = fmax(e->normal_rel, fabs((double)z0 - d0) / fmax(1.0, fabs(d0)));
    e->normal_rel = fmax(e->normal_rel, fabs((double)z1 - d1) / fmax(1.0, fabs(d1)));
}

int main(void)
{
    worst e = {0, 0, 0, 0, 0};
    for (uint64_t w = 0; w <= 0xffffffffull; w += 256)
        check_word((uint32_t)w, (uint32_t)(w * 2654435761u), &e);
    /* The ends of the range and 64 words either side of every eighth of a
     * turn, where the quarter-turn reduction changes branch. */
    for (uint32_t k = 0; k <= 8; k++) {
        int64_t mid = (int64_t)k << 29;
        for (int64_t d = -64; d <= 64; d++) {
            int64_t w = mid + d;
            if (w >= 0 && w <= 0xffffffffll)
                check_word((uint32_t)w, (uint32_t)(0xffffffffll - w), &e);
        }
    }
    printf("ln u: %.3f ulp at worst (word 0x%08x); cos %.3g, sin %.3g absolute; "
           "normals %.3g relative\n",
           e.log_ulp, e.worst_log_word, e.cos_abs, e.sin_abs, e.normal_rel);
    EXO_TEST_TRUE(e.log_ulp <= 2.0, "ln u within 2 ulp (%.3f)", e.log_ulp);
    EXO_TEST_TRUE(e.cos_abs <= 2e-7, "cos(2 pi u) within 2e-7 (%.3g)", e.cos_abs);
    EXO_TEST_TRUE(e.sin_abs <= 2e-7, "sin(2 pi u) within 2e-7 (%.3g)", e.sin_abs);
    EXO_TEST_TRUE(e.normal_rel <= 1e-6, "normals within 1e-6 of double (%.3g)", e.normal_rel);

    /* Moments of the lane normals of exo_rng_drawv's words. */
    enum { M = 1000000 };
    double sum = 0, sum2 = 0;
    for (uint32_t id = 0; id < M; id++) {
        exo_uintv r[4];
        exo_rng_drawv(id, 12345, EXO_RNG_DISPLACEMENT, 42, 0, r);
        float z[4];
        exo_box_mullerv(r[0], r[1], &z[0], &z[1]);
        exo_box_mullerv(r[2], r[3], &z[2], &z[3]);
        for (int k = 0; k < 4; k++) {
            sum += z[k];
            sum2 += (double)z[k] * z[k];
        }
    }
    double n = 4.0 * M, mean = sum / n, var = sum2 / n - mean * mean;
    /* SE of the mean 1/sqrt(n); of the variance sqrt(2/n) for a normal. */
    EXO_TEST_NEAR(mean, 0.0, 4.0 / sqrt(n), "mean of 4e6 normals");
    EXO_TEST_NEAR(var, 1.0, 4.0 * sqrt(2.0 / n), "variance of 4e6 normals");
    return exo_test_finish("test_noise_math");
}
