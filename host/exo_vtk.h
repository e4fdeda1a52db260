/*
 * exo_vtk: the static geometry beside the trajectory, for ParaView.
 *
 * Writes the vessel walls and a tissue's cells as legacy ASCII VTK
 * polydata files (DESIGN.md section 6: ParaView 5.11 opens them in the
 * same window as the .xdmf), in nm like the trajectory.  Vessel walls carry
 * the cell data "vessel" (index) and "region" (index within its vessel, -1
 * outside every region); tissue cells are triangulated spheres with the
 * cell data "cell" (index) and "cell_type" (index into the scenario's
 * cell_types), or, beyond EXO_VTK_MAX_SPHERES cells, their centres as
 * vertices with the point data "radius" (nm) for ParaView's Glyph filter.
 * Knows the scenario, nothing about HDF5 or the device.
 */
#ifndef EXO_VTK_H
#define EXO_VTK_H

#include "exo_scenario.h"

/** Above this many cells the cells file holds centres and radii only. */
#define EXO_VTK_MAX_SPHERES 20000

/** The geometry file name for an output path and a kind ("vessels",
 *  "cells"): OUT.h5 -> OUT.vessels.vtk.  Returns 0, or -1 if it does not
 *  fit in n bytes. */
int exo_vtk_path(const char *h5_path, const char *kind, char *out, size_t n);

/** Write the scenario's tissue cells to `path` (as the vessels). */
exo_status exo_vtk_write_cells(const exo_scenario *sc, const char *path, exo_error *err);

/** Write the walls of every vessel of the scenario to `path` (written to a
 *  temporary file and renamed, so a partial file never has the name). */
exo_status exo_vtk_write_vessels(const exo_scenario *sc, const char *path,
                                 exo_error *err);

#endif /* EXO_VTK_H */
