#include "renderer/base/status.h"

#include <gtest/gtest.h>

#include "renderer/base/random.h"

namespace flamegrid {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Status::InvalidArgument("value " + std::to_string(v) + " is not positive");
  return v;
}

Status Chain(int v, int* out) {
  FG_ASSIGN_OR_RETURN(*out, ParsePositive(v));
  return Status::Ok();
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s = Status::NotFound("no such flame");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "NOT_FOUND: no such flame");
  EXPECT_EQ(s.WithContext("a.flam3").message(), "a.flam3: no such flame");
  EXPECT_EQ(Status::Ok().ToString(), "OK");
}

TEST(StatusTest, ResultPropagatesErrors) {
  int out = 0;
  EXPECT_TRUE(Chain(3, &out).ok());
  EXPECT_EQ(out, 3);
  Status s = Chain(-1, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out, 3);
}

TEST(RandomTest, StreamsAreReproducibleAndDistinct) {
  Random a = Random::ForStream(7, 1), b = Random::ForStream(7, 1), c = Random::ForStream(7, 2);
  uint64_t a1 = a.NextU64();
  EXPECT_EQ(a1, b.NextU64());
  EXPECT_NE(a1, c.NextU64());
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    double u = a.Uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
  for (int i = 0; i < 1000; ++i) ASSERT_LT(a.Below(7), 7u);
}

}  // namespace
}  // namespace flamegrid
