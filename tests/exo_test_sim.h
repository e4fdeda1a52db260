/*
 * exo_test_sim: helpers for tests that run simulations.  A test that needs
 * an OpenCL device exits with 77 (skip) when no platform is installed; any
 * other failure is a test failure with the library's message.
 */
#ifndef EXO_TEST_SIM_H
#define EXO_TEST_SIM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exobd/exobd.h"
#include "exo_test.h"

/** Everything a test reads back from a simulation. */
typedef struct exo_test_state {
    size_t n;
    float *pos;       /* [3n] um, x block, y block, z block */
    int32_t *image;   /* [3n] */
    int8_t *state;    /* [n] */
    float *radius;    /* [n] um */
} exo_test_state;

static inline void exo_test_state_free(exo_test_state *s)
{
    free(s->pos);
    free(s->image);
    free(s->state);
    free(s->radius);
    memset(s, 0, sizeof *s);
}

static inline exo_scenario *exo_test_scenario(const char *text)
{
    exo_error err = {0};
    exo_scenario *sc = NULL;
    if (exo_scenario_load_text(&sc, text, "test.cfg", NULL, 0, &err) != EXO_OK) {
        fprintf(stderr, "test scenario rejected: %s\n", err.msg);
        exit(1);
    }
    return sc;
}

/** Vesicles per work-item for the simulations a test creates (0: the
 *  device's default). */
static uint32_t exo_test_vector_width;

/** Whether the simulations a test creates use --native-math. */
static int exo_test_native_math;

/** Read the options every simulation test accepts: --native-math. */
static inline void exo_test_options(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--native-math") == 0) {
            exo_test_native_math = 1;
            printf("(native math)\n");
        } else {
            fprintf(stderr, "unknown test option '%s'\n", argv[i]);
            exit(1);
        }
    }
}

/** Create a simulation; skips the test (exit 77) without an OpenCL platform. */
static inline exo_sim *exo_test_sim(const exo_scenario *sc, const char *device,
                             uint32_t steps_per_launch, size_t work_group)
{
    exo_error err = {0};
    exo_sim *sim = NULL;
    exo_run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.device = device;
    opt.output_path = "";
    opt.steps_per_launch = steps_per_launch;
    opt.work_group_size = work_group;
    opt.vector_width = exo_test_vector_width;
    opt.native_math = exo_test_native_math;
    if (exo_sim_create(&sim, sc, &opt, &err) != EXO_OK) {
        if (err.status == EXO_ERR_OPENCL && strstr(err.msg, "no OpenCL platform")) {
            fprintf(stderr, "skipping: %s\n", err.msg);
            exit(EXO_TEST_SKIP);
        }
        fprintf(stderr, "exo_sim_create(%s) failed: %s\n",
                device ? device : "default", err.msg);
        exit(1);
    }
    return sim;
}

static inline void exo_test_advance(exo_sim *sim, uint64_t steps)
{
    exo_error err = {0};
    if (exo_sim_advance(sim, steps, &err) != EXO_OK) {
        fprintf(stderr, "exo_sim_advance failed: %s\n", err.msg);
        exit(1);
    }
}

/** Vesicles per state (counts[EXO_STATE_COUNT]); any failure ends the test. */
static inline void exo_test_count_states(exo_sim *sim, uint64_t *counts)
{
    exo_error err = {0};
    if (exo_sim_count_states(sim, counts, &err) != EXO_OK) {
        fprintf(stderr, "exo_sim_count_states failed: %s\n", err.msg);
        exit(1);
    }
}

static inline exo_test_state exo_test_read(exo_sim *sim)
{
    exo_error err = {0};
    exo_test_state s;
    s.n = exo_sim_vesicle_count(sim);
    s.pos = malloc(3 * s.n * sizeof *s.pos);
    s.image = malloc(3 * s.n * sizeof *s.image);
    s.state = malloc(s.n * sizeof *s.state);
    s.radius = malloc(s.n * sizeof *s.radius);
    if (!s.pos || !s.image || !s.state || !s.radius ||
        exo_sim_read(sim, s.pos, s.image, s.state, s.radius, &err) != EXO_OK) {
        fprintf(stderr, "exo_sim_read failed: %s\n", err.msg);
        exit(1);
    }
    return s;
}

/** How far vesicle i is between two runs' states: the largest difference
 *  of its coordinates (um). */
static inline double exo_test_apart(const exo_test_state *a, const exo_test_state *b,
                                    size_t i)
{
    double d = 0;
    for (int k = 0; k < 3; k++) {
        double e = (double)a->pos[k * a->n + i] - (double)b->pos[k * b->n + i];
        d = d > (e < 0 ? -e : e) ? d : (e < 0 ? -e : e);
    }
    return d;
}

/** Run a scenario to its end on the default device, writing `path`, with
 *  room for `capacity` events per launch (0: the default); return the final
 *  state, and the event totals in totals[4] unless it is NULL.  Skips the
 *  test (exit 77) without an OpenCL platform. */
static inline exo_test_state exo_test_run_to_file(const exo_scenario *sc, const char *path,
                                                  uint32_t capacity, uint64_t *totals)
{
    exo_error err = {0};
    exo_sim *sim = NULL;
    exo_run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.output_path = path;
    opt.event_capacity = capacity;
    if (exo_sim_create(&sim, sc, &opt, &err) != EXO_OK) {
        if (strstr(err.msg, "no OpenCL platform")) {
            fprintf(stderr, "skipping: %s\n", err.msg);
            exit(EXO_TEST_SKIP);
        }
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    if (exo_sim_run(sim, &err) != EXO_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    exo_test_state s = exo_test_read(sim);
    if (totals)
        exo_sim_event_counts(sim, totals);
    exo_sim_destroy(sim, NULL);
    return s;
}

/** Run a scenario for `steps` on a device and read the state back. */
static inline exo_test_state exo_test_run(const exo_scenario *sc, const char *device,
                                   uint32_t k, size_t wg, uint64_t steps)
{
    exo_sim *sim = exo_test_sim(sc, device, k, wg);
    exo_test_advance(sim, steps);
    exo_test_state s = exo_test_read(sim);
    exo_sim_destroy(sim, NULL);
    return s;
}

/** Viscosity (Pa s) that gives D = 1 um^2/s to a vesicle of radius 50 nm
 *  at 310.15 K: the "nondim" units of PHYSICS.md's validation cases. */
static inline double exo_test_unit_viscosity(void)
{
    return 1.380649e-5 * 310.15 / (6 * M_PI * 0.05 * 1.0);
}

/** Remove a temporary folder and its contents (best effort). */
static inline void exo_test_remove_dir(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
}

#endif /* EXO_TEST_SIM_H */
