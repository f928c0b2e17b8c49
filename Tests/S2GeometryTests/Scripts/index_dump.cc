// Dumps the MutableS2ShapeIndex that s2geometry builds for polygons (S2Polygon::Shape, default
// options): every index cell with its id, whether the polygon contains its centre, and its clipped
// edges as the shape reports them, each written as (ring, a, b) = edge from vertex a to vertex b of the
// input ring (indices in the normalised loop). Holes come out reversed, as S2Polygon::Shape orients
// them. Built and run by generate_fixtures.py against the s2geometry 0.14.0 wheel (libs2.a + headers).
//
// stdin:  "P <rings>" then per ring "R <n>" and n lines "lat lng" (degrees, repr), repeated.
// stdout: "P <index>" then per index cell "C <id> <containsCenter> <edges> (ring a b)*".
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "s2/mutable_s2shape_index.h"
#include "s2/s2latlng.h"
#include "s2/s2loop.h"
#include "s2/s2polygon.h"

int main() {
  std::string tag;
  int count = 0;
  while (std::cin >> tag) {
    int rings;
    std::cin >> rings;
    std::vector<std::unique_ptr<S2Loop>> loops;
    std::map<const S2Loop*, int> ring_of;
    for (int r = 0; r < rings; ++r) {
      int n;
      std::cin >> tag >> n;
      std::vector<S2Point> pts;
      for (int i = 0; i < n; ++i) {
        double lat, lng;
        std::cin >> lat >> lng;
        pts.push_back(S2LatLng::FromDegrees(lat, lng).ToPoint());
      }
      auto loop = std::make_unique<S2Loop>(pts, S2Debug::DISABLE);
      loop->Normalize();
      ring_of[loop.get()] = r;
      loops.push_back(std::move(loop));
    }
    S2Polygon poly;
    poly.set_s2debug_override(S2Debug::DISABLE);
    poly.InitNested(std::move(loops));
    MutableS2ShapeIndex index;
    auto shape = std::make_unique<S2Polygon::Shape>(&poly);
    const S2Polygon::Shape* sp = shape.get();
    index.Add(std::move(shape));
    index.ForceBuild();
    printf("P %d\n", count++);
    for (MutableS2ShapeIndex::Iterator it(&index, S2ShapeIndex::BEGIN); !it.done(); it.Next()) {
      const S2ClippedShape& cs = it.cell().clipped(0);
      printf("C %llu %d %d", (unsigned long long)it.id().id(), cs.contains_center() ? 1 : 0, cs.num_edges());
      for (int k = 0; k < cs.num_edges(); ++k) {
        int e = cs.edge(k);
        S2Shape::ChainPosition pos = sp->chain_position(e);
        const S2Loop* loop = poly.loop(pos.chain_id);
        S2Shape::Edge edge = sp->edge(e);
        int a = -1, b = -1;
        for (int i = 0; i < loop->num_vertices(); ++i) {
          if (loop->vertex(i) == edge.v0) a = i;
          if (loop->vertex(i) == edge.v1) b = i;
        }
        printf(" %d %d %d", ring_of[loop], a, b);
      }
      printf("\n");
    }
  }
  return 0;
}
