/*
 * test_free_diffusion: PHYSICS.md V1 (free-diffusion MSD), V2 (uniform
 * drift), Stokes-Einstein, and the truncated log-normal radius draw, on the
 * default OpenCL device.  Tolerances are 4 standard errors of the stated
 * sample size (no discretisation bias: Euler-Maruyama is exact in
 * distribution for constant D and drift).
 */
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"
#include "shared/exo_physics.h"

enum { N = 100000, STEPS = 1000 };

/* V1/V2 parameters: 100-nm vesicles in plasma at 310.15 K, dt = 1 us,
 * t = 1 ms, in a periodic 100-um box (unwrapped with the image counts). */
static const char *fmt =
    "seed = %d;\n"
    "simulation = { dt = \"1 us\"; steps = 1000; };\n"
    "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\";\n"
    "           flow = { velocity = (%s, 0.0, 0.0); }; };\n"
    "vesicles = ( { count = 100000; radius = \"50 nm\"; } );\n"
    "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [100.0, 100.0, 100.0];\n"
    "             faces = [\"periodic\", \"periodic\", \"periodic\"]; }; };\n"
    "output = { file = \"\"; };\n";

typedef struct moments {
    double mean[3], var[3], kurt[3], cross[3], msd;
} moments;

/* Displacement statistics over STEPS steps. */
static moments displacements(int seed, const char *ux)
{
    char text[2048];
    snprintf(text, sizeof text, fmt, seed, ux);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_state s0 = exo_test_read(sim);
    exo_test_advance(sim, STEPS);
    exo_test_state s1 = exo_test_read(sim);
    exo_sim_destroy(sim, NULL);

    moments m;
    memset(&m, 0, sizeof m);
    double s[3][4] = {{0}}, xy = 0, yz = 0, zx = 0, msd = 0;
    for (size_t i = 0; i < s1.n; i++) {
        double d[3];
        for (int a = 0; a < 3; a++) {
            size_t k = a * s1.n + i;
            d[a] = (s1.pos[k] + 100.0 * s1.image[k]) - (s0.pos[k] + 100.0 * s0.image[k]);
            for (int p = 0; p < 4; p++)
                s[a][p] += pow(d[a], p + 1);
        }
        xy += d[0] * d[1];
        yz += d[1] * d[2];
        zx += d[2] * d[0];
        msd += d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    }
    double n = (double)s1.n;
    for (int a = 0; a < 3; a++) {
        double mu = s[a][0] / n, m2 = s[a][1] / n - mu * mu;
        double m4 = s[a][3] / n - 4 * mu * s[a][2] / n + 6 * mu * mu * s[a][1] / n -
                    3 * pow(mu, 4);
        m.mean[a] = mu;
        m.var[a] = m2;
        m.kurt[a] = m4 / (m2 * m2);
    }
    m.cross[0] = xy / n;
    m.cross[1] = yz / n;
    m.cross[2] = zx / n;
    m.msd = msd / n;
    exo_test_state_free(&s0);
    exo_test_state_free(&s1);
    exo_scenario_destroy(sc);
    return m;
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    /* Stokes-Einstein: 100 nm in plasma at 310.15 K (PHYSICS.md section 1). */
    const double D = exo_stokes_einstein(EXO_KB * 310.15, 1.2e-3, 0.05);
    EXO_TEST_NEAR(D, 3.7862, 0.00005, "D (um^2/s) of a 100-nm vesicle in plasma, 37 C");
    const double t = STEPS * 1e-6, var1 = 2 * D * t;

    /* V1: MSD = 6 D t = 0.022717 um^2, relative SE sqrt(2/(3N)). */
    moments m = displacements(101, "0.0");
    EXO_TEST_NEAR(m.msd, 0.022717, 4 * 0.022717 * sqrt(2.0 / (3.0 * N)),
                  "V1 MSD (um^2)");
    for (int a = 0; a < 3; a++) {
        EXO_TEST_NEAR(m.var[a], var1, 4 * var1 * sqrt(2.0 / N), "V1 per-axis <dx^2> = 2Dt");
        EXO_TEST_NEAR(m.mean[a], 0, 4 * sqrt(var1 / N), "V1 per-axis mean");
        EXO_TEST_NEAR(m.kurt[a], 3, 4 * sqrt(24.0 / N), "V1 kurtosis of dx");
        EXO_TEST_NEAR(m.cross[a], 0, 4 * var1 / sqrt((double)N),
                      "V1 cross-correlation <dx dy>");
    }

    /* V2: u = 1e-4 m/s along x: <dx> = u t = 0.1 um, Var(dx) = 2 D t. */
    moments v = displacements(202, "\"1e-4 m/s\"");
    EXO_TEST_NEAR(v.mean[0], 0.1, 4 * sqrt(var1 / N), "V2 <dx> (um)");
    EXO_TEST_NEAR(v.var[0], var1, 4 * var1 * sqrt(2.0 / N), "V2 Var(dx) (um^2)");
    EXO_TEST_NEAR(v.mean[1], 0, 4 * sqrt(var1 / N), "V2 <dy> (um)");

    /* Truncated log-normal radii: all inside [min, max]; the mean of
     * z = ln(a/median)/sigma is the truncated-normal mean
     * (phi(zlo) - phi(zhi)) / (Phi(zhi) - Phi(zlo)). */
    {
        exo_scenario *sc = exo_test_scenario(
            "simulation = { dt = \"1 us\"; steps = 1; };\n"
            "vesicles = ( { count = 100000; radius = { distribution = \"lognormal\";\n"
            "   median = \"50 nm\"; sigma = 0.3; min = \"15 nm\"; max = \"75 nm\"; }; } );\n"
            "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [10.0, 10.0, 10.0]; }; };\n"
            "output = { file = \"\"; };\n");
        exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
        exo_test_state s = exo_test_read(sim);
        double zlo = log(15.0 / 50.0) / 0.3, zhi = log(75.0 / 50.0) / 0.3;
        double Z = 0.5 * (erf(zhi / sqrt(2)) - erf(zlo / sqrt(2)));
        double pdf_lo = exp(-zlo * zlo / 2) / sqrt(2 * M_PI);
        double pdf_hi = exp(-zhi * zhi / 2) / sqrt(2 * M_PI);
        double mean_z = (pdf_lo - pdf_hi) / Z;
        double var_z = 1 + (zlo * pdf_lo - zhi * pdf_hi) / Z - mean_z * mean_z;
        double sz = 0;
        size_t outside = 0;
        for (size_t i = 0; i < s.n; i++) {
            outside += s.radius[i] < 0.015f * (1 - 1e-6f) || s.radius[i] > 0.075f * (1 + 1e-6f);
            sz += log(s.radius[i] / 0.05) / 0.3;
        }
        EXO_TEST_EQ_INT(outside, 0, "radii outside [15, 75] nm");
        EXO_TEST_NEAR(sz / s.n, mean_z, 4 * sqrt(var_z / s.n),
                      "mean of ln(a/median)/sigma, truncated normal");
        exo_test_state_free(&s);
        exo_sim_destroy(sim, NULL);
        exo_scenario_destroy(sc);
    }
    return exo_test_finish("test_free_diffusion");
}
