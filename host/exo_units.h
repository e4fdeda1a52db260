/*
 * exo_units: quantities with units, as scenario files write them.
 *
 * A scenario value is either a bare number, taken to be in the internal base
 * unit of its dimension (um, s, K, Pa s, pN, 1/s, ...; see exobd.h), or a
 * string "<number> <unit expression>" such as "50 nm", "1 us", "1.2 mPa s",
 * "500 /um^2", "1 mm/s", "1e5 /M/s", "37 degC".  This module parses such
 * strings, checks the dimension against what the setting expects and
 * converts to internal units.  It knows nothing about libconfig or files:
 * exo_config adds the file, line and setting to its messages.
 */
#ifndef EXO_UNITS_H
#define EXO_UNITS_H

#include <stddef.h>

/** What a setting measures.  Each has an internal base unit. */
typedef enum exo_dim {
    EXO_DIM_NUMBER = 0,      /* dimensionless                    (1)       */
    EXO_DIM_LENGTH,          /* um                                         */
    EXO_DIM_TIME,            /* s                                          */
    EXO_DIM_TEMPERATURE,     /* K   ("degC" accepted, offset 273.15)       */
    EXO_DIM_VISCOSITY,       /* Pa s  (= pN s/um^2)                        */
    EXO_DIM_VELOCITY,        /* um/s                                       */
    EXO_DIM_RATE,            /* 1/s                                        */
    EXO_DIM_AREAL_DENSITY,   /* 1/um^2                                     */
    EXO_DIM_VOLUME_DENSITY,  /* 1/um^3   (molar units allowed: "1 nM")     */
    EXO_DIM_FORCE,           /* pN                                         */
    EXO_DIM_ENERGY,          /* pN um                                      */
    EXO_DIM_DIFFUSIVITY,     /* um^2/s                                     */
    EXO_DIM_AREA_RATE,       /* um^2/s  (2D on-rate)                       */
    EXO_DIM_VOLUME_RATE,     /* um^3/s  (3D on-rate; "1e5 /M/s" accepted)  */
    EXO_DIM_PRESSURE,        /* pN/um^2 = Pa                               */
    EXO_DIM_COUNT_
} exo_dim;

/** "length", "time", ... */
const char *exo_units_dim_name(exo_dim dim);

/** Internal base unit of a dimension: "um", "s", "K", "Pa s", ... */
const char *exo_units_base_unit(exo_dim dim);

/** An example of a valid string for a dimension: "50 nm", "1 us", ... */
const char *exo_units_example(exo_dim dim);

/**
 * Parse "<number> <unit expression>" and convert to internal units.
 *
 * Unit expressions: factors separated by spaces or '*', each an optional SI
 * prefix (f p n u µ m c k M G) and a unit (m s K Pa N J g L M mol Hz P min h
 * day, and the molar M), with an optional integer exponent written "^-2" or
 * "2" after '^'; '/' divides by everything after it ("/M/s" divides by both).
 * A leading '/' means 1/... ("500 /um^2").  "1 cP" and "1 P" (poise) work.
 * A string with only a number (no unit) is rejected: bare numbers must be
 * written as numbers, so a forgotten unit in a string is caught.
 *
 * @param text  the string as written in the scenario
 * @param dim   the dimension the setting expects
 * @param out   the value in internal units (written only on success)
 * @param why   on failure, a sentence saying what is wrong, e.g.
 *              "unit 'kg' is a mass, but this setting is a length (use e.g. \"50 nm\")"
 * @return 0 on success, -1 on failure
 */
int exo_units_parse(const char *text, exo_dim dim, double *out,
                    char *why, size_t why_len);

#endif /* EXO_UNITS_H */
