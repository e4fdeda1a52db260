/*
 * exobd: the command-line program.  Parses arguments, calls the library,
 * prints progress and errors, and maps failures to exit statuses
 * (0 success, 1 runtime failure, 2 bad input).  The only place that prints
 * errors or exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exo_cl.h"
#include "exo_comm.h"
#include "exo_error.h"
#include "exo_scenario.h"
#include "exo_summary.h"
#include "exo_tune.h"
#include "exo_units.h"
#include "exobd/exobd.h"

static const char usage[] =
    "exobd " EXOBD_VERSION_STRING " - Brownian dynamics of extracellular vesicles\n"
    "\n"
    "usage:\n"
    "  exobd run SCENARIO.cfg [-o OUT.h5] [--device SPEC] [--set PATH=VALUE]...\n"
    "                         [--seed N] [--steps-per-launch K] [--work-group N]\n"
    "                         [--vector-width W] [--native-math] [--quiet]\n"
    "                         [--device-memory SIZE] [--resume CKPT] [--checkpoint CKPT]\n"
    "                         [--checkpoint-every TIME] [--checkpoint-steps N]\n"
    "  exobd check SCENARIO.cfg [--set PATH=VALUE]... [--seed N]\n"
    "  exobd devices\n"
    "  exobd tune [--device SPEC] [--vector-width W] [--native-math]\n"
    "  exobd summary OUT.h5 [--target REGION[,REGION...]] [--csv FILE]\n"
    "  exobd --help | --version\n"
    "\n"
    "run      simulate the scenario; writes OUT.h5 (H5MD) and OUT.xdmf (ParaView)\n"
    "check    validate the scenario and print derived quantities and warnings\n"
    "devices  list OpenCL platforms and devices; * marks the default\n"
    "tune     measure the work-group size and steps per launch for a device\n"
    "         again (run does it once per device and caches the choice)\n"
    "summary  targeting efficiency, delivery per region and dwell times of a run\n"
    "         (--target: the target regions, default those with the most\n"
    "         receptors; --csv: also write the table as CSV)\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.h5      output file (default: output.file of the scenario)\n"
    "  --device SPEC            INDEX, P:D, gpu, cpu, a name substring, or\n"
    "                           cpu-reference (the C reference stepper)\n"
    "  --set PATH=VALUE         override a setting, e.g. --set vesicles.[0].count=1000\n"
    "                           or --set 'simulation.dt=\"2 us\"'\n"
    "  --seed N                 same as --set seed=N\n"
    "  --steps-per-launch K     steps per kernel launch; results do not depend on it\n"
    "  --work-group N           OpenCL work-group size; with neither option, both\n"
    "                           are the device's tuned choice (exobd tune)\n"
    "  --vector-width W         vesicles per OpenCL work-item: 1, 2, 4, 8 or 16\n"
    "                           (default 16 on CPU devices, 1 on GPUs)\n"
    "  --native-math            OpenCL native_ log/sin/cos/sqrt for the noise:\n"
    "                           faster, accuracy as the device defines it\n"
    "  --device-memory SIZE     device memory the run may use, e.g. 2GiB, 512MB\n"
    "                           (default: all); more vesicles than fit run in\n"
    "                           batches paged through the device, same results\n"
    "  --quiet                  no progress output\n"
    "  --resume CKPT            continue the run saved in CKPT (same scenario and\n"
    "                           --set/--seed; the output is cut back to the\n"
    "                           checkpoint and continued)\n"
    "  --checkpoint CKPT        where checkpoints go (default: OUT.ckpt beside OUT.h5)\n"
    "  --checkpoint-every TIME  wall-clock time between checkpoints, e.g. \"10 min\"\n"
    "                           (default 30 min; 0 s: only when stopped)\n"
    "  --checkpoint-steps N     also a checkpoint every N steps\n"
    "\n"
    "SIGINT or SIGTERM stops a run after the current launch with a checkpoint and\n"
    "the output closed; a second one stops it at once (frames flushed so far stay\n"
    "readable).\n"
    "exit status: 0 success, 1 runtime failure, 2 bad input, 130/143 stopped by\n"
    "SIGINT/SIGTERM.\n"
    "Documentation: README.md and docs/ in the source tree.\n";

/* Whether this process speaks for the run: always, but in an MPI run of
 * several ranks, where rank 0 does. */
static int speaks(void) { return exo_comm_rank() == 0; }

/* Report an error and give the exit status.  In an MPI run an error every
 * rank holds (exo_comm_agree) is reported once and every rank exits with
 * it; one that only this rank met stops the whole job (MPI_Abort), since
 * the others may be waiting for this one. */
static int fail(const exo_error *err)
{
    int code = exo_status_exit_code(err->status);
    if (exo_comm_size() > 1 && !err->all_ranks) {
        if (strncmp(err->msg, "rank ", 5) == 0)
            fprintf(stderr, "exobd: error: %s\n", err->msg);
        else
            fprintf(stderr, "exobd: error: rank %d of %d: %s\n", exo_comm_rank(),
                    exo_comm_size(), err->msg);
        fprintf(stderr, "exobd: stopping every rank of the run\n");
        exo_comm_abort(code);
    }
    if (!speaks())
        return code;
    fprintf(stderr, "exobd: error: %s\n", err->msg);
    if (getenv("EXOBD_DEBUG"))
        fprintf(stderr, "exobd: (at %s, %s)\n", err->where,
                exo_status_name(err->status));
    return code;
}

static int bad_usage(const char *fmt, const char *arg);

/* exobd summary OUT.h5 [--target LIST] [--csv FILE] */
static int cmd_summary(int argc, char **argv)
{
    const char *file = NULL, *target = NULL, *csv = NULL;
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--target") == 0 || strcmp(o, "--csv") == 0) {
            if (i + 1 >= argc)
                return bad_usage("option %s needs a value", o);
            *(strcmp(o, "--csv") == 0 ? &csv : &target) = argv[++i];
        } else if (o[0] == '-') {
            return bad_usage("unknown option '%s' for summary", o);
        } else if (file == NULL) {
            file = o;
        } else {
            return bad_usage("unexpected argument '%s'", o);
        }
    }
    if (file == NULL)
        return bad_usage("%s", "summary needs an output file (OUT.h5)");
    exo_error err = {0};
    return exo_summary(file, target, stdout, csv, &err) == EXO_OK ? 0 : fail(&err);
}

static int bad_usage(const char *fmt, const char *arg)
{
    if (!speaks()) /* every rank has the same arguments */
        return 2;
    fprintf(stderr, "exobd: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'exobd --help' for usage.\n");
    return 2;
}

typedef struct progress_state {
    int tty;
    double last_wall;
} progress_state;

static void format_duration(char *buf, size_t n, double s)
{
    if (s < 0 || s > 1e8)
        snprintf(buf, n, "?");
    else if (s < 60)
        snprintf(buf, n, "%.0fs", s);
    else if (s < 3600)
        snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)s % 60);
    else
        snprintf(buf, n, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
}

static void on_progress(void *user, uint64_t step, uint64_t steps, double t,
                        double wall, double rate)
{
    progress_state *ps = user;
    int done = step >= steps;
    /* A terminal gets a live line at most 10 times a second; a log file a
     * plain line every 10 s, and always the last one. */
    if (!done && wall - ps->last_wall < (ps->tty ? 0.1 : 10.0))
        return;
    ps->last_wall = wall;
    char eta[32];
    format_duration(eta, sizeof eta, step ? wall * (double)(steps - step) / (double)step : -1);
    fprintf(stderr, "%sstep %llu/%llu (%.1f%%)  t = %.6g s  %.3g particle-steps/s  ETA %s%s",
            ps->tty ? "\r" : "", (unsigned long long)step, (unsigned long long)steps,
            steps ? 100.0 * (double)step / (double)steps : 100.0, t, rate, eta,
            ps->tty ? (done ? "\n" : "   ") : "\n");
    fflush(stderr);
}

typedef struct args {
    const char *scenario, *output, *device, *seed;
    const char **sets;
    size_t n_sets;
    unsigned long steps_per_launch;
    unsigned long work_group;
    unsigned long vector_width;
    int native_math;
    int quiet;
    const char *resume, *checkpoint;
    double checkpoint_every_s;      /* 0: default */
    unsigned long checkpoint_steps;
    uint64_t device_memory;         /* bytes; 0: the device's */
} args;

static int parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* A size in bytes: an integer or decimal with an optional unit, B, kB, MB,
 * GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), space allowed. */
static int parse_bytes(const char *s, uint64_t *out)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1},      {"B", 1},          {"kB", 1e3},        {"KB", 1e3},
                 {"MB", 1e6},  {"GB", 1e9},       {"TB", 1e12},       {"KiB", 1024.0},
                 {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !(v > 0) || s[0] == '-')
        return -1;
    while (*end == ' ')
        end++;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (strcmp(end, units[k].unit) == 0) {
            double bytes = v * units[k].scale;
            if (!(bytes >= 1 && bytes < 1.8e19))
                return -1;
            *out = (uint64_t)bytes;
            return 0;
        }
    return -1;
}

static int parse_args(int argc, char **argv, int allow_run_options, args *a)
{
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0 ||
                    strcmp(o, "--device") == 0 || strcmp(o, "--set") == 0 ||
                    strcmp(o, "--seed") == 0 || strcmp(o, "--steps-per-launch") == 0 ||
                    strcmp(o, "--work-group") == 0 || strcmp(o, "--vector-width") == 0 ||
                    strcmp(o, "--resume") == 0 || strcmp(o, "--checkpoint") == 0 ||
                    strcmp(o, "--checkpoint-every") == 0 ||
                    strcmp(o, "--checkpoint-steps") == 0 || strcmp(o, "--device-memory") == 0;
        if (takes && v == NULL)
            return bad_usage("option %s needs a value", o);
        int run_only = strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0 ||
                       strncmp(o, "--device", 8) == 0 || strcmp(o, "--steps-per-launch") == 0 ||
                       strcmp(o, "--work-group") == 0 || strcmp(o, "--quiet") == 0 ||
                       strcmp(o, "--vector-width") == 0 || strcmp(o, "--native-math") == 0 ||
                       strncmp(o, "--resume", 8) == 0 || strncmp(o, "--checkpoint", 12) == 0;
        if (run_only && !allow_run_options)
            return bad_usage("option %s applies to 'exobd run' only", o);
        if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0) {
            a->output = v;
            i++;
        } else if (strcmp(o, "--device") == 0) {
            a->device = v;
            i++;
        } else if (strcmp(o, "--set") == 0) {
            a->sets[a->n_sets++] = v;
            i++;
        } else if (strcmp(o, "--seed") == 0) {
            unsigned long seed;
            if (parse_ulong(v, &seed))
                return bad_usage("--seed expects a non-negative integer, got '%s'", v);
            a->seed = v;
            i++;
        } else if (strcmp(o, "--steps-per-launch") == 0) {
            if (parse_ulong(v, &a->steps_per_launch) || a->steps_per_launch == 0 ||
                a->steps_per_launch > 1000000)
                return bad_usage("--steps-per-launch expects an integer in "
                                 "[1, 1000000], got '%s'", v);
            i++;
        } else if (strcmp(o, "--work-group") == 0) {
            if (parse_ulong(v, &a->work_group) || a->work_group == 0 ||
                a->work_group > 65536)
                return bad_usage("--work-group expects an integer in [1, 65536], "
                                 "got '%s'", v);
            i++;
        } else if (strcmp(o, "--vector-width") == 0) {
            unsigned long w;
            if (parse_ulong(v, &w) || (w != 1 && w != 2 && w != 4 && w != 8 && w != 16))
                return bad_usage("--vector-width expects 1, 2, 4, 8 or 16, got '%s'", v);
            a->vector_width = w;
            i++;
        } else if (strcmp(o, "--resume") == 0) {
            a->resume = v;
            i++;
        } else if (strcmp(o, "--checkpoint") == 0) {
            if (v[0] == '\0')
                return bad_usage("--checkpoint expects a file name, got '%s'", v);
            a->checkpoint = v;
            i++;
        } else if (strcmp(o, "--checkpoint-every") == 0) {
            char why[256];
            double t;
            if (exo_units_parse(v, EXO_DIM_TIME, &t, why, sizeof why) != 0 || !(t >= 0))
                return bad_usage("--checkpoint-every expects a time such as \"10 min\", "
                                 "got '%s'", v);
            a->checkpoint_every_s = t > 0 ? t : -1;
            i++;
        } else if (strcmp(o, "--checkpoint-steps") == 0) {
            if (parse_ulong(v, &a->checkpoint_steps) || a->checkpoint_steps == 0)
                return bad_usage("--checkpoint-steps expects a positive integer, got '%s'", v);
            i++;
        } else if (strcmp(o, "--device-memory") == 0) {
            if (parse_bytes(v, &a->device_memory))
                return bad_usage("--device-memory expects a size such as 2GiB or 512MB, "
                                 "got '%s'", v);
            i++;
        } else if (strcmp(o, "--native-math") == 0) {
            a->native_math = 1;
        } else if (strcmp(o, "--quiet") == 0) {
            a->quiet = 1;
        } else if (o[0] == '-' && o[1] != '\0') {
            return bad_usage("unknown option '%s'", o);
        } else if (a->scenario == NULL) {
            a->scenario = o;
        } else {
            return bad_usage("unexpected argument '%s'", o);
        }
    }
    if (a->scenario == NULL)
        return bad_usage("%s needs a scenario file", argv[1]);
    return 0;
}

static int load(const args *a, exo_scenario **sc, exo_error *err)
{
    char seedset[64];
    if (a->seed) {
        snprintf(seedset, sizeof seedset, "seed=%sL", a->seed);
        a->sets[a->n_sets] = seedset;
    }
    exo_status rc = exo_scenario_load(sc, a->scenario, a->sets,
                                      a->n_sets + (a->seed != NULL), err);
    rc = exo_comm_agree(rc, err); /* each rank reads the file itself */
    return rc == EXO_OK ? 0 : fail(err);
}

/* Runs of a sweep.sequence a scenario starts (0: none, or one chosen with
 * sweep.run). */
static uint32_t sequence_runs(const exo_scenario *sc)
{
    return sc->sequence.n_settings > 0 && sc->sequence.run < 0 ? sc->sequence.n_runs : 0;
}

/* Load run @p r of the scenario's sequence: a's --set options and
 * sweep.run=r (main() leaves room in a->sets for it and --seed). */
static int load_run(const args *a, uint32_t r, exo_scenario **sc, exo_error *err)
{
    args each = *a;
    char set[64];
    snprintf(set, sizeof set, "sweep.run=%u", r);
    each.sets[each.n_sets++] = set;
    return load(&each, sc, err);
}

/* Load every run of the sequence, so a value that is wrong for run 7 is
 * reported before run 0 starts. */
static int load_every_run(const args *a, uint32_t runs)
{
    for (uint32_t r = 0; r < runs; r++) {
        exo_error err = {0};
        exo_scenario *sc = NULL;
        int rc = load_run(a, r, &sc, &err);
        exo_scenario_destroy(sc);
        if (rc)
            return rc;
    }
    return 0;
}

static int cmd_check(const args *a)
{
    exo_error err = {0};
    exo_scenario *sc = NULL;
    int rc = load(a, &sc, &err);
    if (rc)
        return rc;
    uint32_t runs = sequence_runs(sc);
    if (runs && (rc = load_every_run(a, runs)) != 0) {
        exo_scenario_destroy(sc);
        return rc;
    }
    int warnings = exo_scenario_describe(sc, exo_cl_bytes_per_vesicle(), stdout);
    if (runs)
        printf("sequence: each of the %u runs loads and checks\n", runs);
    printf("%s: ok%s\n", a->scenario, warnings ? " (with warnings)" : "");
    exo_scenario_destroy(sc);
    return 0;
}

/* The signal that asked the run to stop (0: none).  The first SIGINT or
 * SIGTERM only sets it: the run stops after its launch, with a checkpoint
 * and closed files.  A second one ends the process at once; the output
 * keeps every frame flushed before it. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    if (stop_signal)
        _exit(128 + sig);
    stop_signal = sig;
}

static int install_stop_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    /* A file-size limit should fail a write (EFBIG), which exobd reports,
     * not kill the process. */
    signal(SIGXFSZ, SIG_IGN);
    return 0;
}

/* Run scenario @p sc (loaded with a's --set options; freed here). */
static int run_one(const args *a, exo_scenario *sc)
{
    exo_error err = {0};
    exo_sim *sim = NULL;
    char *output = NULL;
    int rc = 0;
    progress_state ps = {isatty(fileno(stderr)), -1e9};
    exo_run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.device = a->device;
    /* -o names the sequence's files as output.file does: OUT_run<S>.h5 */
    if (a->output && (output = exo_scenario_run_path(sc, a->output)) == NULL) {
        fprintf(stderr, "exobd: error: out of host memory\n");
        exo_scenario_destroy(sc);
        free(output);
        return 1;
    }
    opt.output_path = output;
    opt.steps_per_launch = (uint32_t)a->steps_per_launch;
    opt.work_group_size = a->work_group;
    opt.vector_width = (uint32_t)a->vector_width;
    opt.native_math = a->native_math;
    opt.device_memory = a->device_memory;
    opt.log = a->quiet || !speaks() ? NULL : stderr;
    opt.resume_path = a->resume;
    opt.checkpoint_path = a->checkpoint;
    opt.checkpoint_every_s = a->checkpoint_every_s;
    opt.checkpoint_every_steps = a->checkpoint_steps;
    opt.stop_request = &stop_signal;
    if (install_stop_handlers() != 0) {
        fprintf(stderr, "exobd: error: cannot install the SIGINT/SIGTERM handlers: %s\n",
                strerror(errno));
        exo_scenario_destroy(sc);
        free(output);
        return 1;
    }
    if (!a->quiet && speaks()) {
        opt.progress = on_progress;
        opt.progress_user = &ps;
    }
    char spec[512];
    const char *mine = exo_comm_pick(a->device, spec, sizeof spec);
    int reference = mine && strcmp(mine, "cpu-reference") == 0;
    if (!reference && a->work_group == 0 && a->steps_per_launch == 0) {
        /* Each rank tunes its own device; a rank that cannot stops all. */
        exo_tuning t;
        if (exo_comm_agree(exo_tune_choose(&opt, 0, opt.log, &t, &err), &err) != EXO_OK) {
            rc = fail(&err);
            exo_scenario_destroy(sc);
            free(output);
            return rc;
        }
        opt.work_group_size = t.work_group_size;
        opt.steps_per_launch = t.steps_per_launch;
        if (opt.log)
            fprintf(opt.log, "exobd: work-group %zu%s, %u steps per launch: %s %s "
                             "(--work-group or --steps-per-launch to choose)\n",
                    t.work_group_size, t.work_group_size ? "" : " (the runtime's)",
                    t.steps_per_launch, t.from_cache ? "this device's tuned choice from"
                                                     : "tuned for this device, kept in",
                    t.path);
    }
    if (exo_sim_create(&sim, sc, &opt, &err) != EXO_OK ||
        exo_sim_run(sim, &err) != EXO_OK) {
        if (err.status == EXO_ERR_INTERRUPTED && (stop_signal || err.all_ranks)) {
            const char *ckpt = sim ? exo_sim_checkpoint_path(sim) : NULL;
            int sig = stop_signal ? stop_signal : SIGTERM; /* another rank's */
            if (!speaks())
                ckpt = NULL;
            else
                fprintf(stderr, "exobd: %s: %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM",
                        err.msg);
            char run[64] = "";
            if (sc->sequence.n_settings > 0)
                snprintf(run, sizeof run, " --set sweep.run=%lld", (long long)sc->sequence.run);
            if (ckpt)
                fprintf(stderr, "exobd: resume with: exobd run %s%s --resume %s%s\n",
                        a->scenario, run, ckpt,
                        a->n_sets || a->seed ? " (and the same --set/--seed)" : "");
            rc = 128 + sig;
            exo_sim_destroy(sim, NULL);
            exo_scenario_destroy(sc);
            free(output);
            return rc;
        }
        rc = fail(&err);
        exo_sim_destroy(sim, NULL);
        exo_scenario_destroy(sc);
        free(output);
        return rc;
    }
    char out[4096] = "";
    if (exo_sim_output_path(sim))
        snprintf(out, sizeof out, "%s", exo_sim_output_path(sim));
    if (exo_sim_destroy(sim, &err) != EXO_OK)
        rc = fail(&err);
    if (rc == 0 && !a->quiet && out[0] && speaks())
        fprintf(stderr, "exobd: wrote %s and its ParaView sidecar (.xdmf)\n", out);
    exo_scenario_destroy(sc);
    free(output);
    return rc;
}

/* exobd run: the scenario, or each run of its sweep.sequence in turn. */
static int cmd_run(const args *a)
{
    exo_error err = {0};
    exo_scenario *sc = NULL;
    int rc = load(a, &sc, &err);
    if (rc)
        return rc;
    const uint32_t runs = sequence_runs(sc);
    if (runs == 0)
        return run_one(a, sc);
    exo_scenario_destroy(sc);
    if (a->resume) {
        fprintf(stderr, "exobd: error: --resume continues one run of the sequence: add "
                        "--set sweep.run=S (S the run stopped)\n");
        return 2;
    }
    if ((rc = load_every_run(a, runs)) != 0)
        return rc;
    for (uint32_t r = 0; r < runs; r++) {
        int stop = stop_signal;
        exo_error err_stop = {0};
        if (exo_comm_max_int(&stop, 1, &err_stop) != EXO_OK) /* the ranks stop together */
            return fail(&err_stop);
        if (stop) { /* it came between two runs */
            if (speaks())
                fprintf(stderr, "exobd: %s: stopped before run %u; runs %u to %u of the "
                                "sequence did not start (each alone: --set sweep.run=S)\n",
                        stop == SIGINT ? "SIGINT" : "SIGTERM", r, r, runs - 1);
            return 128 + stop;
        }
        if (!a->quiet && speaks())
            fprintf(stderr, "exobd: run %u of %u of the sequence\n", r, runs);
        sc = NULL;
        if ((rc = load_run(a, r, &sc, &err)) == 0)
            rc = run_one(a, sc);
        if (rc != 0) {
            if (r + 1 < runs)
                fprintf(stderr, "exobd: runs %u to %u of the sequence did not start (each "
                                "alone: --set sweep.run=S)\n", r + 1, runs - 1);
            return rc;
        }
    }
    return 0;
}

/* exobd tune: measure the launch settings of a device again and cache them. */
static int cmd_tune(int argc, char **argv)
{
    exo_run_options opt;
    memset(&opt, 0, sizeof opt);
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--device") == 0 && i + 1 < argc) {
            opt.device = argv[++i];
        } else if (strcmp(o, "--vector-width") == 0 && i + 1 < argc) {
            unsigned long w;
            if (parse_ulong(argv[++i], &w) || (w != 1 && w != 2 && w != 4 && w != 8 && w != 16))
                return bad_usage("--vector-width expects 1, 2, 4, 8 or 16, got '%s'", argv[i]);
            opt.vector_width = (uint32_t)w;
        } else if (strcmp(o, "--native-math") == 0) {
            opt.native_math = 1;
        } else {
            return bad_usage("exobd tune: unexpected argument '%s' (--device SPEC, "
                             "--vector-width W, --native-math)", o);
        }
    }
    if (opt.device && strcmp(opt.device, "cpu-reference") == 0)
        return bad_usage("%s", "exobd tune: the cpu-reference stepper has nothing to tune");
    exo_error err = {0};
    exo_tuning t;
    if (exo_tune_choose(&opt, 1, stderr, &t, &err) != EXO_OK)
        return fail(&err);
    printf("work-group %zu%s, %u steps per launch: %.3g particle-steps/s (%.2fx the "
           "defaults)\nkept in %s\n", t.work_group_size,
           t.work_group_size ? "" : " (the runtime's)", t.steps_per_launch, t.rate,
           t.default_rate > 0 ? t.rate / t.default_rate : 1.0, t.path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return bad_usage("%s", "missing command (run, check, devices, summary, tune)");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("exobd %s\n", EXOBD_VERSION_STRING);
        return 0;
    }
    if (strcmp(cmd, "devices") == 0) {
        exo_error err = {0};
        if (argc > 2)
            return bad_usage("unexpected argument '%s'", argv[2]);
        return exo_cl_list_devices(stdout, &err) == EXO_OK ? 0 : fail(&err);
    }
    if (strcmp(cmd, "summary") == 0)
        return cmd_summary(argc, argv);
    if (strcmp(cmd, "tune") == 0)
        return cmd_tune(argc, argv);
    int is_run = strcmp(cmd, "run") == 0;
    if (!is_run && strcmp(cmd, "check") != 0)
        return bad_usage("unknown command '%s' (run, check, devices, summary, tune)", cmd);
    if (is_run) { /* the MPI build's ranks start here (docs/cluster.md) */
        exo_error err = {0};
        if (exo_comm_init(&argc, &argv, &err) != EXO_OK)
            return fail(&err);
    }
    args a;
    memset(&a, 0, sizeof a);
    a.sets = calloc((size_t)argc + 3, sizeof *a.sets); /* + sweep.run, --seed */
    if (a.sets == NULL)
        return 1;
    int rc = parse_args(argc, argv, is_run, &a);
    if (rc == 0)
        rc = is_run ? cmd_run(&a) : cmd_check(&a);
    free(a.sets);
    exo_comm_finalize();
    return rc;
}
