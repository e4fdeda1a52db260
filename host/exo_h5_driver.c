/*
 * exo_h5_driver: a POSIX HDF5 file driver whose flushes reach the disk in a
 * crash-safe order; see exo_h5_driver.h for why and how.
 *
 * State of an open file:
 *   committed  the end of the file as of the last flush: everything the
 *              metadata on disk can refer to lies below it;
 *   held       writes below `committed` since the last flush, in arrival
 *              order and disjoint (a later write cuts what it overlaps out
 *              of earlier ones), applied by the next flush;
 *   eoa, eof   HDF5's end of allocated space, and the end of the file as
 *              HDF5 sees it (the disk's end, or a held write's if further).
 * Reads see held writes over what the disk holds.
 *
 * Test hook (docs/reliability.md): with EXOBD_FAULT_FLUSH=F:W the process
 * kills itself (SIGKILL) in its F-th flush, before the (W+1)-th held write,
 * so tests can stop a flush at each of its writes in turn.
 */
#define _GNU_SOURCE
#include "exo_h5_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct held_write {
    haddr_t addr;
    size_t size;
    H5FD_mem_t type;
    unsigned char *data;
} held_write;

typedef struct exo_h5_file {
    H5FD_t pub; /* HDF5's part; must come first */
    int fd;
    dev_t device;
    ino_t inode;
    haddr_t eoa, eof, disk_eof, committed;
    held_write *held;
    size_t n_held, cap_held;
} exo_h5_file;

/* The order in which a flush applies held writes, by memory type.  The
 * superblock, which records the file's end, goes first when the file grew
 * (truncate extended it on disk already, so a larger recorded end is
 * harmless, while a link or index entry to a block past the recorded end
 * makes readers fail), and last when it shrank.  Then raw data and heap
 * blocks (what links and index entries point at), then index nodes, and
 * object headers, which hold every dataset's extent and every group's
 * links, last. */
static int commit_rank(H5FD_mem_t type, int grew)
{
    switch (type) {
    case H5FD_MEM_SUPER: return grew ? 0 : 6;
    case H5FD_MEM_DRAW: return 1;
    case H5FD_MEM_GHEAP: return 2;
    case H5FD_MEM_LHEAP: return 3;
    case H5FD_MEM_BTREE: return 4;
    case H5FD_MEM_OHDR: return 5;
    default: return 4;
    }
}
#define COMMIT_RANKS 7

#define DRIVER_ERROR(minor, ...)                                                   \
    H5Epush2(H5E_DEFAULT, __FILE__, __func__, __LINE__, H5E_ERR_CLS, H5E_VFL, minor, \
             __VA_ARGS__)

/* ------------------------------------------------------------ fault hook */

static unsigned long fault_flush, fault_write;
static unsigned long flushes_so_far;

static void fault_init(void)
{
    const char *v = getenv("EXOBD_FAULT_FLUSH");
    char *end = NULL;
    if (v == NULL)
        return;
    fault_flush = strtoul(v, &end, 10);
    fault_write = (end && *end == ':') ? strtoul(end + 1, NULL, 10) : 0;
}

/* ------------------------------------------------------------- raw I/O */

static int write_all(int fd, const unsigned char *p, size_t n, haddr_t at)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
        at += (haddr_t)w;
    }
    return 0;
}

static int read_all(int fd, unsigned char *p, size_t n, haddr_t at)
{
    while (n > 0) {
        ssize_t r = pread(fd, p, n, (off_t)at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0) { /* past the end of the file: zeros, as sec2 reads */
            memset(p, 0, n);
            return 0;
        }
        p += r;
        n -= (size_t)r;
        at += (haddr_t)r;
    }
    return 0;
}

/* ---------------------------------------------------------- held writes */

static int held_reserve(exo_h5_file *f, size_t n)
{
    if (n <= f->cap_held)
        return 0;
    size_t cap = f->cap_held ? 2 * f->cap_held : 64;
    while (cap < n)
        cap *= 2;
    held_write *h = realloc(f->held, cap * sizeof *h);
    if (h == NULL)
        return -1;
    f->held = h;
    f->cap_held = cap;
    return 0;
}

/* Cut [addr, addr + size) out of every held write, so what remains is
 * disjoint from a newer write there.  Returns -1 out of memory. */
static int held_cut(exo_h5_file *f, haddr_t addr, size_t size)
{
    const haddr_t end = addr + size;
    size_t n = f->n_held;
    for (size_t i = 0; i < n; i++) {
        held_write *h = &f->held[i];
        const haddr_t h_end = h->addr + h->size;
        if (h->size == 0 || h_end <= addr || h->addr >= end)
            continue;
        if (h->addr < addr && h_end > end) { /* the new write is inside: split */
            if (held_reserve(f, f->n_held + 1) < 0)
                return -1;
            h = &f->held[i];
            size_t right = (size_t)(h_end - end);
            unsigned char *data = malloc(right);
            if (data == NULL)
                return -1;
            memcpy(data, h->data + (end - h->addr), right);
            f->held[f->n_held++] = (held_write){end, right, h->type, data};
            h->size = (size_t)(addr - h->addr);
        } else if (h->addr < addr) { /* overlaps its tail */
            h->size = (size_t)(addr - h->addr);
        } else if (h_end > end) { /* overlaps its head */
            size_t keep = (size_t)(h_end - end);
            memmove(h->data, h->data + (end - h->addr), keep);
            h->addr = end;
            h->size = keep;
        } else { /* covered */
            h->size = 0;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < f->n_held; i++) {
        if (f->held[i].size == 0)
            free(f->held[i].data);
        else
            f->held[k++] = f->held[i];
    }
    f->n_held = k;
    return 0;
}

static void held_clear(exo_h5_file *f)
{
    for (size_t i = 0; i < f->n_held; i++)
        free(f->held[i].data);
    f->n_held = 0;
}

/* Apply the held writes in commit order, then cut the file back to the end
 * of allocated space if HDF5 freed space at its end, and record the new
 * committed end. */
static herr_t commit(exo_h5_file *f)
{
    const int faulting = fault_flush != 0 && ++flushes_so_far == fault_flush;
    const int grew = f->eoa >= f->committed;
    unsigned long written = 0;
    for (int rank = 0; rank < COMMIT_RANKS; rank++) {
        for (size_t i = 0; i < f->n_held; i++) {
            const held_write *h = &f->held[i];
            if (commit_rank(h->type, grew) != rank)
                continue;
            if (faulting && written == fault_write)
                raise(SIGKILL);
            if (write_all(f->fd, h->data, h->size, h->addr) < 0) {
                DRIVER_ERROR(H5E_WRITEERROR, "writing %zu bytes at %llu: %s", h->size,
                             (unsigned long long)h->addr, strerror(errno));
                return -1;
            }
            written++;
            if (h->addr + h->size > f->disk_eof)
                f->disk_eof = h->addr + h->size;
        }
    }
    held_clear(f);
    if (faulting && written == fault_write)
        raise(SIGKILL); /* after the last write: the flush done, nothing after */
    if (f->disk_eof > f->eoa) {
        if (ftruncate(f->fd, (off_t)f->eoa) < 0) {
            DRIVER_ERROR(H5E_SEEKERROR, "cutting the file to %llu bytes: %s",
                         (unsigned long long)f->eoa, strerror(errno));
            return -1;
        }
        f->disk_eof = f->eoa;
    }
    f->eof = f->disk_eof;
    f->committed = f->eoa > f->disk_eof ? f->eoa : f->disk_eof;
    return 0;
}

/* ------------------------------------------------------- driver callbacks */

static H5FD_t *drv_open(const char *name, unsigned flags, hid_t fapl, haddr_t maxaddr)
{
    (void)fapl;
    (void)maxaddr;
    int oflags = (flags & H5F_ACC_RDWR) ? O_RDWR : O_RDONLY;
    if (flags & H5F_ACC_TRUNC)
        oflags |= O_TRUNC;
    if (flags & H5F_ACC_CREAT)
        oflags |= O_CREAT;
    if (flags & H5F_ACC_EXCL)
        oflags |= O_EXCL;
    int fd = open(name, oflags | O_CLOEXEC, 0666);
    if (fd < 0) {
        DRIVER_ERROR(H5E_CANTOPENFILE, "opening %s: %s", name, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        DRIVER_ERROR(H5E_BADFILE, "reading the status of %s: %s", name, strerror(errno));
        close(fd);
        return NULL;
    }
    exo_h5_file *f = calloc(1, sizeof *f);
    if (f == NULL) {
        DRIVER_ERROR(H5E_CANTALLOC, "out of host memory opening %s", name);
        close(fd);
        return NULL;
    }
    f->fd = fd;
    f->device = st.st_dev;
    f->inode = st.st_ino;
    f->eof = f->disk_eof = f->committed = (haddr_t)st.st_size;
    return &f->pub;
}

static herr_t drv_close(H5FD_t *file)
{
    exo_h5_file *f = (exo_h5_file *)file;
    herr_t rc = commit(f);
    if (close(f->fd) < 0 && rc >= 0) {
        DRIVER_ERROR(H5E_CANTCLOSEFILE, "closing the file: %s", strerror(errno));
        rc = -1;
    }
    held_clear(f);
    free(f->held);
    free(f);
    return rc;
}

static int drv_cmp(const H5FD_t *a, const H5FD_t *b)
{
    const exo_h5_file *x = (const exo_h5_file *)a, *y = (const exo_h5_file *)b;
    if (x->device != y->device)
        return x->device < y->device ? -1 : 1;
    if (x->inode != y->inode)
        return x->inode < y->inode ? -1 : 1;
    return 0;
}

static herr_t drv_query(const H5FD_t *file, unsigned long *flags)
{
    (void)file;
    /* No metadata accumulator: it would merge blocks of different kinds
     * into one write, and the commit order needs each block's kind. */
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_AGGREGATE_SMALLDATA |
             H5FD_FEAT_DATA_SIEVE | H5FD_FEAT_POSIX_COMPAT_HANDLE;
    return 0;
}

static haddr_t drv_get_eoa(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const exo_h5_file *)file)->eoa;
}

static herr_t drv_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t addr)
{
    (void)type;
    ((exo_h5_file *)file)->eoa = addr;
    return 0;
}

static haddr_t drv_get_eof(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const exo_h5_file *)file)->eof;
}

static herr_t drv_get_handle(H5FD_t *file, hid_t fapl, void **handle)
{
    (void)fapl;
    *handle = &((exo_h5_file *)file)->fd;
    return 0;
}

static herr_t drv_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size,
                       void *buf)
{
    (void)type;
    (void)dxpl;
    exo_h5_file *f = (exo_h5_file *)file;
    if (read_all(f->fd, buf, size, addr) < 0) {
        DRIVER_ERROR(H5E_READERROR, "reading %zu bytes at %llu: %s", size,
                     (unsigned long long)addr, strerror(errno));
        return -1;
    }
    const haddr_t end = addr + size;
    for (size_t i = 0; i < f->n_held; i++) {
        const held_write *h = &f->held[i];
        const haddr_t lo = h->addr > addr ? h->addr : addr;
        const haddr_t hi = h->addr + h->size < end ? h->addr + h->size : end;
        if (lo < hi)
            memcpy((unsigned char *)buf + (lo - addr), h->data + (lo - h->addr),
                   (size_t)(hi - lo));
    }
    return 0;
}

static herr_t drv_write(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size,
                        const void *buf)
{
    (void)dxpl;
    exo_h5_file *f = (exo_h5_file *)file;
    if (held_cut(f, addr, size) < 0) {
        DRIVER_ERROR(H5E_CANTALLOC, "out of host memory holding a write");
        return -1;
    }
    if (addr >= f->committed) { /* new space: nothing on disk refers to it */
        if (write_all(f->fd, buf, size, addr) < 0) {
            DRIVER_ERROR(H5E_WRITEERROR, "writing %zu bytes at %llu: %s", size,
                         (unsigned long long)addr, strerror(errno));
            return -1;
        }
        if (addr + size > f->disk_eof)
            f->disk_eof = addr + size;
    } else {
        unsigned char *data = malloc(size ? size : 1);
        if (data == NULL || held_reserve(f, f->n_held + 1) < 0) {
            free(data);
            DRIVER_ERROR(H5E_CANTALLOC, "out of host memory holding a write of %zu bytes",
                         size);
            return -1;
        }
        memcpy(data, buf, size);
        f->held[f->n_held++] = (held_write){addr, size, type, data};
    }
    if (addr + size > f->eof)
        f->eof = addr + size;
    return 0;
}

static herr_t drv_flush(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    (void)dxpl;
    (void)closing;
    return commit((exo_h5_file *)file);
}

/* Called by HDF5 just before the flush: a file that grew is extended now
 * (harmless, and the superblock must not record an end the file lacks);
 * one that shrank is cut by the flush, after the metadata that stops
 * referring to its end. */
static herr_t drv_truncate(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    (void)dxpl;
    (void)closing;
    exo_h5_file *f = (exo_h5_file *)file;
    if (f->eoa > f->disk_eof) {
        if (ftruncate(f->fd, (off_t)f->eoa) < 0) {
            DRIVER_ERROR(H5E_SEEKERROR, "extending the file to %llu bytes: %s",
                         (unsigned long long)f->eoa, strerror(errno));
            return -1;
        }
        f->disk_eof = f->eoa;
        if (f->eof < f->eoa)
            f->eof = f->eoa;
    }
    return 0;
}

static herr_t drv_lock(H5FD_t *file, hbool_t rw)
{
    exo_h5_file *f = (exo_h5_file *)file;
    if (flock(f->fd, (rw ? LOCK_EX : LOCK_SH) | LOCK_NB) < 0 && errno != ENOSYS) {
        DRIVER_ERROR(H5E_CANTLOCKFILE, "locking the file: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static herr_t drv_unlock(H5FD_t *file)
{
    exo_h5_file *f = (exo_h5_file *)file;
    if (flock(f->fd, LOCK_UN) < 0 && errno != ENOSYS) {
        DRIVER_ERROR(H5E_CANTUNLOCKFILE, "unlocking the file: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static const H5FD_class_t driver_class = {
#if H5_VERSION_GE(1, 13, 2)
    .version = H5FD_CLASS_VERSION,
    .value = (H5FD_class_value_t)311,
#endif
    .name = "exobd_ordered",
    .maxaddr = (haddr_t)INT64_MAX,
    .fc_degree = H5F_CLOSE_WEAK,
    .open = drv_open,
    .close = drv_close,
    .cmp = drv_cmp,
    .query = drv_query,
    .get_eoa = drv_get_eoa,
    .set_eoa = drv_set_eoa,
    .get_eof = drv_get_eof,
    .get_handle = drv_get_handle,
    .read = drv_read,
    .write = drv_write,
    .flush = drv_flush,
    .truncate = drv_truncate,
    .lock = drv_lock,
    .unlock = drv_unlock,
    .fl_map = H5FD_FLMAP_DICHOTOMY,
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static hid_t driver_id = H5I_INVALID_HID;

static void register_driver(void)
{
    fault_init();
    driver_id = H5FDregister(&driver_class);
}

herr_t exo_h5_driver_select(hid_t fapl)
{
    pthread_once(&once, register_driver);
    if (driver_id < 0)
        return -1;
    return H5Pset_driver(fapl, driver_id, NULL);
}
