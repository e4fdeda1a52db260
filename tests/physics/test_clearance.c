/*
 * test_clearance: first-order clearance of free vesicles from the blood
 * (medium.clearance; docs/physics.md).
 *
 * A free vesicle is removed at the start of each step with probability
 * p = 1 - exp(-k dt), so with no other loss the free count after n steps is
 * binomial with mean N exp(-k n dt): exact at every step, whatever dt.
 * Cases, N = 1e5 in a periodic box (nothing else removes vesicles):
 * - k = 20 /s at dt = 1 ms, counted every 10 steps to 50 (exp(-1) at 50);
 * - the same clearance given as a half-life (ln 2 / 20 s) at a coarse
 *   dt = 20 ms (p = 0.33): exp(-k t) still, at t = 20, 40, 60 ms;
 * - the device against the C reference: the same vesicles cleared.
 * Tolerance 4 sqrt(N q (1 - q)), q = exp(-k t).
 */
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"

static exo_scenario *scenario(const char *dt, const char *clearance, int n)
{
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 5;\n"
             "simulation = { dt = \"%s\"; steps = 1000; };\n"
             "medium = { viscosity = \"1.2 mPa s\"; clearance = { %s }; };\n"
             "vesicles = ( { count = %d; radius = \"50 nm\"; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [10.0, 10.0, 10.0];\n"
             "             faces = [\"periodic\", \"periodic\", \"periodic\"]; }; };\n"
             "output = { file = \"\"; };\n",
             dt, clearance, n);
    return exo_test_scenario(text);
}

static void decay(const char *dt_text, double dt, const char *clearance, double k, int every,
                  int checks)
{
    const int n = 100000;
    exo_scenario *sc = scenario(dt_text, clearance, n);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    for (int c = 1; c <= checks; c++) {
        exo_test_advance(sim, (uint64_t)every);
        uint64_t counts[EXO_STATE_COUNT];
        exo_test_count_states(sim, counts);
        double t = c * every * dt, q = exp(-k * t);
        char what[160];
        snprintf(what, sizeof what, "free fraction at t = %g s, dt = %s (%s)", t, dt_text,
                 clearance);
        EXO_TEST_NEAR((double)counts[EXO_STATE_FREE] / n, q, 4 * sqrt(q * (1 - q) / n), what);
        EXO_TEST_EQ_INT((int)(counts[EXO_STATE_FREE] + counts[EXO_STATE_CLEARED]), n,
                        "free + cleared = all");
    }
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void device_vs_reference(void)
{
    exo_scenario *sc = scenario("1 ms", "rate = \"20 /s\";", 4000);
    exo_test_state a = exo_test_run(sc, NULL, 0, 0, 50);
    exo_test_state b = exo_test_run(sc, "cpu-reference", 0, 0, 50);
    int cleared = 0;
    for (size_t i = 0; i < a.n; i++)
        cleared += a.state[i] == EXO_STATE_CLEARED;
    printf("device vs reference: %d of %zu cleared on the device\n", cleared, a.n);
    EXO_TEST_TRUE(memcmp(a.state, b.state, a.n) == 0, "the same vesicles cleared");
    exo_test_state_free(&a);
    exo_test_state_free(&b);
    exo_scenario_destroy(sc);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    decay("1 ms", 1e-3, "rate = \"20 /s\";", 20.0, 10, 5);
    decay("20 ms", 20e-3, "half_life = \"34.657359 ms\";", M_LN2 / 34.657359e-3, 1, 3);
    device_vs_reference();
    return exo_test_finish("test_clearance");
}
