#include "web/data.h"

#include <stdexcept>

namespace ah::web {

// kainjow hands stored values out only as const; they are not const objects (they live in
// the parent's own map or vector), so writing through the pointer is well-defined.

Data list_with_room(std::size_t n) {
  Data list{Data::type::list};
  const_cast<kainjow::mustache::list&>(list.list_value()).reserve(n);
  return list;
}

Data& put(Data& object, const std::string& key, Data&& value) {
  if (!object.is_object()) throw std::logic_error("web::put into data that is not an object: " + key);
  object.set(key, Data{false});  // a placeholder: no allocation but the map's node
  auto* slot = const_cast<Data*>(object.get(key));
  *slot = std::move(value);
  return *slot;
}

Data& append(Data& list, Data&& value) {
  if (!list.is_list()) throw std::logic_error("web::append to data that is not a list");
  list.push_back(Data{false});
  auto& slot = const_cast<Data&>(list.list_value().back());
  slot = std::move(value);
  return slot;
}

}  // namespace ah::web
