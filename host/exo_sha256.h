/*
 * exo_sha256: SHA-256 (FIPS 180-4), for naming cached program binaries and
 * for logging which kernel source a run used.  Not for security.
 */
#ifndef EXO_SHA256_H
#define EXO_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct exo_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    uint8_t block[64];
    size_t used;
} exo_sha256;

void exo_sha256_init(exo_sha256 *s);
void exo_sha256_update(exo_sha256 *s, const void *data, size_t len);
/** Finish and write the digest as 64 lowercase hex digits + NUL. */
void exo_sha256_hex(exo_sha256 *s, char out[65]);

#endif /* EXO_SHA256_H */
