/*
 * test_desorption: reversible adsorption at a Robin wall (PHYSICS.md 4.3
 * with first-order release, DESIGN.md section 10).
 *
 * A surface that adsorbs with Robin rate kappa and releases bound vesicles
 * at rate k holds, at equilibrium, Gamma = (kappa / k) c per area against a
 * free concentration c (detailed balance: kappa c = k Gamma), whatever D,
 * the flow or the time step.  Three cases:
 *
 * - Box equilibrium, 1D (x; y and z periodic), D = 1, L = 0.5, Robin wall
 *   at x = 0 with kappa = 0.5, reflecting at x = L, k = 2, uniform start:
 *   bound fraction (kappa/k) / (L + kappa/k) = 1/3.  The slowest relaxation
 *   rate is above 3, so by t = 2 the start is forgotten to e^-6 (a
 *   deviation of 8e-4, a tenth of the tolerance).  At dt = 0.4 ms (P =
 *   0.009) with B = 0, and at dt = 2 ms (P = 0.020) with B = 2% of the
 *   expected value: the adsorption rule converges like sqrt(dt) and reads
 *   kappa high by about 1.2 P (V12: +1.5 to +2% in u at P = 0.028, where
 *   du/u = dkappa/kappa / 2), which raises this bound fraction by
 *   (1 - 1/3) 1.2 P = 1.6%.
 * - Vessel equilibrium with Poiseuille flow and periodic ends: the free
 *   density stays uniform (the flow is divergence-free and parallel to the
 *   wall), the centres adsorb on the cylinder r = R - a, so
 *   bound / free = 2 kappa / (k (R - a)).
 * - Kinetics, reaction-limited (kappa L / D = 0.01): theta(t) =
 *   k_a / (k_a + k) (1 - exp(-(k_a + k) t)) with k_a = kappa / L (V8's
 *   Langmuir form); k_a = k = 1 gives 0.316060 at t = 0.5.  Transport lowers
 *   k_a by the factor 1 / (1 + kappa L / (3 D)) (the mean adsorption time of
 *   V12), which moves theta by 2e-4, a tenth of the standard error.
 *
 * - The device against the C reference on a capillary whose inlet and one
 *   region's wall adsorb and release (the nearest-surface lookup of
 *   exo_desorb_probability on every kind of surface), with flow: the same
 *   states, and positions to 1e-5 um (test_device_vs_ref explains the
 *   allowance).  A decision whose uniform falls within a few ulp of its
 *   threshold may go the other way, and that vesicle's path then differs
 *   from there on (in state, or in where it sits): 1 vesicle in 1000 may
 *   (measured on PoCL: 2 of 4000, both bound on the inlet at other points).
 *
 * Tolerances 4 sqrt(p (1 - p) / N).  A released vesicle starts its step on
 * the wall and may readsorb in it (exo_desorb); that is the continuum
 * behaviour at a Robin wall, and these cases, at P up to 0.03, show no
 * bias from it within the tolerance.
 */
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"
#include "shared/exo_physics.h"

static void count(exo_sim *sim, uint64_t counts[EXO_STATE_COUNT])
{
    exo_test_count_states(sim, counts);
}

/* A 1D box [0, L] in x with the reversible Robin wall at x = 0. */
static exo_scenario *box_scenario(double kappa, double k, const char *dt, double L,
                                  double t, uint32_t n)
{
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 21;\n"
             "simulation = { dt = \"%s\"; duration = %g; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "surfaces = ( { name = \"sticky\"; behaviour = \"adsorb\"; kappa = %g;\n"
             "               adsorbed = \"bound\"; desorption_rate = %g; } );\n"
             "vesicles = ( { count = %u; radius = 0.05;\n"
             "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [%#g, 1.0, 1.0];\n"
             "             faces = [\"sticky\", \"reflect\", \"periodic\", \"periodic\",\n"
             "                      \"periodic\", \"periodic\"]; }; };\n"
             "output = { file = \"\"; };\n",
             dt, t, exo_test_unit_viscosity(), kappa, k, n, L);
    return exo_test_scenario(text);
}

static void box_equilibrium(const char *dt, double bias_rel)
{
    const double kappa = 0.5, k = 2.0, L = 0.5;
    const uint32_t n = 50000;
    exo_scenario *sc = box_scenario(kappa, k, dt, L, 2.0, n);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, exo_scenario_steps(sc));
    uint64_t c[EXO_STATE_COUNT];
    count(sim, c);
    double expected = (kappa / k) / (L + kappa / k);
    double got = (double)c[EXO_STATE_BOUND] / n;
    char what[160];
    snprintf(what, sizeof what, "box equilibrium bound fraction, kappa = 0.5, k = 2, "
             "dt = %s (P = %.4f)", dt, exo_scenario_adsorb_probability(sc, kappa, 0.05));
    EXO_TEST_NEAR(got, expected,
                  4 * sqrt(expected * (1 - expected) / n) + bias_rel * expected, what);
    EXO_TEST_EQ_INT(c[EXO_STATE_FREE] + c[EXO_STATE_BOUND], n, "free + bound vesicles");
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void box_kinetics(void)
{
    const uint32_t n = 50000;
    exo_scenario *sc = box_scenario(0.1, 1.0, "0.1 ms", 0.1, 0.5, n);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, exo_scenario_steps(sc));
    uint64_t c[EXO_STATE_COUNT];
    count(sim, c);
    double expected = 0.5 * (1 - exp(-2.0 * 0.5));
    EXO_TEST_NEAR((double)c[EXO_STATE_BOUND] / n, expected,
                  4 * sqrt(expected * (1 - expected) / n),
                  "reaction-limited kinetics theta(0.5), k_a = k = 1");
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void vessel_equilibrium(void)
{
    /* D = 1 (a = 0.05), R = 1.05 so R - a = 1, kappa = 0.5, k = 2:
     * bound / free = 2 kappa / (k (R - a)) = 0.5, bound fraction 1/3.
     * Mixing time R^2 / D = 1 and 1 / (k + 2 kappa / (R - a)) = 1/3:
     * t = 5 forgets the start.  P = 0.014: B = 0 (bias about 1.1%, a
     * third of the tolerance). */
    const uint32_t n = 50000;
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 22;\n"
             "simulation = { dt = \"1 ms\"; duration = 5.0; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "surfaces = ( { name = \"sticky\"; behaviour = \"adsorb\"; kappa = 0.5;\n"
             "               desorption_rate = \"2 /s\"; } );\n"
             "vesicles = ( { count = %u; radius = 0.05; start = { region = \"c\"; }; } );\n"
             "geometry = { vessels = ( { name = \"c\"; radius = 1.05; length = 4.0;\n"
             "             origin = [0.0, 0.0, 0.0]; axis = \"y\"; ends = \"periodic\";\n"
             "             wall = \"sticky\"; flow = { mean_velocity = 3.0; }; } ); };\n"
             "output = { file = \"\"; };\n",
             exo_test_unit_viscosity(), n);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, exo_scenario_steps(sc));
    uint64_t c[EXO_STATE_COUNT];
    count(sim, c);
    double expected = 1.0 / 3.0;
    EXO_TEST_NEAR((double)c[EXO_STATE_BOUND] / n, expected,
                  4 * sqrt(expected * (1 - expected) / n),
                  "vessel equilibrium bound fraction, 2 kappa / (k (R - a)) = 0.5");
    EXO_TEST_EQ_INT(c[EXO_STATE_FREE] + c[EXO_STATE_BOUND], n, "free + bound vesicles");
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void device_vs_reference(void)
{
    const char *text =
        "seed = 23;\n"
        "simulation = { dt = \"20 us\"; steps = 3000; };\n"
        "medium = { viscosity = \"1.2 mPa s\"; };\n"
        "surfaces = ( { name = \"sticky\"; behaviour = \"adsorb\"; kappa = \"20 um/s\";\n"
        "               desorption_rate = \"40 /s\"; },\n"
        "             { name = \"glue\"; behaviour = \"adsorb\"; kappa = \"5 um/s\";\n"
        "               desorption_rate = \"10 /s\"; } );\n"
        "vesicles = ( { count = 4000; radius = \"50 nm\"; start = { region = \"cap\"; }; } );\n"
        "geometry = { vessels = ( { name = \"cap\"; radius = \"1 um\"; length = \"3 um\";\n"
        "             origin = [0.5, 0.5, 0.0]; axis = \"z\"; ends = [\"glue\", \"reflect\"];\n"
        "             wall = \"sticky\"; flow = { mean_velocity = \"-20 um/s\"; };\n"
        "             regions = ( { name = \"mid\"; from = 1.0; to = 2.0; wall = \"glue\"; } );\n"
        "             } ); };\n"
        "output = { file = \"\"; };\n";
    exo_scenario *sc = exo_test_scenario(text);
    exo_test_state dev = exo_test_run(sc, NULL, 0, 0, 3000);
    exo_test_state ref = exo_test_run(sc, "cpu-reference", 0, 0, 3000);
    size_t n = dev.n, diverged = 0, bound = 0, at_inlet = 0;
    double max_dr = 0;
    for (size_t i = 0; i < n; i++) {
        double dr = exo_test_apart(&dev, &ref, i);
        if (dev.state[i] != ref.state[i] || dr > 1e-5) {
            diverged++;
            continue;
        }
        max_dr = fmax(max_dr, dr);
        bound += ref.state[i] == EXO_STATE_BOUND;
        at_inlet += ref.state[i] == EXO_STATE_BOUND && ref.pos[2 * n + i] == 0.0f;
    }
    printf("device vs reference: %zu bound (%zu on the inlet); %zu diverged\n", bound,
           at_inlet, diverged);
    EXO_TEST_TRUE(bound > n / 20 && at_inlet > 0, "walls and inlet were exercised (%zu, %zu)",
                  bound, at_inlet);
    EXO_TEST_NEAR(max_dr, 0, 1e-5, "device vs reference, largest position difference (um)");
    EXO_TEST_NEAR((double)diverged, 0, n / 1000.0,
                  "device vs reference, vesicles whose state or path differs");
    exo_test_state_free(&dev);
    exo_test_state_free(&ref);
    exo_scenario_destroy(sc);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    box_equilibrium("0.4 ms", 0.0);
    box_equilibrium("2 ms", 0.02);
    box_kinetics();
    vessel_equilibrium();
    device_vs_reference();
    return exo_test_finish("test_desorption");
}
