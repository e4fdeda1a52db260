/*
 * test_config: the scenario loader (host/exo_config.c) and the derived
 * quantities of host/exo_scenario.c, host only (no OpenCL).
 *
 * Every class of bad input has a case here that checks the status
 * (EXO_ERR_CONFIG), the exit status it maps to (2) and the words of the
 * message: the file and line ("bad.cfg:15"), the full setting path
 * ('vesicles.[0].radius') and what was expected.  Each bad case is loaded
 * twice: from text with exo_scenario_load_text() under the name "bad.cfg",
 * and from a real file (mkstemp) with exo_scenario_load(), whose messages
 * must name that path.  Positive cases load the demo scenario, convert
 * units, apply --set overrides and check the derived D and frame logic.
 *
 * Cases are built from one small valid scenario (base[] below, one setting
 * per line) by replacing whole lines, so line numbers stay fixed.
 */
#include <stdint.h>
#include <unistd.h>

#include "exo_test.h"
#include "shared/exo_physics.h"
#include "exo_scenario.h"
#include "exobd/exobd.h"

/* The valid base scenario; base[i] is line i + 1. */
static const char *const base[] = {
    "name = \"t\";",                                           /*  1 */
    "seed = 7;",                                               /*  2 */
    "simulation = {",                                          /*  3 */
    "  dt = \"1 us\";",                                        /*  4 */
    "  steps = 1000;",                                         /*  5 */
    "  integrator = \"overdamped\";",                          /*  6 */
    "};",                                                      /*  7 */
    "medium = {",                                              /*  8 */
    "  temperature = \"310.15 K\";",                           /*  9 */
    "  viscosity = \"1.2 mPa s\";",                            /* 10 */
    "};",                                                      /* 11 */
    "vesicles = (",                                            /* 12 */
    "  { name = \"exo\";",                                     /* 13 */
    "    count = 1000;",                                       /* 14 */
    "    radius = \"50 nm\";",                                 /* 15 */
    "    start = { kind = \"uniform\"; region = \"box\"; };",  /* 16 */
    "  }",                                                     /* 17 */
    ");",                                                      /* 18 */
    "geometry = {",                                            /* 19 */
    "  box = { lower = [0.0, 0.0, 0.0];",                      /* 20 */
    "          upper = [10.0, 10.0, 10.0];",                   /* 21 */
    "          faces = [\"periodic\", \"periodic\", \"reflect\"]; };", /* 22 */
    "};",                                                      /* 23 */
    "output = {",                                              /* 24 */
    "  file = \"t.h5\";",                                      /* 25 */
    "  every = 100;",                                          /* 26 */
    "  fields = [\"position\", \"state\"];",                   /* 27 */
    "  sample = 100;",                                         /* 28 */
    "  compression = 1;",                                      /* 29 */
    "  observables_every = 10;",                               /* 30 */
    "};",                                                      /* 31 */
};
#define N_BASE ((int)(sizeof base / sizeof base[0]))

/* Replace line `line` (1-based) by `text`; "" blanks it. */
typedef struct edit {
    int line;
    const char *text;
} edit;

#define EDITS(...)                                                            \
    (const edit[]){__VA_ARGS__},                                              \
        sizeof((const edit[]){__VA_ARGS__}) / sizeof(edit)
#define NO_EDITS NULL, 0
#define SETS(...)                                                             \
    (const char *const[]){__VA_ARGS__},                                       \
        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)
#define NO_SETS NULL, 0
#define NEEDLES(...) (const char *const[]){__VA_ARGS__, NULL}

/* Where a bad case must report the problem. */
#define AT_FILE 0        /* "bad.cfg: " with no line (missing top level) */
#define AT_SET (-1)      /* "bad.cfg: --set PATH=VALUE"                   */
#define AT_NONE (-2)     /* not checked (a --set without '=')             */

/* The base scenario with edits applied; lines removed in a range of
 * edits keep their numbers because each edit replaces exactly one line. */
static char *build(const edit *ed, size_t ne)
{
    size_t cap = 1;
    for (int i = 0; i < N_BASE; i++)
        cap += strlen(base[i]) + 1;
    for (size_t k = 0; k < ne; k++)
        cap += strlen(ed[k].text) + 1;
    char *buf = malloc(cap), *p = buf;
    if (buf == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (int i = 0; i < N_BASE; i++) {
        const char *line = base[i];
        for (size_t k = 0; k < ne; k++)
            if (ed[k].line == i + 1)
                line = ed[k].text;
        size_t n = strlen(line);
        memcpy(p, line, n);
        p += n;
        *p++ = '\n';
    }
    *p = '\0';
    return buf;
}

/* Write text to a new temporary file; returns its path (static buffer
 * owned by the caller's array) or exits. */
static void write_temp(const char *text, char path[64])
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 64, "%s/exo_test_config_XXXXXX", dir && *dir && strlen(dir) < 30
                                                        ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    size_t n = strlen(text);
    if (write(fd, text, n) != (ssize_t)n || close(fd) != 0) {
        perror("writing a temporary scenario");
        exit(1);
    }
}

static exo_scenario *load_ok_(int at, const char *text, const char *const *sets,
                              size_t ns)
{
    exo_error err;
    memset(&err, 0, sizeof err);
    exo_scenario *sc = NULL;
    exo_status st = exo_scenario_load_text(&sc, text, "good.cfg", sets, ns, &err);
    EXO_TEST_TRUE(st == EXO_OK && sc != NULL,
                  "test_config.c:%d: a valid scenario was rejected (%s): %s", at,
                  exo_status_name(st), err.msg);
    return sc;
}

/* Load the base scenario with edits and overrides; must succeed. */
static exo_scenario *load_good(int at, const edit *ed, size_t ne,
                               const char *const *sets, size_t ns)
{
    char *text = build(ed, ne);
    exo_scenario *sc = load_ok_(at, text, sets, ns);
    free(text);
    return sc;
}

/* Check one failed load: status, exit code, location and needles. */
static void check_message(int at, exo_status st, const exo_scenario *sc,
                          const exo_error *err, const char *file, int line,
                          const char *const *needles)
{
    char loc[256];
    printf("test_config.c:%d: %s\n", at, err->msg);
    EXO_TEST_TRUE(sc == NULL, "test_config.c:%d: scenario returned on failure", at);
    EXO_TEST_TRUE(st == EXO_ERR_CONFIG, "test_config.c:%d: expected EXO_ERR_CONFIG, "
                  "got %s: %s", at, exo_status_name(st), err->msg);
    EXO_TEST_TRUE(err->status == st, "test_config.c:%d: err.status %s != returned %s",
                  at, exo_status_name(err->status), exo_status_name(st));
    EXO_TEST_EQ_INT(exo_status_exit_code(st), 2, "exit status of a config error");
    if (line > 0)
        snprintf(loc, sizeof loc, "%s:%d: setting '", file, line);
    else if (line == AT_FILE)
        snprintf(loc, sizeof loc, "%s: ", file);
    else if (line == AT_SET)
        snprintf(loc, sizeof loc, "%s: --set ", file);
    if (line > AT_NONE) {
        /* missing-setting messages have "file:line: required setting" */
        if (line > 0 && strstr(err->msg, "required setting") != NULL)
            snprintf(loc, sizeof loc, "%s:%d: required setting '", file, line);
        if (line > 0 && (strstr(err->msg, "syntax error") != NULL ||
                         strstr(err->msg, "does not fit 32 bits") != NULL))
            snprintf(loc, sizeof loc, "%s:%d: ", file, line);
        EXO_TEST_TRUE(strncmp(err->msg, loc, strlen(loc)) == 0,
                      "test_config.c:%d: message should start with \"%s\", got \"%s\"",
                      at, loc, err->msg);
    }
    for (const char *const *n = needles; *n; n++)
        EXO_TEST_CONTAINS(err->msg, *n);
}

/* A bad scenario (base + edits, with overrides): rejected from text and
 * from a real file with the same message apart from the file name. */
static void check_bad(int at, const edit *ed, size_t ne, const char *const *sets,
                      size_t ns, int line, const char *const *needles)
{
    char *text = build(ed, ne);
    exo_error err;
    exo_scenario *sc = NULL;

    memset(&err, 0, sizeof err);
    exo_status st = exo_scenario_load_text(&sc, text, "bad.cfg", sets, ns, &err);
    check_message(at, st, sc, &err, "bad.cfg", line, needles);
    exo_scenario_destroy(sc);

    char path[64];
    write_temp(text, path);
    sc = NULL;
    memset(&err, 0, sizeof err);
    st = exo_scenario_load(&sc, path, sets, ns, &err);
    check_message(at, st, sc, &err, path, line, needles);
    exo_scenario_destroy(sc);
    unlink(path);
    free(text);
}

#define BAD(E, S, line, ...)                                                  \
    check_bad(__LINE__, E, S, (line), NEEDLES(__VA_ARGS__))

/* ------------------------------------------------------------ bad input */

static void test_unknown_keys(void)
{
    /* a typo in a population: path, "unknown setting" and a suggestion */
    BAD(EDITS({15, "    raduis = \"50 nm\";"}), NO_SETS, 15,
        "unknown setting", "'vesicles.[0].raduis'", "did you mean 'radius'",
        "known here: name, count, radius, start");
    BAD(EDITS({2, "sed = 7;"}), NO_SETS, 2,
        "setting 'sed'", "unknown setting", "did you mean 'seed'");
    BAD(EDITS({2, "colour = 7;"}), NO_SETS, 2, "setting 'colour'",
        "unknown setting; known here: name, seed, simulation, medium, surfaces, binding, "
        "vesicles, geometry, sweep, output");
    BAD(EDITS({4, "  dtt = \"1 us\"; dt = \"1 us\";"}), NO_SETS, 4,
        "'simulation.dtt'", "unknown setting", "did you mean 'dt'");
    BAD(EDITS({9, "  temprature = \"310.15 K\";"}), NO_SETS, 9,
        "'medium.temprature'", "did you mean 'temperature'");
    BAD(EDITS({21, "          uper = [10.0, 10.0, 10.0]; upper = [10.0, 10.0, 10.0];"}),
        NO_SETS, 21, "'geometry.box.uper'", "did you mean 'upper'");
    BAD(EDITS({16, "    start = { kind = \"uniform\"; regoin = \"box\"; };"}), NO_SETS,
        16, "'vesicles.[0].start.regoin'", "did you mean 'region'");
    BAD(EDITS({29, "  compresion = 1;"}), NO_SETS, 29, "'output.compresion'",
        "did you mean 'compression'");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; "
                   "sigam = 0.3; };"}), NO_SETS, 15,
        "'vesicles.[0].radius.sigam'", "did you mean 'sigma'");

    /* keys DESIGN.md names for later versions */
    BAD(EDITS({2, "seed = 7; sweep = { };"}), NO_SETS, 2, "'sweep.parameters'",
        "required setting");
    BAD(EDITS({22, "          faces = [\"periodic\", \"periodic\", \"reflect\"]; };"
                   " vessels = ( );"}), NO_SETS, 22,
        "'geometry.vessels'", "expected a list of one or more vessels");
    BAD(EDITS({22, "          faces = [\"periodic\", \"periodic\", \"reflect\"]; };"
                   " tissue = { };"}), NO_SETS, 22,
        "'geometry.tissue.placement'", "required setting", "\"simple_cubic\"");
    BAD(EDITS({17, "    cargo = { amount = -1.0; }; }"}), NO_SETS, 17,
        "'vesicles.[0].cargo.amount'", "must be >= 0");
    BAD(EDITS({17, "    cargo = { release_rate = \"2 um\"; }; }"}), NO_SETS, 17,
        "'vesicles.[0].cargo.release_rate'", "a rate is expected");
    BAD(EDITS({17, "    cargo = { amout = 1.0; }; }"}), NO_SETS, 17,
        "'vesicles.[0].cargo.amout'", "did you mean 'amount'");
    BAD(EDITS({30, "  observables_every = 10; events = 1;"}), NO_SETS, 30,
        "'output.events'", "expected true or false, got an integer");
}

/* geometry.tissue (line 23 of the base: in the 10-um box, periodic in x
 * and y, reflecting in z): impossible packings and inconsistent settings. */
#define TISSUE(body) EDITS({23, "  tissue = { " body " }; };"})
#define ONE_TYPE "cell_types = ( { name = \"tumour\"; radius = \"1.5 um\"; } ); "

static void test_tissue_bad(void)
{
    BAD(TISSUE("placement = \"fixed\"; " ONE_TYPE
               "cells = ( { centre = [3.0, 5.0, 5.0]; }, { centre = [5.0, 5.0, 5.0]; } );"),
        NO_SETS, 23, "'geometry.tissue.cells'", "cells 0 and 1 overlap",
        "2 um apart, less than the sum of their radii 3 um");
    /* the minimum image: 0.5 and 9.5 are 1 um apart across the periodic x faces */
    BAD(TISSUE("placement = \"fixed\"; " ONE_TYPE
               "cells = ( { centre = [0.5, 5.0, 5.0]; }, { centre = [9.5, 5.0, 5.0]; } );"),
        NO_SETS, 23, "cells 0 and 1 overlap", "1 um apart");
    BAD(TISSUE("placement = \"fixed\"; " ONE_TYPE
               "cells = ( { centre = [5.0, 5.0, 1.0]; } );"),
        NO_SETS, 23, "'geometry.tissue.cells'", "cell 0 (centre z = 1 um, radius 1.5 um) "
        "crosses the box face at z = 0 um");
    BAD(TISSUE("placement = \"fixed\"; " ONE_TYPE
               "cells = ( { type = \"normal\"; centre = [5.0, 5.0, 5.0]; } );"),
        NO_SETS, 23, "'geometry.tissue.cells.[0].type'", "no cell type named \"normal\"");
    BAD(TISSUE("placement = \"random\"; volume_fraction = 0.5; " ONE_TYPE),
        NO_SETS, 23, "'geometry.tissue'", "0.5 is above what random placement can reach",
        "saturates at 0.3828", "hexagonal up to 0.74");
    BAD(TISSUE("placement = \"random\"; volume_fraction = 1.5; " ONE_TYPE),
        NO_SETS, 23, "'geometry.tissue.volume_fraction'", "must be below 1");
    BAD(TISSUE("placement = \"random\"; " ONE_TYPE), NO_SETS, 23,
        "'geometry.tissue.volume_fraction'", "required setting");
    BAD(TISSUE("placement = \"random\"; spacing = \"5 um\"; volume_fraction = 0.1; "
               ONE_TYPE), NO_SETS, 23, "'geometry.tissue.spacing'", "only a lattice");
    BAD(TISSUE("placement = \"simple_cubic\"; spacing = \"2.5 um\"; " ONE_TYPE),
        NO_SETS, 23, "'geometry.tissue'", "cells overlap: the lattice spacing 2.5 um is "
        "less than the diameter 3 um");
    BAD(TISSUE("placement = \"simple_cubic\"; spacing = \"3 um\"; " ONE_TYPE),
        NO_SETS, 23, "does not tile the periodic x axis", "3.333 periods",
        "a whole number of periods, e.g. with a spacing of 3.333 um");
    BAD(TISSUE("placement = \"hexagonal\"; spacing = \"5 um\"; " ONE_TYPE),
        NO_SETS, 23, "hexagonal lattice does not tile the periodic y axis",
        "period there is 8.66");
    BAD(TISSUE("placement = \"simple_cubic\"; " ONE_TYPE), NO_SETS, 23,
        "'geometry.tissue.spacing'", "required setting");
    BAD(TISSUE("placement = \"square\"; " ONE_TYPE), NO_SETS, 23,
        "'geometry.tissue.placement'", "expected one of \"simple_cubic\", \"hexagonal\", "
        "\"random\", \"fixed\"");
    BAD(TISSUE("placement = \"simple_cubic\"; spacing = \"5 um\";"), NO_SETS, 23,
        "'geometry.tissue.cell_types'", "required setting");
    BAD(TISSUE("placement = \"simple_cubic\"; spacing = \"5 um\"; "
               "cell_types = ( { name = \"a\"; radius = \"-1 um\"; } );"), NO_SETS, 23,
        "'geometry.tissue.cell_types.[0].radius'", "must be > 0");
    BAD(EDITS({16, "    start = { kind = \"point\"; position = [5.0, 5.0, 5.5]; };"},
              {23, "  tissue = { placement = \"fixed\"; " ONE_TYPE
                   "cells = ( { centre = [5.0, 5.0, 5.0]; } ); }; };"}),
        NO_SETS, 16, "'vesicles.[0].start'", "the start point (5, 5, 5.5) um lies inside "
        "cell 0");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; flow = { kind = \"radial\"; "
                   "velocity = \"1 um/s\"; radius = \"100 um\"; };"}), NO_SETS, 10,
        "'medium.flow.centre'", "required setting", "the tumour's centre");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; flow = { kind = \"radial\"; "
                   "centre = [5.0, 5.0, 5.0]; velocity = \"-1 um/s\"; radius = \"100 um\"; };"}),
        NO_SETS, 10, "'medium.flow.velocity'", "must be > 0");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; flow = { velocity = [1.0, 0.0, 0.0]; "
                   "radius = \"100 um\"; };"}), NO_SETS, 10, "'medium.flow.radius'",
        "only kind = \"radial\" flow has a centre and radius");
    BAD(TISSUE("placement = \"simple_cubic\"; spacing = \"5 um\"; cell_types = ( { name = "
               "\"a\"; radius = \"1 um\"; surface = \"nowhere\"; } );"), NO_SETS, 23,
        "'geometry.tissue.cell_types.[0].surface'", "no surface named \"nowhere\"");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"grab\"; behaviour = \"bind\"; "
                  "receptors = ( { type = \"r\"; density = 10.0; } ); "
                  "transcytosis = { rate = 1.0; }; } );"},
              {23, "  tissue = { placement = \"simple_cubic\"; spacing = \"5 um\"; "
                   "cell_types = ( { name = \"a\"; radius = \"1 um\"; surface = \"grab\"; } "
                   "); }; };"}),
        NO_SETS, 23, "'geometry.tissue.cell_types.[0].surface'",
        "surface \"grab\" has transcytosis", "belongs to vessel walls");
    BAD(TISSUE("effective_diffusion = { tortuosity = 0.8; };"), NO_SETS, 23,
        "'geometry.tissue.effective_diffusion.tortuosity'", "at least 1");
    BAD(TISSUE("effective_diffusion = { tortuosity = 1.6; width = \"-40 nm\"; };"),
        NO_SETS, 23, "'geometry.tissue.effective_diffusion.width'", "must be > 0");
    BAD(TISSUE("placement = \"simple_cubic\"; spacing = \"5 um\"; " ONE_TYPE
               "effective_diffusion = { tortuosity = 1.6; };"), NO_SETS, 23,
        "'geometry.tissue.effective_diffusion'", "not both");
}

/* Load must succeed; stop the test otherwise (later checks read sc). */
#define LOAD_OK(call, err)                                                    \
    do {                                                                      \
        exo_status st_ = (call);                                              \
        EXO_TEST_TRUE(st_ == EXO_OK, "load failed: %s", (err)->msg);          \
        if (st_ != EXO_OK)                                                    \
            return;                                                           \
    } while (0)

/* Valid tissues: what the placement gives. */
/* A tissue beside a vessel (lines 16, 22 and 23 of the base: the
 * population in the vessel, the box's faces closed across it, the vessel
 * through the box along z): a vessel outside the box or not through it,
 * pores that are not pores, walls that let vesicles across with nothing on
 * the other side, cells in the vessel. */
#define IN_CAP {16, "    start = { region = \"cap\"; };"}
#define CLOSED {22, "          faces = [\"reflect\", \"reflect\", \"periodic\"]; };"}
#define CAP(extra) "vessels = ( { name = \"cap\"; radius = \"2 um\"; length = \"10 um\"; " \
                   "origin = [5.0, 5.0, 0.0]; ends = \"periodic\"; " extra " } ); "
#define LEAKY(pores) {2, "seed = 7; surfaces = ( { name = \"gaps\"; behaviour = \"leaky\"; " \
                         "pores = { " pores " }; } );"}
#define PORES "radius = \"400 nm\"; density = \"0.05 /um^2\";"

static void test_barriers_bad(void)
{
    BAD(EDITS(IN_CAP, CLOSED,
              {23, "  vessels = ( { name = \"cap\"; radius = \"2 um\"; length = \"10 um\"; "
                   "origin = [9.0, 5.0, 0.0]; } ); tissue = { }; };"}),
        NO_SETS, 23, "'geometry.tissue'", "vessel \"cap\" (centre x = 9 um, radius 2 um) "
        "lies outside the tissue box [0, 10] um along x");
    BAD(EDITS(IN_CAP, CLOSED,
              {23, "  vessels = ( { name = \"cap\"; radius = \"2 um\"; length = \"8 um\"; "
                   "origin = [5.0, 5.0, 0.0]; } ); tissue = { }; };"}),
        NO_SETS, 23, "'geometry.tissue'", "must run through the tissue box from face to face");
    BAD(EDITS(IN_CAP, {23, "  " CAP("") "tissue = { }; };"}), NO_SETS, 23,
        "'geometry.tissue'", "may not be periodic");
    BAD(EDITS(IN_CAP, CLOSED,
              {23, "  " CAP("") "vessels2 = 1; tissue = { }; };"}),
        NO_SETS, 23, "'geometry.vessels2'", "unknown setting");
    BAD(EDITS(LEAKY("radius = \"-10 nm\"; density = \"0.05 /um^2\";"), IN_CAP, CLOSED,
              {23, "  " CAP("wall = \"gaps\";") "tissue = { }; };"}),
        NO_SETS, 2, "'surfaces.[0].pores.radius'", "must be > 0");
    BAD(EDITS(LEAKY("radius = \"400 nm\"; density = \"-1 /um^2\";"), IN_CAP, CLOSED,
              {23, "  " CAP("wall = \"gaps\";") "tissue = { }; };"}),
        NO_SETS, 2, "'surfaces.[0].pores.density'", "must be > 0");
    BAD(EDITS(LEAKY("radius = \"400 nm\";"), IN_CAP, CLOSED,
              {23, "  " CAP("wall = \"gaps\";") "tissue = { }; };"}),
        NO_SETS, 2, "'surfaces.[0].pores.density'", "required setting");
    BAD(EDITS(LEAKY(PORES " model = \"sieve\";"), IN_CAP, CLOSED,
              {23, "  " CAP("wall = \"gaps\";") "tissue = { }; };"}),
        NO_SETS, 2, "'surfaces.[0].pores.model'", "\"homogenised\", \"explicit\"");
    BAD(EDITS(LEAKY("radius = \"1 um\"; density = \"0.3 /um^2\"; model = \"explicit\";"),
              IN_CAP, CLOSED, {23, "  " CAP("wall = \"gaps\";") "tissue = { }; };"}),
        NO_SETS, 23, "'geometry.vessels.[0].wall'", "explicit pores of radius 1 um", "overlap");
    BAD(EDITS(LEAKY(PORES), IN_CAP, CLOSED, {23, "  " CAP("wall = \"gaps\";") "};"}),
        NO_SETS, 23, "'geometry.vessels.[0].wall'", "lets vesicles across the wall (pores)",
        "add geometry.tissue");
    BAD(EDITS(LEAKY(PORES), IN_CAP,
              {22, "          faces = [\"reflect\", \"gaps\", \"periodic\"]; };"},
              {23, "  " CAP("") "tissue = { }; };"}),
        NO_SETS, 22, "'geometry.box.faces.[1]'", "surface \"gaps\" is leaky");
    BAD(EDITS(LEAKY(PORES), IN_CAP, CLOSED,
              {23, "  " CAP("wall = \"gaps\"; hindered = true;") "tissue = { }; };"}),
        NO_SETS, 23, "'geometry.vessels.[0].wall'", "cannot be combined with hindered");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"reflect\"; "
                  "transcytosis = { rate = \"1e-4 /s\"; }; } );"}),
        NO_SETS, 2, "'surfaces.[0].transcytosis'", "applies only to behaviour = \"bind\"");
    BAD(EDITS(IN_CAP, CLOSED,
              {23, "  " CAP("") "tissue = { placement = \"fixed\"; " ONE_TYPE
                   "cells = ( { centre = [5.0, 7.0, 5.0]; } ); }; };"}),
        NO_SETS, 23, "'geometry.tissue.cells'", "cell 0 (centre [5, 7, 5] um, radius 1.5 um) "
        "overlaps vessel \"cap\" (radius 2 um) by 1.5 um");
    BAD(EDITS(CLOSED, {23, "  " CAP("") "tissue = { }; };"}), NO_SETS, 16,
        "'vesicles.[0].start'", "beside a vessel", "start in its lumen");
    BAD(EDITS(IN_CAP, CLOSED,
              {23, "  vessels = ( { name = \"cap\"; radius = \"2 um\"; length = \"10 um\"; "
                   "origin = [5.0, 5.0, 0.0]; }, { name = \"cap2\"; radius = \"1 um\"; "
                   "length = \"10 um\"; origin = [2.0, 2.0, 0.0]; } ); tissue = { }; };"}),
        NO_SETS, 23, "'geometry.tissue'", "a tissue lies beside one vessel (got 2 vessels)");
}

static void test_tissue_good(void)
{
    exo_error err;
    exo_scenario *sc = NULL;
    /* simple cubic, 2 x 2 sites across the periodic x, y (10 um = 2 x 5 um)
     * and 2 along the closed z (sites at z = 2.5, 7.5): 8 cells */
    char *text = build(TISSUE("placement = \"simple_cubic\"; spacing = \"5 um\"; "
                              ONE_TYPE));
    memset(&err, 0, sizeof err);
    LOAD_OK(exo_scenario_load_text(&sc, text, "t.cfg", NULL, 0, &err), &err);
    EXO_TEST_EQ_INT(sc->n_cells, 8, "simple cubic cells");
    EXO_TEST_NEAR(sc->cell[0].centre[0], 2.5, 1e-12, "first site x");
    EXO_TEST_NEAR(sc->cell[7].centre[2], 7.5, 1e-12, "last site z");
    EXO_TEST_NEAR(sc->cell[7].radius, 1.5, 1e-12, "cell radius");
    exo_scenario_destroy(sc);
    free(text);
    /* two listed cells of two types */
    text = build(TISSUE("placement = \"fixed\"; cell_types = ( { name = \"a\"; radius = 1.0; },"
                        " { name = \"b\"; radius = 2.0; } ); cells = ( { type = \"b\"; "
                        "centre = [5.0, 5.0, 5.0]; }, { type = \"a\"; centre = [1.0, 1.0, "
                        "2.0]; radius = 0.5; } );"));
    sc = NULL;
    LOAD_OK(exo_scenario_load_text(&sc, text, "t.cfg", NULL, 0, &err), &err);
    EXO_TEST_EQ_INT(sc->n_cells, 2, "listed cells");
    EXO_TEST_EQ_INT(sc->cell[0].type, 1, "type by name");
    EXO_TEST_NEAR(sc->cell[0].radius, 2.0, 0, "the type's radius");
    EXO_TEST_NEAR(sc->cell[1].radius, 0.5, 0, "a cell's own radius");
    exo_scenario_destroy(sc);
    free(text);
    /* effective diffusion: 1 / lambda^2 and the width reach the step */
    text = build(TISSUE("effective_diffusion = { tortuosity = 1.6; width = \"400 nm\"; };"));
    sc = NULL;
    LOAD_OK(exo_scenario_load_text(&sc, text, "t.cfg", NULL, 0, &err), &err);
    exo_step_params p;
    exo_scenario_step_params(sc, 0, &p, NULL);
    EXO_TEST_NEAR(p.ecs_diffusion, 1 / 2.56, 1e-7, "1 / lambda^2");
    EXO_TEST_NEAR(p.ecs_width, 0.4, 1e-7, "ECS width");
    /* Renkin at d / w = 0.25: 0.5625 (1 - 0.526 + 0.03265625 - 0.00092773) */
    double lam = 0.25, renkin = (1 - lam) * (1 - lam) *
                                (1 - 2.104 * lam + 2.09 * pow(lam, 3) - 0.95 * pow(lam, 5));
    EXO_TEST_NEAR(exo_vesicle_sigma(&p, 0.05f) / exo_step_sigma(p.sigma_coef, 0.05f),
                  sqrt(renkin / 2.56), 1e-6, "sigma scaled by sqrt(f_hind / lambda^2)");
    EXO_TEST_NEAR(exo_renkin_hindrance(1.0f), 0, 1e-7, "Renkin: 0 when d = w");
    exo_scenario_destroy(sc);
    free(text);
}

/* A receptor surface on face z- and a pair (line 2), ligands on the
 * population (line 17). */
#define BIND_SURFACE(receptors, pair)                                               \
    {2, "seed = 7; surfaces = ( { name = \"endo\"; behaviour = \"bind\"; " receptors \
        " } ); binding = ( " pair " );"},                                          \
    {22, "          faces = [\"periodic\", \"periodic\", \"periodic\", \"periodic\", "   \
         "\"endo\", \"reflect\"]; };"}
#define GOOD_RECEPTORS "receptors = ( { type = \"avb3\"; density = \"100 /um^2\"; } );"
#define GOOD_PAIR                                                                   \
    "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"0.033 um^2/s\"; k_off = \"1 /s\"; " \
    "bond_length = \"10 nm\"; x_beta = \"0.5 nm\"; }"
#define LIGANDS(spec) {17, "    ligands = { type = \"RGD\"; " spec " }; }"}

static void test_binding_config(void)
{
    /* the good one loads, with its derived pair and rates */
    exo_scenario *sc = load_good(__LINE__, EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
                                                 LIGANDS("count = 100;")), NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "binding scenario rejected");
    if (sc) {
        EXO_TEST_EQ_INT(sc->pop[0].binding, 0, "the population binds through pair 0");
        EXO_TEST_NEAR(exo_scenario_receptor_density(sc, 0, 0), 100, 1e-9, "sigma_R");
        exo_step_params p;
        exo_slot_table t;
        exo_scenario_step_params(sc, 0, &p, &t);
        /* z- is slot 4: k_on sigma_R = 3.3 /s; kappa = k_on sigma_R n_L delta^2/(2a)
         * = 3.3 * 100 * 1e-4 / 0.1 = 0.33 um/s for n_L = 100, a = 50 nm */
        EXO_TEST_NEAR(t.bond_rate[4], 3.3, 1e-6, "bond_rate = k_on sigma_R");
        EXO_TEST_NEAR(t.bind_coef[4] * 100 / 0.05 / (1e-6 * sqrt(M_PI / 2)), 0.33, 1e-6,
                      "capture coefficient n_L / a = kappa dt sqrt(pi/2)");
        EXO_TEST_NEAR(p.half_reach, 0.005, 1e-9, "delta / 2");
        EXO_TEST_EQ_INT(p.bound_moves, 1, "bound vesicles change");
        EXO_TEST_NEAR(t.load_coef[4], 0, 0, "no shear in the box");
    }
    exo_scenario_destroy(sc);
    sc = load_good(__LINE__, EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
                                   LIGANDS("count = { distribution = \"poisson\"; mean = 50.0; };")),
                   NO_SETS);
    EXO_TEST_TRUE(sc && sc->pop[0].ligand_distribution == EXO_LIGANDS_POISSON &&
                  sc->pop[0].ligand_max == ceil(50 + 6 * sqrt(50.0)), "Poisson ligands");
    exo_scenario_destroy(sc);

    /* Cells whose membrane binds: the cell type's slot gets the pair's
     * rates, its cells hold what they capture, one patch per cell. */
    const edit cell_bind[] = {
        {2, "seed = 7; surfaces = ( { name = \"memb\"; behaviour = \"bind\"; " GOOD_RECEPTORS
            " internalization = { rate = \"0.01 /s\"; }; } ); binding = ( " GOOD_PAIR " );"},
        LIGANDS("count = 100;"),
        {23, "  tissue = { placement = \"simple_cubic\"; spacing = \"5 um\"; "
             "cell_types = ( { name = \"a\"; radius = \"1 um\"; surface = \"memb\"; } ); }; };"}};
    sc = load_good(__LINE__, cell_bind, 3, NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "a binding cell membrane loads");
    if (sc) {
        exo_step_params p;
        exo_slot_table t;
        exo_scenario_step_params(sc, 0, &p, &t);
        const int slot = EXO_SLOT_CELL;
        EXO_TEST_EQ_INT(sc->pop[0].binding, 0, "the population binds the cells' receptors");
        EXO_TEST_EQ_INT(p.cell_capture[0], EXO_STATE_BOUND, "cells of type a hold what they capture");
        EXO_TEST_EQ_INT(p.cells_hold, 1, "cells hold vesicles");
        EXO_TEST_NEAR(t.bond_rate[slot], 3.3, 1e-6, "cell slot: bond_rate = k_on sigma_R");
        EXO_TEST_NEAR(t.bind_coef[slot] * 100 / 0.05 / (1e-6 * sqrt(M_PI / 2)), 0.33, 1e-6,
                      "cell slot: capture coefficient as on a wall");
        EXO_TEST_NEAR(t.uptake_rate[slot], 0.01, 1e-9, "cell slot: internalization");
        EXO_TEST_NEAR(t.load_coef[slot], 0, 0, "no shear on cells");
        EXO_TEST_EQ_INT(t.patch_base[slot], 0, "the cells' patches start the table");
        EXO_TEST_EQ_INT(p.depletion, 1, "receptors on cells deplete");
        exo_patch_info *info = NULL;
        uint32_t np = exo_scenario_patches(sc, &info);
        EXO_TEST_EQ_INT(np, sc->n_cells, "one patch per cell");
        EXO_TEST_NEAR(np ? info[0].expected : 0, 100 * 4 * M_PI, 1e-6,
                      "a cell's receptors: density x 4 pi R^2");
        free(info);
        EXO_TEST_EQ_INT(p.bound_moves, 1, "bound vesicles change");
    }
    exo_scenario_destroy(sc);
    /* an adsorbing membrane that keeps what it adsorbs, with desorption */
    sc = load_good(__LINE__,
                   EDITS({2, "seed = 7; surfaces = ( { name = \"grab\"; behaviour = \"adsorb\"; "
                             "kappa = 1.0; desorption_rate = 2.0; } );"},
                         {23, "  tissue = { placement = \"simple_cubic\"; spacing = \"5 um\"; "
                              "cell_types = ( { name = \"a\"; radius = \"1 um\"; surface = "
                              "\"grab\"; } ); }; };"}),
                   NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "an adsorbing cell membrane that holds vesicles loads");
    if (sc) {
        exo_step_params p;
        exo_slot_table t;
        exo_scenario_step_params(sc, 0, &p, &t);
        EXO_TEST_EQ_INT(p.cell_capture[0], EXO_STATE_BOUND, "adsorbed = bound: held");
        EXO_TEST_NEAR(t.desorb_rate[EXO_SLOT_CELL], 2.0, 1e-9, "cell slot: desorption");
        EXO_TEST_EQ_INT(p.bound_moves, 1, "adsorbed vesicles desorb");
    }
    exo_scenario_destroy(sc);
    /* too many cells with depleting receptors: one patch each */
    const edit many[] = {
        cell_bind[0], cell_bind[1],
        {21, "          upper = [450.0, 450.0, 10.0];"},
        {23, "  tissue = { placement = \"simple_cubic\"; spacing = \"1.8 um\"; "
             "cell_types = ( { name = \"a\"; radius = \"0.8 um\"; surface = \"memb\"; } ); }; };"}};
    check_bad(__LINE__, many, 4, NO_SETS, 23,
              NEEDLES("'geometry.tissue'", "cell type \"a\" has depleting receptors",
                      "at most 65536 cells", "set depletion = false"));

    /* bad input */
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR)), NO_SETS, 2,
        "'binding.[0]'", "no population carries ligand \"RGD\"");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
              {17, "    ligands = { type = \"iRGD\"; count = 100; }; }"}), NO_SETS, 17,
        "'vesicles.[0].ligands'", "ligand \"iRGD\" has no pair in binding");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR "," GOOD_PAIR), LIGANDS("count = 1;")),
        NO_SETS, 2, "'binding.[1]'", "the pair RGD-avb3 is already given");
    BAD(EDITS(BIND_SURFACE("receptors = ( { type = \"icam\"; density = 10.0; } );",
                           GOOD_PAIR), LIGANDS("count = 100;")),
        NO_SETS, 2, "'binding.[0]'", "no surface carries receptor \"avb3\"");
    BAD(EDITS(BIND_SURFACE("receptors = ( { type = \"avb3\"; density = \"-5 /um^2\"; } );",
                           GOOD_PAIR), LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].receptors.[0].density'", "must be >= 0");
    BAD(EDITS(BIND_SURFACE("receptors = ( { type = \"avb3\"; density = \"5 um\"; } );",
                           GOOD_PAIR), LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].receptors.[0].density'", "areal density");
    BAD(EDITS(BIND_SURFACE("", GOOD_PAIR), LIGANDS("count = 100;")), NO_SETS, 2,
        "required setting 'surfaces.[0].receptors' not found");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = 0.033; "
                           "bond_length = \"10 nm\"; x_beta = \"0.5 nm\"; }"),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'binding.[0].x_beta'", "give k_off too");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = 0.033; k_off = 1.0; "
                           "bond_length = \"10 nm\"; catch_rate = \"5 /s\"; }"),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'binding.[0].catch_rate'", "needs both catch_rate and catch_length");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = \"1 /s\"; "
                           "bond_length = \"10 nm\"; }"), LIGANDS("count = 100;")),
        NO_SETS, 2, "'binding.[0].k_on'", "an area rate is expected");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = 0.033; }"),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "required setting 'binding.[0].bond_length' not found");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR), LIGANDS("count = -3;")), NO_SETS, 17,
        "'vesicles.[0].ligands.count'", "must be in [0, 65535]");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
              LIGANDS("count = { distribution = \"normal\"; mean = 100.0; };")), NO_SETS, 17,
        "required setting 'vesicles.[0].ligands.count.sd' not found");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
              LIGANDS("count = { distribution = \"poisson\"; mean = 100.0; sd = 3.0; };")),
        NO_SETS, 17, "'vesicles.[0].ligands.count.sd'", "fixed by its mean");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR), LIGANDS("count = 60000;")), NO_SETS,
        17, "'vesicles.[0].ligands'", "at most 255 bonds");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
              {17, "    ligands = { type = \"RGD\"; count = 100; }; }"},
              {2, "seed = 7; surfaces = ( { name = \"endo\"; behaviour = \"bind\"; "
                  GOOD_RECEPTORS " } ); binding = ( { ligand = \"iRGD\"; receptor = "
                  "\"avb3\"; k_on = 0.03; bond_length = 0.01; } );"}),
        NO_SETS, 17, "'vesicles.[0].ligands'", "ligand \"RGD\" has no pair in binding");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " internalization = { rate = \"-1 /s\"; };",
                           GOOD_PAIR), LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].internalization.rate'", "must be >= 0");
    /* the first-bond rate instead of k_on: 31 /s for 100 ligands, a = 50 nm,
     * 100 receptors/um^2 and delta = 10 nm gives k_on = 31 * 0.1 / (100 * 100 *
     * 0.01) = 0.031 um^2/s */
    sc = load_good(__LINE__, EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                                                "{ ligand = \"RGD\"; receptor = \"avb3\"; "
                                                "bond_length = \"10 nm\"; first_bond_rate = { "
                                                "rate = \"31 /s\"; receptor_density = 100.0; "
                                                "ligands = 100.0; radius = \"50 nm\"; }; }"),
                                   LIGANDS("count = 100;")),
                   NO_SETS);
    EXO_TEST_TRUE(sc && fabs(sc->binding[0].k_on - 0.031) < 1e-12,
                  "k_on from first_bond_rate: %g", sc ? sc->binding[0].k_on : -1.0);
    exo_scenario_destroy(sc);
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = 0.03; "
                           "bond_length = 0.01; first_bond_rate = { rate = 31.0; }; }"),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'binding.[0].first_bond_rate'", "either k_on or first_bond_rate");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; bond_length = 0.01; "
                           "first_bond_rate = { rate = 31.0; ligands = 100.0; radius = 0.05; }; }"),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "required setting 'binding.[0].first_bond_rate.receptor_density' not found");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " internalization = { rate = 1.0; min_bonds = 0; };",
                           GOOD_PAIR), LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].internalization.min_bonds'", "must be in [1, 255]");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS,
                           "{ ligand = \"RGD\"; receptor = \"avb3\"; k_on = 0.03; "
                           "bond_length = 0.01; k_off = \"-1 /s\"; }"), LIGANDS("count = 100;")),
        NO_SETS, 2, "'binding.[0].k_off'", "must be >= 0");
    BAD(EDITS({27, "  fields = [\"position\", \"bonds\"];"}), NO_SETS, 27,
        "'output.fields'", "\"bonds\" needs a population that binds to receptors");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " patches = [0, 4];", GOOD_PAIR),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].patches.[0]'", "must be in [1, 4096]");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " patches = 4;", GOOD_PAIR), LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].patches'", "expected [along the axis, around it]");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " depletion = 1;", GOOD_PAIR),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].depletion'", "expected true or false");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " receptor_recovery_rate = \"1 s\";", GOOD_PAIR),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].receptor_recovery_rate'", "a rate is expected");
    BAD(EDITS({5, "  steps = 1000; receptor_update_every = 0;"}), NO_SETS, 5,
        "'simulation.receptor_update_every'", "must be in [1,");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = 1.0; patches = [2, 2]; } );"}),
        NO_SETS, 2, "'surfaces.[0].patches'", "applies only to behaviour = \"bind\"");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = 1.0; " GOOD_RECEPTORS " } );"}),
        NO_SETS, 2, "'surfaces.[0].receptors'", "applies only to behaviour = \"bind\"");
    BAD(EDITS(BIND_SURFACE(GOOD_RECEPTORS " kappa = 1.0;", GOOD_PAIR),
              LIGANDS("count = 100;")),
        NO_SETS, 2, "'surfaces.[0].kappa'", "applies only to behaviour = \"adsorb\"");
}

static void test_wrong_types(void)
{
    BAD(EDITS({14, "    count = \"1000\";"}), NO_SETS, 14,
        "'vesicles.[0].count'", "expected an integer, got a string");
    BAD(EDITS({5, "  steps = 1000.0;"}), NO_SETS, 5,
        "'simulation.steps'", "expected an integer, got a number");
    BAD(EDITS({9, "  temperature = { value = 310.15; };"}), NO_SETS, 9,
        "'medium.temperature'", "expected a temperature (a number in K or a string "
        "with units, e.g. 310.15 K), got a group");
    BAD(EDITS({15, "    radius = true;"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "expected a length", "got a boolean");
    BAD(EDITS({15, "    radius = [50.0];"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "expected a length", "got an array");
    BAD(EDITS({20, "  box = { lower = [0.0, 0.0];"}), NO_SETS, 20,
        "'geometry.box.lower'", "expected 3 values [x, y, z] (lengths in um, or "
        "strings with units in a list, e.g. (\"50 nm\", \"50 nm\", \"50 nm\"))");
    BAD(EDITS({21, "          upper = [10.0, 10.0, 10.0, 10.0];"}), NO_SETS, 21,
        "'geometry.box.upper'", "expected 3 values [x, y, z]");
    BAD(EDITS({21, "          upper = 10.0;"}), NO_SETS, 21,
        "'geometry.box.upper'", "expected 3 values");
    BAD(EDITS({22, "          faces = [\"periodic\", \"periodic\"]; };"}), NO_SETS, 22,
        "'geometry.box.faces'", "expected 3 strings (x, y, z) or 6");
    BAD(EDITS({22, "          faces = [\"periodic\", \"periodic\", \"sticky\"]; };"}),
        NO_SETS, 22, "'geometry.box.faces.[2]'",
        "expected \"periodic\", \"reflect\", \"open\", \"absorb\", got \"sticky\"");
    /* surfaces: what each one needs, and faces that name them */
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"wall\"; } );"}), NO_SETS, 2,
        "required setting 'surfaces.[0].behaviour' not found");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; } );"}),
        NO_SETS, 2, "required setting 'surfaces.[0].kappa' not found", "velocity");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = \"-1 um/s\"; } );"}),
        NO_SETS, 2, "'surfaces.[0].kappa'", "must be >= 0");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = \"1 s\"; } );"}),
        NO_SETS, 2, "'surfaces.[0].kappa'", "velocity");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"absorb\"; "
                  "kappa = 1.0; } );"}),
        NO_SETS, 2, "'surfaces.[0].kappa'", "applies only to behaviour = \"adsorb\"");
    /* desorption: a rate, only where adsorbed vesicles stay */
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = 1.0; desorption_rate = \"-2 /s\"; } );"}),
        NO_SETS, 2, "'surfaces.[0].desorption_rate'", "must be >= 0");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = 1.0; desorption_rate = \"2 um\"; } );"}),
        NO_SETS, 2, "'surfaces.[0].desorption_rate'", "a rate is expected");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"absorb\"; "
                  "desorption_rate = 1.0; } );"}),
        NO_SETS, 2, "'surfaces.[0].desorption_rate'",
        "applies only to behaviour = \"adsorb\"");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = 1.0; adsorbed = \"removed\"; desorption_rate = 1.0; } );"}),
        NO_SETS, 2, "'surfaces.[0].desorption_rate'", "applies only to adsorbed = \"bound\"");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"open\"; behaviour = \"absorb\"; } );"}),
        NO_SETS, 2, "'surfaces.[0].name'", "built-in face behaviour");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"absorb\"; },"
                  " { name = \"w\"; behaviour = \"reflect\"; } );"}),
        NO_SETS, 2, "'surfaces.[1].name'", "already defined");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"sticky\"; } );"}),
        NO_SETS, 2, "'surfaces.[0].behaviour'", "expected one of \"reflect\", \"absorb\"");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"absorb\"; } );"},
              {22, "          faces = [\"periodic\", \"periodic\", \"x\"]; };"}),
        NO_SETS, 22, "'geometry.box.faces.[2]'", "or a surface, \"w\", got \"x\"");
    BAD(EDITS({27, "  fields = \"position\";"}), NO_SETS, 27, "'output.fields'",
        "expected an array of field names");
    BAD(EDITS({27, "  fields = [\"position\", \"velocity\"];"}), NO_SETS, 27,
        "'output.fields.[1]'", "expected one of \"position\", \"state\", \"image\"");
    BAD(EDITS({25, "  file = 5;"}), NO_SETS, 25, "'output.file'",
        "expected a string, got an integer");
    BAD(EDITS({3, "simulation = 5;"}, {4, ""}, {5, ""}, {6, ""}, {7, ""}), NO_SETS, 3,
        "'simulation'",
        "expected a group { ... }, got an integer");
    BAD(EDITS({12, "vesicles = { count = 1000; };"}, {13, ""}, {14, ""}, {15, ""},
              {16, ""}, {17, ""}, {18, ""}), NO_SETS, 12, "'vesicles'",
        "expected a list of one or more populations", "got a group");
    BAD(EDITS({12, "vesicles = ( );"}, {13, ""}, {14, ""}, {15, ""}, {16, ""},
              {17, ""}, {18, ""}), NO_SETS, 12, "'vesicles'", "got an empty list");
    BAD(EDITS({16, "    start = \"box\";"}), NO_SETS, 16, "'vesicles.[0].start'",
        "expected a group");
    BAD(EDITS({1, "name = \"a b\";"}), NO_SETS, 1, "'name'",
        "expected 1 to 63 letters, digits");
    BAD(EDITS({6, "  integrator = \"verlet\";"}), NO_SETS, 6, "'simulation.integrator'",
        "expected one of \"overdamped\", \"underdamped\", got \"verlet\"");
}

static void test_units_in_strings(void)
{
    BAD(EDITS({15, "    radius = \"50 kg\";"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "'50 kg' is a mass, but a length is expected here");
    BAD(EDITS({4, "  dt = \"1 um\";"}), NO_SETS, 4, "'simulation.dt'",
        "'1 um' is a length, but a time is expected here");
    BAD(EDITS({4, "  dt = \"fast\";"}), NO_SETS, 4, "'simulation.dt'",
        "'fast' does not start with a number", "a time is expected");
    BAD(EDITS({15, "    radius = \"50\";"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "'50' has no unit", "e.g. \"50 nm\"");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa\";"}), NO_SETS, 10, "'medium.viscosity'",
        "a viscosity is expected");
    BAD(EDITS({9, "  temperature = \"310 kelvin\";"}), NO_SETS, 9,
        "'medium.temperature'", "unknown unit");
    BAD(EDITS({20, "  box = { lower = (0.0, \"1 s\", 0.0);"}), NO_SETS, 20,
        "'geometry.box.lower.[1]'", "a length is expected");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; "
                   "sigma = \"0.3 nm\"; };"}), NO_SETS, 15,
        "'vesicles.[0].radius.sigma'", "a number is expected");
    /* not finite */
    BAD(EDITS({15, "    radius = \"nan nm\";"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "not finite");
    BAD(EDITS({4, "  dt = \"inf s\";"}), NO_SETS, 4, "'simulation.dt'", "not finite");
    BAD(EDITS({9, "  temperature = \"-inf K\";"}), NO_SETS, 9, "'medium.temperature'",
        "not finite");
}

static void test_ranges(void)
{
    /* clearance: exactly one of rate and half_life, positive */
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; clearance = { rate = \"1 /s\"; "
                   "half_life = \"1 s\"; };"}), NO_SETS, 10, "'medium.clearance'",
        "give one of 'rate'");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; clearance = { };"}), NO_SETS, 10,
        "'medium.clearance'", "give one of 'rate'");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; clearance = { rate = \"-1 /s\"; };"}),
        NO_SETS, 10, "'medium.clearance.rate'", "must be > 0");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; clearance = { half_life = \"2 nm\"; };"}),
        NO_SETS, 10, "'medium.clearance.half_life'", "a time is expected");
    BAD(EDITS({15, "    radius = \"-5 nm\";"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "must be > 0 (got -0.005 um)");
    BAD(EDITS({15, "    radius = 0;"}), NO_SETS, 15, "'vesicles.[0].radius'",
        "must be > 0 (got 0 um)");
    BAD(EDITS({4, "  dt = -1;"}), NO_SETS, 4, "'simulation.dt'", "must be > 0 (got -1 s)");
    BAD(EDITS({4, "  dt = 0;"}), NO_SETS, 4, "'simulation.dt'", "must be > 0 (got 0 s)");
    BAD(EDITS({4, "  dt = \"0 us\";"}), NO_SETS, 4, "'simulation.dt'", "must be > 0");
    BAD(EDITS({14, "    count = 0;"}), NO_SETS, 14, "'vesicles.[0].count'",
        "must be in [1, 4294967295] (got 0)");
    BAD(EDITS({14, "    count = -5;"}), NO_SETS, 14, "'vesicles.[0].count'",
        "must be in [1, 4294967295] (got -5)");
    BAD(EDITS({14, "    count = 5000000000L;"}), NO_SETS, 14, "'vesicles.[0].count'",
        "must be in [1, 4294967295] (got 5000000000)");
    /* libconfig wraps 32-bit integers silently; exobd refuses them */
    BAD(EDITS({14, "    count = 5000000000;"}), NO_SETS, 14,
        "the integer 5000000000 does not fit 32 bits", "5000000000L");
    BAD(NO_EDITS, SETS("vesicles.[0].count=5000000000"), AT_SET,
        "--set vesicles.[0].count=5000000000", "does not fit 32 bits");
    BAD(EDITS({14, "    count = 1.5;"}), NO_SETS, 14, "'vesicles.[0].count'",
        "expected an integer, got a number");
    BAD(EDITS({14, "    count = 1e3;"}), NO_SETS, 14, "'vesicles.[0].count'",
        "expected an integer");
    BAD(EDITS({9, "  temperature = \"-10 K\";"}), NO_SETS, 9, "'medium.temperature'",
        "must be > 0 (got -10 K)");
    BAD(EDITS({9, "  temperature = 0;"}), NO_SETS, 9, "'medium.temperature'",
        "must be > 0");
    BAD(EDITS({9, "  temperature = \"-300 degC\";"}), NO_SETS, 9,
        "'medium.temperature'", "must be > 0");
    BAD(EDITS({10, "  viscosity = 0.0;"}), NO_SETS, 10, "'medium.viscosity'",
        "must be > 0 (got 0 Pa s)");
    BAD(EDITS({10, "  viscosity = \"-1 mPa s\";"}), NO_SETS, 10, "'medium.viscosity'",
        "must be > 0");
    BAD(EDITS({29, "  compression = 10;"}), NO_SETS, 29, "'output.compression'",
        "must be in [0, 9] (got 10)");
    BAD(EDITS({28, "  sample = 0;"}), NO_SETS, 28, "'output.sample'",
        "must be in [1,");
    BAD(EDITS({26, "  every = -1;"}), NO_SETS, 26, "'output.every'", "must be in [0,");
    BAD(EDITS({2, "seed = -1;"}), NO_SETS, 2, "'seed'", "must be in [0,");
    BAD(EDITS({5, "  steps = 0;"}), NO_SETS, 5, "'simulation.steps'", "must be in [1,");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; "
                   "sigma = 0; };"}), NO_SETS, 15,
        "'vesicles.[0].radius.sigma'", "must be > 0 (got 0)");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; "
                   "sigma = 0.3; min = \"60 nm\"; };"}), NO_SETS, 15,
        "setting 'vesicles.[0].radius'", "needs min <= median <= max");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; "
                   "sigma = 0.3; max = \"40 nm\"; };"}), NO_SETS, 15,
        "setting 'vesicles.[0].radius'", "needs min <= median <= max");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; "
                   "sigma = 0.3; min = \"50 nm\"; max = \"50 nm\"; };"}), NO_SETS, 15,
        "'vesicles.[0].radius'", "min and max are equal");
    BAD(EDITS({15, "    radius = { distribution = \"normal\"; median = \"50 nm\"; "
                   "sigma = 0.3; };"}), NO_SETS, 15,
        "'vesicles.[0].radius.distribution'", "expected one of \"lognormal\"");
}

static void test_geometry(void)
{
    BAD(EDITS({21, "          upper = [10.0, 0.0, 10.0];"}), NO_SETS, 21,
        "'geometry.box.upper'", "impossible box: upper y = 0 um is not above lower "
        "y = 0 um");
    BAD(EDITS({21, "          upper = [-1.0, 10.0, 10.0];"}), NO_SETS, 21,
        "'geometry.box.upper'", "impossible box: upper x = -1 um");
    BAD(EDITS({22, "          faces = [\"periodic\", \"reflect\", \"periodic\", "
                   "\"periodic\", \"reflect\", \"reflect\"]; };"}), NO_SETS, 22,
        "'geometry.box.faces'", "axis x: periodic must apply to both faces");
    BAD(EDITS({22, "          faces = [\"reflect\", \"reflect\", \"open\", "
                   "\"periodic\", \"reflect\", \"reflect\"]; };"}), NO_SETS, 22,
        "axis y: periodic must apply to both faces");
    BAD(EDITS({16, "    start = { kind = \"point\"; position = [20.0, 5.0, 5.0]; };"}),
        NO_SETS, 16, "'vesicles.[0].start.position'",
        "the start point (20, 5, 5) um is outside the box");
    BAD(EDITS({16, "    start = { kind = \"point\"; };"}), NO_SETS, 16,
        "required setting 'vesicles.[0].start.position' not found");
    BAD(EDITS({16, "    start = { kind = \"point\"; position = [1.0, 1.0, 1.0]; "
                   "lower = [0.0, 0.0, 0.0]; };"}), NO_SETS, 16,
        "'vesicles.[0].start.lower'", "does not apply to kind = \"point\" in the box");
    BAD(EDITS({16, "    start = { kind = \"uniform\"; position = [1.0, 1.0, 1.0]; };"}),
        NO_SETS, 16, "'vesicles.[0].start.position'", "does not apply to kind = \"uniform\" in the box");
    BAD(EDITS({16, "    start = { kind = \"uniform\"; lower = [-1.0, 0.0, 0.0]; };"}),
        NO_SETS, 16, "'vesicles.[0].start.lower'", "the start region must lie inside "
        "the box");
    BAD(EDITS({16, "    start = { upper = [5.0, 5.0, 11.0]; };"}), NO_SETS, 16,
        "'vesicles.[0].start.upper'", "must lie inside the box");
    BAD(EDITS({16, "    start = { lower = [5.0, 5.0, 5.0]; upper = [1.0, 6.0, 6.0]; };"}),
        NO_SETS, 16, "setting 'vesicles.[0].start'",
        "start region: upper x = 1 um is below lower x = 5 um");
    BAD(EDITS({16, "    start = { kind = \"spiral\"; };"}), NO_SETS, 16,
        "'vesicles.[0].start.kind'", "expected one of \"uniform\", \"point\"");
    BAD(EDITS({16, "    start = { region = \"vessel\"; };"}), NO_SETS, 16,
        "'vesicles.[0].start.region'", "expected a region of the geometry (\"box\"), got \"vessel\"");
    /* "image" needs a periodic axis */
    BAD(EDITS({22, "          faces = [\"reflect\", \"reflect\", \"reflect\"]; };"},
              {27, "  fields = [\"position\", \"image\"];"}), NO_SETS, 27,
        "'output.fields'", "\"image\" needs a periodic box axis");
    /* flow */
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; flow = { kind = \"uniform\"; };"}),
        NO_SETS, 10, "required setting 'medium.flow.velocity' not found");
    BAD(EDITS({10, "  viscosity = \"1.2 mPa s\"; flow = { velocity = (1.0, \"1 um\", "
                   "0.0); };"}), NO_SETS, 10, "'medium.flow.velocity.[1]'",
        "a velocity is expected");
}

static void test_time(void)
{
    BAD(EDITS({5, "  steps = 1000; duration = \"1 ms\";"}), NO_SETS, 5,
        "'simulation.duration'", "give either 'steps' or 'duration', not both");
    BAD(EDITS({5, ""}), NO_SETS, 3, "required setting 'simulation.steps' not found",
        "'steps' (an integer) or 'duration' (a time)");
    BAD(EDITS({5, "  duration = \"2.5 us\";"}), NO_SETS, 5, "'simulation.duration'",
        "must be a whole number (>= 1) of time steps dt = 1e-06 s", "2.5 steps");
    BAD(EDITS({5, "  duration = \"0.4 us\";"}), NO_SETS, 5, "'simulation.duration'",
        "must be a whole number (>= 1)");
    BAD(EDITS({5, "  duration = 0;"}), NO_SETS, 5, "'simulation.duration'",
        "must be > 0");
    BAD(EDITS({6, "  integrator = \"underdamped\";"}), NO_SETS, 6,
        "'simulation.integrator'", "the underdamped integrator is not available in "
        "exobd " EXOBD_VERSION_STRING " yet", "use \"overdamped\"");
}

static void test_missing(void)
{
    BAD(EDITS({4, ""}), NO_SETS, 3, "required setting 'simulation.dt' not found",
        "expected a time, e.g. 1 us");
    BAD(EDITS({3, ""}, {4, ""}, {5, ""}, {6, ""}, {7, ""}), NO_SETS, AT_FILE,
        "required setting 'simulation' not found (expected a group");
    BAD(EDITS({12, ""}, {13, ""}, {14, ""}, {15, ""}, {16, ""}, {17, ""}, {18, ""}),
        NO_SETS, AT_FILE, "required setting 'vesicles' not found",
        "a list of populations");
    BAD(EDITS({19, ""}, {20, ""}, {21, ""}, {22, ""}, {23, ""}), NO_SETS, AT_FILE,
        "required setting 'geometry' not found");
    BAD(EDITS({20, ""}, {21, ""}, {22, ""}), NO_SETS, 19,
        "required setting 'geometry.box' not found (expected a group");
    BAD(EDITS({20, "  box = {"}), NO_SETS, 20,
        "required setting 'geometry.box.lower' not found", "lower corner");
    BAD(EDITS({21, ""}), NO_SETS, 20, "required setting 'geometry.box.upper' not found");
    BAD(EDITS({14, ""}), NO_SETS, 13,
        "required setting 'vesicles.[0].count' not found", "an integer > 0");
    BAD(EDITS({15, ""}), NO_SETS, 13,
        "required setting 'vesicles.[0].radius' not found", "a length");
    BAD(EDITS({15, "    radius = { median = \"50 nm\"; sigma = 0.3; };"}), NO_SETS, 15,
        "required setting 'vesicles.[0].radius.distribution' not found");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; };"}),
        NO_SETS, 15, "required setting 'vesicles.[0].radius.sigma' not found");
    BAD(EDITS({15, "    radius = { distribution = \"lognormal\"; sigma = 0.3; };"}),
        NO_SETS, 15, "required setting 'vesicles.[0].radius.median' not found");
    /* the second population is checked too, and named by its index */
    BAD(EDITS({17, "  }, { name = \"b\"; count = 10; }"}), NO_SETS, 17,
        "required setting 'vesicles.[1].radius' not found");
}

static void test_syntax_and_files(void)
{
    BAD(EDITS({10, "  viscosity = = 3;"}), NO_SETS, 10, "syntax error");
    BAD(EDITS({14, "    count = 1000 1000;"}), NO_SETS, 14, "syntax error");
    BAD(EDITS({31, "}; }"}), NO_SETS, 31, "syntax error");

    /* a file that does not exist */
    exo_error err;
    exo_scenario *sc = NULL;
    memset(&err, 0, sizeof err);
    const char *path = "/nonexistent/exobd-test/none.cfg";
    exo_status st = exo_scenario_load(&sc, path, NULL, 0, &err);
    check_message(__LINE__, st, sc, &err, path, AT_NONE,
                  NEEDLES("cannot read scenario '/nonexistent/exobd-test/none.cfg'",
                          "No such file or directory"));
}

static void test_set_errors(void)
{
    BAD(NO_EDITS, SETS("vesicles.[0].raduis=5"), AT_SET,
        "--set vesicles.[0].raduis=5: setting 'vesicles.[0].raduis': unknown setting",
        "did you mean 'radius'");
    BAD(NO_EDITS, SETS("sed=5"), AT_SET, "--set sed=5: setting 'sed'",
        "did you mean 'seed'");
    /* a typo in a group name creates a group that no line names */
    BAD(NO_EDITS, SETS("simulaton.dt=1"), AT_SET, "--set simulaton.dt=1",
        "setting 'simulaton': unknown setting", "did you mean 'simulation'");
    BAD(NO_EDITS, SETS("sweep.x=1"), AT_SET, "--set sweep.x=1",
        "setting 'sweep.x': unknown setting", "known here: population, parameters");
    BAD(NO_EDITS, SETS("simulation.dt"), AT_NONE,
        "--set expects PATH=VALUE (e.g. --set vesicles.[0].count=1000), got "
        "'simulation.dt'");
    BAD(NO_EDITS, SETS("=5"), AT_NONE, "--set expects PATH=VALUE");
    BAD(NO_EDITS, SETS("simulation.dt=-1"), AT_SET,
        "--set simulation.dt=-1: setting 'simulation.dt'", "must be > 0");
    BAD(NO_EDITS, SETS("simulation.dt=\"1 kg\""), AT_SET,
        "--set simulation.dt=\"1 kg\"", "a time is expected");
    BAD(NO_EDITS, SETS("simulation.dt=2 furlongs"), AT_SET, "'simulation.dt'",
        "unknown unit 'furlongs'");
    BAD(NO_EDITS, SETS("vesicles.[0].count=0"), AT_SET,
        "--set vesicles.[0].count=0", "must be in [1,");
    BAD(NO_EDITS, SETS("vesicles.[3].count=5"), AT_SET,
        "--set vesicles.[3].count=5: there is no list element [3] here");
    BAD(NO_EDITS, SETS("simulation.dt=\"2 us"), AT_SET, "cannot parse the value");
    BAD(NO_EDITS, SETS("seed.x=1"), AT_SET, "--set seed.x=1: the setting's parent is not a group");
    BAD(NO_EDITS, SETS("geometry.box.lower.[1]=3"), AT_SET,
        "can set named settings only");
    /* the message names the --set that made the value, not an earlier one
     * for the same setting */
    BAD(NO_EDITS, SETS("simulation.dt=1", "simulation.dt=-1"), AT_SET,
        "--set simulation.dt=-1: setting 'simulation.dt': must be > 0");
    BAD(NO_EDITS, SETS("simulation.dt=-1", "simulation={dt=-2; steps=10;}"), AT_SET,
        "--set simulation={dt=-2; steps=10;}: setting 'simulation.dt': must be > 0 "
        "(got -2 s)");
    BAD(NO_EDITS, SETS("medium.flow.kind=uniform"), AT_SET,
        "--set medium.flow.kind=uniform: required setting 'medium.flow.velocity'");
    /* an override that makes the run impossible is reported at the --set */
    BAD(NO_EDITS, SETS("geometry.box.upper=[10.0, 10.0, -1.0]"), AT_SET,
        "impossible box: upper z");
}

/* ------------------------------------------------------------ good input */

static void test_demo(void)
{
    exo_error err;
    exo_scenario *sc = NULL;
    memset(&err, 0, sizeof err);
    const char *path = EXO_SOURCE_DIR "/scenarios/free_diffusion.cfg";
    exo_status st = exo_scenario_load(&sc, path, NULL, 0, &err);
    EXO_TEST_TRUE(st == EXO_OK && sc != NULL, "the demo %s was rejected: %s", path,
                  err.msg);
    if (sc == NULL)
        return;
    EXO_TEST_TRUE(strcmp(sc->name, "free_diffusion") == 0, "name '%s'", sc->name);
    EXO_TEST_EQ_INT(sc->seed, 42, "seed");
    EXO_TEST_EQ_INT(exo_scenario_vesicle_count(sc), 1000000, "n_vesicles");
    EXO_TEST_EQ_INT(sc->n_pop, 1, "populations");
    EXO_TEST_TRUE(strcmp(sc->pop[0].name, "exosomes") == 0, "population '%s'",
                  sc->pop[0].name);
    EXO_TEST_EQ_INT(sc->pop[0].count, 1000000, "population count");
    EXO_TEST_EQ_INT(sc->pop[0].first, 0, "population first id");
    EXO_TEST_EQ_INT(sc->pop[0].distribution, EXO_RADIUS_FIXED, "radius distribution");
    EXO_TEST_NEAR(sc->pop[0].radius_median, 0.05, 1e-15, "radius (um)");
    /* The demo's time step is tuned (1 us, 1000 steps at first; 5 us, 200
     * steps later); what it promises is 1 ms of simulated time in 11 frames
     * and a D of 3.786 um^2/s, so those are checked, not dt itself. */
    double dt = exo_scenario_dt(sc);
    printf("demo: dt = %g s, %llu steps, every %llu, observables every %llu\n", dt,
           (unsigned long long)exo_scenario_steps(sc),
           (unsigned long long)sc->output_every,
           (unsigned long long)sc->observables_every);
    EXO_TEST_TRUE(dt >= 1e-7 && dt <= 1e-5, "dt = %g s, expected 0.1 to 10 us", dt);
    EXO_TEST_NEAR(dt * (double)exo_scenario_steps(sc), 1e-3, 1e-12,
                  "simulated time dt * steps (s)");
    EXO_TEST_TRUE(dt != 1e-6 || exo_scenario_steps(sc) == 1000, "dt 1 us: %llu steps",
                  (unsigned long long)exo_scenario_steps(sc));
    EXO_TEST_NEAR(sc->temperature, 310.15, 1e-12, "temperature (K)");
    EXO_TEST_NEAR(sc->viscosity, 1.2e-3, 1e-18, "viscosity (Pa s)");
    for (int a = 0; a < 3; a++) {
        EXO_TEST_NEAR(sc->box_lo[a], 0.0, 0.0, "box lower (um)");
        EXO_TEST_NEAR(sc->box_hi[a], 100.0, 0.0, "box upper (um)");
        EXO_TEST_NEAR(sc->flow[a], 0.0, 0.0, "flow (um/s)");
        EXO_TEST_NEAR(sc->pop[0].start_lo[a], 0.0, 0.0, "start region lower");
        EXO_TEST_NEAR(sc->pop[0].start_hi[a], 100.0, 0.0, "start region upper");
    }
    EXO_TEST_EQ_INT(sc->pop[0].start_point, 0, "uniform start");
    static const int faces[6] = {EXO_FACE_PERIODIC, EXO_FACE_PERIODIC,
                                 EXO_FACE_PERIODIC, EXO_FACE_PERIODIC,
                                 EXO_FACE_REFLECT,  EXO_FACE_REFLECT};
    for (int f = 0; f < 6; f++)
        EXO_TEST_EQ_INT(sc->face[f], faces[f], "face (x-, x+, y-, y+, z-, z+)");
    EXO_TEST_TRUE(strcmp(sc->output_file, "free_diffusion.h5") == 0,
                  "output file '%s'", sc->output_file);
    EXO_TEST_EQ_INT(sc->output_every, sc->steps / 10, "output.every (10 intervals)");
    EXO_TEST_EQ_INT(sc->output_fields,
                    EXO_FIELD_POSITION | EXO_FIELD_STATE | EXO_FIELD_IMAGE,
                    "output.fields");
    EXO_TEST_EQ_INT(sc->output_sample, 100000, "output.sample");
    EXO_TEST_EQ_INT(sc->output_compression, 1, "output.compression");
    EXO_TEST_TRUE(sc->observables_every >= 1 &&
                  sc->observables_every <= sc->output_every &&
                  sc->output_every % sc->observables_every == 0,
                  "observables_every %llu: a divisor of every",
                  (unsigned long long)sc->observables_every);
    EXO_TEST_EQ_INT(exo_scenario_frames(sc), 11, "frames of the demo");
    EXO_TEST_TRUE(strcmp(sc->source, path) == 0, "source '%s'", sc->source);
    EXO_TEST_TRUE(sc->resolved_text != NULL &&
                  strstr(sc->resolved_text, "free_diffusion") != NULL,
                  "resolved text: %s", sc->resolved_text ? sc->resolved_text : "(null)");

    /* Derived: D of a 50-nm-radius vesicle in plasma at 310.15 K,
     * PHYSICS.md: 3.786e-12 m^2/s; 3.7862 is quoted to 4 digits. */
    double D = exo_scenario_D(sc, 0.05);
    EXO_TEST_NEAR(D, 3.7862, 4e-4 * 3.7862, "D (um^2/s) at a = 50 nm, plasma, 310.15 K");
    EXO_TEST_NEAR(exo_scenario_kT(sc), 4.2821e-3, 1e-4 * 4.2821e-3, "kT (pN um)");
    exo_scenario_destroy(sc);

    /* the demo with a smaller population (sample is capped at the count) */
    sc = NULL;
    memset(&err, 0, sizeof err);
    const char *sets[] = {"vesicles.[0].count=1000"};
    st = exo_scenario_load(&sc, path, sets, 1, &err);
    EXO_TEST_TRUE(st == EXO_OK && sc != NULL, "demo with --set %s rejected: %s",
                  sets[0], err.msg);
    if (sc) {
        EXO_TEST_EQ_INT(exo_scenario_vesicle_count(sc), 1000, "count after --set");
        EXO_TEST_EQ_INT(sc->output_sample, 1000, "output.sample capped at the count");
    }
    exo_scenario_destroy(sc);
}

/* A vessel instead of the box (lines 19-23 of the base scenario), the
 * population starting in it (line 16; a later edit of line 16 wins). */
#define VESSEL(extra)                                                         \
    {19, "geometry = { vessels = ( { name = \"cap\"; radius = \"4 um\"; "     \
         "length = \"100 um\"; origin = [0.0, 0.0, 0.0]; " extra " } ); };"},  \
    {20, ""}, {21, ""}, {22, ""}, {23, ""},                                 \
    {16, "    start = { region = \"cap\"; };"}

/* --set simulation.steps replaces a duration, and the reverse. */
static void test_set_steps_duration(void)
{
    exo_scenario *sc = load_good(__LINE__, EDITS({5, "  duration = \"1 ms\";"}),
                                 SETS("simulation.steps=50"));
    EXO_TEST_TRUE(sc && sc->steps == 50, "--set steps over a duration");
    exo_scenario_destroy(sc);
    sc = load_good(__LINE__, NO_EDITS, SETS("simulation.duration=\"2 ms\""));
    EXO_TEST_TRUE(sc && sc->steps == 2000, "--set duration over steps");
    exo_scenario_destroy(sc);
}

static void test_vessels(void)
{
    exo_scenario *sc;
    /* bad input: each names the setting and what was expected */
    BAD(EDITS(VESSEL(""), {15, "    radius = \"5 um\";"}), NO_SETS, 16,
        "vessel \"cap\" (radius 4 um) is not wider than the vesicles (radius up to 5 um)");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"cap\"; kind = \"point\"; "
                               "position = [3.99, 0.0, 1.0]; };"}),
        NO_SETS, 16, "'vesicles.[0].start.position'", "outside the lumen of \"cap\"");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"vein\"; };"}), NO_SETS, 16,
        "'vesicles.[0].start.region'", "expected a region of the geometry (\"cap\"), "
        "got \"vein\"");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"box\"; };"}), NO_SETS, 16,
        "'vesicles.[0].start.region'", "got \"box\"");
    BAD(EDITS(VESSEL("ends = [\"periodic\", \"open\"];")), NO_SETS, 19,
        "'geometry.vessels.[0].ends'", "periodic must apply to both ends");
    BAD(EDITS(VESSEL("wall = \"open\";")), NO_SETS, 19,
        "'geometry.vessels.[0].wall'", "expected \"reflect\", \"absorb\", got \"open\"");
    BAD(EDITS(VESSEL("flow = { mean_velocity = \"1 mm/s\"; flow_rate = 1.0; };")), NO_SETS,
        19, "exactly one of mean_velocity, flow_rate or pressure_drop");
    BAD(EDITS(VESSEL("flow = { mean_velocity = \"1 mm\"; };")), NO_SETS, 19,
        "'geometry.vessels.[0].flow.mean_velocity'", "velocity");
    /* infusion: 1e6 /s for 1 ms (steps 1000 x 1 us) brings 1000 on average;
     * 1000 slots are fewer than 1000 + 4 sqrt(1000) + 1 */
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"cap\"; }; infusion = { rate = \"1e6 /s\"; };"}),
        NO_SETS, 16, "'vesicles.[0].infusion'", "brings 1000 vesicles on average",
        "set count >= 1128");
    BAD(EDITS({16, "    infusion = { rate = \"1 /s\"; };"}), NO_SETS, 16,
        "'vesicles.[0].infusion'", "enters through a vessel's inlet");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"cap\"; kind = \"slab\"; thickness = 1.0; };"
                               " infusion = { rate = \"1 /s\"; };"}),
        NO_SETS, 16, "'vesicles.[0].infusion'", "its start takes only region");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"cap\"; }; infusion = { rate = \"-1 /s\"; };"}),
        NO_SETS, 16, "'vesicles.[0].infusion.rate'", "must be > 0");
    BAD(EDITS(VESSEL("hindered = \"yes\";")), NO_SETS, 19,
        "'geometry.vessels.[0].hindered'", "expected true or false, got a string");
    BAD(EDITS({2, "seed = 7; surfaces = ( { name = \"w\"; behaviour = \"adsorb\"; "
                  "kappa = 1.0; desorption_rate = 1.0; } );"},
              VESSEL("hindered = true; regions = ( { name = \"t\"; from = 1.0; to = 2.0; "
                     "wall = \"w\"; } );")),
        NO_SETS, 19, "'geometry.vessels.[0].hindered'",
        "cannot be combined with desorption (surface \"w\")");
    BAD(EDITS(VESSEL("axis = [0.0, 0.0, 0.0];")), NO_SETS, 19, "'geometry.vessels.[0].axis'",
        "a direction [dx, dy, dz] that is not zero");
    BAD(EDITS(VESSEL("axis = [1.0, 1.0];")), NO_SETS, 19, "'geometry.vessels.[0].axis'",
        "expected 3 values [x, y, z]");
    BAD(EDITS(VESSEL("axis = [1.0, 1.0, 0.0]; ends = \"periodic\";")), NO_SETS, 19,
        "'geometry.vessels.[0].ends'", "periodic ends need an axis along +x, +y or +z");
    BAD(EDITS(VESSEL("axis = [0.0, 0.0, -1.0]; ends = \"periodic\";")), NO_SETS, 19,
        "'geometry.vessels.[0].ends'", "this vessel's axis is (0, 0, -1)");
    BAD(EDITS(VESSEL("axis = \"w\";")), NO_SETS, 19, "'geometry.vessels.[0].axis'",
        "expected one of \"x\", \"y\", \"z\"");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"cap\"; kind = \"slab\"; "
                               "thickness = \"200 um\"; };"}),
        NO_SETS, 16, "'vesicles.[0].start.thickness'", "longer than the vessel");
    BAD(EDITS(VESSEL(""), {16, "    start = { region = \"cap\"; lower = [0.0, 0.0, 0.0]; };"}),
        NO_SETS, 16, "'vesicles.[0].start.lower'", "in a vessel");
    BAD(EDITS(VESSEL("regions = ( { name = \"t\"; from = \"90 um\"; to = \"120 um\"; } );")),
        NO_SETS, 19, "'geometry.vessels.[0].regions.[0]'",
        "region \"t\" [90, 120) um must lie within the vessel [0, 100] um");
    BAD(EDITS(VESSEL("regions = ( { name = \"t\"; from = 10.0; to = 30.0; }, "
                     "{ name = \"u\"; from = 20.0; to = 40.0; } );")),
        NO_SETS, 19, "'geometry.vessels.[0].regions.[1]'", "overlaps region \"t\"");
    BAD(EDITS(VESSEL("regions = ( { name = \"t\"; from = 10.0; to = 30.0; wall = \"x\"; } );")),
        NO_SETS, 19, "'geometry.vessels.[0].regions.[0].wall'", "got \"x\"");
    BAD(EDITS(VESSEL("regions = ( { name = \"t\"; from = 10.0; to = 30.0; }, "
                     "{ name = \"t\"; from = 40.0; to = 50.0; } );")),
        NO_SETS, 19, "'geometry.vessels.[0].regions.[1].name'", "already defined");
    BAD(EDITS({19, "geometry = { vessels = ( { name = \"cap\"; length = 1.0; "
                   "origin = [0.0, 0.0, 0.0]; } ); };"}, {20, ""}, {21, ""}, {22, ""},
              {23, ""}),
        NO_SETS, 19, "required setting 'geometry.vessels.[0].radius' not found");

    /* flow as mean velocity, flow rate (U = Q / (pi R^2)) or pressure drop
     * (U = dp R^2 / (8 eta L)) */
    const char *flows[3] = {"flow = { mean_velocity = \"1 mm/s\"; };",
                            "flow = { flow_rate = \"50.26548 pL/s\"; };",
                            "flow = { pressure_drop = \"600 Pa\"; };"};
    for (int k = 0; k < 3; k++) {
        char line[512];
        snprintf(line, sizeof line,
                 "geometry = { vessels = ( { name = \"cap\"; radius = \"4 um\"; "
                 "length = \"100 um\"; origin = [0.0, 0.0, 0.0]; axis = \"z\"; %s } ); };",
                 flows[k]);
        /* no region: the only vessel */
        sc = load_good(__LINE__, EDITS({19, line}, {20, ""}, {21, ""}, {22, ""}, {23, ""},
                                       {16, "    start = { kind = \"uniform\"; };"}),
                       NO_SETS);
        EXO_TEST_TRUE(sc != NULL, "vessel scenario %d rejected", k);
        if (sc) {
            /* 600 Pa over 100 um in plasma: 600 * 16 / (8 * 1.2e-3 * 100) um/s. */
            double U = k < 2 ? 1000.0 : 600.0 * 16.0 / (8 * 1.2e-3 * 100.0);
            EXO_TEST_NEAR(sc->vessel[0].mean_velocity, U, 1e-4 * U, "vessel mean velocity");
            EXO_TEST_EQ_INT(sc->pop[0].vessel, 0, "population in the vessel (no box)");
            EXO_TEST_EQ_INT(sc->has_box, 0, "no box");
            EXO_TEST_NEAR(sc->box_hi[2], 100.0, 1e-12, "bounding box z");
            exo_step_params p;
            exo_scenario_step_params(sc, 0, &p, NULL);
            EXO_TEST_EQ_INT(p.domain, EXO_DOMAIN_VESSEL, "vessel domain");
            EXO_TEST_NEAR(p.v_umax_dt, 2 * U * 1e-6, 1e-6 * U * 1e-6, "2 U dt");
        }
        exo_scenario_destroy(sc);
    }
}

static void test_values(void)
{
    exo_scenario *sc;

    /* surfaces named by box faces; the per-contact adsorption probability
     * (PHYSICS.md 4.3 worked example: kappa = 1e-5 m/s, 100 nm in plasma,
     * dt = 1 us: Erban-Chapman P = 0.0091, halved with bridge contacts) */
    sc = load_good(__LINE__,
                   EDITS({2, "seed = 7; surfaces = ( { name = \"sticky\"; behaviour = "
                             "\"adsorb\"; kappa = \"1e-5 m/s\"; adsorbed = \"removed\"; },"
                             " { name = \"sink\"; behaviour = \"absorb\"; } );"},
                         {22, "          faces = [\"sticky\", \"sink\", \"periodic\", "
                              "\"periodic\", \"reflect\", \"open\"]; };"}),
                   NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "scenario with surfaces rejected");
    if (sc) {
        EXO_TEST_EQ_INT(sc->n_surfaces, 2, "surfaces");
        EXO_TEST_EQ_INT(sc->face[0], EXO_FACE_ADSORB, "face x- adsorbs");
        EXO_TEST_EQ_INT(sc->face[1], EXO_FACE_ABSORB, "face x+ absorbs");
        EXO_TEST_EQ_INT(sc->face[5], EXO_FACE_OPEN, "face z+ open");
        EXO_TEST_EQ_INT(sc->face_surface[0], 0, "face x- names surface 0");
        EXO_TEST_NEAR(sc->surface[0].kappa, 10.0, 1e-12, "kappa (um/s)");
        EXO_TEST_NEAR(exo_scenario_adsorb_probability(sc, 10.0, 0.05), 0.0091 / 2,
                      0.00005, "adsorption probability per contact");
        exo_step_params p;
        exo_scenario_step_params(sc, 0, &p, NULL);
        EXO_TEST_NEAR(p.adsorb_coef[0] / exo_step_sigma(p.sigma_coef, 0.05f),
                      exo_scenario_adsorb_probability(sc, 10.0, 0.05), 1e-6,
                      "device coefficient / sigma = the probability");
        EXO_TEST_EQ_INT(p.adsorb_state[0], EXO_STATE_ABSORBED, "adsorbed = removed");
    }
    exo_scenario_destroy(sc);

    /* big numbers in comments and strings are not integer literals; an L
     * suffix or a decimal point makes a large value fine */
    sc = load_good(__LINE__, EDITS({2, "seed = 7; # 5000000000 in a comment"},
                                   {13, "  { name = \"x9999999999\"; /* 9999999999 */"}),
                   NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "large numbers in comments or strings rejected");
    exo_scenario_destroy(sc);
    sc = load_good(__LINE__, EDITS({2, "seed = 5000000000L;"}), NO_SETS);
    EXO_TEST_TRUE(sc && sc->seed == 5000000000ull, "seed = 5000000000L");
    exo_scenario_destroy(sc);

    sc = load_good(__LINE__, NO_EDITS, NO_SETS);
    if (sc) {
        EXO_TEST_TRUE(strcmp(sc->name, "t") == 0, "name '%s'", sc->name);
        EXO_TEST_EQ_INT(sc->seed, 7, "seed");
        EXO_TEST_NEAR(sc->pop[0].radius_median, 0.05, 1e-15, "radius \"50 nm\" (um)");
        EXO_TEST_EQ_INT(sc->output_sample, 100, "sample");
    }
    exo_scenario_destroy(sc);

    /* strings with units and plain numbers in base units */
    sc = load_good(__LINE__, EDITS({4, "  dt = \"2 us\";"},
                                   {9, "  temperature = \"37 degC\";"},
                                   {10, "  viscosity = \"1.2 cP\";"},
                                   {15, "    radius = \"0.1 um\";"},
                                   {21, "          upper = (\"10 um\", \"0.02 mm\", 30);"}),
                   NO_SETS);
    if (sc) {
        EXO_TEST_NEAR(sc->dt, 2e-6, 1e-20, "dt \"2 us\" (s)");
        EXO_TEST_NEAR(sc->temperature, 310.15, 1e-9, "temperature \"37 degC\" (K)");
        EXO_TEST_NEAR(sc->viscosity, 1.2e-3, 1e-15, "viscosity \"1.2 cP\" (Pa s)");
        EXO_TEST_NEAR(sc->pop[0].radius_median, 0.1, 1e-15, "radius \"0.1 um\" (um)");
        EXO_TEST_NEAR(sc->box_hi[0], 10.0, 1e-12, "upper x \"10 um\"");
        EXO_TEST_NEAR(sc->box_hi[1], 20.0, 1e-12, "upper y \"0.02 mm\"");
        EXO_TEST_NEAR(sc->box_hi[2], 30.0, 0.0, "upper z 30 (integer, um)");
    }
    exo_scenario_destroy(sc);
    sc = load_good(__LINE__, EDITS({4, "  dt = 2e-6;"}, {15, "    radius = 0.05;"},
                                   {9, "  temperature = 300;"}, {10, "  viscosity = 1e-3;"}),
                   NO_SETS);
    if (sc) {
        EXO_TEST_NEAR(sc->dt, 2e-6, 1e-20, "dt = 2e-6 (s)");
        EXO_TEST_NEAR(sc->pop[0].radius_median, 0.05, 0.0, "radius = 0.05 (um)");
        EXO_TEST_NEAR(sc->temperature, 300.0, 0.0, "temperature = 300 (K)");
        EXO_TEST_NEAR(sc->viscosity, 1e-3, 0.0, "viscosity = 1e-3 (Pa s)");
    }
    exo_scenario_destroy(sc);

    /* duration instead of steps */
    sc = load_good(__LINE__, EDITS({5, "  duration = \"1 ms\";"}), NO_SETS);
    if (sc)
        EXO_TEST_EQ_INT(sc->steps, 1000, "steps from duration = \"1 ms\", dt = 1 us");
    exo_scenario_destroy(sc);

    /* defaults: no medium, output, start, faces, integrator or name */
    sc = load_good(__LINE__, EDITS({1, ""}, {6, ""}, {8, ""}, {9, ""}, {10, ""},
                                   {11, ""}, {16, ""},
                                   {21, "          upper = [10.0, 10.0, 10.0]; };"},
                                   {22, ""}, {24, ""}, {25, ""}, {26, ""}, {27, ""},
                                   {28, ""}, {29, ""}, {30, ""}, {31, ""}),
                   NO_SETS);
    if (sc) {
        EXO_TEST_TRUE(strcmp(sc->name, "good") == 0, "default name '%s' (from good.cfg)",
                      sc->name);
        EXO_TEST_NEAR(sc->temperature, 310.15, 0.0, "default temperature (K)");
        EXO_TEST_NEAR(sc->viscosity, 1.2e-3, 0.0, "default viscosity (Pa s)");
        for (int f = 0; f < 6; f++)
            EXO_TEST_EQ_INT(sc->face[f], EXO_FACE_REFLECT, "default face");
        for (int a = 0; a < 3; a++) {
            EXO_TEST_NEAR(sc->pop[0].start_lo[a], 0.0, 0.0, "default start lower");
            EXO_TEST_NEAR(sc->pop[0].start_hi[a], 10.0, 0.0, "default start upper");
        }
        EXO_TEST_TRUE(strcmp(sc->output_file, "good.h5") == 0, "default file '%s'",
                      sc->output_file);
        EXO_TEST_EQ_INT(sc->output_every, 0, "default every");
        EXO_TEST_EQ_INT(sc->output_fields, EXO_FIELD_POSITION | EXO_FIELD_STATE,
                        "default fields (no periodic axis)");
        EXO_TEST_EQ_INT(sc->output_sample, 1000, "default sample (all)");
        EXO_TEST_EQ_INT(sc->output_compression, 0, "default compression");
        EXO_TEST_EQ_INT(sc->observables_every, 10, "default observables_every");
        EXO_TEST_EQ_INT(exo_scenario_frames(sc), 2, "frames with every = 0");
    }
    exo_scenario_destroy(sc);

    /* point start, six faces, lognormal radius with default truncation,
     * two populations with consecutive ids, flow */
    sc = load_good(__LINE__,
                   EDITS({10, "  viscosity = \"1.2 mPa s\"; flow = { kind = \"uniform\"; "
                              "velocity = (\"1 mm/s\", 0.0, 0.0); };"},
                         {15, "    radius = { distribution = \"lognormal\"; median = "
                              "\"50 nm\"; sigma = 0.3; };"},
                         {16, "    start = { kind = \"point\"; position = [1.0, 2.0, 3.0]; };"},
                         {17, "  }, { name = \"b\"; count = 24; radius = 0.03; "
                              "start = { lower = [1.0, 1.0, 1.0]; upper = [2.0, 2.0, 2.0]; }; }"},
                         {22, "          faces = [\"open\", \"reflect\", \"periodic\", "
                              "\"periodic\", \"reflect\", \"open\"]; };"}),
                   NO_SETS);
    if (sc) {
        EXO_TEST_NEAR(sc->flow[0], 1000.0, 1e-9, "flow x \"1 mm/s\" (um/s)");
        EXO_TEST_EQ_INT(sc->n_pop, 2, "populations");
        EXO_TEST_EQ_INT(sc->n_vesicles, 1024, "vesicles");
        EXO_TEST_EQ_INT(sc->pop[1].first, 1000, "first id of the second population");
        EXO_TEST_EQ_INT(sc->pop[0].distribution, EXO_RADIUS_LOGNORMAL, "lognormal");
        EXO_TEST_NEAR(sc->pop[0].radius_min, 0.05 * exp(-0.9), 1e-12, "default min");
        EXO_TEST_NEAR(sc->pop[0].radius_max, 0.05 * exp(0.9), 1e-12, "default max");
        EXO_TEST_EQ_INT(sc->pop[0].start_point, 1, "point start");
        EXO_TEST_NEAR(sc->pop[0].start_lo[2], 3.0, 0.0, "point z");
        EXO_TEST_NEAR(sc->pop[0].start_hi[2], 3.0, 0.0, "point z (hi == lo)");
        EXO_TEST_NEAR(sc->pop[1].start_hi[0], 2.0, 0.0, "region upper x");
        static const int faces[6] = {EXO_FACE_OPEN, EXO_FACE_REFLECT,
                                     EXO_FACE_PERIODIC, EXO_FACE_PERIODIC,
                                     EXO_FACE_REFLECT, EXO_FACE_OPEN};
        for (int f = 0; f < 6; f++)
            EXO_TEST_EQ_INT(sc->face[f], faces[f], "six faces");
    }
    exo_scenario_destroy(sc);
}

static void test_set(void)
{
    exo_scenario *sc;

    sc = load_good(__LINE__, NO_EDITS, SETS("vesicles.[0].count=2500"));
    if (sc)
        EXO_TEST_EQ_INT(exo_scenario_vesicle_count(sc), 2500, "--set count");
    exo_scenario_destroy(sc);

    sc = load_good(__LINE__, NO_EDITS, SETS("simulation.dt=\"2 us\""));
    if (sc)
        EXO_TEST_NEAR(sc->dt, 2e-6, 1e-20, "--set simulation.dt=\"2 us\"");
    exo_scenario_destroy(sc);

    sc = load_good(__LINE__, NO_EDITS, SETS("simulation.dt=2us"));
    if (sc)
        EXO_TEST_NEAR(sc->dt, 2e-6, 1e-20, "--set simulation.dt=2us (unquoted)");
    exo_scenario_destroy(sc);

    sc = load_good(__LINE__, NO_EDITS, SETS("simulation.dt=2 us"));
    if (sc)
        EXO_TEST_NEAR(sc->dt, 2e-6, 1e-20, "--set simulation.dt=2 us (unquoted)");
    exo_scenario_destroy(sc);

    sc = load_good(__LINE__, NO_EDITS, SETS("output.file=run.h5"));
    if (sc) {
        EXO_TEST_TRUE(strcmp(sc->output_file, "run.h5") == 0, "--set output.file: '%s'",
                      sc->output_file);
        EXO_TEST_TRUE(strstr(sc->resolved_text, "run.h5") != NULL,
                      "resolved text records the override: %s", sc->resolved_text);
    }
    exo_scenario_destroy(sc);

    /* a new setting in an existing group, and a new group */
    sc = load_good(__LINE__, EDITS({9, ""}), SETS("medium.temperature=300"));
    if (sc)
        EXO_TEST_NEAR(sc->temperature, 300.0, 0.0, "--set a new medium.temperature");
    exo_scenario_destroy(sc);
    sc = load_good(__LINE__, EDITS({8, ""}, {9, ""}, {10, ""}, {11, ""}),
                   SETS("medium.temperature=\"37 degC\""));
    if (sc)
        EXO_TEST_NEAR(sc->temperature, 310.15, 1e-9, "--set a new group medium");
    exo_scenario_destroy(sc);

    /* the last of two overrides wins; integers, arrays and groups */
    sc = load_good(__LINE__, NO_EDITS,
                   SETS("simulation.steps=10", "simulation.steps=20", "seed=5L",
                        "geometry.box.faces=[\"reflect\", \"open\", \"reflect\"]",
                        "vesicles.[0].radius={distribution=\"lognormal\"; "
                        "median=\"40 nm\"; sigma=0.2;}",
                        "output.every=0", "output.fields=[\"position\"]"));
    if (sc) {
        EXO_TEST_EQ_INT(sc->steps, 20, "the last --set wins");
        EXO_TEST_EQ_INT(sc->seed, 5, "--set seed=5L");
        EXO_TEST_EQ_INT(sc->face[2], EXO_FACE_OPEN, "--set an array");
        EXO_TEST_EQ_INT(sc->pop[0].distribution, EXO_RADIUS_LOGNORMAL, "--set a group");
        EXO_TEST_NEAR(sc->pop[0].radius_median, 0.04, 1e-15, "--set group median");
        EXO_TEST_EQ_INT(sc->output_fields, EXO_FIELD_POSITION, "--set output.fields");
    }
    exo_scenario_destroy(sc);

    /* a --set on a file load */
    char path[64], *text = build(NO_EDITS);
    write_temp(text, path);
    exo_error err;
    memset(&err, 0, sizeof err);
    sc = NULL;
    const char *sets[] = {"vesicles.[0].count=1000", "simulation.dt=2us"};
    exo_status st = exo_scenario_load(&sc, path, sets, 2, &err);
    EXO_TEST_TRUE(st == EXO_OK, "file load with --set: %s", err.msg);
    if (sc) {
        EXO_TEST_EQ_INT(sc->n_vesicles, 1000, "count from a file load with --set");
        EXO_TEST_NEAR(sc->dt, 2e-6, 1e-20, "dt from a file load with --set");
    }
    exo_scenario_destroy(sc);
    unlink(path);
    free(text);
}

/* Count the frames by is_frame and compare with exo_scenario_frames(). */
static void check_frames(const char *every, uint64_t expected,
                         const uint64_t *which, size_t n_which)
{
    char set_every[64];
    snprintf(set_every, sizeof set_every, "output.every=%s", every);
    exo_scenario *sc = load_good(__LINE__, NO_EDITS, SETS("simulation.steps=1000",
                                                          set_every));
    if (sc == NULL)
        return;
    uint64_t n = 0;
    size_t k = 0;
    for (uint64_t s = 0; s <= sc->steps; s++)
        if (exo_scenario_is_frame(sc, s)) {
            n++;
            if (which) {
                EXO_TEST_TRUE(k < n_which && which[k] == s,
                              "every=%s: unexpected frame at step %llu", every,
                              (unsigned long long)s);
                k++;
            }
        }
    printf("every=%s steps=1000: %llu frames\n", every, (unsigned long long)n);
    EXO_TEST_EQ_INT(exo_scenario_frames(sc), expected, "exo_scenario_frames");
    EXO_TEST_EQ_INT(n, expected, "frames counted with exo_scenario_is_frame");
    EXO_TEST_TRUE(!exo_scenario_is_frame(sc, 1001) || sc->output_every == 1,
                  "frame after the last step");
    exo_scenario_destroy(sc);
}

static void test_frames(void)
{
    check_frames("100", 11, NULL, 0);
    static const uint64_t f300[] = {0, 300, 600, 900, 1000};
    check_frames("300", 5, f300, 5);
    static const uint64_t f0[] = {0, 1000};
    check_frames("0", 2, f0, 2);
    static const uint64_t f5000[] = {0, 1000};
    check_frames("5000", 2, f5000, 2);
    check_frames("1", 1001, NULL, 0);

    /* no position/state/image fields: no frames */
    exo_scenario *sc = load_good(__LINE__, EDITS({27, "  fields = [];"}), NO_SETS);
    if (sc) {
        EXO_TEST_EQ_INT(exo_scenario_frames(sc), 0, "frames with fields = []");
        EXO_TEST_EQ_INT(exo_scenario_is_frame(sc, 0), 0, "is_frame with fields = []");
    }
    exo_scenario_destroy(sc);
}

/* ------------------------------------------------------------------ sweep */

#define SWEEP(body) {23, "}; sweep = { " body " };"}
#define SWEEP_BASE BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR), LIGANDS("count = 100;")

static void test_sweep_config(void)
{
    /* A grid: 2 radii x 3 log-spaced ligand counts x 2 replicates. */
    const edit grid[] = {SWEEP_BASE,
                         SWEEP("parameters = ( { setting = \"radius\"; values = [\"30 nm\", "
                               "\"60 nm\"]; }, { setting = \"ligands.count\"; from = 10.0; "
                               "to = 1000.0; count = 3; scale = \"log\"; } ); replicates = 2;")};
    exo_scenario *sc = load_good(__LINE__, grid, 4, NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "a sweep loads");
    if (sc) {
        EXO_TEST_EQ_INT(sc->n_pop, 12, "6 combinations x 2 replicates");
        EXO_TEST_EQ_INT(sc->sweep.n_combinations, 6, "combinations");
        EXO_TEST_EQ_INT((int64_t)sc->n_vesicles, 12000, "vesicles");
        const exo_population *p = &sc->pop[3]; /* combination 1, replicate 1 */
        EXO_TEST_TRUE(strcmp(p->name, "exo_c1_r1") == 0, "named by combination and "
                      "replicate (%s)", p->name);
        EXO_TEST_NEAR(p->radius_median, 0.03, 1e-12, "combination 1: radius 30 nm");
        EXO_TEST_NEAR(p->ligand_mean, 100, 1e-9, "combination 1: 100 ligands (log grid)");
        EXO_TEST_EQ_INT(p->first, 3000, "contiguous vesicle indices");
        EXO_TEST_EQ_INT(p->sweep_combination, 1, "combination index");
        EXO_TEST_EQ_INT(p->sweep_replicate, 1, "replicate index");
        EXO_TEST_NEAR(sc->pop[10].radius_median, 0.06, 1e-12, "combination 5: 60 nm");
        EXO_TEST_NEAR(sc->pop[10].ligand_mean, 1000, 1e-9, "combination 5: 1000 ligands");
        EXO_TEST_EQ_INT(sc->id0, 0, "ids from 0");
    }
    exo_scenario_destroy(sc);
    /* only = 4: its two replicates alone, with their ids in the sweep */
    const edit only[] = {SWEEP_BASE,
                         SWEEP("parameters = ( { setting = \"radius\"; values = [\"30 nm\", "
                               "\"60 nm\"]; }, { setting = \"ligands.count\"; from = 10.0; "
                               "to = 1000.0; count = 3; scale = \"log\"; } ); replicates = 2; "
                               "only = 4;")};
    sc = load_good(__LINE__, only, 4, NO_SETS);
    EXO_TEST_TRUE(sc && sc->n_pop == 2 && sc->id0 == 8000 && sc->pop[0].first == 0 &&
                      strcmp(sc->pop[0].name, "exo_c4_r0") == 0 &&
                      fabs(sc->pop[1].ligand_mean - 100) < 1e-9,
                  "only = 4: 2 populations from id 8000");
    exo_scenario_destroy(sc);

    /* The pair's rates per population: k_on x 3 (log), k_off listed. */
    const edit rates[] = {SWEEP_BASE,
                          SWEEP("parameters = ( { setting = \"binding.k_on\"; from = "
                                "\"0.01 um^2/s\"; to = \"1 um^2/s\"; count = 3; scale = "
                                "\"log\"; }, { setting = \"binding.k_off\"; values = "
                                "[\"0.5 /s\"]; } );")};
    sc = load_good(__LINE__, rates, 4, NO_SETS);
    EXO_TEST_TRUE(sc != NULL && sc->n_pop == 3, "an affinity sweep loads");
    if (sc && sc->n_pop == 3) {
        exo_step_params p;
        exo_slot_table t;
        exo_scenario_step_params(sc, 1, &p, &t);
        /* combination 1: k_on = 0.1 um^2/s, sigma_R = 100 /um^2 on z- (slot 4) */
        EXO_TEST_NEAR(t.bond_rate[4], 10, 1e-5, "combination 1: bond_rate = 0.1 x 100");
        EXO_TEST_NEAR(p.k_slip, 0.5, 1e-7, "combination 1: k_off = 0.5 /s");
        exo_scenario_step_params(sc, 2, &p, &t);
        EXO_TEST_NEAR(t.bond_rate[4], 100, 1e-4, "combination 2: k_on = 1 um^2/s");
        EXO_TEST_NEAR(exo_scenario_pair(sc, 0).k_on, 0.01, 1e-12, "combination 0: k_on");
    }
    exo_scenario_destroy(sc);

    /* A cargo spread, and sweeping it: each vesicle's loading from the seed. */
    const edit spread[] = {BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR), {17, "    ligands = { type = \"RGD\"; count = 100; }; "
                                            "cargo = { amount = 10.0; sd = 2.0; }; }"},
                           SWEEP("parameters = ( { setting = \"cargo.sd\"; values = "
                                 "[0.0, 2.0]; } );")};
    sc = load_good(__LINE__, spread, 4, NO_SETS);
    EXO_TEST_TRUE(sc && sc->n_pop == 2 && sc->pop[0].cargo_sd == 0 && sc->pop[1].cargo_sd == 2 &&
                      sc->pop[1].cargo_amount == 10,
                  "cargo = { amount; sd; }, and sweeping cargo.sd");
    exo_scenario_destroy(sc);
    {
        /* 1e5 loadings of mean 10, sd 2 (truncation at 0 is 5 sd away):
         * their mean and sd within 4 SE; the same id, the same loading;
         * no spread, the mean exactly; never below 0. */
        const uint32_t n = 100000;
        double sum = 0, sum2 = 0, least = 1;
        for (uint32_t i = 0; i < n; i++) {
            double v = exo_cargo_loading(7, i, 10, 2);
            sum += v;
            sum2 += v * v;
            least = fmin(least, exo_cargo_loading(7, i, 1, 10));
        }
        double mean = sum / n, sd = sqrt(sum2 / n - mean * mean);
        EXO_TEST_NEAR(mean, 10, 4 * 2 / sqrt(n), "cargo loadings: mean");
        EXO_TEST_NEAR(sd, 2, 4 * 2 / sqrt(2.0 * n), "cargo loadings: sd");
        EXO_TEST_TRUE(exo_cargo_loading(7, 12345, 10, 2) == exo_cargo_loading(7, 12345, 10, 2) &&
                          exo_cargo_loading(8, 12345, 10, 2) != exo_cargo_loading(7, 12345, 10, 2),
                      "a vesicle's loading follows from the seed and its id");
        EXO_TEST_TRUE(exo_cargo_loading(7, 3, 10, 0) == 10, "no spread: the amount");
        EXO_TEST_TRUE(least == 0, "loadings are truncated at 0 (least %g)", least);
    }
    /* The spreads of size and ligand count, swept apart from their means. */
    const edit spreads[] = {
        BIND_SURFACE(GOOD_RECEPTORS, GOOD_PAIR),
        {15, "    radius = { distribution = \"lognormal\"; median = \"50 nm\"; sigma = 0.3; "
             "min = \"20 nm\"; max = \"100 nm\"; };"},
        {17, "    ligands = { type = \"RGD\"; count = { distribution = \"normal\"; mean = "
             "100.0; sd = 10.0; }; }; }"},
        SWEEP("parameters = ( { setting = \"radius.sigma\"; values = [0.1, 0.4]; }, "
              "{ setting = \"ligands.sd\"; values = [0.0, 30.0]; } );")};
    sc = load_good(__LINE__, spreads, 5, NO_SETS);
    EXO_TEST_TRUE(sc && sc->n_pop == 4 && sc->pop[3].radius_sigma == 0.4 &&
                      sc->pop[3].ligand_sd == 30 && sc->pop[3].ligand_max == 280 &&
                      sc->pop[3].radius_median == 0.05 && sc->pop[0].radius_sigma == 0.1,
                  "radius.sigma and ligands.sd sweep the spreads, the means stay");
    exo_scenario_destroy(sc);
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"radius.sigma\"; values = "
                                "[0.2]; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].setting'", "has a fixed radius");
    BAD(EDITS({17, "    cargo = { amount = 10.0; sd = -1.0; }; }"}), NO_SETS, 17,
        "'vesicles.[0].cargo.sd'", "must be >= 0");

    /* A Latin hypercube: every stratum of each range once, from the seed. */
    const edit lhs[] = {SWEEP_BASE,
                        SWEEP("sampling = \"latin_hypercube\"; samples = 8; parameters = ( "
                              "{ setting = \"radius\"; from = \"20 nm\"; to = \"80 nm\"; }, "
                              "{ setting = \"ligands.count\"; from = 10.0; to = 1000.0; "
                              "scale = \"log\"; } );")};
    exo_scenario *a = load_good(__LINE__, lhs, 4, NO_SETS);
    exo_scenario *b = load_good(__LINE__, lhs, 4, NO_SETS);
    exo_scenario *d = load_good(__LINE__, lhs, 4, SETS("seed=8"));
    EXO_TEST_TRUE(a && b && d, "Latin hypercubes load");
    if (a && b && d) {
        EXO_TEST_EQ_INT(a->n_pop, 8, "8 samples");
        int strata[2][8] = {{0}}, same = 1, differ = 0;
        for (uint32_t k = 0; k < 8; k++) {
            double r = a->pop[k].radius_median, n = a->pop[k].ligand_mean;
            int sr = (int)floor((r - 0.02) / 0.06 * 8), sn = (int)floor(log10(n / 10) / 2 * 8);
            if (sr >= 0 && sr < 8)
                strata[0][sr]++;
            if (sn >= 0 && sn < 8)
                strata[1][sn]++;
            same &= r == b->pop[k].radius_median && n == b->pop[k].ligand_mean;
            differ |= r != d->pop[k].radius_median;
        }
        int once = 1;
        for (int i = 0; i < 8; i++)
            once &= strata[0][i] == 1 && strata[1][i] == 1;
        EXO_TEST_TRUE(once, "each of the 8 strata of each range holds one sample");
        EXO_TEST_TRUE(same, "the same seed gives the same samples");
        EXO_TEST_TRUE(differ, "another seed gives other samples");
    }
    exo_scenario_destroy(a);
    exo_scenario_destroy(b);
    exo_scenario_destroy(d);

    /* bad input */
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"geometry.box.upper\"; "
                                "values = [1.0]; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].setting'", "cannot sweep \"geometry.box.upper\" "
        "in one run", "\"binding.k_on\" or \"binding.k_off\"");
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"radius\"; values = []; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].values'", "an empty list");
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"radius\"; values = "
                                "[\"-5 nm\"]; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].values.[0]'", "must be > 0");
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"ligands.count\"; from = 0.0; "
                                "to = 10.0; count = 3; scale = \"log\"; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].scale'", "a log range needs from > 0");
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"ligands.count\"; from = 1.0; "
                                "to = 10.0; count = 0; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].count'");
    BAD(EDITS(SWEEP_BASE, SWEEP("parameters = ( { setting = \"ligands.count\"; from = 1.0; "
                                "to = 1000.0; count = 20; }, { setting = \"radius\"; "
                                "from = \"20 nm\"; to = \"80 nm\"; count = 20; } );")),
        NO_SETS, 23, "'sweep'", "400 combinations x 1 replicates: at most 256 populations");
    BAD(EDITS(SWEEP("parameters = ( { setting = \"ligands.count\"; values = [1.0]; } );")),
        NO_SETS, 23, "'sweep.parameters.[0].setting'", "carries no ligands, so \"ligands.count\" has nothing to act on");
    BAD(EDITS(SWEEP_BASE, SWEEP("samples = 4; parameters = ( { setting = \"radius\"; "
                                "values = [\"30 nm\"]; } );")),
        NO_SETS, 23, "'sweep.samples'", "applies only to sampling = \"latin_hypercube\"");
    BAD(EDITS(SWEEP_BASE, SWEEP("only = 3; parameters = ( { setting = \"radius\"; "
                                "values = [\"30 nm\", \"40 nm\"]; } );")),
        NO_SETS, 23, "'sweep.only'");
}

/* sweep.sequence: settings run one after another, run `run` applied. */
static void test_sequence_config(void)
{
#define SEQ "sequence = ( { setting = \"medium.viscosity\"; values = [\"1.2 mPa s\", " \
            "\"2.4 mPa s\"]; }, { setting = \"geometry.box.upper\"; values = " \
            "([10.0, 10.0, 10.0], [20.0, 20.0, 20.0]); } );"
    exo_scenario *sc = load_good(__LINE__, EDITS(SWEEP(SEQ " run = 3;")), NO_SETS);
    EXO_TEST_TRUE(sc != NULL, "a sequence loads");
    if (sc) {
        EXO_TEST_EQ_INT(sc->sequence.n_runs, 4, "2 x 2 runs");
        EXO_TEST_EQ_INT(sc->sequence.run, 3, "run 3");
        EXO_TEST_NEAR(sc->viscosity, 2.4e-3, 1e-15, "run 3: the second viscosity");
        EXO_TEST_NEAR(sc->box_hi[2], 20, 1e-12, "run 3: the second box");
        EXO_TEST_TRUE(strcmp(sc->output_file, "t_run3.h5") == 0,
                      "run 3 writes t_run3.h5 (%s)", sc->output_file);
        EXO_TEST_TRUE(!sc->sweep.active, "no sweep within the run");
        EXO_TEST_TRUE(strcmp(sc->sequence.value[1][1], "[20.0, 20.0, 20.0]") == 0,
                      "values kept as libconfig text (%s)", sc->sequence.value[1][1]);
    }
    exo_scenario_destroy(sc);
    /* no run chosen: run 0's values, the output as named (exobd run loops) */
    sc = load_good(__LINE__, EDITS(SWEEP(SEQ)), NO_SETS);
    EXO_TEST_TRUE(sc && sc->sequence.run == -1 && fabs(sc->viscosity - 1.2e-3) < 1e-15 &&
                      sc->box_hi[2] == 10 && strcmp(sc->output_file, "t.h5") == 0,
                  "without sweep.run: run 0's values, run -1, t.h5");
    exo_scenario_destroy(sc);
    /* --set sweep.run=1 (the last setting varies fastest) */
    sc = load_good(__LINE__, EDITS(SWEEP(SEQ)), SETS("sweep.run=1"));
    EXO_TEST_TRUE(sc && fabs(sc->viscosity - 1.2e-3) < 1e-15 && sc->box_hi[2] == 20 &&
                      strcmp(sc->output_file, "t_run1.h5") == 0,
                  "--set sweep.run=1: the first viscosity, the second box");
    exo_scenario_destroy(sc);
    /* with a sweep inside each run */
    sc = load_good(__LINE__,
                   EDITS(SWEEP("parameters = ( { setting = \"radius\"; values = [\"30 nm\", "
                               "\"60 nm\"]; } ); " SEQ " run = 2;")),
                   NO_SETS);
    EXO_TEST_TRUE(sc && sc->sweep.active && sc->n_pop == 2 && sc->sequence.run == 2 &&
                      fabs(sc->viscosity - 2.4e-3) < 1e-15,
                  "a sweep in each run of a sequence");
    exo_scenario_destroy(sc);

    BAD(EDITS(SWEEP("sequence = ( { setting = \"sweep.only\"; values = [1]; } );")), NO_SETS,
        23, "'sweep.sequence.[0].setting'", "cannot run \"sweep.only\" in sequence");
    BAD(EDITS(SWEEP("sequence = ( { setting = \"seed\"; values = [1, 2]; }, "
                    "{ setting = \"seed\"; values = [3]; } );")),
        NO_SETS, 23, "'sweep.sequence.[1].setting'", "in the sequence twice");
    BAD(EDITS(SWEEP("sequence = ( { setting = \"seed\"; values = []; } );")), NO_SETS, 23,
        "'sweep.sequence.[0].values'", "an empty list");
    BAD(EDITS(SWEEP("sequence = ( );")), NO_SETS, 23, "'sweep.sequence'", "an empty list");
    BAD(EDITS(SWEEP("run = 0;")), NO_SETS, 23, "'sweep.run'", "needs sweep.sequence");
    BAD(EDITS(SWEEP(SEQ " run = 4;")), NO_SETS, 23, "'sweep.run'", "must be in [0, 3]");
    BAD(EDITS(SWEEP(SEQ " replicates = 2;")), NO_SETS, 23, "'sweep.replicates'",
        "applies to sweep.parameters");
    /* a typo in the path, and a value of the wrong dimension in run 1 */
    BAD(EDITS(SWEEP("sequence = ( { setting = \"medium.viscosty\"; values = "
                    "[\"1 mPa s\"]; } );")),
        NO_SETS, AT_NONE, ": sweep.sequence, run 0: medium.viscosty=\"1 mPa s\": setting "
        "'medium.viscosty': unknown setting", "did you mean 'viscosity'?");
    BAD(EDITS(SWEEP("sequence = ( { setting = \"medium.viscosity\"; values = "
                    "[\"1 mPa s\", \"2 mm/s\"]; } ); run = 1;")),
        NO_SETS, AT_NONE, ": sweep.sequence, run 1: medium.viscosity=\"2 mm/s\": setting "
        "'medium.viscosity'", "a velocity");
#undef SEQ
}

int main(int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: %s (no arguments)\n", argv[0]);
        return 2;
    }
    test_unknown_keys();
    test_tissue_bad();
    test_barriers_bad();
    test_tissue_good();
    test_wrong_types();
    test_binding_config();
    test_sweep_config();
    test_sequence_config();
    test_units_in_strings();
    test_ranges();
    test_geometry();
    test_time();
    test_missing();
    test_syntax_and_files();
    test_set_errors();
    test_demo();
    test_values();
    test_vessels();
    test_set_steps_duration();
    test_set();
    test_frames();
    return exo_test_finish("test_config");
}
