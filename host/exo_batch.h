/*
 * exo_batch: more vesicles than the device holds.
 *
 * A backend that keeps every vesicle in host memory (an exo_ref backend used
 * as a store, never stepped) and pages them through a device backend that
 * holds only `capacity` of them: each launch, count and injection runs batch
 * by batch on the device, each batch copied in (when it is not the one already
 * there) and its changes copied back.  Because every random number is keyed
 * by (seed, global id, step, purpose) and the step of one vesicle reads only
 * shared state that is fixed for the launch (receptor availabilities, cells),
 * a batched run is bitwise the same as an unbatched one: the device computes
 * the same vesicles with the same arguments, only fewer at a time (tested in
 * tests/device/test_batching.c).
 *
 * Frames and density images are read from the host copy (a pack and a voxel
 * index are exact in C); place and patch counts, whose geometry the device
 * evaluates with its own floating point, run on the device batch by batch.
 */
#ifndef EXO_BATCH_H
#define EXO_BATCH_H

#include "exo_backend.h"

/**
 * Wrap `device` (which holds device->n vesicles) into a backend of n
 * vesicles with global ids id0..; takes ownership of `device` (destroyed
 * with the wrapper, or here on failure).  pop_first[0..n_pop-1] are the
 * populations' first indices (ascending; population k ends where k + 1
 * begins, the last at n): a batch boundary inside a population falls a
 * multiple of 64 vesicles after its start, so each batch keeps the
 * population's work-item grouping.
 */
/** The fewest vesicles a device must hold for batches (two alignments). */
#define EXO_BATCH_MIN 128u

exo_status exo_batch_create(exo_backend **out, exo_backend *device, uint32_t n,
                            uint32_t id0, const uint32_t *pop_first, uint32_t n_pop,
                            exo_error *err);

/** Number of batches of a backend made by exo_batch_create (1 for any
 *  other backend). */
uint32_t exo_batch_count(const exo_backend *b);

#endif /* EXO_BATCH_H */
