/*
 * test_boundaries: periodic and open box faces.
 *
 * Periodic: a periodic 2-um box and an unbounded run from the same point
 * with the same seed draw the same displacements, so the periodic
 * positions unwrapped with their image counts equal the unbounded ones
 * (to float rounding), and every periodic position lies in [lo, hi).
 *
 * Open: a slab 0 < x < 1 um with open faces (y, z periodic), D = 1 um^2/s,
 * vesicles starting at x0 = 0.5.  Survival follows the series
 *   S(t) = sum_k 4/((2k+1) pi) sin((2k+1) pi x0) exp(-(2k+1)^2 pi^2 D t);
 * with the Brownian-bridge exit test the discrete walk has no bias (the
 * end-point test alone gives S(0.1) = 0.520 instead of 0.474 at this dt).
 * Tolerance 4 sqrt(S (1 - S) / N).  Exited vesicles are counted, never
 * lost or duplicated, and stay where they left.
 */
#include <math.h>

#include "exo_test_sim.h"
#include "shared/exo_physics.h"
#include "shared/exo_types.h"

static double slab_survival(double t)
{
    double s = 0;
    for (int k = 0; k < 200; k++) {
        double n = 2 * k + 1;
        s += 4 / (n * M_PI) * sin(n * M_PI * 0.5) * exp(-n * n * M_PI * M_PI * t);
    }
    return s;
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    char text[2048];
    /* --- periodic wrap --------------------------------------------------- */
    const char *pfmt =
        "seed = 5;\n"
        "simulation = { dt = \"100 us\"; steps = 300; };\n"
        "medium = { flow = { velocity = [100.0, -50.0, 0.0]; }; };\n"
        "vesicles = ( { count = 2000; radius = \"50 nm\";\n"
        "               start = { kind = \"point\"; position = [1.0, 1.0, 1.0]; }; } );\n"
        "geometry = { box = { lower = [%s]; upper = [%s]; faces = [%s]; }; };\n"
        "output = { file = \"\"; };\n";
    snprintf(text, sizeof text, pfmt, "0.0, 0.0, 0.0", "2.0, 2.0, 2.0",
             "\"periodic\", \"periodic\", \"periodic\"");
    exo_scenario *periodic = exo_test_scenario(text);
    snprintf(text, sizeof text, pfmt, "-1000.0, -1000.0, -1000.0", "1000.0, 1000.0, 1000.0",
             "\"reflect\", \"reflect\", \"reflect\"");
    exo_scenario *free_sc = exo_test_scenario(text);
    exo_test_state p = exo_test_run(periodic, NULL, 0, 0, 300);
    exo_test_state f = exo_test_run(free_sc, NULL, 0, 0, 300);
    double worst = 0;
    size_t outside = 0, wrapped = 0;
    for (size_t i = 0; i < p.n; i++)
        for (int a = 0; a < 3; a++) {
            size_t k = a * p.n + i;
            outside += p.pos[k] < 0.0f || p.pos[k] >= 2.0f;
            wrapped += p.image[k] != 0;
            worst = fmax(worst, fabs(p.pos[k] + 2.0 * p.image[k] - f.pos[k]));
        }
    EXO_TEST_EQ_INT(outside, 0, "periodic coordinates outside [0, 2)");
    EXO_TEST_TRUE(wrapped > p.n, "few vesicles wrapped (%zu coordinates)", wrapped);
    /* Positions near 1-10 um in float: rounding of order 1e-6 um per step. */
    EXO_TEST_NEAR(worst, 0, 1e-4, "unwrapped periodic vs unbounded position (um)");
    exo_test_state_free(&p);
    exo_test_state_free(&f);
    exo_scenario_destroy(periodic);
    exo_scenario_destroy(free_sc);

    /* --- open faces: slab survival ------------------------------------- */
    double eta = exo_test_unit_viscosity(); /* D = 1 um^2/s */
    snprintf(text, sizeof text,
             "seed = 99;\n"
             "simulation = { dt = \"1 ms\"; steps = 100; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "vesicles = ( { count = 100000; radius = 0.05;\n"
             "               start = { kind = \"point\"; position = [0.5, 0.5, 0.5]; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 1.0];\n"
             "             faces = [\"open\", \"periodic\", \"periodic\"]; }; };\n"
             "output = { file = \"\"; };\n", eta);
    exo_scenario *slab = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(slab, NULL, 0, 0);
    exo_test_state half;
    memset(&half, 0, sizeof half);
    uint64_t last_exited = 0;
    for (int part = 1; part <= 4; part++) {
        exo_test_advance(sim, 25);
        uint64_t counts[EXO_STATE_COUNT];
        exo_error err = {0};
        if (exo_sim_count_states(sim, counts, &err) != EXO_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        EXO_TEST_EQ_INT(counts[EXO_STATE_FREE] + counts[EXO_STATE_EXITED], 100000,
                        "free + exited vesicles");
        EXO_TEST_TRUE(counts[EXO_STATE_EXITED] >= last_exited, "exited count decreased");
        last_exited = counts[EXO_STATE_EXITED];
        if (part == 2)
            half = exo_test_read(sim);
    }
    exo_test_state end = exo_test_read(sim);
    size_t n = end.n, alive = 0, moved = 0, free_outside = 0;
    for (size_t i = 0; i < n; i++) {
        if (end.state[i] == EXO_STATE_FREE) {
            alive++;
            free_outside += end.pos[i] < 0.0f || end.pos[i] > 1.0f;
        }
        if (half.state[i] == EXO_STATE_EXITED)
            for (int a = 0; a < 3; a++)
                moved += half.pos[a * n + i] != end.pos[a * n + i];
    }
    EXO_TEST_EQ_INT(free_outside, 0, "free vesicles outside the slab");
    EXO_TEST_EQ_INT(moved, 0, "coordinates of exited vesicles that changed afterwards");
    double S = slab_survival(0.1), got = (double)alive / n;
    EXO_TEST_NEAR(got, S, 4 * sqrt(S * (1 - S) / n), "survival in an open slab at D t / L^2 = 0.1");
    exo_test_state_free(&half);
    exo_test_state_free(&end);
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(slab);
    return exo_test_finish("test_boundaries");
}
