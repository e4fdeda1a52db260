/*
 * exo_vtk: the static geometry beside the trajectory, for ParaView.
 *
 * Writes the vessel walls as a legacy ASCII VTK polydata file (DESIGN.md
 * section 6: ParaView 5.11 opens it in the same window as the .xdmf), in nm
 * like the trajectory, with the cell data "vessel" (index) and "region"
 * (index within its vessel, -1 outside every region).  Knows the scenario,
 * nothing about HDF5 or the device.
 */
#ifndef EXO_VTK_H
#define EXO_VTK_H

#include "exo_scenario.h"

/** The geometry file name for an output path: OUT.h5 -> OUT.vessels.vtk.
 *  Returns 0, or -1 if it does not fit in n bytes. */
int exo_vtk_path(const char *h5_path, char *out, size_t n);

/** Write the walls of every vessel of the scenario to `path` (written to a
 *  temporary file and renamed, so a partial file never has the name). */
exo_status exo_vtk_write_vessels(const exo_scenario *sc, const char *path,
                                 exo_error *err);

#endif /* EXO_VTK_H */
