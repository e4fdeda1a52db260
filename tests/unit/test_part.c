/*
 * test_part: how a run splits over MPI ranks (host/exo_part.c), on one
 * process, for many runs: vesicle counts, populations and rank counts.
 *
 * - exo_part_plan: the ranks' ranges cover every vesicle once, in order;
 *   a boundary inside a population falls a multiple of 64 vesicles after
 *   its start (so work-items group lanes as in one process); no rank holds
 *   more than N/R plus one alignment step beyond the others' share;
 * - exo_part_rows: over the ranks, every row of a frame (output.sample)
 *   comes once, in rank order, and each rank's rows are vesicles it holds
 *   (exo_sample_index less its first index lies in its range);
 * - a known split: 20004 vesicles of three populations on 3 ranks (the one
 *   tests/cli/test_mpi.sh runs) gives 0, 6656, 13348, 20004.
 */
#include <stdlib.h>

#include "exo_part.h"
#include "exo_test.h"
#include "shared/exo_physics.h"

/* Check one run: n vesicles, populations at pop_first[0..n_pop-1], on
 * `ranks` ranks, sampling n_out per frame. */
static void check_run(uint32_t n, const uint32_t *pop_first, uint32_t n_pop, uint32_t ranks,
                      uint32_t n_out)
{
    uint32_t bound[65];
    exo_part_plan(n, ranks, pop_first, n_pop, bound);
    int ordered = bound[0] == 0 && bound[ranks] == n, aligned = 1, even = 1;
    for (uint32_t r = 1; r <= ranks; r++) {
        ordered = ordered && bound[r] >= bound[r - 1];
        if (r == ranks)
            break;
        uint32_t k = 0; /* the population holding the boundary */
        while (k + 1 < n_pop && pop_first[k + 1] <= bound[r])
            k++;
        aligned = aligned && (bound[r] == pop_first[k] ||
                              (bound[r] - pop_first[k]) % 64 == 0 || bound[r] == n);
        /* Each boundary lies within one alignment step of its share. */
        int64_t want = (int64_t)((uint64_t)r * n / ranks), got = bound[r];
        even = even && llabs(got - want) <= 64;
    }
    EXO_TEST_TRUE(ordered, "n=%u ranks=%u: ranges cover the run in order", n, ranks);
    EXO_TEST_TRUE(aligned, "n=%u ranks=%u: boundaries 64 from a population start", n, ranks);
    EXO_TEST_TRUE(even, "n=%u ranks=%u: boundaries within 64 of N r / R", n, ranks);

    uint32_t next = 0;
    int own = 1;
    for (uint32_t r = 0; r < ranks; r++) {
        exo_frame_rows rows;
        exo_part_rows(n, n_out, bound[r], bound[r + 1] - bound[r], &rows);
        own = own && rows.j0 == next && rows.n_all == n && rows.n_out == n_out;
        for (uint32_t j = 0; j < rows.count; j++) {
            uint32_t i = exo_sample_index(rows.j0 + j, n, n_out);
            own = own && i >= bound[r] && i < bound[r + 1] && i - rows.i0 < bound[r + 1] - bound[r];
        }
        next = rows.j0 + rows.count;
    }
    EXO_TEST_TRUE(own && next == n_out, "n=%u ranks=%u n_out=%u: every row once, on its rank",
                  n, ranks, n_out);
}

int main(void)
{
    const uint32_t three[3] = {0, 7001, 12004};
    uint32_t bound[4];
    exo_part_plan(20004, 3, three, 3, bound);
    EXO_TEST_TRUE(bound[0] == 0 && bound[1] == 6656 && bound[2] == 13348 && bound[3] == 20004,
                  "20004 in three populations on 3 ranks: %u %u %u %u", bound[0], bound[1],
                  bound[2], bound[3]);

    /* Many runs, from a fixed seed: 1-8 populations of 0-5000 vesicles
     * (some empty), 1-64 ranks, every vesicle or a sample written. */
    srand(7);
    for (int t = 0; t < 400; t++) {
        uint32_t n_pop = 1 + (uint32_t)(rand() % 8), pop_first[8], n = 0;
        for (uint32_t k = 0; k < n_pop; k++) {
            pop_first[k] = n;
            n += (uint32_t)(rand() % 5001);
        }
        if (n == 0)
            n = 1;
        uint32_t ranks = 1 + (uint32_t)(rand() % 64);
        uint32_t n_out = t % 3 == 0 ? n : 1 + (uint32_t)(rand() % n);
        check_run(n, pop_first, n_pop, ranks, n_out);
    }
    /* A large run: 1e9 vesicles on 64 ranks (64-bit row arithmetic). */
    const uint32_t one[1] = {0};
    check_run(1000000000u, one, 1, 64, 1000000u);
    return exo_test_finish("test_part");
}
