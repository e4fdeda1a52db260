/*
 * test_h5: write an output file with exo_h5 and read it back with the plain
 * HDF5 API: the H5MD layout, every value written, the per-frame virtual
 * views, the XDMF sidecar's text, and the failure paths (missing folder,
 * N = 0, frames out of order).
 *
 * With EXO_TEST_KEEP=1 the temporary folder is kept and its path printed,
 * so tests/tools/check_xdmf.py can be run on OUT/out.xdmf.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "exo_error.h"
#include "exo_h5.h"
#include "exo_test.h"

#define N 7         /* vesicles */
#define T 3         /* frames   */
#define N_OBS 2
#define OBS_ROWS 4

static const char *const obs_names[N_OBS] = {"free", "bound"};
static const char *const pop_names[2] = {"small", "large"};
static const char scenario_text[] = "# test scenario\nintegrator = { dt = \"1 ns\"; };\n";

static int64_t ids[N];
static float radius[N];
static int32_t population[N];

/* Known values of frame k. */
static float pos_value(int k, int i, int c) { return (float)(k * 100 + i * 10 + c) + 0.25f; }
static int32_t image_value(int k, int i, int c) { return k - i + c; }
static int8_t state_value(int k, int i) { return (int8_t)((k + i) % 3); }
static int64_t step_of(int k) { return 100 * (int64_t)k + 5; }
static double time_of(int k) { return (double)step_of(k) * 1e-9; }

static exo_h5_layout make_layout(const char *path, int compression)
{
    exo_h5_layout l;
    memset(&l, 0, sizeof l);
    for (int i = 0; i < N; i++) {
        ids[i] = 1000 + i;
        radius[i] = 50.0f + (float)i;
        population[i] = i % 2;
    }
    l.path = path;
    l.n = N;
    l.id = ids;
    l.radius_nm = radius;
    l.population = population;
    l.population_names = pop_names;
    l.n_populations = 2;
    for (int a = 0; a < 3; a++) {
        l.box_lower_nm[a] = -500.0 * (a + 1);
        l.box_edges_nm[a] = 1000.0 * (a + 1);
    }
    l.periodic[0] = 1;
    l.write_position = l.write_state = l.write_image = 1;
    l.compression = compression;
    l.observable_names = obs_names;
    l.n_observables = N_OBS;
    l.scenario_text = scenario_text;
    l.derived_text = "D = 4.3 um^2/s\n";
    l.scenario_name = "test";
    l.device_name = "none";
    l.seed = UINT64_C(0xfedcba9876543210);
    l.dt_s = 1e-9;
    return l;
}

/* Write T frames and OBS_ROWS observable rows; close with @p complete. */
static int write_file(const char *path, int compression, int n_frames,
                      int complete)
{
    exo_error err = {0};
    exo_h5 *h = NULL;
    exo_h5_layout l = make_layout(path, compression);
    float pos[N * 3];
    int32_t image[N * 3];
    int8_t state[N];

    exo_status rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_TRUE(rc == EXO_OK, "create %s: %s (%s)", path, err.msg, err.where);
    if (rc != EXO_OK)
        return -1;
    for (int k = 0; k < n_frames; k++) {
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < 3; c++) {
                pos[3 * i + c] = pos_value(k, i, c);
                image[3 * i + c] = image_value(k, i, c);
            }
            state[i] = state_value(k, i);
        }
        rc = exo_h5_write_frame(h, step_of(k), time_of(k), pos, image, state, NULL,
                                &err);
        EXO_TEST_TRUE(rc == EXO_OK, "frame %d: %s (%s)", k, err.msg, err.where);
    }
    EXO_TEST_EQ_INT(exo_h5_frames(h), n_frames, "exo_h5_frames");
    for (int r = 0; r < OBS_ROWS; r++) {
        int64_t v[N_OBS] = {10 * r, 10 * r + 1};
        rc = exo_h5_write_observables(h, 50 * r, 50e-9 * r, v, &err);
        EXO_TEST_TRUE(rc == EXO_OK, "observables %d: %s", r, err.msg);
    }
    rc = exo_h5_close(h, complete, &err);
    EXO_TEST_TRUE(rc == EXO_OK, "close: %s (%s)", err.msg, err.where);
    EXO_TEST_EQ_INT(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0,
                    "HDF5 ids left open after exo_h5_close");
    return rc == EXO_OK ? 0 : -1;
}

/* ---------------------------------------------------------- read helpers */

/* exo_h5 writes variable-length UTF-8 strings; HDF5 converts no character
 * sets, so the memory type must say UTF-8 too. */
static hid_t utf8_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Shape of dataset @p path; returns its rank, or -1. */
static int shape_of(hid_t f, const char *path, hsize_t *dims)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t s = H5Dget_space(d);
    int rank = H5Sget_simple_extent_dims(s, dims, NULL);
    H5Sclose(s);
    H5Dclose(d);
    return rank;
}

static void check_shape(hid_t f, const char *path, int rank, hsize_t d0,
                        hsize_t d1, hsize_t d2)
{
    hsize_t dims[3] = {0, 0, 0}, want[3] = {d0, d1, d2};
    int r = shape_of(f, path, dims);
    EXO_TEST_TRUE(r == rank, "%s: rank %d, expected %d", path, r, rank);
    for (int i = 0; i < rank; i++)
        EXO_TEST_TRUE(dims[i] == want[i], "%s: dim %d is %llu, expected %llu",
                      path, i, (unsigned long long)dims[i],
                      (unsigned long long)want[i]);
}

static int read_all(hid_t f, const char *path, hid_t mem_type, void *buf)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    EXO_TEST_TRUE(d >= 0, "cannot open %s", path);
    if (d < 0)
        return -1;
    herr_t r = H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    EXO_TEST_TRUE(r >= 0, "cannot read %s", path);
    H5Dclose(d);
    return r < 0 ? -1 : 0;
}

/* Variable-length string attribute @p name of object @p obj, into @p out. */
static void read_str_attr(hid_t f, const char *obj, const char *name,
                          char *out, size_t size)
{
    out[0] = '\0';
    hid_t a = H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    EXO_TEST_TRUE(a >= 0, "no attribute %s of %s", name, obj);
    if (a < 0)
        return;
    hid_t ft = H5Aget_type(a);
    EXO_TEST_TRUE(H5Tis_variable_str(ft) > 0, "%s@%s is not a vlen string",
                  obj, name);
    hid_t t = utf8_type();
    char *s = NULL;
    if (H5Aread(a, t, &s) >= 0 && s != NULL) {
        snprintf(out, size, "%s", s);
        H5free_memory(s);
    }
    H5Tclose(t);
    H5Tclose(ft);
    H5Aclose(a);
}

static void check_str_attr(hid_t f, const char *obj, const char *name,
                           const char *want)
{
    char got[256];
    read_str_attr(f, obj, name, got, sizeof got);
    EXO_TEST_TRUE(strcmp(got, want) == 0, "%s@%s is \"%s\", expected \"%s\"",
                  obj, name, got, want);
}

static void read_num_attr(hid_t f, const char *obj, const char *name,
                          hid_t mem_type, void *buf)
{
    hid_t a = H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    EXO_TEST_TRUE(a >= 0, "no attribute %s of %s", name, obj);
    if (a < 0)
        return;
    EXO_TEST_TRUE(H5Aread(a, mem_type, buf) >= 0, "reading %s@%s", obj, name);
    H5Aclose(a);
}

static void check_status(const char *path, const char *want)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    EXO_TEST_TRUE(f >= 0, "cannot reopen %s", path);
    if (f < 0)
        return;
    check_str_attr(f, "/h5md", "exobd_status", want);
    H5Fclose(f);
}

/* A time-dependent element: step and time of the T frames. */
static void check_step_time(hid_t f, const char *group)
{
    char path[128];
    int64_t step[T];
    double time[T];
    snprintf(path, sizeof path, "%s/step", group);
    check_shape(f, path, 1, T, 0, 0);
    read_all(f, path, H5T_NATIVE_INT64, step);
    snprintf(path, sizeof path, "%s/time", group);
    check_shape(f, path, 1, T, 0, 0);
    read_all(f, path, H5T_NATIVE_DOUBLE, time);
    check_str_attr(f, path, "unit", "s");
    for (int k = 0; k < T; k++) {
        EXO_TEST_EQ_INT(step[k], step_of(k), group);
        EXO_TEST_TRUE(time[k] == time_of(k), "%s/time[%d] = %.17g", group, k,
                      time[k]);
    }
}

/* ----------------------------------------------------------------- checks */

static void check_contents(const char *path, int compression)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    EXO_TEST_TRUE(f >= 0, "cannot reopen %s", path);
    if (f < 0)
        return;

    int32_t version[2] = {0, 0};
    read_num_attr(f, "/h5md", "version", H5T_NATIVE_INT32, version);
    EXO_TEST_TRUE(version[0] == 1 && version[1] == 1, "/h5md version %d.%d",
                  version[0], version[1]);
    check_str_attr(f, "/h5md", "exobd_status", "complete");
    check_str_attr(f, "/h5md/creator", "name", "exobd");
    check_str_attr(f, "/h5md/creator", "version", EXOBD_VERSION_STRING);
    char author[256];
    read_str_attr(f, "/h5md/author", "name", author, sizeof author);
    EXO_TEST_TRUE(author[0] != '\0', "/h5md/author@name is empty");

    /* box */
    int32_t dimension = 0;
    read_num_attr(f, "/particles/vesicles/box", "dimension", H5T_NATIVE_INT32,
                  &dimension);
    EXO_TEST_EQ_INT(dimension, 3, "box@dimension");
    {
        hid_t a = H5Aopen_by_name(f, "/particles/vesicles/box", "boundary",
                                  H5P_DEFAULT, H5P_DEFAULT);
        hid_t t = utf8_type();
        char *b[3] = {NULL, NULL, NULL};
        EXO_TEST_TRUE(a >= 0 && H5Aread(a, t, b) >= 0, "reading box@boundary");
        EXO_TEST_TRUE(b[0] && strcmp(b[0], "periodic") == 0 && b[1] &&
                          strcmp(b[1], "none") == 0 && b[2] &&
                          strcmp(b[2], "none") == 0,
                      "box@boundary = %s %s %s", b[0], b[1], b[2]);
        for (int i = 0; i < 3; i++)
            H5free_memory(b[i]);
        H5Tclose(t);
        if (a >= 0)
            H5Aclose(a);
    }
    double lower[3] = {0, 0, 0};
    read_num_attr(f, "/particles/vesicles/box", "exobd_lower",
                  H5T_NATIVE_DOUBLE, lower);
    EXO_TEST_NEAR(lower[2], -1500.0, 0, "box@exobd_lower[2]");
    check_shape(f, "/particles/vesicles/box/edges/value", 3, T, 3, 3);
    check_step_time(f, "/particles/vesicles/box/edges");
    float edges[T][3][3];
    read_all(f, "/particles/vesicles/box/edges/value", H5T_NATIVE_FLOAT, edges);
    for (int k = 0; k < T; k++)
        for (int a = 0; a < 3; a++)
            for (int c = 0; c < 3; c++)
                EXO_TEST_TRUE(edges[k][a][c] == (a == c ? 1000.0f * (a + 1) : 0.0f),
                              "edges[%d][%d][%d] = %g", k, a, c, edges[k][a][c]);
    check_str_attr(f, "/particles/vesicles/box/edges/value", "unit", "nm");

    /* time-dependent particle fields */
    check_shape(f, "/particles/vesicles/position/value", 3, T, N, 3);
    check_shape(f, "/particles/vesicles/image/value", 3, T, N, 3);
    check_shape(f, "/particles/vesicles/state/value", 2, T, N, 0);
    check_step_time(f, "/particles/vesicles/position");
    check_step_time(f, "/particles/vesicles/image");
    check_step_time(f, "/particles/vesicles/state");
    check_str_attr(f, "/particles/vesicles/position/value", "unit", "nm");

    float pos[T][N][3];
    int32_t image[T][N][3];
    int8_t state[T][N];
    read_all(f, "/particles/vesicles/position/value", H5T_NATIVE_FLOAT, pos);
    read_all(f, "/particles/vesicles/image/value", H5T_NATIVE_INT32, image);
    read_all(f, "/particles/vesicles/state/value", H5T_NATIVE_INT8, state);
    int bad_pos = 0, bad_image = 0, bad_state = 0;
    for (int k = 0; k < T; k++)
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < 3; c++) {
                bad_pos += pos[k][i][c] != pos_value(k, i, c);
                bad_image += image[k][i][c] != image_value(k, i, c);
            }
            bad_state += state[k][i] != state_value(k, i);
        }
    EXO_TEST_EQ_INT(bad_pos, 0, "position values differing");
    EXO_TEST_EQ_INT(bad_image, 0, "image values differing");
    EXO_TEST_EQ_INT(bad_state, 0, "state values differing");

    /* chunking and filters of position/value */
    {
        hid_t d = H5Dopen2(f, "/particles/vesicles/position/value", H5P_DEFAULT);
        hid_t p = H5Dget_create_plist(d);
        hsize_t chunk[3] = {0, 0, 0};
        EXO_TEST_EQ_INT(H5Pget_chunk(p, 3, chunk), 3, "position chunk rank");
        EXO_TEST_TRUE(chunk[0] == 1 && chunk[1] == N && chunk[2] == 3,
                      "position chunk {%llu,%llu,%llu}",
                      (unsigned long long)chunk[0],
                      (unsigned long long)chunk[1],
                      (unsigned long long)chunk[2]);
        EXO_TEST_EQ_INT(H5Pget_nfilters(p), compression ? 2 : 0,
                        "filters on position/value");
        H5Pclose(p);
        H5Dclose(d);
    }

    /* time-independent */
    int64_t id[N];
    float rad[N];
    int32_t pop[N];
    check_shape(f, "/particles/vesicles/id", 1, N, 0, 0);
    read_all(f, "/particles/vesicles/id", H5T_NATIVE_INT64, id);
    read_all(f, "/particles/vesicles/radius", H5T_NATIVE_FLOAT, rad);
    read_all(f, "/particles/vesicles/population", H5T_NATIVE_INT32, pop);
    for (int i = 0; i < N; i++) {
        EXO_TEST_EQ_INT(id[i], 1000 + i, "id");
        EXO_TEST_TRUE(rad[i] == 50.0f + (float)i, "radius[%d] = %g", i, rad[i]);
        EXO_TEST_EQ_INT(pop[i], i % 2, "population");
    }
    check_str_attr(f, "/particles/vesicles/radius", "unit", "nm");
    {
        hid_t a = H5Aopen_by_name(f, "/particles/vesicles/population", "names",
                                  H5P_DEFAULT, H5P_DEFAULT);
        hid_t t = utf8_type();
        char *names[2] = {NULL, NULL};
        EXO_TEST_TRUE(a >= 0 && H5Aread(a, t, names) >= 0,
                      "reading population@names");
        EXO_TEST_TRUE(names[0] && strcmp(names[0], "small") == 0 && names[1] &&
                          strcmp(names[1], "large") == 0,
                      "population@names = %s, %s", names[0], names[1]);
        H5free_memory(names[0]);
        H5free_memory(names[1]);
        H5Tclose(t);
        if (a >= 0)
            H5Aclose(a);
    }

    /* observables */
    for (int j = 0; j < N_OBS; j++) {
        char p[128];
        int64_t v[OBS_ROWS], st[OBS_ROWS];
        snprintf(p, sizeof p, "/observables/%s/value", obs_names[j]);
        check_shape(f, p, 1, OBS_ROWS, 0, 0);
        read_all(f, p, H5T_NATIVE_INT64, v);
        snprintf(p, sizeof p, "/observables/%s/step", obs_names[j]);
        read_all(f, p, H5T_NATIVE_INT64, st);
        for (int r = 0; r < OBS_ROWS; r++) {
            EXO_TEST_EQ_INT(v[r], 10 * r + j, "observable value");
            EXO_TEST_EQ_INT(st[r], 50 * r, "observable step");
        }
    }

    /* parameters */
    {
        hid_t d = H5Dopen2(f, "/parameters/exobd/scenario", H5P_DEFAULT);
        hid_t t = utf8_type();
        char *text = NULL;
        EXO_TEST_TRUE(d >= 0 && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                        &text) >= 0,
                      "reading /parameters/exobd/scenario");
        EXO_TEST_TRUE(text && strcmp(text, scenario_text) == 0,
                      "scenario text \"%s\"", text ? text : "(null)");
        H5free_memory(text);
        H5Tclose(t);
        if (d >= 0)
            H5Dclose(d);
        uint64_t seed = 0;
        double dt = 0;
        read_num_attr(f, "/parameters/exobd", "seed", H5T_NATIVE_UINT64, &seed);
        read_num_attr(f, "/parameters/exobd", "dt", H5T_NATIVE_DOUBLE, &dt);
        EXO_TEST_TRUE(seed == UINT64_C(0xfedcba9876543210), "seed %" PRIx64,
                      seed);
        EXO_TEST_TRUE(dt == 1e-9, "dt %g", dt);
        check_str_attr(f, "/parameters/exobd", "name", "test");
        check_str_attr(f, "/parameters/exobd", "device", "none");
    }

    /* XDMF helpers: iota and the per-frame virtual views */
    int32_t iota[N];
    check_shape(f, "/xdmf/iota", 1, N, 0, 0);
    read_all(f, "/xdmf/iota", H5T_NATIVE_INT32, iota);
    for (int i = 0; i < N; i++)
        EXO_TEST_EQ_INT(iota[i], i, "/xdmf/iota");
    for (int k = 0; k < T; k++) {
        char p[128];
        float vpos[N][3];
        int32_t vimage[N][3];
        int8_t vstate[N];
        snprintf(p, sizeof p, "/xdmf/frames/%06d/position", k);
        check_shape(f, p, 2, N, 3, 0);
        {
            hid_t d = H5Dopen2(f, p, H5P_DEFAULT);
            hid_t pl = d >= 0 ? H5Dget_create_plist(d) : -1;
            EXO_TEST_TRUE(pl >= 0 && H5Pget_layout(pl) == H5D_VIRTUAL,
                          "%s is not a virtual dataset", p);
            if (pl >= 0)
                H5Pclose(pl);
            if (d >= 0)
                H5Dclose(d);
        }
        read_all(f, p, H5T_NATIVE_FLOAT, vpos);
        EXO_TEST_TRUE(memcmp(vpos, pos[k], sizeof vpos) == 0,
                      "%s differs from position/value[%d]", p, k);
        snprintf(p, sizeof p, "/xdmf/frames/%06d/image", k);
        check_shape(f, p, 2, N, 3, 0);
        read_all(f, p, H5T_NATIVE_INT32, vimage);
        EXO_TEST_TRUE(memcmp(vimage, image[k], sizeof vimage) == 0,
                      "%s differs from image/value[%d]", p, k);
        snprintf(p, sizeof p, "/xdmf/frames/%06d/state", k);
        check_shape(f, p, 1, N, 0, 0);
        read_all(f, p, H5T_NATIVE_INT8, vstate);
        EXO_TEST_TRUE(memcmp(vstate, state[k], sizeof vstate) == 0,
                      "%s differs from state/value[%d]", p, k);
    }
    EXO_TEST_EQ_INT(H5Fclose(f), 0, "H5Fclose of the reopened file");
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    if (buf != NULL)
        buf[fread(buf, 1, (1 << 16) - 1, fp)] = '\0';
    fclose(fp);
    return buf;
}

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static void check_xdmf_text(const char *xdmf_path, int frames)
{
    char *text = slurp(xdmf_path);
    EXO_TEST_TRUE(text != NULL, "cannot read %s", xdmf_path);
    if (text == NULL)
        return;
    size_t len = strlen(text);
    const char *tail = "</Grid>\n </Domain>\n</Xdmf>\n";
    EXO_TEST_TRUE(len >= strlen(tail) &&
                      strcmp(text + len - strlen(tail), tail) == 0,
                  "%s does not end with the closing tags", xdmf_path);
    EXO_TEST_EQ_INT(count_of(text, "<Xdmf "), 1, "<Xdmf> elements");
    EXO_TEST_EQ_INT(count_of(text, "<Time Value="), frames, "<Time> elements");
    EXO_TEST_EQ_INT(count_of(text, "GridType=\"Uniform\""), frames, "frame grids");
    if (frames > 0) {
        EXO_TEST_CONTAINS(text, "out.h5:/xdmf/frames/000000/position");
        EXO_TEST_CONTAINS(text, "Dimensions=\"7 3\"");
        EXO_TEST_CONTAINS(text, "TopologyType=\"Polyvertex\" NumberOfElements=\"7\"");
        EXO_TEST_CONTAINS(text, "out.h5:/xdmf/iota");
        EXO_TEST_CONTAINS(text, "<Time Value=\"2.0500000000000002e-07\"/>");
    }
    free(text);
}

static void check_failures(const char *dir)
{
    char path[1100];
    exo_error err = {0};
    exo_h5 *h = (exo_h5 *)&err; /* must be reset to NULL on failure */

    snprintf(path, sizeof path, "%s/no/such/folder/out.h5", dir);
    exo_h5_layout l = make_layout(path, 0);
    exo_status rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_EQ_INT(rc, EXO_ERR_IO, "create in a missing folder");
    EXO_TEST_EQ_INT(err.status, EXO_ERR_IO, "err.status");
    EXO_TEST_TRUE(h == NULL, "*out not NULL after a failure");
    EXO_TEST_CONTAINS(err.msg, path);
    EXO_TEST_CONTAINS(err.msg, "cannot create");
    printf("missing folder: %s\n", err.msg);

    exo_error_clear(&err);
    snprintf(path, sizeof path, "%s/empty.h5", dir);
    l = make_layout(path, 0);
    l.n = 0;
    rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_EQ_INT(rc, EXO_ERR_INVALID, "create with N = 0");
    EXO_TEST_TRUE(access(path, F_OK) != 0, "%s was created for N = 0", path);

    /* the path is a folder: EXO_ERR_IO, and the folder is left alone */
    exo_error_clear(&err);
    l = make_layout(dir, 0);
    rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_EQ_INT(rc, EXO_ERR_IO, "create over a folder");
    EXO_TEST_CONTAINS(err.msg, "cannot create output file");
    EXO_TEST_CONTAINS(err.msg, "it is a folder");
    printf("path is a folder: %.300s...\n", err.msg);

    /* an HDF5 failure half-way through creation: everything is released,
     * the message names the object, the file and the call, and carries
     * HDF5's stack */
    exo_error_clear(&err);
    static const char *const twice[2] = {"free", "free"};
    snprintf(path, sizeof path, "%s/twice.h5", dir);
    l = make_layout(path, 0);
    l.observable_names = twice;
    rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_EQ_INT(rc, EXO_ERR_HDF5, "create with a repeated observable");
    EXO_TEST_CONTAINS(err.msg, "creating group /observables/free in");
    EXO_TEST_CONTAINS(err.msg, path);
    EXO_TEST_CONTAINS(err.msg, "H5Gcreate2(");
    EXO_TEST_CONTAINS(err.msg, "HDF5 #");
    EXO_TEST_CONTAINS(err.where, "exo_h5.c");
    EXO_TEST_EQ_INT(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0,
                    "HDF5 ids left open after a failed create");
    EXO_TEST_TRUE(h == NULL, "*out not NULL after a failure");
    printf("repeated observable: %.400s...\n", err.msg);
    /* a create that fails leaves no file at all (it is built as PATH.part) */
    char part[1200];
    snprintf(part, sizeof part, "%s.part", path);
    EXO_TEST_TRUE(access(path, F_OK) != 0 && access(part, F_OK) != 0,
                  "a failed create left %s or its .part", path);

    /* an observable name that is not a plain link name */
    exo_error_clear(&err);
    static const char *const nested[2] = {"free", "count/bound"};
    l.observable_names = nested;
    rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_EQ_INT(rc, EXO_ERR_INVALID, "observable name with '/'");

    /* a frame that does not follow the last one */
    exo_error_clear(&err);
    snprintf(path, sizeof path, "%s/order.h5", dir);
    l = make_layout(path, 0);
    rc = exo_h5_create(&h, &l, &err);
    EXO_TEST_TRUE(rc == EXO_OK, "create %s: %s", path, err.msg);
    if (rc == EXO_OK) {
        float pos[N * 3] = {0};
        int32_t image[N * 3] = {0};
        int8_t state[N] = {0};
        rc = exo_h5_write_frame(h, 10, 1e-8, pos, image, state, NULL, &err);
        EXO_TEST_TRUE(rc == EXO_OK, "frame: %s", err.msg);
        rc = exo_h5_write_frame(h, 10, 1e-8, pos, image, state, NULL, &err);
        EXO_TEST_EQ_INT(rc, EXO_ERR_INVALID, "repeated step");
        EXO_TEST_CONTAINS(err.msg, "does not follow");
        exo_error_clear(&err);
        EXO_TEST_EQ_INT(exo_h5_close(h, 0, &err), EXO_OK, "close");
    }
    EXO_TEST_EQ_INT(exo_h5_close(NULL, 1, &err), EXO_OK, "close(NULL)");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600], xdmf[600];
    snprintf(dir, sizeof dir, "%s/exobd_test_h5_XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    int keep = getenv("EXO_TEST_KEEP") && strcmp(getenv("EXO_TEST_KEEP"), "1") == 0;

    /* the full file, uncompressed */
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(xdmf, sizeof xdmf, "%s/out.xdmf", dir);
    if (write_file(path, 0, T, 1) == 0) {
        check_contents(path, 0);
        check_xdmf_text(xdmf, T);
    }

    /* compressed: identical values */
    snprintf(path, sizeof path, "%s/deflate.h5", dir);
    snprintf(xdmf, sizeof xdmf, "%s/deflate.xdmf", dir);
    if (write_file(path, 4, T, 1) == 0)
        check_contents(path, 4);

    /* closed early, no frames: "incomplete", and the sidecar still XML */
    snprintf(path, sizeof path, "%s/partial.h5", dir);
    snprintf(xdmf, sizeof xdmf, "%s/partial.xdmf", dir);
    if (write_file(path, 0, 0, 0) == 0) {
        check_status(path, "incomplete");
        check_xdmf_text(xdmf, 0);
    }

    check_failures(dir);

    if (keep) {
        printf("kept output in %s (out.xdmf, deflate.xdmf, partial.xdmf)\n", dir);
    } else {
        static const char *const files[] = {
            "out.h5", "out.xdmf", "deflate.h5", "deflate.xdmf", "partial.h5",
            "partial.xdmf", "order.h5", "order.xdmf", "twice.h5", "twice.xdmf"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, files[i]);
            unlink(path);
        }
        if (rmdir(dir) != 0)
            perror(dir);
    }
    return exo_test_finish("test_h5");
}
