// Fuzz target: arbitrary bytes -> the store's record and key decoders (docs/fuzzing.md).
//
// A database file that was corrupted on disk reaches these decoders; they must refuse malformed bytes
// with an error, never read out of bounds. The first byte chooses the decoder, the rest is its input.
// Whatever decodes must encode to bytes that decode to the same encoding again (a canonical round trip).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/key_codec.h"
#include "store/record.h"
#include "tests/fuzz/fuzz_check.h"

namespace lodestone::fuzz {
namespace {

using namespace layout;

void Node(std::string_view in) {
  NodeRecord r;
  if (!codec::DecodeNode(in, &r).ok()) return;
  std::string e = codec::EncodeNode(r);
  NodeRecord again;
  Check(codec::DecodeNode(e, &again).ok(), "an encoded node decodes");
  Check(codec::EncodeNode(again) == e, "a node round-trips");
  for (const auto& [key, value] : r.props) {
    Value found;
    auto has = codec::FindNodeProperty(e, key, &found);
    Check(has.ok() && *has, "every decoded property is found by FindNodeProperty");
  }
}

void Rel(std::string_view in) {
  RelRecord r;
  if (!codec::DecodeRel(in, &r).ok()) return;
  std::string e = codec::EncodeRel(r);
  RelRecord again;
  Check(codec::DecodeRel(e, &again).ok(), "an encoded relationship decodes");
  Check(codec::EncodeRel(again) == e, "a relationship round-trips");
}

void Change(std::string_view in) {
  ChangeRecord r;
  if (!codec::DecodeChange(in, &r).ok()) return;
  std::string e = codec::EncodeChange(r);
  ChangeRecord again;
  Check(codec::DecodeChange(e, &again).ok(), "an encoded change decodes");
  Check(codec::EncodeChange(again) == e, "a change round-trips");
}

void OneValue(std::string_view in) {
  Value v;
  if (!codec::DecodeValue(&in, &v)) return;
  std::string e;
  codec::AppendValue(&e, v);
  std::string_view view = e;
  Value again;
  Check(codec::DecodeValue(&view, &again) && view.empty(), "an encoded value decodes whole");
  std::string e2;
  codec::AppendValue(&e2, again);
  Check(e2 == e, "a value round-trips");
  std::string_view skip = e;
  Check(codec::SkipValue(&skip) && skip.empty(), "SkipValue skips an encoded value whole");
}

void OneValidity(std::string_view in) {
  Validity v;
  if (!codec::DecodeValidity(&in, &v)) return;
  std::string e;
  codec::AppendValidity(&e, v);
  std::string_view view = e;
  Validity again;
  Check(codec::DecodeValidity(&view, &again) && view.empty(), "an encoded validity decodes whole");
  Check(again == v, "a validity round-trips");
}

void Ordered(uint8_t kind_byte, std::string_view in) {
  static constexpr Value::Kind kKinds[] = {Value::Kind::kBool,   Value::Kind::kInt,  Value::Kind::kFloat,
                                           Value::Kind::kString, Value::Kind::kDate, Value::Kind::kDateTime};
  Value::Kind kind = kKinds[kind_byte % std::size(kKinds)];
  Value v;
  if (!DecodeOrderedValue(kind, &in, &v)) return;
  std::string e;
  Check(AppendOrderedValue(&e, v), "a decoded ordered value encodes");
  std::string_view view = e;
  Value again;
  Check(DecodeOrderedValue(kind, &view, &again) && view.empty(), "an encoded ordered value decodes whole");
  std::string e2;
  Check(AppendOrderedValue(&e2, again) && e2 == e, "an ordered value round-trips");
}

void Adj(std::string_view in) {
  if (in.size() != kAdjKeyBytes) return;
  AdjKey k = DecodeAdjKey(in);
  Check(EncodeAdjKey(k) == in, "an adjacency key round-trips");
}

// An adjacency chunk of either direction: what decodes encodes to a chunk of the same entries.
void Chunk(bool outgoing, std::string_view in) {
  codec::AdjChunk chunk;
  if (!codec::DecodeAdjChunk(in, outgoing, &chunk)) return;
  std::vector<std::string> records;
  std::string scratch;
  for (size_t i = 0; i < chunk.entries.size(); ++i)
    records.emplace_back(outgoing ? chunk.Record(i, &scratch) : "");
  std::vector<codec::AdjChunkEntry> entries = chunk.entries;
  for (size_t i = 0; i < entries.size(); ++i) entries[i].record = records[i];
  std::string e;
  // A record whose time is not a varint is the one thing the encoder refuses that the decoder keeps.
  if (!codec::AppendAdjChunk(&e, outgoing, entries).ok()) return;
  codec::AdjChunk again;
  Check(codec::DecodeAdjChunk(e, outgoing, &again), "an encoded chunk decodes");
  Check(again.entries.size() == entries.size(), "a chunk keeps its entries");
  for (size_t i = 0; i < entries.size(); ++i) {
    Check(again.entries[i].other == entries[i].other && again.entries[i].rel == entries[i].rel,
          "a chunk keeps its entries' ids");
    Check(again.Record(i, &scratch) == records[i], "a chunk keeps its records");
  }
}

}  // namespace
}  // namespace lodestone::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lodestone::fuzz;
  if (size < 1 || size > 4096) return -1;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0:
      Node(in);
      break;
    case 1:
      Rel(in);
      break;
    case 2:
      Change(in);
      break;
    case 3:
      OneValue(in);
      break;
    case 4:
      OneValidity(in);
      break;
    case 5:
      Ordered(data[0] / 7, in);
      break;
    default:  // the adjacency: a key, or a chunk of either direction
      if (data[0] / 7 % 3 == 0) {
        Adj(in);
      } else {
        Chunk(data[0] / 7 % 3 == 1, in);
      }
      break;
  }
  return 0;
}
