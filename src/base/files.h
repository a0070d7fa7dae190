// Small file helpers shared by the loaders (assets, templates, catalogues, config).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace ah {

// The whole file as bytes; std::nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace ah
