// Port of bench/peers/gen.mjs. The comments name the JavaScript each piece must match; the rule
// throughout is that every draw from the generator happens in the same order as in JavaScript
// (template literals and object literals evaluate left to right) and that every number is computed
// with the same IEEE double operations.
#include "bench/gen/generator.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bench/gen/js_math.h"

namespace lodestone::bench {
namespace {

// mulberry32, as gen.mjs writes it:
//   s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
//   t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
// Every step is arithmetic modulo 2^32 (the JavaScript `t + Math.imul(...)` is a double sum, but `^=`
// takes it back modulo 2^32), so uint32_t reproduces it exactly.
class Mulberry32 {
 public:
  explicit Mulberry32(uint32_t seed) : s_(seed) {}
  double Next() {
    s_ += 0x6D2B79F5u;
    uint32_t t = s_;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
  }

 private:
  uint32_t s_;
};

// Math.round: the nearest integer, halves towards +infinity.
double JsRound(double x) {
  double r = std::floor(x);
  return x - r >= 0.5 ? r + 1 : r;
}

// Days since 1970-01-01 of a proleptic Gregorian date (what Date.UTC(y, m - 1, d) / 864e5 gives).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// new Date(days * 864e5).toISOString().slice(0, 10), for years 0000-9999.
std::string IsoDay(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

// String(x) for the integral numbers the generator prints.
std::string Int(int64_t v) { return std::to_string(v); }

// String(x) for a number: integers print without a fraction; others in shortest round-trip form
// (JavaScript and std::to_chars agree on the digits; only exponent spelling could differ, and the
// generator never prints such numbers into its files).
std::string Num(double x) {
  if (std::floor(x) == x && std::fabs(x) < 1e21) return Int(static_cast<int64_t>(x));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

// One CSV file: the header, then lines, written as lines.join('\n') + '\n'.
struct CsvFile {
  std::string name;
  std::string text;
  int64_t rows = 0;
  CsvFile(std::string n, std::string_view header) : name(std::move(n)), text(header) {}
  void Push(std::string_view line) {
    text.push_back('\n');
    text.append(line);
    ++rows;
  }
};

bool WriteFile(const std::filesystem::path& path, std::string_view text, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    *error = "cannot write " + path.string();
    return false;
  }
  return true;
}

}  // namespace

uint32_t JsToUint32(double x) {
  if (!std::isfinite(x)) return 0;
  double t = std::trunc(x);
  double m = std::fmod(t, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<uint32_t>(m);
}

bool Generate(const GenOptions& options, GenSummary* summary, std::string* error) {
  namespace fs = std::filesystem;
  const double E = options.target;
  const fs::path out(options.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    *error = "cannot create " + out.string() + ": " + ec.message();
    return false;
  }

  Mulberry32 rng(options.seed);
  auto rnd = [&] { return rng.Next(); };
  auto ri = [&](int64_t n) { return static_cast<int64_t>(std::floor(rnd() * static_cast<double>(n))); };

  const auto A = static_cast<int64_t>(std::max(50.0, JsRound(E * 0.05)));
  const auto V = static_cast<int64_t>(JsRound(E * 0.30));
  const auto C = static_cast<int64_t>(std::max(10.0, JsRound(E * 0.01)));
  const auto G = static_cast<int64_t>(std::max(5.0, JsRound(E * 0.005)));
  const auto P = static_cast<int64_t>(std::max(10.0, JsRound(E * 0.01)));
  const auto R = static_cast<int64_t>(JsRound(E * 0.12));

  int64_t MUL = 1000003;
  while (std::gcd(MUL, A) != 1) MUL += 2;
  // hub = rank 0; ids decorrelated from degree
  auto actorOfRank = [&](int64_t r) { return (r * MUL + 7) % A; };
  // Math.floor(A * Math.pow(rnd(), 2.5)): power-law-ish popularity
  auto pickActor = [&] {
    return actorOfRank(static_cast<int64_t>(std::floor(static_cast<double>(A) * jsmath::Pow(rnd(), 2.5))));
  };

  const int64_t D0 = DaysFromCivil(2000, 1, 1);
  const int64_t SPAN = DaysFromCivil(2026, 12, 31) - D0;
  auto day = [&](int64_t d) { return IsoDay(D0 + d); };
  // Math.floor(SPAN * Math.sqrt(rnd())): more activity in later years
  auto skewDay = [&] {
    return static_cast<int64_t>(std::floor(static_cast<double>(SPAN) * std::sqrt(rnd())));
  };

  static constexpr std::array<std::string_view, 6> kKinds = {"government", "agency",   "company",
                                                             "ngo",        "intl_org", "person"};
  static constexpr std::array<std::string_view, 8> kEtypes = {
      "announcement", "meeting", "sanction", "signing", "review", "statement", "investment", "dispute"};
  static constexpr std::array<std::string_view, 4> kRelKinds = {"ally", "member_of", "subsidiary",
                                                                "counterpart"};

  // In the order gen.mjs creates them (which is the key order of counts.json).
  CsvFile actors("actor.csv", "id,name,kind");
  CsvFile events("event.csv", "id,name,date,etype");
  CsvFile controls("control.csv", "id,name,valid_from,valid_to");
  CsvFile agreements("agreement.csv", "id,name,signed");
  CsvFile projects("project.csv", "id,name,start");
  CsvFile part("participated.csv", "src,dst,role");
  CsvFile aboutC("about_control.csv", "src,dst");
  CsvFile aboutG("about_agreement.csv", "src,dst");
  CsvFile aboutP("about_project.csv", "src,dst");
  CsvFile rel("related.csv", "src,dst,since,kind");
  CsvFile imposes("imposes.csv", "src,dst");
  CsvFile targets("targets.csv", "src,dst");
  CsvFile partyTo("party_to.csv", "src,dst");
  CsvFile funds("funds.csv", "src,dst");

  for (int64_t i = 0; i < A; i++) {
    char name[32];
    std::snprintf(name, sizeof name, "actor_%07lld",
                  static_cast<long long>(i));  // String(i).padStart(7, '0')
    actors.Push(Int(i) + "," + name + "," + std::string(kKinds[static_cast<size_t>(ri(kKinds.size()))]));
  }

  for (int64_t i = 0; i < C; i++) {
    const int64_t f = skewDay();
    std::string to;
    if (!(rnd() < 0.4)) to = day(std::min(SPAN, f + 30 + ri(3650)));
    controls.Push(Int(i) + ",control_" + Int(i) + "," + day(f) + "," + to);
    imposes.Push(Int(pickActor()) + "," + Int(i));
    const int64_t t = 1 + ri(5);
    std::unordered_set<int64_t> seen;
    for (int64_t k = 0; k < t; k++) {
      const int64_t a = pickActor();
      if (seen.insert(a).second) targets.Push(Int(i) + "," + Int(a));
    }
  }
  for (int64_t i = 0; i < G; i++) {
    agreements.Push(Int(i) + ",agreement_" + Int(i) + "," + day(skewDay()));
    const int64_t t = 2 + ri(5);
    std::unordered_set<int64_t> seen;
    for (int64_t k = 0; k < t; k++) {
      const int64_t a = pickActor();
      if (seen.insert(a).second) partyTo.Push(Int(a) + "," + Int(i));
    }
  }
  for (int64_t i = 0; i < P; i++) {
    projects.Push(Int(i) + ",project_" + Int(i) + "," + day(skewDay()));
    const int64_t t = 1 + ri(3);
    std::unordered_set<int64_t> seen;
    for (int64_t k = 0; k < t; k++) {
      const int64_t a = pickActor();
      if (seen.insert(a).second) funds.Push(Int(a) + "," + Int(i));
    }
  }
  for (int64_t i = 0; i < V; i++) {
    std::string date = day(skewDay());
    std::string_view etype = kEtypes[static_cast<size_t>(ri(kEtypes.size()))];
    events.Push(Int(i) + ",event_" + Int(i) + "," + date + "," + std::string(etype));
    // Math.min(8, 1 + Math.floor(-Math.log(1 - rnd()) * 1.2))
    const double draw = -jsmath::Log(1 - rnd()) * 1.2;
    const int64_t k = std::min<int64_t>(8, 1 + static_cast<int64_t>(std::floor(draw)));
    std::unordered_set<int64_t> seen;
    for (int64_t j = 0; j < k; j++) {
      const int64_t a = pickActor();
      if (seen.insert(a).second) part.Push(Int(a) + "," + Int(i) + "," + (j == 0 ? "lead" : "party"));
    }
    const double u = rnd();
    if (u < 0.5) {
      aboutC.Push(Int(i) + "," + Int(ri(C)));
    } else if (u < 0.75) {
      aboutG.Push(Int(i) + "," + Int(ri(G)));
    } else {
      aboutP.Push(Int(i) + "," + Int(ri(P)));
    }
  }
  std::unordered_set<int64_t> relSeen;
  for (int64_t i = 0; i < R; i++) {
    const int64_t a = pickActor();
    const int64_t b = pickActor();
    if (a == b) continue;
    if (!relSeen.insert(a * A + b).second) continue;
    std::string since = day(skewDay());
    rel.Push(Int(a) + "," + Int(b) + "," + since + "," + std::string(kRelKinds[static_cast<size_t>(ri(4))]));
  }

  // Query parameters: deterministic, a mixture of hub / mid / tail actors.
  std::string params = "{\"hub\":" + Int(actorOfRank(0)) + ",\"mid\":" + Int(actorOfRank(A / 20)) +
                       ",\"tail\":" + Int(actorOfRank(A - 1)) + ",\"names\":[";
  for (int n = 0; n < 20; n++) params += (n ? "," : "") + Int(ri(A));
  params += "],\"pathPairs\":[";
  for (int n = 0; n < 5; n++) {
    const int64_t a = pickActor();
    const int64_t b = pickActor();
    params += std::string(n ? "," : "") + "[" + Int(a) + "," + Int(b) + "]";
  }
  params += "],\"dates\":[";
  for (int n = 0; n < 5; n++) params += std::string(n ? "," : "") + "\"" + day(skewDay()) + "\"";
  params += "]}";

  std::vector<CsvFile*> all = {&actors, &events, &controls, &agreements, &projects, &part,    &aboutC,
                               &aboutG, &aboutP, &rel,      &imposes,    &targets,  &partyTo, &funds};
  for (CsvFile* f : all) {
    f->text.push_back('\n');
    if (!WriteFile(out / f->name, f->text, error)) return false;
  }
  if (!WriteFile(out / "params.json", params, error)) return false;

  const std::vector<CsvFile*> edgeFiles = {&part,    &aboutC,  &aboutG,  &aboutP, &rel,
                                           &imposes, &targets, &partyTo, &funds};
  int64_t nEdges = 0;
  for (CsvFile* f : edgeFiles) nEdges += f->rows;
  const int64_t nNodes = A + V + C + G + P;
  std::string counts = "{\"nodes\":" + Int(nNodes) + ",\"edges\":" + Int(nEdges);
  for (CsvFile* f : all) counts += ",\"" + f->name + "\":" + Int(f->rows);
  counts += "}";
  if (!WriteFile(out / "counts.json", counts, error)) return false;

  summary->nodes = nNodes;
  summary->edges = nEdges;
  summary->actors = A;
  summary->events = V;
  summary->related = rel.rows;
  summary->json = "{\"target\":" + Num(E) + ",\"nodes\":" + Int(nNodes) + ",\"edges\":" + Int(nEdges) +
                  ",\"actors\":" + Int(A) + ",\"events\":" + Int(V) + ",\"related\":" + Int(rel.rows) + "}";
  return true;
}

}  // namespace lodestone::bench
