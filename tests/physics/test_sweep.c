/*
 * test_sweep: a parameter sweep (scenario `sweep`, docs/scenario.md) runs
 * its combinations side by side as populations of one run.
 *
 * - The sweep run equals, combination by combination, the run of that
 *   combination alone (`sweep.only`, which keeps the vesicle ids it has in
 *   the sweep): positions, image counts and states bitwise, on the device.
 *   Receptors do not deplete here (depletion couples populations through
 *   shared patches, so with it only the sweep as a whole is defined).
 *   Likewise for a population infused through a vessel's inlet, whose
 *   arrivals are keyed by the global id of its first vesicle: each
 *   combination alone gets the arrivals it has in the sweep.
 * - A monotone check with analytic backing (PHYSICS.md V8): in the
 *   reaction-limited setting the first-bond rate k_f = k_on sigma_R n_L
 *   delta / (2a) grows with the ligand count n_L and with k_on, and the
 *   bound fraction of a Langmuir surface k_f / (k_f + k_off) with it; a
 *   sweep over n_L, and one over k_on, must never give a lower bound
 *   fraction at a higher rate (beyond 4 binomial SE of the difference).
 */
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"

/* A periodic slab over a receptor face (z-), RGD vesicles, a 3 x 2 grid
 * of radius and ligand count with 2 replicates; `extra` is appended to the
 * sweep group. */
static exo_scenario *sweep_scenario(const char *extra)
{
    char text[4096];
    snprintf(text, sizeof text,
             "seed = 41;\n"
             "simulation = { dt = \"10 us\"; steps = 300; };\n"
             "surfaces = ( { name = \"endo\"; behaviour = \"bind\";\n"
             "               receptors = ( { type = \"avb3\"; density = \"100 /um^2\"; } );\n"
             "               depletion = false; internalization = { rate = \"50 /s\"; }; } );\n"
             "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"1 um^2/s\";\n"
             "              k_off = \"2 /s\"; bond_length = \"10 nm\"; } );\n"
             "vesicles = ( { name = \"rgd\"; count = 300; radius = \"50 nm\";\n"
             "               ligands = { type = \"RGD\"; count = 100; };\n"
             "               start = { kind = \"uniform\"; region = \"box\";\n"
             "                         lower = [0.0, 0.0, 0.0]; upper = [2.0, 2.0, 0.3]; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [2.0, 2.0, 2.0];\n"
             "  faces = [\"periodic\", \"periodic\", \"periodic\", \"periodic\", \"endo\",\n"
             "           \"reflect\"]; }; };\n"
             "sweep = { parameters = ( { setting = \"radius\"; values = [\"30 nm\", \"60 nm\",\n"
             "                                                     \"90 nm\"]; },\n"
             "                         { setting = \"ligands.count\"; values = [20, 200]; } );\n"
             "          replicates = 2; %s };\n"
             "output = { file = \"\"; };\n",
             extra);
    return exo_test_scenario(text);
}

static void sweep_equals_separate_runs(void)
{
    exo_scenario *sc = sweep_scenario("");
    const uint32_t combos = 6, per = 2 * 300;
    EXO_TEST_EQ_INT(exo_scenario_vesicle_count(sc), combos * per,
                    "6 combinations x 2 replicates x 300 vesicles");
    exo_test_state all = exo_test_run(sc, NULL, 0, 0, 300);
    uint32_t bound = 0;
    for (uint32_t c = 0; c < combos; c++) {
        char only[32];
        snprintf(only, sizeof only, "only = %u;", c);
        exo_scenario *one = sweep_scenario(only);
        EXO_TEST_TRUE(exo_scenario_vesicle_count(one) == per, "combination %u alone", c);
        exo_test_state s = exo_test_run(one, NULL, 0, 0, 300);
        int same = s.n == per;
        for (size_t i = 0; same && i < s.n; i++) {
            size_t j = c * per + i; /* its index (= id) in the sweep */
            same = s.state[i] == all.state[j];
            for (int a = 0; a < 3 && same; a++)
                same = s.pos[a * s.n + i] == all.pos[a * all.n + j] &&
                       s.image[a * s.n + i] == all.image[a * all.n + j];
            bound += s.state[i] == 2;
        }
        EXO_TEST_TRUE(same, "combination %u: its run alone equals its part of the sweep "
                            "bitwise", c);
        exo_test_state_free(&s);
        exo_scenario_destroy(one);
    }
    printf("sweep: 6 combinations, each alone equal to its part of the sweep; %u bound\n",
           bound);
    EXO_TEST_TRUE(bound > 0, "vesicles bind in the sweep");
    exo_test_state_free(&all);
    exo_scenario_destroy(sc);
}

/* An infused population swept over 2 radii x 2 replicates in a capillary:
 * combination 1's populations are 2 and 3 in the sweep and 0 and 1 alone. */
static exo_scenario *infusion_scenario(const char *extra)
{
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 37;\n"
             "simulation = { dt = \"10 us\"; steps = 400; };\n"
             "vesicles = ( { name = \"inf\"; count = 250; radius = \"50 nm\";\n"
             "               start = { region = \"cap\"; }; infusion = { rate = \"2e4 /s\"; }; } );\n"
             "geometry = { vessels = ( { name = \"cap\"; radius = \"2 um\"; length = \"5 um\";\n"
             "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"open\";\n"
             "             flow = { mean_velocity = \"1 mm/s\"; }; } ); };\n"
             "sweep = { population = \"inf\"; parameters = ( { setting = \"radius\";\n"
             "          values = [\"40 nm\", \"80 nm\"]; } ); replicates = 2; %s };\n"
             "output = { file = \"\"; };\n",
             extra);
    return exo_test_scenario(text);
}

static void infused_sweep_equals_separate_runs(void)
{
    exo_scenario *sc = infusion_scenario("");
    const uint32_t per = 2 * 250;
    exo_test_state all = exo_test_run(sc, NULL, 0, 0, 400);
    uint32_t entered = 0;
    for (uint32_t c = 0; c < 2; c++) {
        char only[32];
        snprintf(only, sizeof only, "only = %u;", c);
        exo_scenario *one = infusion_scenario(only);
        exo_test_state s = exo_test_run(one, NULL, 0, 0, 400);
        int same = s.n == per;
        for (size_t i = 0; same && i < s.n; i++) {
            size_t j = c * per + i; /* its index (= id) in the sweep */
            same = s.state[i] == all.state[j];
            for (int a = 0; a < 3 && same; a++)
                same = s.pos[a * s.n + i] == all.pos[a * all.n + j];
            entered += s.state[i] != EXO_STATE_INACTIVE;
        }
        EXO_TEST_TRUE(same, "infused combination %u: its run alone equals its part of the "
                            "sweep bitwise", c);
        exo_test_state_free(&s);
        exo_scenario_destroy(one);
    }
    printf("infused sweep: 2 combinations, each alone equal to its part; %u entered\n",
           entered);
    /* 2e4 /s for 4 ms into each of 4 populations: Poisson, mean 320 in all */
    EXO_TEST_NEAR(entered, 320, 4 * sqrt(320.0), "infused vesicles entered");
    exo_test_state_free(&all);
    exo_scenario_destroy(sc);
}

/* Bound fraction after 0.5 s (the bound state relaxes at k_f + k_off >=
 * 5 /s) along a sweep of `setting` over 4 increasing `values`, each raising
 * the first-bond rate: 2000 vesicles each in a 200-nm slab. */
static void higher_rate_never_binds_less(const char *setting, const char *values)
{
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 43;\n"
             "simulation = { dt = \"100 us\"; steps = 5000; };\n"
             "surfaces = ( { name = \"endo\"; behaviour = \"bind\";\n"
             "               receptors = ( { type = \"avb3\"; density = \"20 /um^2\"; } );\n"
             "               depletion = false; } );\n"
             "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"0.05 um^2/s\";\n"
             "              k_off = \"5 /s\"; bond_length = \"10 nm\"; } );\n"
             "vesicles = ( { name = \"rgd\"; count = 2000; radius = \"50 nm\";\n"
             "               ligands = { type = \"RGD\"; count = 100; };\n"
             "               start = { kind = \"uniform\"; region = \"box\";\n"
             "                         lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 0.2]; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 0.2];\n"
             "  faces = [\"periodic\", \"periodic\", \"periodic\", \"periodic\", \"endo\",\n"
             "           \"reflect\"]; }; };\n"
             "sweep = { parameters = ( { setting = \"%s\"; values = %s; } ); };\n"
             "output = { file = \"\"; };\n",
             setting, values);
    exo_scenario *sc = exo_test_scenario(text);
    exo_test_state s = exo_test_run(sc, NULL, 0, 0, 5000);
    double f[4];
    for (int c = 0; c < 4; c++) {
        uint32_t b = 0;
        for (size_t i = 0; i < 2000; i++)
            b += s.state[c * 2000 + i] == 2;
        f[c] = b / 2000.0;
    }
    printf("bound fraction along %s = %s: %.4f %.4f %.4f %.4f\n", setting, values, f[0], f[1],
           f[2], f[3]);
    for (int c = 0; c < 3; c++) {
        double se = sqrt((f[c] * (1 - f[c]) + f[c + 1] * (1 - f[c + 1])) / 2000);
        EXO_TEST_TRUE(f[c + 1] >= f[c] - 4 * se,
                      "%s: a higher first-bond rate never binds less (%.4f then %.4f, 4 SE "
                      "%.4f)", setting, f[c], f[c + 1], 4 * se);
    }
    EXO_TEST_TRUE(f[3] > f[0], "%s: the highest binds more than the lowest", setting);
    exo_test_state_free(&s);
    exo_scenario_destroy(sc);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    sweep_equals_separate_runs();
    infused_sweep_equals_separate_runs();
    higher_rate_never_binds_less("ligands.count", "[10, 30, 100, 300]");
    higher_rate_never_binds_less("binding.k_on",
                                 "[\"0.005 um^2/s\", \"0.015 um^2/s\", \"0.05 um^2/s\", "
                                 "\"0.15 um^2/s\"]");
    return exo_test_finish("test_sweep");
}
