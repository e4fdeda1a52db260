/*
 * exo_cl: see exo_cl.h.
 */
#define CL_TARGET_OPENCL_VERSION 120
#include "exo_cl.h"

#include <CL/cl.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exo_error.h"
#include "exo_sha256.h"
#include "shared/exo_types.h"

/* ------------------------------------------------------- fault injection */

/* Test hooks (tests/cli/test_resume.sh, docs/reliability.md): with
 * EXOBD_FAULT_ALLOC=N the N-th buffer allocation of the process fails as a
 * device out of memory does (CL_MEM_OBJECT_ALLOCATION_FAILURE); with
 * EXOBD_FAULT_LAUNCH=N the N-th kernel launch fails on completion as a lost
 * device does (CL_OUT_OF_RESOURCES, what NVIDIA's driver reports after a
 * GPU reset).  Unset, they cost one counter increment per call. */
static int fault_now(const char *name, unsigned long *count)
{
    const char *v = getenv(name);
    ++*count;
    return v != NULL && strtoul(v, NULL, 10) == *count;
}

static cl_mem create_buffer(cl_context ctx, cl_mem_flags flags, size_t size, void *host,
                            cl_int *e)
{
    static unsigned long allocations;
    if (fault_now("EXOBD_FAULT_ALLOC", &allocations)) {
        *e = CL_MEM_OBJECT_ALLOCATION_FAILURE;
        return NULL;
    }
    return clCreateBuffer(ctx, flags, size, host, e);
}
#define clCreateBuffer create_buffer

/* Kernel launches so far, for EXOBD_FAULT_LAUNCH: whether this one fails. */
static int launch_fails(void)
{
    static unsigned long launches;
    return fault_now("EXOBD_FAULT_LAUNCH", &launches);
}

/* clFinish after a kernel launch. */
static cl_int finish_launch(cl_command_queue q)
{
    if (launch_fails())
        return CL_OUT_OF_RESOURCES;
    return clFinish(q);
}

extern const unsigned char exo_kernels_src[];
extern const size_t exo_kernels_src_len;

/* The host and device views of the shared structs must agree (the device
 * view is checked at run time by tests/device/test_layout). */
_Static_assert(sizeof(exo_step_params) == 83 * sizeof(exo_real) + 54 * 4,
               "exo_step_params layout");
_Static_assert(sizeof(exo_slot_table) == 7 * EXO_SLOTS * sizeof(exo_real) + 4 * EXO_SLOTS * 4,
               "exo_slot_table layout");
_Static_assert(sizeof(exo_init_params) == 40 * sizeof(exo_real) + 18 * 4,
               "exo_init_params layout");
/* Passed by value: within the smallest CL_DEVICE_MAX_PARAMETER_SIZE an
 * OpenCL 1.2 full-profile device may have. */
_Static_assert(sizeof(exo_event) == 8 * 4 + 3 * sizeof(exo_real), "exo_event layout");
_Static_assert(sizeof(exo_density_params) == 6 * sizeof(exo_real) + 12 * 4,
               "exo_density_params layout");
_Static_assert(sizeof(exo_step_params) <= 1024, "exo_step_params too large for a kernel argument");

/* ------------------------------------------------------------------ errors */

static const char *cl_error_name(cl_int e)
{
    switch (e) {
#define N(x) case x: return #x;
    N(CL_SUCCESS) N(CL_DEVICE_NOT_FOUND) N(CL_DEVICE_NOT_AVAILABLE)
    N(CL_COMPILER_NOT_AVAILABLE) N(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    N(CL_OUT_OF_RESOURCES) N(CL_OUT_OF_HOST_MEMORY)
    N(CL_PROFILING_INFO_NOT_AVAILABLE) N(CL_MEM_COPY_OVERLAP)
    N(CL_IMAGE_FORMAT_MISMATCH) N(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    N(CL_BUILD_PROGRAM_FAILURE) N(CL_MAP_FAILURE)
    N(CL_MISALIGNED_SUB_BUFFER_OFFSET)
    N(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    N(CL_COMPILE_PROGRAM_FAILURE) N(CL_LINKER_NOT_AVAILABLE)
    N(CL_LINK_PROGRAM_FAILURE) N(CL_DEVICE_PARTITION_FAILED)
    N(CL_KERNEL_ARG_INFO_NOT_AVAILABLE) N(CL_INVALID_VALUE)
    N(CL_INVALID_DEVICE_TYPE) N(CL_INVALID_PLATFORM) N(CL_INVALID_DEVICE)
    N(CL_INVALID_CONTEXT) N(CL_INVALID_QUEUE_PROPERTIES)
    N(CL_INVALID_COMMAND_QUEUE) N(CL_INVALID_HOST_PTR)
    N(CL_INVALID_MEM_OBJECT) N(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
    N(CL_INVALID_IMAGE_SIZE) N(CL_INVALID_SAMPLER) N(CL_INVALID_BINARY)
    N(CL_INVALID_BUILD_OPTIONS) N(CL_INVALID_PROGRAM)
    N(CL_INVALID_PROGRAM_EXECUTABLE) N(CL_INVALID_KERNEL_NAME)
    N(CL_INVALID_KERNEL_DEFINITION) N(CL_INVALID_KERNEL)
    N(CL_INVALID_ARG_INDEX) N(CL_INVALID_ARG_VALUE) N(CL_INVALID_ARG_SIZE)
    N(CL_INVALID_KERNEL_ARGS) N(CL_INVALID_WORK_DIMENSION)
    N(CL_INVALID_WORK_GROUP_SIZE) N(CL_INVALID_WORK_ITEM_SIZE)
    N(CL_INVALID_GLOBAL_OFFSET) N(CL_INVALID_EVENT_WAIT_LIST)
    N(CL_INVALID_EVENT) N(CL_INVALID_OPERATION) N(CL_INVALID_GL_OBJECT)
    N(CL_INVALID_BUFFER_SIZE) N(CL_INVALID_MIP_LEVEL)
    N(CL_INVALID_GLOBAL_WORK_SIZE) N(CL_INVALID_PROPERTY)
    N(CL_INVALID_IMAGE_DESCRIPTOR) N(CL_INVALID_COMPILER_OPTIONS)
    N(CL_INVALID_LINKER_OPTIONS) N(CL_INVALID_DEVICE_PARTITION_COUNT)
#undef N
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    }
    return "unknown OpenCL error";
}

/* Check an OpenCL call returning cl_int: on failure record the call, its
 * symbolic error and the context, set rc and goto cleanup. */
#define EXO_CL(call, err, ...)                                                \
    do {                                                                      \
        cl_int e_ = (call);                                                   \
        if (e_ != CL_SUCCESS) {                                               \
            rc = exo_cl_fail((err), e_, __FILE__, __LINE__, __func__, #call); \
            exo_error_append((err), ": " __VA_ARGS__);                        \
            goto cleanup;                                                     \
        }                                                                     \
    } while (0)

/* For calls that return an object and an error code through a pointer. */
#define EXO_CL_OBJ(lhs, call, err, ...)                                       \
    do {                                                                      \
        cl_int e_ = CL_SUCCESS;                                               \
        lhs = call;                                                           \
        if (e_ != CL_SUCCESS) {                                               \
            rc = exo_cl_fail((err), e_, __FILE__, __LINE__, __func__, #call); \
            exo_error_append((err), ": " __VA_ARGS__);                        \
            goto cleanup;                                                     \
        }                                                                     \
    } while (0)

static exo_status exo_cl_fail(exo_error *err, cl_int e, const char *file,
                              int line, const char *func, const char *call)
{
    if (exo_error_is_set(err))
        return err->status;
    exo_status st = EXO_ERR_OPENCL;
    exo_error_set(err, st, e, file, line, func, "OpenCL error %s (%d) in %s",
                  cl_error_name(e), (int)e, call);
    /* What the user can do about the errors a healthy program still meets. */
    if (e == CL_MEM_OBJECT_ALLOCATION_FAILURE || e == CL_OUT_OF_HOST_MEMORY)
        exo_error_append(err, " (the device is out of memory: use fewer vesicles, a "
                              "smaller output.sample, or a device with more memory)");
    else if (e == CL_OUT_OF_RESOURCES || e == CL_DEVICE_NOT_AVAILABLE)
        exo_error_append(err, " (the device ran out of resources or was lost, e.g. a "
                              "driver reset: the output keeps every frame written; resume "
                              "from the last checkpoint with --resume)");
    return st;
}

/* ----------------------------------------------------------- enumeration */

typedef struct cl_dev_entry {
    cl_platform_id platform;
    cl_device_id device;
    int pi, di;                /* platform index, device index in platform */
    cl_device_type type;
    char name[256], platform_name[256], version[128], driver[128];
    cl_uint compute_units;
    cl_ulong global_mem, max_alloc;
} cl_dev_entry;

typedef struct cl_dev_list {
    cl_dev_entry *dev;
    int count;
} cl_dev_list;

static const char *type_name(cl_device_type t)
{
    if (t & CL_DEVICE_TYPE_GPU) return "gpu";
    if (t & CL_DEVICE_TYPE_CPU) return "cpu";
    if (t & CL_DEVICE_TYPE_ACCELERATOR) return "accelerator";
    return "other";
}

static exo_status enumerate(cl_dev_list *list, exo_error *err)
{
    exo_status rc = EXO_OK;
    cl_platform_id *plat = NULL;
    cl_device_id *ids = NULL;
    cl_uint np = 0;
    list->dev = NULL;
    list->count = 0;

    cl_int e = clGetPlatformIDs(0, NULL, &np);
    if (e == -1001 || (e == CL_SUCCESS && np == 0))
        return EXO_ERROR(err, EXO_ERR_OPENCL,
                         "no OpenCL platform is installed: install an OpenCL "
                         "driver (on Debian: apt-get install pocl-opencl-icd "
                         "for the CPU) or run with --device cpu-reference");
    EXO_CL(e, err, "counting OpenCL platforms");
    EXO_ALLOC(plat, np, err, "the platform list");
    EXO_CL(clGetPlatformIDs(np, plat, NULL), err, "listing OpenCL platforms");
    for (cl_uint p = 0; p < np; p++) {
        cl_uint nd = 0;
        e = clGetDeviceIDs(plat[p], CL_DEVICE_TYPE_ALL, 0, NULL, &nd);
        if (e == CL_DEVICE_NOT_FOUND || nd == 0)
            continue;
        EXO_CL(e, err, "counting devices of platform %u", p);
        free(ids);
        ids = NULL;
        EXO_ALLOC(ids, nd, err, "the device list");
        EXO_CL(clGetDeviceIDs(plat[p], CL_DEVICE_TYPE_ALL, nd, ids, NULL), err,
               "listing devices of platform %u", p);
        cl_dev_entry *grown = realloc(list->dev, (list->count + nd) * sizeof *grown);
        EXO_CHECK(grown != NULL, err, EXO_ERR_NOMEM, "out of memory listing devices");
        list->dev = grown;
        for (cl_uint d = 0; d < nd; d++) {
            cl_dev_entry *x = &list->dev[list->count++];
            memset(x, 0, sizeof *x);
            x->platform = plat[p];
            x->device = ids[d];
            x->pi = (int)p;
            x->di = (int)d;
            EXO_CL(clGetPlatformInfo(plat[p], CL_PLATFORM_NAME, sizeof x->platform_name - 1,
                                     x->platform_name, NULL), err, "reading platform %u name", p);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DEVICE_NAME, sizeof x->name - 1, x->name, NULL),
                   err, "reading device %u:%u name", p, d);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DEVICE_VERSION, sizeof x->version - 1, x->version, NULL),
                   err, "reading device %u:%u version", p, d);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DRIVER_VERSION, sizeof x->driver - 1, x->driver, NULL),
                   err, "reading device %u:%u driver version", p, d);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DEVICE_TYPE, sizeof x->type, &x->type, NULL),
                   err, "reading device %u:%u type", p, d);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DEVICE_MAX_COMPUTE_UNITS, sizeof x->compute_units,
                                   &x->compute_units, NULL), err, "reading device %u:%u compute units", p, d);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DEVICE_GLOBAL_MEM_SIZE, sizeof x->global_mem,
                                   &x->global_mem, NULL), err, "reading device %u:%u memory", p, d);
            EXO_CL(clGetDeviceInfo(ids[d], CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof x->max_alloc,
                                   &x->max_alloc, NULL), err, "reading device %u:%u allocation limit", p, d);
        }
    }
    EXO_CHECK(list->count > 0, err, EXO_ERR_OPENCL,
              "OpenCL platforms are installed but report no device; "
              "run with --device cpu-reference or install a driver");
cleanup:
    free(plat);
    free(ids);
    if (rc != EXO_OK) {
        free(list->dev);
        list->dev = NULL;
        list->count = 0;
    }
    return rc;
}

/* The default device: GPU number `nth` (modulo the GPUs there are; the
 * ranks of an MPI run on one node pass their rank there, so each gets its
 * own GPU), else the first CPU device, else the first device. */
static int default_index(const cl_dev_list *l, unsigned nth)
{
    int gpus = 0;
    for (int i = 0; i < l->count; i++)
        gpus += (l->dev[i].type & CL_DEVICE_TYPE_GPU) != 0;
    for (int i = 0, k = 0; gpus > 0 && i < l->count; i++)
        if ((l->dev[i].type & CL_DEVICE_TYPE_GPU) && (unsigned)k++ == nth % (unsigned)gpus)
            return i;
    for (int i = 0; i < l->count; i++)
        if (l->dev[i].type & CL_DEVICE_TYPE_CPU)
            return i;
    return 0;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t k = 0;
        while (k < n && hay[k] &&
               tolower((unsigned char)hay[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return 1;
    }
    return n == 0;
}

/* Resolve a --device spec to an index in the list, or -1. */
static int select_index(const cl_dev_list *l, const char *spec, unsigned nth_gpu, FILE *log)
{
    if (spec == NULL || *spec == '\0' || strcmp(spec, "default") == 0) {
        int i = default_index(l, nth_gpu);
        if (log && !(l->dev[i].type & CL_DEVICE_TYPE_GPU))
            fprintf(log, "exobd: no OpenCL GPU found; using the %s device "
                         "'%s' (%s)\n", type_name(l->dev[i].type),
                    l->dev[i].name, l->dev[i].platform_name);
        return i;
    }
    int p = -1, d = -1;
    char tail = 0;
    if (sscanf(spec, "%d:%d%c", &p, &d, &tail) == 2) {
        for (int i = 0; i < l->count; i++)
            if (l->dev[i].pi == p && l->dev[i].di == d)
                return i;
        return -1;
    }
    if (sscanf(spec, "%d%c", &d, &tail) == 1)
        return d >= 0 && d < l->count ? d : -1;
    const char *types[] = {"gpu", "cpu", "accelerator"};
    for (int t = 0; t < 3; t++)
        if (strcmp(spec, types[t]) == 0) {
            for (int i = 0; i < l->count; i++)
                if (strcmp(type_name(l->dev[i].type), spec) == 0)
                    return i;
            return -1;
        }
    for (int i = 0; i < l->count; i++)
        if (contains_nocase(l->dev[i].name, spec) ||
            contains_nocase(l->dev[i].platform_name, spec))
            return i;
    return -1;
}

exo_status exo_cl_list_devices(FILE *out, exo_error *err)
{
    cl_dev_list l;
    exo_status rc = enumerate(&l, err);
    if (rc != EXO_OK)
        return rc;
    int def = default_index(&l, 0);
    int last_p = -1;
    for (int i = 0; i < l.count; i++) {
        const cl_dev_entry *x = &l.dev[i];
        if (x->pi != last_p) {
            fprintf(out, "platform %d: %s\n", x->pi, x->platform_name);
            last_p = x->pi;
        }
        fprintf(out, "  %c [%d] %d:%d  %-4s  %s\n", i == def ? '*' : ' ', i,
                x->pi, x->di, type_name(x->type), x->name);
        fprintf(out, "        %u compute units, %.1f GiB memory, largest buffer "
                     "%.1f GiB, %s, driver %s\n",
                x->compute_units, x->global_mem / 1073741824.0,
                x->max_alloc / 1073741824.0, x->version, x->driver);
    }
    fprintf(out, "    [-] cpu-reference  the C reference stepper (one thread)\n");
    fprintf(out, "* default. Select with --device INDEX | P:D | gpu | cpu | "
                 "NAME-SUBSTRING | cpu-reference\n");
    free(l.dev);
    return EXO_OK;
}

/* -------------------------------------------------------------- runtime */

typedef struct exo_clrt {
    cl_dev_entry dev;
    unsigned width;          /* EXO_W the program was built with            */
    cl_context ctx;
    cl_command_queue queue;       /* kernels and the other transfers          */
    cl_command_queue copy_queue;  /* frames read out while kernels run      */
    cl_program program;
    int from_cache;
    char program_key[65];    /* sha256 of what the binary depends on        */
} exo_clrt;

static exo_status rt_destroy(exo_clrt *rt, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (rt->program)
        EXO_CL(clReleaseProgram(rt->program), err, "releasing the program");
    rt->program = NULL;
    if (rt->copy_queue)
        EXO_CL(clReleaseCommandQueue(rt->copy_queue), err, "releasing the copy queue");
    rt->copy_queue = NULL;
    if (rt->queue)
        EXO_CL(clReleaseCommandQueue(rt->queue), err, "releasing the queue");
    rt->queue = NULL;
    if (rt->ctx)
        EXO_CL(clReleaseContext(rt->ctx), err, "releasing the context");
    rt->ctx = NULL;
cleanup:
    return rc;
}

/* Kernel source: embedded, or read from $EXO_KERNEL_DIR (development). */
static exo_status load_source(char **out, size_t *len, FILE *log, exo_error *err)
{
    exo_status rc = EXO_OK;
    char *buf = NULL;
    const char *dir = getenv("EXO_KERNEL_DIR");
    if (dir == NULL || *dir == '\0') {
        EXO_ALLOC(buf, exo_kernels_src_len + 1, err, "the kernel source");
        memcpy(buf, exo_kernels_src, exo_kernels_src_len);
        *out = buf;
        *len = exo_kernels_src_len;
        return EXO_OK;
    }
    /* Development: concatenate the parts in the same order as
     * cmake/ExoEmbed.cmake, keeping the includes (the compiler gets -I). */
    char path[4096];
    snprintf(path, sizeof path, "%s/exo_kernels.cl", dir);
    FILE *f = fopen(path, "rb");
    EXO_CHECK(f != NULL, err, EXO_ERR_IO, "EXO_KERNEL_DIR: cannot open '%s': %s",
              path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    rewind(f);
    buf = malloc((size_t)(sz > 0 ? sz : 0) + 1);
    size_t got = buf ? fread(buf, 1, (size_t)sz, f) : 0;
    fclose(f);
    EXO_CHECK(buf != NULL && got == (size_t)sz, err, EXO_ERR_IO,
              "EXO_KERNEL_DIR: cannot read '%s'", path);
    buf[sz] = '\0';
    if (log)
        fprintf(log, "exobd: kernel source from %s (EXO_KERNEL_DIR)\n", path);
    *out = buf;
    *len = (size_t)sz;
    return EXO_OK;
cleanup:
    free(buf);
    return rc;
}

static void default_cache_dir(char *out, size_t n)
{
    const char *e = getenv("EXOBD_CACHE_DIR");
    if (e && *e) { snprintf(out, n, "%s", e); return; }
    e = getenv("XDG_CACHE_HOME");
    if (e && *e) { snprintf(out, n, "%s/exobd", e); return; }
    e = getenv("HOME");
    snprintf(out, n, "%s/.cache/exobd", e && *e ? e : "/tmp");
}

void exo_cl_cache_dir(const char *cache_dir, char *out, size_t n)
{
    if (cache_dir) {
        snprintf(out, n, "%s", cache_dir);
        return;
    }
    default_cache_dir(out, n);
}

static void mkdir_p(const char *dir)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0777);
            *p = '/';
        }
    mkdir(tmp, 0777);
}

/* Append the build log of a failed build to the error. */
static void append_build_log(exo_clrt *rt, exo_error *err)
{
    size_t sz = 0;
    if (clGetProgramBuildInfo(rt->program, rt->dev.device, CL_PROGRAM_BUILD_LOG,
                              0, NULL, &sz) != CL_SUCCESS || sz == 0)
        return;
    char *logtext = malloc(sz + 1);
    if (logtext && clGetProgramBuildInfo(rt->program, rt->dev.device,
                                         CL_PROGRAM_BUILD_LOG, sz, logtext,
                                         NULL) == CL_SUCCESS) {
        logtext[sz] = '\0';
        exo_error_append(err, "\nbuild log:\n%s", logtext);
    }
    free(logtext);
}

#define EXO_BUILD_OPTIONS "-cl-std=CL1.2 -DEXO_USE_DOUBLE=0"

/* Vesicles per work-item when the user does not choose: CPU devices only
 * vectorise explicit vector code (DESIGN.md section 7; bench/RESULTS.md),
 * GPUs want one vesicle per work-item. */
static unsigned default_vector_width(const cl_dev_entry *d)
{
    return (d->type & CL_DEVICE_TYPE_CPU) ? 16u : 1u;
}

static exo_status rt_build(exo_clrt *rt, const char *cache_dir, unsigned width,
                           int native_math, FILE *log, exo_error *err)
{
    exo_status rc = EXO_OK;
    char *src = NULL, *bin = NULL, *options = NULL;
    size_t src_len = 0;
    char dir[4096], path[4352], tmp[4400], hex[65];
    FILE *f = NULL;
    EXO_TRY(load_source(&src, &src_len, log, err));

    const char *kdir = getenv("EXO_KERNEL_DIR");
    size_t olen = strlen(EXO_BUILD_OPTIONS) + (kdir ? strlen(kdir) : 0) + 96;
    EXO_ALLOC(options, olen, err, "build options");
    snprintf(options, olen, "%s -DEXO_W=%u -DEXO_NATIVE_MATH=%d%s%s", EXO_BUILD_OPTIONS,
             width, native_math ? 1 : 0, kdir && *kdir ? " -I " : "",
             kdir && *kdir ? kdir : "");

    /* The cache key covers everything that changes the binary. */
    exo_sha256 h;
    exo_sha256_init(&h);
    const char *parts[] = {src, options, rt->dev.platform_name, rt->dev.name,
                           rt->dev.version, rt->dev.driver};
    for (int i = 0; i < 6; i++)
        exo_sha256_update(&h, parts[i], strlen(parts[i]) + 1);
    exo_sha256_hex(&h, hex);
    memcpy(rt->program_key, hex, sizeof rt->program_key);
    if (cache_dir)
        snprintf(dir, sizeof dir, "%s", cache_dir);
    else
        default_cache_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.bin", dir, hex);

    f = kdir && *kdir ? NULL : fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        rewind(f);
        if (sz > 0 && (bin = malloc((size_t)sz)) != NULL &&
            fread(bin, 1, (size_t)sz, f) == (size_t)sz) {
            size_t bsz = (size_t)sz;
            const unsigned char *bp = (const unsigned char *)bin;
            cl_int bstatus = CL_SUCCESS, e_ = CL_SUCCESS;
            rt->program = clCreateProgramWithBinary(rt->ctx, 1, &rt->dev.device,
                                                    &bsz, &bp, &bstatus, &e_);
            if (e_ == CL_SUCCESS && bstatus == CL_SUCCESS &&
                clBuildProgram(rt->program, 1, &rt->dev.device, options, NULL,
                               NULL) == CL_SUCCESS) {
                rt->from_cache = 1;
                if (log)
                    fprintf(log, "exobd: kernels loaded from cache %s\n", path);
            } else if (rt->program) {
                /* A stale or foreign binary: rebuild from source below. */
                clReleaseProgram(rt->program);
                rt->program = NULL;
            }
        }
        fclose(f);
        f = NULL;
        free(bin);
        bin = NULL;
    }
    if (rt->program == NULL) {
        const char *sp = src;
        EXO_CL_OBJ(rt->program, clCreateProgramWithSource(rt->ctx, 1, &sp, &src_len, &e_),
                   err, "creating the kernel program for '%s'", rt->dev.name);
        cl_int be = clBuildProgram(rt->program, 1, &rt->dev.device, options, NULL, NULL);
        if (be != CL_SUCCESS) {
            rc = exo_cl_fail(err, be, __FILE__, __LINE__, __func__, "clBuildProgram");
            exo_error_append(err, ": building the exobd kernels (source sha256 %.16s) "
                                  "for '%s' with options '%s'", hex, rt->dev.name, options);
            append_build_log(rt, err);
            goto cleanup;
        }
        rt->from_cache = 0;
        if (log)
            fprintf(log, "exobd: kernels compiled for '%s'\n", rt->dev.name);
        /* Store the binary; a cache that cannot be written only costs time. */
        size_t bsz = 0;
        if (!(kdir && *kdir) &&
            clGetProgramInfo(rt->program, CL_PROGRAM_BINARY_SIZES, sizeof bsz,
                             &bsz, NULL) == CL_SUCCESS && bsz > 0 &&
            (bin = malloc(bsz)) != NULL) {
            unsigned char *bp = (unsigned char *)bin;
            if (clGetProgramInfo(rt->program, CL_PROGRAM_BINARIES, sizeof bp, &bp,
                                 NULL) == CL_SUCCESS) {
                mkdir_p(dir);
                snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
                FILE *w = fopen(tmp, "wb");
                int ok = w && fwrite(bin, 1, bsz, w) == bsz;
                if (w && fclose(w) != 0)
                    ok = 0;
                if (ok && rename(tmp, path) == 0) {
                    if (log)
                        fprintf(log, "exobd: kernel binary cached in %s\n", path);
                } else {
                    remove(tmp);
                    if (log)
                        fprintf(log, "exobd: note: cannot write the kernel cache "
                                     "%s (%s); the next run compiles again\n",
                                path, strerror(errno));
                }
            }
        }
    }
cleanup:
    free(src);
    free(bin);
    free(options);
    return rc;
}

static exo_status rt_create(exo_clrt *rt, const char *spec, unsigned nth_gpu,
                            const char *cache_dir, unsigned width, int native_math,
                            FILE *log, exo_error *err)
{
    exo_status rc = EXO_OK;
    cl_dev_list l = {NULL, 0};
    memset(rt, 0, sizeof *rt);
    EXO_TRY(enumerate(&l, err));
    int i = select_index(&l, spec, nth_gpu, log);
    EXO_CHECK(i >= 0, err, EXO_ERR_INVALID,
              "--device '%s' matches no OpenCL device; `exobd devices` lists "
              "them (or use --device cpu-reference)", spec);
    rt->dev = l.dev[i];
    EXO_CHECK(width == 0 || width == 1 || width == 2 || width == 4 || width == 8 ||
              width == 16, err, EXO_ERR_INVALID,
              "vector width %u: expected 1, 2, 4, 8 or 16", width);
    rt->width = width ? width : default_vector_width(&rt->dev);
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM,
                                     (cl_context_properties)rt->dev.platform, 0};
    EXO_CL_OBJ(rt->ctx, clCreateContext(props, 1, &rt->dev.device, NULL, NULL, &e_),
               err, "creating a context on '%s'", rt->dev.name);
    EXO_CL_OBJ(rt->queue, clCreateCommandQueue(rt->ctx, rt->dev.device, 0, &e_),
               err, "creating a command queue on '%s'", rt->dev.name);
    EXO_CL_OBJ(rt->copy_queue, clCreateCommandQueue(rt->ctx, rt->dev.device, 0, &e_),
               err, "creating a second command queue (frame copies) on '%s'", rt->dev.name);
    EXO_TRY(rt_build(rt, cache_dir, rt->width, native_math, log, err));
cleanup:
    free(l.dev);
    if (rc != EXO_OK)
        rt_destroy(rt, NULL);
    return rc;
}

/* -------------------------------------------------------------- backend */

/* One frame's staging on the device: positions (nm, interleaved), image
 * counts, states, bonds of up to n vesicles; `copied` is the pending
 * read-out to the host (NULL: none). */
typedef struct exo_frame_slot {
    cl_mem pos, image, state, bonds;      /* [3n] [3n] [n] [n]            */
    uint32_t n;
    cl_event copied;
} exo_frame_slot;

typedef struct exo_clb {
    exo_backend base;      /* must be first                              */
    exo_clrt rt;
    size_t wg;             /* work-group size, 0: runtime's choice       */
    cl_kernel k_advance, k_init, k_count, k_gather;
    cl_mem pos, image, radius, state;      /* [3n] [3n] [n] [n]          */
    cl_mem ligands, bonds;                 /* [n] uint16, [n] uint8      */
    cl_mem events, event_count;            /* [event_cap] exo_event, [1] */
    cl_uint event_cap;
    cl_mem s_pos, s_image, s_state, s_bonds; /* saved state (save/restore) */
    cl_mem avail, patch_bound, patch_taken;  /* [n_patches] float, uint, uint */
    cl_uint n_patches;
    cl_mem formed;                         /* [steps x n_patches] uint: bonds
                                              formed in a depleting launch */
    size_t formed_bytes;
    cl_kernel k_patches;
    cl_mem counts;                         /* [EXO_STATE_COUNT] uint     */
    exo_frame_slot frame[2];               /* frame staging, alternating */
    int frame_next;                        /* the slot the next frame uses */
    cl_mem cells, cell_bin_start, cell_bin_cells, cell_type; /* exo_cell_lists */
    cl_mem slots;                          /* one exo_slot_table: the
                                              launching population's      */
    exo_slot_table slots_written;          /* what `slots` holds          */
    int slots_set;
    cl_kernel k_density;
    cl_mem density;                        /* [density_n] uint counts     */
    uint32_t density_n;
    cl_mem arrivals;                       /* infusion schedule of a launch */
    size_t arrivals_bytes;
    uint32_t stride;                       /* entries per component: n
                                              rounded up to the vector width */
} exo_clb;

size_t exo_cl_bytes_per_vesicle(void)
{
    /* position, image counts, radius, state, ligands, bonds */
    return 3 * sizeof(exo_real) + 3 * sizeof(int32_t) + sizeof(float) + 1 +
           sizeof(cl_ushort) + sizeof(cl_uchar);
}

static size_t round_up(size_t x, size_t m) { return m ? (x + m - 1) / m * m : x; }

/* Launch a 1D kernel over n items and wait, naming it in errors. */
static exo_status launch(exo_clb *b, cl_kernel k, const char *name, size_t n,
                         size_t local, const char *what, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (n == 0)
        return EXO_OK;
    size_t global = round_up(n, local);
    EXO_CL(clEnqueueNDRangeKernel(b->rt.queue, k, 1, NULL, &global,
                                  local ? &local : NULL, 0, NULL, NULL),
           err, "launching %s (global %zu, local %zu) %s on '%s'", name, global,
           local, what, b->rt.dev.name);
    EXO_CL(finish_launch(b->rt.queue), err, "waiting for %s %s on '%s'", name, what,
           b->rt.dev.name);
cleanup:
    return rc;
}

static exo_status clb_init_population(exo_backend *bb, const exo_init_params *ip,
                                      exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint n = b->stride;
    EXO_CL(clSetKernelArg(b->k_init, 0, sizeof(cl_mem), &b->pos), err, "k_init_vesicles arg 0");
    EXO_CL(clSetKernelArg(b->k_init, 1, sizeof(cl_mem), &b->image), err, "k_init_vesicles arg 1");
    EXO_CL(clSetKernelArg(b->k_init, 2, sizeof(cl_mem), &b->radius), err, "k_init_vesicles arg 2");
    EXO_CL(clSetKernelArg(b->k_init, 3, sizeof(cl_mem), &b->state), err, "k_init_vesicles arg 3");
    EXO_CL(clSetKernelArg(b->k_init, 4, sizeof *ip, ip), err, "k_init_vesicles arg 4");
    EXO_CL(clSetKernelArg(b->k_init, 5, sizeof n, &n), err, "k_init_vesicles arg 5");
    EXO_CL(clSetKernelArg(b->k_init, 6, sizeof(cl_mem), &b->ligands), err, "k_init_vesicles arg 6");
    EXO_CL(clSetKernelArg(b->k_init, 7, sizeof(cl_mem), &b->bonds), err, "k_init_vesicles arg 7");
    EXO_CL(clSetKernelArg(b->k_init, 8, sizeof(cl_mem), &b->cells), err, "k_init_vesicles arg 8");
    EXO_CL(clSetKernelArg(b->k_init, 9, sizeof(cl_mem), &b->cell_bin_start), err,
           "k_init_vesicles arg 9");
    EXO_CL(clSetKernelArg(b->k_init, 10, sizeof(cl_mem), &b->cell_bin_cells), err,
           "k_init_vesicles arg 10");
    EXO_TRY(launch(b, b->k_init, "k_init_vesicles", ip->count, b->wg,
                   "injecting a population", err));
cleanup:
    return rc;
}

/* Make the device's slot table the launching population's: written only
 * when it differs from what the buffer holds (populations alternate). */
static exo_status write_slots(exo_clb *b, const exo_slot_table *t, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (b->slots_set && memcmp(&b->slots_written, t, sizeof *t) == 0)
        return EXO_OK;
    EXO_CL(clEnqueueWriteBuffer(b->rt.queue, b->slots, CL_TRUE, 0, sizeof *t, t, 0, NULL,
                                NULL), err, "writing the surface slot table");
    b->slots_written = *t;
    b->slots_set = 1;
cleanup:
    return rc;
}

static exo_status clb_advance(exo_backend *bb, const exo_step_params *p,
                              const exo_slot_table *slots, uint64_t step0, uint32_t nsteps,
                              uint32_t first, uint32_t count, const uint32_t *arrivals,
                              exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    EXO_TRY(write_slots(b, slots, err));
    cl_uint stride = b->stride, ns = nsteps, id0 = bb->id0;
    cl_ulong s0 = step0;
    char what[96];
    snprintf(what, sizeof what, "for steps %llu..%llu",
             (unsigned long long)step0, (unsigned long long)(step0 + nsteps));
    EXO_CL(clSetKernelArg(b->k_advance, 4, sizeof *p, p), err, "k_advance arg 4");
    EXO_CL(clSetKernelArg(b->k_advance, 5, sizeof s0, &s0), err, "k_advance arg 5");
    EXO_CL(clSetKernelArg(b->k_advance, 6, sizeof ns, &ns), err, "k_advance arg 6");
    EXO_CL(clSetKernelArg(b->k_advance, 7, sizeof stride, &stride), err, "k_advance arg 7");
    EXO_CL(clSetKernelArg(b->k_advance, 8, sizeof id0, &id0), err, "k_advance arg 8");
    cl_uint f = first, c = count;
    EXO_CL(clSetKernelArg(b->k_advance, 9, sizeof f, &f), err, "k_advance arg 9");
    EXO_CL(clSetKernelArg(b->k_advance, 10, sizeof c, &c), err, "k_advance arg 10");
    if (arrivals) {
        size_t need = ((size_t)nsteps + 1) * sizeof(cl_uint);
        if (need > b->arrivals_bytes) {
            if (b->arrivals)
                clReleaseMemObject(b->arrivals);
            b->arrivals = NULL;
            b->arrivals_bytes = 0;
            EXO_CL_OBJ(b->arrivals, clCreateBuffer(b->rt.ctx, CL_MEM_READ_ONLY, need, NULL, &e_),
                       err, "allocating the arrival schedule (%u steps)", nsteps);
            b->arrivals_bytes = need;
        }
        EXO_CL(clEnqueueWriteBuffer(b->rt.queue, b->arrivals, CL_TRUE, 0, need, arrivals,
                                    0, NULL, NULL), err, "writing the arrival schedule");
    }
    EXO_CL(clSetKernelArg(b->k_advance, 11, sizeof(cl_mem), &b->arrivals), err,
           "k_advance arg 11");
    if (p->depletion && b->n_patches) {
        size_t need = (size_t)nsteps * b->n_patches * sizeof(cl_uint);
        if (need > b->formed_bytes) {
            clReleaseMemObject(b->formed);
            b->formed = NULL;
            b->formed_bytes = 0;
            EXO_CL_OBJ(b->formed, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, need, NULL, &e_),
                       err, "allocating the bonds-formed counters (%u steps x %u patches)",
                       nsteps, b->n_patches);
            b->formed_bytes = need;
        }
        cl_uint zero = 0;
        EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->formed, &zero, sizeof zero, 0, need, 0,
                                   NULL, NULL), err, "clearing the bonds-formed counters");
    }
    EXO_CL(clSetKernelArg(b->k_advance, 18, sizeof(cl_mem), &b->formed), err,
           "k_advance arg 18");
    EXO_TRY(launch(b, b->k_advance, "k_advance", (count + b->rt.width - 1) / b->rt.width,
                   b->wg, what, err));
cleanup:
    return rc;
}

static exo_status clb_count_places(exo_backend *bb, const exo_step_params *p,
                                   uint32_t first, uint32_t count, uint64_t *counts,
                                   exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint zero[EXO_PLACES * EXO_COUNT_COLS] = {0}, got[EXO_PLACES * EXO_COUNT_COLS];
    cl_uint f = first, c = count;
    EXO_CL(clEnqueueWriteBuffer(b->rt.queue, b->counts, CL_TRUE, 0, sizeof zero,
                                zero, 0, NULL, NULL), err, "clearing the counts");
    EXO_CL(clSetKernelArg(b->k_count, 3, sizeof f, &f), err, "k_count_places arg 3");
    EXO_CL(clSetKernelArg(b->k_count, 4, sizeof c, &c), err, "k_count_places arg 4");
    EXO_CL(clSetKernelArg(b->k_count, 5, sizeof *p, p), err, "k_count_places arg 5");
    EXO_TRY(launch(b, b->k_count, "k_count_places", count, b->wg ? b->wg : 64,
                   "counting vesicles", err));
    EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->counts, CL_TRUE, 0, sizeof got,
                               got, 0, NULL, NULL), err, "reading the counts");
    for (int k = 0; k < EXO_PLACES * EXO_COUNT_COLS; k++)
        counts[k] = got[k];
cleanup:
    return rc;
}

/* Frame staging slot j's buffers hold at least m vesicles. */
static exo_status frame_slot_room(exo_clb *b, int j, uint32_t m, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_frame_slot *f = &b->frame[j];
    if (f->n >= m)
        return EXO_OK;
    cl_mem *mems[] = {&f->pos, &f->image, &f->state, &f->bonds};
    for (int k = 0; k < 4; k++)
        if (*mems[k]) {
            clReleaseMemObject(*mems[k]);
            *mems[k] = NULL;
        }
    f->n = 0;
    EXO_CL_OBJ(f->pos, clCreateBuffer(b->rt.ctx, CL_MEM_WRITE_ONLY, 3 * (size_t)m * sizeof(float), NULL, &e_),
               err, "allocating the frame staging buffer (%u vesicles)", m);
    EXO_CL_OBJ(f->image, clCreateBuffer(b->rt.ctx, CL_MEM_WRITE_ONLY, 3 * (size_t)m * sizeof(cl_int), NULL, &e_),
               err, "allocating the frame staging buffer (%u vesicles)", m);
    EXO_CL_OBJ(f->state, clCreateBuffer(b->rt.ctx, CL_MEM_WRITE_ONLY, (size_t)m, NULL, &e_),
               err, "allocating the frame staging buffer (%u vesicles)", m);
    EXO_CL_OBJ(f->bonds, clCreateBuffer(b->rt.ctx, CL_MEM_WRITE_ONLY, (size_t)m, NULL, &e_),
               err, "allocating the frame staging buffer (%u vesicles)", m);
    f->n = m;
cleanup:
    return rc;
}

/* Wait for a frame copy's last read (the copy queue is in order, so the
 * others are done too), check it ran, and release it. */
static exo_status wait_frame_copy(cl_event done, exo_error *err)
{
    exo_status rc = EXO_OK;
    cl_int st = CL_COMPLETE;
    cl_int e = clWaitForEvents(1, &done);
    if (e == CL_SUCCESS)
        e = clGetEventInfo(done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof st, &st, NULL);
    clReleaseEvent(done);
    EXO_CL(e, err, "waiting for a frame's copy to the host");
    EXO_CL(st < 0 ? st : CL_SUCCESS, err, "copying a frame to the host");
cleanup:
    return rc;
}

/* k_gather_frame packs the frame on the compute queue; the copy queue
 * reads it out (non-blocking, after the pack) while the compute queue goes
 * on stepping.  Two staging slots alternate, so one frame can be read while
 * the next is packed. */
static exo_status clb_frame_begin(exo_backend *bb, const exo_frame_rows *rows,
                                  float *pos_nm, int32_t *image, int8_t *state,
                                  uint8_t *bonds, void **pending, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint n = rows->n_all, n_out = rows->n_out, m = rows->count, j0 = rows->j0,
            i0 = rows->i0;
    cl_event packed = NULL, read[4] = {NULL, NULL, NULL, NULL};
    *pending = NULL;
    int j = b->frame_next;
    b->frame_next ^= 1;
    exo_frame_slot *f = &b->frame[j];
    if (f->copied) { /* the slot's previous frame is still being read out */
        cl_event done = f->copied;
        f->copied = NULL;
        EXO_TRY(wait_frame_copy(done, err));
    }
    if (m == 0)
        return EXO_OK;
    EXO_TRY(frame_slot_room(b, j, m, err));
    EXO_CL(clSetKernelArg(b->k_gather, 3, sizeof n, &n), err, "k_gather_frame arg 3");
    EXO_CL(clSetKernelArg(b->k_gather, 4, sizeof n_out, &n_out), err, "k_gather_frame arg 4");
    EXO_CL(clSetKernelArg(b->k_gather, 5, sizeof(cl_mem), &f->pos), err, "k_gather_frame arg 5");
    EXO_CL(clSetKernelArg(b->k_gather, 6, sizeof(cl_mem), &f->image), err, "k_gather_frame arg 6");
    EXO_CL(clSetKernelArg(b->k_gather, 7, sizeof(cl_mem), &f->state), err, "k_gather_frame arg 7");
    EXO_CL(clSetKernelArg(b->k_gather, 8, sizeof(cl_uint), &b->stride), err, "k_gather_frame arg 8");
    EXO_CL(clSetKernelArg(b->k_gather, 10, sizeof(cl_mem), &f->bonds), err, "k_gather_frame arg 10");
    EXO_CL(clSetKernelArg(b->k_gather, 11, sizeof m, &m), err, "k_gather_frame arg 11");
    EXO_CL(clSetKernelArg(b->k_gather, 12, sizeof j0, &j0), err, "k_gather_frame arg 12");
    EXO_CL(clSetKernelArg(b->k_gather, 13, sizeof i0, &i0), err, "k_gather_frame arg 13");
    size_t local = b->wg, global = round_up(m, local);
    EXO_CL(clEnqueueNDRangeKernel(b->rt.queue, b->k_gather, 1, NULL, &global,
                                  local ? &local : NULL, 0, NULL, &packed),
           err, "launching k_gather_frame (global %zu) packing a frame on '%s'", global,
           b->rt.dev.name);
    EXO_CL(launch_fails() ? CL_OUT_OF_RESOURCES : clFlush(b->rt.queue), err,
           "submitting a frame's packing on '%s'", b->rt.dev.name);
    EXO_CL(clEnqueueReadBuffer(b->rt.copy_queue, f->pos, CL_FALSE, 0, 3 * (size_t)m * sizeof(float),
                               pos_nm, 1, &packed, &read[0]), err, "reading frame positions");
    EXO_CL(clEnqueueReadBuffer(b->rt.copy_queue, f->image, CL_FALSE, 0, 3 * (size_t)m * sizeof(cl_int),
                               image, 1, &packed, &read[1]), err, "reading frame image counts");
    EXO_CL(clEnqueueReadBuffer(b->rt.copy_queue, f->state, CL_FALSE, 0, (size_t)m,
                               state, 1, &packed, &read[2]), err, "reading frame states");
    EXO_CL(clEnqueueReadBuffer(b->rt.copy_queue, f->bonds, CL_FALSE, 0, (size_t)m,
                               bonds, 1, &packed, &read[3]), err, "reading frame bonds");
    EXO_CL(clFlush(b->rt.copy_queue), err, "submitting a frame's copy to the host");
    /* The last read stands for all four: one reference for the slot, one
     * for the caller's frame_end. */
    EXO_CL(clRetainEvent(read[3]), err, "keeping a frame's copy event");
    f->copied = read[3];
    *pending = read[3];
    read[3] = NULL;
cleanup:
    if (packed)
        clReleaseEvent(packed);
    for (int k = 0; k < 4; k++)
        if (read[k]) {
            if (rc != EXO_OK)
                clWaitForEvents(1, &read[k]); /* the host arrays stay in use until then */
            clReleaseEvent(read[k]);
        }
    return rc;
}

static exo_status clb_frame_end(exo_backend *bb, void *pending, exo_error *err)
{
    (void)bb;
    return pending ? wait_frame_copy((cl_event)pending, err) : EXO_OK;
}

static exo_status clb_read(exo_backend *bb, float *pos_um, int32_t *image,
                           int8_t *state, float *radius_um, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    size_t n = bb->n;
    exo_real *tmp = NULL;
    size_t stride = b->stride;
    if (pos_um) {
        EXO_ALLOC(tmp, 3 * stride, err, "a position read-back buffer");
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->pos, CL_TRUE, 0,
                                   3 * stride * sizeof(exo_real), tmp, 0, NULL, NULL),
               err, "reading positions");
        for (int a = 0; a < 3; a++)
            for (size_t i = 0; i < n; i++)
                pos_um[a * n + i] = (float)tmp[a * stride + i];
    }
    for (int a = 0; image && a < 3; a++)
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->image, CL_TRUE,
                                   a * stride * sizeof(cl_int), n * sizeof(cl_int),
                                   image + a * n, 0, NULL, NULL), err, "reading image counts");
    if (state)
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->state, CL_TRUE, 0, n, state, 0, NULL, NULL),
               err, "reading states");
    if (radius_um)
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->radius, CL_TRUE, 0, n * sizeof(float),
                                   radius_um, 0, NULL, NULL), err, "reading radii");
cleanup:
    free(tmp);
    return rc;
}

static exo_status set_event_args(exo_clb *b, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_CL(clSetKernelArg(b->k_advance, 14, sizeof(cl_mem), &b->events), err, "k_advance arg 14");
    EXO_CL(clSetKernelArg(b->k_advance, 15, sizeof(cl_mem), &b->event_count), err,
           "k_advance arg 15");
    EXO_CL(clSetKernelArg(b->k_advance, 16, sizeof(cl_uint), &b->event_cap), err,
           "k_advance arg 16");
cleanup:
    return rc;
}

static exo_status clb_set_event_capacity(exo_backend *bb, uint32_t capacity, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    if (b->events)
        clReleaseMemObject(b->events);
    b->events = NULL;
    b->event_cap = 0;
    size_t bytes = (capacity ? capacity : 1) * sizeof(exo_event);
    EXO_CHECK(bytes <= b->rt.dev.max_alloc, err, EXO_ERR_NOMEM,
              "%u events need a %.3g GiB buffer, more than '%s' allocates at once (%.3g "
              "GiB): use fewer vesicles or shorter launches (--steps-per-launch)",
              capacity, bytes / 1073741824.0, b->rt.dev.name,
              b->rt.dev.max_alloc / 1073741824.0);
    EXO_CL_OBJ(b->events, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, bytes, NULL, &e_), err,
               "allocating room for %u events", capacity);
    b->event_cap = capacity;
    EXO_TRY(set_event_args(b, err));
cleanup:
    return rc;
}

static exo_status clb_take_events(exo_backend *bb, exo_event *out, uint32_t *count,
                                  exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint n = 0, zero = 0;
    EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->event_count, CL_TRUE, 0, sizeof n, &n, 0, NULL,
                               NULL), err, "reading the event count");
    *count = n;
    if (out && n > 0 && n <= b->event_cap)
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->events, CL_TRUE, 0, n * sizeof(exo_event),
                                   out, 0, NULL, NULL), err, "reading %u events", n);
    EXO_CL(clEnqueueWriteBuffer(b->rt.queue, b->event_count, CL_TRUE, 0, sizeof zero, &zero,
                                0, NULL, NULL), err, "clearing the event count");
cleanup:
    return rc;
}

/* Copy the changing arrays of vesicles first.. between the live and the
 * saved buffers (to_saved: live -> saved). */
static exo_status copy_state(exo_clb *b, uint32_t first, uint32_t count, int to_saved,
                             exo_error *err)
{
    exo_status rc = EXO_OK;
    size_t st = b->stride;
    struct {
        cl_mem live, saved;
        size_t elem;
        int comps;
    } a[4] = {{b->pos, b->s_pos, sizeof(exo_real), 3},
              {b->image, b->s_image, sizeof(cl_int), 3},
              {b->state, b->s_state, 1, 1},
              {b->bonds, b->s_bonds, 1, 1}};
    for (int k = 0; k < 4; k++)
        for (int c = 0; c < a[k].comps; c++) {
            size_t off = ((size_t)c * st + first) * a[k].elem;
            EXO_CL(clEnqueueCopyBuffer(b->rt.queue, to_saved ? a[k].live : a[k].saved,
                                       to_saved ? a[k].saved : a[k].live, off, off,
                                       (size_t)count * a[k].elem, 0, NULL, NULL),
                   err, "%s the state of %u vesicles", to_saved ? "saving" : "restoring",
                   count);
        }
    EXO_CL(clFinish(b->rt.queue), err, "waiting for a state copy");
cleanup:
    return rc;
}

static exo_status clb_save(exo_backend *bb, uint32_t first, uint32_t count, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    size_t nn = b->stride;
    if (b->s_pos == NULL) {
        EXO_CL_OBJ(b->s_pos, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, 3 * nn * sizeof(exo_real), NULL, &e_),
                   err, "allocating the saved positions");
        EXO_CL_OBJ(b->s_image, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, 3 * nn * sizeof(cl_int), NULL, &e_),
                   err, "allocating the saved image counts");
        EXO_CL_OBJ(b->s_state, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, nn, NULL, &e_),
                   err, "allocating the saved states");
        EXO_CL_OBJ(b->s_bonds, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, nn, NULL, &e_),
                   err, "allocating the saved bonds");
    }
    EXO_TRY(copy_state(b, first, count, 1, err));
cleanup:
    return rc;
}

static exo_status clb_restore(exo_backend *bb, uint32_t first, uint32_t count, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    if (b->s_pos == NULL)
        return EXO_ERROR(err, EXO_ERR_INVALID, "restore without a saved state");
    return copy_state(b, first, count, 0, err);
}

static exo_status clb_set_patches(exo_backend *bb, uint32_t n_patches, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_mem *m[3] = {&b->avail, &b->patch_bound, &b->patch_taken};
    for (int k = 0; k < 3; k++) {
        if (*m[k])
            clReleaseMemObject(*m[k]);
        *m[k] = NULL;
    }
    size_t n = n_patches ? n_patches : 1;
    cl_float one = 1.0f;
    EXO_CL_OBJ(b->avail, clCreateBuffer(b->rt.ctx, CL_MEM_READ_ONLY, n * sizeof(cl_float), NULL, &e_),
               err, "allocating %u receptor patches", n_patches);
    EXO_CL_OBJ(b->patch_bound, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, n * sizeof(cl_uint), NULL, &e_),
               err, "allocating %u receptor patch counters", n_patches);
    EXO_CL_OBJ(b->patch_taken, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, n * sizeof(cl_uint), NULL, &e_),
               err, "allocating %u receptor patch counters", n_patches);
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->avail, &one, sizeof one, 0, n * sizeof one, 0,
                               NULL, NULL), err, "setting the receptor availabilities");
    if (b->formed == NULL) {
        EXO_CL_OBJ(b->formed, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, sizeof(cl_uint), NULL,
                                             &e_), err, "allocating the bonds-formed counters");
        b->formed_bytes = 0; /* not yet sized for a launch */
    }
    b->n_patches = n_patches;
    cl_uint np = n_patches;
    EXO_CL(clSetKernelArg(b->k_advance, 17, sizeof(cl_mem), &b->avail), err, "k_advance arg 17");
    EXO_CL(clSetKernelArg(b->k_advance, 19, sizeof np, &np), err, "k_advance arg 19");
cleanup:
    return rc;
}

/* A read-only buffer holding a copy of n bytes at data (one zero word if
 * n is 0: kernels take a valid buffer even where they never read it). */
static exo_status upload(exo_clb *b, cl_mem *m, const void *data, size_t n,
                         const char *what, exo_error *err)
{
    exo_status rc = EXO_OK;
    cl_uint zero = 0;
    if (*m)
        clReleaseMemObject(*m);
    *m = NULL;
    EXO_CL_OBJ(*m, clCreateBuffer(b->rt.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                  n ? n : sizeof zero, n ? (void *)data : &zero, &e_),
               err, "allocating %zu bytes for %s", n, what);
cleanup:
    return rc;
}

static exo_status clb_set_cells(exo_backend *bb, const exo_cell_lists *c, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    size_t listed = c->n_bins ? c->bin_start[c->n_bins] : 0;
    EXO_TRY(upload(b, &b->cells, c->cell, 4 * (size_t)c->n_cells * sizeof(exo_real),
                   "the tissue's cells", err));
    EXO_TRY(upload(b, &b->cell_bin_start, c->bin_start,
                   c->n_bins ? (c->n_bins + 1) * sizeof(cl_uint) : 0, "the cell grid", err));
    EXO_TRY(upload(b, &b->cell_bin_cells, c->bin_cells, listed * sizeof(cl_uint),
                   "the cell grid's lists", err));
    EXO_TRY(upload(b, &b->cell_type, c->cell_type, (size_t)c->n_cells * sizeof(cl_int),
                   "the cells' types", err));
    EXO_CL(clSetKernelArg(b->k_advance, 20, sizeof(cl_mem), &b->cells), err, "k_advance arg 20");
    EXO_CL(clSetKernelArg(b->k_advance, 21, sizeof(cl_mem), &b->cell_bin_start), err,
           "k_advance arg 21");
    EXO_CL(clSetKernelArg(b->k_advance, 22, sizeof(cl_mem), &b->cell_bin_cells), err,
           "k_advance arg 22");
    EXO_CL(clSetKernelArg(b->k_advance, 23, sizeof(cl_mem), &b->cell_type), err,
           "k_advance arg 23");
    cl_mem *count_args[4] = {&b->cells, &b->cell_bin_start, &b->cell_bin_cells, &b->cell_type};
    for (cl_uint k = 0; k < 4; k++) {
        EXO_CL(clSetKernelArg(b->k_count, 9 + k, sizeof(cl_mem), count_args[k]), err,
               "k_count_places arg %u", 9 + k);
        EXO_CL(clSetKernelArg(b->k_patches, 11 + k, sizeof(cl_mem), count_args[k]), err,
               "k_count_patches arg %u", 11 + k);
    }
cleanup:
    return rc;
}

static exo_status clb_density(exo_backend *bb, const exo_density_params *d, uint32_t n_counts,
                              uint32_t *counts, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint zero = 0, n = b->base.n;
    if (b->density == NULL || b->density_n < n_counts) {
        if (b->density)
            clReleaseMemObject(b->density);
        b->density = NULL;
        EXO_CL_OBJ(b->density, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE,
                                              (size_t)n_counts * sizeof(cl_uint), NULL, &e_),
                   err, "allocating a density image of %u counts", n_counts);
        b->density_n = n_counts;
    }
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->density, &zero, sizeof zero, 0,
                               (size_t)n_counts * sizeof zero, 0, NULL, NULL),
           err, "clearing the density image");
    EXO_CL(clSetKernelArg(b->k_density, 0, sizeof(cl_mem), &b->pos), err, "k_density arg 0");
    EXO_CL(clSetKernelArg(b->k_density, 1, sizeof(cl_mem), &b->state), err, "k_density arg 1");
    EXO_CL(clSetKernelArg(b->k_density, 2, sizeof(cl_uint), &b->stride), err, "k_density arg 2");
    EXO_CL(clSetKernelArg(b->k_density, 3, sizeof n, &n), err, "k_density arg 3");
    EXO_CL(clSetKernelArg(b->k_density, 4, sizeof *d, d), err, "k_density arg 4");
    EXO_CL(clSetKernelArg(b->k_density, 5, sizeof(cl_mem), &b->density), err, "k_density arg 5");
    EXO_TRY(launch(b, b->k_density, "k_density", n, b->wg, "for a density image", err));
    EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->density, CL_TRUE, 0,
                               (size_t)n_counts * sizeof(cl_uint), counts, 0, NULL, NULL),
           err, "reading a density image of %u counts", n_counts);
cleanup:
    return rc;
}

static exo_status clb_write_availability(exo_backend *bb, const float *avail, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    if (b->n_patches)
        EXO_CL(clEnqueueWriteBuffer(b->rt.queue, b->avail, CL_TRUE, 0,
                                    b->n_patches * sizeof(cl_float), avail, 0, NULL, NULL),
               err, "writing %u receptor availabilities", b->n_patches);
cleanup:
    return rc;
}

static exo_status clb_count_patches(exo_backend *bb, const exo_step_params *p,
                                    const exo_slot_table *slots, uint32_t first,
                                    uint32_t count, uint64_t *bound, uint64_t *taken,
                                    exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint *got = NULL, zero = 0, f = first, c = count, stride = b->stride;
    size_t n = b->n_patches;
    if (n == 0)
        return EXO_OK;
    EXO_TRY(write_slots(b, slots, err));
    EXO_ALLOC(got, 2 * n, err, "patch counts");
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->patch_bound, &zero, sizeof zero, 0,
                               n * sizeof zero, 0, NULL, NULL), err, "clearing patch counts");
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->patch_taken, &zero, sizeof zero, 0,
                               n * sizeof zero, 0, NULL, NULL), err, "clearing patch counts");
    cl_kernel k = b->k_patches;
    EXO_CL(clSetKernelArg(k, 0, sizeof(cl_mem), &b->pos), err, "k_count_patches arg 0");
    EXO_CL(clSetKernelArg(k, 1, sizeof(cl_mem), &b->radius), err, "k_count_patches arg 1");
    EXO_CL(clSetKernelArg(k, 2, sizeof(cl_mem), &b->state), err, "k_count_patches arg 2");
    EXO_CL(clSetKernelArg(k, 3, sizeof(cl_mem), &b->bonds), err, "k_count_patches arg 3");
    EXO_CL(clSetKernelArg(k, 4, sizeof stride, &stride), err, "k_count_patches arg 4");
    EXO_CL(clSetKernelArg(k, 5, sizeof f, &f), err, "k_count_patches arg 5");
    EXO_CL(clSetKernelArg(k, 6, sizeof c, &c), err, "k_count_patches arg 6");
    EXO_CL(clSetKernelArg(k, 7, sizeof *p, p), err, "k_count_patches arg 7");
    EXO_CL(clSetKernelArg(k, 8, sizeof(cl_mem), &b->patch_bound), err, "k_count_patches arg 8");
    EXO_CL(clSetKernelArg(k, 9, sizeof(cl_mem), &b->patch_taken), err, "k_count_patches arg 9");
    EXO_TRY(launch(b, k, "k_count_patches", (count + b->rt.width - 1) / b->rt.width, b->wg,
                   "counting bonds per receptor patch", err));
    EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->patch_bound, CL_TRUE, 0, n * sizeof(cl_uint), got,
                               0, NULL, NULL), err, "reading patch counts");
    EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->patch_taken, CL_TRUE, 0, n * sizeof(cl_uint),
                               got + n, 0, NULL, NULL), err, "reading patch counts");
    for (size_t j = 0; j < n; j++) {
        bound[j] += got[j];
        taken[j] += got[n + j];
    }
cleanup:
    free(got);
    return rc;
}

static exo_status clb_add_formed(exo_backend *bb, uint32_t nsteps, uint64_t *formed,
                                 exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    cl_uint *got = NULL;
    size_t n = (size_t)nsteps * b->n_patches;
    if (n == 0)
        return EXO_OK;
    if (n * sizeof(cl_uint) > b->formed_bytes)
        return EXO_ERROR(err, EXO_ERR_INVALID, "bonds formed over %u steps asked for, but "
                         "no depleting launch that long ran", nsteps);
    EXO_ALLOC(got, n, err, "the bonds-formed counters");
    EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->formed, CL_TRUE, 0, n * sizeof(cl_uint), got, 0,
                               NULL, NULL), err, "reading the bonds-formed counters");
    for (size_t j = 0; j < n; j++)
        formed[j] += got[j];
cleanup:
    free(got);
    return rc;
}

static exo_status clb_exchange(exo_backend *bb, int to_device, const exo_vesicle_arrays *v,
                               exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    size_t n = bb->n, stride = b->stride;
    struct {
        cl_mem mem;
        void *host;
        size_t elem;
        int parts;
        const char *what;
    } a[] = {{b->pos, v->pos, sizeof(exo_real), 3, "positions"},
             {b->image, v->image, sizeof(cl_int), 3, "image counts"},
             {b->radius, v->radius, sizeof(float), 1, "radii"},
             {b->state, v->state, 1, 1, "states"},
             {b->ligands, v->ligands, sizeof(cl_ushort), 1, "ligand counts"},
             {b->bonds, v->bonds, 1, 1, "bond counts"}};
    for (size_t k = 0; k < sizeof a / sizeof a[0]; k++)
        for (int c = 0; c < a[k].parts; c++) {
            size_t off = (size_t)c * stride * a[k].elem;
            char *host = (char *)a[k].host + (size_t)c * n * a[k].elem;
            if (to_device)
                EXO_CL(clEnqueueWriteBuffer(b->rt.queue, a[k].mem, CL_TRUE, off, n * a[k].elem,
                                            host, 0, NULL, NULL), err, "writing %s of %zu vesicles",
                       a[k].what, n);
            else
                EXO_CL(clEnqueueReadBuffer(b->rt.queue, a[k].mem, CL_TRUE, off, n * a[k].elem,
                                           host, 0, NULL, NULL), err, "reading %s of %zu vesicles",
                       a[k].what, n);
        }
cleanup:
    return rc;
}

static exo_status clb_read_binding(exo_backend *bb, uint16_t *ligands, uint8_t *bonds,
                                   exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    size_t n = bb->n;
    if (ligands)
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->ligands, CL_TRUE, 0, n * sizeof *ligands,
                                   ligands, 0, NULL, NULL), err, "reading ligand counts");
    if (bonds)
        EXO_CL(clEnqueueReadBuffer(b->rt.queue, b->bonds, CL_TRUE, 0, n, bonds, 0, NULL, NULL),
               err, "reading bond counts");
cleanup:
    return rc;
}

static exo_status clb_destroy(exo_backend *bb, exo_error *err)
{
    exo_clb *b = (exo_clb *)bb;
    exo_status rc = EXO_OK;
    for (int j = 0; j < 2; j++) /* host arrays may still be written into */
        if (b->frame[j].copied) {
            exo_status r = wait_frame_copy(b->frame[j].copied, err);
            b->frame[j].copied = NULL;
            rc = rc != EXO_OK ? rc : r;
        }
    cl_mem *mems[] = {&b->pos, &b->image, &b->radius, &b->state, &b->ligands, &b->bonds,
                      &b->events, &b->event_count, &b->s_pos, &b->s_image, &b->s_state,
                      &b->s_bonds, &b->avail, &b->patch_bound, &b->patch_taken, &b->formed, &b->counts,
                      &b->frame[0].pos, &b->frame[0].image, &b->frame[0].state,
                      &b->frame[0].bonds, &b->frame[1].pos, &b->frame[1].image,
                      &b->frame[1].state, &b->frame[1].bonds,
                      &b->arrivals, &b->cells, &b->cell_bin_start, &b->cell_bin_cells,
                      &b->cell_type, &b->density, &b->slots};
    cl_kernel *ks[] = {&b->k_advance, &b->k_init,    &b->k_count,
                       &b->k_gather,  &b->k_patches, &b->k_density};
    for (size_t i = 0; i < sizeof mems / sizeof mems[0]; i++)
        if (*mems[i]) {
            cl_int e = clReleaseMemObject(*mems[i]);
            *mems[i] = NULL;
            if (e != CL_SUCCESS && rc == EXO_OK)
                rc = exo_cl_fail(err, e, __FILE__, __LINE__, __func__,
                                 "clReleaseMemObject");
        }
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
        if (*ks[i]) {
            cl_int e = clReleaseKernel(*ks[i]);
            *ks[i] = NULL;
            if (e != CL_SUCCESS && rc == EXO_OK)
                rc = exo_cl_fail(err, e, __FILE__, __LINE__, __func__,
                                 "clReleaseKernel");
        }
    exo_status r2 = rt_destroy(&b->rt, err);
    free(b);
    return rc != EXO_OK ? rc : r2;
}

static const exo_backend_ops clb_ops = {clb_init_population, clb_advance,
                                        clb_count_places,    clb_frame_begin,
                                        clb_frame_end,
                                        clb_read,            clb_set_event_capacity,
                                        clb_take_events,     clb_save,
                                        clb_restore,         clb_set_patches,
                                        clb_write_availability, clb_count_patches,
                                        clb_add_formed,      clb_set_cells,
                                        clb_density,         clb_exchange,
                                        clb_read_binding,
                                        clb_destroy};

exo_status exo_cl_create(exo_backend **out, const exo_cl_options *opt,
                         uint32_t n, uint32_t id0, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_clb *b = NULL;
    EXO_ALLOC(b, 1, err, "the OpenCL backend");
    b->base.ops = &clb_ops;
    b->base.n = n;
    b->base.id0 = id0;
    b->wg = opt->work_group_size;
    EXO_TRY(rt_create(&b->rt, opt->device, opt->default_gpu, opt->cache_dir, opt->vector_width,
                      opt->native_math, opt->log, err));
    b->base.from_cache = b->rt.from_cache;
    memcpy(b->base.program_key, b->rt.program_key, sizeof b->base.program_key);
    snprintf(b->base.name, sizeof b->base.name,
             "%.200s (%.127s; %.100s; %u vesicles per work-item%s)", b->rt.dev.name,
             b->rt.dev.platform_name, b->rt.dev.version, b->rt.width,
             opt->native_math ? "; native math" : "");

    /* Fit check before allocating: a clear message beats a failed alloc.
     * The budget is the device's memory (or the user's cap) less what the
     * run's other buffers take; the largest buffer is the positions. */
    uint64_t budget = b->rt.dev.global_mem;
    if (opt->memory_limit && opt->memory_limit < budget)
        budget = opt->memory_limit;
    budget = budget > opt->reserve_bytes ? budget - opt->reserve_bytes : 0;
    size_t per = exo_cl_bytes_per_vesicle();
    uint64_t fit = budget / per;
    uint64_t fit_alloc = b->rt.dev.max_alloc / (3 * sizeof(exo_real));
    fit = fit < fit_alloc ? fit : fit_alloc;
    fit = fit > b->rt.width ? fit - b->rt.width : 0; /* the padding below */
    if (fit < n && opt->allow_batches) {
        n = (uint32_t)fit; /* exo_batch pages the rest through */
        b->base.n = n;
    }
    b->base.part_count = n;
    EXO_CHECK(n <= fit, err, EXO_ERR_INVALID,
              "%u vesicles need %.3g GiB of device memory (largest buffer %.3g GiB), "
              "but '%s' has %.3g GiB for them (largest buffer %.3g GiB): reduce the count "
              "or choose another device", n, per * ((double)n + b->rt.width) / 1073741824.0,
              3.0 * ((double)n + b->rt.width) * sizeof(exo_real) / 1073741824.0,
              b->rt.dev.name, budget / 1073741824.0, b->rt.dev.max_alloc / 1073741824.0);
    /* A population's last work-item may reach EXO_W - 1 entries past it
     * (masked): the arrays get that much padding, inactive. */
    b->stride = n + b->rt.width;

    size_t nn = b->stride;
    EXO_CL_OBJ(b->pos, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, 3 * nn * sizeof(exo_real), NULL, &e_),
               err, "allocating positions of %u vesicles", n);
    EXO_CL_OBJ(b->image, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, 3 * nn * sizeof(cl_int), NULL, &e_),
               err, "allocating image counts of %u vesicles", n);
    EXO_CL_OBJ(b->radius, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, nn * sizeof(float), NULL, &e_),
               err, "allocating radii of %u vesicles", n);
    EXO_CL_OBJ(b->state, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, nn, NULL, &e_),
               err, "allocating states of %u vesicles", n);
    EXO_CL_OBJ(b->ligands, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, nn * sizeof(cl_ushort), NULL, &e_),
               err, "allocating ligand counts of %u vesicles", n);
    EXO_CL_OBJ(b->bonds, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, nn, NULL, &e_),
               err, "allocating bond counts of %u vesicles", n);
    EXO_CL_OBJ(b->counts, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE, EXO_PLACES * EXO_COUNT_COLS * sizeof(cl_uint), NULL, &e_),
               err, "allocating the state counters");
    /* A valid (unused) schedule buffer for launches without infusion. */
    EXO_CL_OBJ(b->arrivals, clCreateBuffer(b->rt.ctx, CL_MEM_READ_ONLY, sizeof(cl_uint), NULL, &e_),
               err, "allocating the arrival schedule");
    b->arrivals_bytes = sizeof(cl_uint);
    /* Inactive until injected; padding keeps a harmless radius. */
    cl_char zero = EXO_STATE_INACTIVE;
    cl_float one = 1.0f;
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->state, &zero, 1, 0, nn, 0, NULL, NULL),
           err, "clearing the states of %u vesicles", n);
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->radius, &one, sizeof one, 0,
                               nn * sizeof one, 0, NULL, NULL),
           err, "clearing the radii of %u vesicles", n);
    cl_ushort no_ligands = 0;
    cl_uchar no_bonds = 0;
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->ligands, &no_ligands, sizeof no_ligands, 0,
                               nn * sizeof no_ligands, 0, NULL, NULL),
           err, "clearing the ligand counts of %u vesicles", n);
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->bonds, &no_bonds, 1, 0, nn, 0, NULL, NULL),
           err, "clearing the bond counts of %u vesicles", n);
    /* Positions and image counts too: the lanes past the last vesicle read
     * them (masked), and valgrind showed branches in the kernel's vector
     * math depending on what was there before. */
    exo_real origin = 0;
    cl_int no_image = 0;
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->pos, &origin, sizeof origin, 0,
                               3 * nn * sizeof origin, 0, NULL, NULL),
           err, "clearing the positions of %u vesicles", n);
    EXO_CL(clEnqueueFillBuffer(b->rt.queue, b->image, &no_image, sizeof no_image, 0,
                               3 * nn * sizeof no_image, 0, NULL, NULL),
           err, "clearing the image counts of %u vesicles", n);

    EXO_CL_OBJ(b->k_advance, clCreateKernel(b->rt.program, "k_advance", &e_), err, "creating kernel k_advance");
    EXO_CL_OBJ(b->k_init, clCreateKernel(b->rt.program, "k_init_vesicles", &e_), err, "creating kernel k_init_vesicles");
    EXO_CL_OBJ(b->k_count, clCreateKernel(b->rt.program, "k_count_places", &e_), err, "creating kernel k_count_places");
    EXO_CL_OBJ(b->k_gather, clCreateKernel(b->rt.program, "k_gather_frame", &e_), err, "creating kernel k_gather_frame");
    EXO_CL_OBJ(b->k_density, clCreateKernel(b->rt.program, "k_density", &e_), err, "creating kernel k_density");
    EXO_CL(clSetKernelArg(b->k_advance, 0, sizeof(cl_mem), &b->pos), err, "k_advance arg 0");
    EXO_CL(clSetKernelArg(b->k_advance, 1, sizeof(cl_mem), &b->image), err, "k_advance arg 1");
    EXO_CL(clSetKernelArg(b->k_advance, 2, sizeof(cl_mem), &b->radius), err, "k_advance arg 2");
    EXO_CL(clSetKernelArg(b->k_advance, 3, sizeof(cl_mem), &b->state), err, "k_advance arg 3");
    EXO_CL(clSetKernelArg(b->k_advance, 12, sizeof(cl_mem), &b->ligands), err, "k_advance arg 12");
    EXO_CL(clSetKernelArg(b->k_advance, 13, sizeof(cl_mem), &b->bonds), err, "k_advance arg 13");
    cl_uint no_events = 0;
    EXO_CL_OBJ(b->event_count, clCreateBuffer(b->rt.ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                                              sizeof no_events, &no_events, &e_),
               err, "allocating the event counter");
    EXO_TRY(clb_set_event_capacity(&b->base, 0, err));
    EXO_CL_OBJ(b->k_patches, clCreateKernel(b->rt.program, "k_count_patches", &e_), err,
               "creating kernel k_count_patches");
    EXO_TRY(clb_set_patches(&b->base, 0, err));
    EXO_CL_OBJ(b->slots, clCreateBuffer(b->rt.ctx, CL_MEM_READ_ONLY, sizeof(exo_slot_table), NULL,
                                        &e_), err, "allocating the surface slot table");
    EXO_CL(clSetKernelArg(b->k_advance, 24, sizeof(cl_mem), &b->slots), err, "k_advance arg 24");
    EXO_CL(clSetKernelArg(b->k_patches, 10, sizeof(cl_mem), &b->slots), err,
           "k_count_patches arg 10");
    const exo_cell_lists no_cells = {0, NULL, 0, NULL, NULL, NULL};
    EXO_TRY(clb_set_cells(&b->base, &no_cells, err));
    EXO_CL(clSetKernelArg(b->k_count, 0, sizeof(cl_mem), &b->pos), err, "k_count_places arg 0");
    EXO_CL(clSetKernelArg(b->k_count, 1, sizeof(cl_mem), &b->state), err, "k_count_places arg 1");
    EXO_CL(clSetKernelArg(b->k_count, 2, sizeof(cl_uint), &b->stride), err, "k_count_places arg 2");
    EXO_CL(clSetKernelArg(b->k_count, 6, sizeof(cl_mem), &b->counts), err, "k_count_places arg 6");
    EXO_CL(clSetKernelArg(b->k_count, 7, sizeof(cl_mem), &b->bonds), err, "k_count_places arg 7");
    EXO_CL(clSetKernelArg(b->k_count, 8, sizeof(cl_mem), &b->radius), err, "k_count_places arg 8");
    EXO_CL(clSetKernelArg(b->k_gather, 0, sizeof(cl_mem), &b->pos), err, "k_gather_frame arg 0");
    EXO_CL(clSetKernelArg(b->k_gather, 1, sizeof(cl_mem), &b->image), err, "k_gather_frame arg 1");
    EXO_CL(clSetKernelArg(b->k_gather, 2, sizeof(cl_mem), &b->state), err, "k_gather_frame arg 2");
    EXO_CL(clSetKernelArg(b->k_gather, 9, sizeof(cl_mem), &b->bonds), err, "k_gather_frame arg 9");
    EXO_CL(clFinish(b->rt.queue), err, "setting up '%s'", b->rt.dev.name);
    *out = &b->base;
    return EXO_OK;
cleanup:
    if (b)
        clb_destroy(&b->base, NULL);
    return rc;
}

/* ------------------------------------------------------------------ probes */

exo_status exo_cl_probe(const exo_cl_options *opt, const char *kernel,
                        size_t global, const exo_cl_probe_arg *args, int nargs,
                        exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_clrt rt;
    cl_kernel k = NULL;
    cl_mem mem[16] = {NULL};
    int have_rt = 0;
    EXO_CHECK(nargs <= 16, err, EXO_ERR_INVALID, "too many probe arguments");
    EXO_TRY(rt_create(&rt, opt->device, opt->default_gpu, opt->cache_dir, opt->vector_width,
                      opt->native_math, opt->log, err));
    have_rt = 1;
    EXO_CL_OBJ(k, clCreateKernel(rt.program, kernel, &e_), err, "creating kernel %s", kernel);
    for (int i = 0; i < nargs; i++) {
        if (args[i].scalar) {
            EXO_CL(clSetKernelArg(k, (cl_uint)i, args[i].bytes, args[i].scalar), err,
                   "%s arg %d", kernel, i);
            continue;
        }
        EXO_CL_OBJ(mem[i], clCreateBuffer(rt.ctx, CL_MEM_READ_WRITE, args[i].bytes, NULL, &e_),
                   err, "allocating %s arg %d", kernel, i);
        if (args[i].in)
            EXO_CL(clEnqueueWriteBuffer(rt.queue, mem[i], CL_TRUE, 0, args[i].bytes,
                                        args[i].in, 0, NULL, NULL), err, "writing %s arg %d", kernel, i);
        EXO_CL(clSetKernelArg(k, (cl_uint)i, sizeof(cl_mem), &mem[i]), err, "%s arg %d", kernel, i);
    }
    EXO_CL(clEnqueueNDRangeKernel(rt.queue, k, 1, NULL, &global, NULL, 0, NULL, NULL),
           err, "launching %s (global %zu)", kernel, global);
    for (int i = 0; i < nargs; i++)
        if (args[i].out)
            EXO_CL(clEnqueueReadBuffer(rt.queue, mem[i], CL_TRUE, 0, args[i].bytes,
                                       args[i].out, 0, NULL, NULL), err, "reading %s arg %d", kernel, i);
cleanup:
    for (int i = 0; i < 16; i++)
        if (mem[i])
            clReleaseMemObject(mem[i]);
    if (k)
        clReleaseKernel(k);
    if (have_rt)
        rt_destroy(&rt, rc == EXO_OK ? err : NULL);
    return rc;
}
