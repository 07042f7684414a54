#include "renderer/base/parse_number.h"

#include <gtest/gtest.h>

#include <string>

namespace flamegrid {
namespace {

TEST(ParseNumberTest, ReadsWholeIntegersInRange) {
  EXPECT_EQ(*ParseInt64("-42"), -42);
  EXPECT_EQ(*ParseUint64("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(*ParseInt("2147483647"), 2147483647);
  EXPECT_EQ(*ParseHexUint64("ff00"), 0xff00u);
}

TEST(ParseNumberTest, RefusesTrailingTextEmptyAndOutOfRange) {
  for (const char* bad : {"", "12x", " 12", "12 ", "0x10", "+-1", "1e3"}) {
    Result<int64_t> parsed = ParseInt64(bad, "--threads");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("--threads"), std::string::npos);
  }
  EXPECT_FALSE(ParseInt("2147483648").ok());
  EXPECT_FALSE(ParseUint64("-1").ok());
  EXPECT_FALSE(ParseInt64(std::string(8000, '9')).ok());  // an 8,000-digit id
}

TEST(ParseNumberTest, DoublesAreFinite) {
  EXPECT_DOUBLE_EQ(*ParseDouble("1.5"), 1.5);
  EXPECT_DOUBLE_EQ(*ParseDouble("-2e3"), -2000);
  for (const char* bad : {"inf", "nan", "1e400", "1.5.2", ""})
    EXPECT_FALSE(ParseDouble(bad).ok()) << bad;
}

TEST(ParseNumberTest, HostileTextIsNotEchoedWhole) {
  Result<int> parsed = ParseInt(std::string(100000, 'a'), "id");
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 200u);
}

TEST(ParseNumberTest, ByteSizes) {
  EXPECT_EQ(*ParseByteSize("512M"), 512ull << 20);
  EXPECT_EQ(*ParseByteSize("1.5GiB"), 3ull << 29);
  EXPECT_EQ(*ParseByteSize("1000000"), 1000000u);
  for (const char* bad : {"0", "12Q", "", "G", "-1M", "1e30T"})
    EXPECT_FALSE(ParseByteSize(bad).ok()) << bad;
}

}  // namespace
}  // namespace flamegrid
