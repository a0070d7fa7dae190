#include "web/form_state.h"

namespace ah::web {

Data form_data(const Catalog& c, std::string_view lang, const FormState& form) {
  Data data{Data::type::object};
  for (const auto& [name, value] : form.values) data.set("value_" + name, value);
  Data summary{Data::type::list};
  std::map<std::string, std::string> texts = form.messages;
  for (const auto& [field, key] : form.errors) texts[field] = c.text(lang, key);
  for (const auto& [field, text] : texts) {
    data.set("error_" + field, text);
    Data item{Data::type::object};
    item.set("field", field);
    item.set("text", text);
    summary.push_back(item);
  }
  data.set("errors", summary);
  data.set("has_errors", !form.ok());
  return data;
}

}  // namespace ah::web
