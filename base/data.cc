#include "imr/base/data.h"

#include <cstdlib>

#ifndef IMR_DATA_DIR
#define IMR_DATA_DIR "data"
#endif

namespace imr {

std::string data_dir() {
  const char* env = std::getenv("IMR_DATA_DIR");
  std::string d = (env && *env) ? env : IMR_DATA_DIR;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d;
}

std::string data_path(const std::string& relative) { return data_dir() + "/" + relative; }

}  // namespace imr
