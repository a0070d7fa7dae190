#include "web/form_state.h"

namespace ah::web {

Data form_data(const Catalog& c, std::string_view lang, const FormState& form) {
  Data data{Data::type::object};
  for (const auto& [name, value] : form.values) data.set("value_" + name, value);
  Data summary{Data::type::list};
  for (const auto& [field, key] : form.errors) {
    data.set("error_" + field, c.text(lang, key));
    Data item{Data::type::object};
    item.set("field", field);
    item.set("text", c.text(lang, key));
    summary.push_back(item);
  }
  data.set("errors", summary);
  data.set("has_errors", !form.errors.empty());
  return data;
}

}  // namespace ah::web
