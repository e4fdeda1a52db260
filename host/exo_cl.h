/*
 * exo_cl: the OpenCL runtime and the device backend.
 *
 * This is the only module that includes <CL/cl.h>.  It lists and selects
 * devices, builds the embedded kernel program (or loads its binary from the
 * per-device cache), owns the device buffers of the vesicles and launches
 * the kernels for exo_sim through the exo_backend table.  Every OpenCL call
 * is checked with EXO_CL, which records the call, its symbolic error name and
 * what it was doing; a failed build appends the build log.
 */
#ifndef EXO_CL_H
#define EXO_CL_H

#include <stdio.h>
#include "exo_backend.h"

/** Print every platform and device (type, compute units, memory), marking
 *  the one a run would use by default.  Returns EXO_ERR_OPENCL if no
 *  platform is installed. */
exo_status exo_cl_list_devices(FILE *out, exo_error *err);

/** Options of the device backend. */
typedef struct exo_cl_options {
    const char *device;       /* selection spec (see exo_run_options)   */
    unsigned default_gpu;     /* without a spec: GPU number default_gpu
                                 modulo their number (an MPI rank's rank
                                 on its node), else the CPU device      */
    const char *cache_dir;    /* program-binary cache; NULL: default    */
    size_t work_group_size;   /* 0: the runtime chooses                 */
    unsigned vector_width;    /* vesicles per work-item (1, 2, 4, 8, 16);
                                 0: 16 on CPU devices, 1 on others      */
    int native_math;          /* 1: native_ log/sin/cos/sqrt in the step */
    uint64_t memory_limit;    /* bytes of device memory to use; 0: all   */
    uint64_t reserve_bytes;   /* of those, what the run's other buffers
                                 (events, cells, patches, frames) need   */
    int allow_batches;        /* 1: when n vesicles do not fit, hold as
                                 many as fit (base.n < n: exo_batch)     */
    FILE *log;                /* informational messages, may be NULL    */
} exo_cl_options;

/**
 * Select a device, build or load the program, allocate buffers for n
 * vesicles with global ids id0.. .  Fails with EXO_ERR_INVALID when the
 * selection matches nothing or the arrays do not fit the device (unless
 * allow_batches: then the backend holds fewer, (*out)->n < n), with
 * EXO_ERR_OPENCL otherwise.
 */
exo_status exo_cl_create(exo_backend **out, const exo_cl_options *opt,
                         uint32_t n, uint32_t id0, exo_error *err);

/** The folder of the kernel binary cache: cache_dir, else
 *  $EXOBD_CACHE_DIR, else $XDG_CACHE_HOME/exobd, else ~/.cache/exobd. */
void exo_cl_cache_dir(const char *cache_dir, char *out, size_t n);

/** Device bytes per vesicle held by the device backend (its buffers). */
size_t exo_cl_bytes_per_vesicle(void);

/**
 * Tests: run one of the probe kernels (k_philox_probe, k_normal_probe,
 * k_layout_probe) on the default or selected device.  `exo_cl_probe` runs
 * the named kernel with the given buffers; see tests/device/.
 */
typedef struct exo_cl_probe_arg {
    const void *in;    /* host data copied to a read-only buffer, or NULL */
    size_t bytes;      /* buffer size                                     */
    void *out;         /* host destination of a write buffer, or NULL     */
    const void *scalar;/* a by-value argument instead of a buffer         */
} exo_cl_probe_arg;

exo_status exo_cl_probe(const exo_cl_options *opt, const char *kernel,
                        size_t global, const exo_cl_probe_arg *args,
                        int nargs, exo_error *err);

#endif /* EXO_CL_H */
