/*
 * test_events: /events/binding, /events/unbinding, /events/internalization
 * of a targeting run on the default device.
 *
 * - Each kind is sorted by (step, id); binding events hold 1 bond and sit
 *   on the receptor wall (r = R - a), unbinding events hold none, and every
 *   event names the receptor surface and its region.
 * - The events replay to the observables: at every observation step s,
 *   bindings - unbindings - internalizations up to s = bound(s), and
 *   internalizations up to s = internalized(s).
 * - Overflow: the same run with room for one event per launch (every launch
 *   overflows and is run again with more room) writes exactly the same
 *   events and ends in exactly the same state.
 * - exo_sim_event_counts agrees with the files.
 * - Two populations: their own observables add up to the totals, and the
 *   dose observables at the end equal the cargo of the internalization
 *   events, amount exp(-release t) summed (population a: 2 units leaking
 *   at 5 /s; b: 1 unit, no leak), in all, in the region and per population.
 */
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "exo_test_sim.h"

static const char *scenario =
    "seed = 31;\n"
    "simulation = { dt = \"20 us\"; steps = 3000; };\n"
    "medium = { viscosity = \"1.2 mPa s\"; };\n"
    "surfaces = ( { name = \"tumour\"; behaviour = \"bind\";\n"
    "               receptors = ( { type = \"avb3\"; density = \"300 /um^2\"; } );\n"
    "               internalization = { rate = \"20 /s\"; min_bonds = 2; }; } );\n"
    "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"0.5 um^2/s\";\n"
    "              k_off = \"60 /s\"; bond_length = \"10 nm\"; x_beta = \"0.5 nm\"; } );\n"
    "vesicles = ( { name = \"a\"; count = 2000; radius = \"50 nm\";\n"
    "               ligands = { type = \"RGD\"; count = { distribution = \"poisson\"; mean = 20.0; }; };\n"
    "               cargo = { amount = 2.0; release_rate = \"5 /s\"; };\n"
    "               start = { region = \"cap\"; }; },\n"
    "             { name = \"b\"; count = 1000; radius = \"40 nm\";\n"
    "               ligands = { type = \"RGD\"; count = 25; };\n"
    "               start = { region = \"cap\"; }; } );\n"
    "geometry = { vessels = ( { name = \"cap\"; radius = \"1 um\"; length = \"6 um\";\n"
    "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
    "             regions = ( { name = \"t\"; from = 2.0; to = 4.0; wall = \"tumour\"; } );\n"
    "             flow = { mean_velocity = \"500 um/s\"; }; } ); };\n"
    "output = { every = 1000; observables_every = 100; };\n";

enum { COLS = 8 };
static const char *const columns[COLS] = {"step", "time", "id", "position", "surface",
                                          "region", "patch", "bonds"};

/* One event kind read back: n rows of every column as double. */
typedef struct kind_data {
    size_t n;
    double *col[COLS];
} kind_data;

static double *read_column(hid_t f, const char *path, size_t *n, int width)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[2] = {0, 0};
    if (s < 0 || H5Sget_simple_extent_dims(s, dims, NULL) < 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    *n = dims[0];
    double *v = malloc((*n * width + 1) * sizeof *v);
    if (v == NULL || (*n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                        v) < 0)) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    H5Sclose(s);
    H5Dclose(d);
    return v;
}

static kind_data read_kind(hid_t f, const char *kind)
{
    kind_data k;
    for (int c = 0; c < COLS; c++) {
        char path[128];
        size_t n;
        snprintf(path, sizeof path, "/events/%s/%s", kind, columns[c]);
        k.col[c] = read_column(f, path, &n, c == 3 ? 3 : 1);
        if (c > 0 && n != k.n) {
            fprintf(stderr, "%s: %zu rows, %s has %zu\n", path, n, columns[0], k.n);
            exit(1);
        }
        k.n = n;
    }
    return k;
}

static void free_kind(kind_data *k)
{
    for (int c = 0; c < COLS; c++)
        free(k->col[c]);
}

int main(void)
{
    char dir[128];
    if (exo_test_temp_dir("exobd_test_events", dir, sizeof dir) != 0)
        return 1;
    char a_path[256], b_path[256];
    snprintf(a_path, sizeof a_path, "%s/a.h5", dir);
    snprintf(b_path, sizeof b_path, "%s/b.h5", dir);
    exo_scenario *sc = exo_test_scenario(scenario);
    uint64_t ta[4], tb[4];
    exo_test_state sa = exo_test_run_to_file(sc, a_path, 0, ta);
    exo_test_state sb = exo_test_run_to_file(sc, b_path, 1, tb);

    hid_t fa = H5Fopen(a_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t fb = H5Fopen(b_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    EXO_TEST_TRUE(fa >= 0 && fb >= 0, "cannot open the outputs in %s", dir);
    const char *kinds[3] = {"binding", "unbinding", "internalization"};
    kind_data ka[3], kb[3];
    for (int k = 0; k < 3; k++) {
        ka[k] = read_kind(fa, kinds[k]);
        kb[k] = read_kind(fb, kinds[k]);
        EXO_TEST_EQ_INT(ka[k].n, ta[k], kinds[k]);
        printf("%s: %zu events\n", kinds[k], ka[k].n);
    }
    EXO_TEST_TRUE(ka[0].n > 200 && ka[1].n > 100 && ka[2].n > 10,
                  "every kind exercised (%zu, %zu, %zu)", ka[0].n, ka[1].n, ka[2].n);

    /* sorted; where they happen; what they hold */
    const double R = 1.0, a = 0.05; /* population a; b has a = 0.04 */
    size_t unsorted = 0, off_wall = 0, wrong_bonds = 0, wrong_surface = 0, wrong_patch = 0;
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < ka[k].n; i++) {
            double *st = ka[k].col[0], *id = ka[k].col[2], *x = ka[k].col[3] + 3 * i;
            if (i > 0 && (st[i] < st[i - 1] || (st[i] == st[i - 1] && id[i] <= id[i - 1])))
                unsorted++;
            double r_nm = sqrt(x[0] * x[0] + x[1] * x[1]);
            double ra = id[i] >= 2000 ? 0.04 : a; /* population b is smaller */
            off_wall += fabs(r_nm - (R - ra) * 1000) > 1e-2;
            wrong_surface += ka[k].col[4][i] != 0 || ka[k].col[5][i] != 0;
            wrong_patch += ka[k].col[6][i] != 0;
            double b = ka[k].col[7][i];
            wrong_bonds += k == 0 ? b != 1 : (k == 1 ? b != 0 : b < 2);
        }
    EXO_TEST_EQ_INT(unsorted, 0, "events out of (step, id) order");
    EXO_TEST_EQ_INT(off_wall, 0, "events off the wall r = R - a (0.01 nm)");
    EXO_TEST_EQ_INT(wrong_surface, 0,
                    "events naming another surface than \"tumour\" or region than \"t\"");
    EXO_TEST_EQ_INT(wrong_patch, 0, "events naming another patch than the region's one");
    EXO_TEST_EQ_INT(wrong_bonds, 0, "events with the wrong bond count (1, 0, >= min_bonds)");

    /* replay to the observables */
    size_t rows, rows2, rows3;
    double *obs_step = read_column(fa, "/observables/bound/step", &rows, 1);
    double *bound = read_column(fa, "/observables/bound/value", &rows2, 1);
    double *taken = read_column(fa, "/observables/internalized/value", &rows3, 1);
    size_t mismatched = 0;
    for (size_t r = 0; r < rows; r++) {
        double n[3] = {0, 0, 0};
        for (int k = 0; k < 3; k++)
            for (size_t i = 0; i < ka[k].n; i++)
                n[k] += ka[k].col[0][i] < obs_step[r];
        mismatched += n[0] - n[1] - n[2] != bound[r] || n[2] != taken[r];
    }
    EXO_TEST_EQ_INT(rows, 31, "observation rows");
    EXO_TEST_EQ_INT(mismatched, 0, "observation rows where the events do not replay to bound "
                                   "and internalized");

    /* two populations, and the dose */
    double expected[2] = {0, 0};
    for (size_t i = 0; i < ka[2].n; i++) {
        int pop = ka[2].col[2][i] >= 2000;
        expected[pop] += pop ? 1.0 : 2.0 * exp(-5.0 * ka[2].col[1][i]);
    }
    const char *paths[5] = {"/observables/dose/value", "/observables/t_dose/value",
                            "/observables/a_dose/value", "/observables/b_dose/value",
                            "/observables/a_t_dose/value"};
    const double want[5] = {expected[0] + expected[1], expected[0] + expected[1], expected[0],
                            expected[1], expected[0]};
    for (int j = 0; j < 5; j++) {
        size_t nrow;
        double *v = read_column(fa, paths[j], &nrow, 1);
        EXO_TEST_NEAR(v[nrow - 1], want[j], 1e-9 * (1 + want[j]), paths[j]);
        free(v);
    }
    EXO_TEST_TRUE(expected[0] > 0 && expected[1] > 0, "both populations delivered cargo");
    size_t r1, r2;
    double *ab = read_column(fa, "/observables/a_bound/value", &r1, 1);
    double *bb = read_column(fa, "/observables/b_bound/value", &r2, 1);
    size_t sums = 0;
    for (size_t r = 0; r < rows && r < r1 && r < r2; r++)
        sums += ab[r] + bb[r] != bound[r];
    EXO_TEST_EQ_INT(sums, 0, "rows where a_bound + b_bound differ from bound");
    free(ab);
    free(bb);

    /* overflowing launches run again: the same events, the same state */
    size_t differ = 0;
    for (int k = 0; k < 3; k++) {
        EXO_TEST_EQ_INT(kb[k].n, ka[k].n, "events with room for one per launch");
        for (int c = 0; c < COLS && kb[k].n == ka[k].n; c++)
            differ += memcmp(ka[k].col[c], kb[k].col[c],
                             ka[k].n * (c == 3 ? 3 : 1) * sizeof(double)) != 0;
    }
    EXO_TEST_EQ_INT(differ, 0, "event columns that differ after overflow and rerun");
    EXO_TEST_TRUE(memcmp(sa.state, sb.state, sa.n) == 0 &&
                  memcmp(sa.pos, sb.pos, 3 * sa.n * sizeof *sa.pos) == 0,
                  "the final state after overflow and rerun is bitwise the same");

    for (int k = 0; k < 3; k++) {
        free_kind(&ka[k]);
        free_kind(&kb[k]);
    }
    free(obs_step);
    free(bound);
    free(taken);
    H5Fclose(fa);
    H5Fclose(fb);
    exo_test_state_free(&sa);
    exo_test_state_free(&sb);
    exo_scenario_destroy(sc);
    exo_test_remove_dir(dir);
    return exo_test_finish("test_events");
}
