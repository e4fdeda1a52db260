/*
 * exo_tune: see exo_tune.h.
 *
 * The measurement is the free-diffusion step (the arithmetic every workload
 * shares) on enough vesicles to fill the device: 10^5 at first, ten times
 * more while a launch of 100 steps takes under 50 ms (up to 10^7).  Each
 * candidate gets its own simulation (the work-group size is fixed when one
 * is created), one untimed launch (PoCL compiles a kernel per work-group
 * size on first use) and the best of three timed ones.  A candidate wins
 * only by 3% or more over the one kept, so noise leaves the defaults.
 */
#include "exo_tune.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exo_cl.h"
#include "exo_error.h"
#include "exo_sha256.h"

#define TUNE_FORMAT "exobd tuning 1"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static exo_status free_scenario(exo_scenario **sc, uint32_t n, exo_error *err)
{
    char text[1024];
    snprintf(text, sizeof text,
             "name = \"exobd_tune\";\n"
             "seed = 1;\n"
             "simulation = { dt = \"1 us\"; steps = 1; integrator = \"overdamped\"; };\n"
             "vesicles = ( { name = \"v\"; count = %u; radius = \"50 nm\";\n"
             "               start = { kind = \"uniform\"; region = \"box\"; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [100.0, 100.0, 100.0];\n"
             "             faces = [\"periodic\", \"periodic\", \"periodic\"]; }; };\n"
             "output = { file = \"\"; };\n",
             n);
    return exo_scenario_load_text(sc, text, "exobd_tune.cfg", NULL, 0, err);
}

/* A simulation of sc on opt's device with work-group wg and K steps per
 * launch; *rate: its best particle-steps/s over `timed` launches of K
 * steps after one untimed.  *launch_s: the best launch's seconds. */
static exo_status time_candidate(const exo_run_options *opt, const exo_scenario *sc,
                                 size_t wg, uint32_t k, int timed, double *rate,
                                 double *launch_s, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_sim *sim = NULL;
    exo_run_options o = *opt;
    o.work_group_size = wg;
    o.steps_per_launch = k;
    o.output_path = "";
    o.log = NULL;
    o.progress = NULL;
    o.resume_path = NULL;
    o.checkpoint_path = NULL;
    o.one_process = 1; /* each rank tunes its own device */
    EXO_TRY(exo_sim_create(&sim, sc, &o, err));
    EXO_TRY(exo_sim_advance(sim, k, err));
    double best = 1e300;
    for (int i = 0; i < timed; i++) {
        double t0 = now_s();
        EXO_TRY(exo_sim_advance(sim, k, err));
        double t = now_s() - t0;
        best = t < best ? t : best;
    }
    *launch_s = best;
    *rate = (double)exo_sim_vesicle_count(sim) * k / (best > 0 ? best : 1e-9);
cleanup:
    exo_sim_destroy(sim, NULL);
    return rc;
}

static int read_cache(const char *path, exo_tuning *t)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char head[64] = "";
    unsigned long wg = 0, k = 0;
    double rate = 0, def = 0;
    int ok = fgets(head, sizeof head, f) != NULL && strncmp(head, TUNE_FORMAT, strlen(TUNE_FORMAT)) == 0 &&
             fscanf(f, "work_group %lu\nsteps_per_launch %lu\nrate %lf\ndefault_rate %lf", &wg,
                    &k, &rate, &def) == 4 &&
             k >= 1 && k <= 1000000 && wg <= 65536;
    fclose(f);
    if (!ok)
        return -1;
    t->work_group_size = wg;
    t->steps_per_launch = (uint32_t)k;
    t->rate = rate;
    t->default_rate = def;
    return 0;
}

/* Write the choice through a temporary file renamed into place, so a
 * concurrent run reads the old file or the new one, never half of one. */
static void write_cache(const exo_tuning *t, FILE *log)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", t->path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int ok = f != NULL &&
             fprintf(f, "%s\nwork_group %zu\nsteps_per_launch %u\nrate %.6g\n"
                        "default_rate %.6g\n", TUNE_FORMAT, t->work_group_size,
                     t->steps_per_launch, t->rate, t->default_rate) > 0;
    if (f != NULL)
        ok = fclose(f) == 0 && ok;
    if (ok)
        ok = rename(tmp, t->path) == 0;
    if (!ok) {
        remove(tmp);
        if (log)
            fprintf(log, "exobd: note: cannot write the tuning cache %s; the choice is "
                         "measured again next time\n", t->path);
    }
}

exo_status exo_tune_choose(const exo_run_options *opt, int force, FILE *log,
                           exo_tuning *out, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_scenario *sc = NULL;
    exo_sim *probe = NULL;
    memset(out, 0, sizeof *out);
    out->steps_per_launch = 100;

    /* Which device, as the kernels would be built for it. */
    EXO_TRY(free_scenario(&sc, 1, err));
    exo_run_options o = *opt;
    o.work_group_size = 0;
    o.steps_per_launch = 0;
    o.output_path = "";
    o.log = NULL;
    o.progress = NULL;
    o.resume_path = NULL;
    o.checkpoint_path = NULL;
    o.device_memory = 0;
    o.one_process = 1;
    EXO_TRY(exo_sim_create(&probe, sc, &o, err));
    exo_sha256 h;
    char hex[65], dir[4000], name[512];
    exo_sha256_init(&h);
    snprintf(name, sizeof name, "%s", exo_sim_device_name(probe));
    /* The kernel binary's key covers the source, the build options (lane
     * width, native math) and the device and driver: a change to any of
     * them may move the best settings. */
    const char *key = exo_sim_program_key(probe);
    exo_sha256_update(&h, key, strlen(key) + 1);
    exo_sha256_update(&h, EXOBD_VERSION_STRING, sizeof EXOBD_VERSION_STRING);
    exo_sha256_hex(&h, hex);
    exo_sim_destroy(probe, NULL);
    probe = NULL;
    exo_scenario_destroy(sc);
    sc = NULL;
    exo_cl_cache_dir(opt->cache_dir, dir, sizeof dir);
    snprintf(out->path, sizeof out->path, "%s/%.32s.tune", dir, hex);
    if (!force && read_cache(out->path, out) == 0) {
        out->from_cache = 1;
        return EXO_OK;
    }

    /* Enough vesicles to keep the device busy, in a round decimal count as
     * runs have: the runtime's own work-group size must divide the global
     * size, and for 10^5 / 16 work-items PoCL's choice is a poor one. */
    uint32_t n = 100000;
    double rate = 0, launch_s = 0;
    for (;;) {
        EXO_TRY(free_scenario(&sc, n, err));
        EXO_TRY(time_candidate(&o, sc, 0, 100, 1, &rate, &launch_s, err));
        if (launch_s >= 0.05 || n >= 10000000)
            break;
        exo_scenario_destroy(sc);
        sc = NULL;
        n *= 10;
    }
    if (log)
        fprintf(log, "exobd: tuning on %u vesicles of free diffusion\n", n);
    static const size_t wgs[] = {0, 16, 32, 64, 128, 256};
    size_t best_wg = 0;
    double best = 0;
    for (size_t i = 0; i < sizeof wgs / sizeof wgs[0]; i++) {
        exo_error e = {0};
        if (time_candidate(&o, sc, wgs[i], 100, 3, &rate, &launch_s, &e) != EXO_OK) {
            /* Beyond the device's work-group limit, for one. */
            if (log)
                fprintf(log, "exobd:   work-group %zu: not usable (%.200s)\n", wgs[i], e.msg);
            continue;
        }
        if (log)
            fprintf(log, "exobd:   work-group %3zu%s, K = 100: %.3g particle-steps/s\n",
                    wgs[i], wgs[i] ? "" : " (the runtime's)", rate);
        if (wgs[i] == 0)
            out->default_rate = rate;
        if (rate > 1.03 * best) {
            best = rate;
            best_wg = wgs[i];
        }
    }
    EXO_CHECK(best > 0, err, EXO_ERR_OPENCL, "no work-group size could be timed on '%s'",
              name);
    static const uint32_t ks[] = {25, 400};
    uint32_t best_k = 100;
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        EXO_TRY(time_candidate(&o, sc, best_wg, ks[i], 3, &rate, &launch_s, err));
        if (log)
            fprintf(log, "exobd:   work-group %3zu, K = %u: %.3g particle-steps/s\n", best_wg,
                    ks[i], rate);
        if (rate > 1.03 * best) {
            best = rate;
            best_k = ks[i];
        }
    }
    out->work_group_size = best_wg;
    out->steps_per_launch = best_k;
    out->rate = best;
    write_cache(out, log);
cleanup:
    exo_sim_destroy(probe, NULL);
    exo_scenario_destroy(sc);
    return rc;
}
