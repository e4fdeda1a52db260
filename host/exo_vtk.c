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

int exo_vtk_path(const char *h5_path, const char *kind, char *out, size_t n)
{
    size_t len = strlen(h5_path);
    if (len > 3 && strcmp(h5_path + len - 3, ".h5") == 0)
        len -= 3;
    int w = snprintf(out, n, "%.*s.%s.vtk", (int)len, h5_path, kind);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* Close the temporary file *f and rename it to path; on failure remove it.
 * A partial file never has the final name. */
static exo_status finish(FILE **f, const char *tmp, const char *path, const char *what,
                         exo_error *err)
{
    exo_status rc = EXO_OK;
    int failed = ferror(*f);
    int closed = fclose(*f);
    *f = NULL;
    EXO_CHECK(!failed && closed == 0, err, EXO_ERR_IO,
              "cannot write the %s geometry file %s: %s", what, tmp, strerror(errno));
    EXO_CHECK(rename(tmp, path) == 0, err, EXO_ERR_IO, "cannot rename %s to %s: %s", tmp, path,
              strerror(errno));
    return EXO_OK;
cleanup:
    remove(tmp);
    return rc;
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
    return finish(&f, tmp, path, "vessel", err);
cleanup:
    if (f)
        fclose(f);
    remove(tmp);
    return rc;
}

/* A cell's sphere: EXO_VTK_AROUND points on each of EXO_VTK_RINGS - 1
 * circles of latitude, and the two poles; triangles between them. */
#define EXO_VTK_AROUND 12
#define EXO_VTK_RINGS 6
#define EXO_VTK_SPHERE_POINTS (EXO_VTK_AROUND * (EXO_VTK_RINGS - 1) + 2)
#define EXO_VTK_SPHERE_TRIANGLES (2 * EXO_VTK_AROUND * (EXO_VTK_RINGS - 1))

exo_status exo_vtk_write_cells(const exo_scenario *sc, const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    char tmp[4200];
    FILE *f = NULL;
    const int spheres = sc->n_cells <= EXO_VTK_MAX_SPHERES;
    const uint32_t n = sc->n_cells;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    f = fopen(tmp, "w");
    EXO_CHECK(f != NULL, err, EXO_ERR_IO, "cannot create the cell geometry file %s: %s",
              tmp, strerror(errno));
    fprintf(f, "# vtk DataFile Version 3.0\n"
               "exobd tissue cells of scenario %s (nm)\n"
               "ASCII\nDATASET POLYDATA\nPOINTS %lu double\n", sc->name,
            (unsigned long)n * (spheres ? EXO_VTK_SPHERE_POINTS : 1));
    for (uint32_t i = 0; i < n; i++) {
        const exo_cell *c = &sc->cell[i];
        if (!spheres) {
            fprintf(f, "%.9g %.9g %.9g\n", c->centre[0] * 1e3, c->centre[1] * 1e3,
                    c->centre[2] * 1e3);
            continue;
        }
        double r = c->radius * 1e3, x = c->centre[0] * 1e3, y = c->centre[1] * 1e3,
               z = c->centre[2] * 1e3;
        fprintf(f, "%.9g %.9g %.9g\n", x, y, z + r);
        for (int k = 1; k < EXO_VTK_RINGS; k++) {
            double th = M_PI * k / EXO_VTK_RINGS;
            for (int j = 0; j < EXO_VTK_AROUND; j++) {
                double ph = 2 * M_PI * j / EXO_VTK_AROUND;
                fprintf(f, "%.9g %.9g %.9g\n", x + r * sin(th) * cos(ph),
                        y + r * sin(th) * sin(ph), z + r * cos(th));
            }
        }
        fprintf(f, "%.9g %.9g %.9g\n", x, y, z - r);
    }
    if (spheres) {
        unsigned long tri = (unsigned long)n * EXO_VTK_SPHERE_TRIANGLES;
        fprintf(f, "POLYGONS %lu %lu\n", tri, 4 * tri);
        for (uint32_t i = 0; i < n; i++) {
            unsigned long b = (unsigned long)i * EXO_VTK_SPHERE_POINTS;
            unsigned long south = b + EXO_VTK_SPHERE_POINTS - 1;
            for (int j = 0; j < EXO_VTK_AROUND; j++) {
                int j1 = (j + 1) % EXO_VTK_AROUND;
                fprintf(f, "3 %lu %lu %lu\n", b, b + 1 + j, b + 1 + j1);
                for (int k = 0; k + 1 < EXO_VTK_RINGS - 1; k++) {
                    unsigned long a0 = b + 1 + k * EXO_VTK_AROUND;
                    unsigned long a1 = a0 + EXO_VTK_AROUND;
                    fprintf(f, "3 %lu %lu %lu\n3 %lu %lu %lu\n", a0 + j, a1 + j, a1 + j1,
                            a0 + j, a1 + j1, a0 + j1);
                }
                unsigned long last = b + 1 + (EXO_VTK_RINGS - 2) * EXO_VTK_AROUND;
                fprintf(f, "3 %lu %lu %lu\n", last + j, south, last + j1);
            }
        }
        fprintf(f, "CELL_DATA %lu\nSCALARS cell int 1\nLOOKUP_TABLE default\n", tri);
        for (uint32_t i = 0; i < n; i++)
            for (int t = 0; t < EXO_VTK_SPHERE_TRIANGLES; t++)
                fprintf(f, "%u\n", i);
        fprintf(f, "SCALARS cell_type int 1\nLOOKUP_TABLE default\n");
        for (uint32_t i = 0; i < n; i++)
            for (int t = 0; t < EXO_VTK_SPHERE_TRIANGLES; t++)
                fprintf(f, "%d\n", sc->cell[i].type);
    } else {
        fprintf(f, "VERTICES %u %lu\n", n, 2ul * n);
        for (uint32_t i = 0; i < n; i++)
            fprintf(f, "1 %u\n", i);
        fprintf(f, "POINT_DATA %u\nSCALARS radius double 1\nLOOKUP_TABLE default\n", n);
        for (uint32_t i = 0; i < n; i++)
            fprintf(f, "%.9g\n", sc->cell[i].radius * 1e3);
        fprintf(f, "SCALARS cell_type int 1\nLOOKUP_TABLE default\n");
        for (uint32_t i = 0; i < n; i++)
            fprintf(f, "%d\n", sc->cell[i].type);
    }
    return finish(&f, tmp, path, "cell", err);
cleanup:
    if (f)
        fclose(f);
    remove(tmp);
    return rc;
}
