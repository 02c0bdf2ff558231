// The server over loopback (web/server/server.h): the API through a real socket, the limits (413, 431,
// 408, 429), traversal attempts as sent on the wire, token rules, keep-alive, 100-continue, and the
// graceful shutdown on SIGTERM while a slow request runs.
#include "web/server/server.h"

#include <csignal>
#include <future>
#include <memory>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "tests/support/temp_dir.h"
#include "tests/web/test_views.h"

namespace lodestone::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

// A blocking client connection with a receive timeout, so a broken server fails the test instead of
// hanging it.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  void Send(std::string_view bytes) { net::write(socket_, net::buffer(bytes.data(), bytes.size())); }
  void Send(const Request& req) { http::write(socket_, req); }
  // Reads one response; its result is 0 when the connection closed (or the read failed) first.
  Response Read() {
    Response res;
    beast::error_code ec;
    http::read(socket_, buffer_, res, ec);
    if (ec) res.result(0);
    return res;
  }
  Response Exchange(const Request& req) {
    Send(req);
    return Read();
  }
  // True when the server closed the connection (EOF) within the receive timeout.
  bool Closed() {
    char c;
    beast::error_code ec;
    if (buffer_.size() > 0) return false;
    size_t n = socket_.read_some(net::buffer(&c, 1), ec);
    return n == 0 && (ec == net::error::eof || ec == net::error::connection_reset);
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

Request MakeGet(const std::string& target) {
  Request req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  return req;
}

Request MakePost(const std::string& target, const std::string& body,
                 const std::string& type = "application/json", const std::string& auth = "") {
  Request req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, type);
  if (!auth.empty()) req.set(http::field::authorization, auth);
  req.body() = body;
  req.prepare_payload();
  return req;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WritePage(std::filesystem::path(dir_.Sub("page")) / "dist");
    assets_ = DirectoryAssets(dir_.Sub("page/dist"));
    db_ = testing::MakeDatabase(dir_.Sub("db"));
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
  }
  void Start(ServerOptions so = {}, ApiOptions ao = {}) {
    so.port = 0;
    if (so.read_timeout == ServerOptions{}.read_timeout) so.read_timeout = 2s;
    api_ = std::make_unique<Api>(*db_, views_, *assets_, std::move(ao));
    server_ = std::make_unique<Server>(*api_, so);
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.message();
    ASSERT_NE(server_->port(), 0);
  }
  uint16_t port() const { return server_->port(); }
  void WaitForRequestInFlight() {
    for (int i = 0; i < 500 && server_->requests_in_flight() == 0; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(server_->requests_in_flight(), 1u);
  }

  lodestone::testing::TempDir dir_;
  testing::FakeViews views_;
  std::unique_ptr<AssetSource> assets_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, AnswersTheApiAndThePage) {
  Start();
  Client c(port());
  Response r = c.Exchange(MakeGet("/healthz"));
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(json::parse(r.body())["nodes"], 3);
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_NE(r["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string_view::npos);
  r = c.Exchange(MakePost("/api/query", R"({"query": "MATCH (a:Actor) RETURN a.name ORDER BY a.name"})"));
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(json::parse(r.body())["rows"], json::parse(R"([["China"], ["Japan"], ["United States"]])"));
  r = c.Exchange(MakeGet("/"));
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "text/html; charset=utf-8");
  r = c.Exchange(MakeGet("/api/entity/actor/c%C3%B4te%20d%27ivoire"));
  EXPECT_EQ(r.result_int(), 200u) << r.body();
  r = c.Exchange(MakeGet("/api/entity/actor/nobody"));
  EXPECT_EQ(r.result_int(), 404u);
  EXPECT_EQ(server_->open_connections(), 1u) << "all of it on one kept-alive connection";
}

TEST_F(ServerTest, KeepAliveAndClose) {
  Start();
  Client c(port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.Exchange(MakeGet("/healthz")).result_int(), 200u);
  Request last = MakeGet("/healthz");
  last.keep_alive(false);
  Response r = c.Exchange(last);
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(c.Closed());
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Start();
  Client c(port());
  c.Send("GET /api/entity/actor/china HTTP/1.1\r\nHost: x\r\n\r\nGET /api/nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.Read().result_int(), 200u);
  EXPECT_EQ(c.Read().result_int(), 404u);
}

TEST_F(ServerTest, DeclaredBodyTooLargeIs413AndCloses) {
  ApiOptions ao;
  ao.query_body_limit = 1024;
  Start({}, ao);
  Client c(port());
  c.Send(
      "POST /api/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "2000000\r\n\r\n");
  Response r = c.Read();
  EXPECT_EQ(r.result_int(), 413u) << r.body();
  EXPECT_EQ(json::parse(r.body())["error"]["detail"], "BodyTooLarge");
  EXPECT_TRUE(c.Closed());
}

TEST_F(ServerTest, ChunkedBodyTooLargeIs413) {
  ApiOptions ao;
  ao.query_body_limit = 1024;
  Start({}, ao);
  Client c(port());
  std::string chunk(800, 'x');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  c.Send(
      "POST /api/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
      "chunked\r\n\r\n");
  c.Send(std::string(size) + "\r\n" + chunk + "\r\n" + size + "\r\n" + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(c.Read().result_int(), 413u);
}

TEST_F(ServerTest, HeadersTooLargeAre431) {
  ServerOptions so;
  so.header_limit = 4096;
  Start(so);
  Client c(port());
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
  Response r = c.Read();
  EXPECT_EQ(r.result_int(), 431u);
  EXPECT_EQ(json::parse(r.body())["error"]["kind"], "RequestHeaderFieldsTooLarge");
}

TEST_F(ServerTest, SlowRequestIs408) {
  ServerOptions so;
  so.read_timeout = 300ms;
  Start(so);
  Client c(port());
  auto t0 = std::chrono::steady_clock::now();
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finished
  Response r = c.Read();
  EXPECT_EQ(r.result_int(), 408u);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
  EXPECT_TRUE(c.Closed());
}

TEST_F(ServerTest, SlowBodyIs408) {
  ServerOptions so;
  so.read_timeout = 300ms;
  Start(so);
  Client c(port());
  c.Send(
      "POST /api/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "100\r\n\r\n{\"qu");
  EXPECT_EQ(c.Read().result_int(), 408u);
}

TEST_F(ServerTest, IdleConnectionIsClosedQuietly) {
  ServerOptions so;
  so.idle_timeout = 200ms;
  Start(so);
  Client c(port());
  EXPECT_EQ(c.Exchange(MakeGet("/healthz")).result_int(), 200u);
  EXPECT_TRUE(c.Closed());
  for (int i = 0; i < 100 && server_->open_connections() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server_->open_connections(), 0u);
}

// A few hundred connections that send nothing, stop in the middle of their headers, or stop in the
// middle of their bodies hold no thread: a newcomer is served while they are all still open, and then
// their timeouts close every one of them (the slow ones with a 408).
TEST_F(ServerTest, IdleAndSlowConnectionsDoNotStarveOthersAndAreClosed) {
  ServerOptions so;
  so.read_timeout = 4s;
  so.idle_timeout = 4s;
  so.max_connections = 400;
  Start(so);
  constexpr size_t kEach = 100;
  std::vector<std::unique_ptr<Client>> idle, slow_headers, slow_bodies;
  for (size_t i = 0; i < kEach; ++i) {
    idle.push_back(std::make_unique<Client>(port()));
    slow_headers.push_back(std::make_unique<Client>(port()));
    slow_headers.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    slow_bodies.push_back(std::make_unique<Client>(port()));
    slow_bodies.back()->Send(
        "POST /api/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        "100\r\n\r\n{\"qu");
  }
  for (int i = 0; i < 300 && server_->open_connections() < 3 * kEach; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(server_->open_connections(), 3 * kEach);
  {
    Client fresh(port());
    EXPECT_EQ(fresh.Exchange(MakeGet("/healthz")).result_int(), 200u);
    EXPECT_EQ(fresh.Exchange(MakePost("/api/query", R"j({"query": "MATCH (a:Actor) RETURN count(a)"})j"))
                  .result_int(),
              200u);
    // Served while the others were still open, not after their timeouts.
    EXPECT_EQ(server_->open_connections(), 3 * kEach + 1);
  }
  for (auto& c : slow_headers) {
    EXPECT_EQ(c->Read().result_int(), 408u);
    EXPECT_TRUE(c->Closed());
  }
  for (auto& c : slow_bodies) {
    EXPECT_EQ(c->Read().result_int(), 408u);
    EXPECT_TRUE(c->Closed());
  }
  for (auto& c : idle) EXPECT_TRUE(c->Closed());
  for (int i = 0; i < 300 && server_->open_connections() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(ServerTest, ConnectionsBeyondTheCapGet429) {
  ServerOptions so;
  so.max_connections = 2;
  Start(so);
  Client a(port()), b(port());
  EXPECT_EQ(a.Exchange(MakeGet("/healthz")).result_int(), 200u);
  EXPECT_EQ(b.Exchange(MakeGet("/healthz")).result_int(), 200u);
  Client c(port());
  Response r = c.Read();
  EXPECT_EQ(r.result_int(), 429u);
  EXPECT_EQ(json::parse(r.body())["error"]["detail"], "TooManyConnections");
  EXPECT_TRUE(c.Closed());
  // Still served on the open ones.
  EXPECT_EQ(a.Exchange(MakeGet("/healthz")).result_int(), 200u);
}

TEST_F(ServerTest, TraversalOnTheWireIs404) {
  Start();
  for (const char* t : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                        "/%2e%2e%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/..\\secret.txt",
                        "/..%5csecret.txt", "/assets/link.js", "/....//secret.txt"}) {
    SCOPED_TRACE(t);
    Client c(port());
    c.Send(std::string("GET ") + t + " HTTP/1.1\r\nHost: x\r\n\r\n");
    Response r = c.Read();
    EXPECT_EQ(r.result_int(), 404u);
    EXPECT_EQ(r.body().find("TOP SECRET"), std::string::npos);
  }
}

TEST_F(ServerTest, MalformedRequestIs400) {
  Start();
  Client c(port());
  c.Send("GET /healthz HTTP/9.9\r\n\r\n");
  EXPECT_EQ(c.Read().result_int(), 400u);
  Client d(port());
  d.Send("GET /healthz HTTP/1.1\r\nContent-Length: x\r\n\r\n");
  EXPECT_EQ(d.Read().result_int(), 400u);
}

TEST_F(ServerTest, TokenRules) {
  ApiOptions ao;
  ao.token = "correct-horse";
  Start({}, ao);
  Client c(port());
  EXPECT_EQ(c.Exchange(MakePost("/api/import", "{}\n", "application/x-ndjson")).result_int(), 401u);
  EXPECT_EQ(c.Exchange(MakePost("/api/import", "{}\n", "application/x-ndjson", "Bearer wrong")).result_int(),
            401u);
  Response r =
      c.Exchange(MakePost("/api/import", "{\"x\": 1}\n", "application/x-ndjson", "Bearer correct-horse"));
  EXPECT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(views_.last_import, "{\"x\": 1}\n");
}

TEST_F(ServerTest, WritingIsOffWithoutAToken) {
  Start();
  {
    // Refused from the header; the small body is read and dropped, and the connection stays usable.
    Client c(port());
    Response r = c.Exchange(MakePost("/api/import", "{}\n", "application/x-ndjson"));
    EXPECT_EQ(r.result_int(), 403u);
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(c.Exchange(MakeGet("/healthz")).result_int(), 200u);
  }
  {
    // A client waiting for 100-continue gets the refusal at once, and the connection closes.
    Client c(port());
    c.Send(
        "POST /api/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nExpect: "
        "100-continue\r\n"
        "Content-Length: 5\r\n\r\n");
    Response r = c.Read();
    EXPECT_EQ(r.result_int(), 403u);
    EXPECT_FALSE(r.keep_alive());
    EXPECT_TRUE(c.Closed());
  }
  EXPECT_TRUE(views_.last_import.empty());
}

TEST_F(ServerTest, ExpectContinue) {
  Start();
  Client c(port());
  std::string body = R"({"query": "RETURN 1 AS one"})";
  c.Send(
      "POST /api/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: "
      "100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  Response cont = c.Read();
  EXPECT_EQ(cont.result_int(), 100u);
  c.Send(body);
  Response r = c.Read();
  EXPECT_EQ(r.result_int(), 200u) << r.body();
}

TEST_F(ServerTest, EarlyErrorsDoNotWaitForBusyWorkers) {
  ServerOptions so;
  so.worker_threads = 1;
  Start(so);
  auto slow = std::async(std::launch::async, [&] {
    Client c(port());
    return c.Exchange(MakeGet("/api/timeline?slow=1500")).result_int();
  });
  std::this_thread::sleep_for(300ms);
  auto t0 = std::chrono::steady_clock::now();
  Client c(port());
  EXPECT_EQ(c.Exchange(MakeGet("/api/nope")).result_int(), 404u);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 800ms)
      << "answered by the I/O thread while the worker is busy";
  EXPECT_EQ(slow.get(), 200u);
}

TEST_F(ServerTest, ConcurrentClients) {
  ServerOptions so;
  so.io_threads = 2;
  Start(so);
  std::vector<std::future<int>> clients;
  for (int i = 0; i < 16; ++i) {
    clients.push_back(std::async(std::launch::async, [&] {
      Client c(port());
      int ok = 0;
      for (int j = 0; j < 20; ++j) {
        ok += c.Exchange(MakePost("/api/query", R"j({"query": "MATCH (a:Actor) RETURN count(a)"})j"))
                  .result_int() == 200;
      }
      return ok;
    }));
  }
  for (auto& f : clients) EXPECT_EQ(f.get(), 20);
}

TEST_F(ServerTest, SigtermLetsTheRunningRequestFinishThenStops) {
  Start();
  Client idle(port());
  EXPECT_EQ(idle.Exchange(MakeGet("/healthz")).result_int(), 200u);
  auto slow = std::async(std::launch::async, [&] {
    Client c(port());
    return c.Exchange(MakeGet("/api/timeline?slow=1000"));
  });
  WaitForRequestInFlight();
  auto t0 = std::chrono::steady_clock::now();
  std::raise(SIGTERM);
  Response r = slow.get();
  EXPECT_EQ(r.result_int(), 200u) << "the request in flight completes";
  EXPECT_FALSE(r.keep_alive()) << "and its connection closes";
  EXPECT_TRUE(idle.Closed()) << "idle connections are closed";
  uint16_t p = port();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  server_.reset();
  // Nothing listens any more.
  EXPECT_THROW(Client late(p), std::exception);
  // The database closes and reopens cleanly.
  db_.reset();
  auto reopened = Database::Open(dir_.Sub("db"), {});
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  auto rows = (*reopened)->Connect()->Execute("MATCH (a:Actor) RETURN count(a)");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows.result.rows[0][0].as_int(), 3);
}

TEST_F(ServerTest, SigtermWhileASlowQueryRuns) {
  // A generous time limit: under the sanitizers the query below runs for well over ten seconds.
  ApiOptions ao;
  ao.query_timeout = 120s;
  Start({}, ao);
  // A query that takes a while in the engine itself.
  auto slow = std::async(std::launch::async, [&] {
    Client c(port());
    return c.Exchange(
        MakePost("/api/query", R"({"query": "UNWIND range(1, 3000000) AS x RETURN count(x) AS n"})"));
  });
  WaitForRequestInFlight();
  std::raise(SIGTERM);
  Response r = slow.get();
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(json::parse(r.body())["rows"][0][0], 3000000);
  server_->Wait();
  server_.reset();
  db_.reset();
  EXPECT_TRUE(Database::Open(dir_.Sub("db"), {}).ok());
}

TEST_F(ServerTest, StopRefusesNewConnections) {
  Start();
  uint16_t p = port();
  server_->Stop();
  server_->Wait();
  EXPECT_THROW(Client c(p), std::exception);
}

}  // namespace
}  // namespace lodestone::web
