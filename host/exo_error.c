/*
 * exo_error: see exo_error.h.
 */
#include "exo_error.h"

#include <stdio.h>
#include <string.h>

const char *exo_status_name(exo_status s)
{
    switch (s) {
    case EXO_OK: return "EXO_OK";
    case EXO_ERR_NOMEM: return "EXO_ERR_NOMEM";
    case EXO_ERR_INVALID: return "EXO_ERR_INVALID";
    case EXO_ERR_CONFIG: return "EXO_ERR_CONFIG";
    case EXO_ERR_OPENCL: return "EXO_ERR_OPENCL";
    case EXO_ERR_HDF5: return "EXO_ERR_HDF5";
    case EXO_ERR_IO: return "EXO_ERR_IO";
    case EXO_ERR_INTERRUPTED: return "EXO_ERR_INTERRUPTED";
    case EXO_ERR_MPI: return "EXO_ERR_MPI";
    }
    return "EXO_ERR_UNKNOWN";
}

int exo_status_exit_code(exo_status s)
{
    switch (s) {
    case EXO_OK: return 0;
    case EXO_ERR_CONFIG:
    case EXO_ERR_INVALID: return 2;
    case EXO_ERR_INTERRUPTED: return 130;
    default: return 1;
    }
}

exo_status exo_error_vset(exo_error *err, exo_status status, long native,
                          const char *file, int line, const char *func,
                          const char *fmt, va_list ap)
{
    if (err == NULL || err->status != EXO_OK)
        return status;
    err->status = status;
    err->native = native;
    snprintf(err->where, sizeof err->where, "%s:%d %s()", file, line, func);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return status;
}

exo_status exo_error_set(exo_error *err, exo_status status, long native,
                         const char *file, int line, const char *func,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    exo_error_vset(err, status, native, file, line, func, fmt, ap);
    va_end(ap);
    return status;
}

void exo_error_append(exo_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    size_t used = strlen(err->msg);
    if (used + 1 >= sizeof err->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + used, sizeof err->msg - used, fmt, ap);
    va_end(ap);
}

void exo_error_clear(exo_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}
