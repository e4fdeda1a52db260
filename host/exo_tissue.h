/*
 * exo_tissue: the cells of a tissue (geometry.tissue) and the grid the
 * kernels find them by.
 *
 * Cells are impermeable spheres in the box.  They are placed once, when the
 * scenario loads (exo_config calls exo_tissue_place, so an impossible
 * packing is an input error naming the setting): on a simple cubic or
 * hexagonal close-packed lattice, at random without overlap up to a volume
 * fraction (random sequential addition, seeded by the run's seed), or at
 * the positions the scenario lists.  exo_tissue_grid then builds the
 * uniform grid of exo_cell_grid for the device.  Knows the scenario, not
 * the device, libconfig or HDF5.
 */
#ifndef EXO_TISSUE_H
#define EXO_TISSUE_H

#include "exo_backend.h"
#include "exo_scenario.h"

/** Random sequential addition of equal spheres saturates at a volume
 *  fraction of 0.3828 (Zhang & Torquato 2013); a random placement may ask
 *  for at most this. */
#define EXO_RSA_JAMMING 0.3828

/** Most cells a tissue may have (a cubic millimetre of 13-um cells is
 *  about 5e5). */
#define EXO_MAX_CELLS 1000000

/** Place the cells of sc's tissue into sc->cell / sc->n_cells (replacing
 *  any there).  Fails with EXO_ERR_CONFIG and a message saying what is
 *  impossible (cells that overlap or leave the box, a lattice that does
 *  not tile a periodic axis, a volume fraction the placement cannot
 *  reach); the caller adds the file and line. */
exo_status exo_tissue_place(exo_scenario *sc, exo_error *err);

/** How far cell lies outside the vessel beside the tissue (um; the gap
 *  between the cell and the vessel wall, < 0 where they overlap), or
 *  INFINITY without one. */
double exo_tissue_vessel_gap(const exo_scenario *sc, const exo_cell *cell);

/** The cells' volume (um^3) over the box volume. */
double exo_tissue_volume_fraction(const exo_scenario *sc);

/** The first pair of cells (i < j) that overlap, or 0 if none: *i, *j. */
int exo_tissue_find_overlap(const exo_scenario *sc, uint32_t *i, uint32_t *j);

/** A grid and its bin lists (free with exo_tissue_grid_free). */
typedef struct exo_tissue_grid {
    exo_cell_grid grid;        /* for exo_step_params / exo_init_params   */
    exo_cell_lists lists;      /* for the backend (points into the arrays
                                  below)                                 */
    exo_real *cell;
    uint32_t *bin_start, *bin_cells;
    int32_t *cell_type;
} exo_tissue_grid;

/** Build the lookup grid of sc's cells for vesicles of radius up to
 *  a_max that move at most `step_max` in one step (um): each bin lists
 *  every cell whose sphere, grown by a_max + step_max, meets the bin.
 *  With no cells, an empty grid (n_cells 0). */
exo_status exo_tissue_grid_build(const exo_scenario *sc, double a_max, double step_max,
                                 exo_tissue_grid *out, exo_error *err);
void exo_tissue_grid_free(exo_tissue_grid *g);

/** The grid a run of sc uses: for its box populations' largest vesicle
 *  and longest step (12 rms steps of the smallest vesicle -- the normals are
 *  truncated at 6.7 sigma per axis, exo_rng.h -- plus the drift, radial
 *  flow at its fastest). */
exo_status exo_tissue_grid_for_run(const exo_scenario *sc, exo_tissue_grid *out,
                                   exo_error *err);

/** Bytes the grid of a run of sc takes on the device (cells, types and bin
 *  lists), or 0 without cells. */
double exo_tissue_device_bytes(const exo_scenario *sc);

#endif /* EXO_TISSUE_H */
