/*
 * exo_h5: the output file, H5MD 1.1 with an XDMF 3 sidecar for ParaView.
 *
 * This module is the only one that includes hdf5.h.  It writes what the run
 * loop hands it, already converted to output units (positions and radii in
 * nm, time in s); it does no physics and never sees the device.  Layout
 * (docs/output.md has the full description):
 *
 *   /h5md                     version=[1,1]; author/, creator/ groups
 *   /particles/vesicles/box   dimension=3, boundary[3];
 *                             edges/{step,time,value[T,3]} (nm)
 *   /particles/vesicles/position  step[T], time[T], value[T,N,3] float32 nm
 *   /particles/vesicles/image     value[T,N,3] int32   (if periodic)
 *   /particles/vesicles/state     value[T,N] int8
 *   /particles/vesicles/bonds     value[T,N] uint8 (if asked for)
 *   /particles/vesicles/id, radius, population   datasets [N]
 *   /observables/<name>       step[T], time[T], value[T] int64 (counts) or
 *                             float64 (real observables: doses)
 *   /events/<kind>            step[E] int64, time[E] float64 s, id[E] int64,
 *                             position[E,3] float32 nm, surface[E] int32
 *                             (attribute names), region[E] int32 (attribute
 *                             names), patch[E] int32, bonds[E] int32
 *   /parameters/exobd         scenario (resolved text), derived (text), attrs
 *   /xdmf/iota                int32 0..N-1 (Polyvertex connectivity)
 *   /xdmf/frames/<k>/position, state, image, bonds   virtual views of row k
 *   /density/<state>          step[D], time[D], value[D,nz,ny,nx] uint32:
 *                             vesicles per voxel (output.density)
 *   /xdmf/density/<k>/<state> virtual views of row k of each
 *
 * Density images have their own sidecar, OUT.density.xdmf (3DCoRectMesh
 * grids with one cell array per state), written the same way.
 *
 * A shared file (layout.shared, the MPI build with several ranks) is
 * written by every rank through parallel HDF5 (the MPI-IO driver): rank 0
 * creates it as one process would, then every rank opens it and writes its
 * rows of each per-vesicle dataset; what every rank holds alike (step and
 * time, observables, events, density images) is written by rank 0, and
 * rank 0 alone writes the XDMF sidecars.  The layout is that of a file one
 * process writes, so readers cannot tell the two apart.
 *
 * The sidecar OUT.xdmf names a frame only after the HDF5 file has been
 * flushed with that frame in it; a frame is appended by rewriting only the
 * closing tags.  The root attribute /h5md@exobd_status is "running" while
 * the file is written and "complete" or "incomplete" when it is closed.
 */
#ifndef EXO_H5_H
#define EXO_H5_H

#include <stdint.h>
#include "exobd/exobd.h"

typedef struct exo_h5 exo_h5;

/** Everything fixed for the whole file; borrowed for the create call only. */
typedef struct exo_h5_layout {
    const char *path;               /* the .h5 file; the sidecar is the same
                                       path with ".h5" replaced by ".xdmf"
                                       (or ".xdmf" appended)                 */
    uint64_t n;                     /* vesicles written per frame (N)        */
    uint64_t row_first, row_count;  /* the rows of the per-vesicle datasets
                                       this process writes (id, radius,
                                       population, each frame's position,
                                       image, state, bonds) when shared; all
                                       N (these are not read) otherwise     */
    int shared;                     /* MPI: every rank of the run opens the
                                       one file (parallel HDF5) with the same
                                       layout, its own rows, and makes every
                                       call below together with the others  */
    const int64_t *id;              /* [row_count] global vesicle ids        */
    const float *radius_nm;         /* [row_count]                           */
    const int32_t *population;      /* [row_count] population index          */
    const char *const *population_names; /* [n_populations]                 */
    uint32_t n_populations;
    double box_lower_nm[3];         /* box corner; stored as an attribute    */
    double box_edges_nm[3];         /* upper - lower                         */
    int periodic[3];                /* 1 if the axis is periodic             */
    int write_position;             /* fields to write per frame (0/1)       */
    int write_state;
    int write_image;
    int write_bonds;
    int compression;                /* 0: none; 1..9: shuffle + deflate level */
    const char *const *observable_names; /* [n_observables] scalar int64 series */
    uint32_t n_observables;
    const char *const *real_observable_names; /* [n_real_observables] float64 */
    uint32_t n_real_observables;
    const char *const *event_kinds;  /* [n_event_kinds] names under /events;
                                        0: no events                         */
    uint32_t n_event_kinds;
    const char *const *surface_names; /* [n_surfaces]: what /events/<kind>/
                                         surface indexes                     */
    uint32_t n_surfaces;
    const char *const *region_names; /* [n_regions]: what /events/<kind>/
                                        region indexes (all vessels' regions) */
    uint32_t n_regions;
    const char *const *cell_type_names; /* [n_cell_types]: what /events/<kind>/
                                           cell_type indexes                 */
    uint32_t n_cell_types;
    const double *cell_type_density; /* [n_cell_types] receptor density bound
                                        on its membrane (1/um^2; 0: none)    */
    const double *region_density;   /* [n_regions] receptor density bound on
                                       its wall (1/um^2; 0: none)            */
    const int64_t *population_first; /* [n_populations] first id, and count */
    const int64_t *population_count;
    const int32_t *population_combination; /* [n_populations] sweep combination
                                        and replicate (-1: not swept); NULL:
                                        no sweep                             */
    const int32_t *population_replicate;
    const char *const *sweep_settings; /* [n_sweep_settings] swept settings  */
    uint32_t n_sweep_settings;
    const double *sweep_values;     /* [n_populations x n_sweep_settings] the
                                       swept values (internal units), row per
                                       population (NaN: not swept)           */
    const char *const *sequence_settings; /* [n_sequence_settings] paths of a
                                       sweep.sequence (0: none)              */
    uint32_t n_sequence_settings;
    const char *const *sequence_values; /* [n_sequence_settings] this run's
                                       values, as libconfig text             */
    int64_t sequence_run;           /* this run of the sequence              */
    uint32_t sequence_runs;         /* its runs                              */
    const double *cargo_amount;     /* [n_populations] cargo per vesicle     */
    const double *cargo_sd;         /* [n_populations] its spread (or NULL)  */
    const double *cargo_release_rate; /* [n_populations] 1/s                 */
    const char *scenario_text;      /* the resolved scenario (libconfig text) */
    const char *derived_text;       /* derived quantities, as `exobd check`   */
    const char *scenario_name;
    const char *device_name;        /* what ran the simulation                */
    uint64_t seed;
    double dt_s;
    uint32_t density_bins[3];       /* voxels along x, y, z; all 0: no images */
    double density_lower_nm[3];     /* the grid's lower corner               */
    double density_voxel_nm[3];     /* voxel edges                           */
    const char *const *density_names; /* [n_density]: one image per state    */
    uint32_t n_density;
} exo_h5_layout;

/** Create (truncate) the file and its sidecar and write everything
 *  time-independent.  Fails with EXO_ERR_IO naming the path when the file
 *  cannot be created. */
exo_status exo_h5_create(exo_h5 **out, const exo_h5_layout *layout,
                         exo_error *err);

/**
 * Append one frame: extends every time-dependent dataset by one row, writes
 * step and time, creates the per-frame virtual views under /xdmf/frames/<k>,
 * flushes the file, and only then appends the frame to the XDMF sidecar.
 * @param pos_nm  [N*3] interleaved x,y,z in nm (required if write_position)
 * @param image   [N*3] interleaved, or NULL if !write_image
 * @param state   [N], or NULL if !write_state
 * @param bonds   [N], or NULL if !write_bonds
 */
exo_status exo_h5_write_frame(exo_h5 *h, int64_t step, double time_s,
                              const float *pos_nm, const int32_t *image,
                              const int8_t *state, const uint8_t *bonds,
                              exo_error *err);

/** How much of each series a file holds: frames, observable rows (counts
 *  and real ones), events per kind.  A checkpoint stores it; resuming cuts
 *  the file back to it (exo_h5_reopen). */
#define EXO_H5_MAX_EVENT_KINDS 8
typedef struct exo_h5_cursor {
    uint64_t frames, obs_rows, robs_rows, density_rows;
    uint64_t event_rows[EXO_H5_MAX_EVENT_KINDS];
} exo_h5_cursor;

void exo_h5_cursor_get(const exo_h5 *h, exo_h5_cursor *at);

/** Open a file written by exo_h5_create with the same layout to go on
 *  writing it: every series is cut back to the cursor (rows written after
 *  it are dropped, with the frame views past it), /h5md@exobd_status is
 *  "running" again and the XDMF sidecar is rewritten for the frames kept.
 *  EXO_ERR_IO naming the file when it cannot be opened or holds less than
 *  the cursor counts. */
exo_status exo_h5_reopen(exo_h5 **out, const exo_h5_layout *layout,
                         const exo_h5_cursor *at, exo_error *err);

/** Flush everything written so far to disk. */
exo_status exo_h5_flush(exo_h5 *h, exo_error *err);

/** Append one row to every observable: values[n_observables]. */
exo_status exo_h5_write_observables(exo_h5 *h, int64_t step, double time_s,
                                    const int64_t *values, exo_error *err);

/**
 * Append n events of kind `kind` (0..n_event_kinds-1), in the order given
 * (the caller sorts them by step, then id): step, time (s), vesicle id,
 * position (nm, interleaved x,y,z), surface index (-1: none), region index
 * (-1: outside every region), receptor patch (-1: none), bonds held
 * after the event, route (crossings; 0 otherwise), and the cell and its
 * type where it happened on a cell (-1: not on a cell).  They reach the
 * disk with the next frame's flush, or at close.
 */
exo_status exo_h5_write_events(exo_h5 *h, uint32_t kind, uint64_t n, const int64_t *step,
                               const double *time_s, const int64_t *id,
                               const float *pos_nm, const int32_t *surface,
                               const int32_t *region, const int32_t *patch,
                               const int32_t *bonds, const int8_t *route, const int32_t *cell,
                               const int32_t *cell_type, exo_error *err);

/** Append one density image of every state (counts[n_density][nz][ny][nx],
 *  C order) at step/time (s), flush, and only then name it in the
 *  density sidecar. */
exo_status exo_h5_write_density(exo_h5 *h, int64_t step, double time_s,
                                const uint32_t *counts, exo_error *err);

/** Append one row to every real (float64) observable: values[n_real]. */
exo_status exo_h5_write_real_observables(exo_h5 *h, int64_t step, double time_s,
                                         const double *values, exo_error *err);

/** Number of frames written so far. */
uint64_t exo_h5_frames(const exo_h5 *h);

/** Set /h5md@exobd_status to "complete" (complete=1) or "incomplete",
 *  close everything and free @p h.  Every close is checked; NULL is a no-op. */
exo_status exo_h5_close(exo_h5 *h, int complete, exo_error *err);

#endif /* EXO_H5_H */
