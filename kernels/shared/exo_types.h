/*
 * exo_types: the plain data that crosses between host and device.
 *
 * Structs here are passed by value as kernel arguments, so their layout must
 * be identical in C11 and OpenCL C: only 4-byte (or, with EXO_USE_DOUBLE,
 * 8-byte reals first) scalars and arrays of them, no vector types, no bool.
 * host/exo_cl.c checks sizeof/offsetof with _Static_assert and
 * tests/device/test_layout runs k_layout_probe to read the device's values.
 * Every field comment gives its unit (internal units: um, s, pN, K).
 */
#ifndef EXO_TYPES_H
#define EXO_TYPES_H

#include "exo_compat.h"

/* Vesicle states (DESIGN.md section 10).  Stored as int8 on the device and
 * in the output (/particles/vesicles/state); the numbers are part of the
 * file format: never renumber, only append. */
#define EXO_STATE_INACTIVE 0     /* not yet injected                        */
#define EXO_STATE_FREE 1         /* moving with the fluid                   */
#define EXO_STATE_BOUND 2        /* held at a surface                       */
#define EXO_STATE_INTERNALIZED 3 /* taken up by a cell                      */
#define EXO_STATE_ABSORBED 4     /* removed at an absorbing surface         */
#define EXO_STATE_EXITED 5       /* left through an open boundary           */
#define EXO_STATE_CLEARED 6      /* removed by first-order clearance        */
#define EXO_STATE_COUNT 7

/* Box face behaviour, per face: index 2*axis + (0 lower, 1 upper).  The
 * last three are absorbing boundaries with the Brownian-bridge test
 * (PHYSICS.md section 4.2); ADSORB is the partially adsorbing (Robin) wall
 * of section 4.3. */
#define EXO_FACE_PERIODIC 0      /* wraps to the opposite face (both faces) */
#define EXO_FACE_REFLECT 1       /* specular reflection                     */
#define EXO_FACE_OPEN 2          /* vesicle leaves: state exited            */
#define EXO_FACE_ABSORB 3        /* vesicle is removed: state absorbed      */
#define EXO_FACE_ADSORB 4        /* each contact adsorbs with probability
                                    adsorb_coef / sigma, else reflects      */
#define EXO_FACE_LEAKY 5         /* a vessel wall with pores (step params
                                    pore_*): a contact over a pore crosses to
                                    the other compartment, else reflects    */

/* Where a population lives: the box, or the lumen of one vessel (a straight
 * cylinder along any direction).  Vesicles never change domain.  A vessel
 * with a tissue beside it (tissue_side) has two compartments, told apart by
 * position: the lumen (r < R) and the tissue, the box outside it. */
#define EXO_DOMAIN_BOX 0
#define EXO_DOMAIN_VESSEL 1

/* In a vessel domain, adsorb_coef/adsorb_state index 0 and 1 belong to the
 * inlet and outlet ends, 2 to the wall. */
#define EXO_VESSEL_INLET 0
#define EXO_VESSEL_OUTLET 1
#define EXO_VESSEL_WALL 2

/* Most kinds of cell in a tissue (geometry.tissue.cell_types). */
#define EXO_CELL_TYPES 8

/* Named axial regions of a vessel, each with its own wall (at most). */
#define EXO_MAX_REGIONS 4

/* Surface slots: where a bound vesicle sits, for what happens to it there
 * (exo_bound_slot).  Box: the face, 0..5 (as `face`).  Vessel: the inlet
 * (0), the outlet (1), the wall outside regions (2), region k's wall
 * (EXO_SLOT_REGION + k).  Either: a cell of type t of the tissue
 * (EXO_SLOT_CELL + t). */
#define EXO_SLOT_REGION 6
#define EXO_SLOT_CELL (EXO_SLOT_REGION + EXO_MAX_REGIONS)
#define EXO_SLOTS (EXO_SLOT_CELL + EXO_CELL_TYPES)

/* Most bonds a vesicle may hold (stored as uint8; exo_config checks that
 * the ligands in the contact area stay below it). */
#define EXO_MAX_BONDS 255

/* Places a vesicle is counted in, for observables (exo_place): in a
 * vessel's lumen, region k (0 <= k < n_regions), the rest of the vessel
 * (n_regions), or, once exited, the inlet (n_regions + 1) or the outlet
 * (n_regions + 2); in the tissue beside a vessel, EXO_PLACE_TISSUE + k
 * beside region k or EXO_PLACE_TISSUE + n_regions elsewhere; in the box,
 * place 0; taken up by a cell of type t (box or tissue),
 * EXO_PLACE_CELLS + t. */
#define EXO_PLACE_TISSUE (EXO_MAX_REGIONS + 3)
#define EXO_PLACE_CELLS (EXO_PLACE_TISSUE + EXO_MAX_REGIONS + 1)
#define EXO_PLACES (EXO_PLACE_CELLS + EXO_CELL_TYPES)

/* Columns of the (place, column) histogram of k_count_places: one per
 * state, then the bonds held by the place's bound vesicles. */
#define EXO_COUNT_BONDS EXO_STATE_COUNT
#define EXO_COUNT_COLS (EXO_STATE_COUNT + 1)

/* Most times one step's remaining displacement is mirrored off cells before
 * the vesicle is held at its last contact point (exo_cells_reflect). */
#define EXO_CELL_BOUNCES 4

/** The cells of a tissue (geometry.tissue) as the kernels look them up: a
 *  uniform grid over the box whose bins list every cell that a vesicle
 *  ending its step in the bin could have touched (host/exo_tissue.c builds
 *  it), so the cost of a step does not grow with the number of cells.  The
 *  cells and the bin lists live in device buffers (exo_cells_io). */
typedef struct exo_cell_grid {
    exo_real lo[3];          /* grid origin: the box's lower corner, um     */
    exo_real inv_bin[3];     /* bins per um along each axis                 */
    exo_real len[3];         /* box lengths, um (minimum image on periodic
                                axes)                                       */
    exo_real reach;          /* um: a point in a bin is farther than this
                                from the grown sphere (R + a) of every cell
                                the bin does not list                      */
    exo_real slack;          /* um: rounding allowance of the clearance test
                                (a few ulps of the box's coordinates)      */
    int32_t bins[3];         /* bins per axis                               */
    int32_t periodic[3];     /* 1: the axis wraps                           */
    int32_t n_cells;         /* 0: no cells                                 */
    int32_t reserved_;       /* keeps the size a multiple of 8              */
} exo_cell_grid;

/** What every step of a population's vesicles needs (one per population). */
typedef struct exo_step_params {
    exo_real lo[3];          /* box lower corner, um                        */
    exo_real hi[3];          /* box upper corner, um                        */
    exo_real len[3];         /* hi - lo, um                                 */
    exo_real drift[3];       /* uniform flow times dt, um per step          */
    exo_real sigma_coef;     /* sqrt(2 kT dt / (6 pi eta)), um^1.5: the rms
                                displacement per axis per step of a vesicle
                                of radius a is sigma_coef / sqrt(a)         */
    exo_real adsorb_coef[6]; /* EXO_FACE_ADSORB faces: kappa dt sqrt(pi/2),
                                um; a contact adsorbs with probability
                                adsorb_coef / sigma = kappa sqrt(pi dt/(4D)),
                                the Erban-Chapman probability halved because
                                bridge crossings count as contacts         */
    exo_real v_origin[3];    /* vessel: centre of the inlet face, um        */
    exo_real v_frame[9];     /* vessel frame, unit vectors: [0..2] the axis
                                (flow direction, s), [3..5] and [6..8] the
                                two across it; for an axis along x, y or z
                                they are coordinate axes, so the frame
                                changes no bit of the arithmetic           */
    exo_real v_radius;       /* vessel radius R, um (the centre of a vesicle
                                of radius a stays within R - a)             */
    exo_real v_length;       /* vessel length L, um                         */
    exo_real v_umax_dt;      /* centreline velocity 2U times dt, um/step    */
    exo_real r_from[EXO_MAX_REGIONS]; /* region k: from <= s < to, um      */
    exo_real r_to[EXO_MAX_REGIONS];
    exo_real r_adsorb_coef[EXO_MAX_REGIONS]; /* as adsorb_coef, for its wall */
    exo_real dt;             /* time step, s                                */
    exo_real half_reach;     /* delta / 2, um: n_c = n_L half_reach / a     */
    exo_real k_slip;         /* Bell off-rate at zero force, 1/s            */
    exo_real x_slip_kT;      /* x_beta / kT, 1/pN                           */
    exo_real k_catch;        /* catch pathway k_c exp(-f x_c / kT), 1/s     */
    exo_real x_catch_kT;     /* x_c / kT, 1/pN                              */
    exo_real clear_prob;     /* first-order clearance of free vesicles from
                                the blood: 1 - exp(-k dt) per step; 0: none */
    exo_real radial_centre[3]; /* radial interstitial flow (box): centre, um */
    exo_real radial_radius;  /* R_t, um: the tumour's radius                */
    exo_real radial_speed_dt;/* outward speed at R_t times dt, um per step:
                                u(r) = U r / R_t inside, U (R_t / r)^2
                                outside; 0: no radial flow                 */
    exo_real ecs_diffusion;  /* effective diffusion of the extracellular
                                space: D_ECS / D = f_hind / lambda^2 is
                                ecs_diffusion times Renkin's f_hind(2a/w)
                                (PHYSICS.md 6); 0: not used, plain D       */
    exo_real ecs_width;      /* w, um; 0: no hindrance (f_hind = 1)         */
    exo_real pore_radius;    /* r_p of the pores of EXO_FACE_LEAKY walls, um:
                                a vesicle's centre passes within r_p - a of
                                a pore's axis (PHYSICS.md 4.5)              */
    exo_real pore_density;   /* n_p, pores per um^2 of the wall (at r = R)  */
    exo_real pore_pitch;     /* explicit pores: distance between rings, um  */
    exo_real transcytosis_rate; /* k_tc, 1/s, on the barrier_slots          */
    exo_cell_grid cells;     /* the tissue's cells (box domain), or none    */
    exo_real cell_adsorb_coef[EXO_CELL_TYPES]; /* cells of type t that
                                capture vesicles: a contact (the step
                                entering the cell, or a Brownian-bridge
                                touch) captures with probability (this +
                                bind_coef of slot EXO_SLOT_CELL + t times
                                n_L / a) / sigma, as adsorb_coef; >= sigma:
                                every contact                               */
    uint32_t seed_lo;        /* RNG key, low word                           */
    uint32_t seed_hi;        /* RNG key, high word                          */
    int32_t face[6];         /* EXO_FACE_* for x-, x+, y-, y+, z-, z+       */
    int32_t adsorb_state[6]; /* state an adsorbed vesicle takes: BOUND
                                (stays) or ABSORBED (removed)               */
    int32_t domain;          /* EXO_DOMAIN_*                                */
    int32_t v_axis;          /* vessel axis 0 x, 1 y, 2 z, or -1 (oblique):
                                the box axis periodic ends count images on */
    int32_t v_end[2];        /* EXO_FACE_* of the inlet (s = 0) and outlet
                                (s = L) ends                                */
    int32_t v_wall;          /* EXO_FACE_* of the wall (not PERIODIC/OPEN)   */
    int32_t n_regions;       /* regions of the vessel                       */
    int32_t v_hindered;      /* 1: near-wall hindered diffusion in the vessel */
    int32_t infused;         /* 1: the population enters through the inlet
                                at the steps k_advance's `arrivals` give     */
    int32_t r_wall[EXO_MAX_REGIONS];         /* EXO_FACE_* of region k's wall */
    int32_t r_adsorb_state[EXO_MAX_REGIONS]; /* as adsorb_state             */
    int32_t bound_moves;     /* 1: bound vesicles can change (desorption,
                                bonds, uptake), so they are looked at every
                                step                                        */
    int32_t record_events;   /* 1: append binding, unbinding and uptake
                                events (exo_emit)                           */
    int32_t depletion;       /* 1: capture and new bonds scale with the
                                available receptor fraction of the patch    */
    int32_t cell_capture[EXO_CELL_TYPES]; /* the state a vesicle that cells
                                of type t capture takes: ABSORBED (taken up)
                                or BOUND (held by the membrane, on slot
                                EXO_SLOT_CELL + t); 0: they only reflect    */
    int32_t cells_take;      /* 1: some cell type captures vesicles          */
    int32_t cells_hold;      /* 1: some cell type holds them (BOUND): a
                                bound vesicle may sit on a cell
                                (exo_bound_slot looks)                      */
    int32_t tissue_side;     /* vessel: 1: the box outside it is a tissue
                                compartment (exo_in_tissue), whose vesicles
                                step as in a box, among its cells, with the
                                vessel's outer surface r = R + a as a wall  */
    int32_t pore_around;     /* EXO_FACE_LEAKY walls, explicit pores: pores
                                around the circumference, on rings
                                pore_pitch apart; 0: homogenised pores      */
    int32_t barrier_slots;   /* bit k: a vesicle bound on slot k crosses to
                                the tissue by transcytosis at
                                transcytosis_rate (exo_bound_step)          */
} exo_step_params;

/** What happens to a population's vesicles bound on each surface slot
 *  (EXO_SLOTS), and the receptor patches there: one table per population,
 *  in a small read-only device buffer (exo_launch_io.slots) rather than in
 *  exo_step_params, which is a kernel argument and so within 1024 bytes.
 *  Read lane by lane with exo_slot_real / exo_slot_int. */
typedef struct exo_slot_table {
    exo_real desorb_rate[EXO_SLOTS]; /* 1/s, release of a vesicle adsorbed
                                without bonds (surface behaviour adsorb)    */
    exo_real bind_coef[EXO_SLOTS];   /* capture on a receptor surface: a
                                contact binds with probability bind_coef
                                n_L / (a sigma) (n_L the vesicle's ligands,
                                a its radius), the Robin probability of
                                kappa = k_f delta with k_f = k_on sigma_R
                                n_L delta / (2a) (PHYSICS.md 4.4, 5); um^2  */
    exo_real bond_rate[EXO_SLOTS];   /* k_on sigma_R, 1/s: a further bond
                                forms at bond_rate (n_c - n), n_c = n_L
                                delta / (2a) the ligands in contact          */
    exo_real load_coef[EXO_SLOTS];   /* shear load on a bound vesicle,
                                F = load_coef a^2 (Goldman-Cox-Brenner
                                force plus torque / a), pN/um^2; 0 on box
                                faces and cells (no shear there)            */
    exo_real uptake_rate[EXO_SLOTS]; /* internalization, 1/s                */
    /* Receptor patches of slot k (exo_patch): a vessel wall or region is
     * cut into n_axial stretches of s_from + [0, s_len) by n_around angle
     * bins; a cell slot has one patch per cell (patch_base + the cell's
     * index); other slots are one patch. */
    exo_real patch_s_from[EXO_SLOTS]; /* um                                */
    exo_real patch_s_len[EXO_SLOTS];  /* um                                */
    int32_t uptake_min[EXO_SLOTS];    /* fewest bonds for internalization  */
    int32_t patch_base[EXO_SLOTS];    /* first patch of the slot, or -1    */
    int32_t patch_n_axial[EXO_SLOTS];
    int32_t patch_n_around[EXO_SLOTS];
} exo_slot_table;

/** A density image's grid (output.density; k_density): voxel (i, j, k)
 *  of image `slot` is counts[((slot * bins[2] + k) * bins[1] + j) * bins[0]
 *  + i], C order (z, y, x) as HDF5 and XDMF read it. */
typedef struct exo_density_params {
    exo_real lo[3];          /* the grid's lower corner, um                 */
    exo_real inv_voxel[3];   /* voxels per um along each axis               */
    int32_t bins[3];         /* voxels along x, y, z                        */
    int32_t slot[EXO_STATE_COUNT]; /* image of each state, or -1: not imaged */
    int32_t reserved_[2];    /* keeps the size a multiple of 8              */
} exo_density_params;

/* Events of a vesicle's life (/events/<kind>, DESIGN.md section 10). */
#define EXO_EVENT_BINDING 0         /* free -> bound on a surface            */
#define EXO_EVENT_UNBINDING 1       /* bound -> free (last bond, desorption) */
#define EXO_EVENT_INTERNALIZATION 2 /* bound -> internalized                 */
#define EXO_EVENT_CROSSING 3        /* through a vessel wall (route)         */
#define EXO_EVENT_KINDS 4

/* How a crossing went (exo_event.route; /events/crossing/route). */
#define EXO_ROUTE_NONE 0            /* not a crossing                        */
#define EXO_ROUTE_PORE_OUT 1        /* lumen -> tissue through a pore        */
#define EXO_ROUTE_PORE_IN 2         /* tissue -> lumen through a pore        */
#define EXO_ROUTE_TRANSCYTOSIS 3    /* bound at a barrier -> tissue          */

/** One event, appended by the kernels to a device buffer (exo_emit). */
typedef struct exo_event {
    uint32_t id;             /* global vesicle id                           */
    uint32_t step_lo;        /* the step in which it happened               */
    uint32_t step_hi;
    int32_t kind;            /* EXO_EVENT_*                                 */
    exo_real x[3];           /* position, um                                */
    int32_t slot;            /* surface slot (EXO_SLOTS) where it happened  */
    int32_t bonds;           /* bonds held after the event                  */
    int32_t route;           /* EXO_ROUTE_* (crossings; NONE otherwise)     */
    int32_t cell;            /* the tissue cell it happened on (index), or -1 */
} exo_event;

/* Radius distributions of a population. */
#define EXO_RADIUS_FIXED 0
#define EXO_RADIUS_LOGNORMAL 1

/* Ligand-count distributions of a population. */
#define EXO_LIGANDS_FIXED 0
#define EXO_LIGANDS_POISSON 1
#define EXO_LIGANDS_NORMAL 2

/** How one population's vesicles start; one k_init_vesicles launch each. */
typedef struct exo_init_params {
    exo_real start_lo[3];    /* start region lower corner, um (a point
                                start has start_lo == start_hi)             */
    exo_real start_hi[3];    /* start region upper corner, um               */
    exo_real radius_median;  /* um (the radius of a fixed-size population)  */
    exo_real radius_sigma;   /* sigma of ln(radius); 0 for fixed            */
    exo_real radius_min;     /* um, truncation of the log-normal            */
    exo_real radius_max;     /* um                                          */
    exo_real cdf_lo;         /* Phi((ln min - ln median)/sigma)             */
    exo_real cdf_hi;         /* Phi((ln max - ln median)/sigma)             */
    exo_real v_origin[3];    /* lumen start: the vessel's inlet centre, um  */
    exo_real v_frame[9];     /* the vessel's frame (exo_step_params)        */
    exo_real v_radius;       /* vessel radius, um                           */
    exo_real s_lo, s_hi;     /* lumen start: axial range, um from the inlet */
    exo_real ligand_mean;    /* ligand copies per vesicle (mean)            */
    exo_real ligand_sd;      /* their standard deviation (normal)           */
    exo_cell_grid cells;     /* a box start never places a vesicle inside a
                                cell (exo_init_position)                    */
    uint32_t first;          /* index of the population's first vesicle in
                                the device arrays                           */
    uint32_t count;          /* vesicles in the population                  */
    uint32_t id0;            /* global id of array index 0                  */
    uint32_t distribution;   /* EXO_RADIUS_*                                */
    uint32_t seed_lo;
    uint32_t seed_hi;
    int32_t inactive;        /* 1: injected later (infusion): radius only   */
    int32_t ligand_distribution; /* EXO_LIGANDS_*                          */
    int32_t lumen;           /* 1: uniform in the lumen (r <= R - a, s in
                                [s_lo, s_hi]); 0: uniform in [start_lo,
                                start_hi] (a point if they are equal)       */
    int32_t reserved2_;      /* keeps the size a multiple of 8              */
} exo_init_params;

#endif /* EXO_TYPES_H */
