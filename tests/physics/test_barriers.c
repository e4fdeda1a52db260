/*
 * test_barriers: vessel walls between the lumen and the tissue beside it
 * (geometry.tissue with a vessel; PHYSICS.md 4.5 and 5, docs/physics.md).
 *
 * A capillary of radius R = 1.5 um runs through a 6 x 6 um tissue box,
 * periodic along its axis (length 8 um); vesicles of radius a = 50 nm
 * (D = 3.786 um^2/s) start uniform in the lumen.
 *
 * - Homogenised pores (r_p = 150 nm, n_p = 0.2653 /um^2): the first
 *   crossing of each vesicle is the first passage through a Robin wall of
 *   permeability kappa = 2 D (r_p - a) n_p; the fraction crossed by t is
 *   1 - S(t) of the radial Robin problem in a disk of radius R - a,
 *   S = sum 4 Bi^2 / (al^2 (al^2 + Bi^2)) exp(-al^2 D t / (R - a)^2), al
 *   the roots of al J1(al) = Bi J0(al), Bi = kappa R / D (kappa per area
 *   of the wall at R is kappa R / (R - a) on the surface the centres
 *   touch).  Tolerance 4 binomial SE.
 * - Explicit pores (the same pores as disks on rings): the net passage
 *   (vesicles in the tissue at t = 1 s) equals the homogenised wall's,
 *   within 4 SE of the difference plus two stated biases (leaky_walls).
 * - Vesicles larger than the pores never cross, either model; a continuous
 *   (reflecting) wall and a receptor wall without transcytosis never leak.
 * - Transcytosis: the time from capture to crossing of vesicles bound at a
 *   barrier (k_tc = 20 /s, no unbinding) is first order: the fraction
 *   crossed within tau of binding is 1 - exp(-k tau), within 4 binomial SE.
 * - The device against the C reference in a scenario with every mechanism
 *   (leaky and barrier regions, cells in the tissue, clearance).
 */
#define _XOPEN_SOURCE 700 /* j0, j1 */
#include <hdf5.h>
#include <math.h>
#include <unistd.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"

/* n_p giving rings exactly 2 um apart with 5 pores around R = 1.5 um
 * (exo_scenario_pore_lattice), so the lattice tiles the periodic 8 um. */
#define PORE_DENSITY "0.26525823848649227"

static exo_scenario *capillary(const char *wall_surface, const char *wall, double a_nm,
                               int n, double dt, uint64_t steps, const char *file,
                               const char *extra)
{
    char text[4096];
    snprintf(text, sizeof text,
             "name = \"barrier\"; seed = 31;\n"
             "simulation = { dt = %.17g; steps = %llu; };\n"
             "surfaces = ( %s );\n%s\n"
             "vesicles = ( { count = %d; radius = \"%g nm\"; %s\n"
             "               start = { region = \"cap\"; kind = \"uniform\"; }; } );\n"
             "geometry = { box = { lower = [-3.0, -3.0, 0.0]; upper = [3.0, 3.0, 8.0];\n"
             "                     faces = [\"reflect\", \"reflect\", \"periodic\"]; };\n"
             "  vessels = ( { name = \"cap\"; radius = \"1.5 um\"; length = \"8 um\";\n"
             "                origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
             "                wall = \"%s\"; } );\n"
             "  tissue = { }; };\n"
             "output = { file = \"%s\"; fields = [\"state\"]; observables_every = %llu;\n"
             "           events = %s; };\n",
             dt, (unsigned long long)steps, wall_surface,
             strstr(extra, "ligands") ? "binding = ( { ligand = \"L\"; receptor = \"R\"; "
                                        "k_on = \"1 um^2/s\"; k_off = 0.0; "
                                        "bond_length = \"10 nm\"; } );"
                                      : "",
             n, a_nm, extra, wall, file, (unsigned long long)steps, file[0] ? "true" : "false");
    return exo_test_scenario(text);
}

static const char *leaky(const char *model)
{
    static char s[512];
    snprintf(s, sizeof s,
             "{ name = \"gaps\"; behaviour = \"leaky\"; pores = { radius = \"150 nm\"; "
             "density = " PORE_DENSITY "; model = \"%s\"; }; }",
             model);
    return s;
}

/* A column of /events/<kind> as doubles (*n rows). */
static double *read_column(const char *path, const char *kind, const char *col, size_t *n)
{
    char name[128];
    snprintf(name, sizeof name, "/events/%s/%s", kind, col);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, name, H5P_DEFAULT) : -1;
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[1] = {0};
    if (s < 0 || H5Sget_simple_extent_dims(s, dims, NULL) != 1) {
        fprintf(stderr, "cannot read %s in %s\n", name, path);
        exit(1);
    }
    *n = dims[0];
    double *v = malloc((*n + 1) * sizeof *v);
    if (v == NULL ||
        (*n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)) {
        fprintf(stderr, "cannot read %s in %s\n", name, path);
        exit(1);
    }
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(f);
    return v;
}

/* Vesicles in the tissue (r > R) and the farthest a lumen vesicle got. */
static size_t in_tissue(const exo_test_state *s, double R)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        k += hypot(s->pos[i], s->pos[s->n + i]) > R;
    return k;
}

/* 1 - S(t) for a Robin wall at radius rc (Bi = kappa rc / D), uniform
 * start: the roots of al J1(al) - Bi J0(al) bracketed on a fine grid. */
static double robin_disk_crossed(double Bi, double D, double rc, double t)
{
    double S = 0, step = 1e-3, prev = -Bi; /* f(0) = -Bi */
    for (double x = step; x < 200; x += step) {
        double f = x * j1(x) - Bi * j0(x);
        if ((f > 0) != (prev > 0)) {
            double lo = x - step, hi = x;
            for (int k = 0; k < 60; k++) {
                double m = 0.5 * (lo + hi), fm = m * j1(m) - Bi * j0(m);
                if ((fm > 0) == ((lo * j1(lo) - Bi * j0(lo)) > 0))
                    lo = m;
                else
                    hi = m;
            }
            double al = 0.5 * (lo + hi);
            S += 4 * Bi * Bi / (al * al * (al * al + Bi * Bi)) * exp(-al * al * D * t / (rc * rc));
        }
        prev = f;
    }
    return 1 - S;
}

static double diffusivity(const exo_scenario *sc) { return exo_scenario_D(sc, 0.05); }

/* The first crossing of each vesicle (route pore_out) in the events of
 * `path`: how many of n crossed by the end. */
static size_t first_crossings(const char *path, int n)
{
    size_t m = 0;
    double *id = read_column(path, "crossing", "id", &m);
    double *route = read_column(path, "crossing", "route", &m);
    char *seen = calloc((size_t)n, 1);
    size_t first = 0;
    for (size_t i = 0; i < m; i++)
        if (route[i] == EXO_ROUTE_PORE_OUT && !seen[(size_t)id[i]]) {
            seen[(size_t)id[i]] = 1;
            first++;
        }
    free(seen);
    free(id);
    free(route);
    return first;
}

/* Leaky walls.  Homogenised: first crossings against the Robin disk of
 * kappa = 2 D s n_p (s = r_p - a).  Explicit: the net passage (vesicles in
 * the tissue at t) against the homogenised wall's, within 4 SE of the
 * difference plus two stated biases of explicit pores: pores 2 um apart
 * interact (Berezhkovskii et al. 2006: the rate grows by (1 + 3.8 f^1.25) /
 * (1 - f), f = pi s^2 n_p the area they cover: +1.8%), and a hole passes
 * more before its steady state (k(t) = k (1 + 2 s / (pi sqrt(pi D t))), the
 * long-time expansion of a disk's rate, which adds 4 s / (pi sqrt(pi D t))
 * = 3.7% to what it passes by t; the hole problem is a disk's, by its
 * antisymmetry about the wall). */
static void leaky_walls(const char *dir)
{
    char path[512];
    const int n_h = 20000, n_x = 8000;
    const double t = 1.0, R = 1.5, rc = R - 0.05, s = 0.15 - 0.05;
    const double n_p = atof(PORE_DENSITY);

    snprintf(path, sizeof path, "%s/homogenised.h5", dir);
    exo_scenario *sc = capillary(leaky("homogenised"), "gaps", 50, n_h, 4e-5,
                                 (uint64_t)llround(t / 4e-5), path, "");
    double D = diffusivity(sc);
    exo_test_state st = exo_test_run_to_file(sc, path, 0, NULL);
    double got = (double)first_crossings(path, n_h) / n_h;
    double net_h = (double)in_tissue(&st, R) / n_h;
    double kappa = 2 * D * s * n_p, expect = robin_disk_crossed(kappa * R / D, D, rc, t);
    double se = sqrt(expect * (1 - expect) / n_h);
    printf("homogenised pores: %.4f of the vesicles crossed by t = %g s (Robin disk, kappa = "
           "2 D (r_p - a) n_p = %.4f um/s: %.4f); %.4f in the tissue at the end\n",
           got, t, kappa, expect, net_h);
    EXO_TEST_NEAR(got, expect, 4 * se, "first passage through homogenised pores");
    exo_test_state_free(&st);
    exo_scenario_destroy(sc);
    unlink(path);

    sc = capillary(leaky("explicit"), "gaps", 50, n_x, 1e-5, (uint64_t)llround(t / 1e-5), "",
                   "");
    st = exo_test_run(sc, NULL, 0, 0, (uint64_t)llround(t / 1e-5));
    double net_x = (double)in_tissue(&st, R) / n_x;
    double f = M_PI * s * s * n_p;
    double interact = (1 + 3.8 * pow(f, 1.25)) / (1 - f) - 1;
    double transient = 4 * s / (M_PI * sqrt(M_PI * D * t));
    double se_net = sqrt(net_x * (1 - net_x) / n_x + net_h * (1 - net_h) / n_h);
    printf("explicit pores: %.4f in the tissue at t = %g s, %.4f times the homogenised wall's "
           "(stated biases +%.1f%% interaction, +%.1f%% transient; SE of the difference "
           "%.4f)\n", net_x, t, net_x / net_h, 100 * interact, 100 * transient, se_net);
    EXO_TEST_NEAR(net_x, net_h, 4 * se_net + (interact + transient) * net_h,
                  "explicit and homogenised pores pass the same net flux");
    exo_test_state_free(&st);
    exo_scenario_destroy(sc);
}

/* Vesicles larger than the pores (a = 160 nm > r_p = 150 nm) never cross;
 * a reflecting wall and a receptor wall without transcytosis never leak. */
static void walls_that_hold(void)
{
    struct {
        const char *surface, *wall, *extra;
        double a_nm;
        const char *what;
    } cases[] = {
        {NULL, "gaps", "", 160, "vesicles larger than homogenised pores"},
        {NULL, "gaps", "", 160, "vesicles larger than explicit pores"},
        {"{ name = \"w\"; behaviour = \"reflect\"; }", "w", "", 50, "a continuous wall"},
        {"{ name = \"w\"; behaviour = \"bind\"; receptors = ( { type = \"R\"; density = "
         "\"100 /um^2\"; } ); }",
         "w", "ligands = { type = \"L\"; count = 100; };", 50,
         "a receptor wall without transcytosis"},
    };
    for (int j = 0; j < 4; j++) {
        const char *surface = cases[j].surface ? cases[j].surface
                                               : leaky(j == 0 ? "homogenised" : "explicit");
        exo_scenario *sc = capillary(surface, cases[j].wall, cases[j].a_nm, 4000, 1e-5, 20000,
                                     "", cases[j].extra);
        exo_test_state st = exo_test_run(sc, NULL, 0, 0, 20000);
        size_t k = in_tissue(&st, 1.5);
        double worst = 0;
        for (size_t i = 0; i < st.n; i++)
            worst = fmax(worst, hypot(st.pos[i], st.pos[st.n + i]) + st.radius[i]);
        printf("%s: %zu of %zu in the tissue after 0.2 s; largest r + a = %.6f um\n",
               cases[j].what, k, st.n, worst);
        EXO_TEST_TRUE(k == 0, "%s: no vesicle crosses (%zu did)", cases[j].what, k);
        EXO_TEST_TRUE(worst <= 1.5 + 1e-5, "%s: every vesicle within the wall", cases[j].what);
        exo_test_state_free(&st);
        exo_scenario_destroy(sc);
    }
}

/* Bound at a barrier, a vesicle crosses at k_tc: dwell from binding to
 * crossing. */
static void transcytosis(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/barrier.h5", dir);
    const double k_tc = 20, dt = 1e-4, tau = 0.05, t_end = 0.4;
    exo_scenario *sc = capillary(
        "{ name = \"bbb\"; behaviour = \"bind\"; receptors = ( { type = \"R\"; density = "
        "\"100 /um^2\"; } ); depletion = false; transcytosis = { rate = \"20 /s\"; }; }",
        "bbb", 50, 4000, dt, (uint64_t)llround(t_end / dt), path,
        "ligands = { type = \"L\"; count = 100; };");
    exo_test_state st = exo_test_run_to_file(sc, path, 0, NULL);
    size_t nb = 0, nc = 0;
    double *bid = read_column(path, "binding", "id", &nb);
    double *bstep = read_column(path, "binding", "step", &nb);
    double *cid = read_column(path, "crossing", "id", &nc);
    double *cstep = read_column(path, "crossing", "step", &nc);
    double *croute = read_column(path, "crossing", "route", &nc);
    /* Each vesicle's first binding, and its first crossing after it. */
    double *bound_at = malloc(st.n * sizeof *bound_at), *crossed_at = malloc(st.n * sizeof *crossed_at);
    for (size_t i = 0; i < st.n; i++)
        bound_at[i] = crossed_at[i] = -1;
    for (size_t i = 0; i < nb; i++)
        if (bound_at[(size_t)bid[i]] < 0)
            bound_at[(size_t)bid[i]] = bstep[i];
    size_t other = 0;
    for (size_t i = 0; i < nc; i++) {
        size_t v = (size_t)cid[i];
        other += croute[i] != EXO_ROUTE_TRANSCYTOSIS;
        if (crossed_at[v] < 0 && cstep[i] > bound_at[v] && bound_at[v] >= 0)
            crossed_at[v] = cstep[i];
    }
    /* Vesicles bound by t_end - tau: crossed within tau steps of binding? */
    const double m = tau / dt;
    size_t eligible = 0, within = 0;
    for (size_t i = 0; i < st.n; i++) {
        if (bound_at[i] < 0 || bound_at[i] > (t_end - tau) / dt)
            continue;
        eligible++;
        within += crossed_at[i] >= 0 && crossed_at[i] - bound_at[i] <= m;
    }
    double expect = -expm1(-k_tc * tau), got = (double)within / (double)eligible;
    double se = sqrt(expect * (1 - expect) / (double)eligible);
    printf("transcytosis: %zu of %zu bound vesicles crossed within %g s of binding: %.4f "
           "(1 - exp(-k tau) = %.4f); %zu in the tissue at the end\n",
           within, eligible, tau, got, expect, in_tissue(&st, 1.5));
    EXO_TEST_TRUE(eligible > 1000, "enough vesicles bound early (%zu)", eligible);
    EXO_TEST_NEAR(got, expect, 4 * se, "transcytosis is first order at k_tc");
    EXO_TEST_TRUE(other == 0, "a barrier without pores: every crossing is a transcytosis "
                              "(%zu were not)", other);
    free(bound_at);
    free(crossed_at);
    free(bid);
    free(bstep);
    free(cid);
    free(cstep);
    free(croute);
    exo_test_state_free(&st);
    exo_scenario_destroy(sc);
    unlink(path);
}

/* Device and reference on the same steps, with every compartment
 * mechanism at once. */
static void device_vs_reference(void)
{
    const char *text =
        "name = \"all\"; seed = 5;\n"
        "simulation = { dt = 1e-5; steps = 2000; };\n"
        "medium = { clearance = { rate = \"5 /s\"; }; flow = { kind = \"radial\"; "
        "centre = [0.0, 0.0, 4.0]; radius = \"2 um\"; velocity = \"50 um/s\"; }; };\n"
        "surfaces = ( { name = \"gaps\"; behaviour = \"leaky\"; pores = { radius = \"400 nm\"; "
        "density = \"0.5 /um^2\"; model = \"explicit\"; }; },\n"
        "  { name = \"bbb\"; behaviour = \"bind\"; receptors = ( { type = \"R\"; density = "
        "\"300 /um^2\"; } ); transcytosis = { rate = \"200 /s\"; }; },\n"
        "  { name = \"eat\"; behaviour = \"absorb\"; } );\n"
        "binding = ( { ligand = \"L\"; receptor = \"R\"; k_on = \"1 um^2/s\"; k_off = 0.5; "
        "bond_length = \"10 nm\"; } );\n"
        "vesicles = ( { count = 3000; radius = \"50 nm\"; ligands = { type = \"L\"; count = 100; };\n"
        "               start = { region = \"cap\"; kind = \"uniform\"; }; } );\n"
        "geometry = { box = { lower = [-4.0, -4.0, 0.0]; upper = [4.0, 4.0, 8.0];\n"
        "                     faces = [\"reflect\", \"absorb\", \"periodic\"]; };\n"
        "  vessels = ( { name = \"cap\"; radius = \"1.5 um\"; length = \"8 um\";\n"
        "                origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
        "                regions = ( { name = \"leak\"; from = 0.0; to = 4.0; wall = \"gaps\"; },\n"
        "                            { name = \"barrier\"; from = 4.0; to = 8.0; wall = \"bbb\"; } ); } );\n"
        "  tissue = { placement = \"fixed\";\n"
        "             cell_types = ( { name = \"c\"; radius = \"0.6 um\"; surface = \"eat\"; } );\n"
        "             cells = ( { centre = [2.2, 0.0, 2.0]; }, { centre = [0.0, 2.2, 1.0]; },\n"
        "                       { centre = [-2.2, 0.0, 6.0]; }, { centre = [0.0, -3.0, 3.0]; } ); }; };\n"
        "output = { file = \"\"; };\n";
    exo_scenario *sc = exo_test_scenario(text);
    exo_test_state a = exo_test_run(sc, NULL, 0, 0, 2000);
    exo_test_state b = exo_test_run(sc, "cpu-reference", 0, 0, 2000);
    double worst = 0;
    size_t states = 0, apart = 0;
    for (size_t i = 0; i < a.n; i++) {
        double d = exo_test_apart(&a, &b, i);
        if (d > 1e-4)
            printf("  vesicle %zu: %.3g um apart (device %.6f %.6f %.6f, reference %.6f %.6f "
                   "%.6f)\n", i, d, a.pos[i], a.pos[a.n + i], a.pos[2 * a.n + i], b.pos[i],
                   b.pos[b.n + i], b.pos[2 * b.n + i]);
        apart += d > 1e-4;
        worst = fmax(worst, d);
    }
    for (size_t i = 0; i < a.n; i++)
        states += a.state[i] != b.state[i];
    uint64_t per[EXO_STATE_COUNT] = {0};
    for (size_t i = 0; i < a.n; i++)
        per[(int)a.state[i]]++;
    printf("device vs reference, 3000 vesicles x 2000 steps with every barrier: largest "
           "difference %.3g um (%zu vesicles beyond 1e-4 um), %zu states differ; %zu in the "
           "tissue, free %llu, bound %llu, absorbed %llu, cleared %llu\n", worst, apart,
           states, in_tissue(&a, 1.5),
           (unsigned long long)per[EXO_STATE_FREE], (unsigned long long)per[EXO_STATE_BOUND],
           (unsigned long long)per[EXO_STATE_ABSORBED],
           (unsigned long long)per[EXO_STATE_CLEARED]);
    /* Device and host round transcendental functions differently (a few
     * ulps); a trajectory stays within rounding of the other until some
     * comparison (a pore's rim, a uniform against a probability) falls
     * within that rounding of its threshold and goes the other way.  With
     * about 1e7 such comparisons here a few vesicles may part; more than
     * one in a thousand would be a real difference. */
    EXO_TEST_TRUE(apart <= a.n / 1000, "device and reference positions agree to 1e-4 um "
                                       "(%zu of %zu vesicles do not)", apart, a.n);
    EXO_TEST_TRUE(states <= a.n / 1000, "device and reference states agree (%zu differ)",
                  states);
    EXO_TEST_TRUE(in_tissue(&a, 1.5) > 0 && per[EXO_STATE_ABSORBED] > 0 &&
                      per[EXO_STATE_CLEARED] > 0 && per[EXO_STATE_BOUND] > 0,
                  "every mechanism took part");
    exo_test_state_free(&a);
    exo_test_state_free(&b);
    exo_scenario_destroy(sc);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    char dir[128];
    if (exo_test_temp_dir("exo_test_barriers", dir, sizeof dir) != 0)
        return 1;
    device_vs_reference();
    walls_that_hold();
    transcytosis(dir);
    leaky_walls(dir);
    exo_test_remove_dir(dir);
    return exo_test_finish("test_barriers");
}
