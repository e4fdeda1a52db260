/*
 * test_reflection: PHYSICS.md V17.  Specular reflection keeps the density
 * uniform up to the wall.  Box [0,1]^3 um with reflecting faces, D = 1
 * um^2/s, dt = 1e-3 s, uniform start, 1500 steps; the fraction of vesicles
 * within one rms step w = sqrt(2 D dt) of a face, divided by its uniform
 * value w, must be 1.
 *
 * Sample: N = 1e5 vesicles x 6 faces x 6 snapshots 100 steps apart
 * (the layer's occupancy decorrelates in w^2/D = 2 steps), so the
 * ratio's standard error is sqrt((1 - w)/(36 N w)) = 0.0024.  Allowed
 * bias B = 0.01: specular reflection of Euler steps gives 0.991, not 1
 * (PHYSICS.md V17, [C]).  Re-sampling invalid steps gives 0.694 and would
 * fail by far.
 */
#include <math.h>

#include "exo_test_sim.h"
#include "shared/exo_physics.h"

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    double eta = exo_test_unit_viscosity(); /* D = 1 um^2/s */
    char text[2048];
    snprintf(text, sizeof text,
             "seed = 17;\n"
             "simulation = { dt = \"1 ms\"; steps = 1500; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "vesicles = ( { count = 100000; radius = 0.05; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 1.0];\n"
             "             faces = [\"reflect\", \"reflect\", \"reflect\"]; }; };\n"
             "output = { file = \"\"; };\n", eta);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    const double w = sqrt(2 * 1.0 * 1e-3);
    double layer = 0, samples = 0;
    size_t outside = 0;
    exo_test_advance(sim, 1000);
    for (int snap = 0; snap < 6; snap++) {
        if (snap > 0)
            exo_test_advance(sim, 100);
        exo_test_state s = exo_test_read(sim);
        for (size_t i = 0; i < s.n; i++)
            for (int ax = 0; ax < 3; ax++) {
                float x = s.pos[ax * s.n + i];
                outside += x < 0.0f || x > 1.0f;
                layer += (x < w) + (x > 1.0 - w);
            }
        samples += 6.0 * s.n;
        exo_test_state_free(&s);
    }
    EXO_TEST_EQ_INT(exo_sim_step(sim), 1500, "steps taken");
    EXO_TEST_EQ_INT(outside, 0, "coordinates outside the box");
    double ratio = layer / samples / w;
    double se = sqrt((1 - w) / (samples * w));
    EXO_TEST_NEAR(ratio, 1.0, 4 * se + 0.01, "V17 first-layer density / uniform");
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
    return exo_test_finish("test_reflection");
}
