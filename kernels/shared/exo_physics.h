/*
 * exo_physics: everything one vesicle does in one step, written once for
 * the OpenCL kernels and for the C reference stepper (host/exo_ref.c).
 *
 * Pure functions on plain structs and on the lane types of exo_compat.h
 * (EXO_W vesicles at once in a kernel, one in C): no globals, no I/O.
 * Vesicles are held in registers as an exo_vesicle for the K steps of a
 * launch; the kernels only load, call exo_advance() and store.  Models and
 * equations (PHYSICS.md): 2.1 overdamped Euler-Maruyama and near-wall
 * hindered diffusion with its Ito drift; 3 Poiseuille flow; 4.1 specular
 * reflection; 4.2 absorbing walls with the Brownian-bridge crossing test;
 * 4.3 partially adsorbing (Robin) walls.  Internal units: um, s, pN, K.
 */
#ifndef EXO_PHYSICS_H
#define EXO_PHYSICS_H

#include "exo_compat.h"
#include "exo_rng.h"
#include "exo_types.h"

/** EXO_W vesicles in registers (one per lane; exo_compat.h). */
typedef struct exo_vesicle {
    exo_realv x[3];      /* position, um (wrapped into periodic axes)       */
    exo_intv image[3];   /* periodic image counts                           */
    exo_realv sigma;     /* rms displacement per axis per step, um (in the
                            lumen of a vessel, or in the box)              */
    exo_realv sigma_tissue; /* the same in the tissue beside a vessel, where
                            the extracellular space's effective diffusion
                            applies                                        */
    exo_realv radius;    /* vesicle radius a, um                            */
    exo_realv ligands;   /* ligand copies n_L on the vesicle                */
    exo_realv lpa;       /* n_L / a, um^-1: a capture's coefficient scales
                            with it (once per launch, not per step)        */
    exo_intv bonds;      /* bonds held while bound at a receptor surface    */
    exo_intv state;      /* EXO_STATE_*                                     */
    /* Among cells: at the last look-up the vesicle was at cell_at and no
     * cell was nearer than cell_clear, so until it has moved that far from
     * there it cannot touch one (exo_cells_step); < 0: look up next step. */
    exo_realv cell_at[3];
    exo_realv cell_clear;
} exo_vesicle;

/** The device buffers a launch reads and appends to besides the vesicles:
 *  the event buffer (`capacity` records) with its fill count; the
 *  available receptor fraction of every patch (read only; exo_available);
 *  and, where receptors deplete, the bonds formed per step of the launch
 *  and patch, formed[k * n_patches + patch] (exo_count_formed).  The event
 *  count counts every event, also those past the capacity, so the host
 *  sees an overflow and runs the launch again with room (exo_sim): none is
 *  lost. */
/** The device buffers of a tissue's cells (exo_cell_grid): cell[4 j ..
 *  4 j + 3] is cell j's centre (um) and radius (um), type[j] its type; the cells a vesicle
 *  ending its step in bin b may touch are bin_cells[bin_start[b] ..
 *  bin_start[b + 1] - 1]. */
typedef struct exo_cells_io {
    EXO_GLOBAL const exo_real *cell;
    EXO_GLOBAL const uint32_t *bin_start;
    EXO_GLOBAL const uint32_t *bin_cells;
    EXO_GLOBAL const int32_t *type;      /* [n_cells] cell type (stepping only) */
} exo_cells_io;

typedef struct exo_launch_io {
    EXO_GLOBAL exo_event *buf;
    EXO_GLOBAL uint32_t *count;
    uint32_t capacity;
    EXO_GLOBAL const float *avail;
    EXO_GLOBAL uint32_t *formed;
    uint32_t n_patches;
    exo_cells_io tissue;
    EXO_GLOBAL const exo_slot_table *slots; /* the population's slot table */
} exo_launch_io;

#if EXO_HAS_DOUBLE
/** Boltzmann constant, pN um / K (exact SI value 1.380649e-23 J/K). */
#define EXO_KB 1.380649e-5

/** Stokes-Einstein translational diffusivity D = kT / (6 pi eta a).
 *  kT in pN um, eta in Pa s (= pN s/um^2), a in um -> um^2/s.  Host side
 *  (double): the device gets it folded into exo_step_params.sigma_coef. */
EXO_FN double exo_stokes_einstein(double kT, double eta, double a)
{
    return kT / (6.0 * 3.14159265358979323846 * eta * a);
}

/** The coefficient sqrt(2 kT dt / (6 pi eta)) of exo_step_sigma(). */
EXO_FN double exo_sigma_coef(double kT, double eta, double dt)
{
    return sqrt(2.0 * dt * exo_stokes_einstein(kT, eta, 1.0));
}
#endif

/** Rms step per axis sqrt(2 D dt) from the run's coefficient
 *  sqrt(2 kT dt / (6 pi eta)) and the vesicle radius a (um). */
EXO_FN exo_realv exo_step_sigma(exo_real sigma_coef, exo_realv a)
{
    return sigma_coef / exo_sqrt(a);
}

/** Renkin's hindrance factor of a sphere of diameter d in a pore of width
 *  w, lambda = d / w: (1 - lambda)^2 (1 - 2.104 lambda + 2.09 lambda^3 -
 *  0.95 lambda^5), which falls to 0 as d -> w (Renkin 1954; PHYSICS.md 6:
 *  D_ECS = D f_hind(2a/w) / lambda_geo^2 with f_hind -> 0 as 2a -> w). */
EXO_FN exo_realv exo_renkin_hindrance(exo_realv lam)
{
    lam = EXO_SELECT(lam, (exo_realv)(EXO_R(1.0)), lam > EXO_R(1.0));
    exo_realv l2 = lam * lam, one_minus = EXO_R(1.0) - lam;
    return one_minus * one_minus *
           (EXO_R(1.0) - EXO_R(2.104) * lam + EXO_R(2.09) * lam * l2 -
            EXO_R(0.95) * lam * l2 * l2);
}

/** The rms step per axis of a vesicle of radius a in the extracellular
 *  space: Stokes-Einstein (exo_step_sigma), or, where the ECS is given by
 *  its effective diffusion, sqrt(D_ECS / D) times that. */
EXO_FN exo_realv exo_ecs_sigma(const exo_step_params *p, exo_realv a)
{
    exo_realv s = exo_step_sigma(p->sigma_coef, a);
    if (p->ecs_diffusion > EXO_R(0.0)) {
        exo_realv f = (exo_realv)(p->ecs_diffusion);
        if (p->ecs_width > EXO_R(0.0))
            f *= exo_renkin_hindrance(EXO_R(2.0) * a / p->ecs_width);
        s *= exo_sqrt(f);
    }
    return s;
}

/** The rms step per axis of a vesicle of radius a where its population
 *  starts: in a vessel's lumen (blood, plain Stokes-Einstein), or in the
 *  box (exo_ecs_sigma). */
EXO_FN exo_realv exo_vesicle_sigma(const exo_step_params *p, exo_realv a)
{
    if (p->domain == EXO_DOMAIN_VESSEL)
        return exo_step_sigma(p->sigma_coef, a);
    return exo_ecs_sigma(p, a);
}

/**
 * Probability that a Brownian path from distance d0 to distance d1 (both on
 * the inside, > 0) touched the plane within the step, given the endpoints:
 * exp(-d0 d1 / (D dt)) = exp(-2 d0 d1 / sigma^2) with sigma^2 = 2 D dt
 * (reflection principle; PHYSICS.md section 4.2, V13).  Drift does not
 * change it: a Brownian bridge does not depend on the drift.
 */
EXO_FN exo_realv exo_bridge_crossing_probability(exo_realv d0, exo_realv d1,
                                                 exo_realv sigma)
{
    return exo_exp(EXO_R(-2.0) * d0 * d1 / (sigma * sigma));
}

/* ------------------------------------------------------------ vessel frame */

/* Vessel coordinates of the point x[3]: s along the axis from the inlet
 * centre o, y and z across it (frame f: exo_step_params.v_frame), and the
 * inverse.  Macros, because they serve lanes (exo_realv) and scalars
 * (exo_real) alike.  For an axis along x, y or z the frame holds only 0 and
 * 1, so s, y, z and the point come out bit for bit as plain differences
 * and sums would give them. */
#define EXO_TO_VESSEL(o, f, x, s, y, z)                                        \
    do {                                                                       \
        (s) = ((x)[0] - (o)[0]) * (f)[0] + ((x)[1] - (o)[1]) * (f)[1] +        \
              ((x)[2] - (o)[2]) * (f)[2];                                      \
        (y) = ((x)[0] - (o)[0]) * (f)[3] + ((x)[1] - (o)[1]) * (f)[4] +        \
              ((x)[2] - (o)[2]) * (f)[5];                                      \
        (z) = ((x)[0] - (o)[0]) * (f)[6] + ((x)[1] - (o)[1]) * (f)[7] +        \
              ((x)[2] - (o)[2]) * (f)[8];                                      \
    } while (0)
#define EXO_FROM_VESSEL(o, f, s, y, z, x)                                      \
    do {                                                                       \
        for (int a_ = 0; a_ < 3; a_++)                                         \
            (x)[a_] = (o)[a_] + ((s) * (f)[a_] + (y) * (f)[3 + a_] +           \
                                 (z) * (f)[6 + a_]);                           \
    } while (0)

/** Each lane's entry of a per-slot table (exo_slot_table; slot in
 *  0 .. EXO_SLOTS - 1). */
EXO_FN exo_realv exo_slot_real(EXO_GLOBAL const exo_real *table, exo_intv slot)
{
    exo_realv r = (exo_realv)(EXO_R(0.0));
    for (int l = 0; l < EXO_W; l++)
        EXO_LANE(exo_real, r, l) = table[EXO_LANE(int32_t, slot, l)];
    return r;
}

EXO_FN exo_intv exo_slot_int(EXO_GLOBAL const int32_t *table, exo_intv slot)
{
    exo_intv r = (exo_intv)(0);
    for (int l = 0; l < EXO_W; l++)
        EXO_LANE(int32_t, r, l) = table[EXO_LANE(int32_t, slot, l)];
    return r;
}

/* ------------------------------------------------------ receptor patches */

/** The receptor patch (index into the launch's availability table) of a
 *  point at vessel coordinates (s, y, z) on slot `slot`, per lane, or -1
 *  where the slot has none.  A vessel wall or region is n_axial stretches
 *  of its length by n_around angle bins (atan2(z, y)); other slots are one
 *  patch.  Box faces are one patch each: pass s = y = z = 0. */
EXO_FN exo_intv exo_patch(EXO_GLOBAL const exo_slot_table *t, exo_realv s, exo_realv y,
                          exo_realv z, exo_intv slot)
{
    exo_intv base = exo_slot_int(t->patch_base, slot);
    exo_intv nax = exo_slot_int(t->patch_n_axial, slot);
    exo_intv nar = exo_slot_int(t->patch_n_around, slot);
    exo_realv u = (s - exo_slot_real(t->patch_s_from, slot)) /
                  exo_slot_real(t->patch_s_len, slot) * exo_to_realv(nax);
    exo_realv w = (exo_atan2(z, y) + EXO_R(3.141592653589793)) *
                  EXO_R(0.15915494309189535) * exo_to_realv(nar);
    exo_intv iu = exo_to_intv(exo_floor(EXO_SELECT(u, (exo_realv)(EXO_R(0.0)), !(u > EXO_R(0.0)))));
    exo_intv iv = exo_to_intv(exo_floor(EXO_SELECT(w, (exo_realv)(EXO_R(0.0)), !(w > EXO_R(0.0)))));
    iu = EXO_SELECT(iu, nax - 1, iu >= nax);
    iv = EXO_SELECT(iv, nar - 1, iv >= nar);
    return EXO_SELECT(base + iu * nar + iv, (exo_intv)(-1), base < 0);
}

/** The available fraction of receptors in each lane's patch, as it stood
 *  at the start of the launch (1 where receptors do not deplete). */
EXO_FN exo_realv exo_available(const exo_launch_io *io, const exo_step_params *p,
                               exo_intv patch)
{
    exo_realv f = (exo_realv)(EXO_R(1.0));
    if (!p->depletion)
        return f;
    for (int l = 0; l < EXO_W; l++) {
        int32_t k = EXO_LANE(int32_t, patch, l);
        if (k >= 0)
            EXO_LANE(exo_real, f, l) = io->avail[k];
    }
    return f;
}

/* ------------------------------------------------- near-wall hindrance */

/** Perpendicular mobility factor of a sphere of radius a at gap h from a
 *  plane, Bevan & Prieve (2000): (6h^2 + 2ah) / (6h^2 + 9ah + 2a^2), within
 *  1% of Brenner's exact series (PHYSICS.md section 2.1, V15). */
EXO_FN exo_realv exo_hindrance_perp(exo_realv h, exo_realv a)
{
    return (EXO_R(6.0) * h * h + EXO_R(2.0) * a * h) /
           (EXO_R(6.0) * h * h + EXO_R(9.0) * a * h + EXO_R(2.0) * a * a);
}

/** d f_perp / dh (PHYSICS.md section 2.1). */
EXO_FN exo_realv exo_hindrance_perp_slope(exo_realv h, exo_realv a)
{
    exo_realv num = EXO_R(6.0) * h * h + EXO_R(2.0) * a * h;
    exo_realv den = EXO_R(6.0) * h * h + EXO_R(9.0) * a * h + EXO_R(2.0) * a * a;
    return ((EXO_R(12.0) * h + EXO_R(2.0) * a) * den - num * (EXO_R(12.0) * h + EXO_R(9.0) * a)) /
           (den * den);
}

/** Parallel mobility factor, Faxen's series in a/z (z = h + a, the centre's
 *  distance from the plane), with the gap clamped to h >= 0.1 a where the
 *  series stops being valid (PHYSICS.md section 2.1). */
EXO_FN exo_realv exo_hindrance_par(exo_realv h, exo_realv a)
{
    exo_realv hc = EXO_SELECT(h, EXO_R(0.1) * a, h < EXO_R(0.1) * a);
    exo_realv q = a / (hc + a), q2 = q * q;
    return EXO_R(1.0) - EXO_R(0.5625) * q + EXO_R(0.125) * q2 * q -
           EXO_R(0.17578125) * q2 * q2 - EXO_R(0.0625) * q2 * q2 * q;
}

/** Whether any box face has a wall event (open, absorb, adsorb), so that
 *  steps may need the boundary uniforms. */
EXO_FN int exo_box_has_events(const exo_step_params *p)
{
    for (int f = 0; f < 6; f++)
        if (p->face[f] != EXO_FACE_PERIODIC && p->face[f] != EXO_FACE_REFLECT)
            return 1;
    return 0;
}

/** Below this bridge probability no uniform is drawn (exp(-30) ~ 1e-13,
 *  below the smallest uniform, 2^-33). */
#define EXO_BRIDGE_NEGLIGIBLE EXO_R(9.4e-14)

/**
 * A step at one flat wall, for all lanes.  d0 and d1 are the normal
 * distances from the wall before and after the step, positive inside (d1 < 0:
 * the end point crossed).  The path touched the wall if it crossed or, ending
 * inside, if the Brownian-bridge test fires: u < exp(-2 d0 d1 / sigma^2)
 * (PHYSICS.md section 4.2).  By kind:
 *   REFLECT  a crossing is mirrored (*mirror);
 *   OPEN     a touch ends the stay: state EXITED;
 *   ABSORB   a touch removes the vesicle: state ABSORBED;
 *   ADSORB   a touch adsorbs with probability adsorb_coef / sigma (the
 *            Robin probability of section 4.3, halved because bridge
 *            touches count as contacts; V12): state `ad_state`, placed on
 *            the wall (*stick); a crossing that does not adsorb is mirrored.
 * Returns the new state of each lane (EXO_STATE_FREE where nothing happens).
 */
EXO_FN exo_intv exo_wall_event(int32_t kind, exo_realv d0, exo_realv d1,
                               exo_realv sigma, exo_realv u, exo_realv u_ad,
                               exo_realv ad_coef, int32_t ad_state,
                               exo_intv *mirror, exo_intv *stick)
{
    exo_intv crossed = d1 < EXO_R(0.0);
    *mirror = (exo_intv)(0);
    *stick = (exo_intv)(0);
    if (kind == EXO_FACE_REFLECT) {
        *mirror = crossed;
        return (exo_intv)(EXO_STATE_FREE);
    }
    exo_intv touch = crossed || u < exo_bridge_crossing_probability(d0, d1, sigma);
    if (kind == EXO_FACE_OPEN)
        return EXO_SELECT((exo_intv)(EXO_STATE_FREE), (exo_intv)(EXO_STATE_EXITED), touch);
    if (kind == EXO_FACE_ABSORB)
        return EXO_SELECT((exo_intv)(EXO_STATE_FREE), (exo_intv)(EXO_STATE_ABSORBED), touch);
    exo_intv adsorbed = touch && u_ad < ad_coef / sigma;
    *stick = adsorbed;
    *mirror = crossed && !adsorbed;
    return EXO_SELECT((exo_intv)(EXO_STATE_FREE), (exo_intv)(ad_state), adsorbed);
}

/**
 * exo_wall_event with a kind, adsorption coefficient and adsorbed state per
 * lane (a vessel wall whose regions differ).  Same rules, written with
 * selects; skips the bridge exponential when every lane's wall reflects.
 */
EXO_FN exo_intv exo_wall_event_lanes(exo_intv kind, exo_realv d0, exo_realv d1,
                                     exo_realv sigma, exo_realv u, exo_realv u_ad,
                                     exo_realv ad_coef, exo_intv ad_state,
                                     exo_intv *mirror, exo_intv *stick)
{
    exo_intv crossed = d1 < EXO_R(0.0);
    exo_intv reflects = kind == EXO_FACE_REFLECT;
    *stick = (exo_intv)(0);
    *mirror = crossed && reflects;
    if (!EXO_ANY(!reflects))
        return (exo_intv)(EXO_STATE_FREE);
    exo_intv touch = !reflects &&
                     (crossed || u < exo_bridge_crossing_probability(d0, d1, sigma));
    exo_intv adsorbs = kind == EXO_FACE_ADSORB;
    exo_intv adsorbed = touch && adsorbs && u_ad < ad_coef / sigma;
    exo_intv removed = touch && !adsorbs;
    *stick = adsorbed;
    *mirror = *mirror || (crossed && adsorbs && !adsorbed);
    exo_intv state = (exo_intv)(EXO_STATE_FREE);
    state = EXO_SELECT(state, (exo_intv)(EXO_STATE_EXITED), removed && kind == EXO_FACE_OPEN);
    state = EXO_SELECT(state, (exo_intv)(EXO_STATE_ABSORBED),
                       removed && kind == EXO_FACE_ABSORB);
    return EXO_SELECT(state, ad_state, adsorbed);
}

/** Whether a lane's step at a wall of this kind needs the boundary
 *  uniforms: an end point across an event wall, or a bridge probability
 *  that is not negligible. */
EXO_FN exo_intv exo_wall_needs_uniform(int32_t kind, exo_realv d0, exo_realv d1,
                                       exo_realv sigma)
{
    if (kind == EXO_FACE_REFLECT || kind == EXO_FACE_PERIODIC)
        return (exo_intv)(0);
    return d1 < EXO_R(0.0) ||
           exo_bridge_crossing_probability(d0, d1, sigma) > EXO_BRIDGE_NEGLIGIBLE;
}

/** Wrap x into [lo, lo + len) and count the images crossed, all lanes. */
EXO_FN void exo_wrap_periodic(exo_realv *x, exo_intv *image, exo_real lo,
                              exo_real len)
{
    /* A product with 1/len, not a quotient: one scalar division per call
     * instead of a vector one per lane; a k one off at a boundary is
     * mended below. */
    exo_realv k = exo_floor((*x - lo) * (EXO_R(1.0) / len));
    *x -= k * len;
    *image += exo_to_intv(k);
    /* Rounding can leave x == lo + len or a hair below lo. */
    exo_intv over = *x >= lo + len;
    *x = EXO_SELECT(*x, *x - len, over);
    *image = EXO_SELECT(*image, *image + 1, over);
    *x = EXO_SELECT(*x, (exo_realv)(lo), *x < lo);
}

/** A uniform from a boundary word; a word that was not drawn (all ones)
 *  gives exactly 1, so that every "u < p" test is false.  `flip` gives
 *  1 - u instead (the upper face of an axis uses the complement of the
 *  lower face's uniform, so the two touches exclude each other). */
EXO_FN exo_realv exo_boundary_u01(exo_uintv w, int flip)
{
    exo_realv u = exo_u01v(w);
    if (flip)
        u = EXO_R(1.0) - u;
    return EXO_SELECT(u, (exo_realv)(EXO_R(1.0)), w == 0xffffffffu);
}

/** The three standard normals of a step's displacement: Box-Muller on
 *  words (0, 1) gives n[0], n[1]; on words (2, 3) only its cosine half is
 *  needed, n[2] (the sine half would be the unused fourth normal; skipping
 *  it saves a sine per step and changes no result). */
EXO_FN void exo_displacement_normals(const exo_step_params *p, exo_uintv id,
                                     uint64_t step, exo_realv n[3])
{
    exo_uintv r[4];
    exo_rng_drawv(id, step, EXO_RNG_DISPLACEMENT, p->seed_lo, p->seed_hi, r);
    exo_box_mullerv(r[0], r[1], &n[0], &n[1]);
    exo_realv c, s;
    exo_noise_cos_sin(exo_u01v(r[3]), &c, &s); /* s unused: the compiler drops it */
    n[2] = exo_fast_sqrt(EXO_R(-2.0) * exo_noise_log(exo_u01v(r[2]))) * c;
}

/** The boundary words of a step if `draw` (some lane needs them), else all
 *  ones, which exo_boundary_u01 turns into "no event". */
EXO_FN void exo_boundary_words(const exo_step_params *p, exo_uintv id,
                               uint64_t step, int draw, exo_uintv w[4])
{
    for (int k = 0; k < 4; k++)
        w[k] = (exo_uintv)(0xffffffffu);
    if (draw)
        exo_rng_drawv(id, step, EXO_RNG_BOUNDARY, p->seed_lo, p->seed_hi, w);
}

/* ------------------------------------------------------------------ cells */

/** The component d of a separation along axis a, as the minimum image on a
 *  periodic axis (cells and vesicles near opposite faces are neighbours). */
EXO_FN exo_real exo_cell_sep(const exo_cell_grid *g, int a, exo_real d)
{
    if (g->periodic[a])
        d -= g->len[a] * exo_floor(d / g->len[a] + EXO_R(0.5));
    return d;
}

/** The grid bin of a point (periodic axes wrapped, others clamped). */
EXO_FN uint32_t exo_cell_bin(const exo_cell_grid *g, const exo_real x[3])
{
    uint32_t bin = 0;
    for (int a = 2; a >= 0; a--) {
        exo_real u = (x[a] - g->lo[a]) * g->inv_bin[a];
        if (g->periodic[a])
            u -= (exo_real)g->bins[a] * exo_floor(u / (exo_real)g->bins[a]);
        int32_t i = u > EXO_R(0.0) ? (int32_t)u : 0;
        i = i < g->bins[a] ? i : g->bins[a] - 1;
        bin = bin * (uint32_t)g->bins[a] + (uint32_t)i;
    }
    return bin;
}

/** Within this of a cell's grown sphere (um), a captured vesicle sits on
 *  that cell (capture puts it on the sphere, to rounding; vesicles are far
 *  larger, so one held at a box face is not mistaken for it). */
#define EXO_ON_CELL EXO_R(1e-3)

/** The cell (index) on whose grown sphere (radius R + a) a vesicle of
 *  radius a at x sits, within EXO_ON_CELL, or -1 (scalar). */
EXO_FN int32_t exo_cell_at(const exo_cell_grid *g, const exo_cells_io *cells,
                           const exo_real x[3], exo_real a)
{
    if (g->n_cells <= 0)
        return -1;
    uint32_t bin = exo_cell_bin(g, x);
    for (uint32_t j = cells->bin_start[bin]; j < cells->bin_start[bin + 1]; j++) {
        uint32_t cj = cells->bin_cells[j];
        EXO_GLOBAL const exo_real *c = cells->cell + 4 * cj;
        exo_real r2 = EXO_R(0.0);
        for (int k = 0; k < 3; k++) {
            exo_real q = exo_cell_sep(g, k, x[k] - c[k]);
            r2 += q * q;
        }
        if (exo_fabs(exo_sqrt(r2) - (c[3] + a)) < EXO_ON_CELL)
            return (int32_t)cj;
    }
    return -1;
}

/** The capture coefficient of cell `cell` of type t for a vesicle with n_L
 *  / a = lpa (um^-1): a contact captures with probability coefficient /
 *  sigma.  Adsorption (cell_adsorb_coef) plus, on a receptor membrane, the
 *  binding coefficient of its slot times n_L / a and the available
 *  fraction of the cell's receptors (its patch; PHYSICS.md 4.4, 5). */
EXO_FN exo_real exo_cell_coef(const exo_step_params *p, const exo_launch_io *io, int32_t t,
                              uint32_t cell, exo_real lpa)
{
    exo_real coef = p->cell_adsorb_coef[t];
    if (p->cell_capture[t] != EXO_STATE_BOUND)
        return coef;
    exo_real bind = io->slots->bind_coef[EXO_SLOT_CELL + t];
    int32_t base = io->slots->patch_base[EXO_SLOT_CELL + t];
    exo_real avail = p->depletion && base >= 0 ? io->avail[base + (int32_t)cell] : EXO_R(1.0);
    return coef + bind * lpa * avail;
}

/**
 * Specular reflection off the tissue's cells, and capture by those that
 * capture vesicles, for one vesicle (scalar): cells are impermeable spheres, and
 * the centre of a vesicle of radius a stays outside radius R + a of each.
 * The step from x0 to x1 (x1 as the box faces left it) is followed as a
 * segment: at the first sphere it enters (|x0 + t d - c| = R + a, the
 * smaller root), the rest of the step is mirrored about the tangent plane
 * there (PHYSICS.md 4.1, curved walls).  A sphere is convex, so the
 * mirrored end is outside it; it may enter a neighbour, so the remainder is
 * followed again, up to EXO_CELL_BOUNCES times, after which the vesicle
 * stays at its last contact point (a step that keeps bouncing is far longer
 * than the gaps).  Only the cells listed in the bin of the end are looked
 * at: the grid lists every cell within reach of a step ending there.
 *
 * A cell that captures vesicles (p->cell_capture of its type) is a
 * partially adsorbing (Robin) surface as the box faces are (PHYSICS.md
 * 4.2-4.4): its first contact in the step -- the segment entering it, or,
 * where the step ends outside, the Brownian-bridge touch with probability
 * exp(-2 d0 d1 / sigma^2) from the gaps d0, d1 at the two ends (the planar
 * bridge on a curved surface, as on vessel walls) -- captures the vesicle
 * with probability exo_cell_coef / sigma (1 for an absorbing cell); it is
 * put on the surface with the type's capture state (absorbed: taken up;
 * bound: held by the membrane's receptors or adsorbed).  lpa: the
 * vesicle's n_L / a.  Uniforms: purpose EXO_RNG_CELLS, word 0 the bridge,
 * word 1 the capture.
 *
 * Returns 1 and the new end in x1, as x0 plus the displacement (not
 * wrapped: the caller wraps it), if the step touched a cell (reflected or
 * captured: *state becomes the capture state); else 0 and x1 untouched.
 * *clear gets the clearance at the end (exo_cells_step), or -1.
 */
EXO_FN int exo_cells_reflect(const exo_step_params *p, const exo_launch_io *lio,
                             const exo_real x0[3], exo_real x1[3], exo_real a,
                             exo_real lpa, exo_real sigma, uint32_t id, uint64_t step,
                             exo_real *clear, int32_t *state)
{
    const exo_cell_grid *g = &p->cells;
    const exo_cells_io *io = &lio->tissue;
    *clear = EXO_R(-1.0); /* unknown: look again next step */
    exo_real q0[3], d[3];
    for (int k = 0; k < 3; k++) {
        q0[k] = x0[k];
        d[k] = exo_cell_sep(g, k, x1[k] - x0[k]);
    }
    int hits = 0, contact = 0; /* contact: a taking cell was met this step */
    exo_u32x4 w; /* drawn at the first contact with a taking cell */
    for (int bounce = 0; bounce <= EXO_CELL_BOUNCES; bounce++) {
        exo_real end[3] = {q0[0] + d[0], q0[1] + d[1], q0[2] + d[2]};
        uint32_t bin = exo_cell_bin(g, end);
        exo_real best = EXO_R(2.0), q_hit[3] = {EXO_R(0.0), EXO_R(0.0), EXO_R(0.0)};
        int32_t hit_type = -1;
        uint32_t hit_cell = 0;
        exo_real dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        /* The clearance at the end, for the next step's shortcut: from the
         * listed cells, and `reach` from all the others; and the taking cell
         * the bridge most likely touched. */
        exo_real near = g->reach, bridge = EXO_R(0.0), bridge_coef = EXO_R(0.0);
        exo_real bridge_c[4] = {EXO_R(0.0), EXO_R(0.0), EXO_R(0.0), EXO_R(0.0)};
        int32_t bridge_type = 0;
        for (uint32_t j = io->bin_start[bin]; j < io->bin_start[bin + 1]; j++) {
            uint32_t cj = io->bin_cells[j];
            EXO_GLOBAL const exo_real *c = io->cell + 4 * cj;
            exo_real q[3], e2 = EXO_R(0.0), s2 = EXO_R(0.0);
            for (int k = 0; k < 3; k++) {
                q[k] = exo_cell_sep(g, k, q0[k] - c[k]);
                exo_real e = exo_cell_sep(g, k, end[k] - c[k]);
                e2 += e * e;
                s2 += q[k] * q[k];
            }
            exo_real re = c[3] + a, gap = exo_sqrt(e2) - re;
            near = gap < near ? gap : near;
            int32_t t = p->cells_take ? io->type[cj] : 0;
            if (p->cells_take && p->cell_capture[t] && !contact) {
                exo_real g0 = exo_sqrt(s2) - re;
                exo_real pb = g0 > EXO_R(0.0) && gap > EXO_R(0.0)
                                  ? exo_exp(-EXO_R(2.0) * g0 * gap / (sigma * sigma))
                                  : EXO_R(0.0);
                if (pb > bridge) {
                    bridge = pb;
                    bridge_coef = exo_cell_coef(p, lio, t, cj, lpa);
                    bridge_type = t;
                    for (int k = 0; k < 4; k++)
                        bridge_c[k] = c[k];
                }
            }
            exo_real b = q[0] * d[0] + q[1] * d[1] + q[2] * d[2];
            if (b >= EXO_R(0.0) || !(dd > EXO_R(0.0)))
                continue; /* moving away from its centre: cannot enter */
            exo_real cc = s2 - re * re;
            exo_real disc = b * b - dd * cc;
            if (disc < EXO_R(0.0))
                continue;
            /* Starting inside by rounding (cc < 0) counts as contact at once. */
            exo_real tt = cc <= EXO_R(0.0) ? EXO_R(0.0) : (-b - exo_sqrt(disc)) / dd;
            if (tt < best) {
                best = tt;
                hit_type = t;
                hit_cell = cj;
                for (int k = 0; k < 3; k++)
                    q_hit[k] = q[k];
            }
        }
        if (!(best <= EXO_R(1.0))) {
            /* No entry: a bridge touch of a taking cell may still take it. */
            if (bridge > EXO_BRIDGE_NEGLIGIBLE) {
                w = exo_rng_draw(id, step, EXO_RNG_CELLS, p->seed_lo, p->seed_hi);
                if (exo_u01(w.v[0]) < bridge) {
                    contact = 1;
                    if (exo_u01(w.v[1]) * sigma < bridge_coef) {
                        /* put on the surface, nearest the end */
                        exo_real e[3], e2 = EXO_R(0.0);
                        for (int k = 0; k < 3; k++) {
                            e[k] = exo_cell_sep(g, k, end[k] - bridge_c[k]);
                            e2 += e[k] * e[k];
                        }
                        exo_real f = (bridge_c[3] + a) / exo_sqrt(e2) - EXO_R(1.0);
                        for (int k = 0; k < 3; k++)
                            d[k] += f * e[k];
                        *state = p->cell_capture[bridge_type];
                        hits++;
                        break;
                    }
                }
            }
            *clear = near;
            break;
        }
        if (bounce == EXO_CELL_BOUNCES) {
            for (int k = 0; k < 3; k++)
                d[k] *= best; /* stay at the contact point */
            hits++;
            break;
        }
        if (p->cells_take && p->cell_capture[hit_type] && !contact) {
            contact = 1;
            w = exo_rng_draw(id, step, EXO_RNG_CELLS, p->seed_lo, p->seed_hi);
            if (exo_u01(w.v[1]) * sigma < exo_cell_coef(p, lio, hit_type, hit_cell, lpa)) {
                for (int k = 0; k < 3; k++)
                    d[k] *= best; /* captured where it touched */
                *state = p->cell_capture[hit_type];
                hits++;
                break;
            }
        }
        exo_real n[3], nn = EXO_R(0.0);
        for (int k = 0; k < 3; k++) {
            n[k] = q_hit[k] + best * d[k];
            nn += n[k] * n[k];
        }
        exo_real inv = EXO_R(1.0) / exo_sqrt(nn), en = EXO_R(0.0);
        for (int k = 0; k < 3; k++) {
            n[k] *= inv;
            q0[k] += best * d[k];
            d[k] *= EXO_R(1.0) - best;
            en += d[k] * n[k];
        }
        for (int k = 0; k < 3; k++)
            d[k] -= EXO_R(2.0) * en * n[k];
        hits++;
    }
    if (!hits)
        return 0;
    for (int k = 0; k < 3; k++)
        x1[k] = q0[k] + d[k];
    return 1;
}

/** Start a launch with no clearance known: the first step looks up. */
EXO_FN void exo_cells_forget(exo_vesicle *v)
{
    for (int a = 0; a < 3; a++)
        v->cell_at[a] = v->x[a];
    v->cell_clear = (exo_realv)(EXO_R(-1.0));
}

/** What a launch derives from a loaded vesicle (position and radius):
 *  its rms steps in each compartment, and no cell clearance yet. */
EXO_FN void exo_vesicle_begin(exo_vesicle *v, const exo_step_params *p)
{
    v->sigma = exo_vesicle_sigma(p, v->radius);
    v->sigma_tissue = exo_ecs_sigma(p, v->radius);
    v->lpa = v->ligands / v->radius;
    exo_cells_forget(v);
}

/** Cells for all lanes after the box faces: each free lane's step from
 *  v->x to x is reflected off the cells (exo_cells_reflect); a reflected
 *  end is wrapped on periodic axes from the image counts the step started
 *  with, and kept in the box on the others (cells near a closed face).
 *  A lane whose end is still within cell_clear of where it last looked
 *  (less the rounding slack) skips the look-up: that ball touches no cell,
 *  and it holds the whole step, so most steps in open space cost a few
 *  vector operations. */
EXO_FN void exo_cells_step(exo_vesicle *v, const exo_step_params *p, const exo_launch_io *io,
                           exo_uintv id, uint64_t step, exo_intv free_, exo_realv x[3],
                           exo_intv image[3], exo_intv *state)
{
    const exo_cell_grid *g = &p->cells;
    exo_realv r2 = (exo_realv)(EXO_R(0.0));
    for (int a = 0; a < 3; a++) {
        exo_realv d = x[a] - v->cell_at[a];
        if (g->periodic[a])
            d -= g->len[a] * exo_floor(d / g->len[a] + EXO_R(0.5));
        r2 += d * d;
    }
    /* Where cells take up vesicles, a bridge touch matters within a few
     * rms steps of a surface: keep 8 sigma clear (exp(-128) at most). */
    exo_realv room = v->cell_clear - g->slack;
    if (p->cells_take)
        room -= EXO_R(8.0) * v->sigma;
    exo_intv look = free_ && !(room > EXO_R(0.0) && r2 < room * room);
    if (!EXO_ANY(look))
        return;
    exo_intv moved = (exo_intv)(0);
    for (int l = 0; l < EXO_W; l++) {
        if (!EXO_LANE(int32_t, look, l))
            continue;
        exo_real x0[3], x1[3], clear;
        for (int a = 0; a < 3; a++) {
            x0[a] = EXO_LANE(exo_real, v->x[a], l);
            x1[a] = EXO_LANE(exo_real, x[a], l);
        }
        int32_t st = EXO_STATE_FREE;
        exo_real radius = EXO_LANE(exo_real, v->radius, l);
        int hit = exo_cells_reflect(p, io, x0, x1, radius,
                                    EXO_LANE(exo_real, v->ligands, l) / radius,
                                    EXO_LANE(exo_real, v->sigma, l),
                                    EXO_LANE(uint32_t, id, l), step, &clear, &st);
        EXO_LANE(int32_t, *state, l) = st;
        for (int a = 0; a < 3; a++)
            EXO_LANE(exo_real, v->cell_at[a], l) = x1[a];
        EXO_LANE(exo_real, v->cell_clear, l) = clear;
        if (!hit)
            continue;
        for (int a = 0; a < 3; a++) {
            EXO_LANE(exo_real, x[a], l) = x1[a];
            EXO_LANE(int32_t, image[a], l) = EXO_LANE(int32_t, v->image[a], l);
        }
        EXO_LANE(int32_t, moved, l) = -1; /* a vector mask is all ones */
    }
    if (!EXO_ANY(moved))
        return;
    for (int a = 0; a < 3; a++) {
        if (p->face[2 * a] == EXO_FACE_PERIODIC) {
            exo_realv w = x[a];
            exo_intv im = image[a];
            exo_wrap_periodic(&w, &im, p->lo[a], p->len[a]);
            x[a] = EXO_SELECT(x[a], w, moved);
            image[a] = EXO_SELECT(image[a], im, moved);
        } else {
            exo_realv c = EXO_SELECT(x[a], (exo_realv)(p->lo[a]), x[a] < p->lo[a]);
            c = EXO_SELECT(c, (exo_realv)(p->hi[a]), c > p->hi[a]);
            x[a] = EXO_SELECT(x[a], c, moved);
        }
    }
}

/** The flow's displacement in a step at x (Ito: at the step's start): the
 *  uniform drift plus, with radial interstitial flow, the outward flow of a
 *  spherical tumour of radius R_t that makes fluid uniformly (Darcy flow
 *  with a uniform source, Baxter & Jain 1989): U r / R_t inside, U (R_t /
 *  r)^2 outside, which is divergence-free there.  The centre is a point of
 *  the box, not wrapped on periodic axes. */
EXO_FN void exo_radial_drift(const exo_step_params *p, const exo_realv x[3], exo_realv d[3])
{
    for (int a = 0; a < 3; a++)
        d[a] = (exo_realv)(p->drift[a]);
    if (!(p->radial_speed_dt > EXO_R(0.0)))
        return;
    exo_realv q[3], r2 = (exo_realv)(EXO_R(0.0));
    for (int a = 0; a < 3; a++) {
        q[a] = x[a] - p->radial_centre[a];
        r2 += q[a] * q[a];
    }
    const exo_real rt = p->radial_radius;
    /* speed / r: U / R_t inside, U R_t^2 / r^3 outside */
    exo_realv r = exo_sqrt(r2);
    exo_realv outside = p->radial_speed_dt * rt * rt /
                        (r2 * EXO_SELECT(r, (exo_realv)(EXO_R(1.0)), r <= EXO_R(0.0)));
    exo_realv per_r = EXO_SELECT((exo_realv)(p->radial_speed_dt / rt), outside, r > rt);
    for (int a = 0; a < 3; a++)
        d[a] += per_r * q[a];
}

/* ------------------------------------------------------------ compartments */

/** Whether each lane's vesicle at x is in the tissue beside its vessel
 *  (r > R; lumen vesicles keep r <= R - a, tissue ones r >= R + a). */
EXO_FN exo_intv exo_in_tissue(const exo_step_params *p, const exo_realv x[3])
{
    if (p->domain != EXO_DOMAIN_VESSEL || !p->tissue_side)
        return (exo_intv)(0);
    exo_realv s, y, z;
    EXO_TO_VESSEL(p->v_origin, p->v_frame, x, s, y, z);
    (void)s;
    return y * y + z * z > p->v_radius * p->v_radius;
}

/** The wall slot (EXO_VESSEL_WALL or a region's) and wall kind at axial
 *  position s of the vessel. */
EXO_FN exo_intv exo_wall_slot_at(const exo_step_params *p, exo_realv s, exo_intv *kind)
{
    exo_intv slot = (exo_intv)(EXO_VESSEL_WALL);
    *kind = (exo_intv)(p->v_wall);
    for (int k = 0; k < p->n_regions; k++) {
        exo_intv in = s >= p->r_from[k] && s < p->r_to[k];
        slot = EXO_SELECT(slot, (exo_intv)(EXO_SLOT_REGION + k), in);
        *kind = EXO_SELECT(*kind, (exo_intv)(p->r_wall[k]), in);
    }
    return slot;
}

/** Where a step in vessel coordinates from (s0, y0, z0), at distance d0
 *  inside a wall, to (s1, y1, z1), at d1, met the wall: where the segment
 *  crosses it (d1 < 0), or, for a Brownian-bridge touch of a step that
 *  ends inside, its midpoint (the bridge's touch is spread over the step;
 *  what matters below is only whether it falls on a pore, and pores are
 *  many steps wide). */
EXO_FN void exo_wall_contact(exo_realv s0, exo_realv y0, exo_realv z0, exo_realv s1,
                             exo_realv y1, exo_realv z1, exo_realv d0, exo_realv d1,
                             exo_realv c[3])
{
    exo_realv gap = d0 - d1;
    exo_realv t = EXO_SELECT((exo_realv)(EXO_R(0.5)),
                             d0 / EXO_SELECT(gap, (exo_realv)(EXO_R(1.0)), gap <= EXO_R(0.0)),
                             d1 < EXO_R(0.0) && gap > EXO_R(0.0));
    t = EXO_SELECT(t, (exo_realv)(EXO_R(0.0)), t < EXO_R(0.0));
    t = EXO_SELECT(t, (exo_realv)(EXO_R(1.0)), t > EXO_R(1.0));
    c[0] = s0 + t * (s1 - s0);
    c[1] = y0 + t * (y1 - y0);
    c[2] = z0 + t * (z1 - z0);
}

/**
 * Whether a contact with a leaky wall passes through a pore, for all lanes
 * (PHYSICS.md 4.5).  c is the contact in vessel coordinates on the surface
 * r = rc that the vesicle's centre touches (R - a from the lumen, R + a
 * from the tissue); acc = r_p - a is the pores' accessible radius (<= 0:
 * the vesicle never passes, the steric exclusion counted once).
 *  - Explicit pores (pore_around > 0) sit on rings pore_pitch apart,
 *    pore_around per ring: the contact passes if its distance from the
 *    nearest pore's axis, sqrt(ds^2 + (rc dtheta)^2), is below acc.  Only
 *    steps that end across the wall are contacts here: a hole lets a path
 *    through, it does not catch it, so a path that touched the wall over a
 *    hole and came back stays where it ended (counting bridge touches, as
 *    a Robin wall must, sends every touching path through: +8% net flux).
 *  - Homogenised pores: dilute pores take up a vesicle at the one-sided
 *    Berg-Purcell rate 4 D acc n_p (PHYSICS.md 4.5), n_p per area of the
 *    wall at R, hence n_p R / rc per area of the contact surface; a
 *    vesicle in a hole of a thin wall leaves it on either side with equal
 *    probability (the hole's plane sits at the mean of the two
 *    concentrations), so the wall is a Robin membrane of permeability
 *    2 D acc n_p each way.  Through exo_wall_event's rule for
 *    bridge-counted contacts, a contact passes with P = sqrt(pi / 2) acc
 *    n_p (R / rc) sigma, u its uniform.
 */
EXO_FN exo_intv exo_pore_pass(const exo_step_params *p, const exo_realv c[3], exo_realv rc,
                              exo_realv acc, exo_realv sigma, exo_realv u)
{
    exo_intv open = acc > EXO_R(0.0);
    if (p->pore_around == 0)
        return open && u < EXO_R(1.2533141373155001) * acc * p->pore_density *
                               (p->v_radius / rc) * sigma;
    exo_realv ds = c[0] - (exo_floor(c[0] / p->pore_pitch) + EXO_R(0.5)) * p->pore_pitch;
    const exo_real dth = EXO_R(6.283185307179586) / (exo_real)p->pore_around;
    exo_realv t = exo_atan2(c[2], c[1]) / dth;
    exo_realv arc = (t - exo_floor(t) - EXO_R(0.5)) * dth * rc;
    return open && ds * ds + arc * arc < acc * acc;
}

/** Explicit pores: turn the lanes' (y, z) about the vessel axis so that
 *  their angle from the pore whose disk the contact c fell in shrinks by
 *  r_from / r_to.  A pore is a straight channel: a vesicle keeps its
 *  lateral distance from the pore's axis, r dtheta, from the surface it
 *  touched (radius r_from) to where it comes out (r_to); keeping the angle
 *  instead would widen a pore seen from outside by (R + a) / (R - a) and
 *  let vesicles near the rim out without a way back. */
EXO_FN void exo_pore_lateral(const exo_step_params *p, const exo_realv c[3], exo_realv r_from,
                             exo_realv r_to, exo_intv lanes, exo_realv *y, exo_realv *z)
{
    if (p->pore_around == 0 || !EXO_ANY(lanes))
        return;
    const exo_real dth = EXO_R(6.283185307179586) / (exo_real)p->pore_around;
    exo_realv pore = (exo_floor(exo_atan2(c[2], c[1]) / dth) + EXO_R(0.5)) * dth;
    exo_realv d = exo_atan2(*z, *y) - pore;
    d -= EXO_R(6.283185307179586) * exo_floor(d / EXO_R(6.283185307179586) + EXO_R(0.5));
    /* Turn by the small angle d (r_from / r_to - 1), not to pore + d r_from
     * / r_to: the cosine and sine of a small angle carry little rounding,
     * so the device and the C reference stay together over many passes. */
    exo_realv turn = d * (r_from / r_to - EXO_R(1.0));
    exo_realv cs = exo_cos(turn), sn = exo_sin(turn), y0 = *y;
    *y = EXO_SELECT(*y, y0 * cs - *z * sn, lanes);
    *z = EXO_SELECT(*z, y0 * sn + *z * cs, lanes);
}

/**
 * The vessel's outer surface for the tissue lanes in `moving`, after the
 * box faces moved them from v->x to x: the centre of a vesicle of radius a
 * stays at r >= R + a.  A contact (an end point inside, or a bridge touch:
 * exo_wall_event's rules) with a leaky wall passes through a pore
 * (exo_pore_pass) and puts the vesicle on the lumen side, |d1| inside
 * r = R - a (d1 the end point's distance from R + a) at the same s and
 * angle (explicit pores: the same distance from the pore's axis,
 * exo_pore_lateral); other crossings are mirrored radially about R + a.
 * Walls of other kinds reflect from this side.  Uniforms: purpose
 * EXO_RNG_CROSSING, word 0 the bridge, word 1 the pore, drawn only if a
 * lane needs them.  Returns the lanes that crossed.
 */
EXO_FN exo_intv exo_outer_wall_step(const exo_vesicle *v, const exo_step_params *p,
                                    exo_uintv id, uint64_t step, exo_intv moving,
                                    exo_realv x[3])
{
    exo_realv s0, y0, z0, s1, y1, z1;
    EXO_TO_VESSEL(p->v_origin, p->v_frame, v->x, s0, y0, z0);
    EXO_TO_VESSEL(p->v_origin, p->v_frame, x, s1, y1, z1);
    exo_realv ro = p->v_radius + v->radius;
    exo_realv r0 = exo_sqrt(y0 * y0 + z0 * z0), r1 = exo_sqrt(y1 * y1 + z1 * z1);
    exo_realv d0 = r0 - ro, d1 = r1 - ro;
    exo_intv kind;
    (void)exo_wall_slot_at(p, s1, &kind);
    exo_intv leaky = moving && kind == EXO_FACE_LEAKY;
    exo_intv crossed = moving && d1 < EXO_R(0.0);
    exo_realv bridge = exo_bridge_crossing_probability(
        EXO_SELECT(d0, (exo_realv)(EXO_R(0.0)), d0 < EXO_R(0.0)), d1, v->sigma);
    exo_intv through = (exo_intv)(0);
    exo_realv c[3] = {s1, y1, z1}; /* set below where a lane may pass */
    if (EXO_ANY(leaky && (crossed || bridge > EXO_BRIDGE_NEGLIGIBLE))) {
        exo_uintv w[4];
        exo_rng_drawv(id, step, EXO_RNG_CROSSING, p->seed_lo, p->seed_hi, w);
        exo_intv touch = leaky && (crossed || exo_u01v(w[0]) < bridge);
        if (p->pore_around > 0)
            touch = leaky && crossed; /* a hole: see exo_pore_pass */
        exo_wall_contact(s0, y0, z0, s1, y1, z1, d0, d1, c);
        through = touch && exo_pore_pass(p, c, ro, p->pore_radius - v->radius, v->sigma,
                                         exo_u01v(w[1]));
    }
    exo_intv mirror = crossed && !through;
    if (!EXO_ANY(mirror || through))
        return through;
    exo_realv target = EXO_SELECT(r1, EXO_R(2.0) * ro - r1, mirror);
    target = EXO_SELECT(target, ro, mirror && target < ro);
    /* Through a pore: the rest of the step on the other side, as far from
     * the lumen's surface R - a as the end point is from R + a (for a
     * bridge touch, the mirror image of the end point: by the reflection
     * principle as likely an end point of a path that touched). */
    target = EXO_SELECT(target, p->v_radius - v->radius - exo_fabs(d1), through);
    exo_realv scale = EXO_SELECT((exo_realv)(EXO_R(1.0)), target / r1,
                                 (mirror || through) && r1 > EXO_R(0.0));
    exo_realv y2 = scale * y1, z2 = scale * z1;
    exo_pore_lateral(p, c, ro, target, through, &y2, &z2);
    const exo_real zero[3] = {EXO_R(0.0), EXO_R(0.0), EXO_R(0.0)};
    exo_realv dx[3], none = (exo_realv)(EXO_R(0.0));
    EXO_FROM_VESSEL(zero, p->v_frame, none, y2 - y1, z2 - z1, dx);
    for (int a = 0; a < 3; a++)
        x[a] = EXO_SELECT(x[a], x[a] + dx[a], mirror || through);
    return through;
}

/**
 * One overdamped Euler-Maruyama step (PHYSICS.md section 2.1, constant D)
 * for all lanes:  x += u dt + sqrt(2 D dt) xi, then the box faces, then, in
 * the tissue beside a vessel, the vessel's outer surface
 * (exo_outer_wall_step), then the cells.  Only the lanes in `moving` (free
 * vesicles, in the box or the tissue) move; the others keep their state
 * exactly (every update is a select on that mask).  Returns the lanes that
 * crossed into the vessel's lumen.
 *
 * Faces: periodic axes wrap; other faces go through exo_wall_event.  A
 * vesicle that leaves or is absorbed keeps its end-of-step position; an
 * adsorbed one is put on the face.  The boundary uniforms (words 0-2: the
 * bridge test on each axis, the upper face using 1 - u; word 3: adsorption)
 * are drawn only if some lane needs them, so every draw still depends only
 * on (id, step): results do not depend on which vesicles share a work-item.
 * A mirrored step that still lands outside (a step longer than the box) is
 * folded back: exact for two reflecting faces, a clamp otherwise.
 */
EXO_FN exo_intv exo_step_overdamped(exo_vesicle *v, const exo_step_params *p,
                                    const exo_launch_io *io, exo_uintv id, uint64_t step,
                                    int has_events, exo_intv moving)
{
    exo_intv active = moving;
    exo_realv n[3];
    exo_displacement_normals(p, id, step, n);

    exo_realv x[3], drift[3];
    exo_intv image[3], need = (exo_intv)(0);
    exo_radial_drift(p, v->x, drift);
    for (int a = 0; a < 3; a++) {
        x[a] = v->x[a] + drift[a] + v->sigma * n[a];
        image[a] = v->image[a];
        if (has_events && p->face[2 * a] != EXO_FACE_PERIODIC) {
            exo_intv lo = exo_wall_needs_uniform(p->face[2 * a], v->x[a] - p->lo[a],
                                                 x[a] - p->lo[a], v->sigma);
            exo_intv hi = exo_wall_needs_uniform(p->face[2 * a + 1], p->hi[a] - v->x[a],
                                                 p->hi[a] - x[a], v->sigma);
            need = need || lo || hi;
        }
    }
    exo_uintv b[4];
    exo_boundary_words(p, id, step, has_events && EXO_ANY(active && need), b);
    exo_realv u_ad = exo_boundary_u01(b[3], 0);
    /* Capture on a receptor surface: its coefficient times n_L / a and the
     * available fraction of the face's receptors. */
    exo_realv lpa = v->lpa;
    exo_realv avail[6];
    for (int f = 0; f < 6; f++)
        avail[f] = exo_available(io, p, (exo_intv)(io->slots->patch_base[f]));

    exo_intv state = (exo_intv)(EXO_STATE_FREE);
    for (int a = 0; a < 3; a++) {
        exo_real lo = p->lo[a], hi = p->hi[a];
        if (p->face[2 * a] == EXO_FACE_PERIODIC) {
            exo_wrap_periodic(&x[a], &image[a], lo, p->len[a]);
            continue;
        }
        exo_intv m_lo, s_lo, m_hi, s_hi;
        exo_intv e_lo = exo_wall_event(p->face[2 * a], v->x[a] - lo, x[a] - lo,
                                       v->sigma, exo_boundary_u01(b[a], 0), u_ad,
                                       p->adsorb_coef[2 * a] +
                                           io->slots->bind_coef[2 * a] * lpa * avail[2 * a],
                                       p->adsorb_state[2 * a], &m_lo, &s_lo);
        exo_intv e_hi = exo_wall_event(p->face[2 * a + 1], hi - v->x[a], hi - x[a],
                                       v->sigma, exo_boundary_u01(b[a], 1), u_ad,
                                       p->adsorb_coef[2 * a + 1] +
                                           io->slots->bind_coef[2 * a + 1] * lpa *
                                               avail[2 * a + 1],
                                       p->adsorb_state[2 * a + 1], &m_hi, &s_hi);
        /* The first event of the step decides (axes in order, lower face
         * before upper). */
        state = EXO_SELECT(state, e_lo, state == EXO_STATE_FREE);
        state = EXO_SELECT(state, e_hi, state == EXO_STATE_FREE);
        x[a] = EXO_SELECT(x[a], (exo_realv)(lo), s_lo);
        x[a] = EXO_SELECT(x[a], (exo_realv)(hi), s_hi && !s_lo);
        x[a] = EXO_SELECT(x[a], EXO_R(2.0) * lo - x[a], m_lo && !s_hi);
        x[a] = EXO_SELECT(x[a], EXO_R(2.0) * hi - x[a], m_hi && !s_lo);
        /* Still outside after one mirror: a step longer than the box. */
        exo_intv still = state == EXO_STATE_FREE && (x[a] < lo || x[a] > hi);
        if (EXO_ANY(still)) {
            exo_realv t = x[a] - lo, period = EXO_R(2.0) * p->len[a];
            t -= period * exo_floor(t / period);
            t = EXO_SELECT(t, period - t, t > p->len[a]);
            exo_realv folded = EXO_SELECT(lo + t, (exo_realv)(hi), lo + t > hi);
            x[a] = EXO_SELECT(x[a], folded, still);
        }
    }
    exo_intv through = (exo_intv)(0);
    if (p->domain == EXO_DOMAIN_VESSEL)
        through = exo_outer_wall_step(v, p, id, step, active && state == EXO_STATE_FREE, x);
    if (p->cells.n_cells > 0)
        exo_cells_step(v, p, io, id, step, active && state == EXO_STATE_FREE && !through, x,
                       image, &state);
    for (int a = 0; a < 3; a++) {
        v->x[a] = EXO_SELECT(v->x[a], x[a], active);
        v->image[a] = EXO_SELECT(v->image[a], image[a], active);
    }
    v->state = EXO_SELECT(v->state, state, active);
    return through;
}

/**
 * One overdamped step in the lumen of a vessel, for all lanes (PHYSICS.md
 * sections 2.1, 3, 4).  The vessel is a straight cylinder of radius R and
 * length L along the unit axis v_frame[0..2] from v_origin (coordinates
 * s, y, z: EXO_TO_VESSEL); the centre of a
 * vesicle of radius a stays within r <= R - a.  Poiseuille flow
 * u(r) = 2U (1 - r^2/R^2) along the axis, evaluated at the start of the
 * step (Ito).  The wall and the two ends go through exo_wall_event with the
 * normal distances R - a - r and s, L - s; a mirrored wall crossing is
 * reflected radially about the wall (the tangent-plane mirror to O(step^2/R),
 * which is 1e-6 of a step for 100-nm vesicles in a capillary).  A periodic
 * end wraps s and counts the pass in the image count of the axis.  Only
 * the lanes in `moving` (free, in the lumen) move.  A leaky wall lets a
 * contact over a pore through to the tissue side (r >= R + a); the lanes
 * that crossed are returned.
 * Boundary words: 0 wall bridge, 1 inlet, 2 outlet, 3 adsorption (or the
 * pore).
 */
EXO_FN exo_intv exo_step_vessel(exo_vesicle *v, const exo_step_params *p,
                                const exo_launch_io *io, exo_uintv id, uint64_t step,
                                exo_intv moving)
{
    exo_intv active = moving;
    exo_realv n[3];
    exo_displacement_normals(p, id, step, n);

    /* The normals n[ax], n[p1], n[p2] go along s, y, z (for an axis along
     * a coordinate axis, the same normals as that axis and the two after). */
    const int ax = p->v_axis >= 0 ? p->v_axis : 0, p1 = (ax + 1) % 3, p2 = (ax + 2) % 3;
    const exo_real R = p->v_radius, L = p->v_length;
    exo_realv rc = R - v->radius;
    exo_realv s0, y0, z0;
    EXO_TO_VESSEL(p->v_origin, p->v_frame, v->x, s0, y0, z0);
    exo_realv r0 = exo_sqrt(y0 * y0 + z0 * z0);
    exo_realv flow = p->v_umax_dt * (EXO_R(1.0) - (y0 * y0 + z0 * z0) / (R * R));
    exo_realv s1, y1, z1;
    /* The rms step normal to the wall: it sets the bridge test and the
     * adsorption probability (PHYSICS.md 4.2: use D_perp near a wall). */
    exo_realv sigma_n = v->sigma;
    if (!p->v_hindered) {
        s1 = s0 + flow + v->sigma * n[ax];
        y1 = y0 + v->sigma * n[p1];
        z1 = z0 + v->sigma * n[p2];
    } else {
        /* Hindered diffusion near the wall (PHYSICS.md 2.1): D = D0 f_par
         * along the wall, D0 f_perp(h) across it, h = R - a - r the gap.
         * Ito drift div D, radially: d(D_perp)/dr + (D_perp - D_par)/r with
         * dh/dr = -1; D0 dt = sigma^2 / 2.  The noise is split into the
         * radial and azimuthal directions (any orthonormal frame of
         * isotropic normals is as good as the axes). */
        exo_realv h = EXO_SELECT(rc - r0, (exo_realv)(EXO_R(0.0)), rc - r0 < EXO_R(0.0));
        exo_realv fperp = exo_hindrance_perp(h, v->radius);
        exo_realv fpar = exo_hindrance_par(h, v->radius);
        exo_realv safe_r = EXO_SELECT(r0, (exo_realv)(EXO_R(1.0)), r0 <= EXO_R(0.0));
        exo_realv ey = EXO_SELECT(y0 / safe_r, (exo_realv)(EXO_R(1.0)), r0 <= EXO_R(0.0));
        exo_realv ez = EXO_SELECT(z0 / safe_r, (exo_realv)(EXO_R(0.0)), r0 <= EXO_R(0.0));
        exo_realv half_s2 = EXO_R(0.5) * v->sigma * v->sigma;
        exo_realv drift = half_s2 * (-exo_hindrance_perp_slope(h, v->radius) +
                                     EXO_SELECT((fperp - fpar) / safe_r,
                                                (exo_realv)(EXO_R(0.0)), r0 <= EXO_R(0.0)));
        /* f_perp -> 0 at contact; keep the bridge test defined there. */
        sigma_n = v->sigma * exo_sqrt(EXO_SELECT(fperp, (exo_realv)(EXO_R(1e-12)),
                                                 fperp < EXO_R(1e-12)));
        exo_realv dr = drift + sigma_n * n[p1];
        exo_realv dt_ = v->sigma * exo_sqrt(fpar) * n[p2];
        y1 = y0 + ey * dr - ez * dt_;
        z1 = z0 + ez * dr + ey * dt_;
        s1 = s0 + flow + v->sigma * exo_sqrt(fpar) * n[ax];
    }
    exo_realv r1 = exo_sqrt(y1 * y1 + z1 * z1);

    /* The wall where the step ends: the vessel's, or its region's (so an
     * adsorbed vesicle sits in the region whose wall took it). */
    exo_intv wall = (exo_intv)(p->v_wall);
    exo_realv lpa = v->lpa; /* capture: coefficient x n_L / a */
    exo_intv wall_slot = (exo_intv)(EXO_VESSEL_WALL);
    exo_realv ads = (exo_realv)(p->adsorb_coef[EXO_VESSEL_WALL]);
    exo_realv coef = (exo_realv)(io->slots->bind_coef[EXO_VESSEL_WALL]);
    exo_intv ad_state = (exo_intv)(p->adsorb_state[EXO_VESSEL_WALL]);
    for (int k = 0; k < p->n_regions; k++) {
        exo_intv in = s1 >= p->r_from[k] && s1 < p->r_to[k];
        wall = EXO_SELECT(wall, (exo_intv)(p->r_wall[k]), in);
        ads = EXO_SELECT(ads, (exo_realv)(p->r_adsorb_coef[k]), in);
        coef = EXO_SELECT(coef, (exo_realv)(io->slots->bind_coef[EXO_SLOT_REGION + k]), in);
        wall_slot = EXO_SELECT(wall_slot, (exo_intv)(EXO_SLOT_REGION + k), in);
        ad_state = EXO_SELECT(ad_state, (exo_intv)(p->r_adsorb_state[k]), in);
    }
    exo_intv need = wall != EXO_FACE_REFLECT &&
                    (r1 > rc || exo_bridge_crossing_probability(rc - r0, rc - r1, sigma_n) >
                                    EXO_BRIDGE_NEGLIGIBLE);
    /* Capture: the wall's coefficient times n_L / a and the available
     * fraction of receptors in the patch the step reaches, worked out only
     * where some lane may touch the wall (elsewhere no lane reads it). */
    if (EXO_ANY(active && need)) {
        exo_realv avail = (exo_realv)(EXO_R(1.0));
        if (p->depletion)
            avail = exo_available(io, p, exo_patch(io->slots, s1, y1, z1, wall_slot));
        coef = ads + coef * lpa * avail;
    } else {
        coef = ads;
    }
    if (p->v_end[0] != EXO_FACE_PERIODIC) {
        exo_intv a = exo_wall_needs_uniform(p->v_end[0], s0, s1, v->sigma);
        exo_intv b = exo_wall_needs_uniform(p->v_end[1], L - s0, L - s1, v->sigma);
        need = need || a || b;
    }
    exo_uintv w[4];
    exo_boundary_words(p, id, step, EXO_ANY(active && need), w);
    exo_realv u_ad = exo_boundary_u01(w[3], 0);

    /* A leaky wall: a contact over a pore crosses to the tissue side
     * (exo_pore_pass), any other crossing is mirrored as at a reflecting
     * wall.  Its uniforms are the wall's: word 0 the bridge, word 3 the
     * pore. */
    exo_intv leaky = wall == EXO_FACE_LEAKY, through = (exo_intv)(0);
    exo_realv c[3] = {s1, y1, z1}; /* set below where a lane may pass */
    if (EXO_ANY(active && leaky)) {
        exo_intv touch = active && leaky &&
                         (r1 > rc || exo_boundary_u01(w[0], 0) <
                                         exo_bridge_crossing_probability(rc - r0, rc - r1,
                                                                         sigma_n));
        if (p->pore_around > 0)
            touch = active && leaky && r1 > rc; /* a hole: see exo_pore_pass */
        exo_wall_contact(s0, y0, z0, s1, y1, z1, rc - r0, rc - r1, c);
        through = touch && exo_pore_pass(p, c, rc, p->pore_radius - v->radius, sigma_n, u_ad);
        wall = EXO_SELECT(wall, (exo_intv)(EXO_FACE_REFLECT), leaky);
    }

    /* The wall. */
    exo_intv mirror, stick;
    exo_intv state = exo_wall_event_lanes(wall, rc - r0, rc - r1, sigma_n,
                                          exo_boundary_u01(w[0], 0), u_ad, coef,
                                          ad_state, &mirror, &stick);
    mirror = mirror && !through;
    /* Radial mirror (2 rc - r1) or placement on the wall (rc); a step that
     * would still be outside after the mirror is clamped to the wall.  A
     * vesicle through a pore takes the rest of its step on the tissue side,
     * as far beyond R + a as its end point is from rc (exo_outer_wall_step). */
    exo_realv target = EXO_SELECT(r1, EXO_R(2.0) * rc - r1, mirror);
    target = EXO_SELECT(target, rc, stick);
    target = EXO_SELECT(target, (exo_realv)(EXO_R(0.0)), target < EXO_R(0.0));
    target = EXO_SELECT(target, rc, (mirror || stick) && target > rc);
    target = EXO_SELECT(target, R + v->radius + exo_fabs(rc - r1), through);
    exo_realv scale = EXO_SELECT((exo_realv)(EXO_R(1.0)), target / r1,
                                 (mirror || stick || through) && r1 > EXO_R(0.0));
    y1 *= scale;
    z1 *= scale;
    exo_pore_lateral(p, c, rc, target, through, &y1, &z1);

    /* The ends.  Periodic ends exist only on axes along x, y or z
     * (exo_config), whose image count records the passes. */
    exo_intv image = v->image[ax];
    if (p->v_end[0] == EXO_FACE_PERIODIC) {
        exo_wrap_periodic(&s1, &image, EXO_R(0.0), L);
    } else {
        exo_intv m_in, k_in, m_out, k_out;
        exo_intv e_in = exo_wall_event(p->v_end[0], s0, s1, v->sigma,
                                       exo_boundary_u01(w[1], 0), u_ad,
                                       p->adsorb_coef[EXO_VESSEL_INLET] +
                                           io->slots->bind_coef[EXO_VESSEL_INLET] * lpa *
                                               exo_available(io, p, (exo_intv)(
                                                   io->slots->patch_base[EXO_VESSEL_INLET])),
                                       p->adsorb_state[EXO_VESSEL_INLET], &m_in, &k_in);
        exo_intv e_out = exo_wall_event(p->v_end[1], L - s0, L - s1, v->sigma,
                                        exo_boundary_u01(w[2], 0), u_ad,
                                        p->adsorb_coef[EXO_VESSEL_OUTLET] +
                                            io->slots->bind_coef[EXO_VESSEL_OUTLET] * lpa *
                                                exo_available(io, p, (exo_intv)(
                                                    io->slots->patch_base[EXO_VESSEL_OUTLET])),
                                        p->adsorb_state[EXO_VESSEL_OUTLET], &m_out, &k_out);
        state = EXO_SELECT(state, e_in, state == EXO_STATE_FREE);
        state = EXO_SELECT(state, e_out, state == EXO_STATE_FREE);
        s1 = EXO_SELECT(s1, (exo_realv)(EXO_R(0.0)), k_in);
        s1 = EXO_SELECT(s1, (exo_realv)(L), k_out && !k_in);
        s1 = EXO_SELECT(s1, -s1, m_in && !k_out);
        s1 = EXO_SELECT(s1, EXO_R(2.0) * L - s1, m_out && !k_in);
        exo_intv still = state == EXO_STATE_FREE && (s1 < EXO_R(0.0) || s1 > L);
        s1 = EXO_SELECT(s1, (exo_realv)(EXO_R(0.0)), still && s1 < EXO_R(0.0));
        s1 = EXO_SELECT(s1, (exo_realv)(L), still && s1 > L);
    }

    /* Move by the change of vessel coordinates rather than mapping (s1, y1,
     * z1) back: the float frame is orthonormal only to rounding, and a map
     * there and back every step would scale |x - o| by 1 + 1e-7 each time
     * (4e-3 um over 2000 steps at 20 um, measured); a displacement carries
     * that error only on the step itself. */
    const exo_real zero[3] = {EXO_R(0.0), EXO_R(0.0), EXO_R(0.0)};
    exo_realv dx[3];
    EXO_FROM_VESSEL(zero, p->v_frame, s1 - s0, y1 - y0, z1 - z0, dx);
    for (int a = 0; a < 3; a++)
        v->x[a] = EXO_SELECT(v->x[a], v->x[a] + dx[a], active);
    v->image[ax] = EXO_SELECT(v->image[ax], image, active);
    v->state = EXO_SELECT(v->state, state, active);
    return through && active;
}

/**
 * Where an infused vesicle enters at global step `step`: on the inlet
 * cross-section with the radial density of the flux, u(r) r on r <= R - a
 * (uniform over the disk without flow), and, as its arrival time is uniform
 * within the step, uniformly in the stretch [0, u(r) dt] the flow carries in
 * one step (at least one rms step, so it does not start on the inlet).
 * Inverse CDF with x = r^2: F(x) = (x/2 - x^2/(4R^2)) / C, C = F's value at
 * rc^2, so x = R^2 (1 - sqrt(1 - 4 F C / R^2)).
 */
EXO_FN void exo_inlet_position(const exo_step_params *p, exo_uintv id, uint64_t step,
                               exo_realv a, exo_realv sigma, exo_realv x[3])
{
    exo_uintv w[4];
    exo_rng_drawv(id, step, EXO_RNG_INIT_POSITION, p->seed_lo, p->seed_hi, w);
    const exo_real R = p->v_radius;
    exo_realv rc = R - a, u = exo_u01v(w[0]), rho;
    if (p->v_umax_dt > EXO_R(0.0)) {
        exo_realv c = EXO_R(0.5) * rc * rc - rc * rc * rc * rc / (EXO_R(4.0) * R * R);
        exo_realv q = EXO_R(1.0) - EXO_R(4.0) * u * c / (R * R);
        q = EXO_SELECT(q, (exo_realv)(EXO_R(0.0)), q < EXO_R(0.0));
        exo_realv r2 = R * R * (EXO_R(1.0) - exo_sqrt(q));
        rho = exo_sqrt(EXO_SELECT(r2, rc * rc, r2 > rc * rc));
    } else {
        rho = rc * exo_sqrt(u);
    }
    exo_realv phi = EXO_R(6.283185307179586) * exo_u01v(w[1]);
    exo_realv carry = p->v_umax_dt * (EXO_R(1.0) - rho * rho / (R * R));
    carry = EXO_SELECT(carry, sigma, carry < sigma);
    exo_realv s = carry * exo_u01v(w[2]), y = rho * exo_cos(phi), z = rho * exo_sin(phi);
    EXO_FROM_VESSEL(p->v_origin, p->v_frame, s, y, z, x);
}

/** The step of a launch at which an infused vesicle with index j in its
 *  population enters: arrivals[k] vesicles of the population have entered
 *  before step k of the launch (k = 0..nsteps, cumulative), so j enters at
 *  the k with arrivals[k] <= j < arrivals[k + 1]; -1 outside this launch. */
EXO_FN exo_intv exo_arrival_step(EXO_GLOBAL const uint32_t *arrivals, uint32_t nsteps,
                                 exo_uintv j)
{
    exo_intv k = (exo_intv)(0);
    for (uint32_t s = 1; s <= nsteps; s++)
        k += EXO_SELECT((exo_intv)(0), (exo_intv)(1), arrivals[s] <= j);
    exo_intv here = j >= arrivals[0] && j < arrivals[nsteps];
    return EXO_SELECT((exo_intv)(-1), k, here);
}

/* ------------------------------------------------------- bound vesicles */

/** exo_bound_slot without the cells: the nearest box face, or vessel
 *  wall, inlet or outlet. */
EXO_FN exo_intv exo_wall_bound_slot(const exo_step_params *p, const exo_vesicle *v)
{
    exo_realv best = (exo_realv)(EXO_R(3.0e38));
    exo_intv slot = (exo_intv)(0);
    if (p->domain != EXO_DOMAIN_VESSEL) {
        for (int a = 0; a < 3; a++) {
            if (p->face[2 * a] == EXO_FACE_PERIODIC)
                continue;
            exo_realv d = v->x[a] - p->lo[a];
            exo_intv nearer = d < best;
            best = EXO_SELECT(best, d, nearer);
            slot = EXO_SELECT(slot, (exo_intv)(2 * a), nearer);
            d = p->hi[a] - v->x[a];
            nearer = d < best;
            best = EXO_SELECT(best, d, nearer);
            slot = EXO_SELECT(slot, (exo_intv)(2 * a + 1), nearer);
        }
        return slot;
    }
    exo_realv s, y, z;
    EXO_TO_VESSEL(p->v_origin, p->v_frame, v->x, s, y, z);
    exo_intv kind;
    slot = exo_wall_slot_at(p, s, &kind);
    best = exo_fabs(p->v_radius - v->radius - exo_sqrt(y * y + z * z));
    exo_intv nearer = exo_fabs(s) < best;
    best = EXO_SELECT(best, exo_fabs(s), nearer);
    slot = EXO_SELECT(slot, (exo_intv)(EXO_VESSEL_INLET), nearer);
    nearer = exo_fabs(p->v_length - s) < best;
    return EXO_SELECT(slot, (exo_intv)(EXO_VESSEL_OUTLET), nearer);
}

/**
 * The surface slot (EXO_SLOTS) of each lane's vesicle, read as if it is
 * bound: the surface it is nearest to.  An adsorbed or captured vesicle is
 * placed on the surface that took it, and bound vesicles do not move, so
 * that distance is zero up to rounding and no per-vesicle record is needed.
 * Box: the nearest non-periodic face.  Vessel: the nearest of the wall (the
 * region's wall where the vesicle sits in a region), the inlet and the
 * outlet.  Where cells hold vesicles (p->cells_hold), a vesicle on a cell's
 * grown sphere (exo_cell_at) sits on that cell: slot EXO_SLOT_CELL + its
 * type, and *cell gets the cell's index (else -1).  Only the lanes in
 * `look` are looked up among the cells.
 */
EXO_FN exo_intv exo_bound_slot(const exo_step_params *p, const exo_launch_io *io,
                               const exo_vesicle *v, exo_intv look, exo_intv *cell)
{
    exo_intv slot = exo_wall_bound_slot(p, v);
    *cell = (exo_intv)(-1);
    if (!p->cells_hold || !EXO_ANY(look))
        return slot;
    for (int l = 0; l < EXO_W; l++) {
        if (!EXO_LANE(int32_t, look, l))
            continue;
        exo_real x[3];
        for (int a = 0; a < 3; a++)
            x[a] = EXO_LANE(exo_real, v->x[a], l);
        int32_t cj = exo_cell_at(&p->cells, &io->tissue, x, EXO_LANE(exo_real, v->radius, l));
        if (cj < 0)
            continue;
        EXO_LANE(int32_t, *cell, l) = cj;
        EXO_LANE(int32_t, slot, l) = EXO_SLOT_CELL + io->tissue.type[cj];
    }
    return slot;
}

/** Probability that a first-order event of rate k (1/s) happens within a
 *  step dt: 1 - exp(-k dt), never k dt (PHYSICS.md 2.1, V8); expm1 keeps
 *  it accurate where k dt is far below float precision. */
EXO_FN exo_realv exo_event_probability(exo_realv k, exo_real dt)
{
    return -exo_expm1(-k * dt);
}

/** The receptor patch of each lane's vesicle in `look`, read as if it is
 *  bound (on the slot exo_bound_slot finds), or -1: on a cell, the slot's
 *  first patch plus the cell's index. */
EXO_FN exo_intv exo_bound_patch(const exo_step_params *p, const exo_launch_io *io,
                                const exo_vesicle *v, exo_intv look)
{
    exo_intv cell;
    exo_intv slot = exo_bound_slot(p, io, v, look, &cell);
    exo_realv s = (exo_realv)(EXO_R(0.0)), y = s, z = s;
    if (p->domain == EXO_DOMAIN_VESSEL)
        EXO_TO_VESSEL(p->v_origin, p->v_frame, v->x, s, y, z);
    exo_intv patch = exo_patch(io->slots, s, y, z, slot);
    if (!p->cells_hold)
        return patch;
    exo_intv base = exo_slot_int(io->slots->patch_base, slot);
    return EXO_SELECT(patch, EXO_SELECT(base + cell, (exo_intv)(-1), base < 0 || cell < 0),
                      slot >= EXO_SLOT_CELL);
}

/** Bell slip off-rate plus the catch pathway, per bond at force f (pN):
 *  k_s exp(f x_s / kT) + k_c exp(-f x_c / kT) (PHYSICS.md 5). */
EXO_FN exo_realv exo_bond_off_rate(const exo_step_params *p, exo_realv f)
{
    exo_realv k = p->k_slip * exo_exp(f * p->x_slip_kT);
    if (p->k_catch > EXO_R(0.0))
        k += p->k_catch * exo_exp(-f * p->x_catch_kT);
    return k;
}

/**
 * What may happen to a bound vesicle in one step (PHYSICS.md 5, DESIGN.md
 * section 10), for all lanes.  Each channel is a first-order rate at the
 * slot the vesicle sits on (exo_bound_slot):
 *   desorption    k_des                       adsorbed without bonds (n = 0)
 *   a bond forms  k_on sigma_R (n_c - n)      n_c = n_L delta / (2a), the
 *                                             ligands in the contact area
 *   a bond breaks n k_off(F / n)              the shear load F = load_coef
 *                                             a^2 shared by the n bonds
 *   uptake        k_int, if n >= n_min        state internalized
 *   transcytosis  k_tc, if n >= 1 on a        free in the tissue, at R + a
 *                 barrier slot                (same s and angle), no bonds
 * At most one event per step: one happens with P = 1 - exp(-Lambda dt),
 * Lambda the total rate, and it is the channel picked in proportion to its
 * rate (PHYSICS.md V8; exobd check warns where Lambda dt is large).  A
 * vesicle that desorbs or loses its last bond is free again where it sits
 * and takes that step from there.  Uniforms: purpose EXO_RNG_BOUND, word 0
 * whether, word 1 which.  Returns the lanes that crossed by transcytosis.
 */
EXO_FN exo_intv exo_bound_step(exo_vesicle *v, const exo_step_params *p,
                               const exo_launch_io *io, exo_uintv id, uint64_t step)
{
    exo_intv bound = v->state == EXO_STATE_BOUND;
    if (!EXO_ANY(bound))
        return (exo_intv)(0);
    EXO_GLOBAL const exo_slot_table *t = io->slots;
    exo_intv cell;
    exo_intv slot = exo_bound_slot(p, io, v, bound, &cell);
    exo_intv bonded = v->bonds > 0;
    exo_realv nb = exo_to_realv(v->bonds);
    exo_realv zero = (exo_realv)(EXO_R(0.0));
    exo_realv desorb = EXO_SELECT(exo_slot_real(t->desorb_rate, slot), zero, bonded);
    exo_realv room = v->ligands * p->half_reach / v->radius - nb;
    room = EXO_SELECT(room, zero, room < EXO_R(0.0) || nb >= (exo_realv)(EXO_MAX_BONDS));
    exo_realv rate = exo_slot_real(t->bond_rate, slot);
    if (p->depletion)
        rate *= exo_available(io, p, exo_bound_patch(p, io, v, bound));
    exo_realv form = EXO_SELECT(zero, rate * room, bonded);
    exo_realv per_bond = exo_slot_real(t->load_coef, slot) * v->radius * v->radius /
                         EXO_SELECT(nb, (exo_realv)(EXO_R(1.0)), !bonded);
    exo_realv brk = EXO_SELECT(zero, nb * exo_bond_off_rate(p, per_bond), bonded);
    exo_realv up = EXO_SELECT(zero, exo_slot_real(t->uptake_rate, slot),
                              bonded && v->bonds >= exo_slot_int(t->uptake_min, slot));
    exo_realv tc = zero;
    if (p->barrier_slots != 0)
        tc = EXO_SELECT(zero, (exo_realv)(p->transcytosis_rate),
                        bonded && (((exo_intv)(p->barrier_slots) >> slot) & 1) != 0);
    exo_realv total = desorb + form + brk + up + tc;
    if (!EXO_ANY(bound && total > EXO_R(0.0)))
        return (exo_intv)(0); /* nothing can happen: skip the draw */
    exo_uintv w[4];
    exo_rng_drawv(id, step, EXO_RNG_BOUND, p->seed_lo, p->seed_hi, w);
    exo_intv event = bound && exo_u01v(w[0]) < exo_event_probability(total, p->dt);
    /* The channel; a pick that rounds up to the total falls to the last
     * channel with a rate. */
    exo_realv pick = exo_u01v(w[1]) * total;
    exo_intv do_tc = event && bonded && tc > EXO_R(0.0) && pick >= form + brk + up;
    exo_intv do_up = event && bonded && !do_tc && up > EXO_R(0.0) && pick >= form + brk;
    exo_intv do_break = event && bonded && !do_up && !do_tc && brk > EXO_R(0.0) &&
                        (pick >= form || form <= EXO_R(0.0));
    exo_intv do_form = event && bonded && !do_up && !do_break && !do_tc;
    exo_intv bonds = v->bonds + EXO_SELECT((exo_intv)(0), (exo_intv)(1), do_form) -
                     EXO_SELECT((exo_intv)(0), (exo_intv)(1), do_break);
    exo_intv released = (event && !bonded) || (do_break && bonds == 0);
    v->bonds = EXO_SELECT(bonds, (exo_intv)(0), do_tc);
    v->state = EXO_SELECT(v->state, (exo_intv)(EXO_STATE_FREE), released || do_tc);
    v->state = EXO_SELECT(v->state, (exo_intv)(EXO_STATE_INTERNALIZED), do_up);
    if (EXO_ANY(do_tc)) {
        /* Across the wall, radially: from R - a to R + a. */
        exo_realv sv, y, z;
        EXO_TO_VESSEL(p->v_origin, p->v_frame, v->x, sv, y, z);
        (void)sv;
        exo_realv r = exo_sqrt(y * y + z * z);
        exo_realv scale = (p->v_radius + v->radius) /
                              EXO_SELECT(r, (exo_realv)(EXO_R(1.0)), r <= EXO_R(0.0)) -
                          EXO_R(1.0);
        const exo_real zero3[3] = {EXO_R(0.0), EXO_R(0.0), EXO_R(0.0)};
        exo_realv dx[3];
        EXO_FROM_VESSEL(zero3, p->v_frame, zero, scale * y, scale * z, dx);
        for (int a = 0; a < 3; a++)
            v->x[a] = EXO_SELECT(v->x[a], v->x[a] + dx[a], do_tc);
    }
    return do_tc;
}

/** Count the bonds formed in step k of the launch by the lanes in `mask`,
 *  in the patch each now sits on.  Integer atomics: the sums, which the
 *  host checks against the receptors left (exo_sim), do not depend on the
 *  order lanes run in.  Formations are rare, so lanes go one by one. */
EXO_FN void exo_count_formed(const exo_launch_io *io, const exo_step_params *p,
                             exo_vesicle *v, exo_intv mask, uint32_t k)
{
    if (!EXO_ANY(mask))
        return;
    exo_intv patch = exo_bound_patch(p, io, v, mask);
    for (int l = 0; l < EXO_W; l++) {
        int32_t j = EXO_LANE(int32_t, patch, l);
        if (EXO_LANE(int32_t, mask, l) && j >= 0)
            exo_atomic_inc(io->formed + (size_t)k * io->n_patches + (uint32_t)j);
    }
}

/* ------------------------------------------------------------------ events */

/** Append one event of `kind` (for crossings, its EXO_ROUTE_*) for each
 *  lane in `mask` (its position, slot, cell (-1: none) and bonds after the
 *  event).  Lanes go one by one: events are rare, and the host sorts them
 *  by (step, id), so the order of appending is free. */
EXO_FN void exo_emit(const exo_launch_io *io, exo_intv mask, int32_t kind, int32_t route,
                     exo_vesicle *v, exo_intv slot, exo_intv cell, exo_uintv id, uint64_t step)
{
    if (!EXO_ANY(mask))
        return;
    for (int l = 0; l < EXO_W; l++) {
        if (!EXO_LANE(int32_t, mask, l))
            continue;
        uint32_t at = exo_atomic_inc(io->count);
        if (at >= io->capacity)
            continue;
        EXO_GLOBAL exo_event *e = io->buf + at;
        e->id = EXO_LANE(uint32_t, id, l);
        e->step_lo = (uint32_t)step;
        e->step_hi = (uint32_t)(step >> 32);
        e->kind = kind;
        for (int a = 0; a < 3; a++)
            e->x[a] = EXO_LANE(exo_real, v->x[a], l);
        e->slot = EXO_LANE(int32_t, slot, l);
        e->bonds = EXO_LANE(int32_t, v->bonds, l);
        e->route = route;
        e->cell = EXO_LANE(int32_t, cell, l);
    }
}

/** First-order clearance from the blood (the liver and spleen; PHYSICS.md
 *  table of section 6, Lai 2014): a free vesicle is removed at the start of
 *  a step with probability 1 - exp(-k dt), so the free fraction without
 *  other losses is exactly exp(-k t) at every step.  Only lanes in `blood`
 *  are cleared: vesicles in the tissue beside a vessel are out of it.  Uniform: purpose
 *  EXO_RNG_CLEARANCE, word 0. */
EXO_FN void exo_clearance_step(exo_vesicle *v, const exo_step_params *p, exo_uintv id,
                               uint64_t step, exo_intv blood)
{
    exo_intv free_ = v->state == EXO_STATE_FREE && blood;
    if (!EXO_ANY(free_))
        return;
    exo_uintv w[4];
    exo_rng_drawv(id, step, EXO_RNG_CLEARANCE, p->seed_lo, p->seed_hi, w);
    exo_intv gone = free_ && exo_u01v(w[0]) < (exo_realv)(p->clear_prob);
    v->state = EXO_SELECT(v->state, (exo_intv)(EXO_STATE_CLEARED), gone);
}

/** Whether a lane's vesicle needs stepping in a launch: free, arriving
 *  (infusion), or bound where bound vesicles change. */
EXO_FN exo_intv exo_needs_steps(const exo_step_params *p, exo_intv state, exo_intv arrive)
{
    return state == EXO_STATE_FREE || arrive >= 0 ||
           (p->bound_moves && state == EXO_STATE_BOUND);
}

/** Advance EXO_W vesicles (ids id) by nsteps steps from global step step0.
 *  `arrive` is, per lane, the step of the launch (0..nsteps-1) at whose
 *  start an inactive infused vesicle enters, or -1.  Events go to io when
 *  p->record_events; receptor availability comes from io, and the bonds
 *  formed are counted there, when p->depletion. */
EXO_FN void exo_advance(exo_vesicle *v, const exo_step_params *p,
                        exo_uintv id, uint64_t step0, uint32_t nsteps,
                        exo_intv arrive, const exo_launch_io *io)
{
    int has_events = exo_box_has_events(p);
    for (uint32_t k = 0; k < nsteps; k++) {
        exo_intv enter = arrive == (int32_t)k;
        if (EXO_ANY(enter)) {
            exo_realv x[3];
            exo_inlet_position(p, id, step0 + k, v->radius, v->sigma, x);
            for (int a = 0; a < 3; a++) {
                v->x[a] = EXO_SELECT(v->x[a], x[a], enter);
                v->image[a] = EXO_SELECT(v->image[a], (exo_intv)(0), enter);
            }
            v->state = EXO_SELECT(v->state, (exo_intv)(EXO_STATE_FREE), enter);
        }
        uint64_t step = step0 + k;
        if (p->bound_moves) {
            exo_intv was_bound = v->state == EXO_STATE_BOUND;
            exo_intv had = v->bonds;
            /* The slot is read before a transcytosis moves the vesicle. */
            exo_intv slot = (exo_intv)(0), cell = (exo_intv)(-1);
            const int moved = p->record_events && p->barrier_slots != 0;
            if (moved)
                slot = exo_bound_slot(p, io, v, was_bound, &cell);
            exo_intv crossed = exo_bound_step(v, p, io, id, step);
            if (p->depletion)
                exo_count_formed(io, p, v, v->state == EXO_STATE_BOUND && v->bonds > had, k);
            exo_intv left = was_bound && v->state != EXO_STATE_BOUND;
            if (p->record_events && EXO_ANY(left)) {
                if (!moved)
                    slot = exo_bound_slot(p, io, v, left, &cell);
                exo_emit(io, left && v->state == EXO_STATE_FREE && !crossed,
                         EXO_EVENT_UNBINDING, EXO_ROUTE_NONE, v, slot, cell, id, step);
                exo_emit(io, left && v->state == EXO_STATE_INTERNALIZED,
                         EXO_EVENT_INTERNALIZATION, EXO_ROUTE_NONE, v, slot, cell, id, step);
                exo_emit(io, crossed, EXO_EVENT_CROSSING, EXO_ROUTE_TRANSCYTOSIS, v, slot, cell,
                         id, step);
            }
        }
        /* The compartment of each lane for this step (after a transcytosis
         * moved it; clearance does not move it). */
        exo_intv tissue = exo_in_tissue(p, v->x);
        if (p->clear_prob > EXO_R(0.0))
            exo_clearance_step(v, p, id, step, !tissue);
        if (!EXO_ANY(v->state == EXO_STATE_FREE || arrive > (int32_t)k ||
                     (p->bound_moves && v->state == EXO_STATE_BOUND)))
            break;
        exo_intv was_free = v->state == EXO_STATE_FREE;
        if (p->domain != EXO_DOMAIN_VESSEL) {
            (void)exo_step_overdamped(v, p, io, id, step, has_events, was_free);
        } else if (!p->tissue_side) {
            (void)exo_step_vessel(v, p, io, id, step, was_free);
        } else {
            /* Each lane steps in the compartment it starts the step in; a
             * step no lane takes is skipped (its draws are keyed by id and
             * step, so that changes nothing). */
            exo_intv out = (exo_intv)(0), in = (exo_intv)(0);
            if (EXO_ANY(was_free && !tissue))
                out = exo_step_vessel(v, p, io, id, step, was_free && !tissue);
            if (EXO_ANY(was_free && tissue)) {
                exo_realv lumen_sigma = v->sigma;
                v->sigma = v->sigma_tissue;
                in = exo_step_overdamped(v, p, io, id, step, has_events, was_free && tissue);
                v->sigma = lumen_sigma;
            }
            if (p->record_events && EXO_ANY(out || in)) {
                exo_realv sv, y, z;
                EXO_TO_VESSEL(p->v_origin, p->v_frame, v->x, sv, y, z);
                (void)y;
                (void)z;
                exo_intv kind;
                exo_intv slot = exo_wall_slot_at(p, sv, &kind);
                const exo_intv none = (exo_intv)(-1);
                exo_emit(io, out, EXO_EVENT_CROSSING, EXO_ROUTE_PORE_OUT, v, slot, none, id,
                         step);
                exo_emit(io, in, EXO_EVENT_CROSSING, EXO_ROUTE_PORE_IN, v, slot, none, id, step);
            }
        }
        /* Captured this step: one bond where the surface binds (none where
         * it only adsorbs). */
        exo_intv captured = was_free && v->state == EXO_STATE_BOUND;
        if (EXO_ANY(captured)) {
            exo_intv cell;
            exo_intv slot = exo_bound_slot(p, io, v, captured, &cell);
            exo_intv binds = exo_slot_real(io->slots->bind_coef, slot) > EXO_R(0.0);
            v->bonds = EXO_SELECT(v->bonds, (exo_intv)(1), captured && binds);
            if (p->depletion)
                exo_count_formed(io, p, v, captured && binds, k);
            if (p->record_events)
                exo_emit(io, captured, EXO_EVENT_BINDING, EXO_ROUTE_NONE, v, slot, cell, id,
                         step);
        }
    }
}

/* ----------------------------------------------------------- initial state */

/**
 * Inverse of the standard normal CDF, p in (0, 1): Wichura's algorithm
 * AS 241 PPND7 (Appl. Statist. 37:477, 1988), the version made for single
 * precision (relative accuracy about 1e-7).  Its central rational function
 * has only positive coefficients in r = 0.180625 - q^2, so float rounding is
 * not amplified by cancellation; Acklam's approximation, tried first, lost
 * about 1e-5 to cancellation in float and so differed between host and
 * device by as much.
 */
EXO_FN exo_real exo_normal_quantile(exo_real p)
{
    exo_real q = p - EXO_R(0.5), r, z;
    if (exo_fabs(q) <= EXO_R(0.425)) {
        r = EXO_R(0.180625) - q * q;
        return q * (((EXO_R(59.109374720) * r + EXO_R(159.29113202)) * r
                     + EXO_R(50.434271938)) * r + EXO_R(3.3871327179))
               / (((EXO_R(67.187563600) * r + EXO_R(78.757757664)) * r
                   + EXO_R(17.895169469)) * r + EXO_R(1.0));
    }
    r = exo_sqrt(-exo_log(q < EXO_R(0.0) ? p : EXO_R(1.0) - p));
    if (r <= EXO_R(5.0)) {
        r -= EXO_R(1.6);
        z = (((EXO_R(0.17023821103) * r + EXO_R(1.3067284816)) * r
              + EXO_R(2.7568153900)) * r + EXO_R(1.4234372777))
            / ((EXO_R(0.12021132975) * r + EXO_R(0.73700164250)) * r + EXO_R(1.0));
    } else {
        r -= EXO_R(5.0);
        z = (((EXO_R(0.017337203997) * r + EXO_R(0.42868294337)) * r
              + EXO_R(3.0812263860)) * r + EXO_R(6.6579051150))
            / ((EXO_R(0.012258202635) * r + EXO_R(0.24197894225)) * r + EXO_R(1.0));
    }
    return q < EXO_R(0.0) ? -z : z;
}

/** Radius of vesicle `id` of a population: fixed, or log-normal truncated to
 *  [min, max] by inverse-CDF sampling (no rejection loop, so every vesicle
 *  costs the same and draws exactly one counter). */
EXO_FN exo_real exo_init_radius(const exo_init_params *ip, uint32_t id)
{
    if (ip->distribution == EXO_RADIUS_FIXED)
        return ip->radius_median;
    exo_u32x4 r = exo_rng_draw(id, 0, EXO_RNG_INIT_RADIUS, ip->seed_lo,
                               ip->seed_hi);
    exo_real p = ip->cdf_lo + (ip->cdf_hi - ip->cdf_lo) * exo_u01(r.v[0]);
    exo_real a = ip->radius_median *
                 exo_exp(ip->radius_sigma * exo_normal_quantile(p));
    return a < ip->radius_min ? ip->radius_min
                              : (a > ip->radius_max ? ip->radius_max : a);
}

/** Ligand copies of vesicle `id`: fixed, Poisson (inversion up to a mean of
 *  30, the rounded normal approximation above it) or normal (rounded);
 *  never below 0 or above 65535 (stored as uint16). */
EXO_FN exo_real exo_init_ligands(const exo_init_params *ip, uint32_t id)
{
    exo_real m = ip->ligand_mean, n;
    if (ip->ligand_distribution == EXO_LIGANDS_FIXED)
        return m;
    exo_u32x4 r = exo_rng_draw(id, 0, EXO_RNG_INIT_LIGANDS, ip->seed_lo, ip->seed_hi);
    if (ip->ligand_distribution == EXO_LIGANDS_POISSON && m <= EXO_R(30.0)) {
        exo_real u = exo_u01(r.v[0]), p = exo_exp(-m), c = p;
        n = EXO_R(0.0);
        while (u > c && n < EXO_R(200.0)) {
            n += EXO_R(1.0);
            p *= m / n;
            c += p;
        }
        return n;
    }
    exo_real z, z2;
    exo_box_muller(r.v[0], r.v[1], &z, &z2);
    exo_real sd = ip->ligand_distribution == EXO_LIGANDS_POISSON ? exo_sqrt(m) : ip->ligand_sd;
    n = exo_floor(m + sd * z + EXO_R(0.5));
    return n < EXO_R(0.0) ? EXO_R(0.0) : (n > EXO_R(65535.0) ? EXO_R(65535.0) : n);
}

/** Whether a vesicle of radius a centred at x overlaps a cell. */
EXO_FN int exo_inside_cell(const exo_cell_grid *g, const exo_cells_io *io,
                           const exo_real x[3], exo_real a)
{
    if (g->n_cells <= 0)
        return 0;
    uint32_t bin = exo_cell_bin(g, x);
    for (uint32_t j = io->bin_start[bin]; j < io->bin_start[bin + 1]; j++) {
        EXO_GLOBAL const exo_real *c = io->cell + 4 * io->bin_cells[j];
        exo_real r2 = EXO_R(0.0), re = c[3] + a;
        for (int k = 0; k < 3; k++) {
            exo_real q = exo_cell_sep(g, k, x[k] - c[k]);
            r2 += q * q;
        }
        if (r2 < re * re)
            return 1;
    }
    return 0;
}

/** Most draws of a start position that lands in a cell before the last
 *  draw is kept anyway; with cells filling at most 74% of space the
 *  chance of that is below 0.74^1000. */
#define EXO_START_TRIES 1000u

/** Initial position: uniform in the start region (a point if lo == hi),
 *  outside every cell (a draw that lands in one is drawn again, counter
 *  step = try; uniform in the space between the cells), or, for a lumen
 *  start, uniform in the disk r <= R - a (a: the vesicle's radius) times
 *  the axial range [s_lo, s_hi]. */
EXO_FN void exo_init_position(const exo_init_params *ip, const exo_cells_io *cells,
                              uint32_t id, exo_real a, exo_real *x)
{
    exo_u32x4 r = exo_rng_draw(id, 0, EXO_RNG_INIT_POSITION, ip->seed_lo,
                               ip->seed_hi);
    if (!ip->lumen) {
        for (uint32_t t = 1;; t++) {
            for (int k = 0; k < 3; k++)
                x[k] = ip->start_lo[k] +
                       (ip->start_hi[k] - ip->start_lo[k]) * exo_u01(r.v[k]);
            if (t >= EXO_START_TRIES || !exo_inside_cell(&ip->cells, cells, x, a))
                return;
            r = exo_rng_draw(id, t, EXO_RNG_INIT_POSITION, ip->seed_lo, ip->seed_hi);
        }
    }
    exo_real rho = (ip->v_radius - a) * exo_sqrt(exo_u01(r.v[0]));
    exo_real phi = EXO_R(6.283185307179586) * exo_u01(r.v[1]);
    exo_real s = ip->s_lo + (ip->s_hi - ip->s_lo) * exo_u01(r.v[2]);
    exo_real y = rho * exo_cos(phi), z = rho * exo_sin(phi);
    EXO_FROM_VESSEL(ip->v_origin, ip->v_frame, s, y, z, x);
}

/* ------------------------------------------------------------------ output */

/** The vessel region (0 .. n_regions - 1) at axial position s, or
 *  n_regions outside every region (scalar). */
EXO_FN int exo_region_at(const exo_step_params *p, exo_real s)
{
    for (int k = 0; k < p->n_regions; k++)
        if (s >= p->r_from[k] && s < p->r_to[k])
            return k;
    return p->n_regions;
}

/** The place of a vesicle of radius a at (x, y, z) in state `state`
 *  (scalar); cells: the tissue's, read only where cells take up vesicles
 *  (may be NULL otherwise). */
EXO_FN int exo_place(const exo_step_params *p, const exo_cells_io *cells, exo_real x0,
                     exo_real x1, exo_real x2, exo_real a, int state)
{
    const exo_real x[3] = {x0, x1, x2};
    int tissue = p->domain != EXO_DOMAIN_VESSEL;
    exo_real s = EXO_R(0.0);
    if (!tissue) {
        exo_real y, z;
        EXO_TO_VESSEL(p->v_origin, p->v_frame, x, s, y, z);
        tissue = p->tissue_side && y * y + z * z > p->v_radius * p->v_radius;
    }
    /* On a cell: taken up, or held (bound, internalized) by its membrane. */
    int on_cell = state == EXO_STATE_ABSORBED ||
                  (p->cells_hold && (state == EXO_STATE_BOUND || state == EXO_STATE_INTERNALIZED));
    if (tissue && on_cell && p->cells_take) {
        int32_t cj = exo_cell_at(&p->cells, cells, x, a);
        if (cj >= 0)
            return EXO_PLACE_CELLS + cells->type[cj];
    }
    if (p->domain != EXO_DOMAIN_VESSEL)
        return 0;
    int region = exo_region_at(p, s);
    if (tissue)
        return EXO_PLACE_TISSUE + region;
    if (state == EXO_STATE_EXITED)
        return p->n_regions + (s < EXO_R(0.5) * p->v_length ? 1 : 2);
    return region;
}

/** The counter of a vesicle at (x, y, z) in state `state` in a density
 *  image (exo_density_params), or -1 where its state is not imaged or it
 *  lies outside the grid (each voxel is half-open, [lo, lo + h)). */
EXO_FN int32_t exo_density_index(const exo_density_params *d, exo_real x0, exo_real x1,
                                 exo_real x2, int state)
{
    if (state < 0 || state >= EXO_STATE_COUNT || d->slot[state] < 0)
        return -1;
    const exo_real x[3] = {x0, x1, x2};
    int32_t at = d->slot[state];
    for (int a = 2; a >= 0; a--) {
        exo_real u = (x[a] - d->lo[a]) * d->inv_voxel[a];
        if (!(u >= EXO_R(0.0) && u < (exo_real)d->bins[a]))
            return -1;
        int32_t i = (int32_t)u;
        i = i < d->bins[a] ? i : d->bins[a] - 1;
        at = at * d->bins[a] + i;
    }
    return at;
}

/** Which vesicle (array index) is the j-th of n_out written of n: evenly
 *  spaced by index, the first one always included. */
EXO_FN uint32_t exo_sample_index(uint32_t j, uint32_t n, uint32_t n_out)
{
    return (uint32_t)(((uint64_t)j * (uint64_t)n) / (uint64_t)n_out);
}

#endif /* EXO_PHYSICS_H */
