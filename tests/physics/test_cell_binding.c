/*
 * test_cell_binding: cells whose membranes carry receptors (a cell type's
 * surface with behaviour "bind"; PHYSICS.md sections 4.4, 5 and 6,
 * docs/physics.md).
 *
 * - Capture by a receptor-bearing cell is the Robin (radiation) problem of
 *   a sphere with kappa = k_on sigma_R n_L delta^2 / (2a), the rate the
 *   vessel walls use (PHYSICS.md 4.4): one cell (R + a = 1 um) in a large
 *   open box, D = 1 um^2/s, vesicles released 2 um from its centre, k_on =
 *   0.1 um^2/s, sigma_R = 100 /um^2, n_L = 100, delta = 10 nm, a = 50 nm:
 *   kappa = 1 um/s, and the probability of capture by t = 1 s is the exact
 *   0.078831 of test_tissue's Robin cell (Carslaw & Jaeger).  Bonds never
 *   break (k_off = 0), so the vesicles bound at t = 1 are those captured.
 *   Tolerance 4 binomial SE plus 2% for the Robin rule's leading-order bias
 *   (PHYSICS.md V12), as for the adsorbing cell; no depletion here.
 * - Receptors deplete per cell: two cells with 5-6 receptors each among
 *   thousands of vesicles; at the end every cell's bonds equal its
 *   receptors (never more), the bonds counted on the device per patch equal
 *   those of the bound vesicles found beside each cell from their
 *   positions, and every bound vesicle sits on a cell's grown sphere.
 * - Uptake by the cell: bound vesicles are internalized at k_int;
 *   /observables <type>_cells_bound and <type>_cells_internalized add up to
 *   the bound and internalized totals, and the device agrees with the C
 *   reference on the counts and on the paths (1 in 1000 may part after a
 *   decision within rounding of its threshold, as in test_desorption).
 */
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"

/* A box with fixed cells of type "c" whose membrane binds (receptor
 * density `density` /um^2, pair on-rate k_on um^2/s, depletion on or off, internalization at
 * `uptake` /s or none), vesicles of 50 nm with 100 RGD ligands released
 * at `start`; D = 1 um^2/s. */
static exo_scenario *binding_scenario(double k_on, double density, int depletion, double uptake,
                                      const char *cells, const char *start, int n,
                                      uint64_t steps, const char *dt)
{
    char uptake_text[128] = "";
    if (uptake > 0)
        snprintf(uptake_text, sizeof uptake_text,
                 "internalization = { rate = %.17g; min_bonds = 1; };", uptake);
    char text[4096];
    snprintf(text, sizeof text,
             "seed = 31;\n"
             "simulation = { dt = %s; steps = %llu; };\n"
             "medium = { viscosity = %.17g; };\n"
             "surfaces = ( { name = \"membrane\"; behaviour = \"bind\";\n"
             "               receptors = ( { type = \"avb3\"; density = %.17g; } );\n"
             "               depletion = %s; %s } );\n"
             "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = %.17g;\n"
             "              k_off = 0.0; bond_length = \"10 nm\"; } );\n"
             "vesicles = ( { count = %d; radius = \"50 nm\";\n"
             "               ligands = { type = \"RGD\"; count = 100; };\n"
             "               start = %s; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [40.0, 40.0, 40.0];\n"
             "             faces = [\"open\", \"open\", \"open\"]; };\n"
             "  tissue = { placement = \"fixed\";\n"
             "             cell_types = ( { name = \"c\"; radius = 0.95; surface = \"membrane\"; } );\n"
             "             cells = ( %s ); }; };\n"
             "output = { file = \"\"; };\n",
             dt, (unsigned long long)steps, exo_test_unit_viscosity(), density,
             depletion ? "true" : "false", uptake_text, k_on, n, start, cells);
    return exo_test_scenario(text);
}

/* The value of observable `name` now. */
static int64_t observable(exo_sim *sim, const char *name)
{
    const char *const *names = NULL;
    uint32_t n = exo_sim_observables(sim, &names);
    int64_t *v = calloc(n, sizeof *v), got = -1;
    exo_error err = {0};
    if (v == NULL || exo_sim_read_observables(sim, v, &err) != EXO_OK) {
        fprintf(stderr, "observables: %s\n", err.msg);
        exit(1);
    }
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            got = v[i];
    free(v);
    EXO_TEST_TRUE(got >= 0, "observable %s exists", name);
    return got;
}

static void capture_is_robin(void)
{
    const int n = 40000;
    const double R = 1, r0 = 2, D = 1, t = 1, kappa = 0.1 * 100 * 100 * 0.01 * 0.01 / 0.1;
    double h = kappa / D, al = h + 1 / R, xi = (r0 - R) / sqrt(4 * D * t);
    double rob = h * R * R / ((1 + h * R) * r0) *
                 (erfc(xi) - exp(al * (r0 - R) + al * al * D * t) * erfc(xi + al * sqrt(D * t)));
    exo_scenario *sc = binding_scenario(0.1, 100, 0, 0, "{ centre = [20.0, 20.0, 20.0]; }",
                                        "{ kind = \"point\"; position = [22.0, 20.0, 20.0]; }",
                                        n, 1000, "1e-3");
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, 1000);
    uint64_t counts[EXO_STATE_COUNT];
    exo_test_count_states(sim, counts);
    int64_t on_cells = observable(sim, "c_cells_bound");
    double got = (double)counts[EXO_STATE_BOUND] / n, se = sqrt(rob * (1 - rob) / n);
    printf("receptor cell, kappa = k_on sigma_R n_L delta^2 / (2a) = %.3g um/s: %llu of %d "
           "captured by t = 1 s (%.4f; Robin sphere %.4f)\n", kappa,
           (unsigned long long)counts[EXO_STATE_BOUND], n, got, rob);
    EXO_TEST_NEAR(got, rob, 4 * se + 0.02 * rob,
                  "capture by a receptor-bearing cell = Robin sphere with the pair's kappa");
    EXO_TEST_EQ_INT(on_cells, (int64_t)counts[EXO_STATE_BOUND],
                    "every bound vesicle is counted on the cell (c_cells_bound)");
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

/* Two cells with a handful of receptors each: bonds fill them and no more. */
static void depletion_per_cell(void)
{
    const char *cells = "{ centre = [17.0, 20.0, 20.0]; }, { centre = [23.0, 20.0, 20.0]; }";
    const int n = 4000;
    /* 0.5 /um^2 on 4 pi 0.95^2 = 11.34 um^2: 5 or 6 receptors per cell; a
     * fast pair (k_on = 100 um^2/s: kappa = 5 um/s at full availability) */
    exo_scenario *sc = binding_scenario(100, 0.5, 1, 0, cells,
                                        "{ kind = \"point\"; position = [20.0, 20.0, 20.0]; }",
                                        n, 2000, "1e-3");
    for (int dev = 0; dev < 2; dev++) {
        exo_sim *sim = exo_test_sim(sc, dev ? "cpu-reference" : NULL, 0, 0);
        exo_test_advance(sim, 2000);
        exo_error err = {0};
        uint32_t np = exo_sim_patches(sim);
        EXO_TEST_EQ_INT(np, 2, "one receptor patch per cell");
        uint64_t receptors[2] = {0, 0}, bonds[2] = {0, 0};
        if (np != 2 || exo_sim_read_patches(sim, receptors, bonds, NULL, &err) != EXO_OK) {
            fprintf(stderr, "patches: %s\n", err.msg);
            exit(1);
        }
        /* Bonds of the bound vesicles by the cell they sit beside. */
        exo_test_state st = exo_test_read(sim);
        uint8_t *b = calloc(st.n, 1);
        if (b == NULL || exo_sim_read_binding(sim, NULL, b, &err) != EXO_OK) {
            fprintf(stderr, "bonds: %s\n", err.msg);
            exit(1);
        }
        uint64_t by_position[2] = {0, 0};
        double worst = 0;
        for (size_t i = 0; i < st.n; i++) {
            if (st.state[i] != EXO_STATE_BOUND)
                continue;
            int c = st.pos[i] < 20.0f ? 0 : 1;
            double cx = c ? 23.0 : 17.0, r2 = 0;
            for (int a = 0; a < 3; a++) {
                double d = st.pos[a * st.n + i] - (a ? 20.0 : cx);
                r2 += d * d;
            }
            worst = fmax(worst, fabs(sqrt(r2) - 1.0));
            by_position[c] += b[i];
        }
        uint64_t extra = 0, held = 0;
        exo_sim_depletion_counts(sim, &extra, &held);
        printf("%s: cell receptors %llu and %llu, bonds %llu and %llu (from positions %llu "
               "and %llu); %llu extra updates, %llu held steps; bound vesicles within %.2g um "
               "of the grown sphere\n", dev ? "reference" : "device",
               (unsigned long long)receptors[0], (unsigned long long)receptors[1],
               (unsigned long long)bonds[0], (unsigned long long)bonds[1],
               (unsigned long long)by_position[0], (unsigned long long)by_position[1],
               (unsigned long long)extra, (unsigned long long)held, worst);
        for (int c = 0; c < 2; c++) {
            EXO_TEST_TRUE(receptors[c] >= 5 && receptors[c] <= 6,
                          "cell %d: floor or ceil of 5.67 receptors (%llu)", c,
                          (unsigned long long)receptors[c]);
            EXO_TEST_TRUE(bonds[c] == receptors[c], "cell %d: its bonds fill its receptors", c);
            EXO_TEST_TRUE(by_position[c] == bonds[c],
                          "cell %d: the patch counts the bonds of the vesicles on it", c);
        }
        EXO_TEST_TRUE(worst < 1e-3, "bound vesicles sit on a cell (%.3g um)", worst);
        free(b);
        exo_test_state_free(&st);
        exo_sim_destroy(sim, NULL);
    }
    exo_scenario_destroy(sc);
}

/* Uptake after binding, per-type observables, device against reference. */
static void uptake_and_reference(void)
{
    const char *cells = "{ centre = [18.5, 20.0, 20.0]; }, { centre = [21.5, 20.0, 20.0]; }";
    const int n = 3000;
    exo_scenario *sc = binding_scenario(0.1, 100, 1, 5, cells,
                                        "{ kind = \"uniform\"; region = \"box\"; "
                                        "lower = [16.0, 17.0, 17.0]; upper = [24.0, 23.0, 23.0]; }",
                                        n, 600, "1e-3");
    exo_test_state s[2];
    int64_t bound[2], inside[2], total_bound[2], total_inside[2];
    for (int dev = 0; dev < 2; dev++) {
        exo_sim *sim = exo_test_sim(sc, dev ? "cpu-reference" : NULL, 0, 0);
        exo_test_advance(sim, 600);
        bound[dev] = observable(sim, "c_cells_bound");
        inside[dev] = observable(sim, "c_cells_internalized");
        total_bound[dev] = observable(sim, "bound");
        total_inside[dev] = observable(sim, "internalized");
        s[dev] = exo_test_read(sim);
        exo_sim_destroy(sim, NULL);
    }
    printf("uptake at 5 /s: on the cells %lld bound, %lld internalized (reference %lld, %lld)\n",
           (long long)bound[0], (long long)inside[0], (long long)bound[1], (long long)inside[1]);
    EXO_TEST_TRUE(bound[0] == total_bound[0] && inside[0] == total_inside[0],
                  "the cells hold every bound and internalized vesicle");
    EXO_TEST_TRUE(inside[0] > 0 && bound[0] > 0, "vesicles bind and are taken up");
    uint32_t parted = 0, states = 0;
    for (size_t i = 0; i < s[0].n; i++) {
        parted += exo_test_apart(&s[0], &s[1], i) > 1e-4;
        states += s[0].state[i] != s[1].state[i];
    }
    printf("device vs reference: %u of %d paths part, %u states differ\n", parted, n, states);
    EXO_TEST_TRUE(parted * 1000 <= (uint32_t)n && states <= parted,
                  "device and reference agree (%u paths part)", parted);
    EXO_TEST_TRUE(llabs(bound[0] - bound[1]) <= (int64_t)parted &&
                      llabs(inside[0] - inside[1]) <= (int64_t)parted,
                  "device and reference counts agree to the parted paths");
    exo_test_state_free(&s[0]);
    exo_test_state_free(&s[1]);
    exo_scenario_destroy(sc);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    capture_is_robin();
    depletion_per_cell();
    uptake_and_reference();
    return exo_test_finish("test_cell_binding");
}
