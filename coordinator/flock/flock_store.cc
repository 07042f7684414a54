#include "coordinator/flock/flock_store.h"

#include <sqlite3.h>

namespace flamegrid::coordinator::flock {
namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS votes(sequence_id INTEGER NOT NULL, participant INTEGER NOT NULL,
  value INTEGER NOT NULL, time_ms INTEGER NOT NULL, PRIMARY KEY(sequence_id, participant));
CREATE TABLE IF NOT EXISTS lineage(sequence_id INTEGER PRIMARY KEY, parent_a INTEGER NOT NULL,
  parent_b INTEGER NOT NULL, action TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS edges(sequence_id INTEGER PRIMARY KEY, from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL);
)";

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK;
  }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return ok_; }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int Step() { return sqlite3_step(s_); }
  int64_t Int(int c) { return sqlite3_column_int64(s_, c); }
  std::string Text(int c) {
    const unsigned char* t = sqlite3_column_text(s_, c);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

Status Error(sqlite3* db, const std::string& what) {
  return Status::IoError("flock store: " + what + ": " + sqlite3_errmsg(db));
}

}  // namespace

FlockStore::~FlockStore() { sqlite3_close(db_); }

Result<std::unique_ptr<FlockStore>> FlockStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Status s = Error(db, "open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<FlockStore> store(new FlockStore(db));
  FG_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  FG_RETURN_IF_ERROR(store->Exec(kSchema));
  return store;
}

Status FlockStore::Exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string m = message ? message : "?";
    sqlite3_free(message);
    return Status::IoError("flock store: " + m);
  }
  return Status::Ok();
}

Status FlockStore::PutVote(int64_t sequence_id, int64_t participant, int value, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT INTO votes(sequence_id, participant, value, time_ms) VALUES(?,?,?,?) "
         "ON CONFLICT(sequence_id, participant) DO UPDATE SET value=excluded.value, "
         "time_ms=excluded.time_ms");
  if (!s.ok()) return Error(db_, "prepare vote");
  s.Bind(1, sequence_id).Bind(2, participant).Bind(3, static_cast<int64_t>(value)).Bind(4, now_ms);
  if (s.Step() != SQLITE_DONE) return Error(db_, "record vote");
  return Status::Ok();
}

Result<std::vector<VoteEntry>> FlockStore::Votes() {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT sequence_id, participant, value FROM votes ORDER BY time_ms");
  if (!s.ok()) return Error(db_, "prepare votes");
  std::vector<VoteEntry> out;
  int rc = 0;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back({s.Int(0), s.Int(1), static_cast<int>(s.Int(2))});
  }
  if (rc != SQLITE_DONE) return Error(db_, "read votes");
  return out;
}

Status FlockStore::PutLineage(int64_t sequence_id, const Lineage& lineage) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT OR REPLACE INTO lineage(sequence_id, parent_a, parent_b, action) VALUES(?,?,?,?)");
  if (!s.ok()) return Error(db_, "prepare lineage");
  s.Bind(1, sequence_id)
      .Bind(2, lineage.parents.size() > 0 ? lineage.parents[0] : 0)
      .Bind(3, lineage.parents.size() > 1 ? lineage.parents[1] : 0)
      .Bind(4, lineage.action);
  if (s.Step() != SQLITE_DONE) return Error(db_, "record lineage");
  return Status::Ok();
}

Result<std::map<int64_t, Lineage>> FlockStore::AllLineage() {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT sequence_id, parent_a, parent_b, action FROM lineage");
  if (!s.ok()) return Error(db_, "prepare lineage");
  std::map<int64_t, Lineage> out;
  int rc = 0;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Lineage& l = out[s.Int(0)];
    if (s.Int(1) != 0) l.parents.push_back(s.Int(1));
    if (s.Int(2) != 0) l.parents.push_back(s.Int(2));
    l.action = s.Text(3);
  }
  if (rc != SQLITE_DONE) return Error(db_, "read lineage");
  return out;
}

Status FlockStore::PutEdge(int64_t sequence_id, int64_t from, int64_t to) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "INSERT OR REPLACE INTO edges(sequence_id, from_id, to_id) VALUES(?,?,?)");
  if (!s.ok()) return Error(db_, "prepare edge");
  s.Bind(1, sequence_id).Bind(2, from).Bind(3, to);
  if (s.Step() != SQLITE_DONE) return Error(db_, "record edge");
  return Status::Ok();
}

Result<std::map<int64_t, EdgeSpec>> FlockStore::Edges() {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT sequence_id, from_id, to_id FROM edges");
  if (!s.ok()) return Error(db_, "prepare edges");
  std::map<int64_t, EdgeSpec> out;
  int rc = 0;
  while ((rc = s.Step()) == SQLITE_ROW) out[s.Int(0)] = EdgeSpec{s.Int(1), s.Int(2)};
  if (rc != SQLITE_DONE) return Error(db_, "read edges");
  return out;
}

}  // namespace flamegrid::coordinator::flock
