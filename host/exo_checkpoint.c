/*
 * exo_checkpoint: see exo_checkpoint.h.
 */
#include "exo_checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exo_comm.h"
#include "exo_error.h"
#include "exo_sha256.h"

#define DIGEST_BYTES 32
/* Pieces a split field is streamed to rank 0 in, and read in to check the
 * digest: memory stays bounded whatever the run's size. */
#define PIECE_BYTES ((size_t)16 << 20)

struct exo_ckpt {
    int writing;
    int shared;               /* the ranks of an MPI run share it          */
    int writer;               /* this process writes the file (rank 0)     */
    char *path, *tmp;
    FILE *f;                  /* writing, on the writer                    */
    int fd;                   /* reading                                   */
    uint64_t size, at;        /* reading: bytes before the digest; cursor  */
    exo_sha256 sha;
    exo_status failed;        /* writing shared: the writer's first failure,
                                 reported by finish so that every rank gets
                                 there and agrees on it                    */
    exo_error failure;
    unsigned char *piece;     /* [PIECE_BYTES] the writer's receive buffer */
    uint64_t *counts;         /* [ranks] elements of a split field per rank */
};

/* The raw digest (exo_sha256_hex gives hex): decode it. */
static void digest(exo_sha256 *sha, unsigned char out[DIGEST_BYTES])
{
    char hex[65];
    exo_sha256_hex(sha, hex);
    for (int i = 0; i < DIGEST_BYTES; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
}

static void ckpt_free(exo_ckpt *c)
{
    if (c == NULL)
        return;
    if (c->f)
        fclose(c->f);
    if (c->fd >= 0)
        close(c->fd);
    free(c->piece);
    free(c->counts);
    free(c->path);
    free(c->tmp);
    free(c);
}

static exo_status ckpt_new(exo_ckpt **out, const char *path, int writing, int shared,
                           exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_ckpt *c = NULL;
    EXO_ALLOC(c, 1, err, "a checkpoint");
    c->fd = -1;
    c->writing = writing;
    c->shared = shared && exo_comm_size() > 1;
    c->writer = !c->shared || exo_comm_rank() == 0;
    size_t len = strlen(path);
    EXO_ALLOC(c->path, len + 1, err, "a checkpoint path");
    EXO_ALLOC(c->tmp, len + 5, err, "a checkpoint path");
    memcpy(c->path, path, len + 1);
    snprintf(c->tmp, len + 5, "%s.tmp", path);
    EXO_ALLOC(c->counts, exo_comm_size(), err, "a checkpoint's parts");
    if (c->shared && c->writer && writing)
        EXO_ALLOC(c->piece, PIECE_BYTES, err, "a checkpoint's parts");
    *out = c;
    return EXO_OK;
cleanup:
    ckpt_free(c);
    return rc;
}

exo_status exo_ckpt_create(exo_ckpt **out, const char *path, int shared, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_ckpt *c = NULL;
    *out = NULL;
    EXO_TRY(ckpt_new(&c, path, 1, shared, err));
    if (c->writer) {
        errno = 0;
        c->f = fopen(c->tmp, "wb");
        EXO_CHECK(c->f != NULL, err, EXO_ERR_IO, "cannot write the checkpoint %s: %s", c->tmp,
                  strerror(errno));
    }
    exo_sha256_init(&c->sha);
cleanup:
    if (c && c->shared)
        rc = exo_comm_agree(rc, err);
    if (rc == EXO_OK)
        *out = c;
    else
        exo_ckpt_abandon(c);
    return rc;
}

/* Read bytes at offset `at` of the open checkpoint. */
static exo_status read_at(exo_ckpt *c, void *data, size_t bytes, uint64_t at,
                          const char *what, exo_error *err)
{
    exo_status rc = EXO_OK;
    for (size_t done = 0; done < bytes;) {
        errno = 0;
        ssize_t got = pread(c->fd, (char *)data + done, bytes - done, (off_t)(at + done));
        EXO_CHECK(got > 0, err, EXO_ERR_IO, "cannot read %s from %s: %s", what, c->path,
                  got == 0 ? "it ends early" : strerror(errno));
        done += (size_t)got;
    }
cleanup:
    return rc;
}

/* The digest of everything before the last DIGEST_BYTES, read piece by
 * piece, against those bytes. */
static exo_status check_digest(exo_ckpt *c, exo_error *err)
{
    exo_status rc = EXO_OK;
    unsigned char *buf = NULL, want[DIGEST_BYTES], have[DIGEST_BYTES];
    exo_sha256 sha;
    exo_sha256_init(&sha);
    EXO_ALLOC(buf, PIECE_BYTES, err, "reading the checkpoint");
    for (uint64_t at = 0; at < c->size;) {
        size_t piece = c->size - at < PIECE_BYTES ? (size_t)(c->size - at) : PIECE_BYTES;
        EXO_TRY(read_at(c, buf, piece, at, "its contents", err));
        exo_sha256_update(&sha, buf, piece);
        at += piece;
    }
    EXO_TRY(read_at(c, have, DIGEST_BYTES, c->size, "its checksum", err));
    digest(&sha, want);
    EXO_CHECK(memcmp(want, have, DIGEST_BYTES) == 0, err, EXO_ERR_INVALID,
              "%s is damaged or truncated (its checksum does not match)", c->path);
cleanup:
    free(buf);
    return rc;
}

exo_status exo_ckpt_open(exo_ckpt **out, const char *path, int shared, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_ckpt *c = NULL;
    *out = NULL;
    EXO_TRY(ckpt_new(&c, path, 0, shared, err));
    errno = 0;
    c->fd = open(path, O_RDONLY);
    EXO_CHECK(c->fd >= 0, err, EXO_ERR_INVALID, "cannot open the checkpoint %s: %s", path,
              strerror(errno));
    struct stat st;
    EXO_CHECK(fstat(c->fd, &st) == 0, err, EXO_ERR_IO, "cannot read %s: %s", path,
              strerror(errno));
    EXO_CHECK(st.st_size > DIGEST_BYTES, err, EXO_ERR_INVALID,
              "%s is not an exobd checkpoint (%lld bytes)", path, (long long)st.st_size);
    c->size = (uint64_t)st.st_size - DIGEST_BYTES;
    if (c->writer)
        EXO_TRY(check_digest(c, err));
cleanup:
    if (c && c->shared)
        rc = exo_comm_agree(rc, err);
    if (rc == EXO_OK)
        *out = c;
    else
        ckpt_free(c);
    return rc;
}

/* Writing, on the writer: `bytes` at data to the file and the digest.  A
 * shared checkpoint's writer keeps its first failure for finish, which
 * every rank reaches and agrees on, and goes on taking part (writing no
 * more), so that no rank waits on it in vain; one process fails at once. */
static exo_status put(exo_ckpt *c, const void *data, size_t bytes, const char *what,
                      exo_error *err)
{
    if (c->failed != EXO_OK || bytes == 0)
        return EXO_OK;
    errno = 0;
    if (fwrite(data, 1, bytes, c->f) == bytes) {
        exo_sha256_update(&c->sha, data, bytes);
        return EXO_OK;
    }
    exo_error *to = c->shared ? &c->failure : err;
    exo_status rc = EXO_ERROR(to, EXO_ERR_IO, "writing %s to the checkpoint %s: %s", what,
                              c->tmp, strerror(errno));
    if (!c->shared)
        return rc;
    c->failed = rc;
    return EXO_OK;
}

exo_status exo_ckpt_field(exo_ckpt *c, void *data, size_t bytes, const char *what,
                          exo_error *err)
{
    exo_status rc = EXO_OK;
    if (bytes == 0)
        return EXO_OK;
    if (c->writing) /* rank 0 writes what every rank holds alike */
        return c->writer ? put(c, data, bytes, what, err) : EXO_OK;
    EXO_CHECK(bytes <= c->size - c->at, err, EXO_ERR_INVALID,
              "%s ends before its %s: it was written for another scenario or version",
              c->path, what);
    EXO_TRY(read_at(c, data, bytes, c->at, what, err));
    c->at += bytes;
cleanup:
    return rc;
}

exo_status exo_ckpt_part(exo_ckpt *c, void *data, size_t elem, uint64_t first,
                         uint64_t count, uint64_t total, const char *what, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (!c->shared)
        return exo_ckpt_field(c, data, (size_t)(count * elem), what, err);
    if (!c->writing) {
        EXO_CHECK(total * elem <= c->size - c->at, err, EXO_ERR_INVALID,
                  "%s ends before its %s: it was written for another scenario or version",
                  c->path, what);
        if (count)
            EXO_TRY(read_at(c, data, (size_t)(count * elem), c->at + first * elem, what, err));
        c->at += total * elem;
        return EXO_OK;
    }
    /* Rank 0 writes its part, then each rank's in turn as it arrives. */
    int size = exo_comm_size();
    EXO_TRY(exo_comm_allgather_u64(count, c->counts, err));
    if (!c->writer) {
        for (size_t at = 0, bytes = (size_t)(count * elem); at < bytes; at += PIECE_BYTES)
            EXO_TRY(exo_comm_send((char *)data + at,
                                  bytes - at < PIECE_BYTES ? bytes - at : PIECE_BYTES, 0, err));
        return EXO_OK;
    }
    uint64_t sum = 0;
    for (int r = 0; r < size; r++)
        sum += c->counts[r];
    EXO_CHECK(sum == total && first == 0, err, EXO_ERR_INVALID,
              "the ranks' parts of %s hold %llu of %llu elements", what,
              (unsigned long long)sum, (unsigned long long)total);
    EXO_TRY(put(c, data, (size_t)(count * elem), what, err));
    for (int r = 1; r < size; r++) {
        size_t bytes = (size_t)(c->counts[r] * elem);
        for (size_t at = 0; at < bytes; at += PIECE_BYTES) {
            size_t piece = bytes - at < PIECE_BYTES ? bytes - at : PIECE_BYTES;
            EXO_TRY(exo_comm_recv(c->piece, piece, r, err));
            EXO_TRY(put(c, c->piece, piece, what, err));
        }
    }
cleanup:
    return rc;
}

/* Writing, on the writer: the digest, fsync, and the rename into place. */
static exo_status seal(exo_ckpt *c, exo_error *err)
{
    exo_status rc = EXO_OK;
    unsigned char d[DIGEST_BYTES];
    digest(&c->sha, d);
    errno = 0;
    EXO_CHECK(fwrite(d, 1, sizeof d, c->f) == sizeof d && fflush(c->f) == 0, err, EXO_ERR_IO,
              "writing the checkpoint %s: %s", c->tmp, strerror(errno));
    EXO_CHECK(fsync(fileno(c->f)) == 0, err, EXO_ERR_IO, "flushing the checkpoint %s to disk: %s",
              c->tmp, strerror(errno));
    int closed = fclose(c->f);
    c->f = NULL;
    EXO_CHECK(closed == 0, err, EXO_ERR_IO, "closing the checkpoint %s: %s", c->tmp,
              strerror(errno));
    EXO_CHECK(rename(c->tmp, c->path) == 0, err, EXO_ERR_IO, "renaming %s to %s: %s", c->tmp,
              c->path, strerror(errno));
    /* The rename itself reaches the disk with the folder. */
    char *slash = strrchr(c->path, '/');
    char *dir = slash ? strndup(c->path, (size_t)(slash - c->path) + (slash == c->path)) : NULL;
    int fd = open(dir ? dir : ".", O_RDONLY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it on folders */
        close(fd);
    }
    free(dir);
cleanup:
    return rc;
}

exo_status exo_ckpt_finish(exo_ckpt *c, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (!c->writing) {
        EXO_CHECK(c->at == c->size, err, EXO_ERR_INVALID,
                  "%s holds %llu bytes more than this version of exobd reads", c->path,
                  (unsigned long long)(c->size - c->at));
        goto cleanup;
    }
    if (c->writer) {
        if (c->failed != EXO_OK) {
            if (err && !exo_error_is_set(err))
                *err = c->failure;
            rc = c->failed;
        } else {
            rc = seal(c, err);
        }
        if (rc != EXO_OK) {
            if (c->f) {
                fclose(c->f);
                c->f = NULL;
            }
            unlink(c->tmp);
        }
    }
cleanup:
    if (c->shared && c->writing)
        rc = exo_comm_agree(rc, err);
    ckpt_free(c);
    return rc;
}

void exo_ckpt_abandon(exo_ckpt *c)
{
    if (c == NULL)
        return;
    if (c->writing && c->writer) {
        if (c->f)
            fclose(c->f);
        c->f = NULL;
        unlink(c->tmp);
    }
    ckpt_free(c);
}

const char *exo_ckpt_path(const exo_ckpt *c) { return c->path; }
