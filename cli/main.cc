#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"lodestone: a bitemporal knowledge graph of critical-minerals policy"};
  CLI11_PARSE(app, argc, argv);
  return 0;
}
