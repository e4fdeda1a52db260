/*
 * test_device_vs_ref: the OpenCL kernels against the C reference stepper
 * (host/exo_ref.c), which run the same shared physics, particle by
 * particle.  A small box with periodic, reflecting and open faces, a
 * log-normal population and a fixed one, and a drift exercise every branch.
 *
 * Tolerances: integers (RNG words) are identical; reals differ only by the
 * ULP allowances of OpenCL's float log/sin/cos/sqrt/exp (<= 4 ulp), about
 * 2e-7 relative per normal (test_rng_device measures it), so after 200
 * steps of 27 nm the positions agree to about 1e-6 um (measured on PoCL:
 * 9.5e-7 um, one float ulp at 2 um); we allow 1e-5 um (0.01 nm).  An open-face exit decided by a uniform within a few
 * ulp of the crossing probability can differ; at most 1 in 1000 vesicles
 * may differ in state, and they are reported.
 */
#include <math.h>

#include "exo_test_sim.h"

static const char *scenario =
    "seed = 20261122;\n"
    "simulation = { dt = \"100 us\"; steps = 200; };\n"
    "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\";\n"
    "           flow = { velocity = [10.0, 0.0, 5.0]; }; };\n"
    "vesicles = ( { name = \"lognormal\"; count = 15000;\n"
    "               radius = { distribution = \"lognormal\"; median = \"50 nm\";\n"
    "                          sigma = 0.3; min = \"15 nm\"; max = \"75 nm\"; }; },\n"
    "             { name = \"fixed\"; count = 5000; radius = \"40 nm\";\n"
    "               start = { kind = \"point\"; position = [1.0, 1.0, 1.0]; }; } );\n"
    "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [2.0, 2.0, 2.0];\n"
    "             faces = [\"periodic\", \"periodic\", \"reflect\", \"reflect\",\n"
    "                      \"open\", \"reflect\"]; }; };\n"
    "output = { file = \"\"; };\n";

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    exo_scenario *sc = exo_test_scenario(scenario);
    exo_test_state dev = exo_test_run(sc, NULL, 0, 0, 200);
    exo_test_state ref = exo_test_run(sc, "cpu-reference", 0, 0, 200);
    size_t n = dev.n;
    EXO_TEST_EQ_INT(ref.n, n, "vesicle count");

    double max_dr = 0, max_da = 0;
    size_t state_diff = 0, exited = 0, compared = 0;
    for (size_t i = 0; i < n; i++) {
        max_da = fmax(max_da, fabs(dev.radius[i] - ref.radius[i]) / ref.radius[i]);
        exited += ref.state[i] == 5;
        if (dev.state[i] != ref.state[i]) {
            state_diff++;
            continue;
        }
        compared++;
        for (int a = 0; a < 3; a++) {
            /* Unwrapped along the periodic x axis (edge 2 um). */
            double xd = dev.pos[a * n + i] + 2.0 * (a == 0 ? dev.image[i] : 0);
            double xr = ref.pos[a * n + i] + 2.0 * (a == 0 ? ref.image[i] : 0);
            max_dr = fmax(max_dr, fabs(xd - xr));
        }
    }
    printf("compared %zu vesicles; %zu exited on the reference; %zu differ in state\n",
           compared, exited, state_diff);
    EXO_TEST_TRUE(exited > n / 20, "the open face was exercised (%zu exits)", exited);
    EXO_TEST_NEAR(max_da, 0, 1e-5, "largest relative radius difference");
    EXO_TEST_NEAR(max_dr, 0, 1e-5, "largest position difference (um)");
    EXO_TEST_NEAR((double)state_diff, 0, n / 1000.0, "vesicles whose state differs");
    exo_test_state_free(&dev);
    exo_test_state_free(&ref);
    exo_scenario_destroy(sc);
    return exo_test_finish("test_device_vs_ref");
}
