/*
 * exo_summary: see exo_summary.h.  Reads an exobd output with HDF5 (the
 * writer is exo_h5.c; this module only reads) and counts, per population
 * and region: the vesicles captured (bound at least once there), bindings,
 * unbindings and internalizations, and the cargo delivered by the
 * internalized ones, amount exp(-release_rate t) at their uptake time t;
 * where a vessel has a tissue beside it, the crossings of its wall per
 * region and route and what the tissue holds at the end.
 */
#include "exo_summary.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exo_error.h"
#include "exo_scenario.h" /* exo_cargo_loading */

#define EXO_SUMMARY_MAX_NAMES 256

/* One event kind, the columns the summary uses. */
typedef struct events {
    size_t n;
    double *time;     /* s */
    int64_t *id;
    int32_t *region;  /* -1: outside every region */
    int32_t *cell_type; /* on a cell of this type, or -1 (NULL: no column,
                         files before cells bound) */
    int8_t *route;    /* crossings: EXO_ROUTE_* (1 pore out, 2 pore in,
                         3 transcytosis) */
} events;

typedef struct summary_in {
    char name[128];
    char status[32];
    double duration;                  /* s, the last observation */
    uint32_t n_pop, n_regions;
    char *pop_name[EXO_SUMMARY_MAX_NAMES], *region_name[EXO_SUMMARY_MAX_NAMES];
    int64_t first[EXO_SUMMARY_MAX_NAMES], count[EXO_SUMMARY_MAX_NAMES];
    double cargo[EXO_SUMMARY_MAX_NAMES], release[EXO_SUMMARY_MAX_NAMES];
    double cargo_sd[EXO_SUMMARY_MAX_NAMES]; /* 0 in files before cargo spread */
    uint64_t seed;
    double density[EXO_SUMMARY_MAX_NAMES];
    /* A sweep (absent: n_settings 0): each population's combination and
     * replicate, the swept settings and each population's values. */
    uint32_t n_settings;
    char *setting_name[8];
    int32_t combination[EXO_SUMMARY_MAX_NAMES], replicate[EXO_SUMMARY_MAX_NAMES];
    double sweep_value[EXO_SUMMARY_MAX_NAMES * 8];
    uint32_t n_types;                 /* cell types (cells that bind)       */
    char *type_name[EXO_SUMMARY_MAX_NAMES];
    double type_density[EXO_SUMMARY_MAX_NAMES];
    /* A run of a sweep.sequence (n_sequence 0: none): its settings, this
     * run's values (libconfig text), which run of how many. */
    uint32_t n_sequence, n_seq_values;
    char *sequence_setting[4], *sequence_value[4];
    int64_t sequence_run, sequence_runs;
    float *radius;                    /* [n_radius] nm, /particles/vesicles/radius */
    size_t n_radius;
    events ev[3];                     /* binding, unbinding, internalization */
    events cross;                     /* crossing (n = 0 without a tissue) */
    /* The last row of the tissue's observables (has_tissue): tissue_free,
     * <region>_tissue_free, <type>_taken_up. */
    int has_tissue;
    int64_t tissue_free, region_tissue[EXO_SUMMARY_MAX_NAMES];
    uint32_t n_taken;
    char taken_name[16][96];
    int64_t taken[16];
} summary_in;

/* ------------------------------------------------------------ reading */

/* A string attribute of at most @p max strings into out[]. */
static int read_attr_strings(hid_t obj, const char *name, char **out, uint32_t max,
                             uint32_t *n)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t space = H5Aget_space(a), type = H5Tcopy(H5T_C_S1);
    hssize_t len = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    int rc = -1;
    if (len >= 0 && len <= (hssize_t)max && H5Tset_size(type, H5T_VARIABLE) >= 0 &&
        H5Tset_cset(type, H5T_CSET_UTF8) >= 0 && H5Aread(a, type, out) >= 0) {
        *n = (uint32_t)len;
        rc = 0;
    }
    H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    H5Aclose(a);
    return rc;
}

static int read_attr(hid_t obj, const char *name, hid_t mem, void *buf, uint32_t n)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t space = H5Aget_space(a);
    hssize_t len = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    int rc = len == (hssize_t)n && H5Aread(a, mem, buf) >= 0 ? 0 : -1;
    if (space >= 0)
        H5Sclose(space);
    H5Aclose(a);
    return rc;
}

static int read_attr_string(hid_t obj, const char *name, char *buf, size_t size)
{
    char *v[1] = {NULL};
    uint32_t n = 0;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t type = H5Tcopy(H5T_C_S1);
    int rc = H5Tset_size(type, H5T_VARIABLE) >= 0 && H5Tset_cset(type, H5T_CSET_UTF8) >= 0 &&
                     H5Aread(a, type, v) >= 0
                 ? 0
                 : -1;
    (void)n;
    if (rc == 0 && v[0])
        snprintf(buf, size, "%s", v[0]);
    H5free_memory(v[0]);
    H5Tclose(type);
    H5Aclose(a);
    return rc;
}

/* A 1-D dataset of any length, read as mem into a new array (*n rows). */
static void *read_column(hid_t f, const char *path, hid_t mem, size_t elem, size_t *n)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return NULL;
    hid_t s = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    void *buf = NULL;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == 1 &&
        H5Sget_simple_extent_dims(s, dims, NULL) >= 0) {
        buf = malloc((size_t)dims[0] * elem + 1);
        if (buf && dims[0] > 0 && H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        }
        *n = (size_t)dims[0];
    }
    if (s >= 0)
        H5Sclose(s);
    H5Dclose(d);
    return buf;
}

/* The last value of /observables/<name>/value into *v; 0 if it has none. */
static int last_value(hid_t f, const char *name, int64_t *v)
{
    char p[160];
    size_t n = 0;
    snprintf(p, sizeof p, "/observables/%s/value", name);
    int64_t *col = H5Lexists(f, "/observables", H5P_DEFAULT) > 0 &&
                           H5Lexists(f, p, H5P_DEFAULT) > 0
                       ? read_column(f, p, H5T_NATIVE_INT64, sizeof(int64_t), &n)
                       : NULL;
    int ok = col && n > 0;
    if (ok)
        *v = col[n - 1];
    free(col);
    return ok;
}

/* What the tissue beside a vessel holds at the end (its observables). */
static exo_status read_tissue(hid_t f, const char *path, summary_in *in, exo_error *err)
{
    exo_status rc = EXO_OK;
    in->has_tissue = last_value(f, "tissue_free", &in->tissue_free);
    for (uint32_t r = 0; in->has_tissue && r < in->n_regions; r++) {
        char name[160];
        snprintf(name, sizeof name, "%s_tissue_free", in->region_name[r]);
        in->region_tissue[r] = -1;
        (void)last_value(f, name, &in->region_tissue[r]);
    }
    /* <type>_taken_up: the observables whose names end so. */
    hid_t g = H5Lexists(f, "/observables", H5P_DEFAULT) > 0
                  ? H5Gopen2(f, "/observables", H5P_DEFAULT)
                  : H5I_INVALID_HID;
    hsize_t n = 0;
    if (g >= 0 && H5Gget_num_objs(g, &n) >= 0)
        for (hsize_t i = 0; i < n && in->n_taken < 16; i++) {
            char name[96];
            ssize_t len = H5Gget_objname_by_idx(g, i, name, sizeof name);
            const char *suffix = "_taken_up";
            size_t ls = strlen(suffix);
            if (len > (ssize_t)ls && (size_t)len < sizeof name &&
                strcmp(name + len - (ssize_t)ls, suffix) == 0 &&
                last_value(f, name, &in->taken[in->n_taken])) {
                snprintf(in->taken_name[in->n_taken], sizeof in->taken_name[0], "%.*s",
                         (int)(len - (ssize_t)ls), name);
                in->n_taken++;
            }
        }
    if (g >= 0)
        H5Gclose(g);
    (void)path;
    (void)err;
    return rc;
}

static exo_status read_input(const char *path, summary_in *in, exo_error *err)
{
    exo_status rc = EXO_OK;
    static const char *const kinds[3] = {"binding", "unbinding", "internalization"};
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), par = -1, root = -1;
    EXO_CHECK(f >= 0, err, EXO_ERR_INVALID, "%s: cannot open it as an HDF5 file", path);
    root = H5Gopen2(f, "/h5md", H5P_DEFAULT);
    par = H5Gopen2(f, "/parameters/exobd", H5P_DEFAULT);
    EXO_CHECK(root >= 0 && par >= 0, err, EXO_ERR_INVALID,
              "%s: not an exobd output (no /h5md or /parameters/exobd)", path);
    if (read_attr_string(root, "exobd_status", in->status, sizeof in->status) != 0)
        snprintf(in->status, sizeof in->status, "unknown");
    if (read_attr_string(par, "name", in->name, sizeof in->name) != 0)
        snprintf(in->name, sizeof in->name, "?");
    EXO_CHECK(read_attr_strings(par, "population_names", in->pop_name, EXO_SUMMARY_MAX_NAMES,
                                &in->n_pop) == 0 &&
                  read_attr(par, "population_first", H5T_NATIVE_INT64, in->first, in->n_pop) == 0 &&
                  read_attr(par, "population_count", H5T_NATIVE_INT64, in->count, in->n_pop) == 0 &&
                  read_attr(par, "cargo_amount", H5T_NATIVE_DOUBLE, in->cargo, in->n_pop) == 0 &&
                  read_attr(par, "cargo_release_rate", H5T_NATIVE_DOUBLE, in->release,
                            in->n_pop) == 0,
              err, EXO_ERR_INVALID,
              "%s: no population table under /parameters/exobd (written by exobd 0.1 "
              "with targeting and later)", path);
    /* A cargo spread: each vesicle's loading from the seed, as the run. */
    if (H5Aexists(par, "cargo_sd") > 0)
        EXO_CHECK(read_attr(par, "cargo_sd", H5T_NATIVE_DOUBLE, in->cargo_sd, in->n_pop) == 0 &&
                      read_attr(par, "seed", H5T_NATIVE_UINT64, &in->seed, 1) == 0,
                  err, EXO_ERR_INVALID, "%s: cargo_sd without the seed", path);
    in->n_regions = 0;
    if (read_attr_strings(par, "region_names", in->region_name, EXO_SUMMARY_MAX_NAMES,
                          &in->n_regions) == 0)
        EXO_CHECK(read_attr(par, "region_receptor_density", H5T_NATIVE_DOUBLE, in->density,
                            in->n_regions) == 0,
                  err, EXO_ERR_INVALID, "%s: region names without receptor densities", path);
    if (H5Aexists(par, "sequence_settings") > 0)
        EXO_CHECK(read_attr_strings(par, "sequence_settings", in->sequence_setting, 4,
                                    &in->n_sequence) == 0 &&
                      read_attr_strings(par, "sequence_values", in->sequence_value, 4,
                                        &in->n_seq_values) == 0 &&
                      in->n_seq_values == in->n_sequence &&
                      read_attr(par, "sequence_run", H5T_NATIVE_INT64, &in->sequence_run, 1) ==
                          0 &&
                      read_attr(par, "sequence_runs", H5T_NATIVE_INT64, &in->sequence_runs,
                                1) == 0,
                  err, EXO_ERR_INVALID, "%s: an incomplete sequence record under "
                  "/parameters/exobd", path);
    in->n_settings = 0;
    if (H5Aexists(par, "sweep_settings") > 0) {
        EXO_CHECK(read_attr_strings(par, "sweep_settings", in->setting_name, 8, &in->n_settings) ==
                          0 &&
                      read_attr(par, "population_combination", H5T_NATIVE_INT32,
                                in->combination, in->n_pop) == 0 &&
                      read_attr(par, "population_replicate", H5T_NATIVE_INT32, in->replicate,
                                in->n_pop) == 0 &&
                      read_attr(par, "sweep_values", H5T_NATIVE_DOUBLE, in->sweep_value,
                                in->n_pop * in->n_settings) == 0,
                  err, EXO_ERR_INVALID, "%s: an incomplete sweep table under /parameters/exobd",
                  path);
        /* Each vesicle's radius, for the sweep's attribution (absent, or
         * sampled frames: NULL or another length, and the summary leaves
         * out what needs it). */
        in->radius = read_column(f, "/particles/vesicles/radius", H5T_NATIVE_FLOAT,
                                 sizeof *in->radius, &in->n_radius);
    } else if (in->n_sequence > 0) {
        /* a run of a sequence without a sweep in it: a row per population */
        for (uint32_t k = 0; k < in->n_pop; k++) {
            in->combination[k] = (int32_t)k;
            in->replicate[k] = 0;
        }
    }
    in->n_types = 0;
    if (read_attr_strings(par, "cell_type_names", in->type_name, EXO_SUMMARY_MAX_NAMES,
                          &in->n_types) == 0)
        EXO_CHECK(read_attr(par, "cell_type_receptor_density", H5T_NATIVE_DOUBLE,
                            in->type_density, in->n_types) == 0,
                  err, EXO_ERR_INVALID, "%s: cell type names without receptor densities", path);
    /* Without events there is nothing to summarise: say what the run holds. */
    EXO_CHECK(H5Lexists(f, "/events", H5P_DEFAULT) > 0, err, EXO_ERR_INVALID,
              "%s: no /events: exobd summary reports capture at receptor surfaces from the "
              "binding events, which this run did not record (output.events = true writes "
              "them where a surface binds); its counts per state (and, in a tissue, "
              "<type>_taken_up) are under /observables (tools/plot_observables.py plots "
              "them)", path);
    for (int k = 0; k < 3; k++) {
        char p[96];
        size_t n1 = 0, n2 = 0, n3 = 0;
        snprintf(p, sizeof p, "/events/%s/time", kinds[k]);
        in->ev[k].time = read_column(f, p, H5T_NATIVE_DOUBLE, sizeof(double), &n1);
        snprintf(p, sizeof p, "/events/%s/id", kinds[k]);
        in->ev[k].id = read_column(f, p, H5T_NATIVE_INT64, sizeof(int64_t), &n2);
        snprintf(p, sizeof p, "/events/%s/region", kinds[k]);
        in->ev[k].region = read_column(f, p, H5T_NATIVE_INT32, sizeof(int32_t), &n3);
        EXO_CHECK(in->ev[k].time && in->ev[k].id && in->ev[k].region && n1 == n2 &&
                      n2 == n3,
                  err, EXO_ERR_INVALID,
                  "%s: no complete /events/%s (run with output.events = true)", path,
                  kinds[k]);
        in->ev[k].n = n1;
        size_t n4 = 0;
        snprintf(p, sizeof p, "/events/%s/cell_type", kinds[k]);
        if (H5Lexists(f, p, H5P_DEFAULT) > 0) {
            in->ev[k].cell_type = read_column(f, p, H5T_NATIVE_INT32, sizeof(int32_t), &n4);
            EXO_CHECK(in->ev[k].cell_type && n4 == n1, err, EXO_ERR_INVALID,
                      "%s: /events/%s/cell_type is not complete", path, kinds[k]);
        }
    }
    if (H5Lexists(f, "/events/crossing", H5P_DEFAULT) > 0) {
        size_t n1 = 0, n2 = 0, n3 = 0, n4 = 0;
        in->cross.time = read_column(f, "/events/crossing/time", H5T_NATIVE_DOUBLE,
                                     sizeof(double), &n1);
        in->cross.id = read_column(f, "/events/crossing/id", H5T_NATIVE_INT64, sizeof(int64_t),
                                   &n2);
        in->cross.region = read_column(f, "/events/crossing/region", H5T_NATIVE_INT32,
                                       sizeof(int32_t), &n3);
        in->cross.route = read_column(f, "/events/crossing/route", H5T_NATIVE_INT8,
                                      sizeof(int8_t), &n4);
        EXO_CHECK(in->cross.time && in->cross.id && in->cross.region && in->cross.route &&
                      n1 == n2 && n2 == n3 && n3 == n4,
                  err, EXO_ERR_INVALID, "%s: /events/crossing is not complete", path);
        in->cross.n = n1;
    }
    size_t rows = 0;
    double *t = read_column(f, "/observables/free/time", H5T_NATIVE_DOUBLE, sizeof(double),
                            &rows);
    in->duration = t && rows ? t[rows - 1] : 0;
    free(t);
    EXO_TRY(read_tissue(f, path, in, err));
cleanup:
    if (par >= 0)
        H5Gclose(par);
    if (root >= 0)
        H5Gclose(root);
    if (f >= 0)
        H5Fclose(f);
    return rc;
}

static void free_input(summary_in *in)
{
    for (uint32_t k = 0; k < in->n_pop; k++)
        H5free_memory(in->pop_name[k]);
    for (uint32_t r = 0; r < in->n_regions; r++)
        H5free_memory(in->region_name[r]);
    for (uint32_t t = 0; t < in->n_types; t++)
        H5free_memory(in->type_name[t]);
    for (uint32_t j = 0; j < in->n_settings; j++)
        H5free_memory(in->setting_name[j]);
    for (uint32_t j = 0; j < in->n_sequence; j++)
        H5free_memory(in->sequence_setting[j]);
    for (uint32_t j = 0; j < in->n_seq_values; j++)
        H5free_memory(in->sequence_value[j]);
    for (int k = 0; k < 3; k++) {
        free(in->ev[k].time);
        free(in->ev[k].id);
        free(in->ev[k].region);
        free(in->ev[k].cell_type);
    }
    free(in->radius);
    free(in->cross.time);
    free(in->cross.id);
    free(in->cross.region);
    free(in->cross.route);
}

/* ------------------------------------------------------------ counting */

/* Per population and place (region 0..n_regions-1, then "outside"). */
typedef struct tally {
    double captured, bindings, unbindings, internalized, dose;
} tally;

/* The cargo population k's vesicles carry in all: count x amount, or with
 * a spread each vesicle's loading summed. */
static double injected_cargo(const summary_in *in, uint32_t k)
{
    if (!(in->cargo_sd[k] > 0))
        return (double)in->count[k] * in->cargo[k];
    double sum = 0;
    for (int64_t i = 0; i < in->count[k]; i++)
        sum += exo_cargo_loading(in->seed, (uint32_t)(in->first[k] + i), in->cargo[k],
                                 in->cargo_sd[k]);
    return sum;
}

static int population_of(const summary_in *in, int64_t id)
{
    for (uint32_t k = 0; k < in->n_pop; k++)
        if (id >= in->first[k] && id < in->first[k] + in->count[k])
            return (int)k;
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile of sorted v[0..n-1], linear between order statistics. */
static double quantile(const double *v, size_t n, double q)
{
    double at = q * (double)(n - 1);
    size_t i = (size_t)at;
    return i + 1 < n ? v[i] + (at - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

/* One event in a vesicle's sequence (dwell times). */
typedef struct seq_event {
    int64_t id;
    double time;
    int start;        /* 1: binding; 0: unbinding or uptake */
} seq_event;

static int cmp_seq(const void *a, const void *b)
{
    const seq_event *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->start - y->start; /* ends first */
}

static double ratio(double a, double b) { return b > 0 ? a / b : (a > 0 ? INFINITY : NAN); }

/* Crossings of the vessel wall per region (and outside regions) by route,
 * the net passage into the tissue, and what the tissue holds at the end. */
static void print_crossings(const summary_in *in, FILE *out)
{
    enum { OUT = 1, BACK = 2, TRANS = 3 };
    double by[EXO_SUMMARY_MAX_NAMES + 1][4];
    memset(by, 0, sizeof by);
    for (size_t i = 0; i < in->cross.n; i++) {
        int32_t r = in->cross.region[i];
        uint32_t pl = r >= 0 && (uint32_t)r < in->n_regions ? (uint32_t)r : in->n_regions;
        int route = in->cross.route[i];
        if (route >= OUT && route <= TRANS)
            by[pl][route]++;
    }
    fprintf(out, "\ncompartments: crossings of the vessel wall (paracellular through pores, "
                 "and transcytosis)\n");
    fprintf(out, "  %-20s %12s %12s %12s %14s %14s\n", "region", "pores out", "pores back",
            "transcytosis", "net to tissue", "tissue at end");
    double net_all = 0;
    for (uint32_t pl = 0; pl <= in->n_regions; pl++) {
        const char *rname = pl < in->n_regions ? in->region_name[pl] : "(outside regions)";
        double net = by[pl][OUT] - by[pl][BACK] + by[pl][TRANS];
        net_all += net;
        char held[32] = "-";
        if (in->has_tissue && pl < in->n_regions && in->region_tissue[pl] >= 0)
            snprintf(held, sizeof held, "%lld", (long long)in->region_tissue[pl]);
        fprintf(out, "  %-20s %12.0f %12.0f %12.0f %14.0f %14s\n", rname, by[pl][OUT],
                by[pl][BACK], by[pl][TRANS], net, held);
    }
    if (in->has_tissue)
        fprintf(out, "  the tissue holds %lld free vesicles at the end (net crossings %.0f)\n",
                (long long)in->tissue_free, net_all);
}

/* Two-sided 95% quantile of Student's t with df degrees of freedom. */
static double t975(uint32_t df)
{
    static const double t[] = {0,      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
                               2.306,  2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                               2.120,  2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
                               2.064,  2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    return df < sizeof t / sizeof t[0] ? t[df] : 1.96;
}

/* The 95% Wilson score interval of k successes in n trials. */
static void wilson(double k, double n, double *lo, double *hi)
{
    if (!(n > 0)) {
        *lo = *hi = NAN;
        return;
    }
    const double z = 1.959964;
    double p = k / n, d = 1 + z * z / n, c = (p + z * z / (2 * n)) / d;
    double h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
    *lo = fmax(0, c - h);
    *hi = fmin(1, c + h);
}

/* One metric over a combination's replicates: the mean and its 95%
 * interval: Student's t over the replicates, and for a fraction of
 * vesicles (`lo0`, `hi0`: the binomial interval of the pooled counts; NaN
 * otherwise) the wider of the two. */
typedef struct metric {
    double sum, sum2;
    uint32_t n;
} metric;

static void metric_add(metric *m, double v)
{
    if (isnan(v))
        return;
    m->sum += v;
    m->sum2 += v * v;
    m->n++;
}

static void metric_interval(const metric *m, double lo0, double hi0, double *mean, double *lo,
                            double *hi)
{
    *mean = m->n ? m->sum / m->n : NAN;
    *lo = lo0;
    *hi = hi0;
    if (m->n >= 2) {
        /* the wider of the two where both exist: replicates that agree by
         * chance do not make a fraction of few vesicles exact */
        double var = fmax(0, (m->sum2 - m->n * *mean * *mean) / (m->n - 1));
        double h = t975(m->n - 1) * sqrt(var / m->n);
        *lo = isnan(lo0) ? *mean - h : fmin(lo0, *mean - h);
        *hi = isnan(hi0) ? *mean + h : fmax(hi0, *mean + h);
    }
    /* every metric here is a fraction (NaN: no interval, one replicate) */
    if (!isnan(*lo))
        *lo = fmax(0, *lo);
    if (!isnan(*hi))
        *hi = fmin(1, *hi);
}

/* A libconfig value as a person reads it: a string without its quotes. */
static const char *unquote(const char *lit, char *buf, size_t n)
{
    size_t len = strlen(lit);
    if (len >= 2 && lit[0] == '"' && lit[len - 1] == '"') {
        snprintf(buf, n, "%.*s", (int)(len - 2), lit + 1);
        return buf;
    }
    return lit;
}

/* Per population: what the sweep table needs. */
typedef struct pop_result {
    double n, target, captured, dose, injected, dwell_sum, dwell_n;
} pop_result;

/* The sweep's table, one row per combination: its swept values; the
 * fraction of its vesicles captured at the target, the targeting efficiency
 * (target / all captured), target / off-target, the fraction of the
 * injected cargo delivered at the target, each a mean over the replicates
 * with a 95% interval, and the mean dwell time; as text and, with csv, as
 * CSV. */
static exo_status print_sweep(const summary_in *in, const pop_result *r, FILE *out,
                              const char *csv_path, exo_error *err)
{
    exo_status rc = EXO_OK;
    FILE *csv = NULL;
    int32_t nc = 0;
    for (uint32_t k = 0; k < in->n_pop; k++)
        nc = in->combination[k] + 1 > nc ? in->combination[k] + 1 : nc;
    if (csv_path) {
        csv = fopen(csv_path, "w");
        EXO_CHECK(csv != NULL, err, EXO_ERR_IO, "cannot create %s: %s", csv_path,
                  strerror(errno));
        fprintf(csv, "combination");
        for (uint32_t j = 0; j < in->n_settings; j++)
            fprintf(csv, ",%s", in->setting_name[j]);
        if (in->n_sequence > 0)
            fprintf(csv, ",run");
        for (uint32_t j = 0; j < in->n_sequence; j++)
            fprintf(csv, ",%s", in->sequence_setting[j]);
        fprintf(csv, ",replicates,vesicles,target_capture,target_capture_lo,target_capture_hi,"
                     "efficiency,efficiency_lo,efficiency_hi,target_off_target,"
                     "delivered,delivered_lo,delivered_hi,dwell_mean_s\n");
    }
    if (in->n_settings > 0)
        fprintf(out, "\nsweep: per combination (mean over its replicates; [95%% interval]: the "
                     "binomial (Wilson) interval of the pooled vesicles' fractions, widened to "
                     "Student's t over the replicates where there are several; the dose by t "
                     "alone)\n  %4s", "comb");
    else /* a run of a sequence alone: "combination" k is population k */
        fprintf(out, "\nsequence run %lld: per population (comb: its index; [95%% interval]: "
                     "the binomial (Wilson) interval)\n  %4s", (long long)in->sequence_run,
                "comb");
    for (uint32_t j = 0; j < in->n_settings; j++)
        fprintf(out, " %14s", in->setting_name[j]);
    fprintf(out, " %4s %9s %26s %26s %10s %26s %10s\n", "reps", "vesicles",
            "captured at target", "targeting efficiency", "tgt/off", "dose delivered",
            "dwell s");
    for (int32_t c = 0; c < nc; c++) {
        metric cap = {0}, eff = {0}, del = {0};
        double n = 0, tg = 0, all = 0, dwell = 0, dwell_n = 0;
        int32_t first = -1;
        for (uint32_t k = 0; k < in->n_pop; k++) {
            if (in->combination[k] != c)
                continue;
            first = first < 0 ? (int32_t)k : first;
            const pop_result *p = &r[k];
            metric_add(&cap, p->target / p->n);
            metric_add(&eff, p->captured > 0 ? p->target / p->captured : NAN);
            metric_add(&del, p->injected > 0 ? p->dose / p->injected : NAN);
            n += p->n;
            tg += p->target;
            all += p->captured;
            dwell += p->dwell_sum;
            dwell_n += p->dwell_n;
        }
        if (first < 0)
            continue;
        double m[3], lo[3], hi[3], blo, bhi;
        wilson(tg, n, &blo, &bhi);
        metric_interval(&cap, blo, bhi, &m[0], &lo[0], &hi[0]);
        wilson(tg, all, &blo, &bhi);
        metric_interval(&eff, blo, bhi, &m[1], &lo[1], &hi[1]);
        metric_interval(&del, NAN, NAN, &m[2], &lo[2], &hi[2]);
        double ratio_c = ratio(tg, all - tg), dw = dwell_n > 0 ? dwell / dwell_n : NAN;
        fprintf(out, "  %4d", c);
        for (uint32_t j = 0; j < in->n_settings; j++)
            fprintf(out, " %14.6g", in->sweep_value[(size_t)first * in->n_settings + j]);
        fprintf(out, " %4u %9.0f", cap.n, n);
        for (int q = 0; q < 3; q++) {
            char cell[64];
            snprintf(cell, sizeof cell, "%.4g [%.4g, %.4g]", m[q], lo[q], hi[q]);
            fprintf(out, " %26s", cell);
            if (q == 1)
                fprintf(out, " %10.4g", ratio_c);
        }
        fprintf(out, " %10.4g\n", dw);
        if (csv) {
            fprintf(csv, "%d", c);
            for (uint32_t j = 0; j < in->n_settings; j++)
                fprintf(csv, ",%.10g", in->sweep_value[(size_t)first * in->n_settings + j]);
            if (in->n_sequence > 0)
                fprintf(csv, ",%lld", (long long)in->sequence_run);
            for (uint32_t j = 0; j < in->n_sequence; j++) {
                char v[256];
                fprintf(csv, ",%s", unquote(in->sequence_value[j], v, sizeof v));
            }
            fprintf(csv, ",%u,%.0f", cap.n, n);
            for (int q = 0; q < 3; q++) {
                fprintf(csv, ",%.17g,%.17g,%.17g", m[q], lo[q], hi[q]);
                if (q == 1)
                    fprintf(csv, ",%.17g", ratio_c);
            }
            fprintf(csv, ",%.17g\n", dw);
        }
    }
cleanup:
    if (csv && fclose(csv) != 0 && rc == EXO_OK)
        rc = EXO_ERROR(err, EXO_ERR_IO, "cannot write %s: %s", csv_path, strerror(errno));
    return rc;
}

/* Whether sweep setting @p name is a spread (of size, ligand count or
 * cargo between vesicles) rather than a mean. */
static int is_spread(const char *name)
{
    return strcmp(name, "radius.sigma") == 0 || strcmp(name, "ligands.sd") == 0 ||
           strcmp(name, "cargo.sd") == 0;
}

/* Spearman's rank correlation of x and y (n values; ties get mean ranks). */
static double spearman(const double *x, const double *y, uint32_t n)
{
    double rx[EXO_SUMMARY_MAX_NAMES], ry[EXO_SUMMARY_MAX_NAMES];
    const double *v[2] = {x, y};
    double *r[2] = {rx, ry};
    for (int a = 0; a < 2; a++)
        for (uint32_t i = 0; i < n; i++) {
            double below = 0, equal = 0;
            for (uint32_t j = 0; j < n; j++) {
                below += v[a][j] < v[a][i];
                equal += v[a][j] == v[a][i];
            }
            r[a][i] = below + (equal + 1) / 2;
        }
    double mx = (n + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;
    for (uint32_t i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - mx);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - mx) * (ry[i] - mx);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

/* Whether combination @p c is present and the first present one with its
 * value of setting @p j (values_c: [combination][ns]). */
static int first_with_value(const double *value_c, const double *n_c, uint32_t ns,
                            uint32_t j, int32_t c)
{
    if (!(n_c[c] > 0))
        return 0;
    for (int32_t d = 0; d < c; d++)
        if (n_c[d] > 0 && value_c[(size_t)d * ns + j] == value_c[(size_t)c * ns + j])
            return 0;
    return 1;
}

/* Where the variation of the outcome "captured at the target" (each
 * vesicle's 0 or 1, @p hit) comes from: its sum of squares about the mean
 * over all vesicles, split into
 *   - between combinations: for a full grid each swept setting's main
 *     effect (the vesicle-weighted squares of its marginal means about the
 *     mean) and their interactions (the rest); for a Latin hypercube, whose
 *     values do not repeat, each setting's share of that part is its
 *     squared rank correlation with the combination means, and the rest
 *     is unexplained;
 *   - between replicates of a combination;
 *   - within a population: the part a linear fit in the log of each
 *     vesicle's own radius explains (where radii differ: a log-normal
 *     size, the spread's effect at fixed settings), and chance (Brownian
 *     paths, binding) for the rest.
 * Swept means and swept spreads are listed apart.  As text and, with csv,
 * as CSV. */
static exo_status print_attribution(const summary_in *in, const uint8_t *hit, FILE *out,
                                    const char *csv_path, exo_error *err)
{
    exo_status rc = EXO_OK;
    FILE *csv = NULL;
    const uint32_t np = in->n_pop, ns = in->n_settings;
    int32_t nc = 0;
    for (uint32_t k = 0; k < np; k++)
        nc = in->combination[k] + 1 > nc ? in->combination[k] + 1 : nc;
    /* vesicles and hits per population and per combination */
    double n_p[EXO_SUMMARY_MAX_NAMES] = {0}, y_p[EXO_SUMMARY_MAX_NAMES] = {0};
    double n_c[EXO_SUMMARY_MAX_NAMES] = {0}, y_c[EXO_SUMMARY_MAX_NAMES] = {0};
    double value_c[EXO_SUMMARY_MAX_NAMES * 8] = {0};
    double n = 0, y = 0, ss_size = 0;
    int sized = in->radius != NULL;
    for (uint32_t k = 0; k < np; k++) {
        if (in->combination[k] < 0)
            continue; /* a population the sweep does not vary */
        int64_t off = in->first[k] - in->first[0];
        sized = sized && in->first[k] + in->count[k] - in->first[0] <= (int64_t)in->n_radius;
        for (int64_t i = 0; i < in->count[k]; i++)
            y_p[k] += hit[off + i];
        n_p[k] = (double)in->count[k];
        int32_t c = in->combination[k];
        n_c[c] += n_p[k];
        y_c[c] += y_p[k];
        for (uint32_t j = 0; j < ns; j++)
            value_c[(size_t)c * ns + j] = in->sweep_value[(size_t)k * ns + j];
        n += n_p[k];
        y += y_p[k];
    }
    if (!(n > 0))
        return EXO_OK;
    const double mean = y / n, ss_all = n * mean * (1 - mean);
    double ss_pop = 0, ss_between = 0;
    for (uint32_t k = 0; k < np; k++)
        if (n_p[k] > 0) /* 0 for populations the sweep does not vary */
            ss_pop += n_p[k] * pow(y_p[k] / n_p[k] - mean, 2);
    for (int32_t c = 0; c < nc; c++)
        if (n_c[c] > 0) {
            y_c[c] /= n_c[c];
            ss_between += n_c[c] * pow(y_c[c] - mean, 2);
        }
    /* own radius within each population: regression sum of squares */
    for (uint32_t k = 0; sized && k < np; k++) {
        if (!(n_p[k] > 1))
            continue;
        int64_t off = in->first[k] - in->first[0];
        double m = n_p[k], sx = 0, sxx = 0, sxy = 0, yk = m > 0 ? y_p[k] / m : 0;
        for (int64_t i = 0; i < in->count[k]; i++) {
            double x = log(fmax(in->radius[off + i], 1e-30));
            sx += x;
            sxx += x * x;
            sxy += x * (hit[off + i] - yk);
        }
        double vxx = sxx - sx * sx / m;
        if (vxx > 1e-12 * sxx)
            ss_size += sxy * sxy / vxx;
    }
    /* a full grid: the combinations present (`only` runs one) are the
     * product of each setting's distinct values */
    double cells = 1;
    int32_t present = 0;
    for (int32_t c = 0; c < nc; c++)
        present += n_c[c] > 0;
    for (uint32_t j = 0; j < ns; j++) {
        uint32_t distinct = 0;
        for (int32_t c = 0; c < nc; c++)
            distinct += first_with_value(value_c, n_c, ns, j, c);
        cells *= distinct;
    }
    const int grid = cells == present;
    double ss_set[8] = {0}, rho[8] = {0}, sum_set = 0;
    for (uint32_t j = 0; j < ns; j++) {
        if (grid) {
            for (int32_t c = 0; c < nc; c++) {
                if (!first_with_value(value_c, n_c, ns, j, c))
                    continue;
                double nv = 0, yv = 0;
                for (int32_t d = 0; d < nc; d++)
                    if (value_c[(size_t)d * ns + j] == value_c[(size_t)c * ns + j]) {
                        nv += n_c[d];
                        yv += n_c[d] * y_c[d];
                    }
                if (nv > 0)
                    ss_set[j] += nv * pow(yv / nv - mean, 2);
            }
        } else {
            double x[EXO_SUMMARY_MAX_NAMES], yc[EXO_SUMMARY_MAX_NAMES];
            uint32_t m = 0;
            for (int32_t c = 0; c < nc; c++)
                if (n_c[c] > 0) {
                    x[m] = value_c[(size_t)c * ns + j];
                    yc[m++] = y_c[c];
                }
            rho[j] = spearman(x, yc, m);
            ss_set[j] = rho[j] * rho[j] * ss_between;
        }
        sum_set += ss_set[j];
    }
    const double ss_rest = fmax(0, ss_between - sum_set), ss_rep = fmax(0, ss_pop - ss_between);
    const double ss_chance = fmax(0, ss_all - ss_pop - ss_size);
    double ss_means = 0, ss_spreads = 0;
    for (uint32_t j = 0; j < ns; j++)
        *(is_spread(in->setting_name[j]) ? &ss_spreads : &ss_means) += ss_set[j];

    if (csv_path) {
        csv = fopen(csv_path, "w");
        EXO_CHECK(csv != NULL, err, EXO_ERR_IO, "cannot create %s: %s", csv_path,
                  strerror(errno));
        fprintf(csv, "source,kind,sum_of_squares,share_of_all,share_between_combinations\n");
    }
#define SHARE(x) (ss_all > 0 ? 100 * (x) / ss_all : 0)
#define BETWEEN(x) (ss_between > 0 ? 100 * (x) / ss_between : 0)
    fprintf(out, "\nsweep: where the variation of capture at the target comes from (the sum "
                 "of squares of each vesicle's 0 or 1 about the mean %.4g, over %.0f "
                 "vesicles; %s)\n", mean, n,
            grid ? "a full grid: each setting's main effect, from its marginal means"
                 : "not a full grid: each setting's share between combinations is its "
                   "squared rank correlation with their means");
    fprintf(out, "  %-44s %-7s %12s %14s\n", "source", "kind", "share of all",
            "of between");
    for (uint32_t j = 0; j < ns; j++) {
        const char *kind = is_spread(in->setting_name[j]) ? "spread" : "mean";
        fprintf(out, "  %-44s %-7s %11.3f%% %13.1f%%", in->setting_name[j], kind,
                SHARE(ss_set[j]), BETWEEN(ss_set[j]));
        if (!grid)
            fprintf(out, "   (rank correlation %.3f)", rho[j]);
        fprintf(out, "\n");
        if (csv)
            fprintf(csv, "%s,%s,%.17g,%.17g,%.17g\n", in->setting_name[j], kind, ss_set[j],
                    SHARE(ss_set[j]) / 100, BETWEEN(ss_set[j]) / 100);
    }
    const struct {
        const char *source, *csv_name;
        double ss;
        int between;
    } rows[] = {
        {grid ? "interactions of the settings" : "between combinations, unexplained",
         grid ? "interactions" : "between_unexplained", ss_rest, 1},
        {"replicates (populations of one combination)", "replicates", ss_rep, 0},
        {"own radius within a population", "own_radius", ss_size, 0},
        {"chance (Brownian paths, binding)", "chance", ss_chance, 0},
    };
    for (size_t q = 0; q < sizeof rows / sizeof rows[0]; q++) {
        if (q == 2 && !sized)
            continue;
        fprintf(out, "  %-44s %-7s %11.3f%%", rows[q].source, "", SHARE(rows[q].ss));
        if (rows[q].between)
            fprintf(out, " %13.1f%%", BETWEEN(rows[q].ss));
        fprintf(out, "\n");
        if (csv && rows[q].between)
            fprintf(csv, "%s,,%.17g,%.17g,%.17g\n", rows[q].csv_name, rows[q].ss,
                    SHARE(rows[q].ss) / 100, BETWEEN(rows[q].ss) / 100);
        else if (csv)
            fprintf(csv, "%s,,%.17g,%.17g,\n", rows[q].csv_name, rows[q].ss,
                    SHARE(rows[q].ss) / 100);
    }
    fprintf(out, "  swept means %.3f%%, swept spreads %.3f%% of all (%.1f%% and %.1f%% of the "
                 "variation between combinations)\n",
            SHARE(ss_means), SHARE(ss_spreads), BETWEEN(ss_means), BETWEEN(ss_spreads));
    if (!sized)
        fprintf(out, "  (each vesicle's own radius: not in this file, or frames sampled)\n");
#undef SHARE
#undef BETWEEN
cleanup:
    if (csv && fclose(csv) != 0 && rc == EXO_OK)
        rc = EXO_ERROR(err, EXO_ERR_IO, "cannot write %s: %s", csv_path, strerror(errno));
    return rc;
}

/* The CSV beside @p csv_path: its name less ".csv", plus @p suffix. */
static void sibling_csv(const char *csv_path, const char *suffix, char *buf, size_t n)
{
    size_t len = strlen(csv_path);
    int dot = len > 4 && strcmp(csv_path + len - 4, ".csv") == 0;
    snprintf(buf, n, "%.*s%s", (int)(dot ? len - 4 : len), csv_path, suffix);
}

exo_status exo_summary(const char *path, const char *targets, FILE *out,
                       const char *csv_path, exo_error *err)
{
    exo_status rc = EXO_OK;
    summary_in in;
    memset(&in, 0, sizeof in);
    tally *t = NULL;
    uint8_t *seen = NULL, *hit = NULL;
    double *dwell = NULL;
    pop_result *pr = NULL;
    size_t n_dwell = 0;
    seq_event *seq = NULL;
    FILE *csv = NULL;
    int is_target[2 * EXO_SUMMARY_MAX_NAMES + 1] = {0};
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    EXO_TRY(read_input(path, &in, err));
    /* Places: the regions, outside them, then the cells of each type
     * (events on a cell count there, not at the region beside them). */
    const uint32_t cells_at = in.n_regions + 1;
    uint32_t places = cells_at + in.n_types, np = in.n_pop;
    char place_name[2 * EXO_SUMMARY_MAX_NAMES + 1][160];
    for (uint32_t pl = 0; pl < places; pl++)
        if (pl < in.n_regions)
            snprintf(place_name[pl], sizeof place_name[pl], "%s", in.region_name[pl]);
        else if (pl == in.n_regions)
            snprintf(place_name[pl], sizeof place_name[pl], "(outside regions)");
        else
            snprintf(place_name[pl], sizeof place_name[pl], "cells:%s",
                     in.type_name[pl - cells_at]);

    /* target regions: given, or those with the highest receptor density */
    char how[160] = "";
    if (targets && targets[0]) {
        char list[1024];
        snprintf(list, sizeof list, "%s", targets);
        for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
            uint32_t r = 0;
            while (r < places && (r == in.n_regions || strcmp(place_name[r], tok) != 0))
                r++;
            EXO_CHECK(r < places, err, EXO_ERR_INVALID,
                      "--target %s: no region of that name, nor cells:<type>, in %s "
                      "(its regions: %s%s%s%s; cell types: %s%s)",
                      tok, path, in.n_regions ? in.region_name[0] : "none",
                      in.n_regions > 1 ? ", " : "", in.n_regions > 1 ? in.region_name[1] : "",
                      in.n_regions > 2 ? ", ..." : "", in.n_types ? place_name[cells_at] : "none",
                      in.n_types > 1 ? ", ..." : "");
            is_target[r] = 1;
        }
        snprintf(how, sizeof how, "given with --target");
    } else {
        /* the highest density bound on a region's wall or a cell's membrane */
        double best = 0;
        for (uint32_t r = 0; r < in.n_regions; r++)
            best = fmax(best, in.density[r]);
        for (uint32_t q = 0; q < in.n_types; q++)
            best = fmax(best, in.type_density[q]);
        for (uint32_t r = 0; r < in.n_regions; r++)
            is_target[r] = best > 0 && in.density[r] == best;
        int walls = 0, cells = 0;
        for (uint32_t r = 0; r < in.n_regions; r++)
            walls |= is_target[r];
        for (uint32_t q = 0; q < in.n_types; q++)
            cells |= is_target[cells_at + q] = best > 0 && in.type_density[q] == best;
        snprintf(how, sizeof how, "the highest receptor density on its %s, %.4g /um^2",
                 walls && cells ? "wall or membrane" : cells ? "membrane" : "wall", best);
    }

    EXO_ALLOC(t, (size_t)(np + 1) * places, err, "the summary table");
    int64_t total = 0;
    for (uint32_t k = 0; k < np; k++)
        total += in.count[k];
    EXO_ALLOC(seen, (size_t)total * places, err, "the captured vesicles");
    EXO_ALLOC(dwell, in.ev[0].n + 1, err, "the dwell times");
    EXO_ALLOC(pr, np + 1, err, "the populations' results");
    for (uint32_t k = 0; k < np; k++)
        pr[k].injected = injected_cargo(&in, k); /* once: a spread sums every vesicle */
    for (int kind = 0; kind < 3; kind++)
        for (size_t i = 0; i < in.ev[kind].n; i++) {
            int64_t id = in.ev[kind].id[i];
            int k = population_of(&in, id);
            EXO_CHECK(k >= 0, err, EXO_ERR_INVALID, "%s: event of vesicle %lld, in no "
                      "population", path, (long long)id);
            int32_t r = in.ev[kind].region[i];
            uint32_t pl = r >= 0 && (uint32_t)r < in.n_regions ? (uint32_t)r : in.n_regions;
            int32_t ct = in.ev[kind].cell_type ? in.ev[kind].cell_type[i] : -1;
            if (ct >= 0 && (uint32_t)ct < in.n_types)
                pl = cells_at + (uint32_t)ct;
            tally *row = &t[(size_t)k * places + pl];
            if (kind == 0) {
                row->bindings++;
                uint8_t *s = &seen[(size_t)(id - in.first[0]) * places + pl];
                row->captured += !*s;
                *s = 1;
            } else if (kind == 1) {
                row->unbindings++;
            } else {
                row->internalized++;
                row->dose += exo_cargo_loading(in.seed, (uint32_t)id, in.cargo[k],
                                               in.cargo_sd[k]) *
                             exp(-in.release[k] * in.ev[kind].time[i]);
            }
        }
    /* Totals over populations: row np. */
    for (uint32_t k = 0; k < np; k++)
        for (uint32_t pl = 0; pl < places; pl++) {
            tally *a = &t[(size_t)np * places + pl], *b = &t[(size_t)k * places + pl];
            a->captured += b->captured;
            a->bindings += b->bindings;
            a->unbindings += b->unbindings;
            a->internalized += b->internalized;
            a->dose += b->dose;
        }
    /* Dwell times: each binding to the vesicle's next unbinding or uptake.
     * All events sorted by (id, time, ends before bindings at one time: a
     * vesicle may unbind and bind again within a step), then one pass. */
    size_t censored = 0, n_all = in.ev[0].n + in.ev[1].n + in.ev[2].n;
    EXO_ALLOC(seq, n_all + in.cross.n + 1, err, "the event sequence");
    for (int kind = 0, at = 0; kind < 3; kind++)
        for (size_t i = 0; i < in.ev[kind].n; i++, at++) {
            seq[at].id = in.ev[kind].id[i];
            seq[at].time = in.ev[kind].time[i];
            seq[at].start = kind == 0;
        }
    /* A transcytosis ends a binding too. */
    for (size_t i = 0; i < in.cross.n; i++)
        if (in.cross.route[i] == 3) {
            seq[n_all].id = in.cross.id[i];
            seq[n_all].time = in.cross.time[i];
            seq[n_all].start = 0;
            n_all++;
        }
    qsort(seq, n_all, sizeof *seq, cmp_seq);
    for (size_t i = 0; i < n_all; i++) {
        if (!seq[i].start)
            continue;
        if (i + 1 < n_all && seq[i + 1].id == seq[i].id && !seq[i + 1].start) {
            dwell[n_dwell] = seq[i + 1].time - seq[i].time;
            int k = population_of(&in, seq[i].id);
            if (k >= 0) {
                pr[k].dwell_sum += dwell[n_dwell];
                pr[k].dwell_n++;
            }
            n_dwell++;
        } else {
            censored++;
        }
    }
    qsort(dwell, n_dwell, sizeof *dwell, cmp_double);

    fprintf(out, "exobd summary of %s: scenario %s, file %s, %.6g s simulated\n", path,
            in.name, in.status, in.duration);
    if (strcmp(in.status, "complete") != 0)
        fprintf(out, "note: the run did not complete; these are the events written so far\n");
    fprintf(out, "target regions:");
    int any_target = 0;
    for (uint32_t r = 0; r < places; r++)
        if (is_target[r]) {
            fprintf(out, " %s", place_name[r]);
            any_target = 1;
        }
    fprintf(out, any_target ? " (%s)\n" : " none (no region binds; --target names one)\n", how);
    if (in.n_sequence > 0) {
        fprintf(out, "sequence: run %lld of %lld, with", (long long)in.sequence_run,
                (long long)in.sequence_runs);
        for (uint32_t j = 0; j < in.n_sequence; j++) {
            char v[256];
            fprintf(out, "%s %s = %s", j ? "," : "", in.sequence_setting[j],
                    unquote(in.sequence_value[j], v, sizeof v));
        }
        fprintf(out, "\n");
    }
    if (csv_path) {
        csv = fopen(csv_path, "w");
        EXO_CHECK(csv != NULL, err, EXO_ERR_IO, "cannot create %s: %s", csv_path,
                  strerror(errno));
        fprintf(csv, "population,region,target,vesicles,captured,bindings,unbindings,"
                     "internalized,dose\n");
    }
    for (uint32_t k = 0; k <= np; k++) {
        if (k == np && np == 1)
            break;
        const char *pname = k < np ? in.pop_name[k] : "all";
        double n = k < np ? (double)in.count[k] : (double)total;
        double injected = 0;
        for (uint32_t j = 0; j < np; j++)
            if (k == np || j == k)
                injected += pr[j].injected;
        fprintf(out, "\npopulation %s: %.0f vesicles, cargo injected %.6g\n", pname, n,
                injected);
        fprintf(out, "  %-20s %10s %10s %10s %12s %12s\n", "region", "captured", "bindings",
                "unbindings", "internalized", "dose");
        tally tg = {0}, off = {0}, all = {0};
        for (uint32_t pl = 0; pl < places; pl++) {
            const tally *row = &t[(size_t)k * places + pl];
            const char *rname = place_name[pl];
            int target = is_target[pl];
            fprintf(out, "  %-18s%s %10.0f %10.0f %10.0f %12.0f %12.6g\n", rname,
                    target ? " *" : "  ", row->captured, row->bindings, row->unbindings,
                    row->internalized, row->dose);
            tally *to = target ? &tg : &off;
            to->captured += row->captured;
            to->dose += row->dose;
            all.captured += row->captured;
            all.bindings += row->bindings;
            all.dose += row->dose;
            if (csv)
                fprintf(csv, "%s,%s,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.17g\n", pname, rname, target,
                        n, row->captured, row->bindings, row->unbindings, row->internalized,
                        row->dose);
        }
        fprintf(out, "  capture   target %.0f, off-target %.0f vesicles: target/off-target %.4g; "
                     "targeting efficiency %.4g of the captured, %.4g of the vesicles\n",
                tg.captured, off.captured, ratio(tg.captured, off.captured),
                ratio(tg.captured, all.captured), tg.captured / n);
        if (all.dose > 0)
            fprintf(out, "  delivery  target dose %.6g, off-target %.6g: target/off-target %.4g; "
                         "targeting efficiency %.4g of the delivered, %.4g of the injected "
                         "dose\n", tg.dose, off.dose, ratio(tg.dose, off.dose),
                    ratio(tg.dose, all.dose), ratio(tg.dose, injected));
        else
            fprintf(out, "  delivery  no cargo delivered yet: no vesicle was internalized\n");
        fprintf(out, "  binding events per vesicle %.6g\n", all.bindings / n);
        if (k < np) {
            pr[k].n = n;
            pr[k].target = tg.captured;
            pr[k].captured = all.captured;
            pr[k].dose = tg.dose;
        }
    }
    if (in.n_settings > 0 || in.n_sequence > 0) {
        /* The sweep's table; its CSV beside the per-population one. */
        char sweep_csv[1024] = "";
        if (csv_path)
            sibling_csv(csv_path, ".combinations.csv", sweep_csv, sizeof sweep_csv);
        EXO_TRY(print_sweep(&in, pr, out, csv_path ? sweep_csv : NULL, err));
        if (csv_path)
            fprintf(out, "  (as CSV: %s)\n", sweep_csv);
    }
    if (in.n_settings > 0) {
        /* each vesicle: captured at a target place */
        EXO_ALLOC(hit, (size_t)total + 1, err, "the vesicles' outcomes");
        for (int64_t i = 0; i < total; i++)
            for (uint32_t pl = 0; pl < places; pl++)
                hit[i] |= is_target[pl] && seen[(size_t)i * places + pl];
        char attr_csv[1024] = "";
        if (csv_path)
            sibling_csv(csv_path, ".attribution.csv", attr_csv, sizeof attr_csv);
        EXO_TRY(print_attribution(&in, hit, out, csv_path ? attr_csv : NULL, err));
        if (csv_path)
            fprintf(out, "  (as CSV: %s)\n", attr_csv);
    }
    if (in.cross.n > 0 || in.has_tissue)
        print_crossings(&in, out);
    /* Cells that take up what they touch (no events: their observables). */
    if (in.n_taken > 0)
        fprintf(out, "\ntaken up by cells (without binding; /observables/<type>_taken_up)\n");
    for (uint32_t k = 0; k < in.n_taken; k++)
        fprintf(out, "  taken up by %s cells: %lld\n", in.taken_name[k],
                (long long)in.taken[k]);
    fprintf(out, "\ndwell times (binding to unbinding, uptake or transcytosis, all "
                 "populations): %zu ended", n_dwell);
    if (n_dwell > 0) {
        double mean = 0;
        for (size_t i = 0; i < n_dwell; i++)
            mean += dwell[i] / (double)n_dwell;
        fprintf(out, ": mean %.6g s, median %.6g s, quartiles %.6g and %.6g s", mean,
                quantile(dwell, n_dwell, 0.5), quantile(dwell, n_dwell, 0.25),
                quantile(dwell, n_dwell, 0.75));
    }
    fprintf(out, "; %zu still bound at the end\n", censored);
cleanup:
    if (csv && fclose(csv) != 0 && rc == EXO_OK)
        rc = EXO_ERROR(err, EXO_ERR_IO, "cannot write %s: %s", csv_path, strerror(errno));
    free(t);
    free(seen);
    free(hit);
    free(dwell);
    free(pr);
    free(seq);
    free_input(&in);
    return rc;
}
