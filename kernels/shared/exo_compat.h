/*
 * exo_compat: the common subset of OpenCL C 1.2 and C11 that the shared
 * physics headers are written in.
 *
 * This is the only file under kernels/shared/ that tests which compiler it
 * is in.  It maps fixed-width integers, function qualifiers, the real type
 * and the few math functions whose names differ.  Switches are 0/1 macros
 * tested with #if (EXO_USE_DOUBLE), never #ifdef.
 */
#ifndef EXO_COMPAT_H
#define EXO_COMPAT_H

#ifndef EXO_USE_DOUBLE
#define EXO_USE_DOUBLE 0
#endif

#if defined(__OPENCL_VERSION__)
/* ------------------------------------------------------------ OpenCL C 1.2 */
/* No contraction of a * b + c into fma: the kernels then round as the C
 * reference does (which is compiled for baseline x86-64 or another target
 * without contraction), and where the noise wants fused multiply-adds it
 * asks for them (exo_fmav), which both sides round correctly. */
#pragma OPENCL FP_CONTRACT OFF
#if EXO_USE_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
typedef uint uint32_t;
typedef int int32_t;
typedef ulong uint64_t;
typedef long int64_t;
typedef char int8_t;
typedef uchar uint8_t;
#define EXO_FN inline
#define EXO_GLOBAL __global
#define EXO_CONSTANT __constant
#define exo_mulhi32(a, b) mul_hi((uint)(a), (uint)(b))
#define exo_atomic_inc(p) atomic_inc(p)
#define EXO_HAS_DOUBLE EXO_USE_DOUBLE /* fp64 only where asked for */

#else
/* ---------------------------------------------------------------- C11 host */
#include <math.h>
#include <stdint.h>
#define EXO_FN static inline
#define EXO_GLOBAL
#define EXO_CONSTANT static const
/* The C reference is one thread: a plain post-increment. */
#define exo_atomic_inc(p) ((*(p))++)
#define EXO_HAS_DOUBLE 1
static inline uint32_t exo_mulhi32(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)a * (uint64_t)b) >> 32);
}
#endif

#if EXO_USE_DOUBLE
typedef double exo_real;
#define EXO_R(x) (x)
#define exo_sqrt sqrt
#define exo_log log
#define exo_exp exp
#define exo_expm1 expm1
#define exo_atan2 atan2
#define exo_cos cos
#define exo_sin sin
#define exo_floor floor
#define exo_fabs fabs
#else
typedef float exo_real;
#define EXO_R(x) (x##f)
#if defined(__OPENCL_VERSION__)
#define exo_sqrt sqrt
#define exo_log log
#define exo_exp exp
#define exo_expm1 expm1
#define exo_atan2 atan2
#define exo_cos cos
#define exo_sin sin
#define exo_floor floor
#define exo_fabs fabs
#else
#define exo_sqrt sqrtf
#define exo_log logf
#define exo_exp expf
#define exo_expm1 expm1f
#define exo_atan2 atan2f
#define exo_cos cosf
#define exo_sin sinf
#define exo_floor floorf
#define exo_fabs fabsf
#endif
#endif

/* ------------------------------------------------------------------ lanes */
/*
 * A kernel work-item may step EXO_W vesicles at once in OpenCL vector types
 * (EXO_W = 1, 2, 4, 8 or 16).  PoCL's CPU device does not vectorise a
 * one-vesicle-per-work-item kernel (DESIGN.md section 7: about 6e6
 * particle-steps/s on 2 cores, slower than plain C); with explicit 16-wide
 * vectors it reaches the machine's arithmetic ceiling.  GPUs want EXO_W = 1.
 * The host always has EXO_W = 1, where every lane type is the scalar type.
 *
 * Rules for lane code, so that one text means the same in both languages:
 * masks come from comparisons and are combined with && || ! only (C gives
 * 1/0, OpenCL vectors -1/0: both are "true" to EXO_SELECT and EXO_ANY);
 * EXO_SELECT(a, b, m) is "m ? b : a" per lane.
 */
#ifndef EXO_W
#define EXO_W 1
#endif
#define EXO_CAT_(a, b) a##b
#define EXO_CAT(a, b) EXO_CAT_(a, b)

#if EXO_W == 1
typedef exo_real exo_realv;
typedef uint32_t exo_uintv;
typedef int32_t exo_intv;
#define EXO_ANY(m) (m)
#define EXO_LANE(type, v, l) (v)
#define exo_to_realv(x) ((exo_real)(x))
#define exo_to_intv(x) ((int32_t)(x))
#define EXO_LANES 0u
#else
#if !defined(__OPENCL_VERSION__) || EXO_USE_DOUBLE
#error "EXO_W > 1 is for OpenCL kernels in single precision"
#endif
typedef EXO_CAT(float, EXO_W) exo_realv;
typedef EXO_CAT(uint, EXO_W) exo_uintv;
typedef EXO_CAT(int, EXO_W) exo_intv;
#define EXO_ANY(m) any(m)
/* Lane l of a vector held in private memory, as a scalar of `type`. */
#define EXO_LANE(type, v, l) (((type *)&(v))[l])
#define exo_to_realv(x) EXO_CAT(convert_float, EXO_W)(x)
#define exo_to_intv(x) EXO_CAT(convert_int, EXO_W)(x)
#if EXO_W == 2
#define EXO_LANES ((uint2)(0, 1))
#elif EXO_W == 4
#define EXO_LANES ((uint4)(0, 1, 2, 3))
#elif EXO_W == 8
#define EXO_LANES ((uint8)(0, 1, 2, 3, 4, 5, 6, 7))
#elif EXO_W == 16
#define EXO_LANES ((uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))
#else
#error "EXO_W must be 1, 2, 4, 8 or 16"
#endif
#endif

/* The transcendental functions of the hot loop (Box-Muller).  By default
 * the logarithm, cosine and sine are exobd's own polynomials (exo_rng.h:
 * exo_noise_log, exo_noise_cos_sin), the same code on every device and in
 * the C reference, and sqrt is the standard one.  With EXO_NATIVE_MATH = 1
 * (exobd run --native-math) all four are OpenCL's native_ versions, with
 * accuracy the implementation defines and trajectories that differ between
 * vector widths in the last bits (bench/RESULTS.md has both). */
#ifndef EXO_NATIVE_MATH
#define EXO_NATIVE_MATH 0
#endif
#if defined(__OPENCL_VERSION__) && EXO_NATIVE_MATH
#define exo_fast_sqrt native_sqrt
#define exo_fast_log native_log
#define exo_fast_cos native_cos
#define exo_fast_sin native_sin
#else
#define exo_fast_sqrt exo_sqrt
#define exo_fast_log exo_log
#define exo_fast_cos exo_cos
#define exo_fast_sin exo_sin
#endif

#if defined(__OPENCL_VERSION__)
#define EXO_SELECT(a, b, m) select((a), (b), (m))
#define exo_mulhi32v(a, b) mul_hi((exo_uintv)(a), (b))
#else
#define EXO_SELECT(a, b, m) ((m) ? (b) : (a))
#define exo_mulhi32v(a, b) exo_mulhi32((a), (b))
#endif

/* a * b + c rounded once, in float lanes: OpenCL's fma and C's fmaf are
 * both correctly rounded, so the result is the same bits everywhere. */
#if defined(__OPENCL_VERSION__)
#define exo_fmav(a, b, c) fma((exo_realv)(a), (exo_realv)(b), (exo_realv)(c))
#else
#define exo_fmav(a, b, c) fmaf((a), (b), (c))
#endif

/* A float lane's bits as an int lane and back (single precision only: the
 * noise's own log and sine/cosine in exo_rng.h take floats apart). */
#if defined(__OPENCL_VERSION__)
#if EXO_W == 1
#define exo_as_intv(x) as_int(x)
#define exo_as_realv(x) as_float(x)
#else
#define exo_as_intv(x) EXO_CAT(as_int, EXO_W)(x)
#define exo_as_realv(x) EXO_CAT(as_float, EXO_W)(x)
#endif
#else
static inline int32_t exo_as_intv(float x)
{
    union { float f; int32_t i; } b;
    b.f = x;
    return b.i;
}
static inline float exo_as_realv(int32_t x)
{
    union { float f; int32_t i; } b;
    b.i = x;
    return b.f;
}
#endif

#endif /* EXO_COMPAT_H */
