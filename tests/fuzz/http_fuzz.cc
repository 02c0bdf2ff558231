// Fuzz target: raw request bytes -> Beast's request parser -> the API's routes -> response bytes, as
// the server does it but without a socket (docs/fuzzing.md).
//
// The bytes may hold several pipelined requests; each is parsed with the server's header and body
// limits, prechecked on its header, answered by Api::Handle against a database holding the seed, and
// serialized. Writing is off (no token), so every input sees the same database. Every response must
// be a complete HTTP response with a status the API documents; a 5xx means a bug.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "domain/functions.h"
#include "tests/fuzz/fuzz_support.h"
#include "web/server/api.h"
#include "web/server/server.h"

namespace lodestone::fuzz {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using web::Api;
using web::Request;
using web::Response;

struct Site {
  std::unique_ptr<web::AssetSource> assets = web::EmbeddedAssets();
  std::unique_ptr<web::Views> views = web::DomainViews();
  std::unique_ptr<Api> api;
  web::ServerOptions server;
  Site() {
    web::ApiOptions o;
    o.today = [] { return *Date::Parse("2026-11-28"); };
    o.query_timeout = std::chrono::milliseconds(250);
    o.query_max_rows = 1000;
    o.query_max_memory_bytes = uint64_t{16} << 20;
    api = std::make_unique<Api>(SeedDatabase(), *views, *assets, std::move(o));
  }
};

Site& TheSite() {
  static Site site;
  return site;
}

void CheckResponse(Response& res, bool head) {
  int status = static_cast<int>(res.result_int());
  Check(status >= 200 && status < 600, "a response has a valid status");
  if (status >= 500) {
    std::fprintf(stderr, "HTTP %d: %s\n", status, res.body().c_str());
    Check(false, "no request makes the API answer 5xx");
  }
  Api::Finish(res, true, head);
  http::response_serializer<http::string_body> sr(res);
  beast::error_code ec;
  std::string out;
  do {
    sr.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (auto b : beast::buffers_range_ref(buffers))
        out.append(static_cast<const char*>(b.data()), b.size());
      sr.consume(beast::buffer_bytes(buffers));
    });
  } while (!ec && !sr.is_done());
  Check(!ec, "a response serializes");
  Check(out.rfind("HTTP/1.", 0) == 0, "a serialized response starts with its status line");
}

}  // namespace
}  // namespace lodestone::fuzz

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lodestone::fuzz::TheSite();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lodestone;
  if (size > 65536) return -1;
  fuzz::Site& site = fuzz::TheSite();
  boost::asio::const_buffer rest(data, size);
  for (int n = 0; n < 4 && rest.size() > 0; ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(site.server.header_limit);
    parser.body_limit(std::max(site.api->options().import_body_limit, site.api->options().query_body_limit));
    parser.eager(false);
    boost::beast::error_code ec;
    size_t used = parser.put(rest, ec);
    rest += used;
    if (ec || !parser.is_header_done()) return 0;  // the server answers 400/431 or waits for more bytes
    const web::RequestHeader& h = parser.get().base();
    bool head = h.method() == http::verb::head;
    if (auto early = site.api->Precheck(h)) {
      fuzz::CheckResponse(*early, head);
      return 0;
    }
    parser.body_limit(site.api->BodyLimit(h));
    parser.eager(true);
    while (!ec && !parser.is_done() && rest.size() > 0) {
      used = parser.put(rest, ec);
      if (used == 0) break;
      rest += used;
    }
    if (ec || !parser.is_done()) return 0;
    web::Request req = parser.release();
    web::Response res = site.api->Handle(req);
    fuzz::CheckResponse(res, head);
    if (!req.keep_alive()) return 0;
  }
  return 0;
}
