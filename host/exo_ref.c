/*
 * exo_ref: see exo_ref.h.  The loops here mirror the kernels in
 * kernels/exo_kernels.cl line for line; only the indexing differs.
 */
#include "exo_ref.h"

#include <stdlib.h>
#include <string.h>

#include "exo_error.h"
#include "shared/exo_physics.h"

typedef struct exo_ref {
    exo_backend base;    /* must be first: exo_backend* <-> exo_ref*   */
    exo_real *pos;       /* [3n] um, SoA                               */
    int32_t *image;      /* [3n]                                       */
    float *radius;       /* [n] um                                     */
    int8_t *state;       /* [n]                                        */
    uint16_t *ligands;   /* [n]                                        */
    uint8_t *bonds;      /* [n]                                        */
    exo_event *events;   /* [event_cap] of the launches since the last take */
    float *avail;        /* [n_patches] available receptor fractions   */
    uint32_t n_patches;
    uint32_t *formed;    /* [formed_cap] bonds formed per step and patch
                            in the last depleting launch               */
    size_t formed_cap;
    uint32_t event_cap, event_count;
    exo_real *cells;     /* exo_cell_lists, copied                     */
    uint32_t *cell_bin_start, *cell_bin_cells;
    int32_t *cell_type;
    /* saved copies for a launch run again (save/restore) */
    exo_real *s_pos;
    int32_t *s_image;
    int8_t *s_state;
    uint8_t *s_bonds;
} exo_ref;

static exo_status ref_init_population(exo_backend *b, const exo_init_params *ip,
                                      exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    uint32_t n = b->n;
    if ((uint64_t)ip->first + ip->count > n)
        return EXO_ERROR(err, EXO_ERR_INVALID,
                         "population [%u, %u) exceeds the %u vesicles held",
                         ip->first, ip->first + ip->count, n);
    for (uint32_t j = 0; j < ip->count; j++) {
        uint32_t i = ip->first + j;
        exo_real x[3];
        exo_real a_i = exo_init_radius(ip, ip->id0 + i);
        const exo_cells_io tissue = {r->cells, r->cell_bin_start, r->cell_bin_cells, NULL};
        exo_init_position(ip, &tissue, ip->id0 + i, a_i, x);
        for (int a = 0; a < 3; a++) {
            r->pos[a * n + i] = x[a];
            r->image[a * n + i] = 0;
        }
        r->radius[i] = (float)a_i;
        r->ligands[i] = (uint16_t)exo_init_ligands(ip, ip->id0 + i);
        r->bonds[i] = 0;
        r->state[i] = ip->inactive ? EXO_STATE_INACTIVE : EXO_STATE_FREE;
    }
    return EXO_OK;
}

static exo_status ref_advance(exo_backend *b, const exo_step_params *p,
                              const exo_slot_table *slots, uint64_t step0, uint32_t nsteps,
                              uint32_t first, uint32_t count, const uint32_t *arrivals,
                              exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    exo_status rc = EXO_OK;
    uint32_t n = b->n;
    if (p->depletion && r->n_patches) {
        size_t need = (size_t)nsteps * r->n_patches;
        EXO_GROW(r->formed, r->formed_cap, need, err, "the bonds-formed counters");
        memset(r->formed, 0, need * sizeof *r->formed);
    }
    for (uint32_t i = first; i < first + count; i++) {
        exo_vesicle v;
        v.state = r->state[i];
        int32_t arrive = -1;
        if (p->infused && v.state == EXO_STATE_INACTIVE)
            arrive = exo_arrival_step(arrivals, nsteps, i - first);
        if (!exo_needs_steps(p, v.state, arrive))
            continue;
        for (int a = 0; a < 3; a++) {
            v.x[a] = r->pos[a * n + i];
            v.image[a] = r->image[a * n + i];
        }
        v.radius = r->radius[i];
        v.ligands = r->ligands[i];
        v.bonds = r->bonds[i];
        exo_vesicle_begin(&v, p);
        exo_launch_io sink = {r->events, &r->event_count, r->event_cap,
                              r->avail,  r->formed,       r->n_patches,
                              {r->cells, r->cell_bin_start, r->cell_bin_cells,
                               r->cell_type},
                              slots};
        exo_advance(&v, p, b->id0 + i, step0, nsteps, arrive, &sink);
        for (int a = 0; a < 3; a++) {
            r->pos[a * n + i] = v.x[a];
            r->image[a * n + i] = v.image[a];
        }
        r->bonds[i] = (uint8_t)v.bonds;
        r->state[i] = (int8_t)v.state;
    }
cleanup:
    return rc;
}

static exo_status ref_count_places(exo_backend *b, const exo_step_params *p,
                                   uint32_t first, uint32_t count, uint64_t *counts,
                                   exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    uint32_t n = b->n;
    memset(counts, 0, EXO_PLACES * EXO_COUNT_COLS * sizeof *counts);
    for (uint32_t i = first; i < first + count; i++) {
        int st = r->state[i];
        if (st < 0 || st >= EXO_STATE_COUNT)
            continue;
        const exo_cells_io tissue = {r->cells, r->cell_bin_start, r->cell_bin_cells,
                                     r->cell_type};
        int place = exo_place(p, &tissue, r->pos[i], r->pos[n + i], r->pos[2 * n + i],
                              r->radius[i], st);
        counts[place * EXO_COUNT_COLS + st]++;
        counts[place * EXO_COUNT_COLS + EXO_COUNT_BONDS] += r->bonds[i];
    }
    return EXO_OK;
}

static exo_status ref_frame_begin(exo_backend *b, const exo_frame_rows *rows,
                                  float *pos_nm, int32_t *image,
                                  int8_t *state, uint8_t *bonds, void **pending,
                                  exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    uint32_t n = b->n;
    for (uint32_t j = 0; j < rows->count; j++) {
        uint32_t i = exo_sample_index(rows->j0 + j, rows->n_all, rows->n_out) - rows->i0;
        for (int a = 0; a < 3; a++) {
            pos_nm[3 * j + a] = (float)(r->pos[a * n + i] * EXO_R(1000.0));
            image[3 * j + a] = r->image[a * n + i];
        }
        state[j] = r->state[i];
        bonds[j] = r->bonds[i];
    }
    *pending = NULL; /* copied already */
    (void)err;
    return EXO_OK;
}

static exo_status ref_frame_end(exo_backend *b, void *pending, exo_error *err)
{
    (void)b;
    (void)pending;
    (void)err;
    return EXO_OK;
}

static exo_status ref_read(exo_backend *b, float *pos_um, int32_t *image,
                           int8_t *state, float *radius_um, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    size_t n = b->n;
    if (pos_um)
        for (size_t k = 0; k < 3 * n; k++)
            pos_um[k] = (float)r->pos[k];
    if (image)
        memcpy(image, r->image, 3 * n * sizeof *image);
    if (state)
        memcpy(state, r->state, n * sizeof *state);
    if (radius_um)
        memcpy(radius_um, r->radius, n * sizeof *radius_um);
    return EXO_OK;
}

static exo_status ref_set_event_capacity(exo_backend *b, uint32_t capacity, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    exo_status rc = EXO_OK;
    free(r->events);
    r->events = NULL;
    r->event_cap = 0;
    EXO_ALLOC(r->events, capacity, err, "the event buffer");
    r->event_cap = capacity;
cleanup:
    return rc;
}

static exo_status ref_take_events(exo_backend *b, exo_event *out, uint32_t *count,
                                  exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    *count = r->event_count;
    if (out && r->event_count > 0 && r->event_count <= r->event_cap)
        memcpy(out, r->events, r->event_count * sizeof *out);
    r->event_count = 0;
    return EXO_OK;
}

/* Copy what a launch changes of vesicles first.. between the live and the
 * saved arrays (to_saved: live -> saved), as exo_cl.c's copy_state. */
static void copy_state(exo_ref *r, uint32_t first, uint32_t count, int to_saved)
{
    size_t n = r->base.n;
    struct {
        void *live, *saved;
        size_t elem;
        int comps;
    } a[4] = {{r->pos, r->s_pos, sizeof *r->pos, 3},
              {r->image, r->s_image, sizeof *r->image, 3},
              {r->state, r->s_state, 1, 1},
              {r->bonds, r->s_bonds, 1, 1}};
    for (int k = 0; k < 4; k++)
        for (int c = 0; c < a[k].comps; c++) {
            size_t off = ((size_t)c * n + first) * a[k].elem;
            char *live = (char *)a[k].live + off, *saved = (char *)a[k].saved + off;
            memcpy(to_saved ? saved : live, to_saved ? live : saved, count * a[k].elem);
        }
}

static exo_status ref_save(exo_backend *b, uint32_t first, uint32_t count, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    exo_status rc = EXO_OK;
    size_t n = b->n;
    if (r->s_pos == NULL) {
        EXO_ALLOC(r->s_pos, 3 * n, err, "saved positions");
        EXO_ALLOC(r->s_image, 3 * n, err, "saved image counts");
        EXO_ALLOC(r->s_state, n, err, "saved states");
        EXO_ALLOC(r->s_bonds, n, err, "saved bonds");
    }
    copy_state(r, first, count, 1);
cleanup:
    return rc;
}

static exo_status ref_restore(exo_backend *b, uint32_t first, uint32_t count, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    if (r->s_pos == NULL)
        return EXO_ERROR(err, EXO_ERR_INVALID, "restore without a saved state");
    copy_state(r, first, count, 0);
    return EXO_OK;
}

static exo_status ref_set_patches(exo_backend *b, uint32_t n_patches, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    exo_status rc = EXO_OK;
    free(r->avail);
    r->avail = NULL;
    r->n_patches = 0;
    EXO_ALLOC(r->avail, n_patches ? n_patches : 1, err, "receptor availabilities");
    for (uint32_t k = 0; k < (n_patches ? n_patches : 1); k++)
        r->avail[k] = 1;
    r->n_patches = n_patches;
cleanup:
    return rc;
}

static exo_status ref_write_availability(exo_backend *b, const float *avail, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    memcpy(r->avail, avail, r->n_patches * sizeof *avail);
    return EXO_OK;
}

static exo_status ref_count_patches(exo_backend *b, const exo_step_params *p,
                                    const exo_slot_table *slots, uint32_t first,
                                    uint32_t count, uint64_t *bound, uint64_t *taken,
                                    exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    uint32_t n = b->n;
    exo_launch_io io;
    memset(&io, 0, sizeof io);
    io.tissue = (exo_cells_io){r->cells, r->cell_bin_start, r->cell_bin_cells, r->cell_type};
    io.slots = slots;
    for (uint32_t i = first; i < first + count; i++) {
        int st = r->state[i];
        if (r->bonds[i] == 0 || (st != EXO_STATE_BOUND && st != EXO_STATE_INTERNALIZED))
            continue;
        exo_vesicle v;
        for (int a = 0; a < 3; a++)
            v.x[a] = r->pos[a * n + i];
        v.radius = r->radius[i];
        int32_t k = exo_bound_patch(p, &io, &v, -1);
        if (k >= 0)
            (st == EXO_STATE_BOUND ? bound : taken)[k] += r->bonds[i];
    }
    return EXO_OK;
}

static exo_status ref_add_formed(exo_backend *b, uint32_t nsteps, uint64_t *formed,
                                 exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    size_t n = (size_t)nsteps * r->n_patches;
    if (n > r->formed_cap)
        return EXO_ERROR(err, EXO_ERR_INVALID, "bonds formed over %u steps asked for, but "
                         "no depleting launch that long ran", nsteps);
    for (size_t j = 0; j < n; j++)
        formed[j] += r->formed[j];
    return EXO_OK;
}

/* A copy of n elements of `size` bytes (NULL for none). */
static void *copy_of(const void *data, size_t n, size_t size)
{
    void *c = n ? malloc(n * size) : NULL;
    if (c)
        memcpy(c, data, n * size);
    return c;
}

static exo_status ref_set_cells(exo_backend *b, const exo_cell_lists *c, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    free(r->cells);
    free(r->cell_bin_start);
    free(r->cell_bin_cells);
    size_t listed = c->n_bins ? c->bin_start[c->n_bins] : 0;
    r->cells = copy_of(c->cell, 4 * (size_t)c->n_cells, sizeof *r->cells);
    r->cell_bin_start = copy_of(c->bin_start, c->n_bins ? c->n_bins + 1 : 0,
                                sizeof *r->cell_bin_start);
    r->cell_bin_cells = copy_of(c->bin_cells, listed, sizeof *r->cell_bin_cells);
    free(r->cell_type);
    r->cell_type = copy_of(c->cell_type, c->n_cells, sizeof *r->cell_type);
    if ((c->n_cells && (!r->cells || !r->cell_type)) || (c->n_bins && !r->cell_bin_start) ||
        (listed && !r->cell_bin_cells))
        return EXO_ERROR(err, EXO_ERR_NOMEM, "out of memory for %u cells and %u grid bins",
                         c->n_cells, c->n_bins);
    return EXO_OK;
}

static exo_status ref_density(exo_backend *b, const exo_density_params *d, uint32_t n_counts,
                              uint32_t *counts, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    uint32_t n = b->n;
    memset(counts, 0, (size_t)n_counts * sizeof *counts);
    for (uint32_t i = 0; i < n; i++) {
        int32_t at = exo_density_index(d, r->pos[i], r->pos[n + i], r->pos[2 * n + i],
                                       r->state[i]);
        if (at >= 0 && (uint32_t)at < n_counts)
            counts[at]++;
    }
    (void)err;
    return EXO_OK;
}

static exo_status ref_exchange(exo_backend *b, int to_device, const exo_vesicle_arrays *v,
                               exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    size_t n = b->n;
    struct {
        void *live, *host;
        size_t bytes;
    } a[] = {{r->pos, v->pos, 3 * n * sizeof *r->pos},
             {r->image, v->image, 3 * n * sizeof *r->image},
             {r->radius, v->radius, n * sizeof *r->radius},
             {r->state, v->state, n * sizeof *r->state},
             {r->ligands, v->ligands, n * sizeof *r->ligands},
             {r->bonds, v->bonds, n * sizeof *r->bonds}};
    for (size_t k = 0; k < sizeof a / sizeof a[0]; k++)
        memcpy(to_device ? a[k].live : a[k].host, to_device ? a[k].host : a[k].live, a[k].bytes);
    return EXO_OK;
}

static exo_status ref_read_binding(exo_backend *b, uint16_t *ligands, uint8_t *bonds,
                                   exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    if (ligands)
        memcpy(ligands, r->ligands, b->n * sizeof *ligands);
    if (bonds)
        memcpy(bonds, r->bonds, b->n * sizeof *bonds);
    return EXO_OK;
}

static exo_status ref_destroy(exo_backend *b, exo_error *err)
{
    exo_ref *r = (exo_ref *)b;
    free(r->ligands);
    free(r->bonds);
    free(r->events);
    free(r->avail);
    free(r->formed);
    free(r->cells);
    free(r->cell_bin_start);
    free(r->cell_bin_cells);
    free(r->cell_type);
    free(r->s_pos);
    free(r->s_image);
    free(r->s_state);
    free(r->s_bonds);
    free(r->pos);
    free(r->image);
    free(r->radius);
    free(r->state);
    free(r);
    return EXO_OK;
}

static const exo_backend_ops ref_ops = {ref_init_population, ref_advance,
                                        ref_count_places,    ref_frame_begin,
                                        ref_frame_end,
                                        ref_read,            ref_set_event_capacity,
                                        ref_take_events,     ref_save,
                                        ref_restore,         ref_set_patches,
                                        ref_write_availability, ref_count_patches,
                                        ref_add_formed,      ref_set_cells,
                                        ref_density,         ref_exchange,
                                        ref_read_binding,
                                        ref_destroy};

void exo_vesicle_arrays_free(exo_vesicle_arrays *v)
{
    free(v->pos);
    free(v->image);
    free(v->radius);
    free(v->state);
    free(v->ligands);
    free(v->bonds);
    memset(v, 0, sizeof *v);
}

exo_status exo_vesicle_arrays_alloc(exo_vesicle_arrays *v, size_t n, exo_error *err)
{
    exo_status rc = EXO_OK;
    memset(v, 0, sizeof *v);
    EXO_ALLOC(v->pos, 3 * n + 1, err, "vesicle positions");
    EXO_ALLOC(v->image, 3 * n + 1, err, "vesicle image counts");
    EXO_ALLOC(v->radius, n + 1, err, "vesicle radii");
    EXO_ALLOC(v->state, n + 1, err, "vesicle states");
    EXO_ALLOC(v->ligands, n + 1, err, "vesicle ligand counts");
    EXO_ALLOC(v->bonds, n + 1, err, "vesicle bond counts");
cleanup:
    if (rc != EXO_OK)
        exo_vesicle_arrays_free(v);
    return rc;
}

void exo_ref_arrays(exo_backend *b, exo_vesicle_arrays *view)
{
    exo_ref *r = (exo_ref *)b;
    view->pos = r->pos;
    view->image = r->image;
    view->radius = r->radius;
    view->state = r->state;
    view->ligands = r->ligands;
    view->bonds = r->bonds;
}

exo_status exo_ref_create(exo_backend **out, uint32_t n, uint32_t id0,
                          exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_ref *r = NULL;
    EXO_ALLOC(r, 1, err, "the reference stepper");
    r->base.ops = &ref_ops;
    r->base.n = n;
    r->base.part_count = n;
    r->base.id0 = id0;
    r->base.from_cache = -1;
    snprintf(r->base.name, sizeof r->base.name,
             "cpu-reference (C reference stepper, one thread)");
    EXO_ALLOC(r->pos, 3 * (size_t)n, err, "vesicle positions");
    EXO_ALLOC(r->image, 3 * (size_t)n, err, "vesicle image counts");
    EXO_ALLOC(r->radius, n, err, "vesicle radii");
    EXO_ALLOC(r->state, n, err, "vesicle states");
    EXO_ALLOC(r->ligands, n, err, "vesicle ligand counts");
    EXO_ALLOC(r->bonds, n, err, "vesicle bond counts");
    *out = &r->base;
    return EXO_OK;
cleanup:
    if (r)
        ref_destroy(&r->base, NULL);
    return rc;
}
