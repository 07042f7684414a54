#include "coordinator/store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace flamegrid::coordinator {
namespace {

// "sqlite: UNIQUE constraint failed: t.id (in \"INSERT INTO t ...\")".
Status SqliteError(sqlite3* db, const std::string& sql) {
  return Status::IoError(std::string("sqlite: ") + (db ? sqlite3_errmsg(db) : "out of memory") +
                         " (in \"" + sql + "\")");
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

void Statement::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

Statement& Statement::Bind(int i, int64_t v) {
  const int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int i, double v) {
  const int rc = sqlite3_bind_double(stmt_, i, v);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int i, const std::string& v) {
  const int rc =
      sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) {
    return Status::IoError(std::string("sqlite: bind: ") + sqlite3_errstr(bind_error_) + " (in \"" +
                           sqlite3_sql(stmt_) + "\")");
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(stmt_), sqlite3_sql(stmt_));
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::Real(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::Text(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
              : std::string();
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path,
                                                 const SqliteDbOptions& options) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return Status::IoError("cannot open database " + path + ": " + message);
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(handle));
  sqlite3_busy_timeout(handle, 5000);
  FG_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  FG_RETURN_IF_ERROR(
      db->Exec(options.sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  FG_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  return db;
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteDb::Exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return Status::IoError("sqlite: " + text + " (in \"" + sql + "\")");
  }
  return Status::Ok();
}

Result<Statement> SqliteDb::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(stmt);
      return SqliteError(db_, sql);
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(it->second);
}

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDb::Changes() const { return sqlite3_changes(db_); }

bool SqliteDb::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Result<Transaction> Transaction::Begin(SqliteDb* db) {
  FG_RETURN_IF_ERROR(db->Exec("SAVEPOINT fg_transaction"));
  return Transaction(db);
}

Status Transaction::Commit() {
  if (db_ == nullptr) return Status::FailedPrecondition("sqlite: the transaction has ended");
  SqliteDb* db = std::exchange(db_, nullptr);
  return db->Exec("RELEASE fg_transaction");
}

Status Transaction::Rollback() {
  if (db_ == nullptr) return Status::Ok();
  SqliteDb* db = std::exchange(db_, nullptr);
  Status rollback = db->Exec("ROLLBACK TO fg_transaction");
  // RELEASE ends the savepoint even when SQLite already rolled everything back.
  Status release = db->Exec("RELEASE fg_transaction");
  return rollback.ok() ? release : rollback;
}

}  // namespace flamegrid::coordinator
