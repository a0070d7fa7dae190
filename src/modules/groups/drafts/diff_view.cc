#include "modules/groups/drafts/diff_view.h"

namespace ah::modules::groups::drafts {

namespace {

std::string_view change_name(Change change) {
  switch (change) {
    case Change::removed:
      return "removed";
    case Change::added:
      return "added";
    case Change::same:
      break;
  }
  return "same";
}

}  // namespace

// A line's pieces for the templates: unchanged text, or <del>/<ins> with a hidden word.
web::Data pieces_data(const DiffLine& line) {
  web::Data pieces{web::Data::type::list};
  for (const auto& p : line.pieces) {
    web::Data item{web::Data::type::object};
    item.set("text", p.text);
    item.set("removed", p.change == Change::removed);
    item.set("added", p.change == Change::added);
    item.set("same", p.change == Change::same);
    pieces.push_back(item);
  }
  return pieces;
}

// The inline view: every line with its sign (−, +, or none), its numbers and its pieces.
web::Data inline_data(const Diff& diff) {
  web::Data lines{web::Data::type::list};
  for (const auto& line : diff.lines) {
    web::Data item{web::Data::type::object};
    item.set("change", std::string(change_name(line.change)));
    item.set("sign", std::string(line.change == Change::removed ? "−"
                                 : line.change == Change::added ? "+"
                                                                : " "));
    item.set("pieces", pieces_data(line));
    lines.push_back(item);
  }
  return lines;
}

web::Data side_by_side_data(const Diff& diff) {
  web::Data rows{web::Data::type::list};
  for (const auto& row : side_by_side(diff)) {
    web::Data item{web::Data::type::object};
    for (auto [side, line] : {std::pair{"left", &row.left}, std::pair{"right", &row.right}}) {
      if (!*line) continue;
      web::Data cell{web::Data::type::object};
      cell.set("change", std::string(change_name((*line)->change)));
      cell.set("pieces", pieces_data(**line));
      item.set(side, cell);
    }
    rows.push_back(item);
  }
  return rows;
}

}  // namespace ah::modules::groups::drafts
