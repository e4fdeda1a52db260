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
 * that is not an output are bad input.
 */
#include <math.h>
#include <unistd.h>

#include "exo_h5.h"
#include "exo_summary.h"
#include "exo_test.h"

static void write_file(const char *path)
{
    exo_error err = {0};
    int64_t id[1] = {0};
    float radius[1] = {50};
    int32_t population[1] = {0};
    const char *pop_names[2] = {"P0", "P1"}, *obs_names[1] = {"free"};
    const char *kinds[3] = {"binding", "unbinding", "internalization"};
    const char *surfaces[1] = {"endo"}, *regions[2] = {"a", "t"};
    int64_t first[2] = {0, 10}, count[2] = {10, 10};
    double cargo[2] = {2, 1}, release[2] = {0.5, 0}, density[2] = {5, 50};
    exo_h5_layout l;
    memset(&l, 0, sizeof l);
    l.path = path;
    l.n = 1;
    l.id = id;
    l.radius_nm = radius;
    l.population = population;
    l.population_names = pop_names;
    l.n_populations = 2;
    l.box_edges_nm[0] = l.box_edges_nm[1] = l.box_edges_nm[2] = 1000;
    l.write_position = 1;
    l.observable_names = obs_names;
    l.n_observables = 1;
    l.event_kinds = kinds;
    l.n_event_kinds = 3;
    l.surface_names = surfaces;
    l.n_surfaces = 1;
    l.region_names = regions;
    l.n_regions = 2;
    l.region_density = density;
    l.population_first = first;
    l.population_count = count;
    l.cargo_amount = cargo;
    l.cargo_release_rate = release;
    l.scenario_text = "name = \"constructed\";";
    l.derived_text = "";
    l.scenario_name = "constructed";
    l.device_name = "none";
    l.dt_s = 0.1;
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
        ok = exo_h5_write_events(h, (uint32_t)ev[i].kind, 1, &step, &ev[i].t, &ev[i].id, pos,
                                 &surface, &ev[i].region, &patch, &bonds, &route,
                                 &err) == EXO_OK;
    }
    int64_t free_count = 17;
    ok = ok && exo_h5_write_observables(h, 20, 2.0, &free_count, &err) == EXO_OK;
    ok = exo_h5_close(h, 1, ok ? &err : NULL) == EXO_OK && ok;
    EXO_TEST_TRUE(ok, "writing the constructed file: %s", err.msg);
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
    char dir[] = "/tmp/exobd_test_summary_XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char path[256], csv[256], text[8192];
    snprintf(path, sizeof path, "%s/run.h5", dir);
    snprintf(csv, sizeof csv, "%s/run.csv", dir);
    write_file(path);

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

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    return exo_test_finish("test_summary");
}
