/*
 * exo_rng: counter-based random numbers, the same bits on host and device.
 *
 * Philox4x32-10 (Salmon, Moraes, Dror & Shaw, SC'11; the Random123
 * algorithm, re-implemented here in the OpenCL/C11 common subset and checked
 * against Random123's known-answer vectors and against Random123's own
 * philox.h in tests/unit/test_rng.c).  Keying (DESIGN.md section 3,
 * PHYSICS.md section 7):
 *
 *   counter = { global vesicle id, step low 32 bits, step high 32 bits, purpose }
 *   key     = { seed low 32 bits, seed high 32 bits }
 *
 * so the numbers a vesicle draws at a step depend on nothing but (seed, id,
 * step, purpose): not on work-group size, steps per launch, batching, or
 * which other vesicles are simulated.  Integers match exactly between host
 * and device; reals match to the ULP allowances of log/cos/sin.
 *
 * Conversions: u = (x + 0.5) * 2^-32 in (0, 1) (in float the +0.5 can round
 * away and u can round up to 1.0, which every caller tolerates); Box-Muller
 * normals.  In float, normals are truncated at about 6.7 sigma because
 * u >= 2^-33 (a probability of 2e-11 per draw).
 */
#ifndef EXO_RNG_H
#define EXO_RNG_H

#include "exo_compat.h"

/* Purposes: the fourth counter word.  Each draw of a step has its own. */
#define EXO_RNG_DISPLACEMENT 0u /* normals of the Brownian displacement      */
#define EXO_RNG_BOUNDARY 1u     /* uniforms of wall contacts: words 0-2 the
                                   bridge test per axis, word 3 adsorption  */
#define EXO_RNG_INIT_POSITION 2u/* uniforms of the initial position (step 0) */
#define EXO_RNG_INIT_RADIUS 3u  /* uniforms of the radius draw (step 0)      */
#define EXO_RNG_INFUSION 4u     /* arrivals of an infusion: counter id is the
                                   global id of the population's first
                                   vesicle (host side)                      */
#define EXO_RNG_BOUND 5u        /* uniforms of a bound vesicle's transitions:
                                   word 0 whether, word 1 which             */
#define EXO_RNG_INIT_LIGANDS 6u /* uniforms of the ligand count (step 0)     */
#define EXO_RNG_RECEPTORS 7u    /* receptors of a patch, rounded to a whole
                                   number: counter id is the patch (host)  */
#define EXO_RNG_CLEARANCE 8u    /* uniform of a free vesicle's clearance     */
#define EXO_RNG_PLACEMENT 9u    /* placement of a tissue's cells: counter id
                                   and step are the draw number (host)      */
#define EXO_RNG_CELLS 10u       /* uptake at a cell: word 0 the bridge touch,
                                   word 1 the uptake                        */
#define EXO_RNG_CROSSING 11u    /* the tissue side of a vessel wall: word 0
                                   the bridge touch, word 1 the pore        */
#define EXO_RNG_SWEEP 12u       /* a sweep's Latin hypercube: counter id is
                                   the setting, step the draw (host)        */
#define EXO_RNG_CARGO 13u       /* a vesicle's cargo loading (host): counter
                                   id is the global vesicle id, step 0      */

#define EXO_PHILOX_M0 0xD2511F53u
#define EXO_PHILOX_M1 0xCD9E8D57u
#define EXO_PHILOX_W0 0x9E3779B9u
#define EXO_PHILOX_W1 0xBB67AE85u

typedef struct exo_u32x4 {
    uint32_t v[4];
} exo_u32x4;

/** One Philox round. */
EXO_FN exo_u32x4 exo_philox_round(exo_u32x4 c, uint32_t k0, uint32_t k1)
{
    uint32_t hi0 = exo_mulhi32(EXO_PHILOX_M0, c.v[0]);
    uint32_t lo0 = EXO_PHILOX_M0 * c.v[0];
    uint32_t hi1 = exo_mulhi32(EXO_PHILOX_M1, c.v[2]);
    uint32_t lo1 = EXO_PHILOX_M1 * c.v[2];
    exo_u32x4 r;
    r.v[0] = hi1 ^ c.v[1] ^ k0;
    r.v[1] = lo1;
    r.v[2] = hi0 ^ c.v[3] ^ k1;
    r.v[3] = lo0;
    return r;
}

/** Philox4x32 with a given number of rounds (10 in production; the 7-round
 *  variant exists for the known-answer test K6). */
EXO_FN exo_u32x4 exo_philox4x32_r(exo_u32x4 c, uint32_t k0, uint32_t k1,
                                  int rounds)
{
    for (int r = 0; r < rounds; r++) {
        if (r > 0) {
            k0 += EXO_PHILOX_W0;
            k1 += EXO_PHILOX_W1;
        }
        c = exo_philox_round(c, k0, k1);
    }
    return c;
}

/** The four 32-bit words for (id, step, purpose) under key (seed). */
EXO_FN exo_u32x4 exo_rng_draw(uint32_t id, uint64_t step, uint32_t purpose,
                              uint32_t seed_lo, uint32_t seed_hi)
{
    exo_u32x4 c;
    c.v[0] = id;
    c.v[1] = (uint32_t)step;
    c.v[2] = (uint32_t)(step >> 32);
    c.v[3] = purpose;
    return exo_philox4x32_r(c, seed_lo, seed_hi, 10);
}

/** Uniform in (0, 1): (x + 0.5) 2^-32. */
EXO_FN exo_real exo_u01(uint32_t x)
{
    return ((exo_real)x + EXO_R(0.5)) * EXO_R(2.3283064365386963e-10);
}

/** Two independent standard normals from two uniforms (Box-Muller):
 *  z0 = r cos(2 pi u1), z1 = r sin(2 pi u1), r = sqrt(-2 ln u0). */
EXO_FN void exo_box_muller(uint32_t a, uint32_t b, exo_real *z0, exo_real *z1)
{
    exo_real r = exo_sqrt(EXO_R(-2.0) * exo_log(exo_u01(a)));
    exo_real t = EXO_R(6.283185307179586) * exo_u01(b);
    *z0 = r * exo_cos(t);
    *z1 = r * exo_sin(t);
}

/* ------------------------------------------------------------------ lanes */

/**
 * exo_rng_draw for EXO_W vesicles at once (exo_compat.h): lane l gets the
 * words of (id[l], step, purpose).  The same Philox4x32-10 as
 * exo_philox4x32_r, written for vector lanes; test_determinism checks that
 * every lane width gives the same trajectories.
 */
EXO_FN void exo_rng_drawv(exo_uintv id, uint64_t step, uint32_t purpose,
                          uint32_t seed_lo, uint32_t seed_hi, exo_uintv r[4])
{
#if EXO_W == 1
    exo_u32x4 q = exo_rng_draw(id, step, purpose, seed_lo, seed_hi);
    for (int k = 0; k < 4; k++)
        r[k] = q.v[k];
#else
    exo_uintv c0 = id;
    exo_uintv c1 = (exo_uintv)((uint32_t)step);
    exo_uintv c2 = (exo_uintv)((uint32_t)(step >> 32));
    exo_uintv c3 = (exo_uintv)(purpose);
    uint32_t k0 = seed_lo, k1 = seed_hi;
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += EXO_PHILOX_W0;
            k1 += EXO_PHILOX_W1;
        }
        exo_uintv hi0 = exo_mulhi32v(EXO_PHILOX_M0, c0), lo0 = EXO_PHILOX_M0 * c0;
        exo_uintv hi1 = exo_mulhi32v(EXO_PHILOX_M1, c2), lo1 = EXO_PHILOX_M1 * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    r[0] = c0;
    r[1] = c1;
    r[2] = c2;
    r[3] = c3;
#endif
}

/** exo_u01 per lane. */
EXO_FN exo_realv exo_u01v(exo_uintv x)
{
    return (exo_to_realv(x) + EXO_R(0.5)) * EXO_R(2.3283064365386963e-10);
}

#if EXO_USE_DOUBLE || (defined(__OPENCL_VERSION__) && EXO_NATIVE_MATH)
/** ln u of the noise: the library's (double) or the device's native_. */
EXO_FN exo_realv exo_noise_log(exo_realv u) { return exo_fast_log(u); }

/** cos(2 pi u) and sin(2 pi u) of the noise. */
EXO_FN void exo_noise_cos_sin(exo_realv u, exo_realv *c, exo_realv *s)
{
    exo_realv t = EXO_R(6.283185307179586) * u;
    *c = exo_fast_cos(t);
    *s = exo_fast_sin(t);
}
#else
/*
 * The noise's own logarithm and sine/cosine, in single precision.  Every
 * step draws three normals, so these are most of a free vesicle's
 * arithmetic.  The library functions must handle any argument (NaN,
 * infinities, denormals, huge angles), and with PoCL's vector versions of
 * them a free step is 1.3x slower (bench/RESULTS.md); the noise only ever
 * asks for ln u and cos/sin(2 pi u) with u from exo_u01v, in [2^-33, 1].
 * These are branch-free polynomials for exactly that range (Cephes' logf,
 * sinf and cosf coefficients, Moshier 1989), the same code on every device
 * and in the C reference, with fused multiply-adds (exo_fmav) that round
 * the same everywhere.  tests/unit/test_noise_math checks them against
 * double-precision libm over 2^24 arguments: ln u to 2 float ulp (0.83
 * measured), cos and sin to 2e-7 absolute (9.1e-8 measured).
 */

/** ln u for u in [2^-33, 1]: u = 2^e m with m in [sqrt(1/2), sqrt(2)),
 *  ln u = e ln 2 + ln m, ln m by Cephes' polynomial in m - 1 and ln 2 in
 *  two parts, 0.693359375 (exact) - 2.12194440e-4. */
EXO_FN exo_realv exo_noise_log(exo_realv u)
{
    exo_intv bits = exo_as_intv(u);
    exo_intv e = ((bits >> 23) & 0xff) - 126;
    exo_realv m = exo_as_realv((bits & 0x007fffff) | 0x3f000000); /* [1/2, 1) */
    exo_intv low = m < EXO_R(0.70710678118654752);
    exo_realv x = EXO_SELECT(m - EXO_R(1.0), m + m - EXO_R(1.0), low);
    exo_realv fe = exo_to_realv(EXO_SELECT(e, e - 1, low));
    exo_realv z = x * x;
    exo_realv y = EXO_R(7.0376836292e-2);
    y = exo_fmav(y, x, EXO_R(-1.1514610310e-1));
    y = exo_fmav(y, x, EXO_R(1.1676998740e-1));
    y = exo_fmav(y, x, EXO_R(-1.2420140846e-1));
    y = exo_fmav(y, x, EXO_R(1.4249322787e-1));
    y = exo_fmav(y, x, EXO_R(-1.6668057665e-1));
    y = exo_fmav(y, x, EXO_R(2.0000714765e-1));
    y = exo_fmav(y, x, EXO_R(-2.4999993993e-1));
    y = exo_fmav(y, x, EXO_R(3.3333331174e-1));
    y = y * x * z;
    y = exo_fmav(EXO_R(-2.12194440e-4), fe, y);
    y = exo_fmav(EXO_R(-0.5), z, y);
    return exo_fmav(EXO_R(0.693359375), fe, x + y);
}

/** cos(2 pi u) and sin(2 pi u) for u in [0, 1]: the nearest quarter turn
 *  q = round(4u) leaves f = u - q/4 in [-1/8, 1/8] (exactly: f is a
 *  multiple of u's ulp), t = 2 pi f in [-pi/4, pi/4], where Cephes'
 *  polynomials hold, and the quarter turn swaps and signs them. */
EXO_FN void exo_noise_cos_sin(exo_realv u, exo_realv *c, exo_realv *s)
{
    exo_intv q = exo_to_intv(EXO_R(4.0) * u + EXO_R(0.5));
    exo_realv t = EXO_R(6.283185307179586) * (u - EXO_R(0.25) * exo_to_realv(q));
    exo_realv z = t * t;
    exo_realv sn = exo_fmav(EXO_R(-1.9515295891e-4), z, EXO_R(8.3321608736e-3));
    sn = exo_fmav(sn, z, EXO_R(-1.6666654611e-1));
    sn = exo_fmav(sn * z, t, t);
    exo_realv cs = exo_fmav(EXO_R(2.443315711809948e-5), z, EXO_R(-1.388731625493765e-3));
    cs = exo_fmav(cs, z, EXO_R(4.166664568298827e-2));
    cs = exo_fmav(cs * z, z, exo_fmav(EXO_R(-0.5), z, EXO_R(1.0)));
    exo_intv odd = (q & 1) != 0;
    exo_intv quarter = q & 3;
    exo_realv cq = EXO_SELECT(cs, sn, odd), sq = EXO_SELECT(sn, cs, odd);
    *c = EXO_SELECT(cq, -cq, quarter == 1 || quarter == 2);
    *s = EXO_SELECT(sq, -sq, quarter >= 2);
}
#endif

/** exo_box_muller per lane, with the noise's functions. */
EXO_FN void exo_box_mullerv(exo_uintv a, exo_uintv b, exo_realv *z0,
                            exo_realv *z1)
{
    exo_realv r = exo_fast_sqrt(EXO_R(-2.0) * exo_noise_log(exo_u01v(a)));
    exo_realv c, s;
    exo_noise_cos_sin(exo_u01v(b), &c, &s);
    *z0 = r * c;
    *z1 = r * s;
}

#endif /* EXO_RNG_H */
