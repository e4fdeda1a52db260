/*
 * exo_bench: throughput of free overdamped Brownian dynamics, in
 * particle-steps per second, on every OpenCL device and on the C reference
 * stepper.  See bench/README.md.
 *
 * For each (device, N): create the simulation (timed separately: start-up,
 * which includes device selection, the kernel build or cache load, buffer
 * allocation and the injection of the vesicles), advance a few warm-up
 * steps, time a short calibration run to choose the number of steps, then
 * time exo_sim_advance(steps) R times with CLOCK_MONOTONIC.  The median,
 * min and max over the R runs go into a Markdown table on stdout; progress
 * goes to stderr.  Timings are measurements, never pass/fail checks: this
 * program is built with the project but is not a ctest test.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "exobd/exobd.h"
#include "exo_cl.h"
#include "exo_tune.h"

#define MAX_N 32
#define MAX_DEV 32
#define MAX_REPEATS 101
#define REF_SPEC "cpu-reference"

static const char usage[] =
    "usage: exo_bench [options]\n"
    "  --n LIST            vesicle counts, comma-separated (default 1e4,1e5,1e6,1e7)\n"
    "  --devices LIST      device specs, comma-separated: 'all' (every OpenCL\n"
    "                      device by index, then cpu-reference; the default),\n"
    "                      'opencl' (every OpenCL device), or specs as for\n"
    "                      exobd --device: default, 0, 0:0, gpu, cpu, NAME,\n"
    "                      cpu-reference\n"
    "  --ref-max-n N       largest N run on cpu-reference (default 1e6)\n"
    "  --repeats R         timed runs per (device, N) (default 3)\n"
    "  --steps S           steps per timed run; 0 = choose per (device, N) from\n"
    "                      a calibration run (default 0)\n"
    "  --target-seconds T  aimed duration of one timed run when --steps is 0\n"
    "                      (default 2)\n"
    "  --min-steps M       fewest steps per timed run when --steps is 0\n"
    "                      (default 100: one launch at the default K)\n"
    "  --cache-dir DIR     kernel binary cache (default: exobd's default)\n"
    "  --workload W        free, capillary, targeting, tissue, epr or all\n"
    "                      (default all): free diffusion in a periodic box,\n"
    "                      capillary_flow.cfg's vessel, tumor_vessel_targeting.cfg's\n"
    "                      binding, diffusion among cells (64, 1000 and 15625\n"
    "                      cells: the cost per step against the cell count; 1000\n"
    "                      cells that bind; and tissue_ecs.cfg's dense tissue), or\n"
    "                      tumor_epr.cfg's\n"
    "                      leaky capillary beside tissue\n"
    "  --output-n N        measure the cost of output at N vesicles (free workload,\n"
    "                      trajectory every 1000 steps, against none; default 1e6;\n"
    "                      0: skip)\n"
    "  --ceiling PATH      also run the ceiling program (bench/ceiling.c) at\n"
    "                      every N and report each rate as a fraction of it\n"
    "  --tune-n N          sweep the steps per launch and the work-group size on\n"
    "                      the free workload at N vesicles, first device (default\n"
    "                      1e6; 0: skip)\n"
    "  --batch-n N         the free workload at N vesicles unbatched and in 4\n"
    "                      batches (--device-memory), first device (default 1e6;\n"
    "                      0: skip)\n"
    "  --lammps INPUT      also time LAMMPS (lmp under mpirun, all cores) on the\n"
    "                      free workload with this input (bench/lammps_free.in)\n"
    "  --lammps-n N        vesicles (atoms) for the LAMMPS comparison (default 1e5)\n"
    "  --help\n";

typedef struct row {
    const char *workload;
    const char *spec;
    uint64_t n;
    int ok;             /* measured */
    char why[160];      /* when not measured */
    uint64_t steps;
    double median, min, max; /* particle-steps/s */
    double startup_s;
    int from_cache;
} row;

typedef struct devinfo {
    char spec[64];
    char name[512];
    double cold_startup_s; /* creating a 1-vesicle simulation first */
    double warm_startup_s; /* the same at the end, binary cache warm */
    int from_cache;
    int tuned;             /* an OpenCL device: tuning holds its settings */
    exo_tuning tuning;     /* exobd run's work-group size and K (exo_tune) */
} devinfo;

/* The devices measured, for create_sim's look-up of their tuned settings. */
static devinfo g_devs[MAX_DEV];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !(v >= 0) || v > 4294967295.0 ||
        v != floor(v))
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The workload measured: "free" (free diffusion in a periodic box) or
 * "capillary" (capillary_flow.cfg's vessel: Poiseuille flow, a reflecting
 * wall with an adsorbing region, periodic ends so the count stays). */
static const char *g_workload = "free";

/* Launch settings of the simulations created (0: exobd's defaults). */
static uint32_t g_steps_per_launch;
static size_t g_work_group;
static uint64_t g_device_memory;

static char *scenario_text(uint64_t n)
{
    static const char capillary[] =
        "name = \"bench_capillary\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"10 us\"; steps = 1; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\"; };\n"
        "surfaces = ( { name = \"target\"; behaviour = \"adsorb\"; kappa = \"1e-5 m/s\"; } );\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               start = { region = \"capillary\"; }; } );\n"
        "geometry = { vessels = ( { name = \"capillary\"; radius = \"4 um\";\n"
        "   length = \"200 um\"; origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
        "   regions = ( { name = \"tumour\"; from = \"80 um\"; to = \"120 um\";\n"
        "                 wall = \"target\"; } );\n"
        "   flow = { mean_velocity = \"1 mm/s\"; }; } ); };\n";
    static const char fmt[] =
        "name = \"bench_free\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"1 us\"; steps = 1; integrator = \"overdamped\"; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\"; };\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0];\n"
        "                     upper = [100.0, 100.0, 100.0];\n"
        "                     faces = [\"periodic\", \"periodic\", \"periodic\"]; }; };\n";
    static const char targeting[] =
        "name = \"bench_targeting\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"10 us\"; steps = 1; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\"; };\n"
        "surfaces = ( { name = \"tumour\"; behaviour = \"bind\";\n"
        "               receptors = ( { type = \"avb3\"; density = \"100 /um^2\"; } );\n"
        "               internalization = { rate = \"1e-3 /s\"; }; },\n"
        "             { name = \"normal\"; behaviour = \"bind\";\n"
        "               receptors = ( { type = \"avb3\"; density = \"5 /um^2\"; } ); } );\n"
        "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"0.033 um^2/s\";\n"
        "              k_off = \"0.1 /s\"; bond_length = \"10 nm\"; x_beta = \"0.5 nm\"; } );\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               ligands = { type = \"RGD\"; count = { distribution = \"poisson\";\n"
        "                                                    mean = 100.0; }; };\n"
        "               start = { region = \"capillary\"; }; } );\n"
        "geometry = { vessels = ( { name = \"capillary\"; radius = \"4 um\";\n"
        "   length = \"200 um\"; origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
        "   wall = \"normal\";\n"
        "   regions = ( { name = \"tumour\"; from = \"80 um\"; to = \"120 um\";\n"
        "                 wall = \"tumour\"; } );\n"
        "   flow = { mean_velocity = \"1 mm/s\"; }; } ); };\n";
    /* Tissue: cells of radius 4.15 um on a 10-um simple cubic lattice (they
     * fill 0.30 of the box), k x k x k of them in a periodic box k x 10 um
     * wide: the same geometry around every vesicle, more cells. */
    static const char tissue[] =
        "name = \"bench_tissue\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"10 us\"; steps = 1; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\"; };\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [%d.0, %d.0, %d.0];\n"
        "                     faces = [\"periodic\", \"periodic\", \"periodic\"]; };\n"
        "  tissue = { placement = \"simple_cubic\"; spacing = \"10 um\";\n"
        "             cell_types = ( { name = \"c\"; radius = \"4.15 um\"; } ); }; };\n";
    /* tissue-10's 1000 cells with integrin membranes that bind the RGD
     * exosomes (depletion per cell, uptake, events recorded). */
    static const char tissue_bind[] =
        "name = \"bench_tissue_bind\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"10 us\"; steps = 1; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\"; };\n"
        "surfaces = ( { name = \"membrane\"; behaviour = \"bind\";\n"
        "               receptors = ( { type = \"avb3\"; density = \"100 /um^2\"; } );\n"
        "               internalization = { rate = \"1e-3 /s\"; }; } );\n"
        "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"0.033 um^2/s\";\n"
        "              k_off = \"0.1 /s\"; bond_length = \"10 nm\"; x_beta = \"0.5 nm\"; } );\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               ligands = { type = \"RGD\"; count = { distribution = \"poisson\";\n"
        "                                                    mean = 100.0; }; };\n"
        "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [100.0, 100.0, 100.0];\n"
        "                     faces = [\"periodic\", \"periodic\", \"periodic\"]; };\n"
        "  tissue = { placement = \"simple_cubic\"; spacing = \"10 um\";\n"
        "             cell_types = ( { name = \"c\"; radius = \"4.15 um\";\n"
        "                              surface = \"membrane\"; } ); }; };\n";
    /* scenarios/tissue_ecs.cfg: dense tumour tissue (hexagonal, cells fill
     * 0.58, 1-um gaps), interstitial fluid, dt = 1 ms. */
    static const char tissue_ecs[] =
        "name = \"bench_tissue_ecs\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"1 ms\"; steps = 1; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"0.692 mPa s\"; };\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0];\n"
        "   upper = [52.0, 45.033320996790806, 42.45782220824175];\n"
        "   faces = [\"periodic\", \"periodic\", \"periodic\"]; };\n"
        "  tissue = { placement = \"hexagonal\"; spacing = \"13 um\";\n"
        "             cell_types = ( { name = \"tumour\"; radius = \"6 um\"; } ); }; };\n";
    /* scenarios/tumor_epr.cfg: a periodic capillary with a leaky tumour
     * stretch through tissue with 128 cells, radial interstitial flow,
     * clearance; crossing events recorded. */
    static const char epr[] =
        "name = \"bench_epr\";\n"
        "seed = 20240601;\n"
        "simulation = { dt = \"20 us\"; steps = 1; };\n"
        "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\";\n"
        "  clearance = { half_life = \"5 min\"; };\n"
        "  flow = { kind = \"radial\"; centre = [0.0, 0.0, 150.0]; radius = \"50 um\";\n"
        "           velocity = \"0.5 um/s\"; }; };\n"
        "surfaces = ( { name = \"gaps\"; behaviour = \"leaky\";\n"
        "               pores = { radius = \"300 nm\"; density = \"0.1 /um^2\"; }; },\n"
        "             { name = \"membrane\"; behaviour = \"adsorb\"; kappa = \"1 um/s\";\n"
        "               adsorbed = \"removed\"; } );\n"
        "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
        "               start = { region = \"capillary\"; }; } );\n"
        "geometry = { box = { lower = [-22.5, -22.5, 0.0]; upper = [22.5, 22.5, 200.0];\n"
        "                     faces = [\"reflect\", \"reflect\", \"periodic\"]; };\n"
        "  vessels = ( { name = \"capillary\"; radius = \"4 um\"; length = \"200 um\";\n"
        "   origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
        "   regions = ( { name = \"tumour\"; from = \"100 um\"; to = \"200 um\";\n"
        "                 wall = \"gaps\"; } );\n"
        "   flow = { mean_velocity = \"0.5 mm/s\"; }; } );\n"
        "  tissue = { placement = \"simple_cubic\"; spacing = \"12.5 um\";\n"
        "             cell_types = ( { name = \"tumour\"; radius = \"5.5 um\";\n"
        "                              surface = \"membrane\"; } ); }; };\n";
    if (strcmp(g_workload, "tissue-ecs") == 0) {
        size_t len = sizeof tissue_ecs + 32;
        char *t = malloc(len);
        if (t)
            snprintf(t, len, tissue_ecs, (unsigned long long)n);
        return t;
    }
    int k = 0;
    if (strcmp(g_workload, "tissue-bind") != 0 && sscanf(g_workload, "tissue-%d", &k) == 1) {
        size_t len = sizeof tissue + 64;
        char *t = malloc(len);
        if (t)
            snprintf(t, len, tissue, (unsigned long long)n, 10 * k, 10 * k, 10 * k);
        return t;
    }
    const char *text = strcmp(g_workload, "capillary") == 0   ? capillary
                       : strcmp(g_workload, "targeting") == 0 ? targeting
                       : strcmp(g_workload, "epr") == 0       ? epr
                       : strcmp(g_workload, "tissue-bind") == 0 ? tissue_bind
                                                              : fmt;
    size_t len = strlen(text) + 32;
    char *t = malloc(len);
    if (t)
        snprintf(t, len, text, (unsigned long long)n);
    return t;
}

static exo_scenario *load_scenario(uint64_t n)
{
    exo_error err = {0};
    exo_scenario *sc = NULL;
    char *text = scenario_text(n);
    if (text == NULL) {
        fprintf(stderr, "exo_bench: out of memory\n");
        exit(1);
    }
    if (exo_scenario_load_text(&sc, text, "bench_free.cfg", NULL, 0, &err) != EXO_OK) {
        fprintf(stderr, "exo_bench: benchmark scenario rejected: %s\n", err.msg);
        exit(1);
    }
    free(text);
    return sc;
}

/* The run options of a device spec: "SPEC+native" is SPEC with
 * --native-math; base[64] holds the device part opt->device points to. */
static void spec_options(const char *spec, const char *cache_dir, char *base,
                         exo_run_options *opt)
{
    snprintf(base, 64, "%s", spec);
    char *plus = strstr(base, "+native");
    memset(opt, 0, sizeof *opt);
    if (plus != NULL && plus[7] == '\0') {
        *plus = '\0';
        opt->native_math = 1;
    }
    opt->device = strcmp(base, "default") == 0 ? NULL : base;
    opt->output_path = "";
    opt->cache_dir = cache_dir;
}

/* A simulation as `exobd run` makes it: the device's tuned work-group size
 * and steps per launch unless g_steps_per_launch or g_work_group is set. */
static exo_status create_sim(exo_sim **sim, const exo_scenario *sc, const char *spec,
                             const char *cache_dir, exo_error *err)
{
    char base[64];
    exo_run_options opt;
    spec_options(spec, cache_dir, base, &opt);
    opt.steps_per_launch = g_steps_per_launch;
    opt.work_group_size = g_work_group;
    opt.device_memory = g_device_memory;
    for (int d = 0; d < MAX_DEV && !g_steps_per_launch && !g_work_group; d++)
        if (g_devs[d].tuned && strcmp(g_devs[d].spec, spec) == 0) {
            opt.steps_per_launch = g_devs[d].tuning.steps_per_launch;
            opt.work_group_size = g_devs[d].tuning.work_group_size;
        }
    return exo_sim_create(sim, sc, &opt, err);
}

/* Timed exo_sim_advance; returns seconds, or -1 on error. */
static double timed_advance(exo_sim *sim, uint64_t steps, exo_error *err)
{
    double t0 = now_s();
    if (exo_sim_advance(sim, steps, err) != EXO_OK)
        return -1;
    return now_s() - t0;
}

/* Create a 1-vesicle simulation on spec: finds out whether the device
 * exists and measures the cold start-up (kernel build or cache load). */
static exo_status probe_device(devinfo *d, const char *cache_dir, exo_error *err)
{
    exo_scenario *sc = load_scenario(1);
    exo_sim *sim = NULL;
    double t0 = now_s();
    exo_status rc = create_sim(&sim, sc, d->spec, cache_dir, err);
    d->cold_startup_s = now_s() - t0;
    if (rc == EXO_OK) {
        snprintf(d->name, sizeof d->name, "%s", exo_sim_device_name(sim));
        d->from_cache = exo_sim_program_from_cache(sim);
        exo_sim_destroy(sim, NULL);
        if (strcmp(d->spec, REF_SPEC) != 0) {
            /* exobd run's launch settings: cached, or measured once now. */
            char base[64];
            exo_run_options opt;
            spec_options(d->spec, cache_dir, base, &opt);
            rc = exo_tune_choose(&opt, 0, stderr, &d->tuning, err);
            d->tuned = rc == EXO_OK;
        }
    }
    exo_scenario_destroy(sc);
    return rc;
}

static void measure(row *r, const char *cache_dir, int repeats, uint64_t fixed_steps,
                    double target_s, uint64_t min_steps)
{
    exo_error err = {0};
    exo_sim *sim = NULL;
    exo_scenario *sc = load_scenario(r->n);
    double t0 = now_s();
    exo_status rc = create_sim(&sim, sc, r->spec, cache_dir, &err);
    r->startup_s = now_s() - t0;
    if (rc != EXO_OK) {
        snprintf(r->why, sizeof r->why, "create failed: %s (%.100s)",
                 exo_status_name(rc), err.msg);
        fprintf(stderr, "exo_bench: %s N=%llu: %s\n", r->spec,
                (unsigned long long)r->n, err.msg);
        exo_scenario_destroy(sc);
        return;
    }
    r->from_cache = exo_sim_program_from_cache(sim);
    double nd = (double)r->n;

    /* Warm-up: about 1e6 particle-steps, at least one step, at most 100. */
    uint64_t warm = (uint64_t)(1e6 / nd);
    warm = warm < 1 ? 1 : warm > 100 ? 100 : warm;
    if (timed_advance(sim, warm, &err) < 0)
        goto fail;

    r->steps = fixed_steps;
    if (r->steps == 0) {
        /* Calibration: about 0.2 s at the rate the warm-up suggests is too
         * optimistic when the first launch compiled; time a second short
         * run and scale it to the target duration. */
        uint64_t cal = warm;
        double t = timed_advance(sim, cal, &err);
        if (t < 0)
            goto fail;
        double rate = t > 0 ? nd * (double)cal / t : 1e12;
        double s = target_s * rate / nd;
        r->steps = s < (double)min_steps ? min_steps : (uint64_t)llround(s);
    }
    fprintf(stderr, "exo_bench: %s N=%llu: start-up %.3f s, %llu steps x %d runs\n",
            r->spec, (unsigned long long)r->n, r->startup_s,
            (unsigned long long)r->steps, repeats);

    double rates[MAX_REPEATS];
    for (int k = 0; k < repeats; k++) {
        double t = timed_advance(sim, r->steps, &err);
        if (t < 0)
            goto fail;
        rates[k] = nd * (double)r->steps / (t > 0 ? t : 1e-12);
        fprintf(stderr, "exo_bench:   run %d: %.3f s, %.4g particle-steps/s\n",
                k + 1, t, rates[k]);
    }
    qsort(rates, (size_t)repeats, sizeof rates[0], cmp_double);
    r->min = rates[0];
    r->max = rates[repeats - 1];
    r->median = repeats % 2 ? rates[repeats / 2]
                            : 0.5 * (rates[repeats / 2 - 1] + rates[repeats / 2]);
    r->ok = 1;
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
    return;
fail:
    snprintf(r->why, sizeof r->why, "advance failed: %s (%.100s)",
             exo_status_name(err.status), err.msg);
    fprintf(stderr, "exo_bench: %s N=%llu: %s\n", r->spec, (unsigned long long)r->n,
            err.msg);
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

/* The cost of writing output: the free workload at n vesicles, `steps`
 * steps run to the end (exo_sim_run) with the whole trajectory (positions,
 * states, image counts of all n) written every `every` steps and the
 * observables likewise, against the same run writing nothing; runs
 * alternate, `repeats` of each.  Medians of the wall times into *with and
 * *without; 0 on success. */
static int measure_output_cost(const char *spec, const char *cache_dir, uint64_t n,
                               uint64_t steps, uint64_t every, int repeats, double *with,
                               double *without, double *bytes)
{
    char dir[] = "/tmp/exo_bench_output.XXXXXX", path[128], xdmf[128], text[2048];
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "exo_bench: cannot make a folder for the output test\n");
        return -1;
    }
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(xdmf, sizeof xdmf, "%s/out.xdmf", dir);
    snprintf(text, sizeof text,
             "name = \"bench_output\";\n"
             "seed = 20240601;\n"
             "simulation = { dt = \"1 us\"; steps = %llu; integrator = \"overdamped\"; };\n"
             "medium = { temperature = \"310.15 K\"; viscosity = \"1.2 mPa s\"; };\n"
             "vesicles = ( { name = \"exosomes\"; count = %llu; radius = \"50 nm\";\n"
             "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [100.0, 100.0, 100.0];\n"
             "             faces = [\"periodic\", \"periodic\", \"periodic\"]; }; };\n"
             "output = { file = \"%s\"; every = %llu; sample = %llu; observables_every = %llu;\n"
             "           fields = [\"position\", \"state\", \"image\"]; compression = 0; };\n",
             (unsigned long long)steps, (unsigned long long)n, path,
             (unsigned long long)every, (unsigned long long)n, (unsigned long long)every);
    exo_error err = {0};
    exo_scenario *sc = NULL;
    double tw[MAX_REPEATS], tn[MAX_REPEATS];
    int rc = -1;
    if (exo_scenario_load_text(&sc, text, "bench_output.cfg", NULL, 0, &err) != EXO_OK) {
        fprintf(stderr, "exo_bench: output scenario rejected: %s\n", err.msg);
        goto done;
    }
    for (int k = 0; k < repeats; k++)
        for (int out = 1; out >= 0; out--) {
            exo_sim *sim = NULL;
            exo_run_options opt;
            memset(&opt, 0, sizeof opt);
            opt.device = strcmp(spec, "default") == 0 ? NULL : spec;
            opt.output_path = out ? path : "";
            opt.cache_dir = cache_dir;
            opt.checkpoint_every_s = -1;
            for (int d = 0; d < MAX_DEV; d++)
                if (g_devs[d].tuned && strcmp(g_devs[d].spec, spec) == 0) {
                    opt.steps_per_launch = g_devs[d].tuning.steps_per_launch;
                    opt.work_group_size = g_devs[d].tuning.work_group_size;
                }
            if (exo_sim_create(&sim, sc, &opt, &err) != EXO_OK) {
                fprintf(stderr, "exo_bench: output test: %s\n", err.msg);
                goto done;
            }
            double t0 = now_s();
            exo_status st = exo_sim_run(sim, &err);
            double t = now_s() - t0;
            exo_sim_destroy(sim, NULL);
            if (st != EXO_OK) {
                fprintf(stderr, "exo_bench: output test: %s\n", err.msg);
                goto done;
            }
            (out ? tw : tn)[k] = t;
            if (out) {
                struct stat stt;
                *bytes = stat(path, &stt) == 0 ? (double)stt.st_size : 0;
            }
            fprintf(stderr, "exo_bench: output test run %d, %s: %.3f s\n", k + 1,
                    out ? "with output" : "without", t);
            remove(path);
            remove(xdmf);
        }
    qsort(tw, (size_t)repeats, sizeof tw[0], cmp_double);
    qsort(tn, (size_t)repeats, sizeof tn[0], cmp_double);
    *with = repeats % 2 ? tw[repeats / 2] : 0.5 * (tw[repeats / 2 - 1] + tw[repeats / 2]);
    *without = repeats % 2 ? tn[repeats / 2] : 0.5 * (tn[repeats / 2 - 1] + tn[repeats / 2]);
    rc = 0;
done:
    exo_scenario_destroy(sc);
    rmdir(dir);
    return rc;
}

/* Split a comma-separated list in place. */
static int split(char *s, char **out, int max)
{
    int k = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        if (k == max)
            return -1;
        out[k++] = tok;
    }
    return k;
}

static int add_device(devinfo *devs, int *ndev, const char *spec)
{
    if (*ndev == MAX_DEV)
        return -1;
    snprintf(devs[*ndev].spec, sizeof devs[*ndev].spec, "%s", spec);
    devs[*ndev].name[0] = '\0';
    (*ndev)++;
    return 0;
}

/* Append every OpenCL device by index until selection fails. */
static void add_opencl_devices(devinfo *devs, int *ndev, const char *cache_dir)
{
    for (int i = 0; *ndev < MAX_DEV; i++) {
        devinfo *d = &devs[*ndev];
        snprintf(d->spec, sizeof d->spec, "%d", i);
        exo_error err = {0};
        exo_status rc = probe_device(d, cache_dir, &err);
        if (rc == EXO_OK) {
            (*ndev)++;
            /* The same device with --native-math. */
            if (*ndev < MAX_DEV) {
                devinfo *dn = &devs[*ndev];
                snprintf(dn->spec, sizeof dn->spec, "%d+native", i);
                if (probe_device(dn, cache_dir, &err) == EXO_OK)
                    (*ndev)++;
            }
            continue;
        }
        if (rc != EXO_ERR_INVALID || i == 0)
            fprintf(stderr, "exo_bench: OpenCL device %d: %s\n", i, err.msg);
        break;
    }
}

static void fmt_rate(char *buf, size_t len, double v)
{
    snprintf(buf, len, "%.3g", v);
}

/* 10000 -> "1e4", 2500000 -> "2.5e6", 1234 -> "1234". */
static void fmt_count(char *buf, size_t len, uint64_t n)
{
    int e = 0;
    uint64_t m = n;
    while (m >= 10 && m % 10 == 0) {
        m /= 10;
        e++;
    }
    if (n < 1000 || m >= 100)
        snprintf(buf, len, "%llu", (unsigned long long)n);
    else if (m < 10)
        snprintf(buf, len, "%llue%d", (unsigned long long)m, e);
    else
        snprintf(buf, len, "%llu.%llue%d", (unsigned long long)(m / 10),
                 (unsigned long long)(m % 10), e + 1);
}

/* Run the ceiling program for n vesicles; its median particle-steps/s, or 0. */
static double run_ceiling(const char *path, uint64_t n, int repeats)
{
    uint64_t steps = n >= 10000000 ? 10 : 100000000 / n;
    char cmd[1024], line[512];
    snprintf(cmd, sizeof cmd, "'%s' %llu %llu %d", path, (unsigned long long)n,
             (unsigned long long)steps, repeats);
    FILE *p = popen(cmd, "r");
    double rate = 0;
    while (p && fgets(line, sizeof line, p)) {
        const char *m = strstr(line, "median ");
        if (m)
            rate = strtod(m + 7, NULL);
    }
    if (p == NULL || pclose(p) != 0 || rate <= 0) {
        fprintf(stderr, "exo_bench: the ceiling run '%s' failed\n", cmd);
        return 0;
    }
    fprintf(stderr, "exo_bench: ceiling N=%llu: %.4g particle-steps/s\n",
            (unsigned long long)n, rate);
    return rate;
}

/* LAMMPS on the free workload: n atoms without interactions in a periodic
 * box, fix nve + fix langevin, `steps` steps, one MPI rank per core.  Its
 * particle-steps/s from the "Loop time" line, or 0. */
static double run_lammps(const char *input, uint64_t n, uint64_t steps, char *how,
                         size_t how_len)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char cmd[2048], line[512];
    snprintf(cmd, sizeof cmd,
             "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -np %ld "
             "lmp -in '%s' -var n %llu -var steps %llu -log none 2>&1",
             cores > 0 ? cores : 1, input, (unsigned long long)n, (unsigned long long)steps);
    snprintf(how, how_len, "mpirun -np %ld lmp -in %s -var n %llu -var steps %llu",
             cores > 0 ? cores : 1, input, (unsigned long long)n, (unsigned long long)steps);
    FILE *p = popen(cmd, "r");
    double loop = 0;
    while (p && fgets(line, sizeof line, p)) {
        double t;
        if (sscanf(line, "Loop time of %lf", &t) == 1)
            loop = t;
    }
    if (p == NULL || pclose(p) != 0 || loop <= 0) {
        fprintf(stderr, "exo_bench: the LAMMPS run '%s' failed\n", cmd);
        return 0;
    }
    double rate = (double)n * (double)steps / loop;
    fprintf(stderr, "exo_bench: LAMMPS N=%llu: %.3f s, %.4g particle-steps/s\n",
            (unsigned long long)n, loop, rate);
    return rate;
}

/* The median of (workload, spec, n), or 0 when not measured. */
static double rate_of(const row *rows, int nrows, const char *workload, const char *spec,
                      uint64_t n)
{
    for (int k = 0; k < nrows; k++)
        if (rows[k].ok && rows[k].n == n && strcmp(rows[k].workload, workload) == 0 &&
            strcmp(rows[k].spec, spec) == 0)
            return rows[k].median;
    return 0;
}

/* The targets that the main table holds (ratios of this run):
 * each OpenCL device's free, capillary and targeting rates at N = 1e6
 * against the ceiling at 1e6; each workload's flatness (slowest over
 * fastest) from 1e5 to 1e7; bytes per vesicle; the cost of output and of
 * batches (< 0: not measured); warm start-up. */
static void print_targets(const row *rows, int nrows, const devinfo *devs, int ndev,
                          const uint64_t *ns, int nn, const double *ceil_rate, size_t bpv,
                          double output_ratio, uint64_t output_n, double batch_ratio)
{
    double ceil_1e6 = 0;
    for (int i = 0; i < nn; i++)
        if (ns[i] == 1000000)
            ceil_1e6 = ceil_rate[i];
    printf("\nTargets (issue \"Performance\"; ratios from this run; N = 1e6 unless "
           "stated):\n\n| target | device | measured | bound | met |\n"
           "|---|---|---:|---:|---|\n");
    static const struct {
        const char *workload;
        double bound;
    } vs_ceiling[] = {{"free", 0.7}, {"capillary", 0.4}, {"targeting", 0.4}};
    for (int d = 0; d < ndev; d++) {
        const char *spec = devs[d].spec;
        if (strcmp(spec, REF_SPEC) == 0)
            continue;
        for (size_t w = 0; w < sizeof vs_ceiling / sizeof vs_ceiling[0]; w++) {
            double r = rate_of(rows, nrows, vs_ceiling[w].workload, spec, 1000000);
            if (r > 0 && ceil_1e6 > 0)
                printf("| %s vs ceiling | `%s` | %.3g / %.3g = %.2fx | >= %.1fx | %s |\n",
                       vs_ceiling[w].workload, spec, r, ceil_1e6, r / ceil_1e6,
                       vs_ceiling[w].bound, r / ceil_1e6 >= vs_ceiling[w].bound ? "yes" : "NO");
            else
                printf("| %s vs ceiling | `%s` | not measured at N = 1e6 | >= %.1fx | — |\n",
                       vs_ceiling[w].workload, spec, vs_ceiling[w].bound);
        }
    }
    /* Flatness: every workload measured at 1e5, 1e6 and 1e7. */
    for (int d = 0; d < ndev; d++) {
        const char *spec = devs[d].spec;
        if (strcmp(spec, REF_SPEC) == 0)
            continue;
        for (int k = 0; k < nrows; k++) {
            if (strcmp(rows[k].spec, spec) != 0 || rows[k].n != 1000000)
                continue;
            const char *w = rows[k].workload;
            double a = rate_of(rows, nrows, w, spec, 100000);
            double b = rate_of(rows, nrows, w, spec, 1000000);
            double c = rate_of(rows, nrows, w, spec, 10000000);
            if (a <= 0 || b <= 0 || c <= 0)
                continue;
            double lo = fmin(a, fmin(b, c)), hi = fmax(a, fmax(b, c));
            printf("| %s flat 1e5-1e7 (slowest / fastest) | `%s` | %.3g / %.3g = %.2f "
                   "| >= 0.80 | %s |\n", w, spec, lo, hi, lo / hi,
                   lo / hi >= 0.8 ? "yes" : "NO");
        }
    }
    printf("| device memory per vesicle, free and capillary (every workload) | all OpenCL "
           "| %zu B | <= 48 B | %s |\n", bpv, bpv <= 48 ? "yes" : "NO");
    if (output_ratio > 0) {
        char nstr[32];
        fmt_count(nstr, sizeof nstr, output_n);
        printf("| run time with output every 1000 steps / without (N = %s) | `%s` | %.3f "
               "| <= 1.15 | %s |\n", nstr, devs[0].spec, output_ratio,
               output_ratio > 1.15 ? "NO" : output_n == 1000000 ? "yes" : "yes (not at 1e6)");
    }
    if (batch_ratio > 0)
        printf("| 4 batches (`--device-memory`): identical results | `%s` | bitwise "
               "(checked by tests/cli/test_batching.sh, not here); speed %.2fx unbatched | "
               "identical | by the test |\n",
               devs[0].spec, batch_ratio);
    for (int d = 0; d < ndev; d++)
        if (devs[d].warm_startup_s >= 0)
            printf("| start-up of a 1-vesicle run, binary cache warm | `%s` | %.3f s | "
                   "<= 1 s | %s |\n", devs[d].spec, devs[d].warm_startup_s,
                   devs[d].warm_startup_s <= 1.0 ? "yes" : "NO");
}

int main(int argc, char **argv)
{
    char n_arg[512] = "1e4,1e5,1e6,1e7";
    char dev_arg[512] = "all";
    uint64_t ref_max_n = 1000000, fixed_steps = 0, min_steps = 100, output_n = 1000000;
    int repeats = 3;
    double target_s = 2.0;
    const char *cache_dir = NULL, *ceiling = NULL, *workload_arg = "all", *lammps = NULL;
    uint64_t tune_n = 1000000, batch_n = 1000000, lammps_n = 100000;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        static const char *const known[] = {"--n", "--devices", "--ref-max-n", "--steps",
                                            "--min-steps", "--repeats",
                                            "--target-seconds", "--cache-dir",
                                            "--ceiling", "--workload", "--output-n",
                                            "--tune-n", "--batch-n", "--lammps",
                                            "--lammps-n", NULL};
        int is_known = 0;
        for (int k = 0; known[k]; k++)
            is_known |= strcmp(a, known[k]) == 0;
        if (!is_known) {
            fprintf(stderr, "exo_bench: unknown option '%s'\n%s", a, usage);
            return 2;
        }
        if (v == NULL) {
            bad = 1;
        } else if (strcmp(a, "--n") == 0) {
            bad = strlen(v) >= sizeof n_arg;
            if (!bad)
                strcpy(n_arg, v);
        } else if (strcmp(a, "--devices") == 0) {
            bad = strlen(v) >= sizeof dev_arg;
            if (!bad)
                strcpy(dev_arg, v);
        } else if (strcmp(a, "--ref-max-n") == 0) {
            bad = parse_count(v, &ref_max_n) != 0;
        } else if (strcmp(a, "--steps") == 0) {
            bad = parse_count(v, &fixed_steps) != 0;
        } else if (strcmp(a, "--min-steps") == 0) {
            bad = parse_count(v, &min_steps) != 0 || min_steps == 0;
        } else if (strcmp(a, "--repeats") == 0) {
            uint64_t r = 0;
            bad = parse_count(v, &r) != 0 || r < 1 || r > MAX_REPEATS;
            repeats = (int)r;
        } else if (strcmp(a, "--target-seconds") == 0) {
            char *end = NULL;
            target_s = strtod(v, &end);
            bad = end == v || *end != '\0' || !(target_s > 0);
        } else if (strcmp(a, "--ceiling") == 0) {
            ceiling = v;
        } else if (strcmp(a, "--output-n") == 0) {
            bad = parse_count(v, &output_n) != 0;
        } else if (strcmp(a, "--tune-n") == 0) {
            bad = parse_count(v, &tune_n) != 0;
        } else if (strcmp(a, "--batch-n") == 0) {
            bad = parse_count(v, &batch_n) != 0 || (batch_n > 0 && batch_n < 4096);
        } else if (strcmp(a, "--lammps") == 0) {
            lammps = v;
        } else if (strcmp(a, "--lammps-n") == 0) {
            bad = parse_count(v, &lammps_n) != 0 || lammps_n == 0;
        } else if (strcmp(a, "--workload") == 0) {
            bad = strcmp(v, "all") != 0 && strcmp(v, "free") != 0 &&
                  strcmp(v, "capillary") != 0 && strcmp(v, "targeting") != 0 &&
                  strcmp(v, "tissue") != 0 && strcmp(v, "epr") != 0;
            workload_arg = v;
        } else {
            cache_dir = v;
        }
        if (bad) {
            fprintf(stderr, "exo_bench: bad or missing value for %s\n%s", a, usage);
            return 2;
        }
        i++;
    }

    /* N list. */
    char *ntok[MAX_N];
    uint64_t ns[MAX_N];
    int nn = split(n_arg, ntok, MAX_N);
    if (nn <= 0) {
        fprintf(stderr, "exo_bench: --n needs 1 to %d counts\n", MAX_N);
        return 2;
    }
    for (int i = 0; i < nn; i++)
        if (parse_count(ntok[i], &ns[i]) != 0 || ns[i] == 0) {
            fprintf(stderr, "exo_bench: bad vesicle count '%s'\n", ntok[i]);
            return 2;
        }

    /* Devices. */
    char *dtok[MAX_DEV];
    int nd = split(dev_arg, dtok, MAX_DEV);
    if (nd <= 0) {
        fprintf(stderr, "exo_bench: --devices needs at least one spec\n");
        return 2;
    }
    devinfo *devs = g_devs;
    int ndev = 0;
    for (int i = 0; i < nd; i++) {
        if (strcmp(dtok[i], "all") == 0 || strcmp(dtok[i], "opencl") == 0) {
            add_opencl_devices(devs, &ndev, cache_dir);
            if (strcmp(dtok[i], "all") == 0)
                add_device(devs, &ndev, REF_SPEC);
        } else {
            if (add_device(devs, &ndev, dtok[i]) != 0)
                break;
            devinfo *d = &devs[ndev - 1];
            exo_error err = {0};
            if (probe_device(d, cache_dir, &err) != EXO_OK) {
                fprintf(stderr, "exo_bench: device '%s' skipped: %s\n", d->spec, err.msg);
                ndev--;
            }
        }
    }
    for (int i = 0; i < ndev; i++)
        if (devs[i].name[0] == '\0') {
            exo_error err = {0};
            if (probe_device(&devs[i], cache_dir, &err) != EXO_OK) {
                fprintf(stderr, "exo_bench: device '%s' skipped: %s\n", devs[i].spec,
                        err.msg);
                memmove(&devs[i], &devs[i + 1], (size_t)(ndev - i - 1) * sizeof devs[0]);
                ndev--;
                i--;
            }
        }
    if (ndev == 0) {
        fprintf(stderr, "exo_bench: no device to measure\n");
        return 1;
    }

    /* Measure. */
#define N_WORKLOADS 9
    static const char *const workloads[N_WORKLOADS] = {
        "free",       "capillary", "targeting",  "tissue-4", "tissue-10",
        "tissue-25",  "tissue-bind", "tissue-ecs", "epr"};
    static row rows[N_WORKLOADS * MAX_DEV * MAX_N];
    int nrows = 0;
    double t_all = now_s();
    for (int w = 0; w < N_WORKLOADS; w++)
    for (int d = 0; d < ndev; d++)
        for (int i = 0; i < nn; i++) {
            int tissue = strncmp(workloads[w], "tissue-", 7) == 0;
            if (strcmp(workload_arg, "all") != 0 && strcmp(workload_arg, workloads[w]) != 0 &&
                !(tissue && strcmp(workload_arg, "tissue") == 0))
                continue;
            g_workload = workloads[w];
            row *r = &rows[nrows++];
            memset(r, 0, sizeof *r);
            r->workload = workloads[w];
            r->spec = devs[d].spec;
            r->n = ns[i];
            if (strcmp(r->spec, REF_SPEC) == 0 && r->n > ref_max_n) {
                nrows--; /* capped: the reference is single-threaded */
                continue;
            }
            measure(r, cache_dir, repeats, fixed_steps, target_s, min_steps);
        }
    /* The cost of output, on the first device measured. */
    double out_with = 0, out_without = 0, out_bytes = 0;
    int out_ok = output_n > 0 &&
                 measure_output_cost(devs[0].spec, cache_dir, output_n, 2000, 1000, repeats,
                                     &out_with, &out_without, &out_bytes) == 0;
    /* Steps per launch K at the runtime's work-group size, then work-group
     * sizes at the default K: the free workload on the first device. */
    static const uint32_t tune_k[] = {10, 30, 100, 300, 1000};
    static const size_t tune_wg[] = {8, 32, 128, 512};
    enum { N_TUNE = sizeof tune_k / sizeof tune_k[0] + sizeof tune_wg / sizeof tune_wg[0] };
    static row tune[N_TUNE];
    uint32_t tune_row_k[N_TUNE];
    size_t tune_row_wg[N_TUNE];
    int ntune = 0;
    for (int t = 0; tune_n > 0 && t < N_TUNE; t++) {
        int is_k = t < (int)(sizeof tune_k / sizeof tune_k[0]);
        g_workload = "free";
        g_steps_per_launch = tune_row_k[t] = is_k ? tune_k[t] : 0;
        g_work_group = tune_row_wg[t] = is_k ? 0 : tune_wg[t - sizeof tune_k / sizeof tune_k[0]];
        row *r = &tune[ntune++];
        memset(r, 0, sizeof *r);
        r->workload = "free";
        r->spec = devs[0].spec;
        r->n = tune_n;
        measure(r, cache_dir, repeats, fixed_steps, target_s / 2, min_steps);
    }
    g_steps_per_launch = 0;
    g_work_group = 0;
    /* Batches: the same run held whole and paged through in 4 batches. */
    static row batch[2];
    for (int b = 0; batch_n > 0 && b < 2; b++) {
        g_workload = "free";
        /* A quarter of the vesicle arrays, and 2 MiB for the rest. */
        g_device_memory = b ? exo_cl_bytes_per_vesicle() * (batch_n / 4 + 64) + (2u << 20) : 0;
        memset(&batch[b], 0, sizeof batch[b]);
        batch[b].workload = "free";
        batch[b].spec = devs[0].spec;
        batch[b].n = batch_n;
        measure(&batch[b], cache_dir, repeats, fixed_steps, target_s, min_steps);
    }
    g_device_memory = 0;
    /* LAMMPS on the free workload, against the first device's free row. */
    double lammps_rate = 0;
    char lammps_how[2200] = "";
    uint64_t lammps_steps = 100000000 / lammps_n ? 100000000 / lammps_n : 1;
    if (lammps)
        lammps_rate = run_lammps(lammps, lammps_n, lammps_steps, lammps_how, sizeof lammps_how);
    /* The ceiling (bench/ceiling.c) at every N, in the same run. */
    double ceil_rate[MAX_N] = {0};
    for (int i = 0; ceiling && i < nn; i++)
        ceil_rate[i] = run_ceiling(ceiling, ns[i], repeats);
    /* Start-up again, now that every device's kernels are in the cache. */
    for (int d = 0; d < ndev; d++) {
        exo_error err = {0};
        exo_scenario *sc = load_scenario(1);
        exo_sim *sim = NULL;
        double t0 = now_s();
        exo_status rc = create_sim(&sim, sc, devs[d].spec, cache_dir, &err);
        devs[d].warm_startup_s = rc == EXO_OK ? now_s() - t0 : -1;
        exo_sim_destroy(sim, NULL);
        exo_scenario_destroy(sc);
    }
    t_all = now_s() - t_all;

    /* Report. */
    size_t bpv = exo_cl_bytes_per_vesicle();
    printf("Devices (start-up = creating a 1-vesicle simulation: device set-up and "
           "kernel build or binary-cache load):\n\n");
    for (int d = 0; d < ndev; d++) {
        char tuned[160] = "";
        if (devs[d].tuned)
            snprintf(tuned, sizeof tuned, "; launches: work-group %zu%s, K = %u (%s, %.2fx "
                     "the defaults when tuned)", devs[d].tuning.work_group_size,
                     devs[d].tuning.work_group_size ? "" : " (the runtime's)",
                     devs[d].tuning.steps_per_launch,
                     devs[d].tuning.from_cache ? "tuned choice from the cache" : "tuned now",
                     devs[d].tuning.default_rate > 0
                         ? devs[d].tuning.rate / devs[d].tuning.default_rate : 1.0);
        printf("- `%s`: %s; start-up %.3f s%s%s\n", devs[d].spec, devs[d].name,
               devs[d].cold_startup_s,
               devs[d].from_cache == 1   ? " (kernels from cache)"
               : devs[d].from_cache == 0 ? " (kernels compiled)"
                                         : "", tuned);
    }
    printf("\nWorkloads: `free` = overdamped Brownian dynamics of 100-nm vesicles in "
           "plasma in a periodic 100-um box, dt = 1 us; `capillary` = the same vesicles in "
           "scenarios/capillary_flow.cfg's capillary (R = 4 um, Poiseuille U = 1 mm/s, "
           "reflecting wall with an adsorbing 40-um region, periodic ends), dt = 10 us; "
           "`targeting` = scenarios/tumor_vessel_targeting.cfg's binding in that capillary "
           "(Poisson 100 RGD ligands per vesicle, avb3 at 100 /um^2 on the 40-um tumour "
           "region and 5 /um^2 elsewhere, bonds, uptake, events recorded); `tissue-k` = "
           "the free workload's vesicles (dt = 10 us) among k^3 cells of radius 4.15 um on "
           "a 10-um simple cubic lattice (they fill 0.30) in a periodic box k x 10 um wide: "
           "k = 4, 10, 25 are 64, 1000 and 15625 cells around the same local geometry; "
           "`tissue-bind` = tissue-10 with integrin membranes (avb3 100 /um^2, depleting "
           "per cell, uptake) that bind the targeting workload's RGD vesicles, events "
           "recorded; "
           "`tissue-ecs` = scenarios/tissue_ecs.cfg's dense tumour tissue (64 cells on a "
           "hexagonal lattice filling 0.58, 1-um gaps, dt = 1 ms, rms step 115 nm); "
           "`epr` = scenarios/tumor_epr.cfg's leaky tumour capillary beside tissue (lumen "
           "and tissue compartments, homogenised pores on 100 um of its 200 um, 128 cells "
           "that take vesicles up (a Robin membrane, where the scenario's bind), radial "
           "interstitial flow, clearance, crossing events; "
           "during a benchmark nearly every vesicle is still in the lumen), dt = 20 us. "
           "No output; each device's tuned work-group size and steps per launch, as "
           "`exobd run` uses them (the device list); %d timed run(s) per row%s. The ceiling "
           "is the free workload's arithmetic.\n\n",
           repeats, fixed_steps ? "" : ", steps chosen for about the target duration");
    if (ceiling) {
        printf("Ceiling (`%s N STEPS %d`, bench/ceiling.c: OpenMP C, all cores):", ceiling,
               repeats);
        for (int i = 0; i < nn; i++) {
            char nstr[32];
            fmt_count(nstr, sizeof nstr, ns[i]);
            printf(" N = %s: %.3g;", nstr, ceil_rate[i]);
        }
        printf(" particle-steps/s.\n\n");
    }
    printf("| workload | device | N | steps | median particle-steps/s | min | max "
           "| vs cpu-reference | vs ceiling | bytes/vesicle | device memory | start-up s |\n");
    printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int k = 0; k < nrows; k++) {
        const row *r = &rows[k];
        int is_ref = strcmp(r->spec, REF_SPEC) == 0;
        char mem[64], bytes[32], ratio[32] = "—", nstr[32];
        fmt_count(nstr, sizeof nstr, r->n);
        if (is_ref) {
            snprintf(bytes, sizeof bytes, "— (host)");
            snprintf(mem, sizeof mem, "—");
        } else {
            snprintf(bytes, sizeof bytes, "%zu", bpv);
            snprintf(mem, sizeof mem, "%.3g MiB", (double)bpv * (double)r->n / 1048576.0);
        }
        if (!r->ok) {
            printf("| %s | %s | %s | — | not measured: %s | — | — | — | — | %s | %s | %.3f |\n",
                   r->workload, r->spec, nstr, r->why, bytes, mem, r->startup_s);
            continue;
        }
        for (int j = 0; j < nrows; j++)
            if (rows[j].ok && rows[j].n == r->n && strcmp(rows[j].spec, REF_SPEC) == 0 &&
                rows[j].workload == r->workload)
                snprintf(ratio, sizeof ratio, "%.2fx", r->median / rows[j].median);
        char med[32], lo[32], hi[32], vs_ceil[32] = "—";
        fmt_rate(med, sizeof med, r->median);
        fmt_rate(lo, sizeof lo, r->min);
        fmt_rate(hi, sizeof hi, r->max);
        for (int i = 0; i < nn; i++)
            if (ns[i] == r->n && ceil_rate[i] > 0)
                snprintf(vs_ceil, sizeof vs_ceil, "%.2fx", r->median / ceil_rate[i]);
        printf("| %s | %s | %s | %llu | %s | %s | %s | %s | %s | %s | %s | %.3f |\n",
               r->workload, r->spec,
               nstr, (unsigned long long)r->steps, med, lo, hi, ratio, vs_ceil, bytes,
               mem, r->startup_s);
    }
    print_targets(rows, nrows, devs, ndev, ns, nn, ceil_rate, bpv,
                  out_ok ? out_with / out_without : -1, output_n,
                  batch_n > 0 && batch[0].ok && batch[1].ok ? batch[1].median / batch[0].median
                                                            : -1);
    if (out_ok) {
        char nstr[32];
        fmt_count(nstr, sizeof nstr, output_n);
        printf("\nOutput cost (free workload, `%s`, N = %s, 2000 steps run to the end with "
               "the whole trajectory, positions, states and image counts, and the "
               "observables written every 1000 steps: 3 frames, %.0f MB, uncompressed; "
               "medians of %d alternating runs): %.3f s with output, %.3f s without, "
               "ratio %.3f (target <= 1.15).\n", devs[0].spec, nstr, out_bytes / 1e6,
               repeats, out_with, out_without, out_with / out_without);
    }
    if (ntune > 0) {
        char nstr[32];
        fmt_count(nstr, sizeof nstr, tune_n);
        printf("\nSteps per launch K and work-group size (free workload, `%s`, N = %s; "
               "0 = exobd's default: K = 100, the runtime's work-group size; results do "
               "not depend on either):\n\n", devs[0].spec, nstr);
        printf("| K | work-group | median particle-steps/s | min | max | vs default |\n");
        printf("|---:|---:|---:|---:|---:|---:|\n");
        double def = 0;
        for (int t = 0; t < ntune; t++)
            if (tune[t].ok && (tune_row_k[t] == 100 && tune_row_wg[t] == 0))
                def = tune[t].median;
        for (int t = 0; t < ntune; t++) {
            if (!tune[t].ok) {
                printf("| %u | %zu | not measured: %s | — | — | — |\n", tune_row_k[t],
                       tune_row_wg[t], tune[t].why);
                continue;
            }
            char vs[32] = "—";
            if (def > 0)
                snprintf(vs, sizeof vs, "%.2fx", tune[t].median / def);
            printf("| %u | %zu | %.3g | %.3g | %.3g | %s |\n", tune_row_k[t] ? tune_row_k[t] : 100,
                   tune_row_wg[t], tune[t].median, tune[t].min, tune[t].max, vs);
        }
    }
    if (batch_n > 0) {
        char nstr[32];
        fmt_count(nstr, sizeof nstr, batch_n);
        printf("\nBatches (free workload, `%s`, N = %s; the same run held whole on the "
               "device and paged through it in 4 batches with `--device-memory`, bitwise "
               "the same results, tests/cli/test_batching.sh): ", devs[0].spec, nstr);
        if (batch[0].ok && batch[1].ok)
            printf("%.3g particle-steps/s whole, %.3g in batches, ratio %.2f.\n",
                   batch[0].median, batch[1].median, batch[1].median / batch[0].median);
        else
            printf("not measured: %s\n", batch[0].ok ? batch[1].why : batch[0].why);
    }
    if (lammps) {
        char nstr[32];
        fmt_count(nstr, sizeof nstr, lammps_n);
        double ours = 0;
        for (int k = 0; k < nrows; k++)
            if (rows[k].ok && rows[k].n == lammps_n && strcmp(rows[k].workload, "free") == 0 &&
                rows[k].spec == devs[0].spec)
                ours = rows[k].median;
        printf("\nLAMMPS (`%s`, %llu steps; Debian's build has no `fix brownian` (its "
               "BROWNIAN package is not included), so the input integrates the nearest it "
               "has, `fix nve` + `fix langevin`: inertial Langevin steps with uniform noise, "
               "no pair forces, neighbour lists rebuilt every 100 steps): ",
               lammps_how, (unsigned long long)lammps_steps);
        if (lammps_rate > 0 && ours > 0)
            printf("%.3g particle-steps/s at N = %s; exobd free (`%s`) %.3g, ratio %.1fx.\n",
                   lammps_rate, nstr, devs[0].spec, ours, ours / lammps_rate);
        else if (lammps_rate > 0)
            printf("%.3g particle-steps/s at N = %s (exobd's free workload not measured "
                   "at that N).\n", lammps_rate, nstr);
        else
            printf("did not run (see the log).\n");
    }
    printf("\nBenchmark wall time %.0f s.\n", t_all);
    return 0;
}
