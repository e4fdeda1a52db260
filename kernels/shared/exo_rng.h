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
                                   population index (host side)             */
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

/** exo_box_muller per lane. */
EXO_FN void exo_box_mullerv(exo_uintv a, exo_uintv b, exo_realv *z0,
                            exo_realv *z1)
{
    exo_realv r = exo_fast_sqrt(EXO_R(-2.0) * exo_fast_log(exo_u01v(a)));
    exo_realv t = EXO_R(6.283185307179586) * exo_u01v(b);
    *z0 = r * exo_fast_cos(t);
    *z1 = r * exo_fast_sin(t);
}

#endif /* EXO_RNG_H */
