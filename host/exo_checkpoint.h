/*
 * exo_checkpoint: the file a checkpoint lives in.  It knows bytes, not
 * simulations: exo_sim decides what goes in, in which order.  A checkpoint
 * is written to PATH.tmp, ends with the SHA-256 of everything before it,
 * is flushed to disk (fsync) and only then renamed over PATH, so a crash
 * while writing leaves the previous checkpoint whole.  Reading checks the
 * digest first, so a truncated or damaged file is refused, never
 * half-loaded.
 *
 * A checkpoint may be shared by the ranks of an MPI run (exo_part.h).  Rank
 * 0 writes the file: the fields every rank holds alike once, and for a
 * field split over the ranks (exo_ckpt_part) each rank's part in rank
 * order, streamed to it piece by piece, so no rank holds more than its own
 * part.  The file is byte for byte the one a single process writes, which
 * is why a run checkpointed on 2 ranks resumes on 1 or on 3.  Reading, rank
 * 0 checks the digest and each rank reads its own part.  Creating,
 * opening and finishing a written checkpoint agree on failures
 * (exo_comm_agree), so every rank returns the same error; a reader agrees
 * once it has read everything (exo_sim).
 */
#ifndef EXO_CHECKPOINT_H
#define EXO_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "exobd/exobd.h"

typedef struct exo_ckpt exo_ckpt;

/** Start writing the checkpoint PATH (into PATH.tmp); `shared`: every rank
 *  of an MPI run calls this and the calls below together. */
exo_status exo_ckpt_create(exo_ckpt **out, const char *path, int shared, exo_error *err);
/** Start reading PATH: checks its digest (`shared`: as exo_ckpt_create). */
exo_status exo_ckpt_open(exo_ckpt **out, const char *path, int shared, exo_error *err);
/** Append (writing) or take the next (reading) `bytes` bytes, the same on
 *  every rank. */
exo_status exo_ckpt_field(exo_ckpt *c, void *data, size_t bytes, const char *what,
                          exo_error *err);
/** A field of `total` elements of `elem` bytes of which this rank holds
 *  elements first .. first + count - 1 at data (ranks hold consecutive
 *  ranges in rank order; one process holds them all). */
exo_status exo_ckpt_part(exo_ckpt *c, void *data, size_t elem, uint64_t first,
                         uint64_t count, uint64_t total, const char *what, exo_error *err);
/** Writing: add the digest, fsync, rename into place.  Reading: check that
 *  every byte was taken.  Frees c either way. */
exo_status exo_ckpt_finish(exo_ckpt *c, exo_error *err);
/** Give up: a checkpoint being written is removed (PATH is untouched). */
void exo_ckpt_abandon(exo_ckpt *c);
/** The path the checkpoint is for. */
const char *exo_ckpt_path(const exo_ckpt *c);

#endif /* EXO_CHECKPOINT_H */
