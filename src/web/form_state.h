// FormState: what a person typed into a form and what is wrong with it, for the page that
// shows the form again. Templates read {{value_FIELD}}, {{error_FIELD}} (the message next
// to the field), {{errors}} (the summary: field and text, linking to #field-FIELD) and
// {{has_errors}}.
//
//   web::FormState form{.values = {{"title", title}}};
//   if (title.empty()) form.errors["title"] = "participation_error_title";
//   web::Data data = web::form_data(catalog, lang, form);
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "web/i18n.h"
#include "web/view.h"

namespace ah::web {

struct FormState {
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> errors;  // field -> catalogue key
  // field -> a message already in the person's language, for what a catalogue key alone
  // cannot say (e.g. which file was refused and why)
  std::map<std::string, std::string> messages;

  bool ok() const { return errors.empty() && messages.empty(); }
};

Data form_data(const Catalog& catalog, std::string_view lang, const FormState& form);

}  // namespace ah::web
