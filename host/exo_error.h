/*
 * exo_error: filling the error record.
 *
 * This module owns the rule "the first error wins" and the macros every
 * other module uses to check a condition and jump to its cleanup label.
 * Each foreign API has its own checking macro in the one module that
 * includes that API (EXO_CL in exo_cl.c, EXO_H5 in exo_h5.c); they are all
 * built on exo_error_set().  Nothing here prints or exits: only main() does.
 */
#ifndef EXO_ERROR_H
#define EXO_ERROR_H

#include <stdarg.h>
#include "exobd/exobd.h"

#if defined(__GNUC__)
#define EXO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EXO_PRINTF(a, b)
#endif

/** Record an error unless one is already recorded.  @p err may be NULL.
 *  Returns @p status so callers can `return exo_error_set(...)`. */
exo_status exo_error_set(exo_error *err, exo_status status, long native,
                         const char *file, int line, const char *func,
                         const char *fmt, ...) EXO_PRINTF(7, 8);

exo_status exo_error_vset(exo_error *err, exo_status status, long native,
                          const char *file, int line, const char *func,
                          const char *fmt, va_list ap);

/** Append text to the message of an already recorded error (build logs,
 *  HDF5 error stacks).  Truncates silently at the buffer size. */
void exo_error_append(exo_error *err, const char *fmt, ...) EXO_PRINTF(2, 3);

/** Clear the record. */
void exo_error_clear(exo_error *err);

/** Whether an error is recorded. */
static inline int exo_error_is_set(const exo_error *err)
{
    return err != NULL && err->status != EXO_OK;
}

#define EXO_ERROR(err, status, ...) \
    exo_error_set((err), (status), 0, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Check a run-time condition; on failure record the error, set `rc` and
 * `goto cleanup`.  The enclosing function must have `exo_status rc` and a
 * `cleanup:` label. */
#define EXO_CHECK(cond, err, status, ...)                                   \
    do {                                                                    \
        if (!(cond)) {                                                      \
            rc = exo_error_set((err), (status), 0, __FILE__, __LINE__,      \
                               __func__, __VA_ARGS__);                      \
            goto cleanup;                                                   \
        }                                                                   \
    } while (0)

/* Call a function returning exo_status; on failure keep its error and
 * `goto cleanup`. */
#define EXO_TRY(call)                                                       \
    do {                                                                    \
        rc = (call);                                                        \
        if (rc != EXO_OK)                                                   \
            goto cleanup;                                                   \
    } while (0)

/* Allocate or fail with EXO_ERR_NOMEM naming what was being allocated. */
/* Make the host array ptr (holding cap elements) hold at least count,
 * reallocating it (contents not kept) only when it is too small. */
#define EXO_GROW(ptr, cap, count, err, what)                                \
    do {                                                                    \
        size_t want_ = (size_t)(count);                                     \
        if (want_ > (cap)) {                                                \
            free(ptr);                                                      \
            (ptr) = NULL;                                                   \
            (cap) = 0;                                                      \
            EXO_ALLOC(ptr, want_, err, what);                               \
            (cap) = want_;                                                  \
        }                                                                   \
    } while (0)

#define EXO_ALLOC(ptr, count, err, what)                                    \
    do {                                                                    \
        size_t n_ = (size_t)(count);                                        \
        (ptr) = n_ ? calloc(n_, sizeof *(ptr)) : NULL;                      \
        EXO_CHECK(n_ == 0 || (ptr) != NULL, err, EXO_ERR_NOMEM,             \
                  "out of host memory allocating %zu x %zu bytes for %s",   \
                  n_, sizeof *(ptr), (what));                               \
    } while (0)

#endif /* EXO_ERROR_H */
