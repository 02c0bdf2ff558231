// Running the lodestone binary (LODESTONE_BINARY, set by tests/cli/CMakeLists.txt) and shell commands
// from the CLI tests, as a user would.
#pragma once

#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace lodestone::testing {

struct Ran {
  int status;
  std::string out;  // stdout, and stderr with `both`
};

// Runs `cmd` in the shell and collects its output; status -1 when it did not exit normally.
inline Ran Sh(const std::string& cmd, bool both = true) {
  Ran r{0, ""};
  FILE* p = popen((cmd + (both ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (!p) return {-1, "popen failed"};
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// The command line that starts the binary on the database at `db`.
inline std::string Lodestone(const std::string& db) { return std::string(LODESTONE_BINARY) + " --db " + db; }

}  // namespace lodestone::testing
