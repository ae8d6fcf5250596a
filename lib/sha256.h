/* SHA-256 (FIPS 180-4), for the content hash that tells an unchanged document
 * from a changed one across restarts. */
#ifndef HD_SHA256_H
#define HD_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct hd_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char buf[64];
    size_t fill;
};

void hd_sha256_init(struct hd_sha256 *c);
void hd_sha256_update(struct hd_sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex. */
void hd_sha256_hex(struct hd_sha256 *c, char hex[65]);

#endif
