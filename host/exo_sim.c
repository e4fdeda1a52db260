/*
 * exo_sim: see exo_sim.h.
 */
#include "exo_sim.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exo_backend.h"
#include "exo_batch.h"
#include "exo_checkpoint.h"
#include "exo_cl.h"
#include "exo_comm.h"
#include "exo_error.h"
#include "exo_h5.h"
#include "exo_part.h"
#include "exo_ref.h"
#include "exo_scenario.h"
#include "exo_sha256.h"
#include "exo_tissue.h"
#include "exo_vtk.h"
#include "exo_writer.h"
#include "shared/exo_physics.h"

const char *const exo_state_names[EXO_STATE_COUNT] = {
    "inactive", "free", "bound", "internalized", "absorbed", "exited", "cleared"};

/* Steps per launch when the user does not choose: long enough to make the
 * launch cost (4-8 us on PoCL) negligible, short enough for live progress. */
#define EXO_DEFAULT_STEPS_PER_LAUNCH 100u

struct exo_sim {
    const exo_scenario *sc;    /* borrowed; must outlive the sim            */
    exo_backend *be;
    exo_step_params *p;        /* [n_pop] step parameters per population    */
    exo_slot_table *slots;     /* [n_pop] and their surface slot tables     */
    uint64_t step;             /* steps taken                               */
    uint64_t step0;            /* the step this process started (or resumed)
                                  the run at                               */
    uint32_t k;                /* steps per launch                          */
    exo_h5 *h5;                /* NULL: no output                           */
    exo_writer *writer;        /* writes to h5 while the device steps; the
                                  run loop calls HDF5 only after draining it */
    uint32_t n_out;            /* vesicles per frame                        */
    exo_frame_rows rows;       /* the rows of each frame this process packs */
    int one_process;           /* the whole run is here; else this rank's
                                  part of it under MPI (exo_part)          */
    uint64_t frames;           /* frames handed to the writer, with those
                                  the file held at start                    */
    exo_progress_fn progress;
    void *progress_user;
    FILE *log;
    double wall0;
    /* Observables: vesicles per state; per vessel region, free, bound,
     * internalized, absorbed and the bonds held; per vessel, those that
     * left through the inlet and outlet; the bonds held in all. */
    uint64_t *arrived;         /* [n_pop] infused vesicles entered so far    */
    uint32_t *sched;           /* arrival schedule of one launch             */
    size_t sched_cap;
    char (*obs_name)[2 * EXO_NAME_MAX];
    const char **obs_ptr;       /* the counts' names, then the real ones'    */
    uint32_t n_obs;             /* int64 observables (counts)                */
    uint32_t n_real_obs;        /* float64 observables (doses)               */
    double *dose;               /* [n_real_obs] cargo delivered so far       */
    /* Events (when the scenario records them): the device buffer's room,
     * one launch's events from every population, and the totals so far. */
    uint32_t event_cap;
    exo_event *events;         /* [event_cap]                               */
    exo_event *round;          /* this launch's events, all populations     */
    size_t n_round, round_cap;
    uint64_t event_totals[EXO_EVENT_KINDS];
    /* Receptor patches (DESIGN.md section 3, docs/design.md): receptors
     * and recovery (exo_scenario_patches); the bonds counted at the last
     * update (step last_update), receptors taken in by internalization and
     * not yet back; the receptors then free, as a whole number and as the
     * fraction launches read; the bonds formed since; and one round's
     * bonds formed per step and patch. */
    uint32_t n_patches;
    int depleting;             /* some population's bonds use them up       */
    exo_patch_info *patch;
    uint64_t *patch_bound, *patch_taken, *patch_taken_before;
    double *patch_lost;
    uint64_t *patch_free, *formed_since;
    float *patch_avail;
    uint64_t last_update;
    uint64_t *formed;          /* [formed_cap]: [step of round][patch]      */
    size_t formed_cap;
    uint64_t *arrived_saved;   /* [n_pop] arrived, at a round's start       */
    uint64_t extra_updates;    /* updates where bonds would have outnumbered
                                  the free receptors                       */
    uint64_t held_steps;       /* steps in which some patch formed no bond
                                  because it had too few free              */
    /* Checkpoints (docs/reliability.md). */
    char *ckpt_path;           /* NULL: none                                */
    double ckpt_every_s;       /* wall-clock seconds; <= 0: none            */
    uint64_t ckpt_every_steps; /* 0: none                                   */
    double ckpt_wall;          /* when the last one was written             */
    volatile sig_atomic_t *stop_request;
    char scenario_sha[65];     /* of the resolved scenario text             */
    char *out_path;            /* the output file, NULL: none               */
    exo_tissue_grid cells;     /* the tissue's cells and their lookup grid  */
    /* Density images (output.density), with every density_every-th frame */
    exo_density_params density;
    uint32_t density_images;   /* states imaged                             */
    uint32_t density_n;        /* counts: voxels x images; 0: none          */
    uint32_t *density_counts;  /* [density_n]                               */
};

/* What a checkpoint starts with; the rest follows in checkpoint_body's
 * order.  Written and read on machines of the same byte order (endian
 * says), by the same build's layout (version). */
#define EXO_CKPT_VERSION 3u
typedef struct ckpt_header {
    char magic[8];             /* "EXOBDCP" */
    uint32_t version, endian;  /* EXO_CKPT_VERSION, 0x01020304              */
    char scenario_sha[72];     /* SHA-256 hex of the resolved scenario      */
    uint64_t step, n;
    uint32_t n_pop, n_patches, n_obs, n_real_obs, real_bytes, path_bytes;
    exo_h5_cursor cursor;      /* what the output file held                 */
} ckpt_header;

static exo_status update_receptors(exo_sim *s, exo_error *err);

static const char *const event_names[EXO_EVENT_KINDS] = {"binding", "unbinding",
                                                         "internalization", "crossing"};

/* Columns counted per region: vesicles free, bound, internalized and
 * absorbed there, and the bonds its bound vesicles hold. */
static const int region_cols[] = {EXO_STATE_FREE, EXO_STATE_BOUND, EXO_STATE_INTERNALIZED,
                                  EXO_STATE_ABSORBED, EXO_COUNT_BONDS};
#define REGION_COLS ((uint32_t)(sizeof region_cols / sizeof region_cols[0]))

/* Observables of vessel v: REGION_COLS per region, then the exits through
 * the inlet and the outlet. */
static uint32_t vessel_observables(const exo_vessel *v)
{
    return REGION_COLS * v->n_regions + 2;
}

/* States counted per population when there are several. */
static const int pop_states[] = {EXO_STATE_FREE, EXO_STATE_BOUND, EXO_STATE_INTERNALIZED,
                                 EXO_STATE_ABSORBED, EXO_STATE_EXITED};
#define POP_STATES ((uint32_t)(sizeof pop_states / sizeof pop_states[0]))

/* Observables of one population (several populations only): its states,
 * bonds, and its vessel's regions' columns. */
static uint32_t population_observables(const exo_scenario *sc, uint32_t k)
{
    int v = sc->pop[k].vessel;
    return POP_STATES + 1 + (v >= 0 ? REGION_COLS * sc->vessel[v].n_regions : 0);
}

/* How population k is named in observables: its name where HDF5 and
 * h5py take it as is (letters, digits, '_', '-', '.'), else population<k>. */
static void population_key(const exo_scenario *sc, uint32_t k, char *out, size_t size)
{
    const char *n = sc->pop[k].name;
    int ok = n[0] != '\0' && strcmp(n, ".") != 0;
    for (const char *c = n; *c; c++)
        ok = ok && (isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.');
    if (ok)
        snprintf(out, size, "%s", n);
    else
        snprintf(out, size, "population%u", k);
}

/* The global index (over all vessels' regions) of vessel v's first region. */
static uint32_t region_offset(const exo_scenario *sc, int v)
{
    uint32_t at = 0;
    for (int j = 0; j < v; j++)
        at += sc->vessel[j].n_regions;
    return at;
}

/* Name the observables (see struct exo_sim) once: vesicles per state, then
 * per vessel its regions' columns and its exits, then the bonds held in
 * all; with several populations, each one's states, bonds and regions.
 * Real observables (when events are recorded): the cargo dose delivered in
 * all and per region, and per population. */
/* The states counted on cells of type t (place EXO_PLACE_CELLS + t), one
 * observable each: taken up (<type>_taken_up) where its membrane takes up
 * what it captures; bound and internalized (<type>_cells_bound,
 * <type>_cells_internalized) where it holds them. */
static uint32_t cell_states(const exo_scenario *sc, uint32_t t, int states[2])
{
    int j = sc->cell_type[t].surface;
    if (j < 0 || sc->surface[j].behaviour == EXO_SURFACE_REFLECT)
        return 0;
    const exo_surface *sf = &sc->surface[j];
    if (sf->behaviour == EXO_SURFACE_ABSORB || sf->adsorbed_state == EXO_STATE_ABSORBED) {
        states[0] = EXO_STATE_ABSORBED;
        return 1;
    }
    states[0] = EXO_STATE_BOUND;
    states[1] = EXO_STATE_INTERNALIZED;
    return 2;
}

/* Whether cells of type t hold what they capture (bound, internalized). */
static int cell_holds(const exo_scenario *sc, uint32_t t)
{
    int states[2];
    return cell_states(sc, t, states) == 2;
}

/* Observables of all cell types (the last ones before the real ones). */
static uint32_t cell_observables(const exo_scenario *sc)
{
    uint32_t n = 0;
    int states[2];
    for (uint32_t t = 0; t < sc->n_cell_types; t++)
        n += cell_states(sc, t, states);
    return n;
}

/* Observables of the tissue beside a vessel: its free vesicles in all
 * (tissue_free) and beside each of the vessel's regions
 * (<region>_tissue_free). */
static uint32_t tissue_observables(const exo_scenario *sc)
{
    return sc->has_tissue && sc->n_vessels ? 1 + sc->vessel[0].n_regions : 0;
}

static exo_status name_observables(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_scenario *sc = s->sc;
    uint32_t n = EXO_STATE_COUNT + 1, n_regions = region_offset(sc, (int)sc->n_vessels);
    for (uint32_t v = 0; v < sc->n_vessels; v++)
        n += vessel_observables(&sc->vessel[v]);
    if (sc->n_pop > 1)
        for (uint32_t k = 0; k < sc->n_pop; k++)
            n += population_observables(sc, k);
    n += tissue_observables(sc);
    n += cell_observables(sc);
    uint32_t nr = 0;
    if (sc->output_events) {
        nr = 1 + n_regions;
        if (sc->n_pop > 1)
            for (uint32_t k = 0; k < sc->n_pop; k++)
                nr += 1 + (sc->pop[k].vessel >= 0 ? sc->vessel[sc->pop[k].vessel].n_regions : 0);
        for (uint32_t t = 0; t < sc->n_cell_types; t++)
            nr += (uint32_t)cell_holds(sc, t);
    }
    EXO_ALLOC(s->obs_name, n + nr, err, "observable names");
    EXO_ALLOC(s->obs_ptr, n + nr, err, "observable names");
    EXO_ALLOC(s->dose, nr + 1, err, "the delivered doses");
    uint32_t k = 0;
    char key[EXO_NAME_MAX + 16];
    for (int st = 0; st < EXO_STATE_COUNT; st++)
        snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s", exo_state_names[st]);
    for (uint32_t v = 0; v < sc->n_vessels; v++) {
        const exo_vessel *ves = &sc->vessel[v];
        for (uint32_t r = 0; r < ves->n_regions; r++)
            for (uint32_t q = 0; q < REGION_COLS; q++)
                snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_%s", ves->region[r].name,
                         region_cols[q] == EXO_COUNT_BONDS ? "bonds"
                                                           : exo_state_names[region_cols[q]]);
        snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_exited_inlet", ves->name);
        snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_exited_outlet", ves->name);
    }
    snprintf(s->obs_name[k++], sizeof s->obs_name[0], "bonds");
    for (uint32_t p = 0; sc->n_pop > 1 && p < sc->n_pop; p++) {
        population_key(sc, p, key, sizeof key);
        for (uint32_t q = 0; q < POP_STATES; q++)
            snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_%s", key,
                     exo_state_names[pop_states[q]]);
        snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_bonds", key);
        int v = sc->pop[p].vessel;
        for (uint32_t r = 0; v >= 0 && r < sc->vessel[v].n_regions; r++)
            for (uint32_t q = 0; q < REGION_COLS; q++)
                snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_%s_%s", key,
                         sc->vessel[v].region[r].name,
                         region_cols[q] == EXO_COUNT_BONDS ? "bonds"
                                                           : exo_state_names[region_cols[q]]);
    }
    if (tissue_observables(sc)) {
        snprintf(s->obs_name[k++], sizeof s->obs_name[0], "tissue_free");
        for (uint32_t r = 0; r < sc->vessel[0].n_regions; r++)
            snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_tissue_free",
                     sc->vessel[0].region[r].name);
    }
    for (uint32_t t = 0; t < sc->n_cell_types; t++) {
        int states[2];
        uint32_t m = cell_states(sc, t, states);
        for (uint32_t q = 0; q < m; q++)
            snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_%s", sc->cell_type[t].name,
                     states[q] == EXO_STATE_ABSORBED ? "taken_up"
                     : states[q] == EXO_STATE_BOUND  ? "cells_bound"
                                                     : "cells_internalized");
    }
    if (nr > 0) {
        snprintf(s->obs_name[k++], sizeof s->obs_name[0], "dose");
        for (uint32_t v = 0; v < sc->n_vessels; v++)
            for (uint32_t r = 0; r < sc->vessel[v].n_regions; r++)
                snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_dose",
                         sc->vessel[v].region[r].name);
        for (uint32_t p = 0; sc->n_pop > 1 && p < sc->n_pop; p++) {
            population_key(sc, p, key, sizeof key);
            snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_dose", key);
            int v = sc->pop[p].vessel;
            for (uint32_t r = 0; v >= 0 && r < sc->vessel[v].n_regions; r++)
                snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_%s_dose", key,
                         sc->vessel[v].region[r].name);
        }
        for (uint32_t t = 0; t < sc->n_cell_types; t++)
            if (cell_holds(sc, t))
                snprintf(s->obs_name[k++], sizeof s->obs_name[0], "%s_cells_dose",
                         sc->cell_type[t].name);
    }
    for (uint32_t j = 0; j < n + nr; j++)
        s->obs_ptr[j] = s->obs_name[j];
    s->n_obs = n;
    s->n_real_obs = nr;
cleanup:
    return rc;
}

/* Count every population by (place, state) on the device and fold the
 * histograms into the observables (per population, never per vesicle). */
static exo_status count_observables(exo_sim *s, int64_t *values, exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_scenario *sc = s->sc;
    uint64_t counts[EXO_PLACES * EXO_COUNT_COLS];
    memset(values, 0, s->n_obs * sizeof *values);
    uint32_t pop_at = EXO_STATE_COUNT + 1;
    for (uint32_t v = 0; v < sc->n_vessels; v++)
        pop_at += vessel_observables(&sc->vessel[v]);
    const uint32_t bonds_at = pop_at - 1; /* "bonds", before the populations */
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        const exo_population *pop = &sc->pop[k];
        EXO_TRY(s->be->ops->count_places(s->be, &s->p[k], pop->first, pop->count, counts,
                                         err));
        uint64_t bonds = 0, per_state[EXO_STATE_COUNT] = {0};
        for (int pl = 0; pl < EXO_PLACES; pl++) {
            for (int st = 0; st < EXO_STATE_COUNT; st++)
                per_state[st] += counts[pl * EXO_COUNT_COLS + st];
            bonds += counts[pl * EXO_COUNT_COLS + EXO_COUNT_BONDS];
        }
        for (int st = 0; st < EXO_STATE_COUNT; st++)
            values[st] += (int64_t)per_state[st];
        values[bonds_at] += (int64_t)bonds;
        uint32_t nr = pop->vessel >= 0 ? sc->vessel[pop->vessel].n_regions : 0;
        if (sc->n_pop > 1) {
            for (uint32_t q = 0; q < POP_STATES; q++)
                values[pop_at + q] = (int64_t)per_state[pop_states[q]];
            values[pop_at + POP_STATES] = (int64_t)bonds;
            for (uint32_t r = 0; r < nr; r++)
                for (uint32_t q = 0; q < REGION_COLS; q++)
                    values[pop_at + POP_STATES + 1 + REGION_COLS * r + q] =
                        (int64_t)counts[r * EXO_COUNT_COLS + region_cols[q]];
            pop_at += population_observables(sc, k);
        }
        /* On cells of each type (place EXO_PLACE_CELLS + type), the last
         * observables; before them, the tissue beside a vessel (place
         * EXO_PLACE_TISSUE + region, the rest after the regions). */
        uint32_t at = s->n_obs - cell_observables(sc);
        uint32_t tissue_at = at - tissue_observables(sc);
        for (uint32_t t = 0; t < sc->n_cell_types; t++) {
            int states[2];
            uint32_t m = cell_states(sc, t, states);
            for (uint32_t q = 0; q < m; q++)
                values[at++] += (int64_t)counts[(EXO_PLACE_CELLS + t) * EXO_COUNT_COLS +
                                                states[q]];
        }
        if (pop->vessel < 0)
            continue;
        if (tissue_observables(sc)) {
            for (uint32_t r = 0; r <= nr; r++)
                values[tissue_at] += (int64_t)counts[(EXO_PLACE_TISSUE + r) * EXO_COUNT_COLS +
                                                     EXO_STATE_FREE];
            for (uint32_t r = 0; r < nr; r++)
                values[tissue_at + 1 + r] += (int64_t)counts[(EXO_PLACE_TISSUE + r) *
                                                                 EXO_COUNT_COLS +
                                                             EXO_STATE_FREE];
        }
        at = EXO_STATE_COUNT;
        for (int v = 0; v < pop->vessel; v++)
            at += vessel_observables(&sc->vessel[v]);
        for (uint32_t r = 0; r < nr; r++)
            for (uint32_t q = 0; q < REGION_COLS; q++)
                values[at + REGION_COLS * r + q] +=
                    (int64_t)counts[r * EXO_COUNT_COLS + region_cols[q]];
        values[at + REGION_COLS * nr] +=
            (int64_t)counts[(nr + 1) * EXO_COUNT_COLS + EXO_STATE_EXITED];
        values[at + REGION_COLS * nr + 1] +=
            (int64_t)counts[(nr + 2) * EXO_COUNT_COLS + EXO_STATE_EXITED];
    }
cleanup:
    return rc;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The vessel walls and the cells beside the output, for ParaView. */
static exo_status write_geometry(const exo_scenario *sc, const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    char vtk[4096];
    if (sc->n_vessels > 0) {
        EXO_CHECK(exo_vtk_path(path, "vessels", vtk, sizeof vtk) == 0, err, EXO_ERR_INVALID,
                  "output path too long: %s", path);
        EXO_TRY(exo_vtk_write_vessels(sc, vtk, err));
    }
    if (sc->n_cells > 0) {
        EXO_CHECK(exo_vtk_path(path, "cells", vtk, sizeof vtk) == 0, err, EXO_ERR_INVALID,
                  "output path too long: %s", path);
        EXO_TRY(exo_vtk_write_cells(sc, vtk, err));
    }
cleanup:
    return rc;
}

static exo_status open_output(exo_sim *s, const char *path, const exo_h5_cursor *resume,
                              exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_scenario *sc = s->sc;
    uint32_t n = s->be->n;
    int64_t *id = NULL;
    float *radius_all = NULL, *radius_nm = NULL;
    int32_t *population = NULL;
    const char **pop_names = NULL, **region_names = NULL;
    int64_t *pop_first = NULL, *pop_count = NULL;
    int32_t *pop_combination = NULL, *pop_replicate = NULL;
    double *sweep_values = NULL;
    double *cargo = NULL, *cargo_sd = NULL, *release = NULL, *density = NULL;
    char *derived = NULL;
    size_t derived_len = 0;
    FILE *mem = NULL;

    s->n_out = (uint32_t)sc->output_sample;
    exo_part_rows(n, s->n_out, s->be->part_first, s->be->part_count, &s->rows);
    const uint32_t m = s->rows.count;
    EXO_ALLOC(id, m, err, "output ids");
    EXO_ALLOC(radius_nm, m, err, "output radii");
    EXO_ALLOC(population, m, err, "output populations");
    EXO_ALLOC(radius_all, s->be->part_count, err, "radii");
    EXO_ALLOC(pop_names, sc->n_pop, err, "population names");
    /* Time-independent per-vesicle data, once at start (not in the loop):
     * this process's rows. */
    if (s->be->part_count)
        EXO_TRY(s->be->ops->read(s->be, NULL, NULL, NULL, radius_all, err));
    for (uint32_t j = 0, k = 0; j < m; j++) {
        uint32_t i = exo_sample_index(s->rows.j0 + j, n, s->n_out);
        id[j] = (int64_t)s->be->id0 + i;
        radius_nm[j] = radius_all[i - s->rows.i0] * 1000.0f;
        while (k + 1 < sc->n_pop && i >= sc->pop[k + 1].first)
            k++;
        population[j] = (int32_t)k;
    }
    EXO_ALLOC(pop_first, sc->n_pop, err, "population table");
    EXO_ALLOC(pop_count, sc->n_pop, err, "population table");
    EXO_ALLOC(cargo, sc->n_pop, err, "population table");
    EXO_ALLOC(cargo_sd, sc->n_pop, err, "population table");
    EXO_ALLOC(release, sc->n_pop, err, "population table");
    const exo_sweep *sw = &sc->sweep;
    if (sw->active) {
        EXO_ALLOC(pop_combination, sc->n_pop, err, "population table");
        EXO_ALLOC(pop_replicate, sc->n_pop, err, "population table");
        EXO_ALLOC(sweep_values, (size_t)sc->n_pop * sw->n_params, err, "population table");
    }
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        const exo_population *p = &sc->pop[k];
        for (uint32_t j = 0; sw->active && j < sw->n_params; j++) {
            /* in the file's units: nm for the radius */
            double v = p->sweep_combination < 0
                           ? NAN
                           : sw->point[(size_t)p->sweep_combination * sw->n_params + j];
            sweep_values[(size_t)k * sw->n_params + j] =
                sw->param[j].setting == EXO_SWEEP_RADIUS ? v * 1e3 : v;
        }
        if (sw->active) {
            pop_combination[k] = p->sweep_combination;
            pop_replicate[k] = p->sweep_replicate;
        }
        pop_names[k] = sc->pop[k].name;
        pop_first[k] = (int64_t)s->be->id0 + sc->pop[k].first;
        pop_count[k] = sc->pop[k].count;
        cargo[k] = sc->pop[k].cargo_amount;
        cargo_sd[k] = sc->pop[k].cargo_sd;
        release[k] = sc->pop[k].cargo_release_rate;
    }
    /* All vessels' regions, in order, with the receptor density bound on
     * each one's wall (the highest over the populations in its vessel). */
    uint32_t n_regions = 0;
    for (uint32_t v = 0; v < sc->n_vessels; v++)
        n_regions += sc->vessel[v].n_regions;
    EXO_ALLOC(region_names, n_regions + 1, err, "region names");
    EXO_ALLOC(density, n_regions + 1, err, "region densities");
    for (uint32_t v = 0, at = 0; v < sc->n_vessels; v++)
        for (uint32_t r = 0; r < sc->vessel[v].n_regions; r++, at++) {
            region_names[at] = sc->vessel[v].region[r].name;
            for (uint32_t k = 0; k < sc->n_pop; k++)
                if (sc->pop[k].vessel == (int)v)
                    density[at] = fmax(density[at], exo_scenario_receptor_density(
                                                        sc, k, sc->vessel[v].region[r].wall_surface));
        }

    mem = open_memstream(&derived, &derived_len);
    EXO_CHECK(mem != NULL, err, EXO_ERR_NOMEM, "out of memory");
    exo_scenario_describe(sc, exo_cl_bytes_per_vesicle(), mem);
    int closed = fclose(mem);
    mem = NULL;
    EXO_CHECK(closed == 0, err, EXO_ERR_NOMEM, "out of memory");

    exo_h5_layout L;
    memset(&L, 0, sizeof L);
    L.path = path;
    L.n = s->n_out;
    L.row_first = s->rows.j0;
    L.row_count = s->rows.count;
    L.shared = !s->one_process;
    L.id = id;
    L.radius_nm = radius_nm;
    L.population = population;
    L.population_names = pop_names;
    L.n_populations = sc->n_pop;
    for (int a = 0; a < 3; a++) {
        L.box_lower_nm[a] = sc->box_lo[a] * 1e3;
        L.box_edges_nm[a] = (sc->box_hi[a] - sc->box_lo[a]) * 1e3;
        L.periodic[a] = sc->face[2 * a] == EXO_FACE_PERIODIC;
    }
    L.write_position = (sc->output_fields & EXO_FIELD_POSITION) != 0;
    L.write_state = (sc->output_fields & EXO_FIELD_STATE) != 0;
    L.write_image = (sc->output_fields & EXO_FIELD_IMAGE) != 0;
    L.write_bonds = (sc->output_fields & EXO_FIELD_BONDS) != 0;
    L.compression = sc->output_compression;
    L.observable_names = s->obs_ptr;
    L.n_observables = s->n_obs;
    L.real_observable_names = s->obs_ptr + s->n_obs;
    L.n_real_observables = s->n_real_obs;
    const char *surface_names[EXO_MAX_SURFACES];
    for (uint32_t j = 0; j < sc->n_surfaces; j++)
        surface_names[j] = sc->surface[j].name;
    L.event_kinds = event_names;
    L.n_event_kinds = sc->output_events ? EXO_EVENT_KINDS : 0;
    L.surface_names = surface_names;
    L.n_surfaces = sc->n_surfaces;
    const char *cell_type_names[EXO_MAX_CELL_TYPES];
    double cell_density[EXO_MAX_CELL_TYPES] = {0};
    for (uint32_t t = 0; t < sc->n_cell_types; t++) {
        cell_type_names[t] = sc->cell_type[t].name;
        for (uint32_t k = 0; k < sc->n_pop; k++)
            if (sc->pop[k].vessel < 0 || sc->has_tissue)
                cell_density[t] = fmax(cell_density[t], exo_scenario_receptor_density(
                                                            sc, k, sc->cell_type[t].surface));
    }
    L.cell_type_names = cell_type_names;
    L.n_cell_types = sc->n_cell_types;
    L.cell_type_density = cell_density;
    L.region_names = region_names;
    L.n_regions = n_regions;
    L.region_density = density;
    L.population_first = pop_first;
    L.population_count = pop_count;
    const char *sweep_names[EXO_SWEEP_MAX_PARAMS];
    for (uint32_t j = 0; j < sw->n_params; j++)
        sweep_names[j] = exo_sweep_setting_name(sw->param[j].setting);
    L.population_combination = pop_combination;
    L.population_replicate = pop_replicate;
    L.sweep_settings = sweep_names;
    L.n_sweep_settings = sw->active ? sw->n_params : 0;
    L.sweep_values = sweep_values;
    const exo_sequence *seq = &sc->sequence;
    const char *seq_values[EXO_SEQUENCE_MAX_SETTINGS];
    const uint32_t seq_run = seq->run > 0 ? (uint32_t)seq->run : 0;
    for (uint32_t j = 0; j < seq->n_settings; j++)
        seq_values[j] = seq->value[j][exo_sequence_index(seq, seq_run, j)];
    L.sequence_settings = (const char *const *)seq->setting;
    L.n_sequence_settings = seq->n_settings;
    L.sequence_values = seq_values;
    L.sequence_run = seq_run;
    L.sequence_runs = seq->n_runs;
    L.cargo_amount = cargo;
    L.cargo_sd = cargo_sd;
    L.cargo_release_rate = release;
    L.scenario_text = sc->resolved_text;
    L.derived_text = derived;
    L.scenario_name = sc->name;
    char device[sizeof s->be->name + 48];
    snprintf(device, sizeof device, "%s", s->be->name);
    if (!s->one_process)
        snprintf(device, sizeof device, "%s (rank 0 of %d MPI ranks)", s->be->name,
                 exo_comm_size());
    L.device_name = device;
    L.seed = sc->seed;
    L.dt_s = sc->dt;
    const char *density_names[EXO_STATE_COUNT];
    if (s->density_n) {
        for (int st = 0; st < EXO_STATE_COUNT; st++)
            if (s->density.slot[st] >= 0)
                density_names[s->density.slot[st]] = exo_state_names[st];
        L.density_names = density_names;
        L.n_density = s->density_images;
        for (int a = 0; a < 3; a++) {
            L.density_bins[a] = sc->density_bins[a];
            L.density_lower_nm[a] = sc->density_lo[a] * 1e3;
            L.density_voxel_nm[a] =
                (sc->density_hi[a] - sc->density_lo[a]) / sc->density_bins[a] * 1e3;
        }
    }
    rc = resume ? exo_h5_reopen(&s->h5, &L, resume, err) : exo_h5_create(&s->h5, &L, err);
    /* An output that cannot be created at start is bad input (exit 2); a full disk mid-run is not. */
    if (rc == EXO_ERR_IO && err != NULL && err->status == EXO_ERR_IO)
        err->status = rc = EXO_ERR_INVALID;
    if (rc == EXO_OK) {
        s->frames = exo_h5_frames(s->h5);
        /* Room for two frames in flight (the backend's staging slots) and
         * the observable rows and events between them. */
        /* The ranks of an MPI run write on a thread too where MPI lets two
         * threads call it, else from the run loop (exo_writer.h). */
        rc = exo_writer_start(&s->writer, s->one_process || exo_comm_threads() ? 8 : 0, err);
    }
    if (rc == EXO_OK && (s->one_process || exo_comm_rank() == 0))
        rc = write_geometry(sc, path, err);
    if (!s->one_process)
        rc = exo_comm_agree(rc, err);
cleanup:
    if (mem)
        fclose(mem);
    free(derived);
    free(id);
    free(radius_nm);
    free(radius_all);
    free(population);
    free(pop_names);
    free(pop_first);
    free(pop_count);
    free(pop_combination);
    free(pop_replicate);
    free(sweep_values);
    free(cargo);
    free(cargo_sd);
    free(release);
    free(region_names);
    free(density);
    return rc;
}

/* ------------------------------------------------------------ checkpoints */

/* Everything after the header, in order, for writing (from s and v) and
 * reading (into them) alike: one list, so the two cannot drift apart.
 * What the run derives again from the scenario (step parameters, patch
 * receptors, names) is not in it; what it has accumulated is. */
static exo_status checkpoint_body(exo_sim *s, exo_ckpt *c, const exo_vesicle_arrays *v,
                                  exo_error *err)
{
    exo_status rc = EXO_OK;
    size_t n = s->be->n, np = s->n_patches, first = s->be->part_first, m = s->be->part_count;
#define FIELD(ptr, count, what) \
    EXO_TRY(exo_ckpt_field(c, (ptr), (size_t)(count) * sizeof *(ptr), (what), err))
    /* Per vesicle: this process's part of each block of n (all of it in
     * one process), so the file is the same however the run is split. */
#define PARTS(ptr, blocks, what)                                                      \
    for (size_t b_ = 0; b_ < (blocks); b_++)                                          \
        EXO_TRY(exo_ckpt_part(c, m ? (void *)((ptr) + b_ * m) : NULL, sizeof *(ptr), first, \
                              m, n, (what), err))
    PARTS(v->pos, 3, "positions");
    PARTS(v->image, 3, "image counts");
    PARTS(v->radius, 1, "radii");
    PARTS(v->state, 1, "states");
    PARTS(v->ligands, 1, "ligand counts");
    PARTS(v->bonds, 1, "bond counts");
#undef PARTS
    FIELD(s->arrived, s->sc->n_pop, "infusion counters");
    FIELD(s->dose, s->n_real_obs, "delivered doses");
    FIELD(s->event_totals, EXO_EVENT_KINDS, "event totals");
    if (np) {
        FIELD(s->patch_lost, np, "receptors taken in");
        FIELD(s->patch_taken_before, np, "receptors taken in");
        FIELD(s->patch_free, np, "free receptors");
        FIELD(s->formed_since, np, "bonds formed since the last update");
        FIELD(s->patch_avail, np, "receptor availabilities");
        FIELD(&s->last_update, 1, "the last receptor update");
        FIELD(&s->extra_updates, 1, "receptor update counts");
        FIELD(&s->held_steps, 1, "receptor update counts");
    }
#undef FIELD
cleanup:
    return rc;
}

static void checkpoint_header(const exo_sim *s, ckpt_header *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, "EXOBDCP", 8);
    h->version = EXO_CKPT_VERSION;
    h->endian = 0x01020304u;
    memcpy(h->scenario_sha, s->scenario_sha, sizeof s->scenario_sha);
    h->step = s->step;
    h->n = s->be->n;
    h->n_pop = s->sc->n_pop;
    h->n_patches = s->n_patches;
    h->n_obs = s->n_obs;
    h->n_real_obs = s->n_real_obs;
    h->real_bytes = (uint32_t)sizeof(exo_real);
    h->path_bytes = s->out_path ? (uint32_t)strlen(s->out_path) : 0;
    exo_h5_cursor_get(s->h5, &h->cursor);
}

/* Write the checkpoint for the current step: the output file is flushed
 * first, so it holds at least what the checkpoint says it does. */
static exo_status checkpoint_write(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_vesicle_arrays v;
    exo_ckpt *c = NULL;
    double t0 = now_s();
    memset(&v, 0, sizeof v);
    if (s->writer)
        EXO_TRY(exo_writer_drain(s->writer, err));
    if (s->h5)
        EXO_TRY(exo_h5_flush(s->h5, err));
    EXO_TRY(exo_vesicle_arrays_alloc(&v, s->be->part_count, err));
    EXO_TRY(s->be->ops->exchange(s->be, 0, &v, err));
    ckpt_header h;
    checkpoint_header(s, &h);
    EXO_TRY(exo_ckpt_create(&c, s->ckpt_path, !s->one_process, err));
    EXO_TRY(exo_ckpt_field(c, &h, sizeof h, "the header", err));
    EXO_TRY(exo_ckpt_field(c, s->out_path, h.path_bytes, "the output path", err));
    EXO_TRY(checkpoint_body(s, c, &v, err));
    exo_ckpt *done = c;
    c = NULL;
    EXO_TRY(exo_ckpt_finish(done, err));
    s->ckpt_wall = now_s();
    if (s->log)
        fprintf(s->log, "exobd: checkpoint at step %llu in %s (%.3f s)\n",
                (unsigned long long)s->step, s->ckpt_path, s->ckpt_wall - t0);
cleanup:
    exo_ckpt_abandon(c);
    exo_vesicle_arrays_free(&v);
    return rc;
}

/* Load checkpoint `path` into s (whose vesicles were just injected as at
 * step 0): vesicles, counters, receptors; *cursor and *out_path (malloc'd,
 * may be NULL) say what the output held. */
static exo_status checkpoint_read(exo_sim *s, const char *path, exo_h5_cursor *cursor,
                                  char **out_path, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_vesicle_arrays v;
    exo_ckpt *c = NULL;
    ckpt_header h, want;
    memset(&v, 0, sizeof v);
    *out_path = NULL;
    EXO_TRY(exo_ckpt_open(&c, path, !s->one_process, err));
    EXO_TRY(exo_ckpt_field(c, &h, sizeof h, "header", err));
    checkpoint_header(s, &want);
    EXO_CHECK(memcmp(h.magic, "EXOBDCP", 8) == 0 && h.version == EXO_CKPT_VERSION &&
                  h.endian == want.endian && h.real_bytes == want.real_bytes,
              err, EXO_ERR_INVALID,
              "%s is not a checkpoint this build of exobd reads (version %u)", path,
              h.version);
    EXO_CHECK(memcmp(h.scenario_sha, want.scenario_sha, sizeof h.scenario_sha) == 0, err,
              EXO_ERR_INVALID,
              "%s was written for another scenario: resume with the scenario file and "
              "--set/--seed values the run started with", path);
    EXO_CHECK(h.n == want.n && h.n_pop == want.n_pop && h.n_patches == want.n_patches &&
                  h.n_obs == want.n_obs && h.n_real_obs == want.n_real_obs &&
                  h.step <= s->sc->steps,
              err, EXO_ERR_INVALID, "%s does not match the run it is resumed in", path);
    if (h.path_bytes) {
        EXO_ALLOC(*out_path, (size_t)h.path_bytes + 1, err, "the output path");
        EXO_TRY(exo_ckpt_field(c, *out_path, h.path_bytes, "the output path", err));
    }
    EXO_TRY(exo_vesicle_arrays_alloc(&v, s->be->part_count, err));
    EXO_TRY(checkpoint_body(s, c, &v, err));
    exo_ckpt *done = c;
    c = NULL;
    EXO_TRY(exo_ckpt_finish(done, err));
    EXO_TRY(s->be->ops->exchange(s->be, 1, &v, err));
    if (s->n_patches)
        EXO_TRY(s->be->ops->write_availability(s->be, s->patch_avail, err));
    s->step = h.step;
    *cursor = h.cursor;
cleanup:
    exo_ckpt_abandon(c);
    exo_vesicle_arrays_free(&v);
    if (rc != EXO_OK) {
        free(*out_path);
        *out_path = NULL;
    }
    return rc;
}

/* The default checkpoint path: the output's, .ckpt for .h5. */
static char *default_checkpoint_path(const char *out)
{
    size_t len = strlen(out);
    size_t stem = len >= 3 && strcmp(out + len - 3, ".h5") == 0 ? len - 3 : len;
    char *p = malloc(stem + sizeof ".ckpt");
    if (p) {
        memcpy(p, out, stem);
        memcpy(p + stem, ".ckpt", sizeof ".ckpt");
    }
    return p;
}

/* Device bytes a run needs besides the vesicle arrays: the event buffer,
 * cells and their grid, receptor patches and a launch's bonds-formed
 * counters, and with output the staging of two frames and the density
 * counts (estimates on the large side). */
static uint64_t device_reserve(const exo_scenario *sc, const exo_run_options *opt,
                               uint32_t k)
{
    uint64_t n = sc->n_vesicles, bytes = 1u << 20; /* small buffers, slack */
    if (sc->output_events)
        bytes += (uint64_t)(opt->event_capacity ? opt->event_capacity : 4096 + n / 16) *
                 sizeof(exo_event);
    bytes += (uint64_t)sc->n_cells * 64;
    exo_patch_info *patch = NULL;
    uint64_t patches = exo_scenario_patches(sc, &patch);
    free(patch);
    bytes += patches * (12 + 4 * (uint64_t)k);
    int output = !(opt->output_path && opt->output_path[0] == '\0') &&
                 (opt->output_path || opt->resume_path || sc->output_file[0] != '\0');
    if (!output)
        return bytes;
    bytes += (uint64_t)sc->output_sample * 26 * 2; /* two frames in flight */
    uint64_t voxels = 1;
    for (int a = 0; a < 3; a++)
        voxels *= sc->density_bins[a] ? sc->density_bins[a] : 1;
    if (sc->density_every > 0)
        bytes += voxels * EXO_STATE_COUNT * 4;
    return bytes;
}

/* The backend that steps vesicles first .. first + count - 1 of the run
 * (all of them in one process): the C reference, or an OpenCL device, in
 * batches when they do not fit it.  `spec` is this process's device. */
static exo_status create_device(exo_backend **out, const exo_scenario *sc,
                                const exo_run_options *opt, const char *spec, uint32_t k,
                                uint32_t first, uint32_t count, FILE *log, exo_error *err)
{
    exo_status rc = EXO_OK;
    uint32_t *pop_first = NULL, id0 = sc->id0 + first;
    *out = NULL;
    if (spec && strcmp(spec, "cpu-reference") == 0)
        return exo_ref_create(out, count, id0, err);
    exo_cl_options co;
    memset(&co, 0, sizeof co);
    co.device = spec;
    co.default_gpu = (unsigned)exo_comm_node_rank();
    co.cache_dir = opt->cache_dir;
    co.work_group_size = opt->work_group_size;
    co.vector_width = opt->vector_width;
    co.native_math = opt->native_math;
    co.log = log;
    co.memory_limit = opt->device_memory;
    co.reserve_bytes = device_reserve(sc, opt, k);
    co.allow_batches = 1;
    EXO_TRY(exo_cl_create(out, &co, count, id0, err));
    if ((*out)->n < count) {
        uint32_t held = (*out)->n;
        EXO_CHECK(held >= EXO_BATCH_MIN, err, EXO_ERR_INVALID,
                  "%s leaves room for %u vesicles after the %.3g MiB the run's other "
                  "buffers (events, cells, receptor patches, frames) take; running "
                  "%u vesicles in batches needs room for at least %u: allow more "
                  "device memory",
                  opt->device_memory ? "--device-memory" : "the device's memory", held,
                  co.reserve_bytes / 1048576.0, count, EXO_BATCH_MIN);
        /* The populations' starts within the range: a range starts a
         * multiple of 64 vesicles into its population (exo_part_plan), so
         * batches keep their alignment to the population's start. */
        uint32_t n_pop = 0;
        EXO_ALLOC(pop_first, sc->n_pop ? sc->n_pop : 1, err, "population starts");
        for (uint32_t j = 0; j < sc->n_pop; j++) {
            uint32_t a = sc->pop[j].first, z = a + sc->pop[j].count;
            if (z > first && a < first + count)
                pop_first[n_pop++] = a > first ? a - first : 0;
        }
        rc = exo_batch_create(out, *out, count, id0, pop_first, n_pop, err);
        if (rc != EXO_OK) {
            *out = NULL; /* exo_batch_create destroyed the device backend */
            goto cleanup;
        }
        if (log)
            fprintf(log, "exobd: %u vesicles do not fit the device%s: %u batches of "
                    "at most %u, paged through it each launch\n", count,
                    opt->device_memory ? " memory given by --device-memory" : "",
                    exo_batch_count(*out), held);
    }
cleanup:
    free(pop_first);
    if (rc != EXO_OK) {
        exo_backend_destroy(*out, NULL);
        *out = NULL;
    }
    return rc;
}

/* What stepped the vesicles of each rank (rank 0 prints it). */
static exo_status log_ranks(const exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    int size = exo_comm_size();
    uint64_t *bytes = NULL, *first = NULL, *count = NULL;
    char *names = NULL;
    const size_t width = sizeof s->be->name;
    EXO_ALLOC(bytes, size, err, "the ranks' devices");
    EXO_ALLOC(first, size, err, "the ranks' devices");
    EXO_ALLOC(count, size, err, "the ranks' devices");
    EXO_ALLOC(names, (size_t)size * width, err, "the ranks' devices");
    for (int r = 0; r < size; r++)
        bytes[r] = width;
    EXO_TRY(exo_comm_allgatherv(s->be->name, width, names, bytes, err));
    EXO_TRY(exo_comm_allgather_u64(s->be->part_first, first, err));
    EXO_TRY(exo_comm_allgather_u64(s->be->part_count, count, err));
    if (s->log) {
        fprintf(s->log, "exobd: %u vesicles over %d MPI ranks, %u steps per launch\n",
                s->be->n, size, s->k);
        for (int r = 0; r < size; r++)
            fprintf(s->log, "exobd: rank %d: vesicles %llu..%llu (%llu) on %.*s\n", r,
                    (unsigned long long)first[r],
                    (unsigned long long)(first[r] + count[r]) - (count[r] > 0),
                    (unsigned long long)count[r], (int)width, names + (size_t)r * width);
    }
cleanup:
    free(bytes);
    free(first);
    free(count);
    free(names);
    return rc;
}

/* s->be: the device (or C reference) for the whole run; under MPI with
 * several ranks, this rank's part of it (exo_part).  Every rank uses rank
 * 0's steps per launch, since launch rounds are where the ranks meet.  A
 * rank whose device fails stops every rank with its message. */
static exo_status create_backend(exo_sim *s, const exo_run_options *opt, exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_scenario *sc = s->sc;
    uint32_t n = (uint32_t)sc->n_vesicles, *bound = NULL, *pop_first = NULL;
    exo_backend *local = NULL;
    char spec[512];
    const char *mine = exo_comm_pick(opt->device, spec, sizeof spec);
    uint32_t ranks = s->one_process ? 1u : (uint32_t)exo_comm_size();
    if (ranks == 1) {
        EXO_TRY(create_device(&s->be, sc, opt, mine, s->k, 0, n, s->log, err));
        if (s->log)
            fprintf(s->log, "exobd: device %s\n", s->be->name);
        return EXO_OK;
    }
    uint32_t rank = (uint32_t)exo_comm_rank();
    EXO_TRY(exo_comm_bcast(&s->k, sizeof s->k, 0, err));
    EXO_ALLOC(bound, (size_t)ranks + 1, err, "the ranks' parts");
    EXO_ALLOC(pop_first, sc->n_pop ? sc->n_pop : 1, err, "population starts");
    for (uint32_t k = 0; k < sc->n_pop; k++)
        pop_first[k] = sc->pop[k].first;
    exo_part_plan(n, ranks, pop_first, sc->n_pop, bound);
    uint32_t first = bound[rank], count = bound[rank + 1] - bound[rank];
    exo_status made = count ? create_device(&local, sc, opt, mine, s->k, first, count, NULL,
                                            err)
                            : EXO_OK;
    rc = exo_comm_agree(made, err);
    if (rc != EXO_OK)
        goto cleanup;
    rc = exo_part_create(&s->be, local, n, sc->id0, first, count, err);
    local = NULL; /* owned by the part (or destroyed on failure) */
    EXO_TRY(exo_comm_agree(rc, err));
    EXO_TRY(log_ranks(s, err));
cleanup:
    exo_backend_destroy(local, NULL);
    free(bound);
    free(pop_first);
    return rc;
}

exo_status exo_sim_create(exo_sim **out, const exo_scenario *sc,
                          const exo_run_options *opt, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_sim *s = NULL;
    exo_run_options none;
    if (opt == NULL) {
        memset(&none, 0, sizeof none);
        opt = &none;
    }
    EXO_ALLOC(s, 1, err, "the simulation");
    s->sc = sc;
    s->k = opt->steps_per_launch ? opt->steps_per_launch : EXO_DEFAULT_STEPS_PER_LAUNCH;
    s->progress = opt->progress;
    s->progress_user = opt->progress_user;
    s->log = opt->log;
    uint32_t n = (uint32_t)sc->n_vesicles;
    s->one_process = opt->one_process || exo_comm_size() == 1;
    EXO_TRY(create_backend(s, opt, err));
    EXO_ALLOC(s->p, sc->n_pop, err, "step parameters");
    EXO_ALLOC(s->slots, sc->n_pop, err, "surface slot tables");
    for (uint32_t k = 0; k < sc->n_pop; k++)
        exo_scenario_step_params(sc, k, &s->p[k], &s->slots[k]);
    if (sc->n_cells) {
        /* Cells: the grid lists every cell a step can reach (exo_tissue). */
        EXO_TRY(exo_tissue_grid_for_run(sc, &s->cells, err));
        EXO_TRY(s->be->ops->set_cells(s->be, &s->cells.lists, err));
        for (uint32_t k = 0; k < sc->n_pop; k++)
            if (s->p[k].domain == EXO_DOMAIN_BOX || s->p[k].tissue_side)
                s->p[k].cells = s->cells.grid;
    }
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        exo_init_params ip;
        exo_scenario_init_params(sc, k, &ip);
        if (!ip.lumen)
            ip.cells = s->cells.grid;
        EXO_TRY(s->be->ops->init_population(s->be, &ip, err));
    }
    EXO_TRY(name_observables(s, err));
    EXO_ALLOC(s->arrived, sc->n_pop, err, "infusion counters");
    s->n_patches = exo_scenario_patches(sc, &s->patch);
    EXO_CHECK(s->n_patches == 0 || s->patch != NULL, err, EXO_ERR_NOMEM,
              "out of host memory for the receptor patches");
    if (s->n_patches) {
        EXO_ALLOC(s->patch_bound, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->patch_taken, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->patch_taken_before, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->patch_lost, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->patch_avail, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->patch_free, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->formed_since, s->n_patches, err, "receptor patches");
        EXO_ALLOC(s->arrived_saved, sc->n_pop, err, "infusion counters");
        for (uint32_t k = 0; k < sc->n_pop; k++)
            s->depleting |= s->p[k].depletion != 0;
        EXO_TRY(s->be->ops->set_patches(s->be, s->n_patches, err));
        EXO_TRY(update_receptors(s, err)); /* patches without receptors */
    }
    if (sc->output_events) {
        /* Room for a launch's events; a launch with more runs again with
         * more (launch_recording). */
        s->event_cap = opt->event_capacity ? opt->event_capacity : 4096 + n / 16;
        EXO_ALLOC(s->events, s->event_cap, err, "the event buffer");
        EXO_TRY(s->be->ops->set_event_capacity(s->be, s->event_cap, err));
    }

    /* The scenario as resolved names the run a checkpoint belongs to. */
    exo_sha256 sha;
    exo_sha256_init(&sha);
    exo_sha256_update(&sha, sc->resolved_text, strlen(sc->resolved_text));
    exo_sha256_hex(&sha, s->scenario_sha);
    exo_h5_cursor resume_at;
    char *resume_out = NULL;
    if (opt->resume_path) {
        rc = checkpoint_read(s, opt->resume_path, &resume_at, &resume_out, err);
        EXO_TRY(s->one_process ? rc : exo_comm_agree(rc, err));
        if (s->log)
            fprintf(s->log, "exobd: resuming at step %llu of %llu from %s\n",
                    (unsigned long long)s->step, (unsigned long long)sc->steps,
                    opt->resume_path);
    }
    const char *path = opt->output_path ? opt->output_path
                       : resume_out     ? resume_out
                                        : sc->output_file;
    if (path[0] != '\0' && sc->density_every > 0) {
        /* Density images: which states, the grid, one count per voxel each. */
        for (int st = 0; st < EXO_STATE_COUNT; st++)
            s->density.slot[st] = (sc->density_states >> st) & 1 ? (int32_t)s->density_images++
                                                                   : -1;
        uint32_t voxels = 1;
        for (int a = 0; a < 3; a++) {
            s->density.bins[a] = (int32_t)sc->density_bins[a];
            s->density.lo[a] = (exo_real)sc->density_lo[a];
            s->density.inv_voxel[a] =
                (exo_real)(sc->density_bins[a] / (sc->density_hi[a] - sc->density_lo[a]));
            voxels *= sc->density_bins[a];
        }
        s->density_n = voxels * s->density_images;
        EXO_ALLOC(s->density_counts, s->density_n, err, "a density image");
    }
    if (path[0] != '\0') {
        s->out_path = malloc(strlen(path) + 1);
        EXO_CHECK(s->out_path != NULL, err, EXO_ERR_NOMEM, "out of host memory");
        strcpy(s->out_path, path);
        free(resume_out);
        resume_out = NULL;
        EXO_TRY(open_output(s, s->out_path, opt->resume_path ? &resume_at : NULL, err));
    }
    free(resume_out);
    if (opt->checkpoint_path || s->out_path) {
        s->ckpt_path = opt->checkpoint_path ? malloc(strlen(opt->checkpoint_path) + 1)
                                            : default_checkpoint_path(s->out_path);
        EXO_CHECK(s->ckpt_path != NULL, err, EXO_ERR_NOMEM, "out of host memory");
        if (opt->checkpoint_path)
            strcpy(s->ckpt_path, opt->checkpoint_path);
    }
    s->ckpt_every_s = opt->checkpoint_every_s == 0 ? 1800 : opt->checkpoint_every_s;
    s->ckpt_every_steps = opt->checkpoint_every_steps;
    s->ckpt_wall = now_s();
    s->stop_request = opt->stop_request;
    *out = s;
    return EXO_OK;
cleanup:
    exo_sim_destroy(s, NULL);
    return rc;
}

/* Jobs for the writer thread (exo_writer): each owns what it writes. */

typedef struct frame_job {
    exo_h5 *h5;
    exo_backend *be;
    void *pending;             /* the device's copy into the arrays below   */
    int64_t step;
    double time;
    float *pos;                /* [3 n] nm                                  */
    int32_t *image;            /* [3 n]                                     */
    int8_t *state;             /* [n]                                       */
    uint8_t *bonds;            /* [n]                                       */
    uint32_t *density;         /* [density_n] or NULL: no image this frame  */
} frame_job;

static exo_status frame_write(void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    frame_job *j = data;
    void *pending = j->pending;
    j->pending = NULL;
    EXO_TRY(j->be->ops->frame_end(j->be, pending, err));
    EXO_TRY(exo_h5_write_frame(j->h5, j->step, j->time, j->pos, j->image, j->state,
                               j->bonds, err));
    if (j->density)
        EXO_TRY(exo_h5_write_density(j->h5, j->step, j->time, j->density, err));
cleanup:
    return rc;
}

static void frame_release(void *data)
{
    frame_job *j = data;
    if (j->pending) /* not run: the copy must end before its arrays go */
        j->be->ops->frame_end(j->be, j->pending, NULL);
    free(j->pos);
    free(j->image);
    free(j->state);
    free(j->bonds);
    free(j->density);
    free(j);
}

/* Pack a frame on the device and hand it to the writer: the copy to the
 * host and the write both go on while the next launches run. */
static exo_status write_frame(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    frame_job *j = NULL;
    EXO_ALLOC(j, 1, err, "a frame");
    j->h5 = s->h5;
    j->be = s->be;
    j->step = (int64_t)s->step;
    j->time = (double)s->step * s->sc->dt;
    EXO_ALLOC(j->pos, 3 * (size_t)s->rows.count, err, "a frame");
    EXO_ALLOC(j->image, 3 * (size_t)s->rows.count, err, "a frame");
    EXO_ALLOC(j->state, s->rows.count, err, "a frame");
    EXO_ALLOC(j->bonds, s->rows.count, err, "a frame");
    EXO_TRY(s->be->ops->frame_begin(s->be, &s->rows, j->pos, j->image, j->state, j->bonds,
                                    &j->pending, err));
    if (s->density_n && s->frames % s->sc->density_every == 0) {
        EXO_ALLOC(j->density, s->density_n, err, "a density image");
        EXO_TRY(s->be->ops->density(s->be, &s->density, s->density_n, j->density, err));
    }
    s->frames++;
    frame_job *queued = j;
    j = NULL;
    EXO_TRY(exo_writer_submit(s->writer, frame_write, queued, frame_release, err));
cleanup:
    if (j)
        frame_release(j);
    return rc;
}

typedef struct observables_job {
    exo_h5 *h5;
    int64_t step;
    double time;
    int64_t *values;           /* [n_obs] counts                            */
    double *dose;              /* [n_real_obs] or NULL                      */
} observables_job;

static exo_status observables_write(void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    observables_job *j = data;
    EXO_TRY(exo_h5_write_observables(j->h5, j->step, j->time, j->values, err));
    if (j->dose)
        EXO_TRY(exo_h5_write_real_observables(j->h5, j->step, j->time, j->dose, err));
cleanup:
    return rc;
}

static void observables_release(void *data)
{
    observables_job *j = data;
    free(j->values);
    free(j->dose);
    free(j);
}

static exo_status write_observables(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    observables_job *j = NULL;
    EXO_ALLOC(j, 1, err, "observables");
    j->h5 = s->h5;
    j->step = (int64_t)s->step;
    j->time = (double)s->step * s->sc->dt;
    EXO_ALLOC(j->values, s->n_obs, err, "observables");
    EXO_TRY(count_observables(s, j->values, err));
    if (s->n_real_obs) {
        EXO_ALLOC(j->dose, s->n_real_obs, err, "observables");
        memcpy(j->dose, s->dose, s->n_real_obs * sizeof *s->dose);
    }
    observables_job *queued = j;
    j = NULL;
    EXO_TRY(exo_writer_submit(s->writer, observables_write, queued, observables_release, err));
cleanup:
    if (j)
        observables_release(j);
    return rc;
}

/* Arrivals of population k's infusion during global step `step`: Poisson
 * with mean rate dt, drawn from the Philox counter (g, step,
 * EXO_RNG_INFUSION) under the run's seed, where g is the global id of the
 * population's first vesicle.  So the schedule depends only on (seed, the
 * population's ids, step), never on how steps are batched, and a sweep's
 * combination run alone (`only`, same ids) gets its arrivals in the sweep.
 * Inversion for means up to 30; above, the normal approximation, rounded. */
static uint32_t infusion_arrivals(const exo_scenario *sc, uint32_t k, uint64_t step)
{
    exo_u32x4 w = exo_rng_draw(sc->id0 + sc->pop[k].first, step, EXO_RNG_INFUSION,
                               (uint32_t)sc->seed, (uint32_t)(sc->seed >> 32));
    double m = sc->pop[k].infusion_rate * sc->dt;
    /* 53-bit uniform in (0, 1). */
    double u = ((double)(w.v[0] >> 5) * 67108864.0 + (double)(w.v[1] >> 6) + 0.5) /
               9007199254740992.0;
    if (m <= 30) {
        double p = exp(-m), cdf = p;
        uint32_t n = 0;
        while (u > cdf && n < 1000) {
            n++;
            p *= m / n;
            cdf += p;
        }
        return n;
    }
    double u2 = ((double)w.v[2] + 0.5) / 4294967296.0, u3 = ((double)w.v[3] + 0.5) / 4294967296.0;
    double x = floor(m + sqrt(m) * sqrt(-2 * log(u2)) * cos(2 * M_PI * u3) + 0.5);
    return x < 0 ? 0 : (uint32_t)x;
}

/* The cumulative arrivals of population k before each step of the next
 * launch (sched[0..nsteps]), capped at its slots. */
static exo_status schedule_arrivals(exo_sim *s, uint32_t k, uint32_t nsteps,
                                    exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_GROW(s->sched, s->sched_cap, (size_t)nsteps + 1, err, "the arrival schedule");
    uint64_t total = s->arrived[k], slots = s->sc->pop[k].count;
    s->sched[0] = (uint32_t)total;
    for (uint32_t j = 0; j < nsteps; j++) {
        total += infusion_arrivals(s->sc, k, s->step + j);
        if (total > slots)
            total = slots;
        s->sched[j + 1] = (uint32_t)total;
    }
cleanup:
    return rc;
}

/* The first step after s that must end a launch. */
static uint64_t next_stop(const exo_sim *s, uint64_t step, uint64_t last)
{
    const exo_scenario *sc = s->sc;
    uint64_t stop = step + s->k < last ? step + s->k : last;
    if (s->n_patches) {
        /* Receptor updates fall on fixed steps, so the launch length
         * (steps per launch) never changes a result. */
        uint64_t u = (step / sc->receptor_update_every + 1) * sc->receptor_update_every;
        stop = u < stop ? u : stop;
    }
    if (s->h5) {
        if (sc->output_every) {
            uint64_t f = (step / sc->output_every + 1) * sc->output_every;
            stop = f < stop ? f : stop;
        }
        if (sc->observables_every) {
            uint64_t o = (step / sc->observables_every + 1) * sc->observables_every;
            stop = o < stop ? o : stop;
        }
    }
    return stop;
}

/* One population's launch, recording its events: run from a saved state,
 * and if the events overflowed the buffer, give it the room they need and
 * run again from that state (the counter-based RNG makes the rerun the
 * same run), so no event is lost and nothing is silent. */
static exo_status launch_recording(exo_sim *s, uint32_t k, uint32_t nsteps,
                                   const uint32_t *sched, exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_population *pop = &s->sc->pop[k];
    uint32_t n = 0;
    if (!s->depleting) /* else the round saved every population (advance_round) */
        EXO_TRY(s->be->ops->save(s->be, pop->first, pop->count, err));
    for (;;) {
        EXO_TRY(s->be->ops->advance(s->be, &s->p[k], &s->slots[k], s->step, nsteps, pop->first, pop->count,
                                    sched, err));
        EXO_TRY(s->be->ops->take_events(s->be, s->events, &n, err));
        if (n <= s->event_cap)
            break;
        uint32_t cap = s->event_cap;
        while (cap < n)
            cap = cap > UINT32_MAX / 2 ? UINT32_MAX : 2 * cap + 1;
        if (s->log)
            fprintf(s->log, "exobd: %u events in steps %llu..%llu overflowed room for %u; "
                            "running them again with room for %u\n", n,
                    (unsigned long long)s->step, (unsigned long long)(s->step + nsteps),
                    s->event_cap, cap);
        free(s->events);
        s->events = NULL;
        s->event_cap = 0;
        EXO_ALLOC(s->events, cap, err, "the event buffer");
        s->event_cap = cap;
        EXO_TRY(s->be->ops->set_event_capacity(s->be, cap, err));
        EXO_TRY(s->be->ops->restore(s->be, pop->first, pop->count, err));
    }
    if (s->n_round + n > s->round_cap) {
        size_t cap = 2 * (s->n_round + n);
        exo_event *grown = realloc(s->round, cap * sizeof *grown);
        EXO_CHECK(grown != NULL, err, EXO_ERR_NOMEM, "out of host memory for %zu events",
                  cap);
        s->round = grown;
        s->round_cap = cap;
    }
    if (n > 0) /* s->round may still be NULL */
        memcpy(s->round + s->n_round, s->events, n * sizeof *s->events);
    s->n_round += n;
cleanup:
    return rc;
}

/* Events sort by kind, then step, then vesicle id (DESIGN.md section 3). */
static int event_order(const void *a, const void *b)
{
    const exo_event *x = a, *y = b;
    uint64_t sx = ((uint64_t)x->step_hi << 32) | x->step_lo;
    uint64_t sy = ((uint64_t)y->step_hi << 32) | y->step_lo;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return x->id < y->id ? -1 : (x->id > y->id);
}

/* The index (over all vessels' regions, in order) of the region where
 * event e of population k happened, or -1. */
static int32_t event_region(const exo_scenario *sc, const exo_step_params *p, uint32_t k,
                            const exo_event *e)
{
    int vi = sc->pop[k].vessel;
    if (vi < 0)
        return -1;
    /* By the axial position alone: a crossing may be on either side. */
    exo_real x[3] = {e->x[0], e->x[1], e->x[2]}, sv, y, z;
    EXO_TO_VESSEL(p->v_origin, p->v_frame, x, sv, y, z);
    (void)y;
    (void)z;
    int place = exo_region_at(p, sv);
    if (place >= (int)sc->vessel[vi].n_regions)
        return -1;
    int32_t at = 0;
    for (int v = 0; v < vi; v++)
        at += (int32_t)sc->vessel[v].n_regions;
    return at + place;
}

/* The cargo an internalization event delivers, amount exp(-release t), to
 * the dose observables: in all, in its region (on a vessel wall) or its
 * cell type (on a cell: <type>_cells_dose, the last ones), and for its
 * population. */
static void add_dose(exo_sim *s, const exo_event *e)
{
    const exo_scenario *sc = s->sc;
    uint32_t k = 0;
    while (k + 1 < sc->n_pop && e->id >= s->be->id0 + sc->pop[k + 1].first)
        k++;
    double t = (double)(((uint64_t)e->step_hi << 32) | e->step_lo) * sc->dt;
    double d = exo_cargo_loading(sc->seed, e->id, sc->pop[k].cargo_amount, sc->pop[k].cargo_sd) *
               exp(-sc->pop[k].cargo_release_rate * t);
    int32_t g = event_region(sc, &s->p[k], k, e);
    if (e->slot >= EXO_SLOT_CELL && e->slot < EXO_SLOTS) {
        uint32_t at = s->n_real_obs;
        for (uint32_t q = (uint32_t)(e->slot - EXO_SLOT_CELL); q < sc->n_cell_types; q++)
            at -= (uint32_t)cell_holds(sc, q);
        s->dose[at] += d;
        g = -1; /* on a cell: not the region's wall it lies beside */
    }
    s->dose[0] += d;
    if (g >= 0)
        s->dose[1 + g] += d;
    if (sc->n_pop > 1) {
        uint32_t at = 1 + region_offset(sc, (int)sc->n_vessels);
        for (uint32_t j = 0; j < k; j++)
            at += 1 + (sc->pop[j].vessel >= 0 ? sc->vessel[sc->pop[j].vessel].n_regions : 0);
        s->dose[at] += d;
        if (g >= 0)
            s->dose[at + 1 + (uint32_t)g - region_offset(sc, sc->pop[k].vessel)] += d;
    }
}

/* The receptor patch of event e of population k (on its slot), or -1. */
static int32_t event_patch(const exo_sim *s, uint32_t k, const exo_event *e)
{
    const exo_step_params *p = &s->p[k];
    const exo_slot_table *t = &s->slots[k];
    if (!p->depletion || e->slot < 0 || e->slot >= EXO_SLOTS)
        return -1;
    if (e->slot >= EXO_SLOT_CELL)
        return t->patch_base[e->slot] >= 0 && e->cell >= 0 ? t->patch_base[e->slot] + e->cell
                                                           : -1;
    exo_real x[3] = {e->x[0], e->x[1], e->x[2]}, sv = 0, y = 0, z = 0;
    if (p->domain == EXO_DOMAIN_VESSEL)
        EXO_TO_VESSEL(p->v_origin, p->v_frame, x, sv, y, z);
    return exo_patch(t, sv, y, z, e->slot);
}

/* One launch's events, sorted, as /events columns; kind[i] groups them. */
typedef struct events_job {
    exo_h5 *h5;
    size_t n;
    uint32_t *kind;
    int64_t *step, *id;
    double *time;
    float *pos;
    int32_t *surface, *region, *patch, *bonds, *cell, *cell_type;
    int8_t *route;
} events_job;

static exo_status events_write(void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    events_job *j = data;
    for (size_t i = 0; i < j->n;) {
        size_t k = i;
        while (k < j->n && j->kind[k] == j->kind[i])
            k++;
        EXO_TRY(exo_h5_write_events(j->h5, j->kind[i], k - i, j->step + i, j->time + i,
                                    j->id + i, j->pos + 3 * i, j->surface + i, j->region + i,
                                    j->patch + i, j->bonds + i, j->route + i, j->cell + i,
                                    j->cell_type + i, err));
        i = k;
    }
cleanup:
    return rc;
}

static void events_release(void *data)
{
    events_job *j = data;
    free(j->kind);
    free(j->step);
    free(j->id);
    free(j->time);
    free(j->pos);
    free(j->surface);
    free(j->region);
    free(j->patch);
    free(j->bonds);
    free(j->route);
    free(j->cell);
    free(j->cell_type);
    free(j);
}

/* Sort one launch's events, count them (totals, delivered dose) and hand
 * them to the writer for /events, by kind. */
static exo_status write_events(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    events_job *j = NULL;
    size_t n = s->n_round;
    if (n == 0)
        return EXO_OK;
    qsort(s->round, n, sizeof *s->round, event_order);
    for (size_t i = 0; i < n; i++) {
        const exo_event *e = &s->round[i];
        s->event_totals[e->kind]++;
        if (e->kind == EXO_EVENT_INTERNALIZATION && s->n_real_obs)
            add_dose(s, e);
    }
    if (s->h5 == NULL)
        goto cleanup;
    EXO_ALLOC(j, 1, err, "events");
    j->h5 = s->h5;
    j->n = n;
    EXO_ALLOC(j->kind, n, err, "events");
    EXO_ALLOC(j->step, n, err, "events");
    EXO_ALLOC(j->id, n, err, "events");
    EXO_ALLOC(j->time, n, err, "events");
    EXO_ALLOC(j->pos, 3 * n, err, "events");
    EXO_ALLOC(j->surface, n, err, "events");
    EXO_ALLOC(j->region, n, err, "events");
    EXO_ALLOC(j->patch, n, err, "events");
    EXO_ALLOC(j->bonds, n, err, "events");
    EXO_ALLOC(j->route, n, err, "events");
    EXO_ALLOC(j->cell, n, err, "events");
    EXO_ALLOC(j->cell_type, n, err, "events");
    for (size_t i = 0; i < n; i++) {
        const exo_event *e = &s->round[i];
        j->kind[i] = (uint32_t)e->kind;
        j->step[i] = (int64_t)(((uint64_t)e->step_hi << 32) | e->step_lo);
        j->time[i] = (double)j->step[i] * s->sc->dt;
        j->id[i] = e->id;
        for (int a = 0; a < 3; a++)
            j->pos[3 * i + a] = (float)(e->x[a] * 1000.0);
        /* the population whose id range holds the vesicle */
        uint32_t k = 0;
        while (k + 1 < s->sc->n_pop && e->id >= s->be->id0 + s->sc->pop[k + 1].first)
            k++;
        j->surface[i] = exo_scenario_slot_surface(s->sc, k, e->slot);
        j->region[i] = event_region(s->sc, &s->p[k], k, e);
        j->patch[i] = event_patch(s, k, e);
        j->bonds[i] = e->bonds;
        j->route[i] = (int8_t)e->route;
        int on_cell = e->slot >= EXO_SLOT_CELL && e->slot < EXO_SLOTS;
        j->cell[i] = e->cell; /* -1 off cells, as the kernel wrote it */
        j->cell_type[i] = on_cell ? e->slot - EXO_SLOT_CELL : -1;
    }
    events_job *queued = j;
    j = NULL;
    EXO_TRY(exo_writer_submit(s->writer, events_write, queued, events_release, err));
cleanup:
    s->n_round = 0;
    if (j)
        events_release(j);
    return rc;
}

/* Receptor depletion (DESIGN.md section 3): count the bonds per patch on
 * the device (integer sums), let the receptors taken in by
 * internalization since the last update join those not yet recovered, and
 * give the launches that follow the receptors left free, a whole number
 * floor(receptors - bound - taken), as the fraction they read.  Runs every
 * receptor_update_every steps, and between when bonds would outnumber the
 * free receptors (advance_round). */
static exo_status update_receptors(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_scenario *sc = s->sc;
    uint32_t n = s->n_patches;
    memset(s->patch_bound, 0, n * sizeof *s->patch_bound);
    memset(s->patch_taken, 0, n * sizeof *s->patch_taken);
    for (uint32_t k = 0; k < sc->n_pop; k++)
        if (s->p[k].depletion)
            EXO_TRY(s->be->ops->count_patches(s->be, &s->p[k], &s->slots[k], sc->pop[k].first,
                                              sc->pop[k].count, s->patch_bound,
                                              s->patch_taken, err));
    double dt = (double)(s->step - s->last_update) * sc->dt;
    for (uint32_t j = 0; j < n; j++) {
        s->patch_lost[j] = s->patch_lost[j] * exp(-s->patch[j].recovery_rate * dt) +
                           (double)(s->patch_taken[j] - s->patch_taken_before[j]);
        s->patch_taken_before[j] = s->patch_taken[j];
        double left = (double)s->patch[j].receptors - (double)s->patch_bound[j] -
                      s->patch_lost[j];
        s->patch_free[j] = left > 0 ? (uint64_t)floor(left) : 0;
        s->patch_avail[j] = s->patch[j].receptors
                                ? (float)((double)s->patch_free[j] /
                                          (double)s->patch[j].receptors)
                                : 0.0f;
        s->formed_since[j] = 0;
    }
    s->last_update = s->step;
    EXO_TRY(s->be->ops->write_availability(s->be, s->patch_avail, err));
cleanup:
    return rc;
}

/* Run every population nsteps steps from s->step, one launch each,
 * collecting their events in s->round and, where receptors deplete, the
 * bonds formed per step and patch in s->formed.  Leaves s->step as it is. */
static exo_status run_round(exo_sim *s, uint32_t nsteps, exo_error *err)
{
    exo_status rc = EXO_OK;
    size_t cells = (size_t)nsteps * s->n_patches;
    if (s->depleting) {
        EXO_GROW(s->formed, s->formed_cap, cells, err, "the bonds-formed counters");
        memset(s->formed, 0, cells * sizeof *s->formed);
    }
    for (uint32_t k = 0; k < s->sc->n_pop; k++) {
        const exo_population *pop = &s->sc->pop[k];
        const uint32_t *sched = NULL;
        if (pop->infusion_rate > 0) {
            EXO_TRY(schedule_arrivals(s, k, nsteps, err));
            sched = s->sched;
        }
        if (s->sc->output_events)
            EXO_TRY(launch_recording(s, k, nsteps, sched, err));
        else
            EXO_TRY(s->be->ops->advance(s->be, &s->p[k], &s->slots[k], s->step, nsteps, pop->first,
                                        pop->count, sched, err));
        if (sched)
            s->arrived[k] = s->sched[nsteps];
        if (s->p[k].depletion)
            EXO_TRY(s->be->ops->add_formed(s->be, nsteps, s->formed, err));
    }
cleanup:
    return rc;
}

/* The first step k (0..nsteps-1) of the round just run at whose end the
 * bonds formed in some patch since the last update outnumber the
 * receptors that were free then; nsteps if there is none. */
static uint32_t first_overshoot(const exo_sim *s, uint32_t nsteps)
{
    uint32_t first = nsteps;
    for (uint32_t j = 0; j < s->n_patches; j++) {
        uint64_t formed = s->formed_since[j];
        for (uint32_t k = 0; k < first; k++) {
            formed += s->formed[(size_t)k * s->n_patches + j];
            if (formed > s->patch_free[j]) {
                first = k;
                break;
            }
        }
    }
    return first;
}

/* Count the bonds formed in the first nsteps steps of the round just run
 * against the receptors free since the last update. */
static void keep_formed(exo_sim *s, uint32_t nsteps)
{
    for (uint32_t k = 0; k < nsteps; k++)
        for (uint32_t j = 0; j < s->n_patches; j++)
            s->formed_since[j] += s->formed[(size_t)k * s->n_patches + j];
}

/* Advance every population nsteps steps (nothing to write falls inside).
 *
 * Where receptors deplete, a launch reads the receptors free at the last
 * update, so bonds formed since could outnumber them.  Each round is run
 * from a saved state and the bonds it formed are counted per step and
 * patch; at the first step where they would outnumber the free receptors,
 * the round is run again up to that step, the receptors are updated there
 * and stepping goes on from it.  If a single step from an update still
 * forms more bonds in a patch than it has free, that patch forms none in
 * that step.  So a patch's bonds never exceed its receptors, and because
 * the steps where updates fall depend only on the trajectory, which the
 * counter-based RNG fixes, results stay the same for any steps per launch
 * and work-group size. */
static exo_status advance_round(exo_sim *s, uint32_t nsteps, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_backend *be = s->be;
    uint32_t np = s->n_patches;
    if (!s->depleting) {
        EXO_TRY(run_round(s, nsteps, err));
        s->step += nsteps;
        return EXO_OK;
    }
    while (nsteps > 0) {
        EXO_TRY(be->ops->save(be, 0, be->n, err));
        memcpy(s->arrived_saved, s->arrived, s->sc->n_pop * sizeof *s->arrived);
        size_t events_before = s->n_round;
        EXO_TRY(run_round(s, nsteps, err));
        uint32_t k = first_overshoot(s, nsteps);
        if (k == nsteps) {
            keep_formed(s, nsteps);
            s->step += nsteps;
            break;
        }
        EXO_TRY(be->ops->restore(be, 0, be->n, err));
        memcpy(s->arrived, s->arrived_saved, s->sc->n_pop * sizeof *s->arrived);
        s->n_round = events_before;
        if (k > 0) { /* the same steps again, as they were */
            EXO_TRY(run_round(s, k, err));
            keep_formed(s, k);
            s->step += k;
            nsteps -= k;
        }
        if (s->step != s->last_update) {
            EXO_TRY(update_receptors(s, err));
            s->extra_updates++;
            continue;
        }
        /* One step from an update forms too many bonds: no bond forms
         * in those patches in this step (s->formed still holds it). */
        for (uint32_t j = 0; j < np; j++)
            s->patch_avail[j] = s->formed[j] > s->patch_free[j] ? 0.0f : s->patch_avail[j];
        EXO_TRY(be->ops->write_availability(be, s->patch_avail, err));
        EXO_TRY(run_round(s, 1, err));
        EXO_CHECK(first_overshoot(s, 1) == 1, err, EXO_ERR_INVALID,
                  "step %llu formed bonds in a patch with none free",
                  (unsigned long long)s->step);
        keep_formed(s, 1);
        s->step += 1;
        s->held_steps++;
        nsteps -= 1;
        for (uint32_t j = 0; j < np; j++) /* what the update gave */
            s->patch_avail[j] = s->patch[j].receptors
                                    ? (float)((double)s->patch_free[j] /
                                              (double)s->patch[j].receptors)
                                    : 0.0f;
        EXO_TRY(be->ops->write_availability(be, s->patch_avail, err));
    }
cleanup:
    return rc;
}

static exo_status advance_to(exo_sim *s, uint64_t last, exo_error *err)
{
    exo_status rc = EXO_OK;
    while (s->step < last) {
        uint64_t stop = next_stop(s, s->step, last);
        EXO_TRY(advance_round(s, (uint32_t)(stop - s->step), err));
        if (s->sc->output_events)
            EXO_TRY(write_events(s, err));
        if (s->n_patches && s->step % s->sc->receptor_update_every == 0)
            EXO_TRY(update_receptors(s, err));
        if (s->h5 && exo_scenario_is_frame(s->sc, s->step))
            EXO_TRY(write_frame(s, err));
        if (s->h5 && exo_scenario_is_observation(s->sc, s->step))
            EXO_TRY(write_observables(s, err));
        int halt = s->stop_request && *s->stop_request;
        int due = s->ckpt_every_s > 0 && now_s() - s->ckpt_wall >= s->ckpt_every_s;
        if (!s->one_process) {
            /* The ranks stop together, when any of them is asked to, and
             * checkpoint by rank 0's clock. */
            int agree[2] = {halt, exo_comm_rank() == 0 && due};
            EXO_TRY(exo_comm_max_int(agree, 2, err));
            halt = agree[0];
            due = agree[1];
        }
        if (s->ckpt_path && s->step < s->sc->steps &&
            (halt || (s->ckpt_every_steps && s->step % s->ckpt_every_steps == 0) || due))
            EXO_TRY(checkpoint_write(s, err));
        if (halt && s->step < s->sc->steps) {
            rc = EXO_ERROR(err, EXO_ERR_INTERRUPTED, "stopped at step %llu of %llu%s%s",
                           (unsigned long long)s->step, (unsigned long long)s->sc->steps,
                           s->ckpt_path ? "; checkpoint written to " : " (no checkpoint: "
                                                                      "no output file)",
                           s->ckpt_path ? s->ckpt_path : "");
            if (err && !s->one_process)
                err->all_ranks = 1; /* the ranks agreed to stop */
            goto cleanup;
        }
        if (s->progress) {
            double wall = now_s() - s->wall0;
            s->progress(s->progress_user, s->step, s->sc->steps,
                        (double)s->step * s->sc->dt, wall,
                        wall > 0 ? (double)s->be->n * (double)(s->step - s->step0) / wall
                                 : 0);
        }
    }
cleanup:
    return rc;
}

/* Each rank's particle-steps per second in its own launches, and the time
 * it waited for the others (rank 0 prints them): how even the split is. */
static exo_status log_balance(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    int size = exo_comm_size();
    double *launch_s = NULL, *wait_s = NULL;
    uint64_t *count = NULL;
    EXO_ALLOC(launch_s, size, err, "the ranks' timings");
    EXO_ALLOC(wait_s, size, err, "the ranks' timings");
    EXO_ALLOC(count, size, err, "the ranks' timings");
    EXO_TRY(exo_comm_allgather_f64(exo_part_launch_s(s->be), launch_s, err));
    EXO_TRY(exo_comm_allgather_f64(exo_comm_wait_s(), wait_s, err));
    EXO_TRY(exo_comm_allgather_u64(s->be->part_count, count, err));
    double wall = now_s() - s->wall0;
    uint64_t steps = s->step - s->step0;
    for (int r = 0; s->log && r < size; r++)
        fprintf(s->log, "exobd: rank %d: %llu vesicles, %.3g particle-steps/s in its "
                        "launches (%.3g s of %.3g s), %.3g s waiting for other ranks\n", r,
                (unsigned long long)count[r],
                launch_s[r] > 0 ? (double)count[r] * (double)steps / launch_s[r] : 0.0,
                launch_s[r], wall, wait_s[r]);
cleanup:
    free(launch_s);
    free(wait_s);
    free(count);
    return rc;
}

exo_status exo_sim_run(exo_sim *s, exo_error *err)
{
    exo_status rc = EXO_OK;
    s->wall0 = now_s();
    s->step0 = s->step;
    if (s->h5 && s->step == 0) {
        if (exo_scenario_is_frame(s->sc, 0))
            EXO_TRY(write_frame(s, err));
        EXO_TRY(write_observables(s, err));
    }
    EXO_TRY(advance_to(s, s->sc->steps, err));
    if (s->depleting && s->log)
        fprintf(s->log, "exobd: receptors updated every %llu steps and %llu times between, "
                        "where bonds would have outnumbered them; %llu steps held back a "
                        "patch's bonds\n", (unsigned long long)s->sc->receptor_update_every,
                (unsigned long long)s->extra_updates, (unsigned long long)s->held_steps);
    if (s->h5) {
        exo_writer *w = s->writer;
        s->writer = NULL;
        EXO_TRY(exo_writer_stop(w, err));
        exo_h5 *h = s->h5;
        s->h5 = NULL;
        EXO_TRY(exo_h5_close(h, 1, err));
    }
    /* The run is complete: its checkpoint would only resume a finished run. */
    if (s->ckpt_path && (s->one_process || exo_comm_rank() == 0))
        unlink(s->ckpt_path);
    if (!s->one_process)
        EXO_TRY(log_balance(s, err));
cleanup:
    return rc;
}

exo_status exo_sim_advance(exo_sim *s, uint64_t nsteps, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_h5 *h = s->h5;
    s->h5 = NULL; /* advancing without output */
    if (s->wall0 == 0) {
        s->wall0 = now_s();
        s->step0 = s->step;
    }
    rc = advance_to(s, s->step + nsteps, err);
    s->h5 = h;
    return rc;
}

uint32_t exo_sim_patches(const exo_sim *s) { return s->n_patches; }

const char *exo_sim_checkpoint_path(const exo_sim *s) { return s->ckpt_path; }

const char *exo_sim_output_path(const exo_sim *s) { return s->out_path; }

void exo_sim_depletion_counts(const exo_sim *s, uint64_t *extra_updates, uint64_t *held_steps)
{
    *extra_updates = s->extra_updates;
    *held_steps = s->held_steps;
}

exo_status exo_sim_read_patches(exo_sim *s, uint64_t *receptors, uint64_t *bonds,
                                uint64_t *taken, exo_error *err)
{
    exo_status rc = EXO_OK;
    const exo_scenario *sc = s->sc;
    uint32_t n = s->n_patches;
    uint64_t *b = NULL, *t = NULL;
    EXO_ALLOC(b, n ? n : 1, err, "patch counts");
    EXO_ALLOC(t, n ? n : 1, err, "patch counts");
    for (uint32_t k = 0; k < sc->n_pop; k++)
        if (s->p[k].depletion)
            EXO_TRY(s->be->ops->count_patches(s->be, &s->p[k], &s->slots[k], sc->pop[k].first,
                                              sc->pop[k].count, b, t, err));
    for (uint32_t j = 0; j < n; j++) {
        if (receptors)
            receptors[j] = s->patch[j].receptors;
        if (bonds)
            bonds[j] = b[j];
        if (taken)
            taken[j] = t[j];
    }
cleanup:
    free(b);
    free(t);
    return rc;
}

uint64_t exo_sim_step(const exo_sim *s) { return s->step; }
size_t exo_sim_vesicle_count(const exo_sim *s) { return s->be->n; }
int exo_sim_program_from_cache(const exo_sim *s) { return s->be->from_cache; }
const char *exo_sim_device_name(const exo_sim *s) { return s->be->name; }
const char *exo_sim_program_key(const exo_sim *s) { return s->be->program_key; }

/* Every rank's part of `blocks` blocks of n elements of `elem` bytes (at
 * `part`, blocks of part_count) into `all` on every rank. */
static exo_status gather_parts(exo_sim *s, const void *part, size_t elem, size_t blocks,
                               void *all, exo_error *err)
{
    exo_status rc = EXO_OK;
    int size = exo_comm_size();
    uint64_t *bytes = NULL;
    size_t m = s->be->part_count, n = s->be->n;
    EXO_ALLOC(bytes, size, err, "a gather's counts");
    EXO_TRY(exo_comm_allgather_u64(m * elem, bytes, err));
    for (size_t b = 0; b < blocks; b++)
        EXO_TRY(exo_comm_allgatherv((const char *)part + b * m * elem, m * elem,
                                    (char *)all + b * n * elem, bytes, err));
cleanup:
    free(bytes);
    return rc;
}

exo_status exo_sim_read(exo_sim *s, float *pos_um, int32_t *image,
                        int8_t *state, float *radius_um, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (s->one_process)
        return s->be->ops->read(s->be, pos_um, image, state, radius_um, err);
    /* This rank's part, then every rank's into the whole run's arrays. */
    size_t m = s->be->part_count;
    float *pos = NULL, *radius = NULL;
    int32_t *img = NULL;
    int8_t *st = NULL;
    EXO_ALLOC(pos, 3 * m + 1, err, "a rank's vesicles");
    EXO_ALLOC(img, 3 * m + 1, err, "a rank's vesicles");
    EXO_ALLOC(st, m + 1, err, "a rank's vesicles");
    EXO_ALLOC(radius, m + 1, err, "a rank's vesicles");
    EXO_TRY(s->be->ops->read(s->be, pos, img, st, radius, err));
    if (pos_um)
        EXO_TRY(gather_parts(s, pos, sizeof *pos, 3, pos_um, err));
    if (image)
        EXO_TRY(gather_parts(s, img, sizeof *img, 3, image, err));
    if (state)
        EXO_TRY(gather_parts(s, st, sizeof *st, 1, state, err));
    if (radius_um)
        EXO_TRY(gather_parts(s, radius, sizeof *radius, 1, radius_um, err));
cleanup:
    free(pos);
    free(img);
    free(st);
    free(radius);
    return rc;
}

_Static_assert(EXO_EVENT_KINDS == 4, "exo_sim_event_counts reports four kinds");

void exo_sim_event_counts(const exo_sim *s, uint64_t counts[4])
{
    for (int k = 0; k < EXO_EVENT_KINDS; k++)
        counts[k] = s->event_totals[k];
}

exo_status exo_sim_read_binding(exo_sim *s, uint16_t *ligands, uint8_t *bonds,
                                exo_error *err)
{
    exo_status rc = EXO_OK;
    if (s->one_process)
        return s->be->ops->read_binding(s->be, ligands, bonds, err);
    size_t m = s->be->part_count;
    uint16_t *lig = NULL;
    uint8_t *nb = NULL;
    EXO_ALLOC(lig, m + 1, err, "a rank's vesicles");
    EXO_ALLOC(nb, m + 1, err, "a rank's vesicles");
    EXO_TRY(s->be->ops->read_binding(s->be, lig, nb, err));
    if (ligands)
        EXO_TRY(gather_parts(s, lig, sizeof *lig, 1, ligands, err));
    if (bonds)
        EXO_TRY(gather_parts(s, nb, sizeof *nb, 1, bonds, err));
cleanup:
    free(lig);
    free(nb);
    return rc;
}

exo_status exo_sim_count_states(exo_sim *s, uint64_t *counts, exo_error *err)
{
    exo_status rc = EXO_OK;
    int64_t *values = NULL;
    EXO_ALLOC(values, s->n_obs, err, "observables");
    EXO_TRY(count_observables(s, values, err));
    for (int st = 0; st < EXO_STATE_COUNT; st++)
        counts[st] = (uint64_t)values[st];
cleanup:
    free(values);
    return rc;
}

uint32_t exo_sim_observables(const exo_sim *s, const char *const **names)
{
    if (names)
        *names = s->obs_ptr;
    return s->n_obs;
}

exo_status exo_sim_read_observables(exo_sim *s, int64_t *values, exo_error *err)
{
    return count_observables(s, values, err);
}

exo_status exo_sim_destroy(exo_sim *s, exo_error *err)
{
    if (s == NULL)
        return EXO_OK;
    /* The writer first: its jobs use the file and wait on the backend. */
    exo_status r0 = exo_writer_stop(s->writer, err);
    exo_status rc = exo_h5_close(s->h5, 0, err);
    rc = r0 != EXO_OK ? r0 : rc;
    exo_status r2 = exo_backend_destroy(s->be, err);
    free(s->p);
    free(s->slots);
    free(s->arrived);
    free(s->sched);
    free(s->obs_name);
    free(s->dose);
    free(s->obs_ptr);
    free(s->events);
    free(s->round);
    free(s->patch);
    free(s->patch_bound);
    free(s->patch_taken);
    free(s->patch_taken_before);
    free(s->patch_lost);
    free(s->patch_avail);
    free(s->patch_free);
    free(s->formed_since);
    free(s->formed);
    free(s->arrived_saved);
    free(s->ckpt_path);
    free(s->out_path);
    exo_tissue_grid_free(&s->cells);
    free(s->density_counts);
    free(s);
    return rc != EXO_OK ? rc : r2;
}
