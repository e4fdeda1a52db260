/*
 * exo_backend: what the run loop (exo_sim) needs from whatever steps the
 * vesicles.  Two implementations: the OpenCL device (exo_cl.c) and the C
 * reference stepper (exo_ref.c), which run the same shared physics
 * (kernels/shared/).  exo_sim sees only this table, so the run loop is
 * written once and a test can compare the two particle by particle.
 *
 * Arrays are owned by the backend and live on its device.  Every call works
 * on all n vesicles of the backend; populations are contiguous index ranges.
 */
#ifndef EXO_BACKEND_H
#define EXO_BACKEND_H

#include <stdint.h>
#include "exobd/exobd.h"
#include "shared/exo_types.h"

typedef struct exo_backend exo_backend;

/** Which vesicles a frame holds (output.sample): row j of the n_out rows
 *  sampled from a run of n_all vesicles is the vesicle at run index
 *  exo_sample_index(j, n_all, n_out).  A backend packs rows j0 ..
 *  j0 + count - 1; their run indices less i0 are its own indices.  A
 *  backend that holds the whole run packs every row (j0 = i0 = 0); a
 *  rank's part of an MPI run packs the rows that fall in its part. */
typedef struct exo_frame_rows {
    uint32_t n_all, n_out, j0, count, i0;
} exo_frame_rows;

/** Everything a vesicle's future depends on, in host arrays of n entries
 *  per component (positions and image counts: x block, y block, z block):
 *  what a checkpoint holds. */
typedef struct exo_vesicle_arrays {
    exo_real *pos;           /* [3n] um, exactly as the device holds them */
    int32_t *image;          /* [3n] */
    float *radius;           /* [n] um */
    int8_t *state;           /* [n] */
    uint16_t *ligands;       /* [n] */
    uint8_t *bonds;          /* [n] */
} exo_vesicle_arrays;

/** A tissue's cells and their lookup grid (exo_cell_grid), as
 *  host/exo_tissue.c builds them: cell[4 j .. 4 j + 3] is cell j's centre
 *  and radius (um), cell_type[j] its type; bin b lists bin_cells[bin_start[b] .. bin_start[b+1]-1]. */
typedef struct exo_cell_lists {
    uint32_t n_cells;
    const exo_real *cell;      /* [4 n_cells]                             */
    uint32_t n_bins;
    const uint32_t *bin_start; /* [n_bins + 1]                            */
    const uint32_t *bin_cells; /* [bin_start[n_bins]]                     */
    const int32_t *cell_type;  /* [n_cells] type of each cell             */
} exo_cell_lists;

typedef struct exo_backend_ops {
    /** Inject one population (k_init_vesicles). */
    exo_status (*init_population)(exo_backend *b, const exo_init_params *ip,
                                  exo_error *err);
    /** Advance the `count` vesicles at indices first.. (one population) by
     *  nsteps from global step step0 (k_advance), with the population's
     *  step parameters and slot table.  For an infused
     *  population, arrivals[0..nsteps] are the cumulative numbers of its
     *  vesicles that have entered before each step (else NULL). */
    exo_status (*advance)(exo_backend *b, const exo_step_params *p,
                          const exo_slot_table *slots, uint64_t step0, uint32_t nsteps,
                          uint32_t first,
                          uint32_t count, const uint32_t *arrivals, exo_error *err);
    /** counts[EXO_PLACES * EXO_COUNT_COLS] of one population's vesicles
     *  by (place, state), and the bonds held per place (k_count_places,
     *  exo_place). */
    exo_status (*count_places)(exo_backend *b, const exo_step_params *p,
                               uint32_t first, uint32_t count, uint64_t *counts,
                               exo_error *err);
    /** Pack the rows of a frame (k_gather_frame): positions in nm
     *  interleaved, images interleaved, states, bonds, rows->count of each
     *  copied into the given host arrays.  The copy may still be under way when this
     *  returns (*pending non-NULL): the arrays are the frame's only after
     *  frame_end(pending), which any one thread may call while this one
     *  goes on launching.  A backend keeps two frames in flight at most:
     *  a third frame_begin first waits for the oldest copy. */
    exo_status (*frame_begin)(exo_backend *b, const exo_frame_rows *rows, float *pos_nm,
                              int32_t *image, int8_t *state, uint8_t *bonds,
                              void **pending, exo_error *err);
    /** Wait for a frame_begin's copy (NULL: nothing to wait for) and
     *  release what it held; err may be NULL. */
    exo_status (*frame_end)(exo_backend *b, void *pending, exo_error *err);
    /** Copy everything back (tests, tools); any pointer may be NULL.
     *  Layout as exo_sim_read(). */
    exo_status (*read)(exo_backend *b, float *pos_um, int32_t *image,
                       int8_t *state, float *radius_um, exo_error *err);
    /** Room for `capacity` events (exo_event) per launch; launches of
     *  populations whose step parameters record events append to it. */
    exo_status (*set_event_capacity)(exo_backend *b, uint32_t capacity, exo_error *err);
    /** The events appended since the last call: *count of them, and when
     *  that fits the capacity, the records into out[0..*count-1]; more
     *  than the capacity means some were not stored (run the launch again
     *  with room).  Resets the count. */
    exo_status (*take_events)(exo_backend *b, exo_event *out, uint32_t *count,
                              exo_error *err);
    /** Save, and put back, what a launch changes (positions, image counts,
     *  states, bonds) of vesicles first..first+count-1: a launch whose
     *  events overflowed is run again from the saved state. */
    exo_status (*save)(exo_backend *b, uint32_t first, uint32_t count, exo_error *err);
    exo_status (*restore)(exo_backend *b, uint32_t first, uint32_t count, exo_error *err);
    /** Receptor patches: room for n_patches availabilities (all 1 at the
     *  start), which launches read; write_availability sets them. */
    exo_status (*set_patches)(exo_backend *b, uint32_t n_patches, exo_error *err);
    exo_status (*write_availability)(exo_backend *b, const float *avail, exo_error *err);
    /** Add one population's bonds per patch to bound[n_patches] (held by
     *  bound vesicles) and taken[n_patches] (internalized) (k_count_patches). */
    exo_status (*count_patches)(exo_backend *b, const exo_step_params *p,
                                const exo_slot_table *slots, uint32_t first,
                                uint32_t count, uint64_t *bound, uint64_t *taken,
                                exo_error *err);
    /** Add the bonds formed in the last launch (advance) of a population
     *  whose step parameters deplete receptors, per step of the launch and
     *  patch, to formed[nsteps * n_patches] (formed[k * n_patches + j]:
     *  step k, patch j).  Each such launch starts from zero. */
    exo_status (*add_formed)(exo_backend *b, uint32_t nsteps, uint64_t *formed,
                             exo_error *err);
    /** The tissue's cells, which launches and injections of populations
     *  whose parameters have cells (exo_cell_grid.n_cells > 0) read; none
     *  until this is called.  The backend keeps its own copy. */
    exo_status (*set_cells)(exo_backend *b, const exo_cell_lists *cells, exo_error *err);
    /** A density image of every vesicle: counts[n_counts] (zeroed here)
     *  get one per vesicle at exo_density_index (k_density). */
    exo_status (*density)(exo_backend *b, const exo_density_params *d, uint32_t n_counts,
                          uint32_t *counts, exo_error *err);
    /** Copy every vesicle's arrays to the host (to_device 0) or from it
     *  (1), bit for bit. */
    exo_status (*exchange)(exo_backend *b, int to_device, const exo_vesicle_arrays *a,
                           exo_error *err);
    /** Ligand and bond counts of every vesicle; either may be NULL. */
    exo_status (*read_binding)(exo_backend *b, uint16_t *ligands, uint8_t *bonds,
                               exo_error *err);
    /** Release everything; NULL-safe through exo_backend_destroy(). */
    exo_status (*destroy)(exo_backend *b, exo_error *err);
} exo_backend_ops;

struct exo_backend {
    const exo_backend_ops *ops;
    uint32_t n;              /* vesicles held                           */
    uint32_t id0;            /* global id of index 0                    */
    uint32_t part_first;     /* the vesicles whose arrays live in this
                                process: indices part_first ..
                                part_first + part_count - 1; all n but
                                for a rank's part of an MPI run, which
                                read, read_binding, exchange and
                                frame_begin see alone (exo_part.h)      */
    uint32_t part_count;
    char name[512];          /* device description for logs and output  */
    int from_cache;          /* program binary from cache (1), built (0),
                                not applicable (-1)                     */
    char program_key[65];    /* the kernel binary's cache key: sha256 of
                                source, build options and device; empty
                                for the C reference                     */
};

static inline exo_status exo_backend_destroy(exo_backend *b, exo_error *err)
{
    return b ? b->ops->destroy(b, err) : EXO_OK;
}

#endif /* EXO_BACKEND_H */
