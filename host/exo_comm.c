/*
 * exo_comm: see exo_comm.h.  One file, two builds: with EXOBD_MPI the calls
 * go to MPI; without it this process is rank 0 of 1 and they copy.
 */
#include "exo_comm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exo_error.h"

static double wait_total;   /* seconds in collective calls */

double exo_comm_wait_s(void) { return wait_total; }

const char *exo_comm_pick(const char *list, char *buf, size_t size)
{
    if (list == NULL || list[0] == '\0' || size == 0)
        return NULL;
    size_t entries = 1;
    for (const char *c = list; *c; c++)
        entries += *c == ',';
    size_t want = (size_t)exo_comm_node_rank() % entries;
    const char *at = list;
    for (size_t k = 0; k < want; k++)
        at = strchr(at, ',') + 1;
    const char *end = strchr(at, ',');
    size_t len = end ? (size_t)(end - at) : strlen(at);
    if (len >= size)
        len = size - 1;
    memcpy(buf, at, len);
    buf[len] = '\0';
    return buf;
}

#ifdef EXOBD_MPI

#include <limits.h>
#include <mpi.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static struct {
    int started;            /* exo_comm_init called MPI_Init_thread       */
    MPI_Comm comm;          /* a duplicate of MPI_COMM_WORLD that returns
                               errors instead of aborting                 */
    MPI_Comm output;        /* another duplicate, for the output file: its
                               writer thread's calls never meet the run
                               loop's on one communicator                 */
    MPI_Comm node;          /* the ranks on this node                     */
    int rank, size, node_rank, node_size;
    int threads;            /* MPI_THREAD_MULTIPLE provided               */
} g = {0, MPI_COMM_NULL, MPI_COMM_NULL, MPI_COMM_NULL, 0, 1, 0, 1, 0};

/* Record a failed MPI call with MPI's own words and jump to cleanup. */
#define EXO_MPI(call, err, ...)                                               \
    do {                                                                      \
        int e_ = (call);                                                      \
        if (e_ != MPI_SUCCESS) {                                              \
            rc = mpi_fail((err), e_, __FILE__, __LINE__, __func__, #call);    \
            exo_error_append((err), ": " __VA_ARGS__);                        \
            goto cleanup;                                                     \
        }                                                                     \
    } while (0)

static exo_status mpi_fail(exo_error *err, int e, const char *file, int line,
                           const char *func, const char *call)
{
    char text[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(e, text, &len);
    return exo_error_set(err, EXO_ERR_MPI, e, file, line, func,
                         "rank %d of %d: %s failed: %s", g.rank, g.size, call, text);
}

int exo_comm_built_with_mpi(void) { return 1; }

/* Whether a launcher (mpirun, mpiexec, srun) started this process. */
static int launched(void)
{
    const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++)
        if (getenv(vars[k]) != NULL)
            return 1;
    return 0;
}

exo_status exo_comm_init(int *argc, char ***argv, exo_error *err)
{
    exo_status rc = EXO_OK;
    int provided = 0, inited = 0;
    if (g.started || !launched())
        return EXO_OK; /* started by hand: one process, no MPI */
    EXO_MPI(MPI_Initialized(&inited), err, "starting MPI");
    if (!inited)
        EXO_MPI(MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided), err,
                "starting MPI");
    else
        EXO_MPI(MPI_Query_thread(&provided), err, "asking MPI's thread support");
    g.started = 1;
    g.threads = provided == MPI_THREAD_MULTIPLE;
    EXO_MPI(MPI_Comm_dup(MPI_COMM_WORLD, &g.comm), err, "making the run's communicator");
    EXO_MPI(MPI_Comm_set_errhandler(g.comm, MPI_ERRORS_RETURN), err,
            "making MPI errors returnable");
    EXO_MPI(MPI_Comm_dup(MPI_COMM_WORLD, &g.output), err,
            "making the output's communicator");
    EXO_MPI(MPI_Comm_set_errhandler(g.output, MPI_ERRORS_RETURN), err,
            "making MPI errors returnable");
    EXO_MPI(MPI_Comm_rank(g.comm, &g.rank), err, "asking this process's rank");
    EXO_MPI(MPI_Comm_size(g.comm, &g.size), err, "asking the number of ranks");
    EXO_MPI(MPI_Comm_split_type(g.comm, MPI_COMM_TYPE_SHARED, g.rank, MPI_INFO_NULL,
                                &g.node),
            err, "grouping the ranks by node");
    EXO_MPI(MPI_Comm_rank(g.node, &g.node_rank), err, "asking the rank on this node");
    EXO_MPI(MPI_Comm_size(g.node, &g.node_size), err, "asking the ranks on this node");
cleanup:
    return rc;
}

void exo_comm_finalize(void)
{
    if (!g.started)
        return;
    if (g.node != MPI_COMM_NULL)
        MPI_Comm_free(&g.node);
    if (g.output != MPI_COMM_NULL)
        MPI_Comm_free(&g.output);
    if (g.comm != MPI_COMM_NULL)
        MPI_Comm_free(&g.comm);
    MPI_Finalize();
    g.started = 0;
    g.rank = 0;
    g.size = 1;
}

void exo_comm_abort(int code)
{
    fflush(stdout);
    fflush(stderr);
    if (g.started)
        MPI_Abort(MPI_COMM_WORLD, code);
    exit(code);
}

int exo_comm_rank(void) { return g.rank; }
int exo_comm_size(void) { return g.size; }
int exo_comm_node_rank(void) { return g.node_rank; }
int exo_comm_node_size(void) { return g.node_size; }
void *exo_comm_mpi(void) { return g.started ? &g.output : NULL; }
int exo_comm_threads(void) { return g.threads; }

/* MPI counts are int: reduce n elements in pieces of at most INT_MAX. */
static exo_status allreduce(void *v, size_t n, size_t elem, MPI_Datatype type, MPI_Op op,
                            const char *what, exo_error *err)
{
    exo_status rc = EXO_OK;
    double t0 = now_s();
    if (g.size == 1)
        return EXO_OK;
    for (size_t at = 0; at < n;) {
        int m = n - at > INT_MAX ? INT_MAX : (int)(n - at);
        EXO_MPI(MPI_Allreduce(MPI_IN_PLACE, (char *)v + at * elem, m, type, op, g.comm),
                err, "%s", what);
        at += (size_t)m;
    }
cleanup:
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_sum_u64(uint64_t *v, size_t n, exo_error *err)
{
    return allreduce(v, n, sizeof *v, MPI_UINT64_T, MPI_SUM, "summing counts over the ranks",
                     err);
}

exo_status exo_comm_sum_u32(uint32_t *v, size_t n, exo_error *err)
{
    return allreduce(v, n, sizeof *v, MPI_UINT32_T, MPI_SUM, "summing counts over the ranks",
                     err);
}

exo_status exo_comm_max_int(int *v, size_t n, exo_error *err)
{
    return allreduce(v, n, sizeof *v, MPI_INT, MPI_MAX, "agreeing over the ranks", err);
}

exo_status exo_comm_max_f64(double *v, size_t n, exo_error *err)
{
    return allreduce(v, n, sizeof *v, MPI_DOUBLE, MPI_MAX, "agreeing over the ranks", err);
}

/* One value of `type` from every rank into all[0 .. size - 1]. */
static exo_status allgather(const void *mine, void *all, size_t elem, MPI_Datatype type,
                            exo_error *err)
{
    exo_status rc = EXO_OK;
    double t0 = now_s();
    memcpy(all, mine, elem);
    if (g.size > 1)
        EXO_MPI(MPI_Allgather(mine, 1, type, all, 1, type, g.comm), err,
                "gathering a value from every rank");
cleanup:
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_allgather_u64(uint64_t mine, uint64_t *all, exo_error *err)
{
    return allgather(&mine, all, sizeof mine, MPI_UINT64_T, err);
}

exo_status exo_comm_allgather_f64(double mine, double *all, exo_error *err)
{
    return allgather(&mine, all, sizeof mine, MPI_DOUBLE, err);
}

/* Broadcast in pieces of at most 1 GiB (MPI counts are int). */
static exo_status bcast_bytes(void *data, size_t bytes, int root, exo_error *err)
{
    exo_status rc = EXO_OK;
    const size_t piece = (size_t)1 << 30;
    for (size_t at = 0; at < bytes; at += piece) {
        int m = (int)(bytes - at < piece ? bytes - at : piece);
        EXO_MPI(MPI_Bcast((char *)data + at, m, MPI_BYTE, root, g.comm), err,
                "sending %zu bytes from rank %d to every rank", bytes, root);
    }
cleanup:
    return rc;
}

exo_status exo_comm_allgatherv(const void *mine, size_t bytes, void *all,
                               const uint64_t *bytes_of, exo_error *err)
{
    exo_status rc = EXO_OK;
    double t0 = now_s();
    int *counts = NULL, *displs = NULL;
    uint64_t total = 0;
    EXO_CHECK(bytes == bytes_of[g.rank], err, EXO_ERR_INVALID,
              "rank %d gathers %zu bytes, but the table says %llu", g.rank, bytes,
              (unsigned long long)bytes_of[g.rank]);
    for (int r = 0; r < g.size; r++)
        total += bytes_of[r];
    if (g.size == 1) {
        if (bytes)
            memcpy(all, mine, bytes);
        goto cleanup;
    }
    if (total <= INT_MAX) {
        EXO_ALLOC(counts, g.size, err, "a gather's counts");
        EXO_ALLOC(displs, g.size, err, "a gather's counts");
        for (int r = 0, at = 0; r < g.size; r++) {
            counts[r] = (int)bytes_of[r];
            displs[r] = at;
            at += counts[r];
        }
        EXO_MPI(MPI_Allgatherv(mine, (int)bytes, MPI_BYTE, all, counts, displs, MPI_BYTE,
                               g.comm),
                err, "gathering %llu bytes from every rank", (unsigned long long)total);
    } else { /* beyond int counts: each rank's part in turn */
        uint64_t at = 0;
        for (int r = 0; r < g.size; r++) {
            if (r == g.rank && bytes)
                memcpy((char *)all + at, mine, bytes);
            EXO_TRY(bcast_bytes((char *)all + at, bytes_of[r], r, err));
            at += bytes_of[r];
        }
    }
cleanup:
    free(counts);
    free(displs);
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_bcast(void *data, size_t bytes, int root, exo_error *err)
{
    double t0 = now_s();
    exo_status rc = g.size > 1 ? bcast_bytes(data, bytes, root, err) : EXO_OK;
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_send(const void *data, size_t bytes, int to, exo_error *err)
{
    exo_status rc = EXO_OK;
    const size_t piece = (size_t)1 << 30;
    double t0 = now_s();
    for (size_t at = 0; at < bytes; at += piece) {
        int m = (int)(bytes - at < piece ? bytes - at : piece);
        EXO_MPI(MPI_Send((const char *)data + at, m, MPI_BYTE, to, 0, g.comm), err,
                "sending %zu bytes to rank %d", bytes, to);
    }
cleanup:
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_recv(void *data, size_t bytes, int from, exo_error *err)
{
    exo_status rc = EXO_OK;
    const size_t piece = (size_t)1 << 30;
    double t0 = now_s();
    for (size_t at = 0; at < bytes; at += piece) {
        int m = (int)(bytes - at < piece ? bytes - at : piece);
        EXO_MPI(MPI_Recv((char *)data + at, m, MPI_BYTE, from, 0, g.comm, MPI_STATUS_IGNORE),
                err, "receiving %zu bytes from rank %d", bytes, from);
    }
cleanup:
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_barrier(exo_error *err)
{
    exo_status rc = EXO_OK;
    double t0 = now_s();
    if (g.size > 1)
        EXO_MPI(MPI_Barrier(g.comm), err, "waiting for every rank");
cleanup:
    wait_total += now_s() - t0;
    return rc;
}

/* exo_comm_agree over communicator `comm`. */
static exo_status agree_on(MPI_Comm comm, exo_status mine, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_error e;
    int first = mine != EXO_OK ? g.rank : g.size;
    if (g.size == 1)
        return mine;
    double t0 = now_s();
    memset(&e, 0, sizeof e);
    EXO_MPI(MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm), err,
            "agreeing whether every rank succeeded");
    if (first == g.size)
        goto cleanup;
    if (g.rank == first) {
        if (err != NULL && err->status != EXO_OK)
            e = *err;
        else
            e.status = mine;
        if (e.msg[0] == '\0')
            snprintf(e.msg, sizeof e.msg, "%s", exo_status_name(mine));
    }
    EXO_MPI(MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, comm), err,
            "sending rank %d's error to every rank", first);
    if (err != NULL) {
        *err = e;
        if (first != 0 && strncmp(e.msg, "rank ", 5) != 0)
            snprintf(err->msg, sizeof err->msg, "rank %d of %d: %.*s", first, g.size,
                     (int)sizeof e.msg - 32, e.msg);
        err->all_ranks = 1;
    }
    rc = e.status;
cleanup:
    wait_total += now_s() - t0;
    return rc;
}

exo_status exo_comm_agree(exo_status mine, exo_error *err)
{
    return agree_on(g.comm, mine, err);
}

exo_status exo_comm_agree_output(exo_status mine, exo_error *err)
{
    return agree_on(g.output, mine, err);
}

#else /* one process */

int exo_comm_built_with_mpi(void) { return 0; }

exo_status exo_comm_init(int *argc, char ***argv, exo_error *err)
{
    (void)argc;
    (void)argv;
    (void)err;
    return EXO_OK;
}

void exo_comm_finalize(void) {}

void exo_comm_abort(int code)
{
    fflush(stdout);
    fflush(stderr);
    exit(code);
}

int exo_comm_rank(void) { return 0; }
int exo_comm_size(void) { return 1; }
int exo_comm_node_rank(void) { return 0; }
int exo_comm_node_size(void) { return 1; }
void *exo_comm_mpi(void) { return NULL; }

exo_status exo_comm_sum_u64(uint64_t *v, size_t n, exo_error *err)
{
    (void)v, (void)n, (void)err;
    return EXO_OK;
}

exo_status exo_comm_sum_u32(uint32_t *v, size_t n, exo_error *err)
{
    (void)v, (void)n, (void)err;
    return EXO_OK;
}

exo_status exo_comm_max_int(int *v, size_t n, exo_error *err)
{
    (void)v, (void)n, (void)err;
    return EXO_OK;
}

exo_status exo_comm_max_f64(double *v, size_t n, exo_error *err)
{
    (void)v, (void)n, (void)err;
    return EXO_OK;
}

exo_status exo_comm_allgather_u64(uint64_t mine, uint64_t *all, exo_error *err)
{
    (void)err;
    all[0] = mine;
    return EXO_OK;
}

exo_status exo_comm_allgather_f64(double mine, double *all, exo_error *err)
{
    (void)err;
    all[0] = mine;
    return EXO_OK;
}

exo_status exo_comm_allgatherv(const void *mine, size_t bytes, void *all,
                               const uint64_t *bytes_of, exo_error *err)
{
    (void)bytes_of, (void)err;
    if (bytes)
        memcpy(all, mine, bytes);
    return EXO_OK;
}

exo_status exo_comm_bcast(void *data, size_t bytes, int root, exo_error *err)
{
    (void)data, (void)bytes, (void)root, (void)err;
    return EXO_OK;
}

exo_status exo_comm_send(const void *data, size_t bytes, int to, exo_error *err)
{
    (void)data, (void)bytes;
    return EXO_ERROR(err, EXO_ERR_INVALID, "no rank %d to send to: one process", to);
}

exo_status exo_comm_recv(void *data, size_t bytes, int from, exo_error *err)
{
    (void)data, (void)bytes;
    return EXO_ERROR(err, EXO_ERR_INVALID, "no rank %d to receive from: one process", from);
}

exo_status exo_comm_barrier(exo_error *err)
{
    (void)err;
    return EXO_OK;
}

exo_status exo_comm_agree(exo_status rc, exo_error *err)
{
    (void)err;
    return rc;
}

exo_status exo_comm_agree_output(exo_status rc, exo_error *err)
{
    (void)err;
    return rc;
}

int exo_comm_threads(void) { return 0; }

#endif
