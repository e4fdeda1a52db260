/*
 * exo_scenario: see exo_scenario.h.  Everything here is derived from the
 * validated struct; nothing is read from files.
 */
#include "exo_scenario.h"
#include "exo_tissue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exo_error.h"
#include "shared/exo_physics.h"

double exo_scenario_kT(const exo_scenario *sc)
{
    return EXO_KB * sc->temperature;
}

double exo_scenario_D(const exo_scenario *sc, double a)
{
    return exo_stokes_einstein(exo_scenario_kT(sc), sc->viscosity, a);
}

/* kappa dt sqrt(pi/2): divided by a vesicle's sigma, the per-contact
 * adsorption probability kappa sqrt(pi dt / (4 D)). */
static exo_real adsorb_coef(const exo_scenario *sc, int surface)
{
    return surface < 0 ? 0
                       : (exo_real)(sc->surface[surface].kappa * sc->dt * sqrt(M_PI / 2));
}

static int32_t adsorbed_state(const exo_scenario *sc, int surface)
{
    return surface < 0 ? EXO_STATE_ABSORBED : sc->surface[surface].adsorbed_state;
}

double exo_scenario_receptor_density(const exo_scenario *sc, uint32_t k, int j)
{
    const exo_population *p = &sc->pop[k];
    if (j < 0 || p->binding < 0 || sc->surface[j].behaviour != EXO_SURFACE_BIND)
        return 0;
    const exo_surface *sf = &sc->surface[j];
    for (uint32_t r = 0; r < sf->n_receptors; r++)
        if (strcmp(sf->receptor[r].type, sc->binding[p->binding].receptor) == 0)
            return sf->receptor[r].density;
    return 0;
}

/* Whether population k's vesicles reach the tissue's cells: a box
 * population, or one in the vessel a tissue lies beside. */
static int reaches_cells(const exo_scenario *sc, uint32_t k)
{
    return sc->n_cell_types > 0 && (sc->pop[k].vessel < 0 || sc->has_tissue);
}

int exo_scenario_slot_surface(const exo_scenario *sc, uint32_t k, int slot)
{
    int vi = sc->pop[k].vessel;
    if (slot < 0 || slot >= EXO_SLOTS)
        return -1;
    if (slot >= EXO_SLOT_CELL) {
        uint32_t t = (uint32_t)(slot - EXO_SLOT_CELL);
        return reaches_cells(sc, k) && t < sc->n_cell_types ? sc->cell_type[t].surface : -1;
    }
    if (vi < 0)
        return slot < 6 ? sc->face_surface[slot] : -1;
    const exo_vessel *v = &sc->vessel[vi];
    if (slot == EXO_VESSEL_INLET || slot == EXO_VESSEL_OUTLET)
        return v->end_surface[slot];
    if (slot == EXO_VESSEL_WALL)
        return v->wall_surface;
    uint32_t r = (uint32_t)(slot - EXO_SLOT_REGION);
    return slot >= EXO_SLOT_REGION && r < v->n_regions ? v->region[r].wall_surface : -1;
}

double exo_scenario_wall_load_coef(const exo_scenario *sc, const exo_vessel *v)
{
    /* F_s = 6 pi mu a z gamma 1.7005 with z = a, and T_s / a =
     * 4 pi mu a^2 gamma 0.944: (10.203 + 3.776) pi mu a^2 gamma. */
    double gamma = 4 * fabs(v->mean_velocity) / v->radius;
    return (6 * 1.7005 + 4 * 0.944) * M_PI * sc->viscosity * gamma;
}

double exo_cargo_loading(uint64_t seed, uint32_t id, double mean, double sd)
{
    if (!(sd > 0))
        return mean;
    exo_u32x4 w = exo_rng_draw(id, 0, EXO_RNG_CARGO, (uint32_t)seed, (uint32_t)(seed >> 32));
    /* two 53-bit uniforms, the first in (0, 1] for the logarithm */
    double u1 = ((double)(w.v[0] >> 5) * 67108864.0 + (double)(w.v[1] >> 6) + 1.0) /
                9007199254740992.0;
    double u2 = ((double)(w.v[2] >> 5) * 67108864.0 + (double)(w.v[3] >> 6)) /
                9007199254740992.0;
    double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    return fmax(0, mean + sd * z);
}

exo_binding exo_scenario_pair(const exo_scenario *sc, uint32_t k)
{
    const exo_population *p = &sc->pop[k];
    exo_binding b = sc->binding[p->binding];
    if (p->k_on_swept >= 0)
        b.k_on = p->k_on_swept;
    if (p->k_off_swept >= 0)
        b.k_off = p->k_off_swept;
    return b;
}

/* What happens on slot `slot` (EXO_SLOTS) to population k's vesicles bound
 * on surface j (-1: none); load: the shear load coefficient there. */
static void fill_slot(const exo_scenario *sc, uint32_t k, int j, int slot, double load,
                      exo_slot_table *p)
{
    if (j < 0)
        return;
    const exo_surface *sf = &sc->surface[j];
    p->desorb_rate[slot] = (exo_real)sf->desorption_rate;
    double sigma_r = exo_scenario_receptor_density(sc, k, j);
    if (sigma_r <= 0)
        return;
    const exo_binding pair = exo_scenario_pair(sc, k), *b = &pair;
    /* kappa = k_f delta with k_f = k_on sigma_R n_L delta / (2a); times
     * dt sqrt(pi/2) as adsorb_coef, with n_L / a left to the lane. */
    p->bind_coef[slot] = (exo_real)(b->k_on * sigma_r * b->bond_length * b->bond_length / 2 *
                                    sc->dt * sqrt(M_PI / 2));
    p->bond_rate[slot] = (exo_real)(b->k_on * sigma_r);
    p->load_coef[slot] = (exo_real)load;
    p->uptake_rate[slot] = (exo_real)sf->uptake_rate;
    p->uptake_min[slot] = sf->uptake_min_bonds;
}

void exo_vessel_set_axis(exo_vessel *v, const double dir[3])
{
    double n = sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
    double *e = v->frame, *e1 = v->frame + 3, *e2 = v->frame + 6;
    for (int a = 0; a < 3; a++)
        e[a] = dir[a] / n;
    v->axis = -1;
    for (int a = 0; a < 3; a++)
        if (e[a] == 1.0 && e[(a + 1) % 3] == 0.0 && e[(a + 2) % 3] == 0.0)
            v->axis = a;
    if (v->axis >= 0) {
        memset(v->frame + 3, 0, 6 * sizeof *v->frame);
        e1[(v->axis + 1) % 3] = 1;
        e2[(v->axis + 2) % 3] = 1;
        return;
    }
    /* e1: the axis crossed with the coordinate axis least parallel to it;
     * e2 = e x e1 completes a right-handed frame. */
    int m = 0;
    for (int a = 1; a < 3; a++)
        if (fabs(e[a]) < fabs(e[m]))
            m = a;
    double ref[3] = {0, 0, 0};
    ref[m] = 1;
    e1[0] = e[1] * ref[2] - e[2] * ref[1];
    e1[1] = e[2] * ref[0] - e[0] * ref[2];
    e1[2] = e[0] * ref[1] - e[1] * ref[0];
    double n1 = sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
    for (int a = 0; a < 3; a++)
        e1[a] /= n1;
    e2[0] = e[1] * e1[2] - e[2] * e1[1];
    e2[1] = e[2] * e1[0] - e[0] * e1[2];
    e2[2] = e[0] * e1[1] - e[1] * e1[0];
}

void exo_vessel_point(const exo_vessel *v, double s, double y, double z, double x[3])
{
    for (int a = 0; a < 3; a++)
        x[a] = v->origin[a] + s * v->frame[a] + y * v->frame[3 + a] + z * v->frame[6 + a];
}

/* The surface on slot `slot` of domain d (-1: the box, else a vessel). */
static int domain_slot_surface(const exo_scenario *sc, int d, int slot)
{
    for (uint32_t k = 0; k < sc->n_pop; k++)
        if (sc->pop[k].vessel == d)
            return exo_scenario_slot_surface(sc, k, slot);
    return -1;
}

/* The receptor patches of slot `slot` in domain d: how many (0 where no
 * population of the domain binds there), their grid, axial range and
 * receptors each (the highest density bound there times the patch area). */
typedef struct slot_grid {
    uint32_t n;
    int n_axial, n_around;
    double s_from, s_len, expected, recovery;
} slot_grid;

static slot_grid slot_patches(const exo_scenario *sc, int d, int slot)
{
    slot_grid g = {0, 1, 1, 0, 1, 0, 0};
    if (slot >= EXO_SLOT_CELL)
        return g; /* cells: one patch each, after all slots (cell_patches) */
    int j = domain_slot_surface(sc, d, slot);
    double density = 0;
    for (uint32_t k = 0; k < sc->n_pop; k++)
        if (sc->pop[k].vessel == d)
            density = fmax(density, exo_scenario_receptor_density(sc, k, j));
    if (j < 0 || density <= 0 || !sc->surface[j].depletion)
        return g;
    const exo_surface *sf = &sc->surface[j];
    double area;
    if (d < 0) {
        int a = slot / 2;
        area = (sc->box_hi[(a + 1) % 3] - sc->box_lo[(a + 1) % 3]) *
               (sc->box_hi[(a + 2) % 3] - sc->box_lo[(a + 2) % 3]);
    } else {
        const exo_vessel *v = &sc->vessel[d];
        if (slot == EXO_VESSEL_INLET || slot == EXO_VESSEL_OUTLET) {
            area = M_PI * v->radius * v->radius;
        } else {
            g.n_axial = sf->patches[0];
            g.n_around = sf->patches[1];
            g.s_from = slot == EXO_VESSEL_WALL ? 0 : v->region[slot - EXO_SLOT_REGION].from;
            g.s_len = slot == EXO_VESSEL_WALL
                          ? v->length
                          : v->region[slot - EXO_SLOT_REGION].to - g.s_from;
            area = 2 * M_PI * v->radius * g.s_len;
        }
    }
    g.n = (uint32_t)(g.n_axial * g.n_around);
    g.expected = density * area / g.n;
    g.recovery = sf->recovery_rate;
    return g;
}

/* Receptors come in whole numbers, so that a patch's bonds can be held to
 * them exactly (exo_sim): patch j gets floor(c) receptors, and one more
 * with probability c - floor(c), c = density x area, from the Philox
 * counter (j, 0, EXO_RNG_RECEPTORS) under the run's seed.  The mean stays
 * c, and patches smaller than one receptor still bind at their share on
 * average, with the least spread any whole-number rule can have. */
static uint64_t whole_receptors(const exo_scenario *sc, uint32_t j, double c)
{
    exo_u32x4 w = exo_rng_draw(j, 0, EXO_RNG_RECEPTORS, (uint32_t)sc->seed,
                               (uint32_t)(sc->seed >> 32));
    double u = ((double)(w.v[0] >> 5) * 67108864.0 + (double)(w.v[1] >> 6) + 0.5) /
               9007199254740992.0;
    double whole = floor(c);
    return (uint64_t)whole + (u < c - whole);
}

/* The density of the receptors of cell type t that the populations reaching
 * the cells bind (the highest), where its membrane's receptors deplete; 0:
 * its cells need no patches. */
static double cell_type_depleting_density(const exo_scenario *sc, uint32_t t)
{
    int j = sc->cell_type[t].surface;
    if (j < 0 || sc->surface[j].behaviour != EXO_SURFACE_BIND || !sc->surface[j].depletion)
        return 0;
    double density = 0;
    for (uint32_t k = 0; k < sc->n_pop; k++)
        if (reaches_cells(sc, k))
            density = fmax(density, exo_scenario_receptor_density(sc, k, j));
    return density;
}

/* Patches on cells: one per cell (all cells, numbered as placed, so a
 * bound vesicle's patch is the slot's base plus its cell's index) where
 * some cell type's receptors deplete, else none. */
static uint32_t cell_patches(const exo_scenario *sc)
{
    for (uint32_t t = 0; t < sc->n_cell_types; t++)
        if (cell_type_depleting_density(sc, t) > 0)
            return sc->n_cells;
    return 0;
}

uint32_t exo_scenario_patches(const exo_scenario *sc, exo_patch_info **out)
{
    uint32_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t at = 0;
        for (int d = -1; d < (int)sc->n_vessels; d++)
            for (int slot = 0; slot < EXO_SLOTS; slot++) {
                slot_grid g = slot_patches(sc, d, slot);
                for (uint32_t i = 0; pass == 1 && out && *out && i < g.n; i++) {
                    exo_patch_info *q = &(*out)[at + i];
                    q->expected = g.expected;
                    q->receptors = whole_receptors(sc, at + i, g.expected);
                    q->recovery_rate = g.recovery;
                }
                at += g.n;
            }
        uint32_t nc = cell_patches(sc);
        for (uint32_t i = 0; pass == 1 && out && *out && i < nc; i++) {
            /* A cell's membrane, 4 pi R^2, at its type's density (none for
             * types that do not deplete: their cells never use a patch). */
            const exo_cell *c = &sc->cell[i];
            int j = sc->cell_type[c->type].surface;
            exo_patch_info *q = &(*out)[at + i];
            q->expected = cell_type_depleting_density(sc, (uint32_t)c->type) * 4 * M_PI *
                          c->radius * c->radius;
            q->receptors = whole_receptors(sc, at + i, q->expected);
            q->recovery_rate = j >= 0 ? sc->surface[j].recovery_rate : 0;
        }
        at += nc;
        n = at;
        if (pass == 0 && out)
            *out = n ? calloc(n, sizeof **out) : NULL;
        if (out && n && *out == NULL)
            return 0;
    }
    return n;
}

/* Fill the patch tables of population k (in domain d) for exo_patch and
 * exo_bound_patch; returns whether any of its slots has patches. */
static int fill_patches(const exo_scenario *sc, uint32_t k, int d, exo_slot_table *p)
{
    int32_t at = 0;
    int any = 0;
    for (int dd = -1; dd < (int)sc->n_vessels; dd++)
        for (int slot = 0; slot < EXO_SLOTS; slot++) {
            slot_grid g = slot_patches(sc, dd, slot);
            if (dd == d) {
                p->patch_base[slot] = g.n ? at : -1;
                p->patch_n_axial[slot] = g.n_axial;
                p->patch_n_around[slot] = g.n_around;
                p->patch_s_from[slot] = (exo_real)g.s_from;
                p->patch_s_len[slot] = (exo_real)g.s_len;
                any |= g.n > 0;
            }
            at += (int32_t)g.n;
        }
    for (uint32_t t = 0; reaches_cells(sc, k) && t < sc->n_cell_types && t < EXO_CELL_TYPES;
         t++)
        if (cell_patches(sc) && cell_type_depleting_density(sc, t) > 0) {
            p->patch_base[EXO_SLOT_CELL + t] = at;
            any = 1;
        }
    return any;
}

/* The vessel wall's pores (its leaky surfaces share one kind of pore:
 * exo_config) and the slots where bound vesicles cross by transcytosis. */
static void fill_barrier(const exo_scenario *sc, const exo_vessel *v, exo_step_params *p)
{
    int32_t surf[1 + EXO_MAX_REGIONS] = {v->wall_surface};
    int slot[1 + EXO_MAX_REGIONS] = {EXO_VESSEL_WALL};
    for (uint32_t r = 0; r < v->n_regions; r++) {
        surf[1 + r] = v->region[r].wall_surface;
        slot[1 + r] = EXO_SLOT_REGION + (int)r;
    }
    for (uint32_t j = 0; j < 1 + v->n_regions; j++) {
        if (surf[j] < 0)
            continue;
        const exo_surface *sf = &sc->surface[surf[j]];
        if (sf->behaviour == EXO_SURFACE_LEAKY) {
            p->pore_radius = (exo_real)sf->pore_radius;
            p->pore_density = (exo_real)sf->pore_density;
            p->pore_around = 0;
            p->pore_pitch = 0;
            if (sf->pores_explicit)
                exo_scenario_pore_lattice(v, sf->pore_density, &p->pore_around,
                                          &p->pore_pitch);
        }
        if (sf->behaviour == EXO_SURFACE_BIND && sf->transcytosis_rate > 0) {
            p->barrier_slots |= 1 << slot[j];
            p->transcytosis_rate = (exo_real)sf->transcytosis_rate;
        }
    }
}

/* What check says about a leaky surface: its pores, and per population
 * the homogenised permeability 4 D (r_p - a) n_p (PHYSICS.md 4.5) or the
 * explicit lattice; returns the warnings printed. */
static int print_pores(const exo_scenario *sc, const exo_surface *s, FILE *out)
{
    int warnings = 0;
    double cover = M_PI * s->pore_radius * s->pore_radius * s->pore_density;
    fprintf(out, "  pores       radius r_p = %g nm, %.4g per um^2 (they cover %.3g of the "
                 "wall), %s\n", s->pore_radius * 1e3, s->pore_density, cover,
            s->pores_explicit ? "explicit" : "homogenised");
    if (s->pores_explicit && sc->n_vessels) {
        int32_t n = 0;
        exo_real pitch = 0;
        const exo_vessel *v = &sc->vessel[0];
        exo_scenario_pore_lattice(v, s->pore_density, &n, &pitch);
        double actual = n / (2 * M_PI * v->radius * (double)pitch);
        fprintf(out, "  lattice     rings %.4g um apart, %d pores around each (vessel %s): "
                     "%.4g pores per um^2\n", (double)pitch, n, v->name, actual);
        if (fabs(actual / s->pore_density - 1) > 0.01) {
            fprintf(out, "  warning: the explicit pores of %s have %.4g per um^2, not %.4g: "
                         "whole rings tile the periodic vessel; the homogenised model uses "
                         "the density given\n", s->name, actual, s->pore_density);
            warnings++;
        }
    }
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        const exo_population *p = &sc->pop[k];
        double acc = s->pore_radius - p->radius_median;
        if (acc <= 0) {
            fprintf(out, "  population  %s (a = %g nm): larger than the pores, never "
                         "crosses\n", p->name, p->radius_median * 1e3);
            continue;
        }
        double kappa = 2 * exo_scenario_D(sc, p->radius_median) * acc * s->pore_density;
        fprintf(out, "  population  %s (a = %g nm): accessible radius r_p - a = %g nm; "
                     "wall permeability 2 D (r_p - a) n_p = %.4g um/s each way\n", p->name,
                p->radius_median * 1e3, acc * 1e3, kappa);
    }
    if (cover > 0.05) {
        fprintf(out, "  warning: the pores of %s cover %.3g of the wall: the homogenised "
                     "rate 4 D (r_p - a) n_p holds for dilute pores (a few percent)\n",
                s->name, cover);
        warnings++;
    }
    return warnings;
}

/* What check says about a sweep: its settings, the combinations and their
 * values, and what the run costs (particle-steps, and the time at the
 * tissue-free throughput of the 2-core development machine). */
static void print_sweep(const exo_scenario *sc, FILE *out)
{
    const exo_sweep *sw = &sc->sweep;
    if (!sw->active)
        return;
    static const char *const unit[] = {"nm", "copies", "", "um^2/s", "/s", "", "", "copies"};
    static const double scale[] = {1e3, 1, 1, 1, 1, 1, 1, 1};
    fprintf(out, "sweep         %s: %u combinations x %u replicates%s\n",
            sw->latin ? "Latin hypercube" : "full grid", sw->n_combinations, sw->replicates,
            sw->only >= 0 ? " (this run: combination " : "");
    if (sw->only >= 0)
        fprintf(out, "              %lld alone, with its vesicle ids in the whole sweep)\n",
                (long long)sw->only);
    for (uint32_t j = 0; j < sw->n_params; j++) {
        const exo_sweep_param *q = &sw->param[j];
        fprintf(out, "  setting     %s:", exo_sweep_setting_name(q->setting));
        if (q->n_values == 0)
            fprintf(out, " %s range %g to %g %s", q->log ? "log" : "linear",
                    q->from * scale[q->setting], q->to * scale[q->setting], unit[q->setting]);
        for (uint32_t i = 0; i < q->n_values && i < 12; i++)
            fprintf(out, " %.4g", q->values[i] * scale[q->setting]);
        fprintf(out, "%s %s\n", q->n_values > 12 ? " ..." : "",
                q->n_values ? unit[q->setting] : "");
    }
    for (uint32_t c = 0; c < sw->n_combinations && c < 64; c++) {
        fprintf(out, "  combination %u:", c);
        for (uint32_t j = 0; j < sw->n_params; j++)
            fprintf(out, " %s = %.4g%s%s", exo_sweep_setting_name(sw->param[j].setting),
                    sw->point[(size_t)c * sw->n_params + j] * scale[sw->param[j].setting],
                    unit[sw->param[j].setting][0] ? " " : "", unit[sw->param[j].setting]);
        fprintf(out, "\n");
    }
    if (sw->n_combinations > 64)
        fprintf(out, "  ... (%u combinations in all)\n", sw->n_combinations);
    double ps = (double)sc->n_vesicles * (double)sc->steps;
    fprintf(out, "  cost        %.4g particle-steps: about %.3g s at 1e8 particle-steps/s, "
                 "%.3g s at 3.5e7 (the 2-core development CPU: its binding workloads, and "
                 "design_sweep.cfg's 20 populations of 1e4)\n",
            ps, ps / 1e8, ps / 3.5e7);
}

/* What check says about a sweep.sequence: its settings and values, each
 * run's, and which run this is. */
static void print_sequence(const exo_scenario *sc, FILE *out)
{
    const exo_sequence *q = &sc->sequence;
    if (q->n_settings == 0)
        return;
    fprintf(out, "sequence      %u runs, one after another, each into OUT_run<S>.h5%s",
            q->n_runs, q->run >= 0 ? "" : " (this check: run 0's values)");
    if (q->run >= 0)
        fprintf(out, " (this run: %lld)", (long long)q->run);
    fprintf(out, "\n");
    for (uint32_t j = 0; j < q->n_settings; j++) {
        fprintf(out, "  setting     %s:", q->setting[j]);
        for (uint32_t i = 0; i < q->n_values[j]; i++)
            fprintf(out, " %s", q->value[j][i]);
        fprintf(out, "\n");
    }
    for (uint32_t r = 0; r < q->n_runs && r < 64; r++) {
        fprintf(out, "  run %u:", r);
        for (uint32_t j = 0; j < q->n_settings; j++)
            fprintf(out, " %s = %s", q->setting[j], q->value[j][exo_sequence_index(q, r, j)]);
        fprintf(out, "\n");
    }
    if (q->n_runs > 64)
        fprintf(out, "  ... (%u runs in all)\n", q->n_runs);
}

void exo_scenario_pore_lattice(const exo_vessel *v, double n_p, int32_t *around,
                               exo_real *pitch)
{
    /* Rings of n pores, n near 2 pi R sqrt(n_p) (a square lattice), at
     * least one; the pitch between rings then gives n_p exactly.  Along
     * periodic ends a whole number of rings tiles the length, and n is
     * chosen again for the pitch that makes. */
    const double R = v->radius, around_R = 2 * M_PI * R;
    double n = fmax(1, floor(around_R * sqrt(n_p) + 0.5));
    double d = n / (around_R * n_p);
    if (v->end[0] == EXO_FACE_PERIODIC) {
        double rings = fmax(1, floor(v->length / d + 0.5));
        d = v->length / rings;
        n = fmax(1, floor(n_p * around_R * d + 0.5));
    }
    *around = (int32_t)n;
    *pitch = (exo_real)d;
}

void exo_scenario_step_params(const exo_scenario *sc, uint32_t k, exo_step_params *p,
                              exo_slot_table *slots_out)
{
    exo_slot_table slots_here, *slots = slots_out ? slots_out : &slots_here;
    memset(p, 0, sizeof *p);
    memset(slots, 0, sizeof *slots);
    for (int j = 0; j < EXO_SLOTS; j++) {
        slots->patch_base[j] = -1;
        slots->patch_n_axial[j] = slots->patch_n_around[j] = 1;
        slots->patch_s_len[j] = 1;
    }
    for (int a = 0; a < 3; a++) {
        p->lo[a] = (exo_real)sc->box_lo[a];
        p->hi[a] = (exo_real)sc->box_hi[a];
        p->len[a] = (exo_real)(sc->box_hi[a] - sc->box_lo[a]);
        p->drift[a] = (exo_real)(sc->flow[a] * sc->dt);
        p->radial_centre[a] = (exo_real)sc->radial_centre[a];
    }
    p->radial_radius = (exo_real)sc->radial_radius;
    p->radial_speed_dt = (exo_real)(sc->radial_speed * sc->dt);
    p->dt = (exo_real)sc->dt;
    p->clear_prob = (exo_real)(-expm1(-sc->clearance_rate * sc->dt));
    p->sigma_coef =
        (exo_real)exo_sigma_coef(exo_scenario_kT(sc), sc->viscosity, sc->dt);
    p->seed_lo = (uint32_t)sc->seed;
    p->seed_hi = (uint32_t)(sc->seed >> 32);
    const exo_population *pp = &sc->pop[k];
    if (pp->binding >= 0) {
        const exo_binding pair = exo_scenario_pair(sc, k), *b = &pair;
        double kT = exo_scenario_kT(sc);
        p->half_reach = (exo_real)(b->bond_length / 2);
        p->k_slip = (exo_real)b->k_off;
        p->x_slip_kT = (exo_real)(b->x_beta / kT);
        p->k_catch = (exo_real)b->catch_rate;
        p->x_catch_kT = (exo_real)(b->catch_length / kT);
    }
    for (int f = 0; f < 6; f++) {
        p->face[f] = sc->face[f];
        p->adsorb_coef[f] = adsorb_coef(sc, sc->face_surface[f]);
        p->adsorb_state[f] = adsorbed_state(sc, sc->face_surface[f]);
    }
    int vi = pp->vessel;
    p->domain = vi < 0 ? EXO_DOMAIN_BOX : EXO_DOMAIN_VESSEL;
    p->tissue_side = vi >= 0 && sc->has_tissue;
    if ((vi < 0 || p->tissue_side) && sc->ecs_tortuosity > 0) {
        /* The box (beside a vessel: the tissue compartment) is extracellular
         * space (geometry.tissue.effective_diffusion). */
        p->ecs_diffusion = (exo_real)(1 / (sc->ecs_tortuosity * sc->ecs_tortuosity));
        p->ecs_width = (exo_real)sc->ecs_width;
    }
    /* p->cells: filled by exo_sim from the grid it builds (exo_tissue).
     * Cells whose surface captures vesicles: every contact (absorb), with
     * the Robin probability of the surface's kappa (adsorb), or of its
     * receptors for this population's ligands (bind).  Taken up (state
     * absorbed) or held on the membrane (bound: slot EXO_SLOT_CELL + t,
     * no shear load). */
    for (uint32_t t = 0; reaches_cells(sc, k) && t < sc->n_cell_types && t < EXO_CELL_TYPES;
         t++) {
        int j = sc->cell_type[t].surface;
        if (j < 0 || sc->surface[j].behaviour == EXO_SURFACE_REFLECT)
            continue;
        const exo_surface *sf = &sc->surface[j];
        if (sf->behaviour == EXO_SURFACE_BIND && exo_scenario_receptor_density(sc, k, j) <= 0 &&
            sf->kappa <= 0)
            continue; /* no receptor for this population's ligand: reflects */
        p->cell_capture[t] = sf->behaviour == EXO_SURFACE_ABSORB ? EXO_STATE_ABSORBED
                                                                 : adsorbed_state(sc, j);
        p->cells_take = 1;
        p->cells_hold |= p->cell_capture[t] == EXO_STATE_BOUND;
        p->cell_adsorb_coef[t] = sf->behaviour == EXO_SURFACE_ABSORB ? (exo_real)3.0e38f
                                                                     : adsorb_coef(sc, j);
        if (p->cell_capture[t] == EXO_STATE_BOUND)
            fill_slot(sc, k, j, EXO_SLOT_CELL + (int)t, 0, slots);
    }
    if (vi < 0) {
        /* No shear in the box: its flow is uniform. */
        for (int f = 0; f < 6; f++)
            fill_slot(sc, k, sc->face_surface[f], f, 0, slots);
    } else {
        const exo_vessel *v = &sc->vessel[vi];
        for (int a = 0; a < 3; a++)
            p->v_origin[a] = (exo_real)v->origin[a];
        p->v_axis = v->axis;
        for (int j = 0; j < 9; j++)
            p->v_frame[j] = (exo_real)v->frame[j];
        p->v_radius = (exo_real)v->radius;
        p->v_length = (exo_real)v->length;
        p->v_umax_dt = (exo_real)(2 * v->mean_velocity * sc->dt);
        p->v_wall = v->wall;
        for (int e = 0; e < 2; e++) {
            p->v_end[e] = v->end[e];
            p->adsorb_coef[e] = adsorb_coef(sc, v->end_surface[e]);
            p->adsorb_state[e] = adsorbed_state(sc, v->end_surface[e]);
            fill_slot(sc, k, v->end_surface[e], e, 0, slots);
        }
        double load = exo_scenario_wall_load_coef(sc, v);
        p->adsorb_coef[EXO_VESSEL_WALL] = adsorb_coef(sc, v->wall_surface);
        p->adsorb_state[EXO_VESSEL_WALL] = adsorbed_state(sc, v->wall_surface);
        fill_slot(sc, k, v->wall_surface, EXO_VESSEL_WALL, load, slots);
        p->infused = pp->infusion_rate > 0;
        p->n_regions = (int32_t)v->n_regions;
        p->v_hindered = v->hindered;
        for (uint32_t r = 0; r < v->n_regions; r++) {
            const exo_region *g = &v->region[r];
            p->r_from[r] = (exo_real)g->from;
            p->r_to[r] = (exo_real)g->to;
            p->r_wall[r] = g->wall;
            p->r_adsorb_coef[r] = adsorb_coef(sc, g->wall_surface);
            p->r_adsorb_state[r] = adsorbed_state(sc, g->wall_surface);
            fill_slot(sc, k, g->wall_surface, EXO_SLOT_REGION + (int)r, load, slots);
        }
        fill_barrier(sc, v, p);
    }
    for (int j = 0; j < EXO_SLOTS; j++)
        p->bound_moves |= slots->desorb_rate[j] > 0 || slots->bind_coef[j] > 0;
    p->bound_moves |= p->barrier_slots != 0;
    p->record_events = sc->output_events;
    p->depletion = fill_patches(sc, k, vi, slots) && pp->binding >= 0;
}

double exo_scenario_adsorb_probability(const exo_scenario *sc, double kappa,
                                       double a)
{
    return kappa * sqrt(M_PI * sc->dt / (4 * exo_scenario_D(sc, a)));
}

/* Standard normal CDF. */
static double phi(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

void exo_scenario_init_params(const exo_scenario *sc, uint32_t k,
                              exo_init_params *ip)
{
    const exo_population *pp = &sc->pop[k];
    memset(ip, 0, sizeof *ip);
    for (int a = 0; a < 3; a++) {
        ip->start_lo[a] = (exo_real)pp->start_lo[a];
        ip->start_hi[a] = (exo_real)pp->start_hi[a];
    }
    ip->distribution = pp->distribution;
    ip->radius_median = (exo_real)pp->radius_median;
    ip->radius_sigma = (exo_real)pp->radius_sigma;
    ip->radius_min = (exo_real)pp->radius_min;
    ip->radius_max = (exo_real)pp->radius_max;
    if (pp->distribution == EXO_RADIUS_LOGNORMAL) {
        double m = log(pp->radius_median), s = pp->radius_sigma;
        ip->cdf_lo = (exo_real)phi((log(pp->radius_min) - m) / s);
        ip->cdf_hi = (exo_real)phi((log(pp->radius_max) - m) / s);
    }
    if (pp->vessel >= 0 && !pp->start_point) {
        const exo_vessel *v = &sc->vessel[pp->vessel];
        ip->lumen = 1;
        for (int j = 0; j < 9; j++)
            ip->v_frame[j] = (exo_real)v->frame[j];
        ip->v_radius = (exo_real)v->radius;
        for (int a = 0; a < 3; a++)
            ip->v_origin[a] = (exo_real)v->origin[a];
        ip->s_lo = (exo_real)pp->s_lo;
        ip->s_hi = (exo_real)pp->s_hi;
    }
    ip->ligand_distribution = pp->ligand_distribution;
    ip->ligand_mean = (exo_real)pp->ligand_mean;
    ip->ligand_sd = (exo_real)pp->ligand_sd;
    ip->inactive = pp->infusion_rate > 0;
    ip->first = pp->first;
    ip->count = pp->count;
    ip->id0 = sc->id0; /* global ids: a sweep's `only` run keeps those of the sweep */
    ip->seed_lo = (uint32_t)sc->seed;
    ip->seed_hi = (uint32_t)(sc->seed >> 32);
}

int exo_scenario_is_frame(const exo_scenario *sc, uint64_t s)
{
    if (sc->output_fields == 0)
        return 0;
    if (s == 0 || s == sc->steps)
        return 1;
    return sc->output_every > 0 && s % sc->output_every == 0;
}

int exo_scenario_is_observation(const exo_scenario *sc, uint64_t s)
{
    if (s == 0 || s == sc->steps)
        return 1;
    return sc->observables_every > 0 && s % sc->observables_every == 0;
}

uint64_t exo_scenario_frames(const exo_scenario *sc)
{
    if (sc->output_fields == 0)
        return 0;
    if (sc->output_every == 0)
        return sc->steps > 0 ? 2 : 1;
    uint64_t f = sc->steps / sc->output_every + 1;
    return f + (sc->steps % sc->output_every != 0);
}

/* Density images written (output.density: with every density_every-th
 * frame), and the bytes of one (a 32-bit count per voxel and state). */
static double density_images(const exo_scenario *sc)
{
    if (sc->density_every == 0)
        return 0;
    uint64_t frames = exo_scenario_frames(sc);
    return (double)((frames + sc->density_every - 1) / sc->density_every);
}

static double density_bytes(const exo_scenario *sc)
{
    int states = 0;
    for (int k = 0; k < EXO_STATE_COUNT; k++)
        states += (sc->density_states >> k) & 1;
    return 4.0 * states * sc->density_bins[0] * (double)sc->density_bins[1] * sc->density_bins[2];
}

double exo_scenario_output_bytes(const exo_scenario *sc)
{
    double per = 0;
    if (sc->output_fields & EXO_FIELD_POSITION) per += 12;
    if (sc->output_fields & EXO_FIELD_STATE) per += 1;
    if (sc->output_fields & EXO_FIELD_IMAGE) per += 12;
    return (double)exo_scenario_frames(sc) * (double)sc->output_sample * per +
           (double)sc->output_sample * 16 + density_images(sc) * density_bytes(sc);
}

static const char *face_name(const exo_scenario *sc, int f)
{
    if (sc->face_surface[f] >= 0)
        return sc->surface[sc->face_surface[f]].name;
    switch (sc->face[f]) {
    case EXO_FACE_PERIODIC: return "periodic";
    case EXO_FACE_REFLECT: return "reflect";
    case EXO_FACE_OPEN: return "open";
    case EXO_FACE_ABSORB: return "absorb";
    }
    return "?";
}

static void print_bytes(FILE *out, double b)
{
    const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int k = 0;
    while (b >= 1024 && k < 4) {
        b /= 1024;
        k++;
    }
    fprintf(out, "%.3g %s", b, u[k]);
}

/* The ligands and, per receptor surface the population can reach, the
 * capture and bond rates (PHYSICS.md 4.4, 5); returns the warnings. */
static int describe_binding(const exo_scenario *sc, uint32_t k, FILE *out)
{
    const exo_population *p = &sc->pop[k];
    if (p->ligand[0] == '\0')
        return 0;
    static const char *const dist[] = {"", "Poisson, ", "normal, "};
    fprintf(out, "  ligands     %s: %s%.4g per vesicle", p->ligand, dist[p->ligand_distribution],
            p->ligand_mean);
    if (p->ligand_distribution == EXO_LIGANDS_NORMAL)
        fprintf(out, " (sd %.4g)", p->ligand_sd);
    fprintf(out, ", %.4g per um^2 of membrane at the median radius\n",
            p->ligand_mean / (4 * M_PI * p->radius_median * p->radius_median));
    if (p->binding < 0) {
        fprintf(out, "              (no surface it can reach carries a receptor it binds)\n");
        return 0;
    }
    const exo_binding pair = exo_scenario_pair(sc, k), *b = &pair;
    double kT = exo_scenario_kT(sc), a = p->radius_median, delta = b->bond_length;
    double nc = p->ligand_mean * delta / (2 * a), nc_max = p->ligand_max * delta / (2 * p->radius_min);
    int warnings = 0;
    fprintf(out, "  pair        %s-%s: k_on = %.4g um^2/s, k_off = %.4g /s, reach %.4g nm, "
                 "x_beta %.4g nm%s; %.4g ligands in the contact area (n_L delta / (2a), "
                 "up to %.4g)\n", b->ligand, b->receptor, b->k_on, b->k_off, delta * 1e3,
            b->x_beta * 1e3, b->catch_rate > 0 ? ", with a catch pathway" : "", nc, nc_max);
    for (uint32_t j = 0; j < sc->n_surfaces; j++) {
        double sigma_r = exo_scenario_receptor_density(sc, k, (int)j);
        if (sigma_r <= 0)
            continue;
        const exo_surface *sf = &sc->surface[j];
        double kf = b->k_on * sigma_r * nc, kappa = kf * delta;
        double P = exo_scenario_adsorb_probability(sc, kappa, a);
        /* the wall's load where the population flows; none in the box and on
         * cells (no shear in the tissue) */
        int on_wall = 0;
        for (int slot = EXO_VESSEL_WALL; p->vessel >= 0 && slot < EXO_SLOT_CELL; slot++)
            on_wall |= exo_scenario_slot_surface(sc, k, slot) == (int)j;
        double load = on_wall ? exo_scenario_wall_load_coef(sc, &sc->vessel[p->vessel]) : 0;
        double F = load * a * a;
        double koff1 = b->k_off * exp(F * b->x_beta / kT) +
                       b->catch_rate * exp(-F * b->catch_length / kT);
        double lambda = b->k_on * sigma_r * nc_max + nc_max * koff1 + sf->uptake_rate;
        fprintf(out, "  capture     at %s (%.4g %s /um^2): first-bond rate k_f = k_on sigma_R "
                     "n_c = %.4g /s, kappa = k_f delta = %.4g um/s, P = %.4g per contact\n",
                sf->name, sigma_r, b->receptor, kf, kappa, P);
        fprintf(out, "  bonds       further bonds at %.4g /s per free ligand in contact "
                     "(rho = %.4g); shear load %.3g pN at the wall, Bell factor %.4g on "
                     "one bond; uptake %.4g /s from %d bonds; largest event rate x dt = %.3g\n",
                b->k_on * sigma_r, b->k_off > 0 ? b->k_on * sigma_r / b->k_off : INFINITY, F,
                exp(F * b->x_beta / kT), sf->uptake_rate, sf->uptake_min_bonds,
                lambda * sc->dt);
        if (P > 0.2) {
            fprintf(out, "  warning: capture P > 0.2 at %s: the step-size formula "
                         "overestimates capture there (PHYSICS.md 4.3); reduce "
                         "simulation.dt\n", sf->name);
            warnings++;
        }
        if (lambda * sc->dt > 0.2) {
            fprintf(out, "  warning: bond events at %s reach %.3g per step: at most one "
                         "happens per step, so reduce simulation.dt\n", sf->name,
                    lambda * sc->dt);
            warnings++;
        }
    }
    return warnings;
}

int exo_scenario_describe(const exo_scenario *sc, size_t bytes_per_vesicle,
                          FILE *out)
{
    int warnings = 0;
    double kT = exo_scenario_kT(sc);
    double min_edge = INFINITY;
    for (int a = 0; a < 3; a++)
        min_edge = fmin(min_edge, sc->box_hi[a] - sc->box_lo[a]);

    fprintf(out, "scenario      %s (%s)\n", sc->name, sc->source);
    fprintf(out, "seed          %llu\n", (unsigned long long)sc->seed);
    fprintf(out, "medium        T = %.2f K, kT = %.5g pN um, viscosity = %.4g mPa s\n",
            sc->temperature, kT, sc->viscosity * 1e3);
    if (sc->clearance_rate > 0)
        fprintf(out, "clearance     free vesicles leave the blood at %.4g /s (half-life %.4g s): "
                     "probability %.4g per step\n", sc->clearance_rate,
                M_LN2 / sc->clearance_rate, -expm1(-sc->clearance_rate * sc->dt));
    if (sc->has_box && sc->radial_speed > 0)
        fprintf(out, "flow          in the box: radial interstitial flow from (%g, %g, %g) "
                     "um, %.4g um/s outward at the tumour radius %g um (U r / R_t inside, "
                     "U (R_t / r)^2 outside)\n", sc->radial_centre[0], sc->radial_centre[1],
                sc->radial_centre[2], sc->radial_speed, sc->radial_radius);
    else if (sc->has_box)
        fprintf(out, "flow          in the box: uniform (%.4g, %.4g, %.4g) um/s\n",
                sc->flow[0], sc->flow[1], sc->flow[2]);
    fprintf(out, "time          dt = %.4g s, %llu steps, duration %.6g s\n",
            sc->dt, (unsigned long long)sc->steps, sc->dt * (double)sc->steps);
    fprintf(out, "box           [%g, %g] x [%g, %g] x [%g, %g] um; faces x %s/%s, "
                 "y %s/%s, z %s/%s\n",
            sc->box_lo[0], sc->box_hi[0], sc->box_lo[1], sc->box_hi[1],
            sc->box_lo[2], sc->box_hi[2], face_name(sc, 0), face_name(sc, 1),
            face_name(sc, 2), face_name(sc, 3), face_name(sc, 4), face_name(sc, 5));
    if (!sc->has_box)
        fprintf(out, "              (no box: the vessels' bounding box, for output)\n");
    double smallest_cell = INFINITY;
    if (sc->n_cells) {
        static const char *const placement[] = {"simple cubic lattice", "hexagonal "
                                                "close-packed lattice", "random (sequential "
                                                "addition)", "listed"};
        fprintf(out, "tissue        %u cells, %s", sc->n_cells, placement[sc->placement]);
        if (sc->placement <= EXO_PLACEMENT_HEXAGONAL)
            fprintf(out, ", spacing %g um", sc->cell_spacing);
        fprintf(out, "; they fill %.4f of the %s (extracellular fraction %.4f)\n",
                exo_tissue_volume_fraction(sc), sc->n_vessels ? "tissue (the box outside "
                                                                "the vessel)" : "box",
                1 - exo_tissue_volume_fraction(sc));
        for (uint32_t t = 0; t < sc->n_cell_types; t++) {
            uint32_t n = 0;
            for (uint32_t i = 0; i < sc->n_cells; i++)
                if (sc->cell[i].type == (int32_t)t) {
                    n++;
                    smallest_cell = fmin(smallest_cell, sc->cell[i].radius);
                }
            int j = sc->cell_type[t].surface;
            int beh = j < 0 ? EXO_SURFACE_REFLECT : sc->surface[j].behaviour;
            const char *what =
                beh == EXO_SURFACE_REFLECT ? "reflects vesicles"
                : beh == EXO_SURFACE_ABSORB ? "takes up every vesicle that touches it"
                : beh == EXO_SURFACE_BIND
                    ? "binds vesicles through its receptors and holds them on its membrane "
                      "(bound, then internalized)"
                : sc->surface[j].adsorbed_state == EXO_STATE_ABSORBED
                    ? "takes up vesicles as a Robin surface"
                    : "adsorbs vesicles as a Robin surface and holds them (bound)";
            fprintf(out, "  cell type   %s: %u cells, radius %g um; %s%s%s%s\n",
                    sc->cell_type[t].name, n, sc->cell_type[t].radius, what,
                    beh == EXO_SURFACE_REFLECT ? "" : " (surface ",
                    beh == EXO_SURFACE_REFLECT ? "" : sc->surface[j].name,
                    beh == EXO_SURFACE_REFLECT ? "" : ")");
            if (beh == EXO_SURFACE_ADSORB)
                fprintf(out, "              kappa = %.4g um/s\n", sc->surface[j].kappa);
            if (beh == EXO_SURFACE_BIND && sc->surface[j].depletion)
                fprintf(out, "              receptors deplete cell by cell (one patch per "
                             "cell, 4 pi R^2 of membrane each; the bonds formed per step "
                             "and cell take %.3g MiB of device memory at 100 steps per "
                             "launch)\n", sc->n_cells * 100.0 * 4 / 1048576);
        }
        fprintf(out, "  cells       impermeable (specular reflection about the tangent "
                     "plane); Maxwell's dilute-limit tortuosity for this fraction: "
                     "lambda^2 = %.4g\n", (2 + exo_tissue_volume_fraction(sc)) / 2);
    } else if (sc->ecs_tortuosity > 0) {
        fprintf(out, "tissue        extracellular space as an effective medium: D_ECS = D "
                     "f_hind(2a/w) / lambda^2, lambda = %g", sc->ecs_tortuosity);
        if (sc->ecs_width > 0)
            fprintf(out, ", w = %g nm (Renkin's f_hind)", sc->ecs_width * 1e3);
        fprintf(out, "\n");
    }
    if (sc->has_tissue && sc->n_vessels)
        fprintf(out, "compartments  the lumen of %s (r < R) and the tissue, the box outside "
                     "it%s; from the tissue its wall reflects, except through pores; free "
                     "vesicles are cleared from the lumen only\n", sc->vessel[0].name,
                sc->n_cells || sc->ecs_tortuosity > 0 ? "" : " (interstitial fluid)");
    for (uint32_t k = 0; k < sc->n_vessels; k++) {
        const exo_vessel *v = &sc->vessel[k];
        static const char *const end_name[] = {"periodic", "reflect", "open", "absorb",
                                               "adsorb"};
        double U = v->mean_velocity;
        /* Reynolds number with plasma's density, 1025 kg/m^3 (PHYSICS.md 1):
         * rho U (2R) / eta, converted from um and um/s to SI. */
        double re = 1025.0 * U * 1e-6 * 2 * v->radius * 1e-6 / sc->viscosity;
        char along[96];
        if (v->axis >= 0)
            snprintf(along, sizeof along, "%c", "xyz"[v->axis]);
        else
            snprintf(along, sizeof along, "(%.6g, %.6g, %.6g)", v->frame[0], v->frame[1],
                     v->frame[2]);
        fprintf(out, "vessel        %s: radius %g um, length %g um, along %s from (%g, %g, "
                     "%g) um\n", v->name, v->radius, v->length, along,
                v->origin[0], v->origin[1], v->origin[2]);
        fprintf(out, "  flow        Poiseuille, mean U = %.4g um/s (%.4g mm/s), centreline "
                     "%.4g um/s; flow rate %.4g um^3/s; wall shear rate 4U/R = %.4g /s; "
                     "Reynolds %.3g\n", U, U * 1e-3, 2 * U, U * M_PI * v->radius * v->radius,
                4 * U / v->radius, re);
        fprintf(out, "  ends        inlet %s, outlet %s; wall %s\n",
                v->end_surface[0] >= 0 ? sc->surface[v->end_surface[0]].name : end_name[v->end[0]],
                v->end_surface[1] >= 0 ? sc->surface[v->end_surface[1]].name : end_name[v->end[1]],
                v->wall_surface >= 0 ? sc->surface[v->wall_surface].name : end_name[v->wall]);
        if (v->hindered)
            fprintf(out, "  hindrance   near-wall hindered diffusion (Bevan-Prieve across, "
                         "Faxen along the wall) with its Ito drift\n");
        for (uint32_t r = 0; r < v->n_regions; r++) {
            const exo_region *g = &v->region[r];
            fprintf(out, "  region      %s: %g <= s < %g um, wall %s\n", g->name, g->from,
                    g->to, g->wall_surface >= 0 ? sc->surface[g->wall_surface].name
                                                : end_name[g->wall]);
        }
    }
    for (uint32_t k = 0; k < sc->n_surfaces; k++) {
        const exo_surface *s = &sc->surface[k];
        static const char *const what[] = {"reflects", "absorbs", "adsorbs",
                                           "binds through receptors",
                                           "lets vesicles through pores (leaky)"};
        fprintf(out, "surface       %s: %s", s->name, what[s->behaviour]);
        if (s->behaviour == EXO_SURFACE_ADSORB)
            fprintf(out, ", kappa = %.4g um/s = %.4g m/s; adsorbed vesicles %s",
                    s->kappa, s->kappa * 1e-6,
                    s->adsorbed_state == EXO_STATE_BOUND ? "stay (bound)"
                                                         : "are removed (absorbed)");
        fprintf(out, "\n");
        for (uint32_t r = 0; r < s->n_receptors; r++)
            fprintf(out, "  receptors   %s: %.4g /um^2\n", s->receptor[r].type,
                    s->receptor[r].density);
        if (s->behaviour == EXO_SURFACE_BIND && s->depletion)
            fprintf(out, "  depletion   bonds use up receptors; %d x %d patches on a vessel "
                         "wall (one per cell on cells); receptors taken in by uptake recover "
                         "at %.4g /s\n",
                    s->patches[0], s->patches[1], s->recovery_rate);
        else if (s->behaviour == EXO_SURFACE_BIND)
            fprintf(out, "  depletion   none: receptors never run out (depletion = false)\n");
        if (s->behaviour == EXO_SURFACE_BIND && s->uptake_rate > 0)
            fprintf(out, "  uptake      %.4g /s (half-life %.4g s) once bound by %d bonds\n",
                    s->uptake_rate, log(2) / s->uptake_rate, s->uptake_min_bonds);
        if (s->transcytosis_rate > 0)
            fprintf(out, "  transcytosis %.4g /s (half-life %.4g s): a bound vesicle crosses "
                         "to the tissue\n", s->transcytosis_rate,
                    log(2) / s->transcytosis_rate);
        if (s->behaviour == EXO_SURFACE_LEAKY)
            warnings += print_pores(sc, s, out);
        if (s->desorption_rate > 0) {
            double P = -expm1(-s->desorption_rate * sc->dt);
            fprintf(out, "  desorption  k = %.4g /s (mean bound time %.4g s): P = 1 - "
                         "exp(-k dt) = %.4g per step; at equilibrium bound per area / "
                         "free per volume = kappa / k = %.4g um\n", s->desorption_rate,
                    1 / s->desorption_rate, P, s->kappa / s->desorption_rate);
            if (P > 0.2) {
                fprintf(out, "  warning: desorption P > 0.2 per step at %s: a bound "
                             "vesicle's lifetime is resolved in few steps; reduce "
                             "simulation.dt\n", s->name);
                warnings++;
            }
        }
    }
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        const exo_population *p = &sc->pop[k];
        double D = exo_scenario_D(sc, p->radius_median);
        double step = sqrt(2 * D * sc->dt);
        fprintf(out, "population    %s: %u vesicles (ids %u..%u)\n", p->name,
                p->count, sc->id0 + p->first, sc->id0 + p->first + p->count - 1);
        if (p->distribution == EXO_RADIUS_FIXED)
            fprintf(out, "  radius      %.4g nm (diameter %.4g nm)\n",
                    p->radius_median * 1e3, p->radius_median * 2e3);
        else
            fprintf(out, "  radius      log-normal, median %.4g nm, sigma %.3g, "
                         "truncated to [%.4g, %.4g] nm\n",
                    p->radius_median * 1e3, p->radius_sigma,
                    p->radius_min * 1e3, p->radius_max * 1e3);
        fprintf(out, "  D           %.5g um^2/s = %.5g m^2/s (Stokes-Einstein%s)\n",
                D, D * 1e-12,
                p->distribution == EXO_RADIUS_FIXED ? "" : ", at the median");
        if (p->distribution != EXO_RADIUS_FIXED) {
            double Dlo = exo_scenario_D(sc, p->radius_max);
            double Dhi = exo_scenario_D(sc, p->radius_min);
            fprintf(out, "              range %.5g .. %.5g um^2/s\n", Dlo, Dhi);
            step = sqrt(2 * Dhi * sc->dt);
        }
        if ((p->vessel < 0 || sc->has_tissue) && sc->ecs_tortuosity > 0) {
            double f = 1 / (sc->ecs_tortuosity * sc->ecs_tortuosity), f_big = f;
            if (sc->ecs_width > 0) {
                f *= (double)exo_renkin_hindrance((exo_real)(2 * p->radius_median / sc->ecs_width));
                f_big *= (double)exo_renkin_hindrance((exo_real)(2 * p->radius_max / sc->ecs_width));
            }
            fprintf(out, "  D_ECS       %.5g um^2/s in the extracellular space%s (D_ECS / D = "
                         "%.4g)\n", D * f, p->vessel >= 0 ? " of the tissue" : "", f);
            if (p->vessel < 0) {
                D *= f;
                step = sqrt(2 * D * sc->dt);
            }
            if (f_big <= 0) {
                fprintf(out, "  warning: vesicles of diameter %g nm or more do not fit the "
                             "extracellular width %g nm and do not move there (f_hind = 0)%s\n",
                        fmin(2 * p->radius_max, sc->ecs_width) * 1e3, sc->ecs_width * 1e3,
                        p->vessel >= 0 ? ": those that cross stay beside the vessel" : "");
                warnings++;
            }
        }
        fprintf(out, "  rms step    sqrt(2 D dt) = %.4g nm per axis%s; %.3g of the "
                     "smallest box edge\n",
                step * 1e3,
                p->distribution == EXO_RADIUS_FIXED ? "" : " (smallest vesicle)",
                step / min_edge);
        if (p->vessel >= 0)
            fprintf(out, "  flow step   2U dt = %.4g nm on the centreline\n",
                    2 * sc->vessel[p->vessel].mean_velocity * sc->dt * 1e3);
        else
            fprintf(out, "  drift step  |u| dt = %.4g nm%s\n",
                    (sqrt(sc->flow[0] * sc->flow[0] + sc->flow[1] * sc->flow[1] +
                          sc->flow[2] * sc->flow[2]) + sc->radial_speed) * sc->dt * 1e3,
                    sc->radial_speed > 0 ? " (the largest, at the tumour radius)" : "");
        if (step > 0.1 * min_edge) {
            fprintf(out, "  warning: the rms step is more than 0.1 of the smallest "
                         "box edge; reduce simulation.dt\n");
            warnings++;
        }
        if (p->vessel < 0 && step > 0.05 * smallest_cell) {
            /* Reflection about the tangent plane is exact to O(step^2 / R). */
            fprintf(out, "  warning: the rms step is more than 0.05 of the smallest cell "
                         "radius (%g um): reflection off the curved cell surface loses "
                         "accuracy; reduce simulation.dt\n", smallest_cell);
            warnings++;
        }
        for (uint32_t j = 0; j < sc->n_surfaces; j++) {
            const exo_surface *s = &sc->surface[j];
            if (s->behaviour != EXO_SURFACE_ADSORB)
                continue;
            /* The smallest vesicle has the largest D and the smallest P;
             * the largest vesicle the largest P. */
            double P = exo_scenario_adsorb_probability(sc, s->kappa, p->radius_max);
            fprintf(out, "  adsorption  at %s: P = kappa sqrt(pi dt/(4 D)) = %.4g per "
                         "contact%s\n", s->name, P,
                    p->distribution == EXO_RADIUS_FIXED ? "" : " (largest vesicle)");
            if (P > 0.2) {
                fprintf(out, "  warning: P > 0.2 at %s: the step-size formula "
                             "overestimates adsorption there (PHYSICS.md 4.3); "
                             "reduce simulation.dt\n", s->name);
                warnings++;
            }
        }
        warnings += describe_binding(sc, k, out);
        if (p->vessel >= 0) {
            const exo_vessel *v = &sc->vessel[p->vessel];
            fprintf(out, "  Peclet      U R / D = %.4g; radial mixing time R^2/D = %.4g s\n",
                    v->mean_velocity * v->radius / D, v->radius * v->radius / D);
        }
        if (p->infusion_rate > 0)
            fprintf(out, "  infusion    %.4g vesicles/s through the inlet of %s (Poisson "
                         "arrivals, flux-weighted over the cross-section); %.4g expected "
                         "in the run, %u slots\n", p->infusion_rate,
                    sc->vessel[p->vessel].name,
                    p->infusion_rate * sc->dt * (double)sc->steps, p->count);
        else if (p->start_point)
            fprintf(out, "  start       point (%g, %g, %g) um%s%s\n", p->start_lo[0],
                    p->start_lo[1], p->start_lo[2], p->vessel >= 0 ? " in " : "",
                    p->vessel >= 0 ? sc->vessel[p->vessel].name : "");
        else if (p->vessel >= 0)
            fprintf(out, "  start       uniform in the lumen of %s, %g <= s <= %g um\n",
                    sc->vessel[p->vessel].name, p->s_lo, p->s_hi);
        else
            fprintf(out, "  start       uniform in [%g, %g] x [%g, %g] x [%g, %g] um\n",
                    p->start_lo[0], p->start_hi[0], p->start_lo[1],
                    p->start_hi[1], p->start_lo[2], p->start_hi[2]);
    }
    exo_patch_info *patches = NULL;
    uint32_t n_patches = exo_scenario_patches(sc, &patches);
    if (n_patches > 0) {
        double lo = INFINITY;
        uint64_t least = UINT64_MAX, most = 0, total = 0;
        for (uint32_t j = 0; j < n_patches; j++) {
            lo = fmin(lo, patches[j].expected);
            least = patches[j].receptors < least ? patches[j].receptors : least;
            most = patches[j].receptors > most ? patches[j].receptors : most;
            total += patches[j].receptors;
        }
        fprintf(out, "receptors     %llu on %u patches, %llu to %llu each; their availability "
                     "is updated every %llu steps (%.4g s) and whenever bonds would outnumber "
                     "it\n", (unsigned long long)total, n_patches, (unsigned long long)least,
                (unsigned long long)most, (unsigned long long)sc->receptor_update_every,
                (double)sc->receptor_update_every * sc->dt);
        if (lo < 1) {
            fprintf(out, "  warning: a patch holds %.3g receptors on average, so some hold "
                         "none and binding there is patchy: use fewer patches\n", lo);
            warnings++;
        }
    }
    free(patches);
    fprintf(out, "vesicles      %llu in total\n", (unsigned long long)sc->n_vesicles);
    print_sweep(sc, out);
    print_sequence(sc, out);
    /* Recording events and depleting receptors keep a copy of what a
     * launch changes (positions, image counts, state, bonds: 3*4 + 3*4 +
     * 1 + 1 bytes) to run a launch again: one whose events overflowed, or
     * one that formed more bonds than receptors were free (exo_sim). */
    int copy = sc->output_events || n_patches > 0;
    size_t bpv = bytes_per_vesicle + (copy ? 3 * sizeof(exo_real) + 3 * 4 + 2 : 0);
    fprintf(out, "device memory %zu bytes per vesicle%s, ", bpv,
            !copy ? ""
            : sc->output_events ? " (with the copy kept for recording events)"
                                : " (with the copy kept for depleting receptors)");
    print_bytes(out, (double)bpv * (double)sc->n_vesicles);
    fprintf(out, " in total\n");
    if (sc->n_cells) {
        fprintf(out, "              + ");
        print_bytes(out, exo_tissue_device_bytes(sc));
        fprintf(out, " for the %u cells and their grid\n", sc->n_cells);
    }
    if (sc->output_file[0] == '\0') {
        fprintf(out, "output        none\n");
    } else {
        fprintf(out, "output        %s (+ .xdmf): %llu frames of %llu vesicles, "
                     "observables every %llu steps\n",
                sc->output_file, (unsigned long long)exo_scenario_frames(sc),
                (unsigned long long)sc->output_sample,
                (unsigned long long)sc->observables_every);
        if (sc->density_every > 0) {
            static const char *const names[] = {"inactive", "free", "bound", "internalized",
                                                 "absorbed", "exited", "cleared"};
            fprintf(out, "density       %.0f images (every %llu frames) of %u x %u x %u voxels "
                         "of %.4g x %.4g x %.4g um over [%g, %g] x [%g, %g] x [%g, %g] um, "
                         "states", density_images(sc), (unsigned long long)sc->density_every,
                    sc->density_bins[0], sc->density_bins[1], sc->density_bins[2],
                    (sc->density_hi[0] - sc->density_lo[0]) / sc->density_bins[0],
                    (sc->density_hi[1] - sc->density_lo[1]) / sc->density_bins[1],
                    (sc->density_hi[2] - sc->density_lo[2]) / sc->density_bins[2],
                    sc->density_lo[0], sc->density_hi[0], sc->density_lo[1],
                    sc->density_hi[1], sc->density_lo[2], sc->density_hi[2]);
            for (int k = 0; k < EXO_STATE_COUNT; k++)
                if ((sc->density_states >> k) & 1)
                    fprintf(out, " %s", names[k]);
            fprintf(out, "; ");
            print_bytes(out, density_bytes(sc));
            fprintf(out, " each (+ .density.xdmf)\n");
        }
        fprintf(out, "output size   about ");
        print_bytes(out, exo_scenario_output_bytes(sc));
        fprintf(out, " before compression\n");
    }
    return warnings;
}

uint32_t exo_sequence_index(const exo_sequence *q, uint32_t s, uint32_t j)
{
    uint32_t stride = 1;
    for (uint32_t r = j + 1; r < q->n_settings; r++)
        stride *= q->n_values[r];
    return (s / stride) % q->n_values[j];
}

char *exo_scenario_run_path(const exo_scenario *sc, const char *path)
{
    if (path == NULL)
        return NULL;
    const exo_sequence *q = &sc->sequence;
    size_t len = strlen(path);
    if (q->n_settings == 0 || q->run < 0 || len == 0)
        return strdup(path);
    size_t stem = len > 3 && strcmp(path + len - 3, ".h5") == 0 ? len - 3 : len;
    size_t n = len + 32;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s_run%lld%s", (int)stem, path, (long long)q->run, path + stem);
    return out;
}
