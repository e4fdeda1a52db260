/*
 * exo_ref: the C reference stepper, selected with --device cpu-reference and
 * used by tests as the yardstick for the OpenCL kernels.  It runs exactly
 * the shared physics of kernels/shared/ in a plain loop, one vesicle after
 * another.  Not fast, by design: it is the readable definition of a step.
 */
#ifndef EXO_REF_H
#define EXO_REF_H

#include "exo_backend.h"

/** A reference backend for n vesicles whose global ids start at id0. */
exo_status exo_ref_create(exo_backend **out, uint32_t n, uint32_t id0,
                          exo_error *err);

/** Host arrays for n vesicles (checkpoints, batches' staging), zeroed;
 *  on failure none are left allocated. */
exo_status exo_vesicle_arrays_alloc(exo_vesicle_arrays *v, size_t n, exo_error *err);
void exo_vesicle_arrays_free(exo_vesicle_arrays *v);

/** The reference backend's own arrays (n entries per component), for
 *  exo_batch, which keeps every vesicle in one and pages them through a
 *  device.  The pointers stay valid until the backend is destroyed. */
void exo_ref_arrays(exo_backend *b, exo_vesicle_arrays *view);

#endif /* EXO_REF_H */
