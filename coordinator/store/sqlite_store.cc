// SqliteStore: the Store on one SQLite connection in WAL mode, serialised by a
// mutex, with group commit (see InTransaction). Prepared statements are cached
// for the hot paths (lease, upload). Thread-safe.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "coordinator/store/sqlite_db.h"
#include "coordinator/store/store.h"
#include "coordinator/web/metrics.h"

namespace flamegrid::coordinator {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sequences(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
  frames INTEGER NOT NULL, frames_done INTEGER NOT NULL DEFAULT 0,
  width INTEGER NOT NULL, height INTEGER NOT NULL, quality REAL NOT NULL,
  crf INTEGER NOT NULL, fps INTEGER NOT NULL, seed INTEGER NOT NULL,
  genome_xml TEXT NOT NULL, control_points_xml TEXT NOT NULL,
  video_path TEXT NOT NULL DEFAULT '', failure TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jobs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sequence_id INTEGER NOT NULL REFERENCES sequences(id), frame INTEGER NOT NULL,
  state TEXT NOT NULL, lease_id INTEGER NOT NULL DEFAULT 0, worker_id INTEGER NOT NULL DEFAULT 0,
  deadline_ms INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
  result_path TEXT NOT NULL DEFAULT '', updated_ms INTEGER NOT NULL DEFAULT 0,
  leased_ms INTEGER NOT NULL DEFAULT 0,
  UNIQUE(sequence_id, frame));
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs(state, id);
CREATE INDEX IF NOT EXISTS jobs_by_lease ON jobs(lease_id);
CREATE INDEX IF NOT EXISTS jobs_by_deadline ON jobs(deadline_ms) WHERE state IN ('leased', 'replica_leased');
CREATE TABLE IF NOT EXISTS results(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL REFERENCES jobs(id), worker_id INTEGER NOT NULL,
  path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
  state TEXT NOT NULL, check_kind TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS results_by_job ON results(job_id);
CREATE INDEX IF NOT EXISTS results_by_worker ON results(worker_id, state);
CREATE TABLE IF NOT EXISTS workers(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL, token_hash TEXT NOT NULL, threads INTEGER NOT NULL,
  valid_results INTEGER NOT NULL DEFAULT 0, invalid_results INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL, verified_results INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0, address TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS job_failures(
  job_id INTEGER NOT NULL REFERENCES jobs(id), worker_id INTEGER NOT NULL,
  trusted INTEGER NOT NULL, PRIMARY KEY(job_id, worker_id));
)sql";

// Columns added since the first schema: a database made before them gets
// them on open (CREATE TABLE IF NOT EXISTS leaves an old table as it is).
struct AddedColumn {
  const char* table;
  const char* name;
  const char* definition;
};
constexpr AddedColumn kAddedColumns[] = {
    {"jobs", "leased_ms", "INTEGER NOT NULL DEFAULT 0"},
    {"workers", "verified_results", "INTEGER NOT NULL DEFAULT 0"},
    {"workers", "failures", "INTEGER NOT NULL DEFAULT 0"},
    {"workers", "address", "TEXT NOT NULL DEFAULT ''"},
};
// Indexes on added columns come after them.
constexpr const char* kLateIndexes = R"sql(
CREATE INDEX IF NOT EXISTS jobs_held_by_worker ON jobs(worker_id) WHERE state IN ('leased', 'replica_leased');
)sql";

constexpr const char* kSequenceColumns =
    "id, kind, name, state, frames, frames_done, width, height, quality, crf, fps, seed, "
    "video_path, failure, created_ms";
constexpr const char* kJobColumns =
    "id, sequence_id, frame, state, lease_id, worker_id, deadline_ms, attempts, failures, "
    "last_error, result_path, leased_ms";
// A result with its job's sequence and frame: its columns and its FROM clause.
constexpr const char* kResultColumns =
    "results.id, results.job_id, results.worker_id, results.path, results.sha256, results.size, "
    "results.state, results.check_kind, jobs.sequence_id, jobs.frame";
constexpr const char* kResultsFrom = " FROM results JOIN jobs ON jobs.id=results.job_id";
constexpr const char* kWorkerColumns =
    "id, name, token_hash, threads, valid_results, invalid_results, quarantined, last_seen_ms, "
    "verified_results, failures, address";

// Whether a row reader returns Result<T> (it parses a state) or a plain T.
template <typename T>
inline constexpr bool kIsResult = false;
template <typename T>
inline constexpr bool kIsResult<Result<T>> = true;

// A state as an SQL literal, for statements that test or set it in place.
template <typename State>
std::string Sql(State state) {
  return std::string("'") + ToString(state) + "'";
}
// The states of a job held by a worker, as an SQL list.
std::string HeldJobStates() {
  return "(" + Sql(JobState::kLeased) + "," + Sql(JobState::kReplicaLeased) + ")";
}
// A condition on `jobs`: its sequence is neither failed nor retired.
std::string LiveSequence() {
  return "NOT EXISTS(SELECT 1 FROM sequences q WHERE q.id=jobs.sequence_id AND q.state IN (" +
         Sql(SequenceState::kFailed) + "," + Sql(SequenceState::kRetired) + "))";
}
// Credits an accepted result to its worker, a failure less (bind: whether
// it verifies, when the worker was seen (0: not now), then the worker's id,
// appended by the caller).
constexpr const char* kCreditWorker =
    "UPDATE workers SET valid_results=valid_results+1, verified_results=verified_results+?, "
    "failures=MAX(failures-1, 0), last_seen_ms=MAX(last_seen_ms, ?) WHERE id=";
// Whether an accepted result with this check earns trust: it agreed with a
// trusted worker's render (replica) or the coordinator's own (reference).
int Verifies(const std::string& check) { return check == "replica" || check == "reference"; }

Result<SequenceRecord> ReadSequence(const Statement& s) {
  SequenceRecord r;
  r.id = s.Int(0);
  r.kind = s.Text(1);
  r.name = s.Text(2);
  FG_ASSIGN_OR_RETURN(r.state, ParseSequenceState(s.Text(3)));
  r.frames = static_cast<int>(s.Int(4));
  r.frames_done = static_cast<int>(s.Int(5));
  r.width = static_cast<int>(s.Int(6));
  r.height = static_cast<int>(s.Int(7));
  r.quality = s.Real(8);
  r.crf = static_cast<int>(s.Int(9));
  r.fps = static_cast<int>(s.Int(10));
  r.seed = static_cast<uint64_t>(s.Int(11));
  r.video_path = s.Text(12);
  r.failure = s.Text(13);
  r.created_ms = s.Int(14);
  return r;
}

Result<JobRecord> ReadJob(const Statement& s) {
  JobRecord r;
  r.id = s.Int(0);
  r.sequence_id = s.Int(1);
  r.frame = static_cast<int>(s.Int(2));
  FG_ASSIGN_OR_RETURN(r.state, ParseJobState(s.Text(3)));
  r.lease_id = s.Int(4);
  r.worker_id = s.Int(5);
  r.deadline_ms = s.Int(6);
  r.attempts = static_cast<int>(s.Int(7));
  r.failures = static_cast<int>(s.Int(8));
  r.last_error = s.Text(9);
  r.result_path = s.Text(10);
  r.leased_ms = s.Int(11);
  return r;
}

Result<ResultRecord> ReadResult(const Statement& s) {
  ResultRecord r;
  r.id = s.Int(0);
  r.job_id = s.Int(1);
  r.worker_id = s.Int(2);
  r.path = s.Text(3);
  r.sha256_hex = s.Text(4);
  r.size = s.Int(5);
  FG_ASSIGN_OR_RETURN(r.state, ParseResultState(s.Text(6)));
  r.check = s.Text(7);
  r.sequence_id = s.Int(8);
  r.frame = static_cast<int>(s.Int(9));
  return r;
}

WorkerRecord ReadWorker(const Statement& s) {
  WorkerRecord r;
  r.id = s.Int(0);
  r.name = s.Text(1);
  r.token_hash = s.Text(2);
  r.threads = static_cast<int>(s.Int(3));
  r.valid_results = s.Int(4);
  r.invalid_results = s.Int(5);
  r.quarantined = s.Int(6) != 0;
  r.last_seen_ms = s.Int(7);
  r.verified_results = s.Int(8);
  r.failures = s.Int(9);
  r.address = s.Text(10);
  return r;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Status Init(const SqliteOptions& options) {
    metrics_ = options.metrics;
    FG_RETURN_IF_ERROR(Exec(kSchema));
    for (const AddedColumn& column : kAddedColumns) {
      FG_ASSIGN_OR_RETURN(
          std::vector<std::string> names,
          QueryAll<std::string>(
              std::string("SELECT name FROM pragma_table_info('") + column.table + "')",
              [](const Statement& s) { return s.Text(0); }, [](Statement&) {}));
      if (std::find(names.begin(), names.end(), column.name) != names.end()) continue;
      FG_RETURN_IF_ERROR(Exec(std::string("ALTER TABLE ") + column.table + " ADD COLUMN " +
                              column.name + " " + column.definition));
    }
    return Exec(kLateIndexes);
  }

  Result<int64_t> CreateSequence(const NewSequence& n) override {
    return InTransaction<int64_t>([&]() -> Result<int64_t> {
      FG_ASSIGN_OR_RETURN(
          Statement s,
          Prepare(
              "INSERT INTO sequences(kind, name, state, frames, width, height, quality, crf, fps, "
              "seed, genome_xml, control_points_xml, created_ms) "
              "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      s.Bind(1, n.kind)
          .Bind(2, n.name)
          .Bind(3, ToString(SequenceState::kRendering))
          .Bind(4, n.frames);
      s.Bind(5, n.width).Bind(6, n.height).Bind(7, n.quality).Bind(8, n.crf).Bind(9, n.fps);
      s.Bind(10, static_cast<int64_t>(n.seed)).Bind(11, n.genome_xml);
      s.Bind(12, n.control_points_xml).Bind(13, n.now_ms);
      FG_RETURN_IF_ERROR(Done(s.Step(), "insert sequence"));
      const int64_t id = db_->LastInsertRowId();
      FG_ASSIGN_OR_RETURN(
          Statement job,
          Prepare("INSERT INTO jobs(sequence_id, frame, state, updated_ms) VALUES(?,?,?,?)"));
      for (int frame = 0; frame < n.frames; ++frame) {
        job.Bind(1, id).Bind(2, frame).Bind(3, ToString(JobState::kPending)).Bind(4, n.now_ms);
        FG_RETURN_IF_ERROR(Done(job.Step(), "insert job"));
        job.Reset();
      }
      return id;
    });
  }

  Result<SequenceRecord> GetSequence(int64_t id) override {
    std::lock_guard lock(mu_);
    FG_ASSIGN_OR_RETURN(Statement s, Prepare(std::string("SELECT ") + kSequenceColumns +
                                             ", control_points_xml FROM sequences WHERE id=?"));
    s.Bind(1, id);
    FG_ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) return Status::NotFound("no sequence " + std::to_string(id));
    FG_ASSIGN_OR_RETURN(SequenceRecord r, ReadSequence(s));
    r.control_points_xml = s.Text(15);
    return r;
  }

  Result<std::vector<SequenceRecord>> ListSequences() override {
    std::lock_guard lock(mu_);
    return QueryAll<SequenceRecord>(
        std::string("SELECT ") + kSequenceColumns + " FROM sequences ORDER BY id", ReadSequence,
        [](Statement&) {});
  }

  Result<std::vector<SequenceRecord>> SequencesInState(SequenceState state) override {
    std::lock_guard lock(mu_);
    return QueryAll<SequenceRecord>(
        std::string("SELECT ") + kSequenceColumns + " FROM sequences WHERE state=? ORDER BY id",
        ReadSequence, [&](Statement& s) { s.Bind(1, ToString(state)); });
  }

  Status SetSequenceState(int64_t id, SequenceState state, const std::string& video_path,
                          const std::string& failure) override {
    return InTransactionStatus([&]() -> Status {
      FG_ASSIGN_OR_RETURN(
          Statement s, Prepare("UPDATE sequences SET state=?, video_path=?, failure=? WHERE id=?"));
      s.Bind(1, ToString(state)).Bind(2, video_path).Bind(3, failure).Bind(4, id);
      FG_RETURN_IF_ERROR(Done(s.Step(), "update sequence"));
      if (state != SequenceState::kFailed && state != SequenceState::kRetired) return Status::Ok();
      return CloseOpenJobs(id, "sequence " + std::string(ToString(state)));
    });
  }

  Result<std::vector<std::string>> FramePaths(int64_t sequence_id) override {
    std::lock_guard lock(mu_);
    return QueryAll<std::string>(
        "SELECT result_path FROM jobs WHERE sequence_id=? ORDER BY frame",
        [](const Statement& s) { return s.Text(0); },
        [&](Statement& s) { s.Bind(1, sequence_id); });
  }

  Result<int64_t> CreateWorker(const std::string& name, const std::string& token_hash, int threads,
                               const std::string& address, int64_t now_ms) override {
    return InTransaction<int64_t>([&]() -> Result<int64_t> {
      FG_ASSIGN_OR_RETURN(
          Statement s,
          Prepare("INSERT INTO workers(name, token_hash, threads, created_ms, last_seen_ms, "
                  "address) VALUES(?,?,?,?,?,?)"));
      s.Bind(1, name).Bind(2, token_hash).Bind(3, threads).Bind(4, now_ms).Bind(5, now_ms);
      s.Bind(6, address);
      FG_RETURN_IF_ERROR(Done(s.Step(), "insert worker"));
      return static_cast<int64_t>(db_->LastInsertRowId());
    });
  }

  Result<WorkerRecord> GetWorker(int64_t id) override {
    std::lock_guard lock(mu_);
    FG_ASSIGN_OR_RETURN(
        Statement s, Prepare(std::string("SELECT ") + kWorkerColumns + " FROM workers WHERE id=?"));
    s.Bind(1, id);
    FG_ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) return Status::NotFound("no worker " + std::to_string(id));
    return ReadWorker(s);
  }

  Result<std::vector<WorkerRecord>> ListWorkers() override {
    std::lock_guard lock(mu_);
    return QueryAll<WorkerRecord>(
        std::string("SELECT ") + kWorkerColumns + " FROM workers ORDER BY id", ReadWorker,
        [](Statement&) {});
  }

  Result<LeaseOutcome> LeaseJob(int64_t worker_id, int64_t lease_id, int64_t now_ms,
                                int64_t deadline_ms, const LeaseLimits& limits) override {
    return InTransaction<LeaseOutcome>([&]() -> Result<LeaseOutcome> {
      LeaseOutcome outcome;
      {
        FG_ASSIGN_OR_RETURN(Statement s,
                            Prepare("SELECT threads, failures, (SELECT COUNT(*) FROM jobs WHERE "
                                    "worker_id=workers.id AND state IN " +
                                    HeldJobStates() + ") FROM workers WHERE id=?"));
        s.Bind(1, worker_id);
        FG_ASSIGN_OR_RETURN(bool found, s.Step());
        if (!found) return Status::NotFound("no worker " + std::to_string(worker_id));
        int64_t cap = std::min<int64_t>(std::max<int64_t>(s.Int(0), 1), limits.max_outstanding);
        outcome.throttled =
            limits.throttle_after_failures > 0 && s.Int(1) >= limits.throttle_after_failures;
        if (outcome.throttled) cap = 1;
        outcome.at_cap = s.Int(2) >= cap;
      }
      {
        FG_ASSIGN_OR_RETURN(Statement s, Prepare("UPDATE workers SET last_seen_ms=? WHERE id=?"));
        s.Bind(1, now_ms).Bind(2, worker_id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "touch worker"));
      }
      if (outcome.at_cap) return outcome;
      int64_t job_id = 0;
      JobState next_state = JobState::kLeased;
      {
        FG_ASSIGN_OR_RETURN(
            Statement s,
            Prepare("SELECT id FROM jobs WHERE state=" + Sql(JobState::kReplica) +
                    " AND NOT EXISTS("
                    "SELECT 1 FROM results r WHERE r.job_id=jobs.id AND r.worker_id=?) AND " +
                    LiveSequence() + " ORDER BY id LIMIT 1"));
        s.Bind(1, worker_id);
        FG_ASSIGN_OR_RETURN(bool found, s.Step());
        if (found) {
          job_id = s.Int(0);
          next_state = JobState::kReplicaLeased;
        }
      }
      if (job_id == 0) {
        FG_ASSIGN_OR_RETURN(Statement s,
                            Prepare("SELECT id FROM jobs WHERE state=" + Sql(JobState::kPending) +
                                    " AND " + LiveSequence() + " ORDER BY id LIMIT 1"));
        FG_ASSIGN_OR_RETURN(bool found, s.Step());
        if (found) job_id = s.Int(0);
      }
      if (job_id == 0) return outcome;
      {
        FG_ASSIGN_OR_RETURN(
            Statement s, Prepare("UPDATE jobs SET state=?, lease_id=?, worker_id=?, deadline_ms=?, "
                                 "attempts=attempts+1, updated_ms=?, leased_ms=? WHERE id=?"));
        s.Bind(1, ToString(next_state)).Bind(2, lease_id).Bind(3, worker_id).Bind(4, deadline_ms);
        s.Bind(5, now_ms).Bind(6, now_ms).Bind(7, job_id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "lease job"));
      }
      FG_ASSIGN_OR_RETURN(outcome.job, JobWhere("id=?", job_id));
      return outcome;
    });
  }

  Result<JobRecord> GetJobByLease(int64_t lease_id) override {
    std::lock_guard lock(mu_);
    return JobWhere("lease_id=?", lease_id);
  }

  Result<int64_t> ExtendLease(int64_t lease_id, int64_t worker_id, int64_t deadline_ms,
                              int64_t max_life_ms) override {
    return InTransaction<int64_t>([&]() -> Result<int64_t> {
      FG_ASSIGN_OR_RETURN(
          Statement s, Prepare("UPDATE jobs SET deadline_ms=MIN(?, leased_ms+?) WHERE lease_id=? "
                               "AND worker_id=? AND state IN " +
                               HeldJobStates()));
      s.Bind(1, deadline_ms).Bind(2, max_life_ms).Bind(3, lease_id).Bind(4, worker_id);
      FG_RETURN_IF_ERROR(Done(s.Step(), "extend lease"));
      if (db_->Changes() == 0) {
        return Status::FailedPrecondition("lease " + std::to_string(lease_id) +
                                          " is no longer held by this worker");
      }
      FG_ASSIGN_OR_RETURN(JobRecord job, JobWhere("lease_id=?", lease_id));
      return job.deadline_ms;
    });
  }

  Result<std::vector<JobRecord>> LapsedLeases(int64_t now_ms) override {
    std::lock_guard lock(mu_);
    return QueryAll<JobRecord>(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state IN " +
                                   HeldJobStates() + " AND deadline_ms < ? ORDER BY id",
                               ReadJob, [&](Statement& s) { s.Bind(1, now_ms); });
  }

  Result<std::vector<JobFailureRecord>> FailuresOfJob(int64_t job_id) override {
    std::lock_guard lock(mu_);
    return QueryAll<JobFailureRecord>(
        "SELECT worker_id, trusted FROM job_failures WHERE job_id=? ORDER BY worker_id",
        [](const Statement& s) {
          return JobFailureRecord{s.Int(0), s.Int(1) != 0};
        },
        [&](Statement& s) { s.Bind(1, job_id); });
  }

  Status CommitResult(const ResultCommit& c) override {
    return InTransactionStatus([&]() -> Status {
      FG_ASSIGN_OR_RETURN(JobRecord job, JobWhere("id=?", c.job_id));
      if (job.lease_id != c.lease_id || job.worker_id != c.worker_id ||
          (job.state != JobState::kLeased && job.state != JobState::kReplicaLeased)) {
        return Status::FailedPrecondition("lease " + std::to_string(c.lease_id) +
                                          " is no longer held by this worker");
      }
      {
        FG_ASSIGN_OR_RETURN(
            Statement s,
            Prepare("INSERT INTO results(job_id, worker_id, path, sha256, size, state, check_kind, "
                    "created_ms) VALUES(?,?,?,?,?,?,?,?)"));
        s.Bind(1, c.job_id).Bind(2, c.worker_id).Bind(3, c.path).Bind(4, c.sha256_hex);
        s.Bind(5, c.size).Bind(
            6, ToString(c.frame_final ? ResultState::kValid : ResultState::kPending));
        s.Bind(7, c.check).Bind(8, c.now_ms);
        FG_RETURN_IF_ERROR(Done(s.Step(), "insert result"));
      }
      if (c.confirmed_result_id != 0) {
        FG_ASSIGN_OR_RETURN(Statement s,
                            Prepare("UPDATE results SET state=" + Sql(ResultState::kValid) +
                                    ", check_kind=? WHERE id=?"));
        s.Bind(1, c.check).Bind(2, c.confirmed_result_id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "confirm result"));
        FG_ASSIGN_OR_RETURN(Statement w, Prepare(std::string(kCreditWorker) +
                                                 "(SELECT worker_id FROM results WHERE id=?)"));
        w.Bind(1, Verifies(c.check)).Bind(2, 0).Bind(3, c.confirmed_result_id);
        FG_RETURN_IF_ERROR(Done(w.Step(), "credit worker"));
      }
      if (c.frame_final) {
        FG_ASSIGN_OR_RETURN(Statement w, Prepare(std::string(kCreditWorker) + "?"));
        w.Bind(1, Verifies(c.check)).Bind(2, c.now_ms).Bind(3, c.worker_id);
        FG_RETURN_IF_ERROR(Done(w.Step(), "credit worker"));
        FG_ASSIGN_OR_RETURN(Statement s, Prepare("UPDATE jobs SET state=" + Sql(JobState::kDone) +
                                                 ", result_path=?, lease_id=0, updated_ms=? "
                                                 "WHERE id=?"));
        s.Bind(1, c.path).Bind(2, c.now_ms).Bind(3, c.job_id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "finish job"));
        FG_ASSIGN_OR_RETURN(
            Statement q, Prepare("UPDATE sequences SET frames_done=frames_done+1, "
                                 "state=CASE WHEN frames_done+1>=frames AND state=" +
                                 Sql(SequenceState::kRendering) + " THEN " +
                                 Sql(SequenceState::kAssembling) + " ELSE state END WHERE id=?"));
        q.Bind(1, job.sequence_id);
        return Done(q.Step(), "count frame");
      }
      FG_ASSIGN_OR_RETURN(Statement s, Prepare("UPDATE jobs SET state=" + Sql(JobState::kReplica) +
                                               ", lease_id=0, updated_ms=? WHERE id=?"));
      s.Bind(1, c.now_ms).Bind(2, c.job_id);
      return Done(s.Step(), "await replica");
    });
  }

  Result<std::optional<FailedSequence>> FailJob(const JobFailure& f) override {
    return InTransaction<std::optional<FailedSequence>>(
        [&]() -> Result<std::optional<FailedSequence>> {
          FG_ASSIGN_OR_RETURN(JobRecord job, JobWhere("id=?", f.job_id));
          if (job.lease_id != f.lease_id || job.worker_id != f.worker_id ||
              (job.state != JobState::kLeased && job.state != JobState::kReplicaLeased)) {
            return Status::FailedPrecondition("lease " + std::to_string(f.lease_id) +
                                              " is no longer held by this worker");
          }
          if (f.lapsed_before_ms != 0 && job.deadline_ms >= f.lapsed_before_ms) {
            return Status::FailedPrecondition("lease " + std::to_string(f.lease_id) +
                                              " was extended: it has not lapsed");
          }
          return FailJobLocked(f, f.now_ms);
        });
  }

  Result<std::vector<ResultRecord>> ResultsOfJob(int64_t job_id) override {
    std::lock_guard lock(mu_);
    return QueryAll<ResultRecord>(std::string("SELECT ") + kResultColumns + kResultsFrom +
                                      " WHERE results.job_id=? ORDER BY results.id",
                                  ReadResult, [&](Statement& s) { s.Bind(1, job_id); });
  }

  Result<std::vector<ResultRecord>> ValidResultsOfWorker(int64_t worker_id) override {
    std::lock_guard lock(mu_);
    return QueryAll<ResultRecord>(std::string("SELECT ") + kResultColumns + kResultsFrom +
                                      " WHERE results.worker_id=? AND results.state=" +
                                      Sql(ResultState::kValid) + " ORDER BY results.id",
                                  ReadResult, [&](Statement& s) { s.Bind(1, worker_id); });
  }

  Status InvalidateResult(int64_t result_id, const std::string& reason) override {
    return InTransactionStatus([&]() -> Status {
      FG_ASSIGN_OR_RETURN(
          std::vector<ResultRecord> rows,
          QueryAll<ResultRecord>(
              std::string("SELECT ") + kResultColumns + kResultsFrom + " WHERE results.id=?",
              ReadResult, [&](Statement& s) { s.Bind(1, result_id); }));
      if (rows.empty()) return Status::NotFound("no result " + std::to_string(result_id));
      const ResultRecord& result = rows.front();
      {
        FG_ASSIGN_OR_RETURN(
            Statement s,
            Prepare("UPDATE results SET state=" + Sql(ResultState::kInvalid) + " WHERE id=?"));
        s.Bind(1, result_id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "invalidate result"));
      }
      FG_ASSIGN_OR_RETURN(JobRecord job, JobWhere("id=?", result.job_id));
      if (job.state == JobState::kReplica && result.state == ResultState::kPending) {
        // The only render of the frame is gone: it starts over.
        FG_ASSIGN_OR_RETURN(Statement s,
                            Prepare("UPDATE jobs SET state=" + Sql(JobState::kPending) +
                                    ", last_error=? WHERE id=?"));
        s.Bind(1, reason).Bind(2, job.id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "reopen job"));
      }
      if (job.state == JobState::kDone && job.result_path == result.path) {
        FG_ASSIGN_OR_RETURN(Statement s,
                            Prepare("UPDATE jobs SET state=" + Sql(JobState::kPending) +
                                    ", result_path='', last_error=? WHERE id=?"));
        s.Bind(1, reason).Bind(2, job.id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "reopen job"));
        FG_ASSIGN_OR_RETURN(Statement q,
                            Prepare("UPDATE sequences SET frames_done=frames_done-1, "
                                    "state=CASE WHEN state=" +
                                    Sql(SequenceState::kAssembling) + " THEN " +
                                    Sql(SequenceState::kRendering) + " ELSE state END WHERE id=?"));
        q.Bind(1, job.sequence_id);
        FG_RETURN_IF_ERROR(Done(q.Step(), "uncount frame"));
      }
      return Status::Ok();
    });
  }

  Status AcceptPendingResult(int64_t result_id, const std::string& check, int64_t now_ms) override {
    return InTransactionStatus([&]() -> Status {
      FG_ASSIGN_OR_RETURN(
          std::vector<ResultRecord> rows,
          QueryAll<ResultRecord>(
              std::string("SELECT ") + kResultColumns + kResultsFrom + " WHERE results.id=?",
              ReadResult, [&](Statement& s) { s.Bind(1, result_id); }));
      if (rows.empty()) return Status::NotFound("no result " + std::to_string(result_id));
      const ResultRecord& result = rows.front();
      FG_ASSIGN_OR_RETURN(JobRecord job, JobWhere("id=?", result.job_id));
      if (result.state != ResultState::kPending || job.state != JobState::kReplica) {
        return Status::FailedPrecondition("result " + std::to_string(result_id) +
                                          " is no longer waiting for a replica");
      }
      {
        FG_ASSIGN_OR_RETURN(Statement s,
                            Prepare("UPDATE results SET state=" + Sql(ResultState::kValid) +
                                    ", check_kind=? WHERE id=?"));
        s.Bind(1, check).Bind(2, result_id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "accept result"));
      }
      {
        FG_ASSIGN_OR_RETURN(Statement w, Prepare(std::string(kCreditWorker) + "?"));
        w.Bind(1, Verifies(check)).Bind(2, 0).Bind(3, result.worker_id);
        FG_RETURN_IF_ERROR(Done(w.Step(), "credit worker"));
      }
      {
        FG_ASSIGN_OR_RETURN(Statement s, Prepare("UPDATE jobs SET state=" + Sql(JobState::kDone) +
                                                 ", result_path=?, lease_id=0, updated_ms=? "
                                                 "WHERE id=?"));
        s.Bind(1, result.path).Bind(2, now_ms).Bind(3, job.id);
        FG_RETURN_IF_ERROR(Done(s.Step(), "finish job"));
      }
      FG_ASSIGN_OR_RETURN(Statement q,
                          Prepare("UPDATE sequences SET frames_done=frames_done+1, "
                                  "state=CASE WHEN frames_done+1>=frames AND state=" +
                                  Sql(SequenceState::kRendering) + " THEN " +
                                  Sql(SequenceState::kAssembling) + " ELSE state END WHERE id=?"));
      q.Bind(1, job.sequence_id);
      return Done(q.Step(), "count frame");
    });
  }

  Status QuarantineWorker(int64_t worker_id) override {
    return InTransactionStatus([&]() -> Status {
      FG_ASSIGN_OR_RETURN(Statement s, Prepare("UPDATE workers SET quarantined=1, "
                                               "verified_results=0 WHERE id=?"));
      s.Bind(1, worker_id);
      return Done(s.Step(), "quarantine worker");
    });
  }

  Result<std::vector<JobRecord>> StaleReplicaJobs(int64_t older_than_ms) override {
    std::lock_guard lock(mu_);
    return QueryAll<JobRecord>(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state=" +
                                   Sql(JobState::kReplica) + " AND updated_ms < ?",
                               ReadJob, [&](Statement& s) { s.Bind(1, older_than_ms); });
  }

  Result<GridCounts> Counts(int64_t seen_since_ms) override {
    std::lock_guard lock(mu_);
    GridCounts counts;
    FG_ASSIGN_OR_RETURN(
        auto states, (QueryAll<std::pair<SequenceState, int64_t>>(
                         "SELECT state, COUNT(*) FROM sequences GROUP BY state",
                         [](const Statement& s) -> Result<std::pair<SequenceState, int64_t>> {
                           FG_ASSIGN_OR_RETURN(SequenceState state, ParseSequenceState(s.Text(0)));
                           return std::make_pair(state, s.Int(1));
                         },
                         [](Statement&) {})));
    counts.sequences_by_state.insert(states.begin(), states.end());
    // Both on an index: jobs_by_state, and a scan of the (few) workers.
    FG_ASSIGN_OR_RETURN(std::vector<int64_t> leases,
                        QueryAll<int64_t>(
                            "SELECT COUNT(*) FROM jobs WHERE state IN " + HeldJobStates(),
                            [](const Statement& s) { return s.Int(0); }, [](Statement&) {}));
    FG_ASSIGN_OR_RETURN(std::vector<int64_t> seen,
                        QueryAll<int64_t>(
                            "SELECT COUNT(*) FROM workers WHERE last_seen_ms >= ?",
                            [](const Statement& s) { return s.Int(0); },
                            [&](Statement& s) { s.Bind(1, seen_since_ms); }));
    counts.leases_outstanding = leases.empty() ? 0 : leases.front();
    counts.workers_seen = seen.empty() ? 0 : seen.front();
    return counts;
  }

  Result<WorkerCounts> CountWorkers(int64_t seen_since_ms, int64_t trusted_after) override {
    std::lock_guard lock(mu_);
    FG_ASSIGN_OR_RETURN(
        std::vector<WorkerCounts> counts,
        QueryAll<WorkerCounts>(
            "SELECT COUNT(*), COALESCE(SUM(last_seen_ms >= ?), 0), COALESCE(SUM(quarantined != 0), "
            "0), COALESCE(SUM(quarantined = 0 AND invalid_results = 0 AND verified_results >= ?), 0) "
            "FROM workers",
            [](const Statement& s) {
              return WorkerCounts{s.Int(0), s.Int(1), s.Int(2), s.Int(3)};
            },
            [&](Statement& s) { s.Bind(1, seen_since_ms).Bind(2, trusted_after); }));
    return counts.empty() ? WorkerCounts{} : counts.front();
  }

  Result<std::vector<WorkerRecord>> ListWorkersPage(int64_t offset, int limit) override {
    std::lock_guard lock(mu_);
    return QueryAll<WorkerRecord>(
        std::string("SELECT ") + kWorkerColumns + " FROM workers ORDER BY id LIMIT ? OFFSET ?",
        ReadWorker, [&](Statement& s) { s.Bind(1, static_cast<int64_t>(limit)).Bind(2, offset); });
  }

 private:
  // Requires mu_. Moves the job back to the pool (or to failed) and records
  // why; returns the sequence it failed with the job, if it did.
  Result<std::optional<FailedSequence>> FailJobLocked(const JobFailure& f, int64_t now_ms) {
    FG_ASSIGN_OR_RETURN(JobRecord job, JobWhere("id=?", f.job_id));
    const int failures = job.failures + (f.counts_against_job ? 1 : 0);
    // A job with an unconfirmed result from someone else goes back to waiting for a replica.
    JobState next = job.state == JobState::kReplicaLeased ? JobState::kReplica : JobState::kPending;
    if (failures >= f.max_failures) next = JobState::kFailed;
    {
      FG_ASSIGN_OR_RETURN(
          Statement s,
          Prepare("UPDATE jobs SET state=?, lease_id=0, failures=?, last_error=?, updated_ms=? "
                  "WHERE id=?"));
      s.Bind(1, ToString(next))
          .Bind(2, failures)
          .Bind(3, f.reason)
          .Bind(4, now_ms)
          .Bind(5, f.job_id);
      FG_RETURN_IF_ERROR(Done(s.Step(), "release job"));
    }
    if (f.record_failure) {
      FG_ASSIGN_OR_RETURN(
          Statement s,
          Prepare("INSERT OR IGNORE INTO job_failures(job_id, worker_id, trusted) VALUES(?,?,?)"));
      s.Bind(1, f.job_id).Bind(2, f.worker_id).Bind(3, f.worker_trusted ? 1 : 0);
      FG_RETURN_IF_ERROR(Done(s.Step(), "record failure"));
    }
    if (f.counts_against_worker || f.refused_result || f.quarantine_worker) {
      FG_ASSIGN_OR_RETURN(
          Statement s,
          Prepare("UPDATE workers SET invalid_results=invalid_results+?, failures=failures+?, "
                  "quarantined=MAX(quarantined, ?), "
                  "verified_results=CASE WHEN ? THEN 0 ELSE verified_results END WHERE id=?"));
      s.Bind(1, f.refused_result ? 1 : 0).Bind(2, f.counts_against_worker ? 1 : 0);
      s.Bind(3, f.quarantine_worker ? 1 : 0).Bind(4, f.quarantine_worker ? 1 : 0);
      s.Bind(5, f.worker_id);
      FG_RETURN_IF_ERROR(Done(s.Step(), "debit worker"));
    }
    if (next != JobState::kFailed) return std::optional<FailedSequence>();
    SequenceState was = SequenceState::kRendering;
    {
      FG_ASSIGN_OR_RETURN(Statement s, Prepare("SELECT state FROM sequences WHERE id=?"));
      s.Bind(1, job.sequence_id);
      FG_ASSIGN_OR_RETURN(bool found, s.Step());
      if (!found) return Status::NotFound("no sequence " + std::to_string(job.sequence_id));
      FG_ASSIGN_OR_RETURN(was, ParseSequenceState(s.Text(0)));
    }
    FailedSequence failed;
    failed.sequence_id = job.sequence_id;
    failed.failure = "frame " + std::to_string(job.frame) + " failed " + std::to_string(failures) +
                     " times; last: " + f.reason;
    {
      FG_ASSIGN_OR_RETURN(
          Statement s, Prepare("UPDATE sequences SET state=" + Sql(SequenceState::kFailed) +
                               ", failure=? WHERE id=? AND state!=" + Sql(SequenceState::kDone)));
      s.Bind(1, failed.failure);
      s.Bind(2, job.sequence_id);
      FG_RETURN_IF_ERROR(Done(s.Step(), "fail sequence"));
    }
    if (was != SequenceState::kDone) {
      FG_RETURN_IF_ERROR(CloseOpenJobs(job.sequence_id, "sequence failed: " + failed.failure));
    }
    // Reported once: when this job took a live sequence down with it.
    if (was == SequenceState::kDone || was == SequenceState::kFailed) {
      return std::optional<FailedSequence>();
    }
    return std::optional<FailedSequence>(std::move(failed));
  }

  // Requires mu_. A failed or retired sequence's free jobs are failed too,
  // so nothing leases them (a held one is settled by its upload or lapse).
  Status CloseOpenJobs(int64_t sequence_id, const std::string& why) {
    FG_ASSIGN_OR_RETURN(Statement s,
                        Prepare("UPDATE jobs SET state=" + Sql(JobState::kFailed) +
                                ", last_error=? WHERE sequence_id=? AND state IN (" +
                                Sql(JobState::kPending) + "," + Sql(JobState::kReplica) + ")"));
    s.Bind(1, why).Bind(2, sequence_id);
    return Done(s.Step(), "close jobs");
  }

  Result<JobRecord> JobWhere(const char* where, int64_t key) {
    FG_ASSIGN_OR_RETURN(
        Statement s, Prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE " + where));
    s.Bind(1, key);
    FG_ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) return Status::NotFound("no such job or lease " + std::to_string(key));
    return ReadJob(s);
  }

  template <typename T, typename Reader, typename Binder>
  Result<std::vector<T>> QueryAll(const std::string& sql, Reader read, Binder bind) {
    FG_ASSIGN_OR_RETURN(Statement s, Prepare(sql));
    bind(s);
    std::vector<T> rows;
    for (;;) {
      FG_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      if constexpr (kIsResult<decltype(read(s))>) {
        FG_ASSIGN_OR_RETURN(T row_value, read(s));
        rows.push_back(std::move(row_value));
      } else {
        rows.push_back(read(s));
      }
    }
    return rows;
  }

  // Group commit. Write transactions that come while one runs share its
  // COMMIT: the WAL is appended once for all of them, instead of once each.
  // Each write runs inside a savepoint of the open batch (a failing one rolls
  // back only its own changes), and its caller returns only after the COMMIT
  // that holds its changes, so "acknowledged" still means "committed". The
  // last writer of a burst commits: one that sees another writer queued for
  // the lock leaves the COMMIT to it (at most kMaxBatch writes per batch).
  // Every method that writes goes through InTransaction, which takes the
  // lock itself: a queued writer is a promise to commit or pass it on.
  static constexpr int kMaxBatch = 64;

  template <typename T, typename Body>
  Result<T> InTransaction(Body body) {
    ++writers_waiting_;
    std::unique_lock lock(mu_);
    --writers_waiting_;
    if (!batch_open_) {
      FG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
      batch_open_ = true;
      batch_writes_ = 0;
      ++batch_;
    }
    const uint64_t mine = batch_;
    Result<Transaction> write = Transaction::Begin(db_.get());
    Result<T> result = write.ok() ? body() : Result<T>(write.status());
    if (write.ok()) (void)(result.ok() ? write->Commit() : write->Rollback());
    if (!db_->InTransaction()) {
      // An error (a full disk, say) made SQLite roll the whole batch back.
      EndBatch(result.ok() ? Status::IoError("sqlite: the transaction was rolled back")
                           : result.status());
    } else if (++batch_writes_ < kMaxBatch && writers_waiting_.load() > 0) {
      committed_.wait(lock, [&] { return committed_batch_ >= mine; });
    } else {
      const auto start = std::chrono::steady_clock::now();
      Status commit = Exec("COMMIT");
      if (metrics_ != nullptr && commit.ok()) {
        metrics_->StoreCommitted(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
            batch_writes_);
      }
      if (!commit.ok()) (void)Exec("ROLLBACK");
      EndBatch(commit);
    }
    if (!result.ok()) return result;
    if (auto failed = failed_batches_.find(mine); failed != failed_batches_.end()) {
      return failed->second;
    }
    return result;
  }
  template <typename Body>
  Status InTransactionStatus(Body body) {
    Result<bool> r = InTransaction<bool>([&]() -> Result<bool> {
      FG_RETURN_IF_ERROR(body());
      return true;
    });
    return r.status();
  }

  // Closes the open batch with `outcome` and wakes its writers. With mu_ held.
  void EndBatch(const Status& outcome) {
    if (!outcome.ok()) {
      failed_batches_[batch_] = outcome;
      // Only writers of recent batches can still be waiting for theirs.
      while (failed_batches_.size() > 64) failed_batches_.erase(failed_batches_.begin());
    }
    batch_open_ = false;
    committed_batch_ = batch_;
    committed_.notify_all();
  }

  Result<Statement> Prepare(const std::string& sql) { return db_->Prepare(sql); }
  Status Exec(const std::string& sql) { return db_->Exec(sql); }
  // `step` as a Status: a row or the end is OK.
  static Status Done(const Result<bool>& step, const std::string& what) {
    return step.status().WithContext(what);
  }

  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
  Metrics* metrics_ = nullptr;  // optional; set once by Init
  // Group commit state, guarded by mu_ (writers_waiting_ is read under it).
  std::atomic<int> writers_waiting_{0};
  std::condition_variable committed_;
  bool batch_open_ = false;
  int batch_writes_ = 0;
  uint64_t batch_ = 0;
  uint64_t committed_batch_ = 0;
  std::map<uint64_t, Status> failed_batches_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  FG_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db,
                      SqliteDb::Open(path, SqliteDbOptions{.sync_full = options.sync_full}));
  auto store = std::make_unique<SqliteStore>(std::move(db));
  FG_RETURN_IF_ERROR(store->Init(options).WithContext(path));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace flamegrid::coordinator
