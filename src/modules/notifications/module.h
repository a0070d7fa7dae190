// Notifications: what happened that concerns a person, in the app and by email, one way
// for every module (notify.h: notifications::notify). The person reads and marks notices
// read, and chooses per kind how they arrive.
//
//   GET  /konto/benachrichtigungen                  the list, newest first (?cursor=)
//   POST /konto/benachrichtigungen/{id}/gelesen     mark one read
//   POST /konto/benachrichtigungen/gelesen          mark all read
//   GET/POST /konto/benachrichtigungen/einstellungen  per kind: in-app, email, daily digest
//   GET  /benachrichtigungen/{id}                   marks it read and goes to its link
//   GET  /api/v1/notifications, POST /api/v1/notifications/{id}/read
//
// The layout's account menu shows the unread count (web::View::set_unread_counter).
// Periodic jobs: due mails every minute, daily digests (checked every 10 minutes).
// Migrations: 7000–7099.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_notifications_module();

}  // namespace ah::modules
