/*
 * test_packing: placing a tissue's cells and the grid the kernels find them
 * by (host/exo_tissue.c).
 *
 * - random placement reaches the requested volume fraction with no two
 *   cells overlapping (minimum image across periodic faces), the same cells
 *   from the same seed and others from another seed; two cell types in
 *   their shares;
 * - near saturation (0.36 of random sequential addition's 0.3828) it still
 *   gets there, and a closed box reaches 0.3 with every cell inside; a lattice at contact (hexagonal, spacing 2R) has the close-
 *   packed fraction pi / sqrt(18) = 0.74048 with neighbours exactly 2R apart;
 * - the grid: for random points, every cell within reach of the point
 *   (R + a_max + step) is listed in the point's bin (brute force over all
 *   cells), periodic and closed boxes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exo_scenario.h"
#include "exo_test.h"
#include "exo_tissue.h"
#include "shared/exo_physics.h"

static exo_scenario *load(const char *faces, double box, const char *tissue, int seed)
{
    char text[2048];
    snprintf(text, sizeof text,
             "seed = %d;\n"
             "simulation = { dt = \"1 us\"; steps = 10; };\n"
             "vesicles = ( { count = 10; radius = \"50 nm\"; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [%g, %g, %g];\n"
             "             faces = [%s]; };\n"
             "  tissue = { %s }; };\n"
             "output = { file = \"\"; };\n",
             seed, box, box, box, faces, tissue);
    exo_error err;
    memset(&err, 0, sizeof err);
    exo_scenario *sc = NULL;
    if (exo_scenario_load_text(&sc, text, "t.cfg", NULL, 0, &err) != EXO_OK) {
        fprintf(stderr, "rejected: %s\n", err.msg);
        exit(1);
    }
    return sc;
}

#define PERIODIC "\"periodic\", \"periodic\", \"periodic\""
#define CLOSED "\"reflect\", \"reflect\", \"reflect\""

static void random_packing(void)
{
    const char *two = "placement = \"random\"; volume_fraction = 0.3; cell_types = ("
                      " { name = \"tumour\"; radius = 1.0; share = 3.0; },"
                      " { name = \"normal\"; radius = 1.5; share = 1.0; } );";
    exo_scenario *a = load(PERIODIC, 20, two, 3), *b = load(PERIODIC, 20, two, 3),
                 *c = load(PERIODIC, 20, two, 4);
    double phi = exo_tissue_volume_fraction(a);
    printf("random, two types, periodic 20 um box: %u cells, volume fraction %.4f\n",
           a->n_cells, phi);
    EXO_TEST_TRUE(phi >= 0.3 && phi < 0.3 + 4.0 / 3.0 * M_PI * 3.375 / 8000,
                  "reaches 0.3 by at most one cell (%.5f)", phi);
    uint32_t i, j;
    EXO_TEST_TRUE(!exo_tissue_find_overlap(a, &i, &j), "no overlapping cells");
    EXO_TEST_TRUE(a->n_cells == b->n_cells &&
                      memcmp(a->cell, b->cell, a->n_cells * sizeof *a->cell) == 0,
                  "the same cells from the same seed");
    EXO_TEST_TRUE(c->n_cells != a->n_cells ||
                      memcmp(a->cell, c->cell, a->n_cells * sizeof *a->cell) != 0,
                  "other cells from another seed");
    uint32_t tumour = 0;
    for (uint32_t k = 0; k < a->n_cells; k++)
        tumour += a->cell[k].type == 0;
    /* Placement favours small cells late in the packing; the share of the
     * attempts is 3/4, so the placed share is at least that. */
    printf("tumour cells: %u of %u\n", tumour, a->n_cells);
    EXO_TEST_TRUE(tumour > 0.7 * a->n_cells && tumour < a->n_cells, "both types placed");
    exo_scenario_destroy(a);
    exo_scenario_destroy(b);
    exo_scenario_destroy(c);

    /* near saturation, periodic */
    exo_scenario *e = load(PERIODIC, 20, "placement = \"random\"; volume_fraction = 0.36;"
                                       " cell_types = ( { name = \"c\"; radius = 1.0; } );", 6);
    phi = exo_tissue_volume_fraction(e);
    printf("random, periodic box, 0.36: %u cells, volume fraction %.4f\n", e->n_cells, phi);
    EXO_TEST_TRUE(phi >= 0.36, "reaches 0.36 (%.4f)", phi);
    EXO_TEST_TRUE(!exo_tissue_find_overlap(e, &i, &j), "no overlapping cells at 0.36");
    exo_scenario_destroy(e);

    /* a closed box (cells inside the faces, which leave a depleted layer) */
    exo_scenario *d = load(CLOSED, 20, "placement = \"random\"; volume_fraction = 0.3;"
                                       " cell_types = ( { name = \"c\"; radius = 1.0; } );", 5);
    phi = exo_tissue_volume_fraction(d);
    printf("random, closed box, 0.3: %u cells, volume fraction %.4f\n", d->n_cells, phi);
    EXO_TEST_TRUE(phi >= 0.3, "reaches 0.3 (%.4f)", phi);
    EXO_TEST_TRUE(!exo_tissue_find_overlap(d, &i, &j), "no overlapping cells at 0.3");
    int inside = 1;
    for (uint32_t k = 0; k < d->n_cells; k++)
        for (int ax = 0; ax < 3; ax++)
            inside &= d->cell[k].centre[ax] >= 1.0 && d->cell[k].centre[ax] <= 19.0;
    EXO_TEST_TRUE(inside, "every cell inside the closed box");
    exo_scenario_destroy(d);
}

static void close_packed(void)
{
    /* hexagonal at contact: x period 2, y 2 sqrt 3, z 4 sqrt(2/3) */
    double s = 2.0;
    char text[256];
    snprintf(text, sizeof text, "placement = \"hexagonal\"; spacing = %.17g;"
                                " cell_types = ( { name = \"c\"; radius = 1.0; } );", s);
    char faces[] = PERIODIC;
    /* a box of 6 x 3 x 3 periods is not a cube: use a cube of 12 um
     * along x only by building the text by hand */
    char cfg[2048];
    snprintf(cfg, sizeof cfg,
             "simulation = { dt = \"1 us\"; steps = 10; };\n"
             "vesicles = ( { count = 10; radius = \"50 nm\"; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [12.0, %.17g, %.17g];\n"
             "             faces = [%s]; };\n"
             "  tissue = { %s }; };\n"
             "output = { file = \"\"; };\n",
             3 * s * sqrt(3.0), 3 * 2 * s * sqrt(2.0 / 3.0), faces, text);
    exo_error err;
    memset(&err, 0, sizeof err);
    exo_scenario *sc = NULL;
    EXO_TEST_TRUE(exo_scenario_load_text(&sc, cfg, "t.cfg", NULL, 0, &err) == EXO_OK,
                  "hexagonal scenario loads: %s", err.msg);
    if (sc == NULL)
        return;
    double phi = exo_tissue_volume_fraction(sc);
    printf("hexagonal at contact: %u cells, volume fraction %.6f\n", sc->n_cells, phi);
    EXO_TEST_EQ_INT(sc->n_cells, 6 * 6 * 6, "sites: 6 per row, 6 rows, 6 layers");
    EXO_TEST_NEAR(phi, M_PI / sqrt(18.0), 1e-9, "close-packed fraction pi / sqrt(18)");
    uint32_t i, j;
    EXO_TEST_TRUE(!exo_tissue_find_overlap(sc, &i, &j), "touching, not overlapping");
    /* every cell has 12 neighbours at exactly 2R */
    int twelve = 1;
    double len[3] = {12.0, 3 * s * sqrt(3.0), 6 * s * sqrt(2.0 / 3.0)};
    for (uint32_t k = 0; k < sc->n_cells; k++) {
        int nb = 0;
        for (uint32_t m = 0; m < sc->n_cells; m++) {
            double r2 = 0;
            for (int a = 0; a < 3; a++) {
                double d = sc->cell[k].centre[a] - sc->cell[m].centre[a];
                d -= len[a] * floor(d / len[a] + 0.5);
                r2 += d * d;
            }
            nb += m != k && fabs(sqrt(r2) - s) < 1e-9;
        }
        twelve &= nb == 12;
    }
    EXO_TEST_TRUE(twelve, "12 nearest neighbours each, at the spacing");
    exo_scenario_destroy(sc);
}

/* Every cell whose grown sphere reaches a random point is in its bin. */
static void grid_lists(const char *faces, int seed)
{
    exo_scenario *sc = load(faces, 30, "placement = \"random\"; volume_fraction = 0.2;"
                                       " cell_types = ( { name = \"c\"; radius = 1.2; },"
                                       " { name = \"d\"; radius = 0.4; } );", seed);
    const double a_max = 0.075, step = 0.3;
    exo_tissue_grid g;
    exo_error err;
    memset(&err, 0, sizeof err);
    EXO_TEST_TRUE(exo_tissue_grid_build(sc, a_max, step, &g, &err) == EXO_OK, "grid: %s",
                  err.msg);
    uint64_t missing = 0, checked = 0;
    srand(7);
    for (int t = 0; t < 20000; t++) {
        exo_real x[3];
        for (int a = 0; a < 3; a++)
            x[a] = (exo_real)(30.0 * rand() / ((double)RAND_MAX + 1));
        uint32_t bin = exo_cell_bin(&g.grid, x);
        for (uint32_t k = 0; k < sc->n_cells; k++) {
            double r2 = 0;
            for (int a = 0; a < 3; a++) {
                double d = exo_cell_sep(&g.grid, a, (exo_real)(x[a] - sc->cell[k].centre[a]));
                r2 += d * d;
            }
            double reach = sc->cell[k].radius + a_max + step;
            if (r2 > reach * reach)
                continue;
            checked++;
            int found = 0;
            for (uint32_t j = g.bin_start[bin]; j < g.bin_start[bin + 1]; j++)
                found |= g.bin_cells[j] == k;
            missing += !found;
        }
    }
    printf("grid (%s): %u cells, %d x %d x %d bins, %u listed; %llu cells in reach of "
           "20000 points, %llu missing\n", faces, sc->n_cells, g.grid.bins[0],
           g.grid.bins[1], g.grid.bins[2], g.bin_start[g.lists.n_bins],
           (unsigned long long)checked, (unsigned long long)missing);
    EXO_TEST_TRUE(checked > 1000, "enough points near cells (%llu)",
                  (unsigned long long)checked);
    EXO_TEST_TRUE(missing == 0, "every cell in reach is listed (%llu missing)",
                  (unsigned long long)missing);
    exo_tissue_grid_free(&g);
    exo_scenario_destroy(sc);
}

int main(void)
{
    random_packing();
    close_packed();
    grid_lists(PERIODIC, 1);
    grid_lists(CLOSED, 2);
    return exo_test_finish("test_packing");
}
