/*
 * test_binding: ligand-receptor binding (PHYSICS.md 4.4 and 5; V8, V11,
 * V16) through the shared physics that the kernels and the C reference run,
 * and capture on a receptor surface through the device.
 *
 * V11, Bell lifetime of one bond under a constant force: a bound vesicle
 * with n_c = 1 ligand in contact (no second bond can form) and the load
 * set so that its bond carries F; k0 = 1 /s, x_beta = 0.5 nm, 310.15 K:
 * <tau> = 1.000000, 0.557759, 0.311095, 0.096780 s at F = 0, 5, 10, 20 pN.
 * Lifetimes are counted in whole steps, so the expectation is
 * dt / (1 - exp(-k dt)) = 1/k + dt/2 (V11).  And the catch/slip point of
 * PHYSICS.md 5: k_off(16.89 pN) = 0.339 /s (k_c = 5 /s, x_c = 1 nm,
 * k_s = 0.05 /s, x_s = 0.4 nm).  Tolerance 4 SE, SE = tau / sqrt(N).
 *
 * V16, multivalent cluster lifetime: n_c = N ligands in contact, started
 * with N bonds, bonds form at rho k_off per free ligand and break at k_off
 * each; <T> k_off = 2.283333 (N = 5, rho = 0), 8.533333 (5, 1), 3307.783
 * (5, 10), 2.928968 (10, 0), 118.653968 (10, 1) (Erdmann & Schwarz).  exobd draws at most
 * one event per step, with the channel picked in proportion to its rate,
 * so its jump chain is exact and only the holding times are discrete
 * (mean dt / (1 - exp(-Lambda dt)) instead of 1 / Lambda).  The test
 * solves that discrete birth-death chain for its exact mean (the bias B
 * against the continuous value, 0.2-0.4% here) and compares the Monte
 * Carlo with it to 4 SE (SE = sample sd / sqrt(N)); the continuous value
 * must lie within 4 SE + |B|.
 *
 * V8, the per-step rule p = 1 - exp(-k dt): a free <-> bound chain with
 * k_a = 0.5 /s, k_d = 0.1 /s, theta(1) = 0.375990; at dt = 0.2 s the
 * discrete chain with exo_event_probability gives 0.3783, within the
 * tolerance 4 sqrt(theta (1 - theta) / N) = 0.006 (N = 1e5), while p = k dt
 * would give 0.3936 and fail (checked here from the same chain).
 *
 * Capture (PHYSICS.md 4.4): a receptor surface acts as a Robin wall with
 * kappa = k_f delta, k_f = k_on sigma_R n_L delta / (2a).  V12's geometry
 * (D = 1, L = 1, x0 = 0.5, open face at L) with k_on sigma_R = 10 /s,
 * n_L = 100, delta = 0.01, a = 0.05: kappa = 1, so the capture probability
 * is u = kappa (L - x0) / (D + kappa L) = 0.25, at dt = 1 ms and 0.25 ms
 * (P = 0.028, 0.014), tolerance 4 SE + 2% (the rule's O(sqrt(dt)) bias,
 * V12 and test_robin).  Captured vesicles hold at least one bond.
 *
 * Poisson ligands: mean and variance of 1e5 draws at mean 12 (inversion)
 * and 100 (normal approximation), within 4 SE.
 *
 * Device against the C reference on a capillary with a binding region and
 * flow (shear load), Poisson ligands, a catch pathway and uptake: the same
 * ligands, states and bonds, positions to the rounding walk of 3000 steps
 * in a 6-um periodic vessel (1.1e-4 um); and bitwise the same states,
 * bonds and positions for one step per launch.
 */
#include <float.h>
#include <math.h>

#include "exo_scenario.h"
#include "exo_test_sim.h"
#include "shared/exo_physics.h"

#define KT (1.380649e-5 * 310.15) /* pN um */

/* The slot table bound_params fills (one test at a time uses it). */
static exo_slot_table bound_slots;

/* A box population's step parameters with a receptor surface on face z-
 * (slot 4; its slot table in bound_slots): bonds form at bond_rate per
 * free ligand in contact and break at k_off (slip x_s, catch k_c x_c)
 * under the force `force` per bound vesicle of radius a. */
static exo_step_params bound_params(double dt, double bond_rate, double k_off, double x_s,
                                    double k_c, double x_c, double force, double a)
{
    exo_step_params p;
    memset(&p, 0, sizeof p);
    p.domain = EXO_DOMAIN_BOX;
    for (int k = 0; k < 3; k++) {
        p.lo[k] = 0;
        p.hi[k] = p.len[k] = 1;
        p.face[2 * k] = p.face[2 * k + 1] = k < 2 ? EXO_FACE_PERIODIC : EXO_FACE_REFLECT;
    }
    p.face[4] = EXO_FACE_ADSORB;
    p.dt = (exo_real)dt;
    p.seed_lo = 16;
    memset(&bound_slots, 0, sizeof bound_slots);
    for (int j = 0; j < EXO_SLOTS; j++)
        bound_slots.patch_base[j] = -1;
    bound_slots.bind_coef[4] = 1; /* a receptor surface: captured vesicles hold a bond */
    bound_slots.bond_rate[4] = (exo_real)bond_rate;
    bound_slots.load_coef[4] = (exo_real)(force / (a * a));
    p.half_reach = (exo_real)0.005;
    p.k_slip = (exo_real)k_off;
    p.x_slip_kT = (exo_real)(x_s / KT);
    p.k_catch = (exo_real)k_c;
    p.x_catch_kT = (exo_real)(x_c / KT);
    p.bound_moves = 1;
    return p;
}

/* A vesicle bound on face z- with `bonds` bonds and n_c ligands in contact
 * (n_L = n_c a / half_reach). */
static exo_vesicle bound_vesicle(const exo_step_params *p, double a, double nc, int bonds)
{
    exo_vesicle v;
    memset(&v, 0, sizeof v);
    v.x[0] = v.x[1] = 0.5f;
    v.x[2] = 0;
    v.radius = (exo_real)a;
    v.ligands = (exo_real)(nc * a / p->half_reach);
    v.bonds = bonds;
    v.state = EXO_STATE_BOUND;
    return v;
}

/* Steps until each of n clusters is released (or taken up): mean and sd of
 * the lifetimes (s). */
static void lifetimes(const exo_step_params *p, double a, double nc, int bonds, uint32_t n,
                      double *mean, double *sd)
{
    double sum = 0, sum2 = 0;
    exo_launch_io io;
    memset(&io, 0, sizeof io);
    io.slots = &bound_slots;
    for (uint32_t i = 0; i < n; i++) {
        exo_vesicle v = bound_vesicle(p, a, nc, bonds);
        uint64_t step = 0;
        while (v.state == EXO_STATE_BOUND)
            exo_bound_step(&v, p, &io, i, step++);
        double t = (double)step * p->dt;
        sum += t;
        sum2 += t * t;
    }
    *mean = sum / n;
    *sd = sqrt(fmax(0, sum2 / n - *mean * *mean));
}

static void v11(double force, double k_c, double x_c, double k_s, double x_s,
                double expected_rate, double dt, uint32_t n)
{
    const double a = 0.05;
    exo_step_params p = bound_params(dt, 10.0, k_s, x_s, k_c, x_c, force, a);
    double mean, sd;
    lifetimes(&p, a, 1.0, 1, n, &mean, &sd);
    double k = k_s * exp(force * x_s / KT) + k_c * exp(-force * x_c / KT);
    EXO_TEST_NEAR(k, expected_rate, 1e-3 * expected_rate, "k_off(F) against PHYSICS.md");
    double expected = dt / -expm1(-k * dt);
    char what[160];
    snprintf(what, sizeof what, "V11 bond lifetime at F = %g pN%s (1/k = %.6f s)", force,
             k_c > 0 ? ", catch/slip" : "", 1 / k);
    EXO_TEST_NEAR(mean, expected, 4 * expected / sqrt((double)n), what);
}

/* The exact mean lifetime of exobd's discrete chain from N bonds: m_n =
 * h_n + up_n m_{n+1} + down_n m_{n-1}, m_0 = 0, solved as a tridiagonal
 * system (Thomas algorithm). */
static double discrete_cluster_lifetime(int N, double rho, double k_off, double dt)
{
    double a[32], b[32], c[32], d[32];
    for (int n = 1; n <= N; n++) {
        double form = rho * k_off * (N - n), brk = n * k_off, lam = form + brk;
        double h = dt / -expm1(-lam * dt);
        a[n] = -brk / lam;  /* coefficient of m_{n-1} */
        b[n] = 1;
        c[n] = -form / lam; /* coefficient of m_{n+1} */
        d[n] = h;
    }
    for (int n = 2; n <= N; n++) {
        double w = a[n] / b[n - 1];
        b[n] -= w * c[n - 1];
        d[n] -= w * d[n - 1];
    }
    double m = d[N] / b[N];
    return m; /* m_N, the start */
}

static void v16(int N, double rho, double expected, double dt, uint32_t n)
{
    const double a = 0.05, k_off = 1.0;
    exo_step_params p = bound_params(dt, rho * k_off, k_off, 0, 0, 0, 0, a);
    double mean, sd;
    lifetimes(&p, a, (double)N, N, n, &mean, &sd);
    double exact = discrete_cluster_lifetime(N, rho, k_off, dt);
    double se = sd / sqrt((double)n);
    char what[160];
    snprintf(what, sizeof what, "V16 cluster lifetime N = %d, rho = %g, dt = %g "
             "(the discrete chain's mean; bias %+.2f%%)", N, rho, dt,
             100 * (exact - expected) / expected);
    EXO_TEST_NEAR(mean * k_off, exact * k_off, 4 * se, what);
    snprintf(what, sizeof what, "V16 <T> k_off, N = %d, rho = %g: Erdmann-Schwarz", N, rho);
    EXO_TEST_NEAR(mean * k_off, expected, 4 * se + fabs(exact - expected), what);
}

/* V8: theta(t) of a free <-> bound chain with per-step probabilities from
 * `rule` (1: exo_event_probability, 0: k dt), N two-state vesicles. */
static double v8_chain(double dt, double t, uint32_t n, int rule)
{
    const double ka = 0.5, kd = 0.1;
    double pa = rule ? exo_event_probability((exo_real)ka, (exo_real)dt) : ka * dt;
    double pd = rule ? exo_event_probability((exo_real)kd, (exo_real)dt) : kd * dt;
    uint32_t bound = 0;
    uint64_t steps = (uint64_t)llround(t / dt);
    for (uint32_t i = 0; i < n; i++) {
        int b = 0;
        for (uint64_t s = 0; s < steps; s++) {
            exo_u32x4 r = exo_rng_draw(i, s, EXO_RNG_BOUND, 8, 0);
            b = b ? !(exo_u01(r.v[0]) < pd) : exo_u01(r.v[0]) < pa;
        }
        bound += (uint32_t)b;
    }
    return (double)bound / n;
}

static void v8(void)
{
    const uint32_t n = 100000;
    const double theta = 0.375990, tol = 4 * sqrt(theta * (1 - theta) / n);
    EXO_TEST_NEAR(v8_chain(0.01, 1.0, n, 1), theta, tol, "V8 theta(1) at dt = 0.01 s");
    EXO_TEST_NEAR(v8_chain(0.2, 1.0, n, 1), theta, tol,
                  "V8 theta(1) at dt = 0.2 s with p = 1 - exp(-k dt)");
    double naive = v8_chain(0.2, 1.0, n, 0);
    EXO_TEST_TRUE(fabs(naive - theta) > tol,
                  "V8: p = k dt at dt = 0.2 s should fail (got %.4f, theta %.4f)", naive,
                  theta);
}

static void capture(const char *dt, uint32_t n)
{
    char text[3072];
    snprintf(text, sizeof text,
             "seed = 17;\n"
             "simulation = { dt = \"%s\"; duration = 5.0; };\n"
             "medium = { temperature = 310.15; viscosity = %.12g; };\n"
             "surfaces = ( { name = \"endo\"; behaviour = \"bind\"; depletion = false;\n"
             "               receptors = ( { type = \"R\"; density = 100.0; } ); } );\n"
             "binding = ( { ligand = \"L\"; receptor = \"R\"; k_on = 0.1; bond_length = 0.01; } );\n"
             "vesicles = ( { count = %u; radius = 0.05; ligands = { type = \"L\"; count = 100; };\n"
             "               start = { kind = \"point\"; position = [0.5, 0.5, 0.5]; }; } );\n"
             "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 1.0];\n"
             "             faces = [\"endo\", \"open\", \"periodic\", \"periodic\",\n"
             "                      \"periodic\", \"periodic\"]; }; };\n"
             "output = { file = \"\"; };\n",
             dt, exo_test_unit_viscosity(), n);
    exo_scenario *sc = exo_test_scenario(text);
    exo_sim *sim = exo_test_sim(sc, NULL, 0, 0);
    exo_test_advance(sim, exo_scenario_steps(sc));
    uint64_t c[EXO_STATE_COUNT];
    exo_error err = {0};
    if (exo_sim_count_states(sim, c, &err) != EXO_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    uint8_t *bonds = malloc(n);
    int8_t *state = malloc(n);
    if (!bonds || !state || exo_sim_read_binding(sim, NULL, bonds, &err) != EXO_OK ||
        exo_sim_read(sim, NULL, NULL, state, NULL, &err) != EXO_OK) {
        fprintf(stderr, "read failed: %s\n", err.msg);
        exit(1);
    }
    uint32_t unbonded = 0;
    for (uint32_t i = 0; i < n; i++)
        unbonded += state[i] == EXO_STATE_BOUND && bonds[i] == 0;
    const double u = 0.25;
    char what[160];
    snprintf(what, sizeof what, "capture probability at a receptor wall, kappa = k_f delta = 1, "
             "dt = %s (P = %.4f)", dt, exo_scenario_adsorb_probability(sc, 1.0, 0.05));
    EXO_TEST_NEAR((double)c[EXO_STATE_BOUND] / n, u, 4 * sqrt(u * (1 - u) / n) + 0.02 * u,
                  what);
    EXO_TEST_EQ_INT(c[EXO_STATE_FREE], 0, "vesicles still undecided at t = 5");
    EXO_TEST_EQ_INT(unbonded, 0, "captured vesicles without a bond");
    free(bonds);
    free(state);
    exo_sim_destroy(sim, NULL);
    exo_scenario_destroy(sc);
}

static void poisson_ligands(double mean)
{
    const uint32_t n = 100000;
    exo_init_params ip;
    memset(&ip, 0, sizeof ip);
    ip.ligand_distribution = EXO_LIGANDS_POISSON;
    ip.ligand_mean = (exo_real)mean;
    ip.seed_lo = 5;
    double sum = 0, sum2 = 0;
    for (uint32_t i = 0; i < n; i++) {
        double x = exo_init_ligands(&ip, i);
        sum += x;
        sum2 += x * x;
    }
    double m = sum / n, var = sum2 / n - m * m;
    char what[128];
    snprintf(what, sizeof what, "Poisson ligands, mean %g: sample mean", mean);
    EXO_TEST_NEAR(m, mean, 4 * sqrt(mean / n), what);
    /* Var of the sample variance of a Poisson: mean + 2 mean^2 (n large). */
    snprintf(what, sizeof what, "Poisson ligands, mean %g: sample variance", mean);
    EXO_TEST_NEAR(var, mean, 4 * sqrt((mean + 2 * mean * mean) / n), what);
}

static const char *capillary =
    "seed = 18;\n"
    "simulation = { dt = \"20 us\"; steps = 3000; };\n"
    "medium = { viscosity = \"1.2 mPa s\"; };\n"
    "surfaces = ( { name = \"tumour\"; behaviour = \"bind\";\n"
    "               receptors = ( { type = \"avb3\"; density = \"300 /um^2\"; } );\n"
    "               internalization = { rate = \"2 /s\"; min_bonds = 2; }; } );\n"
    "binding = ( { ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"0.5 um^2/s\"; k_off = \"20 /s\";\n"
    "              bond_length = \"10 nm\"; x_beta = \"0.5 nm\"; catch_rate = \"30 /s\";\n"
    "              catch_length = \"1 nm\"; } );\n"
    "vesicles = ( { count = 4000; radius = \"50 nm\";\n"
    "               ligands = { type = \"RGD\"; count = { distribution = \"poisson\"; mean = 40.0; }; };\n"
    "               start = { region = \"cap\"; }; } );\n"
    "geometry = { vessels = ( { name = \"cap\"; radius = \"1 um\"; length = \"6 um\";\n"
    "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
    "             regions = ( { name = \"t\"; from = 2.0; to = 4.0; wall = \"tumour\"; } );\n"
    "             flow = { mean_velocity = \"500 um/s\"; }; } ); };\n"
    "output = { file = \"\"; };\n";

static void read_binding(exo_sim *sim, size_t n, uint16_t **lig, uint8_t **bonds)
{
    exo_error err = {0};
    *lig = malloc(n * sizeof **lig);
    *bonds = malloc(n);
    if (!*lig || !*bonds || exo_sim_read_binding(sim, *lig, *bonds, &err) != EXO_OK) {
        fprintf(stderr, "exo_sim_read_binding: %s\n", err.msg);
        exit(1);
    }
}

static void device_vs_reference(void)
{
    exo_scenario *sc = exo_test_scenario(capillary);
    exo_sim *sd = exo_test_sim(sc, NULL, 0, 0), *sr = exo_test_sim(sc, "cpu-reference", 0, 0);
    exo_sim *s1 = NULL;
    exo_test_advance(sd, 3000);
    exo_test_advance(sr, 3000);
    exo_test_state d = exo_test_read(sd), r = exo_test_read(sr);
    size_t n = d.n;
    uint16_t *ld, *lr;
    uint8_t *bd, *br;
    read_binding(sd, n, &ld, &bd);
    read_binding(sr, n, &lr, &br);
    size_t diverged = 0, bound = 0, multi = 0, taken = 0, lig_diff = 0;
    double max_dr = 0;
    for (size_t i = 0; i < n; i++) {
        lig_diff += ld[i] != lr[i];
        double dr = 0;
        for (int a = 0; a < 3; a++)
            dr = fmax(dr, fabs(d.pos[a * n + i] - r.pos[a * n + i]));
        if (d.state[i] != r.state[i] || bd[i] != br[i]) {
            diverged++;
            continue;
        }
        max_dr = fmax(max_dr, dr);
        bound += r.state[i] == EXO_STATE_BOUND;
        multi += br[i] > 1;
        taken += r.state[i] == EXO_STATE_INTERNALIZED;
    }
    printf("device vs reference: %zu bound (%zu with several bonds), %zu internalized; "
           "%zu diverged\n", bound, multi, taken, diverged);
    EXO_TEST_EQ_INT(lig_diff, 0, "ligand counts, device vs reference");
    EXO_TEST_TRUE(bound > 50 && multi > 10 && taken > 10,
                  "binding, multivalency and uptake exercised (%zu, %zu, %zu)", bound, multi,
                  taken);
    /* Once the last bits of a normal differ (libm against OpenCL's float
     * functions, a few ulp), each step's sum x + dx may round to the other
     * neighbour: a random walk of ulp(6 um) = 4.8e-7 um steps. */
    double walk = 4 * 6.0 * FLT_EPSILON * sqrt(3000.0);
    EXO_TEST_NEAR(max_dr, 0, walk, "device vs reference, largest position difference (um)");
    EXO_TEST_NEAR((double)diverged, 0, n / 1000.0,
                  "device vs reference, vesicles whose state or bonds differ");

    /* One step per launch: bitwise equal (launch batching changes nothing). */
    s1 = exo_test_sim(sc, NULL, 1, 0);
    exo_test_advance(s1, 3000);
    exo_test_state o = exo_test_read(s1);
    uint16_t *l1;
    uint8_t *b1;
    read_binding(s1, n, &l1, &b1);
    EXO_TEST_TRUE(memcmp(o.state, d.state, n) == 0 && memcmp(b1, bd, n) == 0 &&
                  memcmp(o.pos, d.pos, 3 * n * sizeof *o.pos) == 0,
                  "K = 1: bitwise the same states, bonds and positions");
    exo_test_state_free(&o);
    free(l1);
    free(b1);
    exo_sim_destroy(s1, NULL);

    exo_test_state_free(&d);
    exo_test_state_free(&r);
    free(ld);
    free(lr);
    free(bd);
    free(br);
    exo_sim_destroy(sd, NULL);
    exo_sim_destroy(sr, NULL);
    exo_scenario_destroy(sc);
}

/* Bonds per patch now, checked against the receptors of each: returns the
 * most any patch holds above its receptors (0 when none is over), adds
 * the bonds and receptors of all patches to *bonds and *receptors. */
static int64_t patch_overshoot(exo_sim *sim, uint64_t *bonds, uint64_t *receptors)
{
    exo_error err = {0};
    uint32_t n = exo_sim_patches(sim);
    uint64_t *r = calloc(n, sizeof *r), *b = calloc(n, sizeof *b);
    if (!r || !b || exo_sim_read_patches(sim, r, b, NULL, &err) != EXO_OK) {
        fprintf(stderr, "exo_sim_read_patches failed: %s\n", err.msg);
        exit(1);
    }
    int64_t over = 0;
    for (uint32_t j = 0; j < n; j++) {
        over = (int64_t)b[j] - (int64_t)r[j] > over ? (int64_t)b[j] - (int64_t)r[j] : over;
        *bonds += b[j];
        *receptors += r[j];
    }
    free(r);
    free(b);
    return over;
}

/* Run sc for `steps` in chunks of `every`, checking after each that no
 * patch holds more bonds than receptors; returns the state at the end and
 * the bonds and receptors in all then. */
static exo_test_state depletion_run(const exo_scenario *sc, uint32_t k, size_t wg,
                                    uint64_t steps, uint64_t every, uint64_t *bonds,
                                    uint64_t *receptors, uint64_t counts[2])
{
    exo_sim *sim = exo_test_sim(sc, NULL, k, wg);
    int64_t worst = 0;
    int checks = 0;
    for (uint64_t done = 0; done < steps; done += every) {
        exo_test_advance(sim, every);
        *bonds = *receptors = 0;
        int64_t over = patch_overshoot(sim, bonds, receptors);
        worst = over > worst ? over : worst;
        checks++;
    }
    EXO_TEST_TRUE(worst == 0, "no patch above its receptors at %d checks (worst %lld over; "
                  "%u steps per launch, work-groups %zu)", checks, (long long)worst, k, wg);
    exo_sim_depletion_counts(sim, &counts[0], &counts[1]);
    exo_test_state st = exo_test_read(sim);
    exo_sim_destroy(sim, NULL);
    return st;
}

static void same_state(const exo_test_state *a, const exo_test_state *b, const char *what)
{
    EXO_TEST_TRUE(memcmp(a->state, b->state, a->n) == 0 &&
                  memcmp(a->pos, b->pos, 3 * a->n * sizeof *a->pos) == 0,
                  "%s: bitwise the same", what);
}

/* The depletion tests' capillary: a 2-um tumour region of a periodic 6-um
 * vessel (R = 1 um, 200 um/s) whose wall binds through receptors cut into
 * `patches` and depleted; `count` vesicles with `ligands` ligands each. */
static exo_scenario *depletion_scenario(int seed, int steps, int update_every,
                                        const char *patches, const char *density,
                                        const char *k_on, const char *k_off, int count,
                                        int ligands)
{
    char text[2048];
    snprintf(text, sizeof text,
             "seed = %d;\n"
             "simulation = { dt = \"20 us\"; steps = %d; receptor_update_every = %d; };\n"
             "medium = { viscosity = \"1.2 mPa s\"; };\n"
             "surfaces = ( { name = \"tumour\"; behaviour = \"bind\"; patches = [%s];\n"
             "               receptors = ( { type = \"R\"; density = \"%s\"; } ); } );\n"
             "binding = ( { ligand = \"L\"; receptor = \"R\"; k_on = \"%s\";\n"
             "              %sbond_length = \"10 nm\"; } );\n"
             "vesicles = ( { count = %d; radius = \"50 nm\";\n"
             "               ligands = { type = \"L\"; count = %d; };\n"
             "               start = { region = \"cap\"; }; } );\n"
             "geometry = { vessels = ( { name = \"cap\"; radius = \"1 um\"; length = \"6 um\";\n"
             "             origin = [0.0, 0.0, 0.0]; axis = \"z\"; ends = \"periodic\";\n"
             "             regions = ( { name = \"t\"; from = 2.0; to = 4.0; wall = \"tumour\"; } );\n"
             "             flow = { mean_velocity = \"200 um/s\"; }; } ); };\n"
             "output = { file = \"\"; };\n",
             seed, steps, update_every, patches, density, k_on, k_off, count, ligands);
    return exo_test_scenario(text);
}

/*
 * Receptor depletion, one bond per vesicle: a region (R = 1 um, 2 um
 * long) cut into 4 x 2 patches of 20 receptors/um^2, 31.4 receptors each
 * on average (whole numbers, 31 or 32, drawn from the seed), and 4000
 * vesicles that each hold at most one bond (n_c = 1) which never breaks:
 * capture is fast (kappa = 10 um/s), so the patches fill up.  Every 250
 * steps no patch holds more bonds than receptors, and at the end every
 * receptor is taken: saturation is the capacity exactly.  The bonds per
 * patch counted on the device agree with those found from the vesicles'
 * positions.  The same run with 13 steps per launch and with work-groups
 * of 8 is bitwise the same.
 */
static void depletion(void)
{
    exo_scenario *sc = depletion_scenario(19, 5000, 50, "4, 2", "20 /um^2", "50 um^2/s", "",
                                          4000, 10);
    uint64_t bonds = 0, receptors = 0, counts[2], unused[2], b2, r2;
    exo_test_state a = depletion_run(sc, 0, 0, 5000, 250, &bonds, &receptors, counts);
    exo_test_state b = depletion_run(sc, 13, 0, 5000, 250, &b2, &r2, unused);
    exo_test_state c = depletion_run(sc, 0, 8, 5000, 250, &b2, &r2, unused);
    int per_patch[8] = {0}, total = 0;
    for (size_t i = 0; i < a.n; i++) {
        if (a.state[i] != EXO_STATE_BOUND)
            continue;
        double x = a.pos[i], y = a.pos[a.n + i], s = a.pos[2 * a.n + i];
        int iu = (int)floor((s - 2.0) / 2.0 * 4), iv = (int)floor((atan2(y, x) + M_PI) / M_PI);
        iu = iu < 0 ? 0 : (iu > 3 ? 3 : iu);
        iv = iv < 0 ? 0 : (iv > 1 ? 1 : iv);
        per_patch[iu * 2 + iv]++;
        total++;
    }
    printf("depletion: %d bound, %llu bonds on %llu receptors (%.1f expected); per patch",
           total, (unsigned long long)bonds, (unsigned long long)receptors,
           20 * 2 * M_PI * 1.0 * 2.0);
    for (int k = 0; k < 8; k++)
        printf(" %d", per_patch[k]);
    printf("; %llu extra updates, %llu steps held back\n", (unsigned long long)counts[0],
           (unsigned long long)counts[1]);
    EXO_TEST_TRUE(bonds == receptors, "saturation: %llu bonds on %llu receptors",
                  (unsigned long long)bonds, (unsigned long long)receptors);
    EXO_TEST_TRUE((uint64_t)total == bonds, "%d bound vesicles, %llu bonds on the device",
                  total, (unsigned long long)bonds);
    same_state(&a, &b, "13 steps per launch");
    same_state(&a, &c, "work-groups of 8");
    exo_test_state_free(&a);
    exo_test_state_free(&b);
    exo_test_state_free(&c);
    exo_scenario_destroy(sc);
}

/*
 * Receptor depletion with multivalent bonds that form and break: 2000
 * vesicles with 200 ligands (n_c = 20) on 4 x 4 patches of about 10
 * receptors each, k_off = 20/s, so bonds keep forming as others break and
 * many vesicles compete for the last free receptors within single steps.
 * Every 50 steps no patch holds more bonds than receptors; the runs with
 * 7 steps per launch and work-groups of 8 are bitwise the same; and the
 * one-step rule (a patch forms no bond in a step that would form more than
 * it has free) is exercised.
 */
static void depletion_multivalent(void)
{
    exo_scenario *sc = depletion_scenario(23, 3000, 40, "4, 4", "12.7 /um^2", "200 um^2/s",
                                          "k_off = \"20 /s\"; ", 2000, 200);
    uint64_t bonds = 0, receptors = 0, counts[2], unused[2], b2, r2;
    exo_test_state a = depletion_run(sc, 0, 0, 3000, 50, &bonds, &receptors, counts);
    exo_test_state b = depletion_run(sc, 7, 0, 3000, 50, &b2, &r2, unused);
    exo_test_state c = depletion_run(sc, 0, 8, 3000, 50, &b2, &r2, unused);
    printf("multivalent depletion: %llu bonds on %llu receptors at the end; %llu extra "
           "updates, %llu steps held back\n", (unsigned long long)bonds,
           (unsigned long long)receptors, (unsigned long long)counts[0],
           (unsigned long long)counts[1]);
    EXO_TEST_TRUE(bonds > receptors / 2, "the patches are mostly taken (%llu of %llu)",
                  (unsigned long long)bonds, (unsigned long long)receptors);
    EXO_TEST_TRUE(counts[0] > 0 && counts[1] > 0,
                  "both parts of the rule stepped in (%llu extra updates, %llu held steps)",
                  (unsigned long long)counts[0], (unsigned long long)counts[1]);
    same_state(&a, &b, "7 steps per launch");
    same_state(&a, &c, "work-groups of 8");
    exo_test_state_free(&a);
    exo_test_state_free(&b);
    exo_test_state_free(&c);
    exo_scenario_destroy(sc);
}

int main(int argc, char **argv)
{
    exo_test_options(argc, argv);
    v11(0, 0, 0, 1.0, 0.0005, 1.0, 4e-3, 20000);
    v11(5, 0, 0, 1.0, 0.0005, 1 / 0.557759, 2e-3, 20000);
    v11(10, 0, 0, 1.0, 0.0005, 1 / 0.311095, 1e-3, 20000);
    v11(20, 0, 0, 1.0, 0.0005, 1 / 0.096780, 4e-4, 20000);
    v11(16.89, 5.0, 0.001, 0.05, 0.0004, 0.339, 1e-2, 20000);
    v16(5, 0, 2.283333, 2e-3, 20000);
    v16(5, 1, 8.533333, 4e-3, 10000);
    v16(5, 10, 3307.783, 0.02, 1000);
    v16(10, 0, 2.928968, 1e-3, 20000);
    v16(10, 1, 118.653968, 5e-3, 2000);
    v8();
    poisson_ligands(12);
    poisson_ligands(100);
    capture("1 ms", 50000);
    capture("0.25 ms", 50000);
    device_vs_reference();
    depletion();
    depletion_multivalent();
    return exo_test_finish("test_binding");
}
