/*
 * test_units: exo_units_parse against hand-derived conversions, and every
 * kind of rejected string with the key words of its message.
 *
 * Expected values are worked out from SI by hand (1 J = 1e18 pN um,
 * 1 nM = 6.02214076e14 / L = 0.602214076 / um^3), not by calling the module.
 */
#include "exo_test.h"
#include "exo_units.h"

#define REL 1e-12                /* relative tolerance of exact conversions */
#define N_A 6.02214076e23        /* 1/mol */

/* Parse, require success and compare with a relative tolerance. */
#define CHECK_VALUE_REL(text, dim, expected, rel)                             \
    do {                                                                      \
        double v_ = -12345.0;                                                 \
        char why_[256];                                                       \
        int rc_ = exo_units_parse((text), (dim), &v_, why_, sizeof why_);     \
        EXO_TEST_TRUE(rc_ == 0, "'%s' rejected: %s", (text), why_);           \
        EXO_TEST_NEAR(v_, (expected), (rel) * fabs((double)(expected)),       \
                      "\"" text "\"");                                        \
    } while (0)
#define CHECK_VALUE(text, dim, expected)                                      \
    CHECK_VALUE_REL(text, dim, expected, REL)

/* Parse, require failure, an untouched output and a message naming @p key. */
#define CHECK_ERROR(text, dim, key)                                           \
    do {                                                                      \
        double v_ = -12345.0;                                                 \
        char why_[512];                                                       \
        int rc_ = exo_units_parse((text), (dim), &v_, why_, sizeof why_);     \
        EXO_TEST_EQ_INT(rc_, -1, "rejecting a bad string");                   \
        EXO_TEST_TRUE(v_ == -12345.0, "output written on failure: %g", v_);   \
        printf("%s:%d: rejected as %s: %s\n", __FILE__, __LINE__,             \
               exo_units_dim_name(dim), why_);                                \
        EXO_TEST_CONTAINS(why_, (key));                                       \
    } while (0)

static void test_values(void)
{
    /* length */
    CHECK_VALUE("50 nm", EXO_DIM_LENGTH, 0.05);
    CHECK_VALUE("50nm", EXO_DIM_LENGTH, 0.05);
    CHECK_VALUE("  50 nm  ", EXO_DIM_LENGTH, 0.05);
    CHECK_VALUE("1 mm", EXO_DIM_LENGTH, 1000.0);
    CHECK_VALUE("1 m", EXO_DIM_LENGTH, 1e6);
    CHECK_VALUE("2 cm", EXO_DIM_LENGTH, 2e4);
    CHECK_VALUE("3 um", EXO_DIM_LENGTH, 3.0);
    CHECK_VALUE("3 \xC2\xB5m", EXO_DIM_LENGTH, 3.0);      /* micro sign */
    CHECK_VALUE("3 \xCE\xBCm", EXO_DIM_LENGTH, 3.0);      /* Greek mu */
    CHECK_VALUE("20 pm", EXO_DIM_LENGTH, 2e-5);
    CHECK_VALUE("1 km", EXO_DIM_LENGTH, 1e9);
    CHECK_VALUE("-5e2 fm", EXO_DIM_LENGTH, -5e-7);

    /* time */
    CHECK_VALUE("1 us", EXO_DIM_TIME, 1e-6);
    CHECK_VALUE("1 ms", EXO_DIM_TIME, 1e-3);
    CHECK_VALUE("2.5 ns", EXO_DIM_TIME, 2.5e-9);
    CHECK_VALUE("2 min", EXO_DIM_TIME, 120.0);
    CHECK_VALUE("1 h", EXO_DIM_TIME, 3600.0);
    CHECK_VALUE("1 day", EXO_DIM_TIME, 86400.0);
    CHECK_VALUE("7 s", EXO_DIM_TIME, 7.0);

    /* temperature */
    CHECK_VALUE("310.15 K", EXO_DIM_TEMPERATURE, 310.15);
    CHECK_VALUE("37 degC", EXO_DIM_TEMPERATURE, 310.15);
    CHECK_VALUE("37degC", EXO_DIM_TEMPERATURE, 310.15);
    CHECK_VALUE("37 \xC2\xB0" "C", EXO_DIM_TEMPERATURE, 310.15);
    CHECK_VALUE("-300 degC", EXO_DIM_TEMPERATURE, -26.85);  /* caller checks */
    CHECK_VALUE("500 mK", EXO_DIM_TEMPERATURE, 0.5);

    /* viscosity: Pa s = pN s/um^2 */
    CHECK_VALUE("1.2 mPa s", EXO_DIM_VISCOSITY, 1.2e-3);
    CHECK_VALUE("1.2 mPa*s", EXO_DIM_VISCOSITY, 1.2e-3);
    CHECK_VALUE("0.692 cP", EXO_DIM_VISCOSITY, 0.692e-3);
    CHECK_VALUE("1 P", EXO_DIM_VISCOSITY, 0.1);
    CHECK_VALUE("1 pN s/um^2", EXO_DIM_VISCOSITY, 1.0);
    CHECK_VALUE("1 kg/m/s", EXO_DIM_VISCOSITY, 1.0);

    /* velocity, rate */
    CHECK_VALUE("1 mm/s", EXO_DIM_VELOCITY, 1000.0);
    CHECK_VALUE("1 m/s", EXO_DIM_VELOCITY, 1e6);
    CHECK_VALUE("1 m s^-1", EXO_DIM_VELOCITY, 1e6);
    CHECK_VALUE("5 Hz", EXO_DIM_RATE, 5.0);
    CHECK_VALUE("2 kHz", EXO_DIM_RATE, 2e3);
    CHECK_VALUE("2 MHz", EXO_DIM_RATE, 2e6);
    CHECK_VALUE("1/s", EXO_DIM_RATE, 1.0);
    CHECK_VALUE("1 s^-1", EXO_DIM_RATE, 1.0);
    CHECK_VALUE("10 /s", EXO_DIM_RATE, 10.0);
    CHECK_VALUE("10 1/s", EXO_DIM_RATE, 10.0);
    CHECK_VALUE("10 1/um^2", EXO_DIM_AREAL_DENSITY, 10.0);
    CHECK_VALUE("3 /ms", EXO_DIM_RATE, 3e3);
    CHECK_VALUE("6 /min", EXO_DIM_RATE, 0.1);

    /* densities: mol is the number N_A, M = mol/L, L = 1e15 um^3 */
    CHECK_VALUE("500 /um^2", EXO_DIM_AREAL_DENSITY, 500.0);
    CHECK_VALUE("500 um^-2", EXO_DIM_AREAL_DENSITY, 500.0);
    CHECK_VALUE("500 \xC2\xB5m^-2", EXO_DIM_AREAL_DENSITY, 500.0);
    CHECK_VALUE("1 /mm^2", EXO_DIM_AREAL_DENSITY, 1e-6);
    CHECK_VALUE("1 nM", EXO_DIM_VOLUME_DENSITY, 0.602214076);
    CHECK_VALUE("1 uM", EXO_DIM_VOLUME_DENSITY, 602.214076);
    CHECK_VALUE("1 mM", EXO_DIM_VOLUME_DENSITY, 602214.076);
    CHECK_VALUE("1 M", EXO_DIM_VOLUME_DENSITY, 602214076.0);
    CHECK_VALUE("1 mol/L", EXO_DIM_VOLUME_DENSITY, 602214076.0);
    CHECK_VALUE("1 mmol/l", EXO_DIM_VOLUME_DENSITY, 602214.076);
    CHECK_VALUE("10 pM", EXO_DIM_VOLUME_DENSITY, 6.02214076e-3);
    CHECK_VALUE("2 /um^3", EXO_DIM_VOLUME_DENSITY, 2.0);

    /* force, energy, pressure: 1 N = 1e12 pN, 1 J = 1e18 pN um */
    CHECK_VALUE("10 pN", EXO_DIM_FORCE, 10.0);
    CHECK_VALUE("1 N", EXO_DIM_FORCE, 1e12);
    CHECK_VALUE("3 nN", EXO_DIM_FORCE, 3e3);
    CHECK_VALUE("1e-21 J", EXO_DIM_ENERGY, 1e-3);
    CHECK_VALUE("4.2821e-21 N m", EXO_DIM_ENERGY, 4.2821e-3);
    CHECK_VALUE("4.28 pN nm", EXO_DIM_ENERGY, 4.28e-3);
    CHECK_VALUE("1 pN*um", EXO_DIM_ENERGY, 1.0);
    CHECK_VALUE("1 kg m^2/s^2", EXO_DIM_ENERGY, 1e18);
    CHECK_VALUE("1 kg m^+2 s^-2", EXO_DIM_ENERGY, 1e18);
    CHECK_VALUE("2e-21 J", EXO_DIM_ENERGY, 2e-3);
    CHECK_VALUE("100 Pa", EXO_DIM_PRESSURE, 100.0);
    CHECK_VALUE("1 MPa", EXO_DIM_PRESSURE, 1e6);
    CHECK_VALUE("1 mPa", EXO_DIM_PRESSURE, 1e-3);
    CHECK_VALUE("1 GPa", EXO_DIM_PRESSURE, 1e9);
    CHECK_VALUE("1 pN/um^2", EXO_DIM_PRESSURE, 1.0);

    /* diffusivity, 2D and 3D rates */
    CHECK_VALUE("3.786e-12 m^2/s", EXO_DIM_DIFFUSIVITY, 3.786);
    CHECK_VALUE("3.786 um^2/s", EXO_DIM_DIFFUSIVITY, 3.786);
    CHECK_VALUE("3.786 um^2 s^-1", EXO_DIM_DIFFUSIVITY, 3.786);
    CHECK_VALUE("0.1 um^2 / s", EXO_DIM_AREA_RATE, 0.1);
    CHECK_VALUE_REL("1e5 /M/s", EXO_DIM_VOLUME_RATE, 1.66054e-4, 1e-5);
    CHECK_VALUE("1e5 /M/s", EXO_DIM_VOLUME_RATE, 1e5 * 1e-3 / N_A * 1e18);
    CHECK_VALUE("1e5 M^-1 s^-1", EXO_DIM_VOLUME_RATE, 1e5 * 1e-3 / N_A * 1e18);
    CHECK_VALUE("1e5 L/mol/s", EXO_DIM_VOLUME_RATE, 1e5 * 1e-3 / N_A * 1e18);
    CHECK_VALUE("2 um^3/s", EXO_DIM_VOLUME_RATE, 2.0);

    /* dimensionless: mol is a number */
    CHECK_VALUE("1 mol", EXO_DIM_NUMBER, N_A);
    CHECK_VALUE("1 um/mm", EXO_DIM_NUMBER, 1e-3);
}

static void test_errors(void)
{
    CHECK_ERROR("50 kg", EXO_DIM_LENGTH, "is a mass, but a length is expected");
    CHECK_ERROR("50 kg", EXO_DIM_LENGTH, "\"50 nm\"");
    CHECK_ERROR("1 us", EXO_DIM_LENGTH, "is a time");
    CHECK_ERROR("1 nm", EXO_DIM_TIME, "is a length, but a time");
    CHECK_ERROR("37 degC", EXO_DIM_LENGTH, "is a temperature");
    CHECK_ERROR("1 um^2/s", EXO_DIM_TEMPERATURE,
                "is a diffusivity or area rate");
    CHECK_ERROR("1 mM", EXO_DIM_VOLUME_RATE, "is a volume density");
    CHECK_ERROR("1 mm/s", EXO_DIM_ENERGY, "an energy is expected");
    CHECK_ERROR("3 m^3/s^2", EXO_DIM_LENGTH, "has dimension m^3 s^-2");
    CHECK_ERROR("3 kg m^3", EXO_DIM_LENGTH, "has dimension kg m^3");
    CHECK_ERROR("5 mol", EXO_DIM_LENGTH, "dimensionless");
    CHECK_ERROR("5 nm", EXO_DIM_NUMBER, "a number is expected");

    CHECK_ERROR("50", EXO_DIM_LENGTH, "plain numbers");
    CHECK_ERROR("50", EXO_DIM_LENGTH, "50 (not \"50\") for 50 um");
    CHECK_ERROR("0.05 ", EXO_DIM_LENGTH, "no unit");
    CHECK_ERROR("0.5", EXO_DIM_NUMBER, "plain numbers");
    CHECK_ERROR("", EXO_DIM_LENGTH, "empty");
    CHECK_ERROR("   ", EXO_DIM_TIME, "empty");
    CHECK_ERROR("nm", EXO_DIM_LENGTH, "does not start with a number");
    CHECK_ERROR("abc", EXO_DIM_LENGTH, "does not start with a number");
    CHECK_ERROR("nan nm", EXO_DIM_LENGTH, "not finite");
    CHECK_ERROR("inf s", EXO_DIM_TIME, "not finite");
    CHECK_ERROR("-infinity s", EXO_DIM_TIME, "not finite");
    CHECK_ERROR("1e999 nm", EXO_DIM_LENGTH, "not finite");

    CHECK_ERROR("50 nm extra", EXO_DIM_LENGTH, "unknown unit 'extra'");
    CHECK_ERROR("50 furlong", EXO_DIM_LENGTH, "unknown unit 'furlong'");
    CHECK_ERROR("50 nmm", EXO_DIM_LENGTH, "unknown unit 'nmm'");
    CHECK_ERROR("1 kmin", EXO_DIM_TIME, "unknown unit 'kmin'");
    CHECK_ERROR("1 ks2", EXO_DIM_TIME, "unexpected '2'");
    CHECK_ERROR("1 Mm", EXO_DIM_LENGTH, "unknown unit 'Mm'");
    CHECK_ERROR("1 Mm", EXO_DIM_LENGTH, "M alone is molar");
    CHECK_ERROR("1 MM", EXO_DIM_VOLUME_DENSITY, "unknown unit 'MM'");
    CHECK_ERROR("1 Ms", EXO_DIM_TIME, "unknown unit 'Ms'");
    CHECK_ERROR("1 mdegC", EXO_DIM_TEMPERATURE, "unknown unit 'mdegC'");
    CHECK_ERROR("50 nm;", EXO_DIM_LENGTH, "unexpected ';'");
    CHECK_ERROR("50 nm 3", EXO_DIM_LENGTH, "unexpected '3'");
    CHECK_ERROR("1,5 nm", EXO_DIM_LENGTH, "unexpected ','");
    CHECK_ERROR("1 m^99", EXO_DIM_LENGTH, "too large");
    CHECK_ERROR("1 m^99999999999999999999", EXO_DIM_LENGTH, "too large");
    CHECK_ERROR("1 m^9 m^9 m^9", EXO_DIM_LENGTH, "exponents too large");
    CHECK_ERROR("1 m^", EXO_DIM_LENGTH, "integer exponent after 'm^'");
    CHECK_ERROR("1 m^-", EXO_DIM_LENGTH, "integer exponent");
    CHECK_ERROR("1 m/", EXO_DIM_VELOCITY, "ends with '/'");
    CHECK_ERROR("1 //s", EXO_DIM_RATE, "expected a unit before '/'");
    CHECK_ERROR("1 *m", EXO_DIM_LENGTH, "expected a unit before '*'");
    CHECK_ERROR("1 m**s", EXO_DIM_LENGTH, "expected a unit before '*'");
    CHECK_ERROR("37 degC/s", EXO_DIM_TEMPERATURE, "whole unit");
    CHECK_ERROR("1 /degC", EXO_DIM_TEMPERATURE, "whole unit");
    CHECK_ERROR("37 degC^2", EXO_DIM_TEMPERATURE, "whole unit");
    CHECK_ERROR("1 m degC", EXO_DIM_TEMPERATURE, "whole unit");
    CHECK_ERROR("1 fm^9 fm^9 fm^6 Gm^-9 Gm^-9 Gm^-5", EXO_DIM_LENGTH,
                "scale out of range at 'fm^6'");
    CHECK_ERROR("1e300 Gm", EXO_DIM_LENGTH, "out of range in um");
    CHECK_ERROR("1 1", EXO_DIM_LENGTH, "unexpected '1'");
    CHECK_ERROR("1 m 1/s", EXO_DIM_VELOCITY, "unexpected '1'");
    CHECK_ERROR("1 /1/s", EXO_DIM_RATE, "unexpected '1'");
}

static void test_edges(void)
{
    double v = -1.0;
    char why[256];

    EXO_TEST_EQ_INT(exo_units_parse(NULL, EXO_DIM_LENGTH, &v, why, sizeof why),
                    -1, "NULL text");
    EXO_TEST_CONTAINS(why, "no value");
    EXO_TEST_EQ_INT(exo_units_parse("1 nm", EXO_DIM_COUNT_, &v, why,
                                    sizeof why), -1, "invalid dimension");
    EXO_TEST_CONTAINS(why, "invalid dimension");
    EXO_TEST_EQ_INT(exo_units_parse("1 nm", (exo_dim)-1, &v, why, sizeof why),
                    -1, "negative dimension");
    EXO_TEST_TRUE(v == -1.0, "output written on failure: %g", v);

    /* A NULL or zero-length why is allowed, and success clears why. */
    EXO_TEST_EQ_INT(exo_units_parse("50 kg", EXO_DIM_LENGTH, &v, NULL, 0), -1,
                    "NULL why");
    EXO_TEST_EQ_INT(exo_units_parse("50 kg", EXO_DIM_LENGTH, &v, why, 0), -1,
                    "zero-length why");
    strcpy(why, "stale");
    EXO_TEST_EQ_INT(exo_units_parse("50 nm", EXO_DIM_LENGTH, &v, why,
                                    sizeof why), 0, "success");
    EXO_TEST_EQ_INT(strlen(why), 0, "why cleared on success");

    /* A short why buffer is truncated and NUL-terminated, never overrun. */
    char small[16];
    memset(small, 'x', sizeof small);
    EXO_TEST_EQ_INT(exo_units_parse("50 furlong", EXO_DIM_LENGTH, &v, small, 8),
                    -1, "short why");
    EXO_TEST_EQ_INT(strlen(small), 7, "short why truncated");
    EXO_TEST_TRUE(small[8] == 'x', "byte after why_len written: %d", small[8]);

    /* A very long string still gives a bounded message. */
    char longtext[2048];
    memset(longtext, 'q', sizeof longtext - 1);
    longtext[0] = '1';
    longtext[1] = ' ';
    longtext[sizeof longtext - 1] = '\0';
    EXO_TEST_EQ_INT(exo_units_parse(longtext, EXO_DIM_LENGTH, &v, why,
                                    sizeof why), -1, "long unknown unit");
    EXO_TEST_EQ_INT(strlen(why), sizeof why - 1, "long message truncated");
}

/* Names, base units and examples exist for every dimension, and every
 * example (a string with a unit) parses as its own dimension. */
static void test_tables(void)
{
    for (int d = 0; d < EXO_DIM_COUNT_; d++) {
        const char *name = exo_units_dim_name((exo_dim)d);
        const char *base = exo_units_base_unit((exo_dim)d);
        const char *ex = exo_units_example((exo_dim)d);
        EXO_TEST_TRUE(name && *name && base && *base && ex && *ex,
                      "dimension %d lacks a name, base unit or example", d);
        if (d == EXO_DIM_NUMBER)
            continue;
        double v = 0.0;
        char why[256] = "";
        int rc = exo_units_parse(ex, (exo_dim)d, &v, why, sizeof why);
        EXO_TEST_TRUE(rc == 0, "example \"%s\" for %s rejected: %s", ex, name,
                      why);
        /* "<value> <base unit>" parses to the same value. */
        char again[64];
        snprintf(again, sizeof again, "%.17g %s", v, base);
        double w = 0.0;
        rc = exo_units_parse(again, (exo_dim)d, &w, why, sizeof why);
        EXO_TEST_TRUE(rc == 0, "base unit \"%s\" rejected: %s", again, why);
        EXO_TEST_NEAR(w, v, REL * fabs(v), base);
    }
    EXO_TEST_CONTAINS(exo_units_dim_name(EXO_DIM_VOLUME_RATE), "volume rate");
    EXO_TEST_CONTAINS(exo_units_base_unit(EXO_DIM_VISCOSITY), "Pa s");
    EXO_TEST_CONTAINS(exo_units_example(EXO_DIM_LENGTH), "50 nm");
    EXO_TEST_CONTAINS(exo_units_dim_name(EXO_DIM_COUNT_), "invalid");
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: test_units (no arguments)\n");
        return 1;
    }
    test_values();
    test_errors();
    test_edges();
    test_tables();
    return exo_test_finish("test_units");
}
