// Printable (proto/shared/log.h): client text cannot forge or colour a log
// line, and what is printable passes unchanged.
#include "proto/shared/log.h"

#include <gtest/gtest.h>

namespace flamegrid {
namespace {

TEST(Printable, PlainTextAndUtf8PassUnchanged) {
  EXPECT_EQ(Printable("worker-7 (lab)"), "worker-7 (lab)");
  EXPECT_EQ(Printable("Schäfchen 羊 🐑"), "Schäfchen 羊 🐑");
  EXPECT_EQ(Printable(""), "");
}

TEST(Printable, ControlsNewlinesAndEscapesBecomeHex) {
  EXPECT_EQ(Printable("a\nb"), "a\\x0ab");
  EXPECT_EQ(Printable("x\r\n12:00:00.000 registered worker 1"),
            "x\\x0d\\x0a12:00:00.000 registered worker 1");
  EXPECT_EQ(Printable("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(Printable(std::string("nul\0tab\t", 8)), "nul\\x00tab\\x09");
  EXPECT_EQ(Printable("del\x7f"), "del\\x7f");
  // The backslash itself, so "\x0a" in a log always was a newline.
  EXPECT_EQ(Printable("C:\\x0a"), "C:\\x5cx0a");
}

TEST(Printable, C1ControlsAndMalformedUtf8BecomeHex) {
  EXPECT_EQ(Printable("\xc2\x9b"
                      "31m"),
            "\\xc2\\x9b31m");                    // CSI as a C1 control
  EXPECT_EQ(Printable("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is fine
  EXPECT_EQ(Printable("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(Printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(Printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(Printable("cut\xe7\xbe"), "cut\\xe7\\xbe");              // truncated 羊
  EXPECT_EQ(Printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(Printable, NoOutputByteIsAControl) {
  std::string every;
  for (int c = 0; c < 256; ++c) every += static_cast<char>(c);
  for (unsigned char c : Printable(every)) {
    EXPECT_TRUE(c >= 0x20 && c != 0x7f) << static_cast<int>(c);
  }
}

}  // namespace
}  // namespace flamegrid
