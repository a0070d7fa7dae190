// Building a page's mustache data without copying it. kainjow's data::set and push_back
// take their argument by const reference and copy it: setting a list of twenty proposals
// copies every object in it, and a page that builds nested lists copies them again at each
// level (a profile of the process page showed a fifth of its time in those copies).
// put and append move the value in instead and return where it now lives, so nested data
// is built in place.
//
//   web::Data list = web::list_with_room(proposals.size());
//   web::Data& item = web::append(list, web::Data{web::Data::type::object});
//   web::put(item, "title", proposal.title);
//   web::put(page, "proposals", std::move(list));
#pragma once

#include <cstddef>
#include <string>

#include "web/view.h"

namespace ah::web {

// An empty list with room for `n` items. kainjow's data has no noexcept move, so a
// std::vector of it copies (not moves) every item when it grows: reserve when the count
// is known.
Data list_with_room(std::size_t n);
// Stores `value` under `key` in `object` (replacing what was there); `object` must be an
// object (std::logic_error otherwise). Returns the stored value.
Data& put(Data& object, const std::string& key, Data&& value);
// Adds `value` at the end of `list`, which must be a list. Returns the stored value.
Data& append(Data& list, Data&& value);

}  // namespace ah::web
