/*
 * exo_part: see exo_part.h.
 *
 * Every call that returns counts or events is collective (exo_comm): exo_sim
 * makes the same calls in the same order on every rank, so each rank takes
 * part even where it holds none of the population concerned, contributing
 * zeros.
 */
#include "exo_part.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exo_batch.h"
#include "exo_comm.h"
#include "exo_error.h"

/* Range boundaries inside a population fall a multiple of this many
 * vesicles after its start: the alignment of batch boundaries, for the
 * same reason (a multiple of every vector width; exo_batch.h). */
#define EXO_PART_ALIGN (EXO_BATCH_MIN / 2)

typedef struct exo_part {
    exo_backend base;        /* must be first; n, id0: the whole run's     */
    exo_backend *local;      /* holds base.part_count vesicles; NULL if 0  */
    uint32_t event_cap;      /* the capacity exo_sim asked for             */
    exo_event *mine;         /* [event_cap] this rank's events of a launch */
    uint64_t *counts;        /* [size] per rank, for gathers               */
    uint32_t n_patches;
    uint64_t *scratch;       /* [scratch_room] one reduction's counts      */
    size_t scratch_room;
    int formed_pending;      /* the local part ran the last depleting launch */
    double launch_s;         /* seconds in local launches                  */
} exo_part;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void exo_part_plan(uint32_t n, uint32_t ranks, const uint32_t *pop_first, uint32_t n_pop,
                   uint32_t *bound)
{
    bound[0] = 0;
    for (uint32_t r = 1; r < ranks; r++) {
        uint32_t t = (uint32_t)((uint64_t)r * n / ranks), k = 0;
        while (k + 1 < n_pop && pop_first[k + 1] <= t)
            k++;
        uint32_t start = n_pop ? pop_first[k] : 0;
        uint32_t end = k + 1 < n_pop ? pop_first[k + 1] : n;
        /* The aligned points around t, and the population's end. */
        uint32_t below = start + (t - start) / EXO_PART_ALIGN * EXO_PART_ALIGN;
        uint32_t above = end - below > EXO_PART_ALIGN ? below + EXO_PART_ALIGN : end;
        uint32_t at = t - below <= above - t ? below : above;
        bound[r] = at > bound[r - 1] ? at : bound[r - 1];
    }
    bound[ranks] = n;
}

void exo_part_rows(uint32_t n, uint32_t n_out, uint32_t first, uint32_t count,
                   exo_frame_rows *rows)
{
    uint64_t lo = n ? ((uint64_t)first * n_out + n - 1) / n : 0;
    uint64_t hi = n ? (((uint64_t)first + count) * n_out + n - 1) / n : 0;
    rows->n_all = n;
    rows->n_out = n_out;
    rows->j0 = (uint32_t)lo;
    rows->count = (uint32_t)(hi - lo);
    rows->i0 = first;
}

/* This rank's part of [first, first + count): local indices *from ..
 * *from + *len - 1, starting *skip vesicles into the range. */
static void clip(const exo_part *b, uint32_t first, uint32_t count, uint32_t *from,
                 uint32_t *len, uint32_t *skip)
{
    uint32_t lo = b->base.part_first, hi = lo + b->base.part_count;
    uint32_t a = first > lo ? first : lo, z = first + count < hi ? first + count : hi;
    *from = a - lo;
    *len = z > a ? z - a : 0;
    *skip = a - first;
}

/* Zeroed room for m counts. */
static exo_status scratch(exo_part *b, size_t m, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_GROW(b->scratch, b->scratch_room, m, err, "a reduction's counts");
    if (m)
        memset(b->scratch, 0, m * sizeof *b->scratch);
cleanup:
    return rc;
}

static exo_status part_init_population(exo_backend *bb, const exo_init_params *ip,
                                       exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    uint32_t from, len, skip;
    clip(b, ip->first, ip->count, &from, &len, &skip);
    if (len == 0)
        return EXO_OK;
    exo_init_params part = *ip;
    part.first = from;
    part.count = len;
    part.id0 = ip->id0 + b->base.part_first; /* the kernel keys vesicle i by id0 + i */
    return b->local->ops->init_population(b->local, &part, err);
}

static exo_status part_advance(exo_backend *bb, const exo_step_params *p,
                               const exo_slot_table *slots, uint64_t step0, uint32_t nsteps,
                               uint32_t first, uint32_t count, const uint32_t *arrivals,
                               exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    uint32_t *shifted = NULL, from, len, skip;
    clip(b, first, count, &from, &len, &skip);
    b->formed_pending = 0;
    if (len == 0)
        return EXO_OK;
    if (arrivals) {
        /* The kernel numbers a population's vesicles from the first index
         * it is given: this part starts `skip` in. */
        EXO_ALLOC(shifted, (size_t)nsteps + 1, err, "an arrival schedule");
        for (uint32_t s = 0; s <= nsteps; s++)
            shifted[s] = arrivals[s] > skip ? arrivals[s] - skip : 0;
    }
    double t0 = now_s();
    EXO_TRY(b->local->ops->advance(b->local, p, slots, step0, nsteps, from, len, shifted, err));
    b->launch_s += now_s() - t0;
    b->formed_pending = p->depletion != 0;
cleanup:
    free(shifted);
    return rc;
}

static exo_status part_count_places(exo_backend *bb, const exo_step_params *p,
                                    uint32_t first, uint32_t count, uint64_t *counts,
                                    exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    uint32_t from, len, skip;
    const size_t m = EXO_PLACES * EXO_COUNT_COLS;
    clip(b, first, count, &from, &len, &skip);
    memset(counts, 0, m * sizeof *counts);
    if (len > 0)
        EXO_TRY(b->local->ops->count_places(b->local, p, from, len, counts, err));
    EXO_TRY(exo_comm_sum_u64(counts, m, err));
cleanup:
    return rc;
}

static exo_status part_frame_begin(exo_backend *bb, const exo_frame_rows *rows,
                                   float *pos_nm, int32_t *image, int8_t *state,
                                   uint8_t *bonds, void **pending, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    *pending = NULL;
    if (rows->count == 0 || b->local == NULL)
        return EXO_OK;
    return b->local->ops->frame_begin(b->local, rows, pos_nm, image, state, bonds, pending,
                                      err);
}

static exo_status part_frame_end(exo_backend *bb, void *pending, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    return pending ? b->local->ops->frame_end(b->local, pending, err) : EXO_OK;
}

static exo_status part_read(exo_backend *bb, float *pos_um, int32_t *image, int8_t *state,
                            float *radius_um, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    return b->local ? b->local->ops->read(b->local, pos_um, image, state, radius_um, err)
                    : EXO_OK;
}

static exo_status part_set_event_capacity(exo_backend *bb, uint32_t capacity, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    free(b->mine);
    b->mine = NULL;
    b->event_cap = 0;
    EXO_ALLOC(b->mine, capacity, err, "the event buffer of a rank");
    if (b->local)
        EXO_TRY(b->local->ops->set_event_capacity(b->local, capacity, err));
    b->event_cap = capacity;
cleanup:
    return rc;
}

/* Every rank's events of the launch, in rank order.  When some rank's
 * buffer overflowed, or all of them together exceed the capacity, the count
 * says more than the capacity and exo_sim runs the launch again with room
 * for them (as with one device). */
static exo_status part_take_events(exo_backend *bb, exo_event *out, uint32_t *count,
                                   exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    uint32_t got = 0;
    int size = exo_comm_size();
    if (b->local)
        EXO_TRY(b->local->ops->take_events(b->local, b->mine, &got, err));
    EXO_TRY(exo_comm_allgather_u64(got, b->counts, err));
    uint64_t total = 0;
    int lost = 0;
    for (int r = 0; r < size; r++) {
        total += b->counts[r];
        lost |= b->counts[r] > b->event_cap;
    }
    if (lost && total <= b->event_cap)
        total = (uint64_t)b->event_cap + 1;
    *count = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    if (total == 0 || total > b->event_cap || out == NULL)
        return EXO_OK;
    for (int r = 0; r < size; r++)
        b->counts[r] *= sizeof(exo_event);
    EXO_TRY(exo_comm_allgatherv(b->mine, (size_t)got * sizeof(exo_event), out, b->counts,
                                err));
cleanup:
    return rc;
}

static exo_status part_save(exo_backend *bb, uint32_t first, uint32_t count, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    uint32_t from, len, skip;
    clip(b, first, count, &from, &len, &skip);
    return len ? b->local->ops->save(b->local, from, len, err) : EXO_OK;
}

static exo_status part_restore(exo_backend *bb, uint32_t first, uint32_t count,
                               exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    uint32_t from, len, skip;
    clip(b, first, count, &from, &len, &skip);
    return len ? b->local->ops->restore(b->local, from, len, err) : EXO_OK;
}

static exo_status part_set_patches(exo_backend *bb, uint32_t n_patches, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    b->n_patches = n_patches;
    return b->local ? b->local->ops->set_patches(b->local, n_patches, err) : EXO_OK;
}

static exo_status part_write_availability(exo_backend *bb, const float *avail,
                                          exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    return b->local ? b->local->ops->write_availability(b->local, avail, err) : EXO_OK;
}

static exo_status part_count_patches(exo_backend *bb, const exo_step_params *p,
                                     const exo_slot_table *slots, uint32_t first,
                                     uint32_t count, uint64_t *bound, uint64_t *taken,
                                     exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    uint32_t from, len, skip, np = b->n_patches;
    clip(b, first, count, &from, &len, &skip);
    EXO_TRY(scratch(b, 2 * (size_t)np, err));
    if (len > 0)
        EXO_TRY(b->local->ops->count_patches(b->local, p, slots, from, len, b->scratch,
                                             b->scratch + np, err));
    EXO_TRY(exo_comm_sum_u64(b->scratch, 2 * (size_t)np, err));
    for (uint32_t j = 0; j < np; j++) {
        bound[j] += b->scratch[j];
        taken[j] += b->scratch[np + j];
    }
cleanup:
    return rc;
}

static exo_status part_add_formed(exo_backend *bb, uint32_t nsteps, uint64_t *formed,
                                  exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    size_t m = (size_t)nsteps * b->n_patches;
    EXO_TRY(scratch(b, m, err));
    if (b->formed_pending) /* else this rank held none of the population */
        EXO_TRY(b->local->ops->add_formed(b->local, nsteps, b->scratch, err));
    b->formed_pending = 0;
    EXO_TRY(exo_comm_sum_u64(b->scratch, m, err));
    for (size_t j = 0; j < m; j++)
        formed[j] += b->scratch[j];
cleanup:
    return rc;
}

static exo_status part_set_cells(exo_backend *bb, const exo_cell_lists *cells,
                                 exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    return b->local ? b->local->ops->set_cells(b->local, cells, err) : EXO_OK;
}

static exo_status part_density(exo_backend *bb, const exo_density_params *d,
                               uint32_t n_counts, uint32_t *counts, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = EXO_OK;
    if (b->local)
        EXO_TRY(b->local->ops->density(b->local, d, n_counts, counts, err));
    else
        memset(counts, 0, (size_t)n_counts * sizeof *counts);
    EXO_TRY(exo_comm_sum_u32(counts, n_counts, err));
cleanup:
    return rc;
}

static exo_status part_exchange(exo_backend *bb, int to_device, const exo_vesicle_arrays *a,
                                exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    return b->local ? b->local->ops->exchange(b->local, to_device, a, err) : EXO_OK;
}

static exo_status part_read_binding(exo_backend *bb, uint16_t *ligands, uint8_t *bonds,
                                    exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    return b->local ? b->local->ops->read_binding(b->local, ligands, bonds, err) : EXO_OK;
}

static exo_status part_destroy(exo_backend *bb, exo_error *err)
{
    exo_part *b = (exo_part *)bb;
    exo_status rc = exo_backend_destroy(b->local, err);
    free(b->mine);
    free(b->counts);
    free(b->scratch);
    free(b);
    return rc;
}

static const exo_backend_ops part_ops = {part_init_population, part_advance,
                                         part_count_places,    part_frame_begin,
                                         part_frame_end,       part_read,
                                         part_set_event_capacity, part_take_events,
                                         part_save,            part_restore,
                                         part_set_patches,     part_write_availability,
                                         part_count_patches,   part_add_formed,
                                         part_set_cells,       part_density,
                                         part_exchange,        part_read_binding,
                                         part_destroy};

exo_status exo_part_create(exo_backend **out, exo_backend *local, uint32_t n, uint32_t id0,
                           uint32_t first, uint32_t count, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_part *b = calloc(1, sizeof *b);
    if (b == NULL) {
        exo_backend_destroy(local, NULL);
        return EXO_ERROR(err, EXO_ERR_NOMEM, "out of host memory for a rank's part");
    }
    b->local = local;
    b->base.ops = &part_ops;
    b->base.n = n;
    b->base.id0 = id0;
    b->base.part_first = first;
    b->base.part_count = count;
    b->base.from_cache = local ? local->from_cache : -1;
    if (local) {
        memcpy(b->base.program_key, local->program_key, sizeof b->base.program_key);
        snprintf(b->base.name, sizeof b->base.name, "%.480s", local->name);
    } else {
        snprintf(b->base.name, sizeof b->base.name, "none (this rank holds no vesicles)");
    }
    EXO_CHECK(local == NULL || local->n == count, err, EXO_ERR_INVALID,
              "a rank's part holds %u vesicles, its device %u", count, local->n);
    EXO_ALLOC(b->counts, exo_comm_size(), err, "per-rank counts");
    *out = &b->base;
    return EXO_OK;
cleanup:
    part_destroy(&b->base, NULL);
    return rc;
}

exo_backend *exo_part_local(exo_backend *b)
{
    return b->ops == &part_ops ? ((exo_part *)b)->local : b;
}

double exo_part_launch_s(const exo_backend *b)
{
    return b->ops == &part_ops ? ((const exo_part *)b)->launch_s : 0;
}
