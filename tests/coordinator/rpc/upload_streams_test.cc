// UploadStreams' rules with a frozen clock and counted cancels: one stream
// per lease, a bound on open streams, and the watchdog's two reasons to cut
// a stream (no chunk for idle_ms, reading past the lease's deadline).
#include "coordinator/rpc/upload_streams.h"

#include <gtest/gtest.h>

#include <optional>

#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::coordinator {
namespace {

class UploadStreamsTest : public ::testing::Test {
 protected:
  UploadStreamsTest() { env_.SetNowMs(1'000'000); }

  UploadStreams::Stream Open(UploadStreams& streams, int* cancels) {
    Result<UploadStreams::Stream> stream = streams.Open([cancels] { ++*cancels; });
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    return std::move(stream).value();
  }

  testing::FaultyEnv env_;
  UploadStreamLimits limits_{/*idle_ms=*/2000, /*max_streams=*/3};
};

TEST_F(UploadStreamsTest, ALeaseHasOneStreamInFlight) {
  UploadStreams streams(&env_, limits_);
  int cancels = 0;
  UploadStreams::Stream first = Open(streams, &cancels);
  ASSERT_TRUE(first.Claim(7, 2'000'000).ok());
  {
    UploadStreams::Stream second = Open(streams, &cancels);
    const Status refused = second.Claim(7, 2'000'000);
    EXPECT_EQ(refused.code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(refused.message(), "lease 7 already has an upload in flight");
    EXPECT_TRUE(second.Claim(8, 2'000'000).ok());  // another lease is free
  }
  std::optional<UploadStreams::Stream> third(Open(streams, &cancels));
  EXPECT_EQ(third->Claim(7, 2'000'000).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(third->Claim(8, 2'000'000).ok()) << "the closed stream's lease is free again";
  { UploadStreams::Stream done = std::move(first); }
  UploadStreams::Stream retry = Open(streams, &cancels);
  EXPECT_TRUE(retry.Claim(7, 2'000'000).ok()) << "the lease is free once its stream closed";
  EXPECT_EQ(cancels, 0);
}

// One network cannot take every slot: its streams are bounded on their
// own, and another network still gets one.
TEST_F(UploadStreamsTest, StreamsFromOneNetworkAreBounded) {
  UploadStreamLimits limits = limits_;
  limits.max_streams = 10;
  limits.max_streams_per_network = 2;
  UploadStreams streams(&env_, limits);
  std::optional<Result<UploadStreams::Stream>> a(streams.Open([] {}, "198.51.100.0/24"));
  Result<UploadStreams::Stream> b = streams.Open([] {}, "198.51.100.0/24");
  ASSERT_TRUE(a->ok() && b.ok());
  Result<UploadStreams::Stream> over = streams.Open([] {}, "198.51.100.0/24");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kUnavailable) << "a worker retries it";
  EXPECT_NE(over.status().message().find("198.51.100.0/24"), std::string::npos);
  EXPECT_TRUE(streams.Open([] {}, "203.0.113.0/24").ok()) << "another network is not held up";
  a.reset();  // a stream closes: its network may open one again
  EXPECT_TRUE(streams.Open([] {}, "198.51.100.0/24").ok());
}

TEST_F(UploadStreamsTest, OpenStreamsAreBounded) {
  UploadStreams streams(&env_, limits_);
  int cancels = 0;
  std::optional<UploadStreams::Stream> a(Open(streams, &cancels));
  UploadStreams::Stream b = Open(streams, &cancels);
  UploadStreams::Stream c = Open(streams, &cancels);
  Result<UploadStreams::Stream> over = streams.Open([] {});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kUnavailable) << "a worker retries it";
  EXPECT_EQ(streams.open_streams(), 3u);
  a.reset();
  EXPECT_EQ(streams.open_streams(), 2u);
  EXPECT_TRUE(streams.Open([] {}).ok());
}

TEST_F(UploadStreamsTest, AStreamWaitingTooLongForAChunkIsCancelledOnce) {
  UploadStreams streams(&env_, limits_);
  int stalled = 0, busy = 0;
  UploadStreams::Stream waiting = Open(streams, &stalled);  // waits for its header
  UploadStreams::Stream working = Open(streams, &busy);
  working.Working();  // checking a frame is not idling, however long it takes
  env_.AdvanceMs(2000);
  EXPECT_EQ(streams.CancelStalled(), 0) << "exactly idle_ms is still allowed";
  env_.AdvanceMs(1);
  EXPECT_EQ(streams.CancelStalled(), 1);
  EXPECT_EQ(stalled, 1);
  EXPECT_EQ(busy, 0);
  EXPECT_EQ(waiting.cancelled(), "no chunk for 2001 ms");
  EXPECT_EQ(working.cancelled(), "");
  EXPECT_EQ(streams.CancelStalled(), 0) << "a cancelled stream is not cancelled again";
  EXPECT_EQ(stalled, 1);
  // A chunk arriving resets the idle clock.
  working.Reading();
  env_.AdvanceMs(1500);
  working.Working();
  working.Reading();
  env_.AdvanceMs(1500);
  EXPECT_EQ(streams.CancelStalled(), 0);
  EXPECT_EQ(busy, 0);
}

TEST_F(UploadStreamsTest, AStreamReadingPastItsLeaseIsCancelled) {
  UploadStreams streams(&env_, limits_);
  int cancels = 0;
  UploadStreams::Stream stream = Open(streams, &cancels);
  ASSERT_TRUE(stream.Claim(9, env_.NowMs() + 1000).ok());
  // Chunks keep coming (never idle), but the lease runs out.
  for (int i = 0; i < 3; ++i) {
    stream.Working();
    stream.Reading();
    env_.AdvanceMs(400);
    streams.CancelStalled();
  }
  EXPECT_EQ(cancels, 1);
  EXPECT_EQ(stream.cancelled(), "its lease's deadline passed 200 ms ago");
}

TEST_F(UploadStreamsTest, TheWatchdogCancelsWithoutBeingAsked) {
  // The real clock: a 50 ms idle bound is checked every 12 ms or so.
  UploadStreams streams(Env::Default(), {/*idle_ms=*/50, /*max_streams=*/3});
  streams.StartWatchdog();
  std::atomic<int> cancels{0};
  Result<UploadStreams::Stream> stream = streams.Open([&cancels] { ++cancels; });
  ASSERT_TRUE(stream.ok());
  for (int i = 0; i < 500 && cancels == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(cancels, 1);
  EXPECT_NE(stream->cancelled().find("no chunk for"), std::string::npos);
}

}  // namespace
}  // namespace flamegrid::coordinator
