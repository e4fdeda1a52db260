/*
 * test_rng: the counter-based RNG on the host (PHYSICS.md V18, section 7).
 * - Philox4x32-10 known-answer vectors K1-K6, bit-exact;
 * - agreement with Random123's own philox.h on random counters and keys;
 * - the derived uniforms and normals of K1;
 * - moments of uniforms and normals, and a Kolmogorov-Smirnov test of the
 *   normals, with bounds from the sample size;
 * - SHA-256 (used for the kernel cache) against the FIPS 180-2 vectors.
 */
#include <Random123/philox.h>
#include <math.h>
#include <stdlib.h>

#include "exo_sha256.h"
#include "exo_test.h"
#include "shared/exo_rng.h"

static const struct {
    uint32_t ctr[4], key[2], out[4];
    int rounds;
} kat[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, 10},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, 10},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, 10},
    {{1, 0, 0, 0}, {1, 0}, {0xac08141b, 0xdfc5ccbe, 0x79c07a47, 0xa7f66093}, 10},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {1, 0},
     {0x38527b8f, 0xfad9a48c, 0x20e675c0, 0xf2fea26a}, 10},
    {{0, 0, 0, 0}, {0, 0}, {0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48}, 7},
};

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double normal_cdf(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    /* K1-K6 bit-exact. */
    for (size_t t = 0; t < sizeof kat / sizeof kat[0]; t++) {
        exo_u32x4 c;
        for (int k = 0; k < 4; k++)
            c.v[k] = kat[t].ctr[k];
        exo_u32x4 r = exo_philox4x32_r(c, kat[t].key[0], kat[t].key[1], kat[t].rounds);
        for (int k = 0; k < 4; k++)
            EXO_TEST_TRUE(r.v[k] == kat[t].out[k], "K%zu word %d: expected %08x, got %08x",
                          t + 1, k, kat[t].out[k], r.v[k]);
    }

    /* Agreement with Random123 on 100000 random (counter, key) pairs. */
    uint64_t seed = 12345;
    int mismatches = 0;
    for (int t = 0; t < 100000; t++) {
        philox4x32_ctr_t c;
        philox4x32_key_t k;
        exo_u32x4 ours;
        for (int i = 0; i < 4; i++)
            ours.v[i] = c.v[i] = (uint32_t)splitmix(&seed);
        k.v[0] = (uint32_t)splitmix(&seed);
        k.v[1] = (uint32_t)splitmix(&seed);
        philox4x32_ctr_t ref = philox4x32(c, k);
        ours = exo_philox4x32_r(ours, k.v[0], k.v[1], 10);
        for (int i = 0; i < 4; i++)
            mismatches += ours.v[i] != ref.v[i];
    }
    EXO_TEST_EQ_INT(mismatches, 0, "words differing from Random123 philox4x32 (400000)");

    /* Keying: counter = {id, step lo, step hi, purpose}, key = {seed lo, hi}. */
    {
        exo_u32x4 a = exo_rng_draw(7, 0x100000002ull, 1, 0x11, 0x22);
        exo_u32x4 c = {{7, 2, 1, 1}};
        exo_u32x4 b = exo_philox4x32_r(c, 0x11, 0x22, 10);
        EXO_TEST_TRUE(memcmp(&a, &b, sizeof a) == 0, "exo_rng_draw keying");
    }

    /* Derived uniforms and normals from K1 (PHYSICS.md section 7).  The host
     * build uses float reals: tolerance 1e-6 (V18). */
    {
        exo_u32x4 c = {{0, 0, 0, 0}};
        exo_u32x4 r = exo_philox4x32_r(c, 0, 0, 10);
        const double u[4] = {0.3990464708, 0.8805201979, 0.7357127845, 0.6054818538};
        for (int k = 0; k < 4; k++)
            EXO_TEST_NEAR(exo_u01(r.v[k]), u[k], 1e-6, "K1 uniform");
        exo_real z0, z1, z2, z3;
        exo_box_muller(r.v[0], r.v[1], &z0, &z1);
        exo_box_muller(r.v[2], r.v[3], &z2, &z3);
        EXO_TEST_NEAR(z0, 0.991137680, 1e-6, "K1 normal z1(u0,u1)");
        EXO_TEST_NEAR(z1, -0.924662588, 1e-6, "K1 normal z2(u0,u1)");
        EXO_TEST_NEAR(z2, -0.617608959, 1e-6, "K1 normal z1(u2,u3)");
        EXO_TEST_NEAR(z3, -0.482068587, 1e-6, "K1 normal z2(u2,u3)");
        EXO_TEST_TRUE(exo_u01(0) > 0 && exo_u01(0xffffffffu) <= 1.0f,
                      "u01 range: %g %g", exo_u01(0), exo_u01(0xffffffffu));
    }

    /* Moments of 1e6 uniforms and normals drawn as the stepper draws them. */
    enum { N = 1000000 };
    double *z = malloc(N * sizeof *z);
    if (z == NULL)
        return 1;
    double su = 0, su2 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    for (uint32_t i = 0; i < N / 4; i++) {
        exo_u32x4 r = exo_rng_draw(i, 17, 0, 42, 0);
        exo_real n[4];
        exo_box_muller(r.v[0], r.v[1], &n[0], &n[1]);
        exo_box_muller(r.v[2], r.v[3], &n[2], &n[3]);
        for (int k = 0; k < 4; k++) {
            double u = exo_u01(r.v[k]);
            su += u;
            su2 += u * u;
            double x = n[k];
            z[4 * i + k] = x;
            s1 += x;
            s2 += x * x;
            s3 += x * x * x;
            s4 += x * x * x * x;
        }
    }
    double mu = su / N, vu = su2 / N - mu * mu;
    EXO_TEST_NEAR(mu, 0.5, 4 * sqrt(1.0 / 12 / N), "uniform mean");
    EXO_TEST_NEAR(vu, 1.0 / 12, 4 * sqrt(1.0 / 180 / N), "uniform variance");
    double m = s1 / N, v = s2 / N - m * m;
    double skew = (s3 / N - 3 * m * v - m * m * m) / pow(v, 1.5);
    double kurt = (s4 / N - 4 * m * s3 / N + 6 * m * m * s2 / N - 3 * pow(m, 4)) / (v * v);
    EXO_TEST_NEAR(m, 0, 4 / sqrt((double)N), "normal mean");
    EXO_TEST_NEAR(v, 1, 4 * sqrt(2.0 / N), "normal variance");
    EXO_TEST_NEAR(skew, 0, 4 * sqrt(6.0 / N), "normal skewness");
    EXO_TEST_NEAR(kurt, 3, 4 * sqrt(24.0 / N), "normal kurtosis");

    /* Kolmogorov-Smirnov against Phi: sqrt(N) D < 1.95 (p = 0.001). */
    qsort(z, N, sizeof *z, cmp_double);
    double dmax = 0;
    for (int i = 0; i < N; i++) {
        double f = normal_cdf(z[i]);
        double d = fmax(fabs(f - (double)i / N), fabs((double)(i + 1) / N - f));
        dmax = fmax(dmax, d);
    }
    EXO_TEST_NEAR(sqrt((double)N) * dmax, 0, 1.95, "KS statistic sqrt(N) D_N");
    free(z);

    /* SHA-256 (FIPS 180-2 appendix B). */
    {
        char hex[65];
        exo_sha256 s;
        exo_sha256_init(&s);
        exo_sha256_update(&s, "abc", 3);
        exo_sha256_hex(&s, hex);
        EXO_TEST_CONTAINS(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        exo_sha256_init(&s);
        exo_sha256_update(&s, msg, strlen(msg));
        exo_sha256_hex(&s, hex);
        EXO_TEST_CONTAINS(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    return exo_test_finish("test_rng");
}
