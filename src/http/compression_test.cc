#include "http/compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace ah::http {
namespace {

std::string gunzip(const std::string& in) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(1 << 20, '\0');  // plenty for the small bodies these tests compress
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  inflateEnd(&zs);
  EXPECT_EQ(rc, Z_STREAM_END);
  out.resize(zs.total_out);
  return out;
}

TEST(Gzip, RoundTrips) {
  std::string text(5000, 'a');
  text += "Gemeinde Lutherstadt Wittenberg";
  auto z = gzip(text);
  ASSERT_TRUE(z);
  EXPECT_LT(z->size(), text.size());
  EXPECT_EQ(gunzip(*z), text);
}

TEST(AcceptsGzip, ParsesTheHeader) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("br, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("x-gzip2"));
}

TEST(MaybeGzip, OnlyLargeCompressibleAcceptedBodies) {
  Request request;
  request.headers.set("Accept-Encoding", "gzip");
  auto large = Response::html(std::string(4000, 'x'));
  maybe_gzip(request, large);
  EXPECT_EQ(large.headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(gunzip(large.body), std::string(4000, 'x'));

  auto small = Response::html("<p>kurz</p>");
  maybe_gzip(request, small);
  EXPECT_FALSE(small.headers.has("Content-Encoding"));

  Response png;
  png.headers.set("Content-Type", "image/png");
  png.body = std::string(4000, 'x');
  maybe_gzip(request, png);
  EXPECT_FALSE(png.headers.has("Content-Encoding"));

  Request plain;
  auto unaccepted = Response::html(std::string(4000, 'x'));
  maybe_gzip(plain, unaccepted);
  EXPECT_FALSE(unaccepted.headers.has("Content-Encoding"));
  EXPECT_EQ(unaccepted.headers.get("Vary"), "Accept-Encoding");
}

TEST(GzipVariant, IsWhatMaybeGzipWouldSendAndLeavesTheOriginal) {
  auto page = Response::html(std::string(4000, 'y'));
  page.headers.set("X-Eigen", "1");
  auto twin = gzip_variant(page);
  ASSERT_TRUE(twin);
  EXPECT_EQ(twin->headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(twin->headers.get("Vary"), "Accept-Encoding");
  EXPECT_EQ(twin->headers.get("X-Eigen"), "1");
  EXPECT_EQ(gunzip(twin->body), page.body);
  EXPECT_FALSE(page.headers.has("Content-Encoding"));  // the original is untouched
  // Served again through maybe_gzip it is not compressed twice.
  Request request;
  request.headers.set("Accept-Encoding", "gzip");
  auto again = *twin;
  maybe_gzip(request, again);
  EXPECT_EQ(again.body, twin->body);

  EXPECT_FALSE(gzip_variant(Response::html("<p>kurz</p>")));
  Response png;
  png.headers.set("Content-Type", "image/png");
  png.body = std::string(4000, 'x');
  EXPECT_FALSE(gzip_variant(png));
}

}  // namespace
}  // namespace ah::http
