/*
 * exo_tissue: see exo_tissue.h.
 */
#include "exo_tissue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exo_error.h"
#include "shared/exo_physics.h"

/* The tissue's volume: the box, less the vessel running through it. */
static double box_volume(const exo_scenario *sc)
{
    double v = 1;
    for (int a = 0; a < 3; a++)
        v *= sc->box_hi[a] - sc->box_lo[a];
    if (sc->n_vessels)
        v -= M_PI * sc->vessel[0].radius * sc->vessel[0].radius * sc->vessel[0].length;
    return v;
}

static int periodic(const exo_scenario *sc, int a)
{
    return sc->face[2 * a] == EXO_FACE_PERIODIC;
}

/* Component a of x - y, as the minimum image on a periodic axis. */
static double sep(const exo_scenario *sc, int a, double d)
{
    if (periodic(sc, a)) {
        double len = sc->box_hi[a] - sc->box_lo[a];
        d -= len * floor(d / len + 0.5);
    }
    return d;
}

static double distance2(const exo_scenario *sc, const double *x, const double *y)
{
    double r2 = 0;
    for (int a = 0; a < 3; a++) {
        double d = sep(sc, a, x[a] - y[a]);
        r2 += d * d;
    }
    return r2;
}

double exo_tissue_volume_fraction(const exo_scenario *sc)
{
    double v = 0;
    for (uint32_t i = 0; i < sc->n_cells; i++)
        v += 4.0 / 3.0 * M_PI * pow(sc->cell[i].radius, 3);
    return v / box_volume(sc);
}

/* Uniforms of draw k of the placement (exo_rng's Philox, the run's seed). */
static exo_u32x4 draw(const exo_scenario *sc, uint64_t k)
{
    return exo_rng_draw((uint32_t)k, k >> 32, EXO_RNG_PLACEMENT, (uint32_t)sc->seed,
                        (uint32_t)(sc->seed >> 32));
}

/* The cell type whose share the uniform u falls in. */
static int32_t pick_type(const exo_scenario *sc, double u)
{
    double total = 0, c = 0;
    for (uint32_t t = 0; t < sc->n_cell_types; t++)
        total += sc->cell_type[t].share;
    for (uint32_t t = 0; t + 1 < sc->n_cell_types; t++) {
        c += sc->cell_type[t].share / total;
        if (u < c)
            return (int32_t)t;
    }
    return (int32_t)sc->n_cell_types - 1;
}

static double largest_radius(const exo_scenario *sc)
{
    double r = 0;
    for (uint32_t t = 0; t < sc->n_cell_types; t++)
        r = fmax(r, sc->cell_type[t].radius);
    return r;
}

/* Append a cell, growing the array. */
double exo_tissue_vessel_gap(const exo_scenario *sc, const exo_cell *cell)
{
    if (sc->n_vessels == 0 || sc->vessel[0].axis < 0)
        return INFINITY;
    const exo_vessel *v = &sc->vessel[0];
    double r2 = 0;
    for (int q = 1; q <= 2; q++) {
        int a = (v->axis + q) % 3;
        double d = cell->centre[a] - v->origin[a];
        r2 += d * d;
    }
    return sqrt(r2) - v->radius - cell->radius;
}

/* Add a placed cell, unless it would overlap the vessel beside the tissue
 * (a lattice or random placement leaves those sites out). */
static exo_status add_cell(exo_scenario *sc, size_t *cap, const double c[3], double radius,
                           int32_t type, exo_error *err)
{
    exo_cell probe = {{c[0], c[1], c[2]}, radius, type};
    if (exo_tissue_vessel_gap(sc, &probe) < 0)
        return EXO_OK;
    if (sc->n_cells == UINT32_MAX)
        return EXO_ERROR(err, EXO_ERR_CONFIG, "more than %u cells", UINT32_MAX - 1);
    if (sc->n_cells >= *cap) {
        size_t want = *cap ? 2 * *cap : 1024;
        exo_cell *grown = realloc(sc->cell, want * sizeof *grown);
        if (grown == NULL)
            return EXO_ERROR(err, EXO_ERR_NOMEM,
                             "out of host memory for %zu cells of the tissue", want);
        sc->cell = grown;
        *cap = want;
    }
    exo_cell *e = &sc->cell[sc->n_cells++];
    memcpy(e->centre, c, sizeof e->centre);
    e->radius = radius;
    e->type = type;
    return EXO_OK;
}

/*
 * A lattice: simple cubic with edge s, or hexagonal close-packed with
 * nearest-neighbour distance s (triangular layers in x-y, rows s sqrt(3)/2
 * apart, layers s sqrt(2/3) apart, every other layer shifted by (s/2,
 * s/(2 sqrt 3)): ABAB).  Its period along each axis (s; s, s sqrt 3,
 * 2 s sqrt(2/3)) must divide a periodic box length, so that the lattice
 * joins up across the faces; along a closed axis the floor(L / pitch)
 * sites are centred in the box (so they lie pitch / 2 from the faces, as
 * on a periodic axis) and those whose cell would cross a face are left
 * out.  Each
 * site's type is drawn by the shares.
 */
static exo_status place_lattice(exo_scenario *sc, exo_error *err)
{
    const int hex = sc->placement == EXO_PLACEMENT_HEXAGONAL;
    const double s = sc->cell_spacing, r_max = largest_radius(sc);
    const double pitch[3] = {s, hex ? s * sqrt(3.0) / 2 : s, hex ? s * sqrt(2.0 / 3.0) : s};
    const double period[3] = {s, hex ? s * sqrt(3.0) : s, hex ? 2 * s * sqrt(2.0 / 3.0) : s};
    if (s < 2 * r_max)
        return EXO_ERROR(err, EXO_ERR_CONFIG,
                         "cells overlap: the lattice spacing %g um is less than the "
                         "diameter %g um of the largest cell", s, 2 * r_max);
    long n[3];
    double first[3], sites = 1;
    /* Sites per axis, counted in double first: a huge box must be refused,
     * not converted. */
    for (int a = 0; a < 3; a++) {
        double len = sc->box_hi[a] - sc->box_lo[a];
        sites *= fmax(1, periodic(sc, a) ? floor(len / period[a] + 0.5) * (hex && a ? 2 : 1)
                                         : floor(len / pitch[a] * (1 + 1e-9)));
    }
    if (!(sites <= EXO_MAX_CELLS))
        return EXO_ERROR(err, EXO_ERR_CONFIG,
                         "the lattice has %.3g sites; exobd takes at most %g cells", sites,
                         (double)EXO_MAX_CELLS);
    for (int a = 0; a < 3; a++) {
        double len = sc->box_hi[a] - sc->box_lo[a];
        if (periodic(sc, a)) {
            double k = len / period[a];
            if (fabs(k - floor(k + 0.5)) > 1e-6 * k || floor(k + 0.5) < 1)
                return EXO_ERROR(err, EXO_ERR_CONFIG,
                                 "the %s lattice does not tile the periodic %c axis: its "
                                 "period there is %g um, and the box is %g um long "
                                 "(%.4g periods); make the box a whole number of "
                                 "periods, e.g. with a spacing of %.4g um",
                                 hex ? "hexagonal" : "simple cubic", "xyz"[a], period[a],
                                 len, k, len / fmax(1, floor(k + 0.5)) / (period[a] / s));
            n[a] = (long)floor(k + 0.5) * (long)floor(period[a] / pitch[a] + 0.5);
            first[a] = sc->box_lo[a] + pitch[a] / 2;
        } else {
            n[a] = (long)fmax(1, floor(len / pitch[a] * (1 + 1e-9)));
            first[a] = sc->box_lo[a] + (len - (double)(n[a] - 1) * pitch[a]) / 2;
        }
    }
    exo_status rc = EXO_OK;
    size_t cap = 0;
    uint64_t site = 0;
    for (long k = 0; k < n[2]; k++)
        for (long j = 0; j < n[1]; j++)
            for (long i = 0; i < n[0]; i++, site++) {
                double c[3] = {first[0] + (double)i * pitch[0],
                               first[1] + (double)j * pitch[1],
                               first[2] + (double)k * pitch[2]};
                if (hex) {
                    c[0] += (j % 2) * s / 2 + (k % 2) * s / 2;
                    c[1] += (k % 2) * s / (2 * sqrt(3.0));
                    /* shifted sites wrap on a periodic x (and y) axis */
                    for (int a = 0; a < 2; a++)
                        if (periodic(sc, a) && c[a] >= sc->box_hi[a])
                            c[a] -= sc->box_hi[a] - sc->box_lo[a];
                }
                int32_t type = pick_type(sc, exo_u01(draw(sc, site).v[0]));
                double r = sc->cell_type[type].radius;
                int fits = 1;
                for (int a = 0; a < 3; a++)
                    if (!periodic(sc, a) &&
                        (c[a] - r < sc->box_lo[a] || c[a] + r > sc->box_hi[a]))
                        fits = 0;
                if (fits)
                    EXO_TRY(add_cell(sc, &cap, c, r, type, err));
            }
    if (sc->n_cells == 0)
        return EXO_ERROR(err, EXO_ERR_CONFIG,
                         "no cell of radius %g um fits in the box on this lattice", r_max);
cleanup:
    return rc;
}

/* A uniform grid of linked lists for the overlap test of random placement. */
typedef struct hash_grid {
    int32_t n[3];
    double bin[3];
    int32_t *head, *next;
} hash_grid;

static int32_t grid_index(const exo_scenario *sc, const hash_grid *g, int a, double x)
{
    int32_t i = (int32_t)floor((x - sc->box_lo[a]) / g->bin[a]);
    if (periodic(sc, a))
        return ((i % g->n[a]) + g->n[a]) % g->n[a];
    return i < 0 ? 0 : (i >= g->n[a] ? g->n[a] - 1 : i);
}

/* Whether a sphere at c of radius r overlaps a placed cell. */
static int overlaps(const exo_scenario *sc, const hash_grid *g, const double c[3], double r,
                    double r_max)
{
    int32_t lo[3], hi[3];
    for (int a = 0; a < 3; a++) {
        int32_t span = (int32_t)ceil((r + r_max) / g->bin[a]);
        int32_t i = (int32_t)floor((c[a] - sc->box_lo[a]) / g->bin[a]);
        lo[a] = i - span;
        hi[a] = i + span;
        if (2 * span + 1 >= g->n[a]) {
            lo[a] = 0;
            hi[a] = g->n[a] - 1;
        } else if (!periodic(sc, a)) {
            lo[a] = lo[a] < 0 ? 0 : lo[a];
            hi[a] = hi[a] >= g->n[a] ? g->n[a] - 1 : hi[a];
        }
    }
    for (int32_t z = lo[2]; z <= hi[2]; z++)
        for (int32_t y = lo[1]; y <= hi[1]; y++)
            for (int32_t x = lo[0]; x <= hi[0]; x++) {
                int32_t b[3] = {x, y, z};
                for (int a = 0; a < 3; a++)
                    b[a] = ((b[a] % g->n[a]) + g->n[a]) % g->n[a];
                for (int32_t k = g->head[(b[2] * g->n[1] + b[1]) * g->n[0] + b[0]]; k >= 0;
                     k = g->next[k]) {
                    double d = r + sc->cell[k].radius;
                    if (distance2(sc, c, sc->cell[k].centre) < d * d)
                        return 1;
                }
            }
    return 0;
}

/*
 * Random sequential addition: draw a type and a centre uniformly (on a
 * closed axis, so that the cell stays inside), keep it if it overlaps no
 * cell placed before, until the cells fill the requested fraction of the
 * box.  Reproducible from the seed: draw k is Philox counter k.
 */
static exo_status place_random(exo_scenario *sc, exo_error *err)
{
    const double target = sc->cell_fraction, vbox = box_volume(sc), r_max = largest_radius(sc);
    double mean_volume = 0, total = 0;
    for (uint32_t t = 0; t < sc->n_cell_types; t++) {
        mean_volume += sc->cell_type[t].share * 4.0 / 3.0 * M_PI * pow(sc->cell_type[t].radius, 3);
        total += sc->cell_type[t].share;
    }
    mean_volume /= total;
    double expect = target * vbox / mean_volume;
    if (expect > EXO_MAX_CELLS)
        return EXO_ERROR(err, EXO_ERR_CONFIG,
                         "the volume fraction %g needs about %.3g cells; exobd takes at "
                         "most %g cells (a smaller box, or larger cells)", target, expect,
                         (double)EXO_MAX_CELLS);
    for (int a = 0; a < 3; a++)
        if (!periodic(sc, a) && sc->box_hi[a] - sc->box_lo[a] < 2 * r_max)
            return EXO_ERROR(err, EXO_ERR_CONFIG,
                             "the box is %g um along %c, less than a cell diameter %g um",
                             sc->box_hi[a] - sc->box_lo[a], "xyz"[a], 2 * r_max);
    exo_status rc = EXO_OK;
    hash_grid g = {{0, 0, 0}, {0, 0, 0}, NULL, NULL};
    size_t cap = 0, bins = 1;
    for (int a = 0; a < 3; a++) {
        double len = sc->box_hi[a] - sc->box_lo[a];
        g.n[a] = (int32_t)fmax(1, fmin(1024, floor(len / (2 * r_max))));
        g.bin[a] = len / g.n[a];
        bins *= (size_t)g.n[a];
    }
    /* At most this many: every cell the smallest (late in the packing the
     * small ones are the ones that still fit). */
    double r_min = r_max;
    for (uint32_t t = 0; t < sc->n_cell_types; t++)
        r_min = fmin(r_min, sc->cell_type[t].radius);
    size_t n_max = (size_t)(target * vbox / (4.0 / 3.0 * M_PI * pow(r_min, 3))) + 16;
    if (n_max > 2 * (size_t)EXO_MAX_CELLS)
        return EXO_ERROR(err, EXO_ERR_CONFIG,
                         "the volume fraction %g could take up to %zu of the smallest "
                         "cells; exobd takes at most %g cells", target, n_max,
                         (double)EXO_MAX_CELLS);
    EXO_ALLOC(g.head, bins, err, "the placement grid");
    EXO_ALLOC(g.next, n_max, err, "the placement grid");
    for (size_t b = 0; b < bins; b++)
        g.head[b] = -1;
    /* Attempts without success before giving up: near saturation the
     * accepted fraction falls as t^(-4/3), so this is generous up to about
     * 0.35 and stops an impossible request within seconds. */
    const uint64_t patience = 20000 + (uint64_t)(2000 * expect);
    double filled = 0;
    uint64_t k = 0, since = 0;
    while (filled < target * vbox) {
        if (since++ > patience) {
            rc = EXO_ERROR(err, EXO_ERR_CONFIG,
                           "random placement reached a volume fraction of only %.4f of "
                           "the %.4f asked for (%u cells, %llu draws); random "
                           "sequential addition saturates near %.3f, and gets there "
                           "slowly: ask for less, or use a lattice (simple_cubic up to "
                           "0.52, hexagonal up to 0.74)", filled / vbox, target,
                           sc->n_cells, (unsigned long long)k, EXO_RSA_JAMMING);
            goto cleanup;
        }
        exo_u32x4 u = draw(sc, k++);
        int32_t type = pick_type(sc, exo_u01(u.v[3]));
        double r = sc->cell_type[type].radius, c[3];
        for (int a = 0; a < 3; a++) {
            double lo = sc->box_lo[a], len = sc->box_hi[a] - lo;
            c[a] = periodic(sc, a) ? lo + len * exo_u01(u.v[a])
                                   : lo + r + (len - 2 * r) * exo_u01(u.v[a]);
        }
        if (overlaps(sc, &g, c, r, r_max))
            continue;
        exo_cell probe = {{c[0], c[1], c[2]}, r, type};
        if (exo_tissue_vessel_gap(sc, &probe) < 0)
            continue;
        if (sc->n_cells >= n_max) {
            rc = EXO_ERROR(err, EXO_ERR_INVALID, "random placement: more cells than expected");
            goto cleanup;
        }
        EXO_TRY(add_cell(sc, &cap, c, r, type, err));
        int32_t b = (grid_index(sc, &g, 2, c[2]) * g.n[1] + grid_index(sc, &g, 1, c[1])) *
                        g.n[0] + grid_index(sc, &g, 0, c[0]);
        g.next[sc->n_cells - 1] = g.head[b];
        g.head[b] = (int32_t)sc->n_cells - 1;
        filled += 4.0 / 3.0 * M_PI * r * r * r;
        since = 0;
    }
cleanup:
    free(g.head);
    free(g.next);
    return rc;
}

int exo_tissue_find_overlap(const exo_scenario *sc, uint32_t *i_out, uint32_t *j_out)
{
    /* Sort-free sweep: cells sorted by x would be faster; listed cells are
     * few (fixed placement), and lattices are checked by construction. */
    for (uint32_t i = 0; i < sc->n_cells; i++)
        for (uint32_t j = i + 1; j < sc->n_cells; j++) {
            double d = sc->cell[i].radius + sc->cell[j].radius;
            if (distance2(sc, sc->cell[i].centre, sc->cell[j].centre) < d * d * (1 - 1e-12)) {
                *i_out = i;
                *j_out = j;
                return 1;
            }
        }
    return 0;
}

exo_status exo_tissue_place(exo_scenario *sc, exo_error *err)
{
    if (sc->placement != EXO_PLACEMENT_FIXED) {
        free(sc->cell);
        sc->cell = NULL;
        sc->n_cells = 0;
    }
    switch (sc->placement) {
    case EXO_PLACEMENT_SIMPLE_CUBIC:
    case EXO_PLACEMENT_HEXAGONAL:
        return place_lattice(sc, err);
    case EXO_PLACEMENT_RANDOM:
        if (sc->cell_fraction > EXO_RSA_JAMMING)
            return EXO_ERROR(err, EXO_ERR_CONFIG,
                             "a volume fraction of %g is above what random placement "
                             "can reach: random sequential addition saturates at %.4f "
                             "(Zhang & Torquato 2013); use a lattice (simple_cubic up "
                             "to 0.52, hexagonal up to 0.74)", sc->cell_fraction,
                             EXO_RSA_JAMMING);
        return place_random(sc, err);
    default:
        break;
    }
    for (uint32_t i = 0; i < sc->n_cells; i++)
        for (int a = 0; a < 3; a++) {
            const exo_cell *c = &sc->cell[i];
            if (!periodic(sc, a) && (c->centre[a] - c->radius < sc->box_lo[a] ||
                                     c->centre[a] + c->radius > sc->box_hi[a]))
                return EXO_ERROR(err, EXO_ERR_CONFIG,
                                 "cell %u (centre %c = %g um, radius %g um) crosses the "
                                 "box face at %c = %g um", i, "xyz"[a], c->centre[a],
                                 c->radius, "xyz"[a],
                                 c->centre[a] < 0.5 * (sc->box_lo[a] + sc->box_hi[a])
                                     ? sc->box_lo[a] : sc->box_hi[a]);
        }
    uint32_t i, j;
    if (exo_tissue_find_overlap(sc, &i, &j))
        return EXO_ERROR(err, EXO_ERR_CONFIG,
                         "cells %u and %u overlap: their centres are %g um apart, less "
                         "than the sum of their radii %g um", i, j,
                         sqrt(distance2(sc, sc->cell[i].centre, sc->cell[j].centre)),
                         sc->cell[i].radius + sc->cell[j].radius);
    return EXO_OK;
}

/* ------------------------------------------------------------ lookup grid */

/* Distance from x to the interval [lo, hi] along one axis (0 inside). */
static double gap(double x, double lo, double hi)
{
    return x < lo ? lo - x : (x > hi ? x - hi : 0);
}

exo_status exo_tissue_grid_build(const exo_scenario *sc, double a_max, double step_max,
                                 exo_tissue_grid *out, exo_error *err)
{
    exo_status rc = EXO_OK;
    memset(out, 0, sizeof *out);
    exo_cell_grid *g = &out->grid;
    if (sc->n_cells == 0)
        return EXO_OK;
    const double reach = a_max + step_max, vbox = box_volume(sc);
    /* Bins about half the mean distance between cells, no smaller than a
     * step's reach, and at most 2^22 of them. */
    double edge = fmax(0.5 * cbrt(vbox / sc->n_cells), reach);
    size_t n_bins;
    for (;;) {
        n_bins = 1;
        for (int a = 0; a < 3; a++) {
            double len = sc->box_hi[a] - sc->box_lo[a];
            g->bins[a] = (int32_t)fmax(1, fmin(1 << 20, floor(len / edge)));
            n_bins *= (size_t)g->bins[a];
        }
        if (n_bins <= (1u << 22))
            break;
        edge *= 1.26;
    }
    for (int a = 0; a < 3; a++) {
        double len = sc->box_hi[a] - sc->box_lo[a];
        g->lo[a] = (exo_real)sc->box_lo[a];
        g->len[a] = (exo_real)len;
        g->inv_bin[a] = (exo_real)(g->bins[a] / len);
        g->periodic[a] = periodic(sc, a);
    }
    g->reach = (exo_real)step_max;
    /* Clearances are differences of coordinates of this size: a few ulps. */
    double extent = 0;
    for (int a = 0; a < 3; a++)
        extent = fmax(extent, fmax(fabs(sc->box_lo[a]), fabs(sc->box_hi[a])));
    g->slack = (exo_real)(extent * (sizeof(exo_real) == 4 ? 1e-6 : 1e-14) * 8);
    g->n_cells = (int32_t)sc->n_cells;
    EXO_ALLOC(out->cell, 4 * (size_t)sc->n_cells, err, "the cells for the device");
    EXO_ALLOC(out->cell_type, sc->n_cells, err, "the cells for the device");
    for (uint32_t i = 0; i < sc->n_cells; i++)
        out->cell_type[i] = sc->cell[i].type;
    EXO_ALLOC(out->bin_start, n_bins + 1, err, "the cell grid");
    memset(out->bin_start, 0, (n_bins + 1) * sizeof *out->bin_start);
    for (uint32_t i = 0; i < sc->n_cells; i++) {
        for (int a = 0; a < 3; a++)
            out->cell[4 * i + a] = (exo_real)sc->cell[i].centre[a];
        out->cell[4 * i + 3] = (exo_real)sc->cell[i].radius;
    }
    /* Two passes over every (cell, bin) pair that meet: count, then fill. */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (size_t b = 0; b < n_bins; b++)
                out->bin_start[b + 1] += out->bin_start[b];
            size_t listed = out->bin_start[n_bins];
            if (listed > UINT32_MAX / 2) {
                rc = EXO_ERROR(err, EXO_ERR_CONFIG, "the cell grid would list %zu cells",
                               listed);
                goto cleanup;
            }
            EXO_ALLOC(out->bin_cells, listed ? listed : 1, err, "the cell grid's lists");
        }
        uint32_t *fill = NULL;
        if (pass == 1) {
            EXO_ALLOC(fill, n_bins, err, "the cell grid");
            memcpy(fill, out->bin_start, n_bins * sizeof *fill);
        }
        for (uint32_t i = 0; i < sc->n_cells; i++) {
            const exo_cell *c = &sc->cell[i];
            double r = c->radius + reach, bin[3];
            long lo[3], hi[3];
            int all[3]; /* a periodic axis whose every bin is in reach */
            for (int a = 0; a < 3; a++) {
                bin[a] = (sc->box_hi[a] - sc->box_lo[a]) / g->bins[a];
                lo[a] = (long)floor((c->centre[a] - r - sc->box_lo[a]) / bin[a]);
                hi[a] = (long)floor((c->centre[a] + r - sc->box_lo[a]) / bin[a]);
                all[a] = g->periodic[a] && hi[a] - lo[a] + 1 >= g->bins[a];
                if (!g->periodic[a]) {
                    lo[a] = lo[a] < 0 ? 0 : lo[a];
                    hi[a] = hi[a] >= g->bins[a] ? g->bins[a] - 1 : hi[a];
                } else if (all[a]) {
                    lo[a] = 0;
                    hi[a] = g->bins[a] - 1;
                }
            }
            for (long z = lo[2]; z <= hi[2]; z++)
                for (long y = lo[1]; y <= hi[1]; y++)
                    for (long x = lo[0]; x <= hi[0]; x++) {
                        long idx[3] = {x, y, z};
                        double d2 = 0;
                        for (int a = 0; a < 3; a++) {
                            double b0 = sc->box_lo[a] + (double)idx[a] * bin[a];
                            /* an unwrapped index gives the plain distance */
                            double d = all[a] ? 0 : gap(c->centre[a], b0, b0 + bin[a]);
                            d2 += d * d;
                            idx[a] = ((idx[a] % g->bins[a]) + g->bins[a]) % g->bins[a];
                        }
                        if (d2 > r * r)
                            continue;
                        size_t b = ((size_t)idx[2] * (size_t)g->bins[1] + (size_t)idx[1]) *
                                       (size_t)g->bins[0] + (size_t)idx[0];
                        if (pass == 0)
                            out->bin_start[b + 1]++;
                        else
                            out->bin_cells[fill[b]++] = i;
                    }
        }
        free(fill);
    }
    out->lists.n_cells = sc->n_cells;
    out->lists.cell = out->cell;
    out->lists.n_bins = (uint32_t)n_bins;
    out->lists.bin_start = out->bin_start;
    out->lists.bin_cells = out->bin_cells;
    out->lists.cell_type = out->cell_type;
cleanup:
    if (rc != EXO_OK)
        exo_tissue_grid_free(out);
    return rc;
}

void exo_tissue_grid_free(exo_tissue_grid *g)
{
    if (g == NULL)
        return;
    free(g->cell);
    free(g->bin_start);
    free(g->bin_cells);
    free(g->cell_type);
    memset(g, 0, sizeof *g);
}

exo_status exo_tissue_grid_for_run(const exo_scenario *sc, exo_tissue_grid *out,
                                   exo_error *err)
{
    double a_max = 0, reach = 0;
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        if (sc->pop[k].vessel >= 0 && !sc->has_tissue)
            continue; /* never among the cells */
        exo_step_params p;
        exo_scenario_step_params(sc, k, &p, NULL);
        double drift = sqrt((double)p.drift[0] * p.drift[0] + (double)p.drift[1] * p.drift[1] +
                            (double)p.drift[2] * p.drift[2]);
        a_max = fmax(a_max, sc->pop[k].radius_max);
        reach = fmax(reach, 12 * (double)exo_vesicle_sigma(&p, (exo_real)sc->pop[k].radius_min) +
                                drift + (double)p.radial_speed_dt);
    }
    return exo_tissue_grid_build(sc, a_max, reach, out, err);
}

double exo_tissue_device_bytes(const exo_scenario *sc)
{
    exo_tissue_grid g;
    exo_error err;
    memset(&err, 0, sizeof err);
    if (sc->n_cells == 0 || exo_tissue_grid_for_run(sc, &g, &err) != EXO_OK)
        return 0;
    double bytes = (double)sc->n_cells * (4 * sizeof(exo_real) + sizeof(int32_t)) +
                   4.0 * (g.lists.n_bins + 1) + 4.0 * g.bin_start[g.lists.n_bins];
    exo_tissue_grid_free(&g);
    return bytes;
}
