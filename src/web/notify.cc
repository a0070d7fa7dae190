#include "web/notify.h"

#include <spdlog/spdlog.h>

namespace ah::web {

void send_mail(Services& services, const mail::Message& message) {
  if (!services.mailer) return;
  if (auto sent = services.mailer->send(message); !sent)
    spdlog::error("mail not sent: {} ({})", sent.error().message, sent.error().detail);
}

}  // namespace ah::web
