// Talking to a running `lodestone serve`: the writes a command sends there while the server holds the
// database.
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "cli/commands.h"

namespace lodestone::cli {

bool ReadToken(const std::string& path, std::string* token, std::string_view command) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "lodestone " << command << ": cannot read the token file " << path << "\n";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  size_t b = t.find_first_not_of(" \t\r\n"), e = t.find_last_not_of(" \t\r\n");
  *token = b == std::string::npos ? "" : t.substr(b, e - b + 1);
  if (token->empty()) {
    std::cerr << "lodestone " << command << ": the token file " << path << " is empty\n";
    return false;
  }
  if (token->find_first_of(" \t\r\n") != std::string::npos) {
    std::cerr << "lodestone " << command << ": the token in " << path << " must be one word\n";
    return false;
  }
  return true;
}

Result<HttpReply> HttpPost(const std::string& url, const std::string& path, const std::string& content_type,
                           const std::string& token, const std::string& body) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  constexpr std::string_view kScheme = "http://";
  std::string rest = url.rfind(kScheme, 0) == 0 ? url.substr(kScheme.size()) : "";
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  size_t colon = rest.rfind(':');
  std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
  std::string port = colon == std::string::npos ? "" : rest.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
      rest.find('/') != std::string::npos) {
    return Status::InvalidArgument(
        "--server expects the address `lodestone serve` prints, e.g. http://127.0.0.1:8080; got '" + url +
        "'");
  }
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> req{http::verb::post, path, 11};
    req.set(http::field::host, host + ":" + port);
    req.set(http::field::content_type, content_type);
    req.set(http::field::authorization, "Bearer " + token);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(uint64_t{64} << 20);
    http::read(stream, buffer, parser);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
  } catch (const std::exception& e) {
    return Status::IOError("no answer from the server at " + url + ": " + e.what());
  }
}

}  // namespace lodestone::cli
