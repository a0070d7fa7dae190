// A file to download (a spreadsheet, a PDF, an export): the bytes with their type and a
// file name the browser saves them under.
//
//   return web::download(std::move(*bytes), web::kXlsxType, "abwaegung-7.xlsx");
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace ah::web {

inline constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr std::string_view kPdfType = "application/pdf";

// `filename` is ASCII without quotes (callers build it from fixed words and numbers).
// Not stored by caches: exports show what the reader may see now.
http::Response download(std::string bytes, std::string_view content_type,
                        std::string_view filename);

}  // namespace ah::web
