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
#define EXO_HAS_DOUBLE EXO_USE_DOUBLE /* fp64 only where asked for */

#else
/* ---------------------------------------------------------------- C11 host */
#include <math.h>
#include <stdint.h>
#define EXO_FN static inline
#define EXO_GLOBAL
#define EXO_CONSTANT static const
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
#define exo_cos cos
#define exo_sin sin
#define exo_floor floor
#define exo_fabs fabs
#else
#define exo_sqrt sqrtf
#define exo_log logf
#define exo_exp expf
#define exo_cos cosf
#define exo_sin sinf
#define exo_floor floorf
#define exo_fabs fabsf
#endif
#endif

#endif /* EXO_COMPAT_H */
