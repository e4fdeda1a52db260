/*
 * exo_checkpoint: see exo_checkpoint.h.
 */
#include "exo_checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exo_error.h"
#include "exo_sha256.h"

#define DIGEST_BYTES 32

struct exo_ckpt {
    int writing;
    char *path, *tmp;
    FILE *f;                  /* writing */
    unsigned char *buf;       /* reading: the whole file */
    size_t size, at;
    exo_sha256 sha;
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
    free(c->buf);
    free(c->path);
    free(c->tmp);
    free(c);
}

exo_status exo_ckpt_create(exo_ckpt **out, const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_ckpt *c = NULL;
    *out = NULL;
    EXO_ALLOC(c, 1, err, "a checkpoint");
    c->writing = 1;
    size_t len = strlen(path);
    EXO_ALLOC(c->path, len + 1, err, "a checkpoint path");
    EXO_ALLOC(c->tmp, len + 5, err, "a checkpoint path");
    memcpy(c->path, path, len + 1);
    snprintf(c->tmp, len + 5, "%s.tmp", path);
    errno = 0;
    c->f = fopen(c->tmp, "wb");
    EXO_CHECK(c->f != NULL, err, EXO_ERR_IO, "cannot write the checkpoint %s: %s", c->tmp,
              strerror(errno));
    exo_sha256_init(&c->sha);
    *out = c;
    c = NULL;
cleanup:
    ckpt_free(c);
    return rc;
}

exo_status exo_ckpt_open(exo_ckpt **out, const char *path, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_ckpt *c = NULL;
    FILE *f = NULL;
    *out = NULL;
    EXO_ALLOC(c, 1, err, "a checkpoint");
    size_t len = strlen(path);
    EXO_ALLOC(c->path, len + 1, err, "a checkpoint path");
    memcpy(c->path, path, len + 1);
    errno = 0;
    f = fopen(path, "rb");
    EXO_CHECK(f != NULL, err, EXO_ERR_INVALID, "cannot open the checkpoint %s: %s", path,
              strerror(errno));
    EXO_CHECK(fseek(f, 0, SEEK_END) == 0, err, EXO_ERR_IO, "cannot read %s: %s", path,
              strerror(errno));
    long size = ftell(f);
    EXO_CHECK(size >= 0 && fseek(f, 0, SEEK_SET) == 0, err, EXO_ERR_IO, "cannot read %s: %s",
              path, strerror(errno));
    EXO_CHECK(size > DIGEST_BYTES, err, EXO_ERR_INVALID,
              "%s is not an exobd checkpoint (%ld bytes)", path, size);
    EXO_ALLOC(c->buf, (size_t)size, err, "the checkpoint");
    EXO_CHECK(fread(c->buf, 1, (size_t)size, f) == (size_t)size, err, EXO_ERR_IO,
              "cannot read %s: %s", path, strerror(errno));
    c->size = (size_t)size - DIGEST_BYTES;
    exo_sha256 sha;
    unsigned char want[DIGEST_BYTES];
    exo_sha256_init(&sha);
    exo_sha256_update(&sha, c->buf, c->size);
    digest(&sha, want);
    EXO_CHECK(memcmp(want, c->buf + c->size, DIGEST_BYTES) == 0, err, EXO_ERR_INVALID,
              "%s is damaged or truncated (its checksum does not match)", path);
    *out = c;
    c = NULL;
cleanup:
    if (f)
        fclose(f);
    ckpt_free(c);
    return rc;
}

exo_status exo_ckpt_field(exo_ckpt *c, void *data, size_t bytes, const char *what,
                          exo_error *err)
{
    exo_status rc = EXO_OK;
    if (bytes == 0)
        return EXO_OK;
    if (c->writing) {
        errno = 0;
        EXO_CHECK(fwrite(data, 1, bytes, c->f) == bytes, err, EXO_ERR_IO,
                  "writing %s to the checkpoint %s: %s", what, c->tmp, strerror(errno));
        exo_sha256_update(&c->sha, data, bytes);
    } else {
        EXO_CHECK(bytes <= c->size - c->at, err, EXO_ERR_INVALID,
                  "%s ends before its %s: it was written for another scenario or version",
                  c->path, what);
        memcpy(data, c->buf + c->at, bytes);
        c->at += bytes;
    }
cleanup:
    return rc;
}

exo_status exo_ckpt_finish(exo_ckpt *c, exo_error *err)
{
    exo_status rc = EXO_OK;
    if (!c->writing) {
        EXO_CHECK(c->at == c->size, err, EXO_ERR_INVALID,
                  "%s holds %zu bytes more than this version of exobd reads", c->path,
                  c->size - c->at);
        goto cleanup;
    }
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
    if (rc != EXO_OK && c->writing) {
        if (c->f) {
            fclose(c->f);
            c->f = NULL;
        }
        unlink(c->tmp);
    }
    ckpt_free(c);
    return rc;
}

void exo_ckpt_abandon(exo_ckpt *c)
{
    if (c == NULL)
        return;
    if (c->writing) {
        if (c->f)
            fclose(c->f);
        c->f = NULL;
        unlink(c->tmp);
    }
    ckpt_free(c);
}

const char *exo_ckpt_path(const exo_ckpt *c) { return c->path; }
