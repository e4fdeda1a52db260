/*
 * exo_h5: the output file (H5MD 1.1) and its XDMF 3 sidecar; see exo_h5.h.
 *
 * It writes outputs through its own file driver (exo_h5_driver.c).  It is
 * not thread-safe (the Debian HDF5 is built without the thread-safe
 * option): one thread, the writer, owns an exo_h5 and makes every call on
 * it.
 *
 * Layout decisions the design left open (docs/output.md should repeat them):
 * - Every string, attribute or dataset, is a variable-length UTF-8 string.
 *   h5py 3 returns those as Python str, while fixed-length strings come back
 *   as bytes; MDAnalysis 2.4 looks the `unit` attribute up in a dict of str
 *   keys, so a fixed-length "nm" would be rejected as unknown.
 * - Each time-dependent element has its own step and time datasets (no hard
 *   links), so any subset of fields can be written.
 * - Per-vesicle value datasets are chunked one frame per chunk, {1, N, 3};
 *   a frame larger than EXO_H5_CHUNK_MAX_BYTES is split along N.  Box edges
 *   and observables are small and chunked EXO_H5_SERIES_CHUNK rows at a time.
 * - Observable names are single HDF5 link names (no '/'): MDAnalysis reads
 *   /observables/<key>/value for every key and fails on nested groups.
 *   C readers must read strings with a UTF-8 memory type: HDF5 converts no
 *   character sets.  /h5md@exobd_status is such a string.
 * - In the XDMF, id (int64) is NumberType="Int" Precision="8" on
 *   /particles/vesicles/id itself: DESIGN.md 6 lists int64 as safe, only
 *   uint64 is read as 32-bit.  /xdmf/iota is int32, so N <= INT32_MAX.
 * - Without positions (write_position = 0) the sidecar lists no frames:
 *   a grid needs a geometry.  The HDF5 frames are written as usual.
 * - The frame groups are /xdmf/frames/%06llu (zero-padded so that h5ls and
 *   HDF5's name order list them in time order).
 * - /parameters/exobd: scenario and derived are scalar string datasets;
 *   name, seed (uint64), dt (float64) with dt_unit = "s", and device are
 *   attributes.  /particles/vesicles/box@exobd_lower is float64[3] in nm
 *   (exobd_lower_unit = "nm"); population@names lists the populations.
 * What MDAnalysis 2.4.2 (Debian) does with this layout, measured: positions,
 * times and units read correctly; observables are put in ts.data by *frame
 * index* (value[frame]), so they line up only when written once per frame.
 * Box edges are therefore written as H5MD's matrix form, value[T,3,3] with
 * the edge vectors on the diagonal: with the vector form value[T,3] its
 * reader hands the row to triclinic_box(), which wants a 3x3 matrix, and
 * ts.dimensions comes back None.
 */
#include "exo_h5.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <hdf5.h>

#include "exo_comm.h"
#include "exo_error.h"
#include "exo_h5_driver.h"

#ifdef EXOBD_MPI
#ifndef H5_HAVE_PARALLEL
#error "the MPI build needs the parallel HDF5 (Debian: libhdf5-openmpi-dev)"
#endif
#include <mpi.h>
#endif

/* HDF5 refuses chunks of 4 GiB or more.  Deflate can grow incompressible
 * data slightly, and a reader holds a whole chunk in memory, so frames are
 * split well below that limit. */
#define EXO_H5_CHUNK_MAX_BYTES ((hsize_t)1 << 30)   /* bytes per chunk, max */
#define EXO_H5_SERIES_CHUNK    1024    /* rows per chunk of step/time/small values */
#define EXO_H5_IOTA_BLOCK      65536   /* elements of /xdmf/iota written at once */
#define EXO_H5_MAX_RANK        4       /* value[T,N,3]; density value[T,nz,ny,nx] */

/* One H5MD time-dependent element: a group with step[T], time[T] and
 * value[T,...], all extendible in T. */
typedef struct h5_series {
    hid_t group, step, time, value;    /* open while the file is open       */
    int rank;                          /* rank of value, T included (1..3)  */
    hsize_t dims[EXO_H5_MAX_RANK];     /* extent of value; dims[0] = T      */
    hid_t file_type;                   /* predefined types: never closed    */
    hid_t mem_type;
    int split;                         /* dims[1] counts vesicles: in a
                                          shared file each rank writes its
                                          rows of it                        */
    char *path;                        /* "/particles/vesicles/position"    */
} h5_series;

/* One event kind: /events/<kind> with its columns, extendible in E. */
#define EXO_H5_EVENT_COLUMNS 11
typedef struct h5_events {
    hid_t group;
    hid_t col[EXO_H5_EVENT_COLUMNS];   /* step, time, id, position, surface,
                                          region, patch, bonds, route, cell,
                                          cell_type                         */
    uint64_t rows;
    char *path;                        /* "/events/binding"                 */
} h5_events;

struct exo_h5 {
    char *path;                        /* the .h5 file, as given            */
    char *xdmf_path;                   /* the sidecar                       */
    char *xdmf_h5name;                 /* basename of path, XML-escaped     */
    uint64_t n;                        /* vesicles per frame (N)            */
    uint64_t row_first, row_count;     /* this process's rows of them       */
    int shared;                        /* every rank of an MPI run writes it */
    int root;                          /* this process writes what every rank
                                          holds alike, and the sidecars     */
    hid_t dxpl;                        /* data transfer: collective when
                                          shared, else H5P_DEFAULT          */
    int write_position, write_state, write_image, write_bonds;
    float edges_nm[9];                 /* box edge vectors (a diagonal 3x3
                                          matrix) written with each frame   */

    hid_t file;
    hid_t h5md;                        /* /h5md, for exobd_status           */
    hid_t frames;                      /* /xdmf/frames                      */
    hid_t str_type;                    /* variable-length UTF-8 string      */
    h5_series edges, position, image, state, bonds;
    h5_series *obs;                    /* [n_obs]                           */
    uint32_t n_obs;
    h5_series *robs;                   /* [n_robs] float64 observables      */
    uint32_t n_robs;
    uint64_t n_robs_rows;
    int64_t last_robs_step;
    h5_events *events;                 /* [n_events]                        */
    uint32_t n_events;

    uint64_t n_frames;                 /* frames written                    */
    int64_t last_step;                 /* of the last frame                 */
    double last_time_s;
    uint64_t n_obs_rows;               /* observable rows written           */
    int64_t last_obs_step;

    FILE *xdmf;
    long xdmf_tail;                    /* offset of the closing tags        */

    /* Density images (output.density): one series per state, their views
     * under /xdmf/density, and their own sidecar. */
    h5_series *dens;                   /* [n_dens] /density/<state>         */
    char **dens_names;
    uint32_t n_dens;
    uint32_t dens_bins[3];             /* x, y, z                           */
    double dens_lower_nm[3], dens_voxel_nm[3];
    uint64_t n_dens_rows;
    int64_t last_dens_step;
    hid_t dens_views;                  /* /xdmf/density                     */
    char *dxdmf_path;
    FILE *dxdmf;
    long dxdmf_tail;
};

static const char xdmf_tail[] = "  </Grid>\n </Domain>\n</Xdmf>\n";

/* ------------------------------------------------------------ HDF5 errors */

typedef struct h5_walk {
    exo_error *err;
    unsigned shown;                    /* entries appended so far           */
} h5_walk;

static herr_t h5_walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    h5_walk *w = data;
    char maj[96] = "", min[128] = "";
    if (w->shown++ >= 8)
        return 0;
    H5Eget_msg(e->maj_num, NULL, maj, sizeof maj);
    H5Eget_msg(e->min_num, NULL, min, sizeof min);
    exo_error_append(w->err, "\n  HDF5 #%u %s(): %s [%s: %s] (%s:%u)", n,
                     e->func_name ? e->func_name : "?",
                     e->desc ? e->desc : "", maj, min,
                     e->file_name ? e->file_name : "?", e->line);
    return 0;
}

/* Record a failed HDF5 call ("<context>: <call> failed (returned r)") and,
 * if this is the error that was recorded, append HDF5's own error stack,
 * most specific entry first.  Must be called before any other HDF5 call,
 * which would clear the stack. */
static exo_status h5_fail(exo_error *err, exo_status status, long result,
                          const char *file, int line, const char *func,
                          const char *call, const char *fmt, ...)
    EXO_PRINTF(8, 9);

static exo_status h5_fail(exo_error *err, exo_status status, long result,
                          const char *file, int line, const char *func,
                          const char *call, const char *fmt, ...)
{
    hid_t stack = H5Eget_current_stack(); /* copies and clears the stack */
    int fresh = !exo_error_is_set(err);
    char context[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(context, sizeof context, fmt, ap);
    va_end(ap);
    exo_error_set(err, status, result, file, line, func,
                  "%s: %s failed (returned %ld)", context, call, result);
    if (fresh && err != NULL && stack >= 0) {
        h5_walk w = {err, 0};
        H5Ewalk2(stack, H5E_WALK_UPWARD, h5_walk_cb, &w);
    }
    if (stack >= 0)
        H5Eclose_stack(stack);
    return status;
}

/* Evaluate an HDF5 call; a negative result records @p status with the call
 * text and the context, appends the HDF5 stack and jumps to cleanup.  The
 * call is stringified by the outer macros, before H5P_DEFAULT and the type
 * macros are expanded. */
#define EXO_H5_CALL(status, call, text, err, ...)                           \
    do {                                                                    \
        long r_ = (long)(call);                                             \
        if (r_ < 0) {                                                       \
            rc = h5_fail((err), (status), r_, __FILE__, __LINE__, __func__, \
                         (text), __VA_ARGS__);                              \
            goto cleanup;                                                   \
        }                                                                   \
    } while (0)

#define EXO_H5(call, err, ...)                                              \
    EXO_H5_CALL(EXO_ERR_HDF5, call, #call, err, __VA_ARGS__)
#define EXO_H5_AS(status, call, err, ...)                                   \
    EXO_H5_CALL(status, call, #call, err, __VA_ARGS__)

/* Close any HDF5 id (checked) in a cleanup block: never jumps, keeps the
 * first error, resets the id. */
static void h5_release_at(hid_t *id, exo_status *rc, exo_error *err,
                          const char *what, const char *file_path,
                          const char *file, int line, const char *func)
{
    herr_t r;
    const char *call;
    if (*id < 0)
        return;
    switch (H5Iget_type(*id)) {
    case H5I_FILE:      r = H5Fclose(*id); call = "H5Fclose"; break;
    case H5I_GROUP:     r = H5Gclose(*id); call = "H5Gclose"; break;
    case H5I_DATASET:   r = H5Dclose(*id); call = "H5Dclose"; break;
    case H5I_ATTR:      r = H5Aclose(*id); call = "H5Aclose"; break;
    case H5I_DATASPACE: r = H5Sclose(*id); call = "H5Sclose"; break;
    case H5I_DATATYPE:  r = H5Tclose(*id); call = "H5Tclose"; break;
    case H5I_GENPROP_LST: r = H5Pclose(*id); call = "H5Pclose"; break;
    default:            r = H5Idec_ref(*id); call = "H5Idec_ref"; break;
    }
    *id = H5I_INVALID_HID;
    if (r < 0) {
        exo_status s = h5_fail(err, EXO_ERR_HDF5, r, file, line, func, call,
                               "closing %s in %s", what, file_path);
        if (*rc == EXO_OK)
            *rc = s;
    }
}

#define H5_RELEASE(id, what, file_path)                                     \
    h5_release_at(&(id), &rc, err, (what), (file_path), __FILE__, __LINE__, \
                  __func__)

/* ------------------------------------------------------------- utilities */

static char *exo_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* "a" + "/" + "b", or NULL when out of memory. */
static char *path_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = malloc(na + nb + 2);
    if (p != NULL) {
        memcpy(p, a, na);
        p[na] = '/';
        memcpy(p + na + 1, b, nb + 1);
    }
    return p;
}

/* Copy of @p s with the five XML special characters escaped. */
static char *xml_escape(const char *s)
{
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += (*c == '&' || *c == '<' || *c == '>' || *c == '"' || *c == '\'')
                 ? 6 : 1;
    char *out = malloc(n), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *c = s; *c; c++) {
        const char *rep = NULL;
        switch (*c) {
        case '&':  rep = "&amp;"; break;
        case '<':  rep = "&lt;"; break;
        case '>':  rep = "&gt;"; break;
        case '"':  rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        default:   *o++ = *c; continue;
        }
        size_t r = strlen(rep);
        memcpy(o, rep, r);
        o += r;
    }
    *o = '\0';
    return out;
}

static const char *errno_text(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "errno %d", e);
    return buf;
}

/* A growable text buffer for one XDMF frame. */
typedef struct xbuf {
    char *p;
    size_t len, cap;
} xbuf;

static int xbuf_printf(xbuf *b, const char *fmt, ...) EXO_PRINTF(2, 3);

static int xbuf_printf(xbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = 2 * (b->len + (size_t)n + 1);
        char *p = realloc(b->p, cap);
        if (p == NULL)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

/* ------------------------------------------------- attributes and datasets */

/* Write (or replace) attribute @p name of @p obj.  @p n == 0 gives a scalar,
 * otherwise a 1-D attribute of n elements. */
static exo_status h5_attr(const exo_h5 *h, hid_t obj, const char *obj_path,
                          const char *name, hid_t file_type, hid_t mem_type,
                          hsize_t n, const void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t space = H5I_INVALID_HID, attr = H5I_INVALID_HID;
    htri_t exists = 0;

    EXO_H5(exists = H5Aexists(obj, name), err,
           "looking up attribute %s of %s in %s", name, obj_path, h->path);
    if (exists > 0)
        EXO_H5(H5Adelete(obj, name), err, "replacing attribute %s of %s in %s",
               name, obj_path, h->path);
    EXO_H5(space = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR),
           err, "making the dataspace of attribute %s of %s in %s", name,
           obj_path, h->path);
    EXO_H5(attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT,
                             H5P_DEFAULT),
           err, "creating attribute %s of %s in %s", name, obj_path, h->path);
    EXO_H5(H5Awrite(attr, mem_type, data), err,
           "writing attribute %s of %s in %s", name, obj_path, h->path);
cleanup:
    H5_RELEASE(attr, name, h->path);
    H5_RELEASE(space, name, h->path);
    return rc;
}

static exo_status h5_attr_str(const exo_h5 *h, hid_t obj, const char *obj_path,
                              const char *name, const char *value,
                              exo_error *err)
{
    const char *v = value ? value : "";
    return h5_attr(h, obj, obj_path, name, h->str_type, h->str_type, 0, &v,
                   err);
}

/* A scalar variable-length string dataset. */
static exo_status h5_text(const exo_h5 *h, hid_t loc, const char *loc_path,
                          const char *name, const char *text, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t space = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    const char *v = text ? text : "";

    EXO_H5(space = H5Screate(H5S_SCALAR), err,
           "making the dataspace of %s/%s in %s", loc_path, name, h->path);
    EXO_H5(dset = H5Dcreate2(loc, name, h->str_type, space, H5P_DEFAULT,
                             H5P_DEFAULT, H5P_DEFAULT),
           err, "creating %s/%s in %s", loc_path, name, h->path);
    EXO_H5(H5Dwrite(dset, h->str_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v),
           err, "writing %s/%s in %s", loc_path, name, h->path);
cleanup:
    H5_RELEASE(dset, name, h->path);
    H5_RELEASE(space, name, h->path);
    return rc;
}

/* Creation properties that let the ranks of an MPI run write a dataset
 * through parallel HDF5, though one process created it (rank 0 creates a
 * shared file; a run checkpointed by one process may resume on several):
 * storage allocated as the extent grows (parallel HDF5 writes only to
 * allocated chunks, and a dataset created for one process has them
 * allocated by its first write, which fails there), and never filled (each
 * chunk would be written twice, and exobd writes every row it extends to).
 * Extendible datasets get them in every file, so any output can be
 * resumed on any number of ranks. */
static exo_status parallel_dcpl(const exo_h5 *h, hid_t dcpl, const char *loc_path,
                                const char *name, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_H5(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), err,
           "setting the allocation time of %s/%s in %s", loc_path, name, h->path);
    EXO_H5(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), err,
           "setting the fill time of %s/%s in %s", loc_path, name, h->path);
cleanup:
    return rc;
}

/* A time-independent 1-D dataset of @p n elements, with an optional unit;
 * data NULL: created, written later (each rank's rows of a shared file). */
static exo_status h5_array(const exo_h5 *h, hid_t loc, const char *loc_path,
                           const char *name, hid_t file_type, hid_t mem_type,
                           hsize_t n, const void *data, const char *unit,
                           exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t space = H5I_INVALID_HID, dset = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;

    EXO_H5(space = H5Screate_simple(1, &n, NULL), err,
           "making the dataspace of %s/%s in %s", loc_path, name, h->path);
    EXO_H5(dcpl = H5Pcreate(H5P_DATASET_CREATE), err,
           "making the creation properties of %s/%s in %s", loc_path, name, h->path);
    if (h->shared)
        EXO_TRY(parallel_dcpl(h, dcpl, loc_path, name, err));
    EXO_H5(dset = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT,
                             dcpl, H5P_DEFAULT),
           err, "creating %s/%s in %s", loc_path, name, h->path);
    if (data != NULL)
        EXO_H5(H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), err,
               "writing %s/%s in %s", loc_path, name, h->path);
    if (unit != NULL)
        EXO_TRY(h5_attr_str(h, dset, name, "unit", unit, err));
cleanup:
    H5_RELEASE(dset, name, h->path);
    H5_RELEASE(dcpl, name, h->path);
    H5_RELEASE(space, name, h->path);
    return rc;
}

static exo_status h5_group(const exo_h5 *h, hid_t *out, hid_t loc,
                           const char *name, const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_H5(*out = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           err, "creating group %s in %s", path, h->path);
cleanup:
    return rc;
}

/* ------------------------------------------------ time-dependent elements */

/* Chunk shape of an extendible dataset: @p t_rows rows of T, the full row,
 * split along dims[1] where one chunk would exceed EXO_H5_CHUNK_MAX_BYTES. */
static void chunk_shape(int rank, const hsize_t *dims, hsize_t t_rows,
                        size_t elem_size, hsize_t *chunk)
{
    hsize_t inner = elem_size;                 /* bytes below dims[1] */
    chunk[0] = t_rows;
    for (int i = 1; i < rank; i++)
        chunk[i] = dims[i];
    for (int i = 2; i < rank; i++)
        inner *= dims[i];
    if (rank >= 2 && t_rows * inner * chunk[1] > EXO_H5_CHUNK_MAX_BYTES) {
        hsize_t rows = EXO_H5_CHUNK_MAX_BYTES / (t_rows * inner);
        chunk[1] = rows > 0 ? rows : 1;
    }
}

/* One extendible dataset of @p rank with zero rows. */
static exo_status h5_extendible(const exo_h5 *h, hid_t *out, hid_t loc,
                                const char *loc_path, const char *name,
                                hid_t file_type, int rank, const hsize_t *row,
                                hsize_t t_rows, int compression,
                                exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    hsize_t dims[EXO_H5_MAX_RANK], maxdims[EXO_H5_MAX_RANK];
    hsize_t chunk[EXO_H5_MAX_RANK];

    dims[0] = 0;
    maxdims[0] = H5S_UNLIMITED;
    for (int i = 1; i < rank; i++)
        dims[i] = maxdims[i] = row[i - 1];
    chunk_shape(rank, dims, t_rows, H5Tget_size(file_type), chunk);

    EXO_H5(space = H5Screate_simple(rank, dims, maxdims), err,
           "making the dataspace of %s/%s in %s", loc_path, name, h->path);
    EXO_H5(dcpl = H5Pcreate(H5P_DATASET_CREATE), err,
           "making the creation properties of %s/%s in %s", loc_path, name,
           h->path);
    EXO_H5(H5Pset_chunk(dcpl, rank, chunk), err,
           "setting the chunk shape of %s/%s in %s", loc_path, name, h->path);
    EXO_TRY(parallel_dcpl(h, dcpl, loc_path, name, err));
    if (compression > 0) {
        EXO_H5(H5Pset_shuffle(dcpl), err, "enabling shuffle on %s/%s in %s",
               loc_path, name, h->path);
        EXO_H5(H5Pset_deflate(dcpl, (unsigned)compression), err,
               "enabling deflate level %d on %s/%s in %s", compression,
               loc_path, name, h->path);
    }
    EXO_H5(*out = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl,
                             H5P_DEFAULT),
           err, "creating %s/%s in %s", loc_path, name, h->path);
cleanup:
    H5_RELEASE(dcpl, name, h->path);
    H5_RELEASE(space, name, h->path);
    return rc;
}

/* Create the group @p name under @p parent with step, time and value.
 * @p row is the shape of one row of value (rank - 1 numbers). */
static exo_status series_create(const exo_h5 *h, h5_series *s, hid_t parent,
                                const char *parent_path, const char *name,
                                hid_t file_type, hid_t mem_type, int rank,
                                const hsize_t *row, hsize_t t_rows,
                                int compression, const char *unit,
                                exo_error *err)
{
    exo_status rc = EXO_OK;
    const hsize_t none[1] = {0};

    s->rank = rank;
    s->file_type = file_type;
    s->mem_type = mem_type;
    s->dims[0] = 0;
    for (int i = 1; i < rank; i++)
        s->dims[i] = row[i - 1];
    s->path = path_join(parent_path, name);
    EXO_CHECK(s->path != NULL, err, EXO_ERR_NOMEM,
              "out of host memory naming %s/%s", parent_path, name);

    EXO_TRY(h5_group(h, &s->group, parent, name, s->path, err));
    EXO_TRY(h5_extendible(h, &s->step, s->group, s->path, "step",
                          H5T_STD_I64LE, 1, none, EXO_H5_SERIES_CHUNK, 0, err));
    EXO_TRY(h5_extendible(h, &s->time, s->group, s->path, "time",
                          H5T_IEEE_F64LE, 1, none, EXO_H5_SERIES_CHUNK, 0, err));
    EXO_TRY(h5_attr_str(h, s->time, "time", "unit", "s", err));
    EXO_TRY(h5_extendible(h, &s->value, s->group, s->path, "value", file_type,
                          rank, row, t_rows, compression, err));
    if (unit != NULL)
        EXO_TRY(h5_attr_str(h, s->value, "value", "unit", unit, err));
cleanup:
    return rc;
}

/* Write the block start/count of @p dset (the file dataspace @p fspace)
 * from @p data.  In a shared file every rank calls this (the write is
 * collective): `mine` says whether this rank's block is written (its rows
 * of a split dataset; rank 0 for the rest); the others select nothing. */
static exo_status h5_write_block(const exo_h5 *h, hid_t dset, hid_t fspace, const char *path,
                                 const char *name, int rank, const hsize_t *start,
                                 const hsize_t *count, int mine, hid_t mem_type,
                                 const void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t mspace = H5I_INVALID_HID;
    hsize_t shape[EXO_H5_MAX_RANK];
    for (int i = 0; i < rank; i++) {
        shape[i] = count[i] ? count[i] : 1;
        mine = mine && count[i] > 0;
    }
    EXO_H5(mspace = H5Screate_simple(rank, shape, NULL), err,
           "making the memory dataspace for %s/%s in %s", path, name, h->path);
    if (mine) {
        EXO_H5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL), err,
               "selecting rows %llu.. of %s/%s in %s", (unsigned long long)start[0], path,
               name, h->path);
    } else {
        EXO_H5(H5Sselect_none(fspace), err, "selecting nothing of %s/%s in %s", path, name,
               h->path);
        EXO_H5(H5Sselect_none(mspace), err, "selecting nothing of %s/%s in %s", path, name,
               h->path);
    }
    EXO_H5(H5Dwrite(dset, mem_type, mspace, fspace, h->dxpl, data), err,
           "writing rows %llu.. of %s/%s in %s", (unsigned long long)start[0], path, name,
           h->path);
cleanup:
    H5_RELEASE(mspace, name, h->path);
    return rc;
}

/* Extend @p dset to @p dims (dims[0] grown by one) and write the last row;
 * `split`: dims[1] counts vesicles, of which this process writes its rows. */
static exo_status h5_append_row(const exo_h5 *h, hid_t dset, const char *path,
                                const char *name, int rank,
                                const hsize_t *dims, int split, hid_t mem_type,
                                const void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t fspace = H5I_INVALID_HID;
    hsize_t start[EXO_H5_MAX_RANK] = {0}, count[EXO_H5_MAX_RANK];

    start[0] = dims[0] - 1;
    count[0] = 1;
    for (int i = 1; i < rank; i++)
        count[i] = dims[i];
    if (split) {
        start[1] = h->row_first;
        count[1] = h->row_count;
    }
    EXO_H5(H5Dset_extent(dset, dims), err, "extending %s/%s to %llu rows in %s",
           path, name, (unsigned long long)dims[0], h->path);
    EXO_H5(fspace = H5Dget_space(dset), err, "getting the dataspace of %s/%s in %s",
           path, name, h->path);
    EXO_TRY(h5_write_block(h, dset, fspace, path, name, rank, start, count,
                           split || h->root, mem_type, data, err));
cleanup:
    H5_RELEASE(fspace, name, h->path);
    return rc;
}

/* Append one row (step, time, value) to a time-dependent element. */
static exo_status series_append(const exo_h5 *h, h5_series *s, int64_t step,
                                double time_s, const void *row, exo_error *err)
{
    exo_status rc = EXO_OK;
    hsize_t dims[EXO_H5_MAX_RANK];
    hsize_t t = s->dims[0] + 1;

    memcpy(dims, s->dims, sizeof dims);
    dims[0] = t;
    EXO_TRY(h5_append_row(h, s->step, s->path, "step", 1, &t, 0,
                          H5T_NATIVE_INT64, &step, err));
    EXO_TRY(h5_append_row(h, s->time, s->path, "time", 1, &t, 0,
                          H5T_NATIVE_DOUBLE, &time_s, err));
    EXO_TRY(h5_append_row(h, s->value, s->path, "value", s->rank, dims, s->split,
                          s->mem_type, row, err));
    s->dims[0] = t;
cleanup:
    return rc;
}

static void series_release(exo_h5 *h, h5_series *s, exo_status *rc_io,
                           exo_error *err)
{
    exo_status rc = EXO_OK;
    const char *what = s->path ? s->path : "a time-dependent element";
    H5_RELEASE(s->value, what, h->path);
    H5_RELEASE(s->time, what, h->path);
    H5_RELEASE(s->step, what, h->path);
    H5_RELEASE(s->group, what, h->path);
    free(s->path);
    s->path = NULL;
    if (*rc_io == EXO_OK)
        *rc_io = rc;
}

static void series_init(h5_series *s)
{
    memset(s, 0, sizeof *s);
    s->group = s->step = s->time = s->value = H5I_INVALID_HID;
}

/* ------------------------------------------------------------------- XDMF */

/* Write @p len bytes of @p text at the tail offset, then the closing tags,
 * and flush: the file is complete XML after every successful call. */
static exo_status sidecar_write_at_tail(FILE *f, long *at, const char *path,
                                        const char *text, size_t len, exo_error *err)
{
    exo_status rc = EXO_OK;
    char eb[128];
    long tail;

    errno = 0;
    EXO_CHECK(fseek(f, *at, SEEK_SET) == 0, err, EXO_ERR_IO,
              "seeking to offset %ld of %s: %s", *at, path,
              errno_text(errno, eb, sizeof eb));
    EXO_CHECK(len == 0 || fwrite(text, 1, len, f) == len, err,
              EXO_ERR_IO, "writing %zu bytes to %s: %s", len, path,
              errno_text(errno, eb, sizeof eb));
    tail = ftell(f);
    EXO_CHECK(tail >= 0, err, EXO_ERR_IO, "reading the offset in %s: %s",
              path, errno_text(errno, eb, sizeof eb));
    EXO_CHECK(fwrite(xdmf_tail, 1, sizeof xdmf_tail - 1, f) == sizeof xdmf_tail - 1,
              err, EXO_ERR_IO, "writing the closing tags of %s: %s",
              path, errno_text(errno, eb, sizeof eb));
    EXO_CHECK(fflush(f) == 0, err, EXO_ERR_IO, "flushing %s: %s",
              path, errno_text(errno, eb, sizeof eb));
    *at = tail;
cleanup:
    return rc;
}

static exo_status xdmf_write_at_tail(exo_h5 *h, const char *text, size_t len,
                                     exo_error *err)
{
    return sidecar_write_at_tail(h->xdmf, &h->xdmf_tail, h->xdmf_path, text, len, err);
}

/* Create (truncate) a sidecar holding one empty temporal collection. */
static exo_status sidecar_create(FILE **f, long *at, const char *path, const char *grid,
                                 const char *what, exo_error *err)
{
    exo_status rc = EXO_OK;
    char eb[128], head[512];
    int len = snprintf(head, sizeof head,
                       "<?xml version=\"1.0\" ?>\n"
                       "<!-- Written by exobd " EXOBD_VERSION_STRING ".  Open this file in"
                       " ParaView (Xdmf3ReaderS); the data are in the H5MD file beside it."
                       " %s are appended while the run goes on. -->\n"
                       "<Xdmf Version=\"3.0\">\n"
                       " <Domain>\n"
                       "  <Grid Name=\"%s\" GridType=\"Collection\""
                       " CollectionType=\"Temporal\">\n", what, grid);
    errno = 0;
    *f = fopen(path, "w");
    EXO_CHECK(*f != NULL, err, EXO_ERR_IO, "cannot create the XDMF file %s: %s", path,
              errno_text(errno, eb, sizeof eb));
    *at = 0;
    EXO_TRY(sidecar_write_at_tail(*f, at, path, head, (size_t)len, err));
cleanup:
    return rc;
}

static exo_status xdmf_create(exo_h5 *h, exo_error *err)
{
    return sidecar_create(&h->xdmf, &h->xdmf_tail, h->xdmf_path, "vesicles", "Frames", err);
}

/* One DataItem naming a dataset of the .h5 file. */
static int xdmf_item(xbuf *b, const exo_h5 *h, const char *dims,
                     const char *number_type, int precision,
                     const char *dset_path)
{
    return xbuf_printf(b,
                       "     <DataItem Dimensions=\"%s\" NumberType=\"%s\""
                       " Precision=\"%d\" Format=\"HDF\">%s:%s</DataItem>\n",
                       dims, number_type, precision, h->xdmf_h5name,
                       dset_path);
}

static int xdmf_attribute(xbuf *b, const exo_h5 *h, const char *name,
                          const char *type, const char *dims,
                          const char *number_type, int precision,
                          const char *dset_path)
{
    return xbuf_printf(b, "    <Attribute Name=\"%s\" AttributeType=\"%s\""
                          " Center=\"Node\">\n", name, type) ||
           xdmf_item(b, h, dims, number_type, precision, dset_path) ||
           xbuf_printf(b, "    </Attribute>\n");
}

/* Append the grid of frame @p k (its views are already in the flushed
 * HDF5 file). */
static exo_status xdmf_append_frame(exo_h5 *h, uint64_t k, double time_s,
                                    exo_error *err)
{
    exo_status rc = EXO_OK;
    xbuf b = {NULL, 0, 0};
    char n1[32], n3[40], frame[64], view[96];
    int bad;

    snprintf(n1, sizeof n1, "%" PRIu64, h->n);
    snprintf(n3, sizeof n3, "%" PRIu64 " 3", h->n);
    snprintf(frame, sizeof frame, "/xdmf/frames/%06" PRIu64, k);

    bad = xbuf_printf(&b, "   <Grid Name=\"frame_%06" PRIu64 "\""
                          " GridType=\"Uniform\">\n"
                          "    <Time Value=\"%.17g\"/>\n"
                          "    <Topology TopologyType=\"Polyvertex\""
                          " NumberOfElements=\"%s\" NodesPerElement=\"1\">\n",
                      k, time_s, n1) ||
          xdmf_item(&b, h, n1, "Int", 4, "/xdmf/iota") ||
          xbuf_printf(&b, "    </Topology>\n"
                          "    <Geometry GeometryType=\"XYZ\">\n");
    snprintf(view, sizeof view, "%s/position", frame);
    bad = bad || xdmf_item(&b, h, n3, "Float", 4, view) ||
          xbuf_printf(&b, "    </Geometry>\n");
    if (h->write_state) {
        snprintf(view, sizeof view, "%s/state", frame);
        bad = bad || xdmf_attribute(&b, h, "state", "Scalar", n1, "Char", 1,
                                    view);
    }
    if (h->write_bonds) {
        snprintf(view, sizeof view, "%s/bonds", frame);
        bad = bad || xdmf_attribute(&b, h, "bonds", "Scalar", n1, "UChar", 1, view);
    }
    if (h->write_image) {
        snprintf(view, sizeof view, "%s/image", frame);
        bad = bad || xdmf_attribute(&b, h, "image", "Vector", n3, "Int", 4,
                                    view);
    }
    bad = bad ||
          xdmf_attribute(&b, h, "radius", "Scalar", n1, "Float", 4,
                         "/particles/vesicles/radius") ||
          xdmf_attribute(&b, h, "id", "Scalar", n1, "Int", 8,
                         "/particles/vesicles/id") ||
          xdmf_attribute(&b, h, "population", "Scalar", n1, "Int", 4,
                         "/particles/vesicles/population") ||
          xbuf_printf(&b, "   </Grid>\n");
    EXO_CHECK(!bad, err, EXO_ERR_NOMEM,
              "out of host memory formatting frame %" PRIu64 " of %s", k,
              h->xdmf_path);
    EXO_TRY(xdmf_write_at_tail(h, b.p, b.len, err));
cleanup:
    free(b.p);
    return rc;
}

/* ---------------------------------------------------------- file creation */

/* The rows of the per-vesicle datasets this process writes: all of them
 * but in a shared file. */
static void layout_rows(const exo_h5_layout *l, uint64_t *first, uint64_t *count)
{
    *first = l->shared ? l->row_first : 0;
    *count = l->shared ? l->row_count : l->n;
}

static exo_status check_layout(const exo_h5_layout *l, exo_error *err)
{
    exo_status rc = EXO_OK;
    uint64_t row_first = 0, row_count = 0;
    EXO_CHECK(l != NULL && l->path != NULL && l->path[0] != '\0', err,
              EXO_ERR_INVALID, "no output path given");
    EXO_CHECK(l->n > 0, err, EXO_ERR_INVALID,
              "%s: no vesicles to write (N = 0)", l->path);
    EXO_CHECK(l->n <= INT32_MAX, err, EXO_ERR_INVALID,
              "%s: N = %" PRIu64 " vesicles exceeds the int32 connectivity of"
              " the XDMF sidecar (at most %d)", l->path, l->n, INT32_MAX);
    layout_rows(l, &row_first, &row_count);
    EXO_CHECK(row_first + row_count <= l->n, err, EXO_ERR_INVALID,
              "%s: rows %" PRIu64 "..+%" PRIu64 " of %" PRIu64 " vesicles", l->path, row_first,
              row_count, l->n);
    EXO_CHECK(row_count == 0 ||
                  (l->id != NULL && l->radius_nm != NULL && l->population != NULL),
              err, EXO_ERR_INVALID, "%s: id, radius and population are required",
              l->path);
    EXO_CHECK(l->compression >= 0 && l->compression <= 9, err, EXO_ERR_INVALID,
              "%s: compression level %d is not in 0..9", l->path,
              l->compression);
    EXO_CHECK(l->n_populations == 0 || l->population_names != NULL, err,
              EXO_ERR_INVALID, "%s: %u populations but no names", l->path,
              l->n_populations);
    for (uint64_t i = 0; l->n_populations > 0 && i < row_count; i++)
        EXO_CHECK(l->population[i] >= 0 &&
                      (uint32_t)l->population[i] < l->n_populations,
                  err, EXO_ERR_INVALID,
                  "%s: vesicle %" PRIu64 " has population %" PRId32
                  ", not in 0..%u", l->path, i, l->population[i],
                  l->n_populations - 1);
    EXO_CHECK(l->n_observables == 0 || l->observable_names != NULL, err,
              EXO_ERR_INVALID, "%s: %u observables but no names", l->path,
              l->n_observables);
    EXO_CHECK(l->n_density == 0 ||
                  (l->density_names != NULL && l->density_bins[0] > 0 &&
                   l->density_bins[1] > 0 && l->density_bins[2] > 0),
              err, EXO_ERR_INVALID, "%s: density images without names or voxels", l->path);
    for (uint32_t i = 0; i < l->n_density; i++)
        EXO_CHECK(l->density_names[i] && l->density_names[i][0] &&
                      strchr(l->density_names[i], '/') == NULL,
                  err, EXO_ERR_INVALID, "%s: density image name '%s' is not a plain name",
                  l->path, l->density_names[i] ? l->density_names[i] : "(null)");
    for (uint32_t i = 0; i < l->n_observables; i++) {
        const char *o = l->observable_names[i];
        EXO_CHECK(o != NULL && o[0] != '\0' && strchr(o, '/') == NULL &&
                      strcmp(o, ".") != 0,
                  err, EXO_ERR_INVALID,
                  "%s: observable name '%s' is not a plain HDF5 link name"
                  " (empty, '.', or contains '/')", l->path, o ? o : "(null)");
    }
cleanup:
    return rc;
}

/* Fail early, with errno's words, when the file's folder is missing or not
 * writable; HDF5's own message for that is a deep stack. */
static exo_status check_folder(const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    char eb[128];
    char *dir = exo_strdup(path), *slash;
    struct stat st;

    EXO_CHECK(dir != NULL, err, EXO_ERR_NOMEM, "out of host memory");
    slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (stat(dir, &st) != 0) {
        int e = errno;
        rc = exo_error_set(err, EXO_ERR_IO, e, __FILE__, __LINE__, __func__,
                           "cannot create output file %s: folder %s: %s",
                           path, dir, errno_text(e, eb, sizeof eb));
        goto cleanup;
    }
    EXO_CHECK(S_ISDIR(st.st_mode), err, EXO_ERR_IO,
              "cannot create output file %s: %s is not a folder", path, dir);
    if (access(dir, W_OK | X_OK) != 0) {
        int e = errno;
        rc = exo_error_set(err, EXO_ERR_IO, e, __FILE__, __LINE__, __func__,
                           "cannot create output file %s: folder %s is not"
                           " writable: %s", path, dir,
                           errno_text(e, eb, sizeof eb));
        goto cleanup;
    }
cleanup:
    free(dir);
    return rc;
}

static exo_status write_h5md(exo_h5 *h, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t author = H5I_INVALID_HID, creator = H5I_INVALID_HID;
    const int32_t version[2] = {1, 1};
    const char *user = getenv("USER");

    EXO_TRY(h5_group(h, &h->h5md, h->file, "h5md", "/h5md", err));
    EXO_TRY(h5_attr(h, h->h5md, "/h5md", "version", H5T_STD_I32LE,
                    H5T_NATIVE_INT32, 2, version, err));
    EXO_TRY(h5_attr_str(h, h->h5md, "/h5md", "exobd_status", "running", err));
    EXO_TRY(h5_group(h, &author, h->h5md, "author", "/h5md/author", err));
    EXO_TRY(h5_attr_str(h, author, "/h5md/author", "name",
                        user && user[0] ? user : "exobd user", err));
    EXO_TRY(h5_group(h, &creator, h->h5md, "creator", "/h5md/creator", err));
    EXO_TRY(h5_attr_str(h, creator, "/h5md/creator", "name", "exobd", err));
    EXO_TRY(h5_attr_str(h, creator, "/h5md/creator", "version",
                        EXOBD_VERSION_STRING, err));
cleanup:
    H5_RELEASE(creator, "/h5md/creator", h->path);
    H5_RELEASE(author, "/h5md/author", h->path);
    return rc;
}

static exo_status write_box(exo_h5 *h, hid_t vesicles,
                            const exo_h5_layout *l, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t box = H5I_INVALID_HID;
    const char *const path = "/particles/vesicles/box";
    const int32_t dimension = 3;
    const char *boundary[3];
    const hsize_t row[2] = {3, 3};

    for (int i = 0; i < 3; i++) {
        boundary[i] = l->periodic[i] ? "periodic" : "none";
        h->edges_nm[4 * i] = (float)l->box_edges_nm[i];
    }
    EXO_TRY(h5_group(h, &box, vesicles, "box", path, err));
    EXO_TRY(h5_attr(h, box, path, "dimension", H5T_STD_I32LE,
                    H5T_NATIVE_INT32, 0, &dimension, err));
    EXO_TRY(h5_attr(h, box, path, "boundary", h->str_type, h->str_type, 3,
                    boundary, err));
    EXO_TRY(h5_attr(h, box, path, "exobd_lower", H5T_IEEE_F64LE,
                    H5T_NATIVE_DOUBLE, 3, l->box_lower_nm, err));
    EXO_TRY(h5_attr_str(h, box, path, "exobd_lower_unit", "nm", err));
    EXO_TRY(series_create(h, &h->edges, box, path, "edges", H5T_IEEE_F32LE,
                          H5T_NATIVE_FLOAT, 3, row, EXO_H5_SERIES_CHUNK, 0,
                          "nm", err));
cleanup:
    H5_RELEASE(box, path, h->path);
    return rc;
}

static exo_status write_particles(exo_h5 *h, const exo_h5_layout *l,
                                  exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t particles = H5I_INVALID_HID, vesicles = H5I_INVALID_HID;
    hid_t population = H5I_INVALID_HID;
    const char *const path = "/particles/vesicles";
    const hsize_t row3[2] = {h->n, 3}, row1[1] = {h->n};

    EXO_TRY(h5_group(h, &particles, h->file, "particles", "/particles", err));
    EXO_TRY(h5_group(h, &vesicles, particles, "vesicles", path, err));
    EXO_TRY(write_box(h, vesicles, l, err));
    if (h->write_position)
        EXO_TRY(series_create(h, &h->position, vesicles, path, "position",
                              H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 3, row3, 1,
                              l->compression, "nm", err));
    if (h->write_image)
        EXO_TRY(series_create(h, &h->image, vesicles, path, "image",
                              H5T_STD_I32LE, H5T_NATIVE_INT32, 3, row3, 1,
                              l->compression, NULL, err));
    if (h->write_state)
        EXO_TRY(series_create(h, &h->state, vesicles, path, "state",
                              H5T_STD_I8LE, H5T_NATIVE_INT8, 2, row1, 1,
                              l->compression, NULL, err));
    if (h->write_bonds)
        EXO_TRY(series_create(h, &h->bonds, vesicles, path, "bonds",
                              H5T_STD_U8LE, H5T_NATIVE_UINT8, 2, row1, 1,
                              l->compression, NULL, err));
    h->position.split = h->image.split = h->state.split = h->bonds.split = 1;
    /* A shared file gets its rows from every rank once it is open to all. */
    EXO_TRY(h5_array(h, vesicles, path, "id", H5T_STD_I64LE, H5T_NATIVE_INT64,
                     h->n, h->shared ? NULL : l->id, NULL, err));
    EXO_TRY(h5_array(h, vesicles, path, "radius", H5T_IEEE_F32LE,
                     H5T_NATIVE_FLOAT, h->n, h->shared ? NULL : l->radius_nm, "nm", err));
    EXO_TRY(h5_array(h, vesicles, path, "population", H5T_STD_I32LE,
                     H5T_NATIVE_INT32, h->n, h->shared ? NULL : l->population, NULL, err));
    if (l->n_populations > 0) {
        EXO_H5(population = H5Dopen2(vesicles, "population", H5P_DEFAULT), err,
               "opening %s/population in %s", path, h->path);
        EXO_TRY(h5_attr(h, population, "/particles/vesicles/population",
                        "names", h->str_type, h->str_type, l->n_populations,
                        l->population_names, err));
    }
cleanup:
    H5_RELEASE(population, "/particles/vesicles/population", h->path);
    H5_RELEASE(vesicles, path, h->path);
    H5_RELEASE(particles, "/particles", h->path);
    return rc;
}

static exo_status write_observables(exo_h5 *h, const exo_h5_layout *l,
                                    exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t group = H5I_INVALID_HID;

    if (l->n_observables == 0)
        return EXO_OK;
    EXO_ALLOC(h->obs, l->n_observables, err, "the observables");
    for (uint32_t i = 0; i < l->n_observables; i++)
        series_init(&h->obs[i]);
    h->n_obs = l->n_observables;
    EXO_TRY(h5_group(h, &group, h->file, "observables", "/observables", err));
    for (uint32_t i = 0; i < l->n_observables; i++)
        EXO_TRY(series_create(h, &h->obs[i], group, "/observables",
                              l->observable_names[i], H5T_STD_I64LE,
                              H5T_NATIVE_INT64, 1, NULL, EXO_H5_SERIES_CHUNK,
                              0, NULL, err));
    if (l->n_real_observables > 0) {
        EXO_ALLOC(h->robs, l->n_real_observables, err, "the real observables");
        for (uint32_t i = 0; i < l->n_real_observables; i++)
            series_init(&h->robs[i]);
        h->n_robs = l->n_real_observables;
        for (uint32_t i = 0; i < l->n_real_observables; i++)
            EXO_TRY(series_create(h, &h->robs[i], group, "/observables",
                                  l->real_observable_names[i], H5T_IEEE_F64LE,
                                  H5T_NATIVE_DOUBLE, 1, NULL, EXO_H5_SERIES_CHUNK, 0, NULL,
                                  err));
    }
cleanup:
    H5_RELEASE(group, "/observables", h->path);
    return rc;
}

static const char *const event_columns[EXO_H5_EVENT_COLUMNS] = {
    "step", "time", "id", "position", "surface", "region", "patch", "bonds", "route",
    "cell", "cell_type"};

/* The values of the route column (EXO_ROUTE_*), written as its "names". */
static const char *const route_names[] = {"none", "pore_out", "pore_in", "transcytosis"};

/* /events/<kind> for every kind, each with empty extendible columns. */
static exo_status write_events_groups(exo_h5 *h, const exo_h5_layout *l, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t group = H5I_INVALID_HID;
    const hid_t types[EXO_H5_EVENT_COLUMNS] = {H5T_STD_I64LE, H5T_IEEE_F64LE, H5T_STD_I64LE,
                                               H5T_IEEE_F32LE, H5T_STD_I32LE, H5T_STD_I32LE,
                                               H5T_STD_I32LE, H5T_STD_I32LE, H5T_STD_I8LE,
                                               H5T_STD_I32LE, H5T_STD_I32LE};
    const hsize_t three[1] = {3};
    if (l->n_event_kinds == 0)
        return EXO_OK;
    EXO_ALLOC(h->events, l->n_event_kinds, err, "the event groups");
    for (uint32_t k = 0; k < l->n_event_kinds; k++) {
        h->events[k].group = H5I_INVALID_HID;
        for (int c = 0; c < EXO_H5_EVENT_COLUMNS; c++)
            h->events[k].col[c] = H5I_INVALID_HID;
    }
    h->n_events = l->n_event_kinds;
    EXO_TRY(h5_group(h, &group, h->file, "events", "/events", err));
    for (uint32_t k = 0; k < l->n_event_kinds; k++) {
        h5_events *e = &h->events[k];
        e->path = path_join("/events", l->event_kinds[k]);
        EXO_CHECK(e->path != NULL, err, EXO_ERR_NOMEM, "out of host memory naming events");
        EXO_TRY(h5_group(h, &e->group, group, l->event_kinds[k], e->path, err));
        for (int c = 0; c < EXO_H5_EVENT_COLUMNS; c++)
            EXO_TRY(h5_extendible(h, &e->col[c], e->group, e->path, event_columns[c],
                                  types[c], c == 3 ? 2 : 1, c == 3 ? three : NULL,
                                  EXO_H5_SERIES_CHUNK, 0, err));
        EXO_TRY(h5_attr_str(h, e->col[1], "time", "unit", "s", err));
        EXO_TRY(h5_attr_str(h, e->col[3], "position", "unit", "nm", err));
        if (l->n_surfaces > 0)
            EXO_TRY(h5_attr(h, e->col[4], "surface", "names", h->str_type, h->str_type,
                            l->n_surfaces, l->surface_names, err));
        if (l->n_regions > 0)
            EXO_TRY(h5_attr(h, e->col[5], "region", "names", h->str_type, h->str_type,
                            l->n_regions, l->region_names, err));
        EXO_TRY(h5_attr(h, e->col[8], "route", "names", h->str_type, h->str_type,
                        sizeof route_names / sizeof route_names[0], route_names, err));
        if (l->n_cell_types > 0)
            EXO_TRY(h5_attr(h, e->col[10], "cell_type", "names", h->str_type, h->str_type,
                            l->n_cell_types, l->cell_type_names, err));
    }
cleanup:
    H5_RELEASE(group, "/events", h->path);
    return rc;
}

/* Append n rows to a dataset that has `rows` rows (row shape: `width`
 * values of mem_type per row). */
static exo_status h5_append_rows(const exo_h5 *h, hid_t dset, const char *path,
                                 const char *name, uint64_t rows, uint64_t n, int width,
                                 hid_t mem_type, const void *data, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t fspace = H5I_INVALID_HID;
    int rank = width > 1 ? 2 : 1;
    hsize_t dims[2] = {rows + n, (hsize_t)width}, start[2] = {rows, 0},
            count[2] = {n, (hsize_t)width};
    EXO_H5(H5Dset_extent(dset, dims), err, "extending %s/%s to %llu rows in %s", path, name,
           (unsigned long long)dims[0], h->path);
    EXO_H5(fspace = H5Dget_space(dset), err, "getting the dataspace of %s/%s in %s", path,
           name, h->path);
    EXO_TRY(h5_write_block(h, dset, fspace, path, name, rank, start, count, h->root, mem_type,
                           data, err));
cleanup:
    H5_RELEASE(fspace, name, h->path);
    return rc;
}

exo_status exo_h5_write_events(exo_h5 *h, uint32_t kind, uint64_t n, const int64_t *step,
                               const double *time_s, const int64_t *id,
                               const float *pos_nm, const int32_t *surface,
                               const int32_t *region, const int32_t *patch,
                               const int32_t *bonds, const int8_t *route, const int32_t *cell,
                               const int32_t *cell_type, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_CHECK(h != NULL && kind < h->n_events, err, EXO_ERR_INVALID,
              "exo_h5_write_events: no event kind %u in this file", kind);
    if (n == 0)
        return EXO_OK;
    h5_events *e = &h->events[kind];
    const hid_t mem[EXO_H5_EVENT_COLUMNS] = {H5T_NATIVE_INT64, H5T_NATIVE_DOUBLE,
                                             H5T_NATIVE_INT64, H5T_NATIVE_FLOAT,
                                             H5T_NATIVE_INT32, H5T_NATIVE_INT32,
                                             H5T_NATIVE_INT32, H5T_NATIVE_INT32,
                                             H5T_NATIVE_INT8, H5T_NATIVE_INT32,
                                             H5T_NATIVE_INT32};
    const void *data[EXO_H5_EVENT_COLUMNS] = {step,  time_s, id,   pos_nm, surface,  region,
                                              patch, bonds,  route, cell,  cell_type};
    for (int c = 0; c < EXO_H5_EVENT_COLUMNS; c++)
        EXO_TRY(h5_append_rows(h, e->col[c], e->path, event_columns[c], e->rows, n,
                               c == 3 ? 3 : 1, mem[c], data[c], err));
    e->rows += n;
cleanup:
    return rc;
}

static exo_status write_parameters(exo_h5 *h, const exo_h5_layout *l,
                                   exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t parameters = H5I_INVALID_HID, exobd = H5I_INVALID_HID;
    const char *const path = "/parameters/exobd";

    EXO_TRY(h5_group(h, &parameters, h->file, "parameters", "/parameters",
                     err));
    EXO_TRY(h5_group(h, &exobd, parameters, "exobd", path, err));
    EXO_TRY(h5_text(h, exobd, path, "scenario", l->scenario_text, err));
    EXO_TRY(h5_text(h, exobd, path, "derived", l->derived_text, err));
    EXO_TRY(h5_attr_str(h, exobd, path, "name", l->scenario_name, err));
    EXO_TRY(h5_attr(h, exobd, path, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    0, &l->seed, err));
    EXO_TRY(h5_attr(h, exobd, path, "dt", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    0, &l->dt_s, err));
    EXO_TRY(h5_attr_str(h, exobd, path, "dt_unit", "s", err));
    EXO_TRY(h5_attr_str(h, exobd, path, "device", l->device_name, err));
    /* What `exobd summary` needs besides the events: the populations' id
     * ranges and cargo, and the regions with their receptor densities. */
    if (l->population_first && l->n_populations > 0) {
        EXO_TRY(h5_attr(h, exobd, path, "population_names", h->str_type, h->str_type,
                        l->n_populations, l->population_names, err));
        EXO_TRY(h5_attr(h, exobd, path, "population_first", H5T_STD_I64LE, H5T_NATIVE_INT64,
                        l->n_populations, l->population_first, err));
        EXO_TRY(h5_attr(h, exobd, path, "population_count", H5T_STD_I64LE, H5T_NATIVE_INT64,
                        l->n_populations, l->population_count, err));
        EXO_TRY(h5_attr(h, exobd, path, "cargo_amount", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                        l->n_populations, l->cargo_amount, err));
        EXO_TRY(h5_attr(h, exobd, path, "cargo_release_rate", H5T_IEEE_F64LE,
                        H5T_NATIVE_DOUBLE, l->n_populations, l->cargo_release_rate, err));
        if (l->cargo_sd)
            EXO_TRY(h5_attr(h, exobd, path, "cargo_sd", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                            l->n_populations, l->cargo_sd, err));
    }
    if (l->population_combination && l->n_sweep_settings > 0) {
        /* The sweep: each population's combination, replicate and values. */
        EXO_TRY(h5_attr(h, exobd, path, "population_combination", H5T_STD_I32LE,
                        H5T_NATIVE_INT32, l->n_populations, l->population_combination, err));
        EXO_TRY(h5_attr(h, exobd, path, "population_replicate", H5T_STD_I32LE,
                        H5T_NATIVE_INT32, l->n_populations, l->population_replicate, err));
        EXO_TRY(h5_attr(h, exobd, path, "sweep_settings", h->str_type, h->str_type,
                        l->n_sweep_settings, l->sweep_settings, err));
        EXO_TRY(h5_attr(h, exobd, path, "sweep_values", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                        (hsize_t)l->n_populations * l->n_sweep_settings, l->sweep_values,
                        err));
    }
    if (l->n_sequence_settings > 0) {
        /* A run of a sweep.sequence: which, of how many, with what values. */
        const int64_t run[2] = {l->sequence_run, (int64_t)l->sequence_runs};
        EXO_TRY(h5_attr(h, exobd, path, "sequence_settings", h->str_type, h->str_type,
                        l->n_sequence_settings, l->sequence_settings, err));
        EXO_TRY(h5_attr(h, exobd, path, "sequence_values", h->str_type, h->str_type,
                        l->n_sequence_settings, l->sequence_values, err));
        EXO_TRY(h5_attr(h, exobd, path, "sequence_run", H5T_STD_I64LE, H5T_NATIVE_INT64, 1,
                        &run[0], err));
        EXO_TRY(h5_attr(h, exobd, path, "sequence_runs", H5T_STD_I64LE, H5T_NATIVE_INT64, 1,
                        &run[1], err));
    }
    if (l->n_regions > 0) {
        EXO_TRY(h5_attr(h, exobd, path, "region_names", h->str_type, h->str_type,
                        l->n_regions, l->region_names, err));
        EXO_TRY(h5_attr(h, exobd, path, "region_receptor_density", H5T_IEEE_F64LE,
                        H5T_NATIVE_DOUBLE, l->n_regions, l->region_density, err));
    }
    if (l->n_cell_types > 0 && l->cell_type_density) {
        EXO_TRY(h5_attr(h, exobd, path, "cell_type_names", h->str_type, h->str_type,
                        l->n_cell_types, l->cell_type_names, err));
        EXO_TRY(h5_attr(h, exobd, path, "cell_type_receptor_density", H5T_IEEE_F64LE,
                        H5T_NATIVE_DOUBLE, l->n_cell_types, l->cell_type_density, err));
    }
cleanup:
    H5_RELEASE(exobd, path, h->path);
    H5_RELEASE(parameters, "/parameters", h->path);
    return rc;
}

/* File access for an output: dirty metadata stays in HDF5's cache until
 * the flush after each frame (no evictions), so what is on disk between two
 * flushes is the file as of the last one, and the flush itself goes through
 * exo_h5_driver, which writes it in an order that keeps the file readable
 * if the process is killed part-way (tests/cli/test_crash.sh).  With
 * evictions on, a kill between a frame's writes and its flush could leave
 * the datasets' new extent on disk without the frame's values (a 16th frame
 * of fill values after 15 flushed ones, seen in test_resume). */
static exo_status output_fapl(const exo_h5 *h, int all_ranks, hid_t *out, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t fapl = H5I_INVALID_HID;
    H5AC_cache_config_t mdc;
    memset(&mdc, 0, sizeof mdc);
    mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    EXO_H5(fapl = H5Pcreate(H5P_FILE_ACCESS), err, "file access properties for %s", h->path);
    EXO_H5(H5Pget_mdc_config(fapl, &mdc), err, "metadata cache settings for %s", h->path);
    mdc.evictions_enabled = 0;
    mdc.incr_mode = H5C_incr__off;
    mdc.flash_incr_mode = H5C_flash_incr__off;
    mdc.decr_mode = H5C_decr__off;
    EXO_H5(H5Pset_mdc_config(fapl, &mdc), err, "metadata cache settings for %s", h->path);
#ifdef EXOBD_MPI
    if (all_ranks && exo_comm_mpi() != NULL) {
        /* Every rank through MPI-IO; the ordered driver is one process's. */
        EXO_H5(H5Pset_fapl_mpio(fapl, *(MPI_Comm *)exo_comm_mpi(), MPI_INFO_NULL), err,
               "selecting the MPI-IO file driver for %s", h->path);
        *out = fapl;
        return EXO_OK;
    }
#endif
    EXO_H5(exo_h5_driver_select(fapl), err, "selecting the ordered file driver for %s",
           h->path);
    *out = fapl;
    return EXO_OK;
cleanup:
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}

/* /xdmf/iota (written in blocks, so a large N needs no large buffer) and
 * the /xdmf/frames group that receives the per-frame views. */
static exo_status write_xdmf_group(exo_h5 *h, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t xdmf = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hid_t mspace = H5I_INVALID_HID, iota = H5I_INVALID_HID;
    hsize_t n = h->n, block = EXO_H5_IOTA_BLOCK;
    int32_t *buf = NULL;

    EXO_ALLOC(buf, n < block ? n : block, err, "/xdmf/iota");
    EXO_TRY(h5_group(h, &xdmf, h->file, "xdmf", "/xdmf", err));
    EXO_H5(space = H5Screate_simple(1, &n, NULL), err,
           "making the dataspace of /xdmf/iota in %s", h->path);
    EXO_H5(iota = H5Dcreate2(xdmf, "iota", H5T_STD_I32LE, space, H5P_DEFAULT,
                             H5P_DEFAULT, H5P_DEFAULT),
           err, "creating /xdmf/iota in %s", h->path);
    for (hsize_t start = 0; start < n; start += block) {
        hsize_t count = n - start < block ? n - start : block;
        for (hsize_t i = 0; i < count; i++)
            buf[i] = (int32_t)(start + i);
        EXO_H5(H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, NULL,
                                   &count, NULL),
               err, "selecting /xdmf/iota[%llu:] in %s",
               (unsigned long long)start, h->path);
        H5_RELEASE(mspace, "/xdmf/iota", h->path);
        EXO_H5(mspace = H5Screate_simple(1, &count, NULL), err,
               "making the memory dataspace for /xdmf/iota in %s", h->path);
        EXO_H5(H5Dwrite(iota, H5T_NATIVE_INT32, mspace, space, H5P_DEFAULT,
                        buf),
               err, "writing /xdmf/iota[%llu:] in %s",
               (unsigned long long)start, h->path);
    }
    EXO_TRY(h5_group(h, &h->frames, xdmf, "frames", "/xdmf/frames", err));
cleanup:
    H5_RELEASE(iota, "/xdmf/iota", h->path);
    H5_RELEASE(mspace, "/xdmf/iota", h->path);
    H5_RELEASE(space, "/xdmf/iota", h->path);
    H5_RELEASE(xdmf, "/xdmf", h->path);
    free(buf);
    return rc;
}

/* ------------------------------------------------------ density images */

static exo_status write_density_groups(exo_h5 *h, const exo_h5_layout *l, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t group = H5I_INVALID_HID, xdmf = H5I_INVALID_HID;
    /* value[T, nz, ny, nx]: C order, as XDMF's 3DCoRectMesh reads cells */
    const hsize_t row[3] = {h->dens_bins[2], h->dens_bins[1], h->dens_bins[0]};
    const double origin[3] = {h->dens_lower_nm[0], h->dens_lower_nm[1], h->dens_lower_nm[2]};
    const double voxel[3] = {h->dens_voxel_nm[0], h->dens_voxel_nm[1], h->dens_voxel_nm[2]};
    if (h->n_dens == 0)
        return EXO_OK;
    EXO_TRY(h5_group(h, &group, h->file, "density", "/density", err));
    EXO_TRY(h5_attr(h, group, "/density", "lower", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3,
                    origin, err));
    EXO_TRY(h5_attr(h, group, "/density", "voxel", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3,
                    voxel, err));
    EXO_TRY(h5_attr_str(h, group, "/density", "unit", "nm", err));
    for (uint32_t i = 0; i < h->n_dens; i++)
        EXO_TRY(series_create(h, &h->dens[i], group, "/density", h->dens_names[i],
                              H5T_STD_U32LE, H5T_NATIVE_UINT32, 4, row, 1, l->compression,
                              NULL, err));
    EXO_H5(xdmf = H5Gopen2(h->file, "/xdmf", H5P_DEFAULT), err, "opening /xdmf in %s",
           h->path);
    EXO_TRY(h5_group(h, &h->dens_views, xdmf, "density", "/xdmf/density", err));
cleanup:
    H5_RELEASE(xdmf, "/xdmf", h->path);
    H5_RELEASE(group, "/density", h->path);
    return rc;
}

/* Name density image k (its views already flushed) in the density sidecar:
 * a 3DCoRectMesh of nx x ny x nz cells (ORIGIN_DXDYDZ takes z, y, x). */
static exo_status dxdmf_append(exo_h5 *h, uint64_t k, double time_s, exo_error *err)
{
    exo_status rc = EXO_OK;
    xbuf b = {NULL, 0, 0};
    char cells[64], view[96];
    const uint32_t *n = h->dens_bins;
    snprintf(cells, sizeof cells, "%u %u %u", n[2], n[1], n[0]);
    int bad = xbuf_printf(&b,
                          "   <Grid Name=\"density_%06" PRIu64 "\" GridType=\"Uniform\">\n"
                          "    <Time Value=\"%.17g\"/>\n"
                          "    <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"%u %u %u\"/>\n"
                          "    <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n"
                          "     <DataItem Dimensions=\"3\" NumberType=\"Float\" Precision=\"8\""
                          " Format=\"XML\">%.17g %.17g %.17g</DataItem>\n"
                          "     <DataItem Dimensions=\"3\" NumberType=\"Float\" Precision=\"8\""
                          " Format=\"XML\">%.17g %.17g %.17g</DataItem>\n"
                          "    </Geometry>\n",
                          k, time_s, n[2] + 1, n[1] + 1, n[0] + 1, h->dens_lower_nm[2],
                          h->dens_lower_nm[1], h->dens_lower_nm[0], h->dens_voxel_nm[2],
                          h->dens_voxel_nm[1], h->dens_voxel_nm[0]);
    for (uint32_t i = 0; i < h->n_dens && !bad; i++) {
        snprintf(view, sizeof view, "/xdmf/density/%06" PRIu64 "/%s", k, h->dens_names[i]);
        bad = xbuf_printf(&b, "    <Attribute Name=\"%s\" AttributeType=\"Scalar\""
                              " Center=\"Cell\">\n", h->dens_names[i]) ||
              xdmf_item(&b, h, cells, "UInt", 4, view) || xbuf_printf(&b, "    </Attribute>\n");
    }
    bad = bad || xbuf_printf(&b, "   </Grid>\n");
    EXO_CHECK(!bad, err, EXO_ERR_NOMEM, "out of host memory formatting density image %" PRIu64
              " of %s", k, h->dxdmf_path);
    EXO_TRY(sidecar_write_at_tail(h->dxdmf, &h->dxdmf_tail, h->dxdmf_path, b.p, b.len, err));
cleanup:
    free(b.p);
    return rc;
}

/* Whether s is valid UTF-8 (no overlong forms, surrogates or code points
 * past U+10FFFF). */
static int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p++, n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2
                                           : (c >> 3) == 30 ? 3 : 9;
        if (n == 9 || (n == 1 && c < 0xC2))
            return 0;
        unsigned cp = n ? c & (0x3Fu >> n) : c;
        for (unsigned k = 0; k < n; k++, p++) {
            if ((*p & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (*p & 0x3Fu);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
    }
    return 1;
}

/* Names of the sidecar and of the .h5 file as the sidecar refers to it. */
static exo_status make_names(exo_h5 *h, const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    size_t len = strlen(path);
    /* The sidecar is XML, which holds only UTF-8, and names the file as it
     * is: a name that is not UTF-8 would make a sidecar no reader parses. */
    size_t longest = 0, run = 0;
    for (const char *c = path; *c; c++) {
        run = *c == '/' ? 0 : run + 1;
        longest = run > longest ? run : longest;
    }
    /* Named shortly: messages built on a 5000-character name lose their end. */
    EXO_CHECK(len < 4096 && longest <= 255, err, EXO_ERR_INVALID,
              "the output file name '%.60s...' is too long (File name too long): %zu "
              "characters, a part of %zu; at most 255 per part and 4095 in all", path, len,
              longest);
    EXO_CHECK(utf8_valid(path), err, EXO_ERR_INVALID,
              "the output file name %s is not valid UTF-8, so the XDMF sidecar (XML) "
              "cannot name it: choose a UTF-8 name", path);
    size_t stem = len >= 3 && strcmp(path + len - 3, ".h5") == 0 ? len - 3 : len;
    const char *base = strrchr(path, '/');

    h->path = exo_strdup(path);
    h->xdmf_path = malloc(stem + sizeof ".xdmf");
    h->xdmf_h5name = xml_escape(base ? base + 1 : path);
    EXO_CHECK(h->path && h->xdmf_path && h->xdmf_h5name, err, EXO_ERR_NOMEM,
              "out of host memory naming the files of %s", path);
    memcpy(h->xdmf_path, path, stem);
    memcpy(h->xdmf_path + stem, ".xdmf", sizeof ".xdmf");
    h->dxdmf_path = malloc(stem + sizeof ".density.xdmf");
    EXO_CHECK(h->dxdmf_path, err, EXO_ERR_NOMEM, "out of host memory naming the files of %s",
              path);
    memcpy(h->dxdmf_path, path, stem);
    memcpy(h->dxdmf_path + stem, ".density.xdmf", sizeof ".density.xdmf");
cleanup:
    return rc;
}

/* HDF5 closes files still open at exit from an atexit handler.  A file
 * whose H5Fclose failed (a full disk, a file-size limit) stays open, and
 * closing it again at exit crashes HDF5 1.10 (H5F__close_cb, measured under
 * `ulimit -f`), turning a clean "disk full" exit 1 into a segfault.  Every
 * file exobd opens is closed by exo_h5_close, so the handler has nothing to
 * do: switch it off before the library starts (later calls do nothing). */
static void no_close_at_exit(void)
{
    static int done;
    if (!done) {
        done = 1;
        (void)H5dont_atexit();
    }
}

/* A handle for @p layout with nothing open yet (exo_h5_create and
 * exo_h5_reopen): checked layout, HDF5's error printing off (h5_fail
 * appends its stack to the error record instead), names made. */
static exo_status handle_new(exo_h5 **out, const exo_h5_layout *layout, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_h5 *h = NULL;
    no_close_at_exit();
    EXO_TRY(check_layout(layout, err));
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    EXO_ALLOC(h, 1, err, "the output file handle");
    h->n = layout->n;
    layout_rows(layout, &h->row_first, &h->row_count);
    h->shared = layout->shared && exo_comm_size() > 1;
    h->root = !h->shared || exo_comm_rank() == 0;
    h->dxpl = H5P_DEFAULT;
    h->write_position = layout->write_position != 0;
    h->write_state = layout->write_state != 0;
    h->write_image = layout->write_image != 0;
    h->write_bonds = layout->write_bonds != 0;
    h->file = h->h5md = h->frames = h->str_type = h->dens_views = H5I_INVALID_HID;
    if (layout->n_density) {
        EXO_ALLOC(h->dens, layout->n_density, err, "the density images");
        EXO_ALLOC(h->dens_names, layout->n_density, err, "the density images");
        h->n_dens = layout->n_density;
        for (uint32_t i = 0; i < h->n_dens; i++) {
            series_init(&h->dens[i]);
            h->dens_names[i] = exo_strdup(layout->density_names[i]);
            EXO_CHECK(h->dens_names[i] != NULL, err, EXO_ERR_NOMEM,
                      "out of host memory naming the density images");
        }
        for (int a = 0; a < 3; a++) {
            h->dens_bins[a] = layout->density_bins[a];
            h->dens_lower_nm[a] = layout->density_lower_nm[a];
            h->dens_voxel_nm[a] = layout->density_voxel_nm[a];
        }
    }
    series_init(&h->edges);
    series_init(&h->position);
    series_init(&h->image);
    series_init(&h->state);
    series_init(&h->bonds);
    *out = h;
    EXO_TRY(make_names(h, layout->path, err));
cleanup:
    return rc;
}

/* The variable-length UTF-8 string type of attributes and text. */
static exo_status make_str_type(exo_h5 *h, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_H5(h->str_type = H5Tcopy(H5T_C_S1), err, "making the string type for %s", h->path);
    EXO_H5(H5Tset_size(h->str_type, H5T_VARIABLE), err, "making the string type for %s",
           h->path);
    EXO_H5(H5Tset_cset(h->str_type, H5T_CSET_UTF8), err, "making the string type for %s",
           h->path);
cleanup:
    return rc;
}

/* Create the file as one process does; `sidecars`: and the XDMF sidecars
 * (a shared file's come once every rank has opened it). */
static exo_status create_file(exo_h5 **out, const exo_h5_layout *layout, int sidecars,
                              exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_h5 *h = NULL;
    char *part = NULL, eb[128];
    hid_t fapl = H5I_INVALID_HID, fcpl = H5I_INVALID_HID;

    EXO_CHECK(out != NULL, err, EXO_ERR_INVALID, "exo_h5_create: out is NULL");
    *out = NULL;
    EXO_TRY(handle_new(&h, layout, err));

    EXO_TRY(check_folder(h->path, err));
    /* The file is built under PATH.part and renamed into place once its
     * time-independent part is on disk: a run killed while creating it
     * (when every byte of HDF5 metadata is new, and a reader would find a
     * superblock pointing at headers not yet written) leaves no PATH, and
     * an older run's PATH is removed first, so none can pass for this one. */
    size_t plen = strlen(h->path);
    EXO_ALLOC(part, plen + sizeof ".part", err, "a file name");
    memcpy(part, h->path, plen);
    memcpy(part + plen, ".part", sizeof ".part");
    struct stat st;
    EXO_CHECK(stat(h->path, &st) != 0 || !S_ISDIR(st.st_mode), err, EXO_ERR_IO,
              "cannot create output file %s: it is a folder", h->path);
    errno = 0;
    EXO_CHECK((unlink(h->path) == 0 || errno == ENOENT) &&
                  (unlink(h->xdmf_path) == 0 || errno == ENOENT) &&
                  (unlink(h->dxdmf_path) == 0 || errno == ENOENT),
              err, EXO_ERR_IO, "cannot create output file %s (removing the one there): %s",
              h->path, errno_text(errno, eb, sizeof eb));
    EXO_TRY(output_fapl(h, 0, &fapl, err));
    /* Every block allocated at the file's end, none reused: see
     * exo_h5_driver.h.  This needs superblock version 2 (HDF5 1.8's), which
     * readers open after a crash, unlike version 3's write-access flag. */
    EXO_H5(fcpl = H5Pcreate(H5P_FILE_CREATE), err, "file creation properties for %s",
           h->path);
    EXO_H5(H5Pset_file_space_strategy(fcpl, H5F_FSPACE_STRATEGY_NONE, 0, 1), err,
           "file space settings for %s", h->path);
    EXO_H5_AS(EXO_ERR_IO, h->file = H5Fcreate(part, H5F_ACC_TRUNC, fcpl, fapl), err,
              "cannot create output file %s", h->path);
    EXO_TRY(make_str_type(h, err));

    EXO_TRY(write_h5md(h, err));
    EXO_TRY(write_particles(h, layout, err));
    EXO_TRY(write_observables(h, layout, err));
    EXO_TRY(write_events_groups(h, layout, err));
    EXO_TRY(write_parameters(h, layout, err));
    EXO_TRY(write_xdmf_group(h, err));
    EXO_TRY(write_density_groups(h, layout, err));
    EXO_H5(H5Fflush(h->file, H5F_SCOPE_LOCAL), err, "flushing %s", h->path);
    errno = 0;
    EXO_CHECK(rename(part, h->path) == 0, err, EXO_ERR_IO, "renaming %s to %s: %s", part,
              h->path, errno_text(errno, eb, sizeof eb));
    free(part);
    part = NULL;
    if (sidecars)
        EXO_TRY(xdmf_create(h, err));
    if (sidecars && h->n_dens)
        EXO_TRY(sidecar_create(&h->dxdmf, &h->dxdmf_tail, h->dxdmf_path, "density",
                               "Density images", err));
    *out = h;
    h = NULL;
cleanup:
    H5_RELEASE(fcpl, "file creation properties", layout ? layout->path : "");
    H5_RELEASE(fapl, "file access properties", layout ? layout->path : "");
    exo_h5_close(h, 0, err);    /* NULL on success; keeps the first error */
    if (part) {
        unlink(part);
        free(part);
    }
    return rc;
}

static exo_status release_all(exo_h5 *h, exo_status rc, exo_error *err);
static exo_status write_rows(exo_h5 *h, const exo_h5_layout *layout, exo_error *err);

exo_status exo_h5_create(exo_h5 **out, const exo_h5_layout *layout,
                         exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_h5 *h = NULL;
    if (!(layout && layout->shared && exo_comm_size() > 1))
        return create_file(out, layout, 1, err);
    /* Shared: rank 0 makes the file (parallel HDF5 cannot write its text
     * datasets, which are variable-length strings), every rank opens it
     * and writes its rows. */
    *out = NULL;
    if (exo_comm_rank() == 0) {
        rc = create_file(&h, layout, 0, err);
        if (rc == EXO_OK) {
            exo_h5 *made = h;
            h = NULL;
            rc = release_all(made, EXO_OK, err);
        }
    }
    EXO_TRY(exo_comm_agree_output(rc, err));
    const exo_h5_cursor empty = {0, 0, 0, 0, {0}};
    EXO_TRY(exo_h5_reopen(&h, layout, &empty, err));
    rc = write_rows(h, layout, err);
    EXO_TRY(exo_comm_agree_output(rc, err));
    *out = h;
    h = NULL;
cleanup:
    exo_h5_close(h, 0, NULL);
    return rc;
}

/* ------------------------------------------------------------ reopening */

/* Open time-dependent element @p path written by series_create and cut it
 * back to its first @p rows rows (it must have at least that many). */
static exo_status series_open(const exo_h5 *h, h5_series *s, const char *path,
                              hid_t file_type, hid_t mem_type, int rank, uint64_t rows,
                              exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t space = H5I_INVALID_HID;
    hsize_t one = rows;

    s->rank = rank;
    s->file_type = file_type;
    s->mem_type = mem_type;
    s->path = exo_strdup(path);
    EXO_CHECK(s->path != NULL, err, EXO_ERR_NOMEM, "out of host memory naming %s", path);
    EXO_H5_AS(EXO_ERR_IO, s->group = H5Gopen2(h->file, path, H5P_DEFAULT), err,
              "%s has no %s: it is not the output this checkpoint belongs to", h->path, path);
    EXO_H5(s->step = H5Dopen2(s->group, "step", H5P_DEFAULT), err, "opening %s/step in %s",
           path, h->path);
    EXO_H5(s->time = H5Dopen2(s->group, "time", H5P_DEFAULT), err, "opening %s/time in %s",
           path, h->path);
    EXO_H5(s->value = H5Dopen2(s->group, "value", H5P_DEFAULT), err,
           "opening %s/value in %s", path, h->path);
    EXO_H5(space = H5Dget_space(s->value), err, "getting the dataspace of %s/value in %s",
           path, h->path);
    int got = H5Sget_simple_extent_ndims(space);
    EXO_CHECK(got == rank, err, EXO_ERR_IO, "%s/value in %s has rank %d, expected %d", path,
              h->path, got, rank);
    EXO_H5(H5Sget_simple_extent_dims(space, s->dims, NULL), err,
           "reading the extent of %s/value in %s", path, h->path);
    EXO_CHECK(s->dims[0] >= rows, err, EXO_ERR_IO,
              "%s holds %llu rows of %s, fewer than the %llu the checkpoint counts: it "
              "is older than the checkpoint", h->path, (unsigned long long)s->dims[0], path,
              (unsigned long long)rows);
    s->dims[0] = rows;
    EXO_H5(H5Dset_extent(s->step, &one), err, "cutting %s/step back to %llu rows in %s", path,
           (unsigned long long)rows, h->path);
    EXO_H5(H5Dset_extent(s->time, &one), err, "cutting %s/time back to %llu rows in %s", path,
           (unsigned long long)rows, h->path);
    EXO_H5(H5Dset_extent(s->value, s->dims), err, "cutting %s/value back to %llu rows in %s",
           path, (unsigned long long)rows, h->path);
cleanup:
    H5_RELEASE(space, path, h->path);
    return rc;
}

/* series_open for the n elements <parent>/<names[i]> into s[0..n-1]. */
static exo_status series_open_all(const exo_h5 *h, h5_series *s, uint32_t n,
                                  const char *parent, const char *const *names,
                                  hid_t file_type, hid_t mem_type, int rank, uint64_t rows,
                                  exo_error *err)
{
    exo_status rc = EXO_OK;
    char *path = NULL;
    for (uint32_t i = 0; i < n; i++) {
        free(path);
        path = path_join(parent, names[i]);
        EXO_CHECK(path != NULL, err, EXO_ERR_NOMEM, "out of host memory naming %s/%s", parent,
                  names[i]);
        EXO_TRY(series_open(h, &s[i], path, file_type, mem_type, rank, rows, err));
    }
cleanup:
    free(path);
    return rc;
}

/* Row @p k of a one-column dataset (step or time) of @p s. */
static exo_status series_read_at(const exo_h5 *h, const h5_series *s, hid_t dset,
                                 hid_t mem_type, uint64_t k, uint64_t n, void *out,
                                 exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    hsize_t start = k, count = n;
    if (n == 0)
        return EXO_OK;
    EXO_H5(fspace = H5Dget_space(dset), err, "getting a dataspace of %s in %s", s->path,
           h->path);
    EXO_H5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL), err,
           "selecting rows of %s in %s", s->path, h->path);
    EXO_H5(mspace = H5Screate_simple(1, &count, NULL), err,
           "making a memory dataspace for %s in %s", s->path, h->path);
    EXO_H5(H5Dread(dset, mem_type, mspace, fspace, H5P_DEFAULT, out), err,
           "reading rows of %s in %s", s->path, h->path);
cleanup:
    H5_RELEASE(mspace, s->path, h->path);
    H5_RELEASE(fspace, s->path, h->path);
    return rc;
}

/* The last step written to @p s (rows > 0). */
static exo_status series_last_step(const exo_h5 *h, const h5_series *s, int64_t *step,
                                   exo_error *err)
{
    return series_read_at(h, s, s->step, H5T_NATIVE_INT64, s->dims[0] - 1, 1, step, err);
}

/* Remove the per-frame view groups <k0>, <k0 + 1>, ... of @p group (at
 * @p gpath): what a resumed run writes again. */
static exo_status drop_views(const exo_h5 *h, hid_t group, const char *gpath, uint64_t k0,
                             exo_error *err)
{
    exo_status rc = EXO_OK;
    for (uint64_t k = k0;; k++) {
        char name[32];
        snprintf(name, sizeof name, "%06" PRIu64, k);
        htri_t there = 0;
        EXO_H5(there = H5Lexists(group, name, H5P_DEFAULT), err, "looking up %s/%s in %s",
               gpath, name, h->path);
        if (there <= 0)
            break;
        EXO_H5(H5Ldelete(group, name, H5P_DEFAULT), err, "removing %s/%s from %s", gpath,
               name, h->path);
    }
cleanup:
    return rc;
}

static exo_status rewrite_sidecars(exo_h5 *h, const exo_h5_cursor *at, exo_error *err);

exo_status exo_h5_reopen(exo_h5 **out, const exo_h5_layout *layout,
                         const exo_h5_cursor *at, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_h5 *h = NULL;
    hid_t space = H5I_INVALID_HID, fapl = H5I_INVALID_HID;

    EXO_CHECK(out != NULL && at != NULL, err, EXO_ERR_INVALID, "exo_h5_reopen: no cursor");
    *out = NULL;
    EXO_CHECK(layout->n_event_kinds <= EXO_H5_MAX_EVENT_KINDS, err, EXO_ERR_INVALID,
              "exo_h5_reopen: %u event kinds", layout->n_event_kinds);
    EXO_TRY(handle_new(&h, layout, err));
    for (int i = 0; i < 3; i++)
        h->edges_nm[4 * i] = (float)layout->box_edges_nm[i];

    EXO_TRY(output_fapl(h, h->shared, &fapl, err));
    EXO_H5_AS(EXO_ERR_IO, h->file = H5Fopen(h->path, H5F_ACC_RDWR, fapl), err,
              "cannot open output file %s to resume it", h->path);
#ifdef EXOBD_MPI
    if (h->shared) { /* every write takes every rank (h5_write_block) */
        EXO_H5(h->dxpl = H5Pcreate(H5P_DATASET_XFER), err, "transfer properties for %s",
               h->path);
        EXO_H5(H5Pset_dxpl_mpio(h->dxpl, H5FD_MPIO_COLLECTIVE), err,
               "collective transfers for %s", h->path);
    }
#endif
    EXO_TRY(make_str_type(h, err));
    EXO_H5_AS(EXO_ERR_IO, h->h5md = H5Gopen2(h->file, "/h5md", H5P_DEFAULT), err,
              "%s is not an exobd output file (no /h5md)", h->path);
    EXO_TRY(h5_attr_str(h, h->h5md, "/h5md", "exobd_status", "running", err));

    EXO_TRY(series_open(h, &h->edges, "/particles/vesicles/box/edges", H5T_IEEE_F32LE,
                        H5T_NATIVE_FLOAT, 3, at->frames, err));
    if (h->write_position)
        EXO_TRY(series_open(h, &h->position, "/particles/vesicles/position", H5T_IEEE_F32LE,
                            H5T_NATIVE_FLOAT, 3, at->frames, err));
    if (h->write_image)
        EXO_TRY(series_open(h, &h->image, "/particles/vesicles/image", H5T_STD_I32LE,
                            H5T_NATIVE_INT32, 3, at->frames, err));
    if (h->write_state)
        EXO_TRY(series_open(h, &h->state, "/particles/vesicles/state", H5T_STD_I8LE,
                            H5T_NATIVE_INT8, 2, at->frames, err));
    if (h->write_bonds)
        EXO_TRY(series_open(h, &h->bonds, "/particles/vesicles/bonds", H5T_STD_U8LE,
                            H5T_NATIVE_UINT8, 2, at->frames, err));
    h->position.split = h->image.split = h->state.split = h->bonds.split = 1;
    if (layout->n_observables) {
        EXO_ALLOC(h->obs, layout->n_observables, err, "the observables");
        for (uint32_t i = 0; i < layout->n_observables; i++)
            series_init(&h->obs[i]);
        h->n_obs = layout->n_observables;
        EXO_TRY(series_open_all(h, h->obs, h->n_obs, "/observables", layout->observable_names,
                                H5T_STD_I64LE, H5T_NATIVE_INT64, 1, at->obs_rows, err));
    }
    if (layout->n_real_observables) {
        EXO_ALLOC(h->robs, layout->n_real_observables, err, "the real observables");
        for (uint32_t i = 0; i < layout->n_real_observables; i++)
            series_init(&h->robs[i]);
        h->n_robs = layout->n_real_observables;
        EXO_TRY(series_open_all(h, h->robs, h->n_robs, "/observables",
                                layout->real_observable_names, H5T_IEEE_F64LE,
                                H5T_NATIVE_DOUBLE, 1, at->robs_rows, err));
    }
    if (layout->n_event_kinds) {
        EXO_ALLOC(h->events, layout->n_event_kinds, err, "the event groups");
        for (uint32_t k = 0; k < layout->n_event_kinds; k++) {
            h->events[k].group = H5I_INVALID_HID;
            for (int c = 0; c < EXO_H5_EVENT_COLUMNS; c++)
                h->events[k].col[c] = H5I_INVALID_HID;
        }
        h->n_events = layout->n_event_kinds;
        for (uint32_t k = 0; k < h->n_events; k++) {
            h5_events *e = &h->events[k];
            e->path = path_join("/events", layout->event_kinds[k]);
            EXO_CHECK(e->path != NULL, err, EXO_ERR_NOMEM, "out of host memory naming events");
            EXO_H5_AS(EXO_ERR_IO, e->group = H5Gopen2(h->file, e->path, H5P_DEFAULT), err,
                      "%s has no %s: it is not the output this checkpoint belongs to",
                      h->path, e->path);
            for (int c = 0; c < EXO_H5_EVENT_COLUMNS; c++) {
                hsize_t dims[2];
                EXO_H5(e->col[c] = H5Dopen2(e->group, event_columns[c], H5P_DEFAULT), err,
                       "opening %s/%s in %s", e->path, event_columns[c], h->path);
                EXO_H5(space = H5Dget_space(e->col[c]), err,
                       "getting the dataspace of %s/%s in %s", e->path, event_columns[c],
                       h->path);
                EXO_H5(H5Sget_simple_extent_dims(space, dims, NULL), err,
                       "reading the extent of %s/%s in %s", e->path, event_columns[c],
                       h->path);
                H5_RELEASE(space, e->path, h->path);
                EXO_CHECK(dims[0] >= at->event_rows[k], err, EXO_ERR_IO,
                          "%s holds %llu %s events, fewer than the %llu the checkpoint "
                          "counts: it is older than the checkpoint", h->path,
                          (unsigned long long)dims[0], e->path,
                          (unsigned long long)at->event_rows[k]);
                dims[0] = at->event_rows[k];
                EXO_H5(H5Dset_extent(e->col[c], dims), err,
                       "cutting %s/%s back to %llu rows in %s", e->path, event_columns[c],
                       (unsigned long long)dims[0], h->path);
            }
            e->rows = at->event_rows[k];
        }
    }
    if (h->n_dens) {
        EXO_TRY(series_open_all(h, h->dens, h->n_dens, "/density",
                                (const char *const *)h->dens_names, H5T_STD_U32LE,
                                H5T_NATIVE_UINT32, 4, at->density_rows, err));
        /* Images after the checkpoint's lose their views too. */
        EXO_H5(h->dens_views = H5Gopen2(h->file, "/xdmf/density", H5P_DEFAULT), err,
               "opening /xdmf/density in %s", h->path);
        EXO_TRY(drop_views(h, h->dens_views, "/xdmf/density", at->density_rows, err));
        h->n_dens_rows = at->density_rows;
        if (at->density_rows > 0)
            EXO_TRY(series_last_step(h, &h->dens[0], &h->last_dens_step, err));
    }
    /* Frames after the checkpoint's lose their views. */
    EXO_H5(h->frames = H5Gopen2(h->file, "/xdmf/frames", H5P_DEFAULT), err,
           "opening /xdmf/frames in %s", h->path);
    EXO_TRY(drop_views(h, h->frames, "/xdmf/frames", at->frames, err));
    h->n_frames = at->frames;
    h->n_obs_rows = at->obs_rows;
    h->n_robs_rows = at->robs_rows;
    if (at->frames > 0) {
        EXO_TRY(series_last_step(h, &h->edges, &h->last_step, err));
        EXO_TRY(series_read_at(h, &h->edges, h->edges.time, H5T_NATIVE_DOUBLE, at->frames - 1,
                               1, &h->last_time_s, err));
    }
    if (h->n_obs && at->obs_rows > 0)
        EXO_TRY(series_last_step(h, &h->obs[0], &h->last_obs_step, err));
    if (h->n_robs && at->robs_rows > 0)
        EXO_TRY(series_last_step(h, &h->robs[0], &h->last_robs_step, err));
    EXO_H5(H5Fflush(h->file, H5F_SCOPE_LOCAL), err, "flushing %s", h->path);

    /* The sidecars again, naming the frames kept (rank 0's in a shared
     * file, which every rank then hears about). */
    rc = h->root ? rewrite_sidecars(h, at, err) : EXO_OK;
    EXO_TRY(h->shared ? exo_comm_agree_output(rc, err) : rc);
    *out = h;
    h = NULL;
cleanup:
    H5_RELEASE(space, "a dataspace", layout->path);
    H5_RELEASE(fapl, "file access properties", layout->path);
    exo_h5_close(h, 0, err);
    return rc;
}

/* The sidecars of a reopened file, naming what it holds up to @p at. */
static exo_status rewrite_sidecars(exo_h5 *h, const exo_h5_cursor *at, exo_error *err)
{
    exo_status rc = EXO_OK;
    double *times = NULL;
    EXO_TRY(xdmf_create(h, err));
    if (h->write_position && at->frames > 0) {
        EXO_ALLOC(times, at->frames, err, "frame times");
        EXO_TRY(series_read_at(h, &h->edges, h->edges.time, H5T_NATIVE_DOUBLE, 0, at->frames,
                               times, err));
        for (uint64_t k = 0; k < at->frames; k++)
            EXO_TRY(xdmf_append_frame(h, k, times[k], err));
    }
    if (h->n_dens) {
        EXO_TRY(sidecar_create(&h->dxdmf, &h->dxdmf_tail, h->dxdmf_path, "density",
                               "Density images", err));
        free(times);
        times = NULL;
        EXO_ALLOC(times, at->density_rows, err, "density image times");
        EXO_TRY(series_read_at(h, &h->dens[0], h->dens[0].time, H5T_NATIVE_DOUBLE, 0,
                               at->density_rows, times, err));
        for (uint64_t k = 0; k < at->density_rows; k++)
            EXO_TRY(dxdmf_append(h, k, times[k], err));
    }
cleanup:
    free(times);
    return rc;
}

/* Each rank's rows of the per-vesicle datasets of a shared file. */
static exo_status write_rows(exo_h5 *h, const exo_h5_layout *l, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t dset = H5I_INVALID_HID, space = H5I_INVALID_HID;
    const char *names[3] = {"id", "radius", "population"};
    const hid_t types[3] = {H5T_NATIVE_INT64, H5T_NATIVE_FLOAT, H5T_NATIVE_INT32};
    const void *data[3] = {l->id, l->radius_nm, l->population};
    const hsize_t start = h->row_first, count = h->row_count;
    for (int k = 0; k < 3; k++) {
        char path[64];
        snprintf(path, sizeof path, "/particles/vesicles/%s", names[k]);
        EXO_H5(dset = H5Dopen2(h->file, path, H5P_DEFAULT), err, "opening %s in %s", path,
               h->path);
        EXO_H5(space = H5Dget_space(dset), err, "getting the dataspace of %s in %s", path,
               h->path);
        EXO_TRY(h5_write_block(h, dset, space, "/particles/vesicles", names[k], 1, &start,
                               &count, 1, types[k], data[k], err));
        H5_RELEASE(space, path, h->path);
        H5_RELEASE(dset, path, h->path);
    }
cleanup:
    H5_RELEASE(space, "a dataspace", h->path);
    H5_RELEASE(dset, "a dataset", h->path);
    return rc;
}

void exo_h5_cursor_get(const exo_h5 *h, exo_h5_cursor *at)
{
    memset(at, 0, sizeof *at);
    if (h == NULL)
        return;
    at->frames = h->n_frames;
    at->obs_rows = h->n_obs_rows;
    at->robs_rows = h->n_robs_rows;
    at->density_rows = h->n_dens_rows;
    for (uint32_t k = 0; k < h->n_events && k < EXO_H5_MAX_EVENT_KINDS; k++)
        at->event_rows[k] = h->events[k].rows;
}

exo_status exo_h5_flush(exo_h5 *h, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_H5(H5Fflush(h->file, H5F_SCOPE_LOCAL), err, "flushing %s", h->path);
cleanup:
    return rc;
}

/* ----------------------------------------------------------------- frames */

/* A virtual dataset @p name in @p group viewing row @p k of s->value. */
static exo_status frame_view(const exo_h5 *h, hid_t group, const char *gpath,
                             const char *name, const h5_series *s, uint64_t k,
                             exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t vspace = H5I_INVALID_HID, sspace = H5I_INVALID_HID;
    hid_t dcpl = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    hsize_t src_dims[EXO_H5_MAX_RANK], start[EXO_H5_MAX_RANK] = {0};
    hsize_t count[EXO_H5_MAX_RANK];
    char src[128];

    for (int i = 0; i < s->rank; i++)
        src_dims[i] = count[i] = s->dims[i];
    src_dims[0] = k + 1;
    start[0] = k;
    count[0] = 1;
    snprintf(src, sizeof src, "%s/value", s->path);

    EXO_H5(vspace = H5Screate_simple(s->rank - 1, s->dims + 1, NULL), err,
           "making the dataspace of %s/%s in %s", gpath, name, h->path);
    EXO_H5(sspace = H5Screate_simple(s->rank, src_dims, NULL), err,
           "making the source dataspace of %s/%s in %s", gpath, name, h->path);
    EXO_H5(H5Sselect_hyperslab(sspace, H5S_SELECT_SET, start, NULL, count,
                               NULL),
           err, "selecting row %" PRIu64 " of %s for %s/%s in %s", k, src,
           gpath, name, h->path);
    EXO_H5(dcpl = H5Pcreate(H5P_DATASET_CREATE), err,
           "making the creation properties of %s/%s in %s", gpath, name,
           h->path);
    EXO_H5(H5Pset_virtual(dcpl, vspace, ".", src, sspace), err,
           "mapping %s/%s onto row %" PRIu64 " of %s in %s", gpath, name, k,
           src, h->path);
    EXO_H5(dset = H5Dcreate2(group, name, s->file_type, vspace, H5P_DEFAULT,
                             dcpl, H5P_DEFAULT),
           err, "creating the virtual dataset %s/%s in %s", gpath, name,
           h->path);
cleanup:
    H5_RELEASE(dset, name, h->path);
    H5_RELEASE(dcpl, name, h->path);
    H5_RELEASE(sspace, name, h->path);
    H5_RELEASE(vspace, name, h->path);
    return rc;
}

static exo_status frame_views(exo_h5 *h, uint64_t k, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t group = H5I_INVALID_HID;
    char name[32], gpath[64];

    snprintf(name, sizeof name, "%06" PRIu64, k);
    snprintf(gpath, sizeof gpath, "/xdmf/frames/%s", name);
    EXO_TRY(h5_group(h, &group, h->frames, name, gpath, err));
    if (h->write_position)
        EXO_TRY(frame_view(h, group, gpath, "position", &h->position, k, err));
    if (h->write_state)
        EXO_TRY(frame_view(h, group, gpath, "state", &h->state, k, err));
    if (h->write_image)
        EXO_TRY(frame_view(h, group, gpath, "image", &h->image, k, err));
    if (h->write_bonds)
        EXO_TRY(frame_view(h, group, gpath, "bonds", &h->bonds, k, err));
cleanup:
    H5_RELEASE(group, gpath, h->path);
    return rc;
}

static exo_status density_views(exo_h5 *h, uint64_t k, exo_error *err)
{
    exo_status rc = EXO_OK;
    hid_t group = H5I_INVALID_HID;
    char name[32], gpath[64];
    snprintf(name, sizeof name, "%06" PRIu64, k);
    snprintf(gpath, sizeof gpath, "/xdmf/density/%s", name);
    EXO_TRY(h5_group(h, &group, h->dens_views, name, gpath, err));
    for (uint32_t i = 0; i < h->n_dens; i++)
        EXO_TRY(frame_view(h, group, gpath, h->dens_names[i], &h->dens[i], k, err));
cleanup:
    H5_RELEASE(group, gpath, h->path);
    return rc;
}

/* Refuse to start writing @p bytes more when the disk (or the process's
 * file-size limit) has no room for them and a margin.  HDF5 updates the
 * superblock's end-of-file before the data behind it reach the disk, so a
 * write that fails part-way leaves a file no reader opens ("truncated
 * file"); stopping before the frame keeps every frame written so far
 * readable and lets the file close cleanly. */
static exo_status check_room_here(const exo_h5 *h, uint64_t bytes, uint64_t k,
                                  exo_error *err);

/* In a shared file rank 0 looks, and every rank hears the verdict. */
static exo_status check_room(const exo_h5 *h, uint64_t bytes, uint64_t k, exo_error *err)
{
    exo_status rc = h->root ? check_room_here(h, bytes, k, err) : EXO_OK;
    return h->shared ? exo_comm_agree_output(rc, err) : rc;
}

static exo_status check_room_here(const exo_h5 *h, uint64_t bytes, uint64_t k,
                                  exo_error *err)
{
    exo_status rc = EXO_OK;
    hsize_t size = 0;
    const double need = 2.0 * (double)bytes + 4194304.0; /* + metadata, close */
    struct stat st;
    if (h->shared) /* the MPI-IO driver answers size requests of all ranks only */
        size = stat(h->path, &st) == 0 ? (hsize_t)st.st_size : 0;
    else
        EXO_H5(H5Fget_filesize(h->file, &size), err, "getting the size of %s", h->path);
    struct rlimit lim;
    if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
        EXO_CHECK((double)size + need <= (double)lim.rlim_cur, err, EXO_ERR_IO,
                  "no room for frame %" PRIu64 " in %s: the file-size limit (ulimit -f) is "
                  "%.1f MB, the file holds %.1f MB and the frame needs about %.1f MB more; "
                  "the file keeps the %" PRIu64 " frames written and closes cleanly",
                  k, h->path, (double)lim.rlim_cur / 1e6, (double)size / 1e6, need / 1e6, k);
    struct statvfs fs;
    if (statvfs(h->path, &fs) == 0)
        EXO_CHECK((double)fs.f_bavail * (double)fs.f_frsize >= need, err, EXO_ERR_IO,
                  "no room for frame %" PRIu64 " in %s: %.1f MB free on its disk, the frame "
                  "needs about %.1f MB; the file keeps the %" PRIu64 " frames written and "
                  "closes cleanly (free space, or write fewer frames: output.every, "
                  "output.sample)", k, h->path,
                  (double)fs.f_bavail * (double)fs.f_frsize / 1e6, need / 1e6, k);
cleanup:
    return rc;
}

exo_status exo_h5_write_frame(exo_h5 *h, int64_t step, double time_s,
                              const float *pos_nm, const int32_t *image,
                              const int8_t *state, const uint8_t *bonds,
                              exo_error *err)
{
    exo_status rc = EXO_OK;
    uint64_t k;

    EXO_CHECK(h != NULL, err, EXO_ERR_INVALID, "exo_h5_write_frame: no file");
    k = h->n_frames;
    EXO_CHECK((!h->write_position || pos_nm) && (!h->write_image || image) &&
                  (!h->write_state || state) && (!h->write_bonds || bonds),
              err, EXO_ERR_INVALID,
              "%s: frame %" PRIu64 " lacks a field the file was created with",
              h->path, k);
    EXO_CHECK(isfinite(time_s), err, EXO_ERR_INVALID,
              "%s: frame %" PRIu64 " has time %g", h->path, k, time_s);
    EXO_CHECK(k == 0 || (step > h->last_step && time_s > h->last_time_s), err,
              EXO_ERR_INVALID,
              "%s: frame %" PRIu64 " (step %" PRId64 ", time %.17g s) does not"
              " follow step %" PRId64 ", time %.17g s", h->path, k, step,
              time_s, h->last_step, h->last_time_s);

    EXO_TRY(check_room(h, h->n * (12u * (uint64_t)h->write_position +
                                  12u * (uint64_t)h->write_image + (uint64_t)h->write_state +
                                  (uint64_t)h->write_bonds), k, err));
    if (h->write_position)
        EXO_TRY(series_append(h, &h->position, step, time_s, pos_nm, err));
    if (h->write_image)
        EXO_TRY(series_append(h, &h->image, step, time_s, image, err));
    if (h->write_state)
        EXO_TRY(series_append(h, &h->state, step, time_s, state, err));
    if (h->write_bonds)
        EXO_TRY(series_append(h, &h->bonds, step, time_s, bonds, err));
    EXO_TRY(series_append(h, &h->edges, step, time_s, h->edges_nm, err));
    EXO_TRY(frame_views(h, k, err));
    /* ParaView may read the sidecar at any moment: the frame must be on disk
     * before the sidecar names it. */
    EXO_H5(H5Fflush(h->file, H5F_SCOPE_LOCAL), err,
           "flushing frame %" PRIu64 " to %s", k, h->path);
    if (h->write_position && h->root)
        EXO_TRY(xdmf_append_frame(h, k, time_s, err));
    h->n_frames = k + 1;
    h->last_step = step;
    h->last_time_s = time_s;
cleanup:
    return rc;
}

exo_status exo_h5_write_density(exo_h5 *h, int64_t step, double time_s,
                                const uint32_t *counts, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_CHECK(h != NULL && h->n_dens > 0 && counts != NULL, err, EXO_ERR_INVALID,
              "exo_h5_write_density: no file, no density images or no counts");
    uint64_t k = h->n_dens_rows;
    EXO_CHECK(isfinite(time_s) && (k == 0 || step > h->last_dens_step), err, EXO_ERR_INVALID,
              "%s: density image %" PRIu64 " (step %" PRId64 ") does not follow step %" PRId64,
              h->path, k, step, h->last_dens_step);
    size_t voxels = (size_t)h->dens_bins[0] * h->dens_bins[1] * h->dens_bins[2];
    EXO_TRY(check_room(h, 4u * (uint64_t)voxels * h->n_dens, k, err));
    for (uint32_t i = 0; i < h->n_dens; i++)
        EXO_TRY(series_append(h, &h->dens[i], step, time_s, counts + i * voxels, err));
    EXO_TRY(density_views(h, k, err));
    EXO_H5(H5Fflush(h->file, H5F_SCOPE_LOCAL), err,
           "flushing density image %" PRIu64 " to %s", k, h->path);
    if (h->root)
        EXO_TRY(dxdmf_append(h, k, time_s, err));
    h->n_dens_rows = k + 1;
    h->last_dens_step = step;
cleanup:
    return rc;
}

exo_status exo_h5_write_real_observables(exo_h5 *h, int64_t step, double time_s,
                                         const double *values, exo_error *err)
{
    exo_status rc = EXO_OK;
    EXO_CHECK(h != NULL && (h->n_robs == 0 || values != NULL), err, EXO_ERR_INVALID,
              "exo_h5_write_real_observables: no file or no values");
    EXO_CHECK(h->n_robs_rows == 0 || step > h->last_robs_step, err, EXO_ERR_INVALID,
              "%s: real observables at step %" PRId64 " do not follow step %" PRId64,
              h->path, step, h->last_robs_step);
    for (uint32_t i = 0; i < h->n_robs; i++)
        EXO_TRY(series_append(h, &h->robs[i], step, time_s, &values[i], err));
    h->n_robs_rows++;
    h->last_robs_step = step;
cleanup:
    return rc;
}

exo_status exo_h5_write_observables(exo_h5 *h, int64_t step, double time_s,
                                    const int64_t *values, exo_error *err)
{
    exo_status rc = EXO_OK;

    EXO_CHECK(h != NULL, err, EXO_ERR_INVALID,
              "exo_h5_write_observables: no file");
    EXO_CHECK(h->n_obs == 0 || values != NULL, err, EXO_ERR_INVALID,
              "%s: observables row %" PRIu64 " has no values", h->path,
              h->n_obs_rows);
    EXO_CHECK(h->n_obs_rows == 0 || step > h->last_obs_step, err,
              EXO_ERR_INVALID,
              "%s: observables at step %" PRId64 " do not follow step %" PRId64,
              h->path, step, h->last_obs_step);
    for (uint32_t i = 0; i < h->n_obs; i++)
        EXO_TRY(series_append(h, &h->obs[i], step, time_s, &values[i], err));
    h->n_obs_rows++;
    h->last_obs_step = step;
cleanup:
    return rc;
}

uint64_t exo_h5_frames(const exo_h5 *h)
{
    return h ? h->n_frames : 0;
}

/* ------------------------------------------------------------------ close */

exo_status exo_h5_close(exo_h5 *h, int complete, exo_error *err)
{
    exo_status rc_status = EXO_OK;
    if (h == NULL)
        return EXO_OK;
    if (h->h5md >= 0)
        rc_status = h5_attr_str(h, h->h5md, "/h5md", "exobd_status",
                                complete ? "complete" : "incomplete", err);
    return release_all(h, rc_status, err);
}

/* Close everything and free @p h; the first error, @p rc_status first. */
static exo_status release_all(exo_h5 *h, exo_status rc_status, exo_error *err)
{
    exo_status rc = EXO_OK;
    char eb[128];
    if (h->dxpl != H5P_DEFAULT)
        H5_RELEASE(h->dxpl, "the transfer properties", h->path);
    for (uint32_t i = 0; i < h->n_obs; i++)
        series_release(h, &h->obs[i], &rc, err);
    for (uint32_t i = 0; i < h->n_robs; i++)
        series_release(h, &h->robs[i], &rc, err);
    free(h->robs);
    h->robs = NULL;
    for (uint32_t k = 0; k < h->n_events; k++) {
        h5_events *e = &h->events[k];
        const char *what = e->path ? e->path : "/events";
        for (int c = 0; c < EXO_H5_EVENT_COLUMNS; c++)
            H5_RELEASE(e->col[c], what, h->path);
        H5_RELEASE(e->group, what, h->path);
        free(e->path);
    }
    free(h->events);
    h->events = NULL;
    for (uint32_t i = 0; i < h->n_dens; i++) {
        series_release(h, &h->dens[i], &rc, err);
        free(h->dens_names[i]);
    }
    free(h->dens);
    free(h->dens_names);
    h->dens = NULL;
    h->dens_names = NULL;
    h->n_dens = 0;
    H5_RELEASE(h->dens_views, "/xdmf/density", h->path);
    series_release(h, &h->bonds, &rc, err);
    series_release(h, &h->state, &rc, err);
    series_release(h, &h->image, &rc, err);
    series_release(h, &h->position, &rc, err);
    series_release(h, &h->edges, &rc, err);
    H5_RELEASE(h->frames, "/xdmf/frames", h->path);
    H5_RELEASE(h->h5md, "/h5md", h->path);
    H5_RELEASE(h->str_type, "the string type", h->path);
    H5_RELEASE(h->file, "the file", h->path);
    if (h->xdmf != NULL) {
        errno = 0;
        if (fclose(h->xdmf) != 0) {
            int e = errno;
            exo_status s = exo_error_set(err, EXO_ERR_IO, e, __FILE__,
                                         __LINE__, __func__, "closing %s: %s",
                                         h->xdmf_path,
                                         errno_text(e, eb, sizeof eb));
            if (rc == EXO_OK)
                rc = s;
        }
    }
    if (h->dxdmf != NULL) {
        errno = 0;
        if (fclose(h->dxdmf) != 0) {
            int e = errno;
            exo_status s = exo_error_set(err, EXO_ERR_IO, e, __FILE__, __LINE__, __func__,
                                         "closing %s: %s", h->dxdmf_path,
                                         errno_text(e, eb, sizeof eb));
            if (rc == EXO_OK)
                rc = s;
        }
    }
    free(h->obs);
    free(h->xdmf_h5name);
    free(h->dxdmf_path);
    free(h->xdmf_path);
    free(h->path);
    free(h);
    return rc_status != EXO_OK ? rc_status : rc;
}
