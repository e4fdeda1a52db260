/*
 * test_summary: `exobd summary` (host/exo_summary.c) on a file built with
 * the writer (host/exo_h5.c) from events whose summary is known by hand.
 *
 * Populations: P0 = ids 0..9 with cargo 2 leaking at 0.5 /s, P1 = ids
 * 10..19 with cargo 1 that does not leak.  Regions "a" (5 receptors/um^2)
 * and "t" (50 /um^2: the default target).  Events:
 *   binding          t = 0.1 id 1 in t, 0.2 id 2 in t, 0.3 id 3 in a,
 *                    0.4 id 11 in t, 0.5 id 1 in t (again)
 *   unbinding        t = 0.3 id 1 in t
 *   internalization  t = 0.6 id 11 in t, 1.0 id 2 in t, 2.0 id 1 in t
 * P0: captured 2 in t (ids 1, 2; id 1 twice counts once), 1 in a; dose in t
 * 2 e^-0.5 + 2 e^-1 = 1.948820; capture efficiency 2/3, target/off-target
 * 2; delivered dose all in t (efficiency 1), 1.948820 / 20 = 0.0974410 of
 * the injected.  P1: 1 captured and internalized in t, dose 1.
 * Dwell times 0.2 (id 1), 0.8 (id 2), 0.2 (id 11), 1.5 (id 1 again), id 3
 * still bound: mean 0.675, median 0.5, quartiles 0.2 and 0.975 s.
 * And: --target a turns the ratios around; --target nowhere and a file
 * that is not an output are bad input.  A second file adds crossings of a
 * vessel wall (a: 3 out and 1 back through pores; t: 2 transcytoses; 1 out
 * outside the regions) and the tissue's observables: the compartments
 * table shows them, net 2, 2 and 1.  A third file adds cells that bind:
 * types "tumour" (80 /um^2, now the default target) and "normal" (10); id 4
 * binds on a tumour cell beside region t at 0.3 s and is internalized at
 * 1.0 s (dose 2 e^-0.5 = 1.213061), id 5 binds on a normal cell at 0.4 s:
 * they count on their cells, not at the region beside them.  A fourth
 * file is a sweep (write_sweep_file): its per-combination table, with the
 * intervals worked out below, and its CSV.
 */
#include <math.h>
#include <unistd.h>

#include "exo_h5.h"
#include "exo_summary.h"
#include "exo_test.h"

/* What every constructed file has: one written vesicle, a 1-um box, the
 * surface "endo" and regions a (5 receptors/um^2) and t (50 /um^2), dt =
 * 0.1 s; the caller adds populations, observables and event kinds. */
static exo_h5_layout base_layout(const char *path)
{
    static int64_t id[1] = {0};
    static float radius[1] = {50};
    static int32_t population[1] = {0};
    static const char *surfaces[1] = {"endo"}, *regions[2] = {"a", "t"};
    static double density[2] = {5, 50};
    exo_h5_layout l;
    memset(&l, 0, sizeof l);
    l.path = path;
    l.n = 1;
    l.id = id;
    l.radius_nm = radius;
    l.population = population;
    l.box_edges_nm[0] = l.box_edges_nm[1] = l.box_edges_nm[2] = 1000;
    l.write_position = 1;
    l.surface_names = surfaces;
    l.n_surfaces = 1;
    l.region_names = regions;
    l.n_regions = 2;
    l.region_density = density;
    l.derived_text = "";
    l.device_name = "none";
    l.dt_s = 0.1;
    return l;
}

/* The constructed file; with `crossings`, also the crossings of a vessel
 * wall and the tissue's observables; with `cells`, events on cells. */
static void write_file(const char *path, int crossings, int cells)
{
    exo_error err = {0};
    const char *pop_names[2] = {"P0", "P1"};
    const char *obs_names[5] = {"free", "tissue_free", "a_tissue_free", "t_tissue_free",
                                "tumour_taken_up"};
    const char *kinds[4] = {"binding", "unbinding", "internalization", "crossing"};
    int64_t first[2] = {0, 10}, count[2] = {10, 10};
    double cargo[2] = {2, 1}, release[2] = {0.5, 0};
    exo_h5_layout l = base_layout(path);
    l.population_names = pop_names;
    l.n_populations = 2;
    l.observable_names = obs_names;
    l.n_observables = crossings ? 5 : 1;
    l.event_kinds = kinds;
    l.n_event_kinds = crossings ? 4 : 3;
    const char *types[2] = {"tumour", "normal"};
    double type_density[2] = {80, 10};
    if (cells) {
        l.cell_type_names = types;
        l.n_cell_types = 2;
        l.cell_type_density = type_density;
    }
    l.population_first = first;
    l.population_count = count;
    l.cargo_amount = cargo;
    l.cargo_release_rate = release;
    l.scenario_text = "name = \"constructed\";";
    l.scenario_name = "constructed";
    exo_h5 *h = NULL;
    int ok = exo_h5_create(&h, &l, &err) == EXO_OK;
    struct {
        int kind;
        double t;
        int64_t id;
        int32_t region;
    } ev[] = {{0, 0.1, 1, 1}, {0, 0.2, 2, 1}, {0, 0.3, 3, 0}, {0, 0.4, 11, 1},
              {0, 0.5, 1, 1}, {1, 0.3, 1, 1}, {2, 0.6, 11, 1}, {2, 1.0, 2, 1},
              {2, 2.0, 1, 1}};
    for (size_t i = 0; ok && i < sizeof ev / sizeof ev[0]; i++) {
        int64_t step = (int64_t)llround(ev[i].t / 0.1);
        float pos[3] = {0, 0, 0};
        int32_t surface = 0, patch = -1, bonds = ev[i].kind == 0;
        int8_t route = 0; /* EXO_ROUTE_NONE */
        int32_t cell = -1, cell_type = -1;
        ok = exo_h5_write_events(h, (uint32_t)ev[i].kind, 1, &step, &ev[i].t, &ev[i].id, pos,
                                 &surface, &ev[i].region, &patch, &bonds, &route, &cell,
                                 &cell_type, &err) == EXO_OK;
    }
    /* On cells: kind, time, id, cell, type (region t beside them). */
    const struct {
        int kind;
        double t;
        int64_t id;
        int32_t cell, type;
    } on[] = {{0, 0.3, 4, 7, 0}, {0, 0.4, 5, 2, 1}, {2, 1.0, 4, 7, 0}};
    for (size_t i = 0; ok && cells && i < sizeof on / sizeof on[0]; i++) {
        int64_t step = (int64_t)llround(on[i].t / 0.1);
        float pos[3] = {0, 0, 0};
        int32_t surface = 0, region = 1, patch = -1, bonds = on[i].kind == 0;
        int8_t route = 0;
        ok = exo_h5_write_events(h, (uint32_t)on[i].kind, 1, &step, &on[i].t, &on[i].id, pos,
                                 &surface, &region, &patch, &bonds, &route, &on[i].cell,
                                 &on[i].type, &err) == EXO_OK;
    }
    /* Crossings (a tissue beside the vessel): at region a three out through
     * pores and one back, at t two transcytoses (vesicles 15 and 16, never
     * bound in the table above, so the dwell times stay), one out outside
     * the regions. */
    struct {
        double t;
        int64_t id;
        int32_t region;
        int8_t route;
    } cr[] = {{0.1, 4, 0, 1}, {0.2, 5, 0, 1}, {0.3, 4, 0, 2}, {0.4, 6, 0, 1},
              {0.5, 15, 1, 3}, {0.6, 16, 1, 3}, {0.7, 7, -1, 1}};
    for (size_t i = 0; ok && crossings && i < sizeof cr / sizeof cr[0]; i++) {
        int64_t step = (int64_t)llround(cr[i].t / 0.1);
        float pos[3] = {0, 0, 0};
        int32_t surface = 0, patch = -1, bonds = 0, cell = -1, cell_type = -1;
        ok = exo_h5_write_events(h, 3, 1, &step, &cr[i].t, &cr[i].id, pos, &surface,
                                 &cr[i].region, &patch, &bonds, &cr[i].route, &cell,
                                 &cell_type, &err) == EXO_OK;
    }
    int64_t values[5] = {17, 5, 2, 3, 4};
    ok = ok && exo_h5_write_observables(h, 20, 2.0, values, &err) == EXO_OK;
    ok = exo_h5_close(h, 1, ok ? &err : NULL) == EXO_OK && ok;
    EXO_TEST_TRUE(ok, "writing the constructed file: %s", err.msg);
}

/* A sweep of one setting ("radius": 30 and 60 nm) with 2 replicates:
 * populations A0, A1 (combination 0) and B0, B1 (combination 1) of 10
 * vesicles each, cargo 1 that does not leak, regions a and t (the target).
 * Captured at t / at a, internalized at t (at time 0.5 s):
 *   A0: ids 0, 1 / 2; 0        A1: 10 / -; -
 *   B0: 20-23 / -; 20, 21      B1: 30-33 / 34; 30
 * Per population: captured at the target 0.2, 0.1, 0.4, 0.4; efficiency
 * 2/3, 1, 1, 0.8; delivered 0.1, 0, 0.2, 0.1.  Combination 1 captures
 * 0.4 and 0.4: Student's t gives [0.4, 0.4], the pooled Wilson interval of
 * 8 of 20 [0.2188, 0.6134], the wider is reported; combination 0's 0.2 and
 * 0.1 give 0.15 +- 12.706 x 0.05, clamped to [0, 0.7853]; delivered 0.05
 * [0, 0.6853] and 0.15 [0, 0.7853] (t only); efficiency 0.8333 and 0.9,
 * whose intervals reach both ends; target/off-target 3 and 8; every dwell
 * 0.4 s. */
static void write_sweep_file(const char *path)
{
    exo_error err = {0};
    const char *pop_names[4] = {"A_c0_r0", "A_c0_r1", "A_c1_r0", "A_c1_r1"};
    const char *obs_names[1] = {"free"};
    const char *kinds[3] = {"binding", "unbinding", "internalization"};
    const char *settings[1] = {"radius"};
    int64_t first[4] = {0, 10, 20, 30}, count[4] = {10, 10, 10, 10};
    int32_t combination[4] = {0, 0, 1, 1}, replicate[4] = {0, 1, 0, 1};
    double cargo[4] = {1, 1, 1, 1}, release[4] = {0, 0, 0, 0};
    double values[4] = {30, 30, 60, 60};
    exo_h5_layout l = base_layout(path);
    l.population_names = pop_names;
    l.n_populations = 4;
    l.observable_names = obs_names;
    l.n_observables = 1;
    l.event_kinds = kinds;
    l.n_event_kinds = 3;
    l.population_first = first;
    l.population_count = count;
    l.population_combination = combination;
    l.population_replicate = replicate;
    l.sweep_settings = settings;
    l.n_sweep_settings = 1;
    l.sweep_values = values;
    l.cargo_amount = cargo;
    l.cargo_release_rate = release;
    l.scenario_text = "name = \"swept\";";
    l.scenario_name = "swept";
    exo_h5 *h = NULL;
    int ok = exo_h5_create(&h, &l, &err) == EXO_OK;
    const struct {
        int kind;
        int64_t id;
        int32_t region;
    } ev[] = {{0, 0, 1},  {0, 1, 1},  {0, 2, 0},  {0, 10, 1}, {0, 20, 1}, {0, 21, 1},
              {0, 22, 1}, {0, 23, 1}, {0, 30, 1}, {0, 31, 1}, {0, 32, 1}, {0, 33, 1},
              {0, 34, 0}, {2, 0, 1},  {2, 20, 1}, {2, 21, 1}, {2, 30, 1}};
    for (size_t i = 0; ok && i < sizeof ev / sizeof ev[0]; i++) {
        int64_t step = ev[i].kind == 0 ? 1 : 5;
        double t = step * 0.1;
        float pos[3] = {0, 0, 0};
        int32_t surface = 0, patch = -1, bonds = 1, region = ev[i].region, cell = -1,
                type = -1;
        int8_t route = 0;
        ok = exo_h5_write_events(h, (uint32_t)ev[i].kind, 1, &step, &t, &ev[i].id, pos,
                                 &surface, &region, &patch, &bonds, &route, &cell, &type,
                                 &err) == EXO_OK;
    }
    int64_t values_obs[1] = {30};
    ok = ok && exo_h5_write_observables(h, 10, 1.0, values_obs, &err) == EXO_OK;
    ok = exo_h5_close(h, 1, ok ? &err : NULL) == EXO_OK && ok;
    EXO_TEST_TRUE(ok, "writing the constructed sweep file: %s", err.msg);
}

/* The summary's text and CSV for `target`. */
static void summarise(const char *path, const char *target, const char *csv, char *text,
                      size_t size, exo_status *status, exo_error *err)
{
    FILE *out = tmpfile();
    *status = exo_summary(path, target, out, csv, err);
    rewind(out);
    size_t n = fread(text, 1, size - 1, out);
    text[n] = '\0';
    fclose(out);
}

int main(void)
{
    char dir[128];
    if (exo_test_temp_dir("exobd_test_summary", dir, sizeof dir) != 0)
        return 1;
    char path[256], csv[256], text[8192];
    snprintf(path, sizeof path, "%s/run.h5", dir);
    snprintf(csv, sizeof csv, "%s/run.csv", dir);
    write_file(path, 0, 0);

    exo_error err = {0};
    exo_status st;
    summarise(path, NULL, csv, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary failed: %s", err.msg);
    printf("%s", text);
    EXO_TEST_CONTAINS(text, "target regions: t (the highest receptor density on its wall, 50");
    EXO_TEST_CONTAINS(text, "capture   target 2, off-target 1 vesicles: target/off-target 2; "
                            "targeting efficiency 0.6667 of the captured, 0.2 of the vesicles");
    EXO_TEST_CONTAINS(text, "delivery  target dose 1.94882, off-target 0: target/off-target inf;"
                            " targeting efficiency 1 of the delivered, 0.09744 of the injected");
    EXO_TEST_CONTAINS(text, "capture   target 1, off-target 0 vesicles");
    EXO_TEST_CONTAINS(text, "4 ended: mean 0.675 s, median 0.5 s, quartiles 0.2 and 0.975 s; "
                            "1 still bound at the end");
    EXO_TEST_CONTAINS(text, "population all: 20 vesicles, cargo injected 30");

    FILE *f = fopen(csv, "r");
    char line[512], all[4096] = "";
    while (f && fgets(line, sizeof line, f))
        strncat(all, line, sizeof all - strlen(all) - 1);
    if (f)
        fclose(f);
    EXO_TEST_CONTAINS(all, "population,region,target,vesicles,captured,bindings,unbindings,"
                           "internalized,dose\n");
    EXO_TEST_CONTAINS(all, "P0,t,1,10,2,3,1,2,1.94882");
    EXO_TEST_CONTAINS(all, "P0,a,0,10,1,1,0,0,0\n");
    EXO_TEST_CONTAINS(all, "P1,t,1,10,1,1,0,1,1\n");

    summarise(path, "a", NULL, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary --target a failed: %s", err.msg);
    EXO_TEST_CONTAINS(text, "target regions: a (given with --target)");
    EXO_TEST_CONTAINS(text, "capture   target 1, off-target 2 vesicles: target/off-target 0.5");

    memset(&err, 0, sizeof err);
    summarise(path, "nowhere", NULL, text, sizeof text, &st, &err);
    EXO_TEST_EQ_INT(exo_status_exit_code(st), 2, "--target nowhere: exit status");
    EXO_TEST_CONTAINS(err.msg, "--target nowhere: no region of that name");
    memset(&err, 0, sizeof err);
    summarise(csv, NULL, NULL, text, sizeof text, &st, &err);
    EXO_TEST_EQ_INT(exo_status_exit_code(st), 2, "a CSV file as input: exit status");
    EXO_TEST_CONTAINS(err.msg, "cannot open it as an HDF5 file");

    /* Compartments: the crossings per region and route, the net passage,
     * and the tissue's observables at the end. */
    char path2[256];
    snprintf(path2, sizeof path2, "%s/tissue.h5", dir);
    write_file(path2, 1, 0);
    summarise(path2, NULL, NULL, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary with crossings failed: %s", err.msg);
    printf("%s", text);
    /* The table's columns: region, pores out, back, transcytosis, net, held. */
    const char *rows[3][6] = {{"a", "3", "1", "0", "2", "2"},
                              {"t", "0", "0", "2", "2", "3"},
                              {"(outside regions)", "1", "0", "0", "1", "-"}};
    for (int r = 0; r < 3; r++) {
        char want[160];
        snprintf(want, sizeof want, "  %-20s %12s %12s %12s %14s %14s\n", rows[r][0],
                 rows[r][1], rows[r][2], rows[r][3], rows[r][4], rows[r][5]);
        EXO_TEST_CONTAINS(text, want);
    }
    EXO_TEST_CONTAINS(text, "the tissue holds 5 free vesicles at the end (net crossings 5)");
    EXO_TEST_CONTAINS(text, "taken up by tumour cells: 4");
    EXO_TEST_CONTAINS(text, "4 ended: mean 0.675 s, median 0.5 s");
    summarise(path, NULL, NULL, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(strstr(text, "compartments:") == NULL,
                  "no compartments table for a run without a tissue");

    /* Cells that bind: their own rows, the default target. */
    char path3[256];
    snprintf(path3, sizeof path3, "%s/cells.h5", dir);
    write_file(path3, 0, 1);
    summarise(path3, NULL, csv, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary with cells failed: %s", err.msg);
    printf("%s", text);
    EXO_TEST_CONTAINS(text, "target regions: cells:tumour (the highest receptor density on "
                            "its membrane, 80 /um^2)");
    EXO_TEST_CONTAINS(text, "  cells:tumour       *          1          1          0"
                            "            1      1.21306\n");
    EXO_TEST_CONTAINS(text, "capture   target 1, off-target 4 vesicles: target/off-target "
                            "0.25");
    f = fopen(csv, "r");
    all[0] = '\0';
    while (f && fgets(line, sizeof line, f))
        strncat(all, line, sizeof all - strlen(all) - 1);
    if (f)
        fclose(f);
    EXO_TEST_CONTAINS(all, "P0,t,0,10,2,3,1,2,1.94882"); /* the cells' events are not t's */
    EXO_TEST_CONTAINS(all, "P0,cells:tumour,1,10,1,1,0,1,1.213061");
    EXO_TEST_CONTAINS(all, "P0,cells:normal,0,10,1,1,0,0,0\n");
    summarise(path3, "cells:normal", NULL, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary --target cells:normal failed: %s", err.msg);
    EXO_TEST_CONTAINS(text, "target regions: cells:normal (given with --target)");

    /* A sweep: one row per combination, with intervals. */
    char path4[256], csv4[256], combos[256];
    snprintf(path4, sizeof path4, "%s/sweep.h5", dir);
    snprintf(csv4, sizeof csv4, "%s/sweep.csv", dir);
    snprintf(combos, sizeof combos, "%s/sweep.combinations.csv", dir);
    write_sweep_file(path4);
    summarise(path4, NULL, csv4, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary of a sweep failed: %s", err.msg);
    printf("%s", text);
    EXO_TEST_CONTAINS(text, "sweep: per combination");
    EXO_TEST_CONTAINS(text, "0.15 [0, 0.7853]");
    EXO_TEST_CONTAINS(text, "0.4 [0.2188, 0.6134]");
    EXO_TEST_CONTAINS(text, "0.8333 [0, 1]          3           0.05 [0, 0.6853]        0.4\n");
    EXO_TEST_CONTAINS(text, "0.9 [0, 1]          8           0.15 [0, 0.7853]        0.4\n");
    f = fopen(combos, "r");
    all[0] = '\0';
    while (f && fgets(line, sizeof line, f))
        strncat(all, line, sizeof all - strlen(all) - 1);
    if (f)
        fclose(f);
    EXO_TEST_CONTAINS(all, "combination,radius,replicates,vesicles,target_capture,");
    EXO_TEST_CONTAINS(all, "\n0,30,2,20,0.15");
    EXO_TEST_CONTAINS(all, "\n1,60,2,20,0.4");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    return exo_test_finish("test_summary");
}
