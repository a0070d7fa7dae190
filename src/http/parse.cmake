# ah_http_parse: the socket-free HTTP pieces (request/response types, targets and queries,
# forms, multipart, cookies, router, client addresses). It links only ah_base, so the unit
# tests and the libFuzzer targets in fuzz/ build it alone; the server library links it. Paths
# are relative to this file, so it can be included from anywhere.
set(AH_HTTP_PARSE_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(ah_http_parse STATIC
  ${AH_HTTP_PARSE_DIR}/message.cc
  ${AH_HTTP_PARSE_DIR}/url.cc
  ${AH_HTTP_PARSE_DIR}/form.cc
  ${AH_HTTP_PARSE_DIR}/multipart.cc
  ${AH_HTTP_PARSE_DIR}/cookies.cc
  ${AH_HTTP_PARSE_DIR}/router.cc
  ${AH_HTTP_PARSE_DIR}/client_address.cc)
target_link_libraries(ah_http_parse PUBLIC ah_base)

ah_test(ah_http_parse_test
  SOURCES
    ${AH_HTTP_PARSE_DIR}/url_test.cc
    ${AH_HTTP_PARSE_DIR}/form_test.cc
    ${AH_HTTP_PARSE_DIR}/multipart_test.cc
    ${AH_HTTP_PARSE_DIR}/cookies_test.cc
    ${AH_HTTP_PARSE_DIR}/router_test.cc
    ${AH_HTTP_PARSE_DIR}/client_address_test.cc
  LIBS ah_http_parse)
