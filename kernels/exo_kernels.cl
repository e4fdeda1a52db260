/*
 * exobd kernels: entry points only.  Each loads vesicles, calls the shared
 * physics (kernels/shared/exo_physics.h, the same code the C reference in
 * host/exo_ref.c runs) and stores them.  Arrays are structure-of-arrays
 * with a stride: pos[i], pos[stride + i], pos[2 stride + i] are x, y, z of
 * vesicle i.
 */
#include "shared/exo_compat.h"
#include "shared/exo_rng.h"
#include "shared/exo_types.h"
#include "shared/exo_physics.h"

/* Loads and stores of EXO_W consecutive vesicles (exo_compat.h lanes). */
#if EXO_W == 1
#define EXO_VLOAD(g, ptr) ((ptr)[g])
#define EXO_VSTORE(val, g, ptr) ((ptr)[g] = (val))
#define exo_state_load(g, ptr) ((int)(ptr)[g])
#define exo_state_store(val, g, ptr) ((ptr)[g] = (char)(val))
#define exo_ligands_load(g, ptr) ((float)(ptr)[g])
#define exo_bonds_load(g, ptr) ((int)(ptr)[g])
#define exo_bonds_store(val, g, ptr) ((ptr)[g] = (uchar)(val))
#else
#define EXO_VLOAD(g, ptr) EXO_CAT(vload, EXO_W)((g), (ptr))
#define EXO_VSTORE(val, g, ptr) EXO_CAT(vstore, EXO_W)((val), (g), (ptr))
#define exo_state_load(g, ptr) EXO_CAT(convert_int, EXO_W)(EXO_VLOAD(g, ptr))
#define exo_state_store(val, g, ptr) EXO_VSTORE(EXO_CAT(convert_char, EXO_W)(val), g, ptr)
#define exo_ligands_load(g, ptr) EXO_CAT(convert_float, EXO_W)(EXO_VLOAD(g, ptr))
#define exo_bonds_load(g, ptr) EXO_CAT(convert_int, EXO_W)(EXO_VLOAD(g, ptr))
#define exo_bonds_store(val, g, ptr) EXO_VSTORE(EXO_CAT(convert_uchar, EXO_W)(val), g, ptr)
#endif

/** Advance the `count` vesicles at array indices first.. (one population)
 *  by nsteps steps from global step step0, holding EXO_W vesicles per
 *  work-item in registers for the whole launch (DESIGN.md section 7).
 *  Arrays hold `stride` entries per component, at least first + count +
 *  EXO_W, so the last work-item's lanes beyond `count` read and write back
 *  entries they leave unchanged (masked inactive). */
__kernel void k_advance(__global exo_real *pos, __global int *image,
                        __global const float *radius, __global char *state,
                        const exo_step_params p, const ulong step0,
                        const uint nsteps, const uint stride, const uint id0,
                        const uint first, const uint count,
                        __global const uint *arrivals, __global const ushort *ligands,
                        __global uchar *bonds, __global exo_event *events,
                        __global uint *event_count, const uint event_capacity,
                        __global const float *patch_avail, __global uint *formed,
                        const uint n_patches, __global const exo_real *cells,
                        __global const uint *cell_bin_start, __global const uint *cell_bin_cells,
                        __global const int *cell_type, __global const exo_slot_table *slots)
{
    uint g = get_global_id(0);
    if (g * EXO_W >= count)
        return;
    uint at = first + g * EXO_W;
    exo_vesicle v;
    exo_intv stored = exo_state_load(0, state + at);
    exo_intv inside = (exo_uintv)(g * EXO_W) + EXO_LANES < (exo_uintv)(count);
    v.state = EXO_SELECT((exo_intv)(-1), stored, inside);
    exo_intv arrive = (exo_intv)(-1);
    if (p.infused)
        arrive = EXO_SELECT((exo_intv)(-1),
                            exo_arrival_step(arrivals, nsteps,
                                             (exo_uintv)(at - first) + EXO_LANES),
                            v.state == EXO_STATE_INACTIVE);
    if (!EXO_ANY(exo_needs_steps(&p, v.state, arrive)))
        return;
    for (int a = 0; a < 3; a++) {
        v.x[a] = EXO_VLOAD(0, pos + a * stride + at);
        v.image[a] = EXO_VLOAD(0, image + a * stride + at);
    }
    v.radius = EXO_VLOAD(0, radius + at);
    v.ligands = exo_ligands_load(0, ligands + at);
    v.bonds = exo_bonds_load(0, bonds + at);
    exo_vesicle_begin(&v, &p);
    exo_uintv id = (exo_uintv)(id0 + at) + EXO_LANES;
    exo_launch_io sink;
    sink.buf = events;
    sink.count = event_count;
    sink.capacity = event_capacity;
    sink.avail = patch_avail;
    sink.formed = formed;
    sink.n_patches = n_patches;
    sink.tissue.cell = cells;
    sink.tissue.bin_start = cell_bin_start;
    sink.tissue.bin_cells = cell_bin_cells;
    sink.tissue.type = cell_type;
    sink.slots = slots;
    exo_advance(&v, &p, id, step0, nsteps, arrive, &sink);
    for (int a = 0; a < 3; a++) {
        EXO_VSTORE(v.x[a], 0, pos + a * stride + at);
        EXO_VSTORE(v.image[a], 0, image + a * stride + at);
    }
    exo_bonds_store(v.bonds, 0, bonds + at);
    exo_state_store(EXO_SELECT(stored, v.state, inside), 0, state + at);
}

/** Inject one population: radius, start position (outside the cells),
 *  state free.  n is the arrays' stride. */
__kernel void k_init_vesicles(__global exo_real *pos, __global int *image,
                              __global float *radius, __global char *state,
                              const exo_init_params ip, const uint n,
                              __global ushort *ligands, __global uchar *bonds,
                              __global const exo_real *cells,
                              __global const uint *cell_bin_start,
                              __global const uint *cell_bin_cells)
{
    uint j = get_global_id(0);
    if (j >= ip.count)
        return;
    uint i = ip.first + j;
    exo_real x[3];
    exo_real a_i = exo_init_radius(&ip, ip.id0 + i);
    exo_cells_io tissue;
    tissue.cell = cells;
    tissue.bin_start = cell_bin_start;
    tissue.bin_cells = cell_bin_cells;
    tissue.type = 0; /* a start only avoids cells */
    exo_init_position(&ip, &tissue, ip.id0 + i, a_i, x);
    for (int a = 0; a < 3; a++) {
        pos[a * n + i] = x[a];
        image[a * n + i] = 0;
    }
    radius[i] = (float)a_i;
    ligands[i] = (ushort)exo_init_ligands(&ip, ip.id0 + i);
    bonds[i] = 0;
    state[i] = (char)(ip.inactive ? EXO_STATE_INACTIVE : EXO_STATE_FREE);
}

/** Count one population's vesicles per (place, state) (exo_place), and the
 *  bonds they hold per place: a local histogram per work-group, then
 *  integer atomics into counts[EXO_PLACES * EXO_COUNT_COLS]
 *  (deterministic). */
__kernel void k_count_places(__global const exo_real *pos, __global const char *state,
                             const uint stride, const uint first, const uint count,
                             const exo_step_params p, __global uint *counts,
                             __global const uchar *bonds, __global const float *radius,
                             __global const exo_real *cells,
                             __global const uint *cell_bin_start,
                             __global const uint *cell_bin_cells,
                             __global const int *cell_type)
{
    exo_cells_io tissue;
    tissue.cell = cells;
    tissue.bin_start = cell_bin_start;
    tissue.bin_cells = cell_bin_cells;
    tissue.type = cell_type;
    __local uint hist[EXO_PLACES * EXO_COUNT_COLS];
    uint l = get_local_id(0);
    for (uint s = l; s < EXO_PLACES * EXO_COUNT_COLS; s += get_local_size(0))
        hist[s] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    uint j = get_global_id(0);
    if (j < count) {
        uint i = first + j;
        int st = state[i];
        if (st >= 0 && st < EXO_STATE_COUNT) {
            int place = exo_place(&p, &tissue, pos[i], pos[stride + i], pos[2 * stride + i],
                                  radius[i], st);
            atomic_inc(&hist[place * EXO_COUNT_COLS + st]);
            if (bonds[i] != 0)
                atomic_add(&hist[place * EXO_COUNT_COLS + EXO_COUNT_BONDS], (uint)bonds[i]);
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint s = l; s < EXO_PLACES * EXO_COUNT_COLS; s += get_local_size(0))
        if (hist[s] != 0)
            atomic_add(&counts[s], hist[s]);
}

/** A density image of all n vesicles (exo_density_index): integer
 *  atomics into counts, so the image is the same however the work is
 *  split. */
__kernel void k_density(__global const exo_real *pos, __global const char *state,
                        const uint stride, const uint n, const exo_density_params d,
                        __global uint *counts)
{
    uint i = get_global_id(0);
    if (i >= n)
        return;
    int at = exo_density_index(&d, pos[i], pos[stride + i], pos[2 * stride + i], state[i]);
    if (at >= 0)
        atomic_inc(&counts[at]);
}

/** Bonds per receptor patch of one population's vesicles, EXO_W per
 *  work-item as k_advance: held by bound vesicles (bound_bonds) and taken
 *  in by internalized ones (taken_bonds); integer atomics, so the sums are
 *  deterministic. */
__kernel void k_count_patches(__global const exo_real *pos, __global const float *radius,
                              __global const char *state, __global const uchar *bonds,
                              const uint stride, const uint first, const uint count,
                              const exo_step_params p, __global uint *bound_bonds,
                              __global uint *taken_bonds, __global const exo_slot_table *slots,
                              __global const exo_real *cells,
                              __global const uint *cell_bin_start,
                              __global const uint *cell_bin_cells,
                              __global const int *cell_type)
{
    uint g = get_global_id(0);
    if (g * EXO_W >= count)
        return;
    uint at = first + g * EXO_W;
    exo_intv st = exo_state_load(0, state + at);
    exo_intv nb = exo_bonds_load(0, bonds + at);
    exo_intv inside = (exo_uintv)(g * EXO_W) + EXO_LANES < (exo_uintv)(count);
    exo_intv counted = inside && nb > 0 &&
                       (st == EXO_STATE_BOUND || st == EXO_STATE_INTERNALIZED);
    if (!EXO_ANY(counted))
        return;
    exo_vesicle v;
    for (int a = 0; a < 3; a++)
        v.x[a] = EXO_VLOAD(0, pos + a * stride + at);
    v.radius = EXO_VLOAD(0, radius + at);
    exo_launch_io io;
    io.tissue.cell = cells;
    io.tissue.bin_start = cell_bin_start;
    io.tissue.bin_cells = cell_bin_cells;
    io.tissue.type = cell_type;
    io.slots = slots;
    exo_intv patch = exo_bound_patch(&p, &io, &v, counted);
    for (int l = 0; l < EXO_W; l++) {
        int k = EXO_LANE(int, patch, l);
        if (!EXO_LANE(int, counted, l) || k < 0)
            continue;
        __global uint *sum = EXO_LANE(int, st, l) == EXO_STATE_BOUND ? bound_bonds : taken_bonds;
        atomic_add(&sum[k], (uint)EXO_LANE(int, nb, l));
    }
}

/** Pack rows j0 .. j0 + count - 1 of a frame for output (row j is the
 *  vesicle exo_sample_index(j, n, n_out) of a run of n, here at that index
 *  less i0; exo_frame_rows): positions in nm, interleaved x,y,z; image
 *  counts interleaved; states; bonds.  Arrays have the given stride. */
__kernel void k_gather_frame(__global const exo_real *pos,
                             __global const int *image,
                             __global const char *state, const uint n,
                             const uint n_out, __global float *out_pos_nm,
                             __global int *out_image, __global char *out_state,
                             const uint stride, __global const uchar *bonds,
                             __global uchar *out_bonds, const uint count,
                             const uint j0, const uint i0)
{
    uint j = get_global_id(0);
    if (j >= count)
        return;
    uint i = exo_sample_index(j0 + j, n, n_out) - i0;
    for (int a = 0; a < 3; a++) {
        out_pos_nm[3 * j + a] = (float)(pos[a * stride + i] * EXO_R(1000.0));
        out_image[3 * j + a] = image[a * stride + i];
    }
    out_state[j] = state[i];
    out_bonds[j] = bonds[i];
}

/** Report the device's view of the shared structs (tests/device/test_layout). */
__kernel void k_layout_probe(__global uint *out)
{
    exo_step_params p;
    exo_init_params ip;
    __private char *b = (__private char *)&p;
    __private char *c = (__private char *)&ip;
    out[0] = (uint)sizeof(exo_step_params);
    out[1] = (uint)((__private char *)&p.sigma_coef - b);
    out[2] = (uint)((__private char *)&p.seed_lo - b);
    out[3] = (uint)((__private char *)&p.face[0] - b);
    out[4] = (uint)sizeof(exo_init_params);
    out[5] = (uint)((__private char *)&ip.cdf_hi - c);
    out[6] = (uint)((__private char *)&ip.first - c);
    out[7] = (uint)((__private char *)&ip.seed_hi - c);
    exo_slot_table t;
    __private char *d = (__private char *)&t;
    out[8] = (uint)sizeof(exo_slot_table);
    out[9] = (uint)((__private char *)&t.uptake_min[0] - d);
}

/** Known-answer probe of the RNG: Philox4x32 with `rounds` rounds on
 *  counters/keys given by the host (tests/device/test_rng_device). */
__kernel void k_philox_probe(__global const uint *ctr, __global const uint *key,
                             const int rounds, __global uint *out)
{
    uint t = get_global_id(0);
    exo_u32x4 c;
    for (int k = 0; k < 4; k++)
        c.v[k] = ctr[4 * t + k];
    c = exo_philox4x32_r(c, key[2 * t], key[2 * t + 1], rounds);
    for (int k = 0; k < 4; k++)
        out[4 * t + k] = c.v[k];
}

/** Uniform and normal conversions on the device, for comparison with the
 *  host (tests/device/test_rng_device). */
__kernel void k_normal_probe(const uint seed_lo, const uint seed_hi,
                             const ulong step, __global float *out)
{
    uint id = get_global_id(0);
    exo_u32x4 r = exo_rng_draw(id, step, EXO_RNG_DISPLACEMENT, seed_lo,
                               seed_hi);
    exo_real z[4];
    exo_box_muller(r.v[0], r.v[1], &z[0], &z[1]);
    exo_box_muller(r.v[2], r.v[3], &z[2], &z[3]);
    for (int k = 0; k < 4; k++)
        out[4 * id + k] = (float)z[k];
}
