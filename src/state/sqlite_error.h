// Internal: SQLite result codes as Berth errors.
#pragma once

#include <string_view>

#include "base/error.h"

struct sqlite3;

namespace berth::state {

// The canonical code for an (extended) SQLite result code: busy/locked -> kUnavailable,
// constraint violations -> kAlreadyExists (unique) or kFailedPrecondition (foreign key, check),
// corruption -> kDataLoss, disk full -> kResourceExhausted, the rest -> kInternal.
ErrorCode code_from_sqlite(int rc);

// "sqlite: <what>: <message of the connection's last error>".
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace berth::state
