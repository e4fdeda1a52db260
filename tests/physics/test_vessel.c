/*
 * test_vessel: a vesicle in a straight vessel (PHYSICS.md V3 and V5).
 *
 * V3, Poiseuille drift with the exclusion radius: R = 4 um, U = 1 mm/s,
 * 100-nm vesicles in plasma (D = 3.7862 um^2/s), reflecting wall, periodic
 * ends, uniform start in the cross-section.  The centre stays within
 * R - a, so the mean axial velocity is 2U (1 - (R - a)^2 / (2 R^2)) =
 * 1.02484 U at every time.  Tolerance 4 SE, SE = the sample standard
 * deviation of the per-vesicle velocity over sqrt(N).  With D = 0 every
 * vesicle moves at exactly 2U (1 - r^2/R^2).
 *
 * V5, survival in a cylinder with an absorbing wall (2D cross-section;
 * D = 1, effective R = 1: vessel radius 1.05 for a = 0.05): at D t / R^2 =
 * 0.1, S = 0.394176 (uniform start) and 0.848355 (start on the axis), at
 * dt = 1e-2, 1e-3 and 1e-4.  With the Brownian bridge every dt passes;
 * without it S(0.1) would be 0.4934 at dt = 1e-2.  Tolerance
 * 4 sqrt(S (1 - S) / N).
 *
 * And the device against the C reference on a capillary with flow, an
 * adsorbing wall and open ends; and a capillary whose middle region adsorbs:
 * vesicles are conserved at every observation (free + bound + exited = N),
 * bind only on that region's wall, and leave through the ends as counted.
 */
#include <float.h>
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"
#include "shared/exo_physics.h"

static void v3(const char *viscosity, int deterministic)
{
    enum { N = 100000, STEPS = 1000 };
    const double R = 4.0, U = 1000.0, L = 10.0, t = STEPS * 1e-6, a = 0.05;
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 3;\n"
             "simulation = { dt = \"1 us\"; steps = %d; };\n"
             "medium = { viscosity = %s; };\n"
             "vesicles = ( { count = %d; radius = \"50 nm\"; start = { region = \"cap\"; }; } );\n"
             "geometry = { vessels = ( { name = \"cap\"; radius = \"4 um\"; length = \"10 um\";\n"
             "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
             "             flow = { mean_velocity = \"1 mm/s\"; }; } ); };\n"
             "output = { file = \"\"; };\n", STEPS, viscosity, N);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_state s0 = exo_test_read(sim);
    exo_test_advance(sim, STEPS);
    exo_test_state s1 = exo_test_read(sim);
    double sum = 0, sum2 = 0, worst = 0, rmax = 0;
    for (size_t i = 0; i < s1.n; i++) {
        size_t z = 2 * s1.n + i;
        double dz = (s1.pos[z] + L * s1.image[z]) - (s0.pos[z] + L * s0.image[z]);
        double vel = dz / t / U;
        sum += vel;
        sum2 += vel * vel;
        double r2 = (double)s0.pos[i] * s0.pos[i] + (double)s0.pos[s1.n + i] * s0.pos[s1.n + i];
        rmax = fmax(rmax, sqrt(r2));
        worst = fmax(worst, fabs(dz - 2 * U * (1 - r2 / (R * R)) * t));
    }
    double mean = sum / N, sd = sqrt(sum2 / N - mean * mean);
    EXO_TEST_TRUE(rmax <= R - a + 1e-5, "a start position outside R - a: r = %g", rmax);
    if (deterministic) {
        /* Float positions: each of the STEPS increments of the axial
         * coordinate (0 <= s < 10 um, where one ulp is 2^-20 um) rounds by
         * at most half an ulp, and with D = 0 these errors do not average
         * out (wraps at s = L are exact, Sterbenz); the float flow term
         * 2U dt (1 - r^2/R^2) adds a few float epsilons of it per step. */
        EXO_TEST_NEAR(worst, 0, STEPS * (ldexp(1.0, -21) + 2 * U * 1e-6 * 4 * FLT_EPSILON),
                      "V3 D = 0: |dz - 2U(1 - r^2/R^2) t| (um), worst");
    } else {
        EXO_TEST_NEAR(mean, 1.02484, 4 * sd / sqrt((double)N),
                      "V3 mean axial velocity / U with the exclusion radius");
        /* Point particles would give 1.00000: 13 standard errors away. */
        EXO_TEST_TRUE(fabs(mean - 1.0) > 4 * sd / sqrt((double)N),
                      "V3 does not tell the exclusion radius apart: %g", mean);
    }
    exo_test_state_free(&s0);
    exo_test_state_free(&s1);
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void v5(const char *start, const char *dt, uint32_t steps, double expected)
{
    enum { N = 100000 };
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 5;\n"
             "simulation = { dt = \"%s\"; steps = %u; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "vesicles = ( { count = %d; radius = 0.05; start = { region = \"c\"; %s }; } );\n"
             "geometry = { vessels = ( { name = \"c\"; radius = 1.05; length = 10.0;\n"
             "             origin = [0.0, 0.0, 0.0]; axis = \"x\"; ends = \"periodic\";\n"
             "             wall = \"absorb\"; } ); };\n"
             "output = { file = \"\"; };\n",
             dt, steps, exo_test_unit_viscosity(), N, start);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, steps);
    uint64_t counts[EXO_STATE_COUNT];
    exo_test_count_states(sim, counts);
    double S = (double)counts[EXO_STATE_FREE] / N;
    char what[160];
    snprintf(what, sizeof what, "V5 survival S(0.1), %s start, dt = %s",
             strstr(start, "point") ? "axis" : "uniform", dt);
    EXO_TEST_NEAR(S, expected, 4 * sqrt(expected * (1 - expected) / N), what);
    EXO_TEST_EQ_INT(counts[EXO_STATE_FREE] + counts[EXO_STATE_ABSORBED], N,
                    "free + absorbed");
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void device_vs_reference(void)
{
    exo_scenario *sc = exo_test_scenario(
        "seed = 11;\n"
        "simulation = { dt = \"20 us\"; steps = 300; };\n"
        "surfaces = ( { name = \"sticky\"; behaviour = \"adsorb\"; kappa = \"2e-5 m/s\"; } );\n"
        "vesicles = ( { count = 5000; radius = { distribution = \"lognormal\";\n"
        "               median = \"50 nm\"; sigma = 0.3; };\n"
        "               start = { region = \"cap\"; kind = \"slab\"; thickness = \"5 um\"; }; } );\n"
        "geometry = { vessels = ( { name = \"cap\"; radius = \"1 um\"; length = \"10 um\";\n"
        "             origin = [1.0, 2.0, 3.0]; axis = \"y\"; ends = [\"reflect\", \"open\"];\n"
        "             wall = \"sticky\"; flow = { mean_velocity = \"2 mm/s\"; }; } ); };\n"
        "output = { file = \"\"; };\n");
    exo_test_state d = exo_test_run(sc, NULL, 0, 0, 300);
    exo_test_state r = exo_test_run(sc, "cpu-reference", 0, 0, 300);
    size_t n = d.n, differ = 0, bound = 0, exited = 0;
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        bound += r.state[i] == EXO_STATE_BOUND;
        exited += r.state[i] == EXO_STATE_EXITED;
        if (d.state[i] != r.state[i]) {
            differ++;
            continue;
        }
        for (int a = 0; a < 3; a++)
            worst = fmax(worst, fabs(d.pos[a * n + i] - r.pos[a * n + i]));
    }
    printf("capillary: %zu bound, %zu exited on the reference\n", bound, exited);
    EXO_TEST_TRUE(bound > 0 && exited > 0, "the wall and the outlet were exercised");
    /* Per step the device's sqrt/log/sin/cos differ from the host's by a
     * few ulp (one ulp is 9.5e-7 um at 8-16 um); over 300 steps that is a
     * random walk of about sqrt(300) x 3 ulp = 5e-5 um.  Allowed: 1e-4 um. */
    EXO_TEST_NEAR(worst, 0, 1e-4, "capillary: device vs reference position (um)");
    EXO_TEST_NEAR((double)differ, 0, n / 1000.0, "capillary: vesicles whose state differs");
    exo_test_state_free(&d);
    exo_test_state_free(&r);
    exo_scenario_destroy(sc);
}

/*
 * V14, Ito drift near a wall: hindered diffusion (Bevan-Prieve across the
 * wall, Faxen along it) in a vessel with a reflecting wall and D0 = 1.
 * Its equilibrium is uniform, so a uniform start stays uniform: the
 * fraction of vesicles whose gap to the wall is in [0, 0.25 a] is the area
 * fraction of that annulus, 0.1211.  Without the drift they pile up at the
 * wall (density ~ 1/D_perp): run with the drift removed, this test gives
 * 0.384.  dt = 1e-4 a^2/D0 as in V14, for 3 ms (the layer relaxes in
 * ~(0.25 a)^2 / (D0 f_perp), about 3 ms where f_perp ~ 0.05).
 * Tolerance 4 SE + B, B = 0.003: V14's own Monte Carlo at this dt gave
 * 0.0997 for 0.10256 (first-order discretisation of the drift).
 */
static void v14(void)
{
    enum { N = 50000, STEPS = 12000 };
    const double a = 0.05, rc = 0.2;
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 14;\n"
             "simulation = { dt = 2.5e-7; steps = %d; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "vesicles = ( { count = %d; radius = 0.05; } );\n"
             "geometry = { vessels = ( { name = \"c\"; radius = 0.25; length = 1.0;\n"
             "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
             "             hindered = true; } ); };\n"
             "output = { file = \"\"; };\n", STEPS, exo_test_unit_viscosity(), N);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, STEPS);
    exo_test_state s = exo_test_read(sim);
    size_t in_layer = 0, outside = 0;
    for (size_t i = 0; i < s.n; i++) {
        double r = sqrt((double)s.pos[i] * s.pos[i] + (double)s.pos[s.n + i] * s.pos[s.n + i]);
        double h = rc - r;
        in_layer += h <= 0.25 * a;
        outside += h < -1e-6;
    }
    double r1 = rc - 0.25 * a, r2 = rc;
    double expected = (r2 * r2 - r1 * r1) / (rc * rc);
    double got = (double)in_layer / N;
    EXO_TEST_EQ_INT(outside, 0, "V14: centres beyond R - a");
    EXO_TEST_NEAR(got, expected, 4 * sqrt(expected * (1 - expected) / N) + 0.003,
                  "V14 fraction with gap in [0, 0.25 a] (uniform equilibrium)");
    exo_test_state_free(&s);
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

/*
 * Continuous infusion: 1e5 vesicles/s through the inlet of a capillary for
 * 20 ms, 2500 slots.  Vesicles are conserved at every observation
 * (inactive + free + exited = N); the number that entered is Poisson with
 * mean rate t = 2000 (tolerance 4 sqrt(2000)); the result is the same on
 * the C reference and for one step per launch and one vesicle per work-item
 * (the arrival schedule depends only on seed, population and step).
 */
static void infusion(void)
{
    enum { N = 2500, STEPS = 2000 };
    const char *text =
        "seed = 31;\n"
        "simulation = { dt = \"10 us\"; steps = 2000; };\n"
        "vesicles = ( { count = 2500; radius = \"50 nm\"; start = { region = \"cap\"; };\n"
        "               infusion = { rate = \"1e5 /s\"; }; } );\n"
        "geometry = { vessels = ( { name = \"cap\"; radius = \"4 um\"; length = \"10 um\";\n"
        "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"open\";\n"
        "             flow = { mean_velocity = \"1 mm/s\"; }; } ); };\n"
        "output = { file = \"\"; };\n";
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    uint64_t counts[EXO_STATE_COUNT];
    exo_error err = {0};
    for (int k = 0; k < 10; k++) {
        exo_test_advance(sim, STEPS / 10);
        if (exo_sim_count_states(sim, counts, &err) != EXO_OK) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        EXO_TEST_EQ_INT(counts[EXO_STATE_INACTIVE] + counts[EXO_STATE_FREE] +
                            counts[EXO_STATE_EXITED],
                        N, "infusion: inactive + free + exited");
    }
    double entered = (double)(N - counts[EXO_STATE_INACTIVE]);
    EXO_TEST_NEAR(entered, 2000, 4 * sqrt(2000.0), "infusion: vesicles entered in 20 ms");
    EXO_TEST_TRUE(counts[EXO_STATE_EXITED] > 0, "no infused vesicle reached the outlet");
    exo_test_state dev = exo_test_read(sim);
    exo_sim_destroy(sim, NULL);
    size_t outside = 0;
    for (size_t i = 0; i < dev.n; i++)
        if (dev.state[i] == EXO_STATE_FREE) {
            double r = sqrt((double)dev.pos[i] * dev.pos[i] +
                            (double)dev.pos[dev.n + i] * dev.pos[dev.n + i]);
            outside += r > 4.0 - 0.05 + 1e-5 || dev.pos[2 * dev.n + i] < 0 ||
                       dev.pos[2 * dev.n + i] > 10.0;
        }
    EXO_TEST_EQ_INT(outside, 0, "infused vesicles outside the lumen");
    exo_test_state ref = exo_test_run(sc, "cpu-reference", 0, 0, STEPS);
    exo_test_vector_width = 1;
    exo_test_state k1 = exo_test_run(sc, NULL, 1, 0, STEPS);
    exo_test_vector_width = 0;
    double worst = 0;
    size_t differ = 0, k1_differ = 0;
    for (size_t i = 0; i < dev.n; i++) {
        differ += dev.state[i] != ref.state[i];
        k1_differ += dev.state[i] != k1.state[i];
        for (int a = 0; a < 3 && dev.state[i] == ref.state[i]; a++)
            worst = fmax(worst, fabs(dev.pos[a * dev.n + i] - ref.pos[a * dev.n + i]));
        for (int a = 0; a < 3; a++)
            k1_differ += dev.pos[a * dev.n + i] != k1.pos[a * dev.n + i];
    }
    EXO_TEST_NEAR((double)differ, 0, dev.n / 1000.0, "infusion: states differing from the reference");
    EXO_TEST_NEAR(worst, 0, 1e-4, "infusion: device vs reference position (um)");
    EXO_TEST_EQ_INT(k1_differ, 0, "infusion: K = 1, one vesicle per work-item differs");
    exo_test_state_free(&dev);
    exo_test_state_free(&ref);
    exo_test_state_free(&k1);
    exo_scenario_destroy(sc);
}

static void regions(void)
{
    enum { N = 20000 };
    const double R = 2.0, a = 0.05;
    exo_scenario *sc = exo_test_scenario(
        "seed = 21;\n"
        "simulation = { dt = \"20 us\"; steps = 1000; };\n"
        "surfaces = ( { name = \"sticky\"; behaviour = \"adsorb\"; kappa = \"5e-5 m/s\"; } );\n"
        "vesicles = ( { count = 20000; radius = \"50 nm\"; start = { region = \"cap\"; }; } );\n"
        "geometry = { vessels = ( { name = \"cap\"; radius = \"2 um\"; length = \"30 um\";\n"
        "             origin = [0.0, 0.0, 0.0]; axis = \"x\"; ends = \"open\";\n"
        "             regions = ( { name = \"target\"; from = \"10 um\"; to = \"20 um\";\n"
        "                           wall = \"sticky\"; } );\n"
        "             flow = { mean_velocity = \"0.5 mm/s\"; }; } ); };\n"
        "output = { file = \"\"; };\n");
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    const char *const *names = NULL;
    uint32_t nobs = exo_sim_observables(sim, &names);
    EXO_TEST_EQ_INT(nobs, EXO_STATE_COUNT + 5 + 2 + 1, "observables");
    EXO_TEST_CONTAINS(names[EXO_STATE_COUNT], "target_free");
    EXO_TEST_CONTAINS(names[EXO_STATE_COUNT + 2], "target_internalized");
    EXO_TEST_CONTAINS(names[EXO_STATE_COUNT + 4], "target_bonds");
    EXO_TEST_CONTAINS(names[EXO_STATE_COUNT + 6], "cap_exited_outlet");
    EXO_TEST_CONTAINS(names[EXO_STATE_COUNT + 7], "bonds");
    int64_t v[EXO_STATE_COUNT + 8];
    exo_error err = {0};
    for (int k = 0; k < 5; k++) {
        exo_test_advance(sim, 200);
        if (exo_sim_read_observables(sim, v, &err) != EXO_OK) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        EXO_TEST_EQ_INT(v[EXO_STATE_FREE] + v[EXO_STATE_BOUND] + v[EXO_STATE_EXITED], N,
                        "free + bound + exited");
        EXO_TEST_EQ_INT(v[EXO_STATE_COUNT + 1], v[EXO_STATE_BOUND],
                        "every bound vesicle is in the target region");
        EXO_TEST_EQ_INT(v[EXO_STATE_COUNT + 5] + v[EXO_STATE_COUNT + 6], v[EXO_STATE_EXITED],
                        "exits through inlet + outlet");
        EXO_TEST_EQ_INT(v[EXO_STATE_COUNT + 7], 0, "no bonds at an adsorbing wall");
    }
    EXO_TEST_TRUE(v[EXO_STATE_BOUND] > 0 && v[EXO_STATE_COUNT + 6] > 0,
                  "no binding (%lld) or no outflow (%lld)", (long long)v[EXO_STATE_BOUND],
                  (long long)v[EXO_STATE_COUNT + 6]);
    exo_test_state s = exo_test_read(sim);
    size_t misplaced = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.state[i] != EXO_STATE_BOUND)
            continue;
        double x = s.pos[i], y = s.pos[s.n + i], z = s.pos[2 * s.n + i];
        double r = sqrt(y * y + z * z);
        misplaced += x < 10.0 || x >= 20.0 + 1e-5 || fabs(r - (R - a)) > 1e-5;
    }
    EXO_TEST_EQ_INT(misplaced, 0, "bound vesicles off the target region's wall (r = R - a)");
    exo_test_state_free(&s);
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

/*
 * A vessel along an oblique axis is the same vessel as one along x, turned:
 * with the same seed each vesicle draws the same normals and uniforms in
 * its vessel coordinates (s, y, z), so the two runs must agree vesicle by
 * vesicle in those coordinates, up to the rounding that turning into the
 * vessel frame and back adds each step (a few float ulps of |x| ~ 20 um,
 * about 2e-6 um, accumulated as a random walk over the steps: we allow
 * 16 ulps times sqrt(steps), 1.7e-3 um).  Near a wall that rounding can
 * tip a bridge or adsorption decision whose uniform lies within it of its
 * threshold; that vesicle then moves by about a step (9 nm) from there on.
 * Such paths are counted apart (a difference above half a step) and may
 * be 1 in 1000 (measured: 2 of 4500, both exits one step apart).  Covers the lumen start, infusion at the
 * inlet, flow, an adsorbing and desorbing region, open ends, the place
 * counting of observables and the bounding box that stands in for the box.
 */
static void oblique(void)
{
    enum { STEPS = 2000 };
    const char *fmt =
        "seed = 24;\n"
        "simulation = { dt = \"10 us\"; steps = %d; };\n"
        "surfaces = ( { name = \"sticky\"; behaviour = \"adsorb\"; kappa = \"2e-5 m/s\";\n"
        "               desorption_rate = \"20 /s\"; } );\n"
        "vesicles = ( { name = \"bolus\"; count = 3000; radius = \"50 nm\";\n"
        "               start = { region = \"cap\"; }; },\n"
        "             { name = \"infused\"; count = 1500; radius = \"40 nm\";\n"
        "               start = { region = \"cap\"; }; infusion = { rate = \"5e4 /s\"; }; } );\n"
        "geometry = { vessels = ( { name = \"cap\"; radius = \"1 um\"; length = \"20 um\";\n"
        "             origin = %s; axis = %s; ends = \"open\";\n"
        "             regions = ( { name = \"target\"; from = 5.0; to = 12.0;\n"
        "                           wall = \"sticky\"; } );\n"
        "             flow = { mean_velocity = \"200 um/s\"; }; } ); };\n"
        "output = { file = \"\"; };\n";
    char text_x[2048], text_o[2048];
    snprintf(text_x, sizeof text_x, fmt, STEPS, "[0.0, 0.0, 0.0]", "\"x\"");
    snprintf(text_o, sizeof text_o, fmt, STEPS, "[5.0, -3.0, 2.0]", "[1.0, 2.0, 2.0]");
    exo_scenario *sx = exo_test_scenario(text_x), *so = exo_test_scenario(text_o);
    const exo_vessel *vo = &so->vessel[0];
    EXO_TEST_EQ_INT(vo->axis, -1, "an oblique axis");
    EXO_TEST_NEAR(vo->frame[0], 1.0 / 3, 1e-15, "unit axis x");
    EXO_TEST_NEAR(vo->frame[0] * vo->frame[3] + vo->frame[1] * vo->frame[4] +
                  vo->frame[2] * vo->frame[5], 0, 1e-15, "axis . e1");
    EXO_TEST_NEAR(vo->frame[3] * vo->frame[6] + vo->frame[4] * vo->frame[7] +
                  vo->frame[5] * vo->frame[8], 0, 1e-15, "e1 . e2");
    /* The bounding box: the end centres (5, -3, 2) and (5, -3, 2) + 20 (1, 2, 2)/3,
     * widened by R sqrt(1 - e_a^2) = sqrt(8)/3, sqrt(5)/3, sqrt(5)/3. */
    EXO_TEST_NEAR(so->box_lo[0], 5 - sqrt(8.0) / 3, 1e-12, "bounding box x lower");
    EXO_TEST_NEAR(so->box_hi[2], 2 + 40.0 / 3 + sqrt(5.0) / 3, 1e-12, "bounding box z upper");

    exo_sim *simx = exo_test_sim(sx, NULL, 0, 0), *simo = exo_test_sim(so, NULL, 0, 0);
    exo_test_advance(simx, STEPS);
    exo_test_advance(simo, STEPS);
    exo_test_state a = exo_test_read(simx), b = exo_test_read(simo);
    int64_t ox[64], oo[64];
    exo_error err = {0};
    const char *const *names = NULL;
    uint32_t nobs = exo_sim_observables(simx, &names);
    EXO_TEST_TRUE(nobs <= 64 && exo_sim_read_observables(simx, ox, &err) == EXO_OK &&
                  exo_sim_read_observables(simo, oo, &err) == EXO_OK, "observables: %s",
                  err.msg);
    size_t n = a.n, diverged = 0, bound = 0, exited = 0, entered = 0;
    double worst = 0, step = sqrt(2 * exo_scenario_D(sx, 0.05) * sx->dt);
    for (size_t i = 0; i < n; i++) {
        if (a.state[i] != b.state[i]) {
            diverged++;
            continue;
        }
        if (a.state[i] == EXO_STATE_INACTIVE)
            continue; /* not placed yet */
        double x[3], v[3] = {0, 0, 0};
        for (int k = 0; k < 3; k++)
            x[k] = (double)b.pos[k * n + i] - vo->origin[k];
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 3; j++)
                v[k] += x[j] * vo->frame[3 * k + j];
        double d = 0;
        for (int k = 0; k < 3; k++)
            d = fmax(d, fabs(v[k] - a.pos[k * n + i]));
        if (d > 0.5 * step) { /* took another branch: moved by a step */
            diverged++;
            continue;
        }
        worst = fmax(worst, d);
        bound += a.state[i] == EXO_STATE_BOUND;
        exited += a.state[i] == EXO_STATE_EXITED;
        entered += i >= 3000 && a.state[i] != EXO_STATE_INACTIVE;
    }
    double ulp = 20.0 * FLT_EPSILON;
    printf("oblique vessel: %zu bound, %zu exited, %zu infused; largest difference in "
           "vessel coordinates %.3g um; %zu diverged\n", bound, exited, entered, worst,
           diverged);
    EXO_TEST_TRUE(bound > 0 && exited > 0 && entered > 500,
                  "binding, exits and infusion exercised (%zu, %zu, %zu)", bound, exited,
                  entered);
    EXO_TEST_NEAR(worst, 0, 16 * ulp * sqrt((double)STEPS),
                  "oblique vs x-axis vessel, largest difference in (s, y, z) (um)");
    EXO_TEST_NEAR((double)diverged, 0, n / 1000.0,
                  "oblique vs x-axis vessel, vesicles whose state or path differs");
    for (uint32_t k = 0; k < nobs; k++)
        EXO_TEST_NEAR((double)oo[k], (double)ox[k], n / 1000.0, names[k]);
    exo_test_state_free(&a);
    exo_test_state_free(&b);
    exo_sim_destroy(simx, NULL);
    exo_sim_destroy(simo, NULL);
    exo_scenario_destroy(sx);
    exo_scenario_destroy(so);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    v3("\"1.2 mPa s\"", 0);
    v3("\"1e12 Pa s\"", 1);
    const char *dts[3] = {"10 ms", "1 ms", "0.1 ms"};
    const uint32_t steps[3] = {10, 100, 1000};
    for (int k = 0; k < 3; k++) {
        v5("kind = \"uniform\";", dts[k], steps[k], 0.394176);
        v5("kind = \"point\"; position = [5.0, 0.0, 0.0];", dts[k], steps[k], 0.848355);
    }
    device_vs_reference();
    regions();
    infusion();
    v14();
    oblique();
    return exo_test_finish("test_vessel");
}
