#include "web/download.h"

namespace ah::web {

http::Response download(std::string bytes, std::string_view content_type,
                        std::string_view filename) {
  http::Response response;
  response.body = std::move(bytes);
  response.headers.set("Content-Type", std::string(content_type));
  response.headers.set("Content-Disposition",
                       "attachment; filename=\"" + std::string(filename) + "\"");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

}  // namespace ah::web
