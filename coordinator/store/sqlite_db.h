// SqliteDb: one SQLite connection (WAL, the pragmas every flamegrid database
// uses) and the statements prepared on it; Statement: one prepared statement
// borrowed from the connection's cache; Transaction: a savepoint that rolls
// back unless committed. Every SQLite error comes back as an IoError Status
// whose message names the SQL, never as a crash or an ignored return code.
//
// Not thread-safe: the owner (SqliteStore, FlockStore) serialises every call
// on one connection with its own mutex, and a Statement is used by one thread
// at a time. A Statement must not outlive its SqliteDb.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "renderer/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace flamegrid::coordinator {

// One prepared statement from SqliteDb::Prepare; resets itself (bindings
// cleared) when it goes out of scope, so the cached statement is ready for
// the next caller.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement() { Reset(); }

  // Ready to bind and step again.
  void Reset();

  // Parameters count from 1. A failed bind is reported by the next Step.
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v);
  Statement& Bind(int i, const std::string& v);
  Statement& Bind(int i, const char* v) { return Bind(i, std::string(v)); }

  // true: a row is ready to read; false: the statement is done.
  Result<bool> Step();

  // The current row's columns, counted from 0.
  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;

 private:
  friend class SqliteDb;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  sqlite3_stmt* stmt_;
  int bind_error_ = 0;  // the first failed bind's SQLite code, 0 when none
};

struct SqliteDbOptions {
  bool sync_full = false;  // PRAGMA synchronous=FULL instead of NORMAL
};

class SqliteDb {
 public:
  // Opens (creating it if needed) the database at `path` in WAL mode with
  // foreign keys on and a 5 s busy timeout.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path,
                                                const SqliteDbOptions& options = {});
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Runs one or more statements that return no rows.
  Status Exec(const std::string& sql);
  // The statement for `sql`, prepared once and cached for the connection's
  // life. Only one Statement per SQL text may be alive at a time.
  Result<Statement> Prepare(const std::string& sql);

  int64_t LastInsertRowId() const;
  // Rows the last INSERT, UPDATE or DELETE changed.
  int Changes() const;
  // Whether a transaction is open (false after SQLite rolled one back itself).
  bool InTransaction() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> cache_;
};

// A SAVEPOINT: outside a transaction it begins one, inside one it nests.
// Commit releases it; otherwise it is rolled back when it goes out of scope.
class Transaction {
 public:
  static Result<Transaction> Begin(SqliteDb* db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction() { (void)Rollback(); }

  Status Commit();
  // Undoes every change since Begin and ends the savepoint.
  Status Rollback();

 private:
  explicit Transaction(SqliteDb* db) : db_(db) {}

  SqliteDb* db_;  // null once committed or rolled back
};

}  // namespace flamegrid::coordinator
