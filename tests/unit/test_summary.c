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

/* base_layout with 4 sweep populations of 10 vesicles (ids 0-39), cargo 1
 * that does not leak, the observable "free" and the three event kinds;
 * the caller's names, combinations, replicates, settings and values. */
static exo_h5_layout sweep_layout(const char *path, const char *const *pop_names,
                                  const int32_t *combination, const int32_t *replicate,
                                  const char *const *settings, uint32_t n_settings,
                                  const double *values, const char *name)
{
    static const char *obs_names[1] = {"free"};
    static const char *kinds[3] = {"binding", "unbinding", "internalization"};
    static const int64_t first[4] = {0, 10, 20, 30}, count[4] = {10, 10, 10, 10};
    static const double cargo[4] = {1, 1, 1, 1}, release[4] = {0, 0, 0, 0};
    static char text[64];
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
    l.n_sweep_settings = n_settings;
    l.sweep_values = values;
    l.cargo_amount = cargo;
    l.cargo_release_rate = release;
    snprintf(text, sizeof text, "name = \"%s\";", name);
    l.scenario_text = text;
    l.scenario_name = name;
    return l;
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
    const char *settings[1] = {"radius"};
    const int32_t combination[4] = {0, 0, 1, 1}, replicate[4] = {0, 1, 0, 1};
    const double values[4] = {30, 30, 60, 60};
    exo_h5_layout l = sweep_layout(path, pop_names, combination, replicate, settings, 1,
                                   values, "swept");
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

/* A 2 x 2 grid of a mean and a spread ("radius" 30, 60 nm by
 * "radius.sigma" 0.1, 0.3), one replicate, 10 vesicles per combination
 * whose captures at the target t are 1, 3, 5 and 7, each captured vesicle
 * 1.5 times the radius of the others in its population.  By hand: mean
 * 0.4, sum of squares 40 x 0.4 x 0.6 = 9.6; between combinations
 * 10 (0.3^2 + 0.1^2 + 0.1^2 + 0.3^2) = 2; radius's marginal means 0.2 and
 * 0.6 give 20 (0.2^2 + 0.2^2) = 1.6 (16.667% of all, 80% between), the
 * sigma's 0.3 and 0.5 give 0.4 (4.167%, 20%), no interaction (additive);
 * within the populations 10 (0.09 + 0.21 + 0.25 + 0.21) = 7.6, all of it
 * explained by each vesicle's own radius (79.167%), none left to chance. */
static const double grid_values[8] = {30, 0.1, 30, 0.3, 60, 0.1, 60, 0.3};

/* The same vesicles and captures at the 4 points of a Latin hypercube:
 * radius 30, 50, 40, 60 nm and sigma 0.1, 0.3, 0.4, 0.2.  Spearman's rho
 * of radius with the captures 1, 3, 5, 7 is 1 - 6 x 2 / 60 = 0.8 (64% of
 * the part between combinations, 2 of 9.6: 13.333% of all), of sigma
 * 1 - 6 x 6 / 60 = 0.4 (16%, 3.333%); 20% (4.167%) is left unexplained. */
static const double latin_values[8] = {30, 0.1, 50, 0.3, 40, 0.4, 60, 0.2};

static void write_spread_file(const char *path, const double *values)
{
    exo_error err = {0};
    enum { N = 40 };
    const char *pop_names[4] = {"S_c0_r0", "S_c1_r0", "S_c2_r0", "S_c3_r0"};
    const char *settings[2] = {"radius", "radius.sigma"};
    const int32_t combination[4] = {0, 1, 2, 3}, replicate[4] = {0, 0, 0, 0};
    const int hits[4] = {1, 3, 5, 7};
    static int64_t id[N];
    static float radius[N];
    static int32_t population[N];
    for (int i = 0; i < N; i++) {
        int k = i / 10;
        id[i] = i;
        population[i] = k;
        radius[i] = (float)(values[2 * k] * (i % 10 < hits[k] ? 1.5 : 1.0));
    }
    exo_h5_layout l = sweep_layout(path, pop_names, combination, replicate, settings, 2,
                                   values, "spread");
    l.n = N;
    l.id = id;
    l.radius_nm = radius;
    l.population = population;
    exo_h5 *h = NULL;
    int ok = exo_h5_create(&h, &l, &err) == EXO_OK;
    for (int i = 0; ok && i < N; i++) {
        if (i % 10 >= hits[i / 10])
            continue;
        int64_t step = 1, vid = i;
        double t = 0.1;
        float pos[3] = {0, 0, 0};
        int32_t surface = 0, patch = -1, bonds = 1, region = 1, cell = -1, type = -1;
        int8_t route = 0;
        ok = exo_h5_write_events(h, 0, 1, &step, &t, &vid, pos, &surface, &region, &patch,
                                 &bonds, &route, &cell, &type, &err) == EXO_OK;
    }
    int64_t values_obs[1] = {24};
    ok = ok && exo_h5_write_observables(h, 10, 1.0, values_obs, &err) == EXO_OK;
    ok = exo_h5_close(h, 1, ok ? &err : NULL) == EXO_OK && ok;
    EXO_TEST_TRUE(ok, "writing the constructed spread file: %s", err.msg);
}

/* The text of file @p path into @p buf ("" if it cannot be read). */
static void read_text(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t got = f ? fread(buf, 1, n - 1, f) : 0;
    buf[got] = '\0';
    if (f)
        fclose(f);
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

    char all[4096];
    read_text(csv, all, sizeof all);
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
    read_text(csv, all, sizeof all);
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
    read_text(combos, all, sizeof all);
    EXO_TEST_CONTAINS(all, "combination,radius,replicates,vesicles,target_capture,");
    EXO_TEST_CONTAINS(all, "\n0,30,2,20,0.15");
    EXO_TEST_CONTAINS(all, "\n1,60,2,20,0.4");
    /* Where the variation comes from, by hand (write_sweep_file): mean
     * 0.275 over 40, sum of squares 7.975; between combinations 0.625, all
     * of it radius's; replicates 0.05; chance 7.3. */
    EXO_TEST_CONTAINS(text, "about the mean 0.275, over 40 vesicles; a full grid");
    EXO_TEST_CONTAINS(text, "  radius                                       mean          "
                            "7.837%         100.0%\n");
    EXO_TEST_CONTAINS(text, "  replicates (populations of one combination)                "
                            "0.627%\n");
    EXO_TEST_CONTAINS(text, "  chance (Brownian paths, binding)                          "
                            "91.536%\n");

    /* A mean and a spread, each vesicle's radius in the file. */
    char path5[256], csv5[256], attr5[256];
    snprintf(path5, sizeof path5, "%s/spread.h5", dir);
    snprintf(csv5, sizeof csv5, "%s/spread.csv", dir);
    snprintf(attr5, sizeof attr5, "%s/spread.attribution.csv", dir);
    write_spread_file(path5, grid_values);
    summarise(path5, "t", csv5, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary of a mean-and-spread sweep failed: %s", err.msg);
    printf("%s", text);
    EXO_TEST_CONTAINS(text, "about the mean 0.4, over 40 vesicles; a full grid");
    EXO_TEST_CONTAINS(text, "  radius                                       mean         "
                            "16.667%          80.0%\n");
    EXO_TEST_CONTAINS(text, "  radius.sigma                                 spread        "
                            "4.167%          20.0%\n");
    EXO_TEST_CONTAINS(text, "  interactions of the settings                               "
                            "0.000%           0.0%\n");
    EXO_TEST_CONTAINS(text, "  own radius within a population                          "
                            "  79.167%\n");
    EXO_TEST_CONTAINS(text, "  chance (Brownian paths, binding)                        "
                            "   0.000%\n");
    EXO_TEST_CONTAINS(text, "swept means 16.667%, swept spreads 4.167% of all (80.0% and "
                            "20.0% of the variation between combinations)");
    read_text(attr5, all, sizeof all);
    EXO_TEST_CONTAINS(all, "source,kind,sum_of_squares,share_of_all,share_between_combinations\n");
    const struct {
        const char *row;
        double ss;
    } want_ss[] = {{"\nradius,mean,", 1.6},     {"\nradius.sigma,spread,", 0.4},
                   {"\ninteractions,,", 0},     {"\nreplicates,,", 0},
                   {"\nown_radius,,", 7.6},     {"\nchance,,", 0}};
    for (size_t q = 0; q < sizeof want_ss / sizeof want_ss[0]; q++) {
        const char *at = strstr(all, want_ss[q].row);
        double got = at ? strtod(at + strlen(want_ss[q].row), NULL) : NAN;
        /* radii are float32 in the file: their logs carry ~1e-7 */
        char what[96];
        snprintf(what, sizeof what, "attribution CSV: sum of squares of %s", want_ss[q].row + 1);
        EXO_TEST_NEAR(got, want_ss[q].ss, 1e-9, what);
    }

    /* The same at the points of a Latin hypercube: rank correlations. */
    write_spread_file(path5, latin_values);
    summarise(path5, "t", NULL, text, sizeof text, &st, &err);
    EXO_TEST_TRUE(st == EXO_OK, "summary of a Latin hypercube failed: %s", err.msg);
    printf("%s", text);
    EXO_TEST_CONTAINS(text, "not a full grid: each setting's share between combinations is "
                            "its squared rank correlation with their means");
    EXO_TEST_CONTAINS(text, "13.333%          64.0%   (rank correlation 0.800)\n");
    EXO_TEST_CONTAINS(text, "3.333%          16.0%   (rank correlation 0.400)\n");
    EXO_TEST_CONTAINS(text, "  between combinations, unexplained                          "
                            "4.167%          20.0%\n");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    return exo_test_finish("test_summary");
}
