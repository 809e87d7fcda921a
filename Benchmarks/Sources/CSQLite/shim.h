#ifndef SVLEDGER_CSQLITE_SHIM_H
#define SVLEDGER_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
