/*
 * test_output: a run on the default device writes an H5MD file whose
 * contents equal the simulation's state: shapes, step and time arrays, the
 * last frame against the vesicles read back from the device (sampled,
 * converted to nm), ids and radii, observables that count every vesicle,
 * the per-frame virtual views, the completion status; and the XDMF sidecar
 * passes tests/tools/check_xdmf.py (when Debian's python3-h5py is there).
 */
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "exo_test_sim.h"

enum { N = 1000, M = 300, STEPS = 50, T = 4, R = 6 };

static void read_ds(hid_t f, const char *path, hid_t type, void *buf, hsize_t *dims,
                    int rank)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t got[4] = {0};
    int r = s >= 0 ? H5Sget_simple_extent_dims(s, got, NULL) : -1;
    EXO_TEST_EQ_INT(r, rank, path);
    for (int k = 0; k < rank; k++)
        EXO_TEST_EQ_INT(got[k], dims[k], path);
    if (d < 0 || r != rank || H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        EXO_TEST_TRUE(0, "cannot read %s", path);
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
}

int main(void)
{
    char dir[128];
    if (exo_test_temp_dir("exobd_test_output", dir, sizeof dir) != 0)
        return 1;
    char path[256], xdmf[256];
    snprintf(path, sizeof path, "%s/run.h5", dir);
    snprintf(xdmf, sizeof xdmf, "%s/run.xdmf", dir);

    exo_scenario *sc = exo_test_scenario(
        "seed = 3;\n"
        "simulation = { dt = \"100 us\"; steps = 50; };\n"
        "vesicles = ( { name = \"a\"; count = 600; radius = \"50 nm\"; },\n"
        "             { name = \"b\"; count = 400; radius = \"30 nm\"; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 1.0];\n"
        "             faces = [\"periodic\", \"reflect\", \"open\"]; }; };\n"
        "output = { every = 20; sample = 300; observables_every = 10;\n"
        "           fields = [\"position\", \"state\", \"image\"]; compression = 2; };\n");
    exo_test_state s = exo_test_run_to_file(sc, path, 0, NULL);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    EXO_TEST_TRUE(f >= 0, "cannot open %s", path);
    if (f < 0)
        return exo_test_finish("test_output");

    static float pos[T][M][3];
    static int32_t image[T][M][3];
    static int8_t state[T][M];
    int64_t step[T], id[M], obs_step[R], obs[R], exited[R];
    double time[T];
    float radius[M];
    hsize_t d3[3] = {T, M, 3}, d2[2] = {T, M}, dt[1] = {T}, dm[1] = {M}, dr[1] = {R};
    read_ds(f, "/particles/vesicles/position/value", H5T_NATIVE_FLOAT, pos, d3, 3);
    read_ds(f, "/particles/vesicles/image/value", H5T_NATIVE_INT32, image, d3, 3);
    read_ds(f, "/particles/vesicles/state/value", H5T_NATIVE_INT8, state, d2, 2);
    read_ds(f, "/particles/vesicles/position/step", H5T_NATIVE_INT64, step, dt, 1);
    read_ds(f, "/particles/vesicles/position/time", H5T_NATIVE_DOUBLE, time, dt, 1);
    read_ds(f, "/particles/vesicles/id", H5T_NATIVE_INT64, id, dm, 1);
    read_ds(f, "/particles/vesicles/radius", H5T_NATIVE_FLOAT, radius, dm, 1);
    read_ds(f, "/observables/free/step", H5T_NATIVE_INT64, obs_step, dr, 1);
    read_ds(f, "/observables/free/value", H5T_NATIVE_INT64, obs, dr, 1);
    read_ds(f, "/observables/exited/value", H5T_NATIVE_INT64, exited, dr, 1);

    const int64_t want_steps[T] = {0, 20, 40, 50};
    for (int k = 0; k < T; k++) {
        EXO_TEST_EQ_INT(step[k], want_steps[k], "frame step");
        EXO_TEST_NEAR(time[k], want_steps[k] * 1e-4, 1e-15, "frame time (s)");
    }
    for (int r = 0; r < R; r++) {
        EXO_TEST_EQ_INT(obs_step[r], 10 * r, "observable step");
        EXO_TEST_EQ_INT(obs[r] + exited[r], N, "free + exited in the observables");
    }
    EXO_TEST_TRUE(exited[R - 1] > 0, "no vesicle left through the open faces");

    /* The last frame is the state read back from the device. */
    size_t bad_pos = 0, bad_int = 0;
    for (int j = 0; j < M; j++) {
        size_t i = (size_t)j * N / M;
        EXO_TEST_EQ_INT(id[j], i, "sampled id");
        EXO_TEST_NEAR(radius[j], s.radius[i] * 1000.0f, 1e-3, "radius (nm)");
        for (int a = 0; a < 3; a++) {
            bad_pos += fabs(pos[T - 1][j][a] - s.pos[a * N + i] * 1000.0) > 1e-3;
            bad_int += image[T - 1][j][a] != s.image[a * N + i];
        }
        bad_int += state[T - 1][j] != s.state[i];
    }
    EXO_TEST_EQ_INT(bad_pos, 0, "last-frame positions differing from the device (> 1e-3 nm)");
    EXO_TEST_EQ_INT(bad_int, 0, "last-frame images/states differing from the device");

    /* The virtual view of frame 2 equals row 2. */
    static float view[M][3];
    hsize_t dv[2] = {M, 3};
    read_ds(f, "/xdmf/frames/000002/position", H5T_NATIVE_FLOAT, view, dv, 2);
    EXO_TEST_TRUE(memcmp(view, pos[2], sizeof view) == 0, "virtual view 2 differs from row 2");

    /* Status attribute. */
    hid_t g = H5Gopen2(f, "/h5md", H5P_DEFAULT);
    hid_t at = g >= 0 ? H5Aopen(g, "exobd_status", H5P_DEFAULT) : -1;
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, H5T_VARIABLE);
    H5Tset_cset(st, H5T_CSET_UTF8);
    char *status = NULL;
    if (at >= 0 && H5Aread(at, st, &status) >= 0) {
        EXO_TEST_CONTAINS(status, "complete");
        EXO_TEST_TRUE(strcmp(status, "complete") == 0, "status %s", status);
        H5free_memory(status);
    } else {
        EXO_TEST_TRUE(0, "cannot read /h5md@exobd_status");
    }
    H5Tclose(st);
    if (at >= 0) H5Aclose(at);
    if (g >= 0) H5Gclose(g);
    H5Fclose(f);

    /* The sidecar, checked by the independent Python checker. */
    if (system("/usr/bin/python3 -c 'import h5py' 2>/dev/null") == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/tools/check_xdmf.py %s",
                 EXO_SOURCE_DIR, xdmf);
        EXO_TEST_EQ_INT(system(cmd), 0, "check_xdmf.py on the sidecar");
    } else {
        printf("note: /usr/bin/python3 with h5py not found; XDMF checker skipped\n");
    }
    exo_test_state_free(&s);
    exo_scenario_destroy(sc);
    exo_test_remove_dir(dir);
    return exo_test_finish("test_output");
}
