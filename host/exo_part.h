/*
 * exo_part: one rank's part of a run split over MPI ranks.
 *
 * Vesicles never interact, so a run of n vesicles splits into contiguous
 * ranges of indices, one per rank (exo_part_plan).  Each rank steps its own
 * range on its own device (a `local` backend holding only those vesicles,
 * with global ids id0 + first.., so every random number is the one the
 * whole run would draw: DESIGN.md section 3), and this backend presents it
 * to exo_sim as the whole run:
 *
 *   - injections, launches, saves and restores go to the local range;
 *   - what exo_sim counts (places, receptor patches, bonds formed per step,
 *     density images) is counted locally and summed over the ranks in
 *     integers (exo_comm), so every rank sees the run's totals and makes
 *     the same decisions: receptor depletion sees every rank's bonds;
 *   - a launch's events are gathered from every rank, in rank order, on
 *     every rank (exo_sim sorts them);
 *   - read, read_binding, exchange and frame_begin see this rank's vesicles
 *     alone (base.part_first, base.part_count): frames, id and radius are
 *     written by each rank into its rows of the shared file, checkpoints
 *     stream each rank's part (exo_checkpoint).
 *
 * Range boundaries inside a population fall a multiple of 64 vesicles
 * after its start, as batch boundaries do (exo_batch.h), so vesicles are
 * grouped into work-items as in one process and trajectories are bitwise
 * those of a run on one rank.  A rank may hold no vesicles (a tiny run on
 * many ranks); it still takes part in every collective call.
 */
#ifndef EXO_PART_H
#define EXO_PART_H

#include "exo_backend.h"

/** Split n vesicles (populations start at pop_first[0..n_pop-1], ascending,
 *  the first at 0) over `ranks` ranks as evenly as the 64-vesicle alignment
 *  inside populations allows: rank r holds bound[r] .. bound[r+1] - 1
 *  (bound[0] = 0, bound[ranks] = n). */
void exo_part_plan(uint32_t n, uint32_t ranks, const uint32_t *pop_first, uint32_t n_pop,
                   uint32_t *bound);

/** The rows of a frame of n_out sampled from n vesicles (exo_frame_rows)
 *  that fall in vesicles first .. first + count - 1: the rows j with
 *  floor(j n / n_out) in that range, from j0 = ceil(first n_out / n); the
 *  ranks' rows together are every row once, in rank order. */
void exo_part_rows(uint32_t n, uint32_t n_out, uint32_t first, uint32_t count,
                   exo_frame_rows *rows);

/**
 * The backend of this rank's part [first, first + count) of a run of n
 * vesicles with global ids id0..: takes ownership of `local` (which holds
 * `count` vesicles with ids id0 + first..; NULL when count is 0), destroyed
 * with the wrapper or here on failure.
 */
exo_status exo_part_create(exo_backend **out, exo_backend *local, uint32_t n, uint32_t id0,
                           uint32_t first, uint32_t count, exo_error *err);

/** The backend that steps this rank's vesicles (NULL: it holds none), and
 *  the seconds it spent in launches so far (for load-balance reports). */
exo_backend *exo_part_local(exo_backend *b);
double exo_part_launch_s(const exo_backend *b);

#endif /* EXO_PART_H */
