#include "modules/home/module.h"

namespace ah::modules {

namespace {

class HomeModule : public web::Module {
 public:
  std::string_view name() const override { return "home"; }

  void register_routes(http::Router& router, web::Services& services) override {
    router.add(http::Method::get, "/", [&services](http::Request& request) {
      web::Data page{web::Data::type::object};
      page.set("title", services.view.catalog().text(request.lang, "home_title"));
      auto response = http::Response::html(services.view.render("home", page, request));
      // The page varies by language only; let caches revalidate cheaply.
      response.headers.set("Cache-Control", "no-cache");
      return response;
    });
  }
};

}  // namespace

std::unique_ptr<web::Module> make_home_module() { return std::make_unique<HomeModule>(); }

}  // namespace ah::modules
