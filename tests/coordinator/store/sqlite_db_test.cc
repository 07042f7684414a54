// SqliteDb, Statement and Transaction: a round trip, and every kind of SQLite
// error (bad SQL, a constraint, a bad bind, a missing directory) coming back
// as a Status that names the SQL.
#include "coordinator/store/sqlite_db.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace flamegrid::coordinator {
namespace {

namespace fs = std::filesystem;

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-sqlite-db-test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    auto db = SqliteDb::Open(dir_ + "/test.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(
        db_->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, x REAL)").ok());
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  Status Insert(int64_t id, const std::string& name) {
    FG_ASSIGN_OR_RETURN(Statement s, db_->Prepare("INSERT INTO t(id, name, x) VALUES(?,?,?)"));
    s.Bind(1, id).Bind(2, name).Bind(3, 0.5);
    return s.Step().status();
  }
  int64_t Count() {
    auto s = db_->Prepare("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(s.ok());
    auto row = s->Step();
    EXPECT_TRUE(row.ok() && *row);
    return s->Int(0);
  }

  std::string dir_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqliteDbTest, WritesAndReadsTypedColumns) {
  ASSERT_TRUE(Insert(7, std::string("with\0nul", 8)).ok());
  EXPECT_EQ(db_->LastInsertRowId(), 7);
  EXPECT_EQ(db_->Changes(), 1);
  auto s = db_->Prepare("SELECT id, name, x FROM t WHERE id=?");
  ASSERT_TRUE(s.ok());
  s->Bind(1, 7);
  auto row = s->Step();
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(*row);
  EXPECT_EQ(s->Int(0), 7);
  EXPECT_EQ(s->Text(1), std::string("with\0nul", 8));
  EXPECT_EQ(s->Real(2), 0.5);
  row = s->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST_F(SqliteDbTest, BadSqlIsAStatusNamingTheSql) {
  auto s = db_->Prepare("SELEKT nothing FROM t");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find("SELEKT nothing FROM t"), std::string::npos)
      << s.status().message();
  Status exec = db_->Exec("DROP TABLE missing");
  EXPECT_EQ(exec.code(), StatusCode::kIoError);
  EXPECT_NE(exec.message().find("DROP TABLE missing"), std::string::npos) << exec.message();
}

TEST_F(SqliteDbTest, ConstraintViolationIsAStatusAndTheStatementIsReusable) {
  ASSERT_TRUE(Insert(1, "a").ok());
  Status duplicate = Insert(1, "b");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.code(), StatusCode::kIoError);
  EXPECT_NE(duplicate.message().find("UNIQUE constraint failed"), std::string::npos)
      << duplicate.message();
  EXPECT_NE(duplicate.message().find("INSERT INTO t"), std::string::npos) << duplicate.message();
  // The cached statement was reset: the next insert works.
  EXPECT_TRUE(Insert(2, "b").ok());
  EXPECT_EQ(Count(), 2);
}

TEST_F(SqliteDbTest, BadBindIsReportedByStep) {
  auto s = db_->Prepare("INSERT INTO t(id, name) VALUES(?,?)");
  ASSERT_TRUE(s.ok());
  s->Bind(1, 1).Bind(2, "a").Bind(3, "no such parameter");
  auto row = s->Step();
  ASSERT_FALSE(row.ok());
  EXPECT_NE(row.status().message().find("bind"), std::string::npos) << row.status().message();
  s->Reset();
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteDbTest, TransactionRollsBackUnlessCommitted) {
  {
    auto tx = Transaction::Begin(db_.get());
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(Insert(1, "kept").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  {
    auto tx = Transaction::Begin(db_.get());
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(Insert(2, "dropped").ok());
    EXPECT_TRUE(db_->InTransaction());
  }
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDbTest, NestedTransactionRollsBackOnlyItsOwnChanges) {
  auto outer = Transaction::Begin(db_.get());
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(Insert(1, "outer").ok());
  {
    auto inner = Transaction::Begin(db_.get());
    ASSERT_TRUE(inner.ok());
    ASSERT_TRUE(Insert(2, "inner").ok());
    ASSERT_TRUE(inner->Rollback().ok());
  }
  ASSERT_TRUE(outer->Commit().ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDbTest, MissingDirectoryIsAStatus) {
  const std::string path = dir_ + "/missing/test.db";
  auto db = SqliteDb::Open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
  EXPECT_NE(db.status().message().find(path), std::string::npos) << db.status().message();
}

}  // namespace
}  // namespace flamegrid::coordinator
