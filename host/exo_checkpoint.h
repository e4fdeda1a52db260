/*
 * exo_checkpoint: the file a checkpoint lives in.  It knows bytes, not
 * simulations: exo_sim decides what goes in, in which order.  A checkpoint
 * is written to PATH.tmp, ends with the SHA-256 of everything before it,
 * is flushed to disk (fsync) and only then renamed over PATH, so a crash
 * while writing leaves the previous checkpoint whole.  Reading checks the
 * digest, so a truncated or damaged file is refused, never half-loaded.
 */
#ifndef EXO_CHECKPOINT_H
#define EXO_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "exobd/exobd.h"

typedef struct exo_ckpt exo_ckpt;

/** Start writing the checkpoint PATH (into PATH.tmp). */
exo_status exo_ckpt_create(exo_ckpt **out, const char *path, exo_error *err);
/** Start reading PATH: loads it and checks its digest. */
exo_status exo_ckpt_open(exo_ckpt **out, const char *path, exo_error *err);
/** Append (writing) or take the next (reading) `bytes` bytes. */
exo_status exo_ckpt_field(exo_ckpt *c, void *data, size_t bytes, const char *what,
                          exo_error *err);
/** Writing: add the digest, fsync, rename into place.  Reading: check that
 *  every byte was taken.  Frees c either way. */
exo_status exo_ckpt_finish(exo_ckpt *c, exo_error *err);
/** Give up: a checkpoint being written is removed (PATH is untouched). */
void exo_ckpt_abandon(exo_ckpt *c);
/** The path the checkpoint is for. */
const char *exo_ckpt_path(const exo_ckpt *c);

#endif /* EXO_CHECKPOINT_H */
