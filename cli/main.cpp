// cspverify: the executable. All logic lives in cli/commands.cpp.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/interrupt.h"

int main(int argc, char** argv) {
  csp::cli::stop_on_signals();
  std::vector<std::string> args(argv + 1, argv + argc);
  return csp::cli::run(args, std::cout, std::cerr);
}
