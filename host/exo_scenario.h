/*
 * exo_scenario: the validated scenario, the single source of every setting
 * and derived quantity a run uses.
 *
 * exo_config fills it from a libconfig file (the only module that reads
 * libconfig); everything downstream reads it and never looks at the file.
 * All values are in internal units (um, s, K, Pa s, pN).  This module also
 * derives the per-run physics constants and describes the scenario for
 * `exobd check` and for /parameters/exobd/derived in the output.
 */
#ifndef EXO_SCENARIO_H
#define EXO_SCENARIO_H

#include "exo_sweep.h"
#include <stdint.h>
#include <stdio.h>
#include "exobd/exobd.h"
#include "shared/exo_types.h"

#define EXO_NAME_MAX 64

#ifndef M_PI /* strict C11 does not define it */
#define M_PI 3.14159265358979323846
#endif
#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif

/* Output fields (bit mask). */
#define EXO_FIELD_POSITION 1u
#define EXO_FIELD_STATE 2u
#define EXO_FIELD_IMAGE 4u
#define EXO_FIELD_BONDS 8u

/* Surface behaviours (scenario `surfaces`, DESIGN.md section 4). */
#define EXO_SURFACE_REFLECT 0
#define EXO_SURFACE_ABSORB 1
#define EXO_SURFACE_ADSORB 2
#define EXO_SURFACE_BIND 3
#define EXO_SURFACE_LEAKY 4    /* a vessel wall with pores to the tissue    */
#define EXO_MAX_SURFACES 32
#define EXO_MAX_RECEPTORS 8     /* receptor types per surface              */
#define EXO_MAX_BINDINGS 32

/** A receptor type on a surface (behaviour bind). */
typedef struct exo_receptor {
    char type[EXO_NAME_MAX];
    double density;            /* 1/um^2                                   */
} exo_receptor;

/** A ligand-receptor pair's kinetics (scenario `binding`, PHYSICS.md 5). */
typedef struct exo_binding {
    char ligand[EXO_NAME_MAX], receptor[EXO_NAME_MAX];
    double k_on;               /* 2D on-rate, um^2/s                       */
    double k_off;              /* off-rate at zero force (slip), 1/s       */
    double bond_length;        /* reach delta, um                          */
    double x_beta;             /* Bell distance of the slip pathway, um    */
    double catch_rate;         /* k_c of the catch pathway, 1/s (0: none)  */
    double catch_length;       /* x_c, um                                  */
} exo_binding;

typedef struct exo_surface {
    char name[EXO_NAME_MAX];
    int behaviour;             /* EXO_SURFACE_*                            */
    double kappa;              /* um/s, Robin rate of an adsorbing surface */
    int adsorbed_state;        /* EXO_STATE_BOUND (stays) or _ABSORBED     */
    double desorption_rate;    /* 1/s, first-order release of a bound
                                  vesicle; 0: it stays for good            */
    exo_receptor receptor[EXO_MAX_RECEPTORS]; /* behaviour bind           */
    uint32_t n_receptors;
    double uptake_rate;        /* 1/s, internalization of a bound vesicle  */
    int uptake_min_bonds;      /* fewest bonds for internalization         */
    int patches[2];            /* receptor patches on a vessel wall: along
                                  the axis, around it (other slots: 1)     */
    double recovery_rate;      /* 1/s, return of receptors taken in by
                                  internalized vesicles                   */
    int depletion;             /* 1: bonds use up the receptors of their
                                  patch; 0: receptors never run out       */
    double transcytosis_rate;  /* 1/s, bind surface on a vessel wall with a
                                  tissue beside it: a bound vesicle crosses
                                  to the tissue (0: none)                  */
    double pore_radius;        /* leaky: r_p, um                           */
    double pore_density;       /* leaky: n_p, pores per um^2 of wall       */
    int pores_explicit;        /* leaky: 1 explicit pores on rings, 0 the
                                  homogenised Robin wall                   */
} exo_surface;

/** One receptor patch: a piece of a receptor surface where one domain's
 *  vesicles bind (exo_scenario_patches). */
typedef struct exo_patch_info {
    uint64_t receptors;        /* density x area, rounded to a whole number
                                  at random (exo_scenario_patches)        */
    double expected;           /* density x area                           */
    double recovery_rate;      /* 1/s                                      */
} exo_patch_info;

#define EXO_MAX_VESSELS 16

/** A named axial stretch of a vessel, with its own wall if given. */
typedef struct exo_region {
    char name[EXO_NAME_MAX];
    double from, to;           /* um from the inlet, from <= s < to        */
    int32_t wall;              /* EXO_FACE_* of its wall                   */
    int32_t wall_surface;      /* surface index or -1                      */
} exo_region;

/** A straight cylindrical vessel along any direction. */
typedef struct exo_vessel {
    char name[EXO_NAME_MAX];
    double origin[3];          /* um, centre of the inlet face             */
    int axis;                  /* 0 x, 1 y, 2 z, or -1: another direction  */
    double frame[9];           /* unit axis (flow direction), then two unit
                                  vectors across it (exo_vessel_set_axis)  */
    double radius, length;     /* um                                       */
    double mean_velocity;      /* U, um/s; Poiseuille u(r) = 2U(1 - r^2/R^2) */
    int32_t end[2];            /* EXO_FACE_* of inlet and outlet           */
    int32_t end_surface[2];    /* surface index or -1                      */
    int32_t wall;              /* EXO_FACE_REFLECT, _ABSORB or _ADSORB      */
    int32_t wall_surface;      /* surface index or -1                      */
    exo_region region[EXO_MAX_REGIONS];
    uint32_t n_regions;
    int hindered;              /* 1: near-wall hindered diffusion          */
} exo_vessel;

/* How a tissue's cells are placed (geometry.tissue.placement). */
#define EXO_PLACEMENT_SIMPLE_CUBIC 0
#define EXO_PLACEMENT_HEXAGONAL 1  /* hexagonal close-packed layers (ABAB) */
#define EXO_PLACEMENT_RANDOM 2     /* random sequential addition          */
#define EXO_PLACEMENT_FIXED 3      /* the listed cells                    */
#define EXO_MAX_CELL_TYPES 8

/** A kind of cell of the tissue (tumour, normal, neuron, ...). */
typedef struct exo_cell_type {
    char name[EXO_NAME_MAX];
    double radius;             /* um                                       */
    double share;              /* fraction of the placed cells (lattice and
                                  random placement), normalised            */
    int surface;               /* index into surface[]: what the cell's
                                  surface does (absorb, or adsorb into state
                                  absorbed: uptake), or -1: it reflects    */
} exo_cell_type;

/** One cell: an impermeable sphere. */
typedef struct exo_cell {
    double centre[3];          /* um                                       */
    double radius;             /* um                                       */
    int32_t type;              /* index into cell_type[]                   */
} exo_cell;

typedef struct exo_population {
    char name[EXO_NAME_MAX];
    uint32_t count;
    uint32_t first;            /* index of its first vesicle               */
    uint32_t distribution;     /* EXO_RADIUS_FIXED | EXO_RADIUS_LOGNORMAL   */
    double radius_median;      /* um; the radius if fixed                  */
    double radius_sigma;       /* sigma of ln(radius)                      */
    double radius_min;         /* um (lognormal truncation)                */
    double radius_max;         /* um                                       */
    double start_lo[3];        /* um; a point start has lo == hi           */
    double start_hi[3];        /* um                                       */
    int start_point;           /* 1: kind = "point"                        */
    int vessel;                /* index of its vessel, or -1: the box      */
    double infusion_rate;      /* 1/s: enters through the inlet as a Poisson
                                  process; 0: all present at t = 0         */
    double s_lo, s_hi;         /* lumen start: axial range from the inlet  */
    char ligand[EXO_NAME_MAX]; /* ligand type ("" : none)                  */
    int ligand_distribution;   /* EXO_LIGANDS_*                            */
    double ligand_mean;        /* copies per vesicle                       */
    double ligand_sd;          /* normal: standard deviation               */
    double ligand_max;         /* the most any vesicle carries (mean + 6 sd,
                                  for the checks)                          */
    int binding;               /* index into binding[] of its pair, or -1  */
    double cargo_amount;       /* cargo per vesicle (the user's unit): the
                                  mean where it varies                     */
    double cargo_sd;           /* spread of the loading between vesicles
                                  (exo_cargo_loading); 0: all the same     */
    double cargo_release_rate; /* 1/s, first-order leakage until uptake    */
    double k_on_swept;         /* um^2/s, its pair's on-rate from a sweep,
                                  or -1: the pair's (exo_scenario_pair)    */
    double k_off_swept;        /* 1/s, likewise, or -1                      */
    uint32_t source;           /* its group in the scenario's `vesicles`   */
    int32_t sweep_combination; /* its combination of the sweep, or -1       */
    int32_t sweep_replicate;   /* its replicate of that combination, or -1  */
} exo_population;

/** sweep.sequence: settings whose values cannot differ between the
 *  vesicles of one run (geometry, flow, surfaces, the medium), run one
 *  after another.  Each run is the scenario with one combination of the
 *  values applied as overrides; `exobd run` runs them in turn, each into
 *  OUT_run<S>.h5, and sweep.run = S runs one (docs/scenario.md). */
#define EXO_SEQUENCE_MAX_SETTINGS 4
#define EXO_SEQUENCE_MAX_RUNS 4096
typedef struct exo_sequence {
    uint32_t n_settings;       /* 0: no sequence                           */
    uint32_t n_runs;           /* the product of the settings' value counts */
    int64_t run;               /* this scenario's run, 0..n_runs-1; -1: none
                                  chosen (run 0's values are loaded)       */
    char *setting[EXO_SEQUENCE_MAX_SETTINGS];  /* scenario paths            */
    uint32_t n_values[EXO_SEQUENCE_MAX_SETTINGS];
    char **value[EXO_SEQUENCE_MAX_SETTINGS];   /* [n_values] libconfig text */
} exo_sequence;

/** The value index of setting j in run s (the last setting varies
 *  fastest). */
uint32_t exo_sequence_index(const exo_sequence *q, uint32_t s, uint32_t j);

/** @p path with "_run<S>" before its ".h5" (appended if it has none) for
 *  a scenario that is run S of a sequence, else a copy; malloc'd, NULL
 *  out of memory. */
char *exo_scenario_run_path(const exo_scenario *sc, const char *path);

struct exo_scenario {
    char *source;              /* file path (or the name given for text)   */
    char name[EXO_NAME_MAX];
    uint64_t seed;

    double dt;                 /* s                                        */
    uint64_t steps;
    uint64_t receptor_update_every; /* steps between updates of the receptor
                                       availabilities                      */

    double temperature;        /* K                                        */
    double viscosity;          /* Pa s                                     */
    double clearance_rate;     /* 1/s, first-order removal of free vesicles
                                  from the blood (state cleared); 0: none  */
    double flow[3];            /* um/s, uniform                            */
    double radial_speed;       /* um/s, radial interstitial flow (medium.flow
                                  kind "radial"): outward speed at the
                                  tumour's radius; 0: none                 */
    double radial_centre[3];   /* um                                       */
    double radial_radius;      /* um                                       */

    exo_population *pop;
    uint32_t n_pop;
    uint64_t n_vesicles;
    uint32_t id0;              /* global id of the first vesicle (a sweep's
                                  `only` run keeps its ids in the sweep)    */
    exo_sweep sweep;           /* the parameter study, or inactive         */
    exo_sequence sequence;     /* settings run one after another, or none  */

    exo_surface surface[EXO_MAX_SURFACES];
    uint32_t n_surfaces;

    exo_binding binding[EXO_MAX_BINDINGS];
    uint32_t n_bindings;

    exo_vessel vessel[EXO_MAX_VESSELS];
    uint32_t n_vessels;
    int has_box;               /* geometry.box given (else: the vessels'
                                  bounding box, for output only)           */

    /* geometry.tissue: cells in the box (exo_tissue.c places them at load) */
    int has_tissue;            /* geometry.tissue given; beside a vessel, the
                                  box outside it is the tissue compartment */
    int placement;             /* EXO_PLACEMENT_*                          */
    double cell_spacing;       /* um, nearest-neighbour distance (lattices) */
    double cell_fraction;      /* requested volume fraction (random)       */
    exo_cell_type cell_type[EXO_MAX_CELL_TYPES];
    uint32_t n_cell_types;
    exo_cell *cell;            /* the placed cells (malloc'd)              */
    uint32_t n_cells;
    /* geometry.tissue.effective_diffusion: the extracellular space without
     * explicit cells, D_ECS = D f_hind(2a / w) / lambda^2 (PHYSICS.md 6) */
    double ecs_tortuosity;     /* lambda; 0: not used                      */
    double ecs_width;          /* w, um; 0: no hindrance                   */

    double box_lo[3], box_hi[3]; /* um                                     */
    int32_t face[6];           /* EXO_FACE_* for x-, x+, y-, y+, z-, z+     */
    int32_t face_surface[6];   /* index into surface[] for a face that names
                                  a surface, else -1                       */

    char *output_file;         /* "" = no output                           */
    uint64_t output_every;     /* steps between frames; 0: first and last  */
    uint32_t output_fields;    /* EXO_FIELD_* mask                         */
    uint64_t output_sample;    /* vesicles written per frame               */
    int output_compression;    /* 0..9                                     */
    uint64_t observables_every;/* steps between observable rows            */
    int output_events;         /* 1: record binding, unbinding and uptake
                                  events (/events)                         */
    /* output.density: voxel histograms of vesicles per state, with frames */
    uint64_t density_every;    /* frames between images; 0: none           */
    double density_lo[3], density_hi[3]; /* um, the grid's corners         */
    uint32_t density_bins[3];  /* voxels along x, y, z                     */
    uint32_t density_states;   /* bit mask of EXO_STATE_* imaged           */

    char *resolved_text;       /* the scenario after --set, libconfig text */
};

/** kT in pN um. */
double exo_scenario_kT(const exo_scenario *sc);

/** Diffusivity (um^2/s) of a vesicle of radius a (um). */
double exo_scenario_D(const exo_scenario *sc, double a);

/** The cargo vesicle `id` (global) carries: mean + sd z, z a standard
 *  normal from Philox (id, 0, EXO_RNG_CARGO) under the seed, and never
 *  below 0 (an empty vesicle).  Host only: the device never needs it. */
double exo_cargo_loading(uint64_t seed, uint32_t id, double mean, double sd);

/** Population k's ligand-receptor pair (it must bind), with the on- and
 *  off-rates a sweep gave it. */
exo_binding exo_scenario_pair(const exo_scenario *sc, uint32_t k);

/** Fill the step parameters of population k's launches, and its surface
 *  slot table (slots may be NULL where only p is wanted). */
void exo_scenario_step_params(const exo_scenario *sc, uint32_t k, exo_step_params *p,
                              exo_slot_table *slots);

/** Fill the injection parameters of population k. */
void exo_scenario_init_params(const exo_scenario *sc, uint32_t k,
                              exo_init_params *ip);

/** Set a vessel's axis to the direction dir (need not be unit length,
 *  must not be zero) and its frame; axis becomes 0, 1 or 2 for +x, +y, +z
 *  and -1 otherwise.  The two vectors across +x, +y, +z are the next two
 *  coordinate axes in cyclic order (y, z for x; z, x for y; x, y for z). */
void exo_vessel_set_axis(exo_vessel *v, const double dir[3]);

/** Explicit pores of density n_p (1/um^2) on the wall of vessel v:
 *  *around pores per ring, rings *pitch um apart (a whole number of rings
 *  along periodic ends, so the density may differ a little from n_p). */
void exo_scenario_pore_lattice(const exo_vessel *v, double n_p, int32_t *around,
                               exo_real *pitch);

/** The point at vessel coordinates (s along the axis from the inlet, y and
 *  z across it) of vessel v, in um. */
void exo_vessel_point(const exo_vessel *v, double s, double y, double z, double x[3]);

/** Per-contact adsorption probability kappa sqrt(pi dt / (4 D)) of a
 *  vesicle of radius a at a surface of Robin rate kappa (um/s): the
 *  Erban-Chapman probability halved because Brownian-bridge touches count
 *  as contacts (PHYSICS.md section 4.3). */
double exo_scenario_adsorb_probability(const exo_scenario *sc, double kappa,
                                       double a);

/** The receptor density (1/um^2) that population k's ligand binds on
 *  surface j, or 0 (no matching receptor, or not a receptor surface). */
double exo_scenario_receptor_density(const exo_scenario *sc, uint32_t k, int j);

/** Shear load coefficient of a vessel's wall: a vesicle of radius a bound
 *  there feels F = coefficient a^2 (pN, a in um); Goldman, Cox & Brenner
 *  at the wall shear rate 4|U|/R (PHYSICS.md 5). */
double exo_scenario_wall_load_coef(const exo_scenario *sc, const exo_vessel *v);

/** The surface (index into surface[], or -1) on slot `slot` (EXO_SLOTS)
 *  for population k's vesicles. */
int exo_scenario_slot_surface(const exo_scenario *sc, uint32_t k, int slot);

/** The receptor patches of the run (NULL-safe *out; free() it): every
 *  receptor surface slot where some population binds, one patch per box
 *  face or vessel end, n_axial x n_around on a vessel wall or region;
 *  then, where some cell type's receptors deplete, one per cell.
 *  Returns their number.  exo_scenario_step_params numbers them the same
 *  way (patch_base). */
uint32_t exo_scenario_patches(const exo_scenario *sc, exo_patch_info **out);

/** Number of frames the run writes (0 if no position/state output). */
uint64_t exo_scenario_frames(const exo_scenario *sc);

/** Whether step s (0..steps) is a frame / an observables row. */
int exo_scenario_is_frame(const exo_scenario *sc, uint64_t s);
int exo_scenario_is_observation(const exo_scenario *sc, uint64_t s);

/** Estimated output size in bytes (uncompressed). */
double exo_scenario_output_bytes(const exo_scenario *sc);

/**
 * Print the derived quantities (as `exobd check` does): D and rms step per
 * population against the box, steps and frames, device memory, output
 * size, and warnings.  Returns the number of warnings printed.
 */
int exo_scenario_describe(const exo_scenario *sc, size_t bytes_per_vesicle,
                          FILE *out);

#endif /* EXO_SCENARIO_H */
