#ifndef SVLEDGER_CLMDB_SHIM_H
#define SVLEDGER_CLMDB_SHIM_H
#include <lmdb.h>

/* Asks the processor to start bringing `count` bytes at `start` (a value in LMDB's map) into
   its caches, one 64-byte line at a time, while it works on something else: a reader of the
   log in order reads each value once, and a cache miss at its first bytes cost a fold as much
   as parsing them. A hint only: nothing is read, and no fault is taken. */
static inline void svledger_prefetch(const void *start, size_t count) {
    const char *bytes = (const char *)start;
    for (size_t offset = 0; offset < count; offset += 64) __builtin_prefetch(bytes + offset, 0, 3);
}
#endif
