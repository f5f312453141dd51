/*
 * gloam.h: the Gloam contract interface for C contracts (the C side of gloam-sdk).
 *
 * Build: clang-14 --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--allow-undefined
 *        -Wl,--export=ENTRY contract.c -o contract.wasm
 *
 * gloam_read_public / gloam_read_private copy up to `len` next bytes of the public / private
 * input stream to `ptr` and return how many (0 past the end); gloam_commit appends `len`
 * bytes at `ptr` to the journal. A proof's statement holds the public input and the journal;
 * the private input appears nowhere in it, and is whatever the prover chose: check it.
 *
 * The typed helpers use gloam-sdk's canonical encoding (sdk/src/codec.rs): integers
 * little-endian, fixed size, no padding. A helper that cannot read a whole value traps
 * (__builtin_trap), so the run has no proof.
 */
#ifndef GLOAM_H
#define GLOAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GLOAM_IMPORT(name) __attribute__((import_module("gloam"), import_name(name)))

GLOAM_IMPORT("read_public") uint32_t gloam_read_public(void *ptr, uint32_t len);
GLOAM_IMPORT("read_private") uint32_t gloam_read_private(void *ptr, uint32_t len);
GLOAM_IMPORT("commit") void gloam_commit(const void *ptr, uint32_t len);

/* Exports a contract entry under `name` (wasm-ld honours export_name without --export). */
#define GLOAM_EXPORT(name) __attribute__((export_name(#name)))

static inline void gloam_read_public_exact(void *ptr, uint32_t len) {
    if (gloam_read_public(ptr, len) != len) __builtin_trap();
}

static inline void gloam_read_private_exact(void *ptr, uint32_t len) {
    if (gloam_read_private(ptr, len) != len) __builtin_trap();
}

static inline uint64_t gloam_le64(const uint8_t b[8]) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
    return v;
}

static inline uint32_t gloam_le32(const uint8_t b[4]) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The next u32 / u64 of the public or private input. */
static inline uint32_t gloam_public_u32(void) { uint8_t b[4]; gloam_read_public_exact(b, 4); return gloam_le32(b); }
static inline uint64_t gloam_public_u64(void) { uint8_t b[8]; gloam_read_public_exact(b, 8); return gloam_le64(b); }
static inline uint32_t gloam_private_u32(void) { uint8_t b[4]; gloam_read_private_exact(b, 4); return gloam_le32(b); }
static inline uint64_t gloam_private_u64(void) { uint8_t b[8]; gloam_read_private_exact(b, 8); return gloam_le64(b); }

/* Appends a u32 / u64 to the journal. */
static inline void gloam_commit_u32(uint32_t v) {
    uint8_t b[4];
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
    gloam_commit(b, 4);
}
static inline void gloam_commit_u64(uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    gloam_commit(b, 8);
}

#ifdef __cplusplus
}
#endif

#endif /* GLOAM_H */
