/*
 * exo_units: see exo_units.h.
 *
 * A unit expression is reduced to a scale factor to SI and an integer
 * exponent vector over (length, time, mass, temperature).  Conversion to the
 * internal units (um, s, 1e-6 kg, K) then multiplies by 1e6^(length + mass
 * exponent); 1e-6 kg is the mass unit that makes force pN, energy pN um and
 * viscosity Pa s.  Amount of substance is not a dimension: mol is the pure
 * number N_A, so "1 nM" is a number density and "1e5 /M/s" a volume rate.
 *
 * A factor is a maximal run of letters (UTF-8 bytes count as letters, so
 * "µm" and "°C" are single words).  A word that is itself a unit name wins
 * ("m" metre, "M" molar, "min", "mol", "Pa", "P"); otherwise it must be one
 * SI prefix followed by a unit name ("mM", "mm", "ms", "mPa", "cP").  The
 * prefix M (mega) is taken only where it cannot be confused with molar or
 * with a milli- unit written in the wrong case (MPa, MHz, MN, MJ): "Mm",
 * "Ms", "Mg", "ML" and "MM" are rejected rather than guessed at.
 *
 * Numbers are read with strtod, so the decimal point follows the C locale;
 * the library never calls setlocale, and main() must not either.  There is
 * no state: every function is thread-safe.  Range checks (a temperature
 * below 0 K, a negative length) belong to the caller.
 */
#include "exo_units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXO_UNITS_N_A 6.02214076e23    /* 1/mol, exact since SI 2019 */
#define EXO_UNITS_ZERO_C 273.15        /* K at 0 degC */
#define EXO_UNITS_TO_INTERNAL 1e6      /* um per m, and (1e-6 kg) per kg */
#define EXO_UNITS_MAX_EXP 9            /* largest |exponent| after '^' */
#define EXO_UNITS_MAX_TOTAL 24         /* largest |exponent| of one base
                                          dimension in a whole expression */
#define EXO_UNITS_TOKEN_MAX 40         /* longest token quoted in a message
                                          (bytes) */

enum { EXP_L, EXP_T, EXP_M, EXP_K, EXP_N_ };   /* exponent vector slots */

typedef struct dim_info {
    const char *name;            /* "length" */
    const char *base;            /* internal base unit, "um" */
    const char *example;         /* a valid string, "50 nm" */
    signed char exp[EXP_N_];     /* SI exponents (m, s, kg, K) */
} dim_info;

/* Must follow the order of exo_dim in exo_units.h. */
static const dim_info dims[EXO_DIM_COUNT_] = {
    [EXO_DIM_NUMBER]         = {"number", "1", "0.5", {0, 0, 0, 0}},
    [EXO_DIM_LENGTH]         = {"length", "um", "50 nm", {1, 0, 0, 0}},
    [EXO_DIM_TIME]           = {"time", "s", "1 us", {0, 1, 0, 0}},
    [EXO_DIM_TEMPERATURE]    = {"temperature", "K", "310.15 K", {0, 0, 0, 1}},
    [EXO_DIM_VISCOSITY]      = {"viscosity", "Pa s", "1.2 mPa s",
                                {-1, -1, 1, 0}},
    [EXO_DIM_VELOCITY]       = {"velocity", "um/s", "1 mm/s", {1, -1, 0, 0}},
    [EXO_DIM_RATE]           = {"rate", "1/s", "10 /s", {0, -1, 0, 0}},
    [EXO_DIM_AREAL_DENSITY]  = {"areal density", "1/um^2", "500 /um^2",
                                {-2, 0, 0, 0}},
    [EXO_DIM_VOLUME_DENSITY] = {"volume density", "1/um^3", "1 nM",
                                {-3, 0, 0, 0}},
    [EXO_DIM_FORCE]          = {"force", "pN", "10 pN", {1, -2, 1, 0}},
    [EXO_DIM_ENERGY]         = {"energy", "pN um", "4.28 pN nm",
                                {2, -2, 1, 0}},
    [EXO_DIM_DIFFUSIVITY]    = {"diffusivity", "um^2/s", "3.8 um^2/s",
                                {2, -1, 0, 0}},
    [EXO_DIM_AREA_RATE]      = {"area rate", "um^2/s", "0.1 um^2/s",
                                {2, -1, 0, 0}},
    [EXO_DIM_VOLUME_RATE]    = {"volume rate", "um^3/s", "1e5 /M/s",
                                {3, -1, 0, 0}},
    [EXO_DIM_PRESSURE]       = {"pressure", "Pa", "100 Pa", {-1, -2, 1, 0}},
};

/* Dimensions no setting has, named only to make mismatch messages clear. */
static const dim_info extra_dims[] = {
    {"mass", "", "", {0, 0, 1, 0}},
    {"area", "", "", {2, 0, 0, 0}},
    {"volume", "", "", {3, 0, 0, 0}},
};

enum { PFX_NONE, PFX_NO_MEGA, PFX_ALL };       /* which prefixes a unit takes */

typedef struct unit_info {
    const char *name;
    double si;                   /* one unit in SI, mol counted as N_A */
    signed char exp[EXP_N_];     /* SI exponents (m, s, kg, K) */
    int prefixes;                /* PFX_* */
} unit_info;

static const unit_info units[] = {
    {"m", 1.0, {1, 0, 0, 0}, PFX_NO_MEGA},
    {"s", 1.0, {0, 1, 0, 0}, PFX_NO_MEGA},
    {"min", 60.0, {0, 1, 0, 0}, PFX_NONE},
    {"h", 3600.0, {0, 1, 0, 0}, PFX_NONE},
    {"day", 86400.0, {0, 1, 0, 0}, PFX_NONE},
    {"K", 1.0, {0, 0, 0, 1}, PFX_NO_MEGA},
    {"Pa", 1.0, {-1, -2, 1, 0}, PFX_ALL},
    {"N", 1.0, {1, -2, 1, 0}, PFX_ALL},
    {"J", 1.0, {2, -2, 1, 0}, PFX_ALL},
    {"g", 1e-3, {0, 0, 1, 0}, PFX_NO_MEGA},
    {"L", 1e-3, {3, 0, 0, 0}, PFX_NO_MEGA},
    {"l", 1e-3, {3, 0, 0, 0}, PFX_NO_MEGA},
    {"mol", EXO_UNITS_N_A, {0, 0, 0, 0}, PFX_NO_MEGA},
    {"M", EXO_UNITS_N_A * 1e3, {-3, 0, 0, 0}, PFX_NO_MEGA},   /* mol/L */
    {"Hz", 1.0, {0, -1, 0, 0}, PFX_ALL},
    {"P", 0.1, {-1, -1, 1, 0}, PFX_NO_MEGA},                  /* poise */
};

static const struct { const char *sym; double factor; } prefixes[] = {
    {"f", 1e-15}, {"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6},
    {"\xC2\xB5", 1e-6},          /* U+00B5 MICRO SIGN */
    {"\xCE\xBC", 1e-6},          /* U+03BC GREEK SMALL LETTER MU */
    {"m", 1e-3}, {"c", 1e-2}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char units_help[] =
    "known units: m s min h day K degC Pa N J g L mol M (molar) Hz P (poise), "
    "with prefixes f p n u (or \xC2\xB5) m c k G, "
    "and M (mega) only in MPa MN MJ MHz";

#if defined(__GNUC__)
static int fail(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
    if (why != NULL && why_len > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* ASCII letters and any byte of a UTF-8 multi-byte sequence (µ, μ, °). */
static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int word_is(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(w, s, n) == 0;
}

static const unit_info *find_unit(const char *w, size_t n)
{
    for (size_t i = 0; i < N_OF(units); i++)
        if (word_is(w, n, units[i].name))
            return &units[i];
    return NULL;
}

/* Resolve a word to a unit and a prefix factor; NULL if it is not one. */
static const unit_info *resolve(const char *w, size_t n, double *factor)
{
    const unit_info *u = find_unit(w, n);
    *factor = 1.0;
    if (u != NULL)
        return u;
    for (size_t i = 0; i < N_OF(prefixes); i++) {
        size_t pn = strlen(prefixes[i].sym);
        if (pn >= n || memcmp(w, prefixes[i].sym, pn) != 0)
            continue;
        u = find_unit(w + pn, n - pn);
        if (u == NULL || u->prefixes == PFX_NONE ||
            (u->prefixes == PFX_NO_MEGA && word_is(w, pn, "M")))
            continue;
        *factor = prefixes[i].factor;
        return u;
    }
    return NULL;
}

/* "a length", "an energy", "a diffusivity or area rate": every name, known
 * or extra, whose exponent vector is @p e; NULL-terminated buf "" if none. */
static void name_dim(const int e[EXP_N_], char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < EXO_DIM_COUNT_ + N_OF(extra_dims); i++) {
        const dim_info *d = i < EXO_DIM_COUNT_
                            ? &dims[i] : &extra_dims[i - EXO_DIM_COUNT_];
        if (e[0] != d->exp[0] || e[1] != d->exp[1] || e[2] != d->exp[2] ||
            e[3] != d->exp[3])
            continue;
        int w = snprintf(buf + used, len - used, "%s%s%s",
                         used ? " or " : (strchr("aeiou", d->name[0])
                                          ? "an " : "a "), d->name,
                         i == EXO_DIM_NUMBER ? " (dimensionless)" : "");
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
    }
}

/* "has dimension m^3 s^-2" for a vector no name fits. */
static void exp_form(const int e[EXP_N_], char *buf, size_t len)
{
    static const char *const sym[EXP_N_] = {"m", "s", "kg", "K"};
    static const int order[EXP_N_] = {EXP_M, EXP_L, EXP_T, EXP_K};
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < EXP_N_; k++) {
        int i = order[k], w;
        if (e[i] == 0)
            continue;
        if (e[i] == 1)
            w = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
                         sym[i]);
        else
            w = snprintf(buf + used, len - used, "%s%s^%d", used ? " " : "",
                         sym[i], e[i]);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
    }
}

const char *exo_units_dim_name(exo_dim dim)
{
    return (unsigned)dim < EXO_DIM_COUNT_ ? dims[dim].name
                                          : "(invalid dimension)";
}

const char *exo_units_base_unit(exo_dim dim)
{
    return (unsigned)dim < EXO_DIM_COUNT_ ? dims[dim].base : "?";
}

const char *exo_units_example(exo_dim dim)
{
    return (unsigned)dim < EXO_DIM_COUNT_ ? dims[dim].example : "?";
}

int exo_units_parse(const char *text, exo_dim dim, double *out,
                    char *why, size_t why_len)
{
    if (why != NULL && why_len > 0)
        why[0] = '\0';
    if ((unsigned)dim >= EXO_DIM_COUNT_)
        return fail(why, why_len, "internal error: exo_units_parse() called "
                    "with invalid dimension %d", (int)dim);
    const dim_info *want = &dims[dim];
    const char *art = strchr("aeiou", want->name[0]) ? "an" : "a";
    const char *q = dim == EXO_DIM_NUMBER ? "" : "\"";
    if (text == NULL)
        return fail(why, why_len, "no value given where %s %s is expected, "
                    "e.g. %s%s%s", art, want->name, q, want->example, q);

    const char *p = text;
    while (is_space((unsigned char)*p))
        p++;
    if (*p == '\0')
        return fail(why, why_len, "empty string where %s %s is expected, "
                    "e.g. %s%s%s", art, want->name, q, want->example, q);
    char *end = NULL;
    double num = strtod(p, &end);
    if (end == p)
        return fail(why, why_len, "'%s' does not start with a number; "
                    "%s %s is expected here, e.g. %s%s%s", text, art,
                    want->name, q, want->example, q);
    if (!isfinite(num))
        return fail(why, why_len, "'%s': the number '%.*s' is not finite",
                    text, (int)(end - p), p);
    unsigned char c0 = (unsigned char)*end;
    if (c0 != '\0' && !is_space(c0) && !is_word(c0) && c0 != '/')
        return fail(why, why_len, "'%s': unexpected '%c' after the number "
                    "'%.*s'", text, c0, (int)(end - p), p);

    double scale = 1.0;          /* the unit expression in SI */
    int tot[EXP_N_] = {0};
    int denom = 0, n_factors = 0, degc = 0;
    char pending = 0;            /* '/' or '*' still waiting for a factor */
    const char *s = end;
    for (;;) {
        while (is_space((unsigned char)*s))
            s++;
        if (*s == '\0')
            break;
        if (*s == '/' || *s == '*') {
            if (pending || (*s == '*' && n_factors == 0))
                return fail(why, why_len, "'%s': expected a unit before "
                            "'%c'", text, *s);
            denom |= *s == '/';
            pending = *s++;
            continue;
        }
        /* "10 1/s": the base units 1/s, 1/um^2, 1/um^3 written literally */
        if (*s == '1' && s[1] == '/' && n_factors == 0 && !denom) {
            s++;
            continue;
        }
        if (!is_word((unsigned char)*s))
            return fail(why, why_len, "'%s': unexpected '%c' in the unit; %s",
                        text, *s, units_help);
        const char *w = s;
        while (is_word((unsigned char)*s))
            s++;
        size_t wn = (size_t)(s - w);
        int e = 1, has_exp = 0;
        if (*s == '^') {
            int sign = 1, mag = 0, digits = 0;
            has_exp = 1;
            s++;
            if (*s == '-' || *s == '+')
                sign = *s++ == '-' ? -1 : 1;
            for (; *s >= '0' && *s <= '9'; s++, digits++)
                if ((mag = mag * 10 + (*s - '0')) > EXO_UNITS_MAX_EXP)
                    return fail(why, why_len, "'%s': exponent in '%.*s' is "
                                "too large (at most %d)", text,
                                (int)(s + 1 - w) > EXO_UNITS_TOKEN_MAX
                                ? EXO_UNITS_TOKEN_MAX : (int)(s + 1 - w), w,
                                EXO_UNITS_MAX_EXP);
            if (digits == 0)
                return fail(why, why_len, "'%s': expected an integer exponent "
                            "after '%.*s^'", text, (int)wn, w);
            e = sign * mag;
        }
        int tn = (int)(s - w) > EXO_UNITS_TOKEN_MAX ? EXO_UNITS_TOKEN_MAX
                                                     : (int)(s - w);
        const int sgn = denom ? -1 : 1;
        if (word_is(w, wn, "degC") || word_is(w, wn, "\xC2\xB0" "C")) {
            if (has_exp || denom)
                return fail(why, why_len, "'%s': '%.*s' can only be the whole "
                            "unit (e.g. \"37 degC\"); use K in compound units",
                            text, tn, w);
            degc = 1;
            tot[EXP_K] += 1;
        } else {
            double pf;
            const unit_info *u = resolve(w, wn, &pf);
            if (u == NULL)
                return fail(why, why_len, "'%s': unknown unit '%.*s'%s; %s",
                            text, tn, w, wn > 1 && w[0] == 'M' &&
                            find_unit(w + 1, wn - 1) != NULL
                            ? " (M alone is molar, and M for mega is not "
                              "accepted here; did you mean a lowercase m?)"
                            : "", units_help);
            for (int i = 0; i < EXP_N_; i++) {
                tot[i] += sgn * e * u->exp[i];
                if (abs(tot[i]) > EXO_UNITS_MAX_TOTAL)
                    return fail(why, why_len, "'%s': exponents too large at "
                                "'%.*s'", text, tn, w);
            }
            scale *= pow(pf * u->si, sgn * e);
            if (!(scale > 0.0) || !isfinite(scale))
                return fail(why, why_len, "'%s': unit scale out of range at "
                            "'%.*s'", text, tn, w);
        }
        n_factors++;
        pending = 0;
    }
    if (pending)
        return fail(why, why_len, "'%s' ends with '%c'; expected a unit after "
                    "it", text, pending);
    if (n_factors == 0) {
        int nn = (int)(end - p);
        if (dim == EXO_DIM_NUMBER)
            return fail(why, why_len, "'%s' has no unit: numbers without "
                        "units must be written as plain numbers, not strings, "
                        "e.g. %.*s (not \"%.*s\")", text, nn, p, nn, p);
        return fail(why, why_len, "'%s' has no unit: numbers without units "
                    "must be written as plain numbers, not strings, e.g. %.*s "
                    "(not \"%.*s\") for %.*s %s, or give a unit, e.g. "
                    "\"%s\"", text, nn, p, nn, p, nn, p, want->base,
                    want->example);
    }
    if (degc && n_factors != 1)
        return fail(why, why_len, "'%s': degC can only be the whole unit "
                    "(e.g. \"37 degC\"); use K in compound units", text);

    if (tot[0] != want->exp[0] || tot[1] != want->exp[1] ||
        tot[2] != want->exp[2] || tot[3] != want->exp[3]) {
        char have[160];
        name_dim(tot, have, sizeof have);
        if (have[0] == '\0') {
            char form[64];
            exp_form(tot, form, sizeof form);
            return fail(why, why_len, "'%s' has dimension %s, but %s %s is "
                        "expected here, e.g. %s%s%s", text, form, art,
                        want->name, q, want->example, q);
        }
        return fail(why, why_len, "'%s' is %s, but %s %s is expected here, "
                    "e.g. %s%s%s", text, have, art, want->name, q,
                    want->example, q);
    }

    double v = degc ? num + EXO_UNITS_ZERO_C
                    : num * scale * pow(EXO_UNITS_TO_INTERNAL,
                                        tot[EXP_L] + tot[EXP_M]);
    if (!isfinite(v))
        return fail(why, why_len, "'%s' is out of range in %s", text,
                    want->base);
    *out = v;
    return 0;
}
