/*
 * test_determinism: DESIGN.md section 3.  A run is bitwise reproducible for
 * a given seed on a given device, whatever the steps per launch K, the
 * work-group size, the vesicles per work-item (vector width), or how many
 * vesicles are simulated alongside; a different seed gives a different
 * trajectory.  3000 vesicles is not a multiple of 16: the padding of the
 * last work-item is exercised.
 */
#include "exo_test_sim.h"

static const char *scenario_fmt =
    "seed = %s;\n"
    "simulation = { dt = \"100 us\"; steps = 60; };\n"
    "medium = { flow = { velocity = [0.0, 3.0, 0.0]; }; };\n"
    "vesicles = ( { count = %d;\n"
    "               radius = { distribution = \"lognormal\"; median = \"50 nm\"; sigma = 0.3; }; } );\n"
    "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.5, 1.5, 1.5];\n"
    "             faces = [\"periodic\", \"reflect\", \"open\"]; }; };\n"
    "output = { file = \"\"; };\n";

static exo_scenario *make(const char *seed, int count)
{
    char text[2048];
    snprintf(text, sizeof text, scenario_fmt, seed, count);
    return exo_test_scenario(text);
}

/* Bitwise equality of the first n vesicles of a and b. */
static int same(const exo_test_state *a, const exo_test_state *b, size_t n)
{
    for (int k = 0; k < 3; k++)
        if (memcmp(a->pos + k * a->n, b->pos + k * b->n, n * sizeof(float)) ||
            memcmp(a->image + k * a->n, b->image + k * b->n, n * sizeof(int32_t)))
            return 0;
    return memcmp(a->state, b->state, n) == 0 && memcmp(a->radius, b->radius, n * 4) == 0;
}

int main(void)
{
    exo_scenario *sc = make("7", 3000);
    exo_test_state base = exo_test_run(sc, NULL, 0, 0, 60);

    /* Steps per launch and work-group sizes. */
    const uint32_t ks[] = {1, 7, 60};
    const size_t wgs[] = {1, 16, 64};
    for (int i = 0; i < 3; i++) {
        exo_test_state s = exo_test_run(sc, NULL, ks[i], wgs[i], 60);
        EXO_TEST_TRUE(same(&base, &s, base.n),
                      "K = %u, work-group %zu differs from the default launch", ks[i], wgs[i]);
        exo_test_state_free(&s);
    }
    /* Vesicles per work-item: the lanes run the same arithmetic. */
    const uint32_t widths[] = {1, 2, 4, 8, 16};
    for (int i = 0; i < 5; i++) {
        exo_test_vector_width = widths[i];
        exo_test_state s = exo_test_run(sc, NULL, 0, 0, 60);
        EXO_TEST_TRUE(same(&base, &s, base.n), "vector width %u differs from the default",
                      widths[i]);
        exo_test_state_free(&s);
    }
    exo_test_vector_width = 0;
    /* Advancing in pieces equals advancing at once. */
    {
        exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
        exo_test_advance(sim, 13);
        exo_test_advance(sim, 47);
        exo_test_state s = exo_test_read(sim);
        EXO_TEST_TRUE(same(&base, &s, base.n), "13 + 47 steps differ from 60 steps");
        exo_test_state_free(&s);
        exo_sim_destroy(sim, NULL);
    }
    /* Same seed, same result; a different seed, a different one. */
    {
        exo_test_state s = exo_test_run(sc, NULL, 0, 0, 60);
        EXO_TEST_TRUE(same(&base, &s, base.n), "a second run with the same seed differs");
        exo_test_state_free(&s);
        exo_scenario *other = make("8", 3000);
        s = exo_test_run(other, NULL, 0, 0, 60);
        EXO_TEST_TRUE(!same(&base, &s, base.n), "seed 8 gives the same trajectory as seed 7");
        exo_test_state_free(&s);
        exo_scenario_destroy(other);
    }
    /* Independent of how many vesicles are simulated alongside: the first
     * 1000 of a 3000-vesicle run equal a 1000-vesicle run. */
    {
        exo_scenario *small = make("7", 1000);
        exo_test_state s = exo_test_run(small, NULL, 0, 0, 60);
        EXO_TEST_TRUE(same(&base, &s, 1000), "1000 vesicles alone differ from the first "
                                             "1000 of 3000");
        exo_test_state_free(&s);
        exo_scenario_destroy(small);
    }
    /* The reference stepper is deterministic across K too. */
    {
        exo_test_state r1 = exo_test_run(sc, "cpu-reference", 1, 0, 60);
        exo_test_state r2 = exo_test_run(sc, "cpu-reference", 60, 0, 60);
        EXO_TEST_TRUE(same(&r1, &r2, r1.n), "cpu-reference: K = 1 and K = 60 differ");
        exo_test_state_free(&r1);
        exo_test_state_free(&r2);
    }
    exo_test_state_free(&base);
    exo_scenario_destroy(sc);
    return exo_test_finish("test_determinism");
}
