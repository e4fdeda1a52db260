/*
 * exo_writer: the thread that writes the output file while the device steps.
 *
 * The run loop hands each frame, observable row, density image and batch of
 * events to the writer as a job (a function and the data it owns) and goes on
 * launching; one thread runs the jobs in order, so the file's contents and
 * their order are those of a synchronous run.  HDF5 is built without its
 * thread-safe option, so while a writer runs no other thread may call HDF5:
 * the run loop drains the writer (exo_writer_drain) before it touches the
 * file itself (checkpoints, closing).
 *
 * A queue of at most `depth` jobs bounds the memory in flight; submitting to
 * a full queue waits.  The first error a job returns is kept: the job's data
 * is released, later jobs are released unrun, and the next submit or drain
 * returns the error.
 */
#ifndef EXO_WRITER_H
#define EXO_WRITER_H

#include "exobd/exobd.h"

typedef struct exo_writer exo_writer;

/** A job: write what `data` holds; called on the writer thread. */
typedef exo_status (*exo_write_fn)(void *data, exo_error *err);
/** Release a job's data (after it ran, or unrun after an error). */
typedef void (*exo_release_fn)(void *data);

/** Start the writer thread with room for `depth` queued jobs.  Depth 0
 *  starts no thread: each submit runs its job before it returns (the ranks
 *  of an MPI run write their shared file that way when MPI does not let two
 *  threads call it at once: its HDF5 calls are MPI calls). */
exo_status exo_writer_start(exo_writer **out, unsigned depth, exo_error *err);

/** Queue a job; waits while the queue is full.  Takes ownership of data
 *  (released by `release`, NULL for none, even when this fails).  Fails
 *  with the error of an earlier job. */
exo_status exo_writer_submit(exo_writer *w, exo_write_fn write, void *data,
                             exo_release_fn release, exo_error *err);

/** Wait until every queued job has run; the first error of any. */
exo_status exo_writer_drain(exo_writer *w, exo_error *err);

/** Drain, stop and join the thread, free everything; NULL-safe.  The
 *  first error of any job. */
exo_status exo_writer_stop(exo_writer *w, exo_error *err);

#endif /* EXO_WRITER_H */
