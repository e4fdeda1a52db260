/*
 * exo_config: see exo_config.h.  Scenario reference: docs/scenario.md.
 */
#include "exo_config.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exo_error.h"
#include "exo_tissue.h"
#include "exo_units.h"

#define MAX_OVERRIDES 256
#define MAX_OVER_SETTINGS 1024   /* settings and groups --set created */

typedef struct cfg {
    config_t lc;
    const char *file;                 /* name used in messages             */
    /* Settings a --set created (the value and any group on its path that
     * did not exist), each with its --set text; NULL once removed by a
     * later --set, so no entry ever points to freed memory. */
    const config_setting_t *over[MAX_OVER_SETTINGS];
    const char *over_text[MAX_OVER_SETTINGS];
    const char *over_origin[MAX_OVER_SETTINGS]; /* "--set" or the sequence */
    const char *origin;               /* what the next override comes from */
    char *sequence_text[EXO_SEQUENCE_MAX_SETTINGS]; /* its overrides, freed
                                                        after loading      */
    char sequence_origin[64];
    int n_over;
    int n_sets;                       /* --set options applied             */
    exo_error *err;
} cfg;

/* ------------------------------------------------------------ locations */

static void setting_path(const config_setting_t *s, char *buf, size_t n)
{
    const config_setting_t *parent = config_setting_parent(s);
    if (parent == NULL) {
        buf[0] = '\0';
        return;
    }
    setting_path(parent, buf, n);
    size_t len = strlen(buf);
    const char *name = config_setting_name(s);
    if (name)
        snprintf(buf + len, n - len, "%s%s", len ? "." : "", name);
    else
        snprintf(buf + len, n - len, "%s[%d]", len ? "." : "",
                 config_setting_index(s));
}

static void where(const cfg *c, const config_setting_t *s, char *buf, size_t n)
{
    for (const config_setting_t *t = s; t; t = config_setting_parent(t))
        for (int i = 0; i < c->n_over; i++)
            if (c->over[i] == t) {
                snprintf(buf, n, "%s: %s %s", c->file, c->over_origin[i], c->over_text[i]);
                return;
            }
    unsigned line = config_setting_source_line(s);
    if (line)
        snprintf(buf, n, "%s:%u", c->file, line);
    else
        snprintf(buf, n, "%s", c->file);
}

/* Report a problem with setting s: "file:line: setting 'a.b': <message>". */
static exo_status bad(cfg *c, const config_setting_t *s, const char *fmt, ...)
    EXO_PRINTF(3, 4);
static exo_status bad(cfg *c, const config_setting_t *s, const char *fmt, ...)
{
    char loc[512], path[256], msg[1200];
    where(c, s, loc, sizeof loc);
    setting_path(s, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return exo_error_set(c->err, EXO_ERR_CONFIG, (long)config_setting_source_line(s),
                         __FILE__, __LINE__, __func__, "%s: setting '%s': %s",
                         loc, path[0] ? path : "(top level)", msg);
}

/* Report a required setting that is missing from group g. */
static exo_status missing(cfg *c, const config_setting_t *g, const char *name,
                          const char *what)
{
    char loc[512], path[256];
    where(c, g, loc, sizeof loc);
    setting_path(g, path, sizeof path);
    return exo_error_set(c->err, EXO_ERR_CONFIG, (long)config_setting_source_line(g),
                         __FILE__, __LINE__, __func__,
                         "%s: required setting '%s%s%s' not found (expected %s)",
                         loc, path, path[0] ? "." : "", name, what);
}

static const char *type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP: return "a group { ... }";
    case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
    case CONFIG_TYPE_LIST: return "a list ( ... )";
    }
    return "an unknown type";
}

/* ------------------------------------------------------------ key checks */

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    int d[41][41];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

/* Settings DESIGN.md names for later versions: a clear "not yet" instead
 * of "unknown". */
static const char *const later_keys[] = {NULL};

/* Every member of group g must be one of `known` (NULL-terminated). */
static exo_status check_keys(cfg *c, const config_setting_t *g,
                             const char *const *known)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(*k, name) == 0;
        if (ok)
            continue;
        for (const char *const *k = later_keys; *k; k++)
            if (strcmp(*k, name) == 0)
                return bad(c, m, "is not available in exobd %s yet",
                           EXOBD_VERSION_STRING);
        char list[512] = "", hint[128] = "";
        int best = 99;
        for (const char *const *k = known; *k; k++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", *k);
            int d = edit_distance(name, *k);
            if (d < best && d <= 2) {
                best = d;
                snprintf(hint, sizeof hint, "did you mean '%s'? ", *k);
            }
        }
        return bad(c, m, "unknown setting; %sknown here: %s", hint, list);
    }
    return EXO_OK;
}

/* ------------------------------------------------------------ readers */

static exo_status read_quantity(cfg *c, const config_setting_t *s, exo_dim dim,
                                double *out)
{
    int t = config_setting_type(s);
    double v = 0;
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        v = (double)config_setting_get_int64(s);
    else if (t == CONFIG_TYPE_FLOAT)
        v = config_setting_get_float(s);
    else if (t == CONFIG_TYPE_STRING) {
        char why[512];
        if (exo_units_parse(config_setting_get_string(s), dim, &v, why, sizeof why))
            return bad(c, s, "%s", why);
    } else
        return bad(c, s, "expected a %s (a number in %s or a string with units, "
                         "e.g. %s), got %s",
                   exo_units_dim_name(dim), exo_units_base_unit(dim),
                   exo_units_example(dim), type_name(t));
    if (!isfinite(v))
        return bad(c, s, "expected a finite %s, got %g", exo_units_dim_name(dim), v);
    *out = v;
    return EXO_OK;
}

/* Constraints on a quantity. */
enum { ANY = 0, POSITIVE = 1, NONNEGATIVE = 2 };

static exo_status check_sign(cfg *c, const config_setting_t *s, exo_dim dim,
                             double v, int constraint)
{
    /* no unit after a dimensionless value: "(got 0)", not "(got 0 1)" */
    const char *sp = dim == EXO_DIM_NUMBER ? "" : " ";
    const char *unit = dim == EXO_DIM_NUMBER ? "" : exo_units_base_unit(dim);
    if (constraint == POSITIVE && !(v > 0))
        return bad(c, s, "must be > 0 (got %g%s%s)", v, sp, unit);
    if (constraint == NONNEGATIVE && !(v >= 0))
        return bad(c, s, "must be >= 0 (got %g%s%s)", v, sp, unit);
    return EXO_OK;
}

/* Optional quantity: keeps *out (the default) when absent. */
static exo_status opt_quantity(cfg *c, const config_setting_t *g, const char *name,
                               exo_dim dim, int constraint, double *out, int *found)
{
    const config_setting_t *s = g ? config_setting_get_member(g, name) : NULL;
    if (found)
        *found = s != NULL;
    if (s == NULL)
        return EXO_OK;
    double v;
    exo_status rc = read_quantity(c, s, dim, &v);
    if (rc == EXO_OK)
        rc = check_sign(c, s, dim, v, constraint);
    if (rc == EXO_OK)
        *out = v;
    return rc;
}

static exo_status req_quantity(cfg *c, const config_setting_t *g, const char *name,
                               exo_dim dim, int constraint, double *out)
{
    int found = 0;
    exo_status rc = opt_quantity(c, g, name, dim, constraint, out, &found);
    if (rc == EXO_OK && !found) {
        char what[160];
        snprintf(what, sizeof what, "a %s, e.g. %s", exo_units_dim_name(dim),
                 exo_units_example(dim));
        return missing(c, g, name, what);
    }
    return rc;
}

static exo_status read_int(cfg *c, const config_setting_t *s, long long lo,
                           long long hi, long long *out)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return bad(c, s, "expected an integer, got %s", type_name(t));
    long long v = config_setting_get_int64(s);
    if (v < lo || v > hi)
        return bad(c, s, "must be in [%lld, %lld] (got %lld)", lo, hi, v);
    *out = v;
    return EXO_OK;
}

static exo_status opt_int(cfg *c, const config_setting_t *g, const char *name,
                          long long lo, long long hi, long long *out, int *found)
{
    const config_setting_t *s = g ? config_setting_get_member(g, name) : NULL;
    if (found)
        *found = s != NULL;
    return s ? read_int(c, s, lo, hi, out) : EXO_OK;
}

static exo_status read_string(cfg *c, const config_setting_t *s, const char **out)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return bad(c, s, "expected a string, got %s",
                   type_name(config_setting_type(s)));
    *out = config_setting_get_string(s);
    return EXO_OK;
}

/* A string that must be one of `choices` (NULL-terminated); index in *out. */
static exo_status read_choice(cfg *c, const config_setting_t *s,
                              const char *const *choices, int *out)
{
    const char *v = NULL;
    exo_status rc = read_string(c, s, &v);
    if (rc != EXO_OK)
        return rc;
    char list[256] = "";
    for (int i = 0; choices[i]; i++) {
        if (strcmp(v, choices[i]) == 0) {
            *out = i;
            return EXO_OK;
        }
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s\"%s\"", len ? ", " : "",
                 choices[i]);
    }
    return bad(c, s, "expected one of %s, got \"%s\"", list, v);
}

static exo_status read_vec3(cfg *c, const config_setting_t *s, exo_dim dim,
                            double out[3])
{
    int t = config_setting_type(s);
    if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
        config_setting_length(s) != 3)
        return bad(c, s, "expected 3 values [x, y, z] (%ss in %s, or strings with "
                         "units in a list, e.g. (\"%s\", \"%s\", \"%s\"))",
                   exo_units_dim_name(dim), exo_units_base_unit(dim),
                   exo_units_example(dim), exo_units_example(dim),
                   exo_units_example(dim));
    for (int a = 0; a < 3; a++) {
        exo_status rc = read_quantity(c, config_setting_get_elem(s, (unsigned)a),
                                      dim, &out[a]);
        if (rc != EXO_OK)
            return rc;
    }
    return EXO_OK;
}

static exo_status get_group(cfg *c, const config_setting_t *parent,
                            const char *name, int required,
                            const config_setting_t **out)
{
    const config_setting_t *g = config_setting_get_member(parent, name);
    *out = NULL;
    if (g == NULL)
        return required ? missing(c, parent, name, "a group { ... }") : EXO_OK;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return bad(c, g, "expected a group { ... }, got %s",
                   type_name(config_setting_type(g)));
    *out = g;
    return EXO_OK;
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

/* ------------------------------------------------------------ sections */

static exo_status load_simulation(cfg *c, const config_setting_t *root,
                                  exo_scenario *sc)
{
    static const char *const keys[] = {"dt", "steps", "duration", "integrator",
                                       "receptor_update_every", NULL};
    static const char *const integrators[] = {"overdamped", "underdamped", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g;
    EXO_TRY(get_group(c, root, "simulation", 1, &g));
    EXO_TRY(check_keys(c, g, keys));
    EXO_TRY(req_quantity(c, g, "dt", EXO_DIM_TIME, POSITIVE, &sc->dt));

    long long steps = 0;
    int have_steps = 0, have_duration = 0;
    double duration = 0;
    EXO_TRY(opt_int(c, g, "steps", 1, (long long)1 << 62, &steps, &have_steps));
    EXO_TRY(opt_quantity(c, g, "duration", EXO_DIM_TIME, POSITIVE, &duration,
                         &have_duration));
    if (have_steps && have_duration)
        return bad(c, config_setting_get_member(g, "duration"),
                   "give either 'steps' or 'duration', not both");
    if (!have_steps && !have_duration)
        return missing(c, g, "steps", "'steps' (an integer) or 'duration' (a time)");
    if (have_duration) {
        double n = round(duration / sc->dt);
        if (n < 1 || fabs(n * sc->dt - duration) > 1e-9 * duration)
            return bad(c, config_setting_get_member(g, "duration"),
                       "must be a whole number (>= 1) of time steps dt = %g s "
                       "(got %g s = %.6g steps)", sc->dt, duration, duration / sc->dt);
        if (!(n <= (double)((long long)1 << 62)))
            return bad(c, config_setting_get_member(g, "duration"),
                       "is %.6g time steps of dt = %g s: at most 2^62 steps", n, sc->dt);
        steps = (long long)n;
    }
    sc->steps = (uint64_t)steps;
    long long every = 100;
    EXO_TRY(opt_int(c, g, "receptor_update_every", 1, (long long)1 << 62, &every, NULL));
    sc->receptor_update_every = (uint64_t)every;

    const config_setting_t *s = config_setting_get_member(g, "integrator");
    if (s) {
        int which = 0;
        EXO_TRY(read_choice(c, s, integrators, &which));
        if (which != 0)
            return bad(c, s, "the underdamped integrator is not available in "
                             "exobd %s yet; use \"overdamped\"", EXOBD_VERSION_STRING);
    }
cleanup:
    return rc;
}

static exo_status load_medium(cfg *c, const config_setting_t *root, exo_scenario *sc)
{
    static const char *const keys[] = {"temperature", "viscosity", "flow", "clearance", NULL};
    static const char *const flow_keys[] = {"kind", "velocity", "centre", "radius", NULL};
    static const char *const clearance_keys[] = {"rate", "half_life", NULL};
    static const char *const flow_kinds[] = {"uniform", "radial", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g, *f;
    sc->temperature = 310.15;  /* 37 C */
    sc->viscosity = 1.2e-3;    /* plasma at 37 C, PHYSICS.md section 1 */
    EXO_TRY(get_group(c, root, "medium", 0, &g));
    if (g == NULL)
        return EXO_OK;
    EXO_TRY(check_keys(c, g, keys));
    EXO_TRY(opt_quantity(c, g, "temperature", EXO_DIM_TEMPERATURE, POSITIVE,
                         &sc->temperature, NULL));
    EXO_TRY(opt_quantity(c, g, "viscosity", EXO_DIM_VISCOSITY, POSITIVE,
                         &sc->viscosity, NULL));
    EXO_TRY(get_group(c, g, "clearance", 0, &f));
    if (f) {
        /* First-order clearance from the blood, as a rate or a half-life. */
        EXO_TRY(check_keys(c, f, clearance_keys));
        int have_rate = 0, have_half = 0;
        double half = 0;
        EXO_TRY(opt_quantity(c, f, "rate", EXO_DIM_RATE, POSITIVE, &sc->clearance_rate,
                             &have_rate));
        EXO_TRY(opt_quantity(c, f, "half_life", EXO_DIM_TIME, POSITIVE, &half, &have_half));
        if (have_rate == have_half)
            return bad(c, f, "give one of 'rate' (e.g. \"1e-3 /s\") or 'half_life' "
                             "(e.g. \"10 min\")");
        if (have_half)
            sc->clearance_rate = M_LN2 / half;
    }
    EXO_TRY(get_group(c, g, "flow", 0, &f));
    if (f) {
        EXO_TRY(check_keys(c, f, flow_keys));
        const config_setting_t *k = config_setting_get_member(f, "kind");
        int which = 0;
        if (k)
            EXO_TRY(read_choice(c, k, flow_kinds, &which));
        const config_setting_t *v = config_setting_get_member(f, "velocity");
        if (which == 1) {
            /* Radial interstitial flow out of a tumour (PHYSICS.md 3). */
            const config_setting_t *ce = config_setting_get_member(f, "centre");
            if (ce == NULL)
                return missing(c, f, "centre", "the tumour's centre [x, y, z] (um)");
            EXO_TRY(read_vec3(c, ce, EXO_DIM_LENGTH, sc->radial_centre));
            EXO_TRY(req_quantity(c, f, "radius", EXO_DIM_LENGTH, POSITIVE, &sc->radial_radius));
            EXO_TRY(req_quantity(c, f, "velocity", EXO_DIM_VELOCITY, POSITIVE,
                                 &sc->radial_speed));
        } else {
            const config_setting_t *extra = config_setting_get_member(f, "centre");
            if (extra == NULL)
                extra = config_setting_get_member(f, "radius");
            if (extra)
                return bad(c, extra, "only kind = \"radial\" flow has a centre and radius");
            if (v == NULL)
                return missing(c, f, "velocity", "3 velocities, e.g. [100.0, 0.0, 0.0] (um/s)");
            EXO_TRY(read_vec3(c, v, EXO_DIM_VELOCITY, sc->flow));
        }
    }
cleanup:
    return rc;
}

static int inside_box(const exo_scenario *sc, const double x[3])
{
    for (int a = 0; a < 3; a++)
        if (x[a] < sc->box_lo[a] || x[a] > sc->box_hi[a])
            return 0;
    return 1;
}

/*
 * A boundary named by a string: one of the built-in names `builtin`
 * (NULL-terminated; their index is the EXO_FACE_* code) or a surface from
 * `surfaces`.  *kind gets the EXO_FACE_* code, *surf the surface index or -1.
 */
static exo_status read_boundary(cfg *c, const config_setting_t *e,
                                const exo_scenario *sc, const char *const *builtin,
                                int wall, int *kind, int *surf)
{
    static const char *const codes[] = {"periodic", "reflect", "open", "absorb", NULL};
    const char *name = NULL;
    exo_status rc = read_string(c, e, &name);
    if (rc != EXO_OK)
        return rc;
    *kind = -1;
    *surf = -1;
    for (int k = 0; builtin[k]; k++)
        if (strcmp(name, builtin[k]) == 0)
            for (int j = 0; codes[j]; j++)
                if (strcmp(name, codes[j]) == 0)
                    *kind = j;
    for (uint32_t k = 0; *kind < 0 && k < sc->n_surfaces; k++)
        if (strcmp(name, sc->surface[k].name) == 0) {
            /* a receptor surface captures like an adsorbing one, with
             * the probability of its reactive layer (exo_scenario.c) */
            static const int face_of[] = {EXO_FACE_REFLECT, EXO_FACE_ABSORB,
                                          EXO_FACE_ADSORB, EXO_FACE_ADSORB,
                                          EXO_FACE_LEAKY};
            *surf = (int)k;
            *kind = face_of[sc->surface[k].behaviour];
            if (*kind == EXO_FACE_LEAKY && !wall)
                return bad(c, e, "surface \"%s\" is leaky: pores belong to a vessel's "
                                 "wall (geometry.vessels.[i].wall or a region's wall), "
                                 "with a tissue on its other side", name);
        }
    if (*kind >= 0)
        return EXO_OK;
    char list[768] = "";
    for (int k = 0; builtin[k]; k++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s\"%s\"", k ? ", " : "", builtin[k]);
    }
    if (sc->n_surfaces) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, " or a surface");
    }
    for (uint32_t k = 0; k < sc->n_surfaces; k++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, ", \"%s\"", sc->surface[k].name);
    }
    return bad(c, e, "expected %s, got \"%s\"", list, name);
}

static exo_status load_vessels(cfg *c, const config_setting_t *geo, exo_scenario *sc)
{
    static const char *const keys[] = {"name", "radius", "length", "origin", "axis",
                                       "ends", "wall", "flow", "regions", "hindered",
                                       NULL};
    static const char *const region_keys[] = {"name", "from", "to", "wall", NULL};
    static const char *const flow_keys[] = {"mean_velocity", "flow_rate",
                                            "pressure_drop", NULL};
    static const char *const axes[] = {"x", "y", "z", NULL};
    static const char *const end_kinds[] = {"periodic", "reflect", "open", "absorb", NULL};
    static const char *const wall_kinds[] = {"reflect", "absorb", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *l = config_setting_get_member(geo, "vessels");
    if (l == NULL)
        return EXO_OK;
    if (config_setting_type(l) != CONFIG_TYPE_LIST || config_setting_length(l) < 1)
        return bad(c, l, "expected a list of one or more vessels ( { name; radius; "
                         "length; origin; axis; ... }, ... )");
    int n = config_setting_length(l);
    if (n > EXO_MAX_VESSELS)
        return bad(c, l, "at most %d vessels", EXO_MAX_VESSELS);
    for (int k = 0; k < n; k++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)k), *s;
        exo_vessel *v = &sc->vessel[k];
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return bad(c, g, "expected a vessel group { name; radius; length; ... }, got %s",
                       type_name(config_setting_type(g)));
        EXO_TRY(check_keys(c, g, keys));
        const char *name = NULL;
        if ((s = config_setting_get_member(g, "name")) == NULL)
            return missing(c, g, "name", "the vessel's name, used by vesicles.start.region");
        EXO_TRY(read_string(c, s, &name));
        if (!valid_name(name) || strlen(name) >= sizeof v->name || strcmp(name, "box") == 0)
            return bad(c, s, "expected 1 to %zu letters, digits, '_', '-' or '.', not "
                             "\"box\", got \"%s\"", sizeof v->name - 1, name);
        for (int j = 0; j < k; j++)
            if (strcmp(name, sc->vessel[j].name) == 0)
                return bad(c, s, "a vessel named \"%s\" is already defined", name);
        snprintf(v->name, sizeof v->name, "%s", name);
        EXO_TRY(req_quantity(c, g, "radius", EXO_DIM_LENGTH, POSITIVE, &v->radius));
        EXO_TRY(req_quantity(c, g, "length", EXO_DIM_LENGTH, POSITIVE, &v->length));
        if ((s = config_setting_get_member(g, "origin")) == NULL)
            return missing(c, g, "origin", "the centre of the inlet face [x, y, z] (um)");
        EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, v->origin));
        /* axis: "x", "y", "z" or a direction [dx, dy, dz] */
        double dir[3] = {0, 0, 1};
        if ((s = config_setting_get_member(g, "axis")) != NULL) {
            if (config_setting_type(s) == CONFIG_TYPE_STRING) {
                int a = 0;
                EXO_TRY(read_choice(c, s, axes, &a));
                dir[2] = 0;
                dir[a] = 1;
            } else {
                EXO_TRY(read_vec3(c, s, EXO_DIM_NUMBER, dir));
                double n2 = dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2];
                if (!(n2 > 0) || !isfinite(n2))
                    return bad(c, s, "expected \"x\", \"y\", \"z\" or a direction "
                                     "[dx, dy, dz] that is not zero");
            }
        }
        exo_vessel_set_axis(v, dir);
        /* Ends: one string for both, or [inlet, outlet]. */
        v->end[0] = v->end[1] = EXO_FACE_OPEN;
        v->end_surface[0] = v->end_surface[1] = -1;
        if ((s = config_setting_get_member(g, "ends")) != NULL) {
            int t = config_setting_type(s);
            if (t == CONFIG_TYPE_STRING) {
                EXO_TRY(read_boundary(c, s, sc, end_kinds, 0, &v->end[0],
                                      &v->end_surface[0]));
                v->end[1] = v->end[0];
                v->end_surface[1] = v->end_surface[0];
            } else if ((t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST) &&
                       config_setting_length(s) == 2) {
                for (int e = 0; e < 2; e++)
                    EXO_TRY(read_boundary(c, config_setting_get_elem(s, (unsigned)e), sc,
                                          end_kinds, 0, &v->end[e], &v->end_surface[e]));
            } else {
                return bad(c, s, "expected a string for both ends or [inlet, outlet], each "
                                 "\"open\", \"periodic\", \"reflect\", \"absorb\" or "
                                 "a surface");
            }
            if ((v->end[0] == EXO_FACE_PERIODIC) != (v->end[1] == EXO_FACE_PERIODIC))
                return bad(c, s, "periodic must apply to both ends");
            if (v->end[0] == EXO_FACE_PERIODIC && v->axis < 0)
                return bad(c, s, "periodic ends need an axis along +x, +y or +z (the "
                                 "passes are counted in that axis's image count); this "
                                 "vessel's axis is (%g, %g, %g)", v->frame[0], v->frame[1],
                           v->frame[2]);
        }
        v->wall = EXO_FACE_REFLECT;
        v->wall_surface = -1;
        if ((s = config_setting_get_member(g, "wall")) != NULL)
            EXO_TRY(read_boundary(c, s, sc, wall_kinds, 1, &v->wall, &v->wall_surface));
        v->hindered = 0;
        if ((s = config_setting_get_member(g, "hindered")) != NULL) {
            if (config_setting_type(s) != CONFIG_TYPE_BOOL)
                return bad(c, s, "expected true or false, got %s",
                           type_name(config_setting_type(s)));
            v->hindered = config_setting_get_bool(s);
        }
        const config_setting_t *rl = config_setting_get_member(g, "regions");
        if (rl != NULL) {
            int nr = config_setting_length(rl);
            if (config_setting_type(rl) != CONFIG_TYPE_LIST)
                return bad(c, rl, "expected a list of regions ( { name; from; to; wall; }, "
                                  "... )");
            if (nr > EXO_MAX_REGIONS)
                return bad(c, rl, "at most %d regions per vessel", EXO_MAX_REGIONS);
            for (int r = 0; r < nr; r++) {
                const config_setting_t *rg = config_setting_get_elem(rl, (unsigned)r), *rs;
                exo_region *reg = &v->region[r];
                if (config_setting_type(rg) != CONFIG_TYPE_GROUP)
                    return bad(c, rg, "expected a region group { name; from; to; wall; }");
                EXO_TRY(check_keys(c, rg, region_keys));
                const char *rname = NULL;
                if ((rs = config_setting_get_member(rg, "name")) == NULL)
                    return missing(c, rg, "name", "the region's name (names its observables)");
                EXO_TRY(read_string(c, rs, &rname));
                if (!valid_name(rname) || strlen(rname) >= sizeof reg->name - 16)
                    return bad(c, rs, "expected 1 to %zu letters, digits, '_', '-' or '.'",
                               sizeof reg->name - 17);
                for (int j = 0; j <= k; j++)
                    for (uint32_t q = 0; q < (j < k ? sc->vessel[j].n_regions : (uint32_t)r); q++)
                        if (strcmp(rname, sc->vessel[j].region[q].name) == 0)
                            return bad(c, rs, "a region named \"%s\" is already defined",
                                       rname);
                snprintf(reg->name, sizeof reg->name, "%s", rname);
                EXO_TRY(req_quantity(c, rg, "from", EXO_DIM_LENGTH, NONNEGATIVE, &reg->from));
                EXO_TRY(req_quantity(c, rg, "to", EXO_DIM_LENGTH, POSITIVE, &reg->to));
                if (!(reg->from < reg->to) || reg->to > v->length)
                    return bad(c, rg, "region \"%s\" [%g, %g) um must lie within the vessel "
                                      "[0, %g] um, from < to", rname, reg->from, reg->to,
                               v->length);
                for (int q = 0; q < r; q++)
                    if (reg->from < v->region[q].to && v->region[q].from < reg->to)
                        return bad(c, rg, "region \"%s\" overlaps region \"%s\"", rname,
                                   v->region[q].name);
                reg->wall = v->wall;
                reg->wall_surface = v->wall_surface;
                if ((rs = config_setting_get_member(rg, "wall")) != NULL)
                    EXO_TRY(read_boundary(c, rs, sc, wall_kinds, 1, &reg->wall,
                                          &reg->wall_surface));
            }
            v->n_regions = (uint32_t)nr;
        }
        if (v->hindered) {
            /* Released at contact, where D_perp vanishes, a vesicle would
             * touch the wall again at once and readsorb with certainty. */
            int32_t used[2 + 1 + EXO_MAX_REGIONS] = {v->end_surface[0], v->end_surface[1],
                                                     v->wall_surface};
            for (uint32_t r = 0; r < v->n_regions; r++)
                used[3 + r] = v->region[r].wall_surface;
            for (uint32_t j = 0; j < 3 + v->n_regions; j++)
                if (used[j] >= 0 && sc->surface[used[j]].desorption_rate > 0)
                    return bad(c, config_setting_get_member(g, "hindered"),
                               "near-wall hindered diffusion cannot be combined with "
                               "desorption (surface \"%s\"): a vesicle released at "
                               "contact, where the perpendicular diffusivity vanishes, "
                               "would readsorb at once; set hindered = false or "
                               "desorption_rate = 0", sc->surface[used[j]].name);
        }
        const config_setting_t *f;
        EXO_TRY(get_group(c, g, "flow", 0, &f));
        v->mean_velocity = 0;
        if (f) {
            EXO_TRY(check_keys(c, f, flow_keys));
            const config_setting_t *given = NULL;
            int count = 0;
            for (int j = 0; flow_keys[j]; j++)
                if (config_setting_get_member(f, flow_keys[j]) != NULL) {
                    given = config_setting_get_member(f, flow_keys[j]);
                    count++;
                }
            if (count != 1)
                return bad(c, count ? given : f, "give exactly one of mean_velocity, "
                                                 "flow_rate or pressure_drop");
            double q = 0, area = M_PI * v->radius * v->radius;
            if (config_setting_get_member(f, "mean_velocity")) {
                EXO_TRY(req_quantity(c, f, "mean_velocity", EXO_DIM_VELOCITY, ANY,
                                     &v->mean_velocity));
            } else if (config_setting_get_member(f, "flow_rate")) {
                EXO_TRY(req_quantity(c, f, "flow_rate", EXO_DIM_VOLUME_RATE, ANY, &q));
                v->mean_velocity = q / area;
            } else {
                /* Hagen-Poiseuille: dp/dz = -8 eta U / R^2 over the length. */
                EXO_TRY(req_quantity(c, f, "pressure_drop", EXO_DIM_PRESSURE, ANY, &q));
                v->mean_velocity = q * v->radius * v->radius / (8 * sc->viscosity * v->length);
            }
        }
    }
    sc->n_vessels = (uint32_t)n;
cleanup:
    return rc;
}

/* A list of groups: its length in *n (at most max), or an error naming
 * what each element should be. */
static exo_status read_group_list(cfg *c, const config_setting_t *l, int max,
                                  const char *what, int *n)
{
    int t = config_setting_type(l);
    *n = config_setting_length(l);
    if (t != CONFIG_TYPE_LIST || *n < 1)
        return bad(c, l, "expected a list ( %s, ... )", what);
    if (*n > max)
        return bad(c, l, "at most %d entries", max);
    for (int i = 0; i < *n; i++)
        if (config_setting_type(config_setting_get_elem(l, (unsigned)i)) != CONFIG_TYPE_GROUP)
            return bad(c, config_setting_get_elem(l, (unsigned)i), "expected %s", what);
    return EXO_OK;
}

/*
 * A tissue beside a vessel: the box outside the vessel is the tissue
 * compartment.  One vessel, along x, y or z, running through the box from
 * face to face (its ends on the box faces normal to its axis) and inside
 * it across the axis, whose side faces do not wrap (the lateral distance
 * to the vessel is taken in the box).
 */
static exo_status check_tissue_vessel(cfg *c, const config_setting_t *t, exo_scenario *sc)
{
    if (sc->n_vessels == 0)
        return EXO_OK;
    if (sc->n_vessels > 1)
        return bad(c, t, "a tissue lies beside one vessel (got %u vessels)", sc->n_vessels);
    const exo_vessel *v = &sc->vessel[0];
    const int ax = v->axis;
    if (ax < 0)
        return bad(c, t, "the vessel \"%s\" beside a tissue must run along \"x\", \"y\" "
                         "or \"z\" (its axis is (%g, %g, %g))", v->name, v->frame[0],
                   v->frame[1], v->frame[2]);
    double len = sc->box_hi[ax] - sc->box_lo[ax], tol = 1e-9 * len;
    if (fabs(v->origin[ax] - sc->box_lo[ax]) > tol || fabs(v->length - len) > tol)
        return bad(c, t, "vessel \"%s\" must run through the tissue box from face to face "
                         "along %c: its inlet at %c = %g um and length %g um, the box from "
                         "%g to %g um", v->name, "xyz"[ax], "xyz"[ax], v->origin[ax],
                   v->length, sc->box_lo[ax], sc->box_hi[ax]);
    for (int q = 1; q <= 2; q++) {
        int a = (ax + q) % 3;
        if (sc->face[2 * a] == EXO_FACE_PERIODIC)
            return bad(c, t, "the box faces on %c, across vessel \"%s\", may not be "
                             "periodic: the tissue's distance to the vessel is taken in "
                             "the box", "xyz"[a], v->name);
        if (v->origin[a] - v->radius < sc->box_lo[a] ||
            v->origin[a] + v->radius > sc->box_hi[a])
            return bad(c, t, "vessel \"%s\" (centre %c = %g um, radius %g um) lies outside "
                             "the tissue box [%g, %g] um along %c", v->name, "xyz"[a],
                       v->origin[a], v->radius, sc->box_lo[a], sc->box_hi[a], "xyz"[a]);
    }
    for (int f = 0; f < 6; f++) {
        int j = sc->face_surface[f];
        if (j >= 0 && (sc->surface[j].behaviour == EXO_SURFACE_BIND ||
                       (sc->surface[j].behaviour == EXO_SURFACE_ADSORB &&
                        sc->surface[j].adsorbed_state == EXO_STATE_BOUND)))
            return bad(c, t, "box face %c%c (surface \"%s\") holds vesicles; beside a "
                             "vessel, the tissue box's faces may be periodic, reflect, open, "
                             "absorb, or remove what they adsorb", "xyz"[f / 2],
                       f % 2 ? '+' : '-', sc->surface[j].name);
    }
    return EXO_OK;
}

/*
 * geometry.tissue: cells in the box (placement, spacing or volume_fraction,
 * cell_types, cells) or, without explicit cells, the effective diffusion of
 * the extracellular space (effective_diffusion = { tortuosity; width; }).
 * The cells are placed here (exo_tissue_place), so that an impossible
 * packing is reported against the setting.
 */
static exo_status load_tissue(cfg *c, const config_setting_t *g, exo_scenario *sc)
{
    static const char *const keys[] = {"placement", "spacing", "volume_fraction",
                                       "cell_types", "cells", "effective_diffusion", NULL};
    static const char *const placements[] = {"simple_cubic", "hexagonal", "random",
                                             "fixed", NULL};
    static const char *const type_keys[] = {"name", "radius", "share", "surface", NULL};
    static const char *const cell_keys[] = {"type", "centre", "radius", NULL};
    static const char *const ecs_keys[] = {"tortuosity", "width", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *t, *s, *e;
    EXO_TRY(get_group(c, g, "tissue", 0, &t));
    if (t == NULL)
        return EXO_OK;
    EXO_TRY(check_keys(c, t, keys));
    if (!sc->has_box)
        return bad(c, t, "a tissue needs geometry.box (the tissue fills the box)");
    sc->has_tissue = 1;
    EXO_TRY(check_tissue_vessel(c, t, sc));
    EXO_TRY(get_group(c, t, "effective_diffusion", 0, &e));
    const config_setting_t *pl = config_setting_get_member(t, "placement");
    if (e) {
        EXO_TRY(check_keys(c, e, ecs_keys));
        if (pl)
            return bad(c, e, "give either explicit cells (placement) or the "
                             "effective diffusion of the extracellular space, not both: "
                             "explicit cells already hinder diffusion");
        EXO_TRY(req_quantity(c, e, "tortuosity", EXO_DIM_NUMBER, POSITIVE,
                             &sc->ecs_tortuosity));
        if (sc->ecs_tortuosity < 1)
            return bad(c, config_setting_get_member(e, "tortuosity"),
                       "a tortuosity lambda = sqrt(D / D_ECS) is at least 1 (got %g); "
                       "brain ECS has 1.6 (PHYSICS.md 6)", sc->ecs_tortuosity);
        EXO_TRY(opt_quantity(c, e, "width", EXO_DIM_LENGTH, POSITIVE, &sc->ecs_width, NULL));
        return EXO_OK;
    }
    if (pl == NULL && sc->n_vessels && config_setting_get_member(t, "cell_types") == NULL)
        return EXO_OK; /* beside a vessel: interstitial fluid without cells */
    if (pl == NULL)
        return missing(c, t, "placement", "\"simple_cubic\", \"hexagonal\", \"random\" "
                                          "or \"fixed\" (or effective_diffusion = { ... })");
    EXO_TRY(read_choice(c, pl, placements, &sc->placement));
    const config_setting_t *tl = config_setting_get_member(t, "cell_types");
    if (tl == NULL)
        return missing(c, t, "cell_types", "a list ( { name; radius; share; }, ... )");
    int nt = 0;
    EXO_TRY(read_group_list(c, tl, EXO_MAX_CELL_TYPES, "a cell type { name; radius; share; }",
                            &nt));
    for (int k = 0; k < nt; k++) {
        const config_setting_t *tg = config_setting_get_elem(tl, (unsigned)k);
        exo_cell_type *ct = &sc->cell_type[k];
        EXO_TRY(check_keys(c, tg, type_keys));
        const char *name = NULL;
        if ((s = config_setting_get_member(tg, "name")) == NULL)
            return missing(c, tg, "name", "the cell type's name, e.g. \"tumour\"");
        EXO_TRY(read_string(c, s, &name));
        if (!valid_name(name) || strlen(name) >= sizeof ct->name)
            return bad(c, s, "expected 1 to %zu letters, digits, '_', '-' or '.'",
                       sizeof ct->name - 1);
        for (int j = 0; j < k; j++)
            if (strcmp(name, sc->cell_type[j].name) == 0)
                return bad(c, s, "a cell type named \"%s\" is already defined", name);
        snprintf(ct->name, sizeof ct->name, "%s", name);
        EXO_TRY(req_quantity(c, tg, "radius", EXO_DIM_LENGTH, POSITIVE, &ct->radius));
        ct->share = 1;
        EXO_TRY(opt_quantity(c, tg, "share", EXO_DIM_NUMBER, POSITIVE, &ct->share, NULL));
        ct->surface = -1;
        if ((s = config_setting_get_member(tg, "surface")) != NULL) {
            /* Uptake by cells: an absorbing surface, or an adsorbing one whose
             * vesicles are taken up (state absorbed); cells that hold what they
             * capture: receptors (bind) or adsorption (adsorbed = "bound"). */
            const char *sname = NULL;
            EXO_TRY(read_string(c, s, &sname));
            for (uint32_t j = 0; j < sc->n_surfaces; j++)
                if (strcmp(sname, sc->surface[j].name) == 0)
                    ct->surface = (int)j;
            if (ct->surface < 0)
                return bad(c, s, "no surface named \"%s\" in surfaces", sname);
            const exo_surface *sf = &sc->surface[ct->surface];
            if (sf->behaviour == EXO_SURFACE_LEAKY)
                return bad(c, s, "surface \"%s\" is leaky: pores belong to vessel walls",
                           sname);
            if (sf->behaviour == EXO_SURFACE_BIND && sf->transcytosis_rate > 0)
                return bad(c, s, "surface \"%s\" has transcytosis: crossing by transcytosis "
                                 "belongs to vessel walls", sname);
        }
    }
    sc->n_cell_types = (uint32_t)nt;
    const config_setting_t *sp = config_setting_get_member(t, "spacing");
    const config_setting_t *vf = config_setting_get_member(t, "volume_fraction");
    const config_setting_t *cl = config_setting_get_member(t, "cells");
    const int lattice = sc->placement == EXO_PLACEMENT_SIMPLE_CUBIC ||
                        sc->placement == EXO_PLACEMENT_HEXAGONAL;
    /* Each placement takes its own settings and no other's. */
    if (lattice && sp == NULL)
        return missing(c, t, "spacing", "the distance between neighbouring cell centres, "
                                        "e.g. \"20 um\"");
    if (!lattice && sp)
        return bad(c, sp, "only a lattice (simple_cubic, hexagonal) has a spacing");
    if (sc->placement == EXO_PLACEMENT_RANDOM && vf == NULL)
        return missing(c, t, "volume_fraction", "the fraction of the box the cells fill, "
                                                "e.g. 0.3");
    if (sc->placement != EXO_PLACEMENT_RANDOM && vf)
        return bad(c, vf, "only random placement takes a volume_fraction (a lattice's "
                          "follows from its spacing and the cell radii)");
    if (sc->placement == EXO_PLACEMENT_FIXED && cl == NULL)
        return missing(c, t, "cells", "a list ( { type; centre; radius; }, ... )");
    if (sc->placement != EXO_PLACEMENT_FIXED && cl)
        return bad(c, cl, "only placement = \"fixed\" lists cells");
    if (sp)
        EXO_TRY(req_quantity(c, t, "spacing", EXO_DIM_LENGTH, POSITIVE, &sc->cell_spacing));
    if (vf) {
        EXO_TRY(req_quantity(c, t, "volume_fraction", EXO_DIM_NUMBER, POSITIVE,
                             &sc->cell_fraction));
        if (sc->cell_fraction >= 1)
            return bad(c, vf, "must be below 1 (got %g)", sc->cell_fraction);
    }
    if (cl) {
        int n = 0;
        EXO_TRY(read_group_list(c, cl, 10000, "a cell { type; centre; radius; }", &n));
        free(sc->cell);
        EXO_ALLOC(sc->cell, (size_t)n, c->err, "the listed cells");
        sc->n_cells = (uint32_t)n;
        for (int i = 0; i < n; i++) {
            const config_setting_t *cg = config_setting_get_elem(cl, (unsigned)i);
            exo_cell *cell = &sc->cell[i];
            EXO_TRY(check_keys(c, cg, cell_keys));
            const char *type = NULL;
            cell->type = nt == 1 ? 0 : -1;
            if ((s = config_setting_get_member(cg, "type")) != NULL) {
                EXO_TRY(read_string(c, s, &type));
                cell->type = -1;
                for (int k = 0; k < nt; k++)
                    if (strcmp(type, sc->cell_type[k].name) == 0)
                        cell->type = k;
                if (cell->type < 0)
                    return bad(c, s, "no cell type named \"%s\" in cell_types", type);
            } else if (cell->type < 0) {
                return missing(c, cg, "type", "one of the cell_types' names");
            }
            if ((s = config_setting_get_member(cg, "centre")) == NULL)
                return missing(c, cg, "centre", "the cell's centre [x, y, z] (um)");
            EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, cell->centre));
            cell->radius = sc->cell_type[cell->type].radius;
            EXO_TRY(opt_quantity(c, cg, "radius", EXO_DIM_LENGTH, POSITIVE, &cell->radius,
                                 NULL));
        }
    }
    {
        exo_error why;
        memset(&why, 0, sizeof why);
        if (exo_tissue_place(sc, &why) != EXO_OK)
            return bad(c, cl ? cl : t, "%s", why.msg);
    }
    for (uint32_t i = 0; sc->n_vessels && i < sc->n_cells; i++) {
        double gap = exo_tissue_vessel_gap(sc, &sc->cell[i]);
        if (gap < 0)
            return bad(c, cl ? cl : t, "cell %u (centre [%g, %g, %g] um, radius %g um) "
                                       "overlaps vessel \"%s\" (radius %g um) by %g um", i,
                       sc->cell[i].centre[0], sc->cell[i].centre[1], sc->cell[i].centre[2],
                       sc->cell[i].radius, sc->vessel[0].name, sc->vessel[0].radius, -gap);
    }
cleanup:
    return rc;
}

static exo_status load_geometry(cfg *c, const config_setting_t *root,
                                exo_scenario *sc)
{
    static const char *const keys[] = {"box", "vessels", "tissue", NULL};
    static const char *const box_keys[] = {"lower", "upper", "faces", NULL};
    static const char *const builtin[] = {"periodic", "reflect", "open", "absorb", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g, *b, *s;
    EXO_TRY(get_group(c, root, "geometry", 1, &g));
    EXO_TRY(check_keys(c, g, keys));
    EXO_TRY(load_vessels(c, g, sc));
    for (int f = 0; f < 6; f++) {
        sc->face[f] = EXO_FACE_REFLECT;
        sc->face_surface[f] = -1;
    }
    /* The box is required without vessels; with vessels and no box, the
     * vessels' bounding box stands in for it in the output. */
    EXO_TRY(get_group(c, g, "box", sc->n_vessels == 0, &b));
    if (b == NULL) {
        for (int a = 0; a < 3; a++) {
            sc->box_lo[a] = INFINITY;
            sc->box_hi[a] = -INFINITY;
        }
        for (uint32_t k = 0; k < sc->n_vessels; k++) {
            const exo_vessel *v = &sc->vessel[k];
            /* A cylinder reaches R sqrt(1 - e_a^2) across axis a beyond
             * its two end centres. */
            for (int a = 0; a < 3; a++) {
                double e = v->frame[a], end = v->origin[a] + v->length * e;
                double across = v->radius * sqrt(fmax(0.0, 1 - e * e));
                sc->box_lo[a] = fmin(sc->box_lo[a], fmin(v->origin[a], end) - across);
                sc->box_hi[a] = fmax(sc->box_hi[a], fmax(v->origin[a], end) + across);
            }
        }
        return EXO_OK;
    }
    sc->has_box = 1;
    EXO_TRY(check_keys(c, b, box_keys));
    if ((s = config_setting_get_member(b, "lower")) == NULL)
        return missing(c, b, "lower", "the lower corner [x, y, z] (um)");
    EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, sc->box_lo));
    if ((s = config_setting_get_member(b, "upper")) == NULL)
        return missing(c, b, "upper", "the upper corner [x, y, z] (um)");
    EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, sc->box_hi));
    for (int a = 0; a < 3; a++)
        if (!(sc->box_hi[a] > sc->box_lo[a]))
            return bad(c, s, "impossible box: upper %c = %g um is not above lower "
                             "%c = %g um", "xyz"[a], sc->box_hi[a], "xyz"[a],
                       sc->box_lo[a]);
    if ((s = config_setting_get_member(b, "faces")) != NULL) {
        int t = config_setting_type(s), n = config_setting_length(s);
        if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) || (n != 3 && n != 6))
            return bad(c, s, "expected 3 strings (x, y, z) or 6 (x-, x+, y-, y+, "
                             "z-, z+), each \"periodic\", \"reflect\", \"open\", "
                             "\"absorb\" or the name of a surface");
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            int kind = -1, surf = -1;
            EXO_TRY(read_boundary(c, e, sc, builtin, 0, &kind, &surf));
            for (int f = n == 3 ? 2 * i : i; f <= (n == 3 ? 2 * i + 1 : i); f++) {
                sc->face[f] = kind;
                sc->face_surface[f] = surf;
            }
        }
        for (int a = 0; a < 3; a++)
            if ((sc->face[2 * a] == EXO_FACE_PERIODIC) != (sc->face[2 * a + 1] == EXO_FACE_PERIODIC))
                return bad(c, s, "axis %c: periodic must apply to both faces of an "
                                 "axis", "xyz"[a]);
    }
    EXO_TRY(load_tissue(c, g, sc));
cleanup:
    return rc;
}

/* receptors = ( { type; density; }, ... ) of a "bind" surface g. */
static exo_status load_receptors(cfg *c, const config_setting_t *g,
                                 const config_setting_t *l, exo_surface *sf)
{
    static const char *const keys[] = {"type", "density", NULL};
    exo_status rc = EXO_OK;
    if (l == NULL)
        return missing(c, g, "receptors", "a list of receptor types ( { type = \"...\"; "
                                          "density = \"100 /um^2\"; }, ... )");
    if (config_setting_type(l) != CONFIG_TYPE_LIST || config_setting_length(l) < 1)
        return bad(c, l, "expected a list of one or more receptor types ( { type; "
                         "density; }, ... )");
    int n = config_setting_length(l);
    if (n > EXO_MAX_RECEPTORS)
        return bad(c, l, "at most %d receptor types per surface", EXO_MAX_RECEPTORS);
    for (int k = 0; k < n; k++) {
        const config_setting_t *r = config_setting_get_elem(l, (unsigned)k), *s;
        exo_receptor *rc_ = &sf->receptor[k];
        if (config_setting_type(r) != CONFIG_TYPE_GROUP)
            return bad(c, r, "expected a receptor group { type; density; }");
        EXO_TRY(check_keys(c, r, keys));
        const char *type = NULL;
        if ((s = config_setting_get_member(r, "type")) == NULL)
            return missing(c, r, "type", "the receptor's type, named by binding.[i].receptor");
        EXO_TRY(read_string(c, s, &type));
        if (!valid_name(type) || strlen(type) >= sizeof rc_->type)
            return bad(c, s, "expected 1 to %zu letters, digits, '_', '-' or '.', got \"%s\"",
                       sizeof rc_->type - 1, type);
        for (int j = 0; j < k; j++)
            if (strcmp(sf->receptor[j].type, type) == 0)
                return bad(c, s, "receptor type \"%s\" is already listed on this surface",
                           type);
        snprintf(rc_->type, sizeof rc_->type, "%s", type);
        EXO_TRY(req_quantity(c, r, "density", EXO_DIM_AREAL_DENSITY, NONNEGATIVE,
                             &rc_->density));
    }
    sf->n_receptors = (uint32_t)n;
cleanup:
    return rc;
}

/* pores = { radius; density; model; } of a "leaky" surface (required). */
static exo_status load_pores(cfg *c, const config_setting_t *g, const config_setting_t *p,
                             exo_surface *sf)
{
    static const char *const keys[] = {"radius", "density", "model", NULL};
    static const char *const models[] = {"homogenised", "explicit", NULL};
    exo_status rc = EXO_OK;
    if (p == NULL)
        return missing(c, g, "pores", "the wall's pores { radius = \"400 nm\"; density = "
                                      "\"0.1 /um^2\"; }");
    if (config_setting_type(p) != CONFIG_TYPE_GROUP)
        return bad(c, p, "expected a group { radius; density; model; }");
    EXO_TRY(check_keys(c, p, keys));
    EXO_TRY(req_quantity(c, p, "radius", EXO_DIM_LENGTH, POSITIVE, &sf->pore_radius));
    EXO_TRY(req_quantity(c, p, "density", EXO_DIM_AREAL_DENSITY, POSITIVE,
                         &sf->pore_density));
    sf->pores_explicit = 0;
    const config_setting_t *m = config_setting_get_member(p, "model");
    if (m)
        EXO_TRY(read_choice(c, m, models, &sf->pores_explicit));
cleanup:
    return rc;
}

/* transcytosis = { rate; } of a "bind" surface on a vessel wall. */
static exo_status load_transcytosis(cfg *c, const config_setting_t *g, exo_surface *sf)
{
    static const char *const keys[] = {"rate", NULL};
    exo_status rc = EXO_OK;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return bad(c, g, "expected a group { rate; }");
    EXO_TRY(check_keys(c, g, keys));
    EXO_TRY(req_quantity(c, g, "rate", EXO_DIM_RATE, NONNEGATIVE, &sf->transcytosis_rate));
cleanup:
    return rc;
}

/* internalization = { rate; min_bonds; } of a "bind" surface (optional). */
static exo_status load_internalization(cfg *c, const config_setting_t *g, exo_surface *sf)
{
    static const char *const keys[] = {"rate", "min_bonds", NULL};
    exo_status rc = EXO_OK;
    sf->uptake_rate = 0;
    sf->uptake_min_bonds = 1;
    if (g == NULL)
        return EXO_OK;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return bad(c, g, "expected a group { rate; min_bonds; }");
    EXO_TRY(check_keys(c, g, keys));
    EXO_TRY(req_quantity(c, g, "rate", EXO_DIM_RATE, NONNEGATIVE, &sf->uptake_rate));
    long long m = 1;
    EXO_TRY(opt_int(c, g, "min_bonds", 1, EXO_MAX_BONDS, &m, NULL));
    sf->uptake_min_bonds = (int)m;
cleanup:
    return rc;
}

/* binding = ( { ligand; receptor; k_on; k_off; bond_length; x_beta;
 *               catch_rate; catch_length; }, ... ) */
static exo_status load_binding(cfg *c, const config_setting_t *root, exo_scenario *sc)
{
    static const char *const keys[] = {"ligand", "receptor", "k_on", "first_bond_rate",
                                       "k_off", "bond_length", "x_beta", "catch_rate",
                                       "catch_length", NULL};
    static const char *const fb_keys[] = {"rate", "receptor_density", "ligands", "radius",
                                          NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *l = config_setting_get_member(root, "binding");
    if (l == NULL)
        return EXO_OK;
    if (config_setting_type(l) != CONFIG_TYPE_LIST)
        return bad(c, l, "expected a list of ligand-receptor pairs ( { ligand; receptor; "
                         "k_on; k_off; bond_length; }, ... )");
    int n = config_setting_length(l);
    if (n > EXO_MAX_BINDINGS)
        return bad(c, l, "at most %d binding pairs", EXO_MAX_BINDINGS);
    for (int k = 0; k < n; k++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)k), *s;
        exo_binding *b = &sc->binding[k];
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return bad(c, g, "expected a pair group { ligand; receptor; k_on; ... }");
        EXO_TRY(check_keys(c, g, keys));
        const char *const names[2] = {"ligand", "receptor"};
        char *dst[2] = {b->ligand, b->receptor};
        for (int j = 0; j < 2; j++) {
            const char *v = NULL;
            if ((s = config_setting_get_member(g, names[j])) == NULL)
                return missing(c, g, names[j], j ? "the receptor type" : "the ligand type");
            EXO_TRY(read_string(c, s, &v));
            if (!valid_name(v) || strlen(v) >= EXO_NAME_MAX)
                return bad(c, s, "expected 1 to %d letters, digits, '_', '-' or '.'",
                           EXO_NAME_MAX - 1);
            snprintf(dst[j], EXO_NAME_MAX, "%s", v);
        }
        for (int j = 0; j < k; j++)
            if (strcmp(sc->binding[j].ligand, b->ligand) == 0 &&
                strcmp(sc->binding[j].receptor, b->receptor) == 0)
                return bad(c, g, "the pair %s-%s is already given", b->ligand, b->receptor);
        EXO_TRY(req_quantity(c, g, "bond_length", EXO_DIM_LENGTH, POSITIVE, &b->bond_length));
        /* The on-rate: k_on directly, or from a first-bond rate measured
         * for a vesicle of `ligands` copies and `radius` at a surface of
         * `receptor_density`: k_f = k_on sigma_R n_L delta / (2a). */
        const config_setting_t *fb = config_setting_get_member(g, "first_bond_rate");
        if (fb && config_setting_get_member(g, "k_on"))
            return bad(c, fb, "give either k_on or first_bond_rate, not both");
        if (fb == NULL) {
            EXO_TRY(req_quantity(c, g, "k_on", EXO_DIM_AREA_RATE, NONNEGATIVE, &b->k_on));
        } else {
            if (config_setting_type(fb) != CONFIG_TYPE_GROUP)
                return bad(c, fb, "expected a group { rate; receptor_density; ligands; "
                                  "radius; }: the first-bond rate of a vesicle with that "
                                  "many ligands and that radius at that receptor density");
            EXO_TRY(check_keys(c, fb, fb_keys));
            double rate = 0, density = 0, ligands = 0, radius = 0;
            EXO_TRY(req_quantity(c, fb, "rate", EXO_DIM_RATE, NONNEGATIVE, &rate));
            EXO_TRY(req_quantity(c, fb, "receptor_density", EXO_DIM_AREAL_DENSITY, POSITIVE,
                                 &density));
            EXO_TRY(req_quantity(c, fb, "ligands", EXO_DIM_NUMBER, POSITIVE, &ligands));
            EXO_TRY(req_quantity(c, fb, "radius", EXO_DIM_LENGTH, POSITIVE, &radius));
            b->k_on = rate * 2 * radius / (density * ligands * b->bond_length);
        }
        int has_koff = 0, has_xb = 0, has_kc = 0, has_xc = 0;
        EXO_TRY(opt_quantity(c, g, "k_off", EXO_DIM_RATE, NONNEGATIVE, &b->k_off, &has_koff));
        EXO_TRY(opt_quantity(c, g, "x_beta", EXO_DIM_LENGTH, NONNEGATIVE, &b->x_beta, &has_xb));
        EXO_TRY(opt_quantity(c, g, "catch_rate", EXO_DIM_RATE, NONNEGATIVE, &b->catch_rate,
                             &has_kc));
        EXO_TRY(opt_quantity(c, g, "catch_length", EXO_DIM_LENGTH, NONNEGATIVE,
                             &b->catch_length, &has_xc));
        if (has_xb && !has_koff)
            return bad(c, config_setting_get_member(g, "x_beta"),
                       "x_beta shapes the force dependence of k_off: give k_off too");
        if (has_kc != has_xc)
            return bad(c, config_setting_get_member(g, has_kc ? "catch_rate" : "catch_length"),
                       "the catch pathway k_c exp(-F x_c / kT) needs both catch_rate and "
                       "catch_length");
        if (has_kc && !has_koff)
            return bad(c, config_setting_get_member(g, "catch_rate"),
                       "a catch pathway needs the slip pathway too: give k_off (and x_beta)");
    }
    sc->n_bindings = (uint32_t)n;
cleanup:
    return rc;
}

static exo_status load_surfaces(cfg *c, const config_setting_t *root,
                                exo_scenario *sc)
{
    static const char *const keys[] = {"name", "behaviour", "kappa", "adsorbed",
                                       "desorption_rate", "receptors", "internalization",
                                       "patches", "receptor_recovery_rate", "depletion",
                                       "transcytosis", "pores", NULL};
    static const char *const behaviours[] = {"reflect", "absorb", "adsorb", "bind", "leaky",
                                             NULL};
    static const char *const adsorbed[] = {"bound", "removed", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *l = config_setting_get_member(root, "surfaces");
    if (l == NULL)
        return EXO_OK;
    if (config_setting_type(l) != CONFIG_TYPE_LIST)
        return bad(c, l, "expected a list of surfaces ( { name; behaviour; ... }, ... ), "
                         "got %s", type_name(config_setting_type(l)));
    int n = config_setting_length(l);
    if (n > EXO_MAX_SURFACES)
        return bad(c, l, "at most %d surfaces", EXO_MAX_SURFACES);
    for (int k = 0; k < n; k++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)k), *s;
        exo_surface *sf = &sc->surface[k];
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return bad(c, g, "expected a surface group { name; behaviour; ... }, got %s",
                       type_name(config_setting_type(g)));
        EXO_TRY(check_keys(c, g, keys));
        const char *name = NULL;
        if ((s = config_setting_get_member(g, "name")) == NULL)
            return missing(c, g, "name", "the surface's name, used by box faces");
        EXO_TRY(read_string(c, s, &name));
        if (!valid_name(name) || strlen(name) >= sizeof sf->name)
            return bad(c, s, "expected 1 to %zu letters, digits, '_', '-' or '.', got "
                             "\"%s\"", sizeof sf->name - 1, name);
        static const char *const reserved[] = {"periodic", "reflect", "open", "absorb", NULL};
        for (int r = 0; reserved[r]; r++)
            if (strcmp(name, reserved[r]) == 0)
                return bad(c, s, "\"%s\" is a built-in face behaviour; choose another "
                                 "name", name);
        for (int j = 0; j < k; j++)
            if (strcmp(name, sc->surface[j].name) == 0)
                return bad(c, s, "a surface named \"%s\" is already defined", name);
        snprintf(sf->name, sizeof sf->name, "%s", name);
        if ((s = config_setting_get_member(g, "behaviour")) == NULL)
            return missing(c, g, "behaviour", "\"reflect\", \"absorb\", \"adsorb\", \"bind\" "
                                              "or \"leaky\"");
        int which = 0;
        EXO_TRY(read_choice(c, s, behaviours, &which));
        sf->behaviour = which;
        sf->adsorbed_state = EXO_STATE_BOUND;
        const config_setting_t *kap = config_setting_get_member(g, "kappa");
        const config_setting_t *ads = config_setting_get_member(g, "adsorbed");
        const config_setting_t *des = config_setting_get_member(g, "desorption_rate");
        const config_setting_t *rec = config_setting_get_member(g, "receptors");
        const config_setting_t *upt = config_setting_get_member(g, "internalization");
        const config_setting_t *pat = config_setting_get_member(g, "patches");
        const config_setting_t *rcv = config_setting_get_member(g, "receptor_recovery_rate");
        const config_setting_t *dep = config_setting_get_member(g, "depletion");
        const config_setting_t *tcy = config_setting_get_member(g, "transcytosis");
        const config_setting_t *por = config_setting_get_member(g, "pores");
        if (which != EXO_SURFACE_LEAKY && por)
            return bad(c, por, "applies only to behaviour = \"leaky\"");
        if (which == EXO_SURFACE_LEAKY)
            EXO_TRY(load_pores(c, g, por, sf));
        if (which != EXO_SURFACE_BIND && tcy)
            return bad(c, tcy, "applies only to behaviour = \"bind\" (transcytosis takes a "
                               "vesicle bound by receptors across the wall)");
        if (tcy)
            EXO_TRY(load_transcytosis(c, tcy, sf));
        sf->patches[0] = sf->patches[1] = 1;
        sf->recovery_rate = 0;
        sf->depletion = 1;
        if (which != EXO_SURFACE_BIND) {
            const config_setting_t *only[] = {rec, upt, pat, rcv, dep};
            for (int j = 0; j < 5; j++)
                if (only[j])
                    return bad(c, only[j], "applies only to behaviour = \"bind\"");
        } else {
            EXO_TRY(load_receptors(c, g, rec, sf));
            EXO_TRY(load_internalization(c, upt, sf));
            if (pat) {
                int t = config_setting_type(pat);
                if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
                    config_setting_length(pat) != 2)
                    return bad(c, pat, "expected [along the axis, around it], two integers "
                                       ">= 1 (receptor patches of a vessel wall)");
                for (int j = 0; j < 2; j++) {
                    long long v = 0;
                    EXO_TRY(read_int(c, config_setting_get_elem(pat, (unsigned)j), 1, 4096, &v));
                    sf->patches[j] = (int)v;
                }
                if (sf->patches[0] * sf->patches[1] > 65536)
                    return bad(c, pat, "at most 65536 patches per surface (got %d x %d)",
                               sf->patches[0], sf->patches[1]);
            }
            if (rcv)
                EXO_TRY(req_quantity(c, g, "receptor_recovery_rate", EXO_DIM_RATE, NONNEGATIVE,
                                     &sf->recovery_rate));
            if (dep) {
                if (config_setting_type(dep) != CONFIG_TYPE_BOOL)
                    return bad(c, dep, "expected true or false, got %s",
                               type_name(config_setting_type(dep)));
                sf->depletion = config_setting_get_bool(dep);
            }
        }
        if (which != EXO_SURFACE_ADSORB) {
            const config_setting_t *only[] = {kap, ads, des};
            for (int j = 0; j < 3; j++)
                if (only[j])
                    return bad(c, only[j], "applies only to behaviour = \"adsorb\"");
            continue;
        }
        EXO_TRY(req_quantity(c, g, "kappa", EXO_DIM_VELOCITY, NONNEGATIVE, &sf->kappa));
        if (ads) {
            EXO_TRY(read_choice(c, ads, adsorbed, &which));
            sf->adsorbed_state = which == 0 ? EXO_STATE_BOUND : EXO_STATE_ABSORBED;
        }
        if (des) {
            if (sf->adsorbed_state != EXO_STATE_BOUND)
                return bad(c, des, "applies only to adsorbed = \"bound\" (removed "
                                   "vesicles do not come back)");
            EXO_TRY(req_quantity(c, g, "desorption_rate", EXO_DIM_RATE, NONNEGATIVE,
                                 &sf->desorption_rate));
        }
    }
    sc->n_surfaces = (uint32_t)n;
cleanup:
    return rc;
}

static exo_status load_radius(cfg *c, const config_setting_t *s, exo_population *p)
{
    static const char *const keys[] = {"distribution", "median", "sigma", "min", "max", NULL};
    static const char *const dists[] = {"lognormal", NULL};
    exo_status rc = EXO_OK;
    if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
        p->distribution = EXO_RADIUS_FIXED;
        EXO_TRY(read_quantity(c, s, EXO_DIM_LENGTH, &p->radius_median));
        EXO_TRY(check_sign(c, s, EXO_DIM_LENGTH, p->radius_median, POSITIVE));
        p->radius_min = p->radius_max = p->radius_median;
        return EXO_OK;
    }
    EXO_TRY(check_keys(c, s, keys));
    const config_setting_t *d = config_setting_get_member(s, "distribution");
    if (d == NULL)
        return missing(c, s, "distribution", "\"lognormal\" (a fixed radius is "
                                             "written radius = \"50 nm\")");
    int which = 0;
    EXO_TRY(read_choice(c, d, dists, &which));
    p->distribution = EXO_RADIUS_LOGNORMAL;
    EXO_TRY(req_quantity(c, s, "median", EXO_DIM_LENGTH, POSITIVE, &p->radius_median));
    EXO_TRY(req_quantity(c, s, "sigma", EXO_DIM_NUMBER, POSITIVE, &p->radius_sigma));
    p->radius_min = p->radius_median * exp(-3 * p->radius_sigma);
    p->radius_max = p->radius_median * exp(3 * p->radius_sigma);
    EXO_TRY(opt_quantity(c, s, "min", EXO_DIM_LENGTH, POSITIVE, &p->radius_min, NULL));
    EXO_TRY(opt_quantity(c, s, "max", EXO_DIM_LENGTH, POSITIVE, &p->radius_max, NULL));
    if (!(p->radius_min <= p->radius_median && p->radius_median <= p->radius_max))
        return bad(c, s, "needs min <= median <= max (got %g, %g, %g um)",
                   p->radius_min, p->radius_median, p->radius_max);
    if (p->radius_min == p->radius_max)
        return bad(c, s, "min and max are equal: write a fixed radius instead");
cleanup:
    return rc;
}

/* Where a population starts: `region` is "box" or a vessel's name; `kind`
 * is "uniform" (the box or sub-box lower..upper; the whole lumen), "slab"
 * (a vessel's lumen from the inlet to `thickness`) or "point". */
static exo_status load_start(cfg *c, const config_setting_t *pop, exo_scenario *sc,
                             exo_population *p)
{
    static const char *const keys[] = {"kind", "region", "lower", "upper", "position",
                                       "thickness", NULL};
    static const char *const kinds[] = {"uniform", "point", "slab", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g, *s, *reg = NULL;
    EXO_TRY(get_group(c, pop, "start", 0, &g));
    if (g)
        EXO_TRY(check_keys(c, g, keys));

    /* The region: the box, or a vessel's lumen. */
    p->vessel = -1;
    if (g && (reg = config_setting_get_member(g, "region")) != NULL) {
        const char *name = NULL;
        EXO_TRY(read_string(c, reg, &name));
        int found = strcmp(name, "box") == 0 && sc->has_box;
        for (uint32_t k = 0; !found && k < sc->n_vessels; k++)
            if (strcmp(name, sc->vessel[k].name) == 0) {
                p->vessel = (int)k;
                found = 1;
            }
        if (!found) {
            char list[768] = "";
            if (sc->has_box)
                snprintf(list, sizeof list, "\"box\"");
            for (uint32_t k = 0; k < sc->n_vessels; k++) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s\"%s\"", len ? ", " : "",
                         sc->vessel[k].name);
            }
            return bad(c, reg, "expected a region of the geometry (%s), got \"%s\"", list,
                       name);
        }
    } else if (!sc->has_box) {
        if (sc->n_vessels != 1)
            return missing(c, g ? g : pop, g ? "region" : "start",
                           "the vessel the population starts in (there is no box)");
        p->vessel = 0;
    }
    const exo_vessel *v = p->vessel >= 0 ? &sc->vessel[p->vessel] : NULL;
    if (v && !(p->radius_max < v->radius))
        return bad(c, reg ? reg : pop, "vessel \"%s\" (radius %g um) is not wider than "
                                      "the vesicles (radius up to %g um)",
                   v->name, v->radius, p->radius_max);

    int kind = 0;
    if (g && (s = config_setting_get_member(g, "kind")) != NULL)
        EXO_TRY(read_choice(c, s, kinds, &kind));
    const char *const apply[] = {"lower", "upper", "position", "thickness"};
    const int allowed[3][4] = {{1, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    for (int i = 0; g && i < 4; i++)
        if ((s = config_setting_get_member(g, apply[i])) != NULL &&
            (!allowed[kind][i] || (v && i < 2)))
            return bad(c, s, "does not apply to kind = \"%s\" in %s", kinds[kind],
                       v ? "a vessel" : "the box");
    if (kind == 2 && !v)
        return bad(c, config_setting_get_member(g, "kind"),
                   "kind = \"slab\" applies to a vessel's lumen");

    if (kind == 1) {
        p->start_point = 1;
        if ((s = config_setting_get_member(g, "position")) == NULL)
            return missing(c, g, "position", "the start point [x, y, z] (um)");
        EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, p->start_lo));
        for (int a = 0; a < 3; a++)
            p->start_hi[a] = p->start_lo[a];
        if (!v && !inside_box(sc, p->start_lo))
            return bad(c, s, "the start point (%g, %g, %g) um is outside the box",
                       p->start_lo[0], p->start_lo[1], p->start_lo[2]);
        if (v) {
            double sax = 0, y = 0, z = 0;
            for (int a = 0; a < 3; a++) {
                double d = p->start_lo[a] - v->origin[a];
                sax += d * v->frame[a];
                y += d * v->frame[3 + a];
                z += d * v->frame[6 + a];
            }
            if (sax < 0 || sax > v->length || sqrt(y * y + z * z) > v->radius - p->radius_max)
                return bad(c, s, "the start point (%g, %g, %g) um is outside the lumen of "
                                 "\"%s\" (a vesicle's centre stays within R - a = %g um "
                                 "of the axis, 0 <= s <= %g um)",
                           p->start_lo[0], p->start_lo[1], p->start_lo[2], v->name,
                           v->radius - p->radius_max, v->length);
        }
        return EXO_OK;
    }
    if (v) {
        p->s_lo = 0;
        p->s_hi = v->length;
        if (kind == 2) {
            EXO_TRY(req_quantity(c, g, "thickness", EXO_DIM_LENGTH, POSITIVE, &p->s_hi));
            if (p->s_hi > v->length)
                return bad(c, config_setting_get_member(g, "thickness"),
                           "the slab (%g um) is longer than the vessel (%g um)", p->s_hi,
                           v->length);
        }
        return EXO_OK;
    }
    for (int a = 0; a < 3; a++) {
        p->start_lo[a] = sc->box_lo[a];
        p->start_hi[a] = sc->box_hi[a];
    }
    if (g && (s = config_setting_get_member(g, "lower")) != NULL) {
        EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, p->start_lo));
        if (!inside_box(sc, p->start_lo))
            return bad(c, s, "the start region must lie inside the box");
    }
    if (g && (s = config_setting_get_member(g, "upper")) != NULL) {
        EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, p->start_hi));
        if (!inside_box(sc, p->start_hi))
            return bad(c, s, "the start region must lie inside the box");
    }
    for (int a = 0; a < 3; a++)
        if (p->start_hi[a] < p->start_lo[a])
            return bad(c, g, "start region: upper %c = %g um is below lower %c = %g um",
                       "xyz"[a], p->start_hi[a], "xyz"[a], p->start_lo[a]);
cleanup:
    return rc;
}

/* ligands = { type; count = N | { distribution = "poisson"; mean; } |
 *            { distribution = "normal"; mean; sd; }; } of population g. */
static exo_status load_ligands(cfg *c, const config_setting_t *pop, exo_population *p)
{
    static const char *const keys[] = {"type", "count", NULL};
    static const char *const dist_keys[] = {"distribution", "mean", "sd", NULL};
    static const char *const dists[] = {"fixed", "poisson", "normal", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g, *s;
    p->ligand[0] = '\0';
    p->binding = -1;
    EXO_TRY(get_group(c, pop, "ligands", 0, &g));
    if (g == NULL)
        return EXO_OK;
    EXO_TRY(check_keys(c, g, keys));
    const char *type = NULL;
    if ((s = config_setting_get_member(g, "type")) == NULL)
        return missing(c, g, "type", "the ligand type, named by binding.[i].ligand");
    EXO_TRY(read_string(c, s, &type));
    if (!valid_name(type) || strlen(type) >= sizeof p->ligand)
        return bad(c, s, "expected 1 to %zu letters, digits, '_', '-' or '.'",
                   sizeof p->ligand - 1);
    snprintf(p->ligand, sizeof p->ligand, "%s", type);
    if ((s = config_setting_get_member(g, "count")) == NULL)
        return missing(c, g, "count", "ligand copies per vesicle: an integer, or "
                                      "{ distribution = \"poisson\"; mean = 100.0; }");
    if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
        long long n = 0;
        EXO_TRY(read_int(c, s, 0, 65535, &n));
        p->ligand_distribution = EXO_LIGANDS_FIXED;
        p->ligand_mean = p->ligand_max = (double)n;
        return EXO_OK;
    }
    EXO_TRY(check_keys(c, s, dist_keys));
    const config_setting_t *d = config_setting_get_member(s, "distribution");
    if (d == NULL)
        return missing(c, s, "distribution", "\"poisson\" or \"normal\"");
    int which = 0;
    EXO_TRY(read_choice(c, d, dists, &which));
    if (which == 0)
        return bad(c, d, "a fixed count is given as count = N");
    p->ligand_distribution = which == 1 ? EXO_LIGANDS_POISSON : EXO_LIGANDS_NORMAL;
    EXO_TRY(req_quantity(c, s, "mean", EXO_DIM_NUMBER, NONNEGATIVE, &p->ligand_mean));
    const config_setting_t *sd = config_setting_get_member(s, "sd");
    if (which == 1 && sd)
        return bad(c, sd, "a Poisson count's spread is fixed by its mean (sd = sqrt(mean))");
    if (which == 2)
        EXO_TRY(req_quantity(c, s, "sd", EXO_DIM_NUMBER, NONNEGATIVE, &p->ligand_sd));
    double spread = which == 1 ? sqrt(p->ligand_mean) : p->ligand_sd;
    p->ligand_max = fmin(65535.0, ceil(p->ligand_mean + 6 * spread));
    if (p->ligand_mean > 65535)
        return bad(c, s, "at most 65535 ligand copies per vesicle");
cleanup:
    return rc;
}

/* cargo = { amount; release_rate; } of population g: what an internalized
 * vesicle delivers, amount exp(-release_rate t) at its uptake time t. */
static exo_status load_cargo(cfg *c, const config_setting_t *pop, exo_population *p)
{
    static const char *const keys[] = {"amount", "sd", "release_rate", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g;
    p->cargo_amount = 1;
    p->cargo_sd = 0;
    p->cargo_release_rate = 0;
    EXO_TRY(get_group(c, pop, "cargo", 0, &g));
    if (g == NULL)
        return EXO_OK;
    EXO_TRY(check_keys(c, g, keys));
    EXO_TRY(opt_quantity(c, g, "amount", EXO_DIM_NUMBER, NONNEGATIVE, &p->cargo_amount, NULL));
    EXO_TRY(opt_quantity(c, g, "sd", EXO_DIM_NUMBER, NONNEGATIVE, &p->cargo_sd, NULL));
    EXO_TRY(opt_quantity(c, g, "release_rate", EXO_DIM_RATE, NONNEGATIVE,
                         &p->cargo_release_rate, NULL));
cleanup:
    return rc;
}

/* The surfaces population p can touch: its box faces, or its vessel's ends,
 * wall and region walls.  Returns their number (indices into surface[]). */
#define REACHABLE_MAX (6 + EXO_MAX_REGIONS + EXO_MAX_CELL_TYPES)
/* Most cells with depleting receptors (one receptor patch each). */
#define EXO_MAX_CELL_PATCHES 65536
static int reachable_surfaces(const exo_scenario *sc, const exo_population *p,
                              int32_t out[REACHABLE_MAX])
{
    int n = 0;
    /* the cells' membranes, from the box or from the tissue beside a vessel */
    if (p->vessel < 0 || sc->has_tissue)
        for (uint32_t t = 0; t < sc->n_cell_types; t++)
            out[n++] = sc->cell_type[t].surface;
    if (p->vessel < 0) {
        for (int f = 0; f < 6; f++)
            out[n++] = sc->face_surface[f];
    } else {
        const exo_vessel *v = &sc->vessel[p->vessel];
        out[n++] = v->end_surface[0];
        out[n++] = v->end_surface[1];
        out[n++] = v->wall_surface;
        for (uint32_t r = 0; r < v->n_regions; r++)
            out[n++] = v->region[r].wall_surface;
    }
    return n;
}

/* Every population's ligand has a pair in `binding`, one pair across the
 * receptor surfaces it can reach; every pair names a ligand some
 * population carries and a receptor some surface carries; ligands in the
 * contact area fit the bond counter; no binding with hindered diffusion. */
static exo_status check_binding(cfg *c, const config_setting_t *root, exo_scenario *sc)
{
    const config_setting_t *vl = config_setting_get_member(root, "vesicles");
    const config_setting_t *bl = config_setting_get_member(root, "binding");
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        exo_population *p = &sc->pop[k];
        if (p->ligand[0] == '\0')
            continue;
        const config_setting_t *lg = config_setting_get_member(
            config_setting_get_elem(vl, p->source), "ligands");
        int any = 0;
        for (uint32_t j = 0; j < sc->n_bindings; j++)
            any |= strcmp(sc->binding[j].ligand, p->ligand) == 0;
        if (!any)
            return bad(c, lg, "ligand \"%s\" has no pair in binding ( { ligand = \"%s\"; "
                              "receptor; k_on; ... } )", p->ligand, p->ligand);
        int32_t reach[REACHABLE_MAX];
        int nr = reachable_surfaces(sc, p, reach);
        for (int i = 0; i < nr; i++) {
            if (reach[i] < 0 || sc->surface[reach[i]].behaviour != EXO_SURFACE_BIND)
                continue;
            const exo_surface *sf = &sc->surface[reach[i]];
            for (uint32_t r = 0; r < sf->n_receptors; r++)
                for (uint32_t j = 0; j < sc->n_bindings; j++) {
                    const exo_binding *b = &sc->binding[j];
                    if (strcmp(b->ligand, p->ligand) != 0 ||
                        strcmp(b->receptor, sf->receptor[r].type) != 0)
                        continue;
                    if (p->binding >= 0 && p->binding != (int)j)
                        return bad(c, lg, "ligand \"%s\" of population \"%s\" would bind "
                                          "through two pairs (%s-%s and %s-%s); one pair "
                                          "per population is available in exobd %s",
                                   p->ligand, p->name, p->ligand,
                                   sc->binding[p->binding].receptor, p->ligand,
                                   b->receptor, EXOBD_VERSION_STRING);
                    p->binding = (int)j;
                }
        }
        if (p->binding < 0)
            continue;
        /* Ligands in the contact area, n_L delta / (2a), at the most
         * ligands and the smallest vesicle. */
        double nc = p->ligand_max * sc->binding[p->binding].bond_length / (2 * p->radius_min);
        if (nc > EXO_MAX_BONDS)
            return bad(c, lg, "up to %.0f ligands in the contact area (n_L delta / (2a) with "
                              "n_L up to %.0f, delta = %g um, a = %g um): at most %d bonds "
                              "per vesicle are counted", nc, p->ligand_max,
                       sc->binding[p->binding].bond_length, p->radius_min, EXO_MAX_BONDS);
        if (p->vessel >= 0 && sc->vessel[p->vessel].hindered)
            return bad(c, lg, "receptor binding in vessel \"%s\" cannot be combined with "
                              "hindered = true: at contact the perpendicular diffusivity "
                              "vanishes, so a vesicle released there would be captured "
                              "again at once", sc->vessel[p->vessel].name);
    }
    /* Receptors on cells deplete per cell: one patch each, counted per step
     * of a launch, so their number is bounded. */
    for (uint32_t t = 0; t < sc->n_cell_types; t++) {
        int j = sc->cell_type[t].surface;
        if (j < 0 || sc->surface[j].behaviour != EXO_SURFACE_BIND || !sc->surface[j].depletion ||
            sc->n_cells <= EXO_MAX_CELL_PATCHES)
            continue;
        const config_setting_t *ge = config_setting_get_member(root, "geometry");
        const config_setting_t *ti = ge ? config_setting_get_member(ge, "tissue") : NULL;
        return bad(c, ti ? ti : root, "cell type \"%s\" has depleting receptors (surface "
                                      "\"%s\"), which count bonds per cell: at most %d "
                                      "cells (got %u); set depletion = false on the surface "
                                      "or use fewer cells", sc->cell_type[t].name,
                   sc->surface[j].name, EXO_MAX_CELL_PATCHES, sc->n_cells);
    }
    for (uint32_t j = 0; j < sc->n_bindings; j++) {
        const exo_binding *b = &sc->binding[j];
        int carried = 0, offered = 0;
        for (uint32_t k = 0; k < sc->n_pop; k++)
            carried |= strcmp(sc->pop[k].ligand, b->ligand) == 0;
        for (uint32_t q = 0; q < sc->n_surfaces; q++)
            for (uint32_t r = 0; r < sc->surface[q].n_receptors; r++)
                offered |= strcmp(sc->surface[q].receptor[r].type, b->receptor) == 0;
        const config_setting_t *g = config_setting_get_elem(bl, j);
        if (!carried)
            return bad(c, g, "no population carries ligand \"%s\" (vesicles.[i].ligands."
                             "type)", b->ligand);
        if (!offered)
            return bad(c, g, "no surface carries receptor \"%s\" (surfaces.[i].receptors)",
                       b->receptor);
    }
    return EXO_OK;
}

static exo_status load_vesicles(cfg *c, const config_setting_t *root,
                                exo_scenario *sc)
{
    static const char *const keys[] = {"name", "count", "radius", "start", "infusion",
                                       "ligands", "cargo", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *l = config_setting_get_member(root, "vesicles");
    if (l == NULL)
        return missing(c, root, "vesicles", "a list of populations ( { name; count; "
                                            "radius; start; } )");
    if (config_setting_type(l) != CONFIG_TYPE_LIST || config_setting_length(l) < 1)
        return bad(c, l, "expected a list of one or more populations ( { ... }, ... ), "
                         "got %s", config_setting_type(l) == CONFIG_TYPE_LIST
                                       ? "an empty list" : type_name(config_setting_type(l)));
    sc->n_pop = (uint32_t)config_setting_length(l);
    EXO_ALLOC(sc->pop, sc->n_pop, c->err, "the populations");
    uint64_t total = 0;
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        const config_setting_t *g = config_setting_get_elem(l, k), *s;
        exo_population *p = &sc->pop[k];
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return bad(c, g, "expected a population group { name; count; radius; }, got %s",
                       type_name(config_setting_type(g)));
        EXO_TRY(check_keys(c, g, keys));
        snprintf(p->name, sizeof p->name, "population%u", k);
        p->sweep_combination = p->sweep_replicate = -1;
        p->k_on_swept = p->k_off_swept = -1;
        p->source = k;
        if ((s = config_setting_get_member(g, "name")) != NULL) {
            const char *name = NULL;
            EXO_TRY(read_string(c, s, &name));
            if (name[0] == '\0' || strlen(name) >= sizeof p->name)
                return bad(c, s, "expected a name of 1 to %zu characters",
                           sizeof p->name - 1);
            snprintf(p->name, sizeof p->name, "%s", name);
        }
        long long count = 0;
        if ((s = config_setting_get_member(g, "count")) == NULL)
            return missing(c, g, "count", "the number of vesicles, an integer > 0");
        EXO_TRY(read_int(c, s, 1, 0xFFFFFFFFLL, &count));
        p->count = (uint32_t)count;
        p->first = (uint32_t)total;
        total += (uint64_t)count;
        if (total > 0xFFFFFFFFull)
            return bad(c, s, "the populations hold %llu vesicles in total; at most "
                             "4294967295 fit one run", (unsigned long long)total);
        if ((s = config_setting_get_member(g, "radius")) == NULL)
            return missing(c, g, "radius", "a length, e.g. \"50 nm\", or a "
                                           "distribution { distribution = \"lognormal\"; ... }");
        EXO_TRY(load_radius(c, s, p));
        EXO_TRY(load_start(c, g, sc, p));
        EXO_TRY(load_ligands(c, g, p));
        EXO_TRY(load_cargo(c, g, p));
        const config_setting_t *inf;
        EXO_TRY(get_group(c, g, "infusion", 0, &inf));
        if (inf) {
            static const char *const inf_keys[] = {"rate", NULL};
            EXO_TRY(check_keys(c, inf, inf_keys));
            EXO_TRY(req_quantity(c, inf, "rate", EXO_DIM_RATE, POSITIVE, &p->infusion_rate));
            const config_setting_t *st = config_setting_get_member(g, "start");
            if (p->vessel < 0)
                return bad(c, inf, "an infusion enters through a vessel's inlet: give "
                                   "start.region = the vessel");
            if (p->start_point || (st && config_setting_get_member(st, "kind") &&
                                   strcmp(config_setting_get_string(
                                              config_setting_get_member(st, "kind")),
                                          "uniform") != 0))
                return bad(c, inf, "an infused population enters at the inlet; its start "
                                   "takes only region");
            /* The slots must hold the arrivals: refuse when the count is
             * below the expected number plus 4 Poisson standard deviations. */
            double mean = p->infusion_rate * sc->dt * (double)sc->steps;
            double need = ceil(mean + 4 * sqrt(mean) + 1);
            if ((double)p->count < need)
                return bad(c, inf, "the infusion brings %.6g vesicles on average in the "
                                   "run (%.6g /s for %.6g s), but the population has %u "
                                   "slots: set count >= %.0f (the mean plus 4 Poisson "
                                   "standard deviations)", mean, p->infusion_rate,
                           sc->dt * (double)sc->steps, p->count, need);
        }
    }
    sc->n_vesicles = total;
cleanup:
    return rc;
}


/* ------------------------------------------------------------------ sweep */

/* Set swept value v of `setting` on population p (read at s for errors). */
static exo_status apply_sweep_value(cfg *c, const config_setting_t *s, int setting, double v,
                                    exo_population *p)
{
    if (setting == EXO_SWEEP_RADIUS) {
        double f = v / p->radius_median;
        p->radius_median = v;
        p->radius_min = p->distribution == EXO_RADIUS_FIXED ? v : p->radius_min * f;
        p->radius_max = p->distribution == EXO_RADIUS_FIXED ? v : p->radius_max * f;
    } else if (setting == EXO_SWEEP_LIGANDS) {
        if (v > 65535)
            return bad(c, s, "at most 65535 ligand copies per vesicle (got %g)", v);
        if (p->ligand_distribution == EXO_LIGANDS_FIXED)
            v = floor(v + 0.5); /* a fixed count is a whole number */
        double spread = p->ligand_distribution == EXO_LIGANDS_POISSON ? sqrt(v)
                        : p->ligand_distribution == EXO_LIGANDS_NORMAL ? p->ligand_sd
                                                                        : 0;
        p->ligand_mean = v;
        p->ligand_max = fmin(65535.0, ceil(v + 6 * spread));
    } else if (setting == EXO_SWEEP_CARGO) {
        p->cargo_amount = v;
    } else if (setting == EXO_SWEEP_K_ON) {
        p->k_on_swept = v;
    } else if (setting == EXO_SWEEP_K_OFF) {
        p->k_off_swept = v;
    } else if (setting == EXO_SWEEP_CARGO_SD) {
        p->cargo_sd = v;
    } else if (setting == EXO_SWEEP_RADIUS_SIGMA) {
        p->radius_sigma = v;
    } else {
        p->ligand_sd = v;
        p->ligand_max = fmin(65535.0, ceil(p->ligand_mean + 6 * v));
    }
    return EXO_OK;
}

/* One entry of sweep.parameters: its setting, and its values (a list, or a
 * range from..to with count points for a grid, or sampled for a Latin
 * hypercube). */
static exo_status load_sweep_param(cfg *c, const config_setting_t *g, int latin,
                                   const exo_population *p, exo_sweep_param *q)
{
    static const char *const keys[] = {"setting", "values", "from", "to", "count", "scale",
                                       NULL};
    static const char *const settings[] = {"radius",       "ligands.count", "cargo.amount",
                                           "binding.k_on", "binding.k_off", "cargo.sd",
                                           "radius.sigma", "ligands.sd",    NULL};
    static const char *const scales[] = {"linear", "log", NULL};
    static const exo_dim dims[] = {EXO_DIM_LENGTH,    EXO_DIM_NUMBER, EXO_DIM_NUMBER,
                                   EXO_DIM_AREA_RATE, EXO_DIM_RATE,   EXO_DIM_NUMBER,
                                   EXO_DIM_NUMBER,    EXO_DIM_NUMBER};
    exo_status rc = EXO_OK;
    const config_setting_t *s;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return bad(c, g, "expected { setting; values; } or { setting; from; to; count; }, "
                         "got %s", type_name(config_setting_type(g)));
    EXO_TRY(check_keys(c, g, keys));
    if ((s = config_setting_get_member(g, "setting")) == NULL)
        return missing(c, g, "setting", "\"radius\", \"ligands.count\" or \"cargo.amount\"");
    const char *name = NULL;
    EXO_TRY(read_string(c, s, &name));
    q->setting = -1;
    for (int k = 0; settings[k]; k++)
        if (strcmp(name, settings[k]) == 0)
            q->setting = k;
    if (q->setting < 0)
        return bad(c, s, "cannot sweep \"%s\" in one run: a sweep varies what can differ "
                         "between the populations of one run, \"radius\", "
                         "\"radius.sigma\", \"ligands.count\", \"ligands.sd\", "
                         "\"cargo.amount\", \"cargo.sd\", \"binding.k_on\" or "
                         "\"binding.k_off\" of the population; to run other settings "
                         "(geometry, flow, surfaces, the medium) one after another, give "
                         "their scenario paths in sweep.sequence = ( { setting = "
                         "\"PATH\"; values = [...]; } )", name);
    if ((q->setting == EXO_SWEEP_LIGANDS || q->setting == EXO_SWEEP_K_ON ||
         q->setting == EXO_SWEEP_K_OFF) &&
        p->ligand[0] == '\0')
        return bad(c, s, "population \"%s\" carries no ligands, so \"%s\" has nothing to "
                         "act on (give it ligands = { type; count; })", p->name, name);
    if (q->setting == EXO_SWEEP_RADIUS_SIGMA && p->distribution != EXO_RADIUS_LOGNORMAL)
        return bad(c, s, "population \"%s\" has a fixed radius: \"radius.sigma\" needs "
                         "radius = { distribution = \"lognormal\"; ... }", p->name);
    if (q->setting == EXO_SWEEP_LIGANDS_SD && p->ligand_distribution != EXO_LIGANDS_NORMAL)
        return bad(c, s, "population \"%s\" has no normal ligand count: \"ligands.sd\" "
                         "needs count = { distribution = \"normal\"; mean; sd; }", p->name);
    exo_dim dim = dims[q->setting];
    int constraint = q->setting == EXO_SWEEP_RADIUS || q->setting == EXO_SWEEP_RADIUS_SIGMA
                         ? POSITIVE
                         : NONNEGATIVE;
    const config_setting_t *vl = config_setting_get_member(g, "values");
    const config_setting_t *fr = config_setting_get_member(g, "from");
    const config_setting_t *to = config_setting_get_member(g, "to");
    const config_setting_t *ct = config_setting_get_member(g, "count");
    const config_setting_t *sc = config_setting_get_member(g, "scale");
    if (vl && (fr || to || ct || sc))
        return bad(c, vl, "give either values = [...] or a range from; to; count;, not both");
    if (vl) {
        int t = config_setting_type(vl);
        int n = t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST ? config_setting_length(vl) : -1;
        if (n < 1 || n > EXO_SWEEP_MAX_VALUES)
            return bad(c, vl, "expected a list of 1 to %d values, got %s", EXO_SWEEP_MAX_VALUES,
                       n == 0 ? "an empty list" : type_name(t));
        q->n_values = (uint32_t)n;
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(vl, (unsigned)i);
            EXO_TRY(read_quantity(c, e, dim, &q->values[i]));
            EXO_TRY(check_sign(c, e, dim, q->values[i], constraint));
        }
        return EXO_OK;
    }
    if (fr == NULL)
        return missing(c, g, "values", "a list of values, or a range from; to; count;");
    EXO_TRY(req_quantity(c, g, "from", dim, constraint, &q->from));
    EXO_TRY(req_quantity(c, g, "to", dim, constraint, &q->to));
    if (!(q->to >= q->from))
        return bad(c, to, "the range must not run backwards (from %g to %g)", q->from, q->to);
    q->log = 0;
    if (sc) {
        EXO_TRY(read_choice(c, sc, scales, &q->log));
        if (q->log && !(q->from > 0))
            return bad(c, sc, "a log range needs from > 0 (got %g)", q->from);
    }
    if (latin) {
        if (ct)
            return bad(c, ct, "a Latin hypercube samples the range itself (sweep.samples "
                              "points); give count only for a grid");
        q->n_values = 0;
        return EXO_OK;
    }
    long long n = 0;
    if (ct == NULL)
        return missing(c, g, "count", "the number of grid points in the range, >= 1");
    EXO_TRY(read_int(c, ct, 1, EXO_SWEEP_MAX_VALUES, &n));
    q->n_values = (uint32_t)n;
    for (long long i = 0; i < n; i++) {
        double u = n > 1 ? (double)i / (double)(n - 1) : 0;
        q->values[i] = q->log ? exp(log(q->from) + u * (log(q->to) - log(q->from)))
                              : q->from + u * (q->to - q->from);
    }
    q->values[n - 1] = n > 1 ? q->to : q->from; /* the end exactly */
cleanup:
    return rc;
}

/*
 * sweep = { population; parameters = ( {...}, ... ); sampling; samples;
 * replicates; only; }: population `population` is replaced, in place, by
 * one population per combination and replicate ("<name>_c<k>_r<j>"), each
 * with the population's count and its combination's values; `only = k`
 * keeps combination k's populations alone, with the vesicle ids they have
 * in the whole sweep (sc->id0), so its run is that part of the sweep's.
 */
static exo_status load_sweep(cfg *c, const config_setting_t *root, exo_scenario *sc)
{
    static const char *const keys[] = {"population", "parameters", "sampling", "samples",
                                       "replicates", "only", "sequence", "run", NULL};
    static const char *const samplings[] = {"grid", "latin_hypercube", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g, *s;
    exo_sweep *sw = &sc->sweep;
    exo_population *pops = NULL;
    EXO_TRY(get_group(c, root, "sweep", 0, &g));
    if (g == NULL)
        return EXO_OK;
    EXO_TRY(check_keys(c, g, keys));
    if (sc->sequence.n_settings > 0 && config_setting_get_member(g, "parameters") == NULL) {
        /* runs in sequence alone: nothing varies within a run */
        static const char *const inner[] = {"population", "sampling", "samples", "replicates",
                                            "only", NULL};
        for (const char *const *k = inner; *k; k++)
            if ((s = config_setting_get_member(g, *k)) != NULL)
                return bad(c, s, "applies to sweep.parameters, which this sweep does not "
                                 "have (its sequence runs one value after another)");
        return EXO_OK;
    }
    sw->population = sc->n_pop == 1 ? 0 : -1;
    if ((s = config_setting_get_member(g, "population")) != NULL) {
        const char *name = NULL;
        EXO_TRY(read_string(c, s, &name));
        sw->population = -1;
        for (uint32_t k = 0; k < sc->n_pop; k++)
            if (strcmp(sc->pop[k].name, name) == 0)
                sw->population = (int)k;
        if (sw->population < 0)
            return bad(c, s, "no population named \"%s\" in vesicles", name);
    } else if (sw->population < 0) {
        return missing(c, g, "population", "the name of the population to vary (there are "
                                            "several)");
    }
    if ((s = config_setting_get_member(g, "sampling")) != NULL)
        EXO_TRY(read_choice(c, s, samplings, &sw->latin));
    long long v = 0;
    const config_setting_t *sm = config_setting_get_member(g, "samples");
    if (sw->latin) {
        if (sm == NULL)
            return missing(c, g, "samples", "the number of Latin-hypercube points, >= 1");
        EXO_TRY(read_int(c, sm, 1, EXO_SWEEP_MAX_POPULATIONS, &v));
        sw->samples = (uint32_t)v;
    } else if (sm) {
        return bad(c, sm, "applies only to sampling = \"latin_hypercube\" (a grid runs "
                          "every combination)");
    }
    v = 1;
    EXO_TRY(opt_int(c, g, "replicates", 1, EXO_SWEEP_MAX_POPULATIONS, &v, NULL));
    sw->replicates = (uint32_t)v;
    const config_setting_t *pl = config_setting_get_member(g, "parameters");
    if (pl == NULL)
        return missing(c, g, "parameters", "a list of settings to vary ( { setting; "
                                           "values; }, ... )");
    int n = config_setting_type(pl) == CONFIG_TYPE_LIST ? config_setting_length(pl) : -1;
    if (n < 1 || n > EXO_SWEEP_MAX_PARAMS)
        return bad(c, pl, "expected a list of 1 to %d settings ( { setting; values; }, ... ), "
                          "got %s", EXO_SWEEP_MAX_PARAMS,
                   n == 0 ? "an empty list" : type_name(config_setting_type(pl)));
    sw->n_params = (uint32_t)n;
    const exo_population base = sc->pop[sw->population];
    for (int i = 0; i < n; i++) {
        EXO_TRY(load_sweep_param(c, config_setting_get_elem(pl, (unsigned)i), sw->latin, &base,
                                 &sw->param[i]));
        for (int j = 0; j < i; j++)
            if (sw->param[j].setting == sw->param[i].setting)
                return bad(c, config_setting_get_elem(pl, (unsigned)i),
                           "\"%s\" is swept twice", exo_sweep_setting_name(sw->param[i].setting));
    }
    uint64_t combos = exo_sweep_count(sw, EXO_SWEEP_MAX_POPULATIONS);
    if (combos == 0 || combos * sw->replicates > EXO_SWEEP_MAX_POPULATIONS) {
        uint64_t all = 1;
        for (int i = 0; !sw->latin && i < n; i++)
            all *= sw->param[i].n_values;
        return bad(c, g, "%llu combinations x %u replicates: at most %d populations in one "
                         "run in exobd %s",
                   (unsigned long long)(sw->latin ? sw->samples : all), sw->replicates,
                   EXO_SWEEP_MAX_POPULATIONS, EXOBD_VERSION_STRING);
    }
    sw->only = -1;
    if ((s = config_setting_get_member(g, "only")) != NULL) {
        EXO_TRY(read_int(c, s, 0, (long long)combos - 1, &v));
        sw->only = v;
    }
    EXO_CHECK(exo_sweep_points(sw, sc->seed) == 0, c->err, EXO_ERR_NOMEM,
              "out of memory for the sweep's points");
    /* A fixed ligand count is a whole number: the points say what is run. */
    for (uint32_t j = 0; j < sw->n_params; j++)
        for (uint32_t ci = 0; sw->param[j].setting == EXO_SWEEP_LIGANDS &&
                              base.ligand_distribution == EXO_LIGANDS_FIXED &&
                              ci < sw->n_combinations; ci++) {
            double *x = &sw->point[(size_t)ci * sw->n_params + j];
            *x = floor(*x + 0.5);
        }
    sw->active = 1;

    /* Replace the population by its combinations x replicates. */
    uint32_t k0 = (uint32_t)sw->population, per = sw->replicates;
    uint32_t added = sw->n_combinations * per;
    uint32_t total = sc->n_pop - 1 + added;
    EXO_ALLOC(pops, total, c->err, "the sweep's populations");
    uint32_t at = 0;
    for (uint32_t k = 0; k < sc->n_pop; k++) {
        if (k != k0) {
            pops[at] = sc->pop[k];
            pops[at].sweep_combination = pops[at].sweep_replicate = -1;
            at++;
            continue;
        }
        for (uint32_t ci = 0; ci < sw->n_combinations; ci++)
            for (uint32_t r = 0; r < per; r++, at++) {
                exo_population *p = &pops[at];
                *p = base;
                int w = snprintf(p->name, sizeof p->name, "%s_c%u_r%u", base.name, ci, r);
                if (w < 0 || (size_t)w >= sizeof p->name)
                    return bad(c, g, "population name \"%s\" is too long to number its "
                                     "combinations", base.name);
                p->sweep_combination = (int32_t)ci;
                p->sweep_replicate = (int32_t)r;
                for (uint32_t j = 0; j < sw->n_params; j++)
                    EXO_TRY(apply_sweep_value(c, pl, sw->param[j].setting,
                                              sw->point[(size_t)ci * sw->n_params + j], p));
            }
    }
    /* Vesicle indices in order; with `only`, the combination's populations
     * alone, their ids as in the whole sweep. */
    uint64_t first = 0, id0 = 0;
    uint32_t kept = 0;
    for (uint32_t k = 0; k < total; k++) {
        exo_population *p = &pops[k];
        int keep = sw->only < 0 || p->sweep_combination == (int32_t)sw->only;
        if (keep && kept == 0)
            id0 = first;
        p->first = (uint32_t)(first - id0);
        first += p->count;
        if (first > 0xFFFFFFFFull)
            return bad(c, g, "the sweep's populations hold %llu vesicles; at most 4294967295 "
                             "fit one run", (unsigned long long)first);
        if (keep)
            pops[kept++] = *p;
    }
    free(sc->pop);
    sc->pop = pops;
    pops = NULL;
    sc->n_pop = kept;
    sc->id0 = (uint32_t)id0;
    sc->n_vesicles = 0;
    for (uint32_t k = 0; k < kept; k++)
        sc->n_vesicles += sc->pop[k].count;
cleanup:
    free(pops);
    return rc;
}

/*
 * output.density: every `every` frames, a voxel histogram of the vesicles
 * in each of `states` on a grid of `bins` voxels over lower..upper (the box
 * by default), computed on the device (docs/output.md).
 */
static exo_status load_density(cfg *c, const config_setting_t *out, exo_scenario *sc)
{
    static const char *const keys[] = {"every", "lower", "upper", "bins", "states", NULL};
    static const char *const states[] = {"inactive", "free",   "bound",  "internalized",
                                         "absorbed", "exited", "cleared", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *d, *s;
    EXO_TRY(get_group(c, out, "density", 0, &d));
    if (d == NULL)
        return EXO_OK;
    EXO_TRY(check_keys(c, d, keys));
    if (sc->output_file[0] == '\0' || exo_scenario_frames(sc) == 0)
        return bad(c, d, "density images are written with the frames: give output.file "
                         "and fields with \"position\" or \"state\"");
    long long every = 1;
    EXO_TRY(opt_int(c, d, "every", 1, (long long)1 << 62, &every, NULL));
    sc->density_every = (uint64_t)every;
    for (int a = 0; a < 3; a++) {
        sc->density_lo[a] = sc->box_lo[a];
        sc->density_hi[a] = sc->box_hi[a];
    }
    if ((s = config_setting_get_member(d, "lower")) != NULL)
        EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, sc->density_lo));
    if ((s = config_setting_get_member(d, "upper")) != NULL)
        EXO_TRY(read_vec3(c, s, EXO_DIM_LENGTH, sc->density_hi));
    for (int a = 0; a < 3; a++)
        if (!(sc->density_hi[a] > sc->density_lo[a]))
            return bad(c, s ? s : d, "the density grid's upper %c = %g um is not above its "
                                     "lower %c = %g um", "xyz"[a], sc->density_hi[a],
                       "xyz"[a], sc->density_lo[a]);
    if ((s = config_setting_get_member(d, "bins")) == NULL)
        return missing(c, d, "bins", "voxels along x, y and z, e.g. [64, 64, 64]");
    int t = config_setting_type(s);
    if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) || config_setting_length(s) != 3)
        return bad(c, s, "expected 3 integers [nx, ny, nz], e.g. [64, 64, 64]");
    double voxels = 1;
    for (int a = 0; a < 3; a++) {
        long long n = 0;
        EXO_TRY(read_int(c, config_setting_get_elem(s, (unsigned)a), 1, 4096, &n));
        sc->density_bins[a] = (uint32_t)n;
        voxels *= (double)n;
    }
    sc->density_states = (1u << EXO_STATE_FREE) | (1u << EXO_STATE_BOUND) |
                         (1u << EXO_STATE_INTERNALIZED);
    if ((s = config_setting_get_member(d, "states")) != NULL) {
        t = config_setting_type(s);
        if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) || config_setting_length(s) < 1)
            return bad(c, s, "expected an array of state names, e.g. [\"free\", \"bound\"]");
        sc->density_states = 0;
        for (int i = 0; i < config_setting_length(s); i++) {
            int which = 0;
            EXO_TRY(read_choice(c, config_setting_get_elem(s, (unsigned)i), states, &which));
            if (which == EXO_STATE_INACTIVE)
                return bad(c, config_setting_get_elem(s, (unsigned)i),
                           "inactive vesicles (not yet injected) have no position to image");
            sc->density_states |= 1u << which;
        }
    }
    int n_states = 0;
    for (int k = 0; k < EXO_STATE_COUNT; k++)
        n_states += (sc->density_states >> k) & 1;
    /* The device holds one 32-bit count per voxel and state. */
    if (voxels * n_states > (double)(1u << 26))
        return bad(c, d, "%.4g voxels x %d states is more than the %u counts a density "
                         "image may hold; use fewer bins", voxels, n_states, 1u << 26);
cleanup:
    return rc;
}

static exo_status load_output(cfg *c, const config_setting_t *root, exo_scenario *sc)
{
    static const char *const keys[] = {"file", "every", "fields", "sample",
                                       "compression", "observables_every", "events",
                                       "density", NULL};
    static const char *const fields[] = {"position", "state", "image", "bonds", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *g, *s;
    int periodic = 0;
    for (int f = 0; f < 6; f++)
        periodic |= sc->face[f] == EXO_FACE_PERIODIC;
    char def_file[EXO_NAME_MAX + 8];
    snprintf(def_file, sizeof def_file, "%s.h5", sc->name);
    const char *file = def_file;
    long long every = 0, sample = (long long)sc->n_vesicles, level = 0, obs = -1;
    int binds = 0;
    for (uint32_t k = 0; k < sc->n_pop; k++)
        binds |= sc->pop[k].binding >= 0;
    sc->output_fields = EXO_FIELD_POSITION | EXO_FIELD_STATE |
                        (periodic ? EXO_FIELD_IMAGE : 0) | (binds ? EXO_FIELD_BONDS : 0);
    /* Events by default wherever a vesicle can be bound or cross a wall. */
    sc->output_events = 0;
    for (uint32_t j = 0; j < sc->n_surfaces; j++)
        sc->output_events |= sc->surface[j].behaviour == EXO_SURFACE_BIND ||
                             sc->surface[j].behaviour == EXO_SURFACE_LEAKY ||
                             (sc->surface[j].behaviour == EXO_SURFACE_ADSORB &&
                              sc->surface[j].adsorbed_state == EXO_STATE_BOUND);
    EXO_TRY(get_group(c, root, "output", 0, &g));
    if (g) {
        EXO_TRY(check_keys(c, g, keys));
        if ((s = config_setting_get_member(g, "events")) != NULL) {
            if (config_setting_type(s) != CONFIG_TYPE_BOOL)
                return bad(c, s, "expected true or false, got %s",
                           type_name(config_setting_type(s)));
            sc->output_events = config_setting_get_bool(s);
        }
        if ((s = config_setting_get_member(g, "file")) != NULL)
            EXO_TRY(read_string(c, s, &file));
        EXO_TRY(opt_int(c, g, "every", 0, (long long)1 << 62, &every, NULL));
        EXO_TRY(opt_int(c, g, "sample", 1, (long long)1 << 62, &sample, NULL));
        /* An upper bound: a --set that shrinks the populations (the demo
         * with --set vesicles.[0].count=1000) writes every vesicle. */
        if (sample > (long long)sc->n_vesicles)
            sample = (long long)sc->n_vesicles;
        EXO_TRY(opt_int(c, g, "compression", 0, 9, &level, NULL));
        EXO_TRY(opt_int(c, g, "observables_every", 0, (long long)1 << 62, &obs, NULL));
        if ((s = config_setting_get_member(g, "fields")) != NULL) {
            int t = config_setting_type(s);
            if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
                return bad(c, s, "expected an array of field names, e.g. "
                                 "[\"position\", \"state\"]");
            sc->output_fields = 0;
            for (int i = 0; i < config_setting_length(s); i++) {
                int which = 0;
                EXO_TRY(read_choice(c, config_setting_get_elem(s, (unsigned)i), fields, &which));
                sc->output_fields |= 1u << which;
            }
            if ((sc->output_fields & EXO_FIELD_IMAGE) && !periodic)
                return bad(c, s, "\"image\" needs a periodic box axis");
            if ((sc->output_fields & EXO_FIELD_BONDS) && !binds)
                return bad(c, s, "\"bonds\" needs a population that binds to receptors");
        }
    }
    sc->output_file = strdup(file);
    EXO_CHECK(sc->output_file != NULL, c->err, EXO_ERR_NOMEM, "out of memory");
    sc->output_every = (uint64_t)every;
    sc->output_sample = (uint64_t)sample;
    sc->output_compression = (int)level;
    if (obs < 0)
        obs = every > 0 ? every : (long long)(sc->steps >= 100 ? sc->steps / 100 : 1);
    sc->observables_every = (uint64_t)obs;
    if (g)
        EXO_TRY(load_density(c, g, sc));
cleanup:
    return rc;
}

/* A vesicle starting at a point must not start inside a cell, and a start
 * region must leave some room between the cells. */
/*
 * Vessel walls that let vesicles across (leaky surfaces, transcytosis)
 * need a tissue on their other side; a vessel's leaky walls share one kind
 * of pore and its barriers one transcytosis rate (the step parameters hold
 * one of each); explicit pores must not overlap; pores and hindered
 * diffusion do not combine (the homogenised rate assumes the bulk D).
 */
static exo_status check_walls(cfg *c, const config_setting_t *root, exo_scenario *sc)
{
    const config_setting_t *geo = config_setting_get_member(root, "geometry");
    const config_setting_t *vl = geo ? config_setting_get_member(geo, "vessels") : NULL;
    const config_setting_t *pl = config_setting_get_member(root, "vesicles");
    for (uint32_t k = 0; sc->has_tissue && sc->n_vessels && k < sc->n_pop; k++) {
        if (sc->pop[k].vessel >= 0)
            continue;
        const config_setting_t *g = pl ? config_setting_get_elem(pl, sc->pop[k].source) : NULL;
        const config_setting_t *st = g ? config_setting_get_member(g, "start") : NULL;
        return bad(c, st ? st : g, "beside a vessel, vesicles start in its lumen (start.region "
                                   "= \"%s\"); they reach the tissue through its wall",
                   sc->vessel[0].name);
    }
    for (uint32_t k = 0; k < sc->n_vessels; k++) {
        const exo_vessel *v = &sc->vessel[k];
        const config_setting_t *vg = vl ? config_setting_get_elem(vl, k) : NULL;
        const config_setting_t *rl = vg ? config_setting_get_member(vg, "regions") : NULL;
        int32_t surf[1 + EXO_MAX_REGIONS] = {v->wall_surface};
        const config_setting_t *where[1 + EXO_MAX_REGIONS] = {
            vg ? config_setting_get_member(vg, "wall") : NULL};
        for (uint32_t r = 0; r < v->n_regions; r++) {
            surf[1 + r] = v->region[r].wall_surface;
            const config_setting_t *rg = rl ? config_setting_get_elem(rl, r) : NULL;
            where[1 + r] = rg ? config_setting_get_member(rg, "wall") : NULL;
            if (where[1 + r] == NULL)
                where[1 + r] = where[0];
        }
        const exo_surface *pores = NULL, *barrier = NULL;
        for (uint32_t j = 0; j < 1 + v->n_regions; j++) {
            if (surf[j] < 0)
                continue;
            const exo_surface *sf = &sc->surface[surf[j]];
            const config_setting_t *at = where[j] ? where[j] : vg;
            int crosses = sf->behaviour == EXO_SURFACE_LEAKY ||
                          (sf->behaviour == EXO_SURFACE_BIND && sf->transcytosis_rate > 0);
            if (crosses && !sc->has_tissue)
                return bad(c, at, "vessel \"%s\": surface \"%s\" lets vesicles across the "
                                  "wall (%s), so it needs a tissue on the other side: add "
                                  "geometry.tissue (it may be empty: tissue = { };)",
                           v->name, sf->name,
                           sf->behaviour == EXO_SURFACE_LEAKY ? "pores" : "transcytosis");
            if (sf->behaviour == EXO_SURFACE_LEAKY) {
                if (v->hindered)
                    return bad(c, at, "vessel \"%s\": a leaky wall cannot be combined with "
                                      "hindered = true (the pores' rate assumes the bulk "
                                      "diffusivity)", v->name);
                if (pores && (pores->pore_radius != sf->pore_radius ||
                              pores->pore_density != sf->pore_density ||
                              pores->pores_explicit != sf->pores_explicit))
                    return bad(c, at, "vessel \"%s\": its leaky walls \"%s\" and \"%s\" "
                                      "have different pores; one vessel has one kind of "
                                      "pore", v->name, pores->name, sf->name);
                pores = sf;
                if (sf->pores_explicit) {
                    int32_t n = 0;
                    exo_real pitch = 0;
                    exo_scenario_pore_lattice(v, sf->pore_density, &n, &pitch);
                    double around = 2 * M_PI * v->radius / n;
                    if (2 * sf->pore_radius >= fmin((double)pitch, around))
                        return bad(c, at, "vessel \"%s\": explicit pores of radius %g um "
                                          "at %g /um^2 overlap (rings %g um apart, %d "
                                          "pores of %g um around each); fewer or smaller "
                                          "pores", v->name, sf->pore_radius,
                                   sf->pore_density, (double)pitch, n, around);
                }
            }
            if (sf->behaviour == EXO_SURFACE_BIND && sf->transcytosis_rate > 0) {
                if (barrier && barrier->transcytosis_rate != sf->transcytosis_rate)
                    return bad(c, at, "vessel \"%s\": its walls \"%s\" and \"%s\" "
                                      "have different transcytosis rates; one vessel has "
                                      "one", v->name, barrier->name, sf->name);
                barrier = sf;
            }
        }
    }
    return EXO_OK;
}

static exo_status check_starts_outside_cells(cfg *c, const config_setting_t *root,
                                             const exo_scenario *sc)
{
    for (uint32_t k = 0; k < sc->n_pop && sc->n_cells; k++) {
        const exo_population *p = &sc->pop[k];
        if (p->vessel >= 0)
            continue;
        const config_setting_t *where =
            config_setting_get_elem(config_setting_get_member(root, "vesicles"), p->source);
        const config_setting_t *st = config_setting_get_member(where, "start");
        for (uint32_t i = 0; i < sc->n_cells; i++) {
            const exo_cell *cell = &sc->cell[i];
            double grown = cell->radius + p->radius_max, far2 = 0;
            /* The start region's farthest point from the centre (a plain
             * distance; periodic images only add room). */
            for (int a = 0; a < 3; a++) {
                double lo = p->start_lo[a] - cell->centre[a], hi = p->start_hi[a] - cell->centre[a];
                double f = fmax(fabs(lo), fabs(hi));
                far2 += f * f;
            }
            if (far2 < grown * grown)
                return bad(c, st ? st : where,
                           p->start_point ? "the start point (%g, %g, %g) um lies inside "
                                            "cell %u (centre (%g, %g, %g) um, radius %g um)"
                                          : "the start region ends at (%g, %g, %g) um and "
                                            "lies inside cell %u (centre (%g, %g, %g) um, "
                                            "radius %g um)",
                           p->start_hi[0], p->start_hi[1], p->start_hi[2], i, cell->centre[0],
                           cell->centre[1], cell->centre[2], cell->radius);
        }
    }
    return EXO_OK;
}

static exo_status load_all(cfg *c, exo_scenario *sc)
{
    static const char *const keys[] = {"name", "seed", "simulation", "medium",
                                       "surfaces", "binding", "vesicles", "geometry",
                                       "sweep", "output", NULL};
    exo_status rc = EXO_OK;
    const config_setting_t *root = config_root_setting(&c->lc), *s;
    EXO_TRY(check_keys(c, root, keys));

    /* Default name: the file name without folder and extension. */
    const char *base = strrchr(c->file, '/');
    base = base ? base + 1 : c->file;
    snprintf(sc->name, sizeof sc->name, "%.*s", (int)strcspn(base, "."), base);
    if (!valid_name(sc->name))
        snprintf(sc->name, sizeof sc->name, "exobd");
    if ((s = config_setting_get_member(root, "name")) != NULL) {
        const char *name = NULL;
        EXO_TRY(read_string(c, s, &name));
        if (!valid_name(name) || strlen(name) >= sizeof sc->name)
            return bad(c, s, "expected 1 to %zu letters, digits, '_', '-' or '.' "
                             "(it names the output file), got \"%s\"",
                       sizeof sc->name - 1, name);
        snprintf(sc->name, sizeof sc->name, "%s", name);
    }
    long long seed = 1;
    EXO_TRY(opt_int(c, root, "seed", 0, INT64_MAX, &seed, NULL));
    sc->seed = (uint64_t)seed;

    EXO_TRY(load_simulation(c, root, sc));
    EXO_TRY(load_medium(c, root, sc));
    EXO_TRY(load_surfaces(c, root, sc));
    EXO_TRY(load_binding(c, root, sc));
    EXO_TRY(load_geometry(c, root, sc));
    EXO_TRY(load_vesicles(c, root, sc));
    EXO_TRY(load_sweep(c, root, sc));
    EXO_TRY(check_starts_outside_cells(c, root, sc));
    EXO_TRY(check_walls(c, root, sc));
    EXO_TRY(check_binding(c, root, sc));
    EXO_TRY(load_output(c, root, sc));
cleanup:
    return rc;
}

/* ------------------------------------------------------------ integer range */

/*
 * libconfig 1.5 reads an integer literal without the L suffix as a 32-bit
 * int and silently wraps larger values (count = 5000000000 loads as
 * 705032704).  Scan the text for such literals first, skipping strings and
 * comments, and refuse them with the line and the fix.
 */
static exo_status check_int_literals(cfg *c, const char *text, const char *where)
{
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '\n')
                    line++;
            }
            if (!*p)
                break;
        } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (*p == '/' && p[1] == '*') {
            for (p += 2; *p && !(*p == '*' && p[1] == '/'); p++)
                line += *p == '\n';
            if (!*p)
                break;
            p++;
        } else if (isdigit((unsigned char)*p) &&
                   (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
                                   p[-1] == '.'))) {
            const char *start = p;
            int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
            if (hex)
                p += 2;
            while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
                p++;
            int is_float = !hex && (*p == '.' || *p == 'e' || *p == 'E');
            int is_long = *p == 'L';
            if (!is_float && !is_long) {
                errno = 0;
                unsigned long long v = strtoull(start, NULL, hex ? 16 : 10);
                int negative = start > text && start[-1] == '-';
                if (errno == ERANGE || v > (negative ? 2147483648ull : 2147483647ull)) {
                    char loc[512];
                    if (where)
                        snprintf(loc, sizeof loc, "%s: --set %s", c->file, where);
                    else
                        snprintf(loc, sizeof loc, "%s:%u", c->file, line);
                    return exo_error_set(c->err, EXO_ERR_CONFIG, (long)line, __FILE__,
                                         __LINE__, __func__,
                                         "%s: the integer %.*s does not fit 32 bits; "
                                         "write it with an L suffix (%.*sL) or as a "
                                         "number with a decimal point", loc,
                                         (int)(p - start), start, (int)(p - start), start);
                }
            }
            p--;
        }
    }
    return EXO_OK;
}

/* ------------------------------------------------------------ overrides */

/* Copy setting src (from the value parser) as member `name` of dst. */
static config_setting_t *copy_setting(config_setting_t *dst, const char *name,
                                      const config_setting_t *src)
{
    int t = config_setting_type(src);
    config_setting_t *n = config_setting_add(dst, name, t);
    if (n == NULL)
        return NULL;
    switch (t) {
    case CONFIG_TYPE_INT: config_setting_set_int(n, config_setting_get_int(src)); break;
    case CONFIG_TYPE_INT64: config_setting_set_int64(n, config_setting_get_int64(src)); break;
    case CONFIG_TYPE_FLOAT: config_setting_set_float(n, config_setting_get_float(src)); break;
    case CONFIG_TYPE_BOOL: config_setting_set_bool(n, config_setting_get_bool(src)); break;
    case CONFIG_TYPE_STRING: config_setting_set_string(n, config_setting_get_string(src)); break;
    default:
        for (int i = 0; i < config_setting_length(src); i++) {
            const config_setting_t *e = config_setting_get_elem(src, (unsigned)i);
            if (copy_setting(n, t == CONFIG_TYPE_GROUP ? config_setting_name(e) : NULL,
                             e) == NULL)
                return NULL;
        }
    }
    return n;
}

/* Record a setting created by --set `text` (NULL: nothing to record). */
static exo_status remember_override(cfg *c, const config_setting_t *s,
                                    const char *text)
{
    if (s == NULL)
        return EXO_OK;
    if (c->n_over >= MAX_OVER_SETTINGS)
        return exo_error_set(c->err, EXO_ERR_CONFIG, 0, __FILE__, __LINE__, __func__,
                             "%s: --set %s: too many settings created by --set "
                             "(at most %d)", c->file, text, MAX_OVER_SETTINGS);
    c->over[c->n_over] = s;
    c->over_text[c->n_over] = text;
    c->over_origin[c->n_over] = c->origin ? c->origin : "--set";
    c->n_over++;
    return EXO_OK;
}

static exo_status apply_override(cfg *c, const char *text)
{
    const char *from = c->origin ? c->origin : "--set"; /* for messages */
    exo_status rc = EXO_OK;
    config_t val;
    char *path = NULL, *buf = NULL;
    config_init(&val);
    const char *eq = strchr(text, '=');
    EXO_CHECK(eq != NULL && eq != text, c->err, EXO_ERR_CONFIG,
              "--set expects PATH=VALUE (e.g. --set vesicles.[0].count=1000), got '%s'",
              text);
    EXO_CHECK(c->n_sets < MAX_OVERRIDES, c->err, EXO_ERR_CONFIG,
              "more than %d --set options", MAX_OVERRIDES);
    c->n_sets++;
    path = strndup(text, (size_t)(eq - text));
    const char *value = eq + 1;
    size_t blen = strlen(value) + 16;
    EXO_ALLOC(buf, blen, c->err, "a --set value");
    snprintf(buf, blen, "v = %s;", value);
    EXO_TRY(check_int_literals(c, buf, text));
    if (!config_read_string(&val, buf)) {
        /* Let unquoted strings through: --set output.file=run.h5,
         * --set simulation.dt=2us. */
        EXO_CHECK(strchr(value, '"') == NULL && strchr(value, '\\') == NULL,
                  c->err, EXO_ERR_CONFIG, "%s: %s %s: cannot parse the value: %s",
                  c->file, from, text, config_error_text(&val));
        config_destroy(&val);
        config_init(&val);
        snprintf(buf, blen, "v = \"%s\";", value);
        EXO_CHECK(config_read_string(&val, buf), c->err, EXO_ERR_CONFIG,
                  "%s: %s %s: cannot parse the value: %s", c->file, from, text,
                  config_error_text(&val));
    }
    const config_setting_t *src = config_lookup(&val, "v");

    /* Find or create the parent group, then replace the member. */
    config_setting_t *parent = config_root_setting(&c->lc);
    char *name = path, *dot;
    while ((dot = strchr(name, '.')) != NULL) {
        *dot = '\0';
        config_setting_t *next;
        if (name[0] == '[') {
            int idx = atoi(name + 1);
            next = config_setting_type(parent) == CONFIG_TYPE_LIST
                       ? config_setting_get_elem(parent, (unsigned)idx) : NULL;
            EXO_CHECK(next != NULL, c->err, EXO_ERR_CONFIG,
                      "%s: %s %s: there is no list element %s here", c->file,
                      from, text, name);
        } else {
            EXO_CHECK(config_setting_type(parent) == CONFIG_TYPE_GROUP, c->err,
                      EXO_ERR_CONFIG, "%s: %s %s: '%s' follows a setting that is "
                      "not a group", c->file, from, text, name);
            next = config_setting_get_member(parent, name);
            if (next == NULL) {
                next = config_setting_add(parent, name, CONFIG_TYPE_GROUP);
                /* A group only this --set names has no line: report
                 * problems with it (a typo in a group name) at the --set. */
                EXO_TRY(remember_override(c, next, text));
            }
            EXO_CHECK(next != NULL, c->err, EXO_ERR_CONFIG, "%s: %s %s: cannot "
                      "create group '%s'", c->file, from, text, name);
        }
        parent = next;
        name = dot + 1;
    }
    /* Checked before the parent's type, so that "lower.[1]=3" (an array
     * element) gets this advice. */
    EXO_CHECK(name[0] != '\0' && name[0] != '[' &&
              (isalpha((unsigned char)name[0]) || name[0] == '_'),
              c->err, EXO_ERR_CONFIG, "%s: %s %s: can set named settings only "
              "(to change one array element, set the whole array)", c->file, from, text);
    EXO_CHECK(config_setting_type(parent) == CONFIG_TYPE_GROUP, c->err,
              EXO_ERR_CONFIG, "%s: %s %s: the setting's parent is not a group",
              c->file, from, text);
    /* simulation.steps and simulation.duration say the same thing: setting
     * one replaces the other, so --set simulation.steps=50 works on a
     * scenario written with a duration. */
    if (config_setting_parent(parent) == config_root_setting(&c->lc) &&
        strcmp(config_setting_name(parent), "simulation") == 0) {
        const char *other = strcmp(name, "steps") == 0      ? "duration"
                            : strcmp(name, "duration") == 0 ? "steps"
                                                            : NULL;
        if (other && config_setting_get_member(parent, other)) {
            const config_setting_t *gone = config_setting_get_member(parent, other);
            for (int i = 0; i < c->n_over; i++)
                if (c->over[i] == gone)
                    c->over[i] = NULL;
            config_setting_remove(parent, other);
        }
    }
    const config_setting_t *old = config_setting_get_member(parent, name);
    if (old) {
        /* Forget earlier overrides at or inside the setting replaced here. */
        for (int i = 0; i < c->n_over; i++)
            for (const config_setting_t *t = c->over[i]; t; t = config_setting_parent(t))
                if (t == old) {
                    c->over[i] = NULL;
                    break;
                }
        config_setting_remove(parent, name);
    }
    config_setting_t *added = copy_setting(parent, name, src);
    EXO_CHECK(added != NULL, c->err, EXO_ERR_CONFIG, "%s: %s %s: cannot set '%s'",
              c->file, from, text, name);
    EXO_TRY(remember_override(c, added, text));
cleanup:
    config_destroy(&val);
    free(path);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------ sequence */

/* Setting @p v (a scalar, or an array or list of scalars) as libconfig
 * text; 0, or -1 if it is of another kind or does not fit. */
static int setting_literal(const config_setting_t *v, char *buf, size_t n)
{
    int w = -1;
    switch (config_setting_type(v)) {
    case CONFIG_TYPE_INT: w = snprintf(buf, n, "%d", config_setting_get_int(v)); break;
    case CONFIG_TYPE_INT64:
        w = snprintf(buf, n, "%lldL", (long long)config_setting_get_int64(v));
        break;
    case CONFIG_TYPE_FLOAT: {
        /* a float keeps a decimal point, so it stays a float */
        double x = config_setting_get_float(v);
        w = snprintf(buf, n, "%.17g", x);
        if (w > 0 && (size_t)w < n && !strpbrk(buf, ".eEn"))
            w = snprintf(buf, n, "%.1f", x);
        break;
    }
    case CONFIG_TYPE_BOOL:
        w = snprintf(buf, n, "%s", config_setting_get_bool(v) ? "true" : "false");
        break;
    case CONFIG_TYPE_STRING: {
        const char *t = config_setting_get_string(v);
        if (strpbrk(t, "\"\\"))
            return -1;
        w = snprintf(buf, n, "\"%s\"", t);
        break;
    }
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST: {
        int list = config_setting_type(v) == CONFIG_TYPE_LIST;
        size_t at = (size_t)snprintf(buf, n, "%s", list ? "(" : "[");
        for (int i = 0; i < config_setting_length(v) && at < n; i++) {
            if (i)
                at += (size_t)snprintf(buf + at, n - at, ", ");
            if (at >= n || setting_literal(config_setting_get_elem(v, (unsigned)i), buf + at,
                                           n - at) != 0)
                return -1;
            at += strlen(buf + at);
        }
        if (at < n)
            at += (size_t)snprintf(buf + at, n - at, "%s", list ? ")" : "]");
        return at < n ? 0 : -1;
    }
    default: return -1;
    }
    return w >= 0 && (size_t)w < n ? 0 : -1;
}

/*
 * sweep.sequence = ( { setting = "PATH"; values = [...]; }, ... ) and
 * sweep.run: read the settings run one after another, record them in @p q,
 * and apply run `run`'s values (run 0's without one) to the tree as
 * overrides, before anything else is read, so every value is checked
 * where it lands and errors name the sequence.
 */
static exo_status apply_sequence(cfg *c, exo_sequence *q)
{
    static const char *const keys[] = {"setting", "values", NULL};
    exo_status rc = EXO_OK;
    q->run = -1;
    const config_setting_t *g = config_lookup(&c->lc, "sweep");
    const config_setting_t *sl = g && config_setting_is_group(g)
                                     ? config_setting_get_member(g, "sequence") : NULL;
    const config_setting_t *rs = g && config_setting_is_group(g)
                                     ? config_setting_get_member(g, "run") : NULL;
    if (sl == NULL) {
        if (rs != NULL)
            return bad(c, rs, "needs sweep.sequence (the settings run one after another)");
        return EXO_OK;
    }
    int n = config_setting_type(sl) == CONFIG_TYPE_LIST ? config_setting_length(sl) : -1;
    if (n < 1 || n > EXO_SEQUENCE_MAX_SETTINGS)
        return bad(c, sl, "expected a list of 1 to %d settings ( { setting = \"PATH\"; "
                          "values = [...]; }, ... ), got %s", EXO_SEQUENCE_MAX_SETTINGS,
                   n == 0 ? "an empty list" : type_name(config_setting_type(sl)));
    uint64_t runs = 1;
    for (int j = 0; j < n; j++) {
        const config_setting_t *e = config_setting_get_elem(sl, (unsigned)j), *s, *vl;
        if (!config_setting_is_group(e))
            return bad(c, e, "expected a group { setting = \"PATH\"; values = [...]; }, got %s",
                       type_name(config_setting_type(e)));
        EXO_TRY(check_keys(c, e, keys));
        if ((s = config_setting_get_member(e, "setting")) == NULL)
            return missing(c, e, "setting", "the path of a scenario setting, e.g. "
                                            "\"geometry.vessels.[0].flow.mean_velocity\"");
        const char *path = NULL;
        EXO_TRY(read_string(c, s, &path));
        if (path[0] == '\0' || strncmp(path, "sweep", 5) == 0 ||
            strcmp(path, "output.file") == 0 || strchr(path, '=') != NULL)
            return bad(c, s, "cannot run \"%s\" in sequence: give the path of a scenario "
                             "setting outside sweep (output.file is chosen per run: "
                             "OUT_run<S>.h5)", path);
        for (int i = 0; i < j; i++)
            if (strcmp(q->setting[i], path) == 0)
                return bad(c, s, "\"%s\" is in the sequence twice", path);
        if ((vl = config_setting_get_member(e, "values")) == NULL)
            return missing(c, e, "values", "a list of the setting's values, e.g. "
                                           "[\"100 um/s\", \"1 mm/s\"]");
        int nv = config_setting_is_aggregate(vl) ? config_setting_length(vl) : -1;
        if (nv < 1 || nv > EXO_SWEEP_MAX_VALUES)
            return bad(c, vl, "expected a list of 1 to %d values, got %s", EXO_SWEEP_MAX_VALUES,
                       nv == 0 ? "an empty list" : type_name(config_setting_type(vl)));
        q->setting[j] = strdup(path);
        q->n_settings = (uint32_t)j + 1; /* what to free from here on */
        EXO_CHECK(q->setting[j] != NULL, c->err, EXO_ERR_NOMEM, "out of memory");
        EXO_ALLOC(q->value[j], (size_t)nv, c->err, "the sequence's values");
        q->n_values[j] = (uint32_t)nv;
        for (int i = 0; i < nv; i++) {
            char lit[512];
            const config_setting_t *v = config_setting_get_elem(vl, (unsigned)i);
            if (setting_literal(v, lit, sizeof lit) != 0)
                return bad(c, v, "expected a number, a string (with its unit), a boolean or "
                                 "an array of them");
            q->value[j][i] = strdup(lit);
            EXO_CHECK(q->value[j][i] != NULL, c->err, EXO_ERR_NOMEM, "out of memory");
        }
        runs *= (uint64_t)nv;
        if (runs > EXO_SEQUENCE_MAX_RUNS)
            return bad(c, sl, "more than %d runs in sequence (the product of the value "
                              "counts)", EXO_SEQUENCE_MAX_RUNS);
    }
    q->n_runs = (uint32_t)runs;
    long long run = 0;
    if (rs != NULL) {
        EXO_TRY(read_int(c, rs, 0, (long long)runs - 1, &run));
        q->run = run;
    }
    snprintf(c->sequence_origin, sizeof c->sequence_origin, "sweep.sequence, run %lld:",
             run);
    for (uint32_t j = 0; j < q->n_settings; j++) {
        const char *lit = q->value[j][exo_sequence_index(q, (uint32_t)run, j)];
        size_t len = strlen(q->setting[j]) + strlen(lit) + 2;
        EXO_ALLOC(c->sequence_text[j], len, c->err, "a sequence override");
        snprintf(c->sequence_text[j], len, "%s=%s", q->setting[j], lit);
        c->origin = c->sequence_origin;
        rc = apply_override(c, c->sequence_text[j]);
        c->origin = NULL;
        if (rc != EXO_OK)
            goto cleanup;
    }
cleanup:
    return rc;
}

/* ------------------------------------------------------------ entry points */

static exo_status load_common(exo_scenario **out, cfg *c, int parsed,
                              const char *const *overrides, size_t n_overrides)
{
    exo_status rc = EXO_OK;
    exo_scenario *sc = NULL;
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = NULL;
    if (!parsed) {
        if (config_error_type(&c->lc) == CONFIG_ERR_FILE_IO)
            EXO_CHECK(0, c->err, EXO_ERR_CONFIG, "cannot read scenario '%s': %s",
                      c->file, strerror(errno ? errno : ENOENT));
        EXO_CHECK(0, c->err, EXO_ERR_CONFIG, "%s:%d: %s", c->file,
                  config_error_line(&c->lc), config_error_text(&c->lc));
    }
    for (size_t i = 0; i < n_overrides; i++)
        EXO_TRY(apply_override(c, overrides[i]));
    EXO_ALLOC(sc, 1, c->err, "the scenario");
    sc->source = strdup(c->file);
    EXO_CHECK(sc->source != NULL, c->err, EXO_ERR_NOMEM, "out of memory");
    EXO_TRY(apply_sequence(c, &sc->sequence));
    EXO_TRY(load_all(c, sc));
    if (sc->sequence.run >= 0 && sc->output_file && sc->output_file[0]) {
        char *path = exo_scenario_run_path(sc, sc->output_file);
        EXO_CHECK(path != NULL, c->err, EXO_ERR_NOMEM, "out of memory");
        free(sc->output_file);
        sc->output_file = path;
    }

    mem = open_memstream(&text, &text_len);
    EXO_CHECK(mem != NULL, c->err, EXO_ERR_NOMEM, "out of memory");
    config_write(&c->lc, mem);
    int closed = fclose(mem);
    mem = NULL;
    EXO_CHECK(closed == 0, c->err, EXO_ERR_NOMEM, "out of memory");
    sc->resolved_text = text;
    text = NULL;
    *out = sc;
    sc = NULL;
cleanup:
    if (mem)
        fclose(mem);
    free(text);
    for (int j = 0; j < EXO_SEQUENCE_MAX_SETTINGS; j++)
        free(c->sequence_text[j]);
    exo_scenario_destroy(sc);
    return rc;
}

exo_status exo_scenario_load(exo_scenario **out, const char *path,
                             const char *const *overrides, size_t n_overrides,
                             exo_error *err)
{
    cfg c;
    memset(&c, 0, sizeof c);
    c.file = path;
    c.err = err;
    config_init(&c.lc);
    errno = 0;
    int ok = config_read_file(&c.lc, path);
    exo_status rc = EXO_OK;
    if (ok) {
        /* Parsed, so readable: scan its text for wrapped integers. */
        FILE *f = fopen(path, "rb");
        char *text = NULL;
        size_t len = 0;
        if (f) {
            FILE *mem = open_memstream(&text, &len);
            int ch;
            while (mem && (ch = fgetc(f)) != EOF)
                fputc(ch, mem);
            if (mem)
                fclose(mem);
            fclose(f);
        }
        if (text)
            rc = check_int_literals(&c, text, NULL);
        free(text);
    }
    if (rc == EXO_OK)
        rc = load_common(out, &c, ok, overrides, n_overrides);
    config_destroy(&c.lc);
    return rc;
}

exo_status exo_scenario_load_text(exo_scenario **out, const char *text,
                                  const char *name, const char *const *overrides,
                                  size_t n_overrides, exo_error *err)
{
    cfg c;
    memset(&c, 0, sizeof c);
    c.file = name;
    c.err = err;
    config_init(&c.lc);
    int ok = config_read_string(&c.lc, text);
    exo_status rc = ok ? check_int_literals(&c, text, NULL) : EXO_OK;
    if (rc == EXO_OK)
        rc = load_common(out, &c, ok, overrides, n_overrides);
    config_destroy(&c.lc);
    return rc;
}

void exo_scenario_destroy(exo_scenario *sc)
{
    if (sc == NULL)
        return;
    free(sc->source);
    free(sc->pop);
    free(sc->sweep.point);
    for (uint32_t j = 0; j < sc->sequence.n_settings; j++) {
        for (uint32_t i = 0; sc->sequence.value[j] && i < sc->sequence.n_values[j]; i++)
            free(sc->sequence.value[j][i]);
        free(sc->sequence.value[j]);
        free(sc->sequence.setting[j]);
    }
    free(sc->cell);
    free(sc->output_file);
    free(sc->resolved_text);
    free(sc);
}

uint64_t exo_scenario_vesicle_count(const exo_scenario *sc) { return sc->n_vesicles; }
uint64_t exo_scenario_steps(const exo_scenario *sc) { return sc->steps; }
double exo_scenario_dt(const exo_scenario *sc) { return sc->dt; }
