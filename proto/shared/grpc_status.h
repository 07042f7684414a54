// flamegrid::Status <-> grpc::Status, one mapping for both ends of the wire:
// the coordinator's services answer with ToGrpc, and the worker and the
// command-line tools read answers with FromGrpc, so neither checks raw gRPC
// codes by hand. UNAUTHENTICATED reads as PermissionDenied. Pure functions,
// thread-safe.
#pragma once

#include <grpcpp/support/status.h>

#include "renderer/base/status.h"

namespace flamegrid {

grpc::Status ToGrpc(const Status& status);
Status FromGrpc(const grpc::Status& status);

}  // namespace flamegrid
