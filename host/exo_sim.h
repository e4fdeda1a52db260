/*
 * exo_sim: the run loop.
 *
 * Owns one backend (OpenCL device or C reference) and the output file.
 * Data flows one way: validated scenario -> backend buffers -> launches of
 * K steps -> at frame and observation steps, a device-side gather or count
 * -> exo_h5.  Launch boundaries fall on every frame and observation step,
 * so K never changes what is computed, only how it is batched.  The public
 * calls are declared in exobd.h; this header has nothing to add.
 */
#ifndef EXO_SIM_H
#define EXO_SIM_H

#include "exobd/exobd.h"

/** Names of the vesicle states, indexed by EXO_STATE_*. */
extern const char *const exo_state_names[];

#endif /* EXO_SIM_H */
