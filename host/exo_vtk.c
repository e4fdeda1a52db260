/*
 * exo_vtk: see exo_vtk.h.
 */
#include "exo_vtk.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exo_error.h"

/* Points around a wall circle: smooth enough to look round in ParaView. */
#define EXO_VTK_SEGMENTS 48

int exo_vtk_path(const char *h5_path, char *out, size_t n)
{
    size_t len = strlen(h5_path);
    if (len > 3 && strcmp(h5_path + len - 3, ".h5") == 0)
        len -= 3;
    int w = snprintf(out, n, "%.*s.vessels.vtk", (int)len, h5_path);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* The axial stations of vessel v: 0, its region boundaries, L (sorted, as
 * regions do not overlap). */
static int stations(const exo_vessel *v, double *s)
{
    int n = 0;
    s[n++] = 0;
    for (uint32_t r = 0; r < v->n_regions; r++) {
        if (v->region[r].from > s[n - 1])
            s[n++] = v->region[r].from;
        s[n++] = v->region[r].to;
    }
    if (v->length > s[n - 1])
        s[n++] = v->length;
    /* Regions are listed in any order: sort the few stations. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
            double t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    return n;
}

static int region_of(const exo_vessel *v, double s)
{
    for (uint32_t r = 0; r < v->n_regions; r++)
        if (s >= v->region[r].from && s < v->region[r].to)
            return (int)r;
    return -1;
}

exo_status exo_vtk_write_vessels(const exo_scenario *sc, const char *path,
                                 exo_error *err)
{
    exo_status rc = EXO_OK;
    char tmp[4200];
    FILE *f = NULL;
    double st[EXO_MAX_VESSELS][2 * EXO_MAX_REGIONS + 2];
    int ns[EXO_MAX_VESSELS], points = 0, cells = 0;
    for (uint32_t k = 0; k < sc->n_vessels; k++) {
        ns[k] = stations(&sc->vessel[k], st[k]);
        points += ns[k] * EXO_VTK_SEGMENTS;
        cells += (ns[k] - 1) * EXO_VTK_SEGMENTS;
    }
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    f = fopen(tmp, "w");
    EXO_CHECK(f != NULL, err, EXO_ERR_IO, "cannot create the vessel geometry file %s: %s",
              tmp, strerror(errno));
    fprintf(f, "# vtk DataFile Version 3.0\n"
               "exobd vessel walls of scenario %s (nm)\n"
               "ASCII\nDATASET POLYDATA\nPOINTS %d double\n", sc->name, points);
    for (uint32_t k = 0; k < sc->n_vessels; k++) {
        const exo_vessel *v = &sc->vessel[k];
        for (int i = 0; i < ns[k]; i++)
            for (int j = 0; j < EXO_VTK_SEGMENTS; j++) {
                double phi = 2 * M_PI * j / EXO_VTK_SEGMENTS, x[3];
                exo_vessel_point(v, st[k][i], v->radius * cos(phi), v->radius * sin(phi), x);
                fprintf(f, "%.9g %.9g %.9g\n", x[0] * 1e3, x[1] * 1e3, x[2] * 1e3);
            }
    }
    fprintf(f, "POLYGONS %d %d\n", cells, 5 * cells);
    int base = 0;
    for (uint32_t k = 0; k < sc->n_vessels; k++) {
        for (int i = 0; i + 1 < ns[k]; i++)
            for (int j = 0; j < EXO_VTK_SEGMENTS; j++) {
                int a = base + i * EXO_VTK_SEGMENTS + j;
                int b = base + i * EXO_VTK_SEGMENTS + (j + 1) % EXO_VTK_SEGMENTS;
                fprintf(f, "4 %d %d %d %d\n", a, b, b + EXO_VTK_SEGMENTS,
                        a + EXO_VTK_SEGMENTS);
            }
        base += ns[k] * EXO_VTK_SEGMENTS;
    }
    fprintf(f, "CELL_DATA %d\nSCALARS vessel int 1\nLOOKUP_TABLE default\n", cells);
    for (uint32_t k = 0; k < sc->n_vessels; k++)
        for (int c = 0; c < (ns[k] - 1) * EXO_VTK_SEGMENTS; c++)
            fprintf(f, "%u\n", k);
    fprintf(f, "SCALARS region int 1\nLOOKUP_TABLE default\n");
    for (uint32_t k = 0; k < sc->n_vessels; k++)
        for (int i = 0; i + 1 < ns[k]; i++) {
            int r = region_of(&sc->vessel[k], 0.5 * (st[k][i] + st[k][i + 1]));
            for (int j = 0; j < EXO_VTK_SEGMENTS; j++)
                fprintf(f, "%d\n", r);
        }
    int failed = ferror(f);
    int closed = fclose(f);
    f = NULL;
    EXO_CHECK(!failed && closed == 0, err, EXO_ERR_IO,
              "cannot write the vessel geometry file %s: %s", tmp, strerror(errno));
    EXO_CHECK(rename(tmp, path) == 0, err, EXO_ERR_IO,
              "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    return EXO_OK;
cleanup:
    if (f)
        fclose(f);
    remove(tmp);
    return rc;
}
