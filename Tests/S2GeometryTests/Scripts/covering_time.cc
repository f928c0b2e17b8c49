// Times the reference (s2geometry 0.14's C++ library, libs2.a from the wheel) on covering requests,
// for generate_fixtures.py (refSeconds of large_coverings.json) and Benchmarks/s2/large.sh. Reads one request a line on stdin:
//   <id> rect <latLo> <lngLo> <latHi> <lngHi> <minLevel> <maxLevel> <levelMod> <maxCells> <interior 0|1>
//   <id> cap <lat> <lng> <radiusMeters> <minLevel> <maxLevel> <levelMod> <maxCells> <interior>
//   <id> poly <rings> {<n> <lat> <lng> ×n} ×rings <minLevel> <maxLevel> <levelMod> <maxCells> <interior>
// (rings are normalised and nested as the service does: S2Loop::Normalize, S2Polygon::InitNested).
// Writes "<id> <cpu seconds> <cells> <fnv1a of the tokens>": the covering alone, in process CPU time
// (robust to other processes on a shared machine), best of 3 (one run when the first takes over 0.3 s).
// With --tokens, the tokens follow on the same line when there are at most 2,000 of them.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include "s2/s2cap.h"
#include "s2/s2cell_id.h"
#include "s2/s2latlng.h"
#include "s2/s2latlng_rect.h"
#include "s2/s2loop.h"
#include "s2/s2polygon.h"
#include "s2/s2region_coverer.h"

static double cpu() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  const bool with_tokens = argc > 1 && std::string(argv[1]) == "--tokens";
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string id, kind;
    in >> id >> kind;
    std::unique_ptr<S2Region> region;
    if (kind == "rect") {
      double a, b, c, d;
      in >> a >> b >> c >> d;
      region = std::make_unique<S2LatLngRect>(S2LatLng::FromDegrees(a, b), S2LatLng::FromDegrees(c, d));
    } else if (kind == "cap") {
      double lat, lng, m;
      in >> lat >> lng >> m;
      region = std::make_unique<S2Cap>(S2LatLng::FromDegrees(lat, lng).ToPoint(), S1Angle::Radians(m / 6371010.0));
    } else {
      int rings;
      in >> rings;
      std::vector<std::unique_ptr<S2Loop>> loops;
      for (int r = 0; r < rings; ++r) {
        int n;
        in >> n;
        std::vector<S2Point> pts;
        for (int k = 0; k < n; ++k) {
          double lat, lng;
          in >> lat >> lng;
          pts.push_back(S2LatLng::FromDegrees(lat, lng).ToPoint());
        }
        auto loop = std::make_unique<S2Loop>(pts);
        loop->Normalize();
        loops.push_back(std::move(loop));
      }
      auto poly = std::make_unique<S2Polygon>();
      poly->InitNested(std::move(loops));
      region = std::move(poly);
    }
    int minL, maxL, lm, maxCells, interior;
    in >> minL >> maxL >> lm >> maxCells >> interior;
    S2RegionCoverer::Options o;
    o.set_min_level(minL);
    o.set_max_level(maxL);
    o.set_level_mod(lm);
    o.set_max_cells(maxCells);
    S2RegionCoverer coverer(o);
    double best = 1e300;
    std::vector<S2CellId> cells;
    for (int run = 0; run < 3; ++run) {
      cells.clear();
      double t0 = cpu();
      if (interior) coverer.GetInteriorCovering(*region, &cells);
      else coverer.GetCovering(*region, &cells);
      double t = cpu() - t0;
      if (t < best) best = t;
      if (t > 0.3) break;
    }
    uint64_t h = 1469598103934665603ULL;
    for (const S2CellId& c : cells) {
      for (char ch : c.ToToken() + ",") { h ^= (unsigned char)ch; h *= 1099511628211ULL; }
    }
    printf("%s %.6f %zu %016llx", id.c_str(), best, cells.size(), (unsigned long long)h);
    if (with_tokens && cells.size() <= 2000) {
      for (const S2CellId& c : cells) printf(" %s", c.ToToken().c_str());
    }
    printf("\n");
    fflush(stdout);
  }
}
