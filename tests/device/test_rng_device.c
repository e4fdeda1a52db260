/*
 * test_rng_device: Philox4x32 on the OpenCL device (PHYSICS.md V18): the
 * known-answer vectors K1-K6 bit-exact, and the device's normals equal the
 * host's to the ULP allowance of OpenCL's log/cos/sin.
 */
#include <math.h>

#include "exo_cl.h"
#include "exo_test.h"
#include "shared/exo_rng.h"

static const uint32_t kat_ctr[6][4] = {
    {0, 0, 0, 0}, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
    {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {1, 0, 0, 0},
    {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0, 0, 0, 0}};
static const uint32_t kat_key[6][2] = {{0, 0}, {0xffffffff, 0xffffffff},
                                       {0xa4093822, 0x299f31d0}, {1, 0},
                                       {1, 0}, {0, 0}};
static const uint32_t kat_out[6][4] = {
    {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
    {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
    {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
    {0xac08141b, 0xdfc5ccbe, 0x79c07a47, 0xa7f66093},
    {0x38527b8f, 0xfad9a48c, 0x20e675c0, 0xf2fea26a},
    {0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48}}; /* K6: 7 rounds */

static void probe_or_skip(exo_status rc, const exo_error *err)
{
    if (rc == EXO_OK)
        return;
    if (err->status == EXO_ERR_OPENCL && strstr(err->msg, "no OpenCL platform")) {
        fprintf(stderr, "skipping: %s\n", err->msg);
        exit(EXO_TEST_SKIP);
    }
    fprintf(stderr, "probe failed: %s\n", err->msg);
    exit(1);
}

int main(void)
{
    exo_cl_options opt = {0};
    exo_error err = {0};

    /* K1-K5 with 10 rounds in one launch, K6 with 7 rounds in another. */
    uint32_t out[6][4];
    for (int pass = 0; pass < 2; pass++) {
        int first = pass == 0 ? 0 : 5, count = pass == 0 ? 5 : 1;
        int rounds = pass == 0 ? 10 : 7;
        exo_cl_probe_arg args[4] = {
            {kat_ctr[first], sizeof(uint32_t) * 4 * count, NULL, NULL},
            {kat_key[first], sizeof(uint32_t) * 2 * count, NULL, NULL},
            {NULL, sizeof rounds, NULL, &rounds},
            {NULL, sizeof(uint32_t) * 4 * count, out[first], NULL}};
        probe_or_skip(exo_cl_probe(&opt, "k_philox_probe", (size_t)count, args, 4, &err), &err);
    }
    for (int t = 0; t < 6; t++)
        for (int k = 0; k < 4; k++)
            EXO_TEST_TRUE(out[t][k] == kat_out[t][k], "device K%d word %d: expected %08x, got %08x",
                          t + 1, k, kat_out[t][k], out[t][k]);

    /* Normals: 4 x 65536 on the device against the host. */
    enum { M = 65536 };
    static float dev[4 * M];
    uint32_t seed_lo = 42, seed_hi = 7;
    uint64_t step = 0x100000003ull;
    exo_cl_probe_arg nargs[4] = {{NULL, sizeof seed_lo, NULL, &seed_lo},
                                 {NULL, sizeof seed_hi, NULL, &seed_hi},
                                 {NULL, sizeof step, NULL, &step},
                                 {NULL, sizeof dev, dev, NULL}};
    probe_or_skip(exo_cl_probe(&opt, "k_normal_probe", M, nargs, 4, &err), &err);
    double worst = 0;
    for (uint32_t id = 0; id < M; id++) {
        exo_u32x4 r = exo_rng_draw(id, step, EXO_RNG_DISPLACEMENT, seed_lo, seed_hi);
        exo_real z[4];
        exo_box_muller(r.v[0], r.v[1], &z[0], &z[1]);
        exo_box_muller(r.v[2], r.v[3], &z[2], &z[3]);
        for (int k = 0; k < 4; k++) {
            double d = fabs((double)dev[4 * id + k] - (double)z[k]) /
                       fmax(1.0, fabs((double)z[k]));
            worst = fmax(worst, d);
        }
    }
    /* OpenCL 1.2 allows log 3 ulp, sin/cos 4 ulp, sqrt 3 ulp in float; a
     * normal therefore agrees to about 1e-6 relative (V18: 1e-6 in float). */
    EXO_TEST_NEAR(worst, 0, 2e-6, "largest relative difference of device and host normals");
    return exo_test_finish("test_rng_device");
}
