/*
 * exo_batch: see exo_batch.h.
 *
 * The host store is authoritative between calls: every call that changes
 * vesicles on the device copies the batch back before it returns.  The
 * batch last copied in stays on the device (`resident`) until another is
 * needed or the host store changes under it (injection goes through the
 * device; restore and exchange do not), so a run whose populations each
 * fit one batch copies each batch in once per launch round.
 */
#include "exo_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exo_error.h"
#include "exo_ref.h"

/* Batch boundaries inside a population fall this many vesicles apart from
 * its start (a multiple of every vector width). */
#define EXO_BATCH_ALIGN (EXO_BATCH_MIN / 2)

typedef struct exo_batch {
    exo_backend base;        /* must be first                               */
    exo_backend *dev;        /* holds cap vesicles                          */
    exo_backend *store;      /* exo_ref: every vesicle, never stepped        */
    exo_vesicle_arrays all;  /* the store's arrays                          */
    exo_vesicle_arrays stage;/* cap vesicles in the device's layout         */
    uint32_t cap;
    uint32_t n_batches;
    uint32_t *bound;         /* [n_batches + 1] first index of each batch   */
    int64_t resident;        /* batch on the device, -1: none               */
    /* what a launch produced, gathered over its batches */
    uint32_t event_cap;      /* the capacity the run asked for              */
    exo_event *events;       /* [events_room]                               */
    size_t events_room;
    uint64_t event_total;    /* events reported, stored or not              */
    int events_lost;         /* a batch reported more than it stored        */
    exo_event *taken;        /* [event_cap] one batch's events              */
    uint32_t n_patches;
    uint64_t *formed;        /* [formed_room] bonds formed per step, patch  */
    size_t formed_room, formed_n;
} exo_batch;

static void batch_range(const exo_batch *b, uint32_t k, uint32_t *lo, uint32_t *hi)
{
    *lo = b->bound[k];
    *hi = b->bound[k + 1];
}

/* Copy between the store's entries [lo, hi) and the staging arrays' first
 * hi - lo entries (to_stage: store -> staging). */
static void copy_batch(exo_batch *b, uint32_t lo, uint32_t hi, int to_stage)
{
    size_t n = b->base.n, m = b->cap, len = hi - lo;
    struct {
        void *all, *stage;
        size_t elem;
        int parts;
    } a[] = {{b->all.pos, b->stage.pos, sizeof(exo_real), 3},
             {b->all.image, b->stage.image, sizeof(int32_t), 3},
             {b->all.radius, b->stage.radius, sizeof(float), 1},
             {b->all.state, b->stage.state, 1, 1},
             {b->all.ligands, b->stage.ligands, sizeof(uint16_t), 1},
             {b->all.bonds, b->stage.bonds, 1, 1}};
    for (size_t k = 0; k < sizeof a / sizeof a[0]; k++)
        for (int c = 0; c < a[k].parts; c++) {
            char *all = (char *)a[k].all + ((size_t)c * n + lo) * a[k].elem;
            char *stage = (char *)a[k].stage + (size_t)c * m * a[k].elem;
            memcpy(to_stage ? stage : all, to_stage ? all : stage, len * a[k].elem);
            if (to_stage && len < m) /* not injected: zeros, radius 1 below */
                memset(stage + len * a[k].elem, 0, (m - len) * a[k].elem);
        }
    for (size_t i = len; to_stage && i < m; i++)
        b->stage.radius[i] = 1;
}

/* Put batch k on the device (unless it is there already) and address the
 * device's index 0 as the batch's first vesicle. */
static exo_status bring_in(exo_batch *b, uint32_t k, exo_error *err)
{
    exo_status rc = EXO_OK;
    uint32_t lo, hi;
    batch_range(b, k, &lo, &hi);
    b->dev->id0 = b->base.id0 + lo;
    if (b->resident == (int64_t)k)
        return EXO_OK;
    b->resident = -1;
    copy_batch(b, lo, hi, 1);
    /* A short last batch: the entries past it go in as the device created
     * them, not injected (copy_batch resets them). */
    EXO_TRY(b->dev->ops->exchange(b->dev, 1, &b->stage, err));
    b->resident = k;
cleanup:
    return rc;
}

/* Copy batch k (on the device) back to the store. */
static exo_status take_out(exo_batch *b, uint32_t k, exo_error *err)
{
    exo_status rc = EXO_OK;
    uint32_t lo, hi;
    batch_range(b, k, &lo, &hi);
    EXO_TRY(b->dev->ops->exchange(b->dev, 0, &b->stage, err));
    copy_batch(b, lo, hi, 0);
cleanup:
    return rc;
}

/* Batch k's part of [first, first + count): store indices from..to-1, on
 * the device from - lo.. (lo: the batch's first index). */
static void batch_part(const exo_batch *b, uint32_t k, uint32_t first, uint32_t count,
                       uint32_t *lo, uint32_t *from, uint32_t *to)
{
    uint32_t hi = b->bound[k + 1];
    *lo = b->bound[k];
    *from = first > *lo ? first : *lo;
    *to = first + count < hi ? first + count : hi;
}

/* The batches overlapping [first, first + count): k0..k1-1. */
static void batches_of(const exo_batch *b, uint32_t first, uint32_t count, uint32_t *k0,
                       uint32_t *k1)
{
    uint32_t k = 0;
    while (k < b->n_batches && b->bound[k + 1] <= first)
        k++;
    *k0 = k;
    while (k < b->n_batches && b->bound[k] < first + count)
        k++;
    *k1 = k;
}

static exo_status batch_init_population(exo_backend *bb, const exo_init_params *ip,
                                        exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    exo_status rc = EXO_OK;
    uint32_t k0, k1;
    batches_of(b, ip->first, ip->count, &k0, &k1);
    for (uint32_t k = k0; k < k1; k++) {
        uint32_t lo, from, to;
        batch_part(b, k, ip->first, ip->count, &lo, &from, &to);
        exo_init_params part = *ip;
        part.first = from - lo;
        part.count = to - from;
        part.id0 = ip->id0 + lo; /* the kernel keys vesicle i by id0 + i */
        EXO_TRY(bring_in(b, k, err));
        EXO_TRY(b->dev->ops->init_population(b->dev, &part, err));
        EXO_TRY(take_out(b, k, err));
    }
cleanup:
    return rc;
}

/* Keep one batch launch's events and bonds formed. */
static exo_status gather_launch(exo_batch *b, const exo_step_params *p, uint32_t nsteps,
                                exo_error *err)
{
    exo_status rc = EXO_OK;
    if (b->event_cap) {
        uint32_t got = 0;
        EXO_TRY(b->dev->ops->take_events(b->dev, b->taken, &got, err));
        if (got > b->event_cap) {
            b->events_lost = 1;
        } else if (got) {
            size_t need = b->event_total + got;
            if (need > b->events_room) {
                size_t room = need > 2 * b->events_room ? need : 2 * b->events_room;
                exo_event *grown = realloc(b->events, room * sizeof *grown);
                EXO_CHECK(grown != NULL, err, EXO_ERR_NOMEM,
                          "out of host memory for %zu events of a batched launch", room);
                b->events = grown;
                b->events_room = room;
            }
            memcpy(b->events + b->event_total, b->taken, got * sizeof *b->taken);
        }
        b->event_total += got;
    }
    if (p->depletion && b->n_patches)
        EXO_TRY(b->dev->ops->add_formed(b->dev, nsteps, b->formed, err));
cleanup:
    return rc;
}

static exo_status batch_advance(exo_backend *bb, const exo_step_params *p,
                                const exo_slot_table *slots, uint64_t step0, uint32_t nsteps,
                                uint32_t first, uint32_t count, const uint32_t *arrivals,
                                exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    exo_status rc = EXO_OK;
    uint32_t *shifted = NULL;
    if (p->depletion && b->n_patches) {
        size_t need = (size_t)nsteps * b->n_patches;
        EXO_GROW(b->formed, b->formed_room, need, err, "the bonds-formed counters");
        memset(b->formed, 0, need * sizeof *b->formed);
        b->formed_n = need;
    }
    if (arrivals)
        EXO_ALLOC(shifted, (size_t)nsteps + 1, err, "an arrival schedule");
    uint32_t k0, k1;
    batches_of(b, first, count, &k0, &k1);
    for (uint32_t k = k0; k < k1; k++) {
        uint32_t lo, from, to;
        batch_part(b, k, first, count, &lo, &from, &to);
        if (arrivals) {
            /* The kernel numbers a population's vesicles from the first
             * index it is given: the batch's part starts `skip` in. */
            uint32_t skip = from - first;
            for (uint32_t s = 0; s <= nsteps; s++)
                shifted[s] = arrivals[s] > skip ? arrivals[s] - skip : 0;
        }
        EXO_TRY(bring_in(b, k, err));
        EXO_TRY(b->dev->ops->advance(b->dev, p, slots, step0, nsteps, from - lo, to - from,
                                     arrivals ? shifted : NULL, err));
        EXO_TRY(gather_launch(b, p, nsteps, err));
        EXO_TRY(take_out(b, k, err));
    }
cleanup:
    free(shifted);
    return rc;
}

static exo_status batch_count_places(exo_backend *bb, const exo_step_params *p,
                                     uint32_t first, uint32_t count, uint64_t *counts,
                                     exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    exo_status rc = EXO_OK;
    uint64_t part[EXO_PLACES * EXO_COUNT_COLS];
    memset(counts, 0, sizeof part);
    uint32_t k0, k1;
    batches_of(b, first, count, &k0, &k1);
    for (uint32_t k = k0; k < k1; k++) {
        uint32_t lo, from, to;
        batch_part(b, k, first, count, &lo, &from, &to);
        EXO_TRY(bring_in(b, k, err));
        EXO_TRY(b->dev->ops->count_places(b->dev, p, from - lo, to - from, part, err));
        for (size_t j = 0; j < EXO_PLACES * EXO_COUNT_COLS; j++)
            counts[j] += part[j];
    }
cleanup:
    return rc;
}

static exo_status batch_frame_begin(exo_backend *bb, const exo_frame_rows *rows,
                                    float *pos_nm, int32_t *image, int8_t *state,
                                    uint8_t *bonds, void **pending, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->store->ops->frame_begin(b->store, rows, pos_nm, image, state, bonds, pending,
                                      err);
}

static exo_status batch_frame_end(exo_backend *bb, void *pending, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->store->ops->frame_end(b->store, pending, err);
}

static exo_status batch_read(exo_backend *bb, float *pos_um, int32_t *image, int8_t *state,
                             float *radius_um, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->store->ops->read(b->store, pos_um, image, state, radius_um, err);
}

static exo_status batch_set_event_capacity(exo_backend *bb, uint32_t capacity, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    exo_status rc = EXO_OK;
    free(b->taken);
    b->taken = NULL;
    b->event_cap = 0;
    EXO_ALLOC(b->taken, capacity, err, "the event buffer of a batch");
    EXO_TRY(b->dev->ops->set_event_capacity(b->dev, capacity, err));
    b->event_cap = capacity;
cleanup:
    return rc;
}

static exo_status batch_take_events(exo_backend *bb, exo_event *out, uint32_t *count,
                                    exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    /* Over the capacity (lost in a batch, or more than room over all of
     * them): the caller runs the launch again with more room. */
    uint64_t total = b->event_total;
    if (b->events_lost && total <= b->event_cap)
        total = (uint64_t)b->event_cap + 1;
    *count = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    if (out && total > 0 && total <= b->event_cap)
        memcpy(out, b->events, total * sizeof *out);
    b->event_total = 0;
    b->events_lost = 0;
    (void)err;
    return EXO_OK;
}

static exo_status batch_save(exo_backend *bb, uint32_t first, uint32_t count, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->store->ops->save(b->store, first, count, err);
}

static exo_status batch_restore(exo_backend *bb, uint32_t first, uint32_t count,
                                exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    b->resident = -1;
    return b->store->ops->restore(b->store, first, count, err);
}

static exo_status batch_set_patches(exo_backend *bb, uint32_t n_patches, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    b->n_patches = n_patches;
    return b->dev->ops->set_patches(b->dev, n_patches, err);
}

static exo_status batch_write_availability(exo_backend *bb, const float *avail,
                                           exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->dev->ops->write_availability(b->dev, avail, err);
}

static exo_status batch_count_patches(exo_backend *bb, const exo_step_params *p,
                                      const exo_slot_table *slots, uint32_t first,
                                      uint32_t count, uint64_t *bound, uint64_t *taken,
                                      exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    exo_status rc = EXO_OK;
    uint32_t k0, k1;
    batches_of(b, first, count, &k0, &k1);
    for (uint32_t k = k0; k < k1; k++) {
        uint32_t lo, from, to;
        batch_part(b, k, first, count, &lo, &from, &to);
        EXO_TRY(bring_in(b, k, err));
        EXO_TRY(b->dev->ops->count_patches(b->dev, p, slots, from - lo, to - from, bound,
                                           taken, err));
    }
cleanup:
    return rc;
}

static exo_status batch_add_formed(exo_backend *bb, uint32_t nsteps, uint64_t *formed,
                                   exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    size_t n = (size_t)nsteps * b->n_patches;
    if (n > b->formed_n)
        return EXO_ERROR(err, EXO_ERR_INVALID, "bonds formed over %u steps asked for, but "
                         "no depleting launch that long ran", nsteps);
    for (size_t j = 0; j < n; j++)
        formed[j] += b->formed[j];
    return EXO_OK;
}

static exo_status batch_set_cells(exo_backend *bb, const exo_cell_lists *cells,
                                  exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->dev->ops->set_cells(b->dev, cells, err);
}

static exo_status batch_density(exo_backend *bb, const exo_density_params *d,
                                uint32_t n_counts, uint32_t *counts, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->store->ops->density(b->store, d, n_counts, counts, err);
}

static exo_status batch_exchange(exo_backend *bb, int to_device, const exo_vesicle_arrays *a,
                                 exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    if (to_device)
        b->resident = -1;
    return b->store->ops->exchange(b->store, to_device, a, err);
}

static exo_status batch_read_binding(exo_backend *bb, uint16_t *ligands, uint8_t *bonds,
                                     exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    return b->store->ops->read_binding(b->store, ligands, bonds, err);
}

static exo_status batch_destroy(exo_backend *bb, exo_error *err)
{
    exo_batch *b = (exo_batch *)bb;
    exo_status rc = exo_backend_destroy(b->dev, err);
    exo_status r2 = exo_backend_destroy(b->store, err);
    exo_vesicle_arrays_free(&b->stage);
    free(b->bound);
    free(b->events);
    free(b->taken);
    free(b->formed);
    free(b);
    return rc != EXO_OK ? rc : r2;
}

static const exo_backend_ops batch_ops = {batch_init_population, batch_advance,
                                          batch_count_places,    batch_frame_begin,
                                          batch_frame_end,
                                          batch_read,            batch_set_event_capacity,
                                          batch_take_events,     batch_save,
                                          batch_restore,         batch_set_patches,
                                          batch_write_availability, batch_count_patches,
                                          batch_add_formed,      batch_set_cells,
                                          batch_density,         batch_exchange,
                                          batch_read_binding,
                                          batch_destroy};

/* Batch boundaries: at most cap vesicles each; one inside a population a
 * multiple of EXO_BATCH_ALIGN after its start (cap >= 2 * EXO_BATCH_ALIGN
 * keeps every batch non-empty). */
static uint32_t plan_batches(uint32_t n, uint32_t cap, const uint32_t *pop_first,
                             uint32_t n_pop, uint32_t *bound)
{
    uint32_t nb = 0, start = 0;
    if (bound)
        bound[0] = 0;
    while (start < n) {
        uint32_t end = n - start > cap ? start + cap : n;
        if (end < n) {
            uint32_t k = 0; /* the population holding index end */
            while (k + 1 < n_pop && pop_first[k + 1] <= end)
                k++;
            if (pop_first[k] < end) {
                uint32_t aligned = pop_first[k] +
                                   (end - pop_first[k]) / EXO_BATCH_ALIGN * EXO_BATCH_ALIGN;
                end = aligned > start ? aligned : pop_first[k];
            }
        }
        if (bound)
            bound[nb + 1] = end;
        nb++;
        start = end;
    }
    return nb;
}

exo_status exo_batch_create(exo_backend **out, exo_backend *device, uint32_t n,
                            uint32_t id0, const uint32_t *pop_first, uint32_t n_pop,
                            exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_batch *b = NULL;
    uint32_t cap = device->n;
    if (cap < EXO_BATCH_MIN) {
        rc = EXO_ERROR(err, EXO_ERR_INVALID,
                       "the device's memory holds only %u vesicles; batches need room for "
                       "at least %u", cap, EXO_BATCH_MIN);
        exo_backend_destroy(device, NULL);
        return rc;
    }
    b = calloc(1, sizeof *b);
    if (b == NULL) {
        exo_backend_destroy(device, NULL);
        return EXO_ERROR(err, EXO_ERR_NOMEM, "out of host memory for the batched backend");
    }
    b->dev = device;
    b->base.ops = &batch_ops;
    b->base.n = n;
    b->base.part_count = n;
    b->base.id0 = id0;
    b->base.from_cache = device->from_cache;
    memcpy(b->base.program_key, device->program_key, sizeof b->base.program_key);
    b->cap = cap;
    b->resident = -1;
    b->n_batches = plan_batches(n, cap, pop_first, n_pop, NULL);
    snprintf(b->base.name, sizeof b->base.name, "%.400s; %u batches of at most %u vesicles",
             device->name, b->n_batches, cap);
    EXO_ALLOC(b->bound, (size_t)b->n_batches + 1, err, "the batch boundaries");
    plan_batches(n, cap, pop_first, n_pop, b->bound);
    EXO_TRY(exo_ref_create(&b->store, n, id0, err));
    exo_ref_arrays(b->store, &b->all);
    EXO_TRY(exo_vesicle_arrays_alloc(&b->stage, cap, err));
    *out = &b->base;
    return EXO_OK;
cleanup:
    batch_destroy(&b->base, NULL);
    return rc;
}

uint32_t exo_batch_count(const exo_backend *b)
{
    return b->ops == &batch_ops ? ((const exo_batch *)b)->n_batches : 1;
}
