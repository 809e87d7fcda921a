#ifndef SVLEDGER_CLMDB_SHIM_H
#define SVLEDGER_CLMDB_SHIM_H
#include <lmdb.h>
#endif
