"""Connected components on Spark: star edges per bucket, then large-star / small-star.

Kiveris et al., "Connected Components in MapReduce and Beyond" (SoCC 2014):
alternating the two steps turns every component into a star around its
smallest node in O(log n) rounds, with no node's neighbourhood ever
collected on the driver. Node ids are any totally ordered values (article ids).
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_ROUNDS = (
    64  # each round at least halves the distance to the minimum; 64 is far beyond any corpus
)
# A graph of at most this many edges is finished on the driver by union-find: the same
# answer without the rounds' shuffles (each costs seconds even when tiny), and it
# fits in a few hundred MB.
LOCAL_MAX = 500_000


def star_edges(buckets) -> object:
    """Return a DataFrame of edges ``(id, root)`` from a DataFrame of ``(bucket, id)``: each member
    to its bucket's smallest.

    A bucket of k members gives k - 1 edges (a star), not k(k-1)/2 (a clique);
    the components are the same. The group-by and join run in the JVM.
    """
    from pyspark.sql import functions as F

    smallest = buckets.groupBy("bucket").agg(F.min("id").alias("root"))
    joined = buckets.join(smallest, "bucket")
    return joined.where(F.col("id") != F.col("root")).select("id", "root").distinct()


def _large(item: tuple) -> list[tuple]:
    node, nbrs = item
    nbrs = set(nbrs)
    m = min(min(nbrs), node)
    return [(v, m) for v in nbrs if v > node]


def _small(item: tuple) -> list[tuple]:
    node, nbrs = item  # every neighbour here is smaller than node
    nbrs = set(nbrs)
    m = min(nbrs)
    return [(v, m) for v in nbrs | {node} if v != m]


def _round(edges, n: int):
    both = edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0])))
    large = both.groupByKey(n).flatMap(_large)
    down = large.map(lambda e: (max(e), min(e)))
    return down.groupByKey(n).flatMap(_small).distinct(n)


def components(edges, n: int | None = None, local_max: int = LOCAL_MAX, storage=None) -> object:
    """Return an RDD of ``(node, component)`` for every node on an edge; component = its smallest
    node.

    ``n`` is the number of partitions of each shuffle. A graph of at most
    ``local_max`` edges is solved on the driver (:func:`local_components`).
    Nodes on no edge are their own component and are not listed. Raises
    RuntimeError if the rounds do not converge (they always do on a finite graph).
    """
    from pyspark import StorageLevel

    storage = storage or StorageLevel.MEMORY_AND_DISK
    n = n or edges.getNumPartitions()
    current = edges.map(lambda e: (max(e), min(e))).distinct(n).persist(storage)
    if current.count() <= local_max:
        found = sorted(local_components(current.collect()).items())
        current.unpersist()
        return edges.context.parallelize(found, n)
    for _ in range(MAX_ROUNDS):
        nxt = _round(current, n).persist(storage)
        current.unpersist()
        current = nxt
        if _is_star_forest(current, n):
            roots = current.values().distinct(n).map(lambda r: (r, r))
            return current.union(roots)
    raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")


def _is_star_forest(edges, n: int) -> bool:
    """Return True when every edge (child, root) has a child with one parent and a root with none.

    Rounds keep components and make every edge point from a larger to a
    smaller node, so a star forest is the fixpoint: each star's centre is
    its component's smallest node.
    """
    roles = edges.flatMap(lambda e: ((e[0], (1, 0)), (e[1], (0, 1))))
    counts = roles.reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1]), n)
    return counts.filter(lambda kv: kv[1][0] > 1 or (kv[1][0] and kv[1][1])).isEmpty()


def local_components(edges: Iterable[tuple]) -> dict:
    """Return ``{node: smallest node of its component}``: the reference the Spark rounds are tested
    against."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}
