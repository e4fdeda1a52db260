/*
 * exo_comm: the processes that share a run.
 *
 * A serial build (the default) has one process, and every call here is
 * trivial: sums and gathers copy, agreements return what they are given.
 * The MPI build (CMake option EXOBD_MPI) runs one process per rank of
 * MPI_COMM_WORLD; each holds a contiguous part of the vesicles
 * (exo_part.h) and this module is how they add up what they counted, gather
 * events and agree on errors.  Only exo_comm.c includes mpi.h (and exo_h5.c,
 * through the parallel HDF5 header, for the file's communicator).
 *
 * Every call that involves other ranks is collective: all ranks make it, in
 * the same order, with the same sizes.  exo_sim keeps its control flow the
 * same on every rank by deciding only from what these calls return.
 * MPI errors are returned (EXO_ERR_MPI), not fatal.
 */
#ifndef EXO_COMM_H
#define EXO_COMM_H

#include <stddef.h>
#include <stdint.h>
#include "exobd/exobd.h"

/** Whether this is the MPI build. */
int exo_comm_built_with_mpi(void);

/** Start MPI (MPI build; nothing in a serial one) when a launcher
 *  (mpirun, mpiexec, srun) started this process; started by hand it stays
 *  one process without MPI.  Call once, first thing, from the program that
 *  runs simulations; without it this process is rank 0 of 1. */
exo_status exo_comm_init(int *argc, char ***argv, exo_error *err);

/** End MPI after a run (a no-op unless exo_comm_init started it). */
void exo_comm_finalize(void);

/** Stop every rank at once with exit status @p code (MPI_Abort); for an
 *  error on one rank while the others may wait for it.  Never returns. */
void exo_comm_abort(int code);

int exo_comm_rank(void);
int exo_comm_size(void);
/** Rank among the ranks on this node, and their number: a rank picks its
 *  device by it. */
int exo_comm_node_rank(void);
int exo_comm_node_size(void);

/** The device spec of this rank from a comma-separated list (entry
 *  node rank modulo the entries; a spec without commas is every rank's):
 *  `--device 0,1` gives ranks 0 and 1 of each node devices 0 and 1.  The
 *  entry is copied to buf; NULL for a NULL or empty list. */
const char *exo_comm_pick(const char *list, char *buf, size_t size);

/** Element-wise sums over the ranks, in place, on every rank. */
exo_status exo_comm_sum_u64(uint64_t *v, size_t n, exo_error *err);
exo_status exo_comm_sum_u32(uint32_t *v, size_t n, exo_error *err);
/** Element-wise maximum over the ranks, in place, on every rank. */
exo_status exo_comm_max_int(int *v, size_t n, exo_error *err);
exo_status exo_comm_max_f64(double *v, size_t n, exo_error *err);

/** Every rank's value, into all[0 .. size - 1] on every rank. */
exo_status exo_comm_allgather_u64(uint64_t mine, uint64_t *all, exo_error *err);
exo_status exo_comm_allgather_f64(double mine, double *all, exo_error *err);

/** Concatenate every rank's `bytes` bytes at `mine` into `all`, in rank
 *  order, on every rank; `bytes_of[r]` is rank r's count (the same table
 *  on every rank, e.g. from exo_comm_allgather_u64). */
exo_status exo_comm_allgatherv(const void *mine, size_t bytes, void *all,
                               const uint64_t *bytes_of, exo_error *err);

/** Rank root's `bytes` bytes at data, to every rank. */
exo_status exo_comm_bcast(void *data, size_t bytes, int root, exo_error *err);

/** Point to point (both ranks call): `bytes` bytes from this rank to
 *  rank `to`, or from rank `from` into data. */
exo_status exo_comm_send(const void *data, size_t bytes, int to, exo_error *err);
exo_status exo_comm_recv(void *data, size_t bytes, int from, exo_error *err);

/** Wait for every rank. */
exo_status exo_comm_barrier(exo_error *err);

/**
 * Agree on the outcome of a step every rank took (collective).  If every
 * rank's @p rc is EXO_OK, returns EXO_OK.  Otherwise every rank returns the
 * error of the lowest rank that failed, with its message (naming that rank
 * when there are several) in *err and err->all_ranks set: the ranks fail
 * together and one of them reports it.  @p err may be NULL.
 */
exo_status exo_comm_agree(exo_status rc, exo_error *err);

/** exo_comm_agree for the output file's calls (exo_h5), on a communicator
 *  of their own, so that an output writer thread may agree while the run
 *  loop does its own collective calls. */
exo_status exo_comm_agree_output(exo_status rc, exo_error *err);

/** Whether MPI lets two threads of a rank call it at once
 *  (MPI_THREAD_MULTIPLE): the output is then written on a writer thread. */
int exo_comm_threads(void);

/** Seconds this rank has spent waiting in collective calls (how long the
 *  others kept it waiting, plus the calls themselves): the load balance. */
double exo_comm_wait_s(void);

/** The MPI communicator of the output file (an MPI_Comm *), for parallel
 *  HDF5; NULL in a serial build or before exo_comm_init. */
void *exo_comm_mpi(void);

#endif /* EXO_COMM_H */
