"""Large-star / small-star rounds on Spark give the union-find components (smallest node as the
id)."""

from __future__ import annotations

import itertools
import random

import pytest

from newstrace.batch.components import components, local_components, star_edges

pytestmark = pytest.mark.spark


def test_rounds_match_union_find_on_chains_stars_and_random_edges(spark):
    rng = random.Random(4)
    nodes = [f"n{k:04d}" for k in range(300)]
    chain = list(itertools.pairwise(nodes[100:141]))[::-1]  # a path: the most rounds (6)
    star = [(nodes[150], x) for x in nodes[151:200]]
    noise = [tuple(rng.sample(nodes[200:], 2)) for _ in range(60)]
    edges = chain + star + noise
    rdd = spark.sparkContext.parallelize(edges, 2)
    expected = local_components(edges)
    assert dict(components(rdd, 2, local_max=0).collect()) == expected  # the Spark rounds
    assert dict(components(rdd, 2).collect()) == expected  # small enough for the driver


def test_star_edges_link_each_bucket_to_its_smallest_member(spark):
    pairs = [(1, "b"), (1, "a"), (1, "c"), (2, "d"), (3, "c"), (3, "e")]
    got = sorted(
        tuple(r)
        for r in star_edges(spark.createDataFrame(pairs, "bucket long, id string")).collect()
    )
    assert got == [("b", "a"), ("c", "a"), ("e", "c")]
