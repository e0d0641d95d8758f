#include "state/sqlite_error.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace berth::state {

ErrorCode code_from_sqlite(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return ErrorCode::kAlreadyExists;
    case SQLITE_CONSTRAINT_NOTNULL: return ErrorCode::kInvalidArgument;
    default: break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::kUnavailable;
    case SQLITE_CONSTRAINT: return ErrorCode::kFailedPrecondition;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ErrorCode::kDataLoss;
    case SQLITE_FULL:
    case SQLITE_NOMEM: return ErrorCode::kResourceExhausted;
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_READONLY: return ErrorCode::kPermissionDenied;
    case SQLITE_CANTOPEN: return ErrorCode::kNotFound;
    case SQLITE_INTERRUPT: return ErrorCode::kCancelled;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:
    default: return ErrorCode::kInternal;
  }
}

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const char* msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error(code_from_sqlite(rc), fmt::format("sqlite: {}: {}", what, msg));
}

}  // namespace berth::state
