#include "coordinator/flock/flock_store.h"

#include "coordinator/store/sqlite_db.h"

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

// Columns later versions added to the votes table (a vote recorded before
// them weighs 1 and has no address).
constexpr const char* kVoteColumnsAdded[][2] = {
    {"weight", "ALTER TABLE votes ADD COLUMN weight REAL NOT NULL DEFAULT 1"},
    {"address", "ALTER TABLE votes ADD COLUMN address TEXT NOT NULL DEFAULT ''"},
};

Status AddMissingVoteColumns(SqliteDb& db) {
  for (const auto& [column, sql] : kVoteColumnsAdded) {
    FG_ASSIGN_OR_RETURN(Statement s,
                        db.Prepare("SELECT COUNT(*) FROM pragma_table_info('votes') WHERE name=?"));
    s.Bind(1, std::string(column));
    FG_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row && s.Int(0) > 0) continue;
    FG_RETURN_IF_ERROR(db.Exec(sql));
  }
  return db.Exec("CREATE INDEX IF NOT EXISTS votes_by_address ON votes(sequence_id, address)");
}

}  // namespace

FlockStore::FlockStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

FlockStore::~FlockStore() = default;

Result<std::unique_ptr<FlockStore>> FlockStore::Open(const std::string& path) {
  FG_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path));
  FG_RETURN_IF_ERROR(db->Exec(kSchema).WithContext("flock store"));
  FG_RETURN_IF_ERROR(AddMissingVoteColumns(*db).WithContext("flock store"));
  return std::unique_ptr<FlockStore>(new FlockStore(std::move(db)));
}

Status FlockStore::PutVote(int64_t sequence_id, int64_t participant, int value, double weight,
                           const std::string& address, int64_t now_ms) {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("INSERT INTO votes(sequence_id, participant, value, time_ms, weight, address) "
                   "VALUES(?,?,?,?,?,?) ON CONFLICT(sequence_id, participant) DO UPDATE SET "
                   "value=excluded.value, time_ms=excluded.time_ms, weight=excluded.weight, "
                   "address=excluded.address"));
  s.Bind(1, sequence_id).Bind(2, participant).Bind(3, value).Bind(4, now_ms);
  s.Bind(5, weight).Bind(6, address);
  return s.Step().status().WithContext("flock store: record vote");
}

Result<int64_t> FlockStore::VotersFrom(int64_t sequence_id, const std::string& address,
                                       int64_t participant) {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(Statement s,
                      db_->Prepare("SELECT COUNT(*) FROM votes WHERE sequence_id=? AND address=? "
                                   "AND participant!=?"));
  s.Bind(1, sequence_id).Bind(2, address).Bind(3, participant);
  FG_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<std::vector<VoteEntry>> FlockStore::Votes() {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT sequence_id, participant, value, weight FROM votes ORDER BY time_ms"));
  std::vector<VoteEntry> out;
  for (;;) {
    FG_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), s.Int(1), static_cast<int>(s.Int(2)), s.Real(3)});
  }
  return out;
}

Status FlockStore::PutLineage(int64_t sequence_id, const Lineage& lineage) {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("INSERT OR REPLACE INTO lineage(sequence_id, parent_a, parent_b, action) "
                   "VALUES(?,?,?,?)"));
  s.Bind(1, sequence_id)
      .Bind(2, lineage.parents.size() > 0 ? lineage.parents[0] : 0)
      .Bind(3, lineage.parents.size() > 1 ? lineage.parents[1] : 0)
      .Bind(4, lineage.action);
  return s.Step().status().WithContext("flock store: record lineage");
}

Result<std::map<int64_t, Lineage>> FlockStore::AllLineage() {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(Statement s,
                      db_->Prepare("SELECT sequence_id, parent_a, parent_b, action FROM lineage"));
  std::map<int64_t, Lineage> out;
  for (;;) {
    FG_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    Lineage& l = out[s.Int(0)];
    if (s.Int(1) != 0) l.parents.push_back(s.Int(1));
    if (s.Int(2) != 0) l.parents.push_back(s.Int(2));
    l.action = s.Text(3);
  }
  return out;
}

Status FlockStore::PutEdge(int64_t sequence_id, int64_t from, int64_t to) {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("INSERT OR REPLACE INTO edges(sequence_id, from_id, to_id) VALUES(?,?,?)"));
  s.Bind(1, sequence_id).Bind(2, from).Bind(3, to);
  return s.Step().status().WithContext("flock store: record edge");
}

Result<std::map<int64_t, EdgeSpec>> FlockStore::Edges() {
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(Statement s, db_->Prepare("SELECT sequence_id, from_id, to_id FROM edges"));
  std::map<int64_t, EdgeSpec> out;
  for (;;) {
    FG_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out[s.Int(0)] = EdgeSpec{s.Int(1), s.Int(2)};
  }
  return out;
}

}  // namespace flamegrid::coordinator::flock
