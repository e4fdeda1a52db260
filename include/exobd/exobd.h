/*
 * exobd public interface: the host library (libexobd) used by the exobd
 * program, the tests and the benchmarks.
 *
 * What this header is: status codes, the error record, and the opaque
 * handles of the scenario and of a simulation, with the calls that create,
 * advance, inspect and destroy them.  It includes no OpenCL, HDF5 or
 * libconfig header; those stay inside host/.
 *
 * Internal units (fixed; every value inside the library is in them):
 *   length      um            time         s
 *   force       pN            temperature  K
 *   energy      pN um  (kT at 310.15 K = 4.2821e-3 pN um)
 *   viscosity   pN s / um^2  = Pa s
 *   diffusivity um^2 / s     rate         1/s
 * Output files use nm and s (see docs/output.md), converted once at output.
 */
#ifndef EXOBD_EXOBD_H
#define EXOBD_EXOBD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXOBD_VERSION_STRING "0.1.0"

/** Result of every library call that can fail. */
typedef enum exo_status {
    EXO_OK = 0,
    EXO_ERR_NOMEM,      /* an allocation failed                            */
    EXO_ERR_INVALID,    /* bad argument or impossible request              */
    EXO_ERR_CONFIG,     /* scenario file or --set value is wrong (exit 2)  */
    EXO_ERR_OPENCL,     /* an OpenCL call failed                           */
    EXO_ERR_HDF5,       /* an HDF5 call failed                             */
    EXO_ERR_IO,         /* a file system call failed                       */
    EXO_ERR_INTERRUPTED, /* the run was stopped by a signal                */
    EXO_ERR_MPI         /* an MPI call failed (MPI build)                  */
} exo_status;

/**
 * What failed, where and why.  The first error recorded wins: later calls to
 * the exo_error_set* helpers leave a filled record unchanged, so a cleanup
 * failure never hides the error that caused the cleanup.
 */
typedef struct exo_error {
    exo_status status;
    long native;        /* cl_int, herr_t, errno or libconfig line; 0 if none */
    char where[128];    /* "host/exo_cl.c:142 exo_cl_build()"                */
    char msg[2048];     /* complete human-readable message                    */
    int all_ranks;      /* MPI: every rank of the run holds this same error
                           (exo_comm_agree), so one message says it all and
                           the ranks can stop together                        */
} exo_error;

/** Name of a status ("EXO_ERR_CONFIG"). */
const char *exo_status_name(exo_status s);

/** Process exit status for an error: 2 for input errors, 1 otherwise. */
int exo_status_exit_code(exo_status s);

/* ---------------------------------------------------------------- scenario */

/** A validated scenario: every quantity in internal units, derived values
 *  computed once.  Read-only after loading. */
typedef struct exo_scenario exo_scenario;

/**
 * Load and validate a libconfig scenario file.
 * @param overrides  "path=value" strings as given to --set (may be NULL)
 * @return EXO_OK; EXO_ERR_CONFIG naming file, line, setting and what was
 *         expected (also when the file cannot be read: a bad path is bad
 *         input); EXO_ERR_NOMEM.
 */
exo_status exo_scenario_load(exo_scenario **out, const char *path,
                             const char *const *overrides, size_t n_overrides,
                             exo_error *err);

/** As exo_scenario_load, from text in memory; @p name is used in messages. */
exo_status exo_scenario_load_text(exo_scenario **out, const char *text,
                                  const char *name,
                                  const char *const *overrides,
                                  size_t n_overrides, exo_error *err);

void exo_scenario_destroy(exo_scenario *sc);

/** Number of vesicles over all populations. */
uint64_t exo_scenario_vesicle_count(const exo_scenario *sc);

/** Total number of steps of the run. */
uint64_t exo_scenario_steps(const exo_scenario *sc);

/** Time step in s. */
double exo_scenario_dt(const exo_scenario *sc);

/* -------------------------------------------------------------- simulation */

typedef struct exo_sim exo_sim;

/** Progress report, called between launches (never from a kernel). */
typedef void (*exo_progress_fn)(void *user, uint64_t step, uint64_t steps,
                                double sim_time_s, double wall_s,
                                double particle_steps_per_s);

/** How to run: device, launch shape, output.  Zero-initialise, then set. */
typedef struct exo_run_options {
    const char *device;          /* NULL: default (GPU, else CPU);
                                    "cpu-reference", an index "P:D" or "N",
                                    "gpu", "cpu", or a name substring       */
    const char *output_path;     /* NULL: output.file of the scenario;
                                    "" : write no output at all             */
    uint32_t steps_per_launch;   /* K; 0: default (chosen per device)      */
    size_t work_group_size;      /* 0: let the OpenCL runtime choose        */
    uint32_t vector_width;       /* vesicles per OpenCL work-item: 1, 2, 4,
                                    8 or 16; 0: 16 on CPUs, 1 on GPUs      */
    int native_math;             /* 1: OpenCL native_ log/sin/cos/sqrt in
                                    the noise (faster; see bench/RESULTS.md) */
    const char *cache_dir;       /* NULL: $EXOBD_CACHE_DIR, else
                                    $XDG_CACHE_HOME/exobd, else ~/.cache/exobd */
    uint64_t device_memory;      /* bytes of device memory the run may use;
                                    0: the device's.  A population that
                                    does not fit runs in batches with the
                                    same results (docs/benchmarking.md)    */
    uint32_t event_capacity;     /* events a launch may record before it is
                                    run again with more room; 0: default   */
    const char *resume_path;     /* continue the run saved in this
                                    checkpoint (docs/reliability.md)       */
    const char *checkpoint_path; /* where checkpoints go; NULL: the output
                                    file with .ckpt for .h5 (none without
                                    an output file)                        */
    double checkpoint_every_s;   /* wall-clock seconds between checkpoints;
                                    0: every 30 min; < 0: none but at stop */
    uint64_t checkpoint_every_steps; /* also every so many steps; 0: none  */
    volatile sig_atomic_t *stop_request; /* nonzero (set by a signal handler): stop
                                    after the current launch, write a
                                    checkpoint and fail EXO_ERR_INTERRUPTED */
    exo_progress_fn progress;    /* optional */
    void *progress_user;
    FILE *log;                   /* informational messages; NULL: silent    */
    int one_process;             /* MPI build: run the whole scenario in this
                                    process, whatever the other ranks do
                                    (tuning, tests); 0: split the vesicles
                                    over the ranks of MPI_COMM_WORLD, which
                                    must all make the same calls           */
} exo_run_options;

/**
 * Create a simulation: select and set up the device, build (or load from
 * cache) the kernels, allocate the vesicle arrays and inject the vesicles.
 * Opens the output file if the scenario asks for one.
 *
 * MPI build, several ranks (docs/cluster.md): unless opt->one_process,
 * every rank calls this and every exo_sim_* call below (but the accessors
 * of fixed values) together, in the same order; each rank holds its part of
 * the vesicles, and reads (exo_sim_read, the counts and observables) return
 * the whole run's on every rank.
 */
exo_status exo_sim_create(exo_sim **out, const exo_scenario *sc,
                          const exo_run_options *opt, exo_error *err);

/** The output file a run writes (NULL when it writes none). */
const char *exo_sim_output_path(const exo_sim *sim);

/** The checkpoint a run writes (NULL when it writes none). */
const char *exo_sim_checkpoint_path(const exo_sim *sim);

/** Run to the end of the scenario, writing output as configured.  A
 *  completed run removes its checkpoint. */
exo_status exo_sim_run(exo_sim *sim, exo_error *err);

/** Advance @p nsteps steps without writing output (tests, benchmarks). */
exo_status exo_sim_advance(exo_sim *sim, uint64_t nsteps, exo_error *err);

/** Steps taken so far. */
uint64_t exo_sim_step(const exo_sim *sim);

/** Number of vesicles held by this simulation. */
size_t exo_sim_vesicle_count(const exo_sim *sim);

/**
 * Copy the state of every vesicle to the host.  Any pointer may be NULL.
 * @param pos_um   3N values, x of all vesicles then y then z (um; wrapped)
 * @param image    3N periodic image counts, same layout
 * @param state    N state codes (exo_vesicle_state in kernels/shared/exo_types.h)
 * @param radius_um N radii (um)
 */
exo_status exo_sim_read(exo_sim *sim, float *pos_um, int32_t *image,
                        int8_t *state, float *radius_um, exo_error *err);

/** Ligand copies (N values) and bonds held (N values, nonzero only while
 *  bound at a receptor surface) of every vesicle; either may be NULL. */
exo_status exo_sim_read_binding(exo_sim *sim, uint16_t *ligands, uint8_t *bonds,
                                exo_error *err);

/** Receptor patches where bonds use up receptors (scenario.md, "Receptor
 *  depletion"): returns how many.  When the arrays are not NULL, fills
 *  per patch its receptors (a whole number), the bonds bound vesicles hold
 *  there now and the receptors taken in by internalized vesicles so far
 *  (counted on the device).  Patches are numbered as /events/.../patch. */
uint32_t exo_sim_patches(const exo_sim *sim);
exo_status exo_sim_read_patches(exo_sim *sim, uint64_t *receptors, uint64_t *bonds,
                                uint64_t *taken, exo_error *err);

/** How often the rule that holds bonds to receptors stepped in: updates of
 *  the free receptors between the regular ones, and steps in which a patch
 *  formed no bond because one step would have formed more than it had
 *  free (scenario.md, "Receptor depletion"). */
void exo_sim_depletion_counts(const exo_sim *sim, uint64_t *extra_updates,
                              uint64_t *held_steps);

/** Events recorded so far: binding, unbinding, internalization, crossing
 *  (when the scenario records events, output.events). */
void exo_sim_event_counts(const exo_sim *sim, uint64_t counts[4]);

/** Count of vesicles per state code (array of EXO_STATE_COUNT). */
exo_status exo_sim_count_states(exo_sim *sim, uint64_t *counts,
                                exo_error *err);

/** The observables a run writes (/observables/<name>): vesicles per state,
 *  then per vessel region "<region>_free|bound|absorbed", then per vessel
 *  "<vessel>_exited_inlet|outlet".  Returns their number; *names (may be
 *  NULL) is borrowed from the simulation. */
uint32_t exo_sim_observables(const exo_sim *sim, const char *const **names);

/** Their current values (counted on the device), in that order. */
exo_status exo_sim_read_observables(exo_sim *sim, int64_t *values, exo_error *err);

/** Whether the kernels came from the program-binary cache (1) or were
 *  compiled (0); -1 for the C reference. */
int exo_sim_program_from_cache(const exo_sim *sim);

/** Human-readable name of the device that runs the simulation. */
const char *exo_sim_device_name(const exo_sim *sim);

/** The kernel binary's cache key (64 hex digits: sha256 of the kernel
 *  source, build options, device and driver); "" for the C reference.
 *  exobd tune keys its cached choice with it. */
const char *exo_sim_program_key(const exo_sim *sim);

/** Closes the output (marking it incomplete if the run did not finish) and
 *  releases everything.  NULL is a no-op. */
exo_status exo_sim_destroy(exo_sim *sim, exo_error *err);

#ifdef __cplusplus
}
#endif
#endif /* EXOBD_EXOBD_H */
