// A Database in a temporary directory with a test clock (see scratch_store.h).
#pragma once

#include "query/database.h"
#include "tests/support/scratch_store.h"

namespace lodestone::testing {

using ScratchDatabase = Scratch<Database>;

}  // namespace lodestone::testing
