// The C++ generator must write exactly what bench/peers/gen.mjs writes: it runs both and compares every
// file byte for byte. Needs Node.js (found at configure time as LODESTONE_NODE).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/gen/generator.h"
#include "bench/gen/js_math.h"
#include "tests/support/temp_dir.h"

namespace lodestone::bench {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

bool HaveNode() { return std::strlen(LODESTONE_NODE) > 0 && fs::exists(LODESTONE_NODE); }

int Shell(const std::string& cmd) { return std::system(cmd.c_str()); }

// Runs both generators into two directories and compares every file they wrote.
void ExpectSameFiles(double target, uint32_t seed, const std::string& seed_arg) {
  testing::TempDir dir;
  const fs::path js = dir.path() / "js", cc = dir.path() / "cc";
  std::string cmd = Quote(LODESTONE_NODE) + " " + Quote(LODESTONE_GEN_MJS) + " " +
                    std::to_string(static_cast<long long>(target)) + " " + Quote(js.string()) + " " +
                    seed_arg + " > " + Quote((dir.path() / "js.out").string());
  ASSERT_EQ(Shell(cmd), 0) << cmd;

  GenOptions o;
  o.target = target;
  o.out_dir = cc.string();
  o.seed = seed;
  GenSummary summary;
  std::string error;
  ASSERT_TRUE(Generate(o, &summary, &error)) << error;
  EXPECT_EQ(summary.json + "\n", Slurp(dir.path() / "js.out"));

  std::set<std::string> js_files, cc_files;
  for (const auto& e : fs::directory_iterator(js)) js_files.insert(e.path().filename().string());
  for (const auto& e : fs::directory_iterator(cc)) cc_files.insert(e.path().filename().string());
  EXPECT_EQ(js_files, cc_files);
  EXPECT_GE(js_files.size(), 16u);  // 14 CSV files, params.json, counts.json
  for (const auto& name : js_files) {
    std::string a = Slurp(js / name), b = Slurp(cc / name);
    if (a == b) continue;
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    size_t from = a.rfind('\n', i == 0 ? 0 : i - 1);
    from = from == std::string::npos ? 0 : from + 1;
    ADD_FAILURE() << name << " differs at byte " << i << " (target " << target << ", seed " << seed
                  << ")\n  node: " << a.substr(from, 80) << "\n  c++:  " << b.substr(from, 80);
  }
}

TEST(BenchGen, SameFilesAsNodeAt1000) {
  if (!HaveNode()) GTEST_SKIP() << "node not found at configure time";
  ExpectSameFiles(1000, 42, "");
}

TEST(BenchGen, SameFilesAsNodeAt10000) {
  if (!HaveNode()) GTEST_SKIP() << "node not found at configure time";
  ExpectSameFiles(10000, 42, "");
}

TEST(BenchGen, SameFilesAsNodeWithAnotherSeed) {
  if (!HaveNode()) GTEST_SKIP() << "node not found at configure time";
  ExpectSameFiles(3000, 7, "7");
}

// The equality above covers the draws of small graphs; this covers many more draws of the two
// functions where glibc and V8 disagree in the last bit: Math.pow(u, 2.5) and Math.log(1 - u) for
// 2 million mulberry32 draws u, compared bit for bit.
TEST(BenchGen, LogAndPowMatchNodeBitForBit) {
  if (!HaveNode()) GTEST_SKIP() << "node not found at configure time";
  testing::TempDir dir;
  const fs::path script = dir.path() / "draws.mjs", out = dir.path() / "draws.bin";
  {
    std::ofstream s(script);
    s << "import fs from 'fs';\n"
         "let s = 42 >>> 0;\n"
         "const rnd = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);"
         " t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };\n"
         "const N = 2000000, a = new Float64Array(N * 3);\n"
         "for (let i = 0; i < N; i++) { const u = rnd(); a[3 * i] = u; a[3 * i + 1] = Math.pow(u, 2.5);"
         " a[3 * i + 2] = Math.log(1 - u); }\n"
         "fs.writeFileSync(process.argv[2], Buffer.from(a.buffer));\n";
  }
  ASSERT_EQ(Shell(Quote(LODESTONE_NODE) + " " + Quote(script.string()) + " " + Quote(out.string())), 0);
  std::string bytes = Slurp(out);
  ASSERT_EQ(bytes.size(), size_t{2000000} * 3 * 8);
  std::vector<double> v(bytes.size() / 8);
  std::memcpy(v.data(), bytes.data(), bytes.size());
  int pow_diff = 0, log_diff = 0;
  for (size_t i = 0; i < v.size(); i += 3) {
    const double u = v[i];
    if (jsmath::Pow(u, 2.5) != v[i + 1]) ++pow_diff;
    if (jsmath::Log(1 - u) != v[i + 2]) ++log_diff;
  }
  EXPECT_EQ(pow_diff, 0);
  EXPECT_EQ(log_diff, 0);
}

TEST(BenchGen, JsMathSpecialCases) {
  EXPECT_EQ(jsmath::Pow(0.0, 2.5), 0.0);
  EXPECT_EQ(jsmath::Pow(1.0, 2.5), 1.0);
  EXPECT_EQ(jsmath::Pow(4.0, 0.5), 2.0);
  EXPECT_EQ(jsmath::Pow(2.0, 10.0), 1024.0);
  EXPECT_TRUE(std::isnan(jsmath::Pow(-2.0, 0.5)));
  EXPECT_EQ(jsmath::Log(1.0), 0.0);
  EXPECT_EQ(jsmath::Log(0.0), -INFINITY);
  EXPECT_TRUE(std::isnan(jsmath::Log(-1.0)));
  EXPECT_NEAR(jsmath::Log(2.718281828459045), 1.0, 1e-15);
}

TEST(BenchGen, JsToUint32) {
  EXPECT_EQ(JsToUint32(42), 42u);
  EXPECT_EQ(JsToUint32(-1), 4294967295u);
  EXPECT_EQ(JsToUint32(4294967296.0 + 5), 5u);
  EXPECT_EQ(JsToUint32(7.9), 7u);
}

}  // namespace
}  // namespace lodestone::bench
