// Native C++ baseline for Benchmarks/s2: the same workloads and inputs as main.swift, linked against
// libs2.a from the s2geometry 0.14.0 wheel (see run.sh). Output: "name ops_per_second checksum".
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <vector>
#include "s2/s2cap.h"
#include "s2/s2cell_id.h"
#include "s2/s2latlng.h"
#include "s2/s2latlng_rect.h"
#include "s2/s2loop.h"
#include "s2/s2polygon.h"
#include "s2/s2region_coverer.h"

struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return (double)(next() >> 11) * 0x1p-53; }
};

static double now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

template <class F>
static void measure(const char* name, int ops, F body) {
  double best = 1e300;
  uint64_t sum = 0;
  for (int r = 0; r < 3; ++r) {
    double t0 = now();
    sum = body();
    double t = now() - t0;
    if (t < best) best = t;
  }
  printf("%s %.6g %llu\n", name, ops / best, (unsigned long long)sum);
}

// Star polygon rings, as starRings() in main.swift.
static std::vector<std::vector<S2Point>> StarRings(uint64_t seed, int count, int n, double r_meters) {
  const double R = 6371010.0;
  SplitMix64 rng{seed};
  std::vector<std::vector<S2Point>> out;
  for (int c = 0; c < count; ++c) {
    double clat = 140 * rng.uniform() - 70, clng = 360 * rng.uniform() - 180;
    double rdeg = r_meters / R * 180 / M_PI;
    std::vector<S2Point> ring;
    for (int k = 0; k < n; ++k) {
      double a = 2 * M_PI * (k + 0.5 * rng.uniform()) / n;
      double rr = rdeg * (0.6 + 0.4 * rng.uniform());
      ring.push_back(S2LatLng::FromDegrees(clat + rr * sin(a), clng + rr * cos(a) / cos(clat * M_PI / 180)).ToPoint());
    }
    out.push_back(ring);
  }
  return out;
}

static uint64_t CoverPolygons(const std::vector<std::vector<S2Point>>& rings, const S2RegionCoverer& cov) {
  uint64_t x = 0;
  std::vector<S2CellId> out;
  for (auto& ring : rings) {
    auto loop = std::make_unique<S2Loop>(ring);
    loop->Normalize();
    S2Polygon poly(std::move(loop));
    const_cast<S2RegionCoverer&>(cov).GetCovering(poly, &out);
    for (auto c : out) x ^= c.id();
  }
  return x;
}

int main(int argc, char** argv) {
  double scale = argc > 1 ? atof(argv[1]) : 1.0;
  int nPoints = (int)(1000000 * scale), nRects = (int)(20000 * scale), nPorto = (int)(1000 * scale), nCaps = (int)(20000 * scale);
  const double R = 6371010.0;
  SplitMix64 rng{42};
  std::vector<double> lats, lngs;
  for (int k = 0; k < nPoints; ++k) {
    lats.push_back(asin(2 * rng.uniform() - 1) * 180 / M_PI);
    lngs.push_back(360 * rng.uniform() - 180);
  }
  measure("leaf_ids", nPoints, [&] {
    uint64_t x = 0;
    for (size_t k = 0; k < lats.size(); ++k) x ^= S2CellId(S2LatLng::FromDegrees(lats[k], lngs[k])).id();
    return x;
  });
  rng = SplitMix64{7};
  std::vector<S2LatLngRect> rects;
  for (int k = 0; k < nRects; ++k) {
    double lat = 160 * rng.uniform() - 80, lng = 360 * rng.uniform() - 180;
    double dlat = 5000 / R * 180 / M_PI;
    double dlng = dlat / cos(lat * M_PI / 180);
    double hi = lng + dlng;
    if (hi > 180) hi -= 360;
    rects.emplace_back(S2LatLng::FromDegrees(lat - dlat, lng - dlng), S2LatLng::FromDegrees(lat + dlat, hi));
  }
  S2RegionCoverer::Options o8;
  o8.set_max_cells(8);
  S2RegionCoverer cov8(o8);
  measure("rect10km_cov8", nRects, [&] {
    uint64_t x = 0;
    std::vector<S2CellId> out;
    for (auto& r : rects) { cov8.GetCovering(r, &out); for (auto c : out) x ^= c.id(); }
    return x;
  });
  S2LatLngRect porto(S2LatLng::FromDegrees(-30.24, -51.26), S2LatLng::FromDegrees(-30.00, -51.05));
  S2RegionCoverer::Options o500;
  o500.set_min_level(8); o500.set_max_level(15); o500.set_max_cells(500);
  S2RegionCoverer cov500(o500);
  measure("porto_alegre_8_15_500", nPorto, [&] {
    uint64_t x = 0;
    std::vector<S2CellId> out;
    for (int k = 0; k < nPorto; ++k) { cov500.GetCovering(porto, &out); for (auto c : out) x ^= c.id(); }
    return x;
  });
  rng = SplitMix64{11};
  std::vector<S2Cap> caps;
  for (int k = 0; k < nCaps; ++k) {
    double lat = asin(2 * rng.uniform() - 1) * 180 / M_PI, lng = 360 * rng.uniform() - 180;
    caps.emplace_back(S2LatLng::FromDegrees(lat, lng).ToPoint(), S1Angle::Radians(5000 / R));
  }
  measure("cap5km_cov8", nCaps, [&] {
    uint64_t x = 0;
    std::vector<S2CellId> out;
    for (auto& c : caps) { cov8.GetCovering(c, &out); for (auto id : out) x ^= id.id(); }
    return x;
  });
  int nPoly24 = (int)(2000 * scale), nPoly200 = (int)(200 * scale);
  auto small = StarRings(13, nPoly24, 24, 20000);
  measure("poly24_cov8", nPoly24, [&] { return CoverPolygons(small, cov8); });
  auto big = StarRings(17, nPoly200, 200, 30000);
  S2RegionCoverer::Options o100;
  o100.set_min_level(8); o100.set_max_level(15); o100.set_max_cells(100);
  S2RegionCoverer cov100(o100);
  measure("poly200_cov100_8_15", nPoly200, [&] { return CoverPolygons(big, cov100); });
  int nPoly5000 = (int)(20 * scale);
  auto huge = StarRings(19, nPoly5000, 5000, 300000);
  S2RegionCoverer::Options o500b;
  o500b.set_max_cells(500);
  S2RegionCoverer cov500b(o500b);
  measure("poly5000_cov500", nPoly5000, [&] { return CoverPolygons(huge, cov500b); });
  return 0;
}
